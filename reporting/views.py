"""Funder dashboard and accountability exports.

The dashboard is for the funder role only (403 otherwise). Exports and a fund's
export actions are visible to the fund's funder staff and managers; anyone else
gets a 404, so that the existence of another fund's reports is not disclosed.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from accounts.roles import FUNDER, has_role
from fonds.models import Fund

from .models import AccountabilityExport
from .permissions import can_view_fund_reports
from .selectors import dashboard_funds
from .services import export_filename, export_request


def get_fund_for_reports(user, pk: int) -> Fund:
    fund = get_object_or_404(Fund.objects.select_related("funder"), pk=pk)
    if not can_view_fund_reports(user, fund):
        raise Http404
    return fund


def get_export_for_user(user, pk: int) -> AccountabilityExport:
    export = get_object_or_404(AccountabilityExport.objects.select_related("fund__funder"), pk=pk)
    if not can_view_fund_reports(user, export.fund):
        raise Http404
    return export


@login_required
def dashboard(request):
    if not has_role(request.user, FUNDER):
        raise PermissionDenied
    return render(request, "reporting/dashboard.html", {"funds": dashboard_funds(user=request.user)})


@login_required
@require_POST
def export_create(request, fund_pk: int):
    fund = get_fund_for_reports(request.user, fund_pk)
    # A retry keeps the language of the failed export; otherwise the page's language.
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    export = export_request(fund=fund, by=request.user, language=language)
    return redirect("reporting:export", pk=export.pk)


@login_required
def export_detail(request, pk: int):
    export = get_export_for_user(request.user, pk)
    pending = export.status == AccountabilityExport.Status.PENDING
    if request.headers.get("HX-Request"):
        # htmx polls while the export is pending: 204 keeps the page as it is (nothing re-announced).
        response = (
            HttpResponse(status=204)
            if pending
            else render(request, "reporting/_export_status.html", {"export": export})
        )
    else:
        response = render(request, "reporting/export.html", {"export": export})
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
