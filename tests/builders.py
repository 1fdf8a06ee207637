"""The one builder of hand-made mini schools, policies and timetables for the tests
(names in, indices out), and the check every solver test runs on its answer.

The homework tests build on the built-in curriculum instead: ``homework_school`` and
``round_robin_timetable``.

Importable as ``builders`` from every test directory: ``tests/conftest.py`` puts
``tests/`` on ``sys.path``.

The default school day (``make_day()``), 40-minute periods::

    P1 08:30–09:10  break  P2 09:20–10:00  大课间 10:00–10:30  P3 10:30–11:10  break
    P4 11:20–12:00  lunch 12:00–14:00  P5 14:00–14:40  break  P6 14:50–15:30
    break  课外活动 15:40–16:40
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from jianfu.instances.curriculum import SUBJECTS as CURRICULUM_SUBJECTS
from jianfu.instances.curriculum import weekly_periods
from jianfu.models.checker import CheckSummary, check, summarize
from jianfu.models.policy import NATIONAL, Policy, load_policy, parse_clock
from jianfu.models.school import (
    Alternate,
    BellSchedule,
    Category,
    DaySchedule,
    Requirement,
    School,
    SchoolClass,
    Segment,
    SegmentKind,
    Subject,
    Teacher,
    Venue,
)
from jianfu.models.timetable import Lesson, Session, Timetable

K = SegmentKind
DAYS = ("周一", "周二", "周三", "周四", "周五")

SUBJECTS = (
    Subject("语文", "Chinese", Category.MAIN),
    Subject("数学", "Mathematics", Category.MAIN),
    Subject("体育", "PE", Category.PE, venue_kind="ground"),
    Subject("音乐", "Music", Category.ARTS, venue_kind="music"),
    Subject("美术", "Art", Category.ARTS),
    Subject("科学", "Science", Category.SCIENCE),
)

#: The weights ``fit_policy(zero=True)`` sets to 0 (the timetable's soft rules).
ZEROED_WEIGHTS = ("main_morning", "subject_once_daily", "pe_placement", "teacher_gaps",
                  "teacher_consecutive", "parallel_step", "spread")


def make_day(periods: int = 6, *, start: str = "08:30", length: int = 40, gap: int = 10,
             long_break_after: int | None = 2, long_minutes: int = 30,
             lunch_after: int | None = 4, lunch_minutes: int = 120,
             activity_minutes: int | None = 60,
             self_study: tuple[str, str] | None = None) -> DaySchedule:
    """A day of ``periods`` lessons with a long break, lunch and an activity slot."""
    segs: list[Segment] = []
    if self_study is not None:
        segs.append(Segment(K.SELF_STUDY, parse_clock(self_study[0]), parse_clock(self_study[1])))
    t = parse_clock(start)
    for p in range(1, periods + 1):
        segs.append(Segment(K.LESSON, t, t + length))
        t += length
        if p == periods:
            break
        if p == long_break_after:
            segs.append(Segment(K.LONG_BREAK, t, t + long_minutes))
            t += long_minutes
        elif p == lunch_after:
            segs.append(Segment(K.LUNCH, t, t + lunch_minutes))
            t += lunch_minutes
        elif gap > 0:
            segs.append(Segment(K.BREAK, t, t + gap))
            t += gap
    if activity_minutes:
        t += 10
        segs.append(Segment(K.ACTIVITY, t, t + activity_minutes))
    return DaySchedule(tuple(segs))


def make_schedule(name: str = "作息", days: int = 2, **day_kwargs: Any) -> BellSchedule:
    """A bell schedule of ``days`` identical days, each ``make_day(**day_kwargs)``."""
    return BellSchedule(name, tuple(make_day(**day_kwargs) for _ in range(days)))


def mini_school(classes: Sequence[tuple], requirements: Sequence[tuple], *,
                days: int = 2, schedules: Sequence[BellSchedule] | None = None,
                teachers: Sequence[Teacher | str] = (),
                venues: Sequence[Venue] = (Venue("操场", "ground", 2), Venue("音乐教室", "music")),
                subjects: Sequence[Subject] = SUBJECTS,
                alternates: Sequence[tuple[str, str | None, str | None]] = (),
                **day_kwargs: Any) -> School:
    """Build a school from names.

    ``classes``: ``(name, grade)`` or ``(name, grade, schedule index[, periods_per_day])``.
    ``requirements``: ``(class, subject, teacher, periods[, doubles[, venue_kind]])``;
    teachers named there are created unless given in ``teachers``. Without
    ``schedules`` there is one bell schedule, ``make_schedule(days=days, **day_kwargs)``.
    ``alternates``: 单双周 slots ``(class, odd subject, even subject)`` (either ``None``);
    ``periods`` are then per week on average, as in a school file (1.5: one every week
    and one of the alternates' sides).
    """
    if schedules and day_kwargs:
        raise TypeError(f"day shape {sorted(day_kwargs)} given with explicit schedules")
    day_names = DAYS[:days]
    scheds = tuple(schedules) if schedules else (make_schedule(days=days, **day_kwargs),)
    given = {t.name if isinstance(t, Teacher) else t: t for t in teachers}
    for r in requirements:
        given.setdefault(r[2], r[2])
    teacher_list = tuple(t if isinstance(t, Teacher) else Teacher(t) for t in given.values())
    cls_list = tuple(SchoolClass(c[0], c[1], c[2] if len(c) > 2 else 0,
                                 tuple(c[3]) if len(c) > 3 else None) for c in classes)
    cidx = {c.name: i for i, c in enumerate(cls_list)}
    sidx = {s.name: i for i, s in enumerate(subjects)}
    tidx = {t.name: i for i, t in enumerate(teacher_list)}
    qidx = {(cidx[r[0]], sidx[r[1]]): q for q, r in enumerate(requirements)}
    alts = tuple(Alternate(cidx[c], *(None if s is None else qidx[(cidx[c], sidx[s])]
                                      for s in (odd, even))) for c, odd, even in alternates)
    sides = [sum(q in (k.odd, k.even) for k in alts) for q in range(len(requirements))]
    reqs = tuple(Requirement(cidx[r[0]], sidx[r[1]], tidx[r[2]], int(r[3] - sides[q] / 2),
                             r[4] if len(r) > 4 else 0, r[5] if len(r) > 5 else None,
                             biweekly=sides[q])
                 for q, r in enumerate(requirements))
    return School("测试学校", day_names, scheds, tuple(subjects), cls_list, teacher_list,
                  tuple(venues), reqs, alternates=alts)


def homework_school(grades: tuple[int, ...] = (3, 3, 7), profile: str = "national",
                    overrides: tuple = ()) -> School:
    """A school on the built-in curriculum, for the homework tests.

    Parameters
    ----------
    grades
        One class per entry, of that grade, named ``3年级1班``, ``3年级2班``, ...
    profile
        The policy profile whose weekly periods each class follows.
    overrides
        The school's ``policy_overrides``.

    Returns
    -------
    School
        Five days of seven periods from 08:20, one teacher per class teaching all its
        subjects, and ten places in a venue of every kind the curriculum needs.
    """
    policy = load_policy(profile)
    classes = []
    counter: dict[int, int] = {}
    for g in grades:
        counter[g] = counter.get(g, 0) + 1
        classes.append(SchoolClass(f"{g}年级{counter[g]}班", g))
    index = {s.name: i for i, s in enumerate(CURRICULUM_SUBJECTS)}
    teachers = tuple(Teacher(f"老师{i + 1}") for i in range(len(classes)))
    reqs = []
    for c, sc in enumerate(classes):
        for name, periods in weekly_periods(sc.grade, policy).items():
            reqs.append(Requirement(c, index[name], c, periods))
    day = make_day(7, start="08:20", activity_minutes=None)
    venue_kinds = sorted({s.venue_kind for s in CURRICULUM_SUBJECTS if s.venue_kind})
    return School(
        name="小测试学校", days=DAYS, schedules=(BellSchedule("默认", tuple(day for _ in DAYS)),),
        subjects=CURRICULUM_SUBJECTS, classes=tuple(classes), teachers=teachers,
        venues=tuple(Venue(k, k, 10) for k in venue_kinds), requirements=tuple(reqs),
        profile=profile, policy_overrides=overrides)


def round_robin_timetable(school: School, offsets: Mapping[int, int] | None = None) -> Timetable:
    """A timetable spreading each subject's periods over consecutive days (mod the week).

    Parameters
    ----------
    school
        The school whose requirements are laid out, subject by subject, one period a day.
    offsets
        Class index -> the day its first period goes on (default 0).

    Returns
    -------
    Timetable
        Every requirement's periods exactly, each day filled from period 1; no venues.
    """
    offsets = offsets or {}
    lessons = []
    for c in range(len(school.classes)):
        used = [0] * len(school.days)
        i = offsets.get(c, 0)
        for r in sorted((school.requirements[k] for k in school.requirements_of_class[c]),
                        key=lambda r: r.subject):
            for _ in range(r.periods):
                d = i % len(school.days)
                lessons.append(Lesson(c, d, used[d], r.subject, r.teacher))
                used[d] += 1
                i += 1
    return Timetable(tuple(lessons))


def fit_policy(school: School, base: Policy = NATIONAL, *, zero: bool = False,
               weights: Mapping[str, float] | None = None, **changes: Any) -> Policy:
    """A policy whose weekly totals and PE minimum match the school's plan.

    Per grade: weekly periods = the first class's requirement total, PE minimum = the
    first class's planned PE; daily activity minimum 30 (the long break alone) unless
    changed; no curriculum, no 课后服务 or lunch minimum, the school's own period lengths
    and long breaks per bell schedule. ``zero=True`` sets the weights in :data:`ZEROED_WEIGHTS` to 0, so a solver
    test isolates one rule; ``weights`` then overrides single weights by name. Other
    numbers are ``base``'s.
    """
    weekly, pe = list(base.weekly_periods), list(base.pe_per_week)
    for g in school.grades:
        c = school.classes_of_grade(g)[0]
        reqs = [school.requirements[r] for r in school.requirements_of_class[c]]
        weekly[g - 1] = school.class_week_periods(c, 1 if school.alternates else None)
        pe[g - 1] = sum(r.periods for r in reqs if school.subjects[r.subject].is_pe)
    # the plan-level rules (curriculum, service, period length, one long break) fitted or
    # off: a mini school is not a full curriculum
    stage_minutes: dict[int, list[int]] = {0: [], 1: []}
    for c in school.classes:
        for day in school.schedules[c.schedule].days:
            stage_minutes[0 if c.grade <= 6 else 1] += [x.minutes for x in day.periods]
    lengths = tuple(min(v) if v else base.period_minutes[i] for i, v in stage_minutes.items())
    ranges = tuple((min(v), max(v)) if v else base.period_minutes_range[i]
                   for i, v in stage_minutes.items())
    w = base.weights
    if zero:
        w = dataclasses.replace(w, **{k: 0 for k in ZEROED_WEIGHTS})
    if weights:
        w = dataclasses.replace(w, **weights)
    values: dict[str, Any] = {"weekly_periods": tuple(weekly), "pe_per_week": tuple(pe),
                              "daily_activity_minutes": 30, "weights": w, "curriculum": (),
                              "service_minutes": 0, "min_lunch_minutes": 0,
                              "period_minutes": lengths, "period_minutes_range": ranges,
                              "long_break_common": False}
    values.update(changes)
    return dataclasses.replace(base, **values)


AUTO = object()


def lesson(school: School, cls: str, day: int | str, period: int, subject: str,
           teacher: str | None = None, venue: str | None | object = AUTO) -> Lesson:
    """A lesson by names; ``period`` is 1-based, ``day`` a name or 0-based index.

    The teacher defaults to the requirement's; the venue to the first venue of the kind
    the subject needs (``None`` when it needs none).
    """
    c, s = school.class_index[cls], school.subject_index[subject]
    d = school.days.index(day) if isinstance(day, str) else day
    if teacher is None:
        r = next(r for r in school.requirements if r.cls == c and r.subject == s)
        t = r.teacher
        need = school.venue_kind(r)
    else:
        t = school.teacher_index[teacher]
        need = school.subjects[s].venue_kind
    if venue is AUTO:
        v = school.venues_of_kind(need)[0] if need else None
    else:
        v = None if venue is None else school.venue_index[venue]  # type: ignore[index]
    return Lesson(c, d, period - 1, s, t, v)


def timetable(school: School, rows: Iterable[tuple], sessions: Iterable[tuple] = ()) -> Timetable:
    """Lessons ``(class, day, period, subject[, teacher[, venue]])``; sessions ``(class, day)``."""
    lessons = [lesson(school, *row) for row in rows]
    sess = []
    for s in sessions:
        d = school.days.index(s[1]) if isinstance(s[1], str) else s[1]
        v = school.venue_index[s[2]] if len(s) > 2 and s[2] is not None else None
        sess.append(Session(school.class_index[s[0]], d, v))
    return Timetable(tuple(lessons), tuple(sess))


def rules_of(violations: Iterable[Any], rule: str) -> list:
    """The violations of ``rule``."""
    return [v for v in violations if v.rule == rule]


def units(violations: Iterable[Any], rule: str) -> float:
    """The summed amount of the violations of ``rule``."""
    return sum(v.amount for v in violations if v.rule == rule)


def verified(school: School, policy: Policy, result: Any, kept: Any = None) -> CheckSummary:
    """Assert the checker finds no hard violation and agrees with every solver term."""
    assert result.timetable is not None, result.explanation
    violations = check(school, policy, result.timetable, kept=kept)
    summary = summarize(violations, policy)
    hard = [v.message for v in violations if v.hard]
    assert not hard, hard
    for rule, amount in result.terms.items():
        assert summary.terms[rule].units == amount, (rule, amount, summary.terms[rule])
    assert abs(summary.objective - result.objective) < 1e-6, (summary.objective, result.objective)
    assert result.bound <= result.objective + 1e-9, (result.bound, result.objective)
    return summary


def cli_refuses(tmp_path: Any, capsys: Any, data: dict, command: str) -> str:
    """Write ``data`` as ``school.yaml``, run ``jianfu check`` (with an empty timetable) or
    ``jianfu solve`` on it, assert bad input — exit 2, no traceback, no output folder —
    and return what was printed."""
    import json

    import yaml

    path = tmp_path / "school.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    tt = tmp_path / "tt.json"
    tt.write_text(json.dumps({"school": data["school"], "lessons": []}), encoding="utf-8")
    return cli_refuses_file(tmp_path, capsys, path, command, tt)


def cli_refuses_file(tmp_path: Any, capsys: Any, path: Any, command: str,
                     timetable: Any = None) -> str:
    """Run ``jianfu check`` (with ``timetable`` if given) or ``jianfu solve`` on the school
    file or workbook ``path``, assert bad input — exit 2, no traceback, no output folder —
    and return what was printed."""
    from jianfu.cli import main

    argv = ["check", str(path), *([str(timetable)] if timetable else [])] if command == "check" \
        else ["solve", str(path), "--time-limit", "1", "-o", str(tmp_path / "out")]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert not (tmp_path / "out").exists()
    return out + err
