"""Submitting is deadline day's heaviest request (bench/deadline.py): its queries are few and do not
grow with the organisation's members or the fund's managers (one INSERT notifies them all)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forms.models import Application
from tests import factories as f
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.models import OutboxMessage

pytestmark = pytest.mark.django_db

# session, user, the application (view); lock with membership, co-funding, what is missing (2), the draft
# task; the viewflow transition draft → gateway → screening (14 with its savepoints); the recipients, the
# outbox INSERT; plus the view's SAVEPOINT and RELEASE inside the test's transaction.
MOST = 28


def submit_queries(client, user, application) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("forms:submit", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert active_task(application=application, node=ApplicationFlow.screen) is not None
    return len(queries)


def test_it_submits_in_a_few_queries_whatever_the_number_of_recipients(client, call, applicant, manager, fund):
    small = f.make_organisation(name="Petit organisme", admin=applicant)
    first = submit_queries(client, applicant, f.make_draft(call=call, organisation=small, by=applicant))

    lead = f.make_user(email="lea@grand.example", role="applicant")
    large = f.make_organisation(name="Grand organisme", admin=lead)
    for i in range(5):
        large.memberships.create(user=f.make_user(email=f"membre{i}@grand.example", role="applicant"))
    for i in range(3):
        fund.managers.add(f.make_user(email=f"gestion{i}@fonds.example", role="fund_manager"))
    draft = f.make_draft(call=call, organisation=large, by=lead)
    second = submit_queries(client, lead, draft)

    assert first == second <= MOST, (first, second)
    # Six members and four managers, one message each.
    assert OutboxMessage.objects.filter(application=draft, kind="submitted").count() == 10
