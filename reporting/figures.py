"""The figures of accountability: a fund-year, the funder dashboard and one project.

A fund-year is a calendar year of a fund: it holds the funded years (AgreementYear)
that start in it. "Committed" is the approved amount of those funded years;
"disbursed" is what the fund's tranches released during that calendar year.
Indicators are aggregated by kind, the kind being the indicator's unit (trimmed,
case-folded: "Familles" and "familles " are one kind), since units are what make
values addable.

Every function runs a fixed number of queries, whatever the number of projects.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from forms.models import Application, Indicator

from .indicators import is_off_target, targets_of, yearly_target
from .models import AgreementYear, IndicatorResult, PaymentTranche, Report

ZERO = Decimal("0")


@dataclass
class IndicatorRow:
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    actual: Decimal | None = None
    off_target: bool = False
    comment: str = ""


@dataclass
class ProjectRow:
    pk: int
    agreement_id: int
    title: str
    organisation: str
    mrc: str
    region: str
    call: str
    year: int  # the funded year (1, 2...) that falls in the fund-year
    years: int
    committed: Decimal
    disbursed: Decimal = ZERO
    report_status: str = ""  # "", or a Report.Status value
    report_due_on: object = None
    indicators: list[IndicatorRow] = field(default_factory=list)


@dataclass
class KindRow:
    unit: str
    indicators: int = 0
    target: Decimal = ZERO
    actual: Decimal = ZERO
    reported: int = 0
    on_target: int = 0

    @property
    def reached(self) -> Decimal | None:
        return (self.actual / self.target * 100).quantize(Decimal("1")) if self.target and self.reported else None


@dataclass
class TerritoryRow:
    region: str
    mrc: str
    projects: int = 0
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO


@dataclass
class Figures:
    projects: list[ProjectRow]
    committed: Decimal
    disbursed: Decimal
    reports_received: int
    reports_approved: int
    by_territory: list[TerritoryRow]
    by_kind: list[KindRow]


def kind_of(unit: str) -> str:
    return " ".join(unit.split()).casefold()


def figures(*, funds, year: int | None = None, call=None) -> Figures:
    """The figures of the funded years of `funds` starting in `year` (every year when None), optionally one call."""
    scope = Q(agreement__application__call__fund__in=funds)
    if call is not None:
        scope &= Q(agreement__application__call=call)
    if year is not None:
        scope &= Q(starts_on__year=year)
    funded_years = list(
        AgreementYear.objects.filter(scope)
        .select_related("agreement__application__organisation__mrc__region", "agreement__application__call")
        .order_by("agreement__application__organisation__name", "agreement__application__title", "agreement_id", "year")
    )
    agreements = {fy.agreement_id for fy in funded_years}
    years_count = dict(
        AgreementYear.objects.filter(agreement_id__in=agreements)
        .values("agreement_id")
        .annotate(n=Count("pk"))
        .values_list("agreement_id", "n")
    )
    tranche_scope = Q(agreement_id__in=agreements, released_at__isnull=False)
    if year is not None:
        tranche_scope &= Q(released_at__year=year)
    disbursed = defaultdict(lambda: ZERO)
    for agreement_id, amount in PaymentTranche.objects.filter(tranche_scope).values_list("agreement_id", "amount"):
        disbursed[agreement_id] += amount
    reports = {
        (r.agreement_id, r.year): r
        for r in Report.objects.filter(agreement_id__in=agreements).only("agreement_id", "year", "status")
    }
    projects = _project_rows(funded_years, years_count, disbursed, reports, per_year=year is not None)
    _attach_indicators(projects, funded_years, reports)
    return Figures(
        projects=projects,
        committed=sum((p.committed for p in projects), ZERO),
        disbursed=sum(disbursed.values(), ZERO),
        reports_received=sum(1 for p in projects if p.report_status),
        reports_approved=sum(1 for p in projects if p.report_status == Report.Status.APPROVED),
        by_territory=_by_territory(projects),
        by_kind=_by_kind(projects),
    )


def _project_rows(funded_years, years_count, disbursed, reports, *, per_year: bool) -> list[ProjectRow]:
    rows: dict[int, ProjectRow] = {}
    for fy in funded_years:
        application = fy.agreement.application
        row = rows.get(fy.agreement_id)
        report = reports.get((fy.agreement_id, fy.year))
        if row is None:
            organisation = application.organisation
            rows[fy.agreement_id] = row = ProjectRow(
                pk=application.pk,
                agreement_id=fy.agreement_id,
                title=application.title,
                organisation=organisation.name,
                mrc=organisation.mrc.name,
                region=organisation.mrc.region.name,
                call=application.call.title,
                year=fy.year,
                years=years_count.get(fy.agreement_id, 0),
                committed=ZERO,
                disbursed=disbursed.get(fy.agreement_id, ZERO),
            )
        row.committed += fy.amount
        # Whole-fund view: the latest funded year with a report says where the project stands.
        if report is not None or not row.report_status:
            row.year = fy.year
            row.report_status = report.status if report else ""
            row.report_due_on = fy.report_due_on
    return list(rows.values())


def _attach_indicators(projects: list[ProjectRow], funded_years, reports) -> None:
    by_application = {p.pk: p for p in projects}

    indicators = list(Indicator.objects.filter(application_id__in=by_application).order_by("position", "pk"))
    targets = targets_of(indicators)
    report_pks = [reports[(p.agreement_id, p.year)].pk for p in projects if (p.agreement_id, p.year) in reports]
    results = {
        r.indicator_id: r
        for r in IndicatorResult.objects.filter(report_id__in=report_pks).only(
            "indicator_id", "actual", "off_target", "comment", "target"
        )
    }
    for indicator in indicators:
        project = by_application[indicator.application_id]
        result = results.get(indicator.pk)
        target = result.target if result and result.target is not None else None
        target = target if target is not None else yearly_target(indicator, project.year, targets)
        project.indicators.append(
            IndicatorRow(
                name=indicator.name,
                unit=indicator.unit,
                baseline=indicator.baseline,
                target=target,
                actual=result.actual if result else None,
                off_target=is_off_target(actual=result.actual, target=target, baseline=indicator.baseline)
                if result
                else False,
                comment=result.comment if result else "",
            )
        )


def _by_territory(projects: list[ProjectRow]) -> list[TerritoryRow]:
    rows: dict[tuple[str, str], TerritoryRow] = {}
    for p in projects:
        row = rows.setdefault((p.region, p.mrc), TerritoryRow(region=p.region, mrc=p.mrc))
        row.projects += 1
        row.committed += p.committed
        row.disbursed += p.disbursed
    return [rows[k] for k in sorted(rows)]


def _by_kind(projects: list[ProjectRow]) -> list[KindRow]:
    rows: dict[str, KindRow] = {}
    for p in projects:
        for i in p.indicators:
            row = rows.setdefault(kind_of(i.unit), KindRow(unit=kind_of(i.unit)))
            row.indicators += 1
            if i.actual is not None:
                row.target += i.target
                row.actual += i.actual
                row.reported += 1
                row.on_target += not i.off_target
    return sorted(rows.values(), key=lambda r: (-r.indicators, r.unit))


def fund_years(*, funds) -> list[dict]:
    """Committed and disbursed per fund and calendar year: [{fund, year, committed, disbursed}], by fund then year."""
    committed = (
        AgreementYear.objects.filter(agreement__application__call__fund__in=funds)
        .annotate(y=ExtractYear("starts_on"))
        .values("agreement__application__call__fund_id", "y")
        .annotate(total=Sum("amount"))
    )
    tz = timezone.get_current_timezone()
    disbursed = (
        PaymentTranche.objects.filter(agreement__application__call__fund__in=funds, released_at__isnull=False)
        .annotate(y=ExtractYear("released_at", tzinfo=tz))
        .values("agreement__application__call__fund_id", "y")
        .annotate(total=Sum("amount"))
    )
    table: dict[tuple[int, int], dict] = {}
    for row in committed:
        key = (row["agreement__application__call__fund_id"], row["y"])
        table.setdefault(key, {"committed": ZERO, "disbursed": ZERO})["committed"] = row["total"]
    for row in disbursed:
        key = (row["agreement__application__call__fund_id"], row["y"])
        table.setdefault(key, {"committed": ZERO, "disbursed": ZERO})["disbursed"] = row["total"]
    names = {f.pk: f for f in funds}
    return [
        {"fund": names[fund_id], "year": year, **values}
        for (fund_id, year), values in sorted(table.items(), key=lambda kv: (names[kv[0][0]].name, kv[0][1]))
        if fund_id in names
    ]


def available_years(*, funds) -> list[int]:
    """Calendar years in which a funded year of `funds` starts, newest first."""
    years = (
        AgreementYear.objects.filter(agreement__application__call__fund__in=funds)
        .annotate(y=ExtractYear("starts_on"))
        .values_list("y", flat=True)
        .distinct()
    )
    return sorted({y for y in years if y}, reverse=True)


def funded_applications(*, funds):
    return Application.objects.filter(call__fund__in=funds, agreement__isnull=False)
