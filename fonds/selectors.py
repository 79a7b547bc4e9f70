"""Reads of funds and calls for the public pages."""

from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Call, ChecklistItem, Criterion


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


def call_public_get(*, pk: int) -> Call:
    """A call with its fund, funder, criteria and checklists, or Http404. Every call is public."""
    criteria = Criterion.objects.order_by("position", "pk").prefetch_related(
        Prefetch("checklist", queryset=ChecklistItem.objects.order_by("position", "pk"))
    )
    return get_object_or_404(_calls().prefetch_related(Prefetch("criteria", queryset=criteria)), pk=pk)
