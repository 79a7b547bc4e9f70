"""Permission-matrix entries — Issue 3: organisation profile, catalogue, orientation, wizard.

ENTRIES maps a URL name to its cases (see tests/matrix/base.py and tests/test_permission_matrix.py).
The `world` fixture of the matrix test holds the scenario `s` (tests/scenario.py) passed to each lambda.
"""

from django.urls import reverse

from .base import LOGGED_IN, ROLES, Case

STAFF_AND_MEMBER = ["applicant", "admin"]  # members see their organisation; platform staff see every one


def _colleague_membership(s):
    """A plain member of the scenario's organisation, for the removal case (made once per scenario)."""
    if getattr(s, "colleague_membership", None) is None:
        from accounts.models import Membership
        from tests import factories as f

        colleague = f.make_user(email="colette@carrefour.example", role="applicant", full_name="Colette")
        s.colleague_membership = Membership.objects.create(user=colleague, organisation=s.organisation)
    return s.colleague_membership


def _invitation(s):
    if getattr(s, "invitation", None) is None:
        from accounts.services import invitation_create

        s.invitation = invitation_create(
            organisation=s.organisation,
            by=s.users["applicant"],
            email="new@carrefour.example",
            is_admin=False,
            language="fr",
        )
    return s.invitation


def _invitation_link(s):
    from accounts.invitations import invitation_token

    return reverse("accounts:invitation", args=[invitation_token(_invitation(s))])


ENTRIES: dict[str, list[Case]] = {
    # Every signed-in role of the scenario already belongs to an organisation or is not an applicant.
    "accounts:organisation_create": [Case("get", lambda s: reverse("accounts:organisation_create"), [])],
    "accounts:organisation": [Case("get", lambda s: s.organisation.get_absolute_url(), STAFF_AND_MEMBER)],
    "accounts:organisation_edit": [
        Case("get", lambda s: reverse("accounts:organisation_edit", args=[s.organisation.pk]), ["applicant"])
    ],
    "accounts:members": [
        Case("get", lambda s: reverse("accounts:members", args=[s.organisation.pk]), STAFF_AND_MEMBER)
    ],
    "accounts:invite": [
        Case(
            "post",
            lambda s: reverse("accounts:invite", args=[s.organisation.pk]),
            ["applicant"],
            data=lambda s: {"email": "invited@carrefour.example", "language": "fr"},
        )
    ],
    "accounts:member_remove": [
        Case(
            "post",
            lambda s: reverse("accounts:member_remove", args=[s.organisation.pk, _colleague_membership(s).pk]),
            ["applicant"],
        )
    ],
    "accounts:invitation_revoke": [
        Case(
            "post",
            lambda s: reverse("accounts:invitation_revoke", args=[s.organisation.pk, _invitation(s).pk]),
            ["applicant"],
        )
    ],
    # Public: the link explains itself to whoever opens it (sign up, sign in, wrong account).
    "accounts:invitation": [Case("get", _invitation_link, ROLES)],
    "fonds:orientation": [Case("get", lambda s: reverse("fonds:orientation"), ROLES)],
}

assert LOGGED_IN  # imported for symmetry with the other areas
