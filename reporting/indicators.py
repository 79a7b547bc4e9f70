"""Yearly targets and the "off target" rule, shared by the report form, the services and the exports.

Off target (what makes a comment required in a report): the actual value falls
short of the year's target by more than TOLERANCE (10 %) of the change planned
from the baseline. "Short" means below the target for an indicator meant to rise
(target ≥ baseline) and above it for one meant to fall (target < baseline). With
no change planned (target = baseline) any shortfall is off target.

The year's target is the indicator's forms.IndicatorTarget for that year when
there is one, otherwise the end-of-project target (Indicator.target).
"""

from decimal import Decimal

from forms.models import Indicator, IndicatorTarget

TOLERANCE = Decimal("0.10")


def yearly_target(indicator: Indicator, year: int, targets: dict[tuple[int, int], Decimal] | None = None) -> Decimal:
    """The target of `indicator` for funded year `year` (`targets` from `targets_of`, to spare a query)."""
    if targets is None:
        row = IndicatorTarget.objects.filter(indicator=indicator, year=year).first()
        return row.value if row else indicator.target
    return targets.get((indicator.pk, year), indicator.target)


def targets_of(indicators) -> dict[tuple[int, int], Decimal]:
    """{(indicator pk, year): value} of every yearly target of `indicators`, in one query."""
    rows = IndicatorTarget.objects.filter(indicator__in=list(indicators)).values_list("indicator_id", "year", "value")
    return {(pk, year): value for pk, year, value in rows}


def is_off_target(*, actual: Decimal, target: Decimal, baseline: Decimal) -> bool:
    """True when `actual` misses `target` by more than the tolerance (see the module's docstring)."""
    margin = abs(target - baseline) * TOLERANCE
    if target >= baseline:
        return actual < target - margin
    return actual > target + margin


def progress_ratio(*, actual: Decimal | None, target: Decimal, baseline: Decimal) -> Decimal | None:
    """How far from baseline to target `actual` went (1 = target reached); None without a value or a change."""
    if actual is None or target == baseline:
        return None
    return (actual - baseline) / (target - baseline)
