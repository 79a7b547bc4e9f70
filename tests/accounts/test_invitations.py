"""Invitations: an administrator invites by e-mail; the link signs a new person up or lets a member join."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.invitations import invitation_from_token, invitation_token
from accounts.models import Invitation, User
from accounts.services import InvitationInvalid, NotAllowed, invitation_accept, invitation_create, invitation_revoke
from tests import factories as f

NEW = "nouvelle@carrefour.example"


def invite(client, organisation, **data):
    payload = {"email": NEW, "language": "fr", **data}
    return client.post(reverse("accounts:invite", args=[organisation.pk]), payload)


def link_path(invitation) -> str:
    return reverse("accounts:invitation", args=[invitation_token(invitation)])


def signup(client, invitation, **data):
    payload = {
        "full_name": "Nina Nouvelle",
        "password1": "un-long-mot-de-passe-42",
        "password2": "un-long-mot-de-passe-42",
    }
    payload.update({"language": "fr", **data})
    return client.post(link_path(invitation), payload)


@pytest.fixture
def invitation(applicant, organisation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return invitation_create(organisation=organisation, by=applicant, email=NEW, is_admin=False, language="en")


def test_it_sends_the_invitation_in_the_chosen_language(
    client, applicant, organisation, django_capture_on_commit_callbacks
):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, organisation, language="en", email=" Nouvelle@Carrefour.example ")
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == NEW
    [email] = mail.outbox
    assert email.to == [NEW]
    assert email.subject == f"Join {organisation.name} on Guichet"
    # The link's signature carries a timestamp: compare what it names, not its exact text.
    prefix = settings.SITE_URL.rstrip("/") + "/accounts/invitations/"
    [token] = re.findall(re.escape(prefix) + r"(\S+?)/", email.body)
    assert invitation_from_token(token) == invitation
    assert "{%" not in email.body and "&amp;" not in email.body


def test_it_renders_the_invitation_in_french(applicant, organisation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(organisation=organisation, by=applicant, email=NEW, is_admin=True, language="fr")
    [email] = mail.outbox
    assert organisation.name in email.subject
    assert "/accounts/invitations/" in email.body


def test_it_lets_only_administrators_invite(client, colleague, organisation, outsider):
    client.force_login(colleague)
    assert invite(client, organisation).status_code == 403
    client.force_login(outsider)
    assert invite(client, organisation).status_code == 404
    assert not Invitation.objects.exists()
    with pytest.raises(NotAllowed):
        invitation_create(organisation=organisation, by=colleague, email=NEW, is_admin=False, language="fr")


@pytest.mark.parametrize("email", ["", "pas-une-adresse", "a@" + "x" * 300 + ".example"])
def test_it_shows_errors_for_a_bad_address(client, applicant, organisation, email):
    client.force_login(applicant)
    response = invite(client, organisation, email=email)
    assert response.status_code == 200
    assert response.context["invite_form"].has_error("email")
    assert not Invitation.objects.exists()


def test_it_refuses_to_invite_a_member(client, applicant, colleague, organisation):
    client.force_login(applicant)
    response = invite(client, organisation, email=colleague.email.upper())
    assert response.status_code == 200
    assert response.context["invite_form"].has_error("email")


def test_it_replaces_a_pending_invitation_to_the_same_address(invitation, applicant, organisation):
    old_token = invitation_token(invitation)
    newer = invitation_create(organisation=organisation, by=applicant, email=NEW, is_admin=True, language="fr")
    assert not invitation_from_token(old_token).is_pending()
    assert invitation_from_token(invitation_token(newer)) == newer


def test_it_signs_up_an_invited_person_without_an_account(client, invitation, organisation):
    response = client.get(link_path(invitation))
    assert response.status_code == 200
    body = response.content.decode()
    assert NEW in body and 'name="password1"' in body
    response = signup(client, invitation, language="en")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    user = User.objects.get(email=NEW)
    assert user.is_active and user.full_name == "Nina Nouvelle" and user.language == "en"
    assert user.groups.filter(name="applicant").exists()
    membership = organisation.memberships.get(user=user)
    assert not membership.is_admin
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get(organisation.get_absolute_url()).status_code == 200  # signed in
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_it_welcomes_an_invited_person_in_their_own_language(client, invitation, organisation):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = signup(client, invitation, language="en")
    page = client.get(response["Location"]).content.decode()
    assert f"Your account is ready. Welcome to {organisation.name}!" in page


def test_it_keeps_what_was_typed_on_a_bad_signup(client, invitation):
    response = signup(client, invitation, password2="autre-chose-99")
    assert response.status_code == 200
    assert 'value="Nina Nouvelle"' in response.content.decode()
    assert not User.objects.filter(email=NEW).exists()


def test_it_works_once(client, invitation):
    signup(client, invitation)
    client.logout()
    response = client.get(link_path(invitation))
    assert response.status_code == 200
    assert "accounts/invitation_invalid.html" in [t.name for t in response.templates]
    assert signup(client, invitation, full_name="Autre").status_code == 200
    assert User.objects.get(email=NEW).full_name == "Nina Nouvelle"


def test_it_refuses_an_expired_or_revoked_invitation(client, invitation, applicant):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(link_path(invitation))
    assert "accounts/invitation_invalid.html" in [t.name for t in response.templates]
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() + timedelta(days=1))
    invitation.refresh_from_db()
    path = link_path(invitation)
    invitation_revoke(invitation=invitation, by=applicant)
    response = client.get(path)
    assert "accounts/invitation_invalid.html" in [t.name for t in response.templates]


@pytest.mark.parametrize("token", ["garbage", "eyJpIjoxfQ:bad:sig", "x" * 500, "%00"])
def test_it_explains_a_damaged_link(client, db, token):
    response = client.get(reverse("accounts:invitation", args=[token]))
    assert response.status_code == 200
    assert "accounts/invitation_invalid.html" in [t.name for t in response.templates]


def test_it_asks_an_existing_account_to_sign_in_then_joins(client, applicant, organisation, outsider):
    invitation = invitation_create(
        organisation=organisation, by=applicant, email=outsider.email, is_admin=True, language="fr"
    )
    response = client.get(link_path(invitation))
    assert f"{reverse('accounts:login')}?next=" in response.content.decode()
    assert client.post(link_path(invitation), {"full_name": "X", "password1": "a", "password2": "a"}).status_code == 200
    assert not organisation.memberships.filter(user=outsider).exists()
    client.force_login(outsider)
    assert 'method="post"' in client.get(link_path(invitation)).content.decode()
    response = client.post(link_path(invitation))
    assert response.status_code == 302
    assert organisation.memberships.get(user=outsider).is_admin


def test_it_refuses_a_signed_in_account_with_another_address(client, invitation, outsider, organisation):
    client.force_login(outsider)
    response = client.post(link_path(invitation))
    assert response.status_code == 200
    assert response.context["wrong_account"] is True
    assert not organisation.memberships.filter(user=outsider).exists()
    with pytest.raises(InvitationInvalid):
        invitation_accept(invitation=invitation, user=outsider)


def test_it_activates_an_unconfirmed_account_through_the_invitation(client, invitation, organisation):
    pending = f.make_user(email=NEW, is_active=False)
    signup(client, invitation)
    pending.refresh_from_db()
    assert pending.is_active and organisation.memberships.filter(user=pending).exists()


def test_it_makes_a_non_applicant_an_applicant_when_joining(applicant, organisation, advisor):
    invitation = invitation_create(
        organisation=organisation, by=applicant, email=advisor.email, is_admin=False, language="fr"
    )
    invitation_accept(invitation=invitation, user=advisor)
    assert advisor.groups.filter(name="applicant").exists()
    assert Group.objects.filter(name="advisor", user=advisor).exists()


def test_it_lists_and_cancels_pending_invitations(client, applicant, colleague, invitation, organisation):
    client.force_login(applicant)
    body = client.get(reverse("accounts:members", args=[organisation.pk])).content.decode()
    assert NEW in body
    url = reverse("accounts:invitation_revoke", args=[organisation.pk, invitation.pk])
    client.force_login(colleague)
    assert client.post(url).status_code == 403
    client.force_login(applicant)
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    response = client.get(reverse("accounts:members", args=[organisation.pk]))
    assert list(response.context["invitations"]) == []
