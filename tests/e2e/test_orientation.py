"""The orientation questionnaire in a real browser, anonymous and from a member's profile, fr and en (axe-core clean)."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Mrc, Population, Region
from accounts.services import organisation_update
from accounts.vocabulary import POPULATIONS, THEMES, vocabulary_load
from fonds.models import Theme
from fonds.services import call_set_audience, eligibility_rule_add
from tests import factories as f
from tests.factories import PASSWORD

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def calls(transactional_db):
    vocabulary_load(Population, POPULATIONS)
    vocabulary_load(Theme, THEMES)
    fund = f.make_fund()
    lanaudiere = f.make_call(fund=fund, title="Appel Lanaudière", min_amount=5000, max_amount=50000)
    call_set_audience(call=lanaudiere, regions=[Region.objects.get(code="14")])
    eligibility_rule_add(call=lanaudiere, kind="legal_form_in", parameters={"legal_forms": ["obnl"]})
    outaouais = f.make_call(fund=fund, title="Appel Outaouais", min_amount=5000, max_amount=50000)
    call_set_audience(call=outaouais, mrcs=[Mrc.objects.get(code="081")])
    return lanaudiere, outaouais


@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_orients_an_anonymous_visitor(page, calls, language):
    page.goto("/orientation/")
    if language == "en":
        with page.expect_navigation():
            page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", f"{language}-CA")
    assert_accessible(page)
    form = page.locator("#questionnaire")
    form.locator("#id_legal_form").select_option("obnl")
    form.get_by_label("Joliette", exact=True).check()
    form.locator("#id_amount").fill("60000")
    form.locator("#id_years").fill("1")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"mrcs=061"))
    others = page.locator("section[aria-labelledby=others-title] li.card")
    expect(others).to_have_count(2)
    expect(page.locator("li.not_met").first).to_be_visible()
    expect(form.get_by_label("Joliette", exact=True)).to_be_checked()
    assert_accessible(page)

    form.locator("#id_amount").fill("20000")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    eligible = page.locator("#results li.card")
    expect(eligible).to_have_count(1)
    expect(eligible.first).to_contain_text("Appel Lanaudière")
    assert_accessible(page)


def test_it_starts_from_a_members_profile(page, calls):
    applicant = f.make_user(email="alice@carrefour.example", role="applicant", full_name="Alice")
    organisation = f.make_organisation(admin=applicant, mrc_code="081")
    organisation_update(organisation=organisation, by=applicant, mrcs_served=[Mrc.objects.get(code="081")])
    page.goto("/accounts/login/?next=/orientation/")
    page.locator("main [name=username]").fill(applicant.email)
    page.locator("main [name=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/orientation/$"))
    expect(page.locator("#questionnaire").get_by_label("Gatineau", exact=True)).to_be_checked()
    expect(page.locator("#results li.card").first).to_contain_text("Appel Outaouais")
    assert_accessible(page)
