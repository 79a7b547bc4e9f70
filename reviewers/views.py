"""Advisor pages (read a supported draft, comment, hand it back), the applicant's replies, and manager reassignment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.roles import ADVISOR
from forms.models import Application
from forms.permissions import can_view_application, is_org_member

from . import services
from .forms import CommentForm, ReassignForm, ReplyForm
from .models import Comment
from .permissions import can_comment_draft, can_reassign_support, is_advisor, supports_application
from .selectors import open_support_requests
from .threads import threads_by_section, unread_by_application


def get_supported_draft(user, pk: int) -> Application:
    """The application an advisor was asked to help on, or 404 for everybody else."""
    application = (
        Application.objects.select_related("organisation", "call")
        .prefetch_related("years", "partners", "indicators", "checklist_answers__item__criterion")
        .filter(pk=pk)
        .first()
    )
    if application is None or not supports_application(user, application):
        raise Http404
    return application


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
def advisor_home(request):
    if not is_advisor(request.user):
        raise PermissionDenied
    support_requests = list(open_support_requests(advisor=request.user))
    unread = unread_by_application(applications=[s.application_id for s in support_requests], applicant_side=False)
    for support in support_requests:
        support.unread = unread.get(support.application_id, 0)
    return render(request, "reviewers/advisor_home.html", {"support_requests": support_requests})


def _render_draft(request, application: Application, form: CommentForm, status=200):
    context = {
        "application": application,
        "sections": threads_by_section(application=application),
        "form": form,
        "reply_form": ReplyForm(),
        "can_comment": can_comment_draft(request.user, application),
        "support_request": application.support_requests.filter(advisor=request.user).first(),
    }
    services.comments_mark_seen(application=application, by=request.user)
    return render(request, "reviewers/draft.html", context, status=status)


@login_required
def draft(request, pk: int):
    application = get_supported_draft(request.user, pk)
    initial = {"section": request.GET.get("section"), "question": request.GET.get("question", "")}
    return _render_draft(request, application, CommentForm(initial=initial))


@login_required
@require_POST
def comment(request, pk: int):
    application = get_supported_draft(request.user, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _render_draft(request, application, form)
    services.comment_add(application=application, by=request.user, **form.cleaned_data)
    messages.success(request, _("Your comment was added. The applicant's team was notified."))
    return redirect("reviewers:draft", application.pk)


def get_thread(user, pk: int, comment_pk: int) -> Comment:
    """A comment of an application the user may see on the applicant's or the advisor's side, or 404."""
    comment = (
        Comment.objects.select_related("application__call__fund", "application__organisation", "parent")
        .filter(pk=comment_pk, application_id=pk)
        .first()
    )
    if comment is None:
        raise Http404
    application = comment.application
    if not (is_org_member(user, application) or supports_application(user, application)):
        raise Http404
    return comment


@login_required
@require_POST
def comment_reply(request, pk: int, comment_pk: int):
    thread = get_thread(request.user, pk, comment_pk)
    application = thread.application
    if is_org_member(request.user, application):
        default = application.get_absolute_url()
    else:
        default = reverse("reviewers:draft", args=[application.pk])
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your reply."))
        return redirect(_next(request, default))
    services.comment_add(
        application=application, by=request.user, section=thread.section, body=form.cleaned_data["body"], parent=thread
    )
    messages.success(request, _("Your reply was added. The other side was notified."))
    return redirect(_next(request, default))


@login_required
@require_POST
def comment_resolve(request, pk: int, comment_pk: int):
    thread = get_thread(request.user, pk, comment_pk)
    services.comment_resolve(comment=thread, by=request.user)
    messages.success(request, _("The thread is marked as resolved."))
    return redirect(_next(request, thread.application.get_absolute_url()))


@login_required
@require_POST
def return_draft(request, pk: int):
    application = get_supported_draft(request.user, pk)
    services.advice_return(application=application, by=request.user)
    messages.success(request, _("The draft was returned to the applicant."))
    return redirect("reviewers:advisor_home")


@login_required
def support_reassign(request, pk: int):
    """A manager of the fund hands the draft to another advisor."""
    application = get_object_or_404(Application.objects.select_related("call__fund", "organisation__mrc"), pk=pk)
    if not can_view_application(request.user, application):
        raise Http404
    if not can_reassign_support(request.user, application):
        raise PermissionDenied
    current = application.support_requests.filter(closed_at__isnull=True).select_related("advisor").first()
    advisors = User.objects.filter(groups__name=ADVISOR, is_active=True).order_by("full_name", "email")
    form = ReassignForm(request.POST or None, advisors=advisors, loads=services.advisor_loads())
    if current is None:
        messages.info(request, _("This draft is not with an advisor right now."))
        return redirect(application.get_absolute_url())
    if request.method == "POST" and form.is_valid():
        services.support_reassign(application=application, by=request.user, advisor=form.cleaned_data["advisor"])
        messages.success(request, _("The draft was handed to %(name)s.") % {"name": form.cleaned_data["advisor"]})
        return redirect(application.get_absolute_url())
    return render(request, "reviewers/reassign.html", {"application": application, "current": current, "form": form})
