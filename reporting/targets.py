"""Changing an indicator's target in mid-project: the organisation asks, a manager of the fund decides.

Every request is kept (TargetChange rows are the history). An approved request
writes the year's forms.IndicatorTarget, which later reports compare against;
reports already filed keep the target they were filed against.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from forms.models import Application, Indicator, IndicatorTarget
from workflow.notifications import notify
from workflow.services import managers_of, members_of

from .indicators import yearly_target
from .models import Report, TargetChange
from .permissions import can_decide_target_change, can_request_target_change


class TargetChangeRefused(ValueError):
    """The change cannot be asked: `code` is "year" (not an open year), "same" or "pending"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def open_years(application: Application) -> list[int]:
    """Funded years whose targets may still change: those without an approved report."""
    agreement = getattr(application, "agreement", None)
    if agreement is None:
        return []
    approved = set(agreement.reports.filter(status=Report.Status.APPROVED).values_list("year", flat=True))
    return [y.year for y in agreement.years.all() if y.year not in approved]


def target_change_request(
    *, indicator: Indicator, year: int, proposed_value: Decimal, justification: str, by: User
) -> TargetChange:
    """Ask to change `indicator`'s target for funded `year`; the fund's managers are told.

    Raises PermissionDenied (not a member, project not followed up), TargetChangeRefused.
    """
    application = indicator.application
    if not can_request_target_change(by, application):
        raise PermissionDenied
    if year not in open_years(application):
        raise TargetChangeRefused("year")
    current = yearly_target(indicator, year)
    if proposed_value == current:
        raise TargetChangeRefused("same")
    try:
        with transaction.atomic():
            change = TargetChange.objects.create(
                indicator=indicator,
                year=year,
                previous_value=current,
                proposed_value=proposed_value,
                justification=justification.strip(),
                requested_by=by,
            )
            notify(kind="target_change_requested", recipients=managers_of(application), application=application)
    except IntegrityError:
        raise TargetChangeRefused("pending") from None
    return change


def target_change_decide(*, change: TargetChange, by: User, approve: bool, comment: str = "") -> TargetChange:
    """Approve (writes the year's IndicatorTarget) or refuse (a comment is required) a pending request.

    Raises PermissionDenied (not a manager of the fund, or already decided), ValueError (refusal without comment).
    """
    application = change.indicator.application
    if not can_decide_target_change(by, application):
        raise PermissionDenied
    comment = comment.strip()
    if not approve and not comment:
        raise ValueError("a refusal needs a comment")
    with transaction.atomic():
        change = TargetChange.objects.select_for_update().get(pk=change.pk)
        if change.status != TargetChange.Status.PENDING:
            raise PermissionDenied("already decided")
        change.status = TargetChange.Status.APPROVED if approve else TargetChange.Status.REFUSED
        change.decided_by = by
        change.decided_at = timezone.now()
        change.decision_comment = comment
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        if approve:
            IndicatorTarget.objects.update_or_create(
                indicator=change.indicator, year=change.year, defaults={"value": change.proposed_value}
            )
        notify(kind="target_change_decided", recipients=members_of(application), application=application)
    return change
