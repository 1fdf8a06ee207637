"""Independent checker of a FET timetable: the specification the FET engine meets.

:func:`check_fet` takes a :class:`~jianfu.models.fet.FetProblem` and a
:class:`~jianfu.models.fet.FetSolution` (activity id → day, starting hour, room) and
returns one :class:`~jianfu.models.violation.Violation` per broken constraint
instance. ``rule`` is FET's constraint kind (``MinDaysBetweenActivities``); a
constraint with ``Weight_Percentage`` 100 gives hard violations, below 100 soft ones
whose ``weight`` is the percentage / 100, so ``cost = amount × weight``.

Penalty units (``amount``), per kind — FET 6.8.5's own, as its constraints' fitness counts:

==================================================  ===================================
BasicCompulsoryTime                                 unplaced or overflowing activity;
                                                    extra activity per teacher/subgroup
                                                    and hour (clash)
BasicCompulsorySpace                                extra activity per room and hour;
                                                    room too small
BreakTimes, *NotAvailableTimes                      activity-hour in a forbidden slot
                                                    (students: per subgroup of the set
                                                    the activity has)
ActivityPreferredStartingTime(s),                   activity starting elsewhere
ActivitiesPreferredStartingTimes
Activity/ActivitiesPreferredTimeSlots               hour of an activity outside the
                                                    slots
MinDaysBetweenActivities                            per pair: ``MinDays − distance``
  (consecutive if same day)                         pair on one day not adjacent
                                                    (always hard, at any weight, even
                                                    0 %, as fet-cl enforces it)
ActivitiesSameStartingTime                          pair of activities starting apart
TwoActivitiesConsecutive                            1 when not consecutive (break
                                                    hours between do not separate)
Teacher(s)MaxDaysPerWeek                            hours of the least busy days that
                                                    would have to go
*MaxHoursDaily                                      day over the maximum (one a day,
                                                    however many hours, as FET counts)
Teacher(s)MinHoursDaily                             day under the minimum
Students(Set)MinHoursDaily                          hours under, summed over days
*MaxGapsPerWeek / *MaxGapsPerDay                    gaps over, per week / summed per day
StudentsEarlyMaxBeginningsAtSecondHour              late beginnings (a day not at the
                                                    first hour) over the max, plus days
                                                    beginning after the second hour
ActivitiesNotOverlapping                            per pair: hours they share
MinGapsBetweenActivities                            per pair on one day: hours short of
                                                    ``MinGaps`` between them (break hours
                                                    count as hours between)
ActivitiesSameStartingHour / …Day                   per pair: 1 when hours / days differ
TwoActivitiesGrouped, ThreeActivitiesGrouped        1 when not on one day back to back in
                                                    some order (break hours between do
                                                    not separate them)
TwoActivitiesOrdered                                1 unless the second starts on a later
                                                    day, or the same day after the first
                                                    ends
TwoActivitiesOrderedIfSameDay                       1 when on one day and the second does
                                                    not start after the first ends
ActivityEndsStudentsDay,                            activity with a later lesson of one
ActivitiesEndStudentsDay                            of its subgroups that day (†)
SubactivitiesPreferredStartingTimes                 part starting elsewhere
SubactivitiesPreferredTimeSlots                     hour of a part outside the slots
ActivitiesOccupyMaxTimeSlotsFromSelection           1 when over the maximum (†)
StudentsMaxGapsPerDay, StudentsSetMaxGapsPerDay     as the other gaps (†)
*ActivityTagMaxHoursDaily                           day with more tagged hours than the
                                                    bound (FET's unit, not hours over)
*ActivityTagMaxHoursContinuously                    run of tagged hours over the bound
                                                    (a break or an untagged lesson ends
                                                    a run)
*MaxHoursContinuously                               run of busy hours longer than the
                                                    maximum (one a run); any hour not
                                                    busy — free, break, not available —
                                                    ends a run
Teacher(s)MinDaysPerWeek                            days under the minimum (a teacher
                                                    without lessons too)
*IntervalMaxDaysPerWeek                             days over the maximum, a day counted
                                                    when a lesson covers an hour ``start``
                                                    ≤ h < ``end``
room preferences, home rooms                        activity in another room (or none);
                                                    a home room is kept in a room the
                                                    activity's preferred-room rules name
                                                    (FET's precedence, ``room_rules``)
*MaxBuildingChangesPerDay                           building changes over the maximum,
                                                    summed over days
*MinGapsBetweenBuildingChanges                      building change after fewer hours
                                                    without a building than the minimum
                                                    (FET generates with these two only
                                                    at 100 %; below, its fitness counts
                                                    the same units, as here)
ActivitiesMaxSimultaneousInSelectedTimeSlots        selected slot with more of the
                                                    activities than the maximum (†)
ActivitiesOccupyMaxDifferentRooms                   1 when the activities use more
                                                    rooms than the maximum (†)
*MaxBuildingChangesPerWeek                          building changes in the week over
                                                    the maximum (days as per day) (†)
*MinRestingHours                                    per pair of days: hours of rest
                                                    short of the minimum (free hours
                                                    after the day's last lesson and
                                                    before the next day's first) (†)
*MaxSpanPerDay                                      per day: hours from the first busy
                                                    hour to the last over the maximum
                                                    (†)
MaxDaysBetweenActivities                            per pair: days apart over MaxDays
ActivitiesSameRoomIfConsecutive                     per pair back to back on one day
                                                    (no hour between) in two rooms: 1
                                                    (†)
==================================================  ===================================

(†) fet-cl 6.8.5 accepts these kinds only at 100 %; below, they are scored with the
unit of FET's own penalty all the same.
fet-cl 6.8.5 refuses max / min days per week, interval max days, min hours daily,
gaps and early beginnings below 100 %; a soft one is still scored here as FET's
fitness counts it.

Gaps are free hours between a resource's first and last busy hour of a day, not
counting break hours nor the resource's 100 % not-available hours (FET's rule).
Building changes follow a resource's day hour by hour through the buildings of the
rooms it is in: an hour in no room, or in a room without a building, has no building
(it neither changes the building nor ends a run of hours without one), and a change is
an hour in a building other than the last one met that day (FET's rule). This module
imports no solver.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import groupby, pairwise

from .fet import (
    HOME_ROOM_KINDS,
    ROOM_KINDS,
    FetConstraint,
    FetProblem,
    FetSolution,
    Placement,
    break_slots,
    follows,
    matches_filter,
    room_rules,
)
from .violation import Violation


@dataclass(frozen=True, slots=True)
class _Grid:
    """Occupancy derived once from a solution: who is busy when."""

    teacher: dict[int, dict[tuple[int, int], list[int]]]
    subgroup: dict[int, dict[tuple[int, int], list[int]]]
    room: dict[int, dict[tuple[int, int], list[int]]]
    hours_of: dict[int, tuple[tuple[int, int], ...]]


def _grid(problem: FetProblem, solution: FetSolution) -> _Grid:
    teacher: dict[int, dict[tuple[int, int], list[int]]] = defaultdict(lambda: defaultdict(list))
    subgroup: dict[int, dict[tuple[int, int], list[int]]] = defaultdict(lambda: defaultdict(list))
    room: dict[int, dict[tuple[int, int], list[int]]] = defaultdict(lambda: defaultdict(list))
    hours_of: dict[int, tuple[tuple[int, int], ...]] = {}
    for a in problem.activities:
        p = solution.placements.get(a.id)
        if p is None:
            continue
        cells = tuple((p.day, h) for h in range(p.hour, min(p.hour + a.duration, problem.n_hours)))
        hours_of[a.id] = cells
        for cell in cells:
            for t in a.teachers:
                teacher[t][cell].append(a.id)
            for s in a.subgroups:
                subgroup[s][cell].append(a.id)
            if p.room is not None:
                room[p.room][cell].append(a.id)
    return _Grid(teacher, subgroup, room, hours_of)


class _Ctx:
    """Problem, solution and derived lookups shared by the per-kind checks."""

    def __init__(self, problem: FetProblem, solution: FetSolution) -> None:
        self.p, self.s = problem, solution
        self.g = _grid(problem, solution)
        self.breaks = break_slots(problem)
        self.teacher_na: dict[int, set[tuple[int, int]]] = defaultdict(set)
        self.subgroup_na: dict[int, set[tuple[int, int]]] = defaultdict(set)
        for c in problem.of_kind("TeacherNotAvailableTimes"):
            if c.hard:
                self.teacher_na[c.get("teacher")].update(c.get("slots"))
        for c in problem.of_kind("StudentsSetNotAvailableTimes"):
            if c.hard:
                for s in c.get("subgroups"):
                    self.subgroup_na[s].update(c.get("slots"))

    def v(self, c: FetConstraint, message: str, amount: float = 1, **who: object) -> Violation:
        return Violation(rule=c.kind, hard=c.hard, message=message, amount=amount,
                         weight=0.0 if c.hard else c.weight / 100, **who)  # type: ignore[arg-type]

    def day(self, d: int) -> str:
        return self.p.days[d]

    def busy_hours(self, cells: dict[tuple[int, int], list[int]], d: int) -> list[int]:
        return [h for h in range(self.p.n_hours) if cells.get((d, h))]

    def gaps(self, cells: dict[tuple[int, int], list[int]], d: int,
             excluded: set[tuple[int, int]]) -> int:
        busy = self.busy_hours(cells, d)
        if not busy:
            return 0
        return sum(1 for h in range(busy[0], busy[-1] + 1)
                   if not cells.get((d, h)) and (d, h) not in self.breaks
                   and (d, h) not in excluded)


Check = Callable[[_Ctx, FetConstraint], Iterator[Violation]]


def check_basic_time(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Every activity placed inside a day; no teacher or subgroup in two places."""
    for a in x.p.activities:
        pl = x.s.placements.get(a.id)
        if pl is None:
            yield x.v(c, f"活动{a.id}未排 activity {a.id} is not placed")
        elif not (0 <= pl.day < x.p.n_days and 0 <= pl.hour and pl.hour + a.duration <= x.p.n_hours):
            yield x.v(c, f"活动{a.id}超出一天 activity {a.id} runs past the end of the day")
    for table, names, field in ((x.g.teacher, x.p.teachers, "teacher"),
                                (x.g.subgroup, x.p.subgroups, "cls")):
        for who, cells in table.items():
            for (d, h), ids in cells.items():
                if len(ids) > 1:
                    yield x.v(c, f"{names[who]} {x.day(d)} {x.p.hours[h]}: 同时有活动 "
                                 f"clash of activities {ids}", len(ids) - 1,
                              **{field: names[who]}, day=x.day(d), period=h + 1)


def check_basic_space(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """No room holds two activities at once; rooms hold the activity's students."""
    for r, cells in x.g.room.items():
        for (d, h), ids in cells.items():
            if len(ids) > 1:
                yield x.v(c, f"教室{x.p.rooms[r].name} {x.day(d)} {x.p.hours[h]}: 冲突 room clash "
                             f"of activities {ids}", len(ids) - 1, venue=x.p.rooms[r].name,
                          day=x.day(d), period=h + 1)
    for a in x.p.activities:
        pl = x.s.placements.get(a.id)
        if pl is not None and pl.room is not None and x.p.rooms[pl.room].capacity < a.n_students:
            yield x.v(c, f"活动{a.id}教室太小 room {x.p.rooms[pl.room].name} too small for "
                         f"{a.n_students} students", venue=x.p.rooms[pl.room].name)


def check_breaks(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """No activity occupies a break hour."""
    slots = set(c.get("slots"))
    for aid, cells in x.g.hours_of.items():
        for d, h in cells:
            if (d, h) in slots:
                yield x.v(c, f"活动{aid}占用休息时间 activity {aid} in break {x.day(d)} "
                             f"{x.p.hours[h]}", day=x.day(d), period=h + 1)


def check_not_available(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Teacher, students set or room: no activity in its not-available hours.

    One unit per activity and hour, for a students set once per subgroup of the set the
    activity has (FET's fitness counts each subgroup's hours).
    """
    slots = set(c.get("slots"))
    for a in x.p.activities:
        if c.kind.startswith("Teacher"):
            hit, who = int(c.get("teacher") in a.teachers), \
                {"teacher": x.p.teachers[c.get("teacher")]}
        elif c.kind.startswith("Students"):
            hit, who = len(set(a.subgroups) & set(c.get("subgroups"))), {"cls": c.get("students")}
        else:
            pl = x.s.placements.get(a.id)
            hit = int(pl is not None and pl.room == c.get("room"))
            who = {"venue": x.p.rooms[c.get("room")].name}
        if not hit:
            continue
        for d, h in x.g.hours_of.get(a.id, ()):
            if (d, h) in slots:
                yield x.v(c, f"活动{a.id}在不可用时间 activity {a.id} at a not-available hour "
                             f"{x.day(d)} {x.p.hours[h]}", hit, day=x.day(d), period=h + 1,
                          **who)


def _targets(x: _Ctx, c: FetConstraint) -> list[int]:
    if c.get("activity") is not None:
        return [c.get("activity")]
    return [a.id for a in x.p.activities if matches_filter(x.p, a, c)]


def check_starting_time(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """The activity starts at the preferred day and/or hour."""
    pl = x.s.placements.get(c.get("activity"))
    if pl is None:
        return
    if (c.get("day") is not None and pl.day != c.get("day")) or \
            (c.get("hour") is not None and pl.hour != c.get("hour")):
        yield x.v(c, f"活动{c.get('activity')}不在指定开始时间 activity {c.get('activity')} "
                     f"does not start at its preferred time")


def check_starting_times(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Each targeted activity starts at one of the listed times."""
    starts = set(c.get("starts"))
    for aid in _targets(x, c):
        pl = x.s.placements.get(aid)
        if pl is not None and (pl.day, pl.hour) not in starts:
            yield x.v(c, f"活动{aid}开始时间不在允许列表 activity {aid} starts at "
                         f"{x.day(pl.day)} {x.p.hours[pl.hour]}, not a preferred start",
                      day=x.day(pl.day), period=pl.hour + 1)


def check_time_slots(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Every hour of each targeted activity (or part) lies in the listed slots: one
    unit per hour outside, as FET's fitness and fet-cl 6.8.5 count it."""
    slots = set(c.get("slots"))
    for aid in _targets(x, c):
        out = [cell for cell in x.g.hours_of.get(aid, ()) if cell not in slots]
        if out:
            yield x.v(c, f"活动{aid}有{len(out)}节不在允许时段 activity {aid} has {len(out)} "
                         f"hours outside its preferred slots", len(out))


def check_min_days(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Pairs at least MinDays apart; on one day, adjacent if Consecutive_If_Same_Day."""
    acts = c.get("activities")
    k = c.get("min_days")
    for i, a in enumerate(acts):
        for b in acts[i + 1:]:
            pa, pb = x.s.placements.get(a), x.s.placements.get(b)
            if pa is None or pb is None:
                continue
            dist = abs(pa.day - pb.day)
            if dist < k:
                yield x.v(c, f"活动{a}与{b}相隔{dist}天，少于{k}天 activities {a} and {b} are "
                             f"{dist} days apart, fewer than {k}", k - dist)
            if dist == 0 and c.get("consecutive"):      # a must at any weight (FET)
                da, db = x.p.activity(a).duration, x.p.activity(b).duration
                # strictly adjacent (fet-cl refuses a break between, unlike for
                # TwoActivitiesConsecutive)
                if pa.hour + da != pb.hour and pb.hour + db != pa.hour:
                    yield Violation(rule="MinDaysBetweenActivities.consecutive", hard=True,
                                    message=f"活动{a}与{b}同一天但不连续 activities {a} and {b} "
                                            f"share a day but are not consecutive",
                                    day=x.day(pa.day))


def check_same_start(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """All activities start at one time: one violation per pair that does not (FET's
    count, ``ConstraintActivitiesSameStartingTime::fitness``)."""
    acts = c.get("activities")
    for k, first in enumerate(acts):
        p0 = x.s.placements.get(first)
        for aid in acts[k + 1:]:
            p = x.s.placements.get(aid)
            if p0 is not None and p is not None and (p.day, p.hour) != (p0.day, p0.hour):
                yield x.v(c, f"活动{aid}与{first}开始时间不同 activity {aid} does not start "
                             f"with activity {first}")


def check_two_consecutive(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """The second activity starts right when the first ends, the same day."""
    a, b = c.get("first"), c.get("second")
    pa, pb = x.s.placements.get(a), x.s.placements.get(b)
    if pa is None or pb is None:
        return
    if pa.day != pb.day or not follows(x.breaks, pa.day, pa.hour + x.p.activity(a).duration,
                                       pb.hour):
        yield x.v(c, f"活动{b}没有紧接活动{a} activity {b} does not follow activity {a}")


def _placed_pairs(x: _Ctx, c: FetConstraint
                  ) -> Iterator[tuple[int, Placement, int, Placement]]:
    """(a, its placement, b, its placement) for each placed pair, a before b in the list."""
    acts = [(aid, x.s.placements.get(aid)) for aid in c.get("activities")]
    placed = [(aid, pl) for aid, pl in acts if pl is not None]
    for n, (a, pa) in enumerate(placed):
        for b, pb in placed[n + 1:]:
            yield a, pa, b, pb


def check_not_overlapping(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """No two of the activities share an hour; each shared hour of a pair counts."""
    for a, pa, b, pb in _placed_pairs(x, c):
        if pa.day != pb.day:
            continue
        shared = (min(pa.hour + x.p.activity(a).duration, pb.hour + x.p.activity(b).duration)
                  - max(pa.hour, pb.hour))
        if shared > 0:
            yield x.v(c, f"活动{a}与{b}重叠{shared}节 activities {a} and {b} overlap for "
                         f"{shared} hours", shared, day=x.day(pa.day))


def check_min_gaps(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Activities on one day have at least ``MinGaps`` hours between them.

    The hours between are counted on the clock, break hours included (FET's rule). Of
    a pair starting at the same hour the later-listed one is taken as the earlier.
    """
    k = c.get("min_gaps")
    for a, pa, b, pb in _placed_pairs(x, c):
        if pa.day != pb.day:
            continue
        if pa.hour >= pb.hour:
            short = pb.hour + x.p.activity(b).duration + k - pa.hour
        else:
            short = pa.hour + x.p.activity(a).duration + k - pb.hour
        if short > 0:
            yield x.v(c, f"活动{a}与{b}之间少{short}节间隔 activities {a} and {b} are {short} "
                         f"hours short of {k} between them", short, day=x.day(pa.day))


def check_same_hour_or_day(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Every pair of the activities starts at the same hour (…Hour) or day (…Day)."""
    by_hour = c.kind.endswith("Hour")
    zh, en = ("开始节次", "hours") if by_hour else ("日", "days")
    for a, pa, b, pb in _placed_pairs(x, c):
        if (pa.hour != pb.hour) if by_hour else (pa.day != pb.day):
            yield x.v(c, f"活动{a}与{b}{zh}不同 activities {a} and {b} start on different {en}")


def check_grouped(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Two or three activities on one day, back to back in some order.

    Ordered by starting hour, each starts when the one before ends, break hours
    between allowed (FET's reading: any order of the two or three).
    """
    ids = [c.get(f) for f in ("first", "second", "third") if c.get(f) is not None]
    placed = [(x.s.placements[aid], aid) for aid in ids if aid in x.s.placements]
    if len(placed) < len(ids):
        return
    chain = sorted(placed, key=lambda t: t[0].hour)
    day = chain[0][0].day
    if any(pl.day != day for pl, _ in chain) or not all(
            follows(x.breaks, day, p1.hour + x.p.activity(a1).duration, p2.hour)
            for (p1, a1), (p2, _) in pairwise(chain)):
        yield x.v(c, f"活动{'、'.join(map(str, ids))}未在同一天连排 activities "
                     f"{', '.join(map(str, ids))} are not back to back on one day")


def check_ordered(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """The second activity starts after the first ends: on a later day or the same day
    (TwoActivitiesOrdered); when on the same day (TwoActivitiesOrderedIfSameDay)."""
    a, b = c.get("first"), c.get("second")
    pa, pb = x.s.placements.get(a), x.s.placements.get(b)
    if pa is None or pb is None:
        return
    after = pa.hour + x.p.activity(a).duration <= pb.hour
    if c.kind.endswith("IfSameDay"):
        ok = pa.day != pb.day or after
    else:
        ok = pa.day < pb.day or (pa.day == pb.day and after)
    if not ok:
        yield x.v(c, f"活动{b}没有排在活动{a}之后 activity {b} is not after activity {a}")


def _teachers(x: _Ctx, c: FetConstraint) -> list[int]:
    t = c.get("teacher")
    return list(range(len(x.p.teachers))) if t is None else [t]


def _subgroups(x: _Ctx, c: FetConstraint) -> list[int]:
    s = c.get("subgroups")
    return list(range(len(x.p.subgroups))) if s is None else list(s)


def check_max_days(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """A teacher works on at most ``bound`` days; the amount is the hours of the
    least busy days that would have to go, as FET's fitness counts (fet-cl accepts the
    kind only at 100 %)."""
    for t in _teachers(x, c):
        cells = x.g.teacher.get(t, {})
        per_day = sorted(len(x.busy_hours(cells, d)) for d in range(x.p.n_days))
        days = sum(1 for n in per_day if n)
        if days > c.get("bound"):
            hours = sum(per_day[:x.p.n_days - c.get("bound")])
            yield x.v(c, f"{x.p.teachers[t]}上课{days}天，多于{c.get('bound')}天 works {days} days",
                      hours, teacher=x.p.teachers[t])


def _resources(x: _Ctx, c: FetConstraint
               ) -> Iterable[tuple[str, dict[tuple[int, int], list[int]], set[tuple[int, int]], dict]]:
    if "Teacher" in c.kind:
        for t in _teachers(x, c):
            yield (x.p.teachers[t], x.g.teacher.get(t, {}), x.teacher_na[t],
                   {"teacher": x.p.teachers[t]})
    else:
        for s in _subgroups(x, c):
            yield (x.p.subgroups[s], x.g.subgroup.get(s, {}), x.subgroup_na[s],
                   {"cls": x.p.subgroups[s]})


def check_hours_daily(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Hours per day at most (Max) or at least (Min; empty days allowed if so said).

    A day over the maximum is one unit however many hours over (fet-cl 6.8.5 scores
    three hours against a 50 % max of one as 0.5). A day under the minimum is one unit
    for a teacher and its missing hours for a subgroup (FET's fitness of the teacher
    and the students kinds; fet-cl accepts both only at 100 %).
    """
    bound, is_max = c.get("bound"), "Max" in c.kind
    per_day = "Teacher" in c.kind
    for name, cells, _na, who in _resources(x, c):
        for d in range(x.p.n_days):
            n = len(x.busy_hours(cells, d))
            short = max(0, bound - n) if n or not c.get("allow_empty") else 0
            amount = int(n > bound) if is_max else (min(short, 1) if per_day else short)
            if amount > 0:
                yield x.v(c, f"{name} {x.day(d)}: {n}节 {n} hours, 限{'多' if is_max else '少'}于"
                             f"{bound} bound {bound}", amount, day=x.day(d), **who)


def check_max_continuously(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """No run of consecutive busy hours longer than ``bound``; one unit per longer run.

    Every hour the resource is not busy ends a run, break and not-available hours too
    (fet-cl accepts two lessons, a break, a lesson under a 100 % maximum of two).
    """
    bound = c.get("bound")
    for name, cells, _na, who in _resources(x, c):
        for d in range(x.p.n_days):
            run = 0
            for h in range(x.p.n_hours + 1):
                if h < x.p.n_hours and cells.get((d, h)):
                    run += 1
                    continue
                if run > bound:
                    yield x.v(c, f"{name} {x.day(d)}: 连续上课{run}节，多于{bound}节 {run} hours "
                                 f"in a row to hour {x.p.hours[h - 1]}, max {bound}",
                              day=x.day(d), period=h, **who)
                run = 0


def check_min_days_per_week(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """A teacher works on at least ``bound`` days; the days short are the amount."""
    for t in _teachers(x, c):
        cells = x.g.teacher.get(t, {})
        days = sum(1 for d in range(x.p.n_days) if x.busy_hours(cells, d))
        if days < c.get("bound"):
            yield x.v(c, f"{x.p.teachers[t]}上课{days}天，少于{c.get('bound')}天 works {days} days",
                      c.get("bound") - days, teacher=x.p.teachers[t])


def check_interval_days(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """At most ``bound`` days with a busy hour ``start`` ≤ h < ``end``; days over."""
    bound, hours = c.get("bound"), range(c.get("start"), c.get("end"))
    for name, cells, _na, who in _resources(x, c):
        days = sum(1 for d in range(x.p.n_days) if any(cells.get((d, h)) for h in hours))
        if days > bound:
            yield x.v(c, f"{name}: {days}天在时段内有课，多于{bound}天 {days} days with lessons "
                         f"in the interval, max {bound}", days - bound, **who)


def check_gaps(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Free hours between first and last lesson, per week or per day, at most ``bound``."""
    bound, per_day = c.get("bound"), c.kind.endswith("PerDay")
    for name, cells, na, who in _resources(x, c):
        gaps = [x.gaps(cells, d, na) for d in range(x.p.n_days)]
        if per_day:
            for d, g in enumerate(gaps):
                if g > bound:
                    yield x.v(c, f"{name} {x.day(d)}: 空堂{g}节 {g} gaps, max {bound}", g - bound,
                              day=x.day(d), **who)
        elif sum(gaps) > bound:
            yield x.v(c, f"{name}: 每周空堂{sum(gaps)}节 {sum(gaps)} gaps a week, max {bound}",
                      sum(gaps) - bound, **who)


def check_early(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Days begin at the first available hour; at most ``bound`` begin later.

    A day beginning after the second available hour is one unit, and it counts among
    the days beginning at the second too (FET's fitness).
    """
    for s in _subgroups(x, c):
        cells, na = x.g.subgroup.get(s, {}), x.subgroup_na[s]
        second = 0
        for d in range(x.p.n_days):
            busy = x.busy_hours(cells, d)
            if not busy:
                continue
            free_before = sum(1 for h in range(busy[0])
                              if (d, h) not in x.breaks and (d, h) not in na)
            if free_before:               # FET counts a late day as a late beginning too
                second += 1
            if free_before > 1:
                yield x.v(c, f"{x.p.subgroups[s]} {x.day(d)}: 第{busy[0] + 1}节才开始 day begins "
                             f"late", day=x.day(d), cls=x.p.subgroups[s])
        if second > c.get("bound"):
            yield x.v(c, f"{x.p.subgroups[s]}: {second}天第二节开始 {second} days begin at the "
                         f"second hour, max {c.get('bound')}", second - c.get("bound"),
                      cls=x.p.subgroups[s])


def check_ends_day(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Each targeted activity is its subgroups' last of the day: none of them has any
    activity in a later hour that day."""
    for aid in _targets(x, c):
        pl, a = x.s.placements.get(aid), x.p.activity(aid)
        if pl is None:
            continue
        later = [x.p.subgroups[s] for s in a.subgroups
                 if any(x.g.subgroup.get(s, {}).get((pl.day, h))
                        for h in range(pl.hour + a.duration, x.p.n_hours))]
        if later:
            yield x.v(c, f"活动{aid}之后{later[0]}还有课 activity {aid} does not end the day of "
                         f"{', '.join(later)}", day=x.day(pl.day), cls=later[0])


def check_occupy(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """The listed activities occupy at most ``max`` of the selected slots."""
    busy = {cell for aid in c.get("activities") for cell in x.g.hours_of.get(aid, ())}
    n = len(busy & set(c.get("slots")))
    if n > c.get("max"):
        yield x.v(c, f"活动{list(c.get('activities'))}占用{n}个所选时段，多于{c.get('max')} "
                     f"the activities occupy {n} of the selected slots, max {c.get('max')}")


def _tagged(x: _Ctx, c: FetConstraint, cells: dict[tuple[int, int], list[int]],
            d: int) -> list[bool]:
    """Per hour of day ``d``: whether an activity with the rule's tag is there."""
    tag = c.get("tag")
    return [any(tag in x.p.activity(aid).tags for aid in cells.get((d, h), ()))
            for h in range(x.p.n_hours)]


def check_tag_hours(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Hours of activities with the tag, per day (Daily) or in an unbroken run of hours
    (Continuously; a break or another activity ends the run), at most ``bound``: one
    unit per day, or per run, over it."""
    bound, tag = c.get("bound"), x.p.tags[c.get("tag")]
    for name, cells, _na, who in _resources(x, c):
        for d in range(x.p.n_days):
            tagged = _tagged(x, c, cells, d)
            runs = [sum(tagged)] if c.kind.endswith("Daily") else \
                [len(list(run)) for on, run in groupby(tagged) if on]
            for n in runs:
                if n > bound:
                    yield x.v(c, f"{name} {x.day(d)}: {tag}{n}节，多于{bound}节 {n} hours of "
                                 f"{tag}, max {bound}", day=x.day(d), **who)
def _buildings(x: _Ctx, cells: dict[tuple[int, int], list[int]], d: int) -> list[str | None]:
    """The building a resource is in at each hour of day ``d`` (``None``: none)."""
    out: list[str | None] = []
    for h in range(x.p.n_hours):
        rooms = [x.s.placements[aid].room for aid in cells.get((d, h), ())]
        out.append(next((x.p.rooms[r].building for r in rooms
                         if r is not None and x.p.rooms[r].building), None))
    return out


def building_changes(day: list[str | None], min_gaps: int | None = None) -> int:
    """Building changes in one day's hour-by-hour buildings (``None``: no building).

    With ``min_gaps``, only the changes after fewer than ``min_gaps`` hours without a
    building since the last hour in a building.
    """
    last, free, n = None, 0, 0
    for b in day:
        if b is None:
            free += 1
            continue
        if last is not None and b != last and (min_gaps is None or free < min_gaps):
            n += 1
        last, free = b, 0
    return n


def check_building_changes(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Building changes per day at most ``bound`` (Max), or none after fewer than
    ``bound`` hours without a building (MinGaps), per teacher or subgroup."""
    bound, is_max = c.get("bound"), "Max" in c.kind
    for name, cells, _na, who in _resources(x, c):
        for d in range(x.p.n_days):
            day = _buildings(x, cells, d)
            if is_max:
                n = building_changes(day)
                if n > bound:
                    yield x.v(c, f"{name} {x.day(d)}: 换楼{n}次，多于{bound}次 {n} building "
                                 f"changes, max {bound}", n - bound, day=x.day(d), **who)
            else:
                n = building_changes(day, bound)
                if n:
                    yield x.v(c, f"{name} {x.day(d)}: {n}次换楼间隔少于{bound}节 {n} building "
                                 f"changes after fewer than {bound} free hours", n,
                              day=x.day(d), **who)


# -- rest: selected slots, rooms of a set, building changes per week, resting hours ----
def check_max_simultaneous(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """In each selected slot at most ``max`` of the listed activities: one unit per
    slot over."""
    for d, h in c.get("slots"):
        ids = [aid for aid in c.get("activities") if (d, h) in x.g.hours_of.get(aid, ())]
        if len(ids) > c.get("max"):
            yield x.v(c, f"{x.day(d)} {x.p.hours[h]}: 同时有{len(ids)}个活动，多于{c.get('max')} "
                         f"{len(ids)} of activities {list(c.get('activities'))} at once, max "
                         f"{c.get('max')}", day=x.day(d), period=h + 1)


def check_max_rooms(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """The listed activities use at most ``max`` distinct rooms (no room is none): one
    unit when over."""
    rooms = {x.s.placements[aid].room for aid in c.get("activities") if aid in x.s.placements}
    rooms.discard(None)
    if len(rooms) > c.get("max"):
        yield x.v(c, f"活动{list(c.get('activities'))}用了{len(rooms)}个教室，多于{c.get('max')}个 "
                     f"the activities use {len(rooms)} rooms, max {c.get('max')}")


def check_building_changes_week(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Building changes in the week (each day counted as the per-day rules count it) at
    most ``bound``, per teacher or subgroup: the changes over it."""
    bound = c.get("bound")
    for name, cells, _na, who in _resources(x, c):
        n = sum(building_changes(_buildings(x, cells, d)) for d in range(x.p.n_days))
        if n > bound:
            yield x.v(c, f"{name}: 一周换楼{n}次，多于{bound}次 {n} building changes in the "
                         f"week, max {bound}", n - bound, **who)


def check_resting(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """From each day's last busy hour to the next day's first, at least ``bound`` free
    hours (the free hours at the end of the day plus those at the start of the next;
    with ``circular``, the last day runs into the first): the hours short."""
    D, H, bound = x.p.n_days, x.p.n_hours, c.get("bound")
    for name, cells, _na, who in _resources(x, c):
        for d in range(D - 1 + bool(c.get("circular"))):
            late, early = x.busy_hours(cells, d), x.busy_hours(cells, (d + 1) % D)
            rest = (H - 1 - late[-1] if late else H) + (early[0] if early else H)
            if rest < bound:
                yield x.v(c, f"{name} {x.day(d)}→{x.day((d + 1) % D)}: 只休息{rest}节，少于"
                             f"{bound}节 rests {rest} hours, min {bound}", bound - rest,
                          day=x.day(d), **who)


def check_span(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Each day, from the first busy hour to the last (free and break hours between
    count), at most ``bound`` hours: the hours over."""
    bound = c.get("bound")
    for name, cells, _na, who in _resources(x, c):
        for d in range(x.p.n_days):
            busy = x.busy_hours(cells, d)
            span = busy[-1] - busy[0] + 1 if busy else 0
            if span > bound:
                yield x.v(c, f"{name} {x.day(d)}: 从第{busy[0] + 1}节到第{busy[-1] + 1}节，跨度多于"
                             f"{bound}节 spans {span} hours, max {bound}", span - bound,
                          day=x.day(d), **who)


def check_max_days_between(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Per pair of the activities: the days apart beyond ``max_days``."""
    placed = [(aid, x.s.placements[aid].day) for aid in c.get("activities")
              if aid in x.s.placements]
    for n, (a, da) in enumerate(placed):
        for b, db in placed[n + 1:]:
            far = abs(da - db) - c.get("max_days")
            if far > 0:
                yield x.v(c, f"活动{a}与{b}相隔{abs(da - db)}天，多于{c.get('max_days')}天 "
                             f"activities {a} and {b} are {abs(da - db)} days apart, max "
                             f"{c.get('max_days')}", far)


def check_same_room_if_consecutive(x: _Ctx, c: FetConstraint) -> Iterator[Violation]:
    """Per pair of the activities back to back on one day (strictly: no hour between,
    as FET's rule) both in rooms: 1 when the rooms differ."""
    acts = [aid for aid in c.get("activities") if aid in x.s.placements]
    for n, a in enumerate(acts):
        pa, ea = x.s.placements[a], x.s.placements[a].hour + x.p.activity(a).duration
        for b in acts[n + 1:]:
            pb, eb = x.s.placements[b], x.s.placements[b].hour + x.p.activity(b).duration
            if pa.day == pb.day and (ea == pb.hour or eb == pa.hour) and \
                    None not in (pa.room, pb.room) and pa.room != pb.room:
                yield x.v(c, f"活动{a}与{b}相连却不在同一教室 activities {a} and {b} are "
                             f"back to back in different rooms", day=x.day(pa.day))


def _check_rooms_all(x: _Ctx) -> Iterator[Violation]:
    """Room preferences and home rooms, a home room giving way to preferred rooms."""
    for i, reqs in room_rules(x.p).items():
        a = x.p.activities[i]
        pl = x.s.placements.get(a.id)
        if pl is None:
            continue
        for rooms, k in reqs:
            if pl.room not in rooms:
                c = x.p.constraints[k]
                got = "无 none" if pl.room is None else x.p.rooms[pl.room].name
                zh, en = (("不是家教室也不是指定教室", "neither its home room nor a preferred room")
                          if c.kind in HOME_ROOM_KINDS else ("不是指定教室", "not a preferred room"))
                yield x.v(c, f"活动{a.id}教室{got}{zh} activity {a.id} in room {got}, {en}",
                          venue=got if pl.room is not None else None)


CHECKS: dict[str, Check] = {
    "BasicCompulsoryTime": check_basic_time, "BasicCompulsorySpace": check_basic_space,
    "BreakTimes": check_breaks, "TeacherNotAvailableTimes": check_not_available,
    "StudentsSetNotAvailableTimes": check_not_available,
    "RoomNotAvailableTimes": check_not_available,
    "ActivityPreferredStartingTime": check_starting_time,
    "ActivityPreferredStartingTimes": check_starting_times,
    "ActivitiesPreferredStartingTimes": check_starting_times,
    "ActivityPreferredTimeSlots": check_time_slots,
    "ActivitiesPreferredTimeSlots": check_time_slots,
    "MinDaysBetweenActivities": check_min_days, "ActivitiesSameStartingTime": check_same_start,
    "TwoActivitiesConsecutive": check_two_consecutive, "TeacherMaxDaysPerWeek": check_max_days,
    "TeacherMaxHoursDaily": check_hours_daily, "TeachersMaxHoursDaily": check_hours_daily,
    "TeacherMinHoursDaily": check_hours_daily, "TeachersMinHoursDaily": check_hours_daily,
    "StudentsSetMinHoursDaily": check_hours_daily, "StudentsMinHoursDaily": check_hours_daily,
    "TeacherMaxGapsPerWeek": check_gaps, "TeachersMaxGapsPerWeek": check_gaps,
    "TeacherMaxGapsPerDay": check_gaps, "TeachersMaxGapsPerDay": check_gaps,
    "StudentsMaxGapsPerWeek": check_gaps, "StudentsSetMaxGapsPerWeek": check_gaps,
    "StudentsEarlyMaxBeginningsAtSecondHour": check_early,
    "StudentsSetEarlyMaxBeginningsAtSecondHour": check_early,
    # relations between activities
    "ActivitiesNotOverlapping": check_not_overlapping, "MinGapsBetweenActivities": check_min_gaps,
    "ActivitiesSameStartingHour": check_same_hour_or_day,
    "ActivitiesSameStartingDay": check_same_hour_or_day,
    "TwoActivitiesGrouped": check_grouped, "ThreeActivitiesGrouped": check_grouped,
    "TwoActivitiesOrderedIfSameDay": check_ordered, "TwoActivitiesOrdered": check_ordered,
    # dayshape
    "ActivityEndsStudentsDay": check_ends_day, "ActivitiesEndStudentsDay": check_ends_day,
    "SubactivitiesPreferredTimeSlots": check_time_slots,
    "SubactivitiesPreferredStartingTimes": check_starting_times,
    "ActivitiesOccupyMaxTimeSlotsFromSelection": check_occupy,
    "StudentsMaxGapsPerDay": check_gaps, "StudentsSetMaxGapsPerDay": check_gaps,
    "TeacherActivityTagMaxHoursDaily": check_tag_hours,
    "TeachersActivityTagMaxHoursDaily": check_tag_hours,
    "StudentsSetActivityTagMaxHoursDaily": check_tag_hours,
    "StudentsActivityTagMaxHoursDaily": check_tag_hours,
    "TeacherActivityTagMaxHoursContinuously": check_tag_hours,
    "TeachersActivityTagMaxHoursContinuously": check_tag_hours,
    "StudentsSetActivityTagMaxHoursContinuously": check_tag_hours,
    "StudentsActivityTagMaxHoursContinuously": check_tag_hours,
    # counts group
    "StudentsSetMaxHoursDaily": check_hours_daily, "StudentsMaxHoursDaily": check_hours_daily,
    "TeacherMaxHoursContinuously": check_max_continuously,
    "TeachersMaxHoursContinuously": check_max_continuously,
    "StudentsSetMaxHoursContinuously": check_max_continuously,
    "StudentsMaxHoursContinuously": check_max_continuously,
    "TeachersMaxDaysPerWeek": check_max_days, "TeacherMinDaysPerWeek": check_min_days_per_week,
    "TeachersMinDaysPerWeek": check_min_days_per_week,
    "TeacherIntervalMaxDaysPerWeek": check_interval_days,
    "TeachersIntervalMaxDaysPerWeek": check_interval_days,
    "StudentsSetIntervalMaxDaysPerWeek": check_interval_days,
    "StudentsIntervalMaxDaysPerWeek": check_interval_days,
    # rooms
    "TeacherMinGapsBetweenBuildingChanges": check_building_changes,
    "TeachersMinGapsBetweenBuildingChanges": check_building_changes,
    "StudentsSetMinGapsBetweenBuildingChanges": check_building_changes,
    "StudentsMinGapsBetweenBuildingChanges": check_building_changes,
    "TeacherMaxBuildingChangesPerDay": check_building_changes,
    "TeachersMaxBuildingChangesPerDay": check_building_changes,
    "StudentsSetMaxBuildingChangesPerDay": check_building_changes,
    "StudentsMaxBuildingChangesPerDay": check_building_changes,
    # rest
    "ActivitiesMaxSimultaneousInSelectedTimeSlots": check_max_simultaneous,
    "ActivitiesOccupyMaxDifferentRooms": check_max_rooms,
    "TeacherMaxBuildingChangesPerWeek": check_building_changes_week,
    "TeachersMaxBuildingChangesPerWeek": check_building_changes_week,
    "StudentsSetMaxBuildingChangesPerWeek": check_building_changes_week,
    "StudentsMaxBuildingChangesPerWeek": check_building_changes_week,
    "TeacherMinRestingHours": check_resting, "TeachersMinRestingHours": check_resting,
    "StudentsSetMinRestingHours": check_resting, "StudentsMinRestingHours": check_resting,
    "TeacherMaxSpanPerDay": check_span, "TeachersMaxSpanPerDay": check_span,
    "StudentsSetMaxSpanPerDay": check_span, "StudentsMaxSpanPerDay": check_span,
    "MaxDaysBetweenActivities": check_max_days_between,
    "ActivitiesSameRoomIfConsecutive": check_same_room_if_consecutive,
}


def check_fet(problem: FetProblem, solution: FetSolution) -> list[Violation]:
    """Every violation of every supported constraint in ``problem`` by ``solution``.

    BasicCompulsoryTime and BasicCompulsorySpace are checked even when the file
    lacks them (FET always applies them).
    """
    x = _Ctx(problem, solution)
    out: list[Violation] = []
    kinds = {c.kind for c in problem.constraints}
    basics = [FetConstraint(k, 100.0) for k in ("BasicCompulsoryTime", "BasicCompulsorySpace")
              if k not in kinds]
    for c in (*basics, *problem.constraints):
        if c.kind in CHECKS:
            out.extend(CHECKS[c.kind](x, c))
    out.extend(_check_rooms_all(x))
    return out


def broken_rules(problem: FetProblem, solution: FetSolution, kinds: Iterable[str] | None = None
                 ) -> list[tuple[FetConstraint, Violation]]:
    """Each hard violation of ``solution`` with the constraint it breaks, for the
    constraints of ``kinds`` (all when ``None``): who a repair has to move."""
    x = _Ctx(problem, solution)
    wanted = None if kinds is None else set(kinds)
    return [(c, v) for c in problem.constraints
            if c.kind in CHECKS and (wanted is None or c.kind in wanted)
            for v in CHECKS[c.kind](x, c) if v.hard]


@dataclass(frozen=True, slots=True)
class FetScore:
    """Summary of :func:`check_fet`: hard violation count and soft penalty."""

    hard: int
    soft: float
    by_rule: dict[str, float]

    @property
    def compliant(self) -> bool:
        return self.hard == 0


def score_fet(problem: FetProblem, solution: FetSolution) -> FetScore:
    """Hard violation count, soft penalty (sum of costs) and cost per rule."""
    vs = check_fet(problem, solution)
    by: dict[str, float] = defaultdict(float)
    for v in vs:
        by[v.rule] += v.amount if v.hard else v.cost
    return FetScore(sum(int(v.amount) for v in vs if v.hard),
                    round(sum(v.cost for v in vs if not v.hard), 6), dict(by))


#: Kinds one activity can break alone, by its start / by its room.
ALONE_TIME = frozenset({
    "BasicCompulsoryTime", "BreakTimes", "TeacherNotAvailableTimes",
    "StudentsSetNotAvailableTimes", "ActivityPreferredStartingTime",
    "ActivityPreferredStartingTimes", "ActivitiesPreferredStartingTimes",
    "ActivityPreferredTimeSlots", "ActivitiesPreferredTimeSlots",
    "SubactivitiesPreferredTimeSlots", "SubactivitiesPreferredStartingTimes"})
ALONE_SPACE = frozenset({"BasicCompulsorySpace"}) | ROOM_KINDS


def cannot_place(problem: FetProblem, activity_id: int) -> bool:
    """Whether the checker itself shows that activity ``activity_id`` has no place.

    True when each room (and no room) breaks a 100 % room rule or the room capacity,
    or when no start is allowed — each activity judged alone by the 100 % rules of
    :data:`ALONE_TIME` (breaks, not-available times, preferred starting times and time
    slots, the end of the day) — to all the activities that 100 % ActivitiesSameStarting-
    Time rules tie to it. Then no timetable keeps every 100 % rule. The solver reports
    a presolve "impossible" as proven only when this confirms it, so an
    "infeasible" always rests on the checker's reading of the rules.
    """
    rooms = (*range(len(problem.rooms)), None)
    if not _alone_ok(problem, activity_id, ALONE_SPACE, [Placement(0, 0, r) for r in rooms]):
        return True
    cells = [Placement(d, h) for d in range(problem.n_days) for h in range(problem.n_hours)]
    starts: set[tuple[int, int]] | None = None
    for aid in _started_with(problem, activity_id):
        ok = {(pl.day, pl.hour) for pl in _alone_ok(problem, aid, ALONE_TIME, cells)}
        starts = ok if starts is None else starts & ok
        if not starts:
            return True
    return False


def _alone_ok(problem: FetProblem, activity_id: int, kinds: frozenset[str],
              places: list[Placement]) -> list[Placement]:
    """The places where the activity, alone, breaks no 100 % rule of ``kinds``."""
    alone = replace(problem, activities=(problem.activity(activity_id),),
                    constraints=tuple(c for c in problem.constraints if c.kind in kinds))
    return [pl for pl in places
            if not any(v.hard and v.rule in kinds
                       for v in check_fet(alone, FetSolution({activity_id: pl})))]


def _started_with(problem: FetProblem, activity_id: int) -> set[int]:
    """The activity and those 100 % ActivitiesSameStartingTime rules tie to it."""
    ties = [set(c.get("activities")) for c in problem.of_kind("ActivitiesSameStartingTime")
            if c.hard]
    group = {activity_id}
    grown = True
    while grown:
        grown = False
        for tie in ties:
            if tie & group and not tie <= group:
                group |= tie
                grown = True
    return group
