"""The off-target rule, property by property (hypothesis)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reporting.indicators import TOLERANCE, is_off_target

values = st.decimals(min_value=-100000, max_value=100000, places=2, allow_nan=False, allow_infinity=False)


@given(target=values, baseline=values)
def test_reaching_the_target_is_never_off_target(target, baseline):
    assert not is_off_target(actual=target, target=target, baseline=baseline)


@given(target=values, baseline=values, step=st.decimals(min_value=0, max_value=1000, places=2))
def test_doing_better_than_the_target_is_never_off_target(target, baseline, step):
    better = target + step if target >= baseline else target - step
    assert not is_off_target(actual=better, target=target, baseline=baseline)


@given(target=values, baseline=values)
def test_staying_at_the_baseline_is_off_target_when_a_change_was_planned(target, baseline):
    assert is_off_target(actual=baseline, target=target, baseline=baseline) == (target != baseline)


@given(target=values, baseline=values)
def test_the_tolerance_is_a_tenth_of_the_planned_change(target, baseline):
    margin = abs(target - baseline) * TOLERANCE
    short = target - margin if target >= baseline else target + margin
    assert not is_off_target(actual=short, target=target, baseline=baseline)
    beyond = short - Decimal("0.01") if target >= baseline else short + Decimal("0.01")
    assert is_off_target(actual=beyond, target=target, baseline=baseline)


def test_examples():
    assert not is_off_target(actual=Decimal("37.5"), target=Decimal("40"), baseline=Decimal("0"))
    assert is_off_target(actual=Decimal("30"), target=Decimal("40"), baseline=Decimal("0"))
    # A waiting time meant to fall from 60 to 20 days: 23 is within 10 % of the 40-day drop, 25 is not.
    assert not is_off_target(actual=Decimal("23"), target=Decimal("20"), baseline=Decimal("60"))
    assert is_off_target(actual=Decimal("25"), target=Decimal("20"), baseline=Decimal("60"))
