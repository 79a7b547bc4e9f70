"""Balanced reviewer assignment, as a pure function (no database): easy to test with hypothesis.

Every application gets `n` distinct reviewers who have no conflict with it (fewer only
when fewer members are eligible). Among all such assignments we pick one where the
members' loads (assignments they already hold + new ones) differ as little as
possible: by at most one whenever that is achievable at all. It is a flow problem
with lower and upper bounds on each member's load; we try the tightest bounds first.
"""

from collections import deque
from collections.abc import Iterable


class _Flow:
    """Dinic's max flow on integer capacities."""

    def __init__(self, size: int):
        self.graph: list[list[list]] = [[] for _ in range(size)]

    def add(self, u: int, v: int, cap: int) -> list:
        forward = [v, cap, None]
        backward = [u, 0, forward]
        forward[2] = backward
        self.graph[u].append(forward)
        self.graph[v].append(backward)
        return forward

    def _levels(self, s: int, t: int) -> list[int] | None:
        level = [-1] * len(self.graph)
        level[s] = 0
        queue = deque([s])
        while queue:
            u = queue.popleft()
            for v, cap, _rev in self.graph[u]:
                if cap > 0 and level[v] < 0:
                    level[v] = level[u] + 1
                    queue.append(v)
        return level if level[t] >= 0 else None

    def _push(self, u: int, t: int, pushed: int, level: list[int], it: list[int]) -> int:
        if u == t:
            return pushed
        edges = self.graph[u]
        while it[u] < len(edges):
            edge = edges[it[u]]
            v, cap, rev = edge
            if cap > 0 and level[v] == level[u] + 1:
                got = self._push(v, t, min(pushed, cap), level, it)
                if got:
                    edge[1] -= got
                    rev[1] += got
                    return got
            it[u] += 1
        return 0

    def max_flow(self, s: int, t: int) -> int:
        total = 0
        while (level := self._levels(s, t)) is not None:
            it = [0] * len(self.graph)
            while pushed := self._push(s, t, 1 << 30, level, it):
                total += pushed
        return total


def _solve(apps, members, eligible, need, load, lo, hi) -> dict[int, list[int]] | None:
    """An assignment where each member's total load is within [lo, hi], or None."""
    index_m = {m: i for i, m in enumerate(members)}
    count = 2 + len(members) + len(apps) + 2
    source, sink, super_s, super_t = 0, 1, count - 2, count - 1
    flow = _Flow(count)
    excess = [0] * count

    def bounded(u, v, low, cap):
        if cap < low:
            return None
        edge = flow.add(u, v, cap - low)
        excess[v] += low
        excess[u] -= low
        return edge

    for m in members:
        low, cap = max(0, lo - load[m]), hi - load[m]
        if cap < 0 or bounded(source, 2 + index_m[m], low, cap) is None:
            return None
    edges = {}
    for j, a in enumerate(apps):
        node = 2 + len(members) + j
        for m in eligible[a]:
            edges[(a, m)] = flow.add(2 + index_m[m], node, 1)
        bounded(node, sink, need[a], need[a])
    flow.add(sink, source, 1 << 30)
    demand = 0
    for v, e in enumerate(excess):
        if e > 0:
            flow.add(super_s, v, e)
            demand += e
        elif e < 0:
            flow.add(v, super_t, -e)
    if flow.max_flow(super_s, super_t) != demand:
        return None
    return {a: sorted(m for m in eligible[a] if edges[(a, m)][1] == 0) for a in apps}


def balanced_assignment(
    *,
    applications: Iterable[int],
    members: Iterable[int],
    n: int,
    conflicts: set[tuple[int, int]] = frozenset(),
    current_load: dict[int, int] | None = None,
) -> dict[int, list[int]]:
    """{application: [member, ...]}: `n` non-conflicted members each (or every eligible one when fewer).

    `conflicts` holds (member, application) pairs that may not meet. `current_load` counts
    what each member already reviews in the call. Loads (current + new) differ by at most
    one whenever an assignment with that property exists; otherwise the spread is the smallest
    possible. Deterministic for the same input.
    """
    apps = sorted(set(applications))
    members = sorted(set(members))
    load = {m: (current_load or {}).get(m, 0) for m in members}
    eligible = {a: [m for m in members if (m, a) not in conflicts] for a in apps}
    need = {a: min(n, len(eligible[a])) for a in apps}
    if not apps or not members:
        return {a: [] for a in apps}
    total = sum(need.values()) + sum(load.values())
    floor_avg, ceil_avg = total // len(members), -(-total // len(members))
    top = max(max(load.values()), ceil_avg) + sum(need.values())
    for spread in range(0, top + 1):
        # The members' loads sit in [lo, lo + spread]; lo near the average first.
        candidates = range(ceil_avg - spread, floor_avg + 1)
        for lo in sorted(candidates, key=lambda x: (abs(x - floor_avg), -x)):
            result = _solve(apps, members, eligible, need, load, max(lo, 0), lo + spread)
            if result is not None:
                return result
    raise AssertionError("unreachable: the widest bounds always admit an assignment")
