from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fonds.selectors import calls_open
from tests import factories as f

ROLES = ["applicant", "outsider", "advisor", "reviewer1", "manager", "other_manager", "funder_user", "admin_user"]


def test_it_lists_open_calls_and_not_closed_ones(client, fund):
    now = timezone.now()
    open_call = f.make_call(fund=fund, title="Appel ouvert")
    closed_call = f.make_call(fund=fund, title="Appel fermé", open_now=False)
    upcoming = f.make_call(
        fund=fund, title="Appel à venir", opens_at=now + timedelta(days=5), closes_at=now + timedelta(days=30)
    )
    response = client.get(reverse("fonds:catalogue"))
    assert response.status_code == 200
    assert list(response.context["open_calls"]) == [open_call]
    body = response.content.decode()
    open_section = body.split('id="open-calls"')[1].split("</section>")[0]
    assert open_call.title in open_section
    assert closed_call.title not in open_section
    assert upcoming.title not in open_section
    assert open_call.get_absolute_url() in open_section


def test_it_sorts_open_calls_by_deadline(fund):
    now = timezone.now()
    late = f.make_call(fund=fund, title="Late", closes_at=now + timedelta(days=40))
    soon = f.make_call(fund=fund, title="Soon", closes_at=now + timedelta(days=2))
    assert list(calls_open()) == [soon, late]


def test_it_counts_the_deadline_moment_as_closed(fund):
    call = f.make_call(fund=fund)
    assert call in calls_open(at=call.opens_at)
    assert call not in calls_open(at=call.closes_at)


def test_it_shows_amounts_and_funder(client, fund):
    f.make_call(fund=fund, title="Appel A", min_amount=5000, max_amount=50000)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(reverse("fonds:catalogue")).content.decode()
    assert "$5,000" in body and "$50,000" in body
    assert fund.name in body and fund.funder.name in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    body = client.get(reverse("fonds:catalogue")).content.decode()
    assert "5\u00a0000\u00a0$" in body


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_the_catalogue_to_every_role(client, request, call, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("fonds:catalogue"))
    assert response.status_code == 200
    assert call.title in response.content.decode()


def test_it_does_not_grow_queries_with_calls(client, fund):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("fonds:catalogue")).status_code == 200
        return len(ctx.captured_queries)

    now = timezone.now()

    def make(i):
        other_fund = f.make_fund(name=f"Fonds {i}")  # a distinct fund and funder per call
        f.make_call(fund=other_fund, title=f"Ouvert {i}")
        f.make_call(fund=other_fund, title=f"Fermé {i}", open_now=False)
        f.make_call(
            fund=other_fund,
            title=f"À venir {i}",
            opens_at=now + timedelta(days=3),
            closes_at=now + timedelta(days=40),
        )

    for i in range(2):
        make(i)
    two = count()
    for i in range(2, 10):
        make(i)
    assert len(calls_open()) == 10
    assert count() == two


def test_it_titles_the_page_with_its_own_name_then_the_site(client, db):
    html = client.get(reverse("fonds:catalogue"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<title>Appels de projets · Guichet</title>" in html
