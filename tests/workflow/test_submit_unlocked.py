"""The submission reads the draft without a lock and freezes it only if the row is still as read.

A save between its read and its freeze is never frozen unchecked: the submission reads again and
decides on what the draft now holds (submitted, or refused as incomplete with the draft kept);
after a few such turns it takes the row lock.
"""

import pytest

from forms import services as form_services
from forms.models import Application
from workflow import services
from workflow.engine import active_task
from workflow.flows import ApplicationFlow

pytestmark = pytest.mark.django_db


@pytest.fixture
def reads(spy_reads):
    return lambda after: spy_reads(services, "read_for_submission", "lock_draft_for_member", after)


def test_a_save_in_between_is_read_again_and_submitted_with_it(draft, applicant, colleague, reads):
    def colleague_saves(n):
        if n == 1:
            form_services.application_save_project(application=draft, title="Titre final", by=colleague)

    made = reads(colleague_saves)
    submitted = services.application_submit(application=draft.pk, by=applicant)
    assert made == ["unlocked", "unlocked"]
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED and draft.title == "Titre final"
    assert submitted.submitted_at == draft.submitted_at and draft.updated_by == applicant
    assert active_task(application=draft, node=ApplicationFlow.screen) is not None


def test_a_save_in_between_that_empties_a_required_answer_is_refused_and_the_draft_kept(
    draft, applicant, colleague, reads
):
    def colleague_empties(n):
        if n == 1:
            form_services.application_save_project(application=draft, summary="", by=colleague)

    reads(colleague_empties)
    with pytest.raises(services.Incomplete) as refused:
        services.application_submit(application=draft.pk, by=applicant)
    assert "summary" in refused.value.missing
    draft.refresh_from_db()
    assert draft.status == Application.Status.DRAFT and draft.submitted_at is None
    assert active_task(application=draft, node=ApplicationFlow.draft) is not None


def test_a_submission_in_between_makes_one_submission(draft, applicant, colleague, reads):
    first = []

    def colleague_submits(n):
        if n == 1:
            first.append(services.application_submit(application=draft.pk, by=colleague))

    reads(colleague_submits)
    second = services.application_submit(application=draft.pk, by=applicant)
    assert second.submitted_at == first[0].submitted_at
    draft.refresh_from_db()
    assert draft.updated_by == colleague  # the first submitter's freeze, not overwritten
    screens = [t for t in draft.process.task_set.all() if t.flow_task == ApplicationFlow.screen]
    assert len(screens) == 1


def test_a_row_that_keeps_changing_is_locked_and_submitted(draft, applicant, colleague, reads):
    def colleague_saves(n):
        form_services.application_save_sustainability(application=draft, sustainability_plan=f"Plan {n}", by=colleague)

    made = reads(colleague_saves)
    services.application_submit(application=draft.pk, by=applicant)
    assert made == ["unlocked"] * form_services.UNLOCKED_ATTEMPTS + ["locked"]
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED
    assert draft.sustainability_plan == f"Plan {form_services.UNLOCKED_ATTEMPTS}"


def test_the_unlocked_read_tells_what_exists_as_what_exists_does(draft, applicant, outsider):
    from forms.selectors import read_for_submission
    from forms.services import what_exists

    application, exists = read_for_submission(applicant, draft.pk)
    assert application.pk == draft.pk and exists == what_exists(draft)
    draft.indicators.all().delete()
    assert read_for_submission(applicant, draft.pk)[1] == {**exists, "indicators": False}
    assert read_for_submission(outsider, draft.pk) is None
