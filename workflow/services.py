"""State changes of the application lifecycle. Each one completes a viewflow task.

Callers get `PermissionDenied` when the acting user may not execute the task,
and the domain exceptions below for business-rule refusals. Nothing is written
when an exception is raised.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task

from accounts.models import User
from forms.models import Application
from forms.services import missing_items

from .engine import active_task, task_execute
from .flows import ApplicationFlow
from .notifications import notify
from .permissions import can_execute_task, is_member


class DeadlinePassed(Exception):
    pass


class Incomplete(Exception):
    def __init__(self, missing: list[str]):
        super().__init__(", ".join(missing))
        self.missing = missing


class NoAdvisorAvailable(Exception):
    pass


class InvalidReviewers(Exception):
    pass


def members_of(application: Application) -> list[User]:
    return list(User.objects.filter(memberships__organisation_id=application.organisation_id, is_active=True))


def managers_of(application: Application) -> list[User]:
    return list(application.call.fund.managers.filter(is_active=True))


def application_submit(*, application: Application, by: User, at=None) -> Application:
    """Freeze the draft and hand it to screening. A second call is a no-op."""
    at = at or timezone.now()
    if not is_member(by, application.organisation_id):
        raise PermissionDenied
    with transaction.atomic():
        application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
        if application.submitted_at:
            return application
        if not application.call.accepts_submissions(at=at):
            raise DeadlinePassed(application.call)
        missing = missing_items(application)
        if missing:
            raise Incomplete(missing)
        task = active_task(application=application, node=ApplicationFlow.draft)
        if task is None:
            # The draft is with an advisor: the applicant takes it back to submit.
            advise = active_task(application=application, node=ApplicationFlow.advise)
            if advise is None:
                raise PermissionDenied
            from reviewers.services import close_support

            close_support(application)
            task_execute(task=advise, user=advise.owner, allowed=True)
            task = active_task(application=application, node=ApplicationFlow.draft)

        def freeze():
            application.status = Application.Status.SUBMITTED
            application.submitted_at = at
            application.save(update_fields=["status", "submitted_at"])

        task_execute(task=task, user=by, allowed=True, before=freeze)
        notify(kind="submitted", recipients=members_of(application) + managers_of(application), application=application)
    return application


def application_of(task: Task) -> Application:
    return task.process.coerced.application


def screening_record(*, task: Task, by: User, eligible: bool, notes: str) -> Application:
    application = application_of(task)

    def write():
        application.eligible = eligible
        application.screening_notes = notes
        application.status = Application.Status.IN_REVIEW if eligible else Application.Status.INELIGIBLE
        application.save(update_fields=["eligible", "screening_notes", "status"])

    with transaction.atomic():
        task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=write)
        if not eligible:
            notify(kind="decision", recipients=members_of(application), application=application)
    return application


# The committee's and the follow-up's state changes live in their apps; they stay
# reachable here so callers have one place for every step of the lifecycle.
_MOVED = {
    "support_request": "reviewers.services",
    "comment_add": "reviewers.services",
    "advice_return": "reviewers.services",
    "reviewers_assign": "reviewers.services",
    "score_submit": "reviewers.services",
    "decision_record": "reviewers.services",
    "DECISIONS": "reviewers.services",
    "agreement_create": "reporting.services",
    "report_submit": "reporting.services",
    "report_approve": "reporting.services",
}


def __getattr__(name: str):
    module = _MOVED.get(name)
    if module is None:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(module), name)
