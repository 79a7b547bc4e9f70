"""Per-call form settings and questions, checklists, prefill, progress, the PDF copy."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from fonds.models import ChecklistItem
from forms.models import Application, CallQuestion
from forms.pdf import render_application_html
from forms.services import call_form_configure, call_question_ensure
from workflow import services as workflow_services

from .conftest import post_step, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def question(call):
    return call_question_ensure(
        call=call,
        label="Quelles populations le projet rejoint-il?",
        step="project",
        help_text="Par exemple : familles, personnes aînées.",
        max_length=50,
        required=True,
    )


def test_it_asks_the_calls_questions_with_help_and_a_counter(client, draft, applicant, question):
    client.force_login(applicant)
    response = client.get(step_url(draft, "project"))
    field_id = f"id_project-question_{question.pk}"
    assert question.label in response.text and "Par exemple : familles, personnes aînées." in response.text
    assert f'id="{field_id}_counter"' in response.text and 'data-max="50"' in response.text
    assert 'maxlength="50"' in response.text

    missing = client.get(step_url(draft, "summary")).context["missing"]
    assert [m["url"] for m in missing] == [step_url(draft, "project") + f"#{field_id}"]
    with pytest.raises(workflow_services.Incomplete):
        workflow_services.application_submit(application=draft, by=applicant)

    data = {"project-title": draft.title, "project-summary": draft.summary, "project-concerted": "on"}
    response = post_step(client, draft, "project", {**data, f"project-question_{question.pk}": "x" * 51})
    assert response.status_code == 200 and f"question_{question.pk}" in response.context["wizard"]["form"].errors
    assert not draft.question_answers.exists()  # the server enforces the limit too
    response = post_step(client, draft, "project", {**data, f"project-question_{question.pk}": "Des familles."})
    assert response.status_code == 302
    assert draft.question_answers.get().text == "Des familles."
    assert client.get(step_url(draft, "summary")).context["missing"] == []


def test_it_puts_a_counter_on_every_field_with_a_limit(client, draft, applicant):
    client.force_login(applicant)
    for step in ("project", "budget", "partners", "sustainability"):
        page = client.get(step_url(draft, step))
        form = page.context["wizard"]["form"]
        limited = [bf for bf in form if getattr(bf.field, "max_length", None)]
        for formset in form.formsets().values():
            limited += [bf for row in formset for bf in row if getattr(bf.field, "max_length", None)]
        assert limited, step
        for bf in limited:
            assert f'id="{bf.auto_id}_counter"' in page.text, (step, bf.name)


def test_it_turns_optional_parts_off_per_call(client, draft, applicant):
    call_form_configure(
        call=draft.call,
        budget_lines_enabled=False,
        cofunding_enabled=False,
        yearly_targets_enabled=False,
        partners_enabled=False,
    )
    client.force_login(applicant)
    budget = client.get(step_url(draft, "budget")).text
    assert "budget-lines-TOTAL_FORMS" not in budget and "budget-cofunding-TOTAL_FORMS" not in budget
    partners = client.get(step_url(draft, "partners"))
    assert "partners-partners-TOTAL_FORMS" not in partners.text and "target_1" not in partners.text
    assert "partners" not in {m["code"] for m in client.get(step_url(draft, "summary")).context["missing"]}


def test_it_needs_a_justification_for_a_ticked_item(client, draft, applicant):
    item = ChecklistItem.objects.filter(criterion__call=draft.call).first()
    client.force_login(applicant)
    data = {"sustainability-sustainability_plan": "Plan.", f"sustainability-item_{item.pk}": "on"}
    response = post_step(client, draft, "sustainability", data)
    assert response.status_code == 200
    assert f"justification_{item.pk}" in response.context["wizard"]["form"].errors
    answer = draft.checklist_answers.get(item=item)
    assert answer.checked is True and answer.justification == ""  # the tick is kept
    missing = client.get(step_url(draft, "summary")).context["missing"]
    assert [m["url"] for m in missing] == [
        step_url(draft, "sustainability") + f"#id_sustainability-justification_{item.pk}"
    ]
    data[f"sustainability-justification_{item.pk}"] = "Le CISSS nous réfère des familles."
    assert post_step(client, draft, "sustainability", data).status_code == 302
    assert draft.checklist_answers.get(item=item).justification == "Le CISSS nous réfère des familles."


def test_it_shows_the_checklist_answers_to_include_elsewhere(client, draft, applicant, manager):
    item = ChecklistItem.objects.filter(criterion__call=draft.call).first()
    draft.checklist_answers.create(item=item, checked=True, justification="Parce que.")
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        html = render_to_string("forms/_checklist_answers.html", {"application": draft})
    assert item.text in html and "Parce que." in html and item.criterion.title in html


def test_it_shows_progress(client, empty_draft, applicant):
    client.force_login(applicant)
    response = client.get(step_url(empty_draft, "project"))
    assert response.context["progress"]["done"] == 0 and response.context["progress"]["total"] == 4
    assert '<progress id="wizard-progress" max="4" value="0"' in response.text
    post_step(client, empty_draft, "project", {"project-title": "Jardin", "project-summary": "Un jardin."})
    assert client.get(step_url(empty_draft, "budget")).context["progress"]["done"] == 1


def test_it_prefills_from_the_organisation_and_its_last_application(client, call, organisation, applicant, draft):
    organisation.mission = "Nourrir le quartier."
    organisation.save()
    question = call_question_ensure(call=call, label="Votre mission?", prefill="mission", max_length=500)
    client.force_login(applicant)
    response = client.post(reverse("forms:create", args=[call.pk]))
    new = Application.objects.exclude(pk=draft.pk).get()
    assert new.prefilled_from == draft and new.copied_steps == ["partners", "sustainability"]
    assert [(p.name, p.role) for p in new.partners.all()] == [("CISSS de Lanaudière", "Référence des familles")]
    assert [i.name for i in new.indicators.all()] == ["Familles rejointes"]
    assert new.sustainability_plan == "Autofinancement." and new.title == ""
    assert new.question_answers.get(question=question).text == "Nourrir le quartier."
    assert response.status_code == 302

    page = client.get(step_url(new, "partners"))
    assert page.context["copied"] and "Cuisine collective de Joliette" in page.text
    assert "Nourrir le quartier." in client.get(step_url(new, "project")).text  # the profile panel
    client.post(
        reverse("forms:autosave", args=[new.pk, "sustainability"]),
        {"version": new.version, "sustainability-sustainability_plan": "Autre plan."},
    )
    new.refresh_from_db()
    assert new.copied_steps == ["partners"]


def test_it_offers_a_pdf_copy_once_submitted(client, draft, applicant, outsider):
    client.force_login(applicant)
    url = reverse("forms:pdf", args=[draft.pk])
    assert client.get(url)["Location"] == draft.get_absolute_url()
    workflow_services.application_submit(application=draft, by=applicant)
    assert url in client.get(draft.get_absolute_url()).text
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    client.force_login(outsider)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "language,words", [("en", "Copy of the application as submitted"), ("fr", "Cuisine collective")]
)
def test_it_writes_the_pdf_in_the_readers_language(draft, applicant, language, words):
    workflow_services.application_submit(application=draft, by=applicant)
    html = render_application_html(application=draft, language=language)
    assert words in html and f'lang="{language}-CA"' in html
    assert re.search(r"20[\s\u00a0\u202f,]000", html)


def test_it_keeps_the_questions_in_the_step_chosen(call):
    q = call_question_ensure(call=call, label="Budget?", step="budget")
    assert CallQuestion.objects.get(pk=q.pk).step == "budget"
    assert call_question_ensure(call=call, label="Budget?", step="project").pk == q.pk  # idempotent
    assert Decimal(call.max_amount) > 0


def test_it_prefills_the_legal_form_and_territory_served_as_people_read_them(client, call, organisation, applicant):
    from accounts.models import Mrc, Organisation, Population

    organisation.legal_form = Organisation.LegalForm.NONPROFIT
    organisation.save(update_fields=["legal_form"])
    served = list(Mrc.objects.filter(code__in=["061", "062"]).order_by("region__code", "name"))
    organisation.mrcs_served.set(served)
    population = Population.objects.first()
    organisation.populations.set([population])
    form_q = call_question_ensure(call=call, label="Forme juridique?", prefill="legal_form", max_length=200)
    where_q = call_question_ensure(call=call, label="Territoire desservi?", prefill="territory", max_length=300)
    who_q = call_question_ensure(call=call, label="Pour qui?", prefill="populations", max_length=300)
    client.force_login(applicant)
    client.post(reverse("forms:create", args=[call.pk]))
    new = Application.objects.get(organisation=organisation)
    label = str(Organisation.LegalForm.NONPROFIT.label)
    assert new.question_answers.get(question=form_q).text == label
    assert new.question_answers.get(question=where_q).text == ", ".join(str(m) for m in served)
    assert new.question_answers.get(question=who_q).text == str(population)
    panel = client.get(step_url(new, "project")).text
    assert label in panel and all(m.name in panel for m in served)
