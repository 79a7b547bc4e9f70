"""Report reminders with a frozen clock: 30 and 7 days before the due date, 1, 15 and 30 days after; each once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from reporting.models import ReportReminder
from reporting.reminders import due_offset, reminders_send
from reporting.services import report_submit
from reporting.tasks import send_report_reminders
from workflow.engine import active_task
from workflow.flows import ApplicationFlow
from workflow.models import OutboxMessage

from .conftest import fund_application

pytestmark = pytest.mark.django_db
DUE = date(2027, 4, 1)  # signed on 2026-04-1: year 1's report is due a year later


@pytest.fixture
def project(draft, applicant, colleague, manager, reviewer1, reviewer2):
    fund_application(
        application=draft,
        applicant=applicant,
        manager=manager,
        reviewers=[reviewer1, reviewer2],
        amounts=[Decimal("20000"), Decimal("15000")],
        signed_on=date(2026, 4, 1),
    )
    return draft


def sent(kind=None):
    qs = OutboxMessage.objects.filter(kind__in=["report_due_soon", "report_overdue"])
    return qs.filter(kind=kind) if kind else qs


def test_it_follows_the_schedule_day_by_day(project, applicant, colleague):
    log = []
    day = DUE - timedelta(days=40)
    while day <= DUE + timedelta(days=60):
        count = reminders_send(today=day)
        if count:
            log.append(((day - DUE).days, count))
        day += timedelta(days=1)
    # Two members each time; nothing more after the last overdue reminder.
    assert log == [(-30, 2), (-7, 2), (1, 2), (15, 2), (30, 2)]
    assert set(sent().values_list("recipient", flat=True)) == {applicant.pk, colleague.pk}
    assert sent("report_due_soon").count() == 4 and sent("report_overdue").count() == 6


def test_it_sends_each_reminder_once_even_when_run_twice(project):
    assert reminders_send(today=DUE - timedelta(days=7)) == 2
    assert reminders_send(today=DUE - timedelta(days=7)) == 0
    assert reminders_send(today=DUE - timedelta(days=5)) == 0
    assert ReportReminder.objects.count() == 1


def test_after_an_outage_it_sends_only_the_latest_reminder_due(project):
    assert reminders_send(today=DUE + timedelta(days=20)) == 2
    assert set(sent().values_list("kind", flat=True)) == {"report_overdue"}
    assert list(ReportReminder.objects.values_list("offset", flat=True)) == [15]


def test_it_stops_once_the_report_is_sent(project, applicant):
    reminders_send(today=DUE - timedelta(days=30))
    report_submit(
        task=active_task(application=project, node=ApplicationFlow.report),
        by=applicant,
        narrative="x",
        sustainability_update="",
        results={i.pk: (Decimal("40"), "") for i in project.indicators.all()},
    )
    assert reminders_send(today=DUE - timedelta(days=7)) == 0
    assert reminders_send(today=DUE + timedelta(days=1)) == 0


def test_the_beat_task_takes_the_frozen_day(project):
    assert send_report_reminders.delay((DUE - timedelta(days=30)).isoformat()).get() == 2
    assert send_report_reminders.delay((DUE - timedelta(days=30)).isoformat()).get() == 0


def test_the_reminder_says_when_the_report_is_due_in_the_recipient_language(project, applicant, settings):
    from django.core import mail

    from workflow.notifications import outbox_send

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    applicant.language = "en"
    applicant.save(update_fields=["language"])
    reminders_send(today=DUE - timedelta(days=7))
    for message in sent():
        outbox_send(message_pk=message.pk)
    english = next(m for m in mail.outbox if m.to == [applicant.email])
    assert "Report due soon" in english.subject
    assert "April 1, 2027" in english.body and f"/funders/projects/{project.pk}/" in english.body
    french = next(m for m in mail.outbox if m.to != [applicant.email])
    assert "1 avril 2027" in french.body


@pytest.mark.parametrize(
    "days, expected", [(-31, None), (-30, -30), (-8, -30), (-7, -7), (0, -7), (1, 1), (14, 1), (15, 15), (99, 30)]
)
def test_due_offset(days, expected):
    assert due_offset(due_on=DUE, today=DUE + timedelta(days=days)) == expected
