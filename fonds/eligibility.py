"""Eligibility of an organisation to a call: pure functions over rules and answers, no database.

A fund manager writes a call's rules as data (fonds.models.EligibilityRule); fonds.rules turns
them, plus what the call itself publishes (territory, amounts, duration, populations), into
`Rule` values with everything needed to explain them. `evaluate` then says, for one set of
answers, whether each rule is met, not met, or cannot be checked yet, in plain language.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .templatetags.guichet import format_money

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"

LEGAL_FORM_IN = "legal_form_in"
TERRITORY_IN = "territory_in"
POPULATION_ANY = "population_any"
AMOUNT_BETWEEN = "amount_between"
YEARS_AT_MOST = "years_at_most"
BUDGET_AT_MOST = "budget_at_most"
BUDGET_AT_LEAST = "budget_at_least"
KINDS = (LEGAL_FORM_IN, TERRITORY_IN, POPULATION_ANY, AMOUNT_BETWEEN, YEARS_AT_MOST, BUDGET_AT_MOST, BUDGET_AT_LEAST)


@dataclass(frozen=True)
class Answers:
    """What an organisation says about itself and its project. None / empty means "not answered"."""

    legal_form: str | None = None
    mrcs: frozenset[str] = frozenset()  # MRC codes of the territory served
    regions: frozenset[str] = frozenset()  # region codes of those MRC
    populations: frozenset[str] = frozenset()  # Population codes
    amount: Decimal | None = None  # total amount asked
    years: int | None = None  # duration of the project
    annual_budget: Decimal | None = None


@dataclass(frozen=True)
class Rule:
    """A rule with its parameters resolved to names (see fonds.rules).

    Parameters by kind:
      legal_form_in:   forms: {code: label}
      territory_in:    regions: {code: name}, mrcs: {code: name}
      population_any:  populations: {code: name}
      amount_between:  min: Decimal, max: Decimal
      years_at_most:   years: int
      budget_at_most / budget_at_least: amount: Decimal
    """

    kind: str
    parameters: Mapping = field(default_factory=dict)
    message: str = ""  # the fund manager's wording when the rule is not met


@dataclass(frozen=True)
class Reason:
    kind: str
    outcome: str  # MET, NOT_MET or UNKNOWN
    text: str

    @property
    def met(self) -> bool:
        return self.outcome == MET

    @property
    def not_met(self) -> bool:
        return self.outcome == NOT_MET


@dataclass(frozen=True)
class Verdict:
    reasons: tuple[Reason, ...]
    matched_populations: int = 0

    @property
    def eligible(self) -> bool:
        """No rule is known to fail (rules not checkable yet do not exclude)."""
        return not any(r.not_met for r in self.reasons)

    @property
    def unknown(self) -> int:
        return sum(r.outcome == UNKNOWN for r in self.reasons)

    @property
    def met(self) -> int:
        return sum(r.met for r in self.reasons)

    def rank_key(self) -> tuple:
        """Sorts best fit first: eligible, then fewer unchecked rules, more populations in common, more rules met."""
        return (not self.eligible, self.unknown, -self.matched_populations, -self.met)


def _join(names: Iterable[str]) -> str:
    return ", ".join(sorted(str(n) for n in names))


def _money(value) -> str:
    return format_money(value)


def _legal_form(rule: Rule, answers: Answers) -> Reason:
    forms = rule.parameters.get("forms", {})
    if not answers.legal_form:
        return Reason(rule.kind, UNKNOWN, _("Tell us your legal form to check who may apply."))
    label = forms.get(answers.legal_form) or answers.legal_form
    if answers.legal_form in forms:
        return Reason(rule.kind, MET, _("Your legal form is accepted (%(form)s).") % {"form": label})
    return Reason(
        rule.kind,
        NOT_MET,
        _("This call is only for: %(forms)s.") % {"forms": _join(forms.values())},
    )


def _territory(rule: Rule, answers: Answers) -> Reason:
    regions, mrcs = rule.parameters.get("regions", {}), rule.parameters.get("mrcs", {})
    if not regions and not mrcs:
        return Reason(rule.kind, MET, _("This call is open to all of Québec."))
    if not answers.mrcs and not answers.regions:
        return Reason(rule.kind, UNKNOWN, _("Tell us your MRC to check the territory."))
    served = _join([*regions.values(), *mrcs.values()])
    if answers.mrcs & set(mrcs) or answers.regions & set(regions):
        return Reason(rule.kind, MET, _("Your territory is served by this call (%(places)s).") % {"places": served})
    return Reason(
        rule.kind, NOT_MET, _("Your MRC is not served by this fund. It serves: %(places)s.") % {"places": served}
    )


def _population(rule: Rule, answers: Answers) -> tuple[Reason, int]:
    populations = rule.parameters.get("populations", {})
    if not populations:
        return Reason(rule.kind, MET, _("This call is open to projects for every population.")), 0
    if not answers.populations:
        return Reason(rule.kind, UNKNOWN, _("Tell us whom you serve to check the populations targeted.")), 0
    common = answers.populations & set(populations)
    if common:
        names = _join(populations[c] for c in common)
        return Reason(rule.kind, MET, _("This call targets people you serve: %(names)s.") % {"names": names}), len(
            common
        )
    return (
        Reason(
            rule.kind,
            NOT_MET,
            _("This call targets %(names)s; you did not say you serve them.") % {"names": _join(populations.values())},
        ),
        0,
    )


def _amount(rule: Rule, answers: Answers) -> Reason:
    low, high = rule.parameters.get("min"), rule.parameters.get("max")
    if answers.amount is None:
        return Reason(rule.kind, UNKNOWN, _("Tell us how much you need to compare it with the amounts of this call."))
    if low is not None and answers.amount < low:
        return Reason(rule.kind, NOT_MET, _("The minimum is %(amount)s.") % {"amount": _money(low)})
    if high is not None and answers.amount > high:
        return Reason(rule.kind, NOT_MET, _("The maximum is %(amount)s.") % {"amount": _money(high)})
    return Reason(
        rule.kind,
        MET,
        _("The amount you need is within this call's range (%(low)s to %(high)s).")
        % {"low": _money(low or 0), "high": _money(high) if high is not None else "—"},
    )


def _years(rule: Rule, answers: Answers) -> Reason:
    years = rule.parameters.get("years")
    if years is None:
        return Reason(rule.kind, MET, "")
    if answers.years is None:
        return Reason(rule.kind, UNKNOWN, _("Tell us how long your project lasts to check the duration."))
    if answers.years <= years:
        text = ngettext(
            "This call funds projects of up to %(years)s year.",
            "This call funds projects of up to %(years)s years.",
            years,
        )
        return Reason(rule.kind, MET, text % {"years": years})
    text = ngettext(
        "Projects last at most %(years)s year in this call.",
        "Projects last at most %(years)s years in this call.",
        years,
    )
    return Reason(rule.kind, NOT_MET, text % {"years": years})


def _budget(rule: Rule, answers: Answers) -> Reason:
    amount = rule.parameters.get("amount")
    if amount is None:
        return Reason(rule.kind, MET, "")
    if answers.annual_budget is None:
        return Reason(rule.kind, UNKNOWN, _("Tell us your annual budget to check the size of organisations accepted."))
    at_most = rule.kind == BUDGET_AT_MOST
    params = {"amount": _money(amount)}
    if (answers.annual_budget <= amount) if at_most else (answers.annual_budget >= amount):
        return Reason(rule.kind, MET, _("Your annual budget fits this call's limit (%(amount)s).") % params)
    if at_most:
        return Reason(
            rule.kind,
            NOT_MET,
            _("This call is for organisations with an annual budget of at most %(amount)s.") % params,
        )
    return Reason(
        rule.kind, NOT_MET, _("This call is for organisations with an annual budget of at least %(amount)s.") % params
    )


def evaluate(rules: Iterable[Rule], answers: Answers) -> Verdict:
    """Check every rule against the answers. Unknown kinds are ignored (they cannot exclude anyone).

    A rule the answers cannot decide is UNKNOWN and does not make the organisation ineligible.
    When a rule is not met and the fund manager wrote a message, that message is the reason.
    """
    reasons: list[Reason] = []
    matched = 0
    for rule in rules:
        if rule.kind == LEGAL_FORM_IN:
            reason = _legal_form(rule, answers)
        elif rule.kind == TERRITORY_IN:
            reason = _territory(rule, answers)
        elif rule.kind == POPULATION_ANY:
            reason, common = _population(rule, answers)
            matched += common
        elif rule.kind == AMOUNT_BETWEEN:
            reason = _amount(rule, answers)
        elif rule.kind == YEARS_AT_MOST:
            reason = _years(rule, answers)
        elif rule.kind in (BUDGET_AT_MOST, BUDGET_AT_LEAST):
            reason = _budget(rule, answers)
        else:
            continue
        if reason.not_met and rule.message:
            reason = Reason(reason.kind, NOT_MET, rule.message)
        if reason.text:
            reasons.append(reason)
    return Verdict(reasons=tuple(reasons), matched_populations=matched)


def describe(rule: Rule) -> str:
    """The rule in plain language, for the call's public page."""
    p = rule.parameters
    if rule.kind == LEGAL_FORM_IN:
        return _("Who may apply: %(forms)s.") % {"forms": _join(p.get("forms", {}).values())}
    if rule.kind == TERRITORY_IN:
        places = _join([*p.get("regions", {}).values(), *p.get("mrcs", {}).values()])
        return (
            _("Territory: projects in %(places)s.") % {"places": places} if places else _("Territory: all of Québec.")
        )
    if rule.kind == POPULATION_ANY:
        names = _join(p.get("populations", {}).values())
        return _("For whom: projects serving %(names)s.") % {"names": names} if names else _("For whom: everyone.")
    if rule.kind == AMOUNT_BETWEEN:
        return _("Amount asked: from %(low)s to %(high)s.") % {
            "low": _money(p.get("min") or 0),
            "high": _money(p["max"]) if p.get("max") is not None else "—",
        }
    if rule.kind == YEARS_AT_MOST and p.get("years") is not None:
        years = p["years"]
        return ngettext("Duration: at most %(years)s year.", "Duration: at most %(years)s years.", years) % {
            "years": years
        }
    if rule.kind == BUDGET_AT_MOST and p.get("amount") is not None:
        return _("Organisations with an annual budget of at most %(amount)s.") % {"amount": _money(p["amount"])}
    if rule.kind == BUDGET_AT_LEAST and p.get("amount") is not None:
        return _("Organisations with an annual budget of at least %(amount)s.") % {"amount": _money(p["amount"])}
    return ""
