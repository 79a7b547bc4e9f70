"""E-mails about a person's own account (sign-up, password reset), sent by Celery.

Tasks take a user id and build the link themselves, so no token travels through
the broker, and render in the person's language (user.language), whoever asked.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User
from .tokens import signup_token

log = logging.getLogger(__name__)


def _link(name: str, user: User, token: str) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.SITE_URL + reverse(name, args=[uidb64, token])


def _send(*, user: User, template: str, context: dict) -> None:
    context = {"user": user, "site_url": settings.SITE_URL, **context}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = "".join(render_to_string(f"emails/{template}_subject.txt", context).splitlines()).strip()
        body = render_to_string(f"emails/{template}.txt", context)
    send_mail(subject, body, None, [user.email])


@shared_task
def send_signup_confirmation(user_pk: int) -> bool:
    """E-mail the confirmation link to an account still waiting for it. False when there is nothing to send."""
    user = User.objects.filter(pk=user_pk, is_active=False).first()
    if user is None:
        return False
    link = _link("accounts:signup_confirm", user, signup_token.make_token(user))
    _send(user=user, template="signup_confirm", context={"link": link})
    return True


@shared_task
def send_signup_exists(user_pk: int) -> bool:
    """Tell an account holder that someone tried to sign up again with their address."""
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None:
        return False
    context = {
        "login_url": settings.SITE_URL + reverse("accounts:login"),
        "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
    }
    _send(user=user, template="signup_confirm_exists", context=context)
    return True


@shared_task
def send_password_reset(user_pk: int) -> bool:
    """E-mail a password-reset link to an active account with a usable password."""
    user = User.objects.filter(pk=user_pk, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    link = _link("accounts:password_reset_confirm", user, default_token_generator.make_token(user))
    _send(user=user, template="password_reset", context={"link": link})
    return True


@shared_task
def send_invitation(invitation_pk: int) -> bool:
    """E-mail an invitation link, in the language the administrator chose. False when it is no longer pending."""
    from .invitations import invitation_link
    from .models import Invitation

    invitation = Invitation.objects.select_related("organisation", "invited_by").filter(pk=invitation_pk).first()
    if invitation is None or not invitation.is_pending():
        return False
    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "inviter": invitation.invited_by,
        "link": invitation_link(invitation),
        "site_url": settings.SITE_URL,
    }
    with translation.override(invitation.language or settings.LANGUAGE_CODE):
        subject = "".join(render_to_string("emails/invitation_subject.txt", context).splitlines()).strip()
        body = render_to_string("emails/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])
    return True


def enqueue(task, user_pk: int) -> None:
    """Hand a task to Celery; if the broker is down, send now rather than lose the e-mail.

    Meant for transaction.on_commit: it never raises, a failure is logged.
    """
    try:
        task.delay(user_pk)
        return
    except Exception as exc:  # broker outage
        log.warning("could not queue %s for user %s: %s", task.name, user_pk, exc)
    try:
        task(user_pk)
    except Exception:
        log.exception("could not send %s for user %s", task.name, user_pk)
