from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, override

from fonds.services import DEFAULT_CRITERIA
from tests import factories as f


def create_url(call) -> str:
    return reverse("forms:create", args=[call.pk])


def test_it_shows_a_call_to_anonymous(client, call):
    response = client.get(call.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert call.title in body
    assert call.description in body


def test_it_returns_404_for_an_unknown_call(client, db):
    assert client.get(reverse("fonds:call", args=[999999])).status_code == 404


def test_it_shows_the_three_default_criteria_in_french_by_default(client, call):
    body = client.get(call.get_absolute_url()).content.decode()
    assert call.criteria.count() == 3
    with override("fr"):
        for spec in DEFAULT_CRITERIA:
            assert escape(gettext(spec["title"])) in body
            assert escape(gettext(spec["description"])) in body
            for item in spec["checklist"]:
                assert escape(gettext(item)) in body


def test_it_shows_the_criteria_in_english_with_the_english_cookie(client, call):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(call.get_absolute_url())
    assert response.wsgi_request.LANGUAGE_CODE == "en"
    body = response.content.decode()
    assert "Innovation" in body
    assert "Concertation" in body
    assert "Sustainability (pérennité)" in body
    assert "At least one partner of the territory takes part in the project." in body


def test_it_shows_the_criteria_in_english_with_accept_language(client, call):
    response = client.get(call.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en-CA,en;q=0.9")
    assert response.wsgi_request.LANGUAGE_CODE == "en"
    assert "Sustainability (pérennité)" in response.content.decode()


def test_it_shows_dates_in_eastern_time_and_amounts(client, fund):
    # 2030-03-01 17:00 UTC is 12 h 00 in Montréal (EST, UTC-5).
    from datetime import UTC, datetime

    opens = timezone.now() - timedelta(days=1)
    closes = datetime(2030, 3, 1, 17, 0, tzinfo=UTC)
    call = f.make_call(fund=fund, opens_at=opens, closes_at=closes, envelope=250000, min_amount=5000, max_amount=50000)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(call.get_absolute_url()).content.decode()
    assert "March 1, 2030, noon" in body
    assert "$250,000" in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    body = client.get(call.get_absolute_url()).content.decode()
    assert "12 h 00" in body
    assert "250\u00a0000\u00a0$" in body


def test_it_shows_the_start_button_to_an_applicant_member(client, applicant, organisation, call):
    client.force_login(applicant)
    body = client.get(call.get_absolute_url()).content.decode()
    assert f'action="{create_url(call)}"' in body
    assert 'method="post"' in body


def test_it_shows_the_start_button_to_an_applicant_of_another_organisation(client, outsider, call):
    # Any applicant who belongs to an organisation may apply to a public call.
    client.force_login(outsider)
    assert f'action="{create_url(call)}"' in client.get(call.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", ["advisor", "reviewer1", "manager", "other_manager", "funder_user", "admin_user"])
def test_it_hides_the_start_button_from_other_roles(client, request, call, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(call.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_apply"] is False
    assert_no_start_form(response.content.decode(), call)


def test_it_hides_the_start_button_from_an_applicant_without_organisation(client, applicant, call):
    client.force_login(applicant)  # no `organisation` fixture: no membership
    response = client.get(call.get_absolute_url())
    assert response.context["can_apply"] is False
    assert response.context["applicant_without_organisation"] is True
    assert_no_start_form(response.content.decode(), call)


def test_it_hides_the_start_button_when_the_call_is_closed(client, applicant, organisation, fund):
    closed = f.make_call(fund=fund, open_now=False)
    client.force_login(applicant)
    response = client.get(closed.get_absolute_url())
    assert response.status_code == 200
    assert response.context["status"] == "closed"
    assert_no_start_form(response.content.decode(), closed)


def test_it_asks_anonymous_to_sign_in_with_next(client, call):
    body = client.get(call.get_absolute_url()).content.decode()
    assert f"{reverse('accounts:login')}?next=/calls/{call.pk}/" in body
    assert_no_start_form(body, call)


def test_it_uses_a_fixed_number_of_queries_whatever_the_criteria(client, call):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(call.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(5):
        criterion = call.criteria.create(key=f"extra-{i}", title=f"Extra {i}", description="More.", position=10 + i)
        criterion.checklist.create(text=f"Question {i}")
    assert count() == before


def assert_no_start_form(body: str, call) -> None:
    try:
        url = create_url(call)
    except NoReverseMatch:  # forms app not wired yet: the button cannot be there either
        url = "/applications/"
    assert f'action="{url}"' not in body


def test_it_lets_a_member_of_several_organisations_choose(client, applicant, organisation, call):
    second = f.make_organisation(name="Deuxième organisme", admin=applicant)
    client.force_login(applicant)
    body = client.get(call.get_absolute_url()).content.decode()
    assert '<label for="id_organisation"' in body
    assert f'<option value="{organisation.pk}">' in body
    assert f'<option value="{second.pk}">' in body


def test_it_starts_an_application_from_the_call_page(client, applicant, organisation, call):
    client.force_login(applicant)
    response = client.post(create_url(call), {"organisation": organisation.pk})
    assert response.status_code == 302
    assert organisation.applications.filter(call=call).count() == 1
