"""The ranking arithmetic, as pure functions over plain numbers (no database).

Formulas (shown on the ranking page too):

- A reviewer's weighted total for an application: T = Σ(weight × score) / Σ(weight), 0 to 5.
- An application's raw total: the mean of its reviewers' T.
- Normalisation per reviewer: over the applications a reviewer scored in the call,
  z = (T − mean) / sd, with sd the population standard deviation of that reviewer's T;
  when sd = 0 (one application, or every score equal) z = 0.
  An application's normalised total is the mean of its reviewers' z.
- Disagreement: spread = max(T) − min(T) over the application's reviewers; flagged when
  the spread is strictly above the call's threshold.
- Envelope simulation: down the ranking, each application is funded at its simulated
  amount (the amount asked unless the committee adjusted it) while it fits in what
  remains of the envelope; the first one that does not fit, and all after it, are not funded.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from math import sqrt

ZERO = Decimal("0")


def weighted_total(pairs) -> Decimal | None:
    """Σ(weight × score) / Σ(weight) over (weight, score) pairs; None when the weights sum to zero."""
    weighted = ZERO
    weights = ZERO
    for weight, value in pairs:
        weighted += Decimal(weight) * value
        weights += Decimal(weight)
    return weighted / weights if weights else None


def mean(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return sum(values, ZERO) / len(values) if values else None


def z_scores(totals: dict[tuple[int, int], Decimal]) -> dict[tuple[int, int], float]:
    """{(reviewer, application): z} from {(reviewer, application): T}, per reviewer (see module doc)."""
    by_reviewer: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (reviewer, application), total in totals.items():
        if total is not None:
            by_reviewer[reviewer].append((application, float(total)))
    result = {}
    for reviewer, rows in by_reviewer.items():
        values = [t for _a, t in rows]
        avg = sum(values) / len(values)
        sd = sqrt(sum((t - avg) ** 2 for t in values) / len(values))
        for application, t in rows:
            result[(reviewer, application)] = 0.0 if sd < 1e-12 else (t - avg) / sd
    return result


def spread(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return max(values) - min(values) if len(values) >= 2 else None


@dataclass
class Funding:
    amount: Decimal
    funded: bool
    remaining_after: Decimal


def simulate_envelope(envelope: Decimal, amounts: list[Decimal]) -> tuple[list[Funding], Decimal]:
    """Fund down the ranking (amounts in ranking order). Returns each line and what remains."""
    remaining = Decimal(envelope)
    lines = []
    stopped = False
    for amount in amounts:
        if not stopped and amount <= remaining:
            remaining -= amount
            lines.append(Funding(amount=amount, funded=True, remaining_after=remaining))
        else:
            stopped = True
            lines.append(Funding(amount=amount, funded=False, remaining_after=remaining))
    return lines, remaining
