"""Autosave: partial saves, clear errors, version checks and edit conflicts (also on step POSTs)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from forms.models import Application
from workflow import services as workflow_services

from .conftest import formset, post_step, step_url

pytestmark = pytest.mark.django_db


def autosave_url(application, step="project"):
    return reverse("forms:autosave", args=[application.pk, step])


@pytest.fixture
def colleague_client(colleague):
    """A second browser, signed in as the colleague who edits the same application."""
    other = Client()
    other.force_login(colleague)
    return other


def autosave(client, application, data, step="project", version=None, **extra):
    application.refresh_from_db()
    payload = {"version": str(version if version is not None else application.version), **data}
    return client.post(autosave_url(application, step), payload, **extra)


def test_it_saves_the_valid_fields_and_explains_the_others(client, draft, applicant):
    client.force_login(applicant)
    before = Application.objects.get(pk=draft.pk).version
    response = autosave(client, draft, {"project-title": "   ", "project-summary": "Un nouveau résumé."})
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] is True
    assert list(body["errors"]) == ["project-title"]
    assert body["errors"]["project-title"] == ["Ce champ est obligatoire."]
    assert body["saved_at"] in body["message"]
    draft.refresh_from_db()
    assert (draft.title, draft.summary) == ("Cuisine collective de Joliette", "Un nouveau résumé.")
    assert draft.version == before + 1 == body["version"]
    assert draft.updated_by == applicant
    assert draft.saved_steps["project"]["version"] == draft.version


def test_it_never_touches_what_was_not_sent(client, draft, applicant):
    client.force_login(applicant)
    autosave(client, draft, {"project-summary": "Seul le résumé."})
    draft.refresh_from_db()
    assert draft.title == "Cuisine collective de Joliette" and draft.concerted is True
    autosave(client, draft, {"budget-year_2": "9000"}, step="budget")
    assert [y.amount for y in draft.years.all()] == [Decimal("20000"), Decimal("9000")]


def test_it_says_saved_at_in_the_users_language(client, draft, applicant):
    client.force_login(applicant)
    body = autosave(client, draft, {"project-summary": "Texte."}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["message"].startswith("Saved at ")
    assert body["saved_at"] in body["message"]


def test_it_keeps_a_saved_row_when_its_new_text_is_invalid(client, draft, applicant):
    client.force_login(applicant)
    data = {
        **formset("partners-partners", [{"name": "CISSS de Lanaudière", "role": ""}], initial=1),
    }
    body = autosave(client, draft, data, step="partners").json()
    assert "partners-partners-0-role" in body["errors"]
    assert [(p.name, p.role) for p in draft.partners.all()] == [("CISSS de Lanaudière", "Référence des familles")]
    assert draft.indicators.count() == 1  # the indicators were not sent: untouched


def test_it_saves_budget_lines_yearly_targets_and_cofunding(client, draft, applicant, fund):
    from tests import factories as f

    other = f.make_call(fund=fund, title="Autre appel ouvert", min_amount=Decimal("1000"), max_amount=Decimal("9000"))
    closed = f.make_call(fund=fund, title="Appel fermé", open_now=False)
    client.force_login(applicant)
    page = client.get(step_url(draft, "budget"))
    assert "Autre appel ouvert" in page.text and "Appel fermé" not in page.text
    data = {
        **formset("budget-lines", [{"label": "Salaire", "year": "1", "amount": "12 000"}]),
        **formset("budget-cofunding", [{"call": str(other.pk), "amount": "5000"}]),
    }
    body = autosave(client, draft, data, step="budget").json()
    assert body["errors"] == {}
    assert [(line.label, line.year, line.amount) for line in draft.budget_lines.all()] == [
        ("Salaire", 1, Decimal("12000"))
    ]
    assert [(c.call, c.amount) for c in draft.cofunding_requests.all()] == [(other, Decimal("5000"))]
    # A call that is closed, or an amount outside the other call's limits, is refused with a message.
    data = formset(
        "budget-cofunding", [{"call": str(closed.pk), "amount": "5000"}, {"call": str(other.pk), "amount": "20000"}]
    )
    body = autosave(client, draft, data, step="budget").json()
    assert set(body["errors"]) == {"budget-cofunding-0-call", "budget-cofunding-1-amount"}
    assert [(c.call, c.amount) for c in draft.cofunding_requests.all()] == [(other, Decimal("5000"))]

    data = formset(
        "partners-indicators",
        [
            {
                "name": "Familles rejointes",
                "unit": "familles",
                "baseline": "0",
                "target": "40",
                "target_1": "15",
                "target_2": "40",
            }
        ],
        initial=1,
    )
    assert autosave(client, draft, data, step="partners").json()["errors"] == {}
    indicator = draft.indicators.get()
    assert [(t.year, t.value) for t in indicator.targets.all()] == [(1, Decimal("15")), (2, Decimal("40"))]


def test_it_answers_409_with_both_versions_when_another_member_saved_the_step(
    client, draft, applicant, colleague_client
):
    draft.refresh_from_db()
    loaded = draft.version
    assert (
        autosave(colleague_client, draft, {"project-summary": "Le texte de Colin."}, version=loaded).status_code == 200
    )

    client.force_login(applicant)
    response = autosave(client, draft, {"project-summary": "Le texte d'Alice."}, version=loaded)
    assert response.status_code == 409
    body = response.json()
    assert body["conflict"] is True and body["saved_by"] == "Colin Colleague"
    assert body["fields"] == [
        {
            "name": "project-summary",
            "label": "Résumé",
            "yours": "Le texte d'Alice.",
            "theirs": "Le texte de Colin.",
            "theirs_raw": "Le texte de Colin.",
            "rows": False,
        }
    ]
    draft.refresh_from_db()
    assert draft.summary == "Le texte de Colin."  # nothing overwritten silently

    # "Keep mine": sending again against the version just seen goes through.
    response = autosave(client, draft, {"project-summary": "Le texte d'Alice."}, version=body["version"])
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.summary == "Le texte d'Alice."


def test_it_does_not_call_it_a_conflict_when_another_step_or_the_same_text_was_saved(
    client, draft, applicant, colleague_client
):
    draft.refresh_from_db()
    loaded = draft.version
    autosave(colleague_client, draft, {"budget-year_2": "10000"}, step="budget", version=loaded)
    autosave(colleague_client, draft, {"project-summary": "Même texte."}, version=loaded)
    client.force_login(applicant)
    assert autosave(client, draft, {"project-title": "Autre titre"}, version=loaded).status_code == 409
    assert autosave(client, draft, {"project-summary": "Même texte."}, version=loaded).status_code == 200
    assert (
        autosave(client, draft, {"sustainability-sustainability_plan": "Plan."}, "sustainability", loaded).status_code
        == 200
    )


def test_it_shows_a_conflict_panel_on_a_step_post_too(client, draft, applicant, colleague_client):
    draft.refresh_from_db()
    loaded = draft.version
    autosave(colleague_client, draft, {"project-title": "Titre de Colin"}, version=loaded)

    client.force_login(applicant)
    data = {"project-title": "Titre d'Alice", "project-summary": "Des repas partagés.", "project-concerted": "on"}
    response = post_step(client, draft, "project", {**data, "version": str(loaded)})
    assert response.status_code == 409
    assert (
        'id="conflict"' in response.text and "Titre de Colin" in response.text and "Titre d&#x27;Alice" in response.text
    )
    assert response.context["version"] == Application.objects.get(pk=draft.pk).version
    draft.refresh_from_db()
    assert draft.title == "Titre de Colin"
    # Saving the page again (its hidden version is now the current one) keeps Alice's title.
    response = post_step(client, draft, "project", {**data, "version": str(response.context["version"])})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Titre d'Alice"


def test_it_asks_for_the_version(client, draft, applicant):
    client.force_login(applicant)
    for version in ("", "abc", "-3", "0", "99999999999"):
        response = client.post(autosave_url(draft), {"version": version, "project-summary": "x"})
        assert response.status_code == 400 and response.json()["message"]
    draft.refresh_from_db()
    assert draft.summary == "Des repas partagés."


def test_it_refuses_a_version_the_application_never_had(client, draft, applicant, colleague_client):
    # A version above the current one used to skip the check (`version > expected` never true).
    assert autosave(colleague_client, draft, {"project-summary": "Le texte de Colin."}).status_code == 200
    client.force_login(applicant)
    draft.refresh_from_db()
    for version in (draft.version + 1, 2147483647):
        response = autosave(client, draft, {"project-summary": "Le texte d'Alice."}, version=version)
        assert response.status_code == 400 and response.json()["message"]
    draft.refresh_from_db()
    assert draft.summary == "Le texte de Colin."


def test_it_never_lets_a_version_above_the_current_one_through_a_service(draft, empty_draft, colleague):
    from forms import services

    services.application_save_project(application=draft, summary="Le texte de Colin.", by=colleague)
    draft.refresh_from_db()
    with pytest.raises(services.VersionConflict):
        services.application_save_project(application=draft, summary="Écrasé ?", expected_version=2147483647)
    draft.refresh_from_db()
    assert draft.summary == "Le texte de Colin."
    # A step nobody saved yet has nothing to overwrite.
    services.application_save_project(application=empty_draft, summary="Premier.", expected_version=99)
    empty_draft.refresh_from_db()
    assert empty_draft.summary == "Premier."


def test_it_refuses_unknown_or_disabled_steps(client, draft, applicant):
    client.force_login(applicant)
    for step in ("nope", "summary", "attachments"):
        assert client.post(autosave_url(draft, step), {"version": "1"}).status_code == 404


def test_it_refuses_autosave_once_submitted(client, draft, applicant):
    workflow_services.application_submit(application=draft, by=applicant)
    client.force_login(applicant)
    response = autosave(client, draft, {"project-summary": "Trop tard."})
    assert response.status_code == 423
    draft.refresh_from_db()
    assert draft.summary == "Des repas partagés."


@pytest.mark.parametrize("who,status", [("outsider", 404), ("advisor", 404), ("other_manager", 404), ("manager", 403)])
def test_it_lets_only_members_autosave(client, draft, who, status, request):
    client.force_login(request.getfixturevalue(who))
    assert autosave(client, draft, {"project-summary": "Intrus."}).status_code == status
    draft.refresh_from_db()
    assert draft.summary == "Des repas partagés."


def test_it_answers_a_signed_out_autosave_with_401_json_and_refuses_get(client, draft, applicant):
    # Was a redirect to the sign-in page, which the script's fetch followed to a 200 it took for "saved".
    response = autosave(client, draft, {"project-summary": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["saved"] is False and body["signed_out"] is True
    assert "signed out" in body["message"] and "still on this page" in body["message"]
    client.force_login(applicant)
    assert client.get(autosave_url(draft)).status_code == 405
    draft.refresh_from_db()
    assert draft.summary == "Des repas partagés."


def test_it_answers_401_once_the_session_has_ended(client, draft, applicant):
    client.force_login(applicant)
    assert autosave(client, draft, {"project-summary": "Avant."}).status_code == 200
    client.logout()  # signed out in another tab, or the session expired
    response = autosave(client, draft, {"project-summary": "Après."})
    assert response.status_code == 401 and "version" not in response.json()
    draft.refresh_from_db()
    assert draft.summary == "Avant."


def test_it_puts_the_version_and_the_status_region_on_every_step(client, draft, applicant):
    client.force_login(applicant)
    draft.refresh_from_db()
    for step in ("project", "budget", "partners", "sustainability"):
        response = client.get(step_url(draft, step))
        assert f'name="version" value="{draft.version}"' in response.text
        assert 'id="autosave-status"' in response.text and 'aria-live="polite"' in response.text
        assert f'data-autosave-url="{autosave_url(draft, step)}"' in response.text
        # Where the script says what autosave could not keep, and its messages for a save that failed.
        assert '<div id="autosave-errors" class="autosave-errors" aria-live="polite">' in response.text
        assert "data-msg-not-saved=" in response.text and "data-msg-also-changed=" in response.text
        assert "js/wizard.js" in response.text and "css/forms.css" in response.text


# -- a conflict brings the whole step: nothing the page did not touch is put back afterwards


def _theirs(body) -> dict:
    return {part["name"]: part for part in body["theirs"]}


def test_it_answers_a_conflict_with_every_part_of_the_step_as_saved(client, draft, applicant, colleague_client):
    """The audit's case: Colin saves the summary; Alice's autosave of the title conflicts. The answer
    carries the saved summary too, so her page takes it before she keeps her title, and her
    "Save and continue" afterwards no longer puts her stale summary back."""
    draft.refresh_from_db()
    loaded = draft.version
    assert (
        autosave(colleague_client, draft, {"project-summary": "Le résumé de Colin."}, version=loaded).status_code == 200
    )

    client.force_login(applicant)
    response = autosave(client, draft, {"project-title": "Titre d'Alice"}, version=loaded)
    assert response.status_code == 409
    body = response.json()
    assert body["saved"] is False and [f["name"] for f in body["fields"]] == ["project-title"]
    theirs = _theirs(body)
    assert set(theirs) == {"project-title", "project-summary", "project-concerted"}
    assert theirs["project-summary"] == {
        "name": "project-summary",
        "label": "Résumé",
        "theirs": "Le résumé de Colin.",
        "theirs_raw": "Le résumé de Colin.",
        "rows": False,
    }
    assert theirs["project-title"]["theirs_raw"] == "Cuisine collective de Joliette"
    assert (theirs["project-concerted"]["theirs_raw"], theirs["project-concerted"]["theirs"]) == ("on", "Oui")

    # "Keep mine" with the page brought up to date, then "Save and continue" with all it holds.
    assert autosave(client, draft, {"project-title": "Titre d'Alice"}, version=body["version"]).status_code == 200
    page = {name: part["theirs_raw"] for name, part in theirs.items()} | {"project-title": "Titre d'Alice"}
    assert post_step(client, draft, "project", page).status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.summary) == ("Titre d'Alice", "Le résumé de Colin.")


def test_it_keeps_the_pages_version_when_nothing_changed_but_the_step_was_saved_since(
    client, draft, applicant, colleague_client
):
    # Was answered with the current version: the page then passed for up to date, and its next
    # full POST put its stale summary back without a word.
    draft.refresh_from_db()
    loaded = draft.version
    assert (
        autosave(colleague_client, draft, {"project-summary": "Le résumé de Colin."}, version=loaded).status_code == 200
    )

    client.force_login(applicant)
    body = autosave(client, draft, {"project-title": "Cuisine collective de Joliette"}, version=loaded).json()
    assert body["saved"] is False and body["version"] == loaded
    stale = {"project-title": "Cuisine collective", "project-summary": "Des repas partagés.", "project-concerted": "on"}
    response = post_step(client, draft, "project", {**stale, "version": str(body["version"])})
    assert response.status_code == 409
    assert "Le résumé de Colin." in response.text and 'value="Cuisine collective"' in response.text
    draft.refresh_from_db()
    assert (draft.title, draft.summary) == ("Cuisine collective de Joliette", "Le résumé de Colin.")
    # Another step saved meanwhile is no reason to hold the version back.
    current = Application.objects.get(pk=draft.pk).version
    body = autosave(client, draft, {"sustainability-sustainability_plan": "Autofinancement."}, "sustainability").json()
    assert body["version"] == current


def test_it_answers_a_conflict_with_the_saved_rows(client, draft, applicant, colleague_client):
    draft.refresh_from_db()
    loaded = draft.version
    indicators = formset(
        "partners-indicators",
        [{"name": "Familles du quartier", "unit": "familles", "baseline": "5", "target": "50"}],
        initial=1,
    )
    assert autosave(colleague_client, draft, indicators, step="partners", version=loaded).status_code == 200

    client.force_login(applicant)
    partners = formset("partners-partners", [{"name": "CISSS de Lanaudière", "role": "Locaux"}], initial=1)
    response = autosave(client, draft, partners, step="partners", version=loaded)
    assert response.status_code == 409
    theirs = _theirs(response.json())
    assert theirs["partners-indicators"]["rows"] is True
    fields = ["name", "unit", "baseline", "target", "target_1", "target_2", "target_3"]
    assert theirs["partners-indicators"]["fields"] == fields
    assert theirs["partners-indicators"]["values"] == [
        ["Familles du quartier", "familles", "5,00", "50,00", "", "", ""]
    ]
    assert theirs["partners-indicators"]["theirs"] == "Familles du quartier — familles — 5,00 — 50,00"
    assert theirs["partners-partners"]["values"] == [["CISSS de Lanaudière", "Référence des familles"]]
    assert [p.role for p in draft.partners.all()] == ["Référence des familles"]


# -- what is wrong with a part as a whole is said, not hidden behind "Saved at"


def test_it_says_why_a_second_indicator_with_the_same_name_is_not_kept(client, draft, applicant):
    client.force_login(applicant)
    rows = [{"name": "Repas", "unit": "repas", "target": "10"}, {"name": "repas ", "unit": "repas", "target": "20"}]
    response = autosave(client, draft, formset("partners-indicators", rows), "partners", HTTP_ACCEPT_LANGUAGE="en")
    body = response.json()
    assert response.status_code == 200 and body["saved"] is True
    # Said beside the second row's name (the first keeps the name), not as a message about the whole list.
    assert body["errors"] == {"partners-indicators-1-name": ["Another indicator already has this name."]}
    assert body["message"].startswith("Saved at ") and "except" in body["message"]
    assert [i.name for i in draft.indicators.all()] == ["Repas"]
    # Renamed: said to be fine, so the page takes the message away.
    rows[1]["name"] = "Repas livrés"
    body = autosave(client, draft, formset("partners-indicators", rows, initial=1), "partners").json()
    assert body["general_errors"] == {"partners-indicators": []} and body["errors"] == {}
    assert [i.name for i in draft.indicators.all()] == ["Repas", "Repas livrés"]


def test_it_says_when_rows_are_too_many_or_missing(client, draft, applicant):
    client.force_login(applicant)
    many = formset("partners-partners", [{"name": f"P{i}", "role": "R"} for i in range(31)])
    body = autosave(client, draft, many, "partners").json()
    assert body["general_errors"]["partners-partners"], body
    assert [p.name for p in draft.partners.all()] == ["CISSS de Lanaudière"]
    body = autosave(client, draft, formset("partners-indicators", []), "partners", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["general_errors"] == {"partners-indicators": ["Add at least one indicator."]}


def test_it_checks_the_budgets_total_with_the_years_it_did_not_receive(client, draft, applicant):
    client.force_login(applicant)
    # 3,000 with the 15,000 saved for year 2 is within the call's limits: no message.
    body = autosave(client, draft, {"budget-year_1": "3000"}, "budget").json()
    assert body["general_errors"] == {"budget": []}
    body = autosave(client, draft, {"budget-year_1": "45000"}, "budget", HTTP_ACCEPT_LANGUAGE="en").json()
    [message] = body["general_errors"]["budget"]
    assert "$60,000" in message and "$50,000" in message
    assert [y.amount for y in draft.years.all()] == [Decimal("45000"), Decimal("15000")]
    # Rows only: the total is neither checked nor said to be fine.
    body = autosave(client, draft, formset("budget-lines", []), "budget").json()
    assert "budget" not in body["general_errors"]


def test_it_stores_a_browsers_line_breaks_as_one_character(client, draft, applicant):
    client.force_login(applicant)
    response = autosave(client, draft, {"project-summary": "Première ligne\r\nDeuxième ligne"})
    assert response.status_code == 200 and response.json()["saved"] is True
    draft.refresh_from_db()
    assert draft.summary == "Première ligne\nDeuxième ligne"
