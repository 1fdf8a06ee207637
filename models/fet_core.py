"""Compile a :class:`~jianfu.models.fet.FetProblem` into the generic core.

The FET grid becomes one bell schedule with a :class:`~jianfu.models.core.Slot` per
(day, hour), slot ``d × n_hours + h`` (clock times are synthetic: hours of at most
60 minutes from 08:00, shortened when a day has more than 16 hours). FET subgroups
become :class:`~jianfu.models.core.Group` s, teachers
:class:`~jianfu.models.core.TeacherResource` s, each room a one-room
:class:`~jianfu.models.core.VenuePool`, and each FET activity an
:class:`~jianfu.models.core.Activity` of count 1 with its subgroups, teachers,
duration, tags and size.

Hard unary rules become activity domains, as the school compiler turns a day shape
and teacher unavailability into domains: ``Activity.slots`` are the starts left by
100 % breaks, the 100 % not-available times of its teachers and subgroups, the end of
the day given the duration, 100 % ActivityPreferredStartingTime(s) /
ActivitiesPreferredStartingTimes / Activity(ies)PreferredTimeSlots / Subactivities*
and the intersection over each 100 % ActivitiesSameStartingTime. An activity may end
with no start at all; the solver reports that as infeasible.

Every FET constraint becomes one :class:`~jianfu.models.core.Constraint` record
(``family`` = FET kind, ``hard`` = weight 100 %, ``weight`` = the percentage), its
FET fields kept as ``params`` and what it binds resolved: ``activities`` (ids and
Activities* / Subactivities* filters to indices; room rules to the activities they
bind), ``teachers`` / ``groups`` (the named teacher or subgroups, every one for the
Teachers* / Students* kinds without a name) and ``slots`` (times named, as grid
slots; ActivityPreferredStartingTime's day and hour as the starts they allow). A
room rule's record keeps the rooms as written; the rooms that keep it for each
activity — a home room giving way to preferred rooms, as in FET — are
:func:`jianfu.models.fet.room_rules`'s, which the solver and the checker both read.
This module imports no solver.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from .core import Activity, Constraint, Group, Problem, Slot, TeacherResource, VenuePool
from .fet import ROOM_KINDS, FetConstraint, FetProblem, break_slots, matches_filter, room_targets

Cell = tuple[int, int]


def compile_fet(problem: FetProblem) -> Problem:
    """Compile an imported FET problem into a core :class:`~jianfu.models.core.Problem`.

    Indices are kept: group ``s`` is subgroup ``s``, teacher ``t`` teacher ``t``,
    pool ``r`` room ``r``, activity ``i`` the problem's activity ``i`` (``source``
    ``i``, ``name`` its FET id) and constraint ``k`` the problem's constraint ``k``.
    See the module docstring for the rest.
    """
    D, H = problem.n_days, problem.n_hours
    length = min(60, 24 * 60 // H)
    base = min(8 * 60, 24 * 60 - length * H)
    breaks = break_slots(problem)

    def slot_of(cell: Cell) -> int:
        return cell[0] * H + cell[1]

    slots = tuple(Slot(d, h, 0, base + h * length, base + (h + 1) * length,
                       joined_next=h + 1 < H and (d, h) not in breaks and (d, h + 1) not in breaks)
                  for d in range(D) for h in range(H))
    teacher_na, sub_na = not_available(problem)
    usable = tuple(i for i, s in enumerate(slots) if (s.day, s.period) not in breaks)
    groups = tuple(Group(name, usable, school_days=tuple(range(D)),
                         unavailable=tuple(sorted(slot_of(c) for c in sub_na[s])))
                   for s, name in enumerate(problem.subgroups))
    teachers = tuple(TeacherResource(name, tuple(sorted(slot_of(c) for c in teacher_na[t])))
                     for t, name in enumerate(problem.teachers))
    pools = tuple(VenuePool(room.name, (r,), (room.capacity,)) for r, room in enumerate(problem.rooms))
    doms = start_domains(problem)
    activities = tuple(
        Activity(name=str(a.id), groups=a.subgroups, teachers=a.teachers, subject=a.subject,
                 count=1, slots=tuple(sorted(slot_of(c) for c in doms[i])), source=i,
                 duration=a.duration, tags=a.tags, size=a.n_students)
        for i, a in enumerate(problem.activities))
    constraints = tuple(_record(problem, c, slot_of) for c in problem.constraints)
    return Problem(name=problem.name, days=problem.days, slots=slots, groups=groups,
                   teachers=teachers, pools=pools, activities=activities,
                   constraints=constraints)


def not_available(problem: FetProblem) -> tuple[dict[int, set[Cell]], dict[int, set[Cell]]]:
    """(day, hour) cells of 100 % not-available times per teacher and per subgroup."""
    teacher_na: dict[int, set[Cell]] = defaultdict(set)
    sub_na: dict[int, set[Cell]] = defaultdict(set)
    for c in problem.of_kind("TeacherNotAvailableTimes"):
        if c.hard:
            teacher_na[c.get("teacher")].update(c.get("slots"))
    for c in problem.of_kind("StudentsSetNotAvailableTimes"):
        if c.hard:
            for s in c.get("subgroups"):
                sub_na[s].update(c.get("slots"))
    return teacher_na, sub_na


def targets(problem: FetProblem, c: FetConstraint) -> list[int]:
    """Activity indices an Activity* (by id) or Activities* (by filter) rule binds."""
    if c.get("activity") is not None:
        return [problem.index_of(c.get("activity"))]
    return [i for i, a in enumerate(problem.activities) if matches_filter(problem, a, c)]


def start_domains(problem: FetProblem) -> list[set[Cell]]:
    """Allowed (day, hour) starts of every activity under the hard unary rules."""
    p, H = problem, problem.n_hours
    breaks = break_slots(p)
    teacher_na, sub_na = not_available(p)
    doms: list[set[Cell]] = []
    for a in p.activities:
        banned = set(breaks)
        for t in a.teachers:
            banned |= teacher_na[t]
        for s in a.subgroups:
            banned |= sub_na[s]
        doms.append({(d, h) for d in range(p.n_days) for h in range(H - a.duration + 1)
                     if not any((d, h + k) in banned for k in range(a.duration))})
    for c in p.constraints:
        if not c.hard:
            continue
        if c.kind == "ActivityPreferredStartingTime":
            i = p.index_of(c.get("activity"))
            doms[i] = {(d, h) for d, h in doms[i] if c.get("day") in (None, d)
                       and c.get("hour") in (None, h)}
        elif c.kind in ("ActivityPreferredStartingTimes", "ActivitiesPreferredStartingTimes",
                        "SubactivitiesPreferredStartingTimes"):
            for i in targets(p, c):
                doms[i] &= set(c.get("starts"))
        elif c.kind in ("ActivityPreferredTimeSlots", "ActivitiesPreferredTimeSlots",
                        "SubactivitiesPreferredTimeSlots"):
            ok = set(c.get("slots"))
            for i in targets(p, c):
                dur = p.activities[i].duration
                doms[i] = {(d, h) for d, h in doms[i]
                           if all((d, h + k) in ok for k in range(dur))}
    for c in p.of_kind("ActivitiesSameStartingTime"):
        if c.hard:
            idx = [p.index_of(a) for a in c.get("activities")]
            common = set.intersection(*(doms[i] for i in idx))
            for i in idx:
                doms[i] = set(common)
    return doms


def _record(problem: FetProblem, c: FetConstraint, slot_of: Callable[[Cell], int]) -> Constraint:
    """The core record of one FET constraint (see the module docstring)."""
    kind = c.kind
    acts: list[int] = []
    if kind in ROOM_KINDS:
        acts = room_targets(problem, c)
    elif c.get("activities") is not None:
        acts = [problem.index_of(a) for a in c.get("activities")]
    elif c.get("first") is not None:       # two activities (ThreeActivitiesGrouped: three)
        acts = [problem.index_of(c.get(f)) for f in ("first", "second", "third")
                if c.get(f) is not None]
    elif kind.startswith(("ActivityPreferred", "ActivitiesPreferred", "Subactivities",
                          "ActivityEnds", "ActivitiesEnd")):
        acts = targets(problem, c)
    teachers: tuple[int, ...] = ()
    if kind.startswith("Teacher"):
        t = c.get("teacher")
        teachers = tuple(range(len(problem.teachers))) if t is None else (t,)
    groups: tuple[int, ...] = ()
    if kind.startswith("Students"):
        s = c.get("subgroups")
        groups = tuple(range(len(problem.subgroups))) if s is None else tuple(s)
    if kind == "ActivityPreferredStartingTime":
        cells = [(d, h) for d in range(problem.n_days) for h in range(problem.n_hours)
                 if c.get("day") in (None, d) and c.get("hour") in (None, h)]
    else:
        cells = list(c.get("starts", ()) or c.get("slots", ()))
    return Constraint(kind, c.hard, c.weight, c.params, activities=tuple(acts),
                      groups=groups, teachers=teachers,
                      slots=tuple(sorted(slot_of(x) for x in cells)), source=c.index)
