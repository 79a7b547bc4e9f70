"""Reads of the review side: weighted scores, the ranking, an advisor's drafts.

Weighted average of one reviewer = Σ(weight × score) / Σ(weight), on the 0–5 scale.
An application's total = the mean of its reviewers' weighted averages.
Only submitted assignments count.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, QuerySet

from fonds.models import Call
from forms.models import Application

from .models import ReviewerAssignment, Score, SupportRequest


@dataclass
class ReviewerTotal:
    assignment: ReviewerAssignment
    scores: list[Score] = field(default_factory=list)

    @property
    def reviewer(self):
        return self.assignment.reviewer

    @property
    def weighted_average(self) -> Decimal | None:
        return weighted_average((s.criterion.weight, s.value) for s in self.scores)


@dataclass
class RankingRow:
    application: Application
    reviewers: list[ReviewerTotal]
    assigned: int

    @property
    def submitted(self) -> int:
        return len(self.reviewers)

    @property
    def total(self) -> Decimal | None:
        return mean([r.weighted_average for r in self.reviewers])

    @property
    def comments(self) -> list[tuple]:
        """(reviewer, criterion, comment) of every non-empty reviewer comment."""
        return [(r.reviewer, s.criterion, s.comment) for r in self.reviewers for s in r.scores if s.comment]


def weighted_average(pairs) -> Decimal | None:
    """Σ(weight × score) / Σ(weight) over (weight, score) pairs; None when the weights sum to zero."""
    weighted = Decimal("0")
    weights = Decimal("0")
    for weight, value in pairs:
        weighted += Decimal(weight) * value
        weights += Decimal(weight)
    return weighted / weights if weights else None


def mean(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return sum(values, Decimal("0")) / len(values) if values else None


def _submitted_scores(**filters) -> QuerySet[Score]:
    return (
        Score.objects.filter(assignment__submitted_at__isnull=False, **filters)
        .select_related("criterion", "assignment__reviewer")
        .order_by("assignment__application_id", "assignment_id", "criterion__position", "criterion_id")
    )


def _group(scores) -> dict[int, list[ReviewerTotal]]:
    """{application_pk: [ReviewerTotal, ...]} from scores ordered by application and assignment."""
    by_assignment: dict[int, ReviewerTotal] = {}
    by_application: dict[int, list[ReviewerTotal]] = defaultdict(list)
    for score in scores:
        total = by_assignment.get(score.assignment_id)
        if total is None:
            total = by_assignment[score.assignment_id] = ReviewerTotal(assignment=score.assignment)
            by_application[score.assignment.application_id].append(total)
        total.scores.append(score)
    return by_application


def application_scores(*, application: Application) -> RankingRow:
    """The weighted average of each reviewer who submitted, and the application's total."""
    grouped = _group(_submitted_scores(assignment__application=application))
    return RankingRow(
        application=application,
        reviewers=grouped.get(application.pk, []),
        assigned=application.reviewer_assignments.count(),
    )


def weighted_totals(*, call: Call) -> list[RankingRow]:
    """Every application of the call with at least one submitted score, best total first. Two queries."""
    grouped = _group(_submitted_scores(assignment__application__call=call))
    applications = (
        Application.objects.filter(pk__in=list(grouped))
        .select_related("organisation")
        .annotate(assigned_count=Count("reviewer_assignments"))
    )
    rows = [RankingRow(application=a, reviewers=grouped[a.pk], assigned=a.assigned_count) for a in applications]
    rows.sort(key=lambda row: (row.total is None, -(row.total or 0), row.application.pk))
    return rows


def open_support_requests(*, advisor) -> QuerySet[SupportRequest]:
    """The drafts an advisor currently supports, nearest call deadline first."""
    return (
        SupportRequest.objects.filter(advisor=advisor, closed_at__isnull=True)
        .select_related("application__organisation", "application__call", "requested_by")
        .order_by("application__call__closes_at", "created_at", "pk")
    )
