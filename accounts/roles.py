"""The six roles of Guichet, as Django groups."""

from django.utils.translation import gettext_lazy as _

APPLICANT = "applicant"
ADVISOR = "advisor"
COMMITTEE = "committee"
FUND_MANAGER = "fund_manager"
FUNDER = "funder"
ADMINISTRATOR = "administrator"

ROLES = {
    APPLICANT: _("Applicant"),
    ADVISOR: _("Support advisor"),
    COMMITTEE: _("Committee member"),
    FUND_MANAGER: _("Fund manager"),
    FUNDER: _("Funder"),
    ADMINISTRATOR: _("Administrator"),
}


def has_role(user, role: str) -> bool:
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_role_cache", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._role_cache = cache
    return role in cache
