"""Autosave runs on every pause in typing (bench/deadline.py): its queries are few and do not grow with rows.

A step held in the application row alone is saved without a transaction: one SELECT, then one
UPDATE that writes only if the row is still as read. A step with rows of its own (budget years,
answers to the call's questions...) writes them in a transaction. Counts are taken inside the
test's transaction, so that one shows as a SAVEPOINT and its RELEASE (BEGIN and COMMIT on a real
request).
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fonds.models import ChecklistItem
from forms import services
from forms.models import Application
from tests import factories as f

from .conftest import formset

pytestmark = pytest.mark.django_db

# session, user, the application with its call, its form settings and the membership check,
# UPDATE application (its version and the step's last save together) if it is still as read.
PROJECT_QUERIES = 4
# + SAVEPOINT and RELEASE around the step's own rows
TRANSACTION = 2
# The saved years (the typed ones are compared with them) come with the application's read. On
# PostgreSQL the UPDATE writes the years too, in the same statement (no transaction); elsewhere a
# DELETE and an upsert follow it, in a transaction.
BUDGET_QUERIES = PROJECT_QUERIES if connection.vendor == "postgresql" else PROJECT_QUERIES + 2 + TRANSACTION


def autosave(client, application, step, data):
    return client.post(reverse("forms:autosave", args=[application.pk, step]), {"version": application.version, **data})


def count(client, application, step, data) -> int:
    application.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        response = autosave(client, application, step, data)
    assert response.status_code == 200 and response.json()["saved"] is True, response.content
    return len(queries)


def with_rows(draft, rows: int):
    services.application_save_partners(
        application=draft,
        partners=[{"name": f"Partenaire {i}", "role": "Accueil"} for i in range(rows)],
        indicators=[
            {"name": f"Indicateur {i}", "unit": "familles", "baseline": 0, "target": 40, "targets": {1: 10, 2: 40}}
            for i in range(rows)
        ],
    )
    services.application_save_budget(
        application=draft,
        amounts=[Decimal("20000"), Decimal("15000")],
        lines=[{"label": f"Ligne {i}", "year": 1, "amount": Decimal("100")} for i in range(rows)],
    )
    return draft


def partners_data(rows: int, version: int) -> dict:
    partners = [{"name": f"Partenaire {i}", "role": f"Rôle {version}"} for i in range(rows)]
    indicators = [
        {"name": f"Indicateur {i}", "unit": "familles", "baseline": "0", "target": str(40 + version), "target_1": "10"}
        for i in range(rows)
    ]
    return {
        **formset("partners-partners", partners, initial=rows),
        **formset("partners-indicators", indicators, initial=rows),
    }


@pytest.mark.parametrize(
    "step,data,expected",
    [
        ("project", {"project-title": "Nouveau titre", "project-summary": "Nouveau résumé."}, PROJECT_QUERIES),
        ("budget", {"budget-year_1": "19000", "budget-year_2": "9000"}, BUDGET_QUERIES),
        ("sustainability", {"sustainability-sustainability_plan": "Vente de repas."}, PROJECT_QUERIES),
    ],
)
def test_it_autosaves_a_step_in_a_few_queries(
    client, draft, applicant, django_assert_num_queries, step, data, expected
):
    client.force_login(applicant)
    draft.refresh_from_db()
    with django_assert_num_queries(expected):
        response = autosave(client, draft, step, data)
    assert response.status_code == 200 and response.json()["saved"] is True


def test_it_reads_only_the_parts_that_were_sent(client, draft, applicant, call):
    """The call's questions, checklist and other parts cost nothing when the browser did not send them."""
    question = services.call_question_ensure(call=call, label="Pourquoi maintenant ?", step="project")
    client.force_login(applicant)
    plain = count(client, draft, "project", {"project-summary": "Un résumé."})
    assert plain == PROJECT_QUERIES
    # Sending the question: the call's questions and the saved answer are read, the service checks
    # the question is the call's, and the answer is written (one upsert), in a transaction.
    answered = count(client, draft, "project", {f"project-question_{question.pk}": "Parce que."})
    assert answered == PROJECT_QUERIES + 4 + TRANSACTION
    assert draft.question_answers.get(question=question).text == "Parce que."


def test_its_queries_do_not_grow_with_the_rows(client, call, organisation, applicant):
    client.force_login(applicant)
    counts = {}
    for rows in (2, 8):
        draft = with_rows(f.make_draft(call=call, organisation=organisation, by=applicant), rows)
        counts[rows] = {
            "project": count(client, draft, "project", {"project-summary": f"Résumé {rows}."}),
            "budget": count(client, draft, "budget", {"budget-year_1": "21000"}),
            "partners": count(client, draft, "partners", partners_data(rows, rows)),
        }
        draft.refresh_from_db()
        assert [p.role for p in draft.partners.all()] == [f"Rôle {rows}"] * rows
        assert [(i.target, [t.value for t in i.targets.all()]) for i in draft.indicators.all()] == [
            (Decimal(40 + rows), [Decimal("10")])
        ] * rows
        assert draft.budget_lines.count() == rows  # not sent: untouched
    assert counts[2] == counts[8]
    assert counts[8]["project"] == PROJECT_QUERIES


def test_an_indicator_keeps_its_identity_when_the_rows_are_saved_at_once(draft):
    before = {i.name: i.pk for i in draft.indicators.all()}
    services.application_save_partners(
        application=draft,
        indicators=[
            {"name": "Nouveau", "unit": "repas", "target": 10, "targets": {1: 5}},
            {"name": "Familles rejointes", "unit": "familles", "target": 50, "targets": {1: 20, 2: 50}},
        ],
    )
    after = {i.name: i for i in draft.indicators.all()}
    assert list(after) == ["Nouveau", "Familles rejointes"]
    assert after["Familles rejointes"].pk == before["Familles rejointes"]
    assert [(t.year, t.value) for t in after["Familles rejointes"].targets.all()] == [(1, 20), (2, 50)]
    assert [(t.year, t.value) for t in after["Nouveau"].targets.all()] == [(1, 5)]


def test_what_is_missing_is_read_in_a_few_queries(call, organisation, applicant, django_assert_max_num_queries):
    counts = []
    for rows in (2, 8):
        draft = Application.objects.select_related("call").get(
            pk=with_rows(f.make_draft(call=call, organisation=organisation, by=applicant), rows).pk
        )
        with CaptureQueriesContext(connection) as queries:
            assert services.missing_items(draft) == []
        counts.append(len(queries))
    # years; then indicators, partners, unjustified items and required questions, as EXISTS in one query
    assert counts == [2, 2]


def test_it_lists_unanswered_questions_and_unjustified_items_in_a_bounded_number_of_queries(
    call, organisation, applicant
):
    from forms.models import ChecklistAnswer, QuestionAnswer

    draft = Application.objects.select_related("call").get(
        pk=f.make_draft(call=call, organisation=organisation, by=applicant).pk
    )
    blank = services.call_question_ensure(call=call, label="Qui?", step="project", required=True, position=1)
    answered = services.call_question_ensure(call=call, label="Où?", step="project", required=True, position=2)
    unasked = services.call_question_ensure(call=call, label="Quand?", step="project", required=True, position=3)
    services.call_question_ensure(call=call, label="Facultative", step="project", required=False, position=4)
    QuestionAnswer.objects.create(application=draft, question=blank, text="  \n ")
    QuestionAnswer.objects.create(application=draft, question=answered, text="Dans le quartier.")
    items = list(ChecklistItem.objects.filter(criterion__call=call)[:2])
    assert len(items) == 2
    ChecklistAnswer.objects.create(application=draft, item=items[0], checked=True, justification="")
    ChecklistAnswer.objects.create(application=draft, item=items[1], checked=True, justification="Une raison.")

    with CaptureQueriesContext(connection) as queries:
        missing = services.missing_items(draft)
    assert missing == [f"justification_{items[0].pk}", f"question_{blank.pk}", f"question_{unasked.pk}"]
    # years, the EXISTS query, then the two lists
    assert len(queries) == 4
