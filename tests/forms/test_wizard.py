from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from forms.models import Application, WizardState
from reviewers import services as reviewer_services
from tests import factories as f
from workflow import services as workflow_services

from .conftest import WIZARD_PREFIX, formset, post_step, step_url

pytestmark = pytest.mark.django_db

PROJECT = {
    "project-title": "Jardin partagé",
    "project-summary": "Un jardin pour le quartier.",
    "project-concerted": "on",
}
PARTNERS = {
    **formset("partners-partners", [{"name": "Ville de Joliette", "role": "Prête le terrain"}]),
    **formset("partners-indicators", [{"name": "Jardiniers", "unit": "personnes", "baseline": "0", "target": "25"}]),
}


def _errors(response) -> dict:
    form = response.context["wizard"]["form"]
    return form.errors


def test_it_sends_anonymous_users_to_sign_in_from_the_wizard(client, empty_draft):
    response = client.get(step_url(empty_draft))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    response = post_step(client, empty_draft, "project", PROJECT)
    assert response.status_code == 302
    empty_draft.refresh_from_db()
    assert empty_draft.title == ""


@pytest.mark.parametrize("who,status", [("outsider", 404), ("other_manager", 404), ("advisor", 404), ("manager", 403)])
def test_it_lets_only_members_edit(client, empty_draft, who, status, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(step_url(empty_draft, "project")).status_code == status
    assert post_step(client, empty_draft, "project", PROJECT).status_code == status
    empty_draft.refresh_from_db()
    assert empty_draft.title == ""


def test_it_keeps_the_advisor_helping_out_of_the_wizard(client, draft, applicant, advisor):
    reviewer_services.support_request(application=draft, by=applicant)
    client.force_login(advisor)
    assert client.get(step_url(draft, "project")).status_code == 403


def test_it_sends_a_submitted_application_to_its_page(client, draft, applicant):
    workflow_services.application_submit(application=draft, by=applicant)
    client.force_login(applicant)
    response = client.get(step_url(draft, "budget"))
    assert response["Location"] == draft.get_absolute_url()
    response = post_step(client, draft, "project", PROJECT)
    assert response["Location"] == draft.get_absolute_url()
    draft.refresh_from_db()
    assert draft.title == "Cuisine collective de Joliette"


def test_it_gives_404_for_an_unknown_step(client, empty_draft, applicant):
    client.force_login(applicant)
    assert client.get(step_url(empty_draft, "nope")).status_code == 404
    assert client.post(step_url(empty_draft, "nope"), {}).status_code == 404


def test_it_refuses_a_post_without_the_wizard_management_form(client, empty_draft, applicant):
    client.force_login(applicant)
    assert client.post(step_url(empty_draft, "project"), {"project-title": "X"}).status_code == 400
    empty_draft.refresh_from_db()
    assert empty_draft.title == ""


def test_it_walks_every_step_writing_to_the_database(client, call, organisation, applicant, colleague):
    client.force_login(colleague)
    response = client.post(reverse("forms:create", args=[call.pk]))
    application = Application.objects.get()
    response = client.get(response["Location"])
    assert response["Location"] == step_url(application, "project")

    response = client.get(step_url(application, "project"))
    assert response.status_code == 200
    assert f'name="{WIZARD_PREFIX}-current_step"' in response.text
    assert 'aria-current="step"' in response.text

    response = post_step(client, application, "project", PROJECT)
    assert response["Location"] == step_url(application, "budget")
    application.refresh_from_db()
    assert (application.title, application.summary, application.concerted) == (
        "Jardin partagé",
        "Un jardin pour le quartier.",
        True,
    )

    response = post_step(client, application, "budget", {"budget-year_1": "20 000", "budget-year_2": "10000,50"})
    assert response["Location"] == step_url(application, "partners")
    assert [y.amount for y in application.years.all()] == [Decimal("20000"), Decimal("10000.50")]

    response = post_step(client, application, "partners", PARTNERS)
    assert response["Location"] == step_url(application, "sustainability")
    assert [(p.name, p.role) for p in application.partners.all()] == [("Ville de Joliette", "Prête le terrain")]
    assert [(i.name, i.target) for i in application.indicators.all()] == [("Jardiniers", Decimal("25"))]

    response = client.get(step_url(application, "sustainability"))
    items = [item for _criterion, rows in response.context["wizard"]["form"].groups() for item, *_ in rows]
    assert len(items) == 6
    data = {
        "sustainability-sustainability_plan": "Vente de légumes.",
        f"sustainability-item_{items[0].pk}": "on",
        f"sustainability-justification_{items[0].pk}": "Aucun jardin ici.",
    }
    response = post_step(client, application, "sustainability", data)
    assert response["Location"] == step_url(application, "summary")
    application.refresh_from_db()
    assert application.sustainability_plan == "Vente de légumes."
    answer = application.checklist_answers.get(item=items[0])
    assert (answer.checked, answer.justification) == (True, "Aucun jardin ici.")
    assert application.checklist_answers.get(item=items[1]).checked is False

    response = client.get(step_url(application, "summary"))
    assert response.context["missing"] == []
    assert reverse("forms:submit", args=[application.pk]) in response.text
    assert "Aucun jardin ici." in response.text

    response = client.post(reverse("forms:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_it_reopens_each_step_with_what_the_database_holds(client, draft, applicant):
    client.force_login(applicant)
    response = client.get(step_url(draft, "partners"))
    form = response.context["wizard"]["form"]
    assert form.partners.forms[0]["name"].value() == "CISSS de Lanaudière"
    assert form.indicators.forms[0]["name"].value() == "Familles rejointes"
    response = client.get(step_url(draft, "budget"))
    assert response.context["wizard"]["form"]["year_2"].value() == Decimal("15000")


def test_it_saves_and_goes_back(client, draft, applicant):
    client.force_login(applicant)
    response = post_step(client, draft, "budget", {"budget-year_1": "30000", "budget-year_2": ""}, goto="project")
    assert response["Location"] == step_url(draft, "project")
    assert [y.amount for y in draft.years.all()] == [Decimal("30000")]


def test_it_resumes_at_the_saved_step_in_another_browser(client, empty_draft, applicant):
    client.force_login(applicant)
    post_step(client, empty_draft, "project", PROJECT)
    post_step(client, empty_draft, "budget", {"budget-year_1": "12000"})
    empty_draft.refresh_from_db()
    assert empty_draft.wizard_step == "partners"
    assert WizardState.objects.get(application=empty_draft).data["step"] == "partners"

    elsewhere = Client()
    elsewhere.force_login(applicant)
    response = elsewhere.get(step_url(empty_draft))
    assert response["Location"] == step_url(empty_draft, "partners")
    response = elsewhere.get(step_url(empty_draft, "project"))
    assert response.context["wizard"]["form"]["title"].value() == "Jardin partagé"


def test_it_resumes_from_the_application_even_without_wizard_state(client, empty_draft, applicant):
    Application.objects.filter(pk=empty_draft.pk).update(wizard_step="sustainability")
    client.force_login(applicant)
    assert client.get(step_url(empty_draft))["Location"] == step_url(empty_draft, "sustainability")


def test_it_remembers_the_last_step_viewed(client, empty_draft, applicant):
    client.force_login(applicant)
    client.get(step_url(empty_draft, "budget"))
    empty_draft.refresh_from_db()
    assert empty_draft.wizard_step == "budget"


def test_it_refuses_an_empty_title_keeps_the_saved_one_and_saves_the_rest(client, draft, applicant):
    client.force_login(applicant)
    response = post_step(client, draft, "project", {"project-title": "  ", "project-summary": "Nouveau résumé"})
    assert response.status_code == 200
    assert "title" in _errors(response)
    assert "Nouveau résumé" in response.text  # what was typed is shown again
    assert 'aria-invalid="true"' in response.text
    draft.refresh_from_db()
    # The valid part is saved at once; the blank title never erases the saved one.
    assert (draft.title, draft.summary) == ("Cuisine collective de Joliette", "Nouveau résumé")


@pytest.mark.parametrize(
    "data,field",
    [
        ({"budget-year_1": "-5"}, "year_1"),
        ({"budget-year_1": "beaucoup"}, "year_1"),
        ({"budget-year_1": ""}, "year_1"),
    ],
)
def test_it_refuses_bad_amounts_and_keeps_the_saved_budget(client, draft, applicant, data, field):
    client.force_login(applicant)
    response = post_step(client, draft, "budget", data)
    assert response.status_code == 200
    assert field in _errors(response)
    for value in data.values():
        assert f'value="{value}"' in response.text or value == ""
    assert [y.amount for y in draft.years.all()] == [Decimal("20000"), Decimal("15000")]


@pytest.mark.parametrize(
    "data,saved",
    [
        ({"budget-year_1": "40000", "budget-year_2": "40000"}, [Decimal("40000"), Decimal("40000")]),
        ({"budget-year_1": "100", "budget-year_2": ""}, [Decimal("100")]),
    ],
)
def test_it_keeps_a_total_out_of_range_but_does_not_go_on(client, draft, applicant, data, saved):
    client.force_login(applicant)
    response = post_step(client, draft, "budget", data)
    assert response.status_code == 200
    assert "__all__" in _errors(response)
    assert [y.amount for y in draft.years.all()] == saved
    missing = {m["code"] for m in client.get(step_url(draft, "summary")).context["missing"]}
    assert missing & {"budget_above_max", "budget_below_min"}


def test_it_states_the_calls_limits_when_the_total_is_off(client, draft, applicant):
    client.force_login(applicant)
    response = post_step(client, draft, "budget", {"budget-year_1": "60000"}, HTTP_ACCEPT_LANGUAGE="en")
    [message] = _errors(response)["__all__"]
    assert "$60,000" in message and "$5,000" in message and "$50,000" in message


def test_it_needs_an_indicator_and_partners_when_concerted(client, draft, applicant):
    client.force_login(applicant)
    data = {**formset("partners-partners", []), **formset("partners-indicators", [])}
    response = post_step(client, draft, "partners", data)
    assert response.status_code == 200
    assert {e.code for e in _errors(response).as_data()["__all__"]} == {"no_indicator", "no_partner"}
    # Removing every row is what was asked; the summary says what is now missing.
    missing = {m["code"] for m in client.get(step_url(draft, "summary")).context["missing"]}
    assert {"indicators", "partners"} <= missing


def test_it_shows_row_errors_and_keeps_what_was_typed(client, draft, applicant):
    client.force_login(applicant)
    data = {
        **formset("partners-partners", [{"name": "Nouveau partenaire", "role": ""}]),
        **formset("partners-indicators", [{"name": "Repas", "unit": "repas", "target": "abc"}]),
    }
    response = post_step(client, draft, "partners", data)
    assert response.status_code == 200
    form = response.context["wizard"]["form"]
    assert form.partners.errors[0].keys() == {"role"}
    assert form.indicators.errors[0].keys() == {"target"}
    assert "Nouveau partenaire" in response.text
    assert [p.name for p in draft.partners.all()] == ["CISSS de Lanaudière"]


def test_it_removes_rows_marked_for_removal(client, draft, applicant):
    client.force_login(applicant)
    rows = [
        {"name": "CISSS de Lanaudière", "role": "Référence", "DELETE": "on"},
        {"name": "Ville de Joliette", "role": "Local"},
    ]
    data = {
        **formset("partners-partners", rows, initial=1),
        **formset("partners-indicators", [{"name": "Repas", "unit": "repas", "target": "100"}]),
    }
    post_step(client, draft, "partners", data)
    assert [p.name for p in draft.partners.all()] == ["Ville de Joliette"]
    assert [i.name for i in draft.indicators.all()] == ["Repas"]


def test_it_asks_for_partners_only_when_the_project_is_carried_with_partners(client, draft, applicant):
    Application.objects.filter(pk=draft.pk).update(concerted=False)
    client.force_login(applicant)
    response = client.get(step_url(draft, "partners"))
    assert response.context["wizard"]["form"].partners is None
    assert "partners-partners-TOTAL_FORMS" not in response.text
    assert response.context["step_title"] == "Indicateurs"
    # Rows sent anyway are ignored; the partners saved earlier stay for when the box is ticked again.
    data = {
        **formset("partners-partners", [{"name": "Intrus", "role": "X"}]),
        **formset("partners-indicators", [{"name": "Repas", "unit": "repas", "target": "100"}]),
    }
    assert post_step(client, draft, "partners", data).status_code == 302
    assert [p.name for p in draft.partners.all()] == ["CISSS de Lanaudière"]
    assert "partners" not in {m["code"] for m in client.get(step_url(draft, "summary")).context["missing"]}


def test_it_lists_what_is_missing_with_links_to_the_steps(client, empty_draft, applicant):
    client.force_login(applicant)
    response = client.get(step_url(empty_draft, "summary"))
    missing = {m["code"]: m["url"] for m in response.context["missing"]}
    assert missing == {
        "title": step_url(empty_draft, "project") + "#id_project-title",
        "summary": step_url(empty_draft, "project") + "#id_project-summary",
        "budget": step_url(empty_draft, "budget") + "#id_budget-year_1",
        "indicators": step_url(empty_draft, "partners") + "#id_partners-indicators-0-name",
        "sustainability": step_url(empty_draft, "sustainability") + "#id_sustainability-sustainability_plan",
    }
    for url in missing.values():
        assert f'href="{url}"' in response.text
    assert reverse("forms:submit", args=[empty_draft.pk]) not in response.text


def test_it_offers_help_while_the_draft_is_with_the_applicant(client, draft, applicant):
    client.force_login(applicant)
    response = client.get(step_url(draft, "project"))
    assert response.context["support"] == "ask"
    assert reverse("forms:support", args=[draft.pk]) in response.text


def test_it_shares_the_wizard_between_members(client, draft, applicant, colleague):
    client.force_login(applicant)
    post_step(client, draft, "project", {**PROJECT, "project-title": "Titre d'Alice"})
    other = Client()
    other.force_login(colleague)
    response = other.get(step_url(draft))
    assert response["Location"] == step_url(draft, "budget")
    assert other.get(step_url(draft, "project")).context["wizard"]["form"]["title"].value() == "Titre d'Alice"


def test_it_never_stores_the_csrf_token_in_the_wizard_state(client, empty_draft, applicant):
    client.force_login(applicant)
    post_step(client, empty_draft, "project", {**PROJECT, "csrfmiddlewaretoken": "x"})
    data = WizardState.objects.get(application=empty_draft).data
    assert set(data["step_data"]["project"]) == {"project-title", "project-summary", "project-concerted"}


def test_it_does_not_mix_up_applications(client, draft, call, organisation, applicant):
    other = f.make_draft(call=call, organisation=organisation, by=applicant, complete=False)
    client.force_login(applicant)
    post_step(client, other, "project", PROJECT)
    draft.refresh_from_db()
    assert draft.title == "Cuisine collective de Joliette"


def test_it_refuses_two_indicators_with_the_same_name(client, draft, applicant):
    client.force_login(applicant)
    rows = [{"name": "Repas", "unit": "repas", "target": "10"}, {"name": "repas ", "unit": "repas", "target": "20"}]
    data = {**formset("partners-partners", [{"name": "A", "role": "B"}]), **formset("partners-indicators", rows)}
    response = post_step(client, draft, "partners", data)
    indicators = response.context["wizard"]["form"].formsets()["indicators"]
    assert list(indicators.forms[1].errors) == ["name"] and not indicators.forms[0].errors
    assert response.status_code == 200
    # The first of the two is kept; the second stays on the page until it is renamed.
    assert [i.name for i in draft.indicators.all()] == ["Repas"]
    assert 'value="repas "' in response.text


# -- the version a step POST carries


@pytest.mark.parametrize("version", [None, "", "abc", "0", "-3", "2147483647", "next"])
def test_it_saves_nothing_from_a_step_post_without_a_version_the_application_had(client, draft, applicant, version):
    # Was saved at once (302) without any check: a missing, bad, zero or negative version skipped
    # it, and one above the current version could never be "older" than a save.
    client.force_login(applicant)
    draft.refresh_from_db()
    data = {"project-title": "Titre tapé", "project-summary": "Résumé tapé.", "project-concerted": "on"}
    if version == "next":
        data["version"] = str(draft.version + 1)
    elif version is not None:
        data["version"] = version
    payload = {f"{WIZARD_PREFIX}-current_step": "project", **data}
    response = client.post(step_url(draft, "project"), payload, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert 'id="version-refused"' in response.text and "Nothing was saved" in response.text
    # What was typed is all there, with what saving it would change, and the version to save it with.
    assert 'value="Titre tapé"' in response.text and "Résumé tapé." in response.text
    assert [f["name"] for f in response.context["version_refused"]] == ["project-title", "project-summary"]
    assert f'name="version" value="{draft.version}"' in response.text
    draft.refresh_from_db()
    assert (draft.title, draft.summary) == ("Cuisine collective de Joliette", "Des repas partagés.")
    assert post_step(client, draft, "project", data | {"version": str(draft.version)}).status_code == 302


def test_it_lets_a_step_with_nothing_to_save_go_on_without_a_version(client, draft, applicant, call):
    from forms.services import call_form_configure

    call_form_configure(call=call, attachments_enabled=True)
    client.force_login(applicant)
    response = client.post(step_url(draft, "attachments"), {f"{WIZARD_PREFIX}-current_step": "attachments"})
    assert response["Location"] == step_url(draft, "summary")


def test_it_shows_the_conflict_instead_of_saving_stale_rows_on_a_step_post(client, draft, applicant, colleague):
    draft.refresh_from_db()
    loaded = draft.version
    other = Client()
    other.force_login(colleague)
    colin = formset("partners-indicators", [{"name": "Familles du quartier", "unit": "familles", "target": "50"}])
    assert post_step(other, draft, "partners", colin).status_code == 302
    assert [i.name for i in draft.indicators.all()] == ["Familles du quartier"]

    client.force_login(applicant)
    alice = {
        **formset("partners-partners", [{"name": "CISSS de Lanaudière", "role": "Prête ses locaux"}], initial=1),
        **formset(
            "partners-indicators", [{"name": "Familles rejointes", "unit": "familles", "target": "40"}], initial=1
        ),
    }
    response = post_step(client, draft, "partners", {**alice, "version": str(loaded)})
    assert response.status_code == 409
    assert {f["name"] for f in response.context["conflict"]["fields"]} >= {"partners-indicators"}
    assert 'value="Prête ses locaux"' in response.text and "Familles du quartier" in response.text
    assert [i.name for i in draft.indicators.all()] == ["Familles du quartier"]
    assert [p.role for p in draft.partners.all()] == ["Référence des familles"]
