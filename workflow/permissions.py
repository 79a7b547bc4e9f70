"""Who may execute which task. Plain predicates; views and services call them."""

from viewflow.workflow.models import Task

from accounts.roles import FUND_MANAGER, has_role

from .flows import ApplicationFlow

APPLICANT_NODES = {"draft", "report"}
MANAGER_NODES = {"screen", "assign_reviewers", "decide", "agreement", "review_report"}
OWNER_NODES = {"advise", "score"}

NODE_PERMISSION = {
    "screen": "workflow.screen_application",
    "assign_reviewers": "workflow.assign_reviewers",
    "decide": "workflow.decide_application",
    "agreement": "workflow.manage_agreement",
    "review_report": "workflow.review_report",
}


def is_member(user, organisation_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return user.memberships.filter(organisation_id=organisation_id).exists()


def manages_fund(user, fund_id: int) -> bool:
    if not user.is_authenticated or not has_role(user, FUND_MANAGER):
        return False
    return user.managed_funds.filter(pk=fund_id).exists()


def is_deciding_chair(user, application) -> bool:
    """The chair of the call's committee records its decisions, except on an application they are conflicted with.

    Fund managers keep the right too (they often act as the meeting's secretary).
    """
    from reviewers.permissions import is_chair, is_conflicted

    return is_chair(user, application.call) and not is_conflicted(user, application)


def can_execute_task(user, task: Task) -> bool:
    if not user.is_authenticated or task.flow_task is None:
        return False
    if task.flow_task.flow_class is not ApplicationFlow:
        return False
    name = task.flow_task.name
    application = task.process.coerced.application
    if name in APPLICANT_NODES:
        return is_member(user, application.organisation_id)
    if name == "decide" and is_deciding_chair(user, application):
        return True
    if name in MANAGER_NODES:
        return user.has_perm(NODE_PERMISSION[name]) and manages_fund(user, application.call.fund_id)
    if name in OWNER_NODES:
        return task.owner_id == user.pk
    return False
