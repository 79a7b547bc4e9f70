"""The public catalogue in a real browser, with filters, in French and in English (axe-core clean)."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Population, Region
from accounts.vocabulary import POPULATIONS, THEMES, vocabulary_load
from fonds.models import Theme
from fonds.services import call_set_audience
from tests import factories as f

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def calls(transactional_db):
    vocabulary_load(Population, POPULATIONS)
    vocabulary_load(Theme, THEMES)
    fund = f.make_fund()
    lanaudiere = f.make_call(fund=fund, title="Sécurité alimentaire Lanaudière", min_amount=1000, max_amount=20000)
    call_set_audience(
        call=lanaudiere, regions=[Region.objects.get(code="14")], themes=[Theme.objects.get(code="food-security")]
    )
    f.make_call(fund=fund, title="Grands projets partout", min_amount=100000, max_amount=500000)
    return lanaudiere


@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_filters_the_catalogue(page, calls, language):
    page.goto("/")
    if language == "en":
        with page.expect_navigation():
            page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", f"{language}-CA")
    assert_accessible(page)
    cards = page.locator("#open-calls ~ ul.cards > li, section[aria-labelledby=open-calls] li.card")
    expect(cards).to_have_count(2)

    page.locator("#id_amount").fill("15000")
    page.locator("#id_theme").select_option("food-security")
    with page.expect_navigation():
        page.locator("main form[method=get] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"amount=15000"))
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Sécurité alimentaire Lanaudière")
    expect(page.locator("#id_amount")).to_have_value("15000")
    assert_accessible(page)

    # A bad filter: a message, the other filters still apply, never an error page.
    page.goto("/?amount=beaucoup&theme=food-security")
    expect(page.locator("[role=alert]")).to_be_visible()
    expect(cards).to_have_count(1)
    assert_accessible(page)

    with page.expect_navigation():
        cards.first.get_by_role("link").click()
    expect(page.locator("#eligibility-rules li").first).to_be_visible()
    assert_accessible(page)
