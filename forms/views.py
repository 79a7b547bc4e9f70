"""The applicant's pages: dashboard, new draft, read-only view, submission, asking an advisor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fonds.models import Call
from reviewers import services as reviewer_services
from reviewers.permissions import needs_declaration
from workflow import services as workflow_services

from . import services
from .filetypes import KINDS, download_name
from .forms import AttachmentUploadForm, CreateForm, SupportForm
from .models import Application, Attachment, form_settings
from .pdf import render_application_pdf
from .permissions import is_org_member
from .selectors import (
    application_history,
    application_list_for_user,
    application_recap,
    comments_by_section,
    draft_support_state,
    get_application_for_member,
    get_application_for_user,
    missing_explained,
    organisations_of,
)
from .wizard import wizard  # noqa: F401  (served from forms.urls)

DECIDED = {
    Application.Status.INELIGIBLE,
    Application.Status.APPROVED,
    Application.Status.WAITLISTED,
    Application.Status.DECLINED,
    Application.Status.FUNDED,
    Application.Status.CLOSED,
}


def _summary_url(pk: int) -> str:
    return reverse("forms:wizard_step", kwargs={"pk": pk, "step": "summary"})


@login_required
def application_list(request):
    applications = list(application_list_for_user(user=request.user))
    organisations = organisations_of(user=request.user)
    return render(
        request,
        "forms/list.html",
        {"applications": applications, "organisations": organisations},
    )


@login_required
@require_POST
def application_new(request, call_pk: int):
    call = get_object_or_404(Call, pk=call_pk)
    organisations = organisations_of(user=request.user)
    if not organisations:
        messages.error(request, _("Join or register an organisation before starting an application."))
        return redirect("forms:list")
    form = CreateForm(request.POST)
    chosen = form.cleaned_data["organisation"] if form.is_valid() else None
    organisation = organisations[0] if chosen is None else next((o for o in organisations if o.pk == chosen), None)
    if organisation is None:
        raise PermissionDenied
    if not call.is_open:
        messages.error(request, _("This call is not accepting applications."))
        return redirect(call)
    application = services.application_create(organisation=organisation, call=call, by=request.user)
    return redirect("forms:wizard", pk=application.pk)


@login_required
def application_detail(request, pk: int):
    application = get_application_for_user(request.user, pk)
    member = is_org_member(request.user, application)
    if not member and needs_declaration(request.user, application.call):
        # A committee member reads applications only once their conflicts of interest are declared.
        return redirect("reviewers:declare", application.call_id)
    return render(
        request,
        "forms/detail.html",
        {
            "application": application,
            "recap": application_recap(application=application),
            "comment_sections": comments_by_section(application=application),
            "history": application_history(application=application),
            "decided": application.status in DECIDED,
            "is_member": member,
            "can_edit": member and application.status == Application.Status.DRAFT,
            "support": draft_support_state(application=application) if member else None,
            "support_form": SupportForm(),
        },
    )


@login_required
@require_POST
def application_submit(request, pk: int):
    # Deadline day: the service reads the draft with the membership checked in the same query;
    # the application is read for the page only when it refuses.
    at = timezone.now()
    try:
        submitted = workflow_services.application_submit(application=pk, by=request.user, at=at)
    except PermissionDenied:
        get_application_for_member(request.user, pk)  # the 404 or 403 the pages give
        raise
    except workflow_services.DeadlinePassed as exc:
        # Names the call that closed: the application's own or one it is co-funded by.
        messages.error(request, exc.message)
        return redirect(_summary_url(pk))
    except workflow_services.Incomplete as exc:
        application = get_application_for_member(request.user, pk)
        messages.error(request, _("Your application is not complete yet:"))
        for item in missing_explained(application=application, codes=exc.missing):
            messages.error(request, item["text"])
        for text in exc.messages:
            messages.error(request, text)
        return redirect(_summary_url(pk))
    if submitted.submitted_at != at:
        messages.info(request, _("This application was already submitted."))
    else:
        messages.success(request, _("Your application is submitted. You will receive a confirmation by e-mail."))
    return redirect(submitted)


@login_required
@require_POST
def application_support(request, pk: int):
    application = get_application_for_member(request.user, pk)
    back = request.POST.get("next_step")
    target = (
        reverse("forms:wizard_step", kwargs={"pk": application.pk, "step": back})
        if back in {"project", "budget", "partners", "sustainability", "attachments", "summary"}
        and application.status == Application.Status.DRAFT
        else application.get_absolute_url()
    )
    form = SupportForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("message", []):
            messages.error(request, error)
        return redirect(target)
    if draft_support_state(application=application) != "ask":
        messages.info(request, _("An advisor is already reviewing your draft, or it is no longer a draft."))
        return redirect(target)
    try:
        request_ = reviewer_services.support_request(
            application=application, by=request.user, message=form.cleaned_data["message"]
        )
    except workflow_services.NoAdvisorAvailable:
        messages.error(request, _("No advisor is available right now. Please try again later."))
        return redirect(target)
    messages.success(
        request,
        _("%(advisor)s will read your draft and comment on it. You can keep editing meanwhile.")
        % {"advisor": request_.advisor.get_full_name()},
    )
    return redirect(target)


# -- attachments: uploaded on the wizard's attachments step, downloaded through a checked view


def _attachments_url(application: Application) -> str:
    return reverse("forms:wizard_step", kwargs={"pk": application.pk, "step": "attachments"})


@login_required
@require_POST
def attachment_upload(request, pk: int):
    application = get_application_for_member(request.user, pk)
    if application.status != Application.Status.DRAFT or not form_settings(application.call).attachments_enabled:
        messages.info(request, _("Files can no longer be added to this application."))
        return redirect(application)
    form = AttachmentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_attachments_url(application))
    try:
        attachment = services.attachment_add(
            application=application,
            by=request.user,
            uploaded=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        )
    except services.AttachmentRefused as exc:
        messages.error(request, exc.message)
    except services.DraftLocked:
        messages.info(request, _("Files can no longer be added to this application."))
        return redirect(application)
    else:
        messages.success(request, _("“%(name)s” is added.") % {"name": attachment.name})
    return redirect(_attachments_url(application))


@login_required
@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    application = get_application_for_member(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    if application.status != Application.Status.DRAFT:
        messages.info(request, _("This application was submitted; it can no longer be changed."))
        return redirect(application)
    try:
        services.attachment_remove(attachment=attachment, by=request.user)
    except services.DraftLocked:
        return redirect(application)
    messages.success(request, _("“%(name)s” is removed.") % {"name": attachment.name})
    return redirect(_attachments_url(application))


@login_required
def attachment_download(request, pk: int, attachment_pk: int):
    application = get_application_for_user(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application=application)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type = KINDS.get(attachment.kind, (None, "application/octet-stream"))[1]
    response = FileResponse(
        handle, as_attachment=True, filename=download_name(attachment.name, attachment.kind), content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def application_pdf(request, pk: int):
    """The PDF copy of what was submitted, in the reader's language."""
    application = get_application_for_user(request.user, pk)
    if application.status == Application.Status.DRAFT:
        messages.info(request, _("The PDF copy is available once the application is submitted."))
        return redirect(application)
    pdf = render_application_pdf(application=application, language=get_language())
    filename = slugify(application.title or "application")[:60] or "application"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{application.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
