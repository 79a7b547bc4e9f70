from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forms.models import Application
from reporting.models import AccountabilityExport, Agreement, AgreementYear
from tests import factories as f

URL = reverse("reporting:dashboard")


def test_it_redirects_anonymous_visitors_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_shows_the_funders_own_funds_with_their_figures(client, funder_user, funded, other_funder_user):
    client.force_login(funder_user)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert funded.call.fund.name in page
    assert "Fonds de la fondation" not in page
    fund = response.context["funds"][0]
    assert (fund.funded_projects, fund.committed, fund.reports_received) == (1, Decimal("35000"), 1)
    assert "35\u00a0000\u00a0$" in page
    assert reverse("reporting:export_create", args=[fund.pk]) in page


def test_it_hides_other_funders_funds(client, funded, other_funder_user):
    client.force_login(other_funder_user)
    response = client.get(URL)
    assert [fund.name for fund in response.context["funds"]] == ["Fonds de la fondation"]
    assert funded.title not in response.content.decode()
    assert funded.call.fund.name not in response.content.decode()


@pytest.mark.parametrize("who", ["applicant", "advisor", "reviewer1", "manager", "admin_user"])
def test_it_refuses_people_without_the_funder_role(client, request, fund, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403


def test_it_lists_recent_exports_with_their_status(client, funder_user, fund):
    failed = AccountabilityExport.objects.create(fund=fund, requested_by=funder_user, status="failed")
    ready = AccountabilityExport.objects.create(fund=fund, requested_by=funder_user, status="ready", language="en")
    client.force_login(funder_user)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("reporting:export", args=[failed.pk]) in page
    assert reverse("reporting:export_download", args=[ready.pk]) in page
    assert reverse("reporting:export_download", args=[failed.pk]) not in page
    assert "Failed" in page and "Ready" in page


def _add_funded_projects(fund, organisation, applicant, count):
    call = fund.calls.first()
    for i in range(count):
        application = Application.objects.create(
            organisation=organisation, call=call, created_by=applicant, title=f"Projet {i}", status="funded"
        )
        agreement = Agreement.objects.create(application=application, signed_on=timezone.localdate())
        for year in (1, 2):
            AgreementYear.objects.create(
                agreement=agreement, year=year, amount=Decimal("1000"), report_due_on=timezone.localdate()
            )
        AccountabilityExport.objects.create(fund=fund, requested_by=applicant)


def _dashboard_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_its_query_count_does_not_grow_with_projects(client, funder_user, call, organisation, applicant):
    fund = call.fund
    f.make_fund(staff=[funder_user], name="Deuxième fonds")
    client.force_login(funder_user)
    _add_funded_projects(fund, organisation, applicant, 2)
    few = _dashboard_queries(client)
    _add_funded_projects(fund, organisation, applicant, 10)
    many = _dashboard_queries(client)
    assert few == many
    fund_row = next(fund_ for fund_ in client.get(URL).context["funds"] if fund_.pk == fund.pk)
    assert (fund_row.funded_projects, fund_row.committed) == (12, Decimal("24000"))
    assert len(fund_row.recent_exports) == 5
