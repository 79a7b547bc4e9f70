"""Reads behind the funder dashboard and the accountability PDF."""

from decimal import Decimal

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from fonds.models import Fund
from forms.models import Application, Indicator

from .models import AccountabilityExport, AgreementYear, IndicatorResult, Report

RECENT_EXPORTS = 5

_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _sum_of_years(**filters) -> Coalesce:
    """Total approved amount of the agreements matching `filters` (an OuterRef lookup)."""
    total = (
        AgreementYear.objects.filter(**filters)
        .order_by()
        .values(*filters)
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=_MONEY), Value(Decimal("0")), output_field=_MONEY)


def _count_of(queryset: QuerySet, *, group_by: str) -> Coalesce:
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def funded_projects(*, fund: Fund) -> list[Application]:
    """Every application of `fund` that has an agreement, with what the PDF shows.

    Each application carries `committed` (sum of its funded years), `reports_filed`,
    `agreement.years` (prefetched) and `indicators` (prefetched, each with
    `latest_actual`: the value of the most recent report, or None).
    """
    latest_actual = (
        IndicatorResult.objects.filter(indicator=OuterRef("pk")).order_by("-report__year").values("actual")[:1]
    )
    indicators = Indicator.objects.annotate(latest_actual=Subquery(latest_actual, output_field=_MONEY))
    return list(
        Application.objects.filter(call__fund=fund, agreement__isnull=False)
        .select_related("organisation__mrc", "agreement", "call")
        .prefetch_related("agreement__years", Prefetch("indicators", queryset=indicators))
        .annotate(
            committed=_sum_of_years(agreement__application=OuterRef("pk")),
            reports_filed=_count_of(Report.objects.filter(agreement__application=OuterRef("pk")), group_by="agreement"),
        )
        .order_by("organisation__name", "title", "pk")
    )


def fund_totals(*, fund: Fund) -> dict:
    """Projects funded, total committed and reports received for `fund`."""
    agreements = Application.objects.filter(call__fund=fund, agreement__isnull=False)
    committed = AgreementYear.objects.filter(agreement__application__call__fund=fund).aggregate(total=Sum("amount"))
    return {
        "projects": agreements.count(),
        "committed": committed["total"] or Decimal("0"),
        "reports": Report.objects.filter(agreement__application__call__fund=fund).count(),
    }


def dashboard_funds(*, user: User) -> list[Fund]:
    """The funds of the funders `user` is staff of, with their figures and recent exports.

    Each fund carries `funded_projects`, `committed`, `reports_received` and
    `recent_exports` (the latest few, newest first). Constant number of queries.
    """
    applications = Application.objects.filter(call__fund=OuterRef("pk"), agreement__isnull=False)
    recent = AccountabilityExport.objects.order_by("-created_at", "-pk")[:RECENT_EXPORTS]
    return list(
        Fund.objects.filter(funder__staff=user)
        .select_related("funder")
        .annotate(
            funded_projects=_count_of(applications, group_by="call__fund"),
            committed=_sum_of_years(agreement__application__call__fund=OuterRef("pk")),
            reports_received=_count_of(
                Report.objects.filter(agreement__application__call__fund=OuterRef("pk")),
                group_by="agreement__application__call__fund",
            ),
        )
        .prefetch_related(Prefetch("exports", queryset=recent, to_attr="recent_exports"))
        .order_by("funder__name", "name")
    )
