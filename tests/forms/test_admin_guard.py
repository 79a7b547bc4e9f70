"""The admin never deletes what a submitted application answered (its questions, checklist items, criteria)."""

import pytest
from django.urls import reverse

from fonds.models import ChecklistItem
from forms.models import CallQuestion, ChecklistAnswer, QuestionAnswer
from forms.services import call_question_ensure
from tests import factories as f
from workflow import services as workflow_services

from ..fonds.test_admin import call_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(call, organisation, applicant):
    """A question and a checklist item answered by a submitted application, and a question only a draft answered."""
    question = call_question_ensure(call=call, label="Quels quartiers?", step="project", max_length=300)
    item = ChecklistItem.objects.filter(criterion__call=call).first()
    submitted = f.make_draft(call=call, organisation=organisation, by=applicant)
    QuestionAnswer.objects.create(application=submitted, question=question, text="Le centre-ville.")
    ChecklistAnswer.objects.create(application=submitted, item=item, checked=True, justification="Oui.")
    workflow_services.application_submit(application=submitted, by=applicant)
    draft_only = call_question_ensure(call=call, label="Brouillon seulement?", step="project", max_length=300)
    draft = f.make_draft(call=call, organisation=organisation, by=applicant)
    QuestionAnswer.objects.create(application=draft, question=draft_only, text="Peut-être.")
    return {"question": question, "item": item, "draft_only": draft_only}


@pytest.mark.parametrize("who", ["manager", "admin_user"])
def test_it_refuses_to_delete_a_question_or_item_a_submitted_application_answered(client, request, answered, who):
    client.force_login(request.getfixturevalue(who))
    question, item = answered["question"], answered["item"]
    for url in (
        reverse("admin:forms_callquestion_delete", args=[question.pk]),
        reverse("admin:fonds_checklistitem_delete", args=[item.pk]),
        reverse("admin:fonds_criterion_delete", args=[item.criterion_id]),
    ):
        assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = client.get(reverse("admin:forms_callquestion_changelist"))
    assert changelist.status_code == 200 and b'value="delete_selected"' not in changelist.content
    assert CallQuestion.objects.filter(pk=question.pk).exists()
    assert ChecklistItem.objects.filter(pk=item.pk).exists()
    assert QuestionAnswer.objects.filter(question=question).count() == 1


def delete_question_in_call_form(client, call, question):
    committee = [str(pk) for pk in call.committee.values_list("pk", flat=True)]
    data = call_form(call.fund, title=call.title, committee=committee)
    data.update({"questions-TOTAL_FORMS": "1", "questions-INITIAL_FORMS": "1"})
    data.update(
        {
            "questions-0-id": str(question.pk),
            "questions-0-call": str(call.pk),
            "questions-0-step": "project",
            "questions-0-position": "0",
            "questions-0-label": question.label,
            "questions-0-max_length": "300",
            "questions-0-prefill": "",
            "questions-0-DELETE": "on",
        }
    )
    return client.post(reverse("admin:fonds_call_change", args=[call.pk]), data, HTTP_ACCEPT_LANGUAGE="en")


def test_it_explains_why_an_answered_question_stays_in_the_call_form(client, manager, call, answered):
    client.force_login(manager)
    question = answered["question"]
    response = delete_question_in_call_form(client, call, question)
    assert response.status_code == 200
    errors = [str(e) for fs in response.context["inline_admin_formsets"] for e in fs.formset.non_form_errors()]
    assert any("answered in applications already submitted" in e for e in errors), errors
    assert CallQuestion.objects.filter(pk=question.pk).exists()


def test_it_lets_a_manager_remove_a_question_only_drafts_answered(client, manager, call, answered):
    client.force_login(manager)
    draft_only = answered["draft_only"]
    response = delete_question_in_call_form(client, call, draft_only)
    assert response.status_code == 302
    assert not CallQuestion.objects.filter(pk=draft_only.pk).exists()
    assert not QuestionAnswer.objects.filter(question_id=draft_only.pk).exists()
