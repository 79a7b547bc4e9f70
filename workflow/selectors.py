"""Reads on the lifecycle's tasks: the inbox and an application's history."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from viewflow.workflow.models import Task

from accounts.roles import FUND_MANAGER, has_role
from forms.models import Application

from .engine import ACTIVE
from .flows import ApplicationFlow
from .permissions import NODE_PERMISSION

APPLICATION = "process__applicationprocess__application"

OWNER_NODES = [ApplicationFlow.advise, ApplicationFlow.score]
MANAGER_NODES = {
    "screen": ApplicationFlow.screen,
    "assign_reviewers": ApplicationFlow.assign_reviewers,
    "decide": ApplicationFlow.decide,
    "agreement": ApplicationFlow.agreement,
    "review_report": ApplicationFlow.review_report,
}


def tasks_for_user(*, user) -> QuerySet[Task]:
    """The open tasks `user` may execute, as one query (the SQL twin of `can_execute_task`).

    Memberships and managed funds are subqueries, not joins, so a task never appears twice.
    """
    if not user.is_authenticated:
        return Task.objects.none()
    # A draft task stays open for the moment between a submission and its handing to screening
    # (workflow.services.submission_route): it is no longer work for the applicant.
    applicant_work = Q(flow_task=ApplicationFlow.report) | Q(
        flow_task=ApplicationFlow.draft, **{f"{APPLICATION}__status": Application.Status.DRAFT}
    )
    allowed = (
        applicant_work & Q(**{f"{APPLICATION}__organisation_id__in": user.memberships.values("organisation_id")})
    ) | Q(owner=user, flow_task__in=OWNER_NODES)
    if has_role(user, FUND_MANAGER):
        nodes = [node for name, node in MANAGER_NODES.items() if user.has_perm(NODE_PERMISSION[name])]
        if nodes:
            allowed |= Q(
                flow_task__in=nodes,
                **{f"{APPLICATION}__call__fund_id__in": user.managed_funds.values("pk")},
            )
    allowed |= _chair_decisions(user)
    return (
        Task.objects.filter(allowed, status__in=ACTIVE)
        .select_related(f"{APPLICATION}__organisation", f"{APPLICATION}__call", "owner")
        .order_by("created", "pk")
    )


def _chair_decisions(user) -> Q:
    """The decide tasks of calls the user chairs, minus the organisations they are conflicted with."""
    from reviewers.models import CommitteeSettings, Conflict

    conflicted = Conflict.objects.filter(
        member=user,
        call_id=OuterRef(f"{APPLICATION}__call_id"),
        organisation_id=OuterRef(f"{APPLICATION}__organisation_id"),
    )
    chaired = CommitteeSettings.objects.filter(chair=user).values("call_id")
    return Q(flow_task=ApplicationFlow.decide, **{f"{APPLICATION}__call_id__in": chaired}) & ~Q(Exists(conflicted))


def application_history(*, application) -> QuerySet[Task]:
    """The human steps of an application's process (start included), oldest first."""
    return (
        Task.objects.filter(**{APPLICATION: application}, flow_task_type__in=["HUMAN", "START"])
        .select_related("owner")
        .order_by("created", "pk")
    )
