"""The follow-up steps of the lifecycle: agreement, yearly and final reports, their review, tranches.

Each function completes a viewflow task through `workflow.engine.task_execute`
(Guichet's permission predicates are checked there) and writes its rows in the
same transaction as the transition. Nothing is written when an exception is raised.

Co-funded projects (applications linked by `Application.lead`) report once: when a
report is filed on one agreement of the group, the open report task of every other
agreement of the group for the same year is completed with a copy of it (a Report
row per agreement, `source` pointing to the report written). Each fund's manager
still reviews the copy of their own agreement, which releases their own tranches.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from viewflow.workflow.models import Task

from accounts.models import User
from forms.models import Application
from workflow.engine import active_task, task_execute
from workflow.flows import ApplicationFlow
from workflow.notifications import notify
from workflow.permissions import can_execute_task
from workflow.services import application_of, managers_of, members_of

from .attachments import validate_attachment
from .indicators import is_off_target, targets_of, yearly_target
from .models import (
    Agreement,
    AgreementYear,
    IndicatorResult,
    PaymentTranche,
    Report,
    ReportAttachment,
    ReportReview,
    SpendingLine,
)

PROJECT_LINE = "project"


class AgreementInvalid(ValueError):
    """The agreement's figures do not hold together; the message says why (for logs, not for people)."""


class ReportIncomplete(ValueError):
    """A report misses what `report_file` requires: `comments` (indicator pks) and/or the final `lessons`."""

    def __init__(self, *, comments: list[int], lessons: bool):
        super().__init__(f"comments missing for {comments}, lessons missing: {lessons}")
        self.comments = comments
        self.lessons = lessons


def add_years(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class TrancheSpec:
    amount: Decimal
    planned_on: date
    after_report_year: int | None  # None: released at signature


def default_tranches(*, amounts: list[Decimal], signed_on: date) -> list[TrancheSpec]:
    """Each year's amount at the start of the year: year 1 at signature, year n once report n-1 is approved."""
    return [
        TrancheSpec(amount=amount, planned_on=add_years(signed_on, i), after_report_year=i or None)
        for i, amount in enumerate(amounts)
        if amount > 0
    ]


def _check_agreement(application, amounts, tranches, due_dates, signed_on) -> None:
    years = len(amounts)
    if not amounts or years > application.call.max_years:
        raise AgreementInvalid("one amount per year, up to the call's maximum")
    if any(a < 0 for a in amounts) or sum(amounts) <= 0:
        raise AgreementInvalid("amounts must be positive")
    if sum(t.amount for t in tranches) != sum(amounts):
        raise AgreementInvalid("the tranches must add up to the agreement's total")
    if any(t.amount <= 0 for t in tranches):
        raise AgreementInvalid("every tranche needs an amount")
    if any(t.after_report_year is not None and not 1 <= t.after_report_year <= years for t in tranches):
        raise AgreementInvalid("a tranche depends on the report of a funded year")
    if len(due_dates) != years or any(d <= signed_on for d in due_dates):
        raise AgreementInvalid("one report due date per year, after the signature")
    if any(b <= a for a, b in zip(due_dates, due_dates[1:], strict=False)):
        raise AgreementInvalid("report due dates must follow each other")


def agreement_create(
    *,
    task: Task,
    by: User,
    amounts: list[Decimal],
    signed_on: date,
    conditions: str = "",
    tranches: list[TrancheSpec] | None = None,
    due_dates: list[date] | None = None,
) -> Agreement:
    """Turn the approved application into an agreement and start its first report.

    One amount per funded year (up to the call's maximum). `tranches` default to
    `default_tranches`; they must add up to the total. `due_dates` (one per year)
    default to each anniversary of the signature. Tranches with no report to wait
    for are released at once. Raises AgreementInvalid, PermissionDenied.
    """
    application = application_of(task)
    amounts = list(amounts)
    tranches = list(tranches) if tranches else default_tranches(amounts=amounts, signed_on=signed_on)
    due_dates = list(due_dates) if due_dates else [add_years(signed_on, i) for i in range(1, len(amounts) + 1)]
    _check_agreement(application, amounts, tranches, due_dates, signed_on)
    created = {}

    def write():
        now = timezone.now()
        agreement = Agreement.objects.create(application=application, signed_on=signed_on, conditions=conditions)
        AgreementYear.objects.bulk_create(
            AgreementYear(
                agreement=agreement,
                year=i,
                amount=amount,
                starts_on=add_years(signed_on, i - 1),
                report_due_on=due_dates[i - 1],
            )
            for i, amount in enumerate(amounts, 1)
        )
        PaymentTranche.objects.bulk_create(
            PaymentTranche(
                agreement=agreement,
                position=n,
                amount=t.amount,
                planned_on=t.planned_on,
                after_report_year=t.after_report_year,
                released_at=now if t.after_report_year is None else None,
            )
            for n, t in enumerate(sorted(tranches, key=lambda t: (t.after_report_year or 0, t.planned_on)), 1)
        )
        application.status = Application.Status.FUNDED
        application.save(update_fields=["status"])
        created["agreement"] = agreement

    task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=write)
    return created["agreement"]


# --- what a report asks ------------------------------------------------------------------------


def current_year(agreement: Agreement) -> int:
    """The funded year whose report is expected now: the first one not approved yet."""
    approved = set(agreement.reports.filter(status=Report.Status.APPROVED).values_list("year", flat=True))
    return next((y for y in range(1, agreement.years.count() + 1) if y not in approved), agreement.years.count())


@dataclass(frozen=True)
class PlanLine:
    key: str
    label: str
    planned: Decimal
    budget_line_id: int | None


def spending_plan(agreement: Agreement, year: int) -> list[PlanLine]:
    """The budget lines of `year` to report spending on; one "Project" line with the year's amount when none."""
    lines = list(agreement.application.budget_lines.filter(year=year).order_by("position", "pk"))
    if lines:
        return [PlanLine(f"line-{b.pk}", b.label, b.amount, b.pk) for b in lines]
    funded = agreement.years.filter(year=year).first()
    return [PlanLine(PROJECT_LINE, "", funded.amount if funded else Decimal("0"), None)]


@dataclass
class ReportContent:
    """What the applicant writes. `results`: {indicator pk: (actual, comment)}; `spending`: {plan key: spent}."""

    narrative: str
    results: dict[int, tuple[Decimal, str]]
    sustainability_update: str = ""
    lessons: str = ""
    spending: dict[str, Decimal | None] = field(default_factory=dict)
    attachments: list = field(default_factory=list)
    remove_attachments: list[int] = field(default_factory=list)


def report_file(*, task: Task, by: User, content: ReportContent) -> Report:
    """File the report of the current funded year (the final report for the last year).

    Requires a value for every indicator, a comment on each off-target one (see
    reporting.indicators), and the results and lessons learnt for a final report:
    raises ReportIncomplete otherwise, ValidationError for a refused attachment,
    ValueError when the indicators changed meanwhile. A report sent back is
    replaced in place. The other agreements of a co-funded group get a copy.
    """
    return _file(task=task, by=by, content=content, strict=True)


def report_submit(
    *,
    task: Task,
    by: User,
    narrative: str,
    sustainability_update: str,
    results: dict[int, tuple[Decimal, str]],
    **extra,
) -> Report:
    """Record a report as given (imports, demo data, fixtures): like `report_file`, without the comment rules."""
    content = ReportContent(narrative=narrative, sustainability_update=sustainability_update, results=results, **extra)
    return _file(task=task, by=by, content=content, strict=False)


def _validate(agreement: Agreement, year: int, content: ReportContent, strict: bool) -> list[IndicatorResult]:
    indicators = list(agreement.application.indicators.all())
    if {i.pk for i in indicators} != set(content.results):
        raise ValueError("every indicator needs a value")
    targets = targets_of(indicators)
    results = []
    for indicator in indicators:
        actual, comment = content.results[indicator.pk]
        target = yearly_target(indicator, year, targets)
        off = is_off_target(actual=actual, target=target, baseline=indicator.baseline)
        results.append(
            IndicatorResult(indicator=indicator, actual=actual, target=target, off_target=off, comment=comment.strip())
        )
    is_final = year == agreement.years.count()
    if strict:
        missing = [r.indicator.pk for r in results if r.off_target and not r.comment]
        lessons_missing = is_final and not content.lessons.strip()
        if missing or lessons_missing:
            raise ReportIncomplete(comments=missing, lessons=lessons_missing)
    for upload in content.attachments:
        upload.content_type_checked = validate_attachment(upload)
    return results


def _write_report(*, agreement, year, by, content, results, source=None) -> Report:
    report, _ = Report.objects.update_or_create(
        agreement=agreement,
        year=year,
        defaults={
            "is_final": year == agreement.years.count(),
            "status": Report.Status.SUBMITTED,
            "narrative": content.narrative,
            "sustainability_update": content.sustainability_update,
            "lessons": content.lessons,
            "submitted_by": by,
            "submitted_at": timezone.now(),
            "approved_at": None,
            "source": source,
        },
    )
    report.results.all().delete()
    for result in results:
        result.report = report
    IndicatorResult.objects.bulk_create(results)
    report.spending.all().delete()
    plan = spending_plan(agreement, year)
    SpendingLine.objects.bulk_create(
        SpendingLine(
            report=report,
            budget_line_id=line.budget_line_id,
            label=line.label,
            planned=line.planned,
            spent=content.spending.get(line.key),
            position=n,
        )
        for n, line in enumerate(plan)
    )
    if content.remove_attachments:
        report.attachments.filter(pk__in=content.remove_attachments).delete()
    for upload in content.attachments:
        ReportAttachment.objects.create(
            report=report,
            file=upload,
            name=upload.name[:200],
            content_type=getattr(upload, "content_type_checked", "") or validate_attachment(upload),
            size=upload.size,
            uploaded_by=by,
        )
    return report


def _file(*, task: Task, by: User, content: ReportContent, strict: bool) -> Report:
    application = application_of(task)
    agreement = getattr(application, "agreement", None)
    if agreement is None:
        raise PermissionDenied
    with transaction.atomic():
        year = current_year(agreement)
        results = _validate(agreement, year, content, strict)
        created = {}

        def write():
            created["report"] = _write_report(agreement=agreement, year=year, by=by, content=content, results=results)

        task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=write)
        report = created["report"]
        notify(kind="report_submitted", recipients=managers_of(application), application=application)
        for sibling in cofunded_agreements(application):
            _copy_to(sibling, report=report, by=by)
    return report


# --- co-funding ---------------------------------------------------------------------------------


def cofunded_agreements(application: Application) -> list[Agreement]:
    """The agreements of the other applications of `application`'s co-funding group (lead and copies)."""
    root = application.lead_id or application.pk
    return list(
        Agreement.objects.filter(Q(application_id=root) | Q(application__lead_id=root))
        .exclude(application_id=application.pk)
        .select_related("application__call__fund")
        .order_by("pk")
    )


def _copy_to(agreement: Agreement, *, report: Report, by: User) -> Report | None:
    """File `report` on another agreement of the group when its report task for that year is open."""
    application = agreement.application
    task = active_task(application=application, node=ApplicationFlow.report)
    if task is None or current_year(agreement) != report.year or not can_execute_task(by, task):
        return None
    by_name = {r.indicator.name: r for r in report.results.select_related("indicator")}
    indicators = list(application.indicators.all())
    if any(i.name not in by_name for i in indicators):
        return None  # the copy's indicators differ: its own report page stays open, prefilled
    targets = targets_of(indicators)
    results = []
    for indicator in indicators:
        source = by_name[indicator.name]
        target = yearly_target(indicator, report.year, targets)
        off = is_off_target(actual=source.actual, target=target, baseline=indicator.baseline)
        results.append(
            IndicatorResult(
                indicator=indicator, actual=source.actual, target=target, off_target=off, comment=source.comment
            )
        )
    spent = {s.label: s.spent for s in report.spending.all()}
    plan = spending_plan(agreement, report.year)
    if len(plan) == 1 and plan[0].key == PROJECT_LINE:
        known = [v for v in spent.values() if v is not None]
        spending = {PROJECT_LINE: sum(known, Decimal("0")) if known else None}
    else:
        spending = {line.key: spent.get(line.label) for line in plan}
    content = ReportContent(
        narrative=report.narrative,
        sustainability_update=report.sustainability_update,
        lessons=report.lessons,
        results={},
        spending=spending,
    )
    created = {}

    def write():
        copy = _write_report(
            agreement=agreement, year=report.year, by=by, content=content, results=results, source=report
        )
        ReportAttachment.objects.bulk_create(
            ReportAttachment(
                report=copy,
                file=a.file.name,
                name=a.name,
                content_type=a.content_type,
                size=a.size,
                uploaded_by=a.uploaded_by,
                uploaded_at=a.uploaded_at,
            )
            for a in report.attachments.all()
        )
        created["report"] = copy

    task_execute(task=task, user=by, allowed=True, before=write)
    notify(kind="report_submitted", recipients=managers_of(application), application=application)
    return created["report"]


# --- review -------------------------------------------------------------------------------------


def pending_report(agreement: Agreement) -> Report | None:
    return agreement.reports.filter(status=Report.Status.SUBMITTED).order_by("year").first()


def report_review(*, task: Task, by: User, approve: bool, comments: str = "") -> Report:
    """Approve the pending report (releasing the tranches that wait for it), or send it back with comments.

    Sending back needs comments (ValueError otherwise): the applicant gets a new
    report task for the same year, prefilled with what they sent. Approving the
    last year's report closes the project. Raises PermissionDenied when no report waits.
    """
    application = application_of(task)
    agreement = getattr(application, "agreement", None)
    report = pending_report(agreement) if agreement else None
    if report is None:
        raise PermissionDenied
    comments = comments.strip()
    if not approve and not comments:
        raise ValueError("sending a report back needs comments")

    def write():
        now = timezone.now()
        ReportReview.objects.create(
            report=report,
            decision=ReportReview.Decision.APPROVED if approve else ReportReview.Decision.SENT_BACK,
            comments=comments,
            by=by,
            at=now,
        )
        if not approve:
            report.status = Report.Status.SENT_BACK
            report.save(update_fields=["status"])
            return
        report.status = Report.Status.APPROVED
        report.approved_at = now
        report.save(update_fields=["status", "approved_at"])
        agreement.tranches.filter(after_report_year=report.year, released_at__isnull=True).update(
            released_at=now, released_with=report
        )
        if agreement.reports.filter(status=Report.Status.APPROVED).count() >= agreement.years.count():
            application.status = Application.Status.CLOSED
            application.save(update_fields=["status"])

    with transaction.atomic():
        task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=write)
        kind = "report_approved" if approve else "report_sent_back"
        notify(kind=kind, recipients=members_of(application), application=application)
    return report


def report_approve(*, task: Task, by: User) -> Report:
    """Approve the pending report (see `report_review`)."""
    return report_review(task=task, by=by, approve=True)


def report_prefill(agreement: Agreement) -> dict:
    """What the report form starts from, so that nothing is asked twice.

    A report sent back (or already filed on a co-funded sibling for this year) comes
    back as it was; otherwise the pérennité update starts from the previous report's
    (or the application's plan) and the indicators are blank.
    """
    year = current_year(agreement)
    earlier = agreement.reports.filter(year=year).first()
    if earlier is None:
        siblings = [a.pk for a in cofunded_agreements(agreement.application)]
        earlier = (
            Report.objects.filter(agreement_id__in=siblings, year=year).order_by("-submitted_at").first()
            if siblings
            else None
        )
    if earlier is not None:
        by_name = {r.indicator.name: r for r in earlier.results.select_related("indicator")}
        spent = {s.label: s.spent for s in earlier.spending.all()}
        initial = {
            "narrative": earlier.narrative,
            "sustainability_update": earlier.sustainability_update,
            "lessons": earlier.lessons,
        }
        for indicator in agreement.application.indicators.all():
            if indicator.name in by_name:
                initial[f"actual_{indicator.pk}"] = by_name[indicator.name].actual
                initial[f"comment_{indicator.pk}"] = by_name[indicator.name].comment
        for line in spending_plan(agreement, year):
            if line.label in spent:
                initial[f"spent_{line.key}"] = spent[line.label]
        return initial
    previous = agreement.reports.filter(year__lt=year).order_by("-year").first()
    update = previous.sustainability_update if previous and previous.sustainability_update else None
    return {"sustainability_update": update or agreement.application.sustainability_plan}
