"""State changes of the application lifecycle. Each one completes a viewflow task.

Callers get `PermissionDenied` when the acting user may not execute the task,
and the domain exceptions below for business-rule refusals. Nothing is written
when an exception is raised.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from viewflow.workflow.models import Task

from accounts.models import User
from accounts.roles import ADVISOR
from fonds.models import Criterion
from forms.models import Application
from forms.services import missing_items
from reporting.models import Agreement, AgreementYear, IndicatorResult, Report
from reviewers.models import Comment, ReviewerAssignment, Score, SupportRequest

from .engine import active_task, task_execute
from .flows import ApplicationFlow
from .notifications import notify
from .permissions import can_execute_task, is_member


class DeadlinePassed(Exception):
    pass


class Incomplete(Exception):
    def __init__(self, missing: list[str]):
        super().__init__(", ".join(missing))
        self.missing = missing


class NoAdvisorAvailable(Exception):
    pass


class InvalidReviewers(Exception):
    pass


def _members(application: Application) -> list[User]:
    return list(User.objects.filter(memberships__organisation_id=application.organisation_id, is_active=True))


def _managers(application: Application) -> list[User]:
    return list(application.call.fund.managers.filter(is_active=True))


def application_submit(*, application: Application, by: User, at=None) -> Application:
    """Freeze the draft and hand it to screening. A second call is a no-op."""
    at = at or timezone.now()
    if not is_member(by, application.organisation_id):
        raise PermissionDenied
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        if application.submitted_at:
            return application
        if not application.call.accepts_submissions(at=at):
            raise DeadlinePassed(application.call)
        missing = missing_items(application)
        if missing:
            raise Incomplete(missing)
        task = active_task(application=application, node=ApplicationFlow.draft)
        if task is None:
            # The draft is with an advisor: the applicant takes it back to submit.
            advise = active_task(application=application, node=ApplicationFlow.advise)
            if advise is None:
                raise PermissionDenied
            _close_support(application)
            task_execute(task=advise, user=advise.owner, allowed=True)
            task = active_task(application=application, node=ApplicationFlow.draft)

        def freeze():
            application.status = Application.Status.SUBMITTED
            application.submitted_at = at
            application.save(update_fields=["status", "submitted_at"])

        task_execute(task=task, user=by, allowed=True, before=freeze)
        notify(kind="submitted", recipients=_members(application) + _managers(application), application=application)
    return application


def _pick_advisor(application: Application) -> User:
    """The advisor with the fewest open support requests; ties go to the oldest account."""
    group = Group.objects.filter(name=ADVISOR).first()
    if group is None:
        raise NoAdvisorAvailable
    advisor = (
        group.user_set.filter(is_active=True)
        .annotate(load=Count("support_requests", filter=Q(support_requests__closed_at__isnull=True)))
        .order_by("load", "date_joined", "pk")
        .first()
    )
    if advisor is None:
        raise NoAdvisorAvailable
    return advisor


def support_request(*, application: Application, by: User, message: str = "") -> SupportRequest:
    """Ask an advisor to comment on the draft. The draft task moves to the advisor's inbox."""
    task = active_task(application=application, node=ApplicationFlow.draft)
    if task is None or not can_execute_task(by, task):
        raise PermissionDenied
    with transaction.atomic():
        advisor = _pick_advisor(application)
        created = {}

        def create():
            created["request"] = SupportRequest.objects.create(
                application=application, requested_by=by, advisor=advisor, message=message
            )

        task_execute(task=task, user=by, allowed=True, before=create)
        notify(kind="support_requested", recipients=[advisor], application=application)
    return created["request"]


def _close_support(application: Application) -> None:
    SupportRequest.objects.filter(application=application, closed_at__isnull=True).update(closed_at=timezone.now())


def comment_add(*, application: Application, by: User, section: str, body: str) -> Comment:
    """An advisor comments a section of a draft they support."""
    task = active_task(application=application, node=ApplicationFlow.advise, owner=by)
    if task is None:
        raise PermissionDenied
    with transaction.atomic():
        comment = Comment.objects.create(application=application, author=by, section=section, body=body)
        notify(kind="comment", recipients=_members(application), application=application)
    return comment


def advice_return(*, application: Application, by: User) -> None:
    """The advisor hands the draft back to the applicant."""
    task = active_task(application=application, node=ApplicationFlow.advise)
    if task is None:
        raise PermissionDenied
    task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=lambda: _close_support(application))


def _application_of(task: Task) -> Application:
    return task.process.coerced.application


def screening_record(*, task: Task, by: User, eligible: bool, notes: str) -> Application:
    application = _application_of(task)

    def write():
        application.eligible = eligible
        application.screening_notes = notes
        application.status = Application.Status.IN_REVIEW if eligible else Application.Status.INELIGIBLE
        application.save(update_fields=["eligible", "screening_notes", "status"])

    with transaction.atomic():
        task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=write)
        if not eligible:
            notify(kind="decision", recipients=_members(application), application=application)
    return application


def reviewers_assign(*, task: Task, by: User, reviewers: list[User]) -> list[ReviewerAssignment]:
    """Assign the committee members who score the application (one score task each)."""
    application = _application_of(task)
    call = application.call
    needed = max(2, call.reviewers_per_application)
    committee = set(call.committee.values_list("pk", flat=True))
    if len({r.pk for r in reviewers}) < needed:
        raise InvalidReviewers(needed)
    if any(r.pk not in committee for r in reviewers):
        raise InvalidReviewers(needed)
    created = []

    def write():
        for reviewer in reviewers:
            created.append(ReviewerAssignment.objects.create(application=application, reviewer=reviewer))

    task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=write)
    return created


def score_submit(*, task: Task, by: User, values: dict[int, tuple[int, str]]) -> ReviewerAssignment:
    """Save a reviewer's score (0–5) for every criterion of the call and close their task."""
    assignment = ReviewerAssignment.objects.select_related("application__call").get(pk=task.data["assignment"])
    criteria = list(Criterion.objects.filter(call=assignment.application.call))
    if {c.pk for c in criteria} != set(values):
        raise ValueError("every criterion must be scored")
    if any(not 0 <= v <= 5 for v, _ in values.values()):
        raise ValueError("scores are between 0 and 5")

    def write():
        for criterion in criteria:
            value, comment = values[criterion.pk]
            Score.objects.update_or_create(
                assignment=assignment, criterion=criterion, defaults={"value": value, "comment": comment}
            )
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["submitted_at"])

    task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=write)
    return assignment


DECISIONS = {
    "approved": Application.Status.APPROVED,
    "waitlisted": Application.Status.WAITLISTED,
    "declined": Application.Status.DECLINED,
}


def decision_record(*, task: Task, by: User, decision: str, reasons: str) -> Application:
    application = _application_of(task)
    if decision not in DECISIONS:
        raise ValueError(decision)

    def write():
        application.status = DECISIONS[decision]
        application.decision_reasons = reasons
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decision_reasons", "decided_at"])

    with transaction.atomic():
        task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=write)
        notify(kind="decision", recipients=_members(application), application=application)
    return application


def agreement_create(
    *, task: Task, by: User, amounts: list[Decimal], signed_on: date, conditions: str = ""
) -> Agreement:
    """Turn the approved application into an agreement: one amount per funded year."""
    application = _application_of(task)
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
    application = _application_of(task)
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
    application = _application_of(task)
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
        notify(kind="report_approved", recipients=_members(application), application=application)
    return report
