"""Fund-year and project accountability: PDFs (text extracted), XLSX workbooks read back, dashboard filters."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from reporting.models import AccountabilityExport
from reporting.services import report_approve, report_submit
from tests import factories as f
from workflow.engine import active_task
from workflow.flows import ApplicationFlow

from .conftest import fund_application
from .test_exports import download, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(draft, applicant, manager, reviewer1, reviewer2):
    """Funded on 2026-04-01 for two years; the year-1 report (27 families of 40, explained) is approved."""
    fund_application(application=draft, applicant=applicant, manager=manager, reviewers=[reviewer1, reviewer2],
                     amounts=[Decimal("20000"), Decimal("15000")], signed_on=date(2026, 4, 1))  # fmt: skip
    indicator = draft.indicators.get()
    report_submit(
        task=active_task(application=draft, node=ApplicationFlow.report),
        by=applicant,
        narrative="Vingt-sept familles ont cuisiné ensemble.",
        sustainability_update="",
        results={indicator.pk: (Decimal("27"), "Local fermé deux mois.")},
        spending={"project": Decimal("19500")},
    )
    report_approve(task=active_task(application=draft, node=ApplicationFlow.review_report), by=manager)
    draft.refresh_from_db()
    return draft


def _render(client, user, url, data, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    export = AccountabilityExport.objects.order_by("-pk").first()
    export.refresh_from_db()
    assert export.status == "ready", export.error
    return export


def test_it_renders_the_fund_year_pdf_in_french(client, funder_user, approved, django_capture_on_commit_callbacks):
    fund = approved.call.fund
    url = reverse("reporting:export_create", args=[fund.pk])
    export = _render(
        client, funder_user, url, {"kind": "fund_year", "year": "2026"}, django_capture_on_commit_callbacks
    )
    assert (export.kind, export.year, export.pages) == ("fund_year", 2026, export.pages) and export.pages >= 1
    text = pdf_text(download(client, export))
    with translation.override("fr"):
        assert _("Accountability report %(year)s") % {"year": 2026} in text  # the catalogue may lag: follow it
    assert "Cuisine collective de Joliette" in text
    assert "Engagé 20 000 $" in text or "20 000 $" in text
    assert "Joliette" in text  # the MRC of the organisation
    assert "familles" in text  # indicators by kind
    assert "Familles rejointes" in text
    assert export.file.name.startswith("exports/") and "-2026-" in export.file.name


def test_it_renders_the_fund_year_pdf_in_english(client, funder_user, approved, django_capture_on_commit_callbacks):
    fund = approved.call.fund
    url = reverse("reporting:export_create", args=[fund.pk])
    export = _render(
        client,
        funder_user,
        url,
        {"kind": "fund_year", "year": "2027", "language": "en"},
        django_capture_on_commit_callbacks,
    )
    text = pdf_text(download(client, export))
    assert "Accountability report 2027" in text
    assert "$15,000" in text  # year 2 starts in 2027
    assert "$20,000" not in text


def test_it_renders_the_project_pdf_with_charts(client, manager, approved, django_capture_on_commit_callbacks):
    url = reverse("reporting:project_export", args=[approved.pk])
    export = _render(client, manager, url, {"language": "en"}, django_capture_on_commit_callbacks)
    assert export.kind == "project" and export.application == approved
    data = download(client, export)
    text = pdf_text(data)
    assert "Cuisine collective de Joliette" in text
    assert "Familles rejointes" in text and "Local fermé deux mois." in text
    assert "Vingt-sept familles ont cuisiné ensemble." in text
    assert "$19,500" in text  # spending of year 1
    from reporting.pdf import render_accountability_html

    html = render_accountability_html(fund=approved.call.fund, language="en", kind="project", application=approved)
    assert html.count("<svg") == 2 and 'role="img"' in html


def test_it_asks_again_without_duplicates(client, funder_user, approved, django_capture_on_commit_callbacks):
    fund = approved.call.fund
    url = reverse("reporting:export_create", args=[fund.pk])
    first = _render(client, funder_user, url, {"kind": "fund_year", "year": "2026"}, django_capture_on_commit_callbacks)
    again = _render(client, funder_user, url, {"kind": "fund_year", "year": "2026"}, django_capture_on_commit_callbacks)
    assert first.pk == again.pk
    assert AccountabilityExport.objects.filter(kind="fund_year").count() == 1


def test_it_refuses_an_unknown_kind(client, funder_user, approved):
    client.force_login(funder_user)
    url = reverse("reporting:export_create", args=[approved.call.fund_id])
    assert client.post(url, {"kind": "everything"}).status_code == 404
    assert client.post(url, {"kind": "fund_year", "year": "1900"}).status_code == 404


def test_it_reads_back_the_fund_workbook(client, funder_user, approved):
    client.force_login(funder_user)
    response = client.get(reverse("reporting:fund_xlsx", args=[approved.call.fund_id]) + "?year=2026")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-2026.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    with translation.override("fr"):
        names = [_("Summary"), _("Projects"), _("Indicators"), _("Territories"), _("Indicators by kind")]
        approved_label, yes = _("Approved"), _("yes")
    assert book.sheetnames == names
    summary = list(book[names[0]].iter_rows(values_only=True))
    assert summary[1][2:5] == (1, 20000, 35000)  # projects, committed in 2026, disbursed in 2026 (both tranches)
    projects = list(book[names[1]].iter_rows(values_only=True))
    assert projects[1][4] == "Cuisine collective de Joliette" and projects[1][8] == approved_label
    indicators = list(book[names[2]].iter_rows(values_only=True))
    assert indicators[1][2:8] == ("Familles rejointes", "familles", 0, 40, 27, yes)
    assert client.get(reverse("reporting:fund_xlsx", args=[approved.call.fund_id]) + "?year=x").status_code == 404


def test_it_reads_back_the_project_workbook_in_english(client, applicant, approved):
    client.force_login(applicant)
    response = client.get(reverse("reporting:project_xlsx", args=[approved.pk]), HTTP_ACCEPT_LANGUAGE="en")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Funded years", "Payment tranches", "Indicators", "Spending", "Target changes"]
    years = list(book["Funded years"].iter_rows(values_only=True))
    assert [row[:2] for row in years[1:]] == [(1, 20000), (2, 15000)]
    spending = list(book["Spending"].iter_rows(values_only=True))
    assert spending[1] == (1, "Project", 20000, 19500)


# --- dashboard -----------------------------------------------------------------------------------------------


def test_the_dashboard_shows_committed_and_disbursed_per_year_and_territory(client, funder_user, approved):
    client.force_login(funder_user)
    response = client.get(reverse("reporting:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    rows = {(r["year"], r["committed"], r["disbursed"]) for r in response.context["per_year"]}
    assert rows == {(2026, Decimal("20000"), Decimal("35000")), (2027, Decimal("15000"), Decimal("0"))}
    assert "Joliette" in page and "<svg" in page
    assert response.context["data"].by_kind[0].unit == "familles"
    filtered = client.get(reverse("reporting:dashboard"), {"year": "2027"})
    assert filtered.context["data"].committed == Decimal("15000")
    assert [r["year"] for r in filtered.context["per_year"]] == [2027]


def test_the_dashboard_ignores_a_fund_or_call_of_another_funder(client, funder_user, approved, other_funder_user):
    other_fund = other_funder_user.funders.get().funds.get()
    other_call = f.make_call(fund=other_fund, title="Autre appel")
    client.force_login(funder_user)
    response = client.get(reverse("reporting:dashboard"), {"fund": other_fund.pk, "call": other_call.pk})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "Autre appel" not in response.content.decode()
    client.force_login(other_funder_user)
    response = client.get(reverse("reporting:dashboard"))
    assert response.context["data"].projects == []
    assert approved.title not in response.content.decode()


def test_the_dashboard_filters_by_call(client, funder_user, approved):
    empty_call = f.make_call(fund=approved.call.fund, title="Appel vide")
    client.force_login(funder_user)
    response = client.get(reverse("reporting:dashboard"), {"call": empty_call.pk})
    assert response.context["data"].projects == []
    response = client.get(reverse("reporting:dashboard"), {"call": approved.call_id})
    assert [p.title for p in response.context["data"].projects] == [approved.title]


def test_the_project_page_query_count_does_not_grow_with_reports(client, applicant, approved, manager):
    url = reverse("reporting:project", args=[approved.pk])
    client.force_login(applicant)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    indicator = approved.indicators.get()
    report_submit(
        task=active_task(application=approved, node=ApplicationFlow.report),
        by=applicant,
        narrative="An 2.",
        sustainability_update="",
        results={indicator.pk: (Decimal("41"), "")},
    )
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    assert len(two) == len(one)
