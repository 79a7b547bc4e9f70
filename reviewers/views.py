"""Advisor pages (read a supported draft, comment, hand it back) and the call's ranking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fonds.models import Call
from forms.models import Application
from workflow import services

from .forms import CommentForm
from .models import Section
from .permissions import can_comment_draft, can_view_ranking, is_advisor, supports_application
from .selectors import open_support_requests, weighted_totals


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


@login_required
def advisor_home(request):
    if not is_advisor(request.user):
        raise PermissionDenied
    support_requests = list(open_support_requests(advisor=request.user))
    return render(request, "reviewers/advisor_home.html", {"support_requests": support_requests})


def _render_draft(request, application: Application, form: CommentForm):
    comments = {}
    for comment in application.advisor_comments.select_related("author"):
        comments.setdefault(comment.section, []).append(comment)
    sections = [(value, label, comments.get(value, [])) for value, label in Section.choices]
    context = {
        "application": application,
        "sections": sections,
        "form": form,
        "can_comment": can_comment_draft(request.user, application),
        "support_request": application.support_requests.filter(advisor=request.user).first(),
    }
    return render(request, "reviewers/draft.html", context)


@login_required
def draft(request, pk: int):
    application = get_supported_draft(request.user, pk)
    return _render_draft(request, application, CommentForm(initial={"section": request.GET.get("section")}))


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


@login_required
@require_POST
def return_draft(request, pk: int):
    application = get_supported_draft(request.user, pk)
    services.advice_return(application=application, by=request.user)
    messages.success(request, _("The draft was returned to the applicant."))
    return redirect("reviewers:advisor_home")


@login_required
def ranking(request, call_pk: int):
    call = get_object_or_404(Call.objects.select_related("fund"), pk=call_pk)
    if not can_view_ranking(request.user, call):
        raise PermissionDenied
    criteria = list(call.criteria.all())
    rows = weighted_totals(call=call)
    return render(request, "reviewers/ranking.html", {"call": call, "rows": rows, "criteria": criteria})
