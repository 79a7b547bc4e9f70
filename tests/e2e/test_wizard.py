"""Every wizard step in a real browser, in French and in English: axe-core clean, autosave while
typing (status shown, retried after a network failure), character counters, the conflict panel."""

import re

import pytest
from playwright.sync_api import expect

from forms.models import Application
from forms.services import (
    application_save_partners,
    application_save_project,
    call_form_configure,
    call_question_ensure,
)
from tests import factories as f

from .conftest import assert_accessible, in_both_languages
from .test_applicant_journey import on_step, save_and_continue, sign_in, wizard_form

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"Saved at|Enregistré à")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def wizard_draft(call, organisation, applicant):
    call_form_configure(call=call, attachments_enabled=True, attachments_help="Lettres d'appui.")
    call_question_ensure(
        call=call, label="Quelles populations le projet rejoint-il?", step="project", max_length=300, required=True
    )
    return f.make_draft(call=call, organisation=organisation, by=applicant)


def open_step(page, application, step):
    page.goto(f"/applications/{application.pk}/edit/{step}/")
    on_step(page, step)


def wait_saved(page):
    """The status says saved, set by the script (the page loads with state "idle")."""
    expect(page.locator("#autosave-status")).to_have_attribute("data-state", "saved", timeout=15000)
    expect(page.locator("#autosave-status")).to_have_text(SAVED)


def until(page, predicate, what: str) -> None:
    """Wait (up to 15 s) for the database to show what the browser autosaved."""
    for _ in range(75):
        if predicate():
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"not saved: {what}")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_it_walks_every_step_accessibly_with_autosave_and_counters(page, wizard_draft, applicant, language):
    page.goto(f"/accounts/login/?next=/applications/{wizard_draft.pk}/edit/project/")
    sign_in(page, applicant)
    if language == "en":
        with page.expect_navigation():
            page.locator("header form.lang-switch").get_by_role("button", name="English").click()
    on_step(page, "project")
    assert (page.locator("html").get_attribute("lang") or "").startswith(language)
    expect(page.locator("#wizard-progress")).to_be_visible()
    expect(page.locator("#autosave-status")).to_have_attribute("aria-live", "polite")
    assert_accessible(page)

    # Typing saves without pressing anything; the counter follows.
    form = wizard_form(page)
    summary = form.locator("[name=project-summary]")
    summary.fill("Des repas partagés, préparés par les familles.")
    expect(page.locator("#id_project-summary_counter")).to_contain_text("46")
    question = form.locator("[name^='project-question_']")
    question.fill("Des familles du quartier.")
    wait_saved(page)
    application = Application.objects.get(pk=wizard_draft.pk)
    until(page, lambda: application.question_answers.filter(text="Des familles du quartier.").exists(), "question")
    until(
        page,
        lambda: Application.objects.filter(
            pk=application.pk, summary="Des repas partagés, préparés par les familles."
        ).exists(),
        "summary",
    )
    # An invalid value is explained beside the field, and the valid ones are still saved.
    form.locator("[name=project-title]").fill("")
    wait_saved(page)
    expect(page.locator("#id_project-title_autosave_error")).to_be_visible()
    expect(form.locator("[name=project-title]")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    form.locator("[name=project-title]").fill("Cuisine collective")
    expect(page.locator("#id_project-title_autosave_error")).to_have_count(0)
    until(page, lambda: Application.objects.filter(pk=application.pk, title="Cuisine collective").exists(), "title")

    for step in ("budget", "partners", "sustainability", "attachments", "summary"):
        open_step(page, wizard_draft, step)
        expect(page.get_by_role("heading", level=2).first).to_be_visible()
        assert_accessible(page)

    # Attachments: a file checked by its bytes, listed with a download link.
    open_step(page, wizard_draft, "attachments")
    page.locator("input[type=file]").set_input_files(
        {"name": "lettre.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    with page.expect_navigation():
        page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    expect(page.locator("main table a", has_text="lettre.pdf")).to_be_visible()
    assert_accessible(page)

    # Budget: autosave of a year, then the summary lists what is missing with links to the fields.
    open_step(page, wizard_draft, "budget")
    wizard_form(page).locator("[name=budget-year_3]").fill("5000")
    wait_saved(page)
    until(page, lambda: application.years.filter(year=3).exists(), "year 3")
    open_step(page, wizard_draft, "summary")
    expect(page.locator("main")).to_contain_text("lettre.pdf")
    assert_accessible(page)


def test_it_retries_after_a_network_failure(page, wizard_draft, applicant):
    page.goto(f"/accounts/login/?next=/applications/{wizard_draft.pk}/edit/project/")
    sign_in(page, applicant)
    on_step(page, "project")
    failures = {"left": 1}

    def flaky(route):
        if failures["left"]:
            failures["left"] -= 1
            route.abort()
        else:
            route.continue_()

    page.route("**/autosave/", flaky)
    wizard_form(page).locator("[name=project-summary]").fill("Texte envoyé malgré une coupure.")
    expect(page.locator("#autosave-status")).to_have_attribute("data-state", "retrying", timeout=10000)
    wait_saved(page)
    until(
        page,
        lambda: Application.objects.filter(pk=wizard_draft.pk, summary="Texte envoyé malgré une coupure.").exists(),
        "summary after retry",
    )


def test_it_shows_both_versions_when_a_colleague_saved_meanwhile(page, wizard_draft, applicant, colleague):
    page.goto(f"/accounts/login/?next=/applications/{wizard_draft.pk}/edit/project/")
    sign_in(page, applicant)
    on_step(page, "project")
    # Colin saves the same step from elsewhere after Alice opened it.
    application_save_project(application=wizard_draft, summary="Le résumé de Colin.", by=colleague)

    wizard_form(page).locator("[name=project-summary]").fill("Le résumé d'Alice.")
    panel = page.locator("#conflict")
    expect(panel).to_be_visible(timeout=15000)
    expect(panel).to_contain_text("Colin Colleague")
    expect(panel).to_contain_text("Le résumé de Colin.")
    expect(panel).to_contain_text("Le résumé d'Alice.")
    expect(page.locator("#autosave-status")).to_have_attribute("data-state", "conflict")
    assert_accessible(page)
    wizard_draft.refresh_from_db()
    assert wizard_draft.summary == "Le résumé de Colin."  # nothing overwritten silently

    panel.locator("button[data-action=merge]").click()
    expect(wizard_form(page).locator("[name=project-summary]")).to_have_value(
        "Le résumé de Colin.\n\nLe résumé d'Alice."
    )
    expect(panel).to_be_hidden()
    merged = "Le résumé de Colin.\n\nLe résumé d'Alice."
    until(page, lambda: Application.objects.filter(pk=wizard_draft.pk, summary=merged).exists(), "merged text")


def test_it_brings_what_was_not_touched_up_to_date_when_a_conflict_is_resolved(
    page, wizard_draft, applicant, colleague
):
    """The audit's case: Colin saves the summary; Alice's title conflicts; she keeps hers, then
    presses "Save and continue": Colin's summary stays (it used to be replaced by her stale copy)."""
    page.goto(f"/accounts/login/?next=/applications/{wizard_draft.pk}/edit/project/")
    sign_in(page, applicant)
    on_step(page, "project")
    application_save_project(application=wizard_draft, summary="Le résumé de Colin.", by=colleague)

    form = wizard_form(page)
    form.locator("[name=project-title]").fill("Le titre d'Alice")
    panel = page.locator("#conflict")
    expect(panel).to_be_visible(timeout=15000)
    expect(panel.locator(".conflict-field")).to_have_count(1)  # the title: a choice to make
    expect(panel.locator(".conflict-field")).to_contain_text("Le titre d'Alice")
    # The summary she did not touch differs too: shown, and the page now holds the saved one.
    expect(panel.locator(".conflict-updated")).to_contain_text("Le résumé de Colin.")
    expect(form.locator("[name=project-summary]")).to_have_value("Le résumé de Colin.")
    expect(page.locator("#autosave-status")).to_have_attribute("data-state", "conflict")
    assert_accessible(page)

    panel.locator("button[data-action=mine]").click()
    expect(panel).to_be_hidden()
    expect(form.locator("[name=project-title]")).to_be_focused()
    wait_saved(page)
    until(page, lambda: Application.objects.filter(pk=wizard_draft.pk, title="Le titre d'Alice").exists(), "title")
    form.locator("[name^='project-question_']").fill("Des familles du quartier.")
    save_and_continue(page)
    on_step(page, "budget")
    application = Application.objects.get(pk=wizard_draft.pk)
    assert (application.title, application.summary) == ("Le titre d'Alice", "Le résumé de Colin.")


def test_it_brings_untouched_rows_up_to_date_when_a_conflict_is_resolved(page, wizard_draft, applicant, colleague):
    page.goto(f"/accounts/login/?next=/applications/{wizard_draft.pk}/edit/partners/")
    sign_in(page, applicant)
    on_step(page, "partners")
    indicators = [{"name": "Familles du quartier", "unit": "familles", "baseline": 0, "target": 60}]
    application_save_partners(application=wizard_draft, indicators=indicators, by=colleague)

    form = wizard_form(page)
    form.locator("[name=partners-partners-0-role]").fill("Prête ses locaux")
    panel = page.locator("#conflict")
    expect(panel).to_be_visible(timeout=15000)
    expect(panel.locator(".conflict-field")).to_have_count(1)
    expect(panel.locator(".conflict-updated")).to_contain_text("Familles du quartier")
    # The indicators' rows are taken from a fresh copy of the page.
    expect(form.locator("[name=partners-indicators-0-name]")).to_have_value("Familles du quartier")
    expect(form.locator("[name=partners-indicators-0-target]")).to_have_value(re.compile(r"^60"))
    panel.locator("button[data-action=mine]").click()
    expect(panel).to_be_hidden()
    wait_saved(page)
    until(
        page,
        lambda: Application.objects.get(pk=wizard_draft.pk).partners.filter(role="Prête ses locaux").exists(),
        "partner's role",
    )
    save_and_continue(page)
    on_step(page, "sustainability")
    application = Application.objects.get(pk=wizard_draft.pk)
    assert [i.name for i in application.indicators.all()] == ["Familles du quartier"]
    assert [p.role for p in application.partners.all()] == ["Prête ses locaux"]


SIGNED_OUT = (
    "You have been signed out, so your last changes were not saved. They are still on this page: "
    "sign in again in another tab, then come back here; saving is tried again when you type or press Save."
)
NOT_SAVED = (
    "Your last changes were not saved (you may have been signed out). They are still on this page: make sure you "
    "are signed in, in another tab, then come back here; saving is tried again when you type or press Save."
)


def test_it_warns_when_signed_out_and_keeps_the_text_until_signed_in_again(page, wizard_draft, applicant):
    from django.contrib.sessions.models import Session

    page.goto(f"/accounts/login/?next=/applications/{wizard_draft.pk}/edit/project/")
    sign_in(page, applicant)
    on_step(page, "project")
    version = page.locator("#wizard-version").input_value()
    Session.objects.all().delete()  # the session ended (signed out elsewhere, or expired)

    summary = wizard_form(page).locator("[name=project-summary]")
    summary.fill("Un texte tapé après la fin de la session.")
    warning = page.locator("#autosave-warning")
    expect(warning).to_be_visible(timeout=15000)
    expect(warning).to_have_text(in_both_languages(SIGNED_OUT))
    expect(page.locator("#autosave-status")).to_have_attribute("data-state", "error")
    assert page.locator("#wizard-version").input_value() == version
    assert page.evaluate("() => window.guichetAutosave.pending()")
    leave = "() => { const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented; }"
    assert page.evaluate(leave), "leaving the page still warns"
    assert_accessible(page)

    # Any answer that is not autosave's (a sign-in page reached by a redirect...) is no save either.
    page.route("**/autosave/", lambda route: route.fulfill(status=200, content_type="text/html", body="<p>Login</p>"))
    summary.fill("Un texte tapé après la fin de la session, et encore.")
    expect(warning).to_have_text(in_both_languages(NOT_SAVED), timeout=15000)
    assert page.locator("#wizard-version").input_value() == version
    assert page.evaluate("() => window.guichetAutosave.pending()") and page.evaluate(leave)
    page.unroute("**/autosave/")
    assert Application.objects.get(pk=wizard_draft.pk).summary == "Des repas partagés."

    # Signed in again in another tab: back here, the next save goes through (with the new CSRF token).
    other = page.context.new_page()
    other.goto("/accounts/login/")
    sign_in(other, applicant)
    other.close()
    page.bring_to_front()
    summary.press("End")
    summary.type("!")
    wait_saved(page)
    expect(warning).to_be_hidden()
    expected = "Un texte tapé après la fin de la session, et encore.!"
    until(page, lambda: Application.objects.filter(pk=wizard_draft.pk, summary=expected).exists(), "summary")
    assert not page.evaluate("() => window.guichetAutosave.pending()")
