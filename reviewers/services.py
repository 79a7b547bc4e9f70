"""State changes of the committee's steps (and, re-exported from reviewers/advisors.py, the advisors').

Callers get `PermissionDenied` when the acting user may not do it, and the domain
exceptions below for business-rule refusals; nothing is written when one is raised.
Steps of the flow complete their viewflow task through `workflow.engine.task_execute`.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from viewflow.workflow.models import Task

from accounts.models import Organisation, User
from fonds.models import Call, Criterion
from forms.models import Application
from workflow.engine import active_task, task_execute
from workflow.flows import ApplicationFlow
from workflow.notifications import notify
from workflow.permissions import can_execute_task
from workflow.services import InvalidReviewers, application_of, members_of

# The advisors' side lives in reviewers/advisors.py; re-exported for the lifecycle's callers.
from .advisors import (  # noqa: F401
    advice_return,
    advisor_loads,
    advisor_pick,
    advisor_rule_save,
    close_support,
    comment_add,
    comment_resolve,
    comments_mark_seen,
    support_reassign,
    support_request,
)
from .assignment import balanced_assignment
from .models import (
    Conflict,
    ConflictDeclaration,
    DecisionYear,
    ReviewerAssignment,
    Score,
    SimulatedAmount,
)
from .permissions import (
    can_simulate,
    is_committee_member,
    is_conflicted,
)
from .selectors import committee_settings


class ConflictAfterScoring(Exception):
    """A conflict cannot be declared on an application the member already scored (the fund manager handles it)."""


class NoReplacement(Exception):
    """No other committee member can take over an assignment the member is now conflicted on."""


class IncompleteScores(Exception):
    def __init__(self, missing: list[int], comments: list[int]):
        super().__init__("incomplete scores")
        self.missing = missing  # criterion pks without a score
        self.comments = comments  # criterion pks whose low score needs a comment


# --- committee ------------------------------------------------------------------------------


def conflicts_declare(
    *, call: Call, member: User, conflicts: list[tuple[Organisation, str]] = ()
) -> ConflictDeclaration:
    """Record a member's declaration for the call (an empty list declares no conflict).

    A declaration can be completed later with more conflicts, never withdrawn. An open
    assignment on a newly conflicted organisation moves to the least-loaded eligible member
    (their score task with it). Raises ConflictAfterScoring when the member already submitted
    scores for that organisation, NoReplacement when nobody can take over.
    """
    if not is_committee_member(member, call):
        raise PermissionDenied
    with transaction.atomic():
        declaration, _ = ConflictDeclaration.objects.get_or_create(call=call, member=member)
        for organisation, reason in conflicts:
            if Conflict.objects.filter(call=call, member=member, organisation=organisation).exists():
                continue
            assignments = ReviewerAssignment.objects.filter(
                application__call=call, application__organisation=organisation, reviewer=member
            ).select_related("application")
            if any(a.submitted_at for a in assignments):
                raise ConflictAfterScoring(organisation)
            Conflict.objects.create(call=call, member=member, organisation=organisation, reason=reason.strip())
            for assignment in assignments:
                _replace_reviewer(assignment)
    return declaration


def _replace_reviewer(assignment: ReviewerAssignment) -> None:
    application = assignment.application
    taken = set(application.reviewer_assignments.values_list("reviewer_id", flat=True))
    candidates = [m for m in eligible_members(application=application) if m.pk not in taken]
    if not candidates:
        raise NoReplacement(application)
    loads = call_loads(call=application.call)
    replacement = min(candidates, key=lambda m: (loads.get(m.pk, 0), m.pk))
    task = active_task(application=application, node=ApplicationFlow.score, owner=assignment.reviewer)
    assignment.scores.all().delete()
    assignment.reviewer = replacement
    assignment.save(update_fields=["reviewer"])
    if task is not None:
        with task.flow_task.flow_class.lock(task.process_id):
            task = Task.objects.select_for_update().get(pk=task.pk)
            task.data = {**(task.data or {}), "reviewer": replacement.pk}
            task.save(update_fields=["data"])
            task.flow_task.activation_class(task).reassign(replacement)


def eligible_members(*, application: Application) -> list[User]:
    """Active committee members of the call without a conflict with the application's organisation."""
    conflicted = Conflict.objects.filter(call_id=application.call_id, organisation_id=application.organisation_id)
    return list(
        application.call.committee.filter(is_active=True)
        .exclude(pk__in=conflicted.values("member_id"))
        .order_by("full_name", "email", "pk")
    )


def call_loads(*, call: Call) -> dict[int, int]:
    """{member pk: applications of the call assigned to them}."""
    return dict(
        ReviewerAssignment.objects.filter(application__call=call)
        .values("reviewer")
        .annotate(n=Count("pk"))
        .values_list("reviewer", "n")
    )


def reviewers_needed(call: Call, eligible: int) -> int:
    return max(1, min(call.reviewers_per_application, eligible))


def reviewers_proposal(*, application: Application) -> list[User]:
    """The automatic choice: N eligible members, balancing the loads of the call's committee."""
    members = eligible_members(application=application)
    by_pk = {m.pk: m for m in members}
    chosen = balanced_assignment(
        applications=[application.pk],
        members=list(by_pk),
        n=application.call.reviewers_per_application,
        current_load=call_loads(call=application.call),
    )[application.pk]
    return [by_pk[pk] for pk in chosen]


def reviewers_assign(*, task: Task, by: User, reviewers: list[User]) -> list[ReviewerAssignment]:
    """Assign the committee members who score the application (one score task each).

    Every reviewer must be a member of the call's committee without a conflict with the
    organisation; at least N of them (N set per call, fewer only when fewer are eligible).
    """
    application = application_of(task)
    eligible = {m.pk for m in eligible_members(application=application)}
    needed = reviewers_needed(application.call, len(eligible))
    chosen = {r.pk for r in reviewers}
    if len(chosen) < needed or not chosen <= eligible:
        raise InvalidReviewers(needed)
    created = []

    def write():
        for reviewer in {r.pk: r for r in reviewers}.values():
            created.append(ReviewerAssignment.objects.create(application=application, reviewer=reviewer))

    task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=write)
    return created


def score_save(*, task: Task, by: User, values: dict[int, tuple[int | None, str]], submit: bool) -> ReviewerAssignment:
    """Save a reviewer's scores: as a draft (task stays open) or submitted (task completes).

    `values` maps criterion pk to (score 0–5 or None, comment). On submit every criterion
    needs a score, and a comment when the score is at or under the call's threshold
    (IncompleteScores says which). A conflicted reviewer is refused (PermissionDenied); the
    pages also make a member declare their conflicts before anything of the call is shown.
    """
    if not can_execute_task(by, task):
        raise PermissionDenied
    assignment = ReviewerAssignment.objects.select_related("application__call").get(pk=task.data["assignment"])
    application = assignment.application
    if is_conflicted(by, application) or assignment.reviewer_id != by.pk:
        raise PermissionDenied
    criteria = list(Criterion.objects.filter(call=application.call))
    values = {c.pk: values.get(c.pk, (None, "")) for c in criteria}
    if any(v is not None and not 0 <= v <= 5 for v, _c in values.values()):
        raise ValueError("scores are between 0 and 5")
    if submit:
        threshold = committee_settings(application.call).comment_threshold
        missing = [pk for pk, (v, _c) in values.items() if v is None]
        need_comment = [
            pk
            for pk, (v, c) in values.items()
            if threshold is not None and v is not None and v <= threshold and not c.strip()
        ]
        if missing or need_comment:
            raise IncompleteScores(missing, need_comment)

    def write():
        for criterion in criteria:
            value, comment = values[criterion.pk]
            Score.objects.update_or_create(
                assignment=assignment, criterion=criterion, defaults={"value": value, "comment": comment.strip()}
            )
        if submit:
            assignment.submitted_at = timezone.now()
            assignment.save(update_fields=["submitted_at"])

    if submit:
        task_execute(task=task, user=by, allowed=True, before=write)
    else:
        with transaction.atomic():
            write()
    return assignment


def score_submit(*, task: Task, by: User, values: dict[int, tuple[int, str]]) -> ReviewerAssignment:
    """Submit a reviewer's scores and close their task (see score_save)."""
    try:
        return score_save(task=task, by=by, values=values, submit=True)
    except IncompleteScores as exc:
        raise ValueError("every criterion must be scored, low scores with a comment") from exc


def simulation_set(*, application: Application, by: User, amount: Decimal | None) -> SimulatedAmount | None:
    """Adjust the committee's working amount for an application (None goes back to the amount asked)."""
    if not can_simulate(by, application.call) or is_conflicted(by, application):
        raise PermissionDenied
    if amount is None:
        SimulatedAmount.objects.filter(application=application).delete()
        return None
    if amount < 0:
        raise ValueError("amount")
    simulated, _ = SimulatedAmount.objects.update_or_create(
        application=application, defaults={"amount": amount, "updated_by": by, "updated_at": timezone.now()}
    )
    return simulated


DECISIONS = {
    "approved": Application.Status.APPROVED,
    "waitlisted": Application.Status.WAITLISTED,
    "declined": Application.Status.DECLINED,
}


def decision_record(
    *, task: Task, by: User, decision: str, reasons: str, amounts: list[Decimal] | None = None
) -> Application:
    """Record the committee's decision (the chair, or a manager of the fund) and notify the applicant.

    An approval keeps an amount per year: `amounts` when given, else the amounts asked.
    The applicant's team gets the decision and its reasons in their own language.
    """
    application = application_of(task)
    if decision not in DECISIONS:
        raise ValueError(decision)
    if amounts is not None and any(a is None or a < 0 for a in amounts):
        raise ValueError("amounts")

    def write():
        application.status = DECISIONS[decision]
        application.decision_reasons = reasons
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decision_reasons", "decided_at"])
        DecisionYear.objects.filter(application=application).delete()
        if decision == "approved":
            years = amounts if amounts is not None else [y.amount for y in application.years.all()]
            DecisionYear.objects.bulk_create(
                DecisionYear(application=application, year=i, amount=a) for i, a in enumerate(years, start=1)
            )

    with transaction.atomic():
        task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=write)
        notify(kind="decision", recipients=members_of(application), application=application)
    return application


def committee_settings_save(
    *,
    call: Call,
    by: User,
    chair: User | None,
    comment_threshold: int | None,
    disagreement_threshold: Decimal,
    levels: dict[tuple[int, int], str],
) -> None:
    """A manager of the fund sets the committee's chair, its thresholds and the rubric's level descriptions.

    `levels` maps (criterion pk, level 0–5) to its description; an empty description removes the level.
    The chair must be a member of the call's committee.
    """
    from .models import CommitteeSettings, RubricLevel
    from .permissions import can_manage_committee

    if not can_manage_committee(by, call):
        raise PermissionDenied
    if chair is not None and not call.committee.filter(pk=chair.pk).exists():
        raise ValueError("the chair sits on the committee")
    criteria = set(call.criteria.values_list("pk", flat=True))
    with transaction.atomic():
        CommitteeSettings.objects.update_or_create(
            call=call,
            defaults={
                "chair": chair,
                "comment_threshold": comment_threshold,
                "disagreement_threshold": disagreement_threshold,
            },
        )
        for (criterion_id, level), text in levels.items():
            if criterion_id not in criteria or not 0 <= level <= 5:
                continue
            text = text.strip()
            if text:
                RubricLevel.objects.update_or_create(
                    criterion_id=criterion_id, level=level, defaults={"description": text}
                )
            else:
                RubricLevel.objects.filter(criterion_id=criterion_id, level=level).delete()
