"""Reads of applications for the applicant's pages."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task

from accounts.models import Membership, Organisation, User
from fonds.templatetags.guichet import format_money
from reviewers.models import Comment, Section

from .models import Application
from .permissions import can_view_application, is_org_member
from .services import missing_items

HISTORY_TASK_TYPES = ("HUMAN", "START")


def get_application_for_user(user: User, pk: int) -> Application:
    """The application if `user` may see it, else Http404 (its existence stays hidden)."""
    application = Application.objects.select_related("call__fund", "organisation").filter(pk=pk).first()
    if application is None or not can_view_application(user, application):
        raise Http404
    return application


def get_application_for_member(user: User, pk: int) -> Application:
    """The application if `user` is a member of its organisation: 404 when hidden, 403 when only visible."""
    application = get_application_for_user(user, pk)
    if not is_org_member(user, application):
        raise PermissionDenied
    return application


def application_list_for_user(*, user: User) -> QuerySet[Application]:
    """Every application of every organisation `user` belongs to, latest saved first."""
    return (
        Application.objects.filter(organisation__memberships__user=user)
        .select_related("call__fund", "organisation")
        .order_by("-updated_at", "-pk")
    )


def organisations_of(*, user: User) -> list[Organisation]:
    memberships = Membership.objects.filter(user=user).select_related("organisation").order_by("created_at", "pk")
    return [m.organisation for m in memberships]


def application_history(*, application: Application) -> list[Task]:
    """The human steps of the application's process, oldest first (gateways and ends left out)."""
    tasks = (
        Task.objects.filter(process__applicationprocess__application=application)
        .select_related("owner")
        .order_by("created", "pk")
    )
    return [t for t in tasks if t.flow_task is not None and t.flow_task.task_type in HISTORY_TASK_TYPES]


def comments_by_section(*, application: Application) -> list[tuple[str, list[Comment]]]:
    """Advisor comments grouped by the wizard section they are about, in the wizard's order."""
    grouped: dict[str, list[Comment]] = {}
    for comment in application.advisor_comments.select_related("author"):
        grouped.setdefault(comment.section, []).append(comment)
    return [(label, grouped[value]) for value, label in Section.choices if value in grouped]


def application_recap(*, application: Application) -> dict:
    """Every part of the application, shaped for the recap shown on the summary step and the detail page."""
    years = list(application.years.all())
    answers = {a.item_id: a for a in application.checklist_answers.all()}
    criteria = application.call.criteria.prefetch_related("checklist")
    return {
        "years": years,
        "total": sum((y.amount for y in years), Decimal("0")),
        "partners": list(application.partners.all()),
        "indicators": list(application.indicators.all()),
        "criteria": [(c, [(item, answers.get(item.pk)) for item in c.checklist.all()]) for c in criteria],
    }


# Each code of forms.services.missing_items, as a sentence and the wizard step that fixes it.
MISSING = {
    "title": (_("Give your project a title."), "project"),
    "summary": (_("Describe the project in a short summary."), "project"),
    "budget": (_("Enter the amount asked, at least for the first year."), "budget"),
    "budget_above_max": (_("The total asked is above the call's maximum of %(max)s."), "budget"),
    "budget_below_min": (_("The total asked is below the call's minimum of %(min)s."), "budget"),
    "indicators": (_("Add at least one indicator with its target."), "partners"),
    "partners": (_("Your project is carried with partners: name at least one partner."), "partners"),
    "sustainability": (
        _("Explain how the project will last once the funding ends (pérennité plan)."),
        "sustainability",
    ),
}


def missing_explained(*, application: Application, codes: list[str] | None = None) -> list[dict]:
    """What still prevents submission: [{code, text, step}], in the wizard's order."""
    if codes is None:
        codes = missing_items(application)
    limits = {"min": format_money(application.call.min_amount), "max": format_money(application.call.max_amount)}
    explained = []
    for code in codes:
        text, step = MISSING.get(code, (_("Something is still missing (%(code)s)."), "summary"))
        explained.append({"code": code, "text": str(text) % {**limits, "code": code}, "step": step})
    return explained


def draft_support_state(*, application: Application) -> str | None:
    """ "ask" when the applicant may ask an advisor for help, "with_advisor" while one reviews the draft."""
    from workflow.engine import active_task
    from workflow.flows import ApplicationFlow

    if application.status != Application.Status.DRAFT:
        return None
    if active_task(application=application, node=ApplicationFlow.draft) is not None:
        return "ask"
    return "with_advisor"
