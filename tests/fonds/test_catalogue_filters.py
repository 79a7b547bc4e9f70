"""The catalogue's GET filters: territory, theme, population, amount, duration, deadline."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Mrc, Population, Region
from fonds.models import Theme
from fonds.services import call_set_audience
from tests import factories as f

URL = reverse("fonds:catalogue")


@pytest.fixture
def calls(db, fund, vocabularies):
    """Four open calls with distinct audiences."""
    now = timezone.now()
    quebec = f.make_call(fund=fund, title="Partout au Québec", closes_at=now + timedelta(days=30), max_years=1)
    lanaudiere = f.make_call(
        fund=fund, title="Lanaudière seulement", closes_at=now + timedelta(days=10), min_amount=1000, max_amount=20000
    )
    call_set_audience(
        call=lanaudiere,
        regions=[Region.objects.get(code="14")],
        themes=[Theme.objects.get(code="food-security")],
        populations=[Population.objects.get(code="youth")],
    )
    gatineau = f.make_call(fund=fund, title="MRC de Gatineau", closes_at=now + timedelta(days=20), max_years=2)
    call_set_audience(
        call=gatineau, mrcs=[Mrc.objects.get(code="081")], populations=[Population.objects.get(code="seniors")]
    )
    big = f.make_call(
        fund=fund, title="Grands projets", closes_at=now + timedelta(days=60), min_amount=100000, max_amount=500000
    )
    call_set_audience(call=big, themes=[Theme.objects.get(code="housing")])
    return {"quebec": quebec, "lanaudiere": lanaudiere, "gatineau": gatineau, "big": big}


def titles(response) -> list[str]:
    return [c.title for c in response.context["open_calls"]]


def test_it_lists_every_open_call_by_deadline_without_filters(client, calls):
    response = client.get(URL)
    assert titles(response) == ["Lanaudière seulement", "MRC de Gatineau", "Partout au Québec", "Grands projets"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"territory": "region:14"}, ["Lanaudière seulement", "Partout au Québec", "Grands projets"]),
        ({"territory": "mrc:061"}, ["Lanaudière seulement", "Partout au Québec", "Grands projets"]),
        ({"territory": "mrc:081"}, ["MRC de Gatineau", "Partout au Québec", "Grands projets"]),
        ({"territory": "region:07"}, ["MRC de Gatineau", "Partout au Québec", "Grands projets"]),
        ({"theme": "food-security"}, ["Lanaudière seulement"]),
        ({"population": "seniors"}, ["MRC de Gatineau", "Partout au Québec", "Grands projets"]),
        ({"amount": "15000"}, ["Lanaudière seulement", "MRC de Gatineau", "Partout au Québec"]),
        ({"amount": "200000"}, ["Grands projets"]),
        ({"years": "2"}, ["Lanaudière seulement", "MRC de Gatineau", "Grands projets"]),
        ({"territory": "region:14", "amount": "15000", "years": "3"}, ["Lanaudière seulement"]),
    ],
)
def test_it_filters_open_calls(client, calls, params, expected):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert titles(response) == expected
    assert response.context["filtering"] is True
    assert response.context["closed_calls"] == []


def test_it_filters_by_deadline_in_montreal_time(client, calls):
    day = timezone.localtime(calls["gatineau"].closes_at).date()
    response = client.get(URL, {"deadline_before": day.isoformat()})
    assert titles(response) == ["Lanaudière seulement", "MRC de Gatineau"]
    response = client.get(URL, {"deadline_before": (day - timedelta(days=1)).isoformat()})
    assert titles(response) == ["Lanaudière seulement"]


@pytest.mark.parametrize(
    "params",
    [
        {"amount": "beaucoup"},
        {"amount": "-5"},
        {"years": "0"},
        {"years": "99999999999999999999"},
        {"deadline_before": "2026-02-31"},
        {"territory": "mrc:999"},
        {"territory": "nowhere"},
        {"theme": "no-such-theme"},
        {"population": "nul\x00"},
        {"amount": "1e400"},
    ],
)
def test_it_reports_bad_filters_and_ignores_them(client, calls, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["form"].errors
    body = response.content.decode()
    assert 'role="alert"' in body
    assert len(titles(response)) == 4  # the bad filter is ignored


def test_it_ignores_nul_characters_in_filters(client, calls):
    response = client.get(URL, {"population": "\x00"})
    assert response.status_code == 200
    assert len(titles(response)) == 4


def test_it_keeps_valid_filters_when_another_is_bad(client, calls):
    response = client.get(URL, {"amount": "200000", "years": "zéro"})
    assert titles(response) == ["Grands projets"]
    assert 'value="200000"' in response.content.decode()


def test_it_shows_territory_themes_and_populations_on_the_cards(client, calls):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(URL).content.decode()
    assert "All of Québec" in body
    assert "Food security" in body
    assert "MRC Gatineau" in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    body = client.get(URL).content.decode()
    assert "Sécurité alimentaire" in body  # the vocabulary is named in both languages in the database
    assert "Food security" not in body


def test_it_uses_a_constant_number_of_queries_with_filters(client, fund, vocabularies):
    params = {"territory": "mrc:061", "population": "youth", "amount": "10000", "years": "1", "theme": "housing"}
    housing = Theme.objects.get(code="housing")
    youth = Population.objects.get(code="youth")

    def make(i):
        call = f.make_call(fund=f.make_fund(name=f"Fonds {i}"), title=f"Appel {i}")
        call_set_audience(
            call=call, themes=[housing], populations=[youth], regions=[Region.objects.get(code="14")],
            mrcs=[Mrc.objects.get(code="061")],
        )  # fmt: skip

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, params)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(response.context["open_calls"])

    for i in range(2):
        make(i)
    two, shown = count()
    assert shown == 2
    for i in range(2, 10):
        make(i)
    ten, shown = count()
    assert shown == 10
    assert ten == two
