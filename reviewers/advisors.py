"""State changes of the advisors' side: who helps on a draft, comment threads, handing the draft back.

Callers get `PermissionDenied` when the acting user may not do it; nothing is written then.
`reviewers.services` re-exports every function here (the lifecycle's callers use that module).
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from viewflow.workflow.models import Task

from accounts.models import User
from accounts.roles import ADVISOR
from forms.models import Application
from forms.permissions import is_org_member
from workflow.engine import active_task, task_execute
from workflow.flows import ApplicationFlow
from workflow.notifications import notify
from workflow.permissions import can_execute_task
from workflow.services import NoAdvisorAvailable, members_of

from .models import AdvisorProfile, Comment, SupportRequest
from .permissions import can_reassign_support, is_advisor, supports_application


def advisor_loads() -> dict[int, int]:
    """{advisor pk: open support requests}."""
    return dict(
        SupportRequest.objects.filter(closed_at__isnull=True)
        .values("advisor")
        .annotate(n=Count("pk"))
        .values_list("advisor", "n")
    )


def advisor_pick(*, application: Application, exclude: tuple[int, ...] = ()) -> User:
    """The advisor for a draft: one serving the organisation's MRC, else its region, else a generalist
    (no territory set); within that group the lowest number of open drafts, then the oldest account.
    Advisors marked unavailable or at their capacity are skipped. When nobody serves the territory,
    any available advisor is chosen so that a request never waits for a rule to be written.
    """
    group = Group.objects.filter(name=ADVISOR).first()
    if group is None:
        raise NoAdvisorAvailable
    advisors = (
        group.user_set.filter(is_active=True)
        .exclude(pk__in=exclude)
        .exclude(advisor_profile__available=False)
        .select_related("advisor_profile")
        .prefetch_related("advisor_profile__mrcs", "advisor_profile__regions")
        .annotate(load=Count("support_requests", filter=Q(support_requests__closed_at__isnull=True)))
        .order_by("load", "date_joined", "pk")
    )
    mrc = application.organisation.mrc
    tiers: dict[int, list[User]] = {0: [], 1: [], 2: [], 3: []}
    for advisor in advisors:
        profile = getattr(advisor, "advisor_profile", None)
        if profile is not None and profile.capacity is not None and advisor.load >= profile.capacity:
            continue
        mrcs = {m.pk for m in profile.mrcs.all()} if profile else set()
        regions = {r.pk for r in profile.regions.all()} if profile else set()
        if mrc.pk in mrcs:
            tiers[0].append(advisor)
        elif mrc.region_id in regions:
            tiers[1].append(advisor)
        elif not mrcs and not regions:
            tiers[2].append(advisor)
        else:
            tiers[3].append(advisor)
    for tier in range(4):
        if tiers[tier]:
            return tiers[tier][0]
    raise NoAdvisorAvailable


def support_request(*, application: Application, by: User, message: str = "") -> SupportRequest:
    """Ask an advisor to comment on the draft. The draft task moves to the chosen advisor's inbox."""
    task = active_task(application=application, node=ApplicationFlow.draft)
    if task is None or not can_execute_task(by, task):
        raise PermissionDenied
    with transaction.atomic():
        # A draft submitted a moment ago still has its draft task until the worker hands it to
        # screening (workflow.services.submission_route): it is no longer the applicant's to send.
        locked = Application.objects.select_for_update().filter(pk=application.pk, status=Application.Status.DRAFT)
        if not locked.exists():
            raise PermissionDenied
        advisor = advisor_pick(application=application)
        created = {}

        def create():
            created["request"] = SupportRequest.objects.create(
                application=application, requested_by=by, advisor=advisor, message=message
            )

        task_execute(task=task, user=by, allowed=True, before=create)
        notify(kind="support_requested", recipients=[advisor], application=application)
    return created["request"]


def support_reassign(*, application: Application, by: User, advisor: User) -> SupportRequest:
    """A manager of the fund hands an open support request (and its advise task) to another advisor."""
    if not can_reassign_support(by, application) or not is_advisor(advisor) or not advisor.is_active:
        raise PermissionDenied
    with transaction.atomic():
        request = (
            SupportRequest.objects.select_for_update()
            .filter(application=application, closed_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        task = active_task(application=application, node=ApplicationFlow.advise)
        if request is None or task is None:
            raise PermissionDenied("no open support request")
        if request.advisor_id == advisor.pk:
            return request
        flow_class = task.flow_task.flow_class
        with flow_class.lock(task.process_id):
            task = Task.objects.select_for_update().get(pk=task.pk)
            activation = task.flow_task.activation_class(task)
            activation.reassign(advisor)
        request.advisor = advisor
        request.save(update_fields=["advisor"])
        notify(kind="support_requested", recipients=[advisor], application=application)
    return request


def advisor_rule_save(*, advisor: User, by: User, mrcs, regions, capacity: int | None, available: bool):
    """Set the territories and capacity of an advisor (fund managers only)."""
    from .permissions import can_manage_advisors

    if not can_manage_advisors(by) or not is_advisor(advisor):
        raise PermissionDenied
    with transaction.atomic():
        profile, _ = AdvisorProfile.objects.get_or_create(advisor=advisor)
        profile.capacity = capacity
        profile.available = available
        profile.save(update_fields=["capacity", "available"])
        profile.mrcs.set(mrcs)
        profile.regions.set(regions)
    return profile


def close_support(application: Application) -> None:
    SupportRequest.objects.filter(application=application, closed_at__isnull=True).update(closed_at=timezone.now())


def _thread_root(application: Application, parent: Comment | int | None) -> Comment | None:
    if parent is None:
        return None
    pk = parent.pk if isinstance(parent, Comment) else parent
    root = Comment.objects.filter(application=application, pk=pk).first()
    if root is None:
        raise PermissionDenied("no such thread")
    return root.parent or root


def _advisors_of(application: Application) -> list[User]:
    return [s.advisor for s in application.support_requests.select_related("advisor").order_by("-created_at")[:1]]


def comment_add(
    *,
    application: Application,
    by: User,
    section: str,
    body: str,
    question: str = "",
    parent: Comment | int | None = None,
) -> Comment:
    """A comment (or a reply) on a section, or one question, of a draft; the other side is notified.

    The advisor comments while the draft is with them (their advise task is open); the
    applicant's team replies to an advisor's thread while the application is a draft.
    A reply takes its thread's section and question.
    """
    root = _thread_root(application, parent)
    applicant_side = is_org_member(by, application)
    if applicant_side:
        if root is None or application.status != Application.Status.DRAFT:
            raise PermissionDenied
    elif active_task(application=application, node=ApplicationFlow.advise, owner=by) is None:
        raise PermissionDenied
    if root is not None:
        section, question = root.section, root.question
    with transaction.atomic():
        comment = Comment.objects.create(
            application=application,
            author=by,
            by_applicant=applicant_side,
            section=section,
            question=question,
            parent=root,
            body=body,
        )
        if root is not None and root.resolved_at:
            Comment.objects.filter(pk=root.pk).update(resolved_at=None, resolved_by=None)  # a reply reopens
        if applicant_side:
            notify(kind="comment_reply", recipients=_advisors_of(application), application=application)
        else:
            notify(kind="comment", recipients=members_of(application), application=application)
    return comment


def comment_resolve(*, comment: Comment, by: User) -> Comment:
    """Either side marks a thread resolved (the advisor who supports the draft, or the applicant's team)."""
    application = comment.application
    if not (is_org_member(by, application) or supports_application(by, application)):
        raise PermissionDenied
    root = comment.parent or comment
    if root.resolved_at is None:
        root.resolved_at = timezone.now()
        root.resolved_by = by
        root.save(update_fields=["resolved_at", "resolved_by"])
    return root


def comments_mark_seen(*, application: Application, by: User) -> int:
    """The viewer has read the other side's comments: they no longer count as unread."""
    applicant_side = is_org_member(by, application)
    if not applicant_side and not supports_application(by, application):
        return 0
    return Comment.objects.filter(
        application=application, by_applicant=not applicant_side, seen_at__isnull=True
    ).update(seen_at=timezone.now())


def advice_return(*, application: Application, by: User) -> None:
    """The advisor hands the draft back to the applicant."""
    task = active_task(application=application, node=ApplicationFlow.advise)
    if task is None:
        raise PermissionDenied
    task_execute(task=task, user=by, allowed=can_execute_task(by, task), before=lambda: close_support(application))
