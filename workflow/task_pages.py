"""What every task page shares: how it renders and where it goes once the task is done."""

from django.contrib import messages
from django.shortcuts import redirect, render
from viewflow.workflow.models import Task

from forms.models import Application


def done(request, message: str):
    messages.success(request, message)
    return redirect("workflow:inbox")


def render_task(request, template: str, task: Task, application: Application, **context):
    context.update(task=task, application=application, title=task.flow_task.task_title)
    return render(request, f"workflow/{template}", context)
