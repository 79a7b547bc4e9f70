"""The follow-up in a real browser (Chromium + axe-core): a yearly report and the funder dashboard, fr and en."""

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from reporting.models import Report
from tests.reporting.conftest import fund_application
from workflow.engine import active_task
from workflow.flows import ApplicationFlow

from .conftest import assert_accessible
from .test_applicant_journey import html_lang, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def funded(draft, applicant, manager, reviewer1, reviewer2):
    fund_application(application=draft, applicant=applicant, manager=manager, reviewers=[reviewer1, reviewer2],
                     amounts=[Decimal("20000"), Decimal("15000")], signed_on=date(2026, 4, 1))  # fmt: skip
    return draft


def _switch_to_english(page):
    with page.expect_navigation():
        page.locator("header form.lang-switch").get_by_role("button", name="English").click()
    assert html_lang(page).startswith("en")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_files_a_yearly_report(page, funded, applicant, language):
    task = active_task(application=funded, node=ApplicationFlow.report)
    indicator = funded.indicators.get()
    page.goto(f"/accounts/login/?next=/tasks/{task.pk}/")
    sign_in(page, applicant)
    expect(page).to_have_url(re.compile(rf"/tasks/{task.pk}/$"))
    if language == "en":
        _switch_to_english(page)
    assert_accessible(page)
    form = page.locator("main form[enctype='multipart/form-data']")
    form.locator("[name=narrative]").fill(
        "Vingt familles ont cuisiné ensemble." if language == "fr" else "Twenty families."
    )
    form.locator(f"[name=actual_{indicator.pk}]").fill("20")
    form.locator("[name=spent_project]").fill("19 500" if language == "fr" else "19,500")
    with page.expect_navigation():
        form.locator("button[type=submit].primary").click()
    # 20 of 40 is off target: the comment is asked for, what was typed is kept, and the page stays accessible.
    expect(page.locator(f"[name=comment_{indicator.pk}]")).to_have_attribute("aria-invalid", "true")
    expect(form.locator(f"[name=actual_{indicator.pk}]")).to_have_value("20")
    assert_accessible(page)
    form.locator(f"[name=comment_{indicator.pk}]").fill("Local fermé deux mois.")
    with page.expect_navigation():
        form.locator("button[type=submit].primary").click()
    expect(page).to_have_url(re.compile(r"/tasks/inbox/$"))
    assert_accessible(page)
    report = Report.objects.get(agreement__application=funded)
    assert report.results.get().comment == "Local fermé deux mois."
    assert report.spending.get().spent == Decimal("19500")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_funder_reads_the_dashboard_and_asks_for_the_fund_year_report(page, funded, funder_user, language):
    page.goto("/accounts/login/?next=/funders/")
    sign_in(page, funder_user)
    expect(page).to_have_url(re.compile(r"/funders/$"))
    if language == "en":
        _switch_to_english(page)
    expect(page.locator("main svg[role=img]").first).to_be_visible()
    assert_accessible(page)
    page.locator("main form.filters select[name=year]").first.select_option("2026")
    with page.expect_navigation():
        page.locator("main form.filters button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"year=2026"))
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main form:has(input[name=kind][value=fund_year]) button").first.click()
    expect(page).to_have_url(re.compile(r"/funders/exports/\d+/$"))
    expect(page.get_by_role("link", name=re.compile("PDF"))).to_be_visible(timeout=60000)
    assert_accessible(page)
    page.goto(f"/funders/projects/{funded.pk}/")
    assert_accessible(page)
