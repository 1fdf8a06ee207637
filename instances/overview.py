"""The 教务处's whole-school tables: 总课表, 教师总课表, 课时统计, 开课统计 and 空闲表.

Every table here is plain data built from a :class:`School` and a :class:`Timetable`;
the writers (:mod:`jianfu.instances.overview_write`: the workbook's sheets, the site's
pages, the CSVs) only lay them out, so a number is the same in every format.

- :func:`master_table` — the 总课表 on the office wall: the classes down, 周一…周五 ×
  periods across, one block (with its own header and period times) per bell schedule
  (小学部, 初中部). A cell holds the subject, the teacher and the venue of each lesson,
  so :func:`jianfu.instances.audit_io.read_timetable_file` reads the sheet back into
  exactly the timetable. :func:`teacher_master_table`: the same for the teachers, each
  cell the class taught.
- :func:`teacher_loads` — 课时统计: each teacher's periods a week and per day (a 合班 or
  走班 lesson counts once, a lesson every other week, 单双周, half), idle periods
  (空堂, as the rule ``teacher_gaps`` counts them), the first and last period taught
  each day, classes and subjects, and for a 走教 teacher the half-days at this school.
- :func:`class_subjects` — 开课统计: each class's periods per curriculum subject
  against the profile's curriculum (:meth:`Policy.curriculum_for`) and the school's
  own plan, short subjects flagged.
- :func:`free_tables` — 空闲表: per bell schedule, day and period, the teachers free
  then (no lesson at that time, not away), by the subjects they are qualified for.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from ..models.district_check import half_of
from ..models.policy import CURRICULUM, Policy, curriculum_line, format_clock
from ..models.school import WEEK_ZH, School
from ..models.timetable import Lesson, Timetable
from .views import VENUE_MARK, _taught_together, weekly_count

__all__ = [
    "MasterColumn", "MasterRow", "MasterBlock", "MasterTable", "master_table",
    "teacher_master_table", "TeacherLoad", "teacher_loads", "SubjectCount", "ClassSubjects",
    "class_subjects", "FreeRow", "FreeTable", "free_tables", "short_subject", "number",
    "ACTIVITY_LABEL", "HALF_ZH",
]

#: Shorter names the 总课表 prints (a narrow column); each is an alias the readers know
#: (:func:`jianfu.instances.audit_io.canonical_subject` gives the name back).
SHORT_NAMES = {"体育与健康": "体育", "道德与法治": "道法", "综合实践活动": "综合实践",
               "地方与校本课程": "校本", "信息科技": "信息", "生物学": "生物"}
#: The period-row label of the after-class activity column (课外体育活动) in a 总课表.
ACTIVITY_LABEL = "课外活动"
SESSION_MARK = "✓"   # a session without a venue
HALF_ZH = ("上午", "下午")


def number(value: float) -> int | float:
    """``4`` for 4.0, ``3.5`` for 3.5: periods as people write them."""
    return int(value) if float(value).is_integer() else value


def _span(start: int, end: int) -> str:
    return f"{format_clock(start)}–{format_clock(end)}"


def short_subject(school: School, subject: int) -> str:
    """The subject's name on the 总课表: :data:`SHORT_NAMES` when the school has no other
    subject the short name could mean, else the full name."""
    name = school.subjects[subject].name
    short = SHORT_NAMES.get(name)
    if short is None or short in school.subject_index:
        return name
    same = [s for s in school.subjects if curriculum_line(s.name) == curriculum_line(name)]
    return short if len(same) == 1 else name


# --- 总课表 ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class MasterColumn:
    """A column of a 总课表 block: lesson period ``period`` (0-based) of ``day``, or the
    day's after-class activity (``period`` ``None``)."""

    day: int
    period: int | None
    label: str      # 1, 2 … or 课外活动
    time: str       # 08:20–09:00


@dataclass(frozen=True, slots=True)
class MasterRow:
    """A class (or teacher) with one cell text per column of its block; ``closed``: no
    such period for it (its day shape, or away)."""

    index: int
    name: str
    note: str                      # 班主任 (classes) or 任教学科 (teachers)
    cells: tuple[str, ...]
    closed: tuple[bool, ...]

    @property
    def lines(self) -> int:
        return max([1] + [c.count("\n") + 1 for c in self.cells])


@dataclass(frozen=True, slots=True)
class MasterBlock:
    """The classes (teachers) of one bell schedule, under their own header."""

    schedule: str
    columns: tuple[MasterColumn, ...]
    rows: tuple[MasterRow, ...]

    def day_columns(self, day: int) -> list[int]:
        return [i for i, c in enumerate(self.columns) if c.day == day]


@dataclass(frozen=True, slots=True)
class MasterTable:
    """A whole-school timetable: ``kind`` ``class`` (总课表) or ``teacher`` (教师总课表)."""

    kind: str
    title: str
    subtitle: str
    days: tuple[str, ...]
    note_header: str               # 班主任 / 任教学科
    blocks: tuple[MasterBlock, ...]


def _columns(school: School, schedule: int, activity_days: set[int],
             at_least: dict[int, int] | None = None) -> tuple[MasterColumn, ...]:
    """The block's columns: each day's periods (at least ``at_least[day]``: a teacher's
    lessons in a longer bell schedule; those columns show no time) and its activity."""
    out = []
    sched = school.schedules[schedule]
    for d, day in enumerate(sched.days):
        for p in range(max(len(day.periods), (at_least or {}).get(d, 0))):
            seg = day.periods[p] if p < len(day.periods) else None
            out.append(MasterColumn(d, p, str(p + 1),
                                    _span(seg.start, seg.end) if seg is not None else ""))
        act = day.activity
        if act is not None and d in activity_days:
            out.append(MasterColumn(d, None, ACTIVITY_LABEL, _span(act.start, act.end)))
    return tuple(out)


def _class_lines(school: School, lesson: Lesson) -> str:
    subject = short_subject(school, lesson.subject)
    if lesson.group is not None:
        subject = f"{lesson.group} {subject}"
    if lesson.week is not None:
        subject += f"({WEEK_ZH[lesson.week]})"
    lines = [subject, school.teachers[lesson.teacher].name]
    if lesson.venue is not None:
        lines.append(VENUE_MARK + school.venues[lesson.venue].name)
    return "\n".join(lines)


def master_table(school: School, timetable: Timetable) -> MasterTable:
    """The 总课表: one block per bell schedule in use, its classes in school order.

    Each lesson cell reads ``subject`` / ``teacher`` / ``@venue`` (two lessons of one
    period, a split lesson's groups or 单双周, separated by a blank line); an activity
    column (课外活动) per day holds the class's after-class session (``@操场``, or ✓).
    """
    at: dict[tuple[int, int, int], list[Lesson]] = defaultdict(list)
    for x in timetable.lessons:
        at[(x.cls, x.day, x.period)].append(x)
    sessions = {(s.cls, s.day): s for s in timetable.sessions}
    blocks = []
    for k in sorted({c.schedule for c in school.classes}):
        members = [c for c, cls in enumerate(school.classes) if cls.schedule == k]
        act_days = {d for (c, d) in sessions if c in members}
        columns = _columns(school, k, act_days)
        rows = []
        for c in members:
            cells, closed = [], []
            for col in columns:
                if col.period is None:
                    s = sessions.get((c, col.day))
                    cells.append("" if s is None else VENUE_MARK + school.venues[s.venue].name
                                 if s.venue is not None else SESSION_MARK)
                    closed.append(False)
                    continue
                lessons = sorted(at.get((c, col.day, col.period), []), key=lambda x: (
                    x.week or 0, school.group_rank(x.cls, x.group, x.subject)))
                cells.append("\n\n".join(_class_lines(school, x) for x in lessons))
                closed.append(col.period >= school.usable_periods(c, col.day) and not lessons)
            head = school.classes[c].head_teacher
            rows.append(MasterRow(c, school.classes[c].name,
                                  school.teachers[head].name if head is not None else "",
                                  tuple(cells), tuple(closed)))
        blocks.append(MasterBlock(school.schedules[k].name, columns, tuple(rows)))
    n = weekly_count((x.day, x.period, x.week) for x in timetable.lessons)
    return MasterTable("class", f"{school.name} 总课表",
                       f"{len(school.classes)} 个班 classes · 每周 {n} 节课 lessons a week · "
                       f"格中：学科 / 教师 / @场地", school.days, "班主任", tuple(blocks))


def _teacher_subjects(school: School, teacher: int, lessons: Iterable[Lesson]) -> list[str]:
    names = [school.subjects[x.subject].name for x in lessons]
    names += [school.subjects[s].name for s in school.teachers[teacher].subjects]
    return list(dict.fromkeys(names))


def teacher_master_table(school: School, timetable: Timetable) -> MasterTable:
    """The 教师总课表: the teachers down (a block per bell schedule, each teacher in the
    one most of their classes use), 周一…周五 × periods across, each cell the class
    taught (a 合班's classes together; the subject too for a teacher of several; the
    time when the class keeps another bell schedule); periods the teacher is away
    (unavailable, meetings, another school) are ``closed``."""
    mine: dict[int, list[tuple[int, Lesson]]] = defaultdict(list)
    for i, x in enumerate(timetable.lessons):
        mine[x.teacher].append((i, x))
    blocks = []
    home = [school.schedule_of_teacher(t) for t in range(len(school.teachers))]
    for k in sorted(set(home)):
        longest: dict[int, int] = defaultdict(int)
        for t in (t for t in range(len(school.teachers)) if home[t] == k):
            for _, x in mine[t]:
                longest[x.day] = max(longest[x.day], x.period + 1)
        columns = _columns(school, k, set(), longest)
        sched = school.schedules[k]
        rows = []
        for t in (t for t in range(len(school.teachers)) if home[t] == k):
            lessons = [x for _, x in mine[t]]
            several = len({x.subject for x in lessons}) > 1
            groups: dict[tuple, list[Lesson]] = defaultdict(list)
            for i, x in mine[t]:
                groups[(x.day, x.period, _taught_together(school, x, i), x.week)].append(x)
            texts: dict[tuple[int, int], list[str]] = defaultdict(list)
            for (d, p, _, week), xs in sorted(groups.items(), key=lambda kv: (
                    kv[0][0], kv[0][1], kv[1][0].cls, kv[0][3] or 0)):
                first = xs[0]
                who = "、".join(dict.fromkeys(school.classes[x.cls].name for x in xs))
                if first.group is not None:
                    who += f" {first.group}"
                if week is not None:
                    who += f"({WEEK_ZH[week]})"
                lines = [who]
                if several:
                    lines.append(short_subject(school, first.subject))
                own = school.classes[first.cls].schedule
                periods = school.schedules[own].periods(d)
                if own != k and p < len(periods):
                    lines.append(f"({_span(periods[p].start, periods[p].end)})")
                texts[(d, p)].append("\n".join(lines))
            away = school.unavailable_of(t)
            cells, closed = [], []
            for col in columns:
                assert col.period is not None
                periods = sched.days[col.day].periods
                text = "\n\n".join(texts.get((col.day, col.period), ()))
                cells.append(text)
                closed.append(not text and (col.period >= len(periods) or any(
                    u.overlaps(col.day, periods[col.period].start, periods[col.period].end)
                    for u in away)))
            rows.append(MasterRow(t, school.teachers[t].name,
                                  "、".join(short_subject(school, school.subject_index[s])
                                           for s in _teacher_subjects(school, t, lessons)),
                                  tuple(cells), tuple(closed)))
        blocks.append(MasterBlock(sched.name, columns, tuple(rows)))
    return MasterTable("teacher", f"{school.name} 教师总课表",
                       f"{len(school.teachers)} 位教师 teachers · 格中：任教班级（灰色：不在校或开会）",
                       school.days, "任教学科", tuple(blocks))


# --- 课时统计 --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class TeacherLoad:
    """One teacher's week (课时统计). ``per_day`` and ``per_week`` count a 合班 or 走班
    lesson once and a lesson every other week (单双周) as half; ``gaps``, ``first`` and
    ``last`` are per day over the periods taught in either week (``first``/``last``
    1-based, ``None`` on a day without lessons); ``itinerant`` the other schools of a
    走教 teacher and ``half_days`` the (day, 0 上午 / 1 下午) with lessons here."""

    teacher: int
    name: str
    subjects: tuple[str, ...]
    classes: tuple[str, ...]
    head_of: tuple[str, ...]
    per_week: int | float
    per_day: tuple[int | float, ...]
    gaps: tuple[int, ...]
    first: tuple[int | None, ...]
    last: tuple[int | None, ...]
    itinerant: tuple[str, ...] = ()
    half_days: tuple[tuple[int, int], ...] = ()

    @property
    def total_gaps(self) -> int:
        return sum(self.gaps)

    def span(self, day: int) -> str:
        """``1–5``: the first and last period taught that day; ``""`` without lessons."""
        a, b = self.first[day], self.last[day]
        return "" if a is None or b is None else (str(a) if a == b else f"{a}–{b}")

    def half_day_text(self, days: tuple[str, ...]) -> str:
        return "、".join(f"{days[d]}{HALF_ZH[h]}" for d, h in self.half_days)


def teacher_loads(school: School, timetable: Timetable) -> list[TeacherLoad]:
    """The 课时统计 of every teacher, in the school's order (see :class:`TeacherLoad`)."""
    ndays = len(school.days)
    mine: dict[int, list[tuple[int, Lesson]]] = defaultdict(list)
    for i, x in enumerate(timetable.lessons):
        mine[x.teacher].append((i, x))
    out = []
    for t, teacher in enumerate(school.teachers):
        lessons = mine[t]
        keys = {(_taught_together(school, x, i), x.day, x.week, x.period) for i, x in lessons}
        per_day = tuple(number(weekly_count(k for k in keys if k[1] == d)) for d in range(ndays))
        periods: dict[int, set[int]] = defaultdict(set)
        halves: set[tuple[int, int]] = set()
        for _, x in lessons:
            h = half_of(school, x.cls, x.day, x.period)
            if h is None:
                continue          # not a period of the class's day: the checker says so
            periods[x.day].add(x.period)
            halves.add((x.day, h))
        gaps = tuple(max(periods[d]) - min(periods[d]) + 1 - len(periods[d]) if periods[d] else 0
                     for d in range(ndays))
        first = tuple(min(periods[d]) + 1 if periods[d] else None for d in range(ndays))
        last = tuple(max(periods[d]) + 1 if periods[d] else None for d in range(ndays))
        others = tuple(s for s in teacher.schools if s != school.name)
        out.append(TeacherLoad(
            t, teacher.name,
            tuple(dict.fromkeys(school.subjects[x.subject].name for _, x in sorted(
                lessons, key=lambda ix: ix[1].subject))),
            tuple(school.classes[c].name for c in sorted({x.cls for _, x in lessons})),
            tuple(c.name for c in school.classes if c.head_teacher == t),
            number(weekly_count(keys)), per_day, gaps, first, last, others,
            tuple(sorted(halves)) if others else ()))
    return out


# --- 开课统计 --------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SubjectCount:
    """One curriculum subject of one class: the profile's ``curriculum`` periods (``None``
    when the curriculum does not name it), the school's ``planned`` periods (its
    requirements; ``None``: none), the ``scheduled`` ones; ``short`` how many periods it
    lacks (0: none) and ``reason`` the sentence saying against what. ``group`` names the
    subjects whose periods the curriculum lets move among them (统筹), counted together."""

    subject: str
    curriculum: int | None
    planned: int | float | None
    scheduled: int | float
    short: int | float = 0
    reason: str = ""
    group: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ClassSubjects:
    """A class's 开课统计: one :class:`SubjectCount` per curriculum subject it has or needs."""

    cls: int
    name: str
    grade: int
    rows: tuple[SubjectCount, ...]

    @property
    def scheduled(self) -> int | float:
        return number(sum(r.scheduled for r in self.rows))

    @property
    def short(self) -> tuple[SubjectCount, ...]:
        return tuple(r for r in self.rows if r.short)


def class_subjects(school: School, policy: Policy, timetable: Timetable) -> list[ClassSubjects]:
    """Each class's periods per curriculum subject (a school subject counts towards the
    one it is, is an alias of or is part of: 书法 part of 语文) against the profile's
    curriculum for its grade and the school's requirements.

    A lesson every other week (单双周) counts half; a split lesson (分组) or a 走班 block
    counts once for the class (its first group). A subject is short when fewer periods
    are scheduled than the school plans, or than the curriculum asks (a 统筹 group such
    as 综合实践活动 + 地方与校本课程 by its total).
    """
    flexible = {name: group for group in policy.curriculum_flexible for name in group}
    order = {name: i for i, (name, _) in enumerate(CURRICULUM)}

    def line(s: int) -> str:
        sub = school.subjects[s]
        return curriculum_line(sub.name, sub.part_of)

    got: dict[tuple[int, str], float] = defaultdict(float)
    for x in timetable.lessons:
        if school.group_rank(x.cls, x.group, x.subject) == 0:
            got[(x.cls, line(x.subject))] += 1 if x.week is None else 0.5
    plan: dict[tuple[int, str], float] = defaultdict(float)
    for r in school.requirements:
        plan[(r.cls, line(r.subject))] += r.periods + r.biweekly / 2
    out = []
    for c, cls in enumerate(school.classes):
        want = policy.curriculum_for(cls.grade)
        names = set(want) | {n for (k, n) in got if k == c} | {n for (k, n) in plan if k == c}
        rows = []
        counted: set[tuple[str, ...]] = set()
        for name in sorted(names, key=lambda n: (order.get(n, len(order)), n)):
            group = flexible.get(name, ())
            members = group or (name,)
            need = sum(want.get(x, 0) for x in members)
            have = sum(got.get((c, x), 0) for x in members)
            planned = plan.get((c, name))
            scheduled = got.get((c, name), 0)
            short, reason = 0.0, ""
            if (name in want or (group and need)) and members not in counted:
                counted.add(members)    # a 统筹 group's shortfall goes on its first row
                if have < need:
                    short = need - have
                    what = "、".join(members)
                    reason = (f"少于课程方案 {what} {need} 节 below the curriculum's {need}"
                              if not group else
                              f"{what} 合计 {number(have)} 节，课程方案 {need} 节 — together "
                              f"below the curriculum's {need}")
            if planned is not None and scheduled < planned:
                below = f"少于学校计划 {number(planned)} 节 below the school's plan"
                reason = f"{below}；{reason}" if reason else below
                short = max(short, planned - scheduled)
            rows.append(SubjectCount(name, want.get(name), None if planned is None else
                                     number(planned), number(scheduled), number(short), reason,
                                     group))
        out.append(ClassSubjects(c, cls.name, cls.grade, tuple(rows)))
    return out


# --- 空闲表 ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class FreeRow:
    """Period ``period`` (0-based) of ``day`` at ``time``: per subject column, the teachers
    qualified for it who are free then; ``count`` free teachers in all."""

    day: int
    period: int
    time: str
    free: tuple[tuple[str, ...], ...]
    count: int


@dataclass(frozen=True, slots=True)
class FreeTable:
    """The 空闲表 of one bell schedule: its teachers, by subject, free in each period."""

    schedule: str
    subjects: tuple[str, ...]
    rows: tuple[FreeRow, ...]
    teachers: int


def _qualified(school: School, teacher: int) -> tuple[int, ...]:
    own = school.teachers[teacher].subjects
    if own:
        return tuple(own)
    return tuple(dict.fromkeys(school.requirements[q].subject
                               for q in school.requirements_of_teacher[teacher]))


def free_tables(school: School, timetable: Timetable) -> list[FreeTable]:
    """One 空闲表 per bell schedule in use, for cover (代课) and meetings.

    A schedule's teachers are those teaching a class on it (a teacher with no class: on
    every one). A teacher is free in a period when no lesson of theirs overlaps its
    clock time (on any bell schedule) and they are not away then (``unavailable``,
    meetings, a 走教 teacher's other school). The columns are the subjects teachers
    are qualified for (their ``subjects``; without any, the subjects they teach).
    """
    busy: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for x in timetable.lessons:
        periods = school.day_of(x.cls, x.day).periods
        if x.period < len(periods):
            busy[(x.teacher, x.day)].append((periods[x.period].start, periods[x.period].end))
    on: dict[int, set[int]] = defaultdict(set)
    for t in range(len(school.teachers)):
        for q in school.requirements_of_teacher[t]:
            on[t].add(school.classes[school.requirements[q].cls].schedule)
    out = []
    for k in sorted({c.schedule for c in school.classes}):
        staff = [t for t in range(len(school.teachers)) if k in on[t] or not on[t]]
        qualified = {t: _qualified(school, t) for t in staff}
        columns = [s for s in range(len(school.subjects))
                   if any(s in q for q in qualified.values())]
        rows = []
        for d, day in enumerate(school.schedules[k].days):
            for p, seg in enumerate(day.periods):
                free = [t for t in staff
                        if not any(a < seg.end and seg.start < b for a, b in busy[(t, d)])
                        and not any(u.overlaps(d, seg.start, seg.end)
                                    for u in school.unavailable_of(t))]
                rows.append(FreeRow(d, p, _span(seg.start, seg.end), tuple(
                    tuple(school.teachers[t].name for t in free if s in qualified[t])
                    for s in columns), len(free)))
        out.append(FreeTable(school.schedules[k].name,
                             tuple(school.subjects[s].name for s in columns), tuple(rows),
                             len(staff)))
    return out
