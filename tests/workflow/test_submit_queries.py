"""Submitting is deadline day's heaviest request (bench/deadline.py): its queries are few and do not
grow with the organisation's members or the fund's managers. With a broker, the request freezes the
draft and publishes one task; the worker hands it to screening (one INSERT notifies everybody)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forms.models import Application
from tests import factories as f
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.models import OutboxMessage
from workflow.services import submission_route

pytestmark = pytest.mark.django_db

# session, user; the application with its call, the membership check, what exists and the budget
# years (one SELECT, no lock, no transaction); the freeze (an UPDATE that writes only if the row is
# still as read). Co-funding requests are read only when there are some.
REQUEST_QUERIES = 4
# The worker, inside the test's transaction (its SAVEPOINT and RELEASE): the application locked
# (with whether co-funding was asked); the draft task; the viewflow transition draft → gateway →
# screening (the process lock and the task, two task UPDATEs, two INSERTs and their two links, the
# gateway's savepoint and release; the gateway reads the application the worker holds); the
# recipients; the outbox INSERT. The e-mails go out after commit (see test_outbox).
ROUTING_QUERIES = 16


def submit_queries(client, user, application, with_a_broker) -> tuple[int, int]:
    client.force_login(user)
    with with_a_broker() as callbacks:
        with CaptureQueriesContext(connection) as request_queries:
            response = client.post(reverse("forms:submit", args=[application.pk]))
    assert response.status_code == 302
    assert len(callbacks) == 1  # the routing task, published after commit
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert active_task(application=application, node=ApplicationFlow.screen) is None

    with CaptureQueriesContext(connection) as routing_queries:
        assert submission_route(application_pk=application.pk) is True
    assert active_task(application=application, node=ApplicationFlow.screen) is not None
    return len(request_queries), len(routing_queries)


def test_it_submits_in_a_few_queries_whatever_the_number_of_recipients(
    client, call, applicant, manager, fund, with_a_broker
):
    small = f.make_organisation(name="Petit organisme", admin=applicant)
    draft = f.make_draft(call=call, organisation=small, by=applicant)
    first = submit_queries(client, applicant, draft, with_a_broker)

    lead = f.make_user(email="lea@grand.example", role="applicant")
    large = f.make_organisation(name="Grand organisme", admin=lead)
    for i in range(5):
        large.memberships.create(user=f.make_user(email=f"membre{i}@grand.example", role="applicant"))
    for i in range(3):
        fund.managers.add(f.make_user(email=f"gestion{i}@fonds.example", role="fund_manager"))
    draft = f.make_draft(call=call, organisation=large, by=lead)
    second = submit_queries(client, lead, draft, with_a_broker)

    assert first == second, (first, second)
    assert first == (REQUEST_QUERIES, ROUTING_QUERIES), first
    # Six members and four managers, one message each.
    assert OutboxMessage.objects.filter(application=draft, kind="submitted").count() == 10


def test_routing_twice_hands_over_once(client, draft, applicant, with_a_broker):
    client.force_login(applicant)
    with with_a_broker():
        client.post(reverse("forms:submit", args=[draft.pk]))
    assert submission_route(application_pk=draft.pk) is True
    assert submission_route(application_pk=draft.pk) is False
    screens = [t for t in draft.process.task_set.all() if t.flow_task == ApplicationFlow.screen]
    assert len(screens) == 1
    assert OutboxMessage.objects.filter(application=draft, kind="submitted").count() == 2  # applicant, manager


def test_a_draft_is_never_routed(draft):
    assert submission_route(application_pk=draft.pk) is False
    assert active_task(application=draft, node=ApplicationFlow.draft) is not None
