"""Reads behind a funded project's follow-up page and its accountability PDF."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from fonds.templatetags.guichet import format_money
from forms.models import Application

from .charts import bar_chart
from .indicators import is_off_target, targets_of, yearly_target
from .models import Agreement, Report, ReportReview, TargetChange


@dataclass
class IndicatorYear:
    year: int
    target: Decimal
    actual: Decimal | None
    off_target: bool
    comment: str


@dataclass
class IndicatorTrack:
    indicator: object
    years: list[IndicatorYear] = field(default_factory=list)
    chart: str = ""


def _number(value) -> str:
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
    return text or "0"


def project_overview(*, application: Application) -> dict:
    """Agreement, funded years with their report, tranches, indicators year by year, target changes, charts."""
    agreement = (
        Agreement.objects.select_related("application__organisation__mrc__region", "application__call__fund__funder")
        .prefetch_related(
            "years",
            "tranches",
            Prefetch(
                "reports",
                queryset=Report.objects.select_related("submitted_by", "source__agreement__application__call__fund")
                .prefetch_related(
                    "results__indicator",
                    "spending",
                    "attachments",
                    Prefetch("reviews", queryset=ReportReview.objects.select_related("by")),
                )
                .order_by("year"),
            ),
        )
        .get(application=application)
    )
    years = list(agreement.years.all())
    reports = {r.year: r for r in agreement.reports.all()}
    indicators = list(application.indicators.all())
    targets = targets_of(indicators)
    results = {(res.indicator_id, r.year): res for r in reports.values() for res in r.results.all()}
    tracks = []
    for indicator in indicators:
        track = IndicatorTrack(indicator=indicator)
        for funded in years:
            result = results.get((indicator.pk, funded.year))
            target = result.target if result and result.target is not None else None
            target = target if target is not None else yearly_target(indicator, funded.year, targets)
            actual = result.actual if result else None
            track.years.append(
                IndicatorYear(
                    year=funded.year,
                    target=target,
                    actual=actual,
                    off_target=actual is not None
                    and is_off_target(actual=actual, target=target, baseline=indicator.baseline),
                    comment=result.comment if result else "",
                )
            )
        track.chart = bar_chart(
            title=_("%(indicator)s: target and actual value per year") % {"indicator": indicator.name},
            description=_("In %(unit)s. The table next to the chart gives the same values.") % {"unit": indicator.unit},
            categories=[_("Year %(year)d") % {"year": y.year} for y in track.years],
            series=[(_("Target"), [y.target for y in track.years]), (_("Actual"), [y.actual for y in track.years])],
            formatter=_number,
        )
        tracks.append(track)
    spending_chart = bar_chart(
        title=_("Spending against plan per year"),
        description=_("Planned and spent amounts of each funded year, in dollars."),
        categories=[_("Year %(year)d") % {"year": y.year} for y in years],
        series=[
            (_("Planned"), [_planned(reports.get(y.year), y.amount) for y in years]),
            (_("Spent"), [_spent(reports.get(y.year)) for y in years]),
        ],
        formatter=format_money,
    )
    changes = list(
        TargetChange.objects.filter(indicator__application=application)
        .select_related("indicator", "requested_by", "decided_by")
        .order_by("-requested_at", "-pk")
    )
    return {
        "agreement": agreement,
        "years": [(y, reports.get(y.year)) for y in years],
        "tranches": list(agreement.tranches.all()),
        "reports": list(reports.values()),
        "tracks": tracks,
        "spending_chart": spending_chart,
        "changes": changes,
        "disbursed": sum((t.amount for t in agreement.tranches.all() if t.released_at), Decimal("0")),
    }


def _planned(report, amount):
    if report is None:
        return amount
    return sum((s.planned for s in report.spending.all()), Decimal("0"))


def _spent(report):
    if report is None:
        return None
    known = [s.spent for s in report.spending.all() if s.spent is not None]
    return sum(known, Decimal("0")) if known else None
