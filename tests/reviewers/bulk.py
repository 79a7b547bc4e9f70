"""Scored applications built with bulk_create (no workflow), for query-count tests and the benchmark."""

import random
from decimal import Decimal

from django.utils import timezone

from forms.models import Application, BudgetYear
from reviewers.models import ReviewerAssignment, Score


def scored_applications(*, call, organisation, by, reviewers, count: int, seed: int = 4) -> list[Application]:
    """`count` submitted applications of `call`, each scored by every one of `reviewers` on every criterion."""
    rng = random.Random(seed)
    now = timezone.now()
    criteria = list(call.criteria.all())
    applications = Application.objects.bulk_create(
        Application(
            organisation=organisation,
            call=call,
            created_by=by,
            title=f"Projet {i:04d}",
            status=Application.Status.IN_REVIEW,
            submitted_at=now,
            eligible=True,
        )
        for i in range(count)
    )
    BudgetYear.objects.bulk_create(
        BudgetYear(application=a, year=1, amount=Decimal(rng.randrange(5, 50) * 1000)) for a in applications
    )
    assignments = ReviewerAssignment.objects.bulk_create(
        ReviewerAssignment(application=a, reviewer=r, submitted_at=now) for a in applications for r in reviewers
    )
    Score.objects.bulk_create(
        Score(assignment=assignment, criterion=c, value=rng.randrange(0, 6))
        for assignment in assignments
        for c in criteria
    )
    return applications
