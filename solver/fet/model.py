"""CP-SAT model of a :class:`~jianfu.models.fet.FetProblem` and :func:`solve_fet`.

The FET problem is first compiled into the generic core shared with Chinese
schools (:func:`jianfu.models.fet_core.compile_fet` → :class:`jianfu.models.core.Problem`):
one slot per (day, hour), subgroups and teachers as resources, activities with
several teachers and groups, a duration and their allowed starts (every hard unary
rule applied on the models side, as the school compiler does), and one core
:class:`~jianfu.models.core.Constraint` record per FET constraint. :class:`FetModel`
reads everything from that core: its variables, resource occupancy, clashes and one
``add_<family>`` per FET constraint family (``problem.records(kind)``), named soft
terms summed into one objective, and reuses the engine's
:class:`~jianfu.solver.result.Status` mapping. It is a separate CP-SAT translation
from the school engine's (:mod:`jianfu.solver.school.build`) because FET's families
(pairwise rules between individual placements, per-hour gaps, rooms by rule) are
not the school's; both read the same core.

Variables: ``x[i][(d, h)]`` is 1 when activity ``i`` starts at day ``d``, hour ``h``;
one per allowed start of the core activity. Activities with room rules get
``y[i][r]``; a room some activities choose is a no-overlap of their intervals,
present when they use it (per-hour room-occupancy literals only where the room has a
soft not-available rule). Resource-hour occupancy is a sum of start literals under an at-most-one, so
counts (hours per day, days, gaps) are linear in them.

Soft terms: ``amount × round(100 × Weight_Percentage)``, divided by 10 000 in the
reported objective, so objective = Σ amount × weight% / 100, the cost
:func:`jianfu.models.fet_check.score_fet` computes, amount in FET's units. Excess
variables are bounded from below only, so a timetable CP-SAT has not proven optimal can
cost more here than the checker says; a solve reports the checker's score
(:func:`jianfu.solver.fet.solve.checked_terms`).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise

from ortools.sat.python import cp_model

from ...models.core import Constraint, Problem
from ...models.fet import BUILDING_KINDS, FetProblem, FetSolution, Placement, follows, room_rules
from ...models.fet_core import compile_fet
from ..result import BY_CP_SAT, BY_SEARCH, Statistics, StatisticsRow, Status, interruption_note  # noqa: F401

logger = logging.getLogger(__name__)

Cell = tuple[int, int]
SCALE = 10_000


class _Infeasible(Exception):
    """Raised while building when a hard rule leaves activity ``activity`` (a FET id)
    no place. Reported as proven only when the checker confirms it
    (:func:`jianfu.models.fet_check.cannot_place`)."""

    def __init__(self, message: str, activity: int) -> None:
        super().__init__(message)
        self.activity = activity


@dataclass(frozen=True, slots=True)
class _DayBuildings:
    """One resource's day, hour by hour, for the building-change rules.

    ``inb[h][b]``: 0/1, in building ``b`` at hour ``h``; ``some[h]``: 0/1, in any
    building.
    """

    inb: list[dict[str, cp_model.LinearExprT]]
    some: list[cp_model.LinearExprT]


class FetModel:
    """The CP-SAT translation; ``build`` lists the families like a table of contents.

    Built from ``self.core = compile_fet(problem)``: activities, domains, durations,
    resources and constraint records come from the core; ``self.p`` (the FET problem)
    is kept for activity ids.
    """

    def __init__(self, problem: FetProblem, *, optional: bool = False) -> None:
        self.p = problem
        self.core: Problem = compile_fet(problem)
        self.n_days = len(self.core.days)
        self.n_hours = 1 + max(s.period for s in self.core.slots)
        #: (day, hour) of every core slot; the variables are keyed by these cells
        self.cell_of: tuple[Cell, ...] = tuple((s.day, s.period) for s in self.core.slots)
        self.optional = optional          # activities may stay out (see ``present``)
        self.present: dict[int, cp_model.IntVar] = {}
        self.m = cp_model.CpModel()
        self.breaks = frozenset(self.cell_of[s] for c in self.core.records("BreakTimes")
                                if c.hard for s in c.slots)
        self.terms: dict[str, list[tuple[cp_model.LinearExprT, int]]] = defaultdict(list)
        self.x: list[dict[Cell, cp_model.IntVar]] = []
        self.y: list[dict[int | None, cp_model.IntVar]] = []
        self.fixed_room: list[int | None] = []
        self.cover: list[dict[Cell, list[cp_model.IntVar]]] = []
        self.dayv: list[dict[int, cp_model.IntVar]] = []
        self._days: dict[tuple[str, int], cp_model.IntVar] = {}
        self._exact_days: set[tuple[str, int]] = set()
        self._gaps: dict[tuple[str, int, int], list[cp_model.IntVar]] = {}
        self._later: dict[tuple[tuple[int, ...], int], list[cp_model.IntVar]] = {}
        self._day_buildings: dict[tuple[str, int], _DayBuildings] = {}
        self._start: dict[int, cp_model.IntVar] = {}
        self._last_building: dict[tuple[str, int], list[dict[str, cp_model.LinearExprT]]] = {}

    # -- helpers ------------------------------------------------------------------
    def soft(self, c: Constraint, expr: cp_model.LinearExprT, units: int = 1) -> None:
        self.terms[c.family].append((expr, units * round(100 * c.weight)))

    def at_most(self, c: Constraint, expr: cp_model.LinearExprT, bound: int, ub: int) -> None:
        """``expr ≤ bound``, hard or with an excess variable penalised."""
        if c.hard:
            self.m.Add(expr <= bound)
        elif ub > bound:
            ex = self.m.NewIntVar(0, ub - bound, "")
            self.m.Add(ex >= expr - bound)
            self.soft(c, ex)

    def at_least(self, c: Constraint, expr: cp_model.LinearExprT, bound: cp_model.LinearExprT,
                 ub: int) -> None:
        if c.hard:
            self.m.Add(expr >= bound)
        else:
            ex = self.m.NewIntVar(0, ub, "")
            self.m.Add(ex >= bound - expr)
            self.soft(c, ex)

    def starts_of(self, aid: int) -> dict[Cell, cp_model.IntVar]:
        """The start literals of the activity with FET id ``aid`` (the family tests pin them)."""
        return self.x[self.p.index_of(aid)]

    def cells(self, i: int, start: Cell) -> list[Cell]:
        d, h = start
        return [(d, h + k) for k in range(self.core.activities[i].duration)]

    def cells_of(self, c: Constraint) -> set[Cell]:
        """The (day, hour) cells of the slots a record names."""
        return {self.cell_of[s] for s in c.slots}

    def day_expr(self, i: int, d: int) -> cp_model.LinearExprT:
        """A literal: activity ``i`` is on day ``d`` (0 when it cannot be)."""
        return self.dayv[i].get(d, 0)

    def resource_cells(self, acts: Iterable[int]) -> dict[Cell, list[cp_model.IntVar]]:
        out: dict[Cell, list[cp_model.IntVar]] = defaultdict(list)
        for i in acts:
            for cell, lits in self.cover[i].items():
                out[cell].extend(lits)
        return out

    def works(self, key: str, acts: tuple[int, ...], d: int,
              cells: dict[Cell, list[cp_model.IntVar]]) -> cp_model.IntVar:
        """A literal at least as large as "the resource has a lesson on day d"."""
        k = (key, d)
        if k not in self._days:
            w = self.m.NewBoolVar("")
            for h in range(self.n_hours):
                for lit in cells.get((d, h), ()):
                    self.m.AddImplication(lit, w)
            self._days[k] = w
        return self._days[k]

    def works_exactly(self, key: str, acts: tuple[int, ...], d: int,
                      cells: dict[Cell, list[cp_model.IntVar]]) -> cp_model.IntVar:
        """:meth:`works`, bounded above too: 1 exactly when the resource has a lesson on
        day d (a minimum of days must not count a day without lessons)."""
        w = self.works(key, acts, d, cells)
        if (key, d) not in self._exact_days:
            self._exact_days.add((key, d))
            self.m.Add(w <= sum(self.day_expr(i, d) for i in acts))
        return w

    # -- domains ------------------------------------------------------------------
    def _domains(self) -> list[set[Cell]]:
        """Allowed starts: the core activities' ``slots`` (hard unary rules applied)."""
        core, cell = self.core, self.cell_of
        teacher_na: dict[int, set[Cell]] = defaultdict(set)
        sub_na: dict[int, set[Cell]] = defaultdict(set)
        for t, teacher in enumerate(core.teachers):
            if teacher.unavailable:
                teacher_na[t] = {cell[s] for s in teacher.unavailable}
        for g, group in enumerate(core.groups):
            if group.unavailable:
                sub_na[g] = {cell[s] for s in group.unavailable}
        self.teacher_na, self.sub_na = teacher_na, sub_na
        doms = [{cell[s] for s in a.slots} for a in core.activities]
        for i, dom in enumerate(doms):
            if not dom:
                name = core.activities[i].name
                raise _Infeasible(f"活动{name}没有可用的开始时间 activity "
                                  f"{name} has no allowed start (breaks, "
                                  f"not-available and preferred times leave none)",
                                  self.p.activities[i].id)
        return doms

    def _targets(self, c: Constraint) -> tuple[int, ...]:
        return c.activities

    # -- build ----------------------------------------------------------------------
    def build(self) -> None:
        """The grid (:meth:`build_grid`), then the rules (:meth:`build_rules`)."""
        self.build_grid()
        self.build_rules()

    def build_grid(self) -> None:
        """Start variables, rooms and one-at-a-time resources: all that
        :func:`jianfu.solver.fet.data.search_data` reads, so the search can begin
        while :meth:`build_rules` runs. Raises ``_Infeasible`` when an activity has
        no start or room at all."""
        doms = self._domains()
        self.add_variables(doms)
        self.add_rooms()
        self.add_resource_clashes()

    def build_rules(self) -> None:
        """One family per constraint kind, compact days, the objective, the search order."""
        for c in self.core.constraints:
            fn = getattr(self, "add_" + c.family, None)
            if fn is None:
                continue
            if c.weight > 0:
                fn(c)
            elif c.family == "MinDaysBetweenActivities" and c.param("consecutive"):
                self.add_consecutive_if_same_day(c)   # FET applies it even at 0 %
        self.add_compact_days()
        self.add_objective()
        self.add_search_order()

    def add_variables(self, doms: list[set[Cell]]) -> None:
        # activities that must start together (100 % ActivitiesSameStartingTime) share
        # their start literals: fewer variables and immediate propagation
        leader = list(range(len(doms)))

        def find(i: int) -> int:
            while leader[i] != i:
                leader[i] = leader[leader[i]]
                i = leader[i]
            return i
        for c in self.core.records("ActivitiesSameStartingTime"):
            if c.hard:
                idx = c.activities
                for j in idx[1:]:
                    leader[find(j)] = find(idx[0])
        for i, dom in enumerate(doms):
            r = find(i)
            if r != i:
                doms[r] &= dom
        shared: dict[int, dict[Cell, cp_model.IntVar]] = {}
        shared_days: dict[int, dict[int, cp_model.IntVar]] = {}
        for i in range(len(doms)):
            r = find(i)
            if r not in shared:
                if not doms[r]:
                    name = self.core.activities[i].name
                    raise _Infeasible(f"活动{name}与须同时开始的活动没有共同的开始时间 "
                                      f"activity {name}: no start shared with the "
                                      f"activities it must start with", self.p.activities[i].id)
                rname = self.core.activities[r].name
                shared[r] = {s: self.m.NewBoolVar(f"x{rname}_{s[0]}_{s[1]}")
                             for s in sorted(doms[r])}
                if self.optional:     # present ⇔ placed once (for assumption cores)
                    pres = self.m.NewBoolVar(f"present{rname}")
                    self.m.Add(sum(shared[r].values()) == pres)
                    self.present[r] = pres
                else:
                    self.m.AddExactlyOne(shared[r].values())
            xs = shared[r]
            self.x.append(xs)
            if r not in shared_days:
                by_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
                for (d, _), v in xs.items():
                    by_day[d].append(v)
                shared_days[r] = {}
                for d, lits in sorted(by_day.items()):
                    dv = self.m.NewBoolVar("")
                    self.m.Add(dv == sum(lits))
                    shared_days[r][d] = dv
            self.dayv.append(shared_days[r])
            cover: dict[Cell, list[cp_model.IntVar]] = defaultdict(list)
            for s, v in xs.items():
                for cell in self.cells(i, s):
                    cover[cell].append(v)
            self.cover.append(cover)

    def add_resource_clashes(self) -> None:
        """BasicCompulsoryTime: a teacher or subgroup is in one activity per hour.

        ``by_t`` / ``by_s``: the core's activities of each teacher / group that has
        any (keys in order of first activity, as the constraints are added).
        """
        seen: set[frozenset[int]] = set()
        groups: list[tuple[int, ...]] = []
        by_t: dict[int, list[int]] = defaultdict(list)
        by_s: dict[int, list[int]] = defaultdict(list)
        for a in self.core.activities:    # key order: first activity of each resource
            for t in a.teachers:
                by_t.setdefault(t, list(self.core.activities_of_teacher[t]))
            for s in a.groups:
                by_s.setdefault(s, list(self.core.activities_of_group[s]))
        for acts in (*by_t.values(), *by_s.values()):
            key = frozenset(acts)
            if len(acts) > 1 and key not in seen:
                seen.add(key)
                groups.append(tuple(acts))
        self.by_t, self.by_s = by_t, by_s
        acts_ = self.core.activities
        for acts in groups:
            cells = self.resource_cells(acts)
            # a resource busy in every hour it could use: each such hour is covered
            full = not self.optional and sum(acts_[i].duration for i in acts) == len(cells)
            for lits in cells.values():
                if full:
                    self.m.AddExactlyOne(lits)
                elif len(lits) > 1:
                    self.m.AddAtMostOne(lits)
            if full:
                # the same fact per day, as one linear row (a knapsack over the day)
                for d in range(self.n_days):
                    n = sum(1 for (dd, _) in cells if dd == d)
                    terms = [acts_[i].duration * v for i in acts
                             for (dd, _), v in self.x[i].items() if dd == d]
                    self.m.Add(sum(terms) == n)

    def add_rooms(self) -> None:
        """Room choice per activity with room rules; BasicCompulsorySpace; RoomNotAvailable.

        Interchangeable rooms (every activity that may use any of them may use exactly
        them, by 100 % rules only, with no not-available times) are a pool: a count per
        hour ≤ pool size suffices — per day the activities are intervals, and intervals
        with at most k overlapping can always be given k rooms (interval graphs are
        perfect) — and rooms are handed out after solving by :meth:`_pool_rooms`.
        """
        # the rooms that keep each rule, FET's home-room precedence applied
        # (the checker reads the same :func:`room_rules`)
        rules = {i: [(rooms_, self.core.constraints[k].weight, self.core.constraints[k])
                     for rooms_, k in reqs]
                 for i, reqs in room_rules(self.p).items()}
        room_na: dict[int, list[Constraint]] = defaultdict(list)
        for c in self.core.records("RoomNotAvailableTimes"):
            room_na[c.param("room")].append(c)
        users: dict[int, list[int]] = defaultdict(list)
        self.room_dom: list[tuple[int | None, ...]] = []
        for i, a in enumerate(self.core.activities):
            reqs = rules.get(i, [])
            fits = {r for r, room in enumerate(self.core.pools) if room.capacity >= a.size}
            hard = [rooms for rooms, w, _ in reqs if w >= 100]
            if hard:
                dom: set[int | None] = set(fits.intersection(*hard))
                if not dom:
                    raise _Infeasible(f"活动{a.name}没有满足全部教室要求的教室 activity {a.name}: "
                                      f"no room meets all its 100% room rules",
                                      self.p.activities[i].id)
            elif reqs:
                dom = {r for rooms, _, _ in reqs for r in rooms if r in fits} | {None}
            else:
                dom = {None}
            order = tuple(sorted(dom, key=lambda r: -1 if r is None else r))
            self.room_dom.append(order)
            for r in order:
                if r is not None:
                    users[r].append(i)
        self.pools: dict[tuple[int, ...], list[int]] = {}
        pooled: set[int] = set()
        # a pool's rooms are handed out after solving, so building rules need its
        # rooms in one building
        buildings = any(c.family in BUILDING_KINDS and c.weight > 0
                        for c in self.core.constraints)
        # rest: nor can a rule on how many distinct rooms activities use
        counted = {i for c in self.core.records("ActivitiesOccupyMaxDifferentRooms",
                                                "ActivitiesSameRoomIfConsecutive")
                   if c.weight > 0 for i in c.activities}
        for dom_ in {d for d in self.room_dom if len(d) > 1 and None not in d}:
            acts = sorted({i for r in dom_ for i in users[r]})
            if all(self.room_dom[i] == dom_ and all(w >= 100 for _, w, _ in rules.get(i, []))
                   for i in acts) and not any(r in room_na for r in dom_) and \
                    not (buildings and len({self.p.rooms[r].building for r in dom_}) > 1) and \
                    counted.isdisjoint(acts):
                self.pools[dom_] = acts        # type: ignore[index]
                pooled.update(acts)
                per_cell = self.resource_cells(acts)
                for lits in per_cell.values():
                    if len(lits) > len(dom_):
                        self.m.Add(sum(lits) <= len(dom_))
        for i in range(len(self.core.activities)):
            order = self.room_dom[i]
            ys = {r: self.m.NewBoolVar("") for r in order} \
                if len(order) > 1 and i not in pooled else {}
            if ys:
                self.m.AddExactlyOne(ys.values())
            self.y.append(ys)
            for rooms, w, c in rules.get(i, []):
                if w < 100:
                    inside = [ys[r] for r in order if r in rooms] if ys else \
                        ([1] if order[0] in rooms else [])
                    self.soft(c, 1 - sum(inside))
        for r, acts in users.items():
            if acts[0] in pooled:
                continue
            chooses = any(len(self.room_dom[i]) > 1 for i in acts)
            if chooses and not any(not c.hard for c in room_na.get(r, ())):
                self._room_no_overlap(r, acts, room_na.get(r, ()))
                continue
            per_cell: dict[Cell, list[cp_model.LinearExprT]] = defaultdict(list)
            for i in acts:
                if len(self.room_dom[i]) == 1:
                    for cell, lits in self.cover[i].items():
                        per_cell[cell].append(sum(lits))
                    continue
                if len(acts) == 1 and r not in room_na:
                    continue
                for cell, lits in self.cover[i].items():
                    z = self.m.NewBoolVar("")
                    self.m.AddImplication(z, self.y[i][r])
                    self.m.Add(z <= sum(lits))
                    # z = y ∧ occupied: lower bound so the room is really counted
                    self.m.Add(z >= self.y[i][r] + sum(lits) - 1)
                    per_cell[cell].append(z)
            for cell, terms in per_cell.items():
                if len(terms) > 1:
                    self.m.Add(sum(terms) <= 1)
            for c in room_na.get(r, ()):
                for cell in sorted(self.cells_of(c)):
                    for term in per_cell.get(cell, ()):
                        if c.hard:
                            self.m.Add(term == 0)
                        else:
                            self.soft(c, term)

    def _room_no_overlap(self, r: int, acts: list[int], na: list[Constraint]) -> None:
        """BasicCompulsorySpace for a room some activities choose among others: one
        interval per activity that may use it, present when it does, and the room's
        100 % not-available hours as fixed intervals, none overlapping.

        The same timetables as a literal per (activity, room, hour) — "in this room
        then" — under an at-most-one per hour, which took 244 000 literals and 13 s
        to build on TelPolytech_even (472 activities choosing among 20 rooms), where
        the intervals are one per activity and room. Activities of the room only
        keep their per-hour at-most-one as well (it propagates at once).
        """
        H = self.n_hours
        intervals = []
        fixed: dict[Cell, list[cp_model.LinearExprT]] = defaultdict(list)
        for i in acts:
            size = self.core.activities[i].duration
            if len(self.room_dom[i]) == 1:
                intervals.append(self.m.NewFixedSizeIntervalVar(self.start_of(i), size, ""))
                for cell, lits in self.cover[i].items():
                    fixed[cell].append(sum(lits))
            else:
                intervals.append(self.m.NewOptionalFixedSizeIntervalVar(
                    self.start_of(i), size, self.y[i][r], ""))
        for c in na:
            for d, h in sorted(self.cells_of(c)):
                intervals.append(self.m.NewFixedSizeIntervalVar(d * H + h, 1, ""))
        self.m.AddNoOverlap(intervals)
        for terms in fixed.values():
            if len(terms) > 1:
                self.m.Add(sum(terms) <= 1)

    def start_of(self, i: int) -> cp_model.IntVar:
        """Activity ``i``'s start as one integer, day × hours a day + hour (activities
        starting together share it)."""
        key = id(self.x[i])
        if key not in self._start:
            H = self.n_hours
            codes = {d * H + h: v for (d, h), v in self.x[i].items()}
            t = self.m.NewIntVarFromDomain(cp_model.Domain.FromValues(sorted(codes)), "")
            self.m.Add(t == sum(k * v for k, v in codes.items()))
            self._start[key] = t
        return self._start[key]

    def _pool_rooms(self, starts: dict[int, Cell]) -> dict[int, int]:
        """Rooms for pooled activities: per day, interval colouring by start hour."""
        out: dict[int, int] = {}
        for rooms, acts in self.pools.items():
            by_day: dict[int, list[int]] = defaultdict(list)
            for i in acts:
                by_day[starts[i][0]].append(i)
            for day_acts in by_day.values():
                free_at = {r: 0 for r in rooms}       # first hour each room is free
                for i in sorted(day_acts, key=lambda i: starts[i][1]):
                    h = starts[i][1]
                    r = next(r for r in rooms if free_at[r] <= h)
                    free_at[r] = h + self.core.activities[i].duration
                    out[i] = r
        return out

    # -- unary soft time rules (hard ones are domains) -----------------------------
    def _soft_starts(self, c: Constraint, bad: Callable[[int, Cell], int]) -> None:
        if c.hard:
            return
        for i in self._targets(c):
            for s, v in self.x[i].items():
                n = bad(i, s)
                if n:
                    self.soft(c, v, n)

    def add_BreakTimes(self, c: Constraint) -> None:
        slots = self.cells_of(c)
        if not c.hard:
            for i in range(len(self.core.activities)):
                for s, v in self.x[i].items():
                    n = sum(cell in slots for cell in self.cells(i, s))
                    if n:
                        self.soft(c, v, n)

    def add_TeacherNotAvailableTimes(self, c: Constraint) -> None:
        slots = self.cells_of(c)
        if not c.hard:
            for i in (i for t in c.teachers for i in self.by_t.get(t, ())):
                for s, v in self.x[i].items():
                    n = sum(cell in slots for cell in self.cells(i, s))
                    if n:
                        self.soft(c, v, n)

    def add_StudentsSetNotAvailableTimes(self, c: Constraint) -> None:
        """Soft: each hour in the slots costs once per subgroup of the set the activity
        has (FET's unit)."""
        slots, subs = self.cells_of(c), set(c.groups)
        if not c.hard:
            for i, a in enumerate(self.core.activities):
                k = len(subs & set(a.groups))
                if k:
                    for s, v in self.x[i].items():
                        n = sum(cell in slots for cell in self.cells(i, s))
                        if n:
                            self.soft(c, v, k * n)

    def add_ActivityPreferredStartingTimes(self, c: Constraint) -> None:
        """The record's ``slots`` are the starts it prefers (one day/hour or a list)."""
        ok = self.cells_of(c)
        self._soft_starts(c, lambda i, s: int(s not in ok))

    add_ActivityPreferredStartingTime = add_ActivityPreferredStartingTimes
    add_ActivitiesPreferredStartingTimes = add_ActivityPreferredStartingTimes

    def add_ActivityPreferredTimeSlots(self, c: Constraint) -> None:
        """One unit per hour of the activity outside the slots (FET's unit)."""
        ok = self.cells_of(c)
        self._soft_starts(c, lambda i, s: sum(x not in ok for x in self.cells(i, s)))

    add_ActivitiesPreferredTimeSlots = add_ActivityPreferredTimeSlots

    # -- pairwise rules -------------------------------------------------------------
    def add_MinDaysBetweenActivities(self, c: Constraint) -> None:
        idx = c.activities
        k, D = c.param("min_days"), self.n_days
        if c.hard:
            for d0 in range(D - min(k, D) + 1):
                # over the start literals: one clique CP-SAT's presolve can merge
                self.m.AddAtMostOne([v for i in idx for (d, _), v in self.x[i].items()
                                     if d0 <= d < d0 + k])
        else:
            for n, i in enumerate(idx):
                for j in idx[n + 1:]:
                    if k == 1:
                        v = self.m.NewBoolVar("")
                        for d in range(D):
                            self.m.Add(v >= self.day_expr(i, d) + self.day_expr(j, d) - 1)
                    else:
                        v = self.m.NewIntVar(0, k, "")
                        for d in range(D):
                            for e in range(max(0, d - k + 1), min(D, d + k)):
                                self.m.Add(v >= (k - abs(d - e)) *
                                           (self.day_expr(i, d) + self.day_expr(j, e) - 1))
                    self.soft(c, v)
        if c.param("consecutive") and not (c.hard and k >= 1):   # hard: never one day
            self.add_consecutive_if_same_day(c)

    def add_consecutive_if_same_day(self, c: Constraint) -> None:
        """Consecutive_If_Same_Day: activities on one day are adjacent, whatever the weight.

        FET enforces this part of MinDaysBetweenActivities as a must even when the
        constraint's weight is below 100 % (even 0 %): fet-cl cannot place a locked
        timetable that breaks it.
        """
        idx = c.activities
        for n, i in enumerate(idx):
            for j in idx[n + 1:]:
                self._adjacent_if_same_day(i, j)

    def _adjacent_if_same_day(self, i: int, j: int) -> None:
        di, dj = self.core.activities[i].duration, self.core.activities[j].duration
        for (d, h), v in self.x[i].items():
            same = self.day_expr(j, d)
            # strictly adjacent: unlike TwoActivitiesConsecutive, fet-cl does not let a
            # break hour between them count as consecutive here
            ok = [self.x[j][s] for s in ((d, h + di), (d, h - dj)) if s in self.x[j]]
            self.m.Add(v + same - sum(ok) <= 1)

    def add_ActivitiesSameStartingTime(self, c: Constraint) -> None:
        """Hard: each starts with the first. Soft: 1 per pair starting apart (FET's unit)."""
        idx = c.activities
        pairs = [(idx[0], j) for j in idx[1:]] if c.hard else \
            [(i, j) for k, i in enumerate(idx) for j in idx[k + 1:]]
        for i, j in pairs:
            v = None if c.hard else self.m.NewBoolVar("")
            for s in set(self.x[i]) | set(self.x[j]):
                a, b = self.x[i].get(s, 0), self.x[j].get(s, 0)
                if c.hard:
                    self.m.Add(a == b)
                else:
                    self.m.Add(v >= a - b)
            if v is not None:
                self.soft(c, v)

    def add_TwoActivitiesConsecutive(self, c: Constraint) -> None:
        i, j = c.activities      # first, second
        di = self.core.activities[i].duration
        v = None if c.hard else self.m.NewBoolVar("")
        for (d, h), lit in self.x[i].items():
            nxt = sum(w for (dd, h2), w in self.x[j].items()
                      if dd == d and follows(self.breaks, d, h + di, h2))
            if c.hard:
                self.m.Add(lit <= nxt)
            else:
                self.m.Add(v >= lit - nxt)
        if v is not None:
            self.soft(c, v)

    # -- relations between activities ----------------------------------------------
    def _pairs(self, c: Constraint) -> list[tuple[int, int]]:
        """Pairs of the record's activities, the earlier-listed first (FET's pairs)."""
        idx = c.activities
        return [(i, j) for n, i in enumerate(idx) for j in idx[n + 1:]]

    def add_ActivitiesNotOverlapping(self, c: Constraint) -> None:
        """Hard: the activities share a virtual resource, one of them per hour. Soft: each
        hour a pair shares costs one."""
        if c.hard:
            for lits in self.resource_cells(c.activities).values():
                if len(lits) > 1:
                    self.m.AddAtMostOne(lits)
            return
        for i, j in self._pairs(c):
            for cell in set(self.cover[i]) & set(self.cover[j]):
                both = self.m.NewBoolVar("")
                self.m.Add(both >= sum(self.cover[i][cell]) + sum(self.cover[j][cell]) - 1)
                self.soft(c, both)

    def add_MinGapsBetweenActivities(self, c: Constraint) -> None:
        """Hard: each activity, lengthened by ``MinGaps`` hours, keeps to itself (two
        lengthened activities overlap exactly when the later one starts less than
        ``MinGaps`` hours after the earlier ends; hours past the end of the day are
        virtual). Soft: per pair, the hours short, as the checker counts them."""
        k = c.param("min_gaps")
        if c.hard:
            extended: dict[Cell, list[cp_model.IntVar]] = defaultdict(list)
            for i in c.activities:
                span = self.core.activities[i].duration + k
                for (d, h), v in self.x[i].items():
                    for hh in range(h, h + span):
                        extended[(d, hh)].append(v)
            for lits in extended.values():
                if len(lits) > 1:
                    self.m.AddAtMostOne(lits)
            return
        for i, j in self._pairs(c):
            di, dj = self.core.activities[i].duration, self.core.activities[j].duration
            rows = []
            for (d, h), xi in self.x[i].items():
                for (d2, h2), xj in self.x[j].items():
                    if d2 == d:
                        short = h2 + dj + k - h if h >= h2 else h + di + k - h2
                        if short > 0:
                            rows.append((short, xi, xj))
            if rows:
                v = self.m.NewIntVar(0, max(r[0] for r in rows), "")
                for short, xi, xj in rows:
                    self.m.Add(v >= short * (xi + xj - 1))
                self.soft(c, v)

    def _same(self, c: Constraint, key: Callable[[Cell], int]) -> None:
        """The activities' starts agree on ``key`` (the hour or the day); soft: per pair."""
        by: dict[int, dict[int, list[cp_model.IntVar]]] = {}
        for i in c.activities:
            by[i] = defaultdict(list)
            for s, v in self.x[i].items():
                by[i][key(s)].append(v)
        if c.hard:
            i0 = c.activities[0]
            for j in c.activities[1:]:
                for val in set(by[i0]) | set(by[j]):
                    self.m.Add(sum(by[i0].get(val, [])) == sum(by[j].get(val, [])))
            return
        for i, j in self._pairs(c):
            differ = self.m.NewBoolVar("")
            for val in by[i]:
                self.m.Add(differ >= sum(by[i][val]) - sum(by[j].get(val, [])))
            self.soft(c, differ)

    def add_ActivitiesSameStartingHour(self, c: Constraint) -> None:
        self._same(c, lambda s: s[1])

    def add_ActivitiesSameStartingDay(self, c: Constraint) -> None:
        self._same(c, lambda s: s[0])

    def _chains(self, idx: tuple[int, ...]) -> list[tuple[cp_model.IntVar, ...]]:
        """Start literals of every way to put the activities back to back on one day,
        in any order (break hours between allowed), one literal per activity."""
        out: list[tuple[cp_model.IntVar, ...]] = []

        def extend(rest: tuple[int, ...], d: int, end: int,
                   lits: tuple[cp_model.IntVar, ...]) -> None:
            if not rest:
                out.append(lits)
                return
            for n, j in enumerate(rest):
                for (dd, h), v in self.x[j].items():
                    if dd == d and (end < 0 or follows(self.breaks, d, end, h)):
                        extend(rest[:n] + rest[n + 1:], d,
                               h + self.core.activities[j].duration, (*lits, v))
        for d in range(self.n_days):
            extend(idx, d, -1, ())
        return out

    def add_TwoActivitiesGrouped(self, c: Constraint) -> None:
        """One literal per way to place the group back to back (:meth:`_chains`), true
        only with all its starts; hard: each start taken lies on a chosen way; soft:
        1 when none is chosen."""
        chosen = []
        on: dict[int, list[cp_model.IntVar]] = defaultdict(list)     # start literal → ways
        for lits in self._chains(c.activities):
            z = self.m.NewBoolVar("")
            for v in lits:
                self.m.AddImplication(z, v)
                on[v.Index()].append(z)
            chosen.append(z)
        if c.hard:
            for i in c.activities:
                for v in self.x[i].values():
                    self.m.Add(v <= sum(on.get(v.Index(), [])))
        else:
            self.soft(c, 1 - sum(chosen))

    add_ThreeActivitiesGrouped = add_TwoActivitiesGrouped

    def add_TwoActivitiesOrdered(self, c: Constraint) -> None:
        """The first ends no later than the second starts, on the clock day × (H + 1) +
        hour (a later day always comes later); soft: 1 when it does not."""
        i, j = c.activities
        di, step = self.core.activities[i].duration, self.n_hours + 1
        end = sum((d * step + h + di) * v for (d, h), v in self.x[i].items())
        start = sum((d * step + h) * v for (d, h), v in self.x[j].items())
        self._unless_broken(c, [end <= start])

    def add_TwoActivitiesOrderedIfSameDay(self, c: Constraint) -> None:
        """Per day: the first's end is at most the second's start when the second is on
        that day (at most the day's length, which always holds, when it is not)."""
        i, j = c.activities
        di, H = self.core.activities[i].duration, self.n_hours
        rows = []
        for d in range(self.n_days):
            end = sum((h + di) * v for (dd, h), v in self.x[i].items() if dd == d)
            start = sum(h * v for (dd, h), v in self.x[j].items() if dd == d)
            rows.append(end <= start + H * (1 - self.day_expr(j, d)))
        self._unless_broken(c, rows)

    def _unless_broken(self, c: Constraint, rows: list) -> None:
        """``rows`` hard, or each enforced unless one penalised "broken" literal is set."""
        broken = None if c.hard else self.m.NewBoolVar("")
        for row in rows:
            ct = self.m.Add(row)
            if broken is not None:
                ct.OnlyEnforceIf(broken.Not())
        if broken is not None:
            self.soft(c, broken)

    # -- per-resource counting rules -----------------------------------------------
    def _resources(self, c: Constraint) -> list[tuple[str, tuple[int, ...], set[Cell]]]:
        """(key, activity indices, 100 % not-available cells) per bound resource."""
        out = []
        if "Teacher" in c.family:
            for t in c.teachers:
                out.append((f"t{t}", tuple(self.by_t.get(t, ())), self.teacher_na[t]))
        else:
            first: dict[tuple, str] = {}
            for s in c.groups:
                acts = tuple(self.by_s.get(s, ()))
                key = (acts, frozenset(self.sub_na[s]))
                if key in first and c.hard:   # identical subgroups, identical constraints
                    continue
                # a soft rule costs once per subgroup, as the checker counts: an
                # identical subgroup reuses the first one's literals
                out.append((first.setdefault(key, f"s{s}"), acts, self.sub_na[s]))
        return out

    def add_TeacherMaxDaysPerWeek(self, c: Constraint) -> None:
        """At most ``bound`` days with lessons. Soft, FET's unit: the hours of the
        ``days − bound`` least busy days, as ``Σ drop_d × hours_d`` over a chosen set
        of that many days (minimising picks the least busy)."""
        bound, H = c.param("bound"), self.n_hours
        if bound >= self.n_days:
            return
        for key, acts, _ in self._resources(c):
            cells = self.resource_cells(acts)
            if c.hard:
                days = [self.works(key, acts, d, cells) for d in range(self.n_days)]
                self.m.Add(sum(days) <= bound)
                continue
            drop = [self.m.NewBoolVar("") for _ in range(self.n_days)]
            self.m.Add(sum(drop) == self.n_days - bound)
            for d, dv in enumerate(drop):
                hours = sum(lit for h in range(H) for lit in cells.get((d, h), ()))
                lost = self.m.NewIntVar(0, H, "")
                self.m.Add(lost >= hours - H * (1 - dv))
                self.soft(c, lost)

    add_TeachersMaxDaysPerWeek = add_TeacherMaxDaysPerWeek      # counts group

    def add_TeacherMaxHoursDaily(self, c: Constraint) -> None:
        """At most ``bound`` hours a day; soft, one unit per day over, as FET counts."""
        H, bound = self.n_hours, c.param("bound")
        for key, acts, _ in self._resources(c):
            cells = self.resource_cells(acts)
            for d in range(self.n_days):
                hours = [lit for h in range(H) for lit in cells.get((d, h), ())]
                if len(hours) <= bound:
                    continue
                if c.hard:
                    self.m.Add(sum(hours) <= bound)
                else:
                    over = self.m.NewBoolVar("")
                    self.m.Add(sum(hours) <= bound + (H - bound) * over)
                    self.soft(c, over)

    add_TeachersMaxHoursDaily = add_TeacherMaxHoursDaily
    add_StudentsSetMaxHoursDaily = add_TeacherMaxHoursDaily      # counts group
    add_StudentsMaxHoursDaily = add_TeacherMaxHoursDaily

    def add_TeacherMinHoursDaily(self, c: Constraint) -> None:
        """At least ``bound`` hours on a day (with lessons, if empty days are allowed);
        soft, a teacher's day short is one unit, a subgroup's the hours short (FET's
        units)."""
        H, bound = self.n_hours, c.param("bound")
        per_day = "Teacher" in c.family
        for key, acts, _ in self._resources(c):
            cells = self.resource_cells(acts)
            for d in range(self.n_days):
                hours = sum(lit for h in range(H) for lit in cells.get((d, h), ()))
                need = bound * self.works(key, acts, d, cells) if c.param("allow_empty") else bound
                if per_day and not c.hard:
                    short = self.m.NewBoolVar("")
                    self.m.Add(hours + bound * short >= need)
                    self.soft(c, short)
                else:
                    self.at_least(c, hours, need, bound)

    add_TeachersMinHoursDaily = add_TeacherMinHoursDaily
    add_StudentsSetMinHoursDaily = add_TeacherMinHoursDaily
    add_StudentsMinHoursDaily = add_TeacherMinHoursDaily

    def gaps(self, key: str, acts: tuple[int, ...], d: int, na: set[Cell]) -> list[cp_model.IntVar]:
        """Gap literals of one resource and day (each ≥ "hour h is a gap")."""
        k = (key, d, 0)
        if k in self._gaps:
            return self._gaps[k]
        H = self.n_hours
        cells = self.resource_cells(acts)
        busy = [cells.get((d, h), []) for h in range(H)]
        before = [self.m.NewBoolVar("") for _ in range(H)]
        after = [self.m.NewBoolVar("") for _ in range(H)]
        for h in range(1, H):
            self.m.AddImplication(before[h - 1], before[h])
            for lit in busy[h - 1]:
                self.m.AddImplication(lit, before[h])
        for h in range(H - 2, -1, -1):
            self.m.AddImplication(after[h + 1], after[h])
            for lit in busy[h + 1]:
                self.m.AddImplication(lit, after[h])
        out = []
        for h in range(1, H - 1):
            if (d, h) in self.breaks or (d, h) in na:
                continue
            g = self.m.NewBoolVar("")
            self.m.Add(g >= before[h] + after[h] - sum(busy[h]) - 1)
            out.append(g)
        self._gaps[k] = out
        return out

    def add_TeacherMaxGapsPerWeek(self, c: Constraint) -> None:
        per_day, bound = c.family.endswith("PerDay"), c.param("bound")
        for key, acts, na in self._resources(c):
            if not acts:
                continue
            days = [self.gaps(key, acts, d, na) for d in range(self.n_days)]
            if per_day:
                for g in days:
                    if len(g) > bound:
                        self.at_most(c, sum(g), bound, len(g))
            else:
                allg = [x for g in days for x in g]
                if len(allg) > bound:
                    self.at_most(c, sum(allg), bound, len(allg))

    add_TeachersMaxGapsPerWeek = add_TeacherMaxGapsPerWeek
    add_TeacherMaxGapsPerDay = add_TeacherMaxGapsPerWeek
    add_TeachersMaxGapsPerDay = add_TeacherMaxGapsPerWeek
    add_StudentsMaxGapsPerWeek = add_TeacherMaxGapsPerWeek
    add_StudentsSetMaxGapsPerWeek = add_TeacherMaxGapsPerWeek

    def add_StudentsEarlyMaxBeginningsAtSecondHour(self, c: Constraint) -> None:
        for key, acts, na in self._resources(c):
            if not acts:
                continue
            cells = self.resource_cells(acts)
            seconds = []
            for d in range(self.n_days):
                avail = [h for h in range(self.n_hours)
                         if (d, h) not in self.breaks and (d, h) not in na]
                if not avail:
                    continue
                works = self.works(key, acts, d, cells)
                b0 = sum(cells.get((d, avail[0]), []))
                b1 = sum(cells.get((d, avail[1]), [])) if len(avail) > 1 else 0
                late = works - b0 - b1
                if c.hard:
                    self.m.Add(late <= 0)
                else:
                    v = self.m.NewBoolVar("")
                    self.m.Add(v >= late)
                    self.soft(c, v)
                if len(avail) > 1:
                    sec = self.m.NewBoolVar("")     # a late day is a late beginning too
                    self.m.Add(sec >= works - b0)
                    seconds.append(sec)
            if len(seconds) > c.param("bound"):
                self.at_most(c, sum(seconds), c.param("bound"), len(seconds))

    add_StudentsSetEarlyMaxBeginningsAtSecondHour = add_StudentsEarlyMaxBeginningsAtSecondHour

    # -- dayshape: per day, the last lesson, parts of split activities, tags -------------
    add_StudentsMaxGapsPerDay = add_TeacherMaxGapsPerWeek
    add_StudentsSetMaxGapsPerDay = add_TeacherMaxGapsPerWeek
    add_SubactivitiesPreferredStartingTimes = add_ActivityPreferredStartingTimes

    add_SubactivitiesPreferredTimeSlots = add_ActivityPreferredTimeSlots

    def over(self, c: Constraint, expr: cp_model.LinearExprT, bound: int, ub: int,
             units: int = 1) -> None:
        """``expr ≤ bound`` (``expr`` at most ``ub``), hard, or ``units`` penalised once
        when it is exceeded, by however much (FET counts broken instances here)."""
        if ub <= bound:
            return
        if c.hard:
            self.m.Add(expr <= bound)
        else:
            v = self.m.NewBoolVar("")
            self.m.Add(expr - bound <= (ub - bound) * v)
            self.soft(c, v, units)

    def later(self, s: int, d: int) -> list[cp_model.IntVar]:
        """``late[h]`` ≥ "subgroup ``s`` has a lesson at hour ``h`` or later on day ``d``",
        shared by subgroups with the same activities."""
        acts = tuple(self.by_s.get(s, ()))
        key = (acts, d)
        if key not in self._later:
            cells = self.resource_cells(acts)
            late = [self.m.NewBoolVar("") for _ in range(self.n_hours)]
            for h in range(self.n_hours):
                for lit in cells.get((d, h), ()):
                    self.m.AddImplication(lit, late[h])
                if h + 1 < self.n_hours:
                    self.m.AddImplication(late[h + 1], late[h])
            self._later[key] = late
        return self._later[key]

    def add_ActivityEndsStudentsDay(self, c: Constraint) -> None:
        """No subgroup of the activity has a lesson after it that day (one unit per
        activity that is not last)."""
        for i in c.activities:
            a = self.core.activities[i]
            # one subgroup for each set of activities (identical subgroups say the same)
            subs = {tuple(self.by_s.get(s, ())): s for s in a.groups}.values()
            broken = None if c.hard else self.m.NewBoolVar("")
            for (d, h), x in self.x[i].items():
                if h + a.duration >= self.n_hours:
                    continue
                for s in subs:
                    late = self.later(s, d)[h + a.duration]
                    if c.hard:
                        self.m.AddBoolOr([x.Not(), late.Not()])
                    else:
                        self.m.Add(broken >= x + late - 1)
            if broken is not None:
                self.soft(c, broken)

    add_ActivitiesEndStudentsDay = add_ActivityEndsStudentsDay

    def add_ActivitiesOccupyMaxTimeSlotsFromSelection(self, c: Constraint) -> None:
        """A literal per selected slot, "some listed activity is there", at most ``max``
        of them. When the activities share a teacher or a subgroup (a class's lessons)
        at most one is in a slot, so their cover literals are counted directly: the
        same count, and a row CP-SAT propagates at once."""
        acts = [self.core.activities[i] for i in c.activities]
        shared = set.intersection(*(set(a.teachers) for a in acts)) or \
            set.intersection(*(set(a.groups) for a in acts))
        cover = self.resource_cells(c.activities)
        used = []
        for cell in sorted(self.cells_of(c)):
            if not cover.get(cell):
                continue
            if shared:
                used.extend(cover[cell])
                continue
            u = self.m.NewBoolVar("")
            for lit in cover[cell]:
                self.m.AddImplication(lit, u)
            used.append(u)
        self.over(c, sum(used), c.param("max"), min(len(used), len(self.cells_of(c))))

    def _tagged(self, c: Constraint) -> list[tuple[dict[Cell, list[cp_model.IntVar]], int]]:
        """Per distinct bound resource: the cover literals of its activities with the
        rule's tag, and how many bound resources have exactly its activities (each
        counts in FET's penalty)."""
        tag = c.param("tag")
        if "Teacher" in c.family:
            acts = Counter(tuple(self.by_t.get(t, ())) for t in c.teachers)
        else:
            acts = Counter(tuple(self.by_s.get(s, ())) for s in c.groups)
        return [(self.resource_cells([i for i in mine if tag in self.core.activities[i].tags]), n)
                for mine, n in acts.items() if mine]

    def add_TeacherActivityTagMaxHoursDaily(self, c: Constraint) -> None:
        """Tagged hours per day at most the bound; soft, one unit per day over it."""
        for cells, n in self._tagged(c):
            for d in range(self.n_days):
                hours = [lit for h in range(self.n_hours) for lit in cells.get((d, h), ())]
                self.over(c, sum(hours), c.param("bound"), min(len(hours), self.n_hours), n)

    add_TeachersActivityTagMaxHoursDaily = add_TeacherActivityTagMaxHoursDaily
    add_StudentsSetActivityTagMaxHoursDaily = add_TeacherActivityTagMaxHoursDaily
    add_StudentsActivityTagMaxHoursDaily = add_TeacherActivityTagMaxHoursDaily

    def add_TeacherActivityTagMaxHoursContinuously(self, c: Constraint) -> None:
        """No run of more than ``bound`` tagged hours: each window of ``bound + 1``
        hours has a free one; soft, one unit per over-long run, counted where it starts
        (the window is full and the hour before it is not tagged)."""
        bound, H = c.param("bound"), self.n_hours
        for cells, n in self._tagged(c):
            for d in range(self.n_days):
                lits = [cells.get((d, h), []) for h in range(H)]
                for h0 in range(H - bound):
                    hours = range(h0, h0 + bound + 1)
                    if not all(lits[h] for h in hours):     # an hour never tagged
                        continue
                    window = sum(lit for h in hours for lit in lits[h])
                    if c.hard:
                        self.m.Add(window <= bound)
                    else:
                        run = self.m.NewBoolVar("")
                        self.m.Add(run >= window - bound - sum(lits[h0 - 1] if h0 else []))
                        self.soft(c, run, n)

    add_TeachersActivityTagMaxHoursContinuously = add_TeacherActivityTagMaxHoursContinuously
    add_StudentsSetActivityTagMaxHoursContinuously = add_TeacherActivityTagMaxHoursContinuously
    add_StudentsActivityTagMaxHoursContinuously = add_TeacherActivityTagMaxHoursContinuously
    # -- counts group: runs of hours, days per week, days in an hour interval ---------
    def add_TeacherMaxHoursContinuously(self, c: Constraint) -> None:
        """No run of more than ``bound`` busy hours (any hour not busy ends one).

        Hard: every ``bound + 1`` consecutive hours the resource could all use hold at
        most ``bound`` lessons. Soft: one unit per longer run, counted where it
        starts — the window from that hour full and the hour before free.
        """
        bound, H = c.param("bound"), self.n_hours
        for _key, acts, _ in self._resources(c):
            cells = self.resource_cells(acts)
            for d in range(self.n_days):
                busy = [sum(cells.get((d, h), ())) for h in range(H)]
                for h in range(H - bound):
                    if not all(cells.get((d, k)) for k in range(h, h + bound + 1)):
                        continue
                    window = sum(busy[h:h + bound + 1])
                    if c.hard:
                        self.m.Add(window <= bound)
                    else:
                        starts = self.m.NewBoolVar("")
                        self.m.Add(starts >= window - bound - (busy[h - 1] if h else 0))
                        self.soft(c, starts)

    add_TeachersMaxHoursContinuously = add_TeacherMaxHoursContinuously
    add_StudentsSetMaxHoursContinuously = add_TeacherMaxHoursContinuously
    add_StudentsMaxHoursContinuously = add_TeacherMaxHoursContinuously

    def add_TeacherMinDaysPerWeek(self, c: Constraint) -> None:
        """At least ``bound`` days with lessons (a teacher without any breaks it)."""
        bound = c.param("bound")
        for key, acts, _ in self._resources(c):
            cells = self.resource_cells(acts)
            days = [self.works_exactly(key, acts, d, cells) for d in range(self.n_days)]
            self.at_least(c, sum(days), bound, bound)

    add_TeachersMinDaysPerWeek = add_TeacherMinDaysPerWeek

    def add_TeacherIntervalMaxDaysPerWeek(self, c: Constraint) -> None:
        """At most ``bound`` days with a lesson in an hour ``start`` ≤ h < ``end``."""
        bound, hours = c.param("bound"), range(c.param("start"), c.param("end"))
        for _key, acts, _ in self._resources(c):
            cells = self.resource_cells(acts)
            days = []
            for d in range(self.n_days):
                lits = [lit for h in hours for lit in cells.get((d, h), ())]
                if lits:
                    inside = self.m.NewBoolVar("")
                    for lit in lits:
                        self.m.AddImplication(lit, inside)
                    days.append(inside)
            if len(days) > bound:
                self.at_most(c, sum(days), bound, len(days))

    add_TeachersIntervalMaxDaysPerWeek = add_TeacherIntervalMaxDaysPerWeek
    add_StudentsSetIntervalMaxDaysPerWeek = add_TeacherIntervalMaxDaysPerWeek
    add_StudentsIntervalMaxDaysPerWeek = add_TeacherIntervalMaxDaysPerWeek
    # -- building changes (group rooms) ----------------------------------------------
    def building_of(self, i: int) -> dict[str, cp_model.LinearExprT]:
        """Activity ``i``'s building: building → 0/1 expression (empty: no building).

        A pooled activity's rooms share one building (see :meth:`add_rooms`).
        """
        rooms = self.p.rooms
        if not self.y[i]:
            r = self.room_dom[i][0]
            return {rooms[r].building: 1} if r is not None and rooms[r].building else {}
        out: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for r, v in self.y[i].items():
            if r is not None and rooms[r].building:
                out[rooms[r].building].append(v)
        return {b: sum(vs) for b, vs in out.items()}

    def day_buildings(self, key: str, acts: tuple[int, ...], d: int) -> _DayBuildings:
        """Hour by hour, where a resource is on day ``d`` (see :class:`_DayBuildings`)."""
        if (key, d) in self._day_buildings:
            return self._day_buildings[(key, d)]
        at: list[dict[str, list[cp_model.LinearExprT]]] = [
            defaultdict(list) for _ in range(self.n_hours)]
        for i in acts:
            bld = self.building_of(i)
            for (dd, h), lits in self.cover[i].items():
                if dd != d:
                    continue
                busy = sum(lits)
                for b, e in bld.items():
                    if isinstance(e, int):
                        at[h][b].append(busy)
                        continue
                    z = self.m.NewBoolVar("")       # z = busy ∧ in building b
                    self.m.Add(z <= busy)
                    self.m.Add(z <= e)
                    self.m.Add(z >= busy + e - 1)
                    at[h][b].append(z)
        inb = [{b: sum(es) for b, es in hour.items()} for hour in at]
        day = _DayBuildings(inb, [sum(hour.values()) for hour in inb])
        self._day_buildings[(key, d)] = day
        return day

    def last_building(self, key: str, acts: tuple[int, ...], d: int
                      ) -> list[dict[str, cp_model.LinearExprT]]:
        """``last[h][b]`` ≥ "the last hour in a building up to ``h`` was in ``b``".

        Only lower bounds: the rules only ever want it small, and at its least it is
        exactly that.
        """
        if (key, d) in self._last_building:
            return self._last_building[(key, d)]
        day = self.day_buildings(key, acts, d)
        names = sorted({b for hour in day.inb for b in hour})
        last: list[dict[str, cp_model.LinearExprT]] = []
        for h, hour in enumerate(day.inb):
            row: dict[str, cp_model.LinearExprT] = {}
            for b in names:
                if h == 0 and b not in hour:
                    row[b] = 0
                    continue
                v = self.m.NewBoolVar("")
                if b in hour:
                    self.m.Add(v >= hour[b])
                if h:
                    self.m.Add(v >= last[h - 1][b] - day.some[h])
                row[b] = v
            last.append(row)
        self._last_building[(key, d)] = last
        return last

    def _building_resources(self, c: Constraint) -> list[tuple[str, tuple[int, ...], int]]:
        """(key, activity indices, how many) per bound resource: identical subgroups
        once, their penalty counted for each."""
        if "Teacher" in c.family:
            return [(f"t{t}", tuple(self.by_t.get(t, ())), 1) for t in c.teachers]
        count: dict[tuple[int, ...], int] = defaultdict(int)
        first: dict[tuple[int, ...], int] = {}
        for s in c.groups:
            acts = tuple(self.by_s.get(s, ()))
            count[acts] += 1
            first.setdefault(acts, s)
        return [(f"s{first[acts]}", acts, n) for acts, n in count.items()]

    def add_TeacherMaxBuildingChangesPerDay(self, c: Constraint) -> None:
        """A change: an hour in a building other than the last one met that day."""
        bound = c.param("bound")
        for key, acts, n in self._building_resources(c):
            for d in range(self.n_days):
                changes = self.building_changes(key, acts, d)
                if len(changes) > bound:
                    if c.hard:
                        self.m.Add(sum(changes) <= bound)
                    else:
                        ex = self.m.NewIntVar(0, len(changes) - bound, "")
                        self.m.Add(ex >= sum(changes) - bound)
                        self.soft(c, ex, n)

    add_TeachersMaxBuildingChangesPerDay = add_TeacherMaxBuildingChangesPerDay
    add_StudentsSetMaxBuildingChangesPerDay = add_TeacherMaxBuildingChangesPerDay
    add_StudentsMaxBuildingChangesPerDay = add_TeacherMaxBuildingChangesPerDay

    def add_TeacherMinGapsBetweenBuildingChanges(self, c: Constraint) -> None:
        """A change at hour h is too close when an hour h' in h−m … h−1 is in another
        building and no hour between is in h's building (then the last building met
        is in the window and is another one): one row per such pair, no auxiliary."""
        m = c.param("bound")
        for key, acts, n in self._building_resources(c):
            for d in range(self.n_days):
                inb = self.day_buildings(key, acts, d).inb
                for h in range(1, self.n_hours):
                    for b, e in inb[h].items():
                        closes = [e + sum(v for b2, v in inb[h2].items() if b2 != b)
                                  - sum(inb[k][b] for k in range(h2 + 1, h) if b in inb[k]) - 1
                                  for h2 in range(max(0, h - m), h)
                                  if any(b2 != b for b2 in inb[h2])]
                        if closes and c.hard:
                            for close in closes:
                                self.m.Add(close <= 0)
                        elif closes:
                            bad = self.m.NewBoolVar("")
                            for close in closes:
                                self.m.Add(bad >= close)
                            self.soft(c, bad, n)

    add_TeachersMinGapsBetweenBuildingChanges = add_TeacherMinGapsBetweenBuildingChanges
    add_StudentsSetMinGapsBetweenBuildingChanges = add_TeacherMinGapsBetweenBuildingChanges
    add_StudentsMinGapsBetweenBuildingChanges = add_TeacherMinGapsBetweenBuildingChanges

    # -- rest: selected slots, rooms of a set, building changes per week, rest hours,
    # spans, max days, same room if consecutive ------------------------------------------
    def add_ActivitiesMaxSimultaneousInSelectedTimeSlots(self, c: Constraint) -> None:
        """In each selected slot at most ``max`` of the activities; soft, one unit per
        slot over."""
        cover = self.resource_cells(c.activities)
        for cell in sorted(self.cells_of(c)):
            lits = cover.get(cell, [])
            self.over(c, sum(lits), c.param("max"), len(lits))

    def add_ActivitiesOccupyMaxDifferentRooms(self, c: Constraint) -> None:
        """A literal per room some activity may take, "one of them is in it", at most
        ``max`` of them; soft, one unit when over. Such activities are never pooled
        (:meth:`add_rooms`), so each has its room literals or a single room."""
        used: dict[int, list[cp_model.LinearExprT]] = defaultdict(list)
        for i in c.activities:
            for r, v in self.room_lits(i).items():
                used[r].append(v)
        rooms = []
        for lits in used.values():
            if any(isinstance(v, int) for v in lits):
                rooms.append(1)
                continue
            u = self.m.NewBoolVar("")
            for v in lits:
                self.m.AddImplication(v, u)
            rooms.append(u)
        self.over(c, sum(rooms), c.param("max"), len(rooms))

    def building_changes(self, key: str, acts: tuple[int, ...], d: int
                         ) -> list[cp_model.IntVar]:
        """Literals at least as large as "a change at this hour and building" on day
        ``d``: an hour in a building other than the last one met that day."""
        day = self.day_buildings(key, acts, d)
        last = self.last_building(key, acts, d)
        changes = []
        for h in range(1, self.n_hours):
            for b, e in day.inb[h].items():
                other = [v for b2, v in last[h - 1].items() if b2 != b]
                if other:
                    ch = self.m.NewBoolVar("")
                    self.m.Add(ch >= e + sum(other) - 1)
                    changes.append(ch)
        return changes

    def add_TeacherMaxBuildingChangesPerWeek(self, c: Constraint) -> None:
        """The building changes of all days at most ``bound``; soft, the changes over."""
        bound = c.param("bound")
        for key, acts, n in self._building_resources(c):
            changes = [ch for d in range(self.n_days)
                       for ch in self.building_changes(key, acts, d)]
            if len(changes) <= bound:
                continue
            if c.hard:
                self.m.Add(sum(changes) <= bound)
            else:
                ex = self.m.NewIntVar(0, len(changes) - bound, "")
                self.m.Add(ex >= sum(changes) - bound)
                self.soft(c, ex, n)

    add_TeachersMaxBuildingChangesPerWeek = add_TeacherMaxBuildingChangesPerWeek
    add_StudentsSetMaxBuildingChangesPerWeek = add_TeacherMaxBuildingChangesPerWeek
    add_StudentsMaxBuildingChangesPerWeek = add_TeacherMaxBuildingChangesPerWeek

    def add_TeacherMinRestingHours(self, c: Constraint) -> None:
        """Rest from day d's last lesson to day d+1's first (the last day to the first
        when ``circular``) at least ``m`` hours: no lesson at hour h of d and h' of d+1
        with (H − 1 − h) + h' < m. Soft: per pair of days, the hours short at the worst
        such pair of lessons (the day's last and the next day's first)."""
        m, D, H = c.param("bound"), self.n_days, self.n_hours
        for _key, acts, n in self._building_resources(c):
            cells = self.resource_cells(acts)
            for d in range(D - 1 + bool(c.param("circular"))):
                e = (d + 1) % D
                rows = [(m - (H - 1 - h) - h2, sum(cells[(d, h)]), sum(cells[(e, h2)]))
                        for h in range(max(0, H - m), H) for h2 in range(m)
                        if (H - 1 - h) + h2 < m and cells.get((d, h)) and cells.get((e, h2))
]
                if not rows:
                    continue
                if c.hard:
                    for _short, late, early in rows:
                        self.m.Add(late + early <= 1)
                    continue
                v = self.m.NewIntVar(0, m, "")
                for short, late, early in rows:
                    self.m.Add(v >= short * (late + early - 1))
                self.soft(c, v, n)

    add_TeachersMinRestingHours = add_TeacherMinRestingHours
    add_StudentsSetMinRestingHours = add_TeacherMinRestingHours
    add_StudentsMinRestingHours = add_TeacherMinRestingHours

    def add_TeacherMaxSpanPerDay(self, c: Constraint) -> None:
        """No lessons at hours h < h' of one day with h' − h + 1 > ``bound``. Soft: per
        day, the hours over at the widest such pair (the day's first and last)."""
        bound = c.param("bound")
        for _key, acts, n in self._building_resources(c):
            cells = self.resource_cells(acts)
            for d in range(self.n_days):
                rows = [(h2 - h + 1 - bound, sum(cells[(d, h)]), sum(cells[(d, h2)]))
                        for h in range(self.n_hours) for h2 in range(h + bound, self.n_hours)
                        if cells.get((d, h)) and cells.get((d, h2))]
                if not rows:
                    continue
                if c.hard:
                    for _over, first, last in rows:
                        self.m.Add(first + last <= 1)
                    continue
                v = self.m.NewIntVar(0, max(r[0] for r in rows), "")
                for over, first, last in rows:
                    self.m.Add(v >= over * (first + last - 1))
                self.soft(c, v, n)

    add_TeachersMaxSpanPerDay = add_TeacherMaxSpanPerDay

    def add_MaxDaysBetweenActivities(self, c: Constraint) -> None:
        """Hard: an activity on day d keeps every other within ``max_days`` of d. Soft:
        per pair, the days apart beyond it."""
        k, D = c.param("max_days"), self.n_days
        if k >= D - 1:
            return
        for i, j in self._pairs(c):
            if c.hard:
                for a, b in ((i, j), (j, i)):
                    for d in self.dayv[a]:
                        near = sum(self.day_expr(b, e) for e in range(max(0, d - k),
                                                                      min(D, d + k + 1)))
                        self.m.Add(self.dayv[a][d] <= near)
                continue
            v = self.m.NewIntVar(0, D - 1 - k, "")
            for d in range(D):
                for e in range(D):
                    if abs(d - e) > k:
                        self.m.Add(v >= (abs(d - e) - k) *
                                   (self.day_expr(i, d) + self.day_expr(j, e) - 1))
            self.soft(c, v)

    def room_lits(self, i: int) -> dict[int, cp_model.LinearExprT]:
        """Activity ``i``'s room: room → 0/1 (no entry for no room). Activities under a
        rule on their rooms are never pooled (:meth:`add_rooms`)."""
        if self.y[i]:
            return {r: v for r, v in self.y[i].items() if r is not None}
        r = self.room_dom[i][0]
        return {} if r is None else {r: 1}

    def add_ActivitiesSameRoomIfConsecutive(self, c: Constraint) -> None:
        """Two of the activities back to back on one day (no hour between) and both in
        rooms are in the same room; soft, one unit per pair that is not."""
        for i, j in self._pairs(c):
            ri, rj = self.room_lits(i), self.room_lits(j)
            if not ri or not rj or (len(ri) == len(rj) == 1 and ri.keys() == rj.keys()):
                continue
            di, dj = self.core.activities[i].duration, self.core.activities[j].duration
            adjacent = self.m.NewBoolVar("")
            for (d, h), v in self.x[i].items():
                for s in ((d, h + di), (d, h - dj)):
                    if s in self.x[j]:
                        self.m.Add(adjacent >= v + self.x[j][s] - 1)
            broken = None if c.hard else self.m.NewBoolVar("")
            for r, v in ri.items():
                other = sum(w for r2, w in rj.items() if r2 != r)
                if isinstance(other, int) and other == 0:
                    continue
                if c.hard:
                    self.m.Add(adjacent + v + other <= 2)
                else:
                    self.m.Add(broken >= adjacent + v + other - 2)
            if broken is not None:
                self.soft(c, broken)
    add_StudentsSetMaxSpanPerDay = add_TeacherMaxSpanPerDay
    add_StudentsMaxSpanPerDay = add_TeacherMaxSpanPerDay

    def add_compact_days(self) -> None:
        """Implied rows: no gaps and no late start means busy hours form a prefix.

        Where a subgroup is bound by both 100 % StudentsEarlyMaxBeginningsAtSecondHour
        with 0 and 100 % students max gaps per week 0, each day's lessons fill its
        available hours (not break, not not-available) from the first one on, so
        hour k+1 busy implies hour k busy. The gap and early families already say so;
        these short rows let propagation see it at once.
        """
        early: set[int] = set()
        nogap: set[int] = set()
        for c in self.core.records("StudentsEarlyMaxBeginningsAtSecondHour",
                                   "StudentsSetEarlyMaxBeginningsAtSecondHour"):
            if c.hard and c.param("bound") == 0:
                early.update(c.groups)
        for c in self.core.records("StudentsMaxGapsPerWeek", "StudentsSetMaxGapsPerWeek"):
            if c.hard and c.param("bound") == 0:
                nogap.update(c.groups)
        seen: set[tuple] = set()
        for s in sorted(early & nogap):
            acts = tuple(self.by_s.get(s, ()))
            key = (acts, frozenset(self.sub_na[s]))
            if not acts or key in seen:
                continue
            seen.add(key)
            cells = self.resource_cells(acts)
            for d in range(self.n_days):
                avail = [h for h in range(self.n_hours)
                         if (d, h) not in self.breaks and (d, h) not in self.sub_na[s]]
                for h0, h1 in pairwise(avail):
                    later = cells.get((d, h1), [])
                    if later:
                        self.m.Add(sum(later) <= sum(cells.get((d, h0), [])))

    # -- search -------------------------------------------------------------------------
    def add_search_order(self) -> None:
        """Most constrained activities first, day before hour (FET places in that spirit).

        Tightness of an activity: the load of its busiest teacher or subgroup over the
        hours that resource could use, then fewer allowed starts per hour of duration.
        """
        load: dict[tuple[str, int], float] = {}
        for kind, table in (("t", self.by_t), ("s", self.by_s)):
            for r, acts in table.items():
                cells = self.resource_cells(acts)
                load[(kind, r)] = sum(self.core.activities[i].duration
                                      for i in acts) / max(1, len(cells))
        seen: set[int] = set()
        order = []
        for i, a in enumerate(self.core.activities):
            tight = max([load.get(("t", t), 0) for t in a.teachers] +
                        [load.get(("s", s), 0) for s in a.groups] + [0])
            order.append((-round(tight, 2), len(self.x[i]) / a.duration, -a.duration, i))
        order.sort()
        days, starts = [], []
        for *_, i in order:
            if id(self.x[i]) in seen:      # activities sharing start literals
                continue
            seen.add(id(self.x[i]))
            days.extend(self.dayv[i].values())
            starts.extend(self.x[i].values())
        self.m.AddDecisionStrategy(days, cp_model.CHOOSE_FIRST, cp_model.SELECT_MAX_VALUE)
        self.m.AddDecisionStrategy(starts, cp_model.CHOOSE_FIRST, cp_model.SELECT_MAX_VALUE)

    # -- objective ------------------------------------------------------------------
    def add_objective(self) -> None:
        if self.terms:
            self.m.Minimize(sum(w * e for ts in self.terms.values() for e, w in ts))

    def term_values(self, solver: cp_model.CpSolver) -> dict[str, float]:
        return {kind: sum(w * solver.Value(e) for e, w in ts) / SCALE
                for kind, ts in self.terms.items()}

    def solution(self, solver: cp_model.CpSolver) -> FetSolution:
        out: dict[int, Placement] = {}
        starts = {i: next(s for s, v in xs.items() if solver.Value(v))
                  for i, xs in enumerate(self.x)}
        pooled = self._pool_rooms(starts)
        for i, a in enumerate(self.p.activities):
            d, h = starts[i]
            if i in pooled:
                room: int | None = pooled[i]
            elif self.y[i]:
                room = next(r for r, v in self.y[i].items() if solver.Value(v))
            else:
                room = self.room_dom[i][0]
            out[a.id] = Placement(d, h, room)
        return FetSolution(out)


