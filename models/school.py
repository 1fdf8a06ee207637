"""The school: bell schedule, classes, subjects, teachers, venues and requirements.

Every class here is a frozen dataclass validated when built; entities refer to each
other by index, names are for people. Errors are :class:`InputError` naming the field
path (``teachers[3].unavailable[1]``) and the value.
"""

from __future__ import annotations

from collections import Counter
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
    EVENT = "event"                # 集体活动 — a school-wide event (升旗仪式, 晨会, 午读), no lesson

    @property
    def zh(self) -> str:
        return SEGMENT_ZH[self]


class CountsAs(StrEnum):
    """What an ``event`` segment counts as in the daily timing rules (docs/rules.md)."""

    NONE = "none"          # 不计 — neither study nor physical activity (升旗仪式, 班会)
    STUDY = "study"        # 计入学习 — like self-study: study_cap, morning_start (午读, 早读)
    ACTIVITY = "activity"  # 计入体育活动 — like the long break: daily_activity (跑操)


SEGMENT_ZH = {
    SegmentKind.LESSON: "课", SegmentKind.SELF_STUDY: "自习", SegmentKind.BREAK: "课间",
    SegmentKind.EYE: "眼保健操", SegmentKind.LONG_BREAK: "大课间", SegmentKind.LUNCH: "午餐午休",
    SegmentKind.ACTIVITY: "课外体育活动", SegmentKind.AFTER_SCHOOL: "课后服务",
    SegmentKind.EVENT: "集体活动",
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
    counts_as: CountsAs = CountsAs.NONE   # events only: study or physical activity time

    def __post_init__(self) -> None:
        if not isinstance(self.kind, SegmentKind):
            raise InputError("kind", self.kind, f"one of {', '.join(k.value for k in SegmentKind)}")
        if not 0 <= self.start < self.end <= 24 * 60:
            raise InputError("end", format_clock(self.end), f"must be after start {format_clock(self.start)}")
        if not isinstance(self.counts_as, CountsAs):
            raise InputError("counts_as", self.counts_as, f"one of {', '.join(c.value for c in CountsAs)}")
        if self.counts_as is not CountsAs.NONE and self.kind is not SegmentKind.EVENT:
            raise InputError("counts_as", self.counts_as.value,
                             f"only an event segment may count as study or activity, not {self.kind.value}")

    @property
    def minutes(self) -> int:
        return self.end - self.start

    @property
    def is_study(self) -> bool:
        """Study time outside lessons (rules study_cap, morning_start): 自习, or an event counted as study."""
        return self.kind is SegmentKind.SELF_STUDY or (
            self.kind is SegmentKind.EVENT and self.counts_as is CountsAs.STUDY)

    @property
    def is_fixed_activity(self) -> bool:
        """Physical activity every class has (rule daily_activity): 大课间, or an event counted as activity."""
        return self.kind is SegmentKind.LONG_BREAK or (
            self.kind is SegmentKind.EVENT and self.counts_as is CountsAs.ACTIVITY)

    @property
    def name(self) -> str:
        """What people call it: an event's label (升旗仪式), else the kind's Chinese name."""
        return self.label if self.kind is SegmentKind.EVENT and self.label else self.kind.zh

    def __str__(self) -> str:
        return f"{self.name} {format_clock(self.start)}–{format_clock(self.end)}"


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

    @property
    def study_minutes(self) -> int:
        """Minutes of self-study and study events (rule study_cap), every class using the day."""
        return sum(s.minutes for s in self.segments if s.is_study)

    @property
    def fixed_activity_minutes(self) -> int:
        """Minutes of long breaks and activity events (rule daily_activity), every class."""
        return sum(s.minutes for s in self.segments if s.is_fixed_activity)


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
    forbidden: tuple[SlotSpec, ...] = ()   # 禁排 for every class (no 体育 下午第1节)

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
class SlotSpec:
    """Periods of a class's week as a 教务处 names them (固定 ``fixed``, 禁排 ``forbidden``).

    ``day``: a day index, or ``None`` for every school day; ``half``: the periods are
    counted over the whole day, the morning (before lunch) or the afternoon (after it);
    ``period``: 0-based within that part, or ``None`` for all of it; ``last``: the
    class's last period that day (末节, by its day shape). 周一第1节 is
    ``SlotSpec(0, 0)``, 下午第1节 ``SlotSpec(None, 0, Half.AFTERNOON)``, 周五下午
    ``SlotSpec(4, None, Half.AFTERNOON)``.
    """

    day: int | None = None
    period: int | None = None
    half: Half = Half.DAY
    last: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.half, Half):
            raise InputError("half", self.half, f"one of {', '.join(h.value for h in Half)}")
        if self.period is not None and (not isinstance(self.period, int) or self.period < 0):
            raise InputError("period", self.period, "a period number ≥ 1")
        if self.last and (self.period is not None or self.half is not Half.DAY):
            raise InputError("last", self.period, "最后一节 names its own period")
        if self.day is None and self.period is None and self.half is Half.DAY and not self.last:
            raise InputError("day", "", "names every period of the week: give a day or a period")

    def on(self, day: DaySchedule, usable: int) -> tuple[tuple[int, ...], bool]:
        """The period indices this names on one day of a class (inside its first ``usable``
        periods), and whether it names a period the class does not have that day."""
        if self.last:
            return ((usable - 1,) if usable else ()), False
        part = [p for p in range(len(day.periods))
                if self.half is Half.DAY or day.afternoon[p] == (self.half is Half.AFTERNOON)]
        if self.period is None:
            return tuple(p for p in part if p < usable), False
        if self.period >= len(part) or part[self.period] >= usable:
            return (), True
        return (part[self.period],), False

    def text(self, days: tuple[str, ...]) -> str:
        """As a school file writes it: 周一第1节, 下午第1节, 周五下午, 最后一节."""
        out = "" if self.day is None else days[self.day]
        if self.half is not Half.DAY:
            out += self.half.zh
        if self.last:
            out += "最后一节"
        elif self.period is not None:
            out += f"第{self.period + 1}节"
        return out


WISH_MAX_WEIGHT = 100


@dataclass(frozen=True, slots=True)
class Wish:
    """A teacher's weighted wish (意愿), the soft rule ``teacher_wish``.

    ``avoid`` (``prefer`` False): the teacher would rather not teach inside ``stretch``
    (a clock stretch of one day, read like an ``unavailable`` entry) or in period
    ``period`` (0-based) of ``day``, of every day when ``day`` is ``None``. ``prefer``:
    on the day of ``stretch`` (a half-day, say) the teacher would rather teach only
    inside it. Each lesson against the wish costs ``weight`` units.
    """

    prefer: bool = False
    weight: int = 1
    stretch: Unavailable | None = None
    period: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.weight, int) or not 1 <= self.weight <= WISH_MAX_WEIGHT:
            raise InputError("weight", self.weight, f"a whole number 1..{WISH_MAX_WEIGHT}")
        if (self.stretch is None) == (self.period is None):
            raise InputError("avoid", "", "a wish names a stretch (周五下午) or a period (第1节)")
        if self.period is not None and (not isinstance(self.period, int) or self.period < 0):
            raise InputError("period", self.period, "a period number ≥ 1")
        if self.prefer and self.stretch is None:
            raise InputError("prefer", f"第{(self.period or 0) + 1}节",
                             "a preferred time is a half-day or a stretch of one day (周二上午)")
        if self.stretch is not None and self.day is not None:
            raise InputError("day", self.day, "a stretch carries its own day")

    def days(self, n_days: int) -> tuple[int, ...]:
        """The days the wish speaks about."""
        if self.stretch is not None:
            return (self.stretch.day,)
        return tuple(range(n_days)) if self.day is None else (self.day,)

    def against(self, day: int, period: int, start: int, end: int) -> bool:
        """Does a lesson of the teacher in ``period`` (``start``–``end``) on ``day`` go
        against the wish? avoid: inside the stretch or the period; prefer: on the
        stretch's day and not overlapping it."""
        if self.stretch is None:
            return period == self.period and (self.day is None or day == self.day)
        inside = self.stretch.overlaps(day, start, end)
        if self.prefer:
            return day == self.stretch.day and not inside
        return inside

    def describe(self, days: tuple[str, ...], schedule: BellSchedule) -> str:
        """``避开周五下午`` / ``避开第1节`` / ``希望周二上午`` (``schedule``: the teacher's)."""
        verb = "希望" if self.prefer else "避开"
        if self.stretch is None:
            return f"{verb}{days[self.day] if self.day is not None else ''}第{(self.period or 0) + 1}节"
        u = self.stretch
        lunch = schedule.days[u.day].lunch
        if (u.start, u.end) == (0, DAY_END):
            what = days[u.day]
        elif (u.start, u.end) == (0, lunch.start if lunch else 12 * 60):
            what = f"{days[u.day]}上午"
        elif (u.start, u.end) == (lunch.end if lunch else 12 * 60, DAY_END):
            what = f"{days[u.day]}下午"
        else:
            what = f"{days[u.day]} {format_clock(u.start)}-{format_clock(u.end)}"
        return f"{verb}{what}"


@dataclass(frozen=True, slots=True)
class Teacher:
    """A teacher. ``schools`` lists the schools an itinerant (走教) teacher serves;
    ``wishes`` their weighted wishes (:class:`Wish`)."""

    name: str
    subjects: tuple[int, ...] = ()
    unavailable: tuple[Unavailable, ...] = ()
    max_periods_per_day: int | None = None
    schools: tuple[str, ...] = ()
    wishes: tuple[Wish, ...] = ()

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
    subject's venue need. ``fixed``: periods that must hold a lesson of it (固定, e.g.
    班会 周一第1节; the other lessons are free); ``forbidden``: periods that must not
    (禁排), on top of the subject's own (``Subject.forbidden``).

    ``biweekly``: periods held every other week (单双周), each one side of an
    :class:`Alternate` slot (``School.alternates``); ``periods`` are then the lessons
    held every week and may be 0. ``doubles`` and ``fixed`` are of those weekly lessons.
    """

    cls: int
    subject: int
    teacher: int
    periods: int
    doubles: int = 0
    venue_kind: str | None = None
    fixed: tuple[SlotSpec, ...] = ()
    forbidden: tuple[SlotSpec, ...] = ()
    biweekly: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.biweekly, bool) or not isinstance(self.biweekly, int) \
                or self.biweekly < 0:
            raise InputError("biweekly", self.biweekly, "a whole number ≥ 0")
        if isinstance(self.periods, bool) or not isinstance(self.periods, int) \
                or self.periods < (0 if self.biweekly else 1):
            raise InputError("periods", self.periods,
                             "a whole number ≥ 1 (0 only with lessons every other week, 单双周)")
        if not isinstance(self.doubles, int) or self.doubles < 0 or 2 * self.doubles > self.periods:
            every = ("; 连堂只用于每周都上的课 double periods are of the lessons held every week"
                     if self.biweekly else "")
            raise InputError("doubles", self.doubles,
                             f"0..{self.periods // 2} (two periods each{every})")


@dataclass(frozen=True, slots=True)
class Combined:
    """A combined lesson (合班, 复式班): one lesson for several classes at once.

    ``members`` are requirement indices, each of another class; they are taught together
    by ``teacher`` in one venue (of ``venue_kind``, else the kind every member needs), at
    the same periods. Each member keeps its own subject: PE of two classes has the same
    subject twice, a 复式班 one subject per grade.
    """

    name: str
    members: tuple[int, ...]
    teacher: int
    venue_kind: str | None = None

    def __post_init__(self) -> None:
        if not self.name:
            raise InputError("name", self.name, "a combined lesson needs a name")
        if len(self.members) < 2:
            raise InputError("members", list(self.members), "合班至少两个班 at least two members")


def most_used_schedule(schedules: Iterable[int]) -> int:
    """The bell schedule index used most often (ties: the lowest; none given: 0): for a
    teacher, over their requirements' classes, it gives 上午/下午 their meaning."""
    counts = Counter(schedules)
    return max(sorted(counts), key=lambda s: counts[s]) if counts else 0


@dataclass(frozen=True, slots=True)
class SplitGroup:
    """One group of a split class (男生, 女生, A, B): its ``subject`` with ``teacher``."""

    name: str
    subject: int
    teacher: int


@dataclass(frozen=True, slots=True)
class Split:
    """A split lesson (分组): requirement ``requirement`` is taught to its class in groups.

    Each group has its own lesson at the same time, with its own teacher (and subject:
    half the class 信息科技, the other half 劳动); the class counts the lesson once. The
    first group learns the requirement's subject from the requirement's teacher. The
    groups needing a venue (``venue_kind``, else each group's subject's kind) share one
    venue of one kind, used once.
    """

    requirement: int
    groups: tuple[SplitGroup, ...]
    venue_kind: str | None = None

    def __post_init__(self) -> None:
        if len(self.groups) < 2:
            raise InputError("groups", [g.name for g in self.groups],
                             "分组至少两组 a split needs at least two groups")


#: The weeks of the alternating cycle (单双周): week 1 is 单周 (odd), week 2 双周 (even).
WEEKS = (1, 2)
WEEK_ZH = {1: "单周", 2: "双周"}
WEEK_EN = {1: "odd weeks", 2: "even weeks"}


@dataclass(frozen=True, slots=True)
class Alternate:
    """An alternating slot (单双周): one period of class ``cls`` a week that holds
    requirement ``odd`` in odd weeks (单周, week 1 of the cycle) and requirement ``even``
    in even weeks (双周, week 2).

    Either side may be ``None``: the subject is then taught every other week and the
    period is free in the other week. Each side counts one period every other week
    towards its requirement's ``biweekly``.
    """

    cls: int
    odd: int | None = None
    even: int | None = None

    def __post_init__(self) -> None:
        if self.odd is None and self.even is None:
            raise InputError("odd", "", "单周和双周至少有一门课 give odd, even or both")
        if self.odd is not None and self.odd == self.even:
            raise InputError("even", self.even, "单双周是同一门课，那就是每周的课 the same "
                                                "requirement in both weeks is a weekly period: "
                                                "count it in periods instead")

    def side(self, week: int) -> int | None:
        """The requirement held in ``week`` (1 单周, 2 双周), or ``None``."""
        return self.odd if week == 1 else self.even

    @property
    def sides(self) -> tuple[tuple[int, int], ...]:
        """``(week, requirement)`` of each side present, 单周 first."""
        return tuple((w, q) for w, q in ((1, self.odd), (2, self.even)) if q is not None)


@dataclass(frozen=True, slots=True)
class BlockGroup:
    """One teaching group of a 走班 block (A层, 篮球社): ``teacher`` teaches ``subject``
    to it, in a venue of ``venue_kind`` when given (else of the subject's kind, else in
    a class's own room)."""

    name: str
    subject: int
    teacher: int
    venue_kind: str | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """A 走班 block: the classes of ``members`` release their students at the same
    periods into the teaching groups ``groups`` (English 分层 over three parallel
    classes, a grade's 社团 afternoon).

    ``members`` are requirement indices of one subject, each of another class, with equal
    periods and doubles: every placement of the block is one lesson of each member and
    holds every group, each with its teacher. The first group learns the members'
    subject; the groups needing a venue share one venue of one kind, used once (the
    others are in the classes' own rooms).
    """

    name: str
    members: tuple[int, ...]
    groups: tuple[BlockGroup, ...]

    def __post_init__(self) -> None:
        if not self.name:
            raise InputError("name", self.name, "走班需要名称 a block needs a name")
        if len(self.members) < 2:
            raise InputError("classes", list(self.members),
                             "走班至少两个班 a block has at least two classes (one class: use split)")
        if len(self.groups) < 2:
            raise InputError("groups", [g.name for g in self.groups],
                             "走班至少两个教学组 a block has at least two teaching groups")


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
    combined: tuple[Combined, ...] = ()
    splits: tuple[Split, ...] = ()
    blocks: tuple[Block, ...] = ()
    alternates: tuple[Alternate, ...] = ()
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
    combined_of: Mapping[tuple[int, int], int] = field(init=False, repr=False, compare=False)
    split_of: Mapping[tuple[int, int], int] = field(init=False, repr=False, compare=False)
    split_part: Mapping[tuple[int, str, int], tuple[int, int]] = field(
        init=False, repr=False, compare=False)   # (class, group, subject) → (split, group)
    block_of: Mapping[tuple[int, int], int] = field(init=False, repr=False, compare=False)
    block_part: Mapping[tuple[int, str, int], tuple[int, int]] = field(
        init=False, repr=False, compare=False)   # (class, group, subject) → (block, group)
    fixed_periods: tuple[tuple[tuple[int, int], ...], ...] = field(
        init=False, repr=False, compare=False)   # per requirement: (day, period) 固定
    forbidden_periods: tuple[frozenset[tuple[int, int]], ...] = field(
        init=False, repr=False, compare=False)   # per requirement: (day, period) 禁排
    alternates_of_class: tuple[tuple[int, ...], ...] = field(
        init=False, repr=False, compare=False)   # per class: its alternates (单双周)
    alternate_count: tuple[tuple[int, int], ...] = field(
        init=False, repr=False, compare=False)   # per requirement: its (单周, 双周) sides

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
            for j, w in enumerate(t.wishes):
                day = w.stretch.day if w.stretch is not None else w.day
                if day is not None:
                    check_index(f"teachers[{i}].wishes[{j}].day", day, len(self.days))
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
        self._index_combined()
        self._index_splits()
        self._index_blocks()
        self._index_alternates()
        self._index_slots()

    def _index_splits(self) -> None:
        """Check the split lessons (分组): distinct group names and teachers, the first
        group the requirement's, all PE or none, every venue kind in the school, no 合班
        member."""
        found: dict[tuple[int, int], int] = {}
        parts: dict[tuple[int, str, int], tuple[int, int]] = {}
        object.__setattr__(self, "split_of", found)
        object.__setattr__(self, "split_part", parts)
        kinds = {v.kind for v in self.venues}
        for i, k in enumerate(self.splits):
            check_index(f"splits[{i}].requirement", k.requirement, len(self.requirements))
            r = self.requirements[k.requirement]
            who = f"{self.classes[r.cls].name}:{self.subjects[r.subject].name}"
            if (r.cls, r.subject) in found:
                raise InputError(f"splits[{i}]", who, "已分组 the requirement is split twice")
            if (r.cls, r.subject) in self.combined_of:
                raise InputError(f"splits[{i}]", who, "合班的课不能再分组 a combined lesson "
                                                      "cannot also be split")
            found[(r.cls, r.subject)] = i
            if k.venue_kind is not None and k.venue_kind not in kinds:
                raise InputError(f"splits[{i}].venue_kind", k.venue_kind,
                                 "no venue of that kind in the school")
            names: set[str] = set()
            teachers: set[int] = set()
            for j, g in enumerate(k.groups):
                path = f"splits[{i}].groups.{g.name}"
                check_index(f"{path}.teacher", g.teacher, len(self.teachers))
                if j == 0 and (g.subject, g.teacher) != (r.subject, r.teacher):
                    raise InputError(f"{path}.teacher", self.teachers[g.teacher].name,
                                     f"没有一组是该课的学科和任课教师 "
                                     f"{self.subjects[r.subject].name} "
                                     f"{self.teachers[r.teacher].name} — no group (the first) "
                                     f"has the requirement's subject and teacher")
                self._check_group(path, g.name, g.subject, g.teacher, r.subject, names, teachers)
                if (r.cls, g.name, g.subject) in parts:
                    raise InputError(path, g.name, f"{self.classes[r.cls].name} 的另一分组已有"
                                                   f"同名同学科的组 another split of the class has "
                                                   f"this group with this subject")
                parts[(r.cls, g.name, g.subject)] = (i, j)
            needs = {n for j in range(len(k.groups)) if (n := self.split_need(i, j)) is not None}
            for n in sorted(needs):
                if n not in kinds:
                    raise InputError(f"splits[{i}].venue_kind", n,
                                     "no venue of that kind in the school")

    def _index_blocks(self) -> None:
        """Check the 走班 blocks: members of one subject in distinct classes of one bell
        schedule, with equal periods and doubles, in no 合班 or 分组; groups with distinct
        names and teachers, the first learning the members' subject, every member's own
        teacher among the groups', all PE or none."""
        found: dict[tuple[int, int], int] = {}
        parts: dict[tuple[int, str, int], tuple[int, int]] = {}
        object.__setattr__(self, "block_of", found)
        object.__setattr__(self, "block_part", parts)
        kinds = {v.kind for v in self.venues}
        for b, block in enumerate(self.blocks):
            first: Requirement | None = None
            for j, q in enumerate(block.members):
                path = f"blocks[{b}].classes[{j}]"
                check_index(path, q, len(self.requirements))
                r = self.requirements[q]
                who = f"{self.classes[r.cls].name}:{self.subjects[r.subject].name}"
                for taken, what in ((found, "另一个走班 another block"),
                                    (self.combined_of, "合班 a combined lesson"),
                                    (self.split_of, "分组 a split lesson")):
                    if (r.cls, r.subject) in taken:
                        raise InputError(path, who, f"该课已在{what} — the lesson is already in it")
                found[(r.cls, r.subject)] = b
                if first is None:
                    first = r
                    continue
                if r.cls in {self.requirements[m].cls for m in block.members[:j]}:
                    raise InputError(path, who, "同一个班出现两次 the class is in the block twice")
                for what, mine, theirs in (
                        ("subject", self.subjects[r.subject].name, self.subjects[first.subject].name),
                        ("periods", r.periods, first.periods), ("doubles", r.doubles, first.doubles),
                        ("schedule", self.classes[r.cls].schedule, self.classes[first.cls].schedule),
                        ("venue", self.venue_kind(r), self.venue_kind(first))):
                    if mine != theirs:
                        raise InputError(path, who, f"{what} {mine!r} 与第一个班不同 differs from "
                                                    f"the first class's ({theirs!r})")
            assert first is not None
            names: set[str] = set()
            teachers: set[int] = set()
            for j, g in enumerate(block.groups):
                path = f"blocks[{b}].groups.{g.name}"
                self._check_group(path, g.name, g.subject, g.teacher, first.subject, names, teachers)
                if j == 0 and g.subject != first.subject:
                    raise InputError(f"{path}.subject", self.subjects[g.subject].name,
                                     f"第一组应学 {self.subjects[first.subject].name} — the first "
                                     f"group learns the block's subject")
                if g.venue_kind is not None and g.venue_kind not in kinds:
                    raise InputError(f"{path}.venue_kind", g.venue_kind,
                                     "no venue of that kind in the school")
                for q in block.members:
                    key = (self.requirements[q].cls, g.name, g.subject)
                    if key in self.split_part:
                        raise InputError(path, g.name, f"{self.classes[key[0]].name} 的分组已有同名"
                                                       f"同学科的组 a split of the class has this "
                                                       f"group with this subject")
                    parts[key] = (b, j)
            for j, q in enumerate(block.members):
                r = self.requirements[q]
                if r.teacher not in teachers:
                    raise InputError(f"blocks[{b}].classes[{j}]",
                                     f"{self.classes[r.cls].name}:{self.teachers[r.teacher].name}",
                                     "该班的任课教师不在走班的教学组中 the class's own teacher of the "
                                     "subject teaches none of the block's groups")

    def block_need(self, b: int, j: int) -> str | None:
        """The venue kind group ``j`` of block ``b`` needs: its own ``venue_kind``, else
        (first group) the members' requirement's, else its subject's."""
        block = self.blocks[b]
        group = block.groups[j]
        if group.venue_kind is not None:
            return group.venue_kind
        if j == 0:
            return self.venue_kind(self.requirements[block.members[0]])
        return self.subjects[group.subject].venue_kind

    def has_group(self, cls: int, group: str, subject: int) -> bool:
        """Whether class ``cls`` has a group ``group`` learning ``subject``: of a split
        lesson (分组) or of a 走班 block."""
        return (cls, group, subject) in self.split_part or (cls, group, subject) in self.block_part

    def group_rank(self, cls: int, group: str | None, subject: int) -> int:
        """The position of a lesson's group in its split lesson or 走班 block (0 for the
        first group, for the whole class and for an unknown group): the first group's
        lesson stands for the class."""
        if group is None:
            return 0
        key = (cls, group, subject)
        found = self.split_part.get(key) or self.block_part.get(key)
        return found[1] if found is not None else 0
    def _index_alternates(self) -> None:
        """Check the alternating slots (单双周): each side a requirement of the slot's class,
        not PE, not a 合班 member or a split lesson, one venue kind for both sides; and
        each requirement's ``biweekly`` equal to the sides naming it."""
        count = [[0, 0] for _ in self.requirements]
        mine: list[list[int]] = [[] for _ in self.classes]
        for i, k in enumerate(self.alternates):
            check_index(f"alternates[{i}].class", k.cls, len(self.classes))
            mine[k.cls].append(i)
            needs = set()
            for week, q in k.sides:
                path = f"alternates[{i}].{'odd' if week == 1 else 'even'}"
                check_index(path, q, len(self.requirements))
                r = self.requirements[q]
                who = f"{self.classes[r.cls].name}:{self.subjects[r.subject].name}"
                if r.cls != k.cls:
                    raise InputError(path, who, f"不是 {self.classes[k.cls].name} 的课 — a "
                                                f"requirement of another class")
                if self.subjects[r.subject].is_pe:
                    raise InputError(path, who, "体育课不能单双周：每天校内体育活动和体育课时"
                                                "按每周计 — PE cannot alternate: the daily "
                                                "physical activity rules need it every week")
                if (r.cls, r.subject) in self.combined_of:
                    raise InputError(path, who, "合班的课不能单双周 a combined lesson (合班) "
                                                "cannot alternate")
                if (r.cls, r.subject) in self.split_of:
                    raise InputError(path, who, "分组的课不能单双周 a split lesson (分组) cannot "
                                                "alternate")
                if (r.cls, r.subject) in self.block_of:
                    raise InputError(path, who, "走班的课不能单双周 a 走班 block's lesson cannot "
                                                "alternate")
                count[q][week - 1] += 1
                if (need := self.venue_kind(r)) is not None:
                    needs.add(need)
            if len(needs) > 1:
                raise InputError(f"alternates[{i}]", "、".join(sorted(needs)),
                                 "单周和双周需要不同的场地 the two weeks need different venue "
                                 "kinds: not supported yet")
        for q, r in enumerate(self.requirements):
            if r.biweekly != sum(count[q]):
                raise InputError(f"requirements[{q}].biweekly", r.biweekly,
                                 f"单双周的课在 alternates 中出现 {sum(count[q])} 次 — the "
                                 f"alternates name it {sum(count[q])} time(s), one period "
                                 f"every other week each")
        object.__setattr__(self, "alternates_of_class", tuple(tuple(x) for x in mine))
        object.__setattr__(self, "alternate_count", tuple((a, b) for a, b in count))

    def week_periods(self, q: int, week: int | None = None) -> int:
        """Requirement ``q``'s periods in ``week`` of the cycle (1 单周, 2 双周): its weekly
        periods plus its alternate slots on that side; ``None``: the weekly ones only."""
        r = self.requirements[q]
        return r.periods if week is None else r.periods + self.alternate_count[q][week - 1]

    def class_week_periods(self, cls: int, week: int | None = None) -> int:
        """A class's periods in ``week`` of the cycle (every requirement's
        :meth:`week_periods`); ``None``: the lessons held every week only."""
        return sum(self.week_periods(q, week) for q in self.requirements_of_class[cls])

    def _check_group(self, path: str, name: str, subject: int, teacher: int, lead: int,
                     names: set[str], teachers: set[int]) -> None:
        """One group of a split lesson or 走班 block: known subject and teacher, a name not
        given before, a teacher not in another group at once, who teaches the subject, and
        PE exactly when the ``lead`` subject is; ``names`` and ``teachers`` take it in."""
        check_index(f"{path}.subject", subject, len(self.subjects))
        check_index(f"{path}.teacher", teacher, len(self.teachers))
        tname = self.teachers[teacher].name
        if not name or name in names:
            raise InputError(path, name, "组名为空或重复 a group name is empty or given twice")
        names.add(name)
        if teacher in teachers:
            raise InputError(f"{path}.teacher", tname, "一位教师不能同时教两组 one teacher "
                                                       "cannot teach two groups at once")
        teachers.add(teacher)
        taught = self.teachers[teacher].subjects
        if taught and subject not in taught:
            raise InputError(f"{path}.teacher", tname, f"does not teach {self.subjects[subject].name}")
        if self.subjects[subject].is_pe != self.subjects[lead].is_pe:
            raise InputError(f"{path}.subject", self.subjects[subject].name,
                             "各组须都是体育或都不是 the groups are all PE or none")

    def split_need(self, k: int, j: int) -> str | None:
        """The venue kind group ``j`` of split ``k`` needs: the split's ``venue_kind``, else
        (first group) the requirement's, else its subject's."""
        split = self.splits[k]
        if split.venue_kind is not None:
            return split.venue_kind
        if j == 0:
            return self.venue_kind(self.requirements[split.requirement])
        return self.subjects[split.groups[j].subject].venue_kind

    def _index_combined(self) -> None:
        """Check the combined lessons: members of distinct classes of one bell schedule,
        with the lesson's teacher, equal periods and doubles, all PE or none, one venue."""
        found: dict[tuple[int, int], int] = {}
        object.__setattr__(self, "combined_of", found)
        kinds = {v.kind for v in self.venues}
        for i, k in enumerate(self.combined):
            check_index(f"combined[{i}].teacher", k.teacher, len(self.teachers))
            first: Requirement | None = None
            for j, q in enumerate(k.members):
                path = f"combined[{i}].members[{j}]"
                check_index(path, q, len(self.requirements))
                r = self.requirements[q]
                who = f"{self.classes[r.cls].name}:{self.subjects[r.subject].name}"
                if (r.cls, r.subject) in found:
                    raise InputError(path, who, f"已在合班 {self.combined[found[r.cls, r.subject]].name} "
                                                f"中 — already a member of another combined lesson")
                found[(r.cls, r.subject)] = i
                if r.teacher != k.teacher:
                    raise InputError(path, who, f"该课任课教师是 {self.teachers[r.teacher].name}，"
                                                f"不是合班教师 {self.teachers[k.teacher].name} — its "
                                                f"requirement names another teacher")
                if first is None:
                    first = r
                    continue
                if r.cls in {self.requirements[m].cls for m in k.members[:j]}:
                    raise InputError(path, who, "同一个班出现两次 the class is a member twice")
                for what, mine, theirs in (
                        ("periods", r.periods, first.periods), ("doubles", r.doubles, first.doubles),
                        ("schedule", self.classes[r.cls].schedule, self.classes[first.cls].schedule),
                        ("pe", self.subjects[r.subject].is_pe, self.subjects[first.subject].is_pe)):
                    if mine != theirs:
                        raise InputError(path, who, f"{what} {mine!r} 与第一个成员不同 differs from "
                                                    f"the first member's ({theirs!r})")
            if k.venue_kind is not None and k.venue_kind not in kinds:
                raise InputError(f"combined[{i}].venue_kind", k.venue_kind,
                                 "no venue of that kind in the school")
            needs = {self.venue_kind(self.requirements[q]) for q in k.members}
            if len(needs) > 1:
                raise InputError(f"combined[{i}].venue_kind", "",
                                 f"成员需要不同的场地 the members need different venue kinds "
                                 f"({', '.join(sorted(str(n) for n in needs))}): give venue_kind")

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

    def _index_slots(self) -> None:
        """Check the fixed and forbidden periods and resolve them per requirement.

        A fixed period the class does not have, more fixed periods than the requirement
        has lessons, a fixed period that is also forbidden, and two requirements of one
        class fixed to the same period are refused: no timetable could mean them.
        """
        for i, subject in enumerate(self.subjects):
            for j, spec in enumerate(subject.forbidden):
                if spec.day is not None:
                    check_index(f"subjects[{i}].forbidden[{j}].day", spec.day, len(self.days))
        fixed: list[tuple[tuple[int, int], ...]] = []
        forbidden: list[frozenset[tuple[int, int]]] = []
        taken: dict[tuple[int, int, int], int] = {}   # (class, day, period) -> requirement
        for i, r in enumerate(self.requirements):
            for field_name in ("fixed", "forbidden"):
                for j, spec in enumerate(getattr(r, field_name)):
                    if spec.day is not None:
                        check_index(f"requirements[{i}].{field_name}[{j}].day", spec.day,
                                    len(self.days))
            banned = self.forbidden_of(r.cls, r.subject, r)
            cls = self.classes[r.cls]
            mine: list[tuple[int, int]] = []
            for j, spec in enumerate(r.fixed):
                text = spec.text(self.days)
                for d, p in self._resolve(spec, r.cls, f"requirements[{i}].fixed[{j}]"):
                    where = f"{self.days[d]}第{p + 1}节"
                    if (d, p) in banned:
                        raise InputError(f"requirements[{i}].fixed[{j}]", text,
                                         f"{where} 又是禁排时段 is also a forbidden period of "
                                         f"{self.subjects[r.subject].name}")
                    other = taken.get((r.cls, d, p))
                    if other is not None and other != i:
                        name = self.subjects[self.requirements[other].subject].name
                        raise InputError(f"requirements[{i}].fixed[{j}]", text,
                                         f"{cls.name} {where} 已固定为 {name} — {cls.name} has "
                                         f"{name} fixed in that period already")
                    taken[(r.cls, d, p)] = i
                    if (d, p) not in mine:
                        mine.append((d, p))
            if len(mine) > r.periods:
                every = ("（单双周的课不能固定 lessons every other week cannot be fixed）"
                         if r.biweekly else "")
                raise InputError(f"requirements[{i}].fixed", len(mine),
                                 f"固定 {len(mine)} 个时段，但每周只有 {r.periods} 节{every} — more "
                                 f"fixed periods than the {r.periods} lessons held every week")
            fixed.append(tuple(sorted(mine)))
            forbidden.append(banned)
        object.__setattr__(self, "fixed_periods", tuple(fixed))
        object.__setattr__(self, "forbidden_periods", tuple(forbidden))

    def _resolve(self, spec: SlotSpec, cls: int, where: str | None = None
                 ) -> list[tuple[int, int]]:
        """The (day, period) pairs ``spec`` names for class ``cls``; with ``where``, a
        named period the class does not have is an :class:`InputError` there."""
        out = []
        for d in range(len(self.days)) if spec.day is None else (spec.day,):
            periods, outside = spec.on(self.day_of(cls, d), self.usable_periods(cls, d))
            if outside and where is not None and spec.day is not None:
                raise InputError(where, spec.text(self.days),
                                 f"{self.classes[cls].name} {self.days[d]}没有这一节 — class "
                                 f"{self.classes[cls].name} has no such period that day "
                                 f"({self.usable_periods(cls, d)} periods)")
            out.extend((d, p) for p in periods)
        if not out and where is not None:
            raise InputError(where, spec.text(self.days),
                             f"{self.classes[cls].name} 没有这一节 — class "
                             f"{self.classes[cls].name} has no such period")
        return out

    def forbidden_of(self, cls: int, subject: int, req: Requirement | None = None
                     ) -> frozenset[tuple[int, int]]:
        """The (day, period) pairs where class ``cls`` may not have ``subject``: the
        subject's own forbidden periods and those of the requirement ``req``."""
        specs = self.subjects[subject].forbidden + (req.forbidden if req is not None else ())
        return frozenset(x for spec in specs for x in self._resolve(spec, cls))

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
        return most_used_schedule(self.classes[self.requirements[q].cls].schedule
                                  for q in self.requirements_of_teacher[teacher])

    def unavailable_of(self, teacher: int) -> tuple[Unavailable, ...]:
        """A teacher's effective unavailability: their own stretches, then their meetings."""
        return self.teachers[teacher].unavailable + tuple(u for _, u in self.meeting_times[teacher])

    def venue_kind(self, req: Requirement) -> str | None:
        """The venue kind a requirement's lessons need: its combined lesson's, its own, or
        its subject's."""
        k = self.combined_of.get((req.cls, req.subject)) if hasattr(self, "combined_of") else None
        if k is not None and self.combined[k].venue_kind is not None:
            return self.combined[k].venue_kind
        return req.venue_kind if req.venue_kind is not None else self.subjects[req.subject].venue_kind

    def members_with(self, cls: int, subject: int) -> tuple[int, ...]:
        """The requirements placed together with class ``cls``'s ``subject``: the members
        of its combined lesson (合班) or 走班 block, else its own requirement alone (no
        requirement: none)."""
        k = self.combined_of.get((cls, subject))
        if k is not None:
            return self.combined[k].members
        b = self.block_of.get((cls, subject))
        if b is not None:
            return self.blocks[b].members
        return tuple(q for q in self.requirements_of_class[cls]
                     if self.requirements[q].subject == subject)

    def combined_lead(self, cls: int, subject: int) -> bool:
        """Whether (class, subject) is a requirement of its own or the first member of a
        combined lesson or 走班 block: the lessons the per-lesson soft rules count (a
        combined lesson or block counts once, as its one core activity does)."""
        k = self.combined_of.get((cls, subject))
        b = self.block_of.get((cls, subject))
        if k is None and b is None:
            return True
        members = self.combined[k].members if k is not None else self.blocks[b].members
        r = self.requirements[members[0]]
        return (r.cls, r.subject) == (cls, subject)

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
