"""The school: bell schedule, classes, subjects, teachers, venues and requirements.

Every class here is a frozen dataclass validated when built; entities refer to each
other by index, names are for people. Errors are :class:`InputError` naming the field
path (``teachers[3].unavailable[1]``) and the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Iterable, Mapping

from .errors import InputError, check_index
from .policy import Policy, format_clock, load_policy, stage_of


class SegmentKind(StrEnum):
    """What happens in a segment of the school day."""

    LESSON = "lesson"              # 课 — a timetabled period
    SELF_STUDY = "self_study"      # 自习 — counts as study time, not a lesson
    BREAK = "break"                # 课间
    EYE = "eye_exercise"           # 眼保健操
    LONG_BREAK = "long_break"      # 大课间
    LUNCH = "lunch"                # 午餐午休
    ACTIVITY = "activity"          # 课外体育活动 (after-class physical activity slot)
    AFTER_SCHOOL = "after_school"  # 课后服务

    @property
    def zh(self) -> str:
        return SEGMENT_ZH[self]


SEGMENT_ZH = {
    SegmentKind.LESSON: "课", SegmentKind.SELF_STUDY: "自习", SegmentKind.BREAK: "课间",
    SegmentKind.EYE: "眼保健操", SegmentKind.LONG_BREAK: "大课间", SegmentKind.LUNCH: "午餐午休",
    SegmentKind.ACTIVITY: "课外体育活动", SegmentKind.AFTER_SCHOOL: "课后服务",
}

# Segments that may lie between two periods of a double period (连堂).
_JOINING = (SegmentKind.BREAK, SegmentKind.EYE)


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of the day, ``start``/``end`` in minutes after midnight."""

    kind: SegmentKind
    start: int
    end: int
    label: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.kind, SegmentKind):
            raise InputError("kind", self.kind, f"one of {', '.join(k.value for k in SegmentKind)}")
        if not 0 <= self.start < self.end <= 24 * 60:
            raise InputError("end", format_clock(self.end), f"must be after start {format_clock(self.start)}")

    @property
    def minutes(self) -> int:
        return self.end - self.start

    def __str__(self) -> str:
        return f"{self.kind.zh} {format_clock(self.start)}–{format_clock(self.end)}"


@dataclass(frozen=True, slots=True)
class DaySchedule:
    """The ordered segments of one school day, with derived period facts."""

    segments: tuple[Segment, ...]
    periods: tuple[Segment, ...] = field(init=False)
    joined: tuple[bool, ...] = field(init=False)        # period p and p+1 form a valid 连堂
    afternoon: tuple[bool, ...] = field(init=False)     # period starts after lunch
    after_lunch: tuple[bool, ...] = field(init=False)   # first period after lunch

    def __post_init__(self) -> None:
        for i, (a, b) in enumerate(zip(self.segments, self.segments[1:])):
            if b.start < a.end:
                raise InputError(f"segments[{i + 1}]", str(b), f"overlaps the segment before it ({a})")
        periods = tuple(s for s in self.segments if s.kind is SegmentKind.LESSON)
        index = {id(s): i for i, s in enumerate(self.segments)}
        joined = []
        for a, b in zip(periods, periods[1:]):
            between = self.segments[index[id(a)] + 1:index[id(b)]]
            joined.append(all(s.kind in _JOINING for s in between))
        if periods:
            joined.append(False)
        lunch = next((s for s in self.segments if s.kind is SegmentKind.LUNCH), None)
        noon = lunch.end if lunch else 12 * 60
        afternoon = tuple(p.start >= noon for p in periods)
        after_lunch = tuple(
            afternoon[i] and (i == 0 or not afternoon[i - 1]) for i in range(len(periods)))
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "joined", tuple(joined))
        object.__setattr__(self, "afternoon", afternoon)
        object.__setattr__(self, "after_lunch", after_lunch)

    def of_kind(self, kind: SegmentKind) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.kind is kind)

    @property
    def activity(self) -> Segment | None:
        found = self.of_kind(SegmentKind.ACTIVITY)
        return found[0] if found else None

    @property
    def lunch(self) -> Segment | None:
        found = self.of_kind(SegmentKind.LUNCH)
        return found[0] if found else None


@dataclass(frozen=True, slots=True)
class BellSchedule:
    """作息时间表: one :class:`DaySchedule` per school day (same order as ``School.days``)."""

    name: str
    days: tuple[DaySchedule, ...]

    def periods(self, day: int) -> tuple[Segment, ...]:
        return self.days[day].periods

    @property
    def max_periods(self) -> int:
        return max((len(d.periods) for d in self.days), default=0)


class Category(StrEnum):
    MAIN = "main"          # 语数外
    MORAL = "moral"        # 道德与法治
    SCIENCE = "science"    # 科学 / 物理 / 化学 / 生物学
    HUMANITIES = "humanities"
    PE = "pe"
    ARTS = "arts"
    IT = "it"
    PRACTICE = "practice"  # 劳动, 综合实践活动
    LOCAL = "local"        # 地方与校本课程


@dataclass(frozen=True, slots=True)
class Subject:
    """A subject with its metadata; ``part_of`` names a 2022-plan subject it delivers (艺术)."""

    name: str
    english: str = ""
    category: Category = Category.LOCAL
    homework: bool = False          # sets written homework
    venue_kind: str | None = None   # needs a venue of this kind (ground, lab, computer, music…)
    part_of: str | None = None

    def __post_init__(self) -> None:
        if not self.name:
            raise InputError("name", self.name, "a subject needs a name")
        if not isinstance(self.category, Category):
            raise InputError("category", self.category,
                             f"one of {', '.join(c.value for c in Category)}")

    @property
    def is_main(self) -> bool:
        return self.category is Category.MAIN

    @property
    def is_pe(self) -> bool:
        return self.category is Category.PE

    @property
    def label(self) -> str:
        return f"{self.name} ({self.english})" if self.english else self.name


@dataclass(frozen=True, slots=True)
class SchoolClass:
    """A class (班级). ``periods_per_day[d]``: lessons only in its first n periods that day;
    ``head_teacher``: the teacher index of its 班主任 (class teacher), or ``None``."""

    name: str
    grade: int
    schedule: int = 0
    periods_per_day: tuple[int, ...] | None = None
    head_teacher: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.grade, int) or not 1 <= self.grade <= 9:
            raise InputError("grade", self.grade, "a grade from 1 to 9")

    @property
    def stage(self) -> str:
        return stage_of(self.grade)


@dataclass(frozen=True, slots=True)
class Unavailable:
    """A stretch of one day (``day`` index) when a teacher cannot teach."""

    day: int
    start: int
    end: int

    def overlaps(self, day: int, start: int, end: int) -> bool:
        return self.day == day and self.start < end and start < self.end


DAY_END = 24 * 60


class Half(StrEnum):
    """A half-day of a teacher's bell schedule: 上午 until lunch starts, 下午 from its end."""

    MORNING = "morning"      # 上午
    AFTERNOON = "afternoon"  # 下午
    DAY = "day"              # 全天

    @property
    def zh(self) -> str:
        return {Half.MORNING: "上午", Half.AFTERNOON: "下午", Half.DAY: "全天"}[self]

    def stretch(self, day: int, schedule: DaySchedule) -> Unavailable:
        """This half of ``day`` as read in ``schedule`` (12:00 when it has no lunch)."""
        lunch = schedule.lunch
        if self is Half.MORNING:
            return Unavailable(day, 0, lunch.start if lunch else 12 * 60)
        if self is Half.AFTERNOON:
            return Unavailable(day, lunch.end if lunch else 12 * 60, DAY_END)
        return Unavailable(day, 0, DAY_END)


@dataclass(frozen=True, slots=True)
class Meeting:
    """A weekly meeting (教研活动 of a 教研组, 行政会) that keeps its members from teaching.

    The members are ``teachers`` and every teacher of one of ``subjects`` (the subject
    is in their ``subjects`` or they have a requirement of it). The time is ``half`` of
    ``day`` in each member's own bell schedule (as their ``unavailable`` 周二下午 reads),
    or, when ``half`` is ``None``, the clock stretch ``start``–``end``.
    """

    name: str
    day: int
    teachers: tuple[int, ...] = ()
    subjects: tuple[int, ...] = ()
    half: Half | None = None
    start: int | None = None
    end: int | None = None

    def __post_init__(self) -> None:
        if not self.name:
            raise InputError("name", self.name, "a meeting needs a name")
        if self.half is not None:
            if not isinstance(self.half, Half):
                raise InputError("half", self.half, f"one of {', '.join(h.value for h in Half)}")
            if self.start is not None or self.end is not None:
                raise InputError("half", self.half.value, "give a half-day or start and end, not both")
        elif self.start is None or self.end is None:
            raise InputError("half", "", "give a half-day or both start and end")
        elif not 0 <= self.start < self.end <= DAY_END:
            raise InputError("end", format_clock(self.end),
                             f"must be after start {format_clock(self.start)}")
        if not self.teachers and not self.subjects:
            raise InputError("teachers", [], "a meeting names its teachers or a subject group")

    def time_for(self, schedule: DaySchedule) -> Unavailable:
        """The meeting as an unavailable stretch of a member whose bell schedule that day
        is ``schedule``."""
        if self.half is not None:
            return self.half.stretch(self.day, schedule)
        assert self.start is not None and self.end is not None
        return Unavailable(self.day, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Teacher:
    """A teacher. ``schools`` lists the schools an itinerant (走教) teacher serves."""

    name: str
    subjects: tuple[int, ...] = ()
    unavailable: tuple[Unavailable, ...] = ()
    max_periods_per_day: int | None = None
    schools: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.max_periods_per_day is not None and self.max_periods_per_day < 1:
            raise InputError("max_periods_per_day", self.max_periods_per_day, "at least 1")


@dataclass(frozen=True, slots=True)
class Venue:
    """A venue. ``capacity`` is how many classes it holds at once (sports ground: several)."""

    name: str
    kind: str
    capacity: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.capacity, int) or self.capacity < 1:
            raise InputError("capacity", self.capacity, "a whole number ≥ 1")


@dataclass(frozen=True, slots=True)
class Requirement:
    """Class ``cls`` gets ``periods`` of ``subject`` a week from ``teacher``.

    ``doubles`` of them come as double periods (连堂); ``venue_kind`` overrides the
    subject's venue need.
    """

    cls: int
    subject: int
    teacher: int
    periods: int
    doubles: int = 0
    venue_kind: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.periods, int) or self.periods < 1:
            raise InputError("periods", self.periods, "a whole number ≥ 1")
        if not isinstance(self.doubles, int) or self.doubles < 0 or 2 * self.doubles > self.periods:
            raise InputError("doubles", self.doubles, f"0..{self.periods // 2} (two periods each)")


@dataclass(frozen=True, slots=True)
class School:
    """One school: the problem the timetable answers."""

    name: str
    days: tuple[str, ...]
    schedules: tuple[BellSchedule, ...]
    subjects: tuple[Subject, ...]
    classes: tuple[SchoolClass, ...]
    teachers: tuple[Teacher, ...]
    venues: tuple[Venue, ...]
    requirements: tuple[Requirement, ...]
    profile: str = "national"
    policy_overrides: tuple[tuple[str, Any], ...] = ()
    meetings: tuple[Meeting, ...] = ()
    # derived lookups, built once
    subject_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    class_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    teacher_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    venue_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    requirements_of_class: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)
    requirements_of_teacher: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)
    meeting_members: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)
    meeting_times: tuple[tuple[tuple[int, Unavailable], ...], ...] = field(
        init=False, repr=False, compare=False)   # per teacher: (meeting, its stretch)

    def __post_init__(self) -> None:
        if not self.days:
            raise InputError("days", list(self.days), "a school needs at least one day")
        if not self.schedules:
            raise InputError("schedules", [], "a school needs a bell schedule")
        for name, items in (("days", self.days), ("subjects", [s.name for s in self.subjects]),
                            ("classes", [c.name for c in self.classes]),
                            ("teachers", [t.name for t in self.teachers]),
                            ("venues", [v.name for v in self.venues])):
            seen: set[str] = set()
            for i, item in enumerate(items):
                if item in seen:
                    raise InputError(f"{name}[{i}].name", item, "duplicate name")
                seen.add(item)
        for i, sched in enumerate(self.schedules):
            if len(sched.days) != len(self.days):
                raise InputError(f"schedules[{i}].days", len(sched.days),
                                 f"needs one day schedule per school day ({len(self.days)})")
        for i, c in enumerate(self.classes):
            check_index(f"classes[{i}].schedule", c.schedule, len(self.schedules))
            if c.periods_per_day is not None:
                if len(c.periods_per_day) != len(self.days):
                    raise InputError(f"classes[{i}].periods_per_day", list(c.periods_per_day),
                                     f"one number per school day ({len(self.days)})")
                for d, n in enumerate(c.periods_per_day):
                    most = len(self.schedules[c.schedule].periods(d))
                    if not 0 <= n <= most:
                        raise InputError(f"classes[{i}].periods_per_day[{d}]", n,
                                         f"0..{most} (periods in the bell schedule that day)")
            if c.head_teacher is not None:
                check_index(f"classes[{i}].head_teacher", c.head_teacher, len(self.teachers))
        for i, t in enumerate(self.teachers):
            for j, s in enumerate(t.subjects):
                check_index(f"teachers[{i}].subjects[{j}]", s, len(self.subjects))
            for j, u in enumerate(t.unavailable):
                check_index(f"teachers[{i}].unavailable[{j}].day", u.day, len(self.days))
        kinds = {v.kind for v in self.venues}
        seen_pairs: set[tuple[int, int]] = set()
        for i, r in enumerate(self.requirements):
            check_index(f"requirements[{i}].class", r.cls, len(self.classes))
            check_index(f"requirements[{i}].subject", r.subject, len(self.subjects))
            check_index(f"requirements[{i}].teacher", r.teacher, len(self.teachers))
            if (r.cls, r.subject) in seen_pairs:
                raise InputError(f"requirements[{i}]",
                                 f"{self.classes[r.cls].name}/{self.subjects[r.subject].name}",
                                 "class and subject listed twice")
            seen_pairs.add((r.cls, r.subject))
            teacher = self.teachers[r.teacher]
            cls = self.classes[r.cls]
            meeting = self.subjects[r.subject].name == CLASS_MEETING and cls.head_teacher is not None
            if meeting and r.teacher != cls.head_teacher:
                head = self.teachers[cls.head_teacher].name
                raise InputError(f"requirements[{i}].teacher", teacher.name,
                                 f"班会应由班主任 {head} 上 — {cls.name}'s class meeting (班会) "
                                 f"is taught by its head teacher {head} (rule head_teacher_meeting)")
            # a 班主任 teaches their class's 班会 without listing it among their subjects
            if teacher.subjects and r.subject not in teacher.subjects and not meeting:
                raise InputError(f"requirements[{i}].teacher", teacher.name,
                                 f"does not teach {self.subjects[r.subject].name}")
            need = self.venue_kind(r)
            if need is not None and need not in kinds:
                raise InputError(f"requirements[{i}].venue", need, "no venue of that kind in the school")
        object.__setattr__(self, "subject_index", {s.name: i for i, s in enumerate(self.subjects)})
        object.__setattr__(self, "class_index", {c.name: i for i, c in enumerate(self.classes)})
        object.__setattr__(self, "teacher_index", {t.name: i for i, t in enumerate(self.teachers)})
        object.__setattr__(self, "venue_index", {v.name: i for i, v in enumerate(self.venues)})
        object.__setattr__(self, "requirements_of_class", _group(
            len(self.classes), ((r.cls, i) for i, r in enumerate(self.requirements))))
        object.__setattr__(self, "requirements_of_teacher", _group(
            len(self.teachers), ((r.teacher, i) for i, r in enumerate(self.requirements))))
        self._index_meetings()

    def _index_meetings(self) -> None:
        """Check the meetings and resolve each one's members and their stretches."""
        members: list[tuple[int, ...]] = []
        times: list[list[tuple[int, Unavailable]]] = [[] for _ in self.teachers]
        for i, m in enumerate(self.meetings):
            check_index(f"meetings[{i}].day", m.day, len(self.days))
            for j, t in enumerate(m.teachers):
                check_index(f"meetings[{i}].teachers[{j}]", t, len(self.teachers))
            for j, s in enumerate(m.subjects):
                check_index(f"meetings[{i}].subjects[{j}]", s, len(self.subjects))
            group = set(m.teachers) | {t for t, teacher in enumerate(self.teachers)
                                       if set(m.subjects) & set(teacher.subjects)}
            group |= {r.teacher for r in self.requirements if r.subject in m.subjects}
            if not group:
                raise InputError(f"meetings[{i}].subject",
                                 "、".join(self.subjects[s].name for s in m.subjects),
                                 f"没有任教该学科的教师，{m.name} 没有参加者 — no teacher teaches "
                                 f"it, so {m.name} names nobody")
            members.append(tuple(sorted(group)))
            for t in members[-1]:
                day = self.schedules[self.schedule_of_teacher(t)].days[m.day]
                times[t].append((i, m.time_for(day)))
        object.__setattr__(self, "meeting_members", tuple(members))
        object.__setattr__(self, "meeting_times", tuple(tuple(x) for x in times))

    # --- lookups ---------------------------------------------------------------------
    def schedule_of(self, cls: int) -> BellSchedule:
        return self.schedules[self.classes[cls].schedule]

    def day_of(self, cls: int, day: int) -> DaySchedule:
        return self.schedule_of(cls).days[day]

    def usable_periods(self, cls: int, day: int) -> int:
        """How many of the day's periods the class may use (its day shape)."""
        c = self.classes[cls]
        total = len(self.schedules[c.schedule].periods(day))
        return total if c.periods_per_day is None else c.periods_per_day[day]

    def schedule_of_teacher(self, teacher: int) -> int:
        """The bell schedule that gives a teacher's 上午/下午 their meaning: the one most
        of their requirements' classes use (ties: the first; no classes: the first)."""
        counts: dict[int, int] = {}
        for q in self.requirements_of_teacher[teacher]:
            s = self.classes[self.requirements[q].cls].schedule
            counts[s] = counts.get(s, 0) + 1
        return max(sorted(counts), key=lambda s: counts[s]) if counts else 0

    def unavailable_of(self, teacher: int) -> tuple[Unavailable, ...]:
        """A teacher's effective unavailability: their own stretches, then their meetings."""
        return self.teachers[teacher].unavailable + tuple(u for _, u in self.meeting_times[teacher])

    def venue_kind(self, req: Requirement) -> str | None:
        return req.venue_kind if req.venue_kind is not None else self.subjects[req.subject].venue_kind

    def venues_of_kind(self, kind: str) -> tuple[int, ...]:
        return tuple(i for i, v in enumerate(self.venues) if v.kind == kind)

    def classes_of_grade(self, grade: int) -> tuple[int, ...]:
        return tuple(i for i, c in enumerate(self.classes) if c.grade == grade)

    def policy(self, profile: str | None = None) -> "Policy":
        """The school's policy: its profile (or ``profile``) with its single-field overrides."""
        return load_policy(profile or self.profile, dict(self.policy_overrides) or None)

    @property
    def grades(self) -> tuple[int, ...]:
        return tuple(sorted({c.grade for c in self.classes}))


GROUND = "ground"   # venue kind of the sports ground (操场), used by PE and activity sessions
CLASS_MEETING = "班会"   # the subject a class's head teacher (班主任) teaches (rule head_teacher_meeting)


def _group(size: int, pairs: Iterable[tuple[int, int]]) -> tuple[tuple[int, ...], ...]:
    out: list[list[int]] = [[] for _ in range(size)]
    for key, value in pairs:
        out[key].append(value)
    return tuple(tuple(x) for x in out)


def school_fingerprint(school: School) -> str:
    """A short hash of everything in ``school``: a timetable records the one it was made for."""
    import hashlib

    return hashlib.sha256(repr(school).encode("utf-8")).hexdigest()[:16]
