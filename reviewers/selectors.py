"""Reads of the review side: an application's scores, the call's ranking, an advisor's drafts.

The arithmetic lives in reviewers/ranking.py (pure functions); this module feeds it from
the database in a fixed number of queries, whatever the number of applications.
Only submitted assignments count.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from accounts.models import User
from fonds.models import Call
from forms.models import Application, BudgetYear

from .models import CommitteeSettings, Conflict, ReviewerAssignment, Score, SupportRequest
from .ranking import mean, simulate_envelope, spread, weighted_total, z_scores

# Kept for callers of the first version.
weighted_average = weighted_total


def committee_settings(call: Call) -> CommitteeSettings:
    """The call's review settings (unsaved defaults when none were set)."""
    return CommitteeSettings.objects.filter(call=call).select_related("chair").first() or CommitteeSettings(call=call)


@dataclass
class ReviewerTotal:
    assignment: ReviewerAssignment
    scores: list[Score] = field(default_factory=list)

    @property
    def reviewer(self):
        return self.assignment.reviewer

    @property
    def weighted_average(self) -> Decimal | None:
        return weighted_total((s.criterion.weight, s.value) for s in self.scores)


@dataclass
class ApplicationScores:
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


RankingRow = ApplicationScores  # the name used by the first version


def application_scores(*, application: Application) -> ApplicationScores:
    """The weighted total of each reviewer who submitted, and the application's mean."""
    scores = (
        Score.objects.filter(assignment__application=application, assignment__submitted_at__isnull=False)
        .select_related("criterion", "assignment__reviewer")
        .order_by("assignment_id", "criterion__position", "criterion_id")
    )
    by_assignment: dict[int, ReviewerTotal] = {}
    for score in scores:
        by_assignment.setdefault(score.assignment_id, ReviewerTotal(assignment=score.assignment)).scores.append(score)
    return ApplicationScores(
        application=application,
        reviewers=list(by_assignment.values()),
        assigned=application.reviewer_assignments.count(),
    )


@dataclass
class ReviewerCell:
    reviewer_id: int
    name: str
    total: Decimal | None
    z: float | None


@dataclass
class Row:
    """One application of the ranking, as plain values (the page lists thousands of them)."""

    pk: int
    title: str
    organisation: str
    reviewers: list[ReviewerCell]
    assigned: int
    total: Decimal | None
    z: float | None
    spread: Decimal | None
    disagreement: bool
    requested: Decimal
    simulated: Decimal | None = None
    funded: bool = False
    remaining_after: Decimal = Decimal("0")
    rank: int = 0

    @property
    def submitted(self) -> int:
        return len(self.reviewers)

    @property
    def amount(self) -> Decimal:
        return self.simulated if self.simulated is not None else self.requested


@dataclass
class Ranking:
    call: Call
    settings: CommitteeSettings
    rows: list[Row]
    envelope: Decimal
    funded_total: Decimal
    remaining: Decimal


def _reviewer_totals(call: Call) -> tuple[dict, dict]:
    """({(reviewer, application): T}, {application: [reviewer, ...]}): one aggregate query.

    T = Σ(weight × score) / Σ(weight) over the criteria of the call, per submitted assignment.
    """
    weighted = (
        Score.objects.filter(criterion__call=call, assignment__submitted_at__isnull=False, value__isnull=False)
        .values("assignment__application_id", "assignment__reviewer_id", "assignment_id")
        .annotate(num=Sum(F("value") * F("criterion__weight")), den=Sum("criterion__weight"))
        .order_by("assignment__application_id", "assignment_id")
        .values_list("assignment__application_id", "assignment__reviewer_id", "num", "den")
    )
    totals: dict[tuple[int, int], Decimal | None] = {}
    order: dict[int, list[int]] = defaultdict(list)
    for application_id, reviewer_id, num, den in weighted:
        order[application_id].append(reviewer_id)
        totals[(reviewer_id, application_id)] = Decimal(num) / Decimal(den) if den else None
    return totals, order


def call_ranking(
    *,
    call: Call,
    viewer: User,
    order: str = "total",
    settings: CommitteeSettings | None = None,
    conflicts: bool = True,
) -> Ranking:
    """Every scored application of the call the viewer may see, best first, with the envelope simulation.

    A committee member's conflicted applications are left out entirely (rows, ranks, counts,
    envelope figures); z-scores are still computed over everything each reviewer scored.
    `conflicts=False` skips looking the viewer's conflicts up (a fund manager has none).
    Three queries (four without `settings`), whatever the number of applications.
    `order` is "total" (raw) or "z".
    """
    settings = settings or committee_settings(call)
    totals, reviewers_of = _reviewer_totals(call)
    z = z_scores(totals)
    names = dict(
        (pk, full_name or email)
        for pk, full_name, email in User.objects.filter(
            pk__in={r for _a, r in ((a, r) for a, rs in reviewers_of.items() for r in rs)}
        ).values_list("pk", "full_name", "email")
    )
    requested = Subquery(
        BudgetYear.objects.filter(application=OuterRef("pk"))
        .values("application")
        .annotate(total=Sum("amount"))
        .values("total"),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )
    assigned = Subquery(
        ReviewerAssignment.objects.filter(application=OuterRef("pk"))
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    applications = Application.objects.filter(call=call, pk__in=list(reviewers_of))
    if conflicts:
        hidden = Conflict.objects.filter(call=call, member=viewer).values("organisation_id")
        applications = applications.exclude(organisation_id__in=hidden)
    applications = applications.annotate(
        assigned=assigned, requested=Coalesce(requested, Value(Decimal("0")), output_field=DecimalField())
    ).values_list("pk", "title", "organisation__name", "assigned", "requested", "simulated_amount__amount")
    untitled = str(_("Untitled application"))
    threshold = settings.disagreement_threshold
    rows = []
    for pk, title, organisation, assigned_count, asked, simulated in applications:
        cells = [ReviewerCell(r, names.get(r, ""), totals[(r, pk)], z.get((r, pk))) for r in reviewers_of[pk]]
        raw = [c.total for c in cells]
        gap = spread(raw)
        zs = [c.z for c in cells if c.z is not None]
        rows.append(
            Row(
                pk=pk,
                title=title or untitled,
                organisation=organisation,
                reviewers=cells,
                assigned=assigned_count or 0,
                total=mean(raw),
                z=sum(zs) / len(zs) if zs else None,
                spread=gap,
                disagreement=gap is not None and gap > threshold,
                requested=asked,
                simulated=simulated,
            )
        )
    rows.sort(key=_sort_key(order))
    lines, remaining = simulate_envelope(call.envelope, [row.amount for row in rows])
    for rank, (row, line) in enumerate(zip(rows, lines, strict=True), start=1):
        row.rank, row.funded, row.remaining_after = rank, line.funded, line.remaining_after
    funded_total = sum((row.amount for row in rows if row.funded), Decimal("0"))
    return Ranking(
        call=call, settings=settings, rows=rows, envelope=call.envelope, funded_total=funded_total, remaining=remaining
    )


def _sort_key(order: str):
    if order == "z":
        return lambda row: (row.z is None, -(row.z or 0), -(row.total or 0), row.pk)
    return lambda row: (row.total is None, -(row.total or 0), -(row.z or 0), row.pk)


def weighted_totals(*, call: Call) -> list[ApplicationScores]:
    """Every application of the call with at least one submitted score, best mean first (every application)."""
    grouped: dict[int, dict[int, ReviewerTotal]] = defaultdict(dict)
    scores = (
        Score.objects.filter(assignment__application__call=call, assignment__submitted_at__isnull=False)
        .select_related("criterion", "assignment__reviewer")
        .order_by("assignment__application_id", "assignment_id", "criterion__position", "criterion_id")
    )
    for score in scores:
        per_app = grouped[score.assignment.application_id]
        per_app.setdefault(score.assignment_id, ReviewerTotal(assignment=score.assignment)).scores.append(score)
    applications = (
        Application.objects.filter(pk__in=list(grouped))
        .select_related("organisation")
        .annotate(assigned_count=Count("reviewer_assignments"))
    )
    rows = [
        ApplicationScores(application=a, reviewers=list(grouped[a.pk].values()), assigned=a.assigned_count)
        for a in applications
    ]
    rows.sort(key=lambda row: (row.total is None, -(row.total or 0), row.application.pk))
    return rows


def open_support_requests(*, advisor) -> QuerySet[SupportRequest]:
    """The drafts an advisor currently supports, nearest call deadline first."""
    return (
        SupportRequest.objects.filter(advisor=advisor, closed_at__isnull=True)
        .select_related("application__organisation", "application__call", "requested_by")
        .order_by("application__call__closes_at", "created_at", "pk")
    )


def decided_applications(*, call: Call, viewer: User) -> tuple[list[Application], dict]:
    """The call's decided applications (the viewer's conflicts left out) with their approved amounts, and totals."""
    conflicted = Conflict.objects.filter(call=call, member=viewer).values("organisation_id")
    applications = list(
        Application.objects.filter(call=call, decided_at__isnull=False)
        .exclude(organisation_id__in=conflicted)
        .select_related("organisation")
        .prefetch_related("decision_years")
        .order_by("status", "organisation__name", "pk")
    )
    funded = (Application.Status.APPROVED, Application.Status.FUNDED, Application.Status.CLOSED)
    approved = [a for a in applications if a.status in funded]
    total = sum((y.amount for a in approved for y in a.decision_years.all()), Decimal("0"))
    totals = {"approved": len(approved), "amount": total, "remaining": call.envelope - total}
    return applications, totals
