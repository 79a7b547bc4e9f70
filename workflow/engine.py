"""Driving viewflow activations from Guichet's own views and services.

viewflow does not check transition permissions when code calls an activation
directly, so `task_execute` takes a permission predicate result from the caller
(see workflow.permissions.can_execute_task) and refuses otherwise.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from .flows import ApplicationFlow
from .models import ApplicationProcess

ACTIVE = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def process_start(*, application) -> ApplicationProcess:
    """Start the lifecycle process of a new application (creates its draft task)."""
    return ApplicationFlow.start.run(application=application)


def active_task(*, application, node, owner=None) -> Task | None:
    """The open task of `node` for this application (optionally the one owned by `owner`)."""
    qs = Task.objects.filter(
        process__applicationprocess__application=application, flow_task=node, status__in=ACTIVE
    ).order_by("pk")
    if owner is not None:
        qs = qs.filter(owner=owner)
    return qs.first()


def task_execute(
    *, task: Task, user, allowed: bool, before: Callable[[], None] | None = None, application=None
) -> None:
    """Complete a human task as `user` and let the flow move on.

    `allowed` is the result of Guichet's permission predicate for this user and task.
    `before` runs inside the same lock and transaction, before the task completes,
    so the data the next gateway reads is written atomically with the transition.
    `application`: the process's application as the caller holds it, locked in this transaction
    (and changed by `before`, if at all): the next gateway reads it instead of reading it again.
    """
    if not allowed:
        raise PermissionDenied
    flow_class = task.flow_task.flow_class
    # One transaction for the lock and the transition, no savepoint: a transition that fails leaves
    # the caller's transaction to be rolled back, not half done.
    with transaction.atomic(savepoint=False), flow_class.lock(task.process_id):
        # The process and its ApplicationProcess come with the task: the activation reads both.
        task = (
            Task.objects.select_for_update(of=("self",)).select_related("process__applicationprocess").get(pk=task.pk)
        )
        if task.status not in ACTIVE:
            raise PermissionDenied("This task is already done.")
        if application is not None:
            process = task.process.applicationprocess
            if process.application_id != application.pk:
                raise ValueError(f"task {task.pk} is not a task of application {application.pk}")
            ApplicationProcess.application.field.set_cached_value(process, application)
        activation = task.flow_task.activation_class(task)
        if task.status == STATUS.NEW:
            activation.assign(user)
        elif task.owner_id != user.pk and task.status == STATUS.ASSIGNED:
            activation.reassign(user)
        if before is not None:
            before()
        if activation.task.status == STATUS.ASSIGNED:
            activation.start(None)
        activation.execute()
