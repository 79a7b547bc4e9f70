"""The call page publishes its rules, timeline, territory and the guidance of each criterion."""

from datetime import date

from django.conf import settings

from accounts.models import Region
from fonds.models import Criterion
from fonds.services import call_set_audience, criteria_fill_guidance, eligibility_rule_add


def test_it_publishes_eligibility_rules_in_plain_language(client, call, vocabularies):
    call_set_audience(call=call, regions=[Region.objects.get(code="14")])
    eligibility_rule_add(call=call, kind="legal_form_in", parameters={"legal_forms": ["obnl", "coop"]})
    eligibility_rule_add(call=call, kind="budget_at_most", parameters={"amount": "1000000"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(call.get_absolute_url())
    rules = response.context["rules"]
    assert rules[0].startswith("Who may apply:")
    assert "Territory: projects in Lanaudière." in rules
    assert "Amount asked: from $5,000 to $50,000." in rules
    assert "Duration: at most 3 years." in rules
    assert "Organisations with an annual budget of at most $1,000,000." in rules
    assert 'id="eligibility-rules"' in response.content.decode()


def test_it_shows_the_timeline(client, call):
    call_set_audience(call=call, decision_expected_on=date(2030, 5, 15), projects_start_on=date(2030, 7, 1))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(call.get_absolute_url()).content.decode()
    assert "May 15, 2030" in body and "July 1, 2030" in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    body = client.get(call.get_absolute_url()).content.decode()
    assert "15 mai 2030" in body


def test_it_says_when_the_timeline_is_not_announced(client, call):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Not announced yet" in client.get(call.get_absolute_url()).content.decode()


def test_it_shows_guiding_questions_and_examples_of_default_criteria(client, call):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(call.get_absolute_url()).content.decode()
    assert "Questions to guide you" in body
    assert "What need of your community is not met today?" in body
    assert "Volunteers trained during the project take over the activities." in body


def test_it_fills_guidance_of_older_calls_without_overwriting(call):
    call.criteria.update(guiding_questions="", examples="")
    innovation = call.criteria.get(key="innovation")
    innovation.examples = "Mon exemple."
    innovation.save()
    assert criteria_fill_guidance(call=call) == 3
    innovation.refresh_from_db()
    assert innovation.examples == "Mon exemple."
    assert innovation.guiding_questions.startswith("What need")
    assert criteria_fill_guidance(call=call) == 0
    assert Criterion.objects.filter(call=call, guiding_questions="").count() == 0


def test_it_offers_an_applicant_without_organisation_to_register_one(client, applicant, call):
    client.force_login(applicant)
    body = client.get(call.get_absolute_url()).content.decode()
    assert "/accounts/organisations/new/" in body
