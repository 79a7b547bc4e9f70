"""The inbox and the task pages. Each task page validates a form and calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from forms.models import Application
from forms.permissions import can_view_application
from reviewers.selectors import application_scores

from . import services
from .engine import ACTIVE
from .flows import ApplicationFlow
from .forms import AgreementForm, AssignReviewersForm, DecisionForm, ReportForm, ScoreForm, ScreeningForm
from .permissions import can_execute_task
from .selectors import APPLICATION, tasks_for_user


@login_required
def inbox(request):
    tasks = list(tasks_for_user(user=request.user))
    return render(request, "workflow/inbox.html", {"tasks": tasks})


def get_task_for_user(user, task_pk: int) -> tuple[Task, Application]:
    """The open task and its application, or 404 (not visible) / 403 (visible, not the user's to do)."""
    task = (
        Task.objects.select_related(f"{APPLICATION}__call__fund", f"{APPLICATION}__organisation", "owner")
        .filter(pk=task_pk)
        .first()
    )
    if task is None or task.flow_task is None or task.flow_task.flow_class is not ApplicationFlow:
        raise Http404
    if task.flow_task.name not in {"draft", "advise", *HANDLERS}:
        raise Http404  # gateways, joins, start and end have no page
    application = task.process.applicationprocess.application
    if not can_view_application(user, application):
        raise Http404
    if not can_execute_task(user, task):
        raise PermissionDenied
    return task, application


@login_required
def task_detail(request, task_pk: int):
    task, application = get_task_for_user(request.user, task_pk)
    if task.status not in ACTIVE:
        messages.info(request, _("This task is already done."))
        return redirect("workflow:inbox")
    name = task.flow_task.name
    if name == "draft":
        return redirect("forms:wizard", application.pk)
    if name == "advise":
        return redirect("reviewers:draft", application.pk)
    return HANDLERS[name](request, task, application)


def _done(request, message: str):
    messages.success(request, message)
    return redirect("workflow:inbox")


def _render(request, template: str, task: Task, application: Application, **context):
    context.update(task=task, application=application, title=task.flow_task.task_title)
    return render(request, f"workflow/{template}", context)


def screen(request, task, application):
    form = ScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.screening_record(
            task=task, by=request.user, eligible=form.is_eligible, notes=form.cleaned_data["notes"]
        )
        if form.is_eligible:
            return _done(request, _("The application is eligible: it now waits for its reviewers."))
        return _done(request, _("The application is not eligible: the reasons were sent to the applicant."))
    return _render(request, "screen.html", task, application, form=form)


def assign_reviewers(request, task, application):
    form = AssignReviewersForm(request.POST or None, call=application.call)
    if request.method == "POST" and form.is_valid():
        try:
            services.reviewers_assign(task=task, by=request.user, reviewers=list(form.cleaned_data["reviewers"]))
        except services.InvalidReviewers:
            form.add_error(
                "reviewers", _("Choose at least %(count)d members of the call's committee.") % {"count": form.needed}
            )
        else:
            return _done(request, _("The reviewers were assigned."))
    return _render(request, "assign_reviewers.html", task, application, form=form)


def score(request, task, application):
    criteria = application.call.criteria.prefetch_related("checklist").all()
    form = ScoreForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_submit(task=task, by=request.user, values=form.values())
        except ValueError:
            form.add_error(None, _("Score every criterion from 0 to 5."))
        else:
            return _done(request, _("Your scores were submitted. Thank you."))
    answers = {}
    for answer in application.checklist_answers.select_related("item"):
        answers.setdefault(answer.item.criterion_id, []).append(answer)
    rows = [(criterion, s, c, answers.get(criterion.pk, [])) for criterion, s, c in form.rows()]
    return _render(request, "score.html", task, application, form=form, rows=rows)


def decide(request, task, application):
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.decision_record(task=task, by=request.user, **form.cleaned_data)
        return _done(request, _("The decision was recorded and sent to the applicant."))
    scores = application_scores(application=application)
    criteria = list(application.call.criteria.all())
    return _render(request, "decide.html", task, application, form=form, scores=scores, criteria=criteria)


def agreement(request, task, application):
    call = application.call
    asked = {y.year: y.amount for y in application.years.all()}
    initial = {f"amount_{year}": asked.get(year) for year in range(1, call.max_years + 1)}
    initial["signed_on"] = timezone.localdate()
    form = AgreementForm(request.POST or None, max_years=call.max_years, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_create(
                task=task,
                by=request.user,
                amounts=data["amounts"],
                signed_on=data["signed_on"],
                conditions=data["conditions"],
            )
        except ValueError:
            form.add_error(None, _("Enter one amount per funded year, up to the call's maximum."))
        else:
            return _done(request, _("The agreement was set up."))
    return _render(request, "agreement.html", task, application, form=form, asked=asked)


def report(request, task, application):
    agreement = getattr(application, "agreement", None)
    if agreement is None:
        raise Http404
    form = ReportForm(request.POST or None, indicators=application.indicators.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(
                task=task,
                by=request.user,
                narrative=form.cleaned_data["narrative"],
                sustainability_update=form.cleaned_data["sustainability_update"],
                results=form.results(),
            )
        except ValueError:
            form.add_error(None, _("The indicators changed while you were writing. Check the values and send again."))
        else:
            return _done(request, _("Your report was sent to the fund."))
    year = agreement.reports.count() + 1
    return _render(request, "report.html", task, application, form=form, agreement=agreement, year=year)


def review_report(request, task, application):
    agreement = getattr(application, "agreement", None)
    pending = agreement.reports.filter(approved_at__isnull=True).order_by("year").first() if agreement else None
    if pending is None:
        raise Http404
    if request.method == "POST":
        services.report_approve(task=task, by=request.user)
        return _done(request, _("The report was approved."))
    results = pending.results.select_related("indicator").order_by("indicator__position", "indicator_id")
    return _render(
        request, "review_report.html", task, application, report=pending, results=results, agreement=agreement
    )


HANDLERS = {
    "screen": screen,
    "assign_reviewers": assign_reviewers,
    "score": score,
    "decide": decide,
    "agreement": agreement,
    "report": report,
    "review_report": review_report,
}
