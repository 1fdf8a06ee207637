"""A jianfu school as a FET file, and FET's timetable of it read back as a jianfu timetable.

:func:`school_fet` builds the FET problem of ``jianfu export school.yaml --format fet``
with the bookkeeping needed to read FET's answer back (:func:`read_fet_timetable`,
``jianfu check school.yaml RESULT.fet``). What is carried and how is in
``docs/format.md`` ("FET export"); in short:

**The grid.** FET has one grid of hours for every class. Its hours are the period
numbers (第1节, 第2节 …, as many as the longest school day has), a 午休 break hour
where every bell schedule has its lunch (same number of morning periods on every
day), and a 课外活动 hour for the after-class activity sessions. Hour ``第n节`` is each
class's own period n, at its own bell schedule's clock time: a primary class's 第1节
is 08:20 when a junior class's is 08:10 (the clock times are in the file's
comments). A class's periods that its day does not have (短天, a primary class's 第7节)
and those before its earliest start are students-set not-available times. Periods
of two bell schedules that overlap in clock time but have different numbers
(小学第5节 14:00–14:40 and 初中第6节 14:35–15:20) are kept apart for teachers (activities
occupy max 1 time slot of the two) and venues (the venue's rooms are split between
those hours by room not-available times): cautious, never wrong.

**Weights.** A hard rule is 100 %. A soft rule of jianfu weight ``w`` (a penalty per
unit) is ``100 × (1 − 2^−w)`` % (:func:`fet_weight`), so that FET's odds of giving up
one unit of weight ``w`` are those of giving up ``w`` units of weight 1: 1 → 50 %,
2 → 75 %, 3 → 87.5 %, 10 → 99.9 %, at most 99.99 %; weight 0 leaves the rule out. Kinds
FET takes only at 100 % (teacher max gaps, activities occupy min time slots) are
carried as a bound or not at all, and said so.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..models.core import Problem, SlotKind, compile_school
from ..models.errors import InputError
from ..models.fet import FetActivity, FetConstraint, FetProblem, FetRoom
from ..models.policy import Policy, format_clock
from ..models.school import School
from ..models.timetable import Lesson, Session, Timetable

#: The subject of an after-class activity session (课外体育活动) in the FET file.
SESSION_SUBJECT = "课外体育活动"
#: Teachers' max gaps per day when jianfu's teacher_gaps has a weight: FET takes max
#: gaps only at 100 %, so the file bounds them instead of weighing them.
DEFAULT_MAX_GAPS = 1
SOFT_CAP = 99.99


def fet_weight(weight: float) -> float | None:
    """FET weight percentage of a jianfu soft weight: ``100 × (1 − 2^−w)``, rounded to
    0.01 and capped at 99.99 so a soft rule stays soft; ``None`` for weight 0 (left out)."""
    if weight <= 0:
        return None
    return min(SOFT_CAP, round(100 * (1 - 2 ** -float(weight)), 2))


@dataclass(frozen=True, slots=True)
class Grid:
    """FET's hours: ``hours[h]`` is the name; ``period_hour[p]`` the hour of period ``p``
    (0-based, every bell schedule); ``lunch`` / ``activity`` the 午休 break hour and the
    课外活动 hour, or ``None``."""

    hours: tuple[str, ...]
    period_hour: tuple[int, ...]
    lunch: int | None
    activity: int | None

    def period_of(self, hour: int) -> int | None:
        """The period index of a lesson hour, ``None`` for the break and activity hours."""
        return self.period_hour.index(hour) if hour in self.period_hour else None


@dataclass(frozen=True, slots=True)
class SchoolFet:
    """The FET problem of a school and how to read FET's answer back.

    ``lessons``: FET activity id → (core activity index, duration); ``sessions``: id →
    class index of an after-class activity session; ``room_venue``: room index → venue
    index; ``not_carried``: one line per rule or part of a rule FET cannot express, as
    the export prints it; ``carried``: (jianfu rule, FET constraint kind, weight %) rows.
    """

    problem: FetProblem
    grid: Grid
    core: Problem
    lessons: Mapping[int, tuple[int, int]]
    sessions: Mapping[int, int]
    room_venue: tuple[int, ...]
    not_carried: tuple[str, ...]
    carried: tuple[tuple[str, str, float], ...] = field(default=())


def _grid(school: School) -> Grid:
    days = [day for sched in school.schedules for day in sched.days if day.periods]
    n = max((len(day.periods) for day in days), default=0)
    mornings = {sum(1 for pm in day.afternoon if not pm) for day in days}
    lunch_at = mornings.pop() if len(mornings) == 1 else None
    if lunch_at is not None and not (0 < lunch_at < n and all(day.lunch for day in days)):
        lunch_at = None
    hours: list[str] = []
    period_hour: list[int] = []
    lunch = None
    for p in range(n):
        if p == lunch_at:
            lunch = len(hours)
            hours.append("午休")
        times = {(day.periods[p].start, day.periods[p].end) for day in days if p < len(day.periods)}
        label = f"第{p + 1}节"
        if len(times) == 1:   # one clock time for every class: say it
            (start, end), = times
            label += f" {format_clock(start)}-{format_clock(end)}"
        period_hour.append(len(hours))
        hours.append(label)
    activity = None
    if any(day.activity for day in days):
        activity = len(hours)
        hours.append("课外活动")
    return Grid(tuple(hours), tuple(period_hour), lunch, activity)


def _schedule_text(school: School) -> list[str]:
    """The bell schedules' clock times, one line per schedule and distinct day."""
    out = []
    for sched in school.schedules:
        seen: dict[tuple, list[str]] = {}
        for d, day in enumerate(sched.days):
            key = tuple((s.kind, s.start, s.end) for s in day.segments)
            seen.setdefault(key, []).append(school.days[d])
        for key, names in seen.items():
            day = sched.days[school.days.index(names[0])]
            parts = [f"第{p + 1}节 {format_clock(s.start)}-{format_clock(s.end)}"
                     for p, s in enumerate(day.periods)]
            if day.activity:
                parts.append(f"课外活动 {format_clock(day.activity.start)}-"
                             f"{format_clock(day.activity.end)}")
            out.append(f"  {sched.name}（{'、'.join(names)}）：{'，'.join(parts)}")
    return out


def school_fet(school: School, policy: Policy, *, max_gaps: int | None = DEFAULT_MAX_GAPS
               ) -> SchoolFet:
    """The school under ``policy`` as a FET problem carrying every rule FET can express.

    ``max_gaps``: teachers' max gaps per day (100 %) written for jianfu's soft
    teacher_gaps; ``None`` leaves it out. See the module docstring and
    ``docs/format.md`` for the mapping; :attr:`SchoolFet.not_carried` lists the rest.
    """
    return _Builder(school, policy, max_gaps).build()


class _Builder:
    """One export: the grid, the activities, then one method per family of rules."""

    def __init__(self, school: School, policy: Policy, max_gaps: int | None) -> None:
        self.school, self.policy, self.max_gaps = school, policy, max_gaps
        self.core = compile_school(school, policy)
        self.grid = _grid(school)
        self.D = len(school.days)
        self.cons: list[FetConstraint] = []
        self.carried: dict[tuple[str, str, float], None] = {}
        self.missing: list[str] = []
        core = self.core
        self.lesson_cells = frozenset((d, h) for d in range(self.D) for h in self.grid.period_hour)
        # per core activity: its bell schedule, FET ids, durations, per-period allowed cells
        self.schedule = [school.classes[a.groups[0]].schedule for a in core.activities]
        self.cells = [frozenset(self.cell(s) for s in a.slots) for a in core.activities]
        self.ids: list[list[int]] = []
        self.durations: list[list[int]] = []

    def cell(self, slot: int) -> tuple[int, int]:
        s = self.core.slots[slot]
        if s.kind is SlotKind.ACTIVITY:
            assert self.grid.activity is not None
            return (s.day, self.grid.activity)
        return (s.day, self.grid.period_hour[s.period])

    def add(self, rule: str, kind: str, weight: float | None, comment: str = "",
            **params: Any) -> None:
        if weight is None:
            return
        zh = comment or rule
        self.cons.append(FetConstraint(kind, weight, tuple(params.items()) + (
            ("comment", f"jianfu {zh} ({rule}) {weight:g} %"),)))
        self.carried[(rule, kind, weight)] = None

    def soft(self, rule: str) -> float | None:
        return fet_weight(getattr(self.policy.weights, rule))

    # --- build ---------------------------------------------------------------------
    def build(self) -> SchoolFet:
        school, core = self.school, self.core
        self._students()
        self._rooms()
        self._activities()
        if self.grid.lunch is not None:
            self.add("lunch", "BreakTimes", 100.0, "午休",
                     slots=tuple((d, self.grid.lunch) for d in range(self.D)))
        else:
            self.missing.append("午休：各作息表上午节数不同，FET 的一张网格放不下午休时段（连堂仍不跨午休）"
                                "— the bell schedules have different morning periods: no lunch "
                                "break hour, so FET's max hours continuously may run over lunch")
        self._not_available()
        self._fixed_and_domains()
        self._sessions()
        self._cross_schedules()
        self._daily_max()
        self._main_morning()
        self._pe_placement()
        self._once_daily()
        self._spread()
        self._parallel()
        self._teacher_rules()
        self._wishes()
        self._left_out()
        order = {k: i for i, k in enumerate((
            "BreakTimes", "TeacherNotAvailableTimes", "StudentsSetNotAvailableTimes",
            "TeacherMaxHoursDaily", "ActivityPreferredStartingTime",
            "ActivityPreferredStartingTimes", "ActivityPreferredTimeSlots",
            "MinDaysBetweenActivities", "ActivitiesSameStartingDay",
            "ActivitiesOccupyMaxTimeSlotsFromSelection",
            "ActivitiesMaxSimultaneousInSelectedTimeSlots",
            "StudentsSetActivityTagMaxHoursDaily", "TeachersMaxGapsPerDay",
            "TeachersMaxHoursContinuously", "ActivityPreferredRooms", "RoomNotAvailableTimes"))}
        cons = sorted(self.cons, key=lambda c: (order[c.kind], c.weight < 100))
        cons = [FetConstraint("BasicCompulsoryTime", 100.0)] + cons + \
            [FetConstraint("BasicCompulsorySpace", 100.0)]
        comments = self._comments()
        problem = FetProblem(
            name=school.name, days=tuple(school.days), hours=self.grid.hours,
            teachers=tuple(t.name for t in school.teachers),
            subjects=tuple(s.name for s in school.subjects) + (
                (SESSION_SUBJECT,) if self.session_ids else ()),
            tags=tuple(self.tags), subgroups=tuple(school.classes[c].name for c in self.order),
            students_sets=self.sets, activities=tuple(self.activities), rooms=tuple(self.rooms),
            buildings=(), constraints=tuple(cons), years=self.year_rows, comments=comments)
        lessons = {i: (a, dur) for a, (ids, durs) in enumerate(zip(self.ids, self.durations))
                   for i, dur in zip(ids, durs)}
        return SchoolFet(problem, self.grid, core, lessons, dict(self.session_ids),
                         tuple(self.room_venue), tuple(self.missing), tuple(self.carried))

    def _comments(self) -> str:
        lines = ["jianfu 导出 written by jianfu (docs/format.md, FET export).",
                 "节次即各班自己作息表的节次 — hour 第n节 is each class's own period n:"]
        lines += _schedule_text(self.school)
        lines.append("权重 weights: 硬规则 hard rules 100 %; 软规则权重 w → 100×(1−2^−w) % "
                     "(1→50, 2→75, 3→87.5, 10→99.9).")
        if self.missing:
            lines.append("FET 无法表达 not carried:")
            lines += [f"  - {m}" for m in self.missing]
        return "\n".join(lines)

    def _students(self) -> None:
        school = self.school
        years: dict[int, list[int]] = {}
        for c, cls in enumerate(school.classes):
            years.setdefault(cls.grade, []).append(c)
        self.year_rows = tuple((f"{g}年级", tuple((school.classes[c].name, ()) for c in cs))
                               for g, cs in sorted(years.items()))
        self.order = [c for _, cs in sorted(years.items()) for c in cs]
        self.sub = {c: k for k, c in enumerate(self.order)}
        self.sets: dict[str, tuple[int, ...]] = {
            school.classes[c].name: (self.sub[c],) for c in self.order}
        for g, cs in years.items():
            self.sets[f"{g}年级"] = tuple(sorted(self.sub[c] for c in cs))

    def _rooms(self) -> None:
        self.rooms: list[FetRoom] = []
        self.room_venue: list[int] = []
        self.pool_rooms: list[tuple[int, ...]] = []
        for pool in self.core.pools:
            ids = []
            for v in pool.venues:
                venue = self.school.venues[v]
                for k in range(venue.capacity):
                    ids.append(len(self.rooms))
                    self.room_venue.append(v)
                    self.rooms.append(FetRoom(venue.name if venue.capacity == 1
                                              else f"{venue.name}#{k + 1}"))
            self.pool_rooms.append(tuple(ids))

    def _activities(self) -> None:
        school, core = self.school, self.core
        self.activities: list[FetActivity] = []
        self.tags: list[str] = []
        tag_of: dict[int, int] = {}
        next_id = 1
        for a, act in enumerate(core.activities):
            durations = [2] * act.doubles + [1] * (act.count - 2 * act.doubles)
            gid = next_id if len(durations) > 1 else 0
            # the subjects a class counts the lesson under (once daily); an alternating
            # slot (单双周) counts under none, as in the checker
            subjects = () if act.alternate else tuple(dict.fromkeys(
                act.group_subjects or (act.subject,)))
            tags = tuple(tag_of.setdefault(s, len(tag_of)) for s in subjects)
            ids = []
            for dur in durations:
                self.activities.append(FetActivity(
                    # 合班, 走班: one activity of every class; 分组, 走班, 单双周: every teacher
                    id=next_id, duration=dur, subject=act.subject, teachers=act.teachers,
                    tags=tags, students=tuple(school.classes[g].name for g in act.groups),
                    subgroups=tuple(self.sub[g] for g in act.groups), group_id=gid))
                ids.append(next_id)
                next_id += 1
            self.ids.append(ids)
            self.durations.append(durations)
        self.tags = [school.subjects[s].name for s in sorted(tag_of, key=tag_of.get)]
        self.tag_index = tag_of
        self.next_id = next_id

    # --- hard rules ------------------------------------------------------------------
    def _not_available(self) -> None:
        """Students: periods outside the class's day and before its earliest start.
        Teachers: periods unavailable in every bell schedule they teach in (meetings,
        教研 included), and the activity hour."""
        core, grid = self.core, self.grid
        self.class_ok: list[frozenset[tuple[int, int]]] = []
        for c, grp in enumerate(core.groups):
            ok = frozenset(self.cell(s) for s in grp.slots if s not in set(grp.early))
            self.class_ok.append(ok)
            off = tuple(sorted(self.lesson_cells - ok))
            if off:
                self.add("lesson_outside_periods", "StudentsSetNotAvailableTimes", 100.0,
                         "课表越界/上午上课时间 day shape, earliest start", slots=off,
                         students=grp.name, subgroups=(self.sub[c],))
        where = {(s.schedule, s.day, s.period): i for i, s in enumerate(core.slots)
                 if s.kind is SlotKind.LESSON}
        self.teacher_ok: list[frozenset[tuple[int, int]]] = []
        for t, tr in enumerate(core.teachers):
            mine = {self.schedule[a] for a in core.activities_of_teacher[t]}
            away = set(tr.unavailable)
            off = set()
            for d in range(self.D):
                for p, h in enumerate(grid.period_hour):
                    here = [where[(s, d, p)] for s in mine if (s, d, p) in where]
                    if here and all(i in away for i in here):
                        off.add((d, h))
            self.teacher_ok.append(frozenset(self.lesson_cells - off))
            if not mine:
                continue
            if grid.activity is not None:   # sessions have no teacher: no lesson then
                off |= {(d, grid.activity) for d in range(self.D)}
            if off:
                self.add("teacher_unavailable", "TeacherNotAvailableTimes", 100.0,
                         "教师不可排/教研会议 unavailability, meetings", slots=tuple(sorted(off)),
                         teacher=t)

    def _fixed_and_domains(self) -> None:
        """固定 as preferred starting times; 禁排 and what is left of a teacher's
        unavailability as preferred time slots; double periods start only where the
        class's two periods are joined (no 大课间 or lunch between)."""
        core = self.core
        for a, act in enumerate(core.activities):
            durations, ids = self.durations[a], self.ids[a]
            starts = _fixed_starts(core, act, durations, self.cell)
            implied = self.lesson_cells.intersection(*(self.class_ok[g] for g in act.groups),
                                                     *(self.teacher_ok[t] for t in act.teachers))
            banned = self.cells[a] != implied
            domain = set(act.slots)
            joined = tuple(sorted({self.cell(s) for s in act.slots
                                   if core.next_slot[s] >= 0 and core.next_slot[s] in domain}))
            for k, (i, dur) in enumerate(zip(ids, durations)):
                if len(starts[k]) == 1:   # 固定: this lesson starts there
                    (day, hour), = starts[k]
                    self.add("fixed_slot", "ActivityPreferredStartingTime", 100.0, "固定",
                             activity=i, day=day, hour=hour, locked=False)
                elif starts[k]:
                    self.add("fixed_slot", "ActivityPreferredStartingTimes", 100.0, "固定连堂",
                             activity=i, starts=tuple(starts[k]))
                elif dur == 2:
                    self.add("double_period", "ActivityPreferredStartingTimes", 100.0, "连堂",
                             activity=i, starts=joined)
                if banned:
                    self.add("forbidden_slot", "ActivityPreferredTimeSlots", 100.0,
                             "禁排/教师不可排 forbidden, unavailable", activity=i,
                             slots=tuple(sorted(self.cells[a])))
            if act.pool is not None:
                for i in ids:
                    self.add("venue_need", "ActivityPreferredRooms", 100.0, "专用教室 venue",
                             activity=i, rooms=self.pool_rooms[act.pool])
            if act.extra_pools:   # one FET activity has one room
                self.missing.append(
                    f"{act.name}: 各组在不同类型的场地，FET 只给第一种场地的房间（其余只计容量） — "
                    f"the groups need venues of several kinds; FET gets a room of the first "
                    f"kind only (the others count against their capacity)")

    def _sessions(self) -> None:
        """课外体育活动 (rules daily_activity, daily_pe, session_slot), per class: each school
        day needs nothing (the 大课间 is enough), PE, a session, both, or either. Sessions
        are activities in the 课外活动 hour on the ground. "Either" on every day: as many
        sessions as days without PE, the PE lessons and sessions on distinct days (100 %).
        Otherwise: the PE lessons on distinct days, one on each day needing PE (their
        number must match), and a session on each day needing one."""
        school, core = self.school, self.core
        self.session_ids: dict[int, int] = {}
        target = self.policy.daily_activity_minutes
        pe_subs: dict[int, list[int]] = defaultdict(list)
        for a, act in enumerate(core.activities):
            if act.pe:
                for g in act.groups:
                    pe_subs[g].extend(self.ids[a])
        for c, grp in enumerate(core.groups):
            need = {d: self._day_need(c, d, target) for d in grp.school_days}
            if set(need.values()) <= {"none"}:
                continue
            name = school.classes[c].name
            pe = pe_subs[c]
            pe_days = [d for d, k in need.items() if k in ("pe", "both")]
            act_days = [d for d, k in need.items() if k in ("session", "both", "either")]
            if set(need.values()) == {"either"} and len(pe) <= len(need):
                ids = self._new_sessions(c, len(need) - len(pe), act_days)
                tied, zh = pe + ids, "每天体育课或课外活动 PE or a session every day"
            elif "impossible" not in need.values() and "either" not in need.values() \
                    and len(pe) == len(pe_days):
                ids = self._new_sessions(c, len(act_days), act_days)
                tied, zh = pe, "每天体育课 PE on its days"
                if len(pe_days) < len(need):
                    for i in pe:
                        self.add("daily_activity", "ActivityPreferredTimeSlots", 100.0, zh,
                                 activity=i, slots=tuple(sorted(
                                     x for x in self.lesson_cells if x[0] in pe_days)))
            else:
                self.missing.append(
                    f"{name} 每天校内体育活动 {target} 分钟：体育课与课外活动无法按天写成 FET 的约束 — "
                    f"daily activity of {name} cannot be written day by day as PE and sessions")
                continue
            if len(tied) >= 2:
                self.add("daily_activity", "MinDaysBetweenActivities", 100.0, zh,
                         activities=tuple(tied), min_days=1, consecutive=False)

    def _day_need(self, c: int, d: int, target: int) -> str:
        """What class ``c`` needs on day ``d``: none, pe, session, both, either or
        impossible (PE lesson minutes: the day's shortest period)."""
        grp, day = self.core.groups[c], self.school.day_of(c, d)
        fixed = grp.fixed_activity_minutes[d]
        pe = min(p.minutes for p in day.periods)
        act = day.activity.minutes if day.activity is not None and self.grid.activity is not None \
            else None
        with_pe, with_act = fixed + pe >= target, act is not None and fixed + act >= target
        if self.policy.daily_pe:   # PE every day, and a session when PE is not enough
            return "pe" if with_pe else "both" if act is not None and fixed + pe + act >= target \
                else "impossible"
        if fixed >= target:
            return "none"
        if with_pe and with_act:
            return "either"
        if with_pe:
            return "pe"
        if with_act:
            return "session"
        return "both" if act is not None and fixed + pe + act >= target else "impossible"

    def _new_sessions(self, c: int, n: int, days: list[int]) -> list[int]:
        """``n`` sessions of class ``c`` in the activity hour of ``days``, on the ground."""
        school, grid, pool = self.school, self.grid, self.core.session_pool
        ids = []
        for _ in range(n):
            i = self.next_id
            self.next_id += 1
            ids.append(i)
            self.session_ids[i] = c
            self.activities.append(FetActivity(
                id=i, duration=1, subject=len(school.subjects),
                students=(school.classes[c].name,), subgroups=(self.sub[c],)))
            self.add("session_slot", "ActivityPreferredStartingTimes", 100.0, "课外活动时段",
                     activity=i, starts=tuple((d, grid.activity) for d in days))
            if pool is not None:
                self.add("session_slot", "ActivityPreferredRooms", 100.0, "课外活动在操场",
                         activity=i, rooms=self.pool_rooms[pool])
        return ids

    def _uses(self) -> dict[tuple[int, int], list[tuple[int, frozenset[tuple[int, int]]]]]:
        """(pool, schedule) → [(FET id, cells it may cover)] of lessons and sessions."""
        core = self.core
        out: dict[tuple[int, int], list[tuple[int, frozenset[tuple[int, int]]]]] = \
            defaultdict(list)
        for a, act in enumerate(core.activities):
            for pool in act.pools:   # a group in a venue of another kind: that pool too
                out[(pool, self.schedule[a])] += [(i, self.cells[a]) for i in self.ids[a]]
        if core.session_pool is not None and self.grid.activity is not None:
            cells = frozenset((d, self.grid.activity) for d in range(self.D))
            for i, c in self.session_ids.items():
                out[(core.session_pool, self.school.classes[c].schedule)].append((i, cells))
        return out

    def _cross_schedules(self) -> None:
        """Periods of two bell schedules that overlap in clock time at different hours:
        a teacher of both occupies at most one of the hours; a venue's rooms are split
        among the hours (room not-available times), so each room is used once at every
        instant; a venue of one room is used in at most one of the hours."""
        core, school = self.core, self.school
        if len({c.schedule for c in school.classes}) < 2:
            return
        cliques: list[tuple[int, frozenset[tuple[int, int]]]] = []   # (day, {(schedule, hour)})
        for clique in core.cliques(range(len(core.slots))):
            live = frozenset((core.slots[s].schedule, self.cell(s)[1]) for s in clique)
            if len({h for _, h in live}) >= 2 and len({s for s, _ in live}) >= 2:
                cliques.append((core.slots[clique[0]].day, live))
        if not cliques:
            return
        n_teacher = n_venue = 0
        for t in range(len(core.teachers)):
            acts = core.activities_of_teacher[t]
            if len({self.schedule[a] for a in acts}) < 2:
                continue
            for d, live in cliques:
                near = [a for a in acts if any((d, h) in self.cells[a] for s, h in live
                                               if s == self.schedule[a])]
                chosen = [i for a in near for i in self.ids[a]]
                if len({self.schedule[a] for a in near}) >= 2:
                    n_teacher += 1
                    self.add("teacher_clash", "ActivitiesOccupyMaxTimeSlotsFromSelection", 100.0,
                             "教师跨作息表冲突 teacher across bell schedules",
                             activities=tuple(chosen),
                             slots=tuple(sorted({(d, h) for _, h in live})), max=1)
        uses = self._uses()
        for p, pool in enumerate(core.pools):
            mine = {s: v for (q, s), v in uses.items() if q == p}
            if len(mine) < 2:
                continue
            rooms = self.pool_rooms[p]
            crossing: dict[int, list[frozenset[int]]] = defaultdict(list)   # day → clique hours
            for d, live in cliques:
                sets = {s: [i for i, cells in mine[s]
                            if any((d, h) in cells for s2, h in live if s2 == s)]
                        for s in {s for s, _ in live} if s in mine}
                if sum(1 for v in sets.values() if v) < 2:
                    continue
                n_venue += 1
                if len(rooms) == 1:   # one room: the selected hours hold at most one use
                    self.add("venue_clash", "ActivitiesOccupyMaxTimeSlotsFromSelection", 100.0,
                             "场地跨作息表 venue across bell schedules",
                             activities=tuple(i for v in sets.values() for i in v),
                             slots=tuple(sorted({(d, h) for _, h in live})), max=1)
                else:
                    crossing[d].append(frozenset(h for _, h in live))
            off: dict[int, set[tuple[int, int]]] = defaultdict(set)
            for d, groups in crossing.items():
                # expected uses of each hour: an activity is equally likely in each cell
                demand = {h: sum(1 / len(cells) for v in mine.values() for _, cells in v
                                 if (d, h) in cells) for g in groups for h in g}
                for h, chunk in _split_rooms(rooms, groups, demand).items():
                    for r in rooms:
                        if r not in chunk:
                            off[r].add((d, h))
            for r, slots in sorted(off.items()):
                self.add("venue_clash", "RoomNotAvailableTimes", 100.0,
                         "场地跨作息表 venue across bell schedules",
                         slots=tuple(sorted(slots)), room=r)
        if n_teacher or n_venue:
            self.missing.append(
                f"不同作息表的节次钟点交叠 periods of two bell schedules that overlap at different "
                f"period numbers: kept apart cautiously ({n_teacher} teacher and {n_venue} venue "
                f"records) — FET may then refuse pairs that would not clash")

    def _daily_max(self) -> None:
        for t, tr in enumerate(self.core.teachers):
            if tr.max_per_day is not None:
                self.add("teacher_daily_max", "TeacherMaxHoursDaily", 100.0, "教师每日节数",
                         bound=tr.max_per_day, teacher=t)

    # --- soft rules ------------------------------------------------------------------
    def _own_cells(self, a: int, keep: Any) -> tuple[tuple[int, int], ...]:
        """Cells of activity ``a``'s bell schedule whose period ``keep(day, p)`` holds."""
        sched = self.school.schedules[self.schedule[a]]
        return tuple(sorted((d, self.grid.period_hour[p]) for d in range(self.D)
                            for p in range(len(sched.days[d].periods)) if keep(sched.days[d], p)))

    def _main_morning(self) -> None:
        w = self.soft("main_morning")
        for a, act in enumerate(self.core.activities):
            if act.main:
                cells = self._own_cells(a, lambda day, p: not day.afternoon[p])
                for i in self.ids[a]:
                    self.add("main_morning", "ActivityPreferredTimeSlots", w, "主科上午",
                             activity=i, slots=cells)

    def _pe_placement(self) -> None:
        w = self.soft("pe_placement")
        for a, act in enumerate(self.core.activities):
            if act.pe:
                cells = self._own_cells(a, lambda day, p: p != 0 and not day.after_lunch[p])
                for i in self.ids[a]:
                    self.add("pe_placement", "ActivityPreferredTimeSlots", w, "体育课位置",
                             activity=i, slots=cells)

    def _req_days(self, q: int) -> int:
        school = self.school
        r = school.requirements[q]
        members = [school.requirements[m].cls for m in school.members_with(r.cls, r.subject)]
        return sum(1 for d in range(self.D)
                   if all(school.usable_periods(c, d) > 0 for c in [r.cls, *members]))

    def _once_daily(self) -> None:
        """同科每天一次: the class's hours of the subject per day ≤ the checker's limit."""
        w = self.soft("subject_once_daily")
        school = self.school
        for q, r in enumerate(school.requirements):
            if r.periods == 0 or not school.combined_lead(r.cls, r.subject):
                continue
            m = max(1, math.ceil(r.periods / max(1, self._req_days(q)))) + (1 if r.doubles else 0)
            if m < r.periods and r.subject in self.tag_index:
                self.add("subject_once_daily", "StudentsSetActivityTagMaxHoursDaily", w,
                         "同科每天一次", students=school.classes[r.cls].name,
                         subgroups=(self.sub[r.cls],), tag=self.tag_index[r.subject], bound=m)

    def _spread(self) -> None:
        """分散安排: MinDays 2 between the lessons, when that can hold at all."""
        w = self.soft("spread")
        school = self.school
        act_of = _activity_of(school)
        skipped = 0
        for q, r in enumerate(school.requirements):
            n = r.periods - r.doubles
            if not school.combined_lead(r.cls, r.subject) or not 2 <= n < self._req_days(q):
                continue
            if 2 * (n - 1) + 1 > self._req_days(q):
                skipped += 1
                continue
            self.add("spread", "MinDaysBetweenActivities", w, "分散安排",
                     activities=tuple(self.ids[act_of[q]]), min_days=2, consecutive=False)
        if skipped and w is not None:
            self.missing.append(
                f"分散安排 spread: {skipped} 门课每周节数太多，隔天排不下，FET 的最少间隔天数无法计数"
                f"相邻天 — {skipped} requirement(s) with too many lessons to skip a day: FET's "
                f"min days cannot count adjacent days")

    def _same_days(self, rule: str, weight: float | None, groups: list[list[int]], zh: str
                   ) -> int:
        """Tie the k-th lessons of the activities of each group to one day; the number
        of groups whose activities are not alike (left out)."""
        bad = 0
        for acts in groups:
            if len({tuple(self.durations[a]) for a in acts}) != 1:
                bad += 1
                continue
            for k in range(len(self.durations[acts[0]])):
                self.add(rule, "ActivitiesSameStartingDay", weight, zh,
                         activities=tuple(self.ids[a][k] for a in acts))
        return bad

    def _parallel(self) -> None:
        school = self.school
        act_of = _activity_of(school)
        taught: dict[tuple[int, int], list[int]] = defaultdict(list)
        for q, r in enumerate(school.requirements):
            if len(school.members_with(r.cls, r.subject)) == 1 and r.periods > 0:
                taught[(school.classes[r.cls].grade, r.subject)].append(act_of[q])
        groups = [acts for acts in taught.values() if len(acts) >= 2]
        bad = self._same_days("parallel_step", self.soft("parallel_step"), groups, "平行班同步")
        if bad and self.soft("parallel_step") is not None:
            self.missing.append(f"平行班同步 parallel_step: {bad} 组平行班的连堂或节数不同 — {bad} "
                                f"grade subject(s) whose classes differ in lessons or doubles")
        if self.policy.level_progress:
            groups = [list(c.activities) for c in self.core.records("level_progress")]
            bad = self._same_days("level_progress", 100.0, groups, "教案齐头")
            if bad:
                self.missing.append(f"教案齐头 level_progress: {bad} 组的连堂或节数不同 — {bad} "
                                    f"group(s) whose classes differ in lessons or doubles")

    def _teacher_rules(self) -> None:
        w = self.policy.weights
        if w.teacher_gaps > 0 and self.max_gaps is not None:
            self.add("teacher_gaps", "TeachersMaxGapsPerDay", 100.0, "教师空堂（FET 只接受 100 %）",
                     bound=self.max_gaps)
            self.missing.append(
                f"教师空堂 teacher_gaps: FET 只接受 100 % 的空堂上限，文件写的是每天至多 "
                f"{self.max_gaps} 节空堂 — FET takes max gaps only at 100 %: the file asks at most "
                f"{self.max_gaps} gap(s) per teacher and day instead of weighing each gap; FET "
                f"does not count a teacher's not-available periods as gaps")
        self.add("teacher_consecutive", "TeachersMaxHoursContinuously", fet_weight(
            w.teacher_consecutive), "教师连续上课", bound=self.policy.teacher_max_consecutive)

    def _wishes(self) -> None:
        rule = self.core.constraint("teacher_wish")
        if rule is None:
            return
        core = self.core
        for t, weight, against in rule.param("wishes", ()):
            w = fet_weight(self.policy.weights.teacher_wish * weight)
            for a in core.activities_of_teacher[t]:
                bad = {self.cell(s) for s in against if core.slots[s].schedule == self.schedule[a]}
                if bad & self.cells[a]:
                    for i in self.ids[a]:
                        self.add("teacher_wish", "ActivityPreferredTimeSlots", w, "教师意愿",
                                 activity=i, slots=tuple(sorted(self.lesson_cells - bad)))

    def _left_out(self) -> None:
        school, w = self.school, self.policy.weights
        if w.head_teacher_first > 0 and any(c.head_teacher is not None for c in school.classes):
            self.missing.append("班主任上第一节 head_teacher_first: FET 的 activities occupy min time "
                                "slots 只接受 100 % — FET takes it only at 100 %, jianfu's is soft")
        if school.alternates:
            self.missing.append("单双周 alternating weeks: FET 没有两周循环，每个单双周时段写成一节每周的课，"
                                "两位教师都留出 — FET has no two-week cycle: one weekly activity "
                                "with both weeks' teachers")
        binding = [school.classes[c].name for c, grp in enumerate(self.core.groups)
                   if grp.study_cap is not None and any(
                       sum(p.minutes for p in school.day_of(c, d).periods[
                           :school.usable_periods(c, d)]) + grp.fixed_study_minutes[d]
                       > grp.study_cap for d in range(self.D))]
        if binding:
            self.missing.append(f"在校集中学习时间 study_cap ({'、'.join(binding)}): 按分钟计的上限 "
                                f"FET 无法表达 — a cap in minutes FET cannot express")
        self.missing.append("作息表与课程计划的规则（课间、大课间、课后服务、周课时、课程计划等）只看学校"
                            "文件，与排课无关 — bell-schedule and plan rules are about the school "
                            "file, not the placement: jianfu checks them, FET does not need to")
        self.missing.append("软规则在 FET 中是概率，不是代价：FET 不求最优 — FET's weights are "
                            "odds of keeping a rule, not penalties: it does not minimise them")


def _fixed_starts(core: Any, act: Any, durations: list[int], cell: Any
                  ) -> list[list[tuple[int, int]]]:
    """The (day, hour) starts each sub-activity may take for the activity's fixed
    periods (固定): single lessons first take one fixed period each; a fixed period
    left over goes to a double period, which starts there or in the period before
    (whichever pair is joined). Sub-activities without a fixed period get ``[]``."""
    out: list[list[tuple[int, int]]] = [[] for _ in durations]
    singles = [k for k, dur in enumerate(durations) if dur == 1]
    doubles = [k for k, dur in enumerate(durations) if dur == 2]
    for s in act.fixed:
        if singles:
            out[singles.pop(0)] = [cell(s)]
        elif doubles:
            before = [x for x in range(len(core.slots)) if core.next_slot[x] == s]
            out[doubles.pop(0)] = [cell(x) for x in before
                                   + ([s] if core.next_slot[s] >= 0 else [])]
    return out


def _activity_of(school: School) -> tuple[int, ...]:
    from ..models.core import activity_of_requirement

    return activity_of_requirement(school)


def _split_rooms(rooms: tuple[int, ...], groups: list[frozenset[int]],
                 demand: Mapping[int, float]) -> dict[int, tuple[int, ...]]:
    """Rooms per hour of one day such that the hours of each group (they overlap in
    clock time) use disjoint rooms. Hours linked by groups are coloured greedily (two
    hours of one group get different colours); each linked set splits the rooms among
    its colours in proportion to the expected uses (``demand``)."""
    out: dict[int, tuple[int, ...]] = {}
    left = [set(g) for g in groups]
    while left:   # one linked set of hours at a time
        part = left.pop(0)
        grew = True
        while grew:
            grew = False
            for g in list(left):
                if g & part:
                    part |= g
                    left.remove(g)
                    grew = True
        colour: dict[int, int] = {}
        for h in sorted(part):
            taken = {colour[x] for g in groups if h in g for x in g if x in colour}
            colour[h] = next(c for c in range(len(colour) + 1) if c not in taken)
        n = max(colour.values()) + 1
        need = {c: sum(demand[h] for h in colour if colour[h] == c) for c in range(n)}
        share = _shares(len(rooms), {c: max(v, 1e-9) for c, v in need.items()})
        start, chunks = 0, []
        for c in range(n):
            chunks.append(rooms[start:start + share[c]])
            start += share[c]
        for h, c in colour.items():
            out[h] = chunks[c]
    return out


def _shares(capacity: int, weekly: Mapping[int, float]) -> dict[int, int]:
    """Capacity per bell schedule in proportion to its weekly uses, at least 1 each when
    there is room for that, summing to at most ``capacity``."""
    total = sum(weekly.values()) or 1
    least = 1 if capacity >= len(weekly) else 0
    out = {s: max(least, int(capacity * n / total)) for s, n in weekly.items()}
    spare = capacity - sum(out.values())
    for s in sorted(weekly, key=lambda s: -weekly[s]):
        if spare <= 0:
            break
        out[s] += 1
        spare -= 1
    while sum(out.values()) > capacity:
        s = max(out, key=lambda s: out[s])
        out[s] -= 1
    return out


# --- FET's answer back ----------------------------------------------------------------

def read_fet_timetable(path: str | Path, school: School, policy: Policy | None = None
                       ) -> Timetable:
    """FET's timetable of ``school`` from a FET file with every activity placed (fet-cl's
    ``<name>_data_and_timetable.fet``) or from its ``<name>_activities.xml`` next to the
    exported file: each activity's day, hour and room mapped back to the school's lessons
    and activity sessions. The file must be the export of this school
    (:func:`school_fet`); a mismatch or an activity not placed is an :class:`InputError`
    naming the file."""
    from .fet import read_fet, read_fet_result

    path = Path(path)
    sf = school_fet(school, policy or school.policy())
    fp = read_fet(path, ignore_unsupported=True)
    where = str(path)
    want = sf.problem
    if fp.hours != want.hours or fp.days != want.days:
        raise InputError(where, "Hours_List", "节次与该学校的导出不同 the FET file's days or hours "
                                              "are not this school's export")
    for i, (a, dur) in sf.lessons.items():
        mine = want.activity(i)
        if not fp.has_activity(i) or fp.activity(i).duration != dur or \
                fp.subjects[fp.activity(i).subject] != want.subjects[mine.subject] or \
                fp.activity(i).students != mine.students:
            raise InputError(f"{where}: Activities_List", i,
                             "活动与该学校的导出不同 the activity is not this school's (export "
                             "the school again, then run fet-cl)")
    sol = read_fet_result(fp, path)
    missing = [i for i in sf.lessons if i not in sol.placements]
    if missing:
        raise InputError(f"{where}: Activities_List", missing[0],
                         f"{len(missing)} 个活动未排：这不是 FET 的结果文件 — activities not placed: "
                         f"not a FET result (fet-cl writes <name>_data_and_timetable.fet)")
    rooms = {r.name: sf.room_venue[k] for k, r in enumerate(want.rooms)}
    core, grid = sf.core, sf.grid
    lessons: list[Lesson] = []
    for i, (a, dur) in sorted(sf.lessons.items()):
        pl = sol.placements[i]
        act = core.activities[a]
        room = fp.rooms[pl.room].name if pl.room is not None else None
        venue = rooms.get(room) if room is not None else None
        for k in range(dur):
            p = grid.period_of(pl.hour + k)
            if p is None:
                raise InputError(f"{where}: Activity {i}", fp.hours[pl.hour],
                                 "排在非上课时段 placed outside the lesson periods")
            if act.parts:   # 分组, 走班: one lesson per class and group
                for g in act.groups:
                    for label, subject, teacher, pool in act.parts:
                        # FET's one room is the first pool's (other kinds are not carried)
                        lessons.append(Lesson(g, pl.day, p, subject, teacher,
                                              venue if pool is not None and pool == act.pool
                                              else None, label))
            elif act.alternate:   # 单双周: one lesson per side, in its week
                for week, subject, teacher, uses in act.alternate:
                    lessons.append(Lesson(act.group, pl.day, p, subject, teacher,
                                          venue if uses else None, week=week))
            else:
                subjects = act.group_subjects or (act.subject,) * len(act.groups)
                for g, subject in zip(act.groups, subjects):
                    lessons.append(Lesson(g, pl.day, p, subject, act.teacher, venue))
    sessions = []
    for a in fp.activities:
        if fp.subjects[a.subject] != SESSION_SUBJECT or a.id not in sol.placements:
            continue
        pl = sol.placements[a.id]
        if pl.hour != grid.activity or not a.students or a.students[0] not in school.class_index:
            raise InputError(f"{where}: Activity {a.id}", a.students, "不是课外活动时段的班级活动 "
                                                                    "not a class's activity session")
        room = fp.rooms[pl.room].name if pl.room is not None else None
        sessions.append(Session(school.class_index[a.students[0]], pl.day,
                                rooms.get(room) if room is not None else None))
    return Timetable(tuple(lessons), tuple(sessions))


__all__ = ["SESSION_SUBJECT", "DEFAULT_MAX_GAPS", "Grid", "SchoolFet", "fet_weight",
           "school_fet", "read_fet_timetable"]
