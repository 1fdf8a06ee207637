"""Homework quotas (作业总量统筹): the plan, its metrics, and homework-log audit records.

A :class:`HomeworkPlan` gives, for every class, day and subject, the minutes of
written homework (the average pupil's completion time) a subject may set that
evening, and for grades 1–2, which get no written homework, the minutes of oral or
practical homework (口头/实践作业) instead. Days are the school's days, plus a weekend
bucket (``周末``) when the profile controls weekends. Entities are referred to by
index; names are kept for people.

Eligibility (homework is set in class, seed 003): a subject may set homework for a
class on a school day only if it is taught to that class that day and it is a
written-homework subject (:attr:`Subject.homework`). The weekend bucket is eligible
for the subjects taught on the last school day (Friday's lessons set the weekend's
homework). ``no_noon_homework`` is a publication note: jianfu plans evening homework
only, so nothing is ever planned at noon. Oral work of grades 1–2 follows the same
rule (:func:`oral_cell`); jianfu plans it for the written-homework subjects only.

This module imports neither numba nor ortools.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from .errors import InputError, check_index
from .school import School
from .timetable import Timetable
from .violation import Violation

#: Label of the weekend bucket in plans, tables and audits.
WEEKEND = "周末"
#: Homework minutes are published on this grid.
GRID_MINUTES = 5
#: The two kinds of homework, as written in quota and log files (column ``kind``).
WRITTEN = "书面"
ORAL = "口头"
#: Grades that get oral/practical homework instead of written homework (双减).
LOWER_GRADES = (1, 2)


@dataclass(frozen=True, slots=True, order=True)
class HomeworkEntry:
    """``minutes`` of ``subject`` homework for class ``cls`` on day ``day`` (indices)."""

    cls: int
    day: int
    subject: int
    minutes: int


@dataclass(frozen=True, slots=True, order=True)
class TargetRow:
    """Weekly target of a class-subject, what the plan gives, and the most caps allow.

    ``capacity`` is the sum over eligible days of the cell bounds (subject cap and
    daily cap); a target above it cannot be met and is reduced in the plan.
    """

    cls: int
    subject: int
    target: float
    planned: int
    capacity: float

    @property
    def shortfall(self) -> float:
        return max(0.0, self.target - self.planned)

    @property
    def infeasible(self) -> bool:
        return self.target > self.capacity + 1e-9


@dataclass(frozen=True, slots=True)
class HomeworkMetrics:
    """How balanced a plan is. Loads are per class and school day (weekend excluded).

    ``spread`` is the largest max−min of a class's school-day loads; ``load_std`` the
    mean over classes of the standard deviation of its school-day loads;
    ``grade_uniformity`` the mean, over (grade group, day, subject) cells with ≥ 2
    eligible parallel classes, of the standard deviation of their minutes.
    ``objective`` is the continuous optimum before rounding; ``rounding_total`` and
    ``rounding_max`` say how far rounding to the 5-minute grid moved the minutes.
    """

    objective: float
    max_daily_load: int
    spread: int
    mean_spread: float
    load_std: float
    target_deviation: float
    target_shortfall: float
    reduced_targets: int
    grade_uniformity: float
    rounding_total: float
    rounding_max: float
    iterations: int
    kernel_seconds: float

    def rows(self, technical: bool = True) -> list[tuple[str, str]]:
        """``(label, value)`` rows for a summary table (Chinese with English); without
        ``technical``, only what a 教务处 clerk reads (no objective, rounding or kernel
        iterations)."""
        rows = [
            ("目标函数 objective", f"{self.objective:.1f}"),
            ("最大日作业量 max daily load (min)", str(self.max_daily_load)),
            ("日作业量极差 spread max−min (min)", f"{self.spread} (mean {self.mean_spread:.1f})"),
            ("日作业量标准差 load std (min)", f"{self.load_std:.2f}"),
            ("偏离目标 deviation from targets (min)", f"{self.target_deviation:.1f}"),
            ("未达目标 target shortfall (min)", f"{self.target_shortfall:.1f}"),
            ("超出上限而削减的目标 targets reduced", str(self.reduced_targets)),
            ("平行班一致性 grade uniformity (std, min)", f"{self.grade_uniformity:.2f}"),
            ("取整变化 rounding total / max cell (min)",
             f"{self.rounding_total:.1f} / {self.rounding_max:.2f}"),
            ("迭代 iterations / kernel s", f"{self.iterations} / {self.kernel_seconds:.4f}"),
        ]
        if technical:
            return rows
        hidden = ("目标函数", "取整变化", "迭代")
        return [r for r in rows if not r[0].startswith(hidden)]


@dataclass(frozen=True, slots=True)
class HomeworkPlan:
    """A week of homework quotas for the classes of one school.

    ``days`` are the school's day names, plus :data:`WEEKEND` last when ``weekend``.
    ``entries`` hold the non-zero written minutes, sorted; ``targets`` one row per
    class-subject that has a written target or planned minutes; ``oral`` the non-zero
    oral/practical minutes (grades 1–2), sorted.
    """

    school: str
    profile: str
    days: tuple[str, ...]
    weekend: bool
    classes: tuple[str, ...]
    subjects: tuple[str, ...]
    entries: tuple[HomeworkEntry, ...]
    targets: tuple[TargetRow, ...]
    metrics: HomeworkMetrics
    oral: tuple[HomeworkEntry, ...] = ()
    minutes_of: Mapping[tuple[int, int, int], int] = field(init=False, repr=False, compare=False)
    oral_of: Mapping[tuple[int, int, int], int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.weekend and (not self.days or self.days[-1] != WEEKEND):
            raise InputError("days", list(self.days), f"the weekend bucket {WEEKEND!r} must come last")
        for attr, lookup in (("entries", "minutes_of"), ("oral", "oral_of")):
            entries = tuple(sorted(getattr(self, attr)))
            object.__setattr__(self, attr, entries)
            object.__setattr__(self, lookup, self._index(attr, entries))

    def _index(self, attr: str, entries: tuple[HomeworkEntry, ...]
               ) -> dict[tuple[int, int, int], int]:
        seen: dict[tuple[int, int, int], int] = {}
        for i, e in enumerate(entries):
            for name, value, size in (("cls", e.cls, len(self.classes)),
                                      ("day", e.day, len(self.days)),
                                      ("subject", e.subject, len(self.subjects))):
                check_index(f"{attr}[{i}].{name}", value, size)
            if not isinstance(e.minutes, (int, np.integer)):
                raise InputError(f"{attr}[{i}].minutes", e.minutes, "whole minutes")
            key = (e.cls, e.day, e.subject)
            if key in seen:
                raise InputError(f"{attr}[{i}]", key, "class, day and subject listed twice")
            seen[key] = int(e.minutes)
        return seen

    @property
    def school_days(self) -> int:
        """Number of school days (the weekend bucket excluded)."""
        return len(self.days) - (1 if self.weekend else 0)

    def minutes(self, cls: int, day: int, subject: int) -> int:
        return self.minutes_of.get((cls, day, subject), 0)

    def load(self, cls: int, day: int) -> int:
        """Total minutes of class ``cls`` on ``day``."""
        return sum(e.minutes for e in self.entries if e.cls == cls and e.day == day)

    def oral_minutes(self, cls: int, day: int, subject: int) -> int:
        return self.oral_of.get((cls, day, subject), 0)

    def oral_load(self, cls: int, day: int) -> int:
        """Total oral/practical minutes of class ``cls`` on ``day``."""
        return sum(e.minutes for e in self.oral if e.cls == cls and e.day == day)

    def array(self) -> np.ndarray:
        """Written minutes as an int array ``[class, day, subject]``."""
        return self._array(self.entries)

    def oral_array(self) -> np.ndarray:
        """Oral/practical minutes as an int array ``[class, day, subject]``."""
        return self._array(self.oral)

    def _array(self, entries: tuple[HomeworkEntry, ...]) -> np.ndarray:
        out = np.zeros((len(self.classes), len(self.days), len(self.subjects)), dtype=np.int64)
        for e in entries:
            out[e.cls, e.day, e.subject] = e.minutes
        return out

    def rows(self) -> list[tuple[str, str, str, int]]:
        """Tidy rows ``(class, day, subject, minutes)`` of the non-zero written entries."""
        return [(self.classes[e.cls], self.days[e.day], self.subjects[e.subject], e.minutes)
                for e in self.entries]

    def oral_rows(self) -> list[tuple[str, str, str, int]]:
        """Tidy rows ``(class, day, subject, minutes)`` of the non-zero oral entries."""
        return [(self.classes[e.cls], self.days[e.day], self.subjects[e.subject], e.minutes)
                for e in self.oral]

    def quota_rows(self) -> list[tuple[str, str, str, int, str]]:
        """Rows ``(class, day, subject, minutes, kind)`` of a quotas file: the written
        entries (kind :data:`WRITTEN`), then the oral ones (:data:`ORAL`)."""
        return ([r + (WRITTEN,) for r in self.rows()]
                + [r + (ORAL,) for r in self.oral_rows()])


# --- eligibility, shared by the planner and the checker --------------------------------

def taught_cells(school: School, timetable: Timetable) -> frozenset[tuple[int, int, int]]:
    """``(class, day, subject)`` triples with at least one lesson in the timetable."""
    del school
    return frozenset((lesson.cls, lesson.day, lesson.subject) for lesson in timetable.lessons)


def eligible_cell(school: School, taught: frozenset[tuple[int, int, int]], cls: int, day: int,
                  subject: int, weekend: bool) -> bool:
    """Whether ``subject`` may set written homework for ``cls`` on plan day ``day``.

    Day ``len(school.days)`` is the weekend bucket (when ``weekend``): eligible for the
    subjects taught on the last school day.
    """
    if not school.subjects[subject].homework:
        return False
    n_days = len(school.days)
    if weekend and day == n_days:
        return (cls, n_days - 1, subject) in taught
    return day < n_days and (cls, day, subject) in taught


def oral_cell(school: School, taught: frozenset[tuple[int, int, int]], cls: int, day: int,
              subject: int, weekend: bool) -> bool:
    """Whether ``subject`` may set oral/practical homework for ``cls`` on plan day ``day``.

    Only classes of grades 1–2, and only on a day the subject is taught to the class
    (the weekend bucket: taught on the last school day), as for written homework. Any
    subject may (朗读 in 语文, 口算 in 数学, a song in 音乐); the planner uses the
    written-homework subjects only.
    """
    if school.classes[cls].grade not in LOWER_GRADES:
        return False
    n_days = len(school.days)
    if weekend and day == n_days:
        return (cls, n_days - 1, subject) in taught
    return day < n_days and (cls, day, subject) in taught


def plan_days(school: School, weekend: bool) -> tuple[str, ...]:
    """The plan's day labels: the school days, then :data:`WEEKEND` when ``weekend``."""
    return tuple(school.days) + ((WEEKEND,) if weekend else ())


# --- homework log audit records ---------------------------------------------------------

@dataclass(frozen=True, slots=True)
class LogRow:
    """One reported homework: ``minutes`` of ``subject`` for ``cls`` on ``date``.

    ``row`` is the line of the log file (the header is line 1), for messages; ``oral``
    marks oral/practical homework (口头/实践作业), otherwise it is written (书面).
    """

    date: dt.date
    cls: int
    subject: int
    minutes: float
    row: int = 0
    oral: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.date, dt.date):
            raise InputError(f"row {self.row}.date", self.date, "a date (YYYY-MM-DD)")
        if self.minutes < 0:
            raise InputError(f"row {self.row}.minutes", self.minutes, "minutes must be ≥ 0")


@dataclass(frozen=True, slots=True, order=True)
class AuditDay:
    """A class's reported total for one evening (or weekend) against its cap.

    ``label`` is the ISO date, or ``YYYY-Www 周末`` for a weekend bucket; ``day`` is the
    school-day index, or ``None`` for the weekend. ``minutes`` and ``subjects`` are the
    written homework; ``oral`` and ``oral_subjects`` the oral/practical homework.
    """

    cls: int
    label: str
    day: int | None
    grade: int
    minutes: float
    cap: int
    subjects: tuple[str, ...] = ()
    oral: float = 0.0
    oral_subjects: tuple[str, ...] = ()

    @property
    def over(self) -> float:
        return max(0.0, self.minutes - self.cap)


@dataclass(frozen=True, slots=True)
class AuditResult:
    """Every audited class-evening, the over-cap ones, counts by class and grade, and
    the grade 1–2 rule violations (written homework, oral limit, oral subjects, oral
    work on a day the subject is not taught; the last only with a timetable)."""

    school: str
    profile: str
    days: tuple[AuditDay, ...]
    over_cap: tuple[AuditDay, ...]
    by_class: tuple[tuple[str, int, int], ...]     # (class, evenings, over-cap evenings)
    by_grade: tuple[tuple[int, int, int], ...]     # (grade, evenings, over-cap evenings)
    violations: tuple[Violation, ...] = ()
    taught_checked: bool = False                   # a timetable was given
    oral_unchecked: int = 0                        # oral rows of grades 3–9 (no cap applies)

    @property
    def ok(self) -> bool:
        return not self.over_cap and not any(v.hard for v in self.violations)
