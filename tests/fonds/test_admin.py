from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fonds.models import Call
from tests import factories as f


def call_form(fund, **overrides) -> dict:
    now = timezone.localtime()
    data = {
        "fund": fund.pk,
        "title": "Appel créé dans l'admin",
        "description": "",
        "opens_at_0": now.strftime("%Y-%m-%d"),
        "opens_at_1": "08:00:00",
        "closes_at_0": (now + timedelta(days=30)).strftime("%Y-%m-%d"),
        "closes_at_1": "17:00:00",
        "envelope": "100000",
        "min_amount": "1000",
        "max_amount": "20000",
        "max_years": "2",
        "reviewers_per_application": "2",
        "criteria-TOTAL_FORMS": "0",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
        "eligibility_rules-TOTAL_FORMS": "0",
        "eligibility_rules-INITIAL_FORMS": "0",
        "eligibility_rules-MIN_NUM_FORMS": "0",
        "eligibility_rules-MAX_NUM_FORMS": "1000",
        "form_settings-TOTAL_FORMS": "0",
        "form_settings-INITIAL_FORMS": "0",
        "form_settings-MIN_NUM_FORMS": "0",
        "form_settings-MAX_NUM_FORMS": "1",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_it_gives_a_call_added_in_the_admin_the_default_criteria(client, admin_user, fund):
    client.force_login(admin_user)
    response = client.post(reverse("admin:fonds_call_add"), call_form(fund))
    assert response.status_code == 302, response.context["adminform"].form.errors
    call = Call.objects.get(title="Appel créé dans l'admin")
    assert sorted(call.criteria.values_list("key", flat=True)) == ["concertation", "innovation", "perennite"]
    assert all(c.checklist.count() == 2 for c in call.criteria.all())


def test_it_keeps_criteria_typed_in_the_admin_add_form(client, admin_user, fund):
    client.force_login(admin_user)
    data = call_form(
        fund,
        **{
            "criteria-TOTAL_FORMS": "1",
            "criteria-0-position": "0",
            "criteria-0-key": "impact",
            "criteria-0-title": "Impact",
            "criteria-0-description": "Measurable change.",
            "criteria-0-weight": "2",
        },
    )
    response = client.post(reverse("admin:fonds_call_add"), data)
    assert response.status_code == 302
    call = Call.objects.get(title="Appel créé dans l'admin")
    assert list(call.criteria.values_list("key", flat=True)) == ["impact"]


def test_it_shows_form_errors_for_an_inconsistent_call(client, admin_user, fund):
    client.force_login(admin_user)
    response = client.post(reverse("admin:fonds_call_add"), call_form(fund, min_amount="50000", max_amount="100"))
    assert response.status_code == 200
    assert not Call.objects.filter(title="Appel créé dans l'admin").exists()


def test_it_does_not_add_criteria_when_a_call_is_edited(client, admin_user, call):
    call.criteria.all().delete()
    client.force_login(admin_user)
    data = call_form(call.fund, title="Renamed")
    data["criteria-INITIAL_FORMS"] = "0"
    response = client.post(reverse("admin:fonds_call_change", args=[call.pk]), data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title == "Renamed"
    assert call.criteria.count() == 0


@pytest.mark.parametrize("role", ["applicant", "advisor", "reviewer1", "funder_user"])
def test_it_keeps_non_staff_out_of_the_admin(client, request, role):
    client.force_login(request.getfixturevalue(role))
    for name in ("admin:index", "admin:fonds_call_add", "admin:fonds_call_changelist"):
        response = client.get(reverse(name))
        assert response.status_code == 302, (role, name)
        assert reverse("admin:login") in response["Location"]


# -- fund managers: their own funds' calls, and nothing else.

SCOPED_MODELS = [
    ("fonds", "call"),
    ("fonds", "checklistitem"),
    ("fonds", "criterion"),
    ("fonds", "eligibilityrule"),
    ("forms", "callformsettings"),
    ("forms", "callquestion"),
]


@pytest.fixture
def other_call(other_manager):
    return f.make_call(fund=other_manager.managed_funds.get(), title="Appel d'un autre fonds")


def test_it_shows_a_manager_only_the_models_they_configure(client, manager, fund):
    client.force_login(manager)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    shown = sorted(
        (a["app_label"], m["object_name"].lower()) for a in response.context["app_list"] for m in a["models"]
    )
    assert shown == SCOPED_MODELS


def test_it_lists_only_the_calls_of_the_managers_funds(client, manager, call, other_call):
    client.force_login(manager)
    response = client.get(reverse("admin:fonds_call_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [call]
    assert "Autre fonds" not in response.text  # not even in the filters
    criteria = client.get(reverse("admin:fonds_criterion_changelist")).context["cl"].result_list
    assert {criterion.call for criterion in criteria} == {call}
    items = client.get(reverse("admin:fonds_checklistitem_changelist")).context["cl"].result_list
    assert {item.criterion.call for item in items} == {call}


def test_it_lets_a_manager_edit_a_rule_and_a_question_of_their_call(client, manager, call):
    from fonds.services import eligibility_rule_add
    from forms.services import call_question_ensure

    rule = eligibility_rule_add(call=call, kind="budget_at_most", parameters={"amount": "100000"})
    question = call_question_ensure(call=call, label="Votre question?", step="project")
    url = reverse("admin:fonds_call_change", args=[call.pk])
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    assert [f.formset.prefix for f in response.context["inline_admin_formsets"]] == [
        "criteria",
        "eligibility_rules",
        "form_settings",
        "questions",
    ]
    committee = [str(pk) for pk in call.committee.values_list("pk", flat=True)]
    data = call_form(call.fund, title=call.title, committee=committee)
    data.update({"eligibility_rules-TOTAL_FORMS": "1", "eligibility_rules-INITIAL_FORMS": "1"})
    data.update(_rule(0, "budget_at_most", id=str(rule.pk), budget="200000"))
    data.update({"questions-TOTAL_FORMS": "1", "questions-INITIAL_FORMS": "1"})
    data.update(
        {
            "questions-0-id": str(question.pk),
            "questions-0-step": "budget",
            "questions-0-position": "0",
            "questions-0-label": "Une meilleure question?",
            "questions-0-max_length": "500",
            "questions-0-prefill": "",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    rule.refresh_from_db()
    question.refresh_from_db()
    assert rule.parameters == {"amount": "200000"}
    assert (question.label, question.step, question.required) == ("Une meilleure question?", "budget", False)
    assert call.committee.count() == 2


def test_it_lets_a_manager_add_a_criterion_to_their_call_only(client, manager, call, other_call):
    client.force_login(manager)
    data = {
        "call": str(call.pk),
        "key": "impact",
        "title": "Impact",
        "description": "Measurable change.",
        "weight": "1",
        "position": "3",
        "checklist-TOTAL_FORMS": "1",
        "checklist-INITIAL_FORMS": "0",
        "checklist-MIN_NUM_FORMS": "0",
        "checklist-MAX_NUM_FORMS": "1000",
        "checklist-0-position": "0",
        "checklist-0-text": "Le projet mesure-t-il son impact?",
    }
    response = client.post(reverse("admin:fonds_criterion_add"), data)
    assert response.status_code == 302
    criterion = call.criteria.get(key="impact")
    assert list(criterion.checklist.values_list("text", flat=True)) == ["Le projet mesure-t-il son impact?"]

    response = client.post(reverse("admin:fonds_criterion_add"), {**data, "call": str(other_call.pk)})
    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("call")
    assert not other_call.criteria.filter(key="impact").exists()


def test_it_keeps_another_funds_call_from_a_manager(client, manager, fund, other_call):
    client.force_login(manager)
    index = reverse("admin:index")
    for name in ("change", "delete", "history"):
        response = client.get(reverse(f"admin:fonds_call_{name}", args=[other_call.pk]))
        assert (response.status_code, response["Location"]) == (302, index), name
    response = client.post(
        reverse("admin:fonds_call_change", args=[other_call.pk]), call_form(other_call.fund, title="Pris")
    )
    assert (response.status_code, response["Location"]) == (302, index)
    response = client.post(reverse("admin:fonds_call_delete", args=[other_call.pk]), {"post": "yes"})
    assert response.status_code == 302
    other_call.refresh_from_db()
    assert other_call.title == "Appel d'un autre fonds"
    question = other_call.questions.create(label="Autre question")
    response = client.get(reverse("admin:forms_callquestion_change", args=[question.pk]))
    assert (response.status_code, response["Location"]) == (302, index)


def test_it_refuses_a_call_posted_by_a_manager_into_another_fund(client, manager, fund, other_manager):
    other_fund = other_manager.managed_funds.get()
    client.force_login(manager)
    response = client.get(reverse("admin:fonds_call_add"))
    assert list(response.context["adminform"].form.fields["fund"].queryset) == [fund]
    response = client.post(reverse("admin:fonds_call_add"), call_form(other_fund))
    assert response.status_code == 200
    assert response.context["adminform"].form.has_error("fund")
    assert not Call.objects.filter(title="Appel créé dans l'admin").exists()

    response = client.post(reverse("admin:fonds_call_add"), call_form(fund))
    assert response.status_code == 302
    assert Call.objects.get(title="Appel créé dans l'admin").fund == fund


def test_it_offers_a_manager_committee_members_not_every_user(client, manager, call, applicant, admin_user):
    client.force_login(manager)
    response = client.get(reverse("admin:fonds_call_change", args=[call.pk]))
    choices = set(response.context["adminform"].form.fields["committee"].queryset)
    assert choices == set(call.committee.all())
    assert applicant not in choices and admin_user not in choices
    client.force_login(admin_user)
    response = client.get(reverse("admin:fonds_call_change", args=[call.pk]))
    assert applicant in response.context["adminform"].form.fields["committee"].queryset


def test_it_keeps_a_manager_out_of_the_other_admin_pages(client, manager, fund, applicant):
    client.force_login(manager)
    for url in (
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[applicant.pk]),
        reverse("admin:auth_user_password_change", args=[applicant.pk]),
        reverse("admin:fonds_fund_change", args=[fund.pk]),
        reverse("admin:forms_application_changelist"),
        reverse("admin:auth_group_changelist"),
    ):
        assert client.get(url).status_code == 403, url
    response = client.post(reverse("admin:auth_user_password_change", args=[applicant.pk]), {})
    assert response.status_code == 403
    assert client.get(reverse("admin:app_list", args=["accounts"])).status_code == 404


def _rule(n: int, kind: str, **fields) -> dict:
    data = {f"eligibility_rules-{n}-position": str(n), f"eligibility_rules-{n}-kind": kind}
    data.update({f"eligibility_rules-{n}-{k}": v for k, v in fields.items()})
    return data


def test_it_stores_typed_eligibility_rules_as_parameters(client, admin_user, fund, vocabularies):
    from accounts.models import Population

    youth = Population.objects.get(code="youth")
    client.force_login(admin_user)
    data = call_form(fund, **{"eligibility_rules-TOTAL_FORMS": "4"})
    data.update(_rule(0, "legal_form_in", legal_forms=["obnl", "coop"]))
    data.update(_rule(1, "population_any", populations=[str(youth.pk)]))
    data.update(_rule(2, "budget_at_most", budget="500000", message="Petits organismes seulement."))
    data.update(_rule(3, "amount_between"))
    response = client.post(reverse("admin:fonds_call_add"), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][1].formset.errors
    call = Call.objects.get(title="Appel créé dans l'admin")
    rules = {r.kind: r for r in call.eligibility_rules.all()}
    assert rules["legal_form_in"].parameters == {"legal_forms": ["obnl", "coop"]}
    assert rules["population_any"].parameters == {"populations": ["youth"]}
    assert rules["budget_at_most"].parameters == {"amount": "500000"}
    assert rules["budget_at_most"].message == "Petits organismes seulement."
    assert rules["amount_between"].parameters == {}  # derived from the call


def test_it_refuses_a_rule_missing_its_parameters(client, admin_user, fund):
    client.force_login(admin_user)
    data = call_form(fund, **{"eligibility_rules-TOTAL_FORMS": "2"})
    data.update(_rule(0, "legal_form_in"))
    data.update(_rule(1, "amount_between", minimum="9000", maximum="10"))
    response = client.post(reverse("admin:fonds_call_add"), data)
    assert response.status_code == 200
    assert not Call.objects.filter(title="Appel créé dans l'admin").exists()


def test_it_shows_a_stored_rule_in_the_admin(client, admin_user, call):
    from fonds.services import eligibility_rule_add

    rule = eligibility_rule_add(call=call, kind="legal_form_in", parameters={"legal_forms": ["coop"]})
    client.force_login(admin_user)
    response = client.get(reverse("admin:fonds_eligibilityrule_change", args=[rule.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.initial["legal_forms"] == ["coop"]
    assert form["legal_forms"].value() == ["coop"]
