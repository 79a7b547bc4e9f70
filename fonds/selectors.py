"""Reads of funds and calls for the public pages."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Call, ChecklistItem, Criterion, EligibilityRule

CARD_PREFETCH = ("themes", "populations", "regions", "mrcs")


def _calls() -> QuerySet[Call]:
    return Call.objects.select_related("fund__funder")


def calls_open(*, at: datetime | None = None) -> QuerySet[Call]:
    """Calls accepting submissions at `at` (now by default), nearest deadline first."""
    at = at or timezone.now()
    return _calls().filter(opens_at__lte=at, closes_at__gt=at).order_by("closes_at", "pk")


def calls_upcoming(*, at: datetime | None = None) -> QuerySet[Call]:
    """Published calls that open later, soonest first."""
    at = at or timezone.now()
    return _calls().filter(opens_at__gt=at).order_by("opens_at", "pk")


def calls_closed(*, at: datetime | None = None, limit: int = 20) -> QuerySet[Call]:
    """The most recently closed calls."""
    at = at or timezone.now()
    return _calls().filter(closes_at__lte=at).order_by("-closes_at", "-pk")[:limit]


def _all_quebec() -> Q:
    return ~Exists(Call.regions.through.objects.filter(call=OuterRef("pk"))) & ~Exists(
        Call.mrcs.through.objects.filter(call=OuterRef("pk"))
    )


def calls_filter(
    calls: QuerySet[Call],
    *,
    region: str | None = None,
    mrc: tuple[str, str] | None = None,
    theme: str | None = None,
    population: str | None = None,
    amount: Decimal | None = None,
    years: int | None = None,
    deadline_before: date | None = None,
) -> QuerySet[Call]:
    """Narrow `calls` to those matching every filter given (None: no filter).

    - region (code): calls serving that region, one of its MRC, or all of Québec;
    - mrc ((code, region code)): calls serving that MRC, its whole region, or all of Québec;
    - theme (code): calls tagged with it;
    - population (code): calls targeting it, or open to every population;
    - amount: min_amount ≤ amount ≤ max_amount;
    - years: calls funding projects at least that long;
    - deadline_before: calls closing on that day (Montréal time) or earlier.
    Uses EXISTS subqueries: no duplicate rows, no extra query per call.
    """
    if region:
        calls = calls.filter(
            Exists(Call.regions.through.objects.filter(call=OuterRef("pk"), region__code=region))
            | Exists(Call.mrcs.through.objects.filter(call=OuterRef("pk"), mrc__region__code=region))
            | _all_quebec()
        )
    if mrc:
        code, region_code = mrc
        calls = calls.filter(
            Exists(Call.mrcs.through.objects.filter(call=OuterRef("pk"), mrc__code=code))
            | Exists(Call.regions.through.objects.filter(call=OuterRef("pk"), region__code=region_code))
            | _all_quebec()
        )
    if theme:
        calls = calls.filter(Exists(Call.themes.through.objects.filter(call=OuterRef("pk"), theme__code=theme)))
    if population:
        through = Call.populations.through.objects
        calls = calls.filter(
            Exists(through.filter(call=OuterRef("pk"), population__code=population))
            | ~Exists(through.filter(call=OuterRef("pk")))
        )
    if amount is not None:
        calls = calls.filter(min_amount__lte=amount, max_amount__gte=amount)
    if years is not None:
        calls = calls.filter(max_years__gte=years)
    # Every call closes on or before the last day a date can hold: nothing to filter then.
    if deadline_before is not None and deadline_before < date.max:
        end = timezone.make_aware(datetime.combine(deadline_before + timedelta(days=1), time.min))
        calls = calls.filter(closes_at__lte=end)
    return calls


def with_cards(calls: QuerySet[Call]) -> QuerySet[Call]:
    """Prefetch what a catalogue card shows (themes, populations, territory): a fixed number of queries."""
    return calls.prefetch_related(*CARD_PREFETCH)


def calls_for_orientation(*, at: datetime | None = None) -> QuerySet[Call]:
    """Open calls with everything eligibility needs, prefetched (fixed number of queries)."""
    return with_cards(calls_open(at=at)).prefetch_related(
        Prefetch("eligibility_rules", queryset=EligibilityRule.objects.order_by("position", "pk"))
    )


def call_public_get(*, pk: int) -> Call:
    """A call with its fund, funder, criteria, checklists, territory, vocabularies and rules, or Http404."""
    criteria = Criterion.objects.order_by("position", "pk").prefetch_related(
        Prefetch("checklist", queryset=ChecklistItem.objects.order_by("position", "pk"))
    )
    calls = with_cards(_calls()).prefetch_related(
        Prefetch("criteria", queryset=criteria),
        Prefetch("eligibility_rules", queryset=EligibilityRule.objects.order_by("position", "pk")),
    )
    return get_object_or_404(calls, pk=pk)
