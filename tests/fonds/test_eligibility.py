"""The pure eligibility function: rules and answers in, (eligible, reasons) out. No database."""

from decimal import Decimal

import pytest
from django.utils.translation import override

from fonds import eligibility as e


def rule(kind, **parameters):
    return e.Rule(kind=kind, parameters=parameters)


LANAUDIERE = rule(e.TERRITORY_IN, regions={"14": "Lanaudière"}, mrcs={})
JOLIETTE_ONLY = rule(e.TERRITORY_IN, regions={}, mrcs={"061": "Joliette"})
AMOUNTS = rule(e.AMOUNT_BETWEEN, min=Decimal("5000"), max=Decimal("50000"))
OBNL = rule(e.LEGAL_FORM_IN, forms={"obnl": "OBNL", "coop": "Coop"})


@pytest.fixture(autouse=True)
def _english():
    with override("en"):
        yield


def test_it_is_eligible_when_every_rule_is_met():
    answers = e.Answers(legal_form="obnl", mrcs=frozenset({"061"}), regions=frozenset({"14"}), amount=Decimal("20000"))
    verdict = e.evaluate([OBNL, LANAUDIERE, AMOUNTS], answers)
    assert verdict.eligible
    assert [r.outcome for r in verdict.reasons] == [e.MET, e.MET, e.MET]


def test_it_explains_an_mrc_that_is_not_served():
    answers = e.Answers(mrcs=frozenset({"081"}), regions=frozenset({"07"}))
    verdict = e.evaluate([JOLIETTE_ONLY], answers)
    assert not verdict.eligible
    [reason] = verdict.reasons
    assert reason.not_met
    assert "Your MRC is not served by this fund" in reason.text and "Joliette" in reason.text


def test_it_accepts_an_mrc_of_a_region_served():
    answers = e.Answers(mrcs=frozenset({"062"}), regions=frozenset({"14"}))
    assert e.evaluate([LANAUDIERE], answers).eligible
    assert not e.evaluate([JOLIETTE_ONLY], answers).eligible


@pytest.mark.parametrize(
    ("amount", "outcome", "text"),
    [
        ("4999.99", e.NOT_MET, "The minimum is $5,000."),
        ("5000", e.MET, "within this call's range"),
        ("50000", e.MET, "within this call's range"),
        ("50001", e.NOT_MET, "The maximum is $50,000."),
    ],
)
def test_it_checks_the_amount_against_both_bounds(amount, outcome, text):
    [reason] = e.evaluate([AMOUNTS], e.Answers(amount=Decimal(amount))).reasons
    assert reason.outcome == outcome
    assert text in reason.text


def test_it_says_the_maximum_in_french_money_format():
    with override("fr"):
        [reason] = e.evaluate([AMOUNTS], e.Answers(amount=Decimal("60000"))).reasons
    assert reason.not_met and "50\u00a0000\u00a0$" in reason.text


def test_it_treats_unanswered_rules_as_unknown_not_as_failures():
    verdict = e.evaluate([OBNL, LANAUDIERE, AMOUNTS], e.Answers())
    assert verdict.eligible
    assert verdict.unknown == 3
    assert all(r.outcome == e.UNKNOWN for r in verdict.reasons)


def test_it_refuses_a_legal_form_not_listed():
    [reason] = e.evaluate([OBNL], e.Answers(legal_form="municipality")).reasons
    assert reason.not_met and "Coop" in reason.text and "OBNL" in reason.text


def test_it_uses_the_fund_managers_message_when_a_rule_fails():
    custom = e.Rule(kind=e.TERRITORY_IN, parameters=JOLIETTE_ONLY.parameters, message="Joliette seulement.")
    verdict = e.evaluate([custom], e.Answers(mrcs=frozenset({"081"}), regions=frozenset({"07"})))
    assert [r.text for r in verdict.reasons] == ["Joliette seulement."]
    # ...but not when the rule is met.
    met = e.evaluate([custom], e.Answers(mrcs=frozenset({"061"}), regions=frozenset({"14"})))
    assert met.reasons[0].text != "Joliette seulement."


def test_it_counts_populations_in_common():
    populations = rule(e.POPULATION_ANY, populations={"youth": "Youth", "seniors": "Seniors"})
    verdict = e.evaluate([populations], e.Answers(populations=frozenset({"youth", "seniors", "women"})))
    assert verdict.eligible and verdict.matched_populations == 2
    verdict = e.evaluate([populations], e.Answers(populations=frozenset({"women"})))
    assert not verdict.eligible
    assert "Seniors, Youth" in verdict.reasons[0].text


def test_it_checks_duration_and_budget_limits():
    rules = [
        rule(e.YEARS_AT_MOST, years=2),
        rule(e.BUDGET_AT_MOST, amount=Decimal("1000000")),
        rule(e.BUDGET_AT_LEAST, amount=Decimal("50000")),
    ]
    ok = e.evaluate(rules, e.Answers(years=2, annual_budget=Decimal("400000")))
    assert ok.eligible and ok.met == 3
    too_long = e.evaluate(rules, e.Answers(years=3, annual_budget=Decimal("2000000")))
    assert [r.outcome for r in too_long.reasons] == [e.NOT_MET, e.NOT_MET, e.MET]
    assert "at most 2 years" in too_long.reasons[0].text
    small = e.evaluate(rules, e.Answers(annual_budget=Decimal("10000")))
    assert small.reasons[2].not_met and "at least $50,000" in small.reasons[2].text


def test_it_ignores_unknown_kinds():
    assert e.evaluate([rule("something_new", x=1)], e.Answers()).reasons == ()


def test_it_ranks_eligible_then_fewer_unknowns_then_more_populations():
    eligible_known = e.Verdict(reasons=(e.Reason("k", e.MET, "a"),), matched_populations=0)
    eligible_more_pop = e.Verdict(reasons=(e.Reason("k", e.MET, "a"),), matched_populations=2)
    eligible_unknown = e.Verdict(reasons=(e.Reason("k", e.UNKNOWN, "a"),))
    refused = e.Verdict(reasons=(e.Reason("k", e.NOT_MET, "a"),), matched_populations=5)
    ranked = sorted([refused, eligible_unknown, eligible_known, eligible_more_pop], key=e.Verdict.rank_key)
    assert ranked == [eligible_more_pop, eligible_known, eligible_unknown, refused]


def test_it_describes_rules_in_plain_language():
    assert e.describe(AMOUNTS) == "Amount asked: from $5,000 to $50,000."
    assert e.describe(LANAUDIERE) == "Territory: projects in Lanaudière."
    assert e.describe(rule(e.TERRITORY_IN)) == "Territory: all of Québec."
    assert e.describe(rule(e.YEARS_AT_MOST, years=1)) == "Duration: at most 1 year."
    assert "OBNL" in e.describe(OBNL)
