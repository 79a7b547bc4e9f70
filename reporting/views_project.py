"""A funded project's follow-up: overview, its PDF and workbook, report attachments, target changes.

Visible to the organisation's members, the fund's managers and the funder's staff
(404 for anyone else). Asking a target change is for members, deciding it for the
fund's managers (403 for the others who can see the project).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from forms.filetypes import download_name, kind_of_content_type
from forms.models import Application
from workflow.permissions import is_member

from .forms_dashboard import TargetChangeForm, TargetDecisionForm
from .models import AccountabilityExport, ReportAttachment, TargetChange
from .permissions import (
    can_decide_target_change,
    can_request_target_change,
    can_view_fund_reports,
    can_view_project,
)
from .project import project_overview
from .services import FILENAME_PREFIX, export_request
from .targets import TargetChangeRefused, open_years, target_change_decide, target_change_request
from .views import XLSX, _request_language
from .xlsx import project_workbook


def get_project_for_user(user, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("organisation__mrc__region", "call__fund__funder"), pk=pk
    )
    if not user.is_authenticated or not can_view_project(user, application):
        raise Http404
    return application


@login_required
@require_GET
def project(request, pk: int):
    application = get_project_for_user(request.user, pk)
    context = {
        "application": application,
        **project_overview(application=application),
        "can_request": can_request_target_change(request.user, application),
        "can_decide": can_decide_target_change(request.user, application),
        "can_export": can_view_fund_reports(request.user, application.call.fund),
        "decision_form": TargetDecisionForm(),
    }
    return render(request, "reporting/project.html", context)


@login_required
@require_POST
def project_export(request, pk: int):
    application = get_project_for_user(request.user, pk)
    if not can_view_fund_reports(request.user, application.call.fund):
        raise PermissionDenied
    export = export_request(
        fund=application.call.fund,
        by=request.user,
        language=_request_language(request),
        kind=AccountabilityExport.Kind.PROJECT,
        application=application,
    )
    return redirect("reporting:export", pk=export.pk)


@login_required
@require_GET
def project_xlsx(request, pk: int):
    application = get_project_for_user(request.user, pk)
    language = translation.get_language()
    prefix = FILENAME_PREFIX.get(language[:2], FILENAME_PREFIX["en"])
    response = HttpResponse(project_workbook(application=application, language=language), content_type=XLSX)
    name = f"{prefix}-{slugify(application.title)[:60] or application.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def attachment(request, pk: int):
    item = get_object_or_404(ReportAttachment.objects.select_related("report__agreement__application"), pk=pk)
    get_project_for_user(request.user, item.report.agreement.application_id)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    name = download_name(item.name, kind_of_content_type(item.content_type))
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def target_change_create(request, pk: int):
    application = get_project_for_user(request.user, pk)
    if not can_request_target_change(request.user, application):
        raise PermissionDenied
    form = TargetChangeForm(request.POST or None, application=application, years=open_years(application))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            target_change_request(
                indicator=data["indicator"],
                year=data["year"],
                proposed_value=data["proposed_value"],
                justification=data["justification"],
                by=request.user,
            )
        except TargetChangeRefused as refused:
            errors = {
                "year": (_("This year's report is approved: its target cannot change any more."), "year"),
                "same": (_("This is already the target of that year."), "proposed_value"),
                "pending": (_("A change of this target for that year is already waiting for a decision."), None),
            }
            message, field = errors[refused.code]
            form.add_error(field, message)
        else:
            messages.success(request, _("Your request was sent to the fund's team."))
            return redirect("reporting:project", pk=application.pk)
    return render(request, "reporting/target_change.html", {"application": application, "form": form})


@login_required
@require_POST
def target_change_decide_view(request, pk: int):
    change = get_object_or_404(TargetChange.objects.select_related("indicator__application"), pk=pk)
    application = get_project_for_user(request.user, change.indicator.application_id)
    if not can_decide_target_change(request.user, application) or is_member(request.user, application.organisation_id):
        raise PermissionDenied
    form = TargetDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the change is refused."))
        return redirect("reporting:project", pk=application.pk)
    try:
        target_change_decide(
            change=change,
            by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        )
    except PermissionDenied:
        messages.info(request, _("This request was already decided."))
    else:
        messages.success(request, _("Your decision was recorded and sent to the organisation."))
    return redirect("reporting:project", pk=application.pk)
