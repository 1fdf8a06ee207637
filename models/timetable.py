"""The answer: a weekly timetable of lessons and after-class activity sessions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True, slots=True, order=True)
class Lesson:
    """Class ``cls`` has ``subject`` with ``teacher`` on ``day`` in lesson period ``period``.

    ``period`` is 0-based into the class's bell schedule periods of that day;
    ``venue`` is a venue index or ``None`` (the class's own room); ``group`` names the
    group of a split lesson (分组, ``School.splits``: 男生, A …) or is ``None`` for the
    whole class; ``week`` is ``None`` for a lesson held every week, or the week of the
    two-week cycle (单双周, ``School.alternates``) it is held in: 1 单周 (odd weeks), 2 双周
    (even weeks). ``cover`` marks a one-off cover lesson (代课) of a dated week: ``teacher``
    stands in for the assigned one (rule ``cover_teacher``).
    """

    cls: int
    day: int
    period: int
    subject: int
    teacher: int
    venue: int | None = None
    group: str | None = None
    week: int | None = None
    cover: bool = False


@dataclass(frozen=True, slots=True, order=True)
class Session:
    """An after-class physical activity session (课外体育活动) of ``cls`` on ``day``."""

    cls: int
    day: int
    venue: int | None = None


@dataclass(frozen=True, slots=True)
class Timetable:
    """A weekly timetable (or a two-week cycle, when lessons carry a ``week``). Lessons
    and sessions are kept sorted."""

    lessons: tuple[Lesson, ...]
    sessions: tuple[Session, ...] = ()
    by_class_slot: Mapping[tuple[int, int, int], tuple[Lesson, ...]] = field(
        init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # venue may be None: sort None before any index instead of comparing None with int
        object.__setattr__(self, "lessons", tuple(sorted(
            self.lessons, key=lambda x: (x.cls, x.day, x.period, x.subject, x.teacher,
                                         -1 if x.venue is None else x.venue,
                                         x.group or "", x.week or 0))))
        object.__setattr__(self, "sessions", tuple(sorted(
            self.sessions, key=lambda x: (x.cls, x.day, -1 if x.venue is None else x.venue))))
        grouped: dict[tuple[int, int, int], list[Lesson]] = defaultdict(list)
        for lesson in self.lessons:
            grouped[(lesson.cls, lesson.day, lesson.period)].append(lesson)
        object.__setattr__(self, "by_class_slot", {k: tuple(v) for k, v in grouped.items()})

    def at(self, cls: int, day: int, period: int) -> Lesson | None:
        found = self.by_class_slot.get((cls, day, period))
        return found[0] if found else None
