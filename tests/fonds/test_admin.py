from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from fonds.models import Call


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


def test_it_keeps_non_staff_out_of_the_admin(client, manager):
    client.force_login(manager)
    response = client.get(reverse("admin:fonds_call_add"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


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
