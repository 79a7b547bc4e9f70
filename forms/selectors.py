"""Reads of applications for the applicant's pages."""

import json
from decimal import Decimal
from functools import cache

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Task

from accounts.models import Membership, Organisation, User
from accounts.selectors import organisation_profile
from config import rows
from fonds.models import Call, ChecklistItem
from fonds.templatetags.guichet import format_money
from reviewers.models import Comment, Section

from .models import Application, BudgetYear, CallFormSettings, CallQuestion
from .permissions import can_view_application, is_org_member
from .services import WHAT_EXISTS, budget_years_hold, missing_items, what_exists_columns

HISTORY_TASK_TYPES = ("HUMAN", "START")


def get_application_for_user(user: User, pk: int) -> Application:
    """The application if `user` may see it, else Http404 (its existence stays hidden)."""
    application = Application.objects.select_related("call__fund", "organisation").filter(pk=pk).first()
    if application is None or not can_view_application(user, application):
        raise Http404
    return application


def _members_applications(user: User) -> QuerySet[Application]:
    """Applications of the organisations `user` belongs to (an EXISTS on the membership: no duplicate rows)."""
    return Application.objects.filter(
        Exists(Membership.objects.filter(user_id=user.pk, organisation_id=OuterRef("organisation_id")))
    )


def get_application_for_member(user: User, pk: int) -> Application:
    """The application if `user` is a member of its organisation: 404 when hidden, 403 when only visible."""
    if user.is_authenticated and user.is_active:
        # The usual case, a member, in one query; anybody else gets the full check and its 404 or 403.
        application = _members_applications(user).select_related("call__fund", "organisation").filter(pk=pk).first()
        if application is not None:
            return application
    application = get_application_for_user(user, pk)
    if not is_org_member(user, application):
        raise PermissionDenied
    return application


def lock_draft_for_member(user: User, pk: int) -> Application | None:
    """The application locked for update (its row only), with its call and the call's form settings,
    if `user` is a member of its organisation; None otherwise (use get_application_for_member for the
    404 or 403). Call it inside a transaction: the lock lasts until it ends.

    Every submission takes this lock: its SQL is written once per process instead of compiled by
    the ORM on each request (see config/rows.py)."""
    return _for_member(user, pk, lock=True)


def read_for_member(user: User, pk: int, *, years: bool = False) -> Application | None:
    """As lock_draft_for_member, without the lock: one SELECT, so application, call and settings are
    as they were at one moment. Every autosave reads this way and writes only if the row is still
    as read (forms.services.Read.UNLOCKED). With `years`, its budget years come in the same SELECT
    (forms.services.budget_years then reads nothing): the budget step's autosave."""
    return _for_member(user, pk, lock=False, years=years)


def read_for_submission(user: User, pk: int) -> tuple[Application, dict[str, bool]] | None:
    """As read_for_member, with what_exists(application) and the budget years read in the same
    SELECT (so as of the same moment): the submission checks completeness without another round trip."""
    return _for_member(user, pk, lock=False, exists=True, years=True)


def _for_member(user: User, pk: int, *, lock: bool, exists: bool = False, years: bool = False):
    if not (user.is_authenticated and user.is_active):
        return None
    with rows.cursor() as cursor:
        cursor.execute(_member_sql(connection.vendor, lock, exists, years), [pk, user.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    split, width = rows.width(Application), rows.width(Call) + rows.width(CallFormSettings)
    application = rows.instance(Application, row[:split])
    call = rows.instance(Call, row[split : split + rows.width(Call)])
    settings = rows.instance(CallFormSettings, row[split + rows.width(Call) : split + width])
    Application.call.field.set_cached_value(application, call)
    Call.form_settings.related.set_cached_value(call, settings)
    if settings is not None:
        CallFormSettings.call.field.set_cached_value(settings, call)
    if years:
        budget_years_hold(application, _years_of(application, row[-1]))
    if exists:
        found = row[split + width : split + width + len(WHAT_EXISTS)]
        return application, dict(zip(WHAT_EXISTS, (bool(value) for value in found), strict=True))
    return application


def _years_of(application: Application, found) -> list[BudgetYear]:
    """The budget years of `_years_column`'s JSON ([[id, year, amount as text], ...]), year 1 first,
    as the ORM gives them."""
    if isinstance(found, str):  # SQLite gives the JSON as text, psycopg parses it
        found = json.loads(found)
    amount = BudgetYear._meta.get_field("amount")
    step = Decimal(1).scaleb(-amount.decimal_places)
    names = ["id", "application_id", "year", "amount"]
    return [
        BudgetYear.from_db(connection.alias, names, [pk, application.pk, year, amount.to_python(text).quantize(step)])
        for pk, year, text in sorted(found or [], key=lambda item: item[1])
    ]


def _years_column(vendor: str) -> str:
    """The application's budget years as one JSON value: [[id, year, amount as text], ...]."""
    table, column = rows.table, rows.column
    pk, year, amount = (f"y.{column(BudgetYear, name)}" for name in ("id", "year", "amount"))
    if vendor == "postgresql":
        aggregate = f"json_agg(json_build_array({pk}, {year}, {amount}::text))"
    else:
        aggregate = f"json_group_array(json_array({pk}, {year}, CAST({amount} AS TEXT)))"
    where = f"y.{column(BudgetYear, 'application')} = a.{column(Application, 'id')}"
    return f"(SELECT {aggregate} FROM {table(BudgetYear)} y WHERE {where})"


@cache
def _member_sql(vendor: str, lock: bool, exists: bool = False, years: bool = False) -> str:
    """SELECT application, call, form settings (what exists, budget years) WHERE pk and membership
    (locking the application row). A lock waits for the row but its subqueries would still see the
    moment before the wait: what exists and the years are read only without it."""
    table, column = rows.table, rows.column
    if lock and (exists or years):
        raise ValueError("what exists and the years are read without the lock (see the docstring)")
    found = ", " + ", ".join(what_exists_columns(f"a.{column(Application, 'id')}", f"c.{column(Call, 'id')}"))
    sql = (
        f"SELECT {rows.columns(Application, 'a')}, {rows.columns(Call, 'c')}, {rows.columns(CallFormSettings, 's')}"
        f"{found if exists else ''}{', ' + _years_column(vendor) if years else ''}"
        f" FROM {table(Application)} a"
        f" INNER JOIN {table(Call)} c ON c.{column(Call, 'id')} = a.{column(Application, 'call')}"
        f" LEFT OUTER JOIN {table(CallFormSettings)} s ON s.{column(CallFormSettings, 'call')} = c.{column(Call, 'id')}"
        f" WHERE a.{column(Application, 'id')} = %s AND EXISTS (SELECT 1 FROM {table(Membership)} m"
        f" WHERE m.{column(Membership, 'organisation')} = a.{column(Application, 'organisation')}"
        f" AND m.{column(Membership, 'user')} = %s)"
    )
    if lock and connection.features.has_select_for_update_of:
        sql += " FOR UPDATE OF a"
    return sql


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
    """Every part of the application, shaped for the recap (summary step, detail page, PDF copy)."""
    years = list(application.years.all())
    answers = {a.item_id: a for a in application.checklist_answers.all()}
    criteria = application.call.criteria.prefetch_related("checklist")
    lines = list(application.budget_lines.all())
    by_year: dict[int, list] = {}
    for line in lines:
        by_year.setdefault(line.year, []).append(line)
    question_answers = {a.question_id: a.text for a in application.question_answers.all()}
    questions = list(CallQuestion.objects.filter(call_id=application.call_id))
    steps = dict(CallQuestion.Step.choices)
    return {
        "years": years,
        "total": sum((y.amount for y in years), Decimal("0")),
        "lines": [
            {"year": year, "lines": rows, "total": sum((r.amount for r in rows), Decimal("0"))}
            for year, rows in sorted(by_year.items())
        ],
        "cofunding": list(application.cofunding_requests.select_related("call__fund")),
        "partners": list(application.partners.all()),
        "indicators": list(application.indicators.prefetch_related("targets")),
        "criteria": [(c, [(item, answers.get(item.pk)) for item in c.checklist.all()]) for c in criteria],
        "questions": [
            {"question": q, "step": steps.get(q.step, q.step), "answer": question_answers.get(q.pk, "")}
            for q in questions
        ],
        "attachments": list(application.attachments.all()),
    }


def organisation_facts(*, organisation: Organisation) -> dict:
    """What the platform knows about an organisation, for prefilling and for the 'from your profile' panel.

    Keys: name, neq, legal_form (its label), mission, territory (the MRCs served, by name; the head
    office's MRC when none is given), populations (by name). Read from accounts.selectors.organisation_profile.
    """
    profile = organisation_profile(organisation=organisation)
    return {
        "name": profile.name,
        "neq": profile.neq,
        "legal_form": profile.legal_form_label,
        "mission": profile.mission,
        "territory": ", ".join(str(mrc) for mrc in profile.mrcs_served if mrc is not None),
        "populations": ", ".join(str(population) for population in profile.populations),
    }


def cofunding_calls(*, application: Application) -> dict[int, Call]:
    """Open calls (other than the application's own) the applicant may also address, by pk."""
    now = timezone.now()
    calls = (
        Call.objects.filter(opens_at__lte=now, closes_at__gt=now)
        .exclude(pk=application.call_id)
        .select_related("fund")
        .order_by("closes_at", "pk")
    )
    return {c.pk: c for c in calls}


# Each code of forms.services.missing_items: the sentence, the wizard step and the field that fixes it.
MISSING = {
    "title": (_("Give your project a title."), "project", "id_project-title"),
    "summary": (_("Describe the project in a short summary."), "project", "id_project-summary"),
    "budget": (_("Enter the amount asked, at least for the first year."), "budget", "id_budget-year_1"),
    "budget_above_max": (_("The total asked is above the call's maximum of %(max)s."), "budget", "id_budget-year_1"),
    "budget_below_min": (_("The total asked is below the call's minimum of %(min)s."), "budget", "id_budget-year_1"),
    "budget_years_above_max": (
        _(
            "Your budget asks for years this call does not fund (it funds up to year %(years)s): "
            "save the budget step again to keep only those years."
        ),
        "budget",
        "id_budget-year_1",
    ),
    "indicators": (_("Add at least one indicator with its target."), "partners", "id_partners-indicators-0-name"),
    "partners": (
        _("Your project is carried with partners: name at least one partner."),
        "partners",
        "id_partners-partners-0-name",
    ),
    "cofunding": (
        _("Check the other calls this application is also sent to (co-funding)."),
        "budget",
        "",
    ),
    "sustainability": (
        _("Explain how the project will last once the funding ends (pérennité plan)."),
        "sustainability",
        "id_sustainability-sustainability_plan",
    ),
}


def missing_explained(*, application: Application, codes: list[str] | None = None) -> list[dict]:
    """What still prevents submission: [{code, text, step, anchor}], in the wizard's order."""
    if codes is None:
        codes = missing_items(application)
    limits = {
        "min": format_money(application.call.min_amount),
        "max": format_money(application.call.max_amount),
        "years": application.call.max_years,
    }
    questions = items = None
    explained = []
    for code in codes:
        kind, _sep, pk = code.partition("_")
        if kind == "question" and pk.isdigit():
            if questions is None:
                questions = {q.pk: q for q in CallQuestion.objects.filter(call_id=application.call_id)}
            question = questions.get(int(pk))
            label = question.label if question else ""
            step = question.step if question else "summary"
            text = _("Answer the question: %(question)s") % {"question": label}
            explained.append({"code": code, "text": str(text), "step": step, "anchor": f"id_{step}-question_{pk}"})
            continue
        if code.startswith("justification_") and code[len("justification_") :].isdigit():
            pk = code[len("justification_") :]
            if items is None:
                items = {i.pk: i for i in ChecklistItem.objects.filter(criterion__call_id=application.call_id)}
            item = items.get(int(pk))
            text = _("Justify the item you ticked: %(item)s") % {"item": gettext(item.text) if item else ""}
            explained.append(
                {"code": code, "text": str(text), "step": "sustainability", "anchor": f"id_sustainability-{code}"}
            )
            continue
        text, step, anchor = MISSING.get(code, (_("Something is still missing (%(code)s)."), "summary", ""))
        explained.append({"code": code, "text": str(text) % {**limits, "code": code}, "step": step, "anchor": anchor})
    return explained


def wizard_progress(*, application: Application, steps: list[str], missing: list[dict]) -> dict:
    """Steps done out of the steps to fill (the summary left out): a step is done once saved with nothing missing."""
    to_fill = [s for s in steps if s != "summary"]
    saved = set(application.saved_steps)
    blocked = {m["step"] for m in missing}
    done = [s for s in to_fill if s in saved and s not in blocked]
    return {"done": len(done), "total": len(to_fill), "done_steps": set(done)}


def draft_support_state(*, application: Application) -> str | None:
    """ "ask" when the applicant may ask an advisor for help, "with_advisor" while one reviews the draft."""
    from workflow.engine import active_task
    from workflow.flows import ApplicationFlow

    if application.status != Application.Status.DRAFT:
        return None
    if active_task(application=application, node=ApplicationFlow.draft) is not None:
        return "ask"
    return "with_advisor"
