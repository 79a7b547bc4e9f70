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
