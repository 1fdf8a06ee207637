"""A plain-Python twin of the search's central move, for the tests.

The move is the ejection chain that places one unit (the kernel's
:func:`~jianfu.solver.fet.kernels._place_chain` and what it calls): everything else
in :func:`~jianfu.solver.fet.kernels.swap_search` either calls it or is the
fallback for when it fails. :func:`place_by_chain` does what FET's recursive
swapping says (see :mod:`jianfu.solver.fet.search`), written for a reader: try the
unit's starts, fewest units in the way first; at a start, push out what is in the
way and place each of those the same way, one level deeper; when one of them
cannot be placed, undo the start and try the next. No level goes below
``max_level``, no chain opens more than ``max_calls`` frames, and a unit placed in
this chain is never pushed out again.

It reads the same records as the kernel (:mod:`jianfu.solver.fet.data`) but keeps
only the placements: who holds a resource at an hour is found by looking. It
covers capacities (room options included) and pair rules; per-resource rules and
sync partners are left to their own tests, and data with them is refused.

Its random draws are the kernel's, in the same order: ``np.random.random()`` breaks
ties between starts, ``np.random.randint`` picks which of several holders of a
full resource leaves. Numba's generator, seeded alike, draws what NumPy's legacy
one does (the tests check it), so with one seed the twin and the kernel agree
step for step, compiled or under ``NUMBA_DISABLE_JIT=1``.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from .data import (
    ADJACENT_IF_SAME_DAY,
    CONSECUTIVE,
    ENDS_DAY,
    MIN_DAYS,
    MIN_GAPS,
    NOT_OVERLAPPING,
    OPT,
    SAME_DAY,
    SAME_HOUR,
    Grid,
    Pairs,
    Resources,
    Units,
)


def place_by_chain(grid: Grid, units: Units, res: Resources, pairs: Pairs, start: np.ndarray,
                   root: int, max_level: int, max_calls: int, seed: int) -> bool:
    """Place unplaced unit ``root`` by an ejection chain from ``start`` (updated, one
    placement code per unit, −1: not placed), NumPy's generator seeded with ``seed``.
    Returns whether ``root`` and every unit pushed out on the way are placed; when
    not, ``start`` is as it was."""
    if res.has_rules.any() or (res.sync >= 0).any():
        raise ValueError("the twin covers capacities and pair rules only")
    np.random.seed(seed)
    return _Chain(grid, units, res, pairs, start, max_level, max_calls).place(root, 0)


class _Chain:
    def __init__(self, grid: Grid, units: Units, res: Resources, pairs: Pairs,
                 start: np.ndarray, max_level: int, max_calls: int) -> None:
        self.grid, self.units, self.res, self.pairs = grid, units, res, pairs
        self.start = start
        self.max_level, self.max_calls = max_level, max_calls
        self.calls = 1                  # frames opened, the root's included
        self.in_chain: set[int] = set()
        self.log: list[tuple[int, int]] = []      # (unit, its start before)

    def holds(self, u: int, code: int) -> list[tuple[int, int]]:
        """(resource, cell) unit u holds when placed by ``code``, in footprint order."""
        DH = self.grid.n_days * self.grid.n_hours
        cell, option = code % DH, code // DH
        u_ = self.units
        return [(int(u_.fp_res[k]), cell + int(u_.fp_off[k]) % OPT)
                for k in range(u_.fp_ptr[u], u_.fp_ptr[u + 1])
                if u_.fp_off[k] // OPT - 1 in (-1, option)]

    def holders(self, r: int, x: int, but: int) -> list[int]:
        """Placed units other than ``but`` holding resource r at cell x, by index."""
        users = self.res.ru[self.res.ru_ptr[r]:self.res.ru_ptr[r + 1]]
        return [int(w) for w in users if w != but and self.start[w] >= 0
                and (r, x) in self.holds(w, self.start[w])]

    def breaks_pair(self, q: int, u: int, c: int) -> bool:
        """Whether pair row q is broken with u at c (its other unit where it is)."""
        a, b, dur_a, dur_b, kind, k = (int(v) for v in self.pairs.rows[q])
        H, DH = self.grid.n_hours, self.grid.n_days * self.grid.n_hours
        ca = (c if a == u else self.start[a]) % DH
        cb = (c if b == u else self.start[b]) % DH
        (day_a, hour_a), (day_b, hour_b) = divmod(ca, H), divmod(cb, H)
        if kind == MIN_DAYS:
            return abs(day_a - day_b) < k
        if kind == ADJACENT_IF_SAME_DAY:
            return day_a == day_b and hour_b != hour_a + dur_a and hour_a != hour_b + dur_b
        if kind == SAME_HOUR:
            return hour_a != hour_b
        if kind == SAME_DAY:
            return day_a != day_b
        if kind == MIN_GAPS:            # the later one starts k clock hours after the other ends
            first_end, second = (hour_b + dur_b, hour_a) if hour_a >= hour_b else \
                (hour_a + dur_a, hour_b)
            return day_a == day_b and second - first_end < k
        if kind == NOT_OVERLAPPING:
            return day_a == day_b and max(hour_a, hour_b) < min(hour_a + dur_a, hour_b + dur_b)
        if kind == ENDS_DAY:            # b has no hour after a ends that day
            return day_a == day_b and hour_b + dur_b > hour_a + dur_a
        assert kind == CONSECUTIVE          # b after a that day, only breaks between
        return day_a != day_b or hour_b < hour_a + dur_a or not all(
            self.grid.brk[day_a * H + h] for h in range(hour_a + dur_a, hour_b))

    def in_the_way(self, u: int, c: int) -> list[int] | None:
        """Units that must leave for u to go to c, in the kernel's order (full hours in
        footprint order, then broken pairs); ``None`` when c is impossible."""
        way: list[int] = []
        used = Counter(rx for w in range(len(self.start)) if self.start[w] >= 0
                       for rx in self.holds(w, self.start[w]))
        for r, x in self.holds(u, c):
            cap = int(self.res.cap[r, x])
            if cap == 0:
                return None
            if used[r, x] < cap:
                continue
            there = self.holders(r, x, but=u)
            if cap == 1:                    # one holder: it leaves
                if there[0] not in way:
                    way.append(there[0])
                continue
            leaving = None                  # one of several, uniformly (reservoir sampling)
            for seen, w in enumerate(there, 1):
                if w in way:                # one leaves already
                    leaving = None
                    break
                if np.random.randint(seen) == 0:
                    leaving = w
            if leaving is not None:
                way.append(leaving)
        for k in range(self.pairs.ptr[u], self.pairs.ptr[u + 1]):
            q = int(self.pairs.idx[k])
            a, b = int(self.pairs.rows[q, 0]), int(self.pairs.rows[q, 1])
            w = b if a == u else a
            if w != u and self.start[w] >= 0 and w not in way and self.breaks_pair(q, u, c):
                way.append(w)
        return way

    def allowed(self, way: list[int] | None, level: int) -> bool:
        return way is not None and not (way and level >= self.max_level) \
            and not any(w in self.in_chain for w in way)

    def starts_in_order(self, u: int, level: int) -> list[int]:
        """u's starts open at this level, fewest units in the way first, ties at random."""
        scored = []
        for c in self.units.dom_cell[self.units.dom_ptr[u]:self.units.dom_ptr[u + 1]]:
            way = self.in_the_way(u, int(c))
            if self.allowed(way, level):
                scored.append((len(way) + np.random.random(), int(c)))
        return [c for _, c in sorted(scored, key=lambda sc: sc[0])]

    def move(self, w: int, code: int) -> None:
        self.log.append((w, int(self.start[w])))
        self.start[w] = code

    def undo(self, mark: int) -> None:
        while len(self.log) > mark:
            w, before = self.log.pop()
            self.start[w] = before
            self.in_chain.discard(w)

    def place(self, u: int, level: int) -> bool:
        for c in self.starts_in_order(u, level):
            if self.calls > self.max_calls:
                return False
            way = self.in_the_way(u, c)     # drawn again: a pool may name another unit
            if not self.allowed(way, level):
                continue
            mark = len(self.log)
            for w in way:
                self.move(w, -1)
            self.move(u, c)
            self.in_chain.add(u)
            if self.place_again(way, level + 1):
                return True
            self.undo(mark)
        return False

    def place_again(self, way: list[int], level: int) -> bool:
        for w in way:
            if self.start[w] >= 0:          # already back in place
                continue
            self.calls += 1
            if not self.place(w, level):
                return False
        return True
