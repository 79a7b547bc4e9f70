"""Invitation links: a signed token naming the invitation and its current nonce.

Nothing secret is stored in the database (the signature needs SECRET_KEY), and a new
nonce (invitation sent again, or revoked) makes older links useless. The expiry is the
invitation's own `expires_at`, shown to the administrators who sent it.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Invitation

SALT = "accounts.invitations"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT, compress=False)


def invitation_link(invitation: Invitation) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation", args=[invitation_token(invitation)])


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation the token names, whatever its state, or None for a forged, damaged or replaced link."""
    try:
        data = signing.loads(token, salt=SALT)
        pk, nonce = int(data["i"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=pk).first()
    if invitation is None or invitation.nonce != nonce:
        return None
    return invitation
