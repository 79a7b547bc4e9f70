"""Report reminders, sent by the daily Celery beat task `reporting.tasks.send_report_reminders`.

Schedule (days from a funded year's report due date): 30 and 7 days before,
then 1, 15 and 30 days after while the report is missing. Each reminder goes
once: a ReportReminder row is written with the e-mail, in one transaction, and
a unique constraint stops a second run (or a second worker) from sending it
again. When the task did not run for a while, only the latest reminder that
fell due is sent; the ones it skipped are not sent late.

A report counts as received once it is sent (waiting for review or approved);
one sent back is missing again. A co-funded group (Application.lead) reports
once, so its members get one reminder per year, not one per agreement.
"""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from forms.models import Application
from workflow.notifications import notify
from workflow.services import members_of

from .models import AgreementYear, Report, ReportReminder

BEFORE = (-30, -7)
AFTER = (1, 15, 30)
SCHEDULE = BEFORE + AFTER


def due_offset(*, due_on: date, today: date) -> int | None:
    """The latest scheduled offset that has come by `today`, or None when none has yet."""
    passed = [offset for offset in SCHEDULE if due_on + timedelta(days=offset) <= today]
    return passed[-1] if passed else None


def _waiting_years(today: date):
    """Funded years of projects still followed up whose report is missing and whose first reminder has come."""
    received = Report.objects.filter(agreement_id=OuterRef("agreement_id"), year=OuterRef("year")).exclude(
        status=Report.Status.SENT_BACK
    )
    return (
        AgreementYear.objects.filter(
            agreement__application__status=Application.Status.FUNDED,
            report_due_on__lte=today - timedelta(days=SCHEDULE[0]),
        )
        .exclude(Exists(received))
        .select_related("agreement__application")
        .order_by("report_due_on", "pk")
    )


def reminders_send(*, today: date | None = None) -> int:
    """Send the reminders due on `today` (the local date by default). Returns how many e-mails were queued."""
    today = today or timezone.localdate()
    sent = 0
    groups_done: set[tuple[int, int, int]] = set()
    for funded_year in _waiting_years(today):
        offset = due_offset(due_on=funded_year.report_due_on, today=today)
        if offset is None:
            continue
        application = funded_year.agreement.application
        group = (application.lead_id or application.pk, funded_year.year, offset)
        try:
            with transaction.atomic():
                ReportReminder.objects.create(agreement_year=funded_year, offset=offset, sent_on=today)
                if group in groups_done:
                    continue  # a sibling agreement of the same co-funded group already reminded them
                kind = "report_due_soon" if offset < 0 else "report_overdue"
                sent += len(notify(kind=kind, recipients=members_of(application), application=application))
                groups_done.add(group)
        except IntegrityError:
            groups_done.add(group)  # already sent, by an earlier run
    return sent
