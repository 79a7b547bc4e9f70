import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership
from accounts.services import user_update_preferences
from tests import factories as f

PROFILE = "/accounts/profile/"
ROLES = ["applicant", "colleague", "outsider", "advisor", "reviewer1", "manager", "funder_user", "admin_user"]


def test_it_sends_anonymous_to_the_login_page(client, db):
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={PROFILE}"


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_each_role_its_own_account(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    body = response.content.decode()
    assert user.email in body
    assert body.count("<h1") == 1
    assert '<label for="id_full_name"' in body and '<label for="id_language"' in body


def test_it_lists_only_the_users_organisations(client, applicant, organisation, outsider):
    client.force_login(applicant)
    body = client.get(PROFILE).content.decode()
    assert organisation.name in body
    assert "Ailleurs" not in body
    client.force_login(outsider)
    body = client.get(PROFILE).content.decode()
    assert "Ailleurs" in body
    assert organisation.name not in body


def test_it_does_not_grow_queries_with_organisations(client, applicant):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(PROFILE).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(applicant)
    for i in range(2):
        f.make_organisation(name=f"Org {i}", admin=applicant)
    two = count()
    for i in range(2, 10):
        f.make_organisation(name=f"Org {i}", admin=applicant)
    assert Membership.objects.filter(user=applicant).count() == 10
    assert count() == two


def test_it_switches_the_language(client, applicant):
    client.force_login(applicant)
    response = client.post(PROFILE, {"full_name": "Alice A.", "language": "en"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    applicant.refresh_from_db()
    assert applicant.language == "en"
    assert applicant.full_name == "Alice A."
    # The next page is in English (the message and the page use the new language).
    follow = client.get(PROFILE)
    assert follow.wsgi_request.LANGUAGE_CODE == "en"


def test_it_keeps_what_was_typed_on_a_bad_language(client, applicant):
    client.force_login(applicant)
    response = client.post(PROFILE, {"full_name": "Typed Name", "language": "de"})
    assert response.status_code == 200
    assert response.context["form"].has_error("language")
    assert 'value="Typed Name"' in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.language == "fr"
    assert applicant.full_name == "Alice Applicant"


def test_it_refuses_profile_changes_from_anonymous(client, applicant):
    response = client.post(PROFILE, {"full_name": "X", "language": "en"})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.language == "fr"


def test_it_refuses_an_unknown_language_in_the_service(applicant):
    with pytest.raises(ValueError):
        user_update_preferences(user=applicant, full_name="A", language="xx")
