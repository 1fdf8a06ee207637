"""The independent timetable checker: the specification of a compliant timetable.

Every rule of ``docs/rules.md`` is one ``check_<rule_id>(school, policy, timetable)``
function returning :class:`~jianfu.models.violation.Violation` records; the tables
:data:`HARD_RULES` and :data:`SOFT_RULES` list them in order. :func:`check` runs them
all, :func:`summarize` recomputes the soft objective (penalty units × the profile's
weight per rule) that the CP-SAT engine minimises, and :func:`format_violations` /
:func:`violations_to_json` report the result.

The checker imports no solver. It recomputes everything from the school, the policy
and the timetable; per-entity indexes are built once per (school, timetable) pair.

A two-week cycle (单双周, ``School.alternates``, lessons with a ``week``) is checked week
by week: :func:`check` runs every hard rule but ``alternate_slot`` on each week's view
(:func:`week_view`: that week's periods and lessons), a record found alike in both weeks
once, the others naming their week; ``alternate_slot`` and the soft rules read the whole
cycle, an alternating slot counting as one lesson of its class (docs/rules.md). Each
``check_<rule>`` itself reads one week.

Lessons whose period does not exist in the class's bell schedule that day are reported
by ``lesson_outside_periods`` and ignored by every rule that needs a lesson's position
or clock time; only ``coverage``, ``teacher_assignment``, ``head_teacher_meeting``,
``venue_need``, ``class_clash`` and ``teacher_daily_max`` count them.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from .errors import InputError, check_index
from .policy import Policy, curriculum_line, format_clock, parse_clock
from .school import CLASS_MEETING, GROUND, WEEK_EN, WEEK_ZH, WEEKS, School, SegmentKind
from .timetable import Lesson, Session, Timetable
from .change import ChangedWeek, qualified
from .violation import Violation

__all__ = [
    "CheckSummary", "Term", "HARD_RULES", "SOFT_RULES", "RULE_NAMES", "check", "summarize",
    "plan_violations", "check_week", "WEEK_RULES",
    "format_violations", "violations_to_json", "cycle_weeks", "week_view",
]

RuleFunction = Callable[[School, Policy, Timetable], list[Violation]]

_EN_DAYS = {
    "周一": "Mon", "周二": "Tue", "周三": "Wed", "周四": "Thu", "周五": "Fri", "周六": "Sat",
    "周日": "Sun", "周天": "Sun", "星期一": "Mon", "星期二": "Tue", "星期三": "Wed",
    "星期四": "Thu", "星期五": "Fri", "星期六": "Sat", "星期日": "Sun", "星期天": "Sun",
}


# --------------------------------------------------------------------------------------
# Indexes, built once per (school, timetable)
# --------------------------------------------------------------------------------------
class _Facts:
    """Per-entity lookups over a timetable, built once and shared by every rule."""

    def __init__(self, school: School, timetable: Timetable) -> None:
        self.school = school
        self.timetable = timetable
        nd, nc = len(school.days), len(school.classes)
        ns, nt, nv = len(school.subjects), len(school.teachers), len(school.venues)
        self.lessons: tuple[Lesson, ...] = timetable.lessons
        for i, lesson in enumerate(self.lessons):
            where = f"timetable.lessons[{i}]"
            check_index(f"{where}.class", lesson.cls, nc)
            check_index(f"{where}.day", lesson.day, nd)
            check_index(f"{where}.subject", lesson.subject, ns)
            check_index(f"{where}.teacher", lesson.teacher, nt)
            if lesson.venue is not None:
                check_index(f"{where}.venue", lesson.venue, nv)
            if not isinstance(lesson.period, int) or lesson.period < 0:
                raise InputError(f"{where}.period", lesson.period, "a period index ≥ 0")
            if lesson.group is not None and \
                    not school.has_group(lesson.cls, lesson.group, lesson.subject):
                raise InputError(f"{where}.group", lesson.group, "no such group of a split "
                                 "lesson or 走班 block of this class and subject")
            if lesson.week not in (None, *WEEKS):
                raise InputError(f"{where}.week", lesson.week,
                                 "1 (单周 odd weeks), 2 (双周 even weeks) or None (every week)")
        for i, session in enumerate(timetable.sessions):
            where = f"timetable.sessions[{i}]"
            check_index(f"{where}.class", session.cls, nc)
            check_index(f"{where}.day", session.day, nd)
            if session.venue is not None:
                check_index(f"{where}.venue", session.venue, nv)

        # clock time of each lesson; None when the period is not in the schedule that day
        self.time: list[tuple[int, int] | None] = []
        for lesson in self.lessons:
            periods = school.day_of(lesson.cls, lesson.day).periods
            if lesson.period < len(periods):
                seg = periods[lesson.period]
                self.time.append((seg.start, seg.end))
            else:
                self.time.append(None)
        self.placed = [i for i, t in enumerate(self.time) if t is not None]

        self.req_of: dict[tuple[int, int], int] = {
            (r.cls, r.subject): i for i, r in enumerate(school.requirements)}
        # 分组 and 走班: at one (day, period) the first group's lesson of a split (of a
        # block, per member class) stands for the class; the other groups' lessons (one per
        # group) are seen only by the teacher and venue rules, and those in the venue of an
        # earlier group use it once
        self.part_of: dict[int, tuple[int, int]] = {}    # lesson → (split, group)
        self.block_of: dict[int, tuple[int, int]] = {}   # lesson → (block, group)
        at_split: dict[tuple[object, ...], list[tuple[int, int]]] = defaultdict(list)
        for i, lesson in enumerate(self.lessons):
            if lesson.group is None:
                continue
            key = (lesson.cls, lesson.group, lesson.subject)
            if key in school.split_part:
                k, j = school.split_part[key]
                self.part_of[i] = (k, j)
                at_split[("split", k, lesson.day, lesson.period)].append((j, i))
            else:
                b, j = school.block_part[key]
                self.block_of[i] = (b, j)
                at_split[("block", b, lesson.cls, lesson.day, lesson.period)].append((j, i))
        hidden: set[int] = set()
        venue_once: set[int] = set()
        for found in at_split.values():
            seen: set[int] = set()
            venues: set[int] = set()
            for j, i in sorted(found):
                if j in seen:
                    continue        # a second lesson of one group: a clash of the class
                if seen:
                    hidden.add(i)
                    if self.lessons[i].venue in venues:
                        venue_once.add(i)
                seen.add(j)
                if self.lessons[i].venue is not None:
                    venues.add(self.lessons[i].venue)
        self.hidden: frozenset[int] = frozenset(hidden)
        self.venue_once: frozenset[int] = frozenset(venue_once)
        by_cd: dict[tuple[int, int], list[int]] = defaultdict(list)
        by_td: dict[tuple[int, int], list[int]] = defaultdict(list)
        by_cs: dict[tuple[int, int], list[int]] = defaultdict(list)
        by_csd: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        all_cd: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i in self.placed:
            lesson = self.lessons[i]
            by_td[(lesson.teacher, lesson.day)].append(i)
            all_cd[(lesson.cls, lesson.day)].append(i)
            if i not in self.hidden:
                by_cd[(lesson.cls, lesson.day)].append(i)
                # 单双周: a week's rules see its lessons through week_view; on the whole
                # cycle (the soft rules) only the lessons held every week count here
                if lesson.week is None:
                    by_csd[(lesson.cls, lesson.subject, lesson.day)].append(i)
        for i, lesson in enumerate(self.lessons):
            if i not in self.hidden:
                by_cs[(lesson.cls, lesson.subject)].append(i)
        self.placed_by_class_day = dict(by_cd)
        self.all_placed_by_class_day = dict(all_cd)   # every group of a split too
        self.placed_by_teacher_day = dict(by_td)
        self.placed_by_class_subject_day = dict(by_csd)   # lessons held every week
        # 单双周, in the soft rules' reading of the cycle: a teacher's lessons with a week
        # in one period of one class are one lesson of the teacher
        seen_week: set[tuple[int, int, int, int]] = set()
        repeat: set[int] = set()
        for i, x in enumerate(self.lessons):
            if x.week is not None:
                key = (x.teacher, x.cls, x.day, x.period)
                if key in seen_week:
                    repeat.add(i)
                seen_week.add(key)
        self.week_repeat: frozenset[int] = frozenset(repeat)
        self.all_by_class_subject = dict(by_cs)
        # days on which a class has periods (its day shape allows at least one lesson)
        self.class_days: tuple[tuple[int, ...], ...] = tuple(
            tuple(d for d in range(nd) if school.usable_periods(c, d) > 0) for c in range(nc))
        self.schedules_in_use = sorted({c.schedule for c in school.classes})
        # 合班: a member's lesson held with an earlier member's at the same (day, period),
        # by the same teacher in the same venue, is that one lesson (docs/rules.md)
        held: dict[tuple[int, int, int, int, int | None], list[tuple[int, int]]] = \
            defaultdict(list)
        # and so is a 走班 group's lesson held with an earlier member class's of that group
        for i in self.placed:
            lesson = self.lessons[i]
            k = school.combined_of.get((lesson.cls, lesson.subject))
            if k is not None and i not in self.part_of:
                j = school.combined[k].members.index(self.req_of[(lesson.cls, lesson.subject)])
                held[(k, lesson.day, lesson.period, lesson.teacher, lesson.venue)].append((j, i))
            elif i in self.block_of:
                b, g = self.block_of[i]
                j = [school.requirements[q].cls for q in school.blocks[b].members].index(lesson.cls)
                held[(-1 - b, g, lesson.day, lesson.period, lesson.teacher, lesson.venue)
                     ].append((j, i))   # type: ignore[index]
        self.joined: frozenset[int] = frozenset(
            i for found in held.values() for _, i in sorted(found)[1:])
        self.teaching_by_teacher_day = {
            key: [i for i in idx if i not in self.joined] for key, idx in by_td.items()}
        # a requirement's days: its class's, or those all members of its 合班 or 走班 share
        self.req_days: list[tuple[int, ...]] = []
        for r in school.requirements:
            members = [school.requirements[q].cls for q in school.members_with(r.cls, r.subject)]
            self.req_days.append(tuple(d for d in self.class_days[r.cls]
                                       if all(d in self.class_days[c] for c in members)))

    def lesson_minutes(self, i: int) -> int:
        start, end = self.time[i]  # type: ignore[misc]
        return end - start


_LOCAL = threading.local()   # one cached index per thread: (school, timetable, facts)


def _facts(school: School, timetable: Timetable) -> _Facts:
    """The shared index for this (school, timetable); both are frozen, so identity suffices."""
    entry = getattr(_LOCAL, "entry", None)
    if entry is not None and entry[0] is school and entry[1] is timetable:
        return entry[2]
    facts = _Facts(school, timetable)
    _LOCAL.entry = (school, timetable, facts)
    return facts


# --------------------------------------------------------------------------------------
# Message helpers: Chinese first, English alongside, 1-based periods and clock times
# --------------------------------------------------------------------------------------
def _day_en(school: School, day: int) -> str:
    name = school.days[day]
    return _EN_DAYS.get(name, name)


def _span(start: int, end: int) -> str:
    return f"{format_clock(start)}–{format_clock(end)}"


def _slot_zh(school: School, cls: int, day: int, period: int) -> str:
    periods = school.day_of(cls, day).periods
    if period >= len(periods):
        return f"{school.days[day]}第{period + 1}节"
    clock = f"（{_span(periods[period].start, periods[period].end)}）"
    return f"{school.days[day]}第{period + 1}节{clock}"


def _slot_en(school: School, cls: int, day: int, period: int) -> str:
    periods = school.day_of(cls, day).periods
    if period >= len(periods):
        return f"{_day_en(school, day)} period {period + 1}"
    clock = f" ({_span(periods[period].start, periods[period].end)})"
    return f"{_day_en(school, day)} period {period + 1}{clock}"


def _hard(rule: str, message: str, amount: float = 1, **entities: object) -> Violation:
    return Violation(rule=rule, hard=True, message=message, amount=amount, weight=0,
                     **entities)  # type: ignore[arg-type]


def _soft(rule: str, policy: Policy, message: str, amount: float = 1,
          **entities: object) -> Violation:
    weight = getattr(policy.weights, rule)
    return Violation(rule=rule, hard=False, message=message, amount=amount, weight=weight,
                     **entities)  # type: ignore[arg-type]


def _lesson_entities(school: School, lesson: Lesson) -> dict[str, object]:
    return dict(cls=school.classes[lesson.cls].name, teacher=school.teachers[lesson.teacher].name,
                subject=school.subjects[lesson.subject].name, day=school.days[lesson.day],
                period=lesson.period + 1,
                venue=None if lesson.venue is None else school.venues[lesson.venue].name)


def _grade_zh(grade: int) -> str:
    return "一二三四五六七八九"[grade - 1] + "年级"


# --------------------------------------------------------------------------------------
# Hard rules
# --------------------------------------------------------------------------------------
def check_coverage(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """开齐开足: every requirement's class has exactly ``P(r)`` lessons of its subject."""
    facts = _facts(school, timetable)
    out = []
    keys = set(facts.req_of) | set(facts.all_by_class_subject)
    for c, s in sorted(keys):
        n = len(facts.all_by_class_subject.get((c, s), ()))
        r = facts.req_of.get((c, s))
        want = school.requirements[r].periods if r is not None else 0
        if n == want:
            continue
        cname, sname = school.classes[c].name, school.subjects[s].name
        if r is None:
            msg = (f"{cname} 排了 {n} 节 {sname}，但课程计划中没有该科 — class {cname} has {n} "
                   f"lesson(s) of {sname}, which is not in its curriculum")
        elif n < want:
            msg = (f"{cname} {sname} 每周应上 {want} 节，课表只排了 {n} 节，少 {want - n} 节 — "
                   f"class {cname} needs {want} periods of {sname} a week, timetable has {n}")
        else:
            msg = (f"{cname} {sname} 每周应上 {want} 节，课表排了 {n} 节，多 {n - want} 节 — "
                   f"class {cname} needs {want} periods of {sname} a week, timetable has {n}")
        out.append(_hard("coverage", msg, abs(n - want), cls=cname, subject=sname))
    return out


def check_weekly_total(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """周课时总量: a class's requirements add up to the profile's weekly periods."""
    out = []
    for c, cls in enumerate(school.classes):
        total = sum(school.requirements[r].periods for r in school.requirements_of_class[c])
        want = policy.periods_for(cls.grade)
        if total != want:
            out.append(_hard(
                "weekly_total",
                f"{cls.name} 课程计划每周共 {total} 节，{_grade_zh(cls.grade)}应为 {want} 节（不得增减课时）"
                f" — class {cls.name} has {total} periods a week, grade {cls.grade} must have "
                f"{want}",
                abs(total - want), cls=cls.name))
    return out


def check_pe_periods(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """体育课时: a class's planned PE periods ≥ the profile's PE lessons per week."""
    out = []
    for c, cls in enumerate(school.classes):
        pe = sum(school.requirements[r].periods for r in school.requirements_of_class[c]
                 if school.subjects[school.requirements[r].subject].is_pe)
        want = policy.pe_for(cls.grade)
        if pe < want:
            out.append(_hard(
                "pe_periods",
                f"{cls.name} 每周体育课 {pe} 节，少于规定的 {want} 节 — class {cls.name} has "
                f"{pe} PE periods a week, the profile requires at least {want}",
                want - pe, cls=cls.name))
    return out


def check_teacher_assignment(school: School, policy: Policy,
                             timetable: Timetable) -> list[Violation]:
    """任课教师: a lesson's teacher is the requirement's teacher for its class and subject."""
    facts = _facts(school, timetable)
    out = []
    for i, lesson in enumerate(facts.lessons):
        r = facts.req_of.get((lesson.cls, lesson.subject))
        if lesson.cover:
            continue   # a cover lesson (代课): rule cover_teacher
        if i in facts.part_of:   # a group of a split lesson (分组): that group's teacher
            k, j = facts.part_of[i]
            want = school.splits[k].groups[j].teacher
        elif i in facts.block_of:   # a group of a 走班 block: that group's teacher
            b, j = facts.block_of[i]
            want = school.blocks[b].groups[j].teacher
        elif r is None:
            continue  # no requirement: the lesson is extra, reported by coverage
        else:
            want = school.requirements[r].teacher
        if lesson.teacher != want:
            e = _lesson_entities(school, lesson)
            out.append(_hard(
                "teacher_assignment",
                f"{e['cls']} {_slot_zh(school, lesson.cls, lesson.day, lesson.period)} "
                f"{e['subject']} 由 {e['teacher']} 上，任课教师应为 {school.teachers[want].name} — "
                f"class {e['cls']} {_slot_en(school, lesson.cls, lesson.day, lesson.period)}: "
                f"{e['subject']} taught by {e['teacher']}, assigned teacher is "
                f"{school.teachers[want].name}", **e))
    return out


def check_head_teacher_meeting(school: School, policy: Policy,
                               timetable: Timetable) -> list[Violation]:
    """班会由班主任上: a 班会 lesson of a class that names its 班主任 is taught by them."""
    facts = _facts(school, timetable)
    meeting = school.subject_index.get(CLASS_MEETING)
    out = []
    for lesson in facts.lessons:
        head = school.classes[lesson.cls].head_teacher
        if lesson.subject != meeting or head is None or lesson.teacher == head or lesson.cover:
            continue   # a cover lesson (代课) of a 班会: rule cover_teacher
        e = _lesson_entities(school, lesson)
        want = school.teachers[head].name
        out.append(_hard(
            "head_teacher_meeting",
            f"{e['cls']} {_slot_zh(school, lesson.cls, lesson.day, lesson.period)} 班会由 "
            f"{e['teacher']} 上，应由班主任 {want} 上 — class {e['cls']} "
            f"{_slot_en(school, lesson.cls, lesson.day, lesson.period)}: the class meeting (班会) "
            f"is taught by {e['teacher']}, not by its head teacher {want}", **e))
    return out


def check_cover_teacher(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """代课教师: a cover lesson (``Lesson.cover``, 代课 in a dated week) is taught by a
    teacher qualified for its subject (:func:`~jianfu.models.change.qualified`: one of
    their ``subjects``, or a subject they teach) other than its assigned teacher; being
    free and under the daily maximum are the rules teacher_clash, teacher_unavailable,
    meeting and teacher_daily_max."""
    facts = _facts(school, timetable)
    out = []
    for lesson in facts.lessons:
        if not lesson.cover:
            continue
        e = _lesson_entities(school, lesson)
        r = facts.req_of.get((lesson.cls, lesson.subject))
        own = r is not None and school.requirements[r].teacher == lesson.teacher
        if own or not qualified(school, lesson.teacher, lesson.subject):
            zh, en = (("就是任课教师", "is the assigned teacher") if own else
                      (f"不教{e['subject']}", f"is not qualified for {e['subject']}"))
            out.append(_hard(
                "cover_teacher",
                f"{e['cls']} {_slot_zh(school, lesson.cls, lesson.day, lesson.period)} "
                f"{e['subject']} 代课教师 {e['teacher']} {zh} — class "
                f"{e['cls']} {_slot_en(school, lesson.cls, lesson.day, lesson.period)}: cover "
                f"teacher {e['teacher']} {en}", **e))
    return out


def check_class_clash(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """班级冲突: a class has at most one lesson per (day, period)."""
    facts = _facts(school, timetable)
    at: dict[tuple[int, int, int], list[Lesson]] = defaultdict(list)
    for i, x in enumerate(facts.lessons):
        if i not in facts.hidden:   # a split lesson (分组), a 走班 block: one lesson of the class
            at[(x.cls, x.day, x.period)].append(x)
    out = []
    for (c, d, p), lessons in sorted(at.items()):
        if len(lessons) < 2:
            continue
        cname = school.classes[c].name
        subjects = "、".join(school.subjects[x.subject].name for x in lessons)
        out.append(_hard(
            "class_clash",
            f"{cname} {_slot_zh(school, c, d, p)} 同时排了 {len(lessons)} 节课（{subjects}） — "
            f"class {cname} has {len(lessons)} lessons at {_slot_en(school, c, d, p)}",
            len(lessons) - 1, cls=cname, day=school.days[d], period=p + 1))
    return out


def check_teacher_clash(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """教师冲突: a teacher's lessons never overlap in clock time, across bell schedules.

    Per teacher and day, lessons in order of start time (ties by class index); each
    lesson that overlaps an earlier one counts 1.
    """
    facts = _facts(school, timetable)
    out = []
    for (t, d), idx in sorted(facts.teaching_by_teacher_day.items()):
        if len(idx) < 2:
            continue
        order = sorted(idx, key=lambda i: (facts.time[i], facts.lessons[i].cls, i))
        longest = order[0]   # earlier lesson reaching furthest into the day
        for i in order[1:]:
            start, _ = facts.time[i]  # type: ignore[misc]
            if start < facts.time[longest][1]:  # type: ignore[index]
                a, b = facts.lessons[longest], facts.lessons[i]
                tname = school.teachers[t].name
                ca, cb = school.classes[a.cls].name, school.classes[b.cls].name
                same = a.period == b.period and facts.time[longest] == facts.time[i]
                other_zh = "" if same else f"（{_slot_zh(school, a.cls, d, a.period)}）"
                other_en = "" if same else f" ({_slot_en(school, a.cls, d, a.period)})"
                out.append(_hard(
                    "teacher_clash",
                    f"{tname} {_slot_zh(school, b.cls, d, b.period)} 同时在 {ca}{other_zh} 和 "
                    f"{cb} 上课 — teacher {tname} has two lessons at "
                    f"{_slot_en(school, b.cls, d, b.period)}: {ca}{other_en} and {cb}",
                    **_lesson_entities(school, b)))
            if facts.time[i][1] > facts.time[longest][1]:  # type: ignore[index]
                longest = i
    return out


def _venue_uses(school: School, timetable: Timetable
                ) -> dict[tuple[int, int], list[tuple[int, int, str]]]:
    """(venue, day) → uses as (start, end, who): placed lessons and timed sessions."""
    facts = _facts(school, timetable)
    uses: dict[tuple[int, int], list[tuple[int, int, str]]] = defaultdict(list)
    for i in facts.placed:
        lesson = facts.lessons[i]
        if lesson.venue is not None and i not in facts.joined \
                and i not in facts.venue_once:   # a 合班, the groups of a 分组 use it once
            start, end = facts.time[i]  # type: ignore[misc]
            who = f"{school.classes[lesson.cls].name} {school.subjects[lesson.subject].name}"
            uses[(lesson.venue, lesson.day)].append((start, end, who))
    for session in timetable.sessions:
        seg = school.day_of(session.cls, session.day).activity
        if session.venue is not None and seg is not None:
            who = f"{school.classes[session.cls].name} 课外活动"
            uses[(session.venue, session.day)].append((seg.start, seg.end, who))
    return uses


def check_venue_clash(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """场地超员: at every instant, the uses of a venue ≤ its capacity.

    At each distinct start time of a use, the uses in progress beyond the capacity count.
    """
    out = []
    for (v, d), uses in sorted(_venue_uses(school, timetable).items()):
        venue = school.venues[v]
        if len(uses) <= venue.capacity:
            continue
        for t in sorted({u[0] for u in uses}):
            live = [u for u in uses if u[0] <= t < u[1]]
            excess = len(live) - venue.capacity
            if excess > 0:
                who = "、".join(sorted(u[2] for u in live))
                out.append(_hard(
                    "venue_clash",
                    f"{venue.name} {school.days[d]} {format_clock(t)} 有 {len(live)} 个班同时使用"
                    f"（{who}），容量 {venue.capacity} — venue {venue.name} holds {len(live)} "
                    f"classes at {_day_en(school, d)} {format_clock(t)}, capacity {venue.capacity}",
                    excess, venue=venue.name, day=school.days[d]))
    return out


def check_venue_need(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """专用教室: a lesson needing a venue kind is in a venue of that kind."""
    facts = _facts(school, timetable)
    out = []
    for i, lesson in enumerate(facts.lessons):
        r = facts.req_of.get((lesson.cls, lesson.subject))
        if i in facts.part_of:
            need = school.split_need(*facts.part_of[i])
        elif i in facts.block_of:
            need = school.block_need(*facts.block_of[i])
        else:
            need = (school.venue_kind(school.requirements[r]) if r is not None
                    else school.subjects[lesson.subject].venue_kind)
        if need is None:
            continue
        if lesson.venue is not None and school.venues[lesson.venue].kind == need:
            continue
        e = _lesson_entities(school, lesson)
        where = "未指定场地" if lesson.venue is None else f"安排在 {e['venue']}"
        where_en = "has no venue" if lesson.venue is None else f"is in {e['venue']}"
        out.append(_hard(
            "venue_need",
            f"{e['cls']} {_slot_zh(school, lesson.cls, lesson.day, lesson.period)} {e['subject']} "
            f"需要 {need} 类场地，却{where} — class {e['cls']} "
            f"{_slot_en(school, lesson.cls, lesson.day, lesson.period)}: {e['subject']} needs a "
            f"'{need}' venue but {where_en}", **e))
    return out


def check_lesson_outside_periods(school: School, policy: Policy,
                                 timetable: Timetable) -> list[Violation]:
    """课表越界: a lesson's period exists that day and is within the class's day shape."""
    facts = _facts(school, timetable)
    out = []
    for i, lesson in enumerate(facts.lessons):
        usable = school.usable_periods(lesson.cls, lesson.day)
        if lesson.period < usable:
            continue
        e = _lesson_entities(school, lesson)
        out.append(_hard(
            "lesson_outside_periods",
            f"{e['cls']} {school.days[lesson.day]}只有 {usable} 节课，{e['subject']} 却排在第"
            f"{lesson.period + 1}节 — class {e['cls']} has {usable} periods on "
            f"{_day_en(school, lesson.day)}, but {e['subject']} is in period {lesson.period + 1}",
            **e))
    return out


def check_long_break(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """大课间: every school day of every schedule in use has enough long breaks."""
    facts = _facts(school, timetable)
    out = []
    for si in facts.schedules_in_use:
        sched = school.schedules[si]
        for d, day in enumerate(sched.days):
            if not day.periods:
                continue
            have = sum(1 for s in day.of_kind(SegmentKind.LONG_BREAK)
                       if s.minutes >= policy.long_break_minutes)
            missing = policy.long_breaks_per_day - have
            if missing > 0:
                out.append(_hard(
                    "long_break",
                    f"作息表 {sched.name} {school.days[d]} 只有 {have} 个不少于 "
                    f"{policy.long_break_minutes} 分钟的大课间，应有 {policy.long_breaks_per_day} 个 — "
                    f"bell schedule {sched.name} has {have} long break(s) of ≥ "
                    f"{policy.long_break_minutes} min on {_day_en(school, d)}, needs "
                    f"{policy.long_breaks_per_day}", missing, day=school.days[d]))
    return out


def check_short_break(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """课间时长: ≥ ``min_short_break_minutes`` between two consecutive periods."""
    facts = _facts(school, timetable)
    out = []
    for si in facts.schedules_in_use:
        sched = school.schedules[si]
        for d, day in enumerate(sched.days):
            for p, (a, b) in enumerate(zip(day.periods, day.periods[1:])):
                gap = b.start - a.end
                if gap < policy.min_short_break_minutes:
                    out.append(_hard(
                        "short_break",
                        f"作息表 {sched.name} {school.days[d]}第{p + 1}节与第{p + 2}节之间只休息 "
                        f"{gap} 分钟，至少 {policy.min_short_break_minutes} 分钟 — bell schedule "
                        f"{sched.name} {_day_en(school, d)}: {gap} min between periods {p + 1} "
                        f"and {p + 2}, needs {policy.min_short_break_minutes}",
                        1, day=school.days[d], period=p + 1))
    return out


_BREAK_KINDS = (SegmentKind.BREAK, SegmentKind.EYE, SegmentKind.LONG_BREAK)


def check_daily_breaks(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """每天课间总时长: per day, break + eye-exercise + long-break minutes ≥ the stage's minimum."""
    facts = _facts(school, timetable)
    out = []
    stages_of: dict[int, set[int]] = defaultdict(set)
    for cls in school.classes:
        # one representative grade per stage: the minimum is per stage
        stages_of[cls.schedule].add(1 if cls.grade <= 6 else 7)
    for si in facts.schedules_in_use:
        sched = school.schedules[si]
        for grade in sorted(stages_of[si]):
            need = policy.min_daily_break_for(grade)
            if need <= 0:
                continue
            stage_zh, stage_en = ("小学", "primary") if grade <= 6 else ("初中", "junior")
            for d, day in enumerate(sched.days):
                if not day.periods:
                    continue
                have = sum(s.minutes for s in day.segments if s.kind in _BREAK_KINDS)
                if have < need:
                    out.append(_hard(
                        "daily_breaks",
                        f"作息表 {sched.name} {school.days[d]} 课间总时长 {have} 分钟，{stage_zh}"
                        f"至少 {need} 分钟 — bell schedule {sched.name} {_day_en(school, d)}: "
                        f"{have} min of breaks, {stage_en} needs {need}",
                        need - have, day=school.days[d]))
    return out


def _sessions_by_class_day(timetable: Timetable) -> dict[tuple[int, int], list[Session]]:
    out: dict[tuple[int, int], list[Session]] = defaultdict(list)
    for s in timetable.sessions:
        out[(s.cls, s.day)].append(s)
    return out


def check_daily_activity(school: School, policy: Policy,
                         timetable: Timetable) -> list[Violation]:
    """每天校内体育活动: long breaks + PE lessons + activity session ≥ the daily minutes."""
    facts = _facts(school, timetable)
    sessions = _sessions_by_class_day(timetable)
    need = policy.daily_activity_minutes
    out = []
    for c, cls in enumerate(school.classes):
        for d in facts.class_days[c]:
            day = school.day_of(c, d)
            long_breaks = day.fixed_activity_minutes  # long breaks and activity events
            pe = sum(facts.lesson_minutes(i) for i in facts.placed_by_class_day.get((c, d), ())
                     if school.subjects[facts.lessons[i].subject].is_pe)
            act = day.activity
            activity = act.minutes if act is not None and (c, d) in sessions else 0
            have = long_breaks + pe + activity
            if have < need:
                fixed = "大课间与集体活动" if any(s.kind is SegmentKind.EVENT and s.is_fixed_activity
                                           for s in day.segments) else "大课间"
                out.append(_hard(
                    "daily_activity",
                    f"{cls.name} {school.days[d]} 校内体育活动 {have} 分钟（{fixed} {long_breaks}、"
                    f"体育课 {pe}、课外活动 {activity}），不足 {need} 分钟 — class {cls.name} has "
                    f"{have} min of physical activity on {_day_en(school, d)}, needs {need}",
                    need - have, cls=cls.name, day=school.days[d]))
    return out


def check_daily_pe(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """每天体育课: with ``daily_pe``, every class has a PE lesson every school day."""
    if not policy.daily_pe:
        return []
    facts = _facts(school, timetable)
    out = []
    for c, cls in enumerate(school.classes):
        for d in facts.class_days[c]:
            if not any(school.subjects[facts.lessons[i].subject].is_pe
                       for i in facts.placed_by_class_day.get((c, d), ())):
                out.append(_hard(
                    "daily_pe",
                    f"{cls.name} {school.days[d]} 没有体育课（每天一节体育课） — class {cls.name} "
                    f"has no PE lesson on {_day_en(school, d)} (daily PE)",
                    cls=cls.name, day=school.days[d]))
    return out


def check_session_slot(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """课外活动时段: a session is on a day with an activity segment, one per class and day,
    and on the sports ground when the school has one (its capacity is what limits them)."""
    out = []
    seen: set[tuple[int, int]] = set()
    grounds = {v for v, venue in enumerate(school.venues) if venue.kind == GROUND}
    for s in timetable.sessions:
        cname = school.classes[s.cls].name
        if grounds and s.venue not in grounds:
            out.append(_hard(
                "session_slot",
                f"{cname} {school.days[s.day]} 的课外体育活动不在操场 — class {cname}'s activity "
                f"session on {_day_en(school, s.day)} is not on the sports ground",
                cls=cname, day=school.days[s.day]))
        if school.day_of(s.cls, s.day).activity is None:
            out.append(_hard(
                "session_slot",
                f"{cname} {school.days[s.day]} 的作息表没有课外体育活动时段，不能安排活动 — class "
                f"{cname}'s schedule has no activity slot on {_day_en(school, s.day)}",
                cls=cname, day=school.days[s.day]))
        elif (s.cls, s.day) in seen:
            out.append(_hard(
                "session_slot",
                f"{cname} {school.days[s.day]} 安排了多于一次课外体育活动 — class {cname} has "
                f"more than one activity session on {_day_en(school, s.day)}",
                cls=cname, day=school.days[s.day]))
        seen.add((s.cls, s.day))
    return out


def check_study_cap(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """在校集中学习时间: lessons + self-study minutes per class and day ≤ the stage's cap."""
    facts = _facts(school, timetable)
    out = []
    for c, cls in enumerate(school.classes):
        cap = policy.study_cap_minutes(cls.grade)
        for d in range(len(school.days)):
            day = school.day_of(c, d)
            periods = {facts.lessons[i].period for i in facts.placed_by_class_day.get((c, d), ())}
            lessons = sum(day.periods[p].minutes for p in periods)
            study = day.study_minutes  # self-study and study events
            total = lessons + study
            if total > cap:
                out.append(_hard(
                    "study_cap",
                    f"{cls.name} {school.days[d]} 集中学习 {total} 分钟（上课 {lessons}、自习 "
                    f"{study}），超过 {cap} 分钟 {total - cap} 分钟 — class {cls.name} studies "
                    f"{total} min on {_day_en(school, d)}, cap {cap}",
                    total - cap, cls=cls.name, day=school.days[d]))
    return out


def check_morning_start(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """上午上课时间: a class's first lesson or self-study starts no earlier than allowed."""
    facts = _facts(school, timetable)
    out = []
    for c, cls in enumerate(school.classes):
        earliest = policy.earliest_start_minutes(cls.grade)
        for d in range(len(school.days)):
            day = school.day_of(c, d)
            idx = facts.placed_by_class_day.get((c, d), ())
            starts = [facts.time[i][0] for i in idx]  # type: ignore[index]
            starts += [s.start for s in day.segments if s.is_study]
            if not starts:
                continue
            first = min(starts)
            if first < earliest:
                out.append(_hard(
                    "morning_start",
                    f"{cls.name} {school.days[d]} {format_clock(first)} 开始上课（或自习），早于 "
                    f"{format_clock(earliest)} — class {cls.name} starts at {format_clock(first)} "
                    f"on {_day_en(school, d)}, earliest allowed {format_clock(earliest)}",
                    earliest - first, cls=cls.name, day=school.days[d]))
    return out


def check_teacher_unavailable(school: School, policy: Policy,
                              timetable: Timetable) -> list[Violation]:
    """教师不可用: no lesson overlaps its teacher's unavailable stretches."""
    facts = _facts(school, timetable)
    out = []
    for i in facts.placed:
        if i in facts.joined:
            continue   # one lesson of a 合班 or a 走班 group, seen at its first class
        lesson = facts.lessons[i]
        start, end = facts.time[i]  # type: ignore[misc]
        teacher = school.teachers[lesson.teacher]
        hit = next((u for u in teacher.unavailable if u.overlaps(lesson.day, start, end)), None)
        if hit is None:
            continue
        e = _lesson_entities(school, lesson)
        out.append(_hard(
            "teacher_unavailable",
            f"{teacher.name} {school.days[lesson.day]} {_span(hit.start, hit.end)} 不能上课，却排了 "
            f"{e['cls']} {_slot_zh(school, lesson.cls, lesson.day, lesson.period)} "
            f"{e['subject']} — "
            f"teacher {teacher.name} is unavailable {_day_en(school, lesson.day)} "
            f"{_span(hit.start, hit.end)} but teaches {e['cls']} "
            f"{_slot_en(school, lesson.cls, lesson.day, lesson.period)}", **e))
    return out


def check_meeting(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """教研活动与会议: no lesson of a member overlaps a meeting (one record per lesson and
    meeting); the meeting's time is the member's (``School.meeting_times``)."""
    facts = _facts(school, timetable)
    out = []
    for i in facts.placed:
        if i in facts.joined:
            continue   # one lesson of a 合班 or a 走班 group, seen at its first class
        lesson = facts.lessons[i]
        start, end = facts.time[i]  # type: ignore[misc]
        for m, hit in school.meeting_times[lesson.teacher]:
            if not hit.overlaps(lesson.day, start, end):
                continue
            name = school.meetings[m].name
            e = _lesson_entities(school, lesson)
            out.append(_hard(
                "meeting",
                f"{e['teacher']} {school.days[lesson.day]} {_span(hit.start, hit.end)} 参加{name}，"
                f"却排了 {e['cls']} {_slot_zh(school, lesson.cls, lesson.day, lesson.period)} "
                f"{e['subject']} — teacher {e['teacher']} is at {name} "
                f"{_day_en(school, lesson.day)} {_span(hit.start, hit.end)} but teaches "
                f"{e['cls']} {_slot_en(school, lesson.cls, lesson.day, lesson.period)}", **e))
    return out


def check_combined_together(school: School, policy: Policy,
                            timetable: Timetable) -> list[Violation]:
    """合班同上: the members of a combined lesson have their lessons at the same (day,
    period), with one teacher in one venue (one record per lesson and period apart)."""
    facts = _facts(school, timetable)
    out = []
    for k, comb in enumerate(school.combined):
        members = [school.requirements[q] for q in comb.members]
        at: dict[tuple[int, int], list[int]] = defaultdict(list)
        for r in members:
            for d in range(len(school.days)):
                for i in facts.placed_by_class_subject_day.get((r.cls, r.subject, d), ()):
                    at[(d, facts.lessons[i].period)].append(i)
        for (d, p), idx in sorted(at.items()):
            here = {(facts.lessons[i].cls, facts.lessons[i].subject) for i in idx}
            missing = [r for r in members if (r.cls, r.subject) not in here]
            ways = {(facts.lessons[i].teacher, facts.lessons[i].venue) for i in idx}
            if not missing and len(ways) == 1:
                continue
            slot_zh, slot_en = _slot_zh(school, members[0].cls, d, p), \
                _slot_en(school, members[0].cls, d, p)
            if missing:
                names = "、".join(school.classes[r.cls].name for r in missing)
                msg = (f"合班 {comb.name} {slot_zh} 缺少 {names} — combined lesson {comb.name} at "
                       f"{slot_en} is without {names}")
            else:
                msg = (f"合班 {comb.name} {slot_zh} 不是同一教师、同一场地 — combined lesson "
                       f"{comb.name} at {slot_en} has more than one teacher or venue")
            out.append(_hard("combined_together", msg, len(missing) or 1,
                             cls=(names if missing else school.classes[members[0].cls].name),
                             teacher=school.teachers[comb.teacher].name, day=school.days[d],
                             period=p + 1))
    return out


def check_split_together(school: School, policy: Policy,
                         timetable: Timetable) -> list[Violation]:
    """分组同上: the groups of a split lesson (分组) have their lessons at the same (day,
    period). Per split and (day, period) holding a lesson of its class and subject (with
    or without a group) or of one of its groups, amount = the groups without a lesson."""
    facts = _facts(school, timetable)
    at: dict[tuple[int, int, int], set[int]] = defaultdict(set)
    for i in facts.placed:
        lesson = facts.lessons[i]
        if i in facts.part_of:
            k, j = facts.part_of[i]
            at[(k, lesson.day, lesson.period)].add(j)
        else:
            k = school.split_of.get((lesson.cls, lesson.subject))
            if k is not None:
                at.setdefault((k, lesson.day, lesson.period), set())
    out = []
    for (k, d, p), present in sorted(at.items()):
        split = school.splits[k]
        missing = [g.name for j, g in enumerate(split.groups) if j not in present]
        if not missing:
            continue
        r = school.requirements[split.requirement]
        cname, sname = school.classes[r.cls].name, school.subjects[r.subject].name
        names = "、".join(missing)
        out.append(_hard(
            "split_together",
            f"{cname} {sname} 分组 {_slot_zh(school, r.cls, d, p)} 缺少 {names} 组的课 — "
            f"split lesson {cname} {sname} at {_slot_en(school, r.cls, d, p)}: no lesson of "
            f"group(s) {', '.join(missing)}",
            len(missing), cls=cname, subject=sname, day=school.days[d], period=p + 1))
    return out


def check_block_together(school: School, policy: Policy,
                         timetable: Timetable) -> list[Violation]:
    """走班同上: a 走班 block is one placement. Per block and (day, period) holding a
    lesson of a member's class and subject or of one of the block's groups: every member
    class has every group's lesson there, and each group is in one venue (amount = the
    (class, group) lessons missing + the groups in more than one venue)."""
    facts = _facts(school, timetable)
    at: dict[tuple[int, int, int], set[tuple[int, int]]] = defaultdict(set)
    venues: dict[tuple[int, int, int, int], set[int | None]] = defaultdict(set)
    for i in facts.placed:
        lesson = facts.lessons[i]
        if i in facts.block_of:
            b, j = facts.block_of[i]
            at[(b, lesson.day, lesson.period)].add((lesson.cls, j))
            venues[(b, j, lesson.day, lesson.period)].add(lesson.venue)
        else:
            b = school.block_of.get((lesson.cls, lesson.subject))
            if b is not None:   # the class's lesson without a group: every group is missing
                at.setdefault((b, lesson.day, lesson.period), set())
    out = []
    for (b, d, p), present in sorted(at.items()):
        block = school.blocks[b]
        classes = [school.requirements[q].cls for q in block.members]
        missing = [(c, j) for c in classes for j in range(len(block.groups))
                   if (c, j) not in present]
        split = [g.name for j, g in enumerate(block.groups)
                 if len(venues.get((b, j, d, p), ())) > 1]
        if not missing and not split:
            continue
        slot_zh, slot_en = _slot_zh(school, classes[0], d, p), _slot_en(school, classes[0], d, p)
        parts_zh, parts_en = [], []
        if missing:
            who = "、".join(f"{school.classes[c].name}{block.groups[j].name}" for c, j in missing)
            parts_zh.append(f"缺少 {who} 的课")
            parts_en.append(f"no lesson of {who}")
        if split:
            parts_zh.append(f"{'、'.join(split)} 不在同一场地")
            parts_en.append(f"group(s) {', '.join(split)} in more than one venue")
        out.append(_hard(
            "block_together",
            f"走班 {block.name} {slot_zh}：{'；'.join(parts_zh)} — 走班 block {block.name} at "
            f"{slot_en}: {'; '.join(parts_en)}",
            len(missing) + len(split),
            cls="、".join(school.classes[c].name for c in dict.fromkeys(c for c, _ in missing))
            or school.classes[classes[0]].name, day=school.days[d], period=p + 1))
    return out


def check_alternate_slot(school: School, policy: Policy,
                         timetable: Timetable) -> list[Violation]:
    """单双周: the lessons with a week (单周/双周) of one class slot are the sides of an
    alternating slot of the class (``School.alternates``), no more slots with a pair
    than the alternates with it (one record per slot that is not, or is one too many).

    A slot's pair is (subject of its 单周 lessons, subject of its 双周 lessons), a side
    with none being free; the slots with a pair are matched to the class's alternates
    with that pair in (day, period) order."""
    _facts(school, timetable)   # validates the lessons
    weeks: dict[tuple[int, int, int], list[list[int]]] = defaultdict(lambda: [[], []])
    for x in timetable.lessons:
        if x.week in WEEKS:
            weeks[(x.cls, x.day, x.period)][x.week - 1].append(x.subject)
    room: dict[tuple[int, int | None, int | None], int] = defaultdict(int)
    for k in school.alternates:
        pair = tuple(None if q is None else school.requirements[q].subject
                     for q in (k.odd, k.even))
        room[(k.cls, *pair)] += 1   # type: ignore[arg-type]
    out = []
    for (c, d, p), (odd, even) in sorted(weeks.items()):
        key = (c, odd[0] if len(odd) == 1 else None, even[0] if len(even) == 1 else None)
        fits = len(odd) <= 1 and len(even) <= 1
        if fits and room.get(key, 0) > 0:
            room[key] -= 1
            continue
        cname = school.classes[c].name
        names = ["、".join(school.subjects[s].name for s in side) or "无课" for side in (odd, even)]
        en = [", ".join(school.subjects[s].name for s in side) or "nothing" for side in (odd, even)]
        known = fits and key in room   # the class has slots with this pair, all taken
        why_zh = "多于 alternate 中的这一对" if known else "不是 alternate 中的单双周课"
        why_en = ("one slot more than the alternating slots with this pair" if known
                  else "no alternating slot of the school file (alternate) has this pair")
        out.append(_hard(
            "alternate_slot",
            f"{cname} {_slot_zh(school, c, d, p)} 单周 {names[0]}、双周 {names[1]}，{why_zh} — "
            f"class {cname} {_slot_en(school, c, d, p)}: {en[0]} in odd weeks, {en[1]} in "
            f"even weeks: {why_en}",
            cls=cname, subject=school.subjects[(odd or even)[0]].name, day=school.days[d],
            period=p + 1))
    return out


def check_fixed_slot(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """固定时段: every fixed period of a requirement holds a lesson of its class and
    subject (one record per fixed period without one)."""
    facts = _facts(school, timetable)
    out = []
    for i, r in enumerate(school.requirements):
        cls, subject = school.classes[r.cls].name, school.subjects[r.subject].name
        for d, p in school.fixed_periods[i]:
            idx = facts.placed_by_class_subject_day.get((r.cls, r.subject, d), ())
            if any(facts.lessons[k].period == p for k in idx):
                continue
            out.append(_hard(
                "fixed_slot",
                f"{cls} 的 {subject} 固定在{_slot_zh(school, r.cls, d, p)}，但这一节没有排 {subject} — "
                f"{cls}'s {subject} is fixed in {_slot_en(school, r.cls, d, p)} but is not "
                f"there", cls=cls, subject=subject, day=school.days[d], period=p + 1))
    return out


def check_forbidden_slot(school: School, policy: Policy,
                         timetable: Timetable) -> list[Violation]:
    """禁排时段: no lesson in a forbidden period of its subject for its class (the
    requirement's ``forbidden`` and the subject's own; one record per lesson)."""
    facts = _facts(school, timetable)
    banned: dict[tuple[int, int], frozenset[tuple[int, int]]] = {}
    out = []
    for i in facts.placed:
        lesson = facts.lessons[i]
        if i in facts.hidden:
            continue   # a group of a split lesson: the class's lesson there is checked
        key = (lesson.cls, lesson.subject)
        if key not in banned:
            q = facts.req_of.get(key)
            banned[key] = (school.forbidden_periods[q] if q is not None
                           else school.forbidden_of(*key))
        if (lesson.day, lesson.period) not in banned[key]:
            continue
        e = _lesson_entities(school, lesson)
        out.append(_hard(
            "forbidden_slot",
            f"{e['cls']} {_slot_zh(school, lesson.cls, lesson.day, lesson.period)} 是 {e['subject']} "
            f"的禁排时段，却排了 {e['subject']} — {e['cls']} has {e['subject']} in "
            f"{_slot_en(school, lesson.cls, lesson.day, lesson.period)}, a period where "
            f"{e['subject']} is forbidden", **e))
    return out


def check_teacher_daily_max(school: School, policy: Policy,
                            timetable: Timetable) -> list[Violation]:
    """教师每日节数: a teacher's lessons per day ≤ ``max_periods_per_day`` (a combined
    lesson, 合班, counts once)."""
    facts = _facts(school, timetable)
    count: dict[tuple[int, int], int] = defaultdict(int)
    for i, lesson in enumerate(timetable.lessons):
        if i not in facts.joined:
            count[(lesson.teacher, lesson.day)] += 1
    out = []
    for (t, d), n in sorted(count.items()):
        teacher = school.teachers[t]
        most = teacher.max_periods_per_day
        if most is not None and n > most:
            out.append(_hard(
                "teacher_daily_max",
                f"{teacher.name} {school.days[d]} 上 {n} 节课，每天至多 {most} 节 — teacher "
                f"{teacher.name} has {n} lessons on {_day_en(school, d)}, at most {most}",
                n - most, teacher=teacher.name, day=school.days[d]))
    return out


def _double_blocks(school: School, facts: _Facts, cls: int, subject: int) -> int:
    blocks = 0
    for d in range(len(school.days)):
        idx = facts.placed_by_class_subject_day.get((cls, subject, d), ())
        periods = sorted({facts.lessons[i].period for i in idx})
        joined = school.day_of(cls, d).joined
        taken = set(periods)
        p_skip = -1
        for p in periods:
            if p == p_skip:
                continue
            if p + 1 in taken and joined[p]:
                blocks += 1
                p_skip = p + 1
    return blocks


def check_level_progress(school: School, policy: Policy,
                         timetable: Timetable) -> list[Violation]:
    """教案齐头 (with ``level_progress``): a teacher's classes of one subject and grade
    have lessons of it on the same days (one record per group and day they differ)."""
    if not policy.level_progress:
        return []
    from .core import level_progress_groups

    facts = _facts(school, timetable)
    out = []
    for t, subject, _, qs in level_progress_groups(school):
        classes = [school.requirements[q].cls for q in qs]
        tname, sname = school.teachers[t].name, school.subjects[subject].name
        for d in range(len(school.days)):
            have = [c for c in classes if facts.placed_by_class_subject_day.get((c, subject, d))]
            if not have or len(have) == len(classes):
                continue
            yes = "、".join(school.classes[c].name for c in have)
            no = "、".join(school.classes[c].name for c in classes if c not in have)
            out.append(_hard(
                "level_progress",
                f"{tname} 的 {sname} 教案不齐头：{school.days[d]} {yes} 有课，{no} 没有 — teacher "
                f"{tname}'s {sname} classes are not in step on {_day_en(school, d)}: {yes} have "
                f"it, {no} do not", teacher=tname, subject=sname, day=school.days[d]))
    return out


def check_double_period(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """连堂: a requirement with ``doubles = k`` has ≥ k double blocks."""
    facts = _facts(school, timetable)
    out = []
    for r in school.requirements:
        if r.doubles <= 0:
            continue
        blocks = _double_blocks(school, facts, r.cls, r.subject)
        if blocks < r.doubles:
            cname, sname = school.classes[r.cls].name, school.subjects[r.subject].name
            out.append(_hard(
                "double_period",
                f"{cname} {sname} 应有 {r.doubles} 次连堂，课表只有 {blocks} 次 — class {cname} "
                f"needs {r.doubles} double period(s) of {sname}, timetable has {blocks}",
                r.doubles - blocks, cls=cname, subject=sname))
    return out


# --------------------------------------------------------------------------------------
# Soft rules
# --------------------------------------------------------------------------------------
def check_main_morning(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """主科上午: each main-subject lesson in an afternoon period costs one unit."""
    facts = _facts(school, timetable)
    out = []
    slots: set[tuple[int, int, int]] = set()
    for i in facts.placed:
        lesson = facts.lessons[i]
        if i in facts.hidden or not school.subjects[lesson.subject].is_main \
                or not school.combined_lead(lesson.cls, lesson.subject) \
                or _counted(slots, lesson):
            continue
        if school.day_of(lesson.cls, lesson.day).afternoon[lesson.period]:
            e = _lesson_entities(school, lesson)
            out.append(_soft(
                "main_morning", policy,
                f"{e['cls']} 主科 {e['subject']} 排在下午 "
                f"{_slot_zh(school, lesson.cls, lesson.day, lesson.period)} — main subject "
                f"{e['subject']} of {e['cls']} is in the afternoon, "
                f"{_slot_en(school, lesson.cls, lesson.day, lesson.period)}", **e))
    return out


def _counted(slots: set[tuple[int, int, int]], lesson: Lesson) -> bool:
    """单双周: whether a class slot's lesson with a week was counted already (the sides of
    an alternating slot count once, as the engine's one activity does); records it."""
    if lesson.week is None:
        return False
    key = (lesson.cls, lesson.day, lesson.period)
    if key in slots:
        return True
    slots.add(key)
    return False


def _once_daily_limit(school: School, facts: _Facts, r_index: int) -> int:
    r = school.requirements[r_index]
    days = max(1, len(facts.req_days[r_index]))
    return max(1, math.ceil(r.periods / days)) + (1 if r.doubles > 0 else 0)


def check_subject_once_daily(school: School, policy: Policy,
                             timetable: Timetable) -> list[Violation]:
    """同科每天一次: per requirement and day, lessons beyond ``m`` cost one unit each."""
    facts = _facts(school, timetable)
    out = []
    for ri, r in enumerate(school.requirements):
        if not school.combined_lead(r.cls, r.subject):
            continue   # a combined lesson (合班) counts once, with its first member
        m = _once_daily_limit(school, facts, ri)
        for d in range(len(school.days)):
            n = len(facts.placed_by_class_subject_day.get((r.cls, r.subject, d), ()))
            if n > m:
                cname, sname = school.classes[r.cls].name, school.subjects[r.subject].name
                out.append(_soft(
                    "subject_once_daily", policy,
                    f"{cname} {school.days[d]} 排了 {n} 节 {sname}，每天宜不超过 {m} 节 — class "
                    f"{cname} has {n} lessons of {sname} on {_day_en(school, d)}, at most {m} "
                    f"wanted",
                    n - m, cls=cname, subject=sname, day=school.days[d]))
    return out


def check_pe_placement(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """体育课位置: a PE lesson in the day's first period or first period after lunch."""
    facts = _facts(school, timetable)
    out = []
    slots: set[tuple[int, int, int]] = set()
    for i in facts.placed:
        lesson = facts.lessons[i]
        if i in facts.hidden or not school.subjects[lesson.subject].is_pe \
                or not school.combined_lead(lesson.cls, lesson.subject) \
                or _counted(slots, lesson):
            continue
        day = school.day_of(lesson.cls, lesson.day)
        if lesson.period == 0 or day.after_lunch[lesson.period]:
            e = _lesson_entities(school, lesson)
            which, which_en = (("第一节", "the first period") if lesson.period == 0
                               else ("午饭后第一节", "the first period after lunch"))
            out.append(_soft(
                "pe_placement", policy,
                f"{e['cls']} 体育课排在{which}"
                f"（{_slot_zh(school, lesson.cls, lesson.day, lesson.period)}）"
                f" — PE of {e['cls']} is in {which_en}, "
                f"{_slot_en(school, lesson.cls, lesson.day, lesson.period)}", **e))
    return out


def _teacher_periods(facts: _Facts) -> dict[tuple[int, int], dict[int, bool]]:
    """(teacher, day) → {period index: in an afternoon period of any of its lessons}."""
    school = facts.school
    out: dict[tuple[int, int], dict[int, bool]] = {}
    for key, idx in facts.placed_by_teacher_day.items():
        periods: dict[int, bool] = {}
        for i in idx:
            lesson = facts.lessons[i]
            pm = school.day_of(lesson.cls, lesson.day).afternoon[lesson.period]
            periods[lesson.period] = periods.get(lesson.period, False) or pm
        out[key] = periods
    return out


def check_teacher_gaps(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """教师空堂: per teacher and day, (last − first + 1) − distinct periods taught."""
    facts = _facts(school, timetable)
    out = []
    for (t, d), periods in sorted(_teacher_periods(facts).items()):
        gaps = max(periods) - min(periods) + 1 - len(periods)
        if gaps > 0:
            name = school.teachers[t].name
            out.append(_soft(
                "teacher_gaps", policy,
                f"{name} {school.days[d]} 第{min(periods) + 1}–{max(periods) + 1}节之间有 {gaps} "
                f"节空堂 — teacher {name} has {gaps} idle period(s) on {_day_en(school, d)}",
                gaps, teacher=name, day=school.days[d]))
    return out


def check_teacher_consecutive(school: School, policy: Policy,
                              timetable: Timetable) -> list[Violation]:
    """教师连续上课: a run of L > ``teacher_max_consecutive`` periods costs L − max."""
    facts = _facts(school, timetable)
    most = policy.teacher_max_consecutive
    out = []
    for (t, d), periods in sorted(_teacher_periods(facts).items()):
        order = sorted(periods)
        runs: list[tuple[int, int]] = []   # (first period, length)
        for p in order:
            if runs and p == runs[-1][0] + runs[-1][1] and not (periods[p] and not periods[p - 1]):
                runs[-1] = (runs[-1][0], runs[-1][1] + 1)
            else:
                runs.append((p, 1))
        for first, length in runs:
            if length > most:
                name = school.teachers[t].name
                out.append(_soft(
                    "teacher_consecutive", policy,
                    f"{name} {school.days[d]} 第{first + 1}–{first + length}节连续上 {length} 节课，"
                    f"超过 {most} 节 — teacher {name} teaches {length} periods in a row on "
                    f"{_day_en(school, d)} (periods {first + 1}–{first + length}), more than "
                    f"{most}",
                    length - most, teacher=name, day=school.days[d], period=first + 1))
    return out


def check_parallel_step(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """平行班同步: per grade, subject and day, min(k, N − k) of the N parallel classes."""
    facts = _facts(school, timetable)
    taught: dict[tuple[int, int], list[int]] = defaultdict(list)
    for r in school.requirements:
        # a 合班 or a 走班 has no single grade; lessons every other week (单双周) are not in step
        if len(school.members_with(r.cls, r.subject)) == 1 and r.periods > 0:
            taught[(school.classes[r.cls].grade, r.subject)].append(r.cls)
    out = []
    for (grade, s), classes in sorted(taught.items()):
        n = len(classes)
        if n < 2:
            continue
        for d in range(len(school.days)):
            having = [c for c in classes if (c, s, d) in facts.placed_by_class_subject_day]
            units = min(len(having), n - len(having))
            if units > 0:
                sname = school.subjects[s].name
                names = "、".join(school.classes[c].name for c in having)
                out.append(_soft(
                    "parallel_step", policy,
                    f"{_grade_zh(grade)} {sname} {school.days[d]} 只有 {len(having)}/{n} 个班上课"
                    f"（{names}），平行班进度不同步 — grade {grade} {sname}: {len(having)} of {n} "
                    f"parallel classes have it on {_day_en(school, d)}",
                    units, subject=sname, day=school.days[d]))
    return out


def check_spread(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """分散安排: a subject on two adjacent school days, when it could be spread out."""
    facts = _facts(school, timetable)
    out = []
    for ri, r in enumerate(school.requirements):
        days = len(facts.req_days[ri])
        if not 2 <= r.periods - r.doubles < days or not school.combined_lead(r.cls, r.subject):
            continue
        has = [(r.cls, r.subject, d) in facts.placed_by_class_subject_day
               for d in range(len(school.days))]
        for d in range(len(school.days) - 1):
            if has[d] and has[d + 1]:
                cname, sname = school.classes[r.cls].name, school.subjects[r.subject].name
                out.append(_soft(
                    "spread", policy,
                    f"{cname} {sname} 排在相邻两天 {school.days[d]} 和 {school.days[d + 1]}，宜分散 — "
                    f"class {cname} has {sname} on consecutive days {_day_en(school, d)} and "
                    f"{_day_en(school, d + 1)}", cls=cname, subject=sname, day=school.days[d]))
    return out


def check_head_teacher_first(school: School, policy: Policy,
                             timetable: Timetable) -> list[Violation]:
    """班主任上第一节: a school day of a class whose period 1 its 班主任 does not teach."""
    facts = _facts(school, timetable)
    out = []
    for c, cls in enumerate(school.classes):
        if cls.head_teacher is None:
            continue
        head = school.teachers[cls.head_teacher].name
        for d in facts.class_days[c]:
            if any(facts.lessons[i].period == 0 and facts.lessons[i].teacher == cls.head_teacher
                   for i in facts.all_placed_by_class_day.get((c, d), ())):
                continue
            out.append(_soft(
                "head_teacher_first", policy,
                f"{cls.name} {school.days[d]}第1节不是班主任 {head} 的课 — class {cls.name}: "
                f"period 1 on {_day_en(school, d)} is not taught by its head teacher {head}",
                cls=cls.name, teacher=head, day=school.days[d], period=1))
    return out


def check_teacher_wish(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """教师意愿: per wish of a teacher, the placed lessons of the teacher against it
    (:meth:`Wish.against`), amount = their number × the wish's weight."""
    facts = _facts(school, timetable)
    out = []
    for t, teacher in enumerate(school.teachers):
        if not teacher.wishes:
            continue
        schedule = school.schedules[school.schedule_of_teacher(t)]
        for j, wish in enumerate(teacher.wishes):
            n = sum(1 for d in wish.days(len(school.days))
                    for i in facts.teaching_by_teacher_day.get((t, d), ())
                    if i not in facts.week_repeat   # 单双周: the teacher's period once
                    and wish.against(d, facts.lessons[i].period, *facts.time[i]))  # type: ignore[misc]
            if not n:
                continue
            what = wish.describe(school.days, schedule)
            out.append(_soft(
                "teacher_wish", policy,
                f"{teacher.name} 的意愿「{what}」（权重 {wish.weight}）未满足：{n} 节课 — teacher "
                f"{teacher.name}'s wish {what} (weight {wish.weight}) is not met by {n} lesson(s)",
                n * wish.weight, teacher=teacher.name))
    return out


def check_moved_lesson(school: School, policy: Policy, timetable: Timetable,
                       kept: Timetable | None = None,
                       kept_school: School | None = None) -> list[Violation]:
    """调整节数: each lesson of the kept timetable whose slot and subject changed.

    ``kept_school`` is the school ``kept`` was made for when it is not ``school`` (a
    teacher removed, a class added): lessons are then matched by class, subject and day
    names and the period, and a kept lesson whose class or subject is gone has moved.
    """
    if kept is None:
        return []
    old = kept_school or school
    now = {(school.classes[x.cls].name, school.days[x.day], x.period,
            school.subjects[x.subject].name, x.week) for x in timetable.lessons}
    out = []
    seen = set()
    for lesson in kept.lessons:
        cname, sname = old.classes[lesson.cls].name, old.subjects[lesson.subject].name
        key = (cname, old.days[lesson.day], lesson.period, sname, lesson.week)
        if old.group_rank(lesson.cls, lesson.group, lesson.subject) > 0:
            continue   # a split lesson (分组) or 走班 block is kept as its first group's lesson
        if key in now or key in seen:
            continue
        seen.add(key)
        zh, en = ((f"（{WEEK_ZH[lesson.week]}）", f" ({WEEK_EN[lesson.week]})")
                  if lesson.week is not None else ("", ""))
        out.append(_soft(
            "moved_lesson", policy,
            f"{cname} 原 {old.days[lesson.day]}第{lesson.period + 1}节 {sname}{zh} 已调整 — "
            f"class {cname}: {sname}{en} at {_day_en(old, lesson.day)} period "
            f"{lesson.period + 1} was moved", cls=cname, subject=sname,
            day=old.days[lesson.day], period=lesson.period + 1, week=lesson.week))
    return out


# --------------------------------------------------------------------------------------
# Plan against the policy: the curriculum, 挤占, 课后服务, school days, period length and
# the common 大课间 (docs/rules.md "Plan against the policy")
# --------------------------------------------------------------------------------------
def _line(school: School, subject: int) -> str:
    sub = school.subjects[subject]
    return curriculum_line(sub.name, sub.part_of)


def check_curriculum(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """开齐开足（课程方案）: every class has at least the profile's weekly periods of each
    mandated subject of its grade; a flexible group counts as one (its total)."""
    facts = _facts(school, timetable)
    have: dict[tuple[int, str], int] = defaultdict(int)
    for (c, s), idx in facts.all_by_class_subject.items():
        have[(c, _line(school, s))] += len(idx)
    return _curriculum_records(school, policy, have)


def _curriculum_records(school: School, policy: Policy,
                        have: dict[tuple[int, str], int]) -> list[Violation]:
    """The ``curriculum`` records for periods ``have[(class, curriculum subject)]``."""
    flexible = {name: group for group in policy.curriculum_flexible for name in group}
    out = []
    for c, cls in enumerate(school.classes):
        want = policy.curriculum_for(cls.grade)
        done: set[tuple[str, ...]] = set()
        for name, n in want.items():
            group = flexible.get(name, (name,))
            if group in done:
                continue
            done.add(group)
            need = sum(want.get(x, 0) for x in group)
            got = sum(have[(c, x)] for x in group)
            if got >= need:
                continue
            what = "、".join(group)
            out.append(_hard(
                "curriculum",
                f"{cls.name} {what} 每周 {got} 节，课程方案规定{_grade_zh(cls.grade)}至少 {need} 节，"
                f"少 {need - got} 节 — class {cls.name} has {got} period(s) of {what} a week, the "
                f"curriculum requires at least {need} in grade {cls.grade}",
                need - got, cls=cls.name, subject=what))
    return out


def check_occupied_subject(school: School, policy: Policy,
                           timetable: Timetable) -> list[Violation]:
    """挤占: a protected subject's lesson of a class (PE, 音乐, 美术, 劳动, 科学, 信息科技)
    is not taught by a teacher of the class's main subjects (语数外) who is not qualified
    for it (the teacher's ``subjects``); off under ``generalist_teachers`` (包班)."""
    if policy.generalist_teachers:
        return []
    facts = _facts(school, timetable)
    protected, main = set(policy.protected_subjects), set(policy.main_subjects)
    mains: dict[int, dict[int, str]] = defaultdict(dict)   # class -> main teacher -> subject
    for i, lesson in enumerate(facts.lessons):
        line = _line(school, lesson.subject)
        if line in main and i not in facts.hidden:
            mains[lesson.cls].setdefault(lesson.teacher, line)
    out = []
    for lesson in facts.lessons:
        line = _line(school, lesson.subject)
        own = mains[lesson.cls].get(lesson.teacher)
        if line not in protected or own is None:
            continue
        qualified = {_line(school, s) for s in school.teachers[lesson.teacher].subjects}
        if line in qualified:
            continue
        e = _lesson_entities(school, lesson)
        out.append(_hard(
            "occupied_subject",
            f"{e['cls']} {_slot_zh(school, lesson.cls, lesson.day, lesson.period)} 的 {e['subject']} "
            f"由本班{own}教师 {e['teacher']} 上，该教师未登记任教{e['subject']}（挤占） — class "
            f"{e['cls']} {_slot_en(school, lesson.cls, lesson.day, lesson.period)}: {e['subject']} "
            f"is taught by the class's {own} teacher {e['teacher']}, who is not registered for it",
            **e))
    return out


def _service(day) -> tuple[int, int, int] | None:
    """(start, end, minutes) of a day's 课后服务: its after-school segments and the
    after-class activity segment right before the first of them (only breaks between)."""
    segs = sorted(day.segments, key=lambda x: x.start)
    first = next((k for k, x in enumerate(segs) if x.kind is SegmentKind.AFTER_SCHOOL), None)
    if first is None:
        return None
    parts = [x for x in segs if x.kind is SegmentKind.AFTER_SCHOOL]
    k = first - 1
    while k >= 0 and segs[k].kind in (SegmentKind.BREAK, SegmentKind.EYE):
        k -= 1
    if k >= 0 and segs[k].kind is SegmentKind.ACTIVITY:
        parts.append(segs[k])
    return (min(x.start for x in parts), max(x.end for x in parts), sum(x.minutes for x in parts))


_AFTERNOON = parse_clock("13:00")   # lessons ending after this make a day with an afternoon


def check_service_time(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """课后服务与午休: no lesson in a period that starts once 课后服务 has begun; every
    school day has 课后服务 of ≥ ``service_minutes`` ending no earlier than
    ``service_end_not_before``; a day with lessons after 13:00 has a lunch segment of
    ≥ ``min_lunch_minutes``. Per bell schedule in use and day with lessons."""
    facts = _facts(school, timetable)
    windows = {(si, d): _service(day) for si in facts.schedules_in_use
               for d, day in enumerate(school.schedules[si].days)}
    out = []
    for i in facts.placed:
        lesson = facts.lessons[i]
        window = windows[(school.classes[lesson.cls].schedule, lesson.day)]
        start, _ = facts.time[i]  # type: ignore[misc]
        if window is not None and start >= window[0]:
            e = _lesson_entities(school, lesson)
            out.append(_hard(
                "service_time",
                f"{e['cls']} {_slot_zh(school, lesson.cls, lesson.day, lesson.period)} 在课后服务时间"
                f"（{format_clock(window[0])} 起）排了 {e['subject']} — class {e['cls']} has "
                f"{e['subject']} at {_slot_en(school, lesson.cls, lesson.day, lesson.period)}, "
                f"inside after-school service time (from {format_clock(window[0])})", **e))
    end_rule = (parse_clock(policy.service_end_not_before)
                if policy.service_end_not_before is not None else None)
    for si in facts.schedules_in_use:
        sched = school.schedules[si]
        for d, day in enumerate(sched.days):
            if not day.periods:
                continue
            where_zh, where_en = f"作息表 {sched.name} {school.days[d]}", \
                f"bell schedule {sched.name} {_day_en(school, d)}"
            window = _service(day)
            minutes = window[2] if window is not None else 0
            if minutes < policy.service_minutes:
                out.append(_hard(
                    "service_time",
                    f"{where_zh} 课后服务只有 {minutes} 分钟，每天至少 {policy.service_minutes} 分钟 — "
                    f"{where_en}: {minutes} min of after-school service, at least "
                    f"{policy.service_minutes} needed", policy.service_minutes - minutes,
                    day=school.days[d]))
            if end_rule is not None and window is not None and window[1] < end_rule:
                out.append(_hard(
                    "service_time",
                    f"{where_zh} 课后服务 {format_clock(window[1])} 结束，不应早于 "
                    f"{policy.service_end_not_before} — {where_en}: after-school service ends at "
                    f"{format_clock(window[1])}, not before {policy.service_end_not_before}",
                    end_rule - window[1], day=school.days[d]))
            if policy.min_lunch_minutes and max(x.end for x in day.periods) > _AFTERNOON:
                lunch = max((x.minutes for x in day.of_kind(SegmentKind.LUNCH)), default=0)
                if lunch < policy.min_lunch_minutes:
                    out.append(_hard(
                        "service_time",
                        f"{where_zh} 下午有课，午间休息只有 {lunch} 分钟，至少 "
                        f"{policy.min_lunch_minutes} 分钟（午间不得集中上课） — {where_en}: lessons "
                        f"after 13:00 with {lunch} min of lunch and noon rest, at least "
                        f"{policy.min_lunch_minutes} needed", policy.min_lunch_minutes - lunch,
                        day=school.days[d]))
    return out


def check_school_days(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """上课日: no lesson on a day that is not one of the profile's school days (周六 补课);
    a day whose name is not a weekday name is taken as a school day."""
    facts = _facts(school, timetable)
    allowed = set(policy.school_days)
    out = []
    for lesson in facts.lessons:
        en = _day_en(school, lesson.day)
        if en not in _EN_DAYS.values() or en in allowed:
            continue
        e = _lesson_entities(school, lesson)
        out.append(_hard(
            "school_days",
            f"{e['cls']} {school.days[lesson.day]} 排了 {e['subject']}，{school.days[lesson.day]}不是"
            f"上课日（不得双休日补课） — class {e['cls']} has {e['subject']} on {en}, not a school day",
            **e))
    return out


def check_period_length(school: School, policy: Policy, timetable: Timetable) -> list[Violation]:
    """课时长度: every lesson's period is within the stage's range (``period_minutes_range``,
    长短课), and a class's weekly lesson minutes are at least its lessons × the stage's
    period length (``period_minutes``: 长短课 keep the weekly minutes)."""
    facts = _facts(school, timetable)
    out = []
    minutes: dict[int, list[int]] = defaultdict(list)
    for i in facts.placed:
        if i in facts.hidden:
            continue
        lesson = facts.lessons[i]
        grade = school.classes[lesson.cls].grade
        low, high = policy.period_range_for(grade)
        m = facts.lesson_minutes(i)
        minutes[lesson.cls].append(m)
        if low <= m <= high:
            continue
        e = _lesson_entities(school, lesson)
        want = f"{low}" if low == high else f"{low}–{high}"
        out.append(_hard(
            "period_length",
            f"{e['cls']} {_slot_zh(school, lesson.cls, lesson.day, lesson.period)} 这节课 {m} 分钟，"
            f"应为 {want} 分钟 — class {e['cls']} "
            f"{_slot_en(school, lesson.cls, lesson.day, lesson.period)}: a {m}-minute period, "
            f"{want} minutes expected", **e))
    for c, ms in sorted(minutes.items()):
        cls = school.classes[c]
        need = len(ms) * policy.period_minutes_for(cls.grade)
        if sum(ms) < need:
            out.append(_hard(
                "period_length",
                f"{cls.name} 每周上课 {sum(ms)} 分钟，{len(ms)} 节课应有 {need} 分钟（长短课总时长不变） — "
                f"class {cls.name} has {sum(ms)} lesson minutes a week, {len(ms)} periods need {need}",
                need - sum(ms), cls=cls.name))
    return out


def check_long_break_common(school: School, policy: Policy,
                            timetable: Timetable) -> list[Violation]:
    """全校统一大课间: on every day, the bell schedules in use have the day's first long
    break (the 大课间) at the same time (one record per day and schedule differing from the
    first schedule with a long break that day); a second one (Beijing's afternoon 大课间)
    may differ; off when ``long_break_common`` is false (per campus)."""
    if not policy.long_break_common:
        return []
    facts = _facts(school, timetable)
    out = []
    for d in range(len(school.days)):
        times: list[tuple[int, tuple[tuple[int, int], ...]]] = []
        for si in facts.schedules_in_use:
            day = school.schedules[si].days[d]
            if day.periods:
                breaks = sorted((x.start, x.end) for x in day.of_kind(SegmentKind.LONG_BREAK))
                if breaks:
                    times.append((si, tuple(breaks[:1])))
        if not times:
            continue
        ref, first = times[0]
        for si, breaks in times[1:]:
            if breaks == first:
                continue
            shown = "、".join(_span(a, b) for a, b in breaks)
            ref_shown = "、".join(_span(a, b) for a, b in first)
            a_name, b_name = school.schedules[ref].name, school.schedules[si].name
            out.append(_hard(
                "long_break_common",
                f"{school.days[d]} 作息表 {b_name} 的大课间在 {shown}，{a_name} 在 {ref_shown}，"
                f"全校应统一 — {_day_en(school, d)}: bell schedule {b_name} has its long break at "
                f"{shown}, {a_name} at {ref_shown}; the school's is at one time",
                1, day=school.days[d]))
    return out


def plan_violations(school: School, policy: Policy) -> list[Violation]:
    """The plan-level rules on the school alone, before any timetable: ``curriculum``
    and ``occupied_subject`` on the requirements (and the groups of 分组 and 走班), the
    bell-schedule parts of ``service_time`` and ``long_break_common``, and
    ``school_days``, ``period_length`` and ``service_time`` on every period a class may
    use. A school with any of them has no compliant timetable."""
    empty = Timetable(())
    out = check_service_time(school, policy, empty) + check_long_break_common(school, policy, empty)
    for week in (WEEKS if school.alternates else (None,)):   # 单双周: each week of the cycle
        have: dict[tuple[int, str], int] = defaultdict(int)
        for q, r in enumerate(school.requirements):
            have[(r.cls, _line(school, r.subject))] += school.week_periods(q, week)
        found = _curriculum_records(school, policy, have)
        if week is not None:
            found = [dataclasses.replace(v, message=f"{WEEK_ZH[week]}（{WEEK_EN[week]}）：{v.message}")
                     for v in found]
        out += found
    if not policy.generalist_teachers:
        taught: list[tuple[int, int, int]] = [(r.cls, r.subject, r.teacher) for r in school.requirements]
        for k in school.splits:
            r = school.requirements[k.requirement]
            taught += [(r.cls, g.subject, g.teacher) for g in k.groups]
        for b in school.blocks:
            for q in b.members:
                taught += [(school.requirements[q].cls, g.subject, g.teacher) for g in b.groups]
        mains = {(c, t): _line(school, s) for c, s, t in taught
                 if _line(school, s) in policy.main_subjects}
        for c, s, t in sorted(set(taught)):
            line, own = _line(school, s), mains.get((c, t))
            if line not in policy.protected_subjects or own is None \
                    or line in {_line(school, x) for x in school.teachers[t].subjects}:
                continue
            cname, tname, sname = school.classes[c].name, school.teachers[t].name, school.subjects[s].name
            out.append(_hard(
                "occupied_subject",
                f"{cname} 的 {sname} 由本班{own}教师 {tname} 任教，该教师未登记任教{sname}（挤占） — "
                f"class {cname}: {sname} is assigned to its {own} teacher {tname}, who is not "
                f"registered for it", cls=cname, teacher=tname, subject=sname))
    allowed = set(policy.school_days)
    for c, cls in enumerate(school.classes):
        low, high = policy.period_range_for(cls.grade)
        for d in range(len(school.days)):
            n = school.usable_periods(c, d)
            en = _day_en(school, d)
            if n and en in _EN_DAYS.values() and en not in allowed:
                out.append(_hard(
                    "school_days", f"{cls.name} {school.days[d]}有 {n} 节课，{school.days[d]}不是上课日 — "
                    f"class {cls.name} has {n} periods on {en}, not a school day", n,
                    cls=cls.name, day=school.days[d]))
            day = school.day_of(c, d)
            window = _service(day)
            for p, seg in enumerate(day.periods[:n]):
                where = f"{cls.name} {_slot_zh(school, c, d, p)}"
                where_en = f"class {cls.name} {_slot_en(school, c, d, p)}"
                if not low <= seg.minutes <= high:
                    want = f"{low}" if low == high else f"{low}–{high}"
                    out.append(_hard(
                        "period_length", f"{where} 这节课 {seg.minutes} 分钟，应为 {want} 分钟 — "
                        f"{where_en}: a {seg.minutes}-minute period, {want} minutes expected",
                        cls=cls.name, day=school.days[d], period=p + 1))
                if window is not None and seg.start >= window[0]:
                    out.append(_hard(
                        "service_time", f"{where} 在课后服务时间（{format_clock(window[0])} 起）— "
                        f"{where_en} is inside after-school service time", cls=cls.name,
                        day=school.days[d], period=p + 1))
    return out


# --------------------------------------------------------------------------------------
# Tables of contents
# --------------------------------------------------------------------------------------
HARD_RULES: tuple[tuple[str, str, str, RuleFunction], ...] = (
    ("coverage", "开齐开足", "Curriculum coverage", check_coverage),
    ("weekly_total", "周课时总量", "Weekly period total", check_weekly_total),
    ("pe_periods", "体育课时", "PE periods per week", check_pe_periods),
    ("teacher_assignment", "任课教师", "Assigned teacher", check_teacher_assignment),
    ("head_teacher_meeting", "班会由班主任上", "Class meeting taught by the head teacher",
     check_head_teacher_meeting),
    ("cover_teacher", "代课教师", "Cover teacher qualified", check_cover_teacher),
    ("class_clash", "班级冲突", "Class clash", check_class_clash),
    ("teacher_clash", "教师冲突", "Teacher clash", check_teacher_clash),
    ("venue_clash", "场地超员", "Venue over capacity", check_venue_clash),
    ("venue_need", "专用教室", "Special venue needed", check_venue_need),
    ("lesson_outside_periods", "课表越界", "Lesson outside the day's periods",
     check_lesson_outside_periods),
    ("long_break", "大课间", "Daily long break", check_long_break),
    ("short_break", "课间时长", "Break between periods", check_short_break),
    ("daily_breaks", "每天课间总时长", "Daily break total", check_daily_breaks),
    ("daily_activity", "每天校内体育活动", "Daily physical activity", check_daily_activity),
    ("daily_pe", "每天体育课", "Daily PE lesson", check_daily_pe),
    ("session_slot", "课外活动时段", "Activity session slot", check_session_slot),
    ("study_cap", "在校集中学习时间", "Daily study-time cap", check_study_cap),
    ("morning_start", "上午上课时间", "Morning start time", check_morning_start),
    ("teacher_unavailable", "教师不可用", "Teacher unavailable", check_teacher_unavailable),
    ("meeting", "教研活动与会议", "Meetings (教研活动, 行政会)", check_meeting),
    ("fixed_slot", "固定时段", "Fixed period", check_fixed_slot),
    ("forbidden_slot", "禁排时段", "Forbidden period", check_forbidden_slot),
    ("combined_together", "合班同上", "Combined lessons together", check_combined_together),
    ("split_together", "分组同上", "Split groups at the same time", check_split_together),
    ("block_together", "走班同上", "走班 block in one placement", check_block_together),
    ("alternate_slot", "单双周", "Alternating weeks", check_alternate_slot),
    ("teacher_daily_max", "教师每日节数", "Teacher periods per day", check_teacher_daily_max),
    ("double_period", "连堂", "Double periods", check_double_period),
    ("level_progress", "教案齐头", "Parallel classes on the same days", check_level_progress),
    ("curriculum", "课程方案开齐开足", "Curriculum periods per subject", check_curriculum),
    ("occupied_subject", "挤占", "Protected subjects not taken by main-subject teachers",
     check_occupied_subject),
    ("service_time", "课后服务与午休", "After-school service and noon rest", check_service_time),
    ("school_days", "上课日", "Lessons on school days only", check_school_days),
    ("period_length", "课时长度", "Period length", check_period_length),
    ("long_break_common", "全校统一大课间", "One long break for the whole school",
     check_long_break_common),
)

SOFT_RULES: tuple[tuple[str, str, str, RuleFunction], ...] = (
    ("main_morning", "主科上午", "Main subjects in the morning", check_main_morning),
    ("subject_once_daily", "同科每天一次", "Subject once a day", check_subject_once_daily),
    ("pe_placement", "体育课位置", "PE placement", check_pe_placement),
    ("teacher_gaps", "教师空堂", "Teacher idle periods", check_teacher_gaps),
    ("teacher_consecutive", "教师连续上课", "Teacher periods in a row",
     check_teacher_consecutive),
    ("parallel_step", "平行班同步", "Parallel classes in step", check_parallel_step),
    ("spread", "分散安排", "Spread over the week", check_spread),
    ("head_teacher_first", "班主任上第一节", "Head teacher takes period 1",
     check_head_teacher_first),
    ("teacher_wish", "教师意愿", "Teachers' wishes", check_teacher_wish),
    ("moved_lesson", "调整节数", "Lessons moved", check_moved_lesson),  # type: ignore[list-item]
)

RULE_NAMES: dict[str, tuple[str, str]] = {
    rule: (zh, en) for rule, zh, en, _ in HARD_RULES + SOFT_RULES}

#: Hard rules that read the whole two-week cycle (单双周); the others read one week.
_CYCLE_RULES = frozenset({"alternate_slot"})


def cycle_weeks(school: School, timetable: Timetable) -> tuple[int, ...]:
    """The weeks of the cycle :func:`check` reads one by one: ``(1, 2)`` (单周, 双周) when
    the school has alternating slots (单双周) or a lesson has a week, else ``()``: every
    week is the same."""
    if school.alternates or any(x.week is not None for x in timetable.lessons):
        return WEEKS
    return ()


def week_view(school: School, timetable: Timetable, week: int) -> tuple[School, Timetable]:
    """Week ``week`` of the cycle (1 单周, 2 双周) as a school and a weekly timetable: each
    requirement with its periods that week (:meth:`School.week_periods`), and the lessons
    held that week (every week, or in ``week``) without their week."""
    if school.alternates:
        school = dataclasses.replace(school, requirements=tuple(
            dataclasses.replace(r, periods=school.week_periods(q, week))
            for q, r in enumerate(school.requirements)))
    lessons = tuple(dataclasses.replace(x, week=None) for x in timetable.lessons
                    if x.week is None or x.week == week)
    return school, Timetable(lessons, timetable.sessions)


def _merge_weeks(odd: list[Violation], even: list[Violation]) -> list[Violation]:
    """One rule's records of the two weeks: a record found alike in both is kept once (it
    holds every week); the others say their week (``Violation.week``, the message)."""
    left = Counter(even)
    out = []
    for v in odd:
        if left[v] > 0:
            left[v] -= 1
            out.append(v)
        else:
            out.append(_in_week(v, 1))
    for v in even:
        if left[v] > 0:
            left[v] -= 1
            out.append(_in_week(v, 2))
    return out


def _in_week(v: Violation, week: int) -> Violation:
    return dataclasses.replace(v, week=week,
                               message=f"{WEEK_ZH[week]}（{WEEK_EN[week]}）：{v.message}")


def check(school: School, policy: Policy, timetable: Timetable,
          kept: Timetable | None = None, kept_school: School | None = None
          ) -> list[Violation]:
    """Check ``timetable`` against every hard and soft rule of ``docs/rules.md``.

    Parameters
    ----------
    school, policy, timetable
        The problem, the profile's numbers and the answer.
    kept
        The timetable kept with ``--keep``; ``moved_lesson`` counts its lessons that moved.
    kept_school
        The school ``kept`` was made for, when it is not ``school``.

    Returns
    -------
    list of Violation
        Hard violations (weight 0) then soft ones (weight from ``policy.weights``), in
        the order of :data:`HARD_RULES` and :data:`SOFT_RULES`.

    Raises
    ------
    InputError
        When a lesson or session refers to a class, day, subject, teacher or venue that
        the school does not have.
    """
    out: list[Violation] = []
    try:
        weeks = cycle_weeks(school, timetable)
        if weeks:
            _facts(school, timetable)   # bad input is named by the lesson's own index
        # 单双周: every other hard rule reads one week; run them on each week's view
        found = []
        for w in weeks:
            week_school, week_tt = week_view(school, timetable, w)
            found.append({rule: fn(week_school, policy, week_tt)
                          for rule, _, _, fn in HARD_RULES if rule not in _CYCLE_RULES})
        for rule, _, _, fn in HARD_RULES:
            if not weeks or rule in _CYCLE_RULES:
                out.extend(fn(school, policy, timetable))
            else:
                out.extend(_merge_weeks(found[0][rule], found[1][rule]))
        for rule, _, _, fn in SOFT_RULES:
            if rule == "moved_lesson":
                out.extend(check_moved_lesson(school, policy, timetable, kept, kept_school))
            else:
                out.extend(fn(school, policy, timetable))
    finally:
        _LOCAL.entry = None   # do not keep a large school alive between checks
    return out


# --------------------------------------------------------------------------------------
# 调代课: a dated week after its changes
# --------------------------------------------------------------------------------------
def check_teacher_absent(school: School, policy: Policy, week: ChangedWeek) -> list[Violation]:
    """教师请假: no lesson held in the week overlaps its teacher's absence (a 合班 or 走班
    group lesson counts once)."""
    facts = _facts(school, week.timetable)
    out = []
    for i in facts.placed:
        if i in facts.joined:
            continue
        lesson = facts.lessons[i]
        start, end = facts.time[i]  # type: ignore[misc]
        for a in week.absences:
            if a.teacher == lesson.teacher and a.overlaps(lesson.day, start, end):
                e = _lesson_entities(school, lesson)
                why = f"（{a.reason}）" if a.reason else ""
                out.append(_hard(
                    "teacher_absent",
                    f"{e['teacher']} {school.days[lesson.day]} {_span(a.start, a.end)} 不在校"
                    f"{why}，却排了 {e['cls']} "
                    f"{_slot_zh(school, lesson.cls, lesson.day, lesson.period)} {e['subject']} — "
                    f"teacher {e['teacher']} is away {_day_en(school, lesson.day)} "
                    f"{_span(a.start, a.end)} but teaches {e['cls']} "
                    f"{_slot_en(school, lesson.cls, lesson.day, lesson.period)}", **e))
                break
    return out


def check_class_away(school: School, policy: Policy, week: ChangedWeek) -> list[Violation]:
    """班级外出: a class away has no lesson held while it is away, and a cancelled lesson
    (停课) is a lesson of the weekly timetable whose class is away at its time."""
    facts = _facts(school, week.timetable)
    out = []
    for i in facts.placed:
        lesson = facts.lessons[i]
        start, end = facts.time[i]  # type: ignore[misc]
        hit = next((a for a in week.away if a.cls == lesson.cls
                    and a.overlaps(lesson.day, start, end)), None)
        if hit is not None:
            e = _lesson_entities(school, lesson)
            out.append(_hard(
                "class_away",
                f"{e['cls']} {school.days[lesson.day]} {_span(hit.start, hit.end)} 外出，却排了 "
                f"{_slot_zh(school, lesson.cls, lesson.day, lesson.period)} {e['subject']} — "
                f"class {e['cls']} is away {_day_en(school, lesson.day)} but has "
                f"{e['subject']} at {_slot_en(school, lesson.cls, lesson.day, lesson.period)}",
                **e))
    base = set(week.base.lessons)
    for lesson in week.cancelled:
        periods = school.day_of(lesson.cls, lesson.day).periods
        seg = periods[lesson.period] if lesson.period < len(periods) else None
        away = seg is not None and any(a.cls == lesson.cls and a.overlaps(
            lesson.day, seg.start, seg.end) for a in week.away)
        if lesson in base and away:
            continue
        e = _lesson_entities(school, lesson)
        zh, en = (("不是周课表中的课", "is not a lesson of the weekly timetable")
                  if lesson not in base else ("该班当时不外出", "its class is not away then"))
        out.append(_hard(
            "class_away",
            f"{e['cls']} {school.days[lesson.day]}第{lesson.period + 1}节 {e['subject']} 停课，但"
            f"{zh} — class {e['cls']}: the cancelled {e['subject']} at "
            f"{_day_en(school, lesson.day)} period {lesson.period + 1} {en}", **e))
    return out


#: The rules of a dated week (:func:`check_week`) on top of :data:`HARD_RULES`.
WEEK_RULES: tuple[tuple[str, str, str, Callable[[School, Policy, ChangedWeek], list[Violation]]],
                  ...] = (
    ("teacher_absent", "教师请假", "Absent teacher teaches nothing", check_teacher_absent),
    ("class_away", "班级外出", "Class away: its lessons cancelled", check_class_away),
)
RULE_NAMES.update({rule: (zh, en) for rule, zh, en, _ in WEEK_RULES})

#: Hard rules a week reads on the lessons held; the others also see the cancelled ones.
_HELD_RULES = frozenset({"teacher_clash", "venue_clash", "teacher_unavailable", "meeting",
                         "teacher_daily_max", "cover_teacher"})


def check_week(school: School, policy: Policy, week: ChangedWeek) -> list[Violation]:
    """Check one dated week after its changes (调代课, docs/rules.md).

    The lessons held that week, with the cancelled lessons of a class away (停课) put
    back, keep every hard rule of :data:`HARD_RULES` — a cancelled lesson still counts
    towards its class's plan (coverage, fixed periods, 合班, 连堂) — while the rules of
    people and rooms at a time (teacher_clash, venue_clash, teacher_unavailable,
    meeting, teacher_daily_max, cover_teacher) read the lessons held only, so a freed
    teacher may cover. Then the week's own rules (:data:`WEEK_RULES`). The soft rules read
    the lessons held; ``moved_lesson`` counts the lessons of the weekly timetable moved
    (a cancelled lesson has not moved, a cover lesson neither).
    """
    held = week.timetable
    plan = Timetable(held.lessons + tuple(week.cancelled), held.sessions)
    cancelled = set(week.cancelled)
    kept = Timetable(tuple(x for x in week.base.lessons if x not in cancelled),
                     week.base.sessions)
    on_plan = [v for v in check(school, policy, plan) if v.hard and v.rule not in _HELD_RULES]
    on_held = check(school, policy, held, kept=kept)
    hard = on_plan + [v for v in on_held if v.hard and v.rule in _HELD_RULES]
    order = {rule: i for i, (rule, *_) in enumerate(HARD_RULES)}
    hard.sort(key=lambda v: order.get(v.rule, len(order)))
    try:
        for _, _, _, fn in WEEK_RULES:
            hard.extend(fn(school, policy, week))
    finally:
        _LOCAL.entry = None
    return hard + [v for v in on_held if not v.hard]


# --------------------------------------------------------------------------------------
# Summary and reports
# --------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Term:
    """One soft term: penalty ``units`` × ``weight`` = ``cost``."""

    units: float
    weight: float
    cost: float


@dataclass(frozen=True)
class CheckSummary:
    """The verdict: hard violation counts, soft terms and their total (the objective)."""

    hard: int
    hard_by_rule: dict[str, int]
    terms: dict[str, Term]
    objective: float
    compliant: bool


def summarize(violations: Iterable[Violation], policy: Policy) -> CheckSummary:
    """Count hard violations per rule and add up every soft term (zero terms included).

    ``hard`` is the number of hard violation records; a soft term's ``units`` is the sum
    of its records' amounts and its weight the profile's, so ``objective`` equals the
    engine's objective for the same timetable.
    """
    hard_by_rule = {rule: 0 for rule, *_ in HARD_RULES}
    units = {rule: 0.0 for rule, *_ in SOFT_RULES}
    for v in violations:
        if v.hard:
            hard_by_rule[v.rule] = hard_by_rule.get(v.rule, 0) + 1
        else:
            units[v.rule] = units.get(v.rule, 0.0) + v.amount
    terms = {}
    for rule, n in units.items():
        weight = getattr(policy.weights, rule)
        terms[rule] = Term(units=_tidy(n), weight=weight, cost=_tidy(n * weight))
    hard = sum(hard_by_rule.values())
    objective = _tidy(sum(t.cost for t in terms.values()))
    return CheckSummary(hard=hard, hard_by_rule=hard_by_rule, terms=terms,
                        objective=objective, compliant=hard == 0)


def _tidy(x: float) -> float:
    """Whole numbers as int (printed without '.0'), others as float."""
    return int(x) if float(x).is_integer() else float(x)


def _num(x: float) -> str:
    return str(_tidy(x)) if float(x).is_integer() else f"{x:g}"


def summary_line(summary: CheckSummary) -> str:
    """The one-line verdict, e.g. ``合规 COMPLIANT — 0 hard violations; soft penalty 12``."""
    penalty = _num(summary.objective)
    if summary.compliant:
        return f"合规 COMPLIANT — 0 hard violations; soft penalty {penalty}"
    rules = sum(1 for n in summary.hard_by_rule.values() if n)
    return (f"不合规 NOT COMPLIANT — {summary.hard} hard violation"
            f"{'s' if summary.hard != 1 else ''} in {rules} rule{'s' if rules != 1 else ''}; "
            f"soft penalty {penalty}")


def format_violations(violations: Sequence[Violation], summary: CheckSummary, *,
                      limit_per_rule: int = 20,
                      locate: Callable[[Violation], Sequence[str]] | None = None) -> str:
    """Human report: violations grouped by rule, the soft-term table, the verdict line.

    ``locate`` gives a violation's cells (``班级-八年级1班!C5``) when the timetable came
    from a workbook or CSV; they follow its sentence."""
    grouped: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        grouped[v.rule].append(v)
    lines: list[str] = []
    order = [r for r, *_ in HARD_RULES] + [r for r, *_ in SOFT_RULES]
    order += sorted(set(grouped) - set(order))
    for rule in order:
        found = grouped.get(rule)
        if not found:
            continue
        zh, en = RULE_NAMES.get(rule, (rule, rule))
        kind = "硬 hard" if found[0].hard else "软 soft"
        lines.append(f"[{rule}] {zh} {en} ({kind}) — {len(found)}")
        for v in found[:limit_per_rule]:
            cells = locate(v) if locate is not None else ()
            lines.append(f"  - {v.message}" + (f" — 位置 at {', '.join(cells)}" if cells else ""))
        if len(found) > limit_per_rule:
            lines.append(f"  … 另有 {len(found) - limit_per_rule} 条 — "
                         f"{len(found) - limit_per_rule} more")
    if lines:
        lines.append("")
    lines.append("软规则 Soft rules")
    width = max(len(r) for r in summary.terms) if summary.terms else 4
    lines.append(f"  {'rule':<{width}}  {'units':>7}  {'weight':>6}  {'cost':>8}")
    for rule, term in summary.terms.items():
        zh, _ = RULE_NAMES.get(rule, (rule, rule))
        lines.append(f"  {rule:<{width}}  {_num(term.units):>7} × {_num(term.weight):>6} = "
                     f"{_num(term.cost):>8}  {zh}")
    lines.append(f"  {'total':<{width}}  {'':>7}   {'':>6}   {_num(summary.objective):>8}")
    lines.append("")
    lines.append(summary_line(summary))
    return "\n".join(lines)


def violations_to_json(violations: Sequence[Violation], summary: CheckSummary, *,
                       locate: Callable[[Violation], Sequence[str]] | None = None) -> dict:
    """A JSON-ready dict for ``jianfu check --json``; with ``locate``, each violation's
    ``cells`` (see :func:`format_violations`)."""
    return {
        "compliant": summary.compliant,
        "hard": summary.hard,
        "hard_by_rule": dict(summary.hard_by_rule),
        "objective": summary.objective,
        "terms": {rule: {"units": t.units, "weight": t.weight, "cost": t.cost}
                  for rule, t in summary.terms.items()},
        "violations": [v.as_dict() | ({"cells": list(cells)} if locate is not None and
                                      (cells := locate(v)) else {}) for v in violations],
        "summary": summary_line(summary),
    }
