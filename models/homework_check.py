"""The homework checker and the homework-log audit: the specification of a quota plan.

:func:`check_homework` runs one ``check_homework_<rule>()`` per rule over a
:class:`HomeworkPlan` and returns :class:`Violation` records (all hard). Every plan
jianfu writes passes it first. Rule ids:

===========================  ==========================================================
``homework_daily_cap``       a class's minutes on a school day ≤ the profile's cap for
                             its grade (the weekend bucket: the weekend cap)
``homework_eligibility``     minutes only for written-homework subjects, only on days the
                             subject is taught to the class (weekend: taught on the last
                             school day)
``homework_lower_grades``    grades 1–2: no written homework at all
``homework_subject_cap``     a subject's minutes in one evening ≤ its per-subject cap
``homework_evening``         where the profile has a subjects-per-evening rule: at most
                             ``max_subjects`` subjects a night, at most one from each
                             group (a subject outside every group is a group of its own)
``homework_grid``            minutes are ≥ 0 and on the 5-minute grid
===========================  ==========================================================

:func:`audit_log` checks a homework log (what was reported, date by date) against the
profile's caps: the over-quota publication of seed 003. It imports no solver.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Callable, Iterable, Sequence

from .homework import (GRID_MINUTES, WEEKEND, AuditDay, AuditResult, HomeworkPlan, LogRow,
                       eligible_cell, taught_cells)
from .policy import Policy
from .school import School
from .timetable import Timetable
from .violation import Violation

__all__ = [
    "HOMEWORK_RULES", "check_homework", "check_homework_daily_cap",
    "check_homework_eligibility", "check_homework_lower_grades", "check_homework_subject_cap",
    "check_homework_evening", "check_homework_grid", "format_homework_violations",
    "evening_groups",
    "audit_log", "format_audit",
]

HomeworkRule = Callable[[School, Policy, Timetable, HomeworkPlan], list[Violation]]


def _day_cap(policy: Policy, plan: HomeworkPlan, grade: int, day: int) -> int:
    weekend = plan.weekend and day == plan.school_days
    return policy.homework_cap(grade, weekend=weekend)


def _loads(plan: HomeworkPlan) -> dict[tuple[int, int], int]:
    loads: dict[tuple[int, int], int] = defaultdict(int)
    for e in plan.entries:
        loads[(e.cls, e.day)] += e.minutes
    return loads


def check_homework_daily_cap(school: School, policy: Policy, timetable: Timetable,
                             plan: HomeworkPlan) -> list[Violation]:
    """One violation per (class, day) whose total exceeds the daily cap; amount = excess."""
    del timetable
    out = []
    for (c, d), load in sorted(_loads(plan).items()):
        cap = _day_cap(policy, plan, school.classes[c].grade, d)
        if load > cap:
            out.append(Violation(
                "homework_daily_cap", True,
                f"{plan.classes[c]} {plan.days[d]} 书面作业 {load} 分钟, 超过上限 {cap} 分钟 "
                f"(written homework {load} min exceeds the daily cap {cap} min)",
                amount=load - cap, cls=plan.classes[c], day=plan.days[d]))
    return out


def check_homework_eligibility(school: School, policy: Policy, timetable: Timetable,
                               plan: HomeworkPlan) -> list[Violation]:
    """One violation per entry of a non-written subject or on a day it is not taught."""
    del policy
    taught = taught_cells(school, timetable)
    out = []
    for e in plan.entries:
        if e.minutes <= 0:
            continue
        if eligible_cell(school, taught, e.cls, e.day, e.subject, plan.weekend):
            continue
        subject = school.subjects[e.subject]
        if not subject.homework:
            why = f"{subject.name} 不布置书面作业 (sets no written homework)"
        elif plan.weekend and e.day == plan.school_days:
            why = (f"{subject.name} 在 {school.days[-1]} 没有课, 不能布置周末作业 "
                   f"(not taught on the last school day, so it sets no weekend homework)")
        else:
            why = (f"{subject.name} 当天没有课, 作业须在课堂上布置 "
                   f"(not taught that day; homework is set in class)")
        out.append(Violation("homework_eligibility", True,
                             f"{plan.classes[e.cls]} {plan.days[e.day]}: {why}",
                             amount=e.minutes, cls=plan.classes[e.cls], day=plan.days[e.day],
                             subject=subject.name))
    return out


def check_homework_lower_grades(school: School, policy: Policy, timetable: Timetable,
                                plan: HomeworkPlan) -> list[Violation]:
    """One violation per (class, day) of grades 1–2 with any written homework."""
    del policy, timetable
    out = []
    for (c, d), load in sorted(_loads(plan).items()):
        if school.classes[c].grade <= 2 and load > 0:
            out.append(Violation(
                "homework_lower_grades", True,
                f"{plan.classes[c]} {plan.days[d]}: 一二年级不布置书面家庭作业, 却有 {load} 分钟 "
                f"(grades 1–2 get no written homework; {load} min planned)",
                amount=load, cls=plan.classes[c], day=plan.days[d]))
    return out


def check_homework_subject_cap(school: School, policy: Policy, timetable: Timetable,
                               plan: HomeworkPlan) -> list[Violation]:
    """One violation per entry above its subject's per-evening cap; amount = excess."""
    del school, timetable
    out = []
    for e in plan.entries:
        cap = policy.subject_cap(plan.subjects[e.subject])
        if cap is not None and e.minutes > cap:
            out.append(Violation(
                "homework_subject_cap", True,
                f"{plan.classes[e.cls]} {plan.days[e.day]} {plan.subjects[e.subject]} "
                f"{e.minutes} 分钟, 超过学科上限 {cap} 分钟 (exceeds the subject cap {cap} min)",
                amount=e.minutes - cap, cls=plan.classes[e.cls], day=plan.days[e.day],
                subject=plan.subjects[e.subject]))
    return out


def evening_groups(policy: Policy, subjects: Sequence[str]) -> list[int]:
    """Group index of every subject under the evening rule; ungrouped ones get their own."""
    rule = policy.evening_rule
    group_of = {}
    if rule is not None:
        for k, names in enumerate(rule.groups):
            for name in names:
                group_of[name] = k
    first_free = len(rule.groups) if rule is not None else 0
    return [group_of.get(name, first_free + i) for i, name in enumerate(subjects)]


def check_homework_evening(school: School, policy: Policy, timetable: Timetable,
                           plan: HomeworkPlan) -> list[Violation]:
    """Subjects-per-evening rule: too many subjects, or two from one group, per night.

    One violation per (class, day) breaking it; amount = subjects beyond what the rule
    allows (``max(count − max_subjects, count − distinct groups)``).
    """
    del timetable
    rule = policy.evening_rule
    if rule is None:
        return []
    groups = evening_groups(policy, plan.subjects)
    per_day: dict[tuple[int, int], list[int]] = defaultdict(list)
    for e in plan.entries:
        if e.minutes > 0:
            per_day[(e.cls, e.day)].append(e.subject)
    out = []
    for (c, d), subjects in sorted(per_day.items()):
        if school.classes[c].grade not in rule.grades:
            continue
        count = len(subjects)
        distinct = len({groups[s] for s in subjects})
        excess = max(count - rule.max_subjects, count - distinct)
        if excess > 0:
            names = "、".join(plan.subjects[s] for s in subjects)
            out.append(Violation(
                "homework_evening", True,
                f"{plan.classes[c]} {plan.days[d]}: 当晚有 {count} 科作业 ({names}); 规定至多 "
                f"{rule.max_subjects} 科且每组一科 (at most {rule.max_subjects} subjects a night, "
                f"one from each group)",
                amount=excess, cls=plan.classes[c], day=plan.days[d]))
    return out


def check_homework_grid(school: School, policy: Policy, timetable: Timetable,
                        plan: HomeworkPlan) -> list[Violation]:
    """One violation per entry that is negative or not a multiple of 5 minutes."""
    del school, policy, timetable
    out = []
    for e in plan.entries:
        if e.minutes < 0 or e.minutes % GRID_MINUTES:
            out.append(Violation(
                "homework_grid", True,
                f"{plan.classes[e.cls]} {plan.days[e.day]} {plan.subjects[e.subject]}: "
                f"{e.minutes} 分钟不是 {GRID_MINUTES} 的非负整数倍 "
                f"(minutes must be a non-negative multiple of {GRID_MINUTES})",
                amount=1, cls=plan.classes[e.cls], day=plan.days[e.day],
                subject=plan.subjects[e.subject]))
    return out


#: The homework rules in order: (id, 中文, function).
HOMEWORK_RULES: tuple[tuple[str, str, HomeworkRule], ...] = (
    ("homework_daily_cap", "每日作业总量", check_homework_daily_cap),
    ("homework_eligibility", "当天有课才布置", check_homework_eligibility),
    ("homework_lower_grades", "一二年级无书面作业", check_homework_lower_grades),
    ("homework_subject_cap", "分学科上限", check_homework_subject_cap),
    ("homework_evening", "每晚学科数", check_homework_evening),
    ("homework_grid", "5分钟取整", check_homework_grid),
)


def check_homework(school: School, policy: Policy, timetable: Timetable,
                   plan: HomeworkPlan) -> list[Violation]:
    """Run every homework rule; an empty list means the plan is compliant.

    The plan's classes and subjects must be the school's, in order (a plan for another
    school is a ``ValueError``).
    """
    if tuple(c.name for c in school.classes) != plan.classes:
        raise ValueError("the plan's classes are not the school's")
    if tuple(s.name for s in school.subjects) != plan.subjects:
        raise ValueError("the plan's subjects are not the school's")
    out: list[Violation] = []
    for _, _, rule in HOMEWORK_RULES:
        out.extend(rule(school, policy, timetable, plan))
    return out


def format_homework_violations(violations: Iterable[Violation]) -> str:
    """One line per violation, grouped by rule, or a single OK line."""
    lines = [f"[{v.rule}] {v.message}" for v in violations]
    return "\n".join(lines) if lines else "作业计划符合规定 Homework plan complies with every rule."


# --- homework log audit ------------------------------------------------------------------

def _bucket(school: School, date: dt.date) -> tuple[str, int | None]:
    """Map a date to (label, school-day index) or the ISO week's weekend bucket."""
    weekday = date.weekday()
    if weekday < min(5, len(school.days)):
        return date.isoformat(), weekday
    year, week, _ = date.isocalendar()
    return f"{year}-W{week:02d} {WEEKEND}", None


def audit_log(school: School, policy: Policy, rows: Iterable[LogRow]) -> AuditResult:
    """Check reported homework against the profile's caps (作业公示, seed 003).

    Dates Monday–Friday map to the school days in order (a school with fewer days maps
    the rest to the weekend); Saturday and Sunday of one ISO week form one weekend
    bucket, checked against the weekend cap. Every reported minute counts toward the
    evening's total. An evening is over cap when its total exceeds the cap.
    """
    totals: dict[tuple[int, str], float] = defaultdict(float)
    days: dict[tuple[int, str], int | None] = {}
    subjects: dict[tuple[int, str], list[str]] = defaultdict(list)
    for row in rows:
        label, day = _bucket(school, row.date)
        key = (row.cls, label)
        totals[key] += row.minutes
        days[key] = day
        name = school.subjects[row.subject].name
        if name not in subjects[key]:
            subjects[key].append(name)
    audited = []
    for (c, label), minutes in sorted(totals.items()):
        grade = school.classes[c].grade
        cap = policy.homework_cap(grade, weekend=days[(c, label)] is None)
        audited.append(AuditDay(cls=c, label=label, day=days[(c, label)], grade=grade,
                                minutes=minutes, cap=cap,
                                subjects=tuple(subjects[(c, label)])))
    over = tuple(a for a in audited if a.minutes > a.cap)
    by_class = []
    for c, sc in enumerate(school.classes):
        mine = [a for a in audited if a.cls == c]
        if mine:
            by_class.append((sc.name, len(mine), sum(1 for a in mine if a.minutes > a.cap)))
    by_grade = []
    for grade in school.grades:
        mine = [a for a in audited if a.grade == grade]
        if mine:
            by_grade.append((grade, len(mine), sum(1 for a in mine if a.minutes > a.cap)))
    return AuditResult(school=school.name, profile=policy.name, days=tuple(audited),
                       over_cap=over, by_class=tuple(by_class), by_grade=tuple(by_grade))


def format_audit(result: AuditResult, school: School) -> str:
    """The over-quota publication: over-cap evenings, then counts by class and grade."""
    lines = [f"作业日志审核 Homework log audit — {result.school} ({result.profile})",
             f"共 {len(result.days)} 个班级晚上, 超量 {len(result.over_cap)} 个 "
             f"({len(result.days)} class-evenings, {len(result.over_cap)} over the cap)"]
    if result.over_cap:
        lines.append("")
        lines.append("超量公示 Over-quota evenings:")
        for a in result.over_cap:
            lines.append(f"  {school.classes[a.cls].name}  {a.label}  {a.minutes:g} 分钟 "
                         f"> 上限 {a.cap}  (+{a.over:g})  {'、'.join(a.subjects)}")
    lines.append("")
    lines.append("按班级 By class (evenings / over):")
    for name, n, k in result.by_class:
        lines.append(f"  {name}: {n} / {k}")
    lines.append("按年级 By grade (evenings / over):")
    for grade, n, k in result.by_grade:
        lines.append(f"  {grade}年级 grade {grade}: {n} / {k}")
    return "\n".join(lines)
