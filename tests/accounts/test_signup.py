import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import tasks
from accounts.models import User
from accounts.roles import APPLICANT, has_role
from accounts.services import EmailTaken, user_signup
from accounts.tokens import signup_token
from tests import factories as f

SIGNUP = "/accounts/signup/"
STRONG = "Sapin-Boreal-2025!"


def form_data(**overrides) -> dict:
    return {
        "full_name": "Nadia Nouvelle",
        "email": "nadia@cuisine.example",
        "password1": STRONG,
        "password2": STRONG,
        "language": "fr",
        **overrides,
    }


@pytest.fixture
def sign_up(client, db, django_capture_on_commit_callbacks):
    """POST the sign-up form and run what waits for the commit (the e-mail)."""

    def post(ip="127.0.0.1", **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SIGNUP, form_data(**overrides), REMOTE_ADDR=ip)

    return post


def confirm_path(message) -> str:
    link = re.search(r"https?://\S+/accounts/signup/confirm/\S+/", message.body).group(0)
    assert link.startswith(settings.SITE_URL)
    return link[len(settings.SITE_URL) :]


def page_text(response) -> str:
    """The page without its CSRF token (masked differently on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def link_refused(response) -> bool:
    """The "this link does not work" page (200, like Django's password-reset link)."""
    return response.status_code == 200 and "accounts/signup_invalid.html" in [t.name for t in response.templates]


def signed_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


# --- the form ---------------------------------------------------------------


def test_it_shows_the_form_to_anonymous(client, db):
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1
    for name in ("full_name", "email", "password1", "password2", "language"):
        assert f'<label for="id_{name}"' in body


def test_it_preselects_the_current_language(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(SIGNUP)
    assert response.context["form"]["language"].value() == "en"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get(SIGNUP).context["form"]["language"].value() == "fr"


@pytest.mark.parametrize("role", ["applicant", "advisor", "manager", "admin_user"])
def test_it_sends_a_signed_in_user_to_the_inbox(client, request, role):
    client.force_login(request.getfixturevalue(role))
    for response in (client.get(SIGNUP), client.post(SIGNUP, form_data())):
        assert response.status_code == 302
        assert response["Location"] == reverse("workflow:inbox")
    assert not User.objects.filter(email="nadia@cuisine.example").exists()


def test_the_login_page_links_to_signup_and_reset(client, db):
    body = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("accounts:signup")}"' in body
    assert f'href="{reverse("accounts:password_reset")}"' in body


# --- happy path ---------------------------------------------------------------


@pytest.mark.parametrize(
    "language,other,greeting,subject",
    [
        ("fr", "en", "Bonjour Nadia,", "Confirmez votre compte Guichet"),
        ("en", "fr", "Hello Nadia,", "Confirm your Guichet account"),
    ],
)
def test_it_creates_an_inactive_applicant_and_mails_in_the_chosen_language(
    client, db, django_capture_on_commit_callbacks, language, other, greeting, subject
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = other
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(SIGNUP, form_data(email="  Nadia@Cuisine.EXAMPLE ", language=language))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    user = User.objects.get(email="nadia@cuisine.example")
    assert not user.is_active
    assert user.full_name == "Nadia Nouvelle"
    assert user.language == language
    assert user.check_password(STRONG)
    assert has_role(user, APPLICANT)
    # Whatever language the worker runs in, the e-mail is in the one chosen in the form.
    with translation.override(other):
        for callback in callbacks:
            callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nadia@cuisine.example"]
    assert message.subject == subject
    assert message.body.startswith(greeting)
    # The next pages are in the chosen language.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def test_it_sends_the_mail_only_after_the_commit(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(SIGNUP, form_data())
    assert len(mail.outbox) == 0
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1


def test_it_shows_the_check_your_inbox_page(client, db):
    response = client.get(reverse("accounts:signup_done"))
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


def test_the_link_activates_signs_in_and_works_once(client, sign_up):
    sign_up(language="en")
    user = User.objects.get(email="nadia@cuisine.example")
    path = confirm_path(mail.outbox[0])

    # Opening the link (a mail scanner may do it) changes nothing.
    response = client.get(path)
    assert response.status_code == 200
    assert "accounts/signup_confirm.html" in [t.name for t in response.templates]
    assert 'method="post"' in response.content.decode()
    user.refresh_from_db()
    assert not user.is_active

    response = client.post(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("fonds:catalogue")
    user.refresh_from_db()
    assert user.is_active
    assert signed_in_as(client) == user.pk
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(response["Location"])
    assert [str(m) for m in page.context["messages"]] == ["Your account is confirmed. Welcome to Guichet!"]

    client.logout()
    for method in (client.get, client.post):
        response = method(path)
        assert link_refused(response)
        assert reverse("accounts:signup") in response.content.decode()
    assert signed_in_as(client) is None


def test_the_link_switches_to_the_accounts_language(client, sign_up):
    sign_up(language="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"  # opened in another browser, in French
    response = client.post(confirm_path(mail.outbox[0]))
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_it_welcomes_a_confirmed_account_in_its_own_language(client, sign_up):
    sign_up(language="en")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post(confirm_path(mail.outbox[0]), follow=True)
    assert "Your account is confirmed. Welcome to Guichet!" in response.content.decode()
    assert "Votre compte est confirmé" not in response.content.decode()


def test_a_confirmed_account_can_sign_in(client, sign_up):
    sign_up()
    client.post(confirm_path(mail.outbox[0]))
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "nadia@cuisine.example", "password": STRONG})
    assert response.status_code == 302
    assert signed_in_as(client) == User.objects.get(email="nadia@cuisine.example").pk


def test_an_unconfirmed_account_cannot_sign_in(client, sign_up):
    sign_up()
    client.post(reverse("accounts:login"), {"username": "nadia@cuisine.example", "password": STRONG})
    assert signed_in_as(client) is None


# --- invalid forms ------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"email": "not-an-email"}, "email"),
        ({"full_name": "   "}, "full_name"),
        ({"password2": "Another-Pass-2025!"}, "password2"),
        ({"password1": "short", "password2": "short"}, "password1"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1"),
        ({"password1": "nadia@cuisine.example", "password2": "nadia@cuisine.example"}, "password1"),
        ({"language": "de"}, "language"),
    ],
)
def test_it_keeps_what_was_typed_on_errors(sign_up, overrides, field):
    response = sign_up(**overrides)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error(field)
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    if field != "email":
        assert f'value="{form_data(**overrides)["email"]}"' in body
    if field != "full_name":
        assert 'value="Nadia Nouvelle"' in body
    # Passwords are never sent back.
    password_inputs = re.findall(r'<input type="password"[^>]*>', body)
    assert len(password_inputs) == 2
    assert not any("value=" in tag for tag in password_inputs)
    assert not User.objects.filter(email="nadia@cuisine.example").exists()
    assert len(mail.outbox) == 0


def test_it_keeps_the_chosen_language_on_errors(sign_up):
    response = sign_up(language="en", password2="different-one-2025")
    assert response.context["form"]["language"].value() == "en"
    assert '<option value="en" selected>' in response.content.decode()


# --- existing e-mail ------------------------------------------------------------


def test_it_does_not_reveal_an_existing_address(client, sign_up, applicant):
    new = sign_up(email="brand-new@example.org")
    existing = sign_up(email=applicant.email.upper())
    assert existing.status_code == new.status_code == 302
    assert existing["Location"] == new["Location"]
    assert page_text(client.get(existing["Location"])) == page_text(client.get(new["Location"]))
    assert User.objects.filter(email__iexact=applicant.email).count() == 1
    applicant.refresh_from_db()
    assert applicant.check_password(f.PASSWORD)
    assert applicant.full_name == "Alice Applicant"
    # The owner of the address is told, in their language, with no confirmation link.
    note = mail.outbox[-1]
    assert note.to == [applicant.email]
    assert note.body.startswith("Bonjour Alice,")
    assert "/accounts/signup/confirm/" not in note.body
    assert reverse("accounts:password_reset") in note.body


def test_it_sends_a_new_link_to_an_unconfirmed_address(client, sign_up):
    sign_up(language="en")
    first = confirm_path(mail.outbox[0])
    sign_up(full_name="Someone Else", language="fr")
    user = User.objects.get(email="nadia@cuisine.example")
    assert user.full_name == "Nadia Nouvelle"
    assert user.language == "en"
    assert len(mail.outbox) == 2
    second = mail.outbox[1]
    assert second.to == ["nadia@cuisine.example"]
    assert second.body.startswith("Hello Nadia,")
    assert client.post(confirm_path(second)).status_code == 302
    user.refresh_from_db()
    assert user.is_active
    client.logout()
    assert link_refused(client.post(first))


def test_it_sends_nothing_for_a_deactivated_account(sign_up):
    user = f.make_user(email="nadia@cuisine.example", is_active=False)
    User.objects.filter(pk=user.pk).update(last_login="2024-01-01T00:00:00Z")
    response = sign_up()
    assert response["Location"] == reverse("accounts:signup_done")
    assert len(mail.outbox) == 0


def test_the_service_refuses_a_taken_address(applicant):
    with pytest.raises(EmailTaken) as caught:
        user_signup(email=" ALICE@carrefour.example", full_name="X", password=STRONG, language="fr")
    assert caught.value.user == applicant


def test_the_service_refuses_an_unknown_language(db):
    with pytest.raises(ValueError):
        user_signup(email="x@example.org", full_name="X", password=STRONG, language="xx")
    assert not User.objects.filter(email="x@example.org").exists()


# --- bad links --------------------------------------------------------------------


def uid(pk) -> str:
    return urlsafe_base64_encode(force_bytes(pk))


@pytest.mark.parametrize(
    "uidb64,token",
    [
        ("garbage", "nope"),
        ("AAAA", "x"),
        ("!!!!", "1-2"),
        (uid("not-a-number"), "abc-def"),
        (uid(10**30), "abc-def"),
        (uid(-1), "abc-def"),
        (uid(999999), "abc-def"),
        ("Zm9v", "a" * 500),
    ],
)
def test_it_answers_a_broken_link_with_a_clear_page(client, db, uidb64, token):
    path = f"/accounts/signup/confirm/{uidb64}/{token}/"
    for method in (client.get, client.post):
        response = method(path)
        assert link_refused(response)
        body = response.content.decode()
        assert body.count("<h1") == 1
        assert reverse("accounts:signup") in body


def test_it_refuses_a_token_made_for_another_user(client, sign_up):
    sign_up()
    user = User.objects.get(email="nadia@cuisine.example")
    other = f.make_user(email="other@example.org", is_active=False)
    path = reverse("accounts:signup_confirm", args=[uid(user.pk), signup_token.make_token(other)])
    assert link_refused(client.post(path))
    user.refresh_from_db()
    assert not user.is_active


def test_it_refuses_a_password_reset_token(client, sign_up):
    from django.contrib.auth.tokens import default_token_generator

    sign_up()
    user = User.objects.get(email="nadia@cuisine.example")
    path = reverse("accounts:signup_confirm", args=[uid(user.pk), default_token_generator.make_token(user)])
    assert link_refused(client.post(path))


def test_it_does_not_confirm_an_active_account(client, applicant):
    path = reverse("accounts:signup_confirm", args=[uid(applicant.pk), signup_token.make_token(applicant)])
    assert link_refused(client.post(path))
    assert signed_in_as(client) is None


def test_a_signed_in_user_may_open_a_link(client, sign_up, outsider):
    sign_up()
    path = confirm_path(mail.outbox[0])
    client.force_login(outsider)
    response = client.get(path)
    assert response.status_code == 200
    assert "accounts/signup_confirm.html" in [t.name for t in response.templates]
    assert link_refused(client.get("/accounts/signup/confirm/bad/bad/"))


# --- throttling -------------------------------------------------------------------


def test_it_limits_signups_per_address(sign_up):
    from accounts.forms import MAIL_REQUESTS_MAX

    for i in range(MAIL_REQUESTS_MAX):
        assert sign_up(email=f"person{i}@example.org", ip="192.0.2.5").status_code == 302
    response = sign_up(email="one-more@example.org", ip="192.0.2.5")
    assert response.status_code == 200
    assert response.context["form"].has_error(NON_FIELD_ERRORS, code="throttled")
    assert 'value="one-more@example.org"' in response.content.decode()
    assert not User.objects.filter(email="one-more@example.org").exists()
    assert sign_up(email="one-more@example.org", ip="192.0.2.6").status_code == 302


# --- tasks --------------------------------------------------------------------------


def test_the_task_sends_nothing_once_confirmed(applicant):
    assert tasks.send_signup_confirmation(applicant.pk) is False
    assert len(mail.outbox) == 0


def test_it_sends_the_mail_even_when_the_broker_is_down(sign_up, monkeypatch):
    def broker_down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(tasks.send_signup_confirmation, "delay", broker_down)
    assert sign_up().status_code == 302
    assert len(mail.outbox) == 1
