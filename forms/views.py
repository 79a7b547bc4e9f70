"""The applicant's pages: dashboard, new draft, read-only view, submission, asking an advisor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fonds.models import Call
from workflow import services as workflow_services

from . import services
from .forms import CreateForm, SupportForm
from .models import Application
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


def _summary_url(application: Application) -> str:
    return reverse("forms:wizard_step", kwargs={"pk": application.pk, "step": "summary"})


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
    application = get_application_for_member(request.user, pk)
    try:
        submitted = workflow_services.application_submit(application=application, by=request.user)
    except workflow_services.DeadlinePassed:
        deadline = formats.date_format(timezone.localtime(application.call.closes_at), "DATETIME_FORMAT")
        messages.error(
            request, _("The deadline (%(deadline)s) has passed; your draft is kept.") % {"deadline": deadline}
        )
        return redirect(_summary_url(application))
    except workflow_services.Incomplete as exc:
        messages.error(request, _("Your application is not complete yet:"))
        for item in missing_explained(application=application, codes=exc.missing):
            messages.error(request, item["text"])
        return redirect(_summary_url(application))
    if application.submitted_at:
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
        if back in {"project", "budget", "partners", "sustainability", "summary"}
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
        request_ = workflow_services.support_request(
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
