"""Autosave: partial saves, clear errors, version checks and edit conflicts (also on step POSTs)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from forms.models import Application, StepSave
from workflow import services as workflow_services

from .conftest import formset, post_step, step_url

pytestmark = pytest.mark.django_db


def autosave_url(application, step="project"):
    return reverse("forms:autosave", args=[application.pk, step])


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
    assert StepSave.objects.get(application=draft, step="project").version == draft.version


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


def test_it_answers_409_with_both_versions_when_another_member_saved_the_step(client, draft, applicant, colleague):
    draft.refresh_from_db()
    loaded = draft.version
    other = Client()
    other.force_login(colleague)
    assert autosave(other, draft, {"project-summary": "Le texte de Colin."}, version=loaded).status_code == 200

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
    client, draft, applicant, colleague
):
    draft.refresh_from_db()
    loaded = draft.version
    other = Client()
    other.force_login(colleague)
    autosave(other, draft, {"budget-year_2": "10000"}, step="budget", version=loaded)
    autosave(other, draft, {"project-summary": "Même texte."}, version=loaded)
    client.force_login(applicant)
    assert autosave(client, draft, {"project-title": "Autre titre"}, version=loaded).status_code == 409
    assert autosave(client, draft, {"project-summary": "Même texte."}, version=loaded).status_code == 200
    assert (
        autosave(client, draft, {"sustainability-sustainability_plan": "Plan."}, "sustainability", loaded).status_code
        == 200
    )


def test_it_shows_a_conflict_panel_on_a_step_post_too(client, draft, applicant, colleague):
    draft.refresh_from_db()
    loaded = draft.version
    other = Client()
    other.force_login(colleague)
    autosave(other, draft, {"project-title": "Titre de Colin"}, version=loaded)

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
    for version in ("", "abc", "-3", "99999999999"):
        response = client.post(autosave_url(draft), {"version": version, "project-summary": "x"})
        assert response.status_code == 400 and response.json()["message"]
    draft.refresh_from_db()
    assert draft.summary == "Des repas partagés."


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


def test_it_sends_anonymous_users_to_sign_in_and_refuses_get(client, draft, applicant):
    response = autosave(client, draft, {"project-summary": "x"})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(applicant)
    assert client.get(autosave_url(draft)).status_code == 405


def test_it_puts_the_version_and_the_status_region_on_every_step(client, draft, applicant):
    client.force_login(applicant)
    draft.refresh_from_db()
    for step in ("project", "budget", "partners", "sustainability"):
        response = client.get(step_url(draft, step))
        assert f'name="version" value="{draft.version}"' in response.text
        assert 'id="autosave-status"' in response.text and 'aria-live="polite"' in response.text
        assert f'data-autosave-url="{autosave_url(draft, step)}"' in response.text
        assert "js/wizard.js" in response.text and "css/forms.css" in response.text
