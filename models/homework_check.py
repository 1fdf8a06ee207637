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
``homework_grid``            minutes (written and oral) are ≥ 0 and on the 5-minute grid
``homework_oral_limit``      grades 1–2: a class's oral/practical minutes on a day ≤
                             ``lower_grades_oral_minutes``
``homework_oral_subjects``   grades 1–2: at most ``lower_grades_max_oral_subjects``
                             subjects set oral/practical work a day (when set)
``homework_oral_eligibility``  oral/practical minutes only for classes of grades 1–2, only
                             on days the subject is taught to the class (weekend: taught
                             on the last school day)
===========================  ==========================================================

:func:`audit_log` checks a homework log (what was reported, date by date) against the
profile's caps: the over-quota publication of seed 003, and the grade 1–2 rules
(``homework_lower_grades``, ``homework_oral_limit``, ``homework_oral_subjects``, and
with a timetable ``homework_oral_eligibility``) as :class:`Violation` records. It
imports no solver.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Callable, Iterable, Sequence

from .homework import (GRID_MINUTES, LOWER_GRADES, WEEKEND, AuditDay, AuditResult,
                       HomeworkEntry, HomeworkPlan, LogRow, eligible_cell, oral_cell,
                       taught_cells)
from .policy import Policy
from .school import School
from .timetable import Timetable
from .violation import Violation

__all__ = [
    "HOMEWORK_RULES", "check_homework", "check_homework_daily_cap",
    "check_homework_eligibility", "check_homework_lower_grades", "check_homework_subject_cap",
    "check_homework_evening", "check_homework_grid", "check_homework_oral_limit",
    "check_homework_oral_subjects", "check_homework_oral_eligibility",
    "format_homework_violations",
    "evening_groups",
    "audit_log", "format_audit",
]

HomeworkRule = Callable[[School, Policy, Timetable, HomeworkPlan], list[Violation]]


def _day_cap(policy: Policy, plan: HomeworkPlan, grade: int, day: int) -> int:
    weekend = plan.weekend and day == plan.school_days
    return policy.homework_cap(grade, weekend=weekend)


def _loads(entries: Iterable[HomeworkEntry]) -> dict[tuple[int, int], int]:
    loads: dict[tuple[int, int], int] = defaultdict(int)
    for e in entries:
        loads[(e.cls, e.day)] += e.minutes
    return loads


def check_homework_daily_cap(school: School, policy: Policy, timetable: Timetable,
                             plan: HomeworkPlan) -> list[Violation]:
    """One violation per (class, day) whose total exceeds the daily cap; amount = excess."""
    del timetable
    out = []
    for (c, d), load in sorted(_loads(plan.entries).items()):
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
    for (c, d), load in sorted(_loads(plan.entries).items()):
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
    """One violation per entry (written or oral) that is negative or not a multiple of 5."""
    del school, policy, timetable
    out = []
    for kind, entries in (("", plan.entries), ("口头作业 ", plan.oral)):
        for e in entries:
            if e.minutes < 0 or e.minutes % GRID_MINUTES:
                out.append(Violation(
                    "homework_grid", True,
                    f"{plan.classes[e.cls]} {plan.days[e.day]} {plan.subjects[e.subject]}: "
                    f"{kind}{e.minutes} 分钟不是 {GRID_MINUTES} 的非负整数倍 "
                    f"(minutes must be a non-negative multiple of {GRID_MINUTES})",
                    amount=1, cls=plan.classes[e.cls], day=plan.days[e.day],
                    subject=plan.subjects[e.subject]))
    return out


def _oral_limit_violation(label: str, day: str, minutes: float, limit: int) -> Violation:
    return Violation(
        "homework_oral_limit", True,
        f"{label} {day}: 口头/实践作业 {minutes:g} 分钟, 超过一二年级每日上限 {limit} 分钟 "
        f"(oral/practical homework {minutes:g} min exceeds the grade 1–2 daily limit "
        f"{limit} min)", amount=minutes - limit, cls=label, day=day)


def _oral_subjects_violation(label: str, day: str, names: Sequence[str], most: int
                             ) -> Violation:
    return Violation(
        "homework_oral_subjects", True,
        f"{label} {day}: {len(names)} 科布置了口头/实践作业 ({'、'.join(names)}); 一二年级每天"
        f"只可布置 {most} 科 (grades 1–2: at most {most} subject(s) a day may set "
        f"oral/practical work)", amount=len(names) - most, cls=label, day=day)


def check_homework_oral_limit(school: School, policy: Policy, timetable: Timetable,
                              plan: HomeworkPlan) -> list[Violation]:
    """One violation per (class, day) of grades 1–2 whose oral total exceeds
    ``lower_grades_oral_minutes``; amount = excess. (Oral entries of other grades are
    :func:`check_homework_oral_eligibility`'s.)"""
    del timetable
    limit = policy.lower_grades_oral_minutes
    out = []
    for (c, d), load in sorted(_loads(plan.oral).items()):
        if school.classes[c].grade in LOWER_GRADES and load > limit:
            out.append(_oral_limit_violation(plan.classes[c], plan.days[d], load, limit))
    return out


def check_homework_oral_subjects(school: School, policy: Policy, timetable: Timetable,
                                 plan: HomeworkPlan) -> list[Violation]:
    """One violation per (class, day) of grades 1–2 with more oral subjects than
    ``lower_grades_max_oral_subjects``; amount = subjects beyond it. Off when unset."""
    del timetable
    most = policy.lower_grades_max_oral_subjects
    if most is None:
        return []
    per_day: dict[tuple[int, int], list[int]] = defaultdict(list)
    for e in plan.oral:
        if e.minutes > 0:
            per_day[(e.cls, e.day)].append(e.subject)
    out = []
    for (c, d), subjects in sorted(per_day.items()):
        if school.classes[c].grade in LOWER_GRADES and len(subjects) > most:
            out.append(_oral_subjects_violation(plan.classes[c], plan.days[d],
                                                [plan.subjects[s] for s in subjects], most))
    return out


def _not_taught(school: School, subject: int, weekend_bucket: bool) -> str:
    name = school.subjects[subject].name
    if weekend_bucket:
        return (f"{name} 在 {school.days[-1]} 没有课, 不能布置周末口头/实践作业 "
                f"(not taught on the last school day, so it sets no weekend oral work)")
    return (f"{name} 当天没有课, 口头/实践作业须在课堂上布置 "
            f"(not taught that day; oral/practical homework is set in class)")


def check_homework_oral_eligibility(school: School, policy: Policy, timetable: Timetable,
                                    plan: HomeworkPlan) -> list[Violation]:
    """One violation per oral entry of a class outside grades 1–2, or on a day its
    subject is not taught to the class; amount = its minutes."""
    del policy
    taught = taught_cells(school, timetable)
    out = []
    for e in plan.oral:
        if e.minutes <= 0 or oral_cell(school, taught, e.cls, e.day, e.subject, plan.weekend):
            continue
        if school.classes[e.cls].grade not in LOWER_GRADES:
            why = ("jianfu 只为一二年级安排口头/实践作业 "
                   "(jianfu plans oral/practical quotas for grades 1–2 only)")
        else:
            why = _not_taught(school, e.subject, plan.weekend and e.day == plan.school_days)
        out.append(Violation("homework_oral_eligibility", True,
                             f"{plan.classes[e.cls]} {plan.days[e.day]}: {why}",
                             amount=e.minutes, cls=plan.classes[e.cls], day=plan.days[e.day],
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
    ("homework_oral_limit", "一二年级口头作业时长", check_homework_oral_limit),
    ("homework_oral_subjects", "一二年级口头作业学科数", check_homework_oral_subjects),
    ("homework_oral_eligibility", "口头作业当天有课才布置", check_homework_oral_eligibility),
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


def audit_log(school: School, policy: Policy, rows: Iterable[LogRow],
              timetable: Timetable | None = None) -> AuditResult:
    """Check reported homework against the profile's caps (作业公示, seed 003).

    Dates Monday–Friday map to the school days in order (a school with fewer days maps
    the rest to the weekend); Saturday and Sunday of one ISO week form one weekend
    bucket, checked against the weekend cap. Every reported written minute counts
    toward the evening's total; an evening is over cap when its total exceeds the cap.

    Grades 1–2 (docs/rules.md, "Homework rules"): each written row with minutes > 0 is
    a ``homework_lower_grades`` record; per class and evening (or weekend bucket) the
    oral rows' total above ``lower_grades_oral_minutes`` is a ``homework_oral_limit``
    record and more oral subjects than ``lower_grades_max_oral_subjects`` a
    ``homework_oral_subjects`` record; with ``timetable``, each oral row of a subject
    not taught to the class that day (weekend: on the last school day) is a
    ``homework_oral_eligibility`` record. Oral rows of grades 3–9 are counted in
    ``oral_unchecked``: no cap applies to them (the national caps are on written work).
    """
    totals: dict[tuple[int, str], float] = defaultdict(float)
    oral: dict[tuple[int, str], float] = defaultdict(float)
    days: dict[tuple[int, str], int | None] = {}
    subjects: dict[tuple[int, str], list[str]] = defaultdict(list)
    oral_subjects: dict[tuple[int, str], list[str]] = defaultdict(list)
    taught = taught_cells(school, timetable) if timetable is not None else None
    last_day = len(school.days) - 1
    violations: list[Violation] = []
    unchecked = 0
    for row in rows:
        label, day = _bucket(school, row.date)
        key = (row.cls, label)
        days[key] = day
        name = school.subjects[row.subject].name
        cls_name, grade = school.classes[row.cls].name, school.classes[row.cls].grade
        if not row.oral:
            totals[key] += row.minutes
            if name not in subjects[key]:
                subjects[key].append(name)
            if grade in LOWER_GRADES and row.minutes > 0:
                violations.append(Violation(
                    "homework_lower_grades", True,
                    f"{cls_name} {label} {name}: 一二年级不布置书面家庭作业, 日志第 {row.row} 行"
                    f"却记了 {row.minutes:g} 分钟书面作业 (grades 1–2 get no written "
                    f"homework; log line {row.row} reports {row.minutes:g} min written)",
                    amount=row.minutes, cls=cls_name, day=label, subject=name))
            continue
        totals[key] += 0.0
        if grade not in LOWER_GRADES:
            unchecked += 1
            continue
        oral[key] += row.minutes
        if row.minutes > 0 and name not in oral_subjects[key]:
            oral_subjects[key].append(name)
        on = last_day if day is None else day
        if (taught is not None and row.minutes > 0 and last_day >= 0
                and (row.cls, on, row.subject) not in taught):
            why = _not_taught(school, row.subject, day is None)
            violations.append(Violation(
                "homework_oral_eligibility", True,
                f"{cls_name} {label} (日志第 {row.row} 行 log line {row.row}): {why}",
                amount=row.minutes, cls=cls_name, day=label, subject=name))
    limit, most = policy.lower_grades_oral_minutes, policy.lower_grades_max_oral_subjects
    for (c, label), minutes in sorted(oral.items()):
        if minutes > limit:
            violations.append(_oral_limit_violation(school.classes[c].name, label, minutes, limit))
        names = oral_subjects[(c, label)]
        if most is not None and len(names) > most:
            violations.append(_oral_subjects_violation(school.classes[c].name, label, names, most))
    audited = []
    for (c, label), minutes in sorted(totals.items()):
        grade = school.classes[c].grade
        cap = policy.homework_cap(grade, weekend=days[(c, label)] is None)
        audited.append(AuditDay(cls=c, label=label, day=days[(c, label)], grade=grade,
                                minutes=minutes, cap=cap,
                                subjects=tuple(subjects[(c, label)]),
                                oral=oral.get((c, label), 0.0),
                                oral_subjects=tuple(oral_subjects.get((c, label), ()))))
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
    order = {rule: i for i, (rule, _, _) in enumerate(HOMEWORK_RULES)}
    violations.sort(key=lambda v: order[v.rule])     # stable: log order within a rule
    return AuditResult(school=school.name, profile=policy.name, days=tuple(audited),
                       over_cap=over, by_class=tuple(by_class), by_grade=tuple(by_grade),
                       violations=tuple(violations), taught_checked=timetable is not None,
                       oral_unchecked=unchecked)


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
    if result.violations:
        lines.append("")
        lines.append("一二年级作业规则 Grade 1–2 homework rules:")
        lines += [f"  [{v.rule}] {v.message}" for v in result.violations]
    oral_days = sum(1 for a in result.days if a.oral > 0)
    if oral_days or result.oral_unchecked:
        lines.append("")
    if oral_days:
        lines.append(f"一二年级口头/实践作业 grades 1–2 oral/practical: {oral_days} 个班级晚上 "
                     f"class-evenings")
    if oral_days and not result.taught_checked:
        lines.append("未给课表, 没有核对口头作业当天是否有课 (no timetable given: oral work on "
                     "days without the subject is not checked; use --timetable)")
    if result.oral_unchecked:
        lines.append(f"三至九年级的口头作业 {result.oral_unchecked} 行未计入上限 "
                     f"({result.oral_unchecked} oral rows of grades 3–9: the caps are on "
                     f"written homework)")
    lines.append("")
    lines.append("按班级 By class (evenings / over):")
    for name, n, k in result.by_class:
        lines.append(f"  {name}: {n} / {k}")
    lines.append("按年级 By grade (evenings / over):")
    for grade, n, k in result.by_grade:
        lines.append(f"  {grade}年级 grade {grade}: {n} / {k}")
    return "\n".join(lines)
