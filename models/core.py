"""The generic timetabling core that Chinese schools and FET files compile into.

A :class:`Problem` is a weekly grid of :class:`Slot` s, the resources that use them
(student :class:`Group` s, :class:`TeacherResource` s, :class:`VenuePool` s), the
:class:`Activity` records to place and :class:`Constraint` records naming the rule
families that apply, hard or soft, with weights, parameters and the activities,
groups, teachers and slots they bind.

An activity has one or more student groups, zero or more teachers, a weekly
``count`` of placements of ``duration`` consecutive slots each, and ``slots``: where
a placement may start once every hard unary rule is applied. Both compilers turn
those rules into these domains:

* :func:`compile_school` — a Chinese school under a :class:`~jianfu.models.policy.Policy`:
  one group × one teacher × unit lessons with a weekly count, one record per rule
  family (``Problem.constraint(family)``). The school engine
  (:mod:`jianfu.solver.school.build`) consumes it, and any other core problem with the
  school's families: activities of several groups (combined lessons) and teachers,
  placements of several periods, ``same_start`` records tying activities together;
  :mod:`jianfu.models.core_check` is the checker of such a placement.
* :func:`jianfu.models.fet_core.compile_fet` — a FET file: one slot per (day, hour),
  groups = subgroups, activities of count 1 with several teachers and subgroups and a
  duration, and one record per FET constraint, many of one family
  (``Problem.records(family)``); :class:`jianfu.solver.fet.model.FetModel` consumes it.

Nothing here refers to grades or Chinese subjects beyond the optional ``cohort`` and
activity flags. Everything is a frozen dataclass; derived lookups are built once in
``Problem.__post_init__``. This module imports no solver.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .errors import InputError
from .policy import Policy
from .school import GROUND, WEEK_ZH, Alternate, School


class SlotKind(StrEnum):
    """What a slot holds: a lesson period or an after-class activity segment."""

    LESSON = "lesson"
    ACTIVITY = "activity"


@dataclass(frozen=True, slots=True)
class Slot:
    """One stretch of one day of one bell schedule.

    ``period`` is the 0-based lesson period index within the schedule's day (``-1`` for
    activity slots); ``joined_next`` says the period and the next one form a valid
    double period (连堂); ``afternoon`` the period starts after lunch; ``after_lunch``
    it is the first period after lunch.
    """

    day: int
    period: int
    schedule: int
    start: int
    end: int
    kind: SlotKind = SlotKind.LESSON
    joined_next: bool = False
    afternoon: bool = False
    after_lunch: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= 24 * 60:
            raise InputError("slot.end", self.end, f"must be after start {self.start}")

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Slot) -> bool:
        return self.day == other.day and self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class Group:
    """A student group (班级): the slots it may use and its daily activity/study facts.

    ``slots``: lesson slots inside its day shape; ``early``: those of them that start
    before its earliest start (forbidden for lessons); ``activity_slots``: at most one
    after-class activity slot per day; ``fixed_activity_minutes[d]``: long-break (and
    activity-event) minutes counted as physical activity; ``fixed_study_minutes[d]``:
    self-study (and study-event) minutes counted as study time; ``study_cap``: minutes per day or ``None``; ``cohort``:
    groups with equal non-empty cohort are parallel classes (平行班); ``unavailable``:
    slots of ``slots`` the group must not use (FET's 100 % students-set
    not-available times; a school's are simply not in ``slots``); ``period_minutes``:
    the stage's period length, which the group's lessons keep on average over the week
    (长短课, rule ``period_length``; 0: no such rule).
    """

    name: str
    slots: tuple[int, ...]
    early: tuple[int, ...] = ()
    activity_slots: tuple[int, ...] = ()
    fixed_activity_minutes: tuple[int, ...] = ()
    fixed_study_minutes: tuple[int, ...] = ()
    study_cap: int | None = None
    cohort: str = ""
    school_days: tuple[int, ...] = ()
    unavailable: tuple[int, ...] = ()
    period_minutes: int = 0


@dataclass(frozen=True, slots=True)
class TeacherResource:
    """A teacher: lesson slots it cannot use and an optional daily maximum."""

    name: str
    unavailable: tuple[int, ...] = ()
    max_per_day: int | None = None


@dataclass(frozen=True, slots=True)
class VenuePool:
    """Venues of one kind used interchangeably; ``capacity`` is the pool's total."""

    kind: str
    venues: tuple[int, ...]
    capacities: tuple[int, ...]

    @property
    def capacity(self) -> int:
        return sum(self.capacities)


@dataclass(frozen=True, slots=True)
class Activity:
    """``count`` placements a week of one subject for its groups with its teachers.

    ``groups`` are the student groups that attend together (a FET activity may have
    none);
    ``teachers`` the teachers (none, one or several); each placement lasts
    ``duration`` consecutive slots (:meth:`Problem.span`) and ``slots`` are its
    allowed starts, every hard unary rule already applied (a school's day shape,
    morning start and teacher unavailability; FET's breaks, not-available and
    preferred times). ``doubles`` of the placements come as double periods; ``pool``
    is the venue pool needed or ``None``; ``main`` and ``pe`` flag main subjects and
    lessons counted as physical activity; ``source`` is the index of the requirement
    or FET activity it came from; ``tags`` are FET activity-tag indices; ``size`` the
    number of students (for room capacities); ``fixed`` are starts a placement must
    take (固定: a school requirement's fixed periods; the other placements are free).

    ``group_subjects[i]`` is the subject ``groups[i]`` learns when the groups of one
    lesson learn different subjects (a 复式班); empty: ``subject`` for every group.

    ``parts`` split the lesson into parts taught at once: ``(label, subject, teacher,
    pool)`` each (``pool`` the venue pool the part needs, or ``None``), ``teachers`` being
    the parts' teachers; the parts needing one pool share one venue of it, used once, and
    parts needing different pools (信息科技 in the computer room while 劳动 is in the
    workshop) use one venue of each: ``pool`` is the first part's, ``extra_pools`` the
    others'. With one group the parts are its groups (分组:
    男生/女生, half-classes); with several, the students of all of them regroup into the
    parts (a 走班 block: English 分层 over three parallel classes).

    ``alternate`` makes the activity an alternating slot (单双周) of one group:
    ``(week, subject, teacher, uses the pool)`` per side held in week 1 (单周) or 2 (双周),
    ``teachers`` being the sides' teachers. The engine occupies the group, every side's
    teacher and the pool in both weeks; the mapping writes one lesson per side.

    A school activity has one teacher, read as :attr:`teacher`, and one group, read as
    :attr:`group`, or, for a combined lesson (合班), the member classes as groups.
    """

    name: str
    groups: tuple[int, ...]
    teachers: tuple[int, ...]
    subject: int
    count: int
    slots: tuple[int, ...]
    doubles: int = 0
    pool: int | None = None
    main: bool = False
    pe: bool = False
    source: int = -1
    duration: int = 1
    tags: tuple[int, ...] = ()
    size: int = 0
    fixed: tuple[int, ...] = ()
    group_subjects: tuple[int, ...] = ()
    parts: tuple[tuple[str, int, int, int | None], ...] = ()
    alternate: tuple[tuple[int, int, int, bool], ...] = ()
    extra_pools: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if self.duration < 1:
            raise InputError(f"activity {self.name!r}.duration", self.duration,
                             "时长至少为1 must be at least 1")

    @property
    def pools(self) -> tuple[int, ...]:
        """Every venue pool a placement uses at once, one venue of each."""
        return ((self.pool,) if self.pool is not None else ()) + self.extra_pools

    def venue_key(self, a: int, s: int, pool: int) -> tuple[object, ...]:
        """The key of this activity's (index ``a``) venue of ``pool`` at start ``s`` in
        :attr:`CoreSolution.venues`: ``("lesson", a, s)`` for :attr:`pool`, with the pool
        appended for an :attr:`extra_pools` one."""
        return ("lesson", a, s) if pool == self.pool else ("lesson", a, s, pool)

    @property
    def group(self) -> int:
        """The (first) student group: a school activity's only one."""
        if not self.groups:
            raise InputError(f"activity {self.name!r}.groups", (), "没有学生组 has no student group")
        return self.groups[0]

    @property
    def teacher(self) -> int:
        """The (first) teacher: a school activity's only one."""
        if not self.teachers:
            raise InputError(f"activity {self.name!r}.teachers", (), "没有教师 has no teacher")
        return self.teachers[0]


@dataclass(frozen=True, slots=True)
class Constraint:
    """One record of a rule family: hard or soft (with ``weight``), parameters and scope.

    A school rule family has one record that binds everything. A FET constraint is
    one record each, naming what it binds: ``activities`` (indices, in the order the
    rule reads them, e.g. first and second of TwoActivitiesConsecutive), ``groups``
    and ``teachers`` (resource indices) and ``slots`` (grid slots: not-available
    times, breaks, preferred starts or slots). ``params`` hold the rest (bounds,
    flags, room indices) as ``(name, value)`` pairs; ``source`` is the record's index
    in its file, for messages.
    """

    family: str
    hard: bool
    weight: float = 0
    params: tuple[tuple[str, Any], ...] = ()
    activities: tuple[int, ...] = ()
    groups: tuple[int, ...] = ()
    teachers: tuple[int, ...] = ()
    slots: tuple[int, ...] = ()
    source: int = -1

    def param(self, name: str, default: Any = None) -> Any:
        return dict(self.params).get(name, default)


@dataclass(frozen=True, slots=True)
class Problem:
    """The compiled timetabling problem. Derived lookups are built once."""

    name: str
    days: tuple[str, ...]
    slots: tuple[Slot, ...]
    groups: tuple[Group, ...]
    teachers: tuple[TeacherResource, ...]
    pools: tuple[VenuePool, ...]
    activities: tuple[Activity, ...]
    constraints: tuple[Constraint, ...]
    session_pool: int | None = None   # pool used by after-class activity sessions
    # derived lookups
    activities_of_group: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)
    activities_of_teacher: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)
    activities_of_pool: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)
    next_slot: tuple[int, ...] = field(init=False, repr=False, compare=False)
    tied: frozenset[int] = field(init=False, repr=False, compare=False)
    families: Mapping[str, tuple[Constraint, ...]] = field(init=False, repr=False, compare=False)
    _lesson_at: Mapping[tuple[int, int, int], int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.slots)
        for i, g in enumerate(self.groups):
            for s in g.slots + g.activity_slots + g.unavailable:
                if not 0 <= s < n:
                    raise InputError(f"groups[{i}].slots", s, f"refers to nothing (0..{n - 1})")
        for i, t in enumerate(self.teachers):
            for s in t.unavailable:
                if not 0 <= s < n:
                    raise InputError(f"teachers[{i}].unavailable", s,
                                     f"refers to nothing (0..{n - 1})")
        for i, a in enumerate(self.activities):
            _check_refs(f"activities[{i}].groups", a.groups, len(self.groups))
            _check_refs(f"activities[{i}].teachers", a.teachers, len(self.teachers))
            _check_refs(f"activities[{i}].slots", a.slots, n)
            _check_refs(f"activities[{i}].fixed", a.fixed, n)
            if len(a.fixed) > a.count:
                raise InputError(f"activities[{i}].fixed", len(a.fixed),
                                 f"more fixed starts than its {a.count} placements")
            if a.pool is not None and not 0 <= a.pool < len(self.pools):
                raise InputError(f"activities[{i}].pool", a.pool, "refers to nothing")
            if any(not 0 <= p < len(self.pools) or p == a.pool for p in a.extra_pools) \
                    or (a.extra_pools and a.pool is None):
                raise InputError(f"activities[{i}].extra_pools", a.extra_pools,
                                 "refers to nothing, repeats the pool or has no pool before it")
            if a.count < 1 or 2 * a.doubles > a.count:
                raise InputError(f"activities[{i}].count", a.count, "≥ 1 and ≥ 2 × doubles")
        families: dict[str, list[Constraint]] = defaultdict(list)
        for k, c in enumerate(self.constraints):
            _check_refs(f"constraints[{k}].activities", c.activities, len(self.activities))
            _check_refs(f"constraints[{k}].groups", c.groups, len(self.groups))
            _check_refs(f"constraints[{k}].teachers", c.teachers, len(self.teachers))
            _check_refs(f"constraints[{k}].slots", c.slots, n)
            families[c.family].append(c)
        object.__setattr__(self, "families", {f: tuple(cs) for f, cs in families.items()})
        object.__setattr__(self, "tied", frozenset(
            a for c in families.get("same_start", ()) for a in c.activities))
        object.__setattr__(self, "activities_of_group", _group(
            len(self.groups), ((g, i) for i, a in enumerate(self.activities) for g in a.groups)))
        object.__setattr__(self, "activities_of_teacher", _group(
            len(self.teachers),
            ((t, i) for i, a in enumerate(self.activities) for t in a.teachers)))
        object.__setattr__(self, "activities_of_pool", _group(
            len(self.pools),
            ((p, i) for i, a in enumerate(self.activities) for p in a.pools)))
        where = {(s.schedule, s.day, s.period): i for i, s in enumerate(self.slots)
                 if s.kind is SlotKind.LESSON}
        object.__setattr__(self, "_lesson_at", where)
        object.__setattr__(self, "next_slot", tuple(
            where.get((s.schedule, s.day, s.period + 1), -1) if s.joined_next else -1
            for s in self.slots))

    def constraint(self, family: str) -> Constraint | None:
        """The one record of ``family`` or ``None`` when the family does not apply.

        For families of one record (the school layer's); a family with several
        records (FET's) is read with :meth:`records`.
        """
        found = self.families.get(family, ())
        if len(found) > 1:
            raise InputError("constraints", family,
                             f"has {len(found)} records; read them with records()")
        return found[0] if found else None

    def records(self, *families: str) -> tuple[Constraint, ...]:
        """Every record of the given families, in the order of ``constraints``."""
        if len(families) == 1:
            return self.families.get(families[0], ())
        wanted = set(families)
        return tuple(c for c in self.constraints if c.family in wanted)

    def school_days_of(self, a: int) -> tuple[int, ...]:
        """The days every group of activity ``a`` is at school (every day without groups)."""
        groups = self.activities[a].groups
        if not groups:
            return tuple(range(len(self.days)))
        common = set(self.groups[groups[0]].school_days)
        for g in groups[1:]:
            common &= set(self.groups[g].school_days)
        return tuple(d for d in self.groups[groups[0]].school_days if d in common)

    def first_slots(self, g: int) -> dict[int, int]:
        """Day → group ``g``'s first lesson slot that day (lowest period of its ``slots``);
        days where it has none are left out. For a school class: period 1 of its day."""
        out: dict[int, int] = {}
        for s in self.groups[g].slots:
            slot = self.slots[s]
            if slot.day not in out or slot.period < self.slots[out[slot.day]].period:
                out[slot.day] = s
        return out

    def span(self, start: int, duration: int) -> tuple[int, ...] | None:
        """The lesson slots a placement starting in ``start`` occupies, or ``None``.

        ``duration`` consecutive periods of the same schedule and day from ``start``;
        ``None`` when the day ends first.
        """
        s = self.slots[start]
        out = []
        for k in range(duration):
            i = self._lesson_at.get((s.schedule, s.day, s.period + k))
            if i is None:
                return None
            out.append(i)
        return tuple(out)

    def cliques(self, slot_ids: Iterable[int]) -> list[tuple[int, ...]]:
        """Groups of the given slots that share an instant (one per distinct start).

        Two slots overlap exactly when both contain the later one's start, so
        "at most k of each group" is "at most k at every instant". Groups contained
        in another are dropped.
        """
        by_day: dict[int, list[int]] = defaultdict(list)
        for s in set(slot_ids):
            by_day[self.slots[s].day].append(s)
        out: list[tuple[int, ...]] = []
        for day in sorted(by_day):
            ids = by_day[day]
            found: list[frozenset[int]] = []
            for t in sorted({self.slots[s].start for s in ids}):
                found.append(frozenset(s for s in ids
                                       if self.slots[s].start <= t < self.slots[s].end))
            for c in found:
                if not any(c < other for other in found):
                    tup = tuple(sorted(c))
                    if tup not in out:
                        out.append(tup)
        return out


def _check_refs(where: str, refs: tuple[int, ...], size: int) -> None:
    for r in refs:
        if not 0 <= r < size:
            raise InputError(where, r, f"refers to nothing (0..{size - 1})")


def _group(size: int, pairs: Iterable[tuple[int, int]]) -> tuple[tuple[int, ...], ...]:
    out: list[list[int]] = [[] for _ in range(size)]
    for key, value in pairs:
        out[key].append(value)
    return tuple(tuple(x) for x in out)


# --- the Chinese school layer --------------------------------------------------------

HARD_FAMILIES = ("coverage", "class_clash", "teacher_clash", "venue_capacity",
                 "teacher_daily_max", "double_period", "daily_activity", "daily_pe",
                 "session_slot", "study_cap")
SOFT_FAMILIES = ("main_morning", "subject_once_daily", "pe_placement", "teacher_gaps",
                 "teacher_consecutive", "parallel_step", "spread", "head_teacher_first")


def compile_school(school: School, policy: Policy) -> Problem:
    """Compile ``school`` under ``policy`` into a :class:`Problem`.

    Slots, groups, activities and pools keep the school's indices: slot ``i`` maps to
    ``(schedule, day, period)``, group ``g`` is class ``g``, teacher ``t`` is teacher
    ``t``, activity ``a`` is requirement ``a`` — except that the members of a combined
    lesson (``School.combined``, 合班) are one activity with every member class as a group
    (:func:`school_activity_members`, :func:`activity_of_requirement`), and a split
    lesson (``School.splits``, 分组) is one activity of its class with every group's
    teacher and :attr:`Activity.parts`; a 走班 block (``School.blocks``) is one activity
    with every member class as a group, every teaching group's teacher and
    :attr:`Activity.parts`; a requirement held only every other week
    (``periods`` 0) has no activity of its own, and each alternating slot
    (``School.alternates``, 单双周) is one activity of count 1 after the requirements'
    ones, with both sides' teachers and :attr:`Activity.alternate`
    (:func:`activity_requirements`). The lunch, the long break and every
    other non-lesson segment are simply not slots.
    """
    slots: list[Slot] = []
    lesson_slot: dict[tuple[int, int, int], int] = {}
    activity_slot: dict[tuple[int, int], int] = {}
    for si, sched in enumerate(school.schedules):
        for d, day in enumerate(sched.days):
            for p, seg in enumerate(day.periods):
                lesson_slot[(si, d, p)] = len(slots)
                slots.append(Slot(d, p, si, seg.start, seg.end, SlotKind.LESSON,
                                  day.joined[p], day.afternoon[p], day.after_lunch[p]))
            act = day.activity
            if act is not None:
                activity_slot[(si, d)] = len(slots)
                slots.append(Slot(d, -1, si, act.start, act.end, SlotKind.ACTIVITY,
                                  afternoon=True))

    groups: list[Group] = []
    for c, cls in enumerate(school.classes):
        sched = school.schedules[cls.schedule]
        earliest = policy.earliest_start_minutes(cls.grade)
        own: list[int] = []
        early: list[int] = []
        for d in range(len(school.days)):
            for p in range(school.usable_periods(c, d)):
                s = lesson_slot[(cls.schedule, d, p)]
                own.append(s)
                if slots[s].start < earliest:
                    early.append(s)
        groups.append(Group(
            name=cls.name, slots=tuple(own), early=tuple(early),
            activity_slots=tuple(activity_slot[(cls.schedule, d)] for d in range(len(school.days))
                                 if (cls.schedule, d) in activity_slot),
            fixed_activity_minutes=tuple(day.fixed_activity_minutes for day in sched.days),
            fixed_study_minutes=tuple(day.study_minutes for day in sched.days),
            study_cap=policy.study_cap_minutes(cls.grade),
            cohort=f"grade {cls.grade}",
            school_days=tuple(d for d in range(len(school.days)) if school.usable_periods(c, d) > 0),
            period_minutes=policy.period_minutes_for(cls.grade),
        ))

    teachers = []
    for ti, t in enumerate(school.teachers):
        away = school.unavailable_of(ti)   # own stretches and meetings (教研活动, 行政会)
        off = tuple(i for i, s in enumerate(slots) if s.kind is SlotKind.LESSON
                    and any(u.overlaps(s.day, s.start, s.end) for u in away))
        teachers.append(TeacherResource(t.name, off, t.max_periods_per_day))

    kinds = sorted({v.kind for v in school.venues})
    pools = [VenuePool(k, school.venues_of_kind(k),
                       tuple(school.venues[v].capacity for v in school.venues_of_kind(k)))
             for k in kinds]
    pool_of = {p.kind: i for i, p in enumerate(pools)}

    activities = []
    for members in school_activity_members(school):
        i = members[0]
        r = school.requirements[i]
        subject = school.subjects[r.subject]
        schedule = school.classes[r.cls].schedule   # a combined lesson's members share it
        banned = set(teachers[r.teacher].unavailable)
        allowed = set(groups[r.cls].slots)
        fixed: dict[int, None] = {}
        for q in members:
            m = school.requirements[q]
            allowed &= set(groups[m.cls].slots)
            banned |= set(groups[m.cls].early)
            banned |= {lesson_slot[(schedule, d, p)] for d, p in school.forbidden_periods[q]}
            fixed.update((lesson_slot[(schedule, d, p)], None) for d, p in school.fixed_periods[q])
        need = school.venue_kind(r)
        k = school.combined_of.get((r.cls, r.subject))
        split = school.split_of.get((r.cls, r.subject))
        block = school.block_of.get((r.cls, r.subject))
        parts: tuple[tuple[str, int, int, int | None], ...] = ()
        extra: tuple[int, ...] = ()
        staff: tuple[int, ...] = (r.teacher,)
        # 分组 (one class) and 走班 (every member class): one activity, every group's
        # teacher, one venue use
        grouped = ((school.splits[split].groups, school.split_need, split) if split is not None
                   else (school.blocks[block].groups, school.block_need, block)
                   if block is not None else None)
        if grouped is not None:
            groups_, need_of, index = grouped
            needs = [need_of(index, j) for j in range(len(groups_))]
            kinds = list(dict.fromkeys(n for n in needs if n is not None))
            need = kinds[0] if kinds else None
            extra = tuple(pool_of[n] for n in kinds[1:])
            parts = tuple((g.name, g.subject, g.teacher, pool_of[n] if n is not None else None)
                          for g, n in zip(groups_, needs))
            staff = tuple(g.teacher for g in groups_)
        for t in staff:
            banned |= set(teachers[t].unavailable)
        activities.append(Activity(
            name=(school.combined[k].name if k is not None
                  else school.blocks[block].name if block is not None
                  else f"{school.classes[r.cls].name}/{subject.name}"),
            groups=tuple(school.requirements[q].cls for q in members), teachers=staff,
            subject=r.subject, count=r.periods,
            slots=tuple(s for s in groups[r.cls].slots if s in allowed and s not in banned),
            doubles=r.doubles, pool=pool_of[need] if need is not None else None,
            extra_pools=extra,
            main=subject.is_main, pe=subject.is_pe, source=i, fixed=tuple(fixed),
            group_subjects=(tuple(school.requirements[q].subject for q in members)
                            if k is not None else ()), parts=parts))
    for k in school.alternates:
        activities.append(_alternate_activity(school, k, groups, teachers, pool_of,
                                              lesson_slot))

    w = policy.weights
    constraints = [Constraint(f, True) for f in HARD_FAMILIES if f != "daily_pe"]
    constraints[[c.family for c in constraints].index("daily_activity")] = Constraint(
        "daily_activity", True, params=(("minutes", policy.daily_activity_minutes),))
    if policy.daily_pe:
        constraints.append(Constraint("daily_pe", True))
    constraints.append(Constraint("teacher_consecutive", False, w.teacher_consecutive,
                                  (("max", policy.teacher_max_consecutive),)))
    for f in SOFT_FAMILIES:
        if f not in ("teacher_consecutive", "head_teacher_first"):
            constraints.append(Constraint(f, False, getattr(w, f)))
    # groups[i]'s head teacher (班主任) is teachers[i]: the classes that name one
    heads = [(c, cls.head_teacher) for c, cls in enumerate(school.classes)
             if cls.head_teacher is not None]
    constraints.append(Constraint("head_teacher_first", False, w.head_teacher_first,
                                  groups=tuple(c for c, _ in heads),
                                  teachers=tuple(t for _, t in heads)))
    if any(t.wishes for t in school.teachers):
        constraints.append(_teacher_wishes(school, slots, w.teacher_wish))
    if policy.level_progress:
        constraints += _level_progress(school)
    return Problem(
        name=school.name, days=school.days, slots=tuple(slots), groups=tuple(groups),
        teachers=tuple(teachers), pools=tuple(pools), activities=tuple(activities),
        constraints=tuple(constraints), session_pool=pool_of.get(GROUND))


def _alternate_activity(school: School, k: Alternate, groups: list[Group],
                        teachers: list[TeacherResource], pool_of: Mapping[str, int],
                        lesson_slot: Mapping[tuple[int, int, int], int]) -> Activity:
    """An alternating slot (单双周) as one activity of its class: count 1, every side's
    teacher (each once), the domain without any side's teacher's unavailable periods or
    any side's forbidden periods, the pool of the one venue kind the sides need, and
    ``main`` when either side is a main subject (rule ``main_morning`` counts the slot
    once)."""
    schedule = school.classes[k.cls].schedule
    banned = set(groups[k.cls].early)
    sides = []
    need = None
    for week, q in k.sides:
        r = school.requirements[q]
        banned |= set(teachers[r.teacher].unavailable)
        banned |= {lesson_slot[(schedule, d, p)] for d, p in school.forbidden_periods[q]}
        kind = school.venue_kind(r)
        need = need or kind
        sides.append((week, r.subject, r.teacher, kind is not None))
    names = "/".join(f"{school.subjects[s].name}({WEEK_ZH[w]})" for w, s, _, _ in sides)
    return Activity(
        name=f"{school.classes[k.cls].name}/{names}", groups=(k.cls,),
        teachers=tuple(dict.fromkeys(t for _, _, t, _ in sides)), subject=sides[0][1],
        count=1, slots=tuple(s for s in groups[k.cls].slots if s not in banned),
        pool=pool_of[need] if need is not None else None,
        main=any(school.subjects[s].is_main for _, s, _, _ in sides), pe=False,
        source=k.sides[0][1], alternate=tuple(sides))


def school_activity_members(school: School) -> tuple[tuple[int, ...], ...]:
    """Per requirement activity of :func:`compile_school`, the requirements it places:
    one, or the members of a combined lesson (合班) or of a 走班 block (first member
    first), at the place of the earliest of them in ``school.requirements``. A
    requirement held only every other week (``periods`` 0, 单双周) has none; the
    alternating slots' activities follow these (:func:`activity_requirements`)."""
    out: list[tuple[int, ...]] = []
    done: set[tuple[str, int]] = set()
    for q, r in enumerate(school.requirements):
        k = school.combined_of.get((r.cls, r.subject))
        if r.periods == 0:
            continue
        b = school.block_of.get((r.cls, r.subject))
        if k is None and b is None:
            out.append((q,))
        elif k is not None and ("combined", k) not in done:
            done.add(("combined", k))
            out.append(school.combined[k].members)
        elif b is not None and ("block", b) not in done:
            done.add(("block", b))
            out.append(school.blocks[b].members)
    return tuple(out)


def activity_requirements(school: School) -> tuple[tuple[int, ...], ...]:
    """Per activity of :func:`compile_school`, the requirements whose lessons it places:
    :func:`school_activity_members`, then each alternating slot's sides (单双周)."""
    return school_activity_members(school) + tuple(
        tuple(q for _, q in k.sides) for k in school.alternates)


def activity_of_requirement(school: School) -> tuple[int, ...]:
    """Requirement index → the index of the activity of :func:`compile_school` placing its
    weekly lessons (``-1`` for a requirement held only every other week)."""
    out = [-1] * len(school.requirements)
    for a, members in enumerate(school_activity_members(school)):
        for q in members:
            out[q] = a
    return tuple(out)


def _teacher_wishes(school: School, slots: list[Slot], weight: float) -> Constraint:
    """The ``teacher_wish`` record: param ``wishes`` holds, per wish, ``(teacher, the
    wish's own weight, the lesson slots a lesson of the teacher goes against it in)``."""
    wishes = []
    for t, teacher in enumerate(school.teachers):
        for wish in teacher.wishes:
            against = tuple(i for i, s in enumerate(slots) if s.kind is SlotKind.LESSON
                            and wish.against(s.day, s.period, s.start, s.end))
            wishes.append((t, wish.weight, against))
    return Constraint("teacher_wish", False, weight, (("wishes", tuple(wishes)),))


def level_progress_groups(school: School) -> list[tuple[int, int, int, tuple[int, ...]]]:
    """教案齐头: ``(teacher, subject, grade, requirements)`` for every teacher who teaches
    one subject to ≥ 2 classes of one grade (the requirements in class order). A
    requirement with lessons every other week (单双周, ``biweekly``) is in no group."""
    groups: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    for q, r in enumerate(school.requirements):
        if r.biweekly:
            continue
        groups[(r.teacher, r.subject, school.classes[r.cls].grade)].append(q)
    return [(t, s, g, tuple(sorted(qs, key=lambda q: school.requirements[q].cls)))
            for (t, s, g), qs in sorted(groups.items()) if len(qs) >= 2]


def _level_progress(school: School) -> list[Constraint]:
    """One hard ``level_progress`` record per group of :func:`level_progress_groups`:
    its activities (= requirements) have lessons on exactly the same days. Members of
    one combined lesson (合班) are one activity, counted once."""
    act = activity_of_requirement(school)
    tied = [(t, tuple(dict.fromkeys(act[q] for q in qs)))
            for t, _, _, qs in level_progress_groups(school)]
    return [Constraint("level_progress", True, activities=acts, teachers=(t,))
            for t, acts in tied if len(acts) >= 2]
