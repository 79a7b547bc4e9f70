"""State changes of the application lifecycle. Each one completes a viewflow task.

Callers get `PermissionDenied` when the acting user may not execute the task,
and the domain exceptions below for business-rule refusals. Nothing is written
when an exception is raised.
"""

import logging
from contextlib import nullcontext
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task

from accounts.models import User
from config import celery_app, rows
from fonds.models import Call
from forms.cofunding import cofunded_copy_create, cofunding_problem_text, cofunding_problems, cofunding_requests
from forms.models import Application, CoFundingRequest
from forms.selectors import lock_draft_for_member, read_for_submission
from forms.services import Read, RowChanged, missing_items, unlocked_first, what_exists

from .engine import ACTIVE, active_task, process_start, task_execute
from .flows import ApplicationFlow
from .notifications import notify
from .permissions import can_execute_task

log = logging.getLogger(__name__)


class DeadlinePassed(Exception):
    """The call (the application's own, or one it is co-funded by) no longer accepts submissions.

    `call` is the closed call; `message` says so in the active language, with its
    deadline in local (America/Toronto) time.
    """

    def __init__(self, call: Call):
        super().__init__(call)
        self.call = call

    @property
    def message(self) -> str:
        deadline = formats.date_format(timezone.localtime(self.call.closes_at), "DATETIME_FORMAT")
        return _("The call “%(call)s” closed on %(deadline)s; your draft is kept.") % {
            "call": self.call.title,
            "deadline": deadline,
        }


class Incomplete(Exception):
    """What still prevents submission: `missing` codes (see forms.services.missing_items), and
    `messages`, sentences for problems that have no code of their own (co-funding requests)."""

    def __init__(self, missing: list[str], messages: list[str] | None = None):
        super().__init__(", ".join(missing))
        self.missing = missing
        self.messages = messages or []


class NoAdvisorAvailable(Exception):
    pass


class InvalidReviewers(Exception):
    pass


def members_of(application: Application) -> list[User]:
    return list(User.objects.filter(memberships__organisation_id=application.organisation_id, is_active=True))


def managers_of(application: Application) -> list[User]:
    return list(application.call.fund.managers.filter(is_active=True))


def members_and_managers_of(application: Application) -> list[User]:
    """members_of + managers_of in one query (a manager who is also a member appears once)."""
    return list(
        User.objects.filter(
            Q(memberships__organisation_id=application.organisation_id) | Q(managed_funds=application.call.fund_id),
            is_active=True,
        ).distinct()
    )


def application_submit(*, application: Application | int, by: User, at: datetime | None = None) -> Application:
    """Freeze the draft (the application or its pk), then hand it to screening.

    What callers can rely on:
    - a second call (double click, two tabs, a retried request) is a no-op returning
      the submitted application: one submission, one copy per co-funded call;
    - the deadline of the application's call and of every co-funded call is checked
      at `at` (now, by default): DeadlinePassed names the first closed call;
    - Incomplete lists what is missing (codes) and co-funding problems (sentences);
    - PermissionDenied when `by` is not a member of the application's organisation;
    - on any refusal nothing is written and the draft stays as it was;
    - on success the application is SUBMITTED, with `submitted_at` = `at`, when this
      returns. Handing it to screening (its draft task, one co-funded copy per other
      call asked, the e-mails) is `submission_route`: in the request when Celery runs
      tasks eagerly (no broker: `make run`, the tests), otherwise in a worker right
      after commit, so that deadline day's submissions do not wait for the workflow
      engine; `route_pending_submissions` catches up on any a broker outage left.
    """
    at = at or timezone.now()
    pk = application if isinstance(application, int) else application.pk
    # Deadline day: read without a lock and outside any transaction, frozen by one UPDATE that
    # writes only if the row is still as read (see forms.services.unlocked_first).
    return unlocked_first(lambda read: _submit(pk, by=by, at=at, read=read))


def _submit(pk: int, *, by: User, at: datetime, read: Read) -> Application:
    if read is Read.LOCKED:
        application = lock_draft_for_member(by, pk)  # the membership checked in the same query
        exists = what_exists(application) if application is not None else None
    else:
        found = read_for_submission(by, pk)  # and what exists, in the same SELECT
        application, exists = found if found is not None else (None, None)
    if application is None:
        raise PermissionDenied
    if application.submitted_at or application.status != Application.Status.DRAFT:
        return application
    if not application.call.accepts_submissions(at=at):
        raise DeadlinePassed(application.call)
    requests = cofunding_requests(application=application) if exists["cofunding"] else []
    problems = cofunding_problems(application=application, requests=requests, at=at)
    if problems and problems[0].code == "closed":
        raise DeadlinePassed(problems[0].call)
    missing = missing_items(application, exists=exists)
    if problems:
        missing.append("cofunding")
    if missing:
        raise Incomplete(missing, [cofunding_problem_text(p) for p in problems])
    read_version = application.version
    application.status = Application.Status.SUBMITTED
    application.submitted_at = at
    application.updated_by = by
    fields = ["status", "submitted_at", "updated_by"]  # deadline day: see config/rows.py
    unlocked = read is Read.UNLOCKED
    where = {"version": read_version, "status": Application.Status.DRAFT} if unlocked else None
    # Unlocked and routed in the request (no broker): the freeze and the routing commit together.
    # Unlocked with a broker, the UPDATE commits at once and the routing task is published then.
    with transaction.atomic() if unlocked and celery_app.conf.task_always_eager else nullcontext():
        if not rows.update(application, fields, where=where):
            raise RowChanged
        _route_later(application)
    return application


def _route_later(application: Application) -> None:
    from .tasks import route_submission

    if celery_app.conf.task_always_eager:
        # No broker, no worker (make run, the tests): the request routes it, in the same transaction.
        submission_route(application_pk=application.pk)
        return
    pk = application.pk

    def publish():
        try:
            route_submission.delay(pk)
        except Exception as exc:  # broker outage: route_pending_submissions catches up
            log.warning("could not queue the routing of application %s: %s", pk, exc)

    transaction.on_commit(publish)


def submission_route(*, application_pk: int) -> bool:
    """Hand a submitted application to screening: its draft task completes (taken back from the
    advisor if it was with one), one co-funded copy per other call asked is made with its own
    process, and members and managers get the "submitted" e-mail.

    Idempotent: returns False, writing nothing, when the application is not submitted or was
    already handed over. The draft task is completed in the name of whoever submitted."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",))
            .select_related("call__fund", "updated_by", "created_by")
            .annotate(cofunding_asked=Exists(CoFundingRequest.objects.filter(application=OuterRef("pk"))))
            .filter(pk=application_pk, status=Application.Status.SUBMITTED)
            .first()
        )
        if application is None:
            return False
        task = _draft_task_back(application)
        if task is None:
            return False
        by = application.updated_by or application.created_by
        task_execute(task=task, user=by, allowed=True, application=application)
        # The worker sends these itself once this commits (see notify).
        notify(kind="submitted", recipients=members_and_managers_of(application), application=application, here=True)
        requests = cofunding_requests(application=application) if application.cofunding_asked else []
        for request in requests:
            _cofunded_submit(lead=application, request=request, by=by, at=application.submitted_at)
    return True


def submissions_waiting_routing() -> list[int]:
    """Submitted applications whose draft (or advice) task is still open: not handed to screening yet."""
    return list(
        Task.objects.filter(
            flow_task__in=[ApplicationFlow.draft, ApplicationFlow.advise],
            status__in=ACTIVE,
            process__applicationprocess__application__status=Application.Status.SUBMITTED,
        )
        .values_list("process__applicationprocess__application_id", flat=True)
        .distinct()
    )


def _draft_task_back(application: Application) -> Task | None:
    """The open draft task; when the draft is with an advisor, the applicant takes it back to submit.
    None when neither is open (the application was handed over already)."""
    task = active_task(application=application, node=ApplicationFlow.draft)
    if task is not None:
        return task
    advise = active_task(application=application, node=ApplicationFlow.advise)
    if advise is None:
        return None
    from reviewers.services import close_support

    close_support(application)
    task_execute(task=advise, user=advise.owner, allowed=True)
    return active_task(application=application, node=ApplicationFlow.draft)


def _cofunded_submit(*, lead: Application, request: CoFundingRequest, by: User, at: datetime) -> Application:
    """The copy of `lead` for one co-funded call, with its own process already past its draft step."""
    copy = cofunded_copy_create(lead=lead, request=request, at=at)
    if active_task(application=copy, node=ApplicationFlow.screen) is None:
        process_start(application=copy)
        task_execute(task=active_task(application=copy, node=ApplicationFlow.draft), user=by, allowed=True)
        notify(kind="submitted", recipients=managers_of(copy), application=copy, here=True)
    return copy


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
