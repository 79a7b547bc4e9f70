"""Writes on accounts."""

import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import tasks
from .models import Contact, Invitation, Membership, Organisation, User
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


# --- organisations, members, invitations -------------------------------------------------

INVITATION_DAYS = 14


class NotAllowed(Exception):
    """The person may not make this change. Nothing was written."""


class LastAdmin(Exception):
    """The change would leave the organisation without an administrator. Nothing was written."""


class NeqTaken(Exception):
    """Another organisation already has this NEQ: its administrator should invite the person instead."""


class InvitationInvalid(Exception):
    """The invitation was accepted, revoked or has expired, or was sent to another address."""


def _check_neq(neq: str, *, exclude: int | None = None) -> None:
    if neq and Organisation.objects.filter(neq=neq).exclude(pk=exclude).exists():
        raise NeqTaken(neq)


def _apply_profile(organisation: Organisation, fields: dict, contacts: list[dict] | None) -> Organisation:
    mrcs_served = fields.pop("mrcs_served", None)
    populations = fields.pop("populations", None)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean(exclude=["members"])
    organisation.save()
    if mrcs_served is not None:
        organisation.mrcs_served.set(mrcs_served)
    if populations is not None:
        organisation.populations.set(populations)
    if contacts is not None:
        organisation.contacts.all().delete()
        Contact.objects.bulk_create(
            Contact(
                organisation=organisation, position=i, **{k: c.get(k, "") for k in ("name", "role", "email", "phone")}
            )
            for i, c in enumerate(contacts)
        )
    return organisation


PROFILE_FIELDS = (
    "name", "neq", "legal_form", "mission", "mrc", "mrcs_served", "street_address", "city", "postal_code",
    "annual_budget", "populations",
)  # fmt: skip


def organisation_create(*, by: User, contacts: list[dict] | None = None, **fields) -> Organisation:
    """Create an organisation with `by` as its administrator.

    Only an applicant who belongs to no organisation may (NotAllowed otherwise). `fields` are
    PROFILE_FIELDS (mrcs_served and populations as iterables); raises ValidationError for bad
    values and NeqTaken when another organisation already has the NEQ. Atomic.
    """
    from .permissions import can_create_organisation

    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with transaction.atomic():
        if not can_create_organisation(by):
            raise NotAllowed
        _check_neq(fields.get("neq", ""))
        organisation = _apply_profile(Organisation(), dict(fields), contacts or [])
        Membership.objects.create(user=by, organisation=organisation, is_admin=True)
    return organisation


def organisation_update(*, organisation: Organisation, by: User, contacts: list[dict] | None = None, **fields):
    """Save the profile (and, when given, replace the contact people). Administrators of the organisation only.

    Raises NotAllowed, ValidationError, or NeqTaken when the NEQ changes to one another organisation has.
    """
    from .permissions import can_manage_organisation

    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if not can_manage_organisation(by, organisation):
        raise NotAllowed
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if "neq" in fields and fields["neq"] != organisation.neq:
            _check_neq(fields["neq"], exclude=organisation.pk)
        return _apply_profile(organisation, dict(fields), contacts)


def member_remove(*, membership: Membership, by: User) -> None:
    """Remove a member. Administrators of the organisation only (NotAllowed); never its last administrator (LastAdmin).

    The person keeps their account; their earlier work stays with the organisation.
    """
    from .permissions import can_manage_organisation

    organisation = membership.organisation
    if not can_manage_organisation(by, organisation):
        raise NotAllowed
    with transaction.atomic():
        admins = list(
            Membership.objects.select_for_update()
            .filter(organisation=organisation, is_admin=True)
            .values_list("pk", flat=True)
        )
        membership = Membership.objects.filter(pk=membership.pk).first()
        if membership is None:
            return
        if membership.is_admin and admins == [membership.pk]:
            raise LastAdmin
        membership.delete()
    getattr(by, "_membership_cache", {}).pop(organisation.pk, None)


def invitation_create(*, organisation: Organisation, by: User, email: str, is_admin: bool, language: str) -> Invitation:
    """Invite `email` to the organisation and, once committed, e-mail the link in `language`.

    Administrators only (NotAllowed). Inviting an address again replaces its pending
    invitation (the old link stops working). Raises ValueError when the address already
    belongs to a member, or for an unknown language.
    """
    from .permissions import can_manage_organisation

    _check_language(language)
    if not can_manage_organisation(by, organisation):
        raise NotAllowed
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValueError("already a member")
    now = timezone.now()
    with transaction.atomic():
        organisation.invitations.filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            is_admin=is_admin,
            language=language,
            invited_by=by,
            nonce=secrets.token_hex(16),
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
    transaction.on_commit(partial(tasks.enqueue, tasks.send_invitation, invitation.pk))
    return invitation


def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    """Cancel a pending invitation: its link stops working. Administrators only (NotAllowed). Idempotent."""
    from .permissions import can_manage_organisation

    if not can_manage_organisation(by, invitation.organisation):
        raise NotAllowed
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = timezone.now()
        invitation.nonce = secrets.token_hex(16)
        invitation.save(update_fields=["revoked_at", "nonce"])
    return invitation


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Make `user` a member (an administrator if the invitation says so) and an applicant.

    The account's address must be the one invited (InvitationInvalid otherwise, as for an
    accepted, revoked or expired invitation). Someone already a member keeps their
    membership (promoted to administrator when invited as one). Atomic; a link works once.
    """
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_pending() or user.email.lower() != invitation.email.lower() or not user.is_active:
            raise InvitationInvalid
        membership, created = Membership.objects.get_or_create(
            user=user, organisation_id=invitation.organisation_id, defaults={"is_admin": invitation.is_admin}
        )
        if not created and invitation.is_admin and not membership.is_admin:
            membership.is_admin = True
            membership.save(update_fields=["is_admin"])
        user.groups.add(Group.objects.get_or_create(name=APPLICANT)[0])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    getattr(user, "_membership_cache", {}).pop(invitation.organisation_id, None)
    if hasattr(user, "_role_cache"):
        del user._role_cache
    return membership


def invitation_signup(*, invitation: Invitation, full_name: str, password: str, language: str) -> User:
    """Create the invited person's account, active at once (the link proves the address), and accept.

    An account that was signed up but never confirmed gets this name, password and
    language and is activated. Raises EmailTaken when an account in use (or deactivated
    by an administrator) has the address: the person signs in instead. Atomic.
    """
    _check_language(language)
    with transaction.atomic():
        if not Invitation.objects.select_for_update().get(pk=invitation.pk).is_pending():
            raise InvitationInvalid
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is not None and (user.is_active or user.last_login is not None):
            raise EmailTaken(user)
        if user is None:
            user = User(email=invitation.email.lower())
        user.full_name = full_name.strip()
        user.language = language
        user.is_active = True
        user.set_password(password)
        user.save()
        invitation_accept(invitation=invitation, user=user)
    return user
