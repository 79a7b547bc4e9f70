"""The balanced assignment, as a pure function: hypothesis checks its promises."""

from itertools import combinations, product

from hypothesis import given, settings
from hypothesis import strategies as st

from reviewers.assignment import balanced_assignment


@st.composite
def instances(draw):
    members = draw(st.lists(st.integers(1, 40), min_size=1, max_size=8, unique=True))
    apps = draw(st.lists(st.integers(100, 400), min_size=0, max_size=25, unique=True))
    n = draw(st.integers(1, 4))
    pairs = [(m, a) for m in members for a in apps]
    conflicts = set(draw(st.lists(st.sampled_from(pairs), max_size=len(pairs) // 4))) if pairs else set()
    return members, apps, n, conflicts


def _loads(result, members):
    loads = {m: 0 for m in members}
    for chosen in result.values():
        for m in chosen:
            loads[m] += 1
    return loads


@settings(max_examples=150, deadline=None)
@given(instances())
def test_it_gives_every_application_n_distinct_non_conflicted_reviewers(instance):
    members, apps, n, conflicts = instance
    result = balanced_assignment(applications=apps, members=members, n=n, conflicts=conflicts)
    assert set(result) == set(apps)
    for a, chosen in result.items():
        eligible = [m for m in members if (m, a) not in conflicts]
        assert len(chosen) == len(set(chosen)) == min(n, len(eligible))
        assert all((m, a) not in conflicts for m in chosen)


@settings(max_examples=150, deadline=None)
@given(instances())
def test_it_balances_loads_within_one_without_conflicts(instance):
    members, apps, n, _conflicts = instance
    result = balanced_assignment(applications=apps, members=members, n=n)
    loads = _loads(result, members).values()
    assert max(loads) - min(loads) <= 1


@st.composite
def small_instances(draw):
    members = draw(st.lists(st.integers(1, 9), min_size=1, max_size=4, unique=True))
    apps = draw(st.lists(st.integers(10, 30), min_size=1, max_size=5, unique=True))
    n = draw(st.integers(1, 2))
    pairs = [(m, a) for m in members for a in apps]
    conflicts = set(draw(st.lists(st.sampled_from(pairs), max_size=len(pairs) // 2)))
    return members, apps, n, conflicts


def _best_spread_by_brute_force(members, apps, n, conflicts) -> int:
    options = []
    for a in apps:
        eligible = [m for m in members if (m, a) not in conflicts]
        options.append(list(combinations(eligible, min(n, len(eligible)))))
    best = None
    for choice in product(*options):
        loads = {m: 0 for m in members}
        for chosen in choice:
            for m in chosen:
                loads[m] += 1
        spread = max(loads.values()) - min(loads.values())
        best = spread if best is None else min(best, spread)
    return best


@settings(max_examples=120, deadline=None)
@given(small_instances())
def test_it_balances_within_one_whenever_any_assignment_can(instance):
    """With conflicts: whenever some valid assignment has loads within one, ours does too (brute force)."""
    members, apps, n, conflicts = instance
    result = balanced_assignment(applications=apps, members=members, n=n, conflicts=conflicts)
    loads = _loads(result, members)
    spread = max(loads.values()) - min(loads.values())
    assert spread == _best_spread_by_brute_force(members, apps, n, conflicts) or spread <= 1


def test_it_counts_the_loads_members_already_have():
    result = balanced_assignment(applications=[1, 2], members=[10, 20, 30], n=1, current_load={10: 3, 20: 3})
    assert result == {1: [30], 2: [30]}


def test_it_assigns_fewer_when_fewer_are_eligible():
    result = balanced_assignment(applications=[1], members=[10, 20, 30], n=3, conflicts={(10, 1), (20, 1)})
    assert result == {1: [30]}


def test_it_is_deterministic():
    args = {"applications": [5, 3, 9, 1], "members": [7, 2, 4], "n": 2, "conflicts": {(7, 3)}}
    assert balanced_assignment(**args) == balanced_assignment(**args)
