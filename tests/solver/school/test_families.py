"""Each hard family of the school engine alone on a bare model, primer-style.

A bare model is :func:`make_variables` and the family under test over a hand-built
core :class:`Problem` of one or two days. Every family but ``coverage`` is tested on
top of ``coverage`` (without it nothing need be placed, and every family holds on
the empty timetable); ``coverage`` is tested alone. Each test shows three things:

* holds: with the family a solution exists, and its values keep the rule;
* must fail: start (or session) literals fixed to an assignment that breaks the rule
  make the model INFEASIBLE;
* binds: the most of those breaking literals that can be true at once (or another
  small optimum) differs from the same model without the family, by an exact value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import pytest
from ortools.sat.python import cp_model

from jianfu.models.core import (Activity, Constraint, Group, Problem, Slot, SlotKind,
                                TeacherResource, VenuePool)
from jianfu.solver.school.constraints.activity import (add_daily_activity, add_daily_pe,
                                                       add_session_slot)
from jianfu.solver.school.constraints.clash import (add_activity_overlap, add_class_clash,
                                                    add_teacher_clash)
from jianfu.solver.school.constraints.coverage import add_coverage
from jianfu.solver.school.constraints.domains import add_domains
from jianfu.solver.school.constraints.doubles import add_double_period
from jianfu.solver.school.constraints.same_start import add_same_start
from jianfu.solver.school.constraints.study import add_study_cap
from jianfu.solver.school.constraints.teacher_load import add_teacher_daily_max
from jianfu.solver.school.constraints.venues import add_venue_capacity
from jianfu.solver.school.variables import Variables, make_variables

Family = Callable[[cp_model.CpModel, Problem, Variables], None]
#: a literal by name: ("x", activity, slot) starts a placement, ("session", group, slot)
Lit = tuple[str, int, int]

OPTIMAL, INFEASIBLE = cp_model.OPTIMAL, cp_model.INFEASIBLE


# -- the smallest problems -----------------------------------------------------------

def grid(days: int = 1, periods: int = 4, *, schedule: int = 0, length: int = 45,
         activity: int = 0) -> list[Slot]:
    """Per day: ``periods`` lesson periods of ``length`` minutes from 8:00 with 10-minute
    breaks (periods 0-1 joined), then ``activity`` 60-minute after-class segments."""
    out = []
    for d in range(days):
        for p in range(periods):
            start = 8 * 60 + p * (length + 10)
            out.append(Slot(d, p, schedule, start, start + length, joined_next=p == 0))
        for k in range(activity):
            start = 16 * 60 + 60 * k
            out.append(Slot(d, -1, schedule, start, start + 60, kind=SlotKind.ACTIVITY))
    return out


def problem(activities: Sequence[Activity], *, slots: Sequence[Slot] | None = None,
            groups: int | Sequence[Group] = 1, teachers: int | Sequence[TeacherResource] = 2,
            rules: Iterable[Constraint] = (), pools: tuple[VenuePool, ...] = (),
            session_pool: int | None = None, **group: object) -> Problem:
    """A core problem; ``groups`` / ``teachers`` as counts get plain resources (every
    lesson slot, every activity slot, every day; ``group`` fields override), and an
    activity without slots may start in any lesson slot."""
    slots = tuple(slots or grid())
    lessons = tuple(i for i, s in enumerate(slots) if s.kind is SlotKind.LESSON)
    segments = tuple(i for i, s in enumerate(slots) if s.kind is SlotKind.ACTIVITY)
    days = 1 + max(s.day for s in slots)
    if isinstance(groups, int):
        fields = {"slots": lessons, "activity_slots": segments,
                  "school_days": tuple(range(days)), **group}
        groups = [Group(f"G{g}", **fields) for g in range(groups)]  # type: ignore[arg-type]
    if isinstance(teachers, int):
        teachers = [TeacherResource(f"T{t}") for t in range(teachers)]
    return Problem(
        name="families", days=tuple(f"day{d}" for d in range(days)), slots=slots,
        groups=tuple(groups), teachers=tuple(teachers), pools=pools,
        activities=tuple(replace(a, slots=a.slots or lessons) for a in activities),
        constraints=tuple(rules), session_pool=session_pool)


def act(name: str, groups: tuple[int, ...], teachers: tuple[int, ...], count: int = 1, *,
        slots: tuple[int, ...] = (), duration: int = 1, doubles: int = 0,
        pool: int | None = None, pe: bool = False) -> Activity:
    return Activity(name, groups, teachers, 0, count, slots, doubles=doubles, pool=pool,
                    pe=pe, duration=duration)


# -- a bare model ---------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    status: int
    starts: list[tuple[int, int]]        # (activity, slot) of every placement
    sessions: list[tuple[int, int]]      # (group, slot) of every session
    best: int | None                     # the optimum of the goal, if any
    core: set[tuple[str, str, int]]      # explain mode: the guards an infeasible core names


def literal(v: Variables, key: Lit) -> cp_model.IntVar:
    kind, i, s = key
    return (v.x if kind == "x" else v.session)[(i, s)]


def run(p: Problem, families: Sequence[Family], *, fix: dict[Lit, int] | None = None,
        most: Sequence[Lit] = (), fewest: Sequence[Lit] = (), explain: bool = False) -> Run:
    """Solve ``make_variables`` + ``families`` with ``fix`` literals fixed; maximise the
    number of ``most`` literals true (or minimise the ``fewest`` ones). In explain mode
    every guard is an assumption, so an infeasible model names its core."""
    model = cp_model.CpModel()
    v = make_variables(model, p, explain)
    for add in families:
        add(model, p, v)
    for key, value in (fix or {}).items():
        model.Add(literal(v, key) == value)
    if most:
        model.Maximize(sum(literal(v, k) for k in most))
    elif fewest:
        model.Minimize(sum(literal(v, k) for k in fewest))
    guards = list(v.guards.items())
    model.AddAssumptions([lit for _, lit in guards])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1          # cores need one worker
    solver.parameters.max_time_in_seconds = 5
    status = solver.Solve(model)
    if status == INFEASIBLE:
        found = set(solver.SufficientAssumptionsForInfeasibility())
        core = {key for key, lit in guards if lit.Index() in found}
        return Run(status, [], [], None, core)
    starts = sorted(k for k, var in v.x.items() if solver.BooleanValue(var))
    sessions = sorted(k for k, var in v.session.items() if solver.BooleanValue(var))
    best = round(solver.ObjectiveValue()) if most or fewest else None
    return Run(status, starts, sessions, best, set())


def covered(p: Problem, starts: Iterable[tuple[int, int]], *, group: int | None = None,
            teacher: int | None = None) -> list[int]:
    """The slots the placements of a group's (teacher's) activities cover, with repeats."""
    out = []
    for a, s in starts:
        x = p.activities[a]
        if (group is None or group in x.groups) and (teacher is None or teacher in x.teachers):
            out.extend(p.span(s, x.duration) or ())
    return out


def day_of(p: Problem, s: int) -> int:
    return p.slots[s].day


# -- coverage (开齐开足) ----------------------------------------------------------------

def test_coverage() -> None:
    p = problem([act("A", (0,), (0,), 2)])
    every = [("x", 0, s) for s in range(4)]
    # holds: exactly the weekly count of placements
    r = run(p, [add_coverage])
    assert r.status == OPTIMAL and len(r.starts) == 2
    # must fail: a third placement, or none at all
    assert run(p, [add_coverage], fix=dict.fromkeys(every[:3], 1)).status == INFEASIBLE
    assert run(p, [add_coverage], fix=dict.fromkeys(every, 0)).status == INFEASIBLE
    # binds: the most placements is the count, not the four slots
    assert run(p, [add_coverage], most=every).best == 2
    assert run(p, [], most=every).best == 4


# -- same_start (同时开始) ---------------------------------------------------------------

def test_same_start() -> None:
    tie = Constraint("same_start", True, activities=(0, 1))
    free = problem([act("A", (0,), (0,)), act("B", (1,), (1,))], groups=2, rules=[tie])
    # holds: both start in the same slot
    r = run(free, [add_coverage, add_same_start])
    assert r.status == OPTIMAL and r.starts[0][1] == r.starts[1][1]
    # must fail: started apart
    apart = {("x", 0, 0): 1, ("x", 1, 1): 1}
    assert run(free, [add_coverage, add_same_start], fix=apart).status == INFEASIBLE
    # binds: A may start in 0-1, B in 1-2; tied, the one common start 1 is left
    p = problem([act("A", (0,), (0,), slots=(0, 1)), act("B", (1,), (1,), slots=(1, 2))],
                groups=2, rules=[tie])
    assert run(p, [add_coverage, add_same_start]).starts == [(0, 1), (1, 1)]
    ends = [("x", 0, 0), ("x", 1, 2)]
    assert run(p, [add_coverage, add_same_start], most=ends).best == 0
    assert run(p, [add_coverage], most=ends).best == 2


# -- class_clash (班级冲突) and activity_overlap -----------------------------------------

CLASS_CASES = {
    # two lessons of G0 in slot 0
    "one group": (problem([act("A", (0,), (0,)), act("B", (0,), (1,))]),
                  [("x", 0, 0), ("x", 1, 0)]),
    # a lesson of G0+G1 and one of G1 alone in slot 0
    "combined": (problem([act("A", (0, 1), (0,)), act("B", (1,), (1,))], groups=2),
                 [("x", 0, 0), ("x", 1, 0)]),
    # a two-period lesson from slot 0 and a lesson in slot 1
    "long": (problem([act("A", (0,), (0,), duration=2), act("B", (0,), (1,))]),
             [("x", 0, 0), ("x", 1, 1)]),
}


@pytest.mark.parametrize("case", CLASS_CASES)
def test_class_clash(case: str) -> None:
    p, clash = CLASS_CASES[case]
    families = [add_coverage, add_class_clash]
    # holds: no slot of any group is covered twice
    r = run(p, families)
    assert r.status == OPTIMAL
    for g in range(len(p.groups)):
        busy = covered(p, r.starts, group=g)
        assert len(busy) == len(set(busy))
    # must fail
    assert run(p, families, fix=dict.fromkeys(clash, 1)).status == INFEASIBLE
    # binds: one of the two clashing placements at most, both without the family
    assert run(p, families, most=clash).best == 1
    assert run(p, [add_coverage], most=clash).best == 2


def test_activity_overlap() -> None:
    # an activity without groups (a FET one): two placements of two periods on four
    p = problem([act("FET", (), (), 2, duration=2)])
    families = [add_coverage, add_activity_overlap]
    # holds: starts 0, 1, 2 are possible; the only disjoint pair is 0 and 2
    r = run(p, families)
    assert r.status == OPTIMAL and r.starts == [(0, 0), (0, 2)]
    # must fail: placements from 0 and 1 share slot 1
    overlap = [("x", 0, 0), ("x", 0, 1)]
    assert run(p, families, fix=dict.fromkeys(overlap, 1)).status == INFEASIBLE
    # binds
    assert run(p, families, most=overlap).best == 1
    assert run(p, [add_coverage], most=overlap).best == 2


# -- teacher_clash (教师冲突, by clock time) ---------------------------------------------

def _two_schedules() -> Problem:
    """G0 on 45-minute periods (slots 0-3), G1 on 40-minute ones (slots 4-7), one
    teacher: period 1 is 8:55-9:40 for G0 and 8:50-9:30 for G1, so they overlap."""
    slots = grid() + grid(schedule=1, length=40)
    groups = [Group("G0", (0, 1, 2, 3), school_days=(0,)),
              Group("G1", (4, 5, 6, 7), school_days=(0,))]
    return problem([act("A", (0,), (0,), slots=(0, 1, 2, 3)),
                    act("B", (1,), (0,), slots=(4, 5, 6, 7))], slots=slots, groups=groups)


TEACHER_CASES = {
    "one teacher": (problem([act("A", (0,), (0,)), act("B", (1,), (0,))], groups=2),
                    [("x", 0, 0), ("x", 1, 0)]),
    # T1 teaches A with T0 and B alone
    "two teachers": (problem([act("A", (0,), (0, 1)), act("B", (1,), (1,))], groups=2),
                     [("x", 0, 0), ("x", 1, 0)]),
    # different slots, different schedules, the same instant
    "clock time": (_two_schedules(), [("x", 0, 1), ("x", 1, 5)]),
}


@pytest.mark.parametrize("case", TEACHER_CASES)
def test_teacher_clash(case: str) -> None:
    p, clash = TEACHER_CASES[case]
    families = [add_coverage, add_teacher_clash]
    # holds: no two slots a teacher teaches in overlap in time
    r = run(p, families)
    assert r.status == OPTIMAL
    for t in range(len(p.teachers)):
        busy = covered(p, r.starts, teacher=t)
        assert not any(p.slots[s].overlaps(p.slots[u]) for i, s in enumerate(busy)
                       for u in busy[i + 1:])
    # must fail
    assert run(p, families, fix=dict.fromkeys(clash, 1)).status == INFEASIBLE
    # binds
    assert run(p, families, most=clash).best == 1
    assert run(p, [add_coverage], most=clash).best == 2


# -- venue_capacity (场地) ---------------------------------------------------------------

VENUE_CASES = {
    # a room of one, two lessons that need it in slot 0
    "one room": (problem([act("A", (0,), (0,), pool=0), act("B", (1,), (1,), pool=0)],
                         groups=2, pools=(VenuePool("lab", (0,), (1,)),)),
                 [("x", 0, 0), ("x", 1, 0)], 1),
    # two rooms, three lessons in slot 0
    "two rooms": (problem([act(f"A{k}", (k,), (k,), pool=0) for k in range(3)], groups=3,
                          teachers=3, pools=(VenuePool("lab", (0, 1), (1, 1)),)),
                  [("x", k, 0) for k in range(3)], 2),
    # after-class sessions of two classes on a ground of one (slot 4: the segment)
    "sessions": (problem([], slots=grid(activity=1), groups=2, session_pool=0,
                         pools=(VenuePool("ground", (0,), (1,)),)),
                 [("session", 0, 4), ("session", 1, 4)], 1),
}


@pytest.mark.parametrize("case", VENUE_CASES)
def test_venue_capacity(case: str) -> None:
    p, crowd, capacity = VENUE_CASES[case]
    families = [add_coverage, add_venue_capacity]
    # holds: the pool's uses per slot stay within its capacity
    r = run(p, families)
    assert r.status == OPTIMAL
    uses = covered(p, r.starts) + [s for _, s in r.sessions]
    assert all(uses.count(s) <= capacity for s in uses)
    # must fail: one use more than the pool holds
    assert run(p, families, fix=dict.fromkeys(crowd, 1)).status == INFEASIBLE
    # binds: the capacity, not every use
    assert run(p, families, most=crowd).best == capacity
    assert run(p, [add_coverage], most=crowd).best == len(crowd)


# -- teacher_daily_max (教师每日节数) ----------------------------------------------------

DAILY_MAX_CASES = {
    # at most one a day: two lessons on day 0 (slots 0-1)
    "unit": (problem([act("A", (0,), (0,), 2)], slots=grid(2, 2),
                     teachers=[TeacherResource("T0", max_per_day=1)]),
             [("x", 0, 0), ("x", 0, 1)], 1),
    # at most two a day: a two-period lesson from slot 0 and one more in slot 2
    "long": (problem([act("A", (0,), (0,), duration=2), act("B", (0,), (0,))],
                     slots=grid(2, 4), teachers=[TeacherResource("T0", max_per_day=2)]),
             [("x", 0, 0), ("x", 1, 2)], 2),
}


@pytest.mark.parametrize("case", DAILY_MAX_CASES)
def test_teacher_daily_max(case: str) -> None:
    p, heavy, bound = DAILY_MAX_CASES[case]
    families = [add_coverage, add_teacher_daily_max]
    # holds: periods taught per day within the maximum
    r = run(p, families)
    assert r.status == OPTIMAL
    busy = [day_of(p, s) for s in covered(p, r.starts, teacher=0)]
    assert all(busy.count(d) <= bound for d in busy)
    # must fail: one period over the maximum on day 0
    assert run(p, families, fix=dict.fromkeys(heavy, 1)).status == INFEASIBLE
    # binds
    assert run(p, families, most=heavy).best == 1
    assert run(p, [add_coverage], most=heavy).best == 2


# -- double_period (连堂) -----------------------------------------------------------------

def test_double_period() -> None:
    # two lessons, one double, on two days of four periods: only periods 0-1 join
    p = problem([act("语文", (0,), (0,), 2, doubles=1)], slots=grid(2, 4))
    families = [add_coverage, add_double_period]
    # holds: the two lessons are a joined pair
    r = run(p, families)
    assert r.status == OPTIMAL and r.starts in ([(0, 0), (0, 1)], [(0, 4), (0, 5)])
    # must fail: periods 0 and 2 are not joined
    assert run(p, families, fix={("x", 0, 0): 1, ("x", 0, 2): 1}).status == INFEASIBLE
    # binds: no lesson may be in the unjoined periods 2-3 of either day
    loose = [("x", 0, s) for s in (2, 3, 6, 7)]
    assert run(p, families, most=loose).best == 0
    assert run(p, [add_coverage], most=loose).best == 2


# -- daily_activity, daily_pe, session_slot (每天体育活动) --------------------------------

def test_daily_activity() -> None:
    # 60 minutes a day, 30 of them in the long break: a 45-minute PE lesson or the
    # 60-minute session fills the rest; one PE lesson a week. Slots: day 0 lessons 0-3,
    # segment 4; day 1 lessons 5-8, segment 9.
    rule = Constraint("daily_activity", True, params=(("minutes", 60),))
    p = problem([act("体育", (0,), (0,), pe=True)], slots=grid(2, 4, activity=1),
                rules=[rule], fixed_activity_minutes=(30, 30))
    families = [add_coverage, add_daily_activity]
    # holds: every day has the PE lesson or a session
    r = run(p, families)
    assert r.status == OPTIMAL
    for d in range(2):
        assert any(day_of(p, s) == d for _, s in r.starts + r.sessions)
    # must fail: PE on day 0 and no session on day 1
    assert run(p, families, fix={("x", 0, 0): 1, ("session", 0, 9): 0}).status == INFEASIBLE
    # binds: the day without PE needs its session
    sessions = [("session", 0, 4), ("session", 0, 9)]
    assert run(p, families, fewest=sessions).best == 1
    assert run(p, [add_coverage], fewest=sessions).best == 0


def test_daily_pe() -> None:
    p = problem([act("体育", (0,), (0,), 2, pe=True)], slots=grid(2, 4),
                rules=[Constraint("daily_pe", True)])
    families = [add_coverage, add_daily_pe]
    # holds: one PE lesson each day
    r = run(p, families)
    assert r.status == OPTIMAL and sorted(day_of(p, s) for _, s in r.starts) == [0, 1]
    # must fail: both on day 0
    monday = [("x", 0, 0), ("x", 0, 1)]
    assert run(p, families, fix=dict.fromkeys(monday, 1)).status == INFEASIBLE
    # binds
    assert run(p, families, most=monday).best == 1
    assert run(p, [add_coverage], most=monday).best == 2


def test_session_slot() -> None:
    # one day with two after-class segments (slots 4 and 5)
    p = problem([], slots=grid(1, 4, activity=2))
    both = [("session", 0, 4), ("session", 0, 5)]
    # holds
    r = run(p, [add_session_slot], most=both)
    assert r.status == OPTIMAL and len(r.sessions) == 1
    # must fail: two sessions on one day
    assert run(p, [add_session_slot], fix=dict.fromkeys(both, 1)).status == INFEASIBLE
    # binds
    assert r.best == 1
    assert run(p, [], most=both).best == 2


# -- study_cap (在校集中学习时间) --------------------------------------------------------

@pytest.mark.parametrize("fixed,most", [(0, 2), (45, 1)])
def test_study_cap(fixed: int, most: int) -> None:
    # 90 minutes a day, self-study included: (90 - fixed) // 45 lessons on day 0
    p = problem([act("语文", (0,), (0,), 3)], slots=grid(2, 4),
                rules=[Constraint("study_cap", True)], study_cap=90,
                fixed_study_minutes=(fixed, 0))
    families = [add_coverage, add_study_cap]
    # holds
    r = run(p, families)
    assert r.status == OPTIMAL
    minutes = [fixed, 0]
    for s in covered(p, r.starts):
        minutes[day_of(p, s)] += p.slots[s].minutes
    assert max(minutes) <= 90
    # must fail: one lesson more on day 0
    monday = [("x", 0, s) for s in range(most + 1)]
    assert run(p, families, fix=dict.fromkeys(monday, 1)).status == INFEASIBLE
    # binds
    day0 = [("x", 0, s) for s in range(4)]
    assert run(p, families, most=day0).best == most
    assert run(p, [add_coverage], most=day0).best == 3


# -- domains: morning_start, teacher_unavailable (explain mode) ---------------------------

DOMAIN_CASES = {
    "morning_start": dict(early=(0,)),
    "teacher_unavailable": dict(teachers=[TeacherResource("T0", unavailable=(0,))]),
}


@pytest.mark.parametrize("rule", DOMAIN_CASES)
def test_domains(rule: str) -> None:
    """Slot 0 is banned (early for G0, or T0 away); compiled, the activity may start in
    1-3 only. Explain mode relaxes that back to G0's day shape and bans slot 0 by a
    guarded constraint, so a core names the rule and the entity."""
    p = problem([act("A", (0,), (0,), slots=(1, 2, 3))], **DOMAIN_CASES[rule])
    entity = ("morning_start", "group", 0) if rule == "morning_start" else \
        ("teacher_unavailable", "teacher", 0)
    families = [add_coverage, add_domains]
    # holds: no start in slot 0; in a normal solve it has no literal at all
    assert make_variables(cp_model.CpModel(), p).at(0, 0) is None
    r = run(p, families, explain=True)
    assert r.status == OPTIMAL and r.starts[0][1] != 0
    # must fail: started in slot 0; the core is that rule of that entity
    r = run(p, families, fix={("x", 0, 0): 1}, explain=True)
    assert r.status == INFEASIBLE and r.core == {entity}
    # binds
    assert run(p, families, most=[("x", 0, 0)], explain=True).best == 0
    assert run(p, [add_coverage], most=[("x", 0, 0)], explain=True).best == 1
