"""Decision variables of the aggregated timetable model.

``x[a, s]``: a placement of activity ``a`` starts in slot ``s`` (one boolean per allowed
start whose ``duration`` periods fit in the day); for a unit activity that is "a lesson
in ``s``". ``occupied[a]`` lists, for every slot a placement would cover, the start
literal covering it: what clashes, venues, daily counts and minutes read. ``y[a, s]``:
a double period of ``a`` starts in ``s`` (only on joined pairs, only for unit
activities with doubles); ``session[g, s]``: group ``g`` has an after-class activity
session in activity slot ``s``.

An activity may have several groups (a combined lesson) and several teachers: it then
occupies each of them, and ``same_start`` records tie activities to start together.

With ``explain=True`` the domains are relaxed back to the group's day shape and the
domain rules (morning start, teacher unavailability) become guarded constraints, and
every family constraint gets an enforcement literal per (family, entity): the
assumptions whose core explains an infeasible school.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ...models.core import Problem


@dataclass
class Variables:
    """The model's variables and lookups over them."""

    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    y: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    session: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    of_activity: list[list[tuple[int, cp_model.IntVar]]] = field(default_factory=list)
    occupied: list[list[tuple[int, cp_model.IntVar]]] = field(default_factory=list)
    explain: bool = False
    guards: dict[tuple[str, str, int], cp_model.IntVar] = field(default_factory=dict)
    # filled by the objective: rule id -> linear expression of penalty units
    terms: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
    # day indicators h[a, d] (activity a has a lesson on day d), built on demand
    h: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    # subject_once_daily: (a, d) -> (lesson count, excess, allowed per day)
    once: dict[tuple[int, int], tuple] = field(default_factory=dict)
    # teacher occupancy o[t, d][period index], built by the objective
    occupancy: dict[tuple[int, int], dict[int, cp_model.IntVar]] | None = None

    def enforce(self, model: cp_model.CpModel, ct: cp_model.Constraint,
                family: str, kind: str, index: int) -> cp_model.Constraint:
        """Guard ``ct`` by the assumption literal of (family, entity) in explain mode."""
        if self.explain:
            key = (family, kind, index)
            lit = self.guards.get(key)
            if lit is None:
                lit = self.guards[key] = model.NewBoolVar(f"assume[{family},{kind},{index}]")
            ct.OnlyEnforceIf(lit)
        return ct

    def day_has(self, model: cp_model.CpModel, problem: Problem, a: int, d: int
                ) -> cp_model.IntVar | int:
        """Exact indicator "activity ``a`` has a lesson on day ``d``" (0 when impossible)."""
        if (a, d) in self.h:
            return self.h[(a, d)]
        lits = [var for s, var in self.of_activity[a] if problem.slots[s].day == d]
        if not lits:
            return 0
        h = model.NewBoolVar(f"h[{a},{d}]")
        for lit in lits:
            model.Add(h >= lit)
        model.Add(h <= sum(lits))
        self.h[(a, d)] = h
        return h

    def at(self, a: int, s: int) -> cp_model.IntVar | None:
        return self.x.get((a, s))


def make_variables(model: cp_model.CpModel, problem: Problem, explain: bool = False) -> Variables:
    """Create ``x``, ``y`` and ``session`` for ``problem``."""
    v = Variables(explain=explain)
    for a, act in enumerate(problem.activities):
        row, covered = [], []
        for s in relaxed_starts(problem, a) if explain else act.slots:
            span = problem.span(s, act.duration)
            if span is None:
                continue
            var = model.NewBoolVar(f"x[{a},{s}]")
            v.x[(a, s)] = var
            row.append((s, var))
            covered.extend((c, var) for c in span)
        v.of_activity.append(row)
        v.occupied.append(row if act.duration == 1 else covered)
        if act.doubles:
            for s, var in row:
                nxt = problem.next_slot[s]
                if nxt >= 0 and (a, nxt) in v.x:
                    v.y[(a, s)] = model.NewBoolVar(f"y[{a},{s}]")
    for g, group in enumerate(problem.groups):
        for s in group.activity_slots:
            v.session[(g, s)] = model.NewBoolVar(f"session[{g},{s}]")
    return v


def relaxed_starts(problem: Problem, a: int) -> tuple[int, ...]:
    """Explain mode's domain: slots inside every group's day shape (bans lifted)."""
    groups = problem.activities[a].groups
    if not groups:
        return problem.activities[a].slots
    common = set(problem.groups[groups[0]].slots)
    for g in groups[1:]:
        common &= set(problem.groups[g].slots)
    return tuple(s for s in problem.groups[groups[0]].slots if s in common)


def by_slot(problem: Problem, v: Variables, activities: tuple[int, ...] | list[int]
            ) -> dict[int, list[cp_model.IntVar]]:
    """The literals occupying each slot, over ``activities``."""
    out: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    for a in activities:
        for s, var in v.occupied[a]:
            out[s].append(var)
    return out
