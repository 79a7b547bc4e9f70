"""The public directory of funded projects: opt-in organisations only, searchable by territory and words."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Mrc
from forms.models import Application
from reporting.models import Agreement, AgreementYear

from .conftest import fund_application

pytestmark = pytest.mark.django_db
URL = reverse("reporting:directory")


@pytest.fixture
def shared(draft, applicant, manager, reviewer1, reviewer2, organisation):
    fund_application(application=draft, applicant=applicant, manager=manager, reviewers=[reviewer1, reviewer2],
                     amounts=[Decimal("20000")], signed_on=date(2026, 4, 1))  # fmt: skip
    organisation.share_projects = True
    organisation.save(update_fields=["share_projects"])
    return draft


def _titles(response):
    return [p.title for p in response.context["page"]]


def test_it_lists_shared_funded_projects_to_anonymous_visitors(client, shared):
    response = client.get(URL)
    assert response.status_code == 200
    assert _titles(response) == ["Cuisine collective de Joliette"]
    detail = client.get(reverse("reporting:directory_project", args=[shared.pk]))
    assert detail.status_code == 200 and "Des repas partagés." in detail.content.decode()


def test_it_hides_projects_of_organisations_that_did_not_opt_in(client, shared, organisation):
    organisation.share_projects = False
    organisation.save(update_fields=["share_projects"])
    assert _titles(client.get(URL)) == []
    assert client.get(reverse("reporting:directory_project", args=[shared.pk])).status_code == 404


def test_it_hides_projects_without_an_agreement(client, draft, organisation):
    organisation.share_projects = True
    organisation.save(update_fields=["share_projects"])
    assert _titles(client.get(URL)) == []
    assert client.get(reverse("reporting:directory_project", args=[draft.pk])).status_code == 404
    assert client.get(reverse("reporting:directory_project", args=[999999])).status_code == 404


def test_it_searches_by_territory_and_words(client, shared):
    mrc = shared.organisation.mrc
    assert _titles(client.get(URL, {"mrc": mrc.code})) == [shared.title]
    assert _titles(client.get(URL, {"region": mrc.region.code})) == [shared.title]
    other = Mrc.objects.exclude(region=mrc.region).first()
    assert _titles(client.get(URL, {"region": other.region.code})) == []
    assert _titles(client.get(URL, {"q": "repas"})) == [shared.title]
    assert _titles(client.get(URL, {"q": "piscine"})) == []
    # An unknown code is a form error, not a crash: the list is left unfiltered.
    response = client.get(URL, {"mrc": "zzz", "page": "abc"})
    assert response.status_code == 200 and response.context["form"].errors


def test_its_query_count_does_not_grow_with_projects(client, shared, organisation, applicant):
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for i in range(8):
        application = Application.objects.create(
            organisation=organisation, call=shared.call, created_by=applicant, title=f"Projet {i}", status="funded"
        )
        agreement = Agreement.objects.create(application=application, signed_on=date(2026, 5, 1))
        AgreementYear.objects.create(
            agreement=agreement, year=1, amount=Decimal("1000"), report_due_on=date(2027, 5, 1)
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL)
    assert len(response.context["page"]) == 9
    assert len(many) == len(few)
