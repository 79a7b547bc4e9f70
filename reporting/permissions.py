"""Who may see a fund's accountability figures and exports. Plain predicates."""

from accounts.roles import FUNDER, has_role
from fonds.models import Fund
from workflow.permissions import manages_fund


def is_funder_staff(user, fund: Fund) -> bool:
    """Staff of the body that funds `fund` (with the funder role)."""
    if not user.is_authenticated or not has_role(user, FUNDER):
        return False
    return user.funders.filter(pk=fund.funder_id).exists()


def can_view_fund_reports(user, fund: Fund) -> bool:
    """Funder staff of the fund's funder and the fund's managers see, request and download its exports."""
    return is_funder_staff(user, fund) or manages_fund(user, fund.pk)
