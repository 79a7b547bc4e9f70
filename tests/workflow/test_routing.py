"""Between a submission and its handing to screening (a worker's job when there is a broker):
the application is frozen, its draft task still open for a moment. Nothing may use that moment."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from config.settings import CELERY_BEAT_SCHEDULE
from forms.models import Application
from reviewers import services as reviewer_services
from tests import factories as f
from workflow import services
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.selectors import tasks_for_user
from workflow.tasks import route_pending_submissions

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(draft, applicant, with_a_broker):
    with with_a_broker() as callbacks:
        services.application_submit(application=draft, by=applicant)
    assert len(callbacks) == 1
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED
    assert active_task(application=draft, node=ApplicationFlow.draft) is not None
    return draft


def test_it_is_no_longer_in_the_applicants_inbox(client, frozen, applicant):
    assert list(tasks_for_user(user=applicant)) == []
    client.force_login(applicant)
    assert client.get(reverse("workflow:inbox")).context["tasks"] == []


def test_it_cannot_be_sent_to_an_advisor(frozen, applicant, advisor):
    with pytest.raises(PermissionDenied):
        reviewer_services.support_request(application=frozen, by=applicant)
    assert not frozen.support_requests.exists()


def test_a_second_submit_does_not_publish_again(frozen, applicant, with_a_broker):
    with with_a_broker() as callbacks:
        services.application_submit(application=frozen, by=applicant)
    assert callbacks == []


def test_the_beat_hands_it_over_once(frozen, manager):
    assert "workflow.tasks.route_pending_submissions" in {e["task"] for e in CELERY_BEAT_SCHEDULE.values()}
    assert services.submissions_waiting_routing() == [frozen.pk]
    assert route_pending_submissions() == 1
    assert active_task(application=frozen, node=ApplicationFlow.screen) is not None
    assert [t.flow_task for t in tasks_for_user(user=manager)] == [ApplicationFlow.screen]
    assert route_pending_submissions() == 0


def test_a_draft_with_an_advisor_is_taken_back_when_handed_over(draft, applicant, advisor, with_a_broker):
    reviewer_services.support_request(application=draft, by=applicant)
    assert active_task(application=draft, node=ApplicationFlow.advise) is not None
    with with_a_broker():
        services.application_submit(application=draft, by=applicant)
    assert services.submissions_waiting_routing() == [draft.pk]
    assert services.submission_route(application_pk=draft.pk) is True
    assert active_task(application=draft, node=ApplicationFlow.advise) is None
    assert active_task(application=draft, node=ApplicationFlow.screen) is not None
    assert draft.support_requests.get().closed_at is not None


def test_the_copies_of_a_co_funded_request_come_with_the_handing_over(draft, applicant, with_a_broker):
    other = f.make_call(fund=f.make_fund(name="Fonds partenaire"), title="Appel partenaire")
    draft.cofunding_requests.create(call=other, amount=5000)
    with with_a_broker():
        services.application_submit(application=draft, by=applicant)
    assert not Application.objects.filter(lead=draft).exists()
    assert services.submission_route(application_pk=draft.pk) is True
    copy = Application.objects.get(lead=draft)
    assert copy.call == other and copy.submitted_at == Application.objects.get(pk=draft.pk).submitted_at
    assert active_task(application=copy, node=ApplicationFlow.screen) is not None


def test_the_gateway_reads_the_application_the_worker_holds_and_only_its_own(frozen, applicant, call, organisation):
    """task_execute(application=...) hands the locked application to the next gateway; another
    application's is refused before anything moves (and its transaction is to be rolled back)."""
    from django.db import transaction

    from workflow.engine import task_execute

    task = active_task(application=frozen, node=ApplicationFlow.draft)
    other = f.make_draft(call=call, organisation=organisation, by=applicant)
    with pytest.raises(ValueError), transaction.atomic():
        task_execute(task=task, user=applicant, allowed=True, application=other)
    assert active_task(application=frozen, node=ApplicationFlow.draft) is not None
    assert services.submission_route(application_pk=frozen.pk) is True
    assert active_task(application=frozen, node=ApplicationFlow.screen) is not None
