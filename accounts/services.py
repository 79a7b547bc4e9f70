"""Writes on accounts."""

from functools import partial

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from . import tasks
from .models import User
from .roles import APPLICANT


class EmailTaken(Exception):
    """Sign-up with an address that already has an account. Nothing was created."""

    def __init__(self, user: User):
        super().__init__(user.email)
        self.user = user


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unknown language: {language!r}")


def user_update_preferences(*, user: User, full_name: str, language: str) -> User:
    """Save the person's name and preferred language. Raises ValueError for a language the site does not offer."""
    _check_language(language)
    user.full_name = full_name
    user.language = language
    user.save(update_fields=["full_name", "language"])
    return user


def user_signup(*, email: str, full_name: str, password: str, language: str) -> User:
    """Create an inactive applicant account and, once committed, e-mail it a confirmation link in `language`.

    The address is compared case-insensitively and stored in lower case. Raises
    EmailTaken (creating nothing, sending nothing) when it already has an account:
    call signup_collision_notify to tell its owner. Raises ValueError for an
    unknown language. The password is not validated here (the form does it).
    """
    _check_language(language)
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        raise EmailTaken(existing)
    group, _ = Group.objects.get_or_create(name=APPLICANT)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email, password, full_name=full_name.strip(), language=language, is_active=False
            )
            user.groups.add(group)
    except IntegrityError:
        # Same address signed up a moment ago by another request.
        raise EmailTaken(User.objects.get(email__iexact=email)) from None
    transaction.on_commit(partial(tasks.enqueue, tasks.send_signup_confirmation, user.pk))
    return user


def signup_collision_notify(*, user: User) -> None:
    """Someone signed up with `user`'s address: write to the address, never to the person who asked.

    - an account never confirmed (inactive, never signed in) gets its confirmation link again;
    - an active account gets a note ("sign in or reset your password");
    - an account an administrator deactivated gets nothing (it must not reactivate itself).
    """
    if user.is_active:
        task = tasks.send_signup_exists
    elif user.last_login is None:
        task = tasks.send_signup_confirmation
    else:
        return
    transaction.on_commit(partial(tasks.enqueue, task, user.pk))


def user_activate(*, user: User) -> User:
    """Mark the account as confirmed (active). A no-op for an active account."""
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def password_reset_request(*, email: str) -> None:
    """Once committed, e-mail a reset link to each active account with this address and a usable password.

    Sends nothing (and says nothing) when there is no such account.
    """
    users = User.objects.filter(email__iexact=email.strip(), is_active=True)
    for user in users:
        if user.has_usable_password():
            transaction.on_commit(partial(tasks.enqueue, tasks.send_password_reset, user.pk))
