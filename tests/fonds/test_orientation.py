"""The orientation questionnaire: answers (typed or from the profile) → open calls, best fit first, with reasons."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Mrc, Organisation, Population, Region
from accounts.services import organisation_update
from fonds.services import call_set_audience, eligibility_rule_add
from tests import factories as f

URL = reverse("fonds:orientation")


@pytest.fixture
def calls(db, fund, vocabularies):
    lanaudiere = f.make_call(fund=fund, title="Lanaudière", min_amount=5000, max_amount=50000, max_years=2)
    call_set_audience(call=lanaudiere, regions=[Region.objects.get(code="14")])
    eligibility_rule_add(call=lanaudiere, kind="legal_form_in", parameters={"legal_forms": ["obnl", "coop"]})
    youth = f.make_call(fund=fund, title="Jeunesse partout", min_amount=1000, max_amount=30000, max_years=3)
    call_set_audience(call=youth, populations=[Population.objects.get(code="youth")])
    outaouais = f.make_call(fund=fund, title="Outaouais", min_amount=5000, max_amount=100000)
    call_set_audience(call=outaouais, mrcs=[Mrc.objects.get(code="081")])
    return {"lanaudiere": lanaudiere, "youth": youth, "outaouais": outaouais}


def results(response):
    return [m.call.title for m in response.context["eligible"]], [m.call.title for m in response.context["others"]]


def test_it_shows_the_questionnaire_without_results_to_anonymous(client, calls):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["answered"] is False
    body = response.content.decode()
    assert body.count("<h1") == 1
    assert 'name="legal_form"' in body and 'name="mrcs"' in body and 'name="populations"' in body
    assert 'name="amount"' in body and 'name="years"' in body


def test_it_lists_eligible_calls_best_fit_first_with_reasons(client, calls):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(
        URL, {"legal_form": "obnl", "mrcs": ["061"], "populations": ["youth"], "amount": "20000", "years": "2"}
    )
    eligible, others = results(response)
    # Youth shares a population with the answers: it ranks before Lanaudière (same number of unknowns).
    assert eligible == ["Jeunesse partout", "Lanaudière"]
    assert others == ["Outaouais"]
    body = response.content.decode()
    assert "Your MRC is not served by this fund" in body
    assert "Your legal form is accepted" in body


def test_it_says_the_maximum_when_the_amount_is_too_high(client, calls):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(URL, {"mrcs": ["061"], "amount": "60000"})
    eligible, others = results(response)
    assert "Lanaudière" in others
    assert "The maximum is $50,000." in response.content.decode()


def test_it_answers_in_french_by_default(client, calls):
    response = client.get(URL, {"mrcs": ["081"]})
    assert response.wsgi_request.LANGUAGE_CODE == "fr"
    assert results(response)[0][0] == "Outaouais"


def test_it_prefills_a_members_answers_from_the_profile(client, applicant, organisation, calls):
    organisation_update(
        organisation=organisation,
        by=applicant,
        legal_form=Organisation.LegalForm.MUNICIPALITY,
        mrcs_served=[Mrc.objects.get(code="061")],
        populations=[Population.objects.get(code="youth")],
        annual_budget=Decimal("250000"),
    )
    client.force_login(applicant)
    response = client.get(URL)
    assert response.context["from_profile"] is True
    assert response.context["answered"] is True
    form = response.context["form"]
    assert form.data["legal_form"] == "municipality"
    assert form.data.getlist("mrcs") == ["061"]
    eligible, others = results(response)
    assert eligible[0] == "Jeunesse partout"
    assert "Lanaudière" in others  # a municipality is not accepted there
    body = response.content.decode()
    assert 'value="061" checked' in body


def test_it_lets_a_member_adjust_the_answers(client, applicant, organisation, calls):
    client.force_login(applicant)
    response = client.get(URL, {"organisation": organisation.pk, "legal_form": "obnl", "mrcs": ["062"]})
    assert response.context["from_profile"] is False
    assert "Lanaudière" in results(response)[0]


def test_it_ignores_an_organisation_the_user_does_not_belong_to(client, applicant, organisation, outsider, calls):
    other = outsider.memberships.get().organisation
    client.force_login(applicant)
    response = client.get(URL, {"organisation": other.pk})
    assert response.context["organisation"] == organisation


@pytest.mark.parametrize(
    "params",
    [{"amount": "abc"}, {"years": "-1"}, {"mrcs": ["999"]}, {"legal_form": "empire"}, {"populations": ["x"]}],
)
def test_it_reports_bad_answers_and_still_answers(client, calls, params):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert response.context["answered"] is True
    assert len(response.context["eligible"]) + len(response.context["others"]) == 3


def test_it_uses_a_constant_number_of_queries(client, fund, vocabularies):
    youth = Population.objects.get(code="youth")

    def make(i):
        call = f.make_call(fund=f.make_fund(name=f"Fonds {i}"), title=f"Appel {i}")
        call_set_audience(call=call, populations=[youth], regions=[Region.objects.get(code="14")])
        eligibility_rule_add(call=call, kind="legal_form_in", parameters={"legal_forms": ["obnl"]})

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, {"legal_form": "obnl", "mrcs": ["061"], "populations": ["youth"]})
        return len(ctx.captured_queries), len(response.context["eligible"])

    for i in range(2):
        make(i)
    two, shown = count()
    assert shown == 2
    for i in range(2, 10):
        make(i)
    ten, shown = count()
    assert (ten, shown) == (two, 10)


def test_it_keeps_the_calls_maximum_when_a_rule_only_raises_the_minimum(client, calls):
    # A fund manager narrows the amounts from below only: the call's own maximum still applies.
    eligibility_rule_add(call=calls["lanaudiere"], kind="amount_between", parameters={"min": "10000"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    too_much = client.get(URL, {"mrcs": ["061"], "amount": "60000"})
    assert "Lanaudière" in results(too_much)[1]
    assert "The maximum is $50,000." in too_much.content.decode()
    too_little = client.get(URL, {"mrcs": ["061"], "amount": "8000"})
    assert "Lanaudière" in results(too_little)[1]
    assert "Lanaudière" in results(client.get(URL, {"mrcs": ["061"], "amount": "20000"}))[0]
