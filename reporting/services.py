"""Writes of the reporting app: the follow-up steps (agreement, reports) and accountability exports.

An export row is written in the caller's transaction; the PDF is rendered by
the Celery task `reporting.tasks.render_export`, queued after commit. When the
broker is down the row stays PENDING and `resume_pending_exports` (Celery beat)
queues it again, so a request is never lost and never fails because of Redis.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone, translation
from django.utils.text import slugify

from accounts.models import User
from fonds.models import Fund

from .models import AccountabilityExport, AgreementYear, PaymentTranche, Report, TargetChange

log = logging.getLogger(__name__)

FILENAME_PREFIX = {"fr": "reddition-de-comptes", "en": "accountability"}
# A pending export older than this was probably not queued (broker outage): queue it again.
RESUME_AFTER = timedelta(minutes=1)
# A render started longer ago than this died with its worker: it may be started again.
STALE_RENDER = timedelta(minutes=15)


def export_language(language: str | None) -> str:
    """One of settings.LANGUAGES for a request language such as "fr-ca"; the default language otherwise."""
    try:
        return translation.get_supported_language_variant(language or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def export_filename(export: AccountabilityExport) -> str:
    """reddition-de-comptes-<scope>-<date>.pdf in French, accountability-<scope>-<date>.pdf in English.

    The scope is the fund's name, followed by the year for a fund-year, or the project's title for a project.
    """
    prefix = FILENAME_PREFIX.get(export.language[:2], FILENAME_PREFIX["en"])
    day = timezone.localdate(export.finished_at or export.created_at).isoformat()
    scope = slugify(export.fund.name)[:60] or str(export.fund_id)
    if export.kind == AccountabilityExport.Kind.FUND_YEAR:
        scope = f"{scope}-{export.year}"
    elif export.kind == AccountabilityExport.Kind.PROJECT and export.application_id:
        scope = slugify(export.application.title)[:60] or f"project-{export.application_id}"
    return f"{prefix}-{scope}-{day}.pdf"


def export_data_stamp(*, fund: Fund, kind: str = "fund", year: int | None = None, application=None) -> str:
    """A fingerprint of the data an export shows: equal stamps mean the PDF would say the same thing."""
    if kind == AccountabilityExport.Kind.PROJECT and application is not None:
        scope = Q(agreement__application=application)
    else:
        scope = Q(agreement__application__call__fund=fund)
    facts = [
        AgreementYear.objects.filter(scope).aggregate(n=Count("pk"), total=Sum("amount"), due=Max("report_due_on")),
        Report.objects.filter(scope).aggregate(
            n=Count("pk"), submitted=Max("submitted_at"), approved=Max("approved_at"), reviewed=Max("reviews__at")
        ),
        PaymentTranche.objects.filter(scope).aggregate(n=Count("pk"), released=Max("released_at")),
        TargetChange.objects.filter(
            Q(indicator__application=application)
            if kind == AccountabilityExport.Kind.PROJECT
            else Q(indicator__application__call__fund=fund)
        ).aggregate(n=Count("pk"), decided=Max("decided_at")),
        {"kind": kind, "year": year},
    ]
    return hashlib.sha256(repr(facts).encode()).hexdigest()[:64]


def export_request(
    *, fund: Fund, by: User, language: str, kind: str = "fund", year: int | None = None, application=None
) -> AccountabilityExport:
    """Ask for an accountability PDF: the whole `fund`, one fund-`year`, or one `application` of the fund.

    There is one export per kind, scope and language. Asking again returns it as
    it is while it is being prepared, or when it is ready and its data did not
    change since (same `export_data_stamp`); otherwise (data changed, or the last
    render failed) the same export is rendered again. The render is queued after
    commit; a broker outage leaves the export PENDING, never raises.
    """
    language = export_language(language)
    if kind != AccountabilityExport.Kind.PROJECT:
        application = None
    if kind != AccountabilityExport.Kind.FUND_YEAR:
        year = None
    stamp = export_data_stamp(fund=fund, kind=kind, year=year, application=application)
    with transaction.atomic():
        # Serialise concurrent requests for one fund so that only one export is created.
        Fund.objects.select_for_update().only("pk").get(pk=fund.pk)
        export = (
            AccountabilityExport.objects.filter(
                fund=fund, kind=kind, year=year, application=application, language=language
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if export is not None:
            if export.status == AccountabilityExport.Status.PENDING:
                return export
            if export.status == AccountabilityExport.Status.READY and export.data_stamp == stamp and export.file:
                return export
            export.status = AccountabilityExport.Status.PENDING
            export.requested_by = by
            export.created_at = timezone.now()
            export.progress = 0
            export.error = ""
            export.finished_at = None
            export.started_at = None
            export.save(
                update_fields=["status", "requested_by", "created_at", "progress", "error", "finished_at", "started_at"]
            )
        else:
            export = AccountabilityExport.objects.create(
                fund=fund, kind=kind, year=year, application=application, requested_by=by, language=language
            )
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


def _claim(export_pk: int) -> AccountabilityExport | None:
    """Mark a pending export as started (committed at once, so that its progress shows); None if taken."""
    with transaction.atomic():
        export = (
            AccountabilityExport.objects.select_for_update()
            .filter(pk=export_pk, status=AccountabilityExport.Status.PENDING)
            .first()
        )
        if export is None:
            return None
        if export.started_at and export.started_at > timezone.now() - STALE_RENDER:
            return None  # another worker is on it
        export.started_at = timezone.now()
        export.progress = 5
        export.save(update_fields=["started_at", "progress"])
    return AccountabilityExport.objects.select_related("fund__funder", "application").get(pk=export_pk)


def export_render(*, export_pk: int) -> AccountabilityExport | None:
    """Render the PDF of a pending export and store it: READY, or FAILED with the error.

    Returns None when the export is gone, no longer pending or being rendered by
    another worker, so running it twice is harmless. `progress` (0-100) is
    committed as the render goes, for the status page.
    """
    from . import pdf

    export = _claim(export_pk)
    if export is None:
        return None

    def progress(percent: int) -> None:
        AccountabilityExport.objects.filter(pk=export_pk).update(progress=percent)

    stamp = export_data_stamp(fund=export.fund, kind=export.kind, year=export.year, application=export.application)
    try:
        progress(15)
        data, pages = pdf.render_accountability_pdf(
            fund=export.fund,
            language=export.language,
            kind=export.kind,
            year=export.year,
            application=export.application,
            progress=progress,
        )
        progress(95)
        export.file.save(export_filename(export), ContentFile(data), save=False)
    except Exception as exc:
        log.exception("accountability export %s failed", export_pk)
        export.status = AccountabilityExport.Status.FAILED
        export.error = f"{type(exc).__name__}: {exc}"[:2000]
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "error", "finished_at"])
        return export
    export.status = AccountabilityExport.Status.READY
    export.error = ""
    export.progress = 100
    export.pages = pages
    export.data_stamp = stamp
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "error", "progress", "pages", "data_stamp", "finished_at"])
    return export


def exports_resume(*, older_than: timedelta = RESUME_AFTER, limit: int = 100) -> int:
    """Queue again the exports still pending after `older_than` (and not being rendered). Returns how many."""
    cutoff = timezone.now() - older_than
    pending = AccountabilityExport.objects.filter(
        Q(started_at__isnull=True) | Q(started_at__lt=timezone.now() - STALE_RENDER),
        status=AccountabilityExport.Status.PENDING,
        created_at__lt=cutoff,
    ).order_by("created_at", "pk")
    pks = list(pending.values_list("pk", flat=True)[:limit])
    return sum(export_dispatch(export_pk=pk) for pk in pks)


# --- Follow-up steps of the lifecycle: reporting.followup holds them; callers reach them here too.

from .followup import (  # noqa: E402
    AgreementInvalid,
    ReportContent,
    ReportIncomplete,
    TrancheSpec,
    agreement_create,
    report_approve,
    report_file,
    report_review,
    report_submit,
)
from .targets import TargetChangeRefused, target_change_decide, target_change_request  # noqa: E402

__all__ = [
    "AgreementInvalid",
    "ReportContent",
    "ReportIncomplete",
    "TargetChangeRefused",
    "TrancheSpec",
    "agreement_create",
    "export_request",
    "export_render",
    "exports_resume",
    "report_approve",
    "report_file",
    "report_review",
    "report_submit",
    "target_change_decide",
    "target_change_request",
]
