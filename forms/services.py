"""Writes on applications while they are drafts.

Every save of a draft's content goes through one of the `application_save_*` functions.
Callers can rely on this:

- a save is atomic and sees the application row as it is when it writes (locked, or written only
  if unchanged); `DraftLocked` when it is no longer a draft (nothing written);
- arguments left to None are not touched, so a partial save (autosave) never erases what it
  did not send;
- each save bumps `Application.version`, records who saved and when (`updated_by`,
  `updated_at`) and the step's last save (`Application.saved_steps`), in one UPDATE;
- with `expected_version` (the version the caller's page was loaded at), a save of a step that
  another member saved after that version raises `VersionConflict` and writes nothing;
- `read` says how the caller read `application` (see Read): by default the save reads the row
  again, locked; with Read.LOCKED it is part of the caller's transaction, which holds the lock;
  with Read.UNLOCKED (forms.autosave, which saves in as few queries as it can) it writes only if
  the row is still as the caller read it, and raises `RowChanged`, having written nothing, when
  another save or the submission came first: the caller reads again and retries.
"""

import enum
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache, cached_property
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from config import rows
from fonds.models import Call, ChecklistItem

from .filetypes import check_upload
from .models import (
    Application,
    Attachment,
    BudgetLine,
    BudgetYear,
    CallFormSettings,
    CallQuestion,
    ChecklistAnswer,
    CoFundingRequest,
    Indicator,
    IndicatorTarget,
    Partner,
    QuestionAnswer,
    WizardState,
    form_settings,
)


class DraftLocked(Exception):
    """The application is no longer a draft."""


class VersionConflict(Exception):
    """Another member saved the same step after the version the caller loaded."""

    def __init__(self, *, application: Application, saved: "SavedStep"):
        super().__init__(f"step {saved.step} saved at version {saved.version}")
        self.application = application
        self.saved = saved


T = TypeVar("T")


class RowChanged(Exception):
    """Read.UNLOCKED: the application row changed after the caller read it; nothing written."""


class Read(enum.Enum):
    """How the caller of a save read the application it passes."""

    AGAIN = "again"  # not to be trusted: the save reads the row again, locked, in its own transaction
    LOCKED = "locked"  # with its row locked, in the transaction the caller still holds
    UNLOCKED = "unlocked"  # without a lock, outside any transaction (one consistent SELECT)


class AttachmentRefused(Exception):
    """The file is not accepted; `message` says why, in the current language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def application_create(*, organisation: Organisation, call: Call, by: User) -> Application:
    """Create a draft, prefilled from the organisation's profile and its latest earlier application,
    and start its lifecycle process (the applicant's draft task)."""
    from workflow.engine import process_start

    with transaction.atomic():
        application = Application.objects.create(organisation=organisation, call=call, created_by=by)
        _prefill(application)
        process_start(application=application)
    return application


def _prefill(application: Application) -> None:
    """Nothing asked twice: copy what the organisation already told us, marked as copied."""
    from .selectors import organisation_facts

    facts = organisation_facts(organisation=application.organisation)
    QuestionAnswer.objects.bulk_create(
        QuestionAnswer(application=application, question=q, text=str(facts.get(q.prefill) or "")[: q.max_length])
        for q in CallQuestion.objects.filter(call=application.call).exclude(prefill="")
        if facts.get(q.prefill)
    )
    earlier = (
        Application.objects.filter(organisation=application.organisation, lead__isnull=True)
        .exclude(pk=application.pk)
        .exclude(title="")
        .order_by("-created_at", "-pk")
        .first()
    )
    if earlier is None:
        return
    copied = []
    partners = list(earlier.partners.all())
    if partners:
        Partner.objects.bulk_create(
            Partner(application=application, name=p.name, role=p.role, position=p.position) for p in partners
        )
        application.concerted = earlier.concerted
        copied.append("partners")
    indicators = list(earlier.indicators.all())
    if indicators:
        Indicator.objects.bulk_create(
            Indicator(
                application=application,
                name=i.name,
                unit=i.unit,
                baseline=i.baseline,
                target=i.target,
                position=i.position,
            )
            for i in indicators
        )
        if "partners" not in copied:
            copied.append("partners")
    if earlier.sustainability_plan.strip():
        application.sustainability_plan = earlier.sustainability_plan
        copied.append("sustainability")
    if copied:
        application.prefilled_from = earlier
        application.copied_steps = copied
        application.save(update_fields=["concerted", "sustainability_plan", "prefilled_from", "copied_steps"])


def _lock_draft(application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.DRAFT:
        raise DraftLocked(application)
    return application


UNLOCKED_ATTEMPTS = 3


def unlocked_first(do: Callable[[Read], T]) -> T:
    """do(Read.UNLOCKED), again while it raises RowChanged (another save came between its read and
    its write), at most UNLOCKED_ATTEMPTS times; then do(Read.LOCKED) in a transaction, where the
    row lock waits its turn. Autosave and submission go through here on deadline day."""
    for _attempt in range(UNLOCKED_ATTEMPTS):
        try:
            return do(Read.UNLOCKED)
        except RowChanged:
            continue
    with transaction.atomic():
        return do(Read.LOCKED)


def _saving(*, read: Read, rows_of_its_own: bool):
    """The transaction of a save: the caller's own when it holds the row lock; none when the save
    is one statement (Read.UNLOCKED writing the application row, with what its UPDATE writes: see
    _finish)."""
    if read is Read.LOCKED:
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("Read.LOCKED needs the caller's transaction, which holds the lock")
        return nullcontext()
    if read is Read.UNLOCKED and not rows_of_its_own:
        return nullcontext()
    return transaction.atomic()


@dataclass(frozen=True)
class SavedStep:
    """The last save of one wizard step: the version of the application it made, who, when."""

    step: str
    version: int
    saved_by_id: int | None
    saved_at: datetime

    @cached_property
    def saved_by(self) -> User | None:
        return User.objects.filter(pk=self.saved_by_id).first() if self.saved_by_id else None


def saved_step(application: Application, step: str) -> SavedStep | None:
    entry = application.saved_steps.get(step)
    if entry is None:
        return None
    return SavedStep(step, entry["version"], entry["by"], datetime.fromisoformat(entry["at"]))


def step_saved_since(application: Application, *, step: str, version: int) -> SavedStep | None:
    """The step's last save when it was made after `version` (None when the step is as it was then).

    A version above the application's own was never handed out (a forged or broken page): it is
    treated as older than every save, so it never lets a save through unchecked."""
    if application.version == version:
        return None
    saved = saved_step(application, step)
    if saved is None or (version < application.version and saved.version <= version):
        return None
    return saved


def _begin(
    application: Application, *, step: str, expected_version: int | None, read: Read = Read.AGAIN
) -> Application:
    if read is Read.AGAIN:
        application = _lock_draft(application)
    elif application.status != Application.Status.DRAFT:
        raise DraftLocked(application)
    # Every save writes the application's version and its step's last save together, so no step can
    # have been saved after `expected_version` while the version is not above it. The row is locked
    # or, unlocked, written only if its version is still this one (see _finish): either way what is
    # checked here is what the row holds when the save writes.
    if expected_version is not None:
        saved = step_saved_since(application, step=step, version=expected_version)
        if saved is not None:
            raise VersionConflict(application=application, saved=saved)
    return application


def _finish(
    application: Application,
    *,
    step: str,
    by: User | None,
    fields: tuple[str, ...] = (),
    read: Read = Read.AGAIN,
    then: tuple[tuple[str, list], ...] = (),
) -> Application:
    """Write the application row: the step's own fields, the version, who saved, the step's last save.

    Read.UNLOCKED: only if the row still has the version and status it was read with, else
    RowChanged. A save that writes rows of its own calls this first in its transaction, so the
    row is locked (as by the locked reads) before any other row is touched; or, on PostgreSQL,
    passes their statements as `then` (see config.rows.update): one statement, no transaction."""
    now = timezone.now()
    read_version = application.version
    application.version += 1
    application.updated_at = now
    if by is not None:
        application.updated_by = by
    if step in application.copied_steps:
        application.copied_steps = [s for s in application.copied_steps if s != step]
    saved = {"version": application.version, "by": by.pk if by is not None else None, "at": now.isoformat()}
    application.saved_steps = {**application.saved_steps, step: saved}
    # Every autosave ends here: one UPDATE, its SQL not compiled (see config/rows.py).
    fields = [*fields, "version", "updated_at", "updated_by", "copied_steps", "saved_steps"]
    if read is Read.UNLOCKED:
        where = {"version": read_version, "status": Application.Status.DRAFT}
        if not rows.update(application, fields, where=where, then=then):
            raise RowChanged
    else:
        rows.update(application, fields, then=then)
    return application


def _save_questions(application: Application, questions: dict[int, str] | None) -> None:
    if not questions:
        return
    QuestionAnswer.objects.bulk_create(
        [
            QuestionAnswer(
                application=application, question=question, text=questions[question.pk][: question.max_length]
            )
            for question in CallQuestion.objects.filter(call_id=application.call_id, pk__in=questions.keys())
        ],
        update_conflicts=True,
        unique_fields=["application", "question"],
        update_fields=["text"],
    )


def application_save_project(
    *,
    application: Application,
    title: str | None = None,
    summary: str | None = None,
    concerted: bool | None = None,
    questions: dict[int, str] | None = None,
    by: User | None = None,
    expected_version: int | None = None,
    read: Read = Read.AGAIN,
) -> Application:
    """Save the project step (title, summary, carried with partners, the call's questions of this step)."""
    with _saving(read=read, rows_of_its_own=bool(questions)):
        application = _begin(application, step="project", expected_version=expected_version, read=read)
        fields = []
        for name, value in (("title", title), ("summary", summary), ("concerted", concerted)):
            if value is not None:
                setattr(application, name, value)
                fields.append(name)
        application = _finish(application, step="project", by=by, fields=tuple(fields), read=read)
        _save_questions(application, questions)
    return application


def application_save_budget(
    *,
    application: Application,
    amounts: list[Decimal] | None = None,
    lines: list[dict] | None = None,
    cofunding: list[dict] | None = None,
    questions: dict[int, str] | None = None,
    by: User | None = None,
    expected_version: int | None = None,
    read: Read = Read.AGAIN,
) -> Application:
    """Save the budget step: the amount asked per year (year 1 first), the expense budget lines
    ({label, year, amount}) and the other calls asked for co-funding ({call, amount}); each replaces
    what was there. Co-funding rows naming this call itself or a closed call are left out."""
    # On PostgreSQL the years are written by the application row's own UPDATE (see _finish): typing
    # an amount, deadline day's budget autosave, is then one statement, with no transaction.
    years_with_row = amounts is not None and connection.vendor == "postgresql"
    own_rows = lines is not None or cofunding is not None or bool(questions)
    with _saving(read=read, rows_of_its_own=own_rows or (amounts is not None and not years_with_row)):
        application = _begin(application, step="budget", expected_version=expected_version, read=read)
        then = _years_statements(amounts) if years_with_row else ()
        application = _finish(application, step="budget", by=by, read=read, then=then)
        if amounts is not None:
            if not years_with_row:
                _replace_years(application, amounts)
            _budget_years_written(application)
        if lines is not None:
            application.budget_lines.all().delete()
            BudgetLine.objects.bulk_create(
                BudgetLine(
                    application=application, position=i, label=row["label"], year=row["year"], amount=row["amount"]
                )
                for i, row in enumerate(lines)
            )
        if cofunding is not None:
            application.cofunding_requests.all().delete()
            seen = set()
            requests = []
            for row in cofunding:
                call = row["call"]
                if call.pk == application.call_id or call.pk in seen or not call.is_open:
                    continue
                seen.add(call.pk)
                requests.append(CoFundingRequest(application=application, call=call, amount=row["amount"]))
            CoFundingRequest.objects.bulk_create(requests)
        _save_questions(application, questions)
    return application


def application_save_partners(
    *,
    application: Application,
    partners: list[dict] | None = None,
    indicators: list[dict] | None = None,
    questions: dict[int, str] | None = None,
    by: User | None = None,
    expected_version: int | None = None,
    read: Read = Read.AGAIN,
) -> Application:
    """Replace partners ({name, role}) and indicators ({name, unit, baseline, target[, targets]}).

    An indicator keeps its identity (and the reports about it) when its name is unchanged;
    `targets` ({year: value}), when given, replaces its yearly targets.
    """
    with _saving(read=read, rows_of_its_own=True):
        application = _begin(application, step="partners", expected_version=expected_version, read=read)
        application = _finish(application, step="partners", by=by, read=read)
        if partners is not None:
            application.partners.all().delete()
            Partner.objects.bulk_create(
                Partner(application=application, position=i, name=p["name"], role=p["role"])
                for i, p in enumerate(partners)
            )
        if indicators is not None:
            _save_indicators(application, indicators)
        _save_questions(application, questions)
    return application


def _save_indicators(application: Application, indicators: list[dict]) -> None:
    """Replace the indicators, in a fixed number of queries whatever their number."""
    existing = {ind.name: ind for ind in application.indicators.all()}
    changed: dict[int, Indicator] = {}  # an existing indicator named twice takes its last values
    created: list[Indicator] = []
    targets: list[tuple[Indicator, dict]] = []
    for i, spec in enumerate(indicators):
        indicator = existing.get(spec["name"]) or Indicator(application=application, name=spec["name"])
        indicator.unit = spec["unit"]
        indicator.baseline = spec.get("baseline") or Decimal("0")
        indicator.target = spec["target"]
        indicator.position = i
        if indicator.pk is None:
            created.append(indicator)
        else:
            changed[indicator.pk] = indicator
        if spec.get("targets") is not None:
            targets.append((indicator, spec["targets"]))
    Indicator.objects.bulk_update(changed.values(), ["unit", "baseline", "target", "position"])
    Indicator.objects.bulk_create(created)
    application.indicators.exclude(pk__in=[*changed, *(ind.pk for ind in created)]).delete()
    if targets:
        # As when each indicator replaced its own targets in turn: the last ones given win.
        latest = {id(indicator): (indicator, values) for indicator, values in targets}
        IndicatorTarget.objects.filter(indicator__in=[ind.pk for ind, _values in latest.values()]).delete()
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(indicator=indicator, year=year, value=value)
            for indicator, values in latest.values()
            for year, value in sorted(values.items())
            if value is not None
        )


def application_save_sustainability(
    *,
    application: Application,
    sustainability_plan: str | None = None,
    answers: dict[int, tuple[bool, str]] | None = None,
    questions: dict[int, str] | None = None,
    by: User | None = None,
    expected_version: int | None = None,
    read: Read = Read.AGAIN,
) -> Application:
    """Save the pérennité plan and the checklist answers ({item_pk: (checked, justification)})."""
    with _saving(read=read, rows_of_its_own=bool(answers or questions)):
        application = _begin(application, step="sustainability", expected_version=expected_version, read=read)
        fields = ()
        if sustainability_plan is not None:
            application.sustainability_plan = sustainability_plan
            fields = ("sustainability_plan",)
        application = _finish(application, step="sustainability", by=by, fields=fields, read=read)
        if answers:
            items = ChecklistItem.objects.filter(criterion__call_id=application.call_id, pk__in=answers.keys())
            ChecklistAnswer.objects.bulk_create(
                [
                    ChecklistAnswer(
                        application=application,
                        item=item,
                        checked=answers[item.pk][0],
                        justification=answers[item.pk][1],
                    )
                    for item in items
                ],
                update_conflicts=True,
                unique_fields=["application", "item"],
                update_fields=["checked", "justification"],
            )
        _save_questions(application, questions)
    return application


def attachment_add(
    *, application: Application, by: User, uploaded, description: str = "", expected_version: int | None = None
) -> Attachment:
    """Check the file by its bytes and size, then store it under a private path.

    Raises AttachmentRefused (nothing stored) with a message saying what the file is and what is accepted.
    """
    try:
        kind = check_upload(uploaded, limit=settings.ATTACHMENT_MAX_BYTES)
    except ValidationError as refused:
        raise AttachmentRefused(refused.messages[0]) from None
    with transaction.atomic():
        application = _begin(application, step="attachments", expected_version=expected_version)
        maximum = form_settings(application.call).max_attachments
        if application.attachments.count() >= maximum:
            raise AttachmentRefused(_("This call accepts at most %(max)s attachments.") % {"max": maximum})
        name = (uploaded.name or "file").replace("/", "_").replace("\\", "_")[-255:]
        attachment = Attachment(
            application=application,
            name=name,
            kind=kind,
            size=uploaded.size,
            description=description[:200],
            uploaded_by=by,
        )
        attachment.file.save(name, uploaded, save=False)
        try:
            attachment.save()
            _finish(application, step="attachments", by=by)
        except Exception:
            # The row is rolled back: the stored file must not stay behind.
            attachment.file.storage.delete(attachment.file.name)
            raise
    return attachment


def attachment_remove(*, attachment: Attachment, by: User) -> None:
    """Delete the attachment and its stored file (after the transaction commits)."""
    with transaction.atomic():
        application = _lock_draft(attachment.application)
        storage, name = attachment.file.storage, attachment.file.name
        attachment.delete()
        _finish(application, step="attachments", by=by)
        transaction.on_commit(lambda: storage.delete(name))


def wizard_state_save(*, application: Application, data: dict, step: str | None) -> None:
    """Persist the wizard's state and the step the applicant is on."""
    WizardState.objects.update_or_create(application=application, defaults={"data": data})
    if step:
        Application.objects.filter(pk=application.pk).update(wizard_step=step)


def budget_years(application: Application) -> list[BudgetYear]:
    """The application's budget years in order (SQL written once per process: every submission reads
    them); none read when the application came with them (budget_years_hold)."""
    held = getattr(application, "_held_years", None)
    if held is not None:
        return list(held)
    with rows.cursor() as cursor:
        cursor.execute(_budget_years_sql(connection.vendor), [application.pk])
        return [rows.instance(BudgetYear, row) for row in cursor.fetchall()]


def budget_years_hold(application: Application, years: list[BudgetYear]) -> None:
    """`application` holds these as its budget years, read with it (forms.selectors.read_for_member
    with years=True): budget_years gives them without a query, until the years are written."""
    application._held_years = years


def _budget_years_written(application: Application) -> None:
    application.__dict__.pop("_held_years", None)


def _year_amounts(amounts: list[Decimal]) -> list[tuple]:
    """(year, amount as the database takes it) for each amount, year 1 first."""
    field = BudgetYear._meta.get_field("amount")
    return [(year, field.get_db_prep_save(amount, connection)) for year, amount in enumerate(amounts, 1)]


def _years_statements(amounts: list[Decimal]) -> tuple[tuple[str, list], ...]:
    """The budget years become `amounts` (year 1 first), as statements for config.rows.update(then=...)
    (PostgreSQL): they write the years of the row it writes, only if it writes it. Years kept are
    updated in place, years beyond the last one given are deleted."""
    statements = [(_years_gone_sql(connection.vendor, "(SELECT pk FROM written)"), [len(amounts)])]
    if amounts:
        values = [value for pair in _year_amounts(amounts) for value in pair]
        statements.append((_years_upsert_sql(connection.vendor, len(amounts), written=True), values))
    return tuple(statements)


def _replace_years(application: Application, amounts: list[Decimal]) -> None:
    """As _years_statements, in two statements of their own (SQLite: no data-modifying WITH)."""
    values = [value for pair in _year_amounts(amounts) for value in (application.pk, *pair)]
    with rows.cursor() as cursor:
        cursor.execute(_years_gone_sql(connection.vendor, "%s"), [application.pk, len(amounts)])
        if amounts:
            cursor.execute(_years_upsert_sql(connection.vendor, len(amounts)), values)


@cache
def _years_gone_sql(vendor: str, of: str) -> str:
    """DELETE the years beyond %s of the application `of` names (a placeholder or a subquery)."""
    column = rows.column
    return (
        f"DELETE FROM {rows.table(BudgetYear)} WHERE {column(BudgetYear, 'application')} = {of}"
        f" AND {column(BudgetYear, 'year')} > %s"
    )


@cache
def _years_upsert_sql(vendor: str, count: int, written: bool = False) -> str:
    """INSERT or update `count` years, (application, year, amount) each; with `written`, (year,
    amount) each, of the row config.rows.update writes."""
    application, year, amount = (rows.column(BudgetYear, name) for name in ("application", "year", "amount"))
    if written:
        values = ", ".join(["(%s, %s)"] * count)
        source = f"SELECT w.pk, v.y, v.a FROM written w CROSS JOIN (VALUES {values}) AS v(y, a)"
    else:
        source = "VALUES " + ", ".join(["(%s, %s, %s)"] * count)
    return (
        f"INSERT INTO {rows.table(BudgetYear)} ({application}, {year}, {amount}) {source}"
        f" ON CONFLICT ({application}, {year}) DO UPDATE SET {amount} = excluded.{amount}"
    )


@cache
def _budget_years_sql(vendor: str) -> str:
    return (
        f"SELECT {rows.columns(BudgetYear, 'y')} FROM {rows.table(BudgetYear)} y"
        f" WHERE y.{rows.column(BudgetYear, 'application')} = %s ORDER BY y.{rows.column(BudgetYear, 'year')}"
    )


def what_exists(application: Application) -> dict[str, bool]:
    """Which of the application's parts exist: indicators, partners, co-funding requests, ticked
    checklist items left unjustified, and required questions of its call (answered or not).

    One query, its SQL written once per process: the summary page and every submission ask it."""
    with rows.cursor() as cursor:
        cursor.execute(_what_exists_sql(connection.vendor), [application.pk] * 4 + [application.call_id])
        row = cursor.fetchone()
    return dict(zip(WHAT_EXISTS, (bool(value) for value in row), strict=True))


WHAT_EXISTS = ("indicators", "partners", "cofunding", "unjustified", "required_questions")


@cache
def _what_exists_sql(vendor: str) -> str:
    return "SELECT " + ", ".join(what_exists_columns("%s", "%s"))


def what_exists_columns(application: str, call: str) -> list[str]:
    """The SQL of what_exists's answers, in WHAT_EXISTS order, for the application and call that
    `application` and `call` name (placeholders, or columns of an enclosing query)."""
    table, column = rows.table, rows.column

    def exists(model, where: str) -> str:
        return f"EXISTS (SELECT 1 FROM {table(model)} WHERE {where})"

    def of_application(model) -> str:
        return f"{column(model, 'application')} = {application}"

    return [
        exists(Indicator, of_application(Indicator)),
        exists(Partner, of_application(Partner)),
        exists(CoFundingRequest, of_application(CoFundingRequest)),
        exists(
            ChecklistAnswer,
            f"{of_application(ChecklistAnswer)} AND {column(ChecklistAnswer, 'checked')}"
            f" AND {column(ChecklistAnswer, 'justification')} = ''",
        ),
        exists(CallQuestion, f"{column(CallQuestion, 'call')} = {call} AND {column(CallQuestion, 'required')}"),
    ]


def missing_items(application: Application, *, exists: dict[str, bool] | None = None) -> list[str]:
    """What still prevents submission, as codes the summary page explains (forms.selectors.MISSING).
    `exists` is what_exists(application) when the caller already has it."""
    missing = []
    if not application.title.strip():
        missing.append("title")
    if not application.summary.strip():
        missing.append("summary")
    years = budget_years(application)
    if not years or not any(y.amount > 0 for y in years):
        missing.append("budget")
    elif sum(y.amount for y in years) > application.call.max_amount:
        missing.append("budget_above_max")
    elif sum(y.amount for y in years) < application.call.min_amount:
        missing.append("budget_below_min")
    # The call's duration may have been shortened after the budget was written.
    if any(y.year > application.call.max_years and y.amount for y in years):
        missing.append("budget_years_above_max")
    has = exists if exists is not None else what_exists(application)
    if not has["indicators"]:
        missing.append("indicators")
    if application.concerted and not has["partners"] and form_settings(application.call).partners_enabled:
        missing.append("partners")
    if not application.sustainability_plan.strip():
        missing.append("sustainability")
    # The lists below are read only when there is something to list.
    if has["unjustified"]:
        for answer in application.checklist_answers.filter(checked=True, justification=""):
            missing.append(f"justification_{answer.item_id}")
    if has["required_questions"]:
        required = CallQuestion.objects.filter(call_id=application.call_id, required=True)
        answers = QuestionAnswer.objects.filter(application_id=application.pk, question_id=OuterRef("pk"))
        for question in required.annotate(answer=Subquery(answers.values("text")[:1])):
            if not (question.answer or "").strip():
                missing.append(f"question_{question.pk}")
    return missing


def call_form_configure(*, call: Call, **fields) -> CallFormSettings:
    """Set a call's form settings (fields of CallFormSettings); creates them the first time. Idempotent."""
    configured, _created = CallFormSettings.objects.update_or_create(call=call, defaults=fields)
    return configured


def call_question_ensure(*, call: Call, label: str, **fields) -> CallQuestion:
    """The call's question with this label, created with `fields` when missing (left as is otherwise)."""
    question, _created = CallQuestion.objects.get_or_create(call=call, label=label, defaults=fields)
    return question
