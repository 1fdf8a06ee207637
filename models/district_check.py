"""District checker: every school's rules plus the cross-school rules of 走教 teachers.

Cross-school rules (hard):

``itinerant_clash`` (走教冲突)
    An itinerant teacher teaches in at most one school per half-day. A lesson's
    half-day is its day (by name) and 上午 / 下午: afternoon when its period starts at or
    after the end of lunch in its class's bell schedule (``DaySchedule.afternoon``).
    One record per (teacher, day, half) with lessons in ``k ≥ 2`` schools, amount
    ``k − 1``.
``itinerant_load`` (走教总课时)
    An itinerant teacher's lessons over all their schools ≤ ``max_periods_per_week``.
    One record per teacher, amount = the excess.
``itinerant_missing`` (走教教师缺失)
    The teacher is listed for a school whose file has no teacher of that name.

Per school: the timetable checker (:func:`jianfu.models.checker.check`) and, when a
plan is given, the homework checker. A school without a timetable is a hard
``school_missing`` record; a school that could not be checked at all (its file or its
timetable does not read) is a hard ``school_not_checked`` record with the reason. This
module imports no solver.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Mapping, Protocol, Sequence

from .checker import check, summarize
from .errors import InputError
from .homework import HomeworkPlan
from .homework_check import check_homework
from .school import School
from .timetable import Timetable
from .violation import Violation

__all__ = ["HALVES", "ItinerantLike", "half_of", "half_day_cut", "halves_of_teacher",
           "check_itinerant_clash", "check_itinerant_load", "check_itinerant_missing",
           "check_district", "DistrictVerdict", "SchoolVerdict", "format_district_verdict"]

#: Names of the two half-days (上午, 下午), index 0 and 1.
HALVES = ("上午", "下午")
_HALVES_EN = ("morning", "afternoon")


class ItinerantLike(Protocol):
    """What the checker needs of an itinerant teacher (``instances.district.Itinerant``)."""

    name: str
    schools: tuple[str, ...]
    max_periods_per_week: int | None


def half_of(school: School, cls: int, day: int, period: int) -> int | None:
    """0 (上午) or 1 (下午) for a lesson of ``cls`` at ``(day, period)``; ``None`` when the
    period does not exist in the class's bell schedule that day."""
    sched = school.day_of(cls, day)
    if not 0 <= period < len(sched.periods):
        return None
    return 1 if sched.afternoon[period] else 0


def half_day_cut(school: School, day: int) -> int:
    """A minute of ``day`` separating every schedule's morning periods from its afternoon
    periods: unavailability ``[0, cut)`` blocks exactly the morning lessons of every
    class and ``[cut, 24:00)`` exactly the afternoon ones.

    Raises
    ------
    InputError
        When one schedule's morning runs past another's afternoon start.
    """
    morning_end, afternoon_start = 0, 24 * 60
    for sched in school.schedules:
        ds = sched.days[day]
        for p, seg in enumerate(ds.periods):
            if ds.afternoon[p]:
                afternoon_start = min(afternoon_start, seg.start)
            else:
                morning_end = max(morning_end, seg.end)
    if morning_end > afternoon_start:
        raise InputError(f"{school.name}: schedules", school.days[day],
                         "a bell schedule's morning overlaps another's afternoon; 上午/下午 "
                         "cannot be told apart for itinerant teachers")
    if afternoon_start < 24 * 60:
        return afternoon_start
    return morning_end or 12 * 60


def halves_of_teacher(school: School, timetable: Timetable, teacher: int
                      ) -> dict[tuple[str, int], int]:
    """``(day name, half) → lessons`` of ``teacher`` in ``timetable``."""
    out: dict[tuple[str, int], int] = defaultdict(int)
    for lesson in timetable.lessons:
        if lesson.teacher != teacher:
            continue
        half = half_of(school, lesson.cls, lesson.day, lesson.period)
        if half is not None:
            out[(school.days[lesson.day], half)] += 1
    return dict(out)


def check_itinerant_clash(itinerant: Sequence[ItinerantLike], schools: Mapping[str, School],
                          timetables: Mapping[str, Timetable]) -> list[Violation]:
    """Rule ``itinerant_clash``: one school per itinerant teacher and half-day."""
    out: list[Violation] = []
    for t in itinerant:
        where: dict[tuple[str, int], list[str]] = defaultdict(list)
        for name in t.schools:
            school, tt = schools.get(name), timetables.get(name)
            if school is None or tt is None or t.name not in school.teacher_index:
                continue
            for key in halves_of_teacher(school, tt, school.teacher_index[t.name]):
                where[key].append(name)
        for (day, half), names in sorted(where.items()):
            if len(names) < 2:
                continue
            out.append(Violation(
                "itinerant_clash", True,
                f"走教教师 {t.name} {day}{HALVES[half]} 同时在 {'、'.join(names)} 上课 — itinerant "
                f"teacher {t.name} teaches in {len(names)} schools on the same {day} "
                f"{_HALVES_EN[half]} ({', '.join(names)})",
                amount=len(names) - 1, teacher=t.name, day=day))
    return out


def check_itinerant_load(itinerant: Sequence[ItinerantLike], schools: Mapping[str, School],
                         timetables: Mapping[str, Timetable]) -> list[Violation]:
    """Rule ``itinerant_load``: lessons over all schools ≤ ``max_periods_per_week``."""
    out: list[Violation] = []
    for t in itinerant:
        if t.max_periods_per_week is None:
            continue
        total = 0
        for name in t.schools:
            school, tt = schools.get(name), timetables.get(name)
            if school is None or tt is None or t.name not in school.teacher_index:
                continue
            k = school.teacher_index[t.name]
            total += sum(1 for lesson in tt.lessons if lesson.teacher == k)
        if total > t.max_periods_per_week:
            out.append(Violation(
                "itinerant_load", True,
                f"走教教师 {t.name} 各校合计每周 {total} 节，超过上限 {t.max_periods_per_week} 节 — "
                f"itinerant teacher {t.name} teaches {total} periods a week over "
                f"{len(t.schools)} schools, above the cap {t.max_periods_per_week}",
                amount=total - t.max_periods_per_week, teacher=t.name))
    return out


def check_itinerant_missing(itinerant: Sequence[ItinerantLike], schools: Mapping[str, School]
                            ) -> list[Violation]:
    """Rule ``itinerant_missing``: the teacher exists in every school listed for them."""
    out = []
    for t in itinerant:
        for name in t.schools:
            school = schools.get(name)
            if school is not None and t.name not in school.teacher_index:
                out.append(Violation(
                    "itinerant_missing", True,
                    f"{name} 没有走教教师 {t.name} — school {name} has no teacher named {t.name}",
                    teacher=t.name))
    return out


@dataclass(frozen=True, slots=True)
class SchoolVerdict:
    """One school's verdict: timetable and homework violations (``None``: not checked).

    ``reason`` says why the school was not checked at all (its input error), else "".
    """

    name: str
    timetable: tuple[Violation, ...] | None
    homework: tuple[Violation, ...] | None
    objective: float | None = None
    reason: str = ""

    @property
    def hard(self) -> int:
        if self.timetable is None:
            return 1    # no timetable: the school is not compliant
        return (sum(1 for v in self.timetable if v.hard)
                + sum(1 for v in self.homework or () if v.hard))

    @property
    def missing(self) -> bool:
        return self.timetable is None

    @property
    def not_checked(self) -> bool:
        """The school's input could not be read: nothing of it was checked."""
        return bool(self.reason)


@dataclass(frozen=True, slots=True)
class DistrictVerdict:
    """The district verdict: per-school verdicts and cross-school violations."""

    schools: tuple[SchoolVerdict, ...]
    cross: tuple[Violation, ...]
    hard_by_rule: dict[str, int] = field(default_factory=dict)

    @property
    def hard(self) -> int:
        return sum(s.hard for s in self.schools) + sum(1 for v in self.cross if v.hard)

    @property
    def compliant(self) -> bool:
        return self.hard == 0


def check_district(itinerant: Sequence[ItinerantLike], schools: Mapping[str, School],
                   timetables: Mapping[str, Timetable | None],
                   plans: Mapping[str, HomeworkPlan | None] | None = None, *,
                   not_checked: Mapping[str, str] | None = None) -> DistrictVerdict:
    """Check every school and the cross-school rules.

    Parameters
    ----------
    itinerant
        The district's itinerant teachers.
    schools
        School name → school (each checked under ``school.policy()``).
    timetables
        School name → timetable, or ``None`` when the school has none (a hard
        ``school_missing`` record).
    plans
        School name → homework plan (checked against the timetable when given).
    not_checked
        School name → why it cannot be checked (a school file or timetable that does
        not read): one hard ``school_not_checked`` record each, after the ``schools``.
    """
    plans = plans or {}
    verdicts = []
    by_rule: dict[str, int] = defaultdict(int)
    for name, school in schools.items():
        tt = timetables.get(name)
        if tt is None:
            by_rule["school_missing"] += 1
            verdicts.append(SchoolVerdict(name, None, None))
            continue
        policy = school.policy()
        found = check(school, policy, tt)
        hw = None
        plan = plans.get(name)
        if plan is not None:
            hw = tuple(check_homework(school, policy, tt, plan))
        for v in found + list(hw or ()):
            if v.hard:
                by_rule[v.rule] += 1
        verdicts.append(SchoolVerdict(name, tuple(found), hw,
                                      summarize(found, policy).objective))
    for name, reason in (not_checked or {}).items():
        if name not in schools:
            by_rule["school_not_checked"] += 1
            verdicts.append(SchoolVerdict(name, None, None, reason=reason or "not checked"))
    present = {k: v for k, v in timetables.items() if v is not None}
    cross = (check_itinerant_missing(itinerant, schools)
             + check_itinerant_clash(itinerant, schools, present)
             + check_itinerant_load(itinerant, schools, present))
    for v in cross:
        by_rule[v.rule] += 1
    return DistrictVerdict(tuple(verdicts), tuple(cross), dict(by_rule))


def format_district_verdict(verdict: DistrictVerdict) -> str:
    """A readable report: one line per school, then cross-school violations, then totals."""
    lines = ["== 区域检查 District check =="]
    for s in verdict.schools:
        if s.not_checked:
            lines.append(f"  {s.name}: 未检查 not checked (school_not_checked) — {s.reason}")
            continue
        if s.missing:
            lines.append(f"  {s.name}: 缺少课表 no timetable (school_missing)")
            continue
        hw = "" if s.homework is None else f", homework hard {sum(1 for v in s.homework if v.hard)}"
        state = "合规 compliant" if s.hard == 0 else "不合规 NOT compliant"
        lines.append(f"  {s.name}: {state} — hard {s.hard}{hw}, soft penalty {s.objective}")
        for v in (s.timetable or ()) + (s.homework or ()):
            if v.hard:
                lines.append(f"    [{v.rule}] {v.message}")
    lines.append("跨校规则 cross-school rules:")
    if not verdict.cross:
        lines.append("  无冲突 no itinerant teacher double-booked, every load within its cap")
    for v in verdict.cross:
        lines.append(f"  [{v.rule}] {v.message}")
    n = len(verdict.schools)
    ok = sum(1 for s in verdict.schools if s.hard == 0)
    lines.append(f"合计 total: {ok}/{n} schools compliant, {verdict.hard} hard violation records"
                 + (" — 合规 COMPLIANT" if verdict.compliant else " — 不合规 NOT COMPLIANT"))
    return "\n".join(lines)
