"""Writes of the reporting app: the follow-up steps (agreement, reports) and accountability exports.

An export row is written in the caller's transaction; the PDF is rendered by
the Celery task `reporting.tasks.render_export`, queued after commit. When the
broker is down the row stays PENDING and `resume_pending_exports` (Celery beat)
queues it again, so a request is never lost and never fails because of Redis.
"""

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from viewflow.workflow.models import Task

from accounts.models import User
from fonds.models import Fund
from forms.models import Application
from workflow.engine import task_execute
from workflow.notifications import notify
from workflow.permissions import can_execute_task
from workflow.services import application_of, members_of

from .models import AccountabilityExport, Agreement, AgreementYear, IndicatorResult, Report

log = logging.getLogger(__name__)

FILENAME_PREFIX = {"fr": "reddition-de-comptes", "en": "accountability"}
# A pending export older than this was probably not queued (broker outage): queue it again.
RESUME_AFTER = timedelta(minutes=1)


def export_language(language: str | None) -> str:
    """One of settings.LANGUAGES for a request language such as "fr-ca"; the default language otherwise."""
    try:
        return translation.get_supported_language_variant(language or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def export_filename(export: AccountabilityExport) -> str:
    """reddition-de-comptes-<fund>-<date>.pdf in French, accountability-<fund>-<date>.pdf in English."""
    prefix = FILENAME_PREFIX.get(export.language[:2], FILENAME_PREFIX["en"])
    day = timezone.localdate(export.created_at).isoformat()
    return f"{prefix}-{slugify(export.fund.name)[:60] or export.fund_id}-{day}.pdf"


def export_request(*, fund: Fund, by: User, language: str) -> AccountabilityExport:
    """Ask for the accountability PDF of `fund` in `language`.

    Returns the export the caller should follow: a pending export of the same
    fund and language is reused, so asking twice renders once. The render is
    queued after commit; a broker outage leaves the export PENDING, never raises.
    """
    language = export_language(language)
    with transaction.atomic():
        # Serialise concurrent requests for one fund so that only one export is created.
        Fund.objects.select_for_update().only("pk").get(pk=fund.pk)
        pending = (
            AccountabilityExport.objects.filter(
                fund=fund, language=language, status=AccountabilityExport.Status.PENDING
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if pending is not None:
            return pending
        export = AccountabilityExport.objects.create(fund=fund, requested_by=by, language=language)
        transaction.on_commit(lambda: export_dispatch(export_pk=export.pk))
    return export


def export_dispatch(*, export_pk: int) -> bool:
    """Queue the render of one export. Never raises: on a broker outage the export stays PENDING."""
    from .tasks import render_export

    try:
        render_export.delay(export_pk)
    except Exception as exc:  # broker outage: resume_pending_exports queues it again later
        log.warning("could not queue accountability export %s: %s", export_pk, exc)
        return False
    return True


def export_render(*, export_pk: int) -> AccountabilityExport | None:
    """Render the PDF of a pending export and store it: READY, or FAILED with the error.

    Returns None when the export is gone or no longer pending (already rendered
    by another worker, for example), so running it twice is harmless.
    """
    from .pdf import render_accountability_pdf

    with transaction.atomic():
        # The row lock makes a second worker wait, then find the export done.
        export = (
            AccountabilityExport.objects.select_for_update()
            .filter(pk=export_pk, status=AccountabilityExport.Status.PENDING)
            .first()
        )
        if export is None:
            return None
        export = AccountabilityExport.objects.select_related("fund__funder").get(pk=export.pk)
        try:
            with transaction.atomic():  # a savepoint, so a database error still lets us record the failure
                pdf = render_accountability_pdf(fund=export.fund, language=export.language)
                export.file.save(export_filename(export), ContentFile(pdf), save=False)
        except Exception as exc:
            log.exception("accountability export %s failed", export_pk)
            export.status = AccountabilityExport.Status.FAILED
            export.error = f"{type(exc).__name__}: {exc}"[:2000]
            export.finished_at = timezone.now()
            export.save(update_fields=["status", "error", "finished_at"])
            return export
        export.status = AccountabilityExport.Status.READY
        export.error = ""
        export.finished_at = timezone.now()
        export.save(update_fields=["file", "status", "error", "finished_at"])
    return export


def exports_resume(*, older_than: timedelta = RESUME_AFTER, limit: int = 100) -> int:
    """Queue again the exports still pending after `older_than`. Returns how many were queued."""
    cutoff = timezone.now() - older_than
    pending = AccountabilityExport.objects.filter(
        status=AccountabilityExport.Status.PENDING, created_at__lt=cutoff
    ).order_by("created_at", "pk")
    pks = list(pending.values_list("pk", flat=True)[:limit])
    return sum(export_dispatch(export_pk=pk) for pk in pks)


# --- Follow-up steps of the lifecycle (each completes a viewflow task) ---------


def agreement_create(
    *, task: Task, by: User, amounts: list[Decimal], signed_on: date, conditions: str = ""
) -> Agreement:
    """Turn the approved application into an agreement: one amount per funded year."""
    application = application_of(task)
    if not amounts or len(amounts) > application.call.max_years:
        raise ValueError("one amount per year, up to the call's maximum")
    created = {}

    def write():
        agreement = Agreement.objects.create(application=application, signed_on=signed_on, conditions=conditions)
        AgreementYear.objects.bulk_create(
            AgreementYear(
                agreement=agreement,
                year=i,
                amount=amount,
                report_due_on=signed_on.replace(year=signed_on.year + i),
            )
            for i, amount in enumerate(amounts, 1)
        )
        application.status = Application.Status.FUNDED
        application.save(update_fields=["status"])
        created["agreement"] = agreement

    task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=write)
    return created["agreement"]


def report_submit(
    *, task: Task, by: User, narrative: str, sustainability_update: str, results: dict[int, tuple[Decimal, str]]
) -> Report:
    """File the next yearly report: actual value of each indicator against its target."""
    application = application_of(task)
    agreement = application.agreement
    indicators = list(application.indicators.all())
    if {i.pk for i in indicators} != set(results):
        raise ValueError("every indicator needs a value")
    created = {}

    def write():
        report = Report.objects.create(
            agreement=agreement,
            year=agreement.reports.count() + 1,
            narrative=narrative,
            sustainability_update=sustainability_update,
            submitted_by=by,
        )
        IndicatorResult.objects.bulk_create(
            IndicatorResult(report=report, indicator=i, actual=results[i.pk][0], comment=results[i.pk][1])
            for i in indicators
        )
        created["report"] = report

    task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=write)
    return created["report"]


def report_approve(*, task: Task, by: User) -> Report:
    application = application_of(task)
    report = application.agreement.reports.filter(approved_at__isnull=True).order_by("year").first()
    if report is None:
        raise PermissionDenied

    def write():
        report.approved_at = timezone.now()
        report.save(update_fields=["approved_at"])
        if application.agreement.reports.count() >= application.agreement.years.count():
            application.status = Application.Status.CLOSED
            application.save(update_fields=["status"])

    with transaction.atomic():
        task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=write)
        notify(kind="report_approved", recipients=members_of(application), application=application)
    return report
