"""An applicant's whole journey in a real browser: catalogue → call → sign in → wizard → submission.

Every page visited is checked with axe-core (WCAG 2.1 A/AA). Buttons and links are
found by role with a name that accepts French or English, since the French
catalogue may lag behind the templates.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from forms.models import Application
from forms.services import application_save_partners, application_save_sustainability
from tests.factories import PASSWORD
from workflow.engine import active_task
from workflow.flows import ApplicationFlow

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIZARD_STEP = re.compile(r"/applications/(\d+)/edit/(\w+)/$")
START = re.compile(r"Commencer une demande|Start an application", re.I)
SUBMIT = re.compile(r"Soumettre|Déposer|Submit", re.I)


# -- helpers -----------------------------------------------------------------------------------


def sign_in(page, user) -> None:
    """Fill the sign-in page the browser is on (axe-checked) and send it."""
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert_accessible(page)
    form = page.locator("main form[action$='/accounts/login/']")
    form.locator("[name=username]").fill(user.email)
    form.locator("[name=password]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def wizard_form(page):
    return page.locator("main form:has([name='application_wizard-current_step'])")


def on_step(page, step: str) -> int:
    """Wait until the browser shows wizard step `step`; return the application's pk."""
    expect(page).to_have_url(re.compile(rf"/applications/\d+/edit/{step}/$"))
    expect(page.locator("[aria-current=step]")).to_have_count(1)
    return int(WIZARD_STEP.search(page.url).group(1))


def save_and_continue(page) -> None:
    with page.expect_navigation():
        wizard_form(page).locator("button[type=submit].primary").click()


def html_lang(page) -> str:
    return page.locator("html").get_attribute("lang") or ""


def start_application(page, call) -> int:
    """From the call page (signed in): press the start button; return the new draft's pk."""
    expect(page).to_have_url(re.compile(rf"/calls/{call.pk}/$"))
    form = page.locator(f"main form[action$='/applications/new/{call.pk}/']")
    button = form.get_by_role("button", name=START)
    expect(button).to_be_visible()
    with page.expect_navigation():
        button.click()
    return on_step(page, "project")


def fill_project(page, *, title: str) -> None:
    form = wizard_form(page)
    form.locator("[name=project-title]").fill(title)
    form.locator("[name=project-summary]").fill("Des repas partagés entre familles du quartier.")
    form.locator("[name=project-concerted]").check()


# -- the journeys ------------------------------------------------------------------------------


def test_it_takes_an_applicant_from_the_catalogue_to_a_submitted_application_in_french(
    page, call, organisation, applicant
):
    page.goto("/")
    assert html_lang(page).startswith("fr")
    assert_accessible(page)

    page.get_by_role("link", name=call.title).click()
    expect(page).to_have_url(re.compile(rf"/calls/{call.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(call.title)
    assert_accessible(page)

    # Not signed in: the call page offers to sign in, and comes back here afterwards.
    page.locator("main a[href*='/accounts/login/']").click()
    sign_in(page, applicant)
    pk = start_application(page, call)
    application = Application.objects.get(pk=pk)
    assert application.organisation == organisation
    assert application.status == Application.Status.DRAFT

    # 1. Project
    assert_accessible(page)
    fill_project(page, title="Cuisine collective de Joliette")
    save_and_continue(page)

    # 2. Budget (French amounts: the space groups thousands)
    on_step(page, "budget")
    assert_accessible(page)
    form = wizard_form(page)
    form.locator("[name=budget-year_1]").fill("20 000")
    form.locator("[name=budget-year_2]").fill("15000")
    save_and_continue(page)

    # 3. Partners and indicators
    on_step(page, "partners")
    assert_accessible(page)
    form = wizard_form(page)
    form.locator("[name=partners-partners-0-name]").fill("CISSS de Lanaudière")
    form.locator("[name=partners-partners-0-role]").fill("Référence des familles")
    form.locator("[name=partners-indicators-0-name]").fill("Familles rejointes")
    form.locator("[name=partners-indicators-0-unit]").fill("familles")
    form.locator("[name=partners-indicators-0-baseline]").fill("0")
    form.locator("[name=partners-indicators-0-target]").fill("40")
    save_and_continue(page)

    # 4. Sustainability plan and the call's checklist
    on_step(page, "sustainability")
    assert_accessible(page)
    form = wizard_form(page)
    form.locator("[name=sustainability-sustainability_plan]").fill("Autofinancement par la vente de repas.")
    checkboxes = form.locator("input[type=checkbox][name^='sustainability-item_']")
    ticked = checkboxes.count()
    assert ticked >= 1, "the call's default criteria come with checklist items"
    justifications = form.locator("[name^='sustainability-justification_']")
    for i in range(ticked):
        checkboxes.nth(i).check()
        justifications.nth(i).fill("Entente signée avec le CISSS.")  # a ticked item is justified
    save_and_continue(page)

    # 5. Summary: nothing missing, the recap shows what was typed
    on_step(page, "summary")
    assert_accessible(page)
    main = page.locator("main")
    expect(main).to_contain_text("Cuisine collective de Joliette")
    expect(main).to_contain_text("CISSS de Lanaudière")
    expect(main).to_contain_text("35 000")
    submit = page.locator(f"main form[action$='/applications/{pk}/submit/']").get_by_role("button", name=SUBMIT)
    with page.expect_navigation():
        submit.click()

    expect(page).to_have_url(re.compile(rf"/applications/{pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cuisine collective de Joliette")
    expect(page.locator("main .badge").first).to_have_text(re.compile(r"Soumise|Déposée|Submitted", re.I))
    expect(page.locator(".messages .message.success")).to_have_count(1)
    assert_accessible(page)

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at is not None
    assert application.title == "Cuisine collective de Joliette"
    assert application.concerted is True
    assert [y.amount for y in application.years.order_by("year")] == [Decimal("20000"), Decimal("15000")]
    assert [(p.name, p.role) for p in application.partners.all()] == [("CISSS de Lanaudière", "Référence des familles")]
    assert [(i.name, i.unit, i.target) for i in application.indicators.all()] == [
        ("Familles rejointes", "familles", Decimal("40"))
    ]
    assert application.sustainability_plan == "Autofinancement par la vente de repas."
    assert application.checklist_answers.filter(checked=True).count() == ticked
    assert active_task(application=application, node=ApplicationFlow.screen) is not None


def test_it_lets_an_applicant_do_the_journey_in_english(page, call, organisation, applicant):
    page.goto(f"/accounts/login/?next=/calls/{call.pk}/")
    sign_in(page, applicant)
    expect(page).to_have_url(re.compile(rf"/calls/{call.pk}/$"))
    assert html_lang(page).startswith("fr")

    # The header button posts to set_language and comes back to the same page.
    with page.expect_navigation():
        page.locator("header form.lang-switch").get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(rf"/calls/{call.pk}/$"))
    assert html_lang(page).startswith("en")
    expect(page.locator("header form.lang-switch").get_by_role("button")).to_have_text("Français")
    assert_accessible(page)

    pk = start_application(page, call)
    assert html_lang(page).startswith("en")
    expect(page.get_by_role("heading", level=2, name="Project")).to_be_visible()
    assert_accessible(page)
    fill_project(page, title="Community kitchen")
    save_and_continue(page)
    on_step(page, "budget")
    assert_accessible(page)
    wizard_form(page).locator("[name=budget-year_1]").fill("$12,000")  # English amounts: the comma groups
    save_and_continue(page)
    on_step(page, "partners")
    application = Application.objects.get(pk=pk)
    assert [y.amount for y in application.years.all()] == [Decimal("12000")]

    # The other steps are filled through the services; the summary and submission run in the browser.
    application_save_partners(
        application=application,
        partners=[{"name": "CISSS de Lanaudière", "role": "Referrals"}],
        indicators=[{"name": "Families reached", "unit": "families", "baseline": 0, "target": 40}],
    )
    application_save_sustainability(application=application, sustainability_plan="Self-funding.", answers={})

    page.get_by_role("navigation", name="Steps of the application").get_by_role(
        "link", name=re.compile("Summary and submission")
    ).click()
    on_step(page, "summary")
    assert html_lang(page).startswith("en")
    expect(page.locator("main")).to_contain_text("$12,000")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator(f"main form[action$='/applications/{pk}/submit/']").get_by_role(
            "button", name="Submit the application"
        ).click()

    expect(page).to_have_url(re.compile(rf"/applications/{pk}/$"))
    assert html_lang(page).startswith("en")
    expect(page.locator("main .badge").first).to_have_text("Submitted")
    assert_accessible(page)

    application.refresh_from_db()
    assert application.submitted_at is not None
    assert active_task(application=application, node=ApplicationFlow.screen) is not None


def test_it_resumes_the_wizard_at_the_saved_step_in_a_new_session(browser, live_server, call, organisation, applicant):
    first = browser.new_context(locale="fr-CA", base_url=live_server.url)
    try:
        page = first.new_page()
        page.set_default_timeout(15000)
        page.goto(f"/accounts/login/?next=/calls/{call.pk}/")
        sign_in(page, applicant)
        pk = start_application(page, call)
        fill_project(page, title="Jardin communautaire")
        save_and_continue(page)
        on_step(page, "budget")
    finally:
        first.close()

    application = Application.objects.get(pk=pk)
    assert application.title == "Jardin communautaire"
    assert application.concerted is True
    assert application.wizard_step == "budget"

    second = browser.new_context(locale="fr-CA", base_url=live_server.url)
    try:
        page = second.new_page()
        page.set_default_timeout(15000)
        page.goto("/applications/")
        sign_in(page, applicant)  # a new session: the dashboard sends to the sign-in page first
        expect(page).to_have_url(re.compile(r"/applications/$"))
        assert_accessible(page)

        row = page.locator("main table tbody tr", has_text="Jardin communautaire")
        expect(row).to_have_count(1)
        with page.expect_navigation():
            row.locator(f"a[href$='/applications/{pk}/edit/']").click()

        assert on_step(page, "budget") == pk
        expect(page.locator("[aria-current=step]")).to_contain_text("2.")
        expect(wizard_form(page).locator("[name=budget-year_1]")).to_be_visible()
        assert_accessible(page)

        # Step 1 kept what was typed in the other session.
        page.get_by_role("navigation", name=re.compile(r"étapes|steps", re.I)).get_by_role(
            "link", name=re.compile(r"^1\.")
        ).click()
        on_step(page, "project")
        expect(wizard_form(page).locator("[name=project-title]")).to_have_value("Jardin communautaire")
        expect(wizard_form(page).locator("[name=project-concerted]")).to_be_checked()
    finally:
        second.close()
