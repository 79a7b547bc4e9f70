"""The deadline is enforced on the server in America/Toronto time; a double submit makes one submission."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from viewflow.workflow.models import Task

from fonds.models import Call
from forms.models import Application
from tests import factories as f
from workflow import services
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.models import OutboxMessage

TORONTO = ZoneInfo("America/Toronto")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=TORONTO)


def closing_at_end_of(day: tuple[int, int, int]) -> datetime:
    """The last instant of a local day, as fund managers set it: 23:59:59.999999."""
    return local(*day, 23, 59, 59, 999999)


@pytest.fixture
def closing(draft):
    """closing((y, m, d)) → the draft, its call now closing at the end of that local day."""

    def go(day):
        closes_at = closing_at_end_of(day)
        Call.objects.filter(pk=draft.call_id).update(opens_at=closes_at - timedelta(days=60), closes_at=closes_at)
        draft.refresh_from_db()
        return draft

    return go


def screens(application):
    return Task.objects.filter(process__applicationprocess__application=application, flow_task=ApplicationFlow.screen)


def assert_kept_as_draft(application):
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.submitted_at is None
    assert application.title == "Cuisine collective de Joliette"
    assert active_task(application=application, node=ApplicationFlow.draft) is not None
    assert not screens(application).exists()


def test_the_platform_runs_on_toronto_time():
    assert settings.TIME_ZONE == "America/Toronto" and settings.USE_TZ


def test_it_stores_the_deadline_to_the_microsecond(closing):
    draft = closing((2026, 3, 31))
    assert draft.call.closes_at == local(2026, 3, 31, 23, 59, 59, 999999)


# --- the edge of the closing day -----------------------------------------------------------------


def test_it_accepts_a_submission_at_235959_local_on_closing_day(closing, applicant):
    draft = closing((2026, 3, 31))
    submitted = services.application_submit(application=draft, by=applicant, at=local(2026, 3, 31, 23, 59, 59))
    assert submitted.status == Application.Status.SUBMITTED
    assert submitted.submitted_at == local(2026, 3, 31, 23, 59, 59)
    assert screens(submitted).count() == 1


def test_it_refuses_a_submission_one_second_later_and_keeps_the_draft(closing, applicant):
    draft = closing((2026, 3, 31))
    with pytest.raises(services.DeadlinePassed) as refused:
        services.application_submit(application=draft, by=applicant, at=local(2026, 4, 1, 0, 0, 0))
    assert refused.value.call == draft.call
    assert_kept_as_draft(draft)


def test_it_refuses_at_the_deadlines_own_instant(closing, applicant):
    draft = closing((2026, 3, 31))
    with pytest.raises(services.DeadlinePassed):
        services.application_submit(application=draft, by=applicant, at=draft.call.closes_at)


def test_it_refuses_before_the_call_opens(closing, applicant):
    draft = closing((2026, 3, 31))
    with pytest.raises(services.DeadlinePassed):
        services.application_submit(application=draft, by=applicant, at=draft.call.opens_at - timedelta(seconds=1))
    assert_kept_as_draft(draft)


def test_it_says_which_call_closed_and_when_in_local_time(closing):
    draft = closing((2026, 3, 31))
    refusal = services.DeadlinePassed(draft.call)
    with translation.override("en"):
        assert refusal.message == (
            "The call “Appel de projets 2026” closed on March 31, 2026, 11:59 p.m.; your draft is kept."
        )
    with translation.override("fr"):
        assert "31 mars 2026, 23 h 59" in refusal.message


# --- daylight saving time -------------------------------------------------------------------------


def test_it_closes_at_local_midnight_on_the_day_clocks_fall_back(closing, applicant):
    # 2025-11-02: 02:00 EDT becomes 01:00 EST; the day lasts 25 hours and ends at 05:00 UTC, not 04:00.
    draft = closing((2025, 11, 2))
    assert draft.call.closes_at.astimezone(UTC) == datetime(2025, 11, 3, 4, 59, 59, 999999, tzinfo=UTC)
    late_evening = datetime(2025, 11, 3, 4, 30, tzinfo=UTC)  # 23:30 EST, still the closing day
    submitted = services.application_submit(application=draft, by=applicant, at=late_evening)
    assert submitted.status == Application.Status.SUBMITTED


def test_it_accepts_the_last_second_of_the_fall_back_day(closing, applicant):
    draft = closing((2025, 11, 2))
    last_second = datetime(2025, 11, 3, 4, 59, 59, tzinfo=UTC)
    assert timezone.localtime(last_second).strftime("%Y-%m-%d %H:%M:%S %Z") == "2025-11-02 23:59:59 EST"
    assert services.application_submit(application=draft, by=applicant, at=last_second).submitted_at


def test_it_refuses_the_first_second_after_the_fall_back_day(closing, applicant):
    draft = closing((2025, 11, 2))
    with pytest.raises(services.DeadlinePassed):
        services.application_submit(application=draft, by=applicant, at=datetime(2025, 11, 3, 5, 0, 0, tzinfo=UTC))
    assert_kept_as_draft(draft)


def test_it_accepts_both_one_thirties_of_the_fall_back_night(closing, applicant):
    # 01:30 happens twice that night (EDT, then EST); both are before the deadline.
    draft = closing((2025, 11, 2))
    second = datetime(2025, 11, 2, 1, 30, tzinfo=TORONTO, fold=1)
    assert second.utcoffset() == timedelta(hours=-5)
    assert services.application_submit(application=draft, by=applicant, at=second).submitted_at


def test_it_closes_at_local_midnight_on_the_day_clocks_spring_forward(closing, applicant):
    # 2026-03-08: the day lasts 23 hours and ends at 03:59:59 UTC the next day.
    draft = closing((2026, 3, 8))
    with pytest.raises(services.DeadlinePassed):
        services.application_submit(application=draft, by=applicant, at=datetime(2026, 3, 9, 4, 0, tzinfo=UTC))
    accepted = services.application_submit(
        application=draft, by=applicant, at=datetime(2026, 3, 9, 3, 59, 59, tzinfo=UTC)
    )
    assert accepted.status == Application.Status.SUBMITTED


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=datetime(2024, 1, 1).date(), max_value=datetime(2030, 12, 31).date()),
    offset=st.integers(min_value=-3 * 86400, max_value=3 * 86400),
)
def test_it_accepts_exactly_the_instants_whose_local_date_is_not_after_the_closing_day(day, offset):
    """Whatever the day (DST ones included), accepted ⇔ the local calendar date is the closing day or before."""
    closes_at = closing_at_end_of((day.year, day.month, day.day))
    call = Call(opens_at=closes_at - timedelta(days=30), closes_at=closes_at)
    at = closes_at.astimezone(UTC).replace(microsecond=0) + timedelta(seconds=offset)
    assert call.accepts_submissions(at=at) == (at.astimezone(TORONTO).date() <= day)


# --- through the submit page, on the real clock ---------------------------------------------------


def test_the_submit_page_refuses_after_the_deadline_with_the_calls_name(client, draft, applicant):
    Call.objects.filter(pk=draft.call_id).update(closes_at=timezone.now() - timedelta(seconds=1))
    client.force_login(applicant)
    response = client.post(reverse("forms:submit", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.status_code == 200
    text = " ".join(str(m) for m in response.context["messages"])
    assert "your draft is kept" in text
    assert_kept_as_draft(draft)


def test_the_submit_page_accepts_just_before_the_deadline(client, draft, applicant):
    Call.objects.filter(pk=draft.call_id).update(closes_at=timezone.now() + timedelta(seconds=30))
    client.force_login(applicant)
    response = client.post(reverse("forms:submit", args=[draft.pk]))
    assert response["Location"] == reverse("forms:detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == Application.Status.SUBMITTED


# --- once only ------------------------------------------------------------------------------------


def test_a_double_submit_makes_one_submission(draft, applicant, colleague):
    first = services.application_submit(application=draft, by=applicant)
    second = services.application_submit(application=draft, by=colleague, at=first.submitted_at + timedelta(seconds=1))
    assert second.submitted_at == first.submitted_at
    assert screens(draft).count() == 1
    assert OutboxMessage.objects.filter(kind="submitted", application=draft, recipient=applicant).count() == 1


def test_a_repeated_submit_after_the_deadline_still_answers_submitted(draft, applicant):
    """A retried request that arrives late must not scare the applicant: it was submitted in time."""
    services.application_submit(application=draft, by=applicant)
    Call.objects.filter(pk=draft.call_id).update(closes_at=timezone.now() - timedelta(minutes=1))
    again = services.application_submit(application=draft, by=applicant)
    assert again.status == Application.Status.SUBMITTED


def test_two_clicks_on_the_submit_page_make_one_submission(client, draft, applicant):
    client.force_login(applicant)
    first = client.post(reverse("forms:submit", args=[draft.pk]))
    second = client.post(reverse("forms:submit", args=[draft.pk]))
    assert first.status_code == second.status_code == 302
    assert screens(draft).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_make_one_submission(request):
    """Two requests at once, each in its own thread and database connection (PostgreSQL row lock)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): SQLite serialises whole transactions")
    import threading
    from decimal import Decimal

    from django.db import connections

    from forms.models import CoFundingRequest

    applicant = f.make_user(email="alice@carrefour.example", role="applicant")
    colleague = f.make_user(email="colin@carrefour.example", role="applicant")
    organisation = f.make_organisation(admin=applicant)
    organisation.memberships.create(user=colleague)
    manager = f.make_user(email="manon@fonds.example", role="fund_manager")
    call = f.make_call(fund=f.make_fund(managers=[manager]))
    other = f.make_call(fund=f.make_fund(name="Autre fonds"), title="Autre appel")
    draft = f.make_draft(call=call, organisation=organisation, by=applicant)
    CoFundingRequest.objects.create(application=draft, call=other, amount=Decimal("10000"))

    barrier = threading.Barrier(4)
    results, errors = [], []

    def submit(user):
        try:
            barrier.wait()
            results.append(services.application_submit(application=draft, by=user).submitted_at)
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(u,)) for u in (applicant, colleague, applicant, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(results) == 4 and len(set(results)) == 1
    assert screens(draft).count() == 1
    assert Application.objects.filter(lead=draft).count() == 1
    copy = Application.objects.get(lead=draft)
    assert screens(copy).count() == 1
