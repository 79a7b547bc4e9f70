"""From a call's stored eligibility rules (and what the call publishes) to fonds.eligibility.Rule values.

The call's own facts are rules too: its territory, its populations, its amounts and its
duration apply even when no rule of that kind was written; a stored rule of the same kind
replaces the derived one, and a stored rule with empty parameters takes them from the call.
Callers prefetch the call's regions, MRC, populations and eligibility rules (see
fonds.selectors) and pass one Vocabulary for all the calls, so the number of queries does
not grow with the number of calls.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from accounts.models import Mrc, Organisation, Population, Region

from . import eligibility as e
from .models import Call, EligibilityRule


@dataclass(frozen=True)
class Vocabulary:
    regions: dict[str, str]
    mrcs: dict[str, str]
    populations: dict[str, str]
    legal_forms: dict[str, str]


def vocabulary_get() -> Vocabulary:
    """Names of regions, MRC, populations (in the active language) and legal forms. Three queries."""
    return Vocabulary(
        regions={r.code: r.name for r in Region.objects.all()},
        mrcs={m.code: m.name for m in Mrc.objects.all()},
        populations={p.code: p.name for p in Population.objects.all()},
        legal_forms={value: str(label) for value, label in Organisation.LegalForm.choices},
    )


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        return None


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _codes(parameters: dict, key: str) -> list[str]:
    value = parameters.get(key) if isinstance(parameters, dict) else None
    return [str(v) for v in value] if isinstance(value, list) else []


def _pick(codes: list[str], names: dict[str, str]) -> dict[str, str]:
    return {c: names[c] for c in codes if c in names}


def _derived(call: Call, kind: str) -> dict:
    if kind == e.TERRITORY_IN:
        return {
            "regions": {r.code: r.name for r in call.regions.all()},
            "mrcs": {m.code: m.name for m in call.mrcs.all()},
        }
    if kind == e.POPULATION_ANY:
        return {"populations": {p.code: p.name for p in call.populations.all()}}
    if kind == e.AMOUNT_BETWEEN:
        return {"min": call.min_amount, "max": call.max_amount}
    if kind == e.YEARS_AT_MOST:
        return {"years": call.max_years}
    return {}


def _resolve(call: Call, rule: EligibilityRule, vocabulary: Vocabulary) -> dict:
    p = rule.parameters if isinstance(rule.parameters, dict) else {}
    kind = rule.kind
    if kind == e.LEGAL_FORM_IN:
        return {"forms": _pick(_codes(p, "legal_forms"), vocabulary.legal_forms)}
    if kind == e.TERRITORY_IN:
        regions, mrcs = _codes(p, "regions"), _codes(p, "mrcs")
        if not regions and not mrcs:
            return _derived(call, kind)
        return {"regions": _pick(regions, vocabulary.regions), "mrcs": _pick(mrcs, vocabulary.mrcs)}
    if kind == e.POPULATION_ANY:
        codes = _codes(p, "populations")
        return {"populations": _pick(codes, vocabulary.populations)} if codes else _derived(call, kind)
    if kind == e.AMOUNT_BETWEEN:
        low, high = _decimal(p.get("min")), _decimal(p.get("max"))
        # A bound left empty is the call's own: a rule narrows the call's limits, never lifts one.
        return {
            "min": call.min_amount if low is None else low,
            "max": call.max_amount if high is None else high,
        }
    if kind == e.YEARS_AT_MOST:
        years = _int(p.get("years"))
        return _derived(call, kind) if years is None else {"years": years}
    if kind in (e.BUDGET_AT_MOST, e.BUDGET_AT_LEAST):
        return {"amount": _decimal(p.get("amount"))}
    return {}


def call_rules(call: Call, vocabulary: Vocabulary) -> list[e.Rule]:
    """The call's rules in the order a person reads them: who, where, for whom, how much, how long, then the rest."""
    stored = sorted(call.eligibility_rules.all(), key=lambda r: (r.position, r.pk))
    rules = [e.Rule(kind=r.kind, parameters=_resolve(call, r, vocabulary), message=r.message) for r in stored]
    kinds = {r.kind for r in stored}
    if e.TERRITORY_IN not in kinds and (call.regions.all() or call.mrcs.all()):
        rules.append(e.Rule(kind=e.TERRITORY_IN, parameters=_derived(call, e.TERRITORY_IN)))
    if e.POPULATION_ANY not in kinds and call.populations.all():
        rules.append(e.Rule(kind=e.POPULATION_ANY, parameters=_derived(call, e.POPULATION_ANY)))
    for kind in (e.AMOUNT_BETWEEN, e.YEARS_AT_MOST):
        if kind not in kinds:
            rules.append(e.Rule(kind=kind, parameters=_derived(call, kind)))
    order = {kind: i for i, kind in enumerate(e.KINDS)}
    return sorted(rules, key=lambda r: order.get(r.kind, len(order)))
