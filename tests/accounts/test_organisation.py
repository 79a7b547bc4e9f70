"""The organisation profile: created once by an applicant, seen by members, edited by administrators."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Contact, Mrc, Organisation, Population
from accounts.selectors import organisation_profile
from accounts.services import NeqTaken, NotAllowed, organisation_create, organisation_update
from accounts.validators import normalise_postal_code, validate_neq, validate_phone, validate_postal_code
from tests import factories as f

CREATE = reverse("accounts:organisation_create")


def profile_data(**overrides) -> dict:
    data = {
        "name": "Maison de la famille",
        "neq": "1165 432 109",
        "legal_form": "obnl",
        "mission": "Soutenir les familles.",
        "street_address": "12, rue Principale",
        "city": "Joliette",
        "postal_code": "j6e3l6",
        "mrc": "061",
        "mrcs_served": ["061", "062"],
        "annual_budget": "250000",
        "populations": ["families", "youth"],
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "10",
        "contacts-0-name": "Line Lacroix",
        "contacts-0-role": "Directrice",
        "contacts-0-email": "line@maison.example",
        "contacts-0-phone": "450 555-0123",
        "contacts-1-name": "",
    }
    data.update(overrides)
    return data


def post_profile(client, url, **overrides):
    data = profile_data(**overrides)
    data["mrc"] = str(Mrc.objects.get(code=data["mrc"]).pk)  # the head-office select posts the primary key
    return client.post(url, data)


# --- creation ---------------------------------------------------------------------------------


def test_it_lets_an_applicant_without_organisation_register_one(client, applicant, vocabularies):
    client.force_login(applicant)
    assert client.get(CREATE).status_code == 200
    response = post_profile(client, CREATE)
    organisation = Organisation.objects.get(name="Maison de la famille")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.neq == "1165432109"
    assert organisation.postal_code == "J6E 3L6"
    assert organisation.memberships.get().user == applicant
    assert organisation.memberships.get().is_admin
    assert sorted(organisation.mrcs_served.values_list("code", flat=True)) == ["061", "062"]
    assert sorted(organisation.populations.values_list("code", flat=True)) == ["families", "youth"]
    assert list(organisation.contacts.values_list("name", "phone")) == [("Line Lacroix", "450 555-0123")]


def test_it_refuses_creation_to_a_member_and_to_other_roles(client, applicant, organisation, advisor, manager):
    for user in (applicant, advisor, manager):
        client.force_login(user)
        assert client.get(CREATE).status_code == 403
        assert post_profile(client, CREATE).status_code == 403
    assert not Organisation.objects.filter(name="Maison de la famille").exists()


def test_it_sends_anonymous_to_sign_in(client, db):
    response = client.get(CREATE)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("neq", "12345"),
        ("neq", "abcdefghij"),
        ("neq", ""),
        ("postal_code", "12345"),
        ("annual_budget", "-1"),
        ("annual_budget", "beaucoup"),
        ("mrc", "999999"),
        ("contacts-0-phone", "appelez-moi"),
        ("contacts-0-email", "pas une adresse"),
        ("name", ""),
    ],
)
def test_it_shows_errors_and_keeps_what_was_typed(client, applicant, vocabularies, field, value):
    client.force_login(applicant)
    data = profile_data(**{field: value})
    if field != "mrc":
        data["mrc"] = str(Mrc.objects.get(code="061").pk)
    response = client.post(CREATE, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "Soutenir les familles." in body
    assert 'value="062" checked' in body
    assert not Organisation.objects.exists()


def test_it_refuses_a_mission_longer_than_the_page_allows_and_keeps_it(client, applicant, vocabularies):
    client.force_login(applicant)
    mission = "Nourrir le quartier. " * 200  # 4,200 characters: a tampered form, the browser stops at 3,000
    data = profile_data(mission=mission)
    data["mrc"] = str(Mrc.objects.get(code="061").pk)
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert response.context["form"].errors["mission"]
    assert response.context["form"]["mission"].value() == mission
    assert not Organisation.objects.exists()


def test_it_refuses_an_neq_already_registered(client, applicant, outsider, vocabularies):
    taken = outsider.memberships.get().organisation
    Organisation.objects.filter(pk=taken.pk).update(neq="1165432109")
    client.force_login(applicant)
    response = post_profile(client, CREATE)
    assert response.status_code == 200
    assert response.context["form"].has_error("neq")
    assert Organisation.objects.count() == 1


# --- viewing and editing ------------------------------------------------------------------------


def test_it_shows_the_profile_to_members_and_hides_it_from_others(client, applicant, colleague, organisation, outsider):
    url = organisation.get_absolute_url()
    for user in (applicant, colleague):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert organisation.name in response.content.decode()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("accounts:organisation", args=[999999])).status_code == 404


def test_it_lets_only_administrators_edit(client, applicant, colleague, organisation, outsider, vocabularies):
    url = reverse("accounts:organisation_edit", args=[organisation.pk])
    client.force_login(colleague)
    assert client.get(url).status_code == 403
    assert post_profile(client, url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(applicant)
    assert client.get(url).status_code == 200
    response = post_profile(client, url, name="Nouveau nom")
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Nouveau nom"
    assert organisation.contacts.count() == 1


def test_it_prefills_the_edit_form_and_replaces_contacts(client, applicant, organisation, vocabularies):
    organisation_update(
        organisation=organisation,
        by=applicant,
        mrcs_served=[Mrc.objects.get(code="062")],
        contacts=[{"name": "Ancien contact", "role": "", "email": "", "phone": ""}],
    )
    client.force_login(applicant)
    url = reverse("accounts:organisation_edit", args=[organisation.pk])
    body = client.get(url).content.decode()
    assert 'value="062" checked' in body and "Ancien contact" in body
    post_profile(client, url, **{"contacts-0-name": "Nouveau contact"})
    assert list(organisation.contacts.values_list("name", flat=True)) == ["Nouveau contact"]


def test_it_keeps_an_unchanged_shared_neq_when_editing(applicant, organisation, outsider):
    # Factories give every organisation the same NEQ: saving without changing it is allowed.
    organisation_update(organisation=organisation, by=applicant, name="Renommé", neq=organisation.neq)
    with pytest.raises(NeqTaken):
        other = outsider.memberships.get().organisation
        Organisation.objects.filter(pk=other.pk).update(neq="1165432109")
        organisation_update(organisation=organisation, by=applicant, neq="1165432109")


def test_it_refuses_service_calls_from_non_administrators(colleague, organisation, advisor):
    with pytest.raises(NotAllowed):
        organisation_update(organisation=organisation, by=colleague, name="X")
    with pytest.raises(NotAllowed):
        organisation_create(by=advisor, name="X", neq="1165432109", mrc=Mrc.objects.get(code="061"))


def test_it_validates_in_the_service(applicant, organisation):
    with pytest.raises(ValidationError):
        organisation_update(organisation=organisation, by=applicant, postal_code="nope")


# --- the profile selector (prefill for the wizard and orientation) ------------------------------


def test_it_returns_the_profile_for_prefilling(applicant, organisation, vocabularies):
    organisation_update(
        organisation=organisation,
        by=applicant,
        mrcs_served=[Mrc.objects.get(code="062"), Mrc.objects.get(code="081")],
        populations=[Population.objects.get(code="seniors")],
        annual_budget=Decimal("120000"),
        street_address="1, rue A",
        city="Joliette",
        postal_code="J6E 3L6",
        contacts=[{"name": "B", "role": "C", "email": "b@c.example", "phone": ""}],
    )
    with CaptureQueriesContext(connection) as ctx:
        profile = organisation_profile(organisation=organisation)
        assert profile.mrc_codes == ["081", "062"]  # by region code, then name
    assert len(ctx.captured_queries) == 4
    assert [r.code for r in profile.regions] == ["07", "14"]
    assert profile.population_codes == ["seniors"]
    assert profile.annual_budget == Decimal("120000")
    assert profile.address == "1, rue A, Joliette J6E 3L6"
    assert profile.contacts[0].email == "b@c.example"
    assert profile.legal_form == "obnl"


def test_it_falls_back_to_the_head_office_mrc(organisation):
    profile = organisation_profile(organisation=organisation)
    assert profile.mrc_codes == ["061"]
    assert [r.code for r in profile.regions] == ["14"]
    assert profile.contacts == []


def test_it_does_not_grow_queries_with_contacts(client, applicant, organisation):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(organisation.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(applicant)
    Contact.objects.create(organisation=organisation, name="A")
    one = count()
    for i in range(8):
        Contact.objects.create(organisation=organisation, name=f"C{i}", position=i + 1)
    assert count() == one


# --- validators ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1140000000", "2260001234"])
def test_it_accepts_ten_digit_neqs(value):
    validate_neq(value)


@pytest.mark.parametrize("value", ["", "114000000", "11400000000", "114000000a", "1140 00000"])
def test_it_refuses_malformed_neqs(value):
    with pytest.raises(ValidationError):
        validate_neq(value)


def test_it_checks_postal_codes_and_phones():
    assert normalise_postal_code("h2x1y4") == "H2X 1Y4"
    validate_postal_code("H2X 1Y4")
    for bad in ("D2X 1Y4", "H2X1Y", "12345"):
        with pytest.raises(ValidationError):
            validate_postal_code(bad)
    validate_phone("450 555-0123 poste 12")
    validate_phone("+1 (819) 555-0101")
    with pytest.raises(ValidationError):
        validate_phone("call me")


def test_profile_page_offers_registration_to_an_applicant_without_organisation(client, applicant, advisor):
    client.force_login(applicant)
    assert CREATE in client.get(reverse("accounts:profile")).content.decode()
    client.force_login(advisor)
    assert CREATE not in client.get(reverse("accounts:profile")).content.decode()


def test_factories_still_make_organisations(db):
    assert f.make_organisation(name="Z").neq == "1140000000"
