import time

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse

from tests import factories as f

LOGIN = "/accounts/login/"


def post_login(client, email, password=f.PASSWORD, ip="127.0.0.1", **extra):
    return client.post(LOGIN, {"username": email, "password": password, **extra}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def throttled(response) -> bool:
    form = response.context["form"]
    return form.has_error(NON_FIELD_ERRORS, code="throttled")


def test_it_shows_the_login_form_to_anonymous(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'type="email"' in body
    assert '<label for="id_username"' in body
    assert '<label for="id_password"' in body


def test_it_signs_in_with_email_and_password(client, applicant):
    response = post_login(client, applicant.email)
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert int(client.session["_auth_user_id"]) == applicant.pk


def test_it_ignores_the_case_of_the_email(client, applicant):
    response = post_login(client, "  Alice@Carrefour.EXAMPLE ")
    assert response.status_code == 302
    assert signed_in(client)


def test_it_follows_a_safe_next(client, applicant, call):
    response = post_login(client, applicant.email, next=call.get_absolute_url())
    assert response["Location"] == call.get_absolute_url()


def test_it_carries_next_through_the_login_form(client, call):
    response = client.get(LOGIN, {"next": call.get_absolute_url()})
    assert f'<input type="hidden" name="next" value="{call.get_absolute_url()}">' in response.content.decode()


def test_it_refuses_an_offsite_next(client, applicant):
    response = post_login(client, applicant.email, next="https://evil.example/")
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


def test_it_keeps_the_typed_email_on_a_wrong_password(client, applicant):
    response = post_login(client, applicant.email, password="wrong")
    assert response.status_code == 200
    assert not signed_in(client)
    form = response.context["form"]
    assert form.has_error(NON_FIELD_ERRORS, code="invalid_login")
    body = response.content.decode()
    assert f'value="{applicant.email}"' in body
    assert 'role="alert"' in body


def test_it_shows_a_field_error_for_a_malformed_email(client, db):
    response = post_login(client, "not-an-email", password="x")
    assert response.status_code == 200
    assert response.context["form"].has_error("username")
    body = response.content.decode()
    assert 'value="not-an-email"' in body
    assert 'aria-invalid="true"' in body


def test_it_does_not_sign_in_an_inactive_user(client, db):
    user = f.make_user(email="gone@example.org", is_active=False)
    post_login(client, user.email)
    assert not signed_in(client)


def test_it_sends_a_signed_in_user_on(client, applicant):
    client.force_login(applicant)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)


# --- throttling -------------------------------------------------------------


def test_it_refuses_the_sixth_attempt_even_with_the_right_password(client, applicant, monkeypatch):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = post_login(client, applicant.email, password="wrong")
        assert not throttled(response)

    def no_password_check(*args, **kwargs):
        raise AssertionError("the password must not be checked while throttled")

    monkeypatch.setattr("django.contrib.auth.forms.authenticate", no_password_check)
    response = post_login(client, applicant.email)
    assert response.status_code == 200
    assert throttled(response)
    assert not signed_in(client)
    # 900 s window: "Try again in 15 minutes", whatever the language.
    message = str(response.context["form"].non_field_errors()[0])
    assert "15" in message
    assert f'value="{applicant.email}"' in response.content.decode()


def test_it_counts_failures_per_email_whatever_the_case_and_address(client, applicant):
    for i in range(settings.LOGIN_MAX_FAILURES):
        email = applicant.email.upper() if i % 2 else applicant.email
        post_login(client, email, password="wrong", ip=f"10.0.0.{i + 1}")
    response = post_login(client, applicant.email, ip="10.0.1.1")
    assert throttled(response)
    assert not signed_in(client)


def test_it_counts_failures_per_address_across_emails(client, applicant, colleague):
    for i in range(settings.LOGIN_MAX_FAILURES):
        post_login(client, f"someone{i}@example.org", password="wrong", ip="192.0.2.7")
    response = post_login(client, colleague.email, ip="192.0.2.7")
    assert throttled(response)
    assert not signed_in(client)
    # Another address is not affected.
    response = post_login(client, colleague.email, ip="192.0.2.8")
    assert response.status_code == 302


def test_it_clears_the_email_counter_after_a_success(client, applicant):
    below = settings.LOGIN_MAX_FAILURES - 1
    for i in range(below):
        post_login(client, applicant.email, password="wrong", ip=f"10.0.0.{i + 1}")
    assert post_login(client, applicant.email, ip="10.0.0.50").status_code == 302
    client.logout()
    for i in range(below):
        post_login(client, applicant.email, password="wrong", ip=f"10.0.1.{i + 1}")
    # 2 × (max - 1) failures in the window, but the success in between reset the count.
    response = post_login(client, applicant.email, ip="10.0.2.1")
    assert response.status_code == 302


def test_it_allows_again_once_the_window_is_over(client, applicant, monkeypatch):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        post_login(client, applicant.email, password="wrong")
    assert throttled(post_login(client, applicant.email))
    # Jump past the window: the cache (and the throttle) read time.time().
    later = time.time() + settings.LOGIN_FAILURE_WINDOW + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert post_login(client, applicant.email).status_code == 302


# --- language ---------------------------------------------------------------


def test_it_sets_the_language_cookie_to_the_users_preference(client, reviewer2):
    assert reviewer2.language == "en"
    response = post_login(client, reviewer2.email)
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_it_leaves_the_cookie_alone_when_it_already_matches(client, applicant):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = post_login(client, applicant.email)
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_it_replaces_a_cookie_that_differs(client, applicant):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = post_login(client, applicant.email)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


# --- logout -----------------------------------------------------------------


def test_it_signs_out_on_post(client, applicant):
    client.force_login(applicant)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse(settings.LOGOUT_REDIRECT_URL)
    assert not signed_in(client)


def test_it_does_not_sign_out_on_get(client, applicant):
    client.force_login(applicant)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert signed_in(client)
