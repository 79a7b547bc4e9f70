"""Funder dashboard, accountability exports (PDF via Celery) and XLSX workbooks.

The dashboard is for the funder role only (403 otherwise). Exports and a fund's
export actions are visible to the fund's funder staff and managers; anyone else
gets a 404, so that the existence of another fund's reports is not disclosed.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import FUNDER, has_role
from fonds.models import Fund

from .charts import bar_chart
from .figures import available_years, figures, fund_years
from .forms_dashboard import DashboardFilter
from .models import AccountabilityExport
from .permissions import can_view_fund_reports
from .selectors import dashboard_funds
from .services import FILENAME_PREFIX, export_filename, export_request
from .xlsx import fund_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get_fund_for_reports(user, pk: int) -> Fund:
    fund = get_object_or_404(Fund.objects.select_related("funder"), pk=pk)
    if not can_view_fund_reports(user, fund):
        raise Http404
    return fund


def get_export_for_user(user, pk: int) -> AccountabilityExport:
    export = get_object_or_404(AccountabilityExport.objects.select_related("fund__funder", "application"), pk=pk)
    if not can_view_fund_reports(user, export.fund):
        raise Http404
    return export


def _request_language(request) -> str:
    # A retry keeps the language of the failed export; otherwise the page's language.
    language = request.POST.get("language", "")
    return language if language in dict(settings.LANGUAGES) else translation.get_language()


@login_required
def dashboard(request):
    if not has_role(request.user, FUNDER):
        raise PermissionDenied
    funds = dashboard_funds(user=request.user)
    fund_qs = Fund.objects.filter(pk__in=[f.pk for f in funds]).order_by("name")
    years = available_years(funds=funds)
    form = DashboardFilter(request.GET or None, funds=fund_qs, years=years)
    chosen = form.cleaned_data if form.is_valid() else {}
    scope = [chosen["fund"]] if chosen.get("fund") else funds
    data = figures(funds=scope, year=chosen.get("year"), call=chosen.get("call"))
    per_year = [row for row in fund_years(funds=scope) if not chosen.get("year") or row["year"] == chosen["year"]]
    from fonds.templatetags.guichet import format_money

    chart = (
        bar_chart(
            title=_("Committed and disbursed per fund and year"),
            description=_("Amounts in dollars; the table below the chart gives the same figures."),
            categories=[f"{row['fund'].name} {row['year']}" for row in per_year],
            series=[
                (_("Committed"), [r["committed"] for r in per_year]),
                (_("Disbursed"), [r["disbursed"] for r in per_year]),
            ],
            formatter=format_money,
        )
        if per_year
        else ""
    )
    context = {"funds": funds, "form": form, "data": data, "per_year": per_year, "chart": chart, "years": years}
    return render(request, "reporting/dashboard.html", context)


@login_required
@require_POST
def export_create(request, fund_pk: int):
    fund = get_fund_for_reports(request.user, fund_pk)
    kind = request.POST.get("kind") or AccountabilityExport.Kind.FUND
    year = None
    if kind == AccountabilityExport.Kind.FUND_YEAR:
        try:
            year = int(request.POST.get("year", ""))
        except ValueError:
            year = timezone.localdate().year
        if not 2000 <= year <= 2100:
            raise Http404
    elif kind != AccountabilityExport.Kind.FUND:
        raise Http404
    export = export_request(fund=fund, by=request.user, language=_request_language(request), kind=kind, year=year)
    return redirect("reporting:export", pk=export.pk)


@login_required
def export_detail(request, pk: int):
    export = get_export_for_user(request.user, pk)
    pending = export.status == AccountabilityExport.Status.PENDING
    context = {"export": export, "is_funder": has_role(request.user, FUNDER)}
    if request.headers.get("HX-Request") and request.GET.get("part") == "progress":
        # The progress bar polls on its own, outside the live region: it is not announced at every step.
        response = render(request, "reporting/_export_progress.html", context)
    elif request.headers.get("HX-Request"):
        # The status block polls too: 204 keeps it as it is (nothing re-announced) until the export is done.
        response = HttpResponse(status=204) if pending else render(request, "reporting/_export_status.html", context)
    else:
        response = render(request, "reporting/export.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def export_download(request, pk: int):
    export = get_export_for_user(request.user, pk)
    if export.status != AccountabilityExport.Status.READY or not export.file:
        return redirect("reporting:export", pk=export.pk)
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=export_filename(export), content_type="application/pdf")


@login_required
@require_GET
def fund_xlsx(request, fund_pk: int):
    """The fund's accountability data as a workbook: one fund-year with ?year=, every year otherwise."""
    fund = get_fund_for_reports(request.user, fund_pk)
    try:
        year = int(request.GET["year"]) if request.GET.get("year") else None
    except ValueError:
        raise Http404 from None
    if year is not None and not 1900 <= year <= 2200:
        raise Http404
    language = translation.get_language()
    data = fund_workbook(fund=fund, year=year, language=language)
    prefix = FILENAME_PREFIX.get(language[:2], FILENAME_PREFIX["en"])
    name = f"{prefix}-{slugify(fund.name)[:60] or fund.pk}{f'-{year}' if year else ''}.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
