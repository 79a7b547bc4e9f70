"""The inbox and the task pages. Each task page validates a form and calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from forms.models import Application
from forms.permissions import can_view_application
from forms.similar import similar_projects
from reporting import task_views as reporting_tasks
from reviewers import task_views as reviewer_tasks

from . import services
from .engine import ACTIVE
from .flows import ApplicationFlow
from .forms import ScreeningForm
from .permissions import can_execute_task
from .selectors import APPLICATION, tasks_for_user
from .task_pages import done, render_task


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


def screen(request, task, application):
    form = ScreeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.screening_record(
            task=task, by=request.user, eligible=form.is_eligible, notes=form.cleaned_data["notes"]
        )
        if form.is_eligible:
            return done(request, _("The application is eligible: it now waits for its reviewers."))
        return done(request, _("The application is not eligible: the reasons were sent to the applicant."))
    return render_task(
        request,
        "screen.html",
        task,
        application,
        form=form,
        similar=similar_projects(application=application, user=request.user),
    )


# Each app owns the pages of its own steps.
HANDLERS = {"screen": screen, **reviewer_tasks.HANDLERS, **reporting_tasks.HANDLERS}
