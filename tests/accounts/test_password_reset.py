import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse

from accounts import tasks
from accounts.forms import MAIL_REQUESTS_MAX
from tests import factories as f

RESET = "/accounts/password/reset/"
NEW = "Nouveau-Sapin-2025!"


@pytest.fixture
def ask_reset(client, django_capture_on_commit_callbacks):
    def post(email, ip="127.0.0.1", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESET, {"email": email}, REMOTE_ADDR=ip, **extra)

    return post


def reset_path(message) -> str:
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body).group(0)
    assert link.startswith(settings.SITE_URL)
    return link[len(settings.SITE_URL) :]


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- pages --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["accounts:password_reset", "accounts:password_reset_done", "accounts:password_reset_complete"]
)
def test_it_shows_the_pages_to_anonymous(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


@pytest.mark.parametrize("role", ["applicant", "reviewer2", "manager"])
def test_it_shows_the_pages_to_a_signed_in_user(client, request, role):
    client.force_login(request.getfixturevalue(role))
    for name in ("accounts:password_reset", "accounts:password_reset_done", "accounts:password_reset_complete"):
        assert client.get(reverse(name)).status_code == 200


def test_the_form_has_a_labelled_email_field(client, db):
    body = client.get(RESET).content.decode()
    assert '<label for="id_email"' in body
    assert 'type="email"' in body


def test_it_keeps_a_malformed_email(client, ask_reset, db):
    response = ask_reset("not-an-email")
    assert response.status_code == 200
    assert response.context["form"].has_error("email")
    assert 'value="not-an-email"' in response.content.decode()
    assert len(mail.outbox) == 0


# --- the e-mail -----------------------------------------------------------------


@pytest.mark.parametrize("page_language", ["fr", "en"])
@pytest.mark.parametrize(
    "person,greeting,subject",
    [
        ("applicant", "Bonjour Alice,", "Choisissez un nouveau mot de passe Guichet"),
        ("reviewer2", "Hello Rita,", "Choose a new Guichet password"),
    ],
)
def test_it_mails_in_the_users_language_not_the_requesters(
    client, request, ask_reset, person, greeting, subject, page_language
):
    user = request.getfixturevalue(person)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = page_language
    response = ask_reset(user.email.upper())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.body.startswith(greeting)
    assert message.subject == subject
    assert reset_path(message).startswith("/accounts/password/reset/")


def test_it_does_not_reveal_an_unknown_address(client, ask_reset, applicant):
    unknown = ask_reset("nobody@example.org")
    known = ask_reset(applicant.email)
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert [m.to for m in mail.outbox] == [[applicant.email]]


def test_it_sends_nothing_to_an_inactive_account(ask_reset, db):
    user = f.make_user(email="sleepy@example.org", is_active=False)
    assert ask_reset(user.email).status_code == 302
    assert len(mail.outbox) == 0


def test_it_sends_nothing_to_an_account_without_a_usable_password(ask_reset, db):
    user = f.make_user(email="sso@example.org")
    user.set_unusable_password()
    user.save()
    assert ask_reset(user.email).status_code == 302
    assert len(mail.outbox) == 0


def test_the_task_sends_nothing_for_an_inactive_account(db):
    user = f.make_user(email="sleepy@example.org", is_active=False)
    assert tasks.send_password_reset(user.pk) is False
    assert len(mail.outbox) == 0


# --- the whole flow over HTTP ---------------------------------------------------


def test_it_resets_the_password_end_to_end(client, ask_reset, applicant):
    ask_reset(applicant.email)
    path = reset_path(mail.outbox[0])

    # Django moves the token to the session and redirects to a "set-password" address.
    response = client.get(path)
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url.endswith("/set-password/")
    page = client.get(form_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert page.context["validlink"]
    assert '<label for="id_new_password1"' in body and '<label for="id_new_password2"' in body

    # A mismatch keeps the person on the form with an error.
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW + "x"})
    assert response.status_code == 200
    assert response.context["form"].has_error("new_password2")

    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert not signed_in(client)
    applicant.refresh_from_db()
    assert applicant.check_password(NEW)

    # The link works once.
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert not response.context["validlink"]
    assert reverse("accounts:password_reset") in response.content.decode()

    # And the new password signs in.
    response = client.post(reverse("accounts:login"), {"username": applicant.email, "password": NEW})
    assert response.status_code == 302
    assert signed_in(client)


@pytest.mark.parametrize(
    "uidb64,token", [("garbage", "nope"), ("MTA", "abc-def"), ("Zm9v", "a" * 300), ("MQ", "set-password")]
)
def test_it_answers_a_broken_link_with_a_clear_page(client, db, applicant, uidb64, token):
    response = client.get(f"/accounts/password/reset/{uidb64}/{token}/")
    assert response.status_code == 200
    assert not response.context["validlink"]
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert reverse("accounts:password_reset") in body
    response = client.post(f"/accounts/password/reset/{uidb64}/{token}/", {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 200
    applicant.refresh_from_db()
    assert applicant.check_password(f.PASSWORD)


# --- throttling -------------------------------------------------------------------


def test_it_limits_requests_per_address(ask_reset, applicant, colleague):
    for i in range(MAIL_REQUESTS_MAX):
        assert ask_reset(f"someone{i}@example.org", ip="192.0.2.9").status_code == 302
    response = ask_reset(colleague.email, ip="192.0.2.9")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error(NON_FIELD_ERRORS, code="throttled")
    # 900 s window: "in 15 minutes", whatever the language.
    assert "15" in str(form.non_field_errors()[0])
    body = response.content.decode()
    assert 'role="alert"' in body
    assert f'value="{colleague.email}"' in body
    assert len(mail.outbox) == 0
    # Another address is not affected.
    assert ask_reset(colleague.email, ip="192.0.2.10").status_code == 302
    assert [m.to for m in mail.outbox] == [[colleague.email]]


def test_it_limits_requests_per_email(ask_reset, applicant):
    for i in range(MAIL_REQUESTS_MAX):
        assert ask_reset(applicant.email, ip=f"10.0.0.{i + 1}").status_code == 302
    response = ask_reset(applicant.email.upper(), ip="10.0.1.1")
    assert response.status_code == 200
    assert response.context["form"].has_error(NON_FIELD_ERRORS, code="throttled")
    assert len(mail.outbox) == MAIL_REQUESTS_MAX


def test_it_does_not_count_malformed_requests(ask_reset, applicant):
    for _ in range(MAIL_REQUESTS_MAX + 2):
        ask_reset("not-an-email", ip="192.0.2.11")
    assert ask_reset(applicant.email, ip="192.0.2.11").status_code == 302
