"""Auditing a timetable made elsewhere (``jianfu audit``): the rules an audit adds to the
checker, the 阴阳课表 comparison, the audit's verdict and its text report.

The readers (``instances/audit_io.py``) turn a school's file into a :class:`School` and a
:class:`Timetable`; :func:`jianfu.models.checker.check` judges it. When the school's plan
is not given, the requirements are read off the timetable itself, so ``coverage`` holds
by construction: the checker's rule ``curriculum`` compares them with the profile's
curriculum. A timetable seldom lists the after-class activity
sessions (课外体育活动); :func:`assume_sessions` takes them as held in the bell schedule's
activity slot on the days a class needs one. :func:`compare_timetables` lists every
period where a published timetable and the one reported as taught differ (阴阳课表, seed
002) and counts which subject replaced which.

This module imports no solver and no reader.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from .checker import HARD_RULES, RULE_NAMES, SOFT_RULES, CheckSummary, summary_line
from .policy import Policy
from .school import GROUND, Category, School
from .timetable import Session, Timetable
from .violation import Violation

__all__ = [
    "AUDIT_RULES", "AuditResult", "Difference", "Replacement", "Comparison",
    "assume_sessions", "compare_timetables", "rule_name", "rule_rows",
    "format_audit", "format_comparison", "worst_first", "NO_LESSON",
]

#: Rules an audit adds to the checker's (id, 中文, English): none today; the plan-level
#: rules (``curriculum``, ``occupied_subject`` …) are the checker's own.
AUDIT_RULES: tuple[tuple[str, str, str], ...] = ()

NO_LESSON = "无课"   # a period with no lesson, in the 阴阳课表 comparison


def rule_name(rule: str) -> tuple[str, str]:
    """(中文, English) of a checker or audit rule id."""
    for rid, zh, en in AUDIT_RULES:
        if rid == rule:
            return zh, en
    return RULE_NAMES.get(rule, (rule, rule))


def _order() -> list[str]:
    return [r for r, *_ in HARD_RULES] + [r for r, *_ in SOFT_RULES]


def _grade(grade: int) -> str:
    return "一二三四五六七八九"[grade - 1] + "年级"


# --------------------------------------------------------------------------------------
# Activity sessions a timetable does not list
# --------------------------------------------------------------------------------------
def assume_sessions(school: School, policy: Policy, timetable: Timetable
                    ) -> tuple[Timetable, int]:
    """The timetable with the after-class activity sessions it does not list, and how
    many were added (0: it lists sessions of its own, or none is needed).

    A class gets a session (课外体育活动) on each day its bell schedule has an activity
    slot and its long breaks and PE lessons fall short of the profile's daily minutes
    (rule ``daily_activity``), as a school holding that slot would. On a school with a
    sports ground the session goes to the ground with the most room at that time (its
    lessons and the sessions already placed counted), so ``venue_clash`` still judges
    the ground's capacity.
    """
    if timetable.sessions:
        return timetable, 0
    grounds = [v for v, venue in enumerate(school.venues) if venue.kind == GROUND]
    uses: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)  # (venue, day)
    pe_minutes: Counter[tuple[int, int]] = Counter()
    for lesson in timetable.lessons:
        periods = school.day_of(lesson.cls, lesson.day).periods
        if lesson.period >= len(periods):
            continue
        seg = periods[lesson.period]
        if lesson.venue is not None:
            uses[(lesson.venue, lesson.day)].append((seg.start, seg.end))
        if school.subjects[lesson.subject].is_pe:
            pe_minutes[(lesson.cls, lesson.day)] += seg.minutes
    sessions: list[Session] = []
    for c in range(len(school.classes)):
        for d in range(len(school.days)):
            if school.usable_periods(c, d) == 0:
                continue
            day = school.day_of(c, d)
            act = day.activity
            if act is None:
                continue
            if day.fixed_activity_minutes + pe_minutes[(c, d)] >= policy.daily_activity_minutes:
                continue
            venue = None
            if grounds:
                def room(v: int) -> int:
                    live = sum(1 for s, e in uses[(v, d)] if s < act.end and act.start < e)
                    return school.venues[v].capacity - live
                venue = max(grounds, key=room)   # ties: the first ground
                uses[(venue, d)].append((act.start, act.end))
            sessions.append(Session(c, d, venue))
    if not sessions:
        return timetable, 0
    return Timetable(timetable.lessons, tuple(sessions)), len(sessions)


# --------------------------------------------------------------------------------------
# The verdict
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AuditResult:
    """One audited timetable file.

    ``layout`` is the shape the reader found (an id: ``master``, ``per_class``,
    ``rows``, ``fet``, ``json``) and ``found`` the sentence saying so; ``inferred``
    says the school (classes, teachers, requirements) was read off the timetable, with
    ``bells`` naming where the bell schedule came from. ``notes`` are the assumptions
    made, each a sentence.
    """

    source: str
    layout: str
    found: str
    school: School
    policy: Policy
    timetable: Timetable
    violations: tuple[Violation, ...]
    summary: CheckSummary
    inferred: bool
    bells: str
    notes: tuple[str, ...] = ()

    @property
    def compliant(self) -> bool:
        return self.summary.compliant

    @property
    def hard(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.hard)


def worst_first(violations: Iterable[Violation]) -> dict[str, list[Violation]]:
    """Violations by rule, rules in the report's order, the largest amounts first in each."""
    grouped: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        grouped[v.rule].append(v)
    order = _order()
    order += sorted(set(grouped) - set(order))
    return {rule: sorted(grouped[rule], key=lambda v: -v.amount)
            for rule in order if rule in grouped}


def rule_rows(violations: Sequence[Violation]) -> list[tuple[str, str, str, bool, int, float]]:
    """Per broken rule: (id, 中文, English, hard, records, total amount), hard rules first."""
    rows = []
    for rule, found in worst_first(violations).items():
        zh, en = rule_name(rule)
        rows.append((rule, zh, en, found[0].hard, len(found), sum(v.amount for v in found)))
    return sorted(rows, key=lambda r: not r[3])


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def format_audit(result: AuditResult, *, limit_per_rule: int = 5) -> str:
    """The audit as text: the shape found, the verdict, each broken hard rule with its
    count and its worst cases, the soft rules as one line each, the notes."""
    school = result.school
    plan = "由课表推断 inferred from the timetable" if result.inferred else \
        "学校文件 the school file"
    lines = [f"{result.source}: {result.found}",
             f"学校 school: {school.name} · {len(school.classes)} 个班 classes · "
             f"{len(school.teachers)} 位教师 teachers · {len(result.timetable.lessons)} 节课 "
             f"lessons a week · 政策 profile {result.policy.name}",
             f"课程计划 plan: {plan} · 作息时间 bells: {result.bells}", ""]
    grouped = worst_first(result.violations)
    if not result.hard:
        lines.append("无硬性违规 no hard violation")
    soft = []
    for rule, found in grouped.items():
        zh, en = rule_name(rule)
        if not found[0].hard:
            soft.append(f"  {rule}: {zh} {en} — {len(found)} 处 cases, "
                        f"{_num(sum(v.amount for v in found))} 单位 units, 代价 cost "
                        f"{_num(sum(v.cost for v in found))}")
            continue
        lines.append(f"[{rule}] {zh} {en} — {len(found)} 处 violation(s)")
        for v in found[:limit_per_rule]:
            lines.append(f"  - {v.message}")
        if len(found) > limit_per_rule:
            more = len(found) - limit_per_rule
            lines.append(f"  … 另有 {more} 条 — {more} more")
    if soft:
        lines += ["", "软规则（质量，不影响合规） Soft rules (quality, not compliance)", *soft]
    if result.notes:
        lines += ["", "说明 Notes"] + [f"  - {n}" for n in result.notes]
    lines += ["", summary_line(result.summary)]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# 阴阳课表: the published timetable against the one taught
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Difference:
    """One period of a class where the two timetables differ (``period`` 1-based).
    A side's subject is :data:`NO_LESSON` when it has no lesson then; its teacher
    ``None`` when not given."""

    cls: str
    day: str
    period: int
    published: str
    taught: str
    published_teacher: str | None = None
    taught_teacher: str | None = None

    @property
    def subject_changed(self) -> bool:
        return self.published != self.taught

    def sentence(self) -> str:
        def side(subject: str, teacher: str | None) -> str:
            return f"{subject}（{teacher}）" if teacher and subject != NO_LESSON else subject

        what = "学科不同 another subject" if self.subject_changed else "教师不同 another teacher"
        return (f"{self.cls} {self.day} 第{self.period}节：公布 "
                f"{side(self.published, self.published_teacher)} → 实际 "
                f"{side(self.taught, self.taught_teacher)} — {what}, {self.cls} {self.day} "
                f"period {self.period}")


@dataclass(frozen=True, slots=True)
class Replacement:
    """``periods`` periods where ``published`` was published and ``taught`` was taught;
    ``squeezed``: a PE, arts, labour, science or IT lesson taken by a main subject
    (语数外), which the seeds forbid outright."""

    published: str
    taught: str
    periods: int
    squeezed: bool = False

    def sentence(self) -> str:
        mark = "（主科挤占 taken by a main subject）" if self.squeezed else ""
        return f"{self.taught} ← {self.published}: {self.periods} 节{mark}"


@dataclass(frozen=True)
class Comparison:
    """The 阴阳课表 comparison of two timetables of one school."""

    published: str            # the files, as given
    taught: str
    published_found: str      # the shapes their readers found
    taught_found: str
    school: str
    differences: tuple[Difference, ...]
    replacements: tuple[Replacement, ...]
    periods: int              # periods compared (with a lesson on either side)

    @property
    def identical(self) -> bool:
        return not self.differences

    @property
    def classes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(d.cls for d in self.differences))


_PROTECTED = (Category.PE, Category.ARTS, Category.PRACTICE, Category.SCIENCE, Category.IT)


def compare_timetables(published: tuple[School, Timetable], taught: tuple[School, Timetable],
                       *, classes: Mapping[str, str] | None = None,
                       sources: tuple[str, str] = ("", ""),
                       found: tuple[str, str] = ("", "")) -> Comparison:
    """Every (class, day, period) where ``taught`` differs from ``published``.

    The two are compared by name: ``classes`` maps a class name of the taught timetable
    to the published one's (the same class written another way); days and subjects
    are compared as named. A teacher differs only when both sides name one and neither
    name starts with the other (王 and 王芳 are the same person written two ways).
    Replacements count, per (published subject, taught subject), the periods where the
    subjects differ; a period with no lesson on one side counts as :data:`NO_LESSON`.
    """
    classes = dict(classes or {})
    a_school, a_tt = published
    b_school, b_tt = taught

    def grid(school: School, tt: Timetable, rename: Mapping[str, str]
             ) -> dict[tuple[str, str, int], list[tuple[str, str | None]]]:
        out: dict[tuple[str, str, int], list[tuple[str, str | None]]] = defaultdict(list)
        for x in tt.lessons:
            cname = school.classes[x.cls].name
            key = (rename.get(cname, cname), school.days[x.day], x.period + 1)
            teacher = school.teachers[x.teacher].name
            out[key].append((school.subjects[x.subject].name,
                             None if teacher.startswith(UNNAMED) else teacher))
        return out

    a = grid(a_school, a_tt, {})
    b = grid(b_school, b_tt, classes)
    category = {s.name: s.category for s in b_school.subjects}
    category.update({s.name: s.category for s in a_school.subjects})
    day_order = {d: i for i, d in enumerate(a_school.days)}
    for d in b_school.days:
        day_order.setdefault(d, len(day_order))
    class_order = {c.name: i for i, c in enumerate(a_school.classes)}
    for c in b_school.classes:
        class_order.setdefault(classes.get(c.name, c.name), len(class_order))

    def label(items: list[tuple[str, str | None]]) -> tuple[str, str | None]:
        if not items:
            return NO_LESSON, None
        subjects = "、".join(sorted({s for s, _ in items}))
        teachers = sorted({t for _, t in items if t})
        return subjects, "、".join(teachers) if teachers else None

    diffs: list[Difference] = []
    replaced: Counter[tuple[str, str]] = Counter()
    keys = set(a) | set(b)
    for key in sorted(keys, key=lambda k: (class_order.get(k[0], 1 << 30), k[0],
                                           day_order.get(k[1], 1 << 30), k[2])):
        ps, pt = label(a.get(key, []))
        ts, tt_ = label(b.get(key, []))
        if ps != ts:
            replaced[(ps, ts)] += 1
        elif _same_teacher(pt, tt_):
            continue
        diffs.append(Difference(key[0], key[1], key[2], ps, ts, pt, tt_))
    replacements = tuple(sorted(
        (Replacement(p, t, n, squeezed=category.get(p) in _PROTECTED
                     and category.get(t) is Category.MAIN)
         for (p, t), n in replaced.items()),
        key=lambda r: (-r.periods, r.published, r.taught)))
    return Comparison(sources[0], sources[1], found[0], found[1], a_school.name,
                      tuple(diffs), replacements, len(keys))


UNNAMED = "未注明"   # the placeholder teacher of a cell that names none (instances/audit.py)


def _same_teacher(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


def format_comparison(cmp: Comparison, *, limit: int = 200) -> str:
    """The comparison as text: both files and shapes, the verdict, the replacement
    counts (``数学 ← 体育与健康: 3 节``), then every period that differs."""
    lines = [f"公布课表 published: {cmp.published}: {cmp.published_found}",
             f"实际课表 taught:    {cmp.taught}: {cmp.taught_found}", ""]
    if cmp.identical:
        lines.append(f"一致 IDENTICAL — 两份课表 {cmp.periods} 节完全相同 the two timetables agree "
                     f"in all {cmp.periods} periods")
        return "\n".join(lines)
    subject = sum(1 for d in cmp.differences if d.subject_changed)
    teacher = len(cmp.differences) - subject
    lines.append("学科替换 subjects replaced (实际 ← 公布 taught ← published)")
    lines += [f"  {r.sentence()}" for r in cmp.replacements]
    if not cmp.replacements:
        lines.append("  无 none")
    lines += ["", f"逐节 every period that differs ({len(cmp.differences)})"]
    lines += [f"  - {d.sentence()}" for d in cmp.differences[:limit]]
    if len(cmp.differences) > limit:
        lines.append(f"  … 另有 {len(cmp.differences) - limit} 节 — "
                     f"{len(cmp.differences) - limit} more")
    lines += ["", f"不一致 DIFFERENT — {subject} 节学科不同、{teacher} 节教师不同，涉及 "
                  f"{len(cmp.classes)} 个班 — {subject} period(s) with another subject, "
                  f"{teacher} with another teacher, in {len(cmp.classes)} class(es)"]
    return "\n".join(lines)
