"""Writes on applications while they are drafts."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from fonds.models import Call, ChecklistItem

from .models import Application, BudgetYear, ChecklistAnswer, Indicator, Partner, WizardState


class DraftLocked(Exception):
    """The application is no longer a draft."""


def application_create(*, organisation: Organisation, call: Call, by: User) -> Application:
    """Create a draft and start its lifecycle process (the applicant's draft task)."""
    from workflow.engine import process_start

    with transaction.atomic():
        application = Application.objects.create(organisation=organisation, call=call, created_by=by)
        process_start(application=application)
    return application


def _lock_draft(application: Application) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status != Application.Status.DRAFT:
        raise DraftLocked(application)
    return application


def application_save_project(*, application: Application, title: str, summary: str, concerted: bool) -> Application:
    with transaction.atomic():
        application = _lock_draft(application)
        application.title = title
        application.summary = summary
        application.concerted = concerted
        application.updated_at = timezone.now()
        application.save(update_fields=["title", "summary", "concerted", "updated_at"])
    return application


def application_save_budget(*, application: Application, amounts: list[Decimal]) -> Application:
    """Replace the amount asked per year (year 1 first)."""
    with transaction.atomic():
        application = _lock_draft(application)
        application.years.all().delete()
        BudgetYear.objects.bulk_create(
            BudgetYear(application=application, year=i, amount=amount) for i, amount in enumerate(amounts, 1)
        )
        application.updated_at = timezone.now()
        application.save(update_fields=["updated_at"])
    return application


def application_save_partners(*, application: Application, partners: list[dict], indicators: list[dict]) -> Application:
    """Replace partners ({name, role}) and indicators ({name, unit, baseline, target})."""
    with transaction.atomic():
        application = _lock_draft(application)
        application.partners.all().delete()
        Partner.objects.bulk_create(
            Partner(application=application, position=i, name=p["name"], role=p["role"]) for i, p in enumerate(partners)
        )
        existing = {ind.name: ind for ind in application.indicators.all()}
        keep = []
        for i, spec in enumerate(indicators):
            indicator = existing.get(spec["name"]) or Indicator(application=application, name=spec["name"])
            indicator.unit = spec["unit"]
            indicator.baseline = spec.get("baseline") or Decimal("0")
            indicator.target = spec["target"]
            indicator.position = i
            indicator.save()
            keep.append(indicator.pk)
        application.indicators.exclude(pk__in=keep).delete()
        application.updated_at = timezone.now()
        application.save(update_fields=["updated_at"])
    return application


def application_save_sustainability(
    *, application: Application, sustainability_plan: str, answers: dict[int, tuple[bool, str]]
) -> Application:
    """Save the pérennité plan and the checklist answers ({item_pk: (checked, justification)})."""
    with transaction.atomic():
        application = _lock_draft(application)
        application.sustainability_plan = sustainability_plan
        application.updated_at = timezone.now()
        application.save(update_fields=["sustainability_plan", "updated_at"])
        items = ChecklistItem.objects.filter(criterion__call=application.call, pk__in=answers.keys())
        for item in items:
            checked, justification = answers[item.pk]
            ChecklistAnswer.objects.update_or_create(
                application=application, item=item, defaults={"checked": checked, "justification": justification}
            )
    return application


def wizard_state_save(*, application: Application, data: dict, step: str | None) -> None:
    """Persist the wizard's state and the step the applicant is on."""
    WizardState.objects.update_or_create(application=application, defaults={"data": data})
    if step:
        Application.objects.filter(pk=application.pk).update(wizard_step=step)


def missing_items(application: Application) -> list[str]:
    """What still prevents submission, as codes the summary page explains."""
    missing = []
    if not application.title.strip():
        missing.append("title")
    if not application.summary.strip():
        missing.append("summary")
    years = list(application.years.all())
    if not years or not any(y.amount > 0 for y in years):
        missing.append("budget")
    elif sum(y.amount for y in years) > application.call.max_amount:
        missing.append("budget_above_max")
    elif sum(y.amount for y in years) < application.call.min_amount:
        missing.append("budget_below_min")
    if not application.indicators.exists():
        missing.append("indicators")
    if application.concerted and not application.partners.exists():
        missing.append("partners")
    if not application.sustainability_plan.strip():
        missing.append("sustainability")
    return missing
