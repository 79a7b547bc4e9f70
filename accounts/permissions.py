"""Who may do what with an organisation: plain predicates (no queries beyond the membership)."""

from .models import Membership, Organisation, User
from .roles import APPLICANT, has_role


def membership_of(user: User, organisation: Organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_membership_cache", None)
    if cache is None:
        cache = user._membership_cache = {}
    if organisation.pk not in cache:
        cache[organisation.pk] = Membership.objects.filter(user=user, organisation=organisation).first()
    return cache[organisation.pk]


def can_view_organisation(user: User, organisation: Organisation) -> bool:
    """Members see their organisation's profile and members; platform staff see every organisation."""
    return membership_of(user, organisation) is not None or (user.is_authenticated and user.is_staff)


def can_manage_organisation(user: User, organisation: Organisation) -> bool:
    """Edit the profile, invite and remove members: the organisation's administrators only."""
    membership = membership_of(user, organisation)
    return membership is not None and membership.is_admin


def can_create_organisation(user: User) -> bool:
    """An applicant who belongs to no organisation yet creates one (and becomes its administrator)."""
    return has_role(user, APPLICANT) and not user.memberships.exists()
