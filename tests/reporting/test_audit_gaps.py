"""Audit gaps of issue 5: exact dashboard totals per region and MRC, directory filters by theme and population."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Population
from fonds.models import Theme
from forms.services import application_save_project
from tests import factories as f

from .conftest import fund_application

pytestmark = pytest.mark.django_db


def _fund_project(*, call, title, mrc_code, org_name, email, manager, reviewers, amounts, share=False):
    """A new organisation in `mrc_code`, with a draft on `call` funded for `amounts` (one per year)."""
    admin = f.make_user(email=email, role="applicant", full_name=f"Admin {org_name}")
    organisation = f.make_organisation(name=org_name, mrc_code=mrc_code, admin=admin)
    if share:
        organisation.share_projects = True
        organisation.save(update_fields=["share_projects"])
    draft = f.make_draft(call=call, organisation=organisation, by=admin)
    application_save_project(application=draft, title=title)
    draft.refresh_from_db()
    fund_application(
        application=draft,
        applicant=admin,
        manager=manager,
        reviewers=reviewers,
        amounts=amounts,
        signed_on=date(2026, 4, 1),
    )
    draft.refresh_from_db()
    return draft


# --- 1. Funder dashboard: committed totals by region and by MRC -------------------------------------------


@pytest.fixture
def three_territories(call, manager, reviewer1, reviewer2):
    """Two Lanaudière MRC (Joliette, Matawinie) and one Outaouais MRC (Gatineau), with known amounts."""
    common = {"call": call, "manager": manager, "reviewers": [reviewer1, reviewer2]}
    return {
        "joliette": _fund_project(
            title="Projet Joliette",
            mrc_code="061",
            org_name="Org Joliette",
            email="j@org.example",
            amounts=[Decimal("20000"), Decimal("15000")],
            **common,
        ),  # fmt: skip
        "matawinie": _fund_project(
            title="Projet Matawinie",
            mrc_code="062",
            org_name="Org Matawinie",
            email="m@org.example",
            amounts=[Decimal("7500")],
            **common,
        ),  # fmt: skip
        "gatineau": _fund_project(
            title="Projet Gatineau",
            mrc_code="081",
            org_name="Org Gatineau",
            email="g@org.example",
            amounts=[Decimal("12000"), Decimal("8000")],
            **common,
        ),  # fmt: skip
    }


def test_dashboard_gives_exact_committed_totals_per_region_and_mrc(client, funder_user, three_territories):
    client.force_login(funder_user)
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    data = response.context["data"]

    by_mrc = {(row.region, row.mrc): (row.projects, row.committed) for row in data.by_territory}
    assert by_mrc == {
        ("Lanaudière", "Joliette"): (1, Decimal("35000")),
        ("Lanaudière", "Matawinie"): (1, Decimal("7500")),
        ("Outaouais", "Gatineau"): (1, Decimal("20000")),
    }

    by_region = defaultdict(Decimal)
    for row in data.by_territory:
        by_region[row.region] += row.committed
    assert dict(by_region) == {"Lanaudière": Decimal("42500"), "Outaouais": Decimal("20000")}

    assert data.committed == Decimal("62500")
    assert sum((row.committed for row in data.by_territory), Decimal("0")) == data.committed
    # The disbursed per territory adds up to the dashboard's disbursed total too.
    assert sum((row.disbursed for row in data.by_territory), Decimal("0")) == data.disbursed
    # The page shows the same rows (the amounts are rendered in the territory table).
    html = response.content.decode()
    assert "Matawinie" in html and "Gatineau" in html


def test_dashboard_territory_totals_follow_the_fund_filter(client, funder_user, three_territories, other_funder_user):
    """Filtering on the funder's own fund keeps the same exact totals; another funder sees none of them."""
    client.force_login(funder_user)
    fund = three_territories["joliette"].call.fund
    data = client.get(reverse("reporting:dashboard"), {"fund": fund.pk}).context["data"]
    assert {(r.mrc, r.committed) for r in data.by_territory} == {
        ("Joliette", Decimal("35000")),
        ("Matawinie", Decimal("7500")),
        ("Gatineau", Decimal("20000")),
    }
    client.force_login(other_funder_user)
    assert client.get(reverse("reporting:dashboard")).context["data"].by_territory == []


# --- 2. Public directory: filters by theme and population, opt-in only -------------------------------------


@pytest.fixture
def vocabulary(db):
    food, _ = Theme.objects.get_or_create(
        code="audit-food", defaults={"name_fr": "Sécurité alimentaire (audit)", "name_en": "Food security (audit)"}
    )
    housing, _ = Theme.objects.get_or_create(
        code="audit-housing", defaults={"name_fr": "Logement (audit)", "name_en": "Housing (audit)"}
    )
    youth, _ = Population.objects.get_or_create(
        code="audit-youth", defaults={"name_fr": "Jeunes (audit)", "name_en": "Youth (audit)"}
    )
    seniors, _ = Population.objects.get_or_create(
        code="audit-seniors", defaults={"name_fr": "Aînés (audit)", "name_en": "Seniors (audit)"}
    )
    return {"food": food, "housing": housing, "youth": youth, "seniors": seniors}


@pytest.fixture
def directory_projects(fund, manager, reviewer1, reviewer2, vocabulary):
    """Food/youth (shared), housing/seniors (shared), food/youth from an organisation that did not opt in."""
    food_call = f.make_call(fund=fund, committee=[reviewer1, reviewer2], title="Appel alimentation")
    food_call.themes.add(vocabulary["food"])
    housing_call = f.make_call(fund=fund, committee=[reviewer1, reviewer2], title="Appel logement")
    housing_call.themes.add(vocabulary["housing"])
    common = {"manager": manager, "reviewers": [reviewer1, reviewer2], "amounts": [Decimal("10000")]}
    food = _fund_project(call=food_call, title="Frigo partagé", mrc_code="061", org_name="Org Frigo",
                         email="frigo@org.example", share=True, **common)  # fmt: skip
    housing = _fund_project(call=housing_call, title="Logis aînés", mrc_code="081", org_name="Org Logis",
                            email="logis@org.example", share=True, **common)  # fmt: skip
    hidden = _fund_project(call=food_call, title="Projet privé", mrc_code="061", org_name="Org Discrète",
                           email="discrete@org.example", share=False, **common)  # fmt: skip
    food.organisation.populations.add(vocabulary["youth"])
    hidden.organisation.populations.add(vocabulary["youth"])
    housing.organisation.populations.add(vocabulary["seniors"])
    return {"food": food, "housing": housing, "hidden": hidden}


def _titles(response):
    assert response.status_code == 200
    assert not response.context["form"].errors
    return sorted(p.title for p in response.context["page"])


def test_directory_filters_by_theme(client, directory_projects, vocabulary):
    url = reverse("reporting:directory")
    assert _titles(client.get(url)) == ["Frigo partagé", "Logis aînés"]
    assert _titles(client.get(url, {"theme": "audit-food"})) == ["Frigo partagé"]
    assert _titles(client.get(url, {"theme": "audit-housing"})) == ["Logis aînés"]


def test_directory_filters_by_population(client, directory_projects, vocabulary):
    url = reverse("reporting:directory")
    assert _titles(client.get(url, {"population": "audit-youth"})) == ["Frigo partagé"]
    assert _titles(client.get(url, {"population": "audit-seniors"})) == ["Logis aînés"]
    # A population targeted by the call (not only served by the organisation) matches too.
    directory_projects["housing"].call.populations.add(vocabulary["youth"])
    assert _titles(client.get(url, {"population": "audit-youth"})) == ["Frigo partagé", "Logis aînés"]


def test_directory_combines_theme_population_and_territory(client, directory_projects, vocabulary):
    url = reverse("reporting:directory")
    assert _titles(client.get(url, {"theme": "audit-food", "population": "audit-youth"})) == ["Frigo partagé"]
    assert _titles(client.get(url, {"theme": "audit-food", "population": "audit-seniors"})) == []
    assert _titles(client.get(url, {"theme": "audit-housing", "mrc": "061"})) == []


def test_directory_never_shows_an_organisation_that_did_not_opt_in(client, directory_projects):
    url = reverse("reporting:directory")
    hidden = directory_projects["hidden"]
    for params in ({}, {"theme": "audit-food"}, {"population": "audit-youth"}, {"q": "privé"}, {"mrc": "061"}):
        response = client.get(url, params)
        assert "Projet privé" not in _titles(response)
        assert "Org Discrète" not in response.content.decode()
    assert client.get(reverse("reporting:directory_project", args=[hidden.pk])).status_code == 404
    # Nor does it appear among a shared project's similar projects (same call, same MRC).
    detail = client.get(reverse("reporting:directory_project", args=[directory_projects["food"].pk]))
    assert detail.status_code == 200
    assert "Projet privé" not in detail.content.decode()
