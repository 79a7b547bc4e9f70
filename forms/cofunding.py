"""Co-funding: one application written once, addressed to several calls.

The applicant's application (the lead) lists other calls with the amount asked
of each (`CoFundingRequest`). At submission, `workflow.services.application_submit`
checks every call (`cofunding_problems`) and makes one copy per request
(`cofunded_copy_create`), each with its own lifecycle process, so every fund
screens and decides on its own. `cofunding_family` reads them back for the
applicant's status panel.

How a copy is made (what callers can rely on):

- same organisation, author, title, summary, concerted flag, pérennité plan,
  partners, indicators with their yearly targets, and budget lines;
- the amount asked per year is the amount asked of that call, spread over the
  years like the lead's own amounts (same shares, rounded to the cent, the
  rounding rest on the last year). When the other call allows fewer years than
  the lead has, the later years are folded into its last allowed year;
- checklist answers follow when the other call asks the same question: same
  criterion key and same question text (case and spacing ignored). When both
  calls' checklists for a criterion differ only in wording but have as many
  items, answers follow by rank. Questions of the other call with no match stay
  unanswered, which its fund's screening sees;
- answers to the call's own questions follow when the other call asks a question
  with the same label on the same step; its other questions stay unanswered;
- attachments are shared: the copy's rows point to the same stored files (neither
  application is a draft any more, so neither can delete them);
- the copy never has co-funding requests of its own, and it is never a draft:
  it is created SUBMITTED, in the submitting transaction.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from django.db.models import Prefetch

from fonds.models import Call, ChecklistItem
from fonds.templatetags.guichet import format_money

from .models import (
    Application,
    Attachment,
    BudgetLine,
    BudgetYear,
    ChecklistAnswer,
    CoFundingRequest,
    Indicator,
    IndicatorTarget,
    Partner,
    QuestionAnswer,
)

CENT = Decimal("0.01")


@dataclass(frozen=True)
class CoFundingProblem:
    """Why a co-funding request stops the submission. `code` is stable; `call` names the call."""

    code: str  # "closed", "same_call", "above_max", "below_min"
    call: Call
    amount: Decimal


def cofunding_requests(*, application: Application) -> list[CoFundingRequest]:
    """The other calls this application is addressed to, with their fund, in a stable order."""
    return list(
        CoFundingRequest.objects.filter(application=application)
        .select_related("call__fund")
        .order_by("call__closes_at", "pk")
    )


def cofunding_problems(
    *, application: Application, requests: list[CoFundingRequest], at: datetime
) -> list[CoFundingProblem]:
    """Every reason the co-funding requests prevent submitting at `at` (empty when they are fine).

    A closed call comes first: it is the one problem the applicant cannot fix by editing.
    """
    problems = []
    for request in requests:
        call = request.call
        if call.pk == application.call_id:
            problems.append(CoFundingProblem("same_call", call, request.amount))
        elif not call.accepts_submissions(at=at):
            problems.append(CoFundingProblem("closed", call, request.amount))
        elif request.amount > call.max_amount:
            problems.append(CoFundingProblem("above_max", call, request.amount))
        elif request.amount < call.min_amount or request.amount <= 0:
            problems.append(CoFundingProblem("below_min", call, request.amount))
    return sorted(problems, key=lambda p: p.code != "closed")


def cofunding_problem_text(problem: CoFundingProblem) -> str:
    """The problem as a sentence in the active language."""
    from django.utils.translation import gettext as _

    names = {
        "call": problem.call.title,
        "fund": problem.call.fund.name,
        "amount": format_money(problem.amount),
        "min": format_money(problem.call.min_amount),
        "max": format_money(problem.call.max_amount),
    }
    if problem.code == "same_call":
        return _("The co-funding request to “%(call)s” repeats the call of this application: remove it.") % names
    if problem.code == "closed":
        return _("The call “%(call)s” (%(fund)s) no longer accepts applications: remove it from co-funding.") % names
    if problem.code == "above_max":
        return _("The amount asked of “%(call)s” (%(amount)s) is above its maximum of %(max)s.") % names
    return _("The amount asked of “%(call)s” (%(amount)s) is below its minimum of %(min)s.") % names


def spread_amount(*, amount: Decimal, shares: list[Decimal], max_years: int) -> list[Decimal]:
    """`amount` split like `shares` (the lead's yearly amounts) over at most `max_years` years.

    The result always sums to `amount` exactly, has no negative year, and has
    one year when the lead has no positive amount to copy the shape from.
    """
    max_years = max(1, max_years)
    shape = [s if s > 0 else Decimal("0") for s in shares]
    if len(shape) > max_years:
        shape = shape[: max_years - 1] + [sum(shape[max_years - 1 :], Decimal("0"))]
    total = sum(shape, Decimal("0"))
    if total <= 0:
        return [amount]
    years = [(amount * s / total).quantize(CENT, rounding=ROUND_DOWN) for s in shape]
    years[-1] += amount - sum(years, Decimal("0"))
    return years


def _normalised(text: str) -> str:
    return " ".join(text.casefold().split())


def checklist_mapping(*, source: Call, target: Call) -> dict[int, ChecklistItem]:
    """{source item pk: matching target item} — same criterion key, then same text or same rank."""

    def by_criterion(call: Call) -> dict[str, list[ChecklistItem]]:
        grouped: dict[str, list[ChecklistItem]] = {}
        items = ChecklistItem.objects.filter(criterion__call=call).select_related("criterion")
        for item in items.order_by("criterion__position", "criterion__pk", "position", "pk"):
            grouped.setdefault(item.criterion.key, []).append(item)
        return grouped

    theirs = by_criterion(target)
    mapping: dict[int, ChecklistItem] = {}
    for key, ours in by_criterion(source).items():
        candidates = theirs.get(key, [])
        texts = {_normalised(item.text): item for item in candidates}
        same_shape = len(candidates) == len(ours)
        for rank, item in enumerate(ours):
            match = texts.get(_normalised(item.text)) or (candidates[rank] if same_shape else None)
            if match is not None:
                mapping[item.pk] = match
    return mapping


def cofunded_copy_create(*, lead: Application, request: CoFundingRequest, at: datetime) -> Application:
    """The lead's content as a SUBMITTED application to `request.call`. Call inside a transaction.

    Idempotent: when a copy of `lead` to that call exists, it is returned unchanged.
    The caller starts the copy's process (see workflow.services.application_submit).
    """
    existing = Application.objects.filter(lead=lead, call=request.call).first()
    if existing is not None:
        return existing
    copy = Application.objects.create(
        organisation_id=lead.organisation_id,
        call=request.call,
        created_by_id=lead.created_by_id,
        lead=lead,
        title=lead.title,
        summary=lead.summary,
        concerted=lead.concerted,
        sustainability_plan=lead.sustainability_plan,
        status=Application.Status.SUBMITTED,
        wizard_step=lead.wizard_step,
        updated_by_id=lead.updated_by_id,
        created_at=at,
        updated_at=at,
        submitted_at=at,
    )
    shares = [y.amount for y in lead.years.order_by("year")]
    amounts = spread_amount(amount=request.amount, shares=shares, max_years=request.call.max_years)
    BudgetYear.objects.bulk_create(
        BudgetYear(application=copy, year=i, amount=amount) for i, amount in enumerate(amounts, 1)
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(application=copy, label=line.label, year=line.year, amount=line.amount, position=line.position)
        for line in lead.budget_lines.all()
    )
    Partner.objects.bulk_create(
        Partner(application=copy, name=p.name, role=p.role, position=p.position) for p in lead.partners.all()
    )
    for indicator in lead.indicators.prefetch_related("targets"):
        twin = Indicator.objects.create(
            application=copy,
            name=indicator.name,
            unit=indicator.unit,
            baseline=indicator.baseline,
            target=indicator.target,
            position=indicator.position,
        )
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(indicator=twin, year=t.year, value=t.value) for t in indicator.targets.all()
        )
    mapping = checklist_mapping(source=lead.call, target=request.call)
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(application=copy, item=mapping[a.item_id], checked=a.checked, justification=a.justification)
        for a in lead.checklist_answers.all()
        if a.item_id in mapping
    )
    _copy_question_answers(lead=lead, copy=copy)
    Attachment.objects.bulk_create(
        Attachment(
            application=copy,
            file=a.file.name,
            name=a.name,
            kind=a.kind,
            size=a.size,
            description=a.description,
            uploaded_by_id=a.uploaded_by_id,
            uploaded_at=a.uploaded_at,
        )
        for a in lead.attachments.all()
    )
    return copy


def _copy_question_answers(*, lead: Application, copy: Application) -> None:
    """Answers to the lead call's own questions, onto the other call's questions with the same step and label."""
    theirs = {(q.step, _normalised(q.label)): q for q in copy.call.questions.all()}
    QuestionAnswer.objects.bulk_create(
        QuestionAnswer(application=copy, question=theirs[key], text=answer.text)
        for answer in lead.question_answers.select_related("question")
        if (key := (answer.question.step, _normalised(answer.question.label))) in theirs
    )


def cofunding_family(*, application: Application) -> list[Application]:
    """The lead first, then its copies by call deadline, with call and fund loaded.

    For an application with neither a lead nor copies, the list holds it alone.
    """
    lead_id = application.lead_id or application.pk
    family = (
        Application.objects.filter(pk=lead_id)
        .select_related("call__fund")
        .prefetch_related(
            Prefetch(
                "cofunded",
                queryset=Application.objects.select_related("call__fund").order_by("call__closes_at", "pk"),
            )
        )
        .first()
    )
    if family is None:
        return [application]
    return [family, *family.cofunded.all()]
