"""State changes of the advisor's and the committee's steps. Each one completes a viewflow task."""

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
from workflow.engine import active_task, task_execute
from workflow.flows import ApplicationFlow
from workflow.notifications import notify
from workflow.permissions import can_execute_task
from workflow.services import InvalidReviewers, NoAdvisorAvailable, application_of, members_of

from .models import Comment, ReviewerAssignment, Score, SupportRequest


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


def close_support(application: Application) -> None:
    SupportRequest.objects.filter(application=application, closed_at__isnull=True).update(closed_at=timezone.now())


def comment_add(*, application: Application, by: User, section: str, body: str) -> Comment:
    """An advisor comments a section of a draft they support."""
    task = active_task(application=application, node=ApplicationFlow.advise, owner=by)
    if task is None:
        raise PermissionDenied
    with transaction.atomic():
        comment = Comment.objects.create(application=application, author=by, section=section, body=body)
        notify(kind="comment", recipients=members_of(application), application=application)
    return comment


def advice_return(*, application: Application, by: User) -> None:
    """The advisor hands the draft back to the applicant."""
    task = active_task(application=application, node=ApplicationFlow.advise)
    if task is None:
        raise PermissionDenied
    task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=lambda: close_support(application))


def reviewers_assign(*, task: Task, by: User, reviewers: list[User]) -> list[ReviewerAssignment]:
    """Assign the committee members who score the application (one score task each)."""
    application = application_of(task)
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
    application = application_of(task)
    if decision not in DECISIONS:
        raise ValueError(decision)

    def write():
        application.status = DECISIONS[decision]
        application.decision_reasons = reasons
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decision_reasons", "decided_at"])

    with transaction.atomic():
        task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=write)
        notify(kind="decision", recipients=members_of(application), application=application)
    return application
