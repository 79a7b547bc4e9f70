"""Who may see and do what in the follow-up of funded projects. Plain predicates."""

from accounts.roles import FUNDER, has_role
from fonds.models import Fund
from forms.models import Application
from workflow.permissions import is_member, manages_fund


def is_funder_staff(user, fund: Fund) -> bool:
    """Staff of the body that funds `fund` (with the funder role)."""
    if not user.is_authenticated or not has_role(user, FUNDER):
        return False
    return user.funders.filter(pk=fund.funder_id).exists()


def can_view_fund_reports(user, fund: Fund) -> bool:
    """Funder staff of the fund's funder and the fund's managers see, request and download its exports."""
    return is_funder_staff(user, fund) or manages_fund(user, fund.pk)


def can_view_project(user, application: Application) -> bool:
    """A funded project's follow-up: its organisation's members, the fund's managers and funder staff."""
    if not hasattr(application, "agreement"):
        return False
    return is_member(user, application.organisation_id) or can_view_fund_reports(user, application.call.fund)


def can_request_target_change(user, application: Application) -> bool:
    return (
        application.status == Application.Status.FUNDED
        and hasattr(application, "agreement")
        and is_member(user, application.organisation_id)
    )


def can_decide_target_change(user, application: Application) -> bool:
    return (
        user.is_authenticated
        and manages_fund(user, application.call.fund_id)
        and user.has_perm("workflow.review_report")
    )
