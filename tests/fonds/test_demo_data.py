"""`manage.py demo`: complete organisation profiles and eligibility rules on every call, idempotently."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.demo_data import ORGANISATIONS
from accounts.models import Contact, Organisation, Population
from fonds.models import Call, Criterion, EligibilityRule, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _counts():
    return (
        Contact.objects.count(),
        EligibilityRule.objects.count(),
        Population.objects.count(),
        Theme.objects.count(),
        sum(c.regions.count() + c.mrcs.count() + c.themes.count() + c.populations.count() for c in Call.objects.all()),
    )


def test_it_completes_profiles_and_rules_once():
    call_command("demo", stdout=StringIO())
    assert all(call.eligibility_rules.exists() for call in Call.objects.all())
    assert not Criterion.objects.filter(key="innovation", guiding_questions="").exists()
    for organisation in Organisation.objects.filter(name__in=[o[1] for o in ORGANISATIONS]):
        assert organisation.contacts.exists() and organisation.annual_budget and organisation.populations.exists()
        assert organisation.street_address and organisation.postal_code and organisation.mrcs_served.exists()
    first = _counts()
    call_command("demo", stdout=StringIO())
    assert _counts() == first


def test_it_leaves_a_profile_edited_since_alone():
    call_command("demo", stdout=StringIO())
    organisation = Organisation.objects.get(name=ORGANISATIONS[0][1])
    organisation.contacts.all().delete()
    Organisation.objects.filter(pk=organisation.pk).update(city="Ailleurs")
    call_command("demo", stdout=StringIO())
    organisation.refresh_from_db()
    assert organisation.city == "Ailleurs"


def test_it_addresses_every_application_to_a_call_its_organisation_can_get():
    from accounts.demo_data import COFUNDED, WIZARD_DRAFTS
    from fonds import eligibility as e
    from fonds.rules import call_rules, vocabulary_get
    from forms.models import Application

    call_command("demo", stdout=StringIO())
    vocabulary = vocabulary_get()
    titles = [spec.title for spec in [*WIZARD_DRAFTS, COFUNDED]]
    assert Application.objects.filter(title__in=titles).count() == len(titles) + 1  # the co-funded copy
    # Every one but those the demo shows as refused at screening.
    applications = list(
        Application.objects.exclude(status=Application.Status.INELIGIBLE).select_related("organisation", "call")
    )
    for application in applications:
        organisation = application.organisation
        mrcs = list(organisation.mrcs_served.select_related("region"))
        years = [y.amount for y in application.years.all()]
        answers = e.Answers(
            legal_form=organisation.legal_form,
            mrcs=frozenset(m.code for m in mrcs),
            regions=frozenset(m.region.code for m in mrcs),
            populations=frozenset(organisation.populations.values_list("code", flat=True)),
            amount=sum(years) if years else None,
            years=len(years) or None,
            annual_budget=organisation.annual_budget,
        )
        verdict = e.evaluate(call_rules(application.call, vocabulary), answers)
        assert verdict.eligible, (application.title, application.call.title, verdict.reasons)
