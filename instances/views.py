"""What every people-facing format shares: timetable grids, homework tables, verdict rows.

A *grid* is a timetable as people read it (晒课表): school days across, the day's
periods down with their clock times, the long break (大课间), lunch and the
after-class activity as rows of their own. :func:`class_grid`, :func:`teacher_grid`
and :func:`venue_grid` build one; the Excel workbook and the HTML site render the same
grids, so a lesson sits in the same cell in both. The writers (``excel``,
``html_site``, ``calendar_ics``, ``tidy_csv``) import from here and the dispatcher
(:mod:`jianfu.instances.export`) imports them, so no import goes in a circle.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from ..models.policy import Policy, format_clock
from ..models.school import (WEEK_ZH, BellSchedule, DaySchedule, Requirement, School,
                             SchoolClass, Segment, SegmentKind, Teacher, Unavailable, Venue)
from ..models.timetable import Lesson, Session, Timetable
from .files import write_atomic as _write_atomic

# Segments shown as rows of their own in a grid (breaks and eye exercises are not).
SHOWN_SEGMENTS = (SegmentKind.SELF_STUDY, SegmentKind.LONG_BREAK, SegmentKind.LUNCH,
                  SegmentKind.ACTIVITY, SegmentKind.AFTER_SCHOOL)

VENUE_MARK = "@"   # a cell line "@实验室1" names the lesson's venue
TIME_LINE = re.compile(r"^\(\d{1,2}:\d{2}[–-]\d{1,2}:\d{2}\)$")   # a cell's own time: (16:00–17:30)


# --- files ------------------------------------------------------------------------------

def lessons_digest(school: School, timetable: Timetable) -> str:
    """A fingerprint of ``timetable``'s lessons by the school's names (class, day, period,
    subject, teacher, venue, group, week), independent of their order: the workbook keeps
    the one it was written with, so a reader can tell which of its 总课表 and class sheets
    a person edited."""
    import hashlib

    rows = sorted(
        "\t".join((school.classes[x.cls].name, school.days[x.day], str(x.period),
                   school.subjects[x.subject].name, school.teachers[x.teacher].name,
                   school.venues[x.venue].name if x.venue is not None else "",
                   x.group or "", str(x.week or 0)))
        for x in timetable.lessons)
    return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()


def write_atomic(path: Path | str, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`jianfu.instances.files.write_atomic`)."""
    _write_atomic(path, data)
    return Path(path)


# --- grids ------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Entry:
    """One lesson (or activity session) as a cell shows it: lines of text, top to bottom."""

    lines: tuple[str, ...]
    lesson: Lesson | None = None

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True, slots=True)
class GridRow:
    """A row of a grid: a lesson period (``period`` 0-based) or a segment such as 大课间."""

    kind: str                                  # "period" or a SegmentKind value
    label: str                                 # 第1节 / 大课间 / 午餐午休
    time: str                                  # clock times on the reference day
    cells: tuple[tuple[Entry, ...], ...]       # per school day
    period: int | None = None
    closed: tuple[bool, ...] = ()              # per day: no such period/segment that day
    times: tuple[str, ...] = ()                # per day: that day's clock times ("" if none)

    def day_time(self, day: int) -> str:
        """The clock times of this row on ``day`` (its own bell), ``""`` if it has none."""
        return self.times[day] if self.times else self.time

    @property
    def is_period(self) -> bool:
        return self.kind == "period"

    def cell_text(self, day: int) -> str:
        return "\n\n".join(e.text for e in self.cells[day])

    @property
    def merged(self) -> bool:
        """A segment row whose text is the same every day: drawn as one merged cell."""
        if self.is_period:
            return False
        texts = {self.cell_text(d) for d in range(len(self.cells))}
        return len(texts) == 1 and not any(self.closed)


@dataclass(frozen=True, slots=True)
class Grid:
    """A weekly timetable of one class, teacher or venue, ready to render."""

    kind: str          # "class", "teacher", "venue"
    index: int
    name: str
    title: str         # 三(1)班 课程表
    subtitle: str      # 年级, 作息, 班主任… one line
    days: tuple[str, ...]
    rows: tuple[GridRow, ...]
    notes: tuple[str, ...] = ()   # lines under the table (a day with other times…)

    def lessons(self) -> int:
        return sum(1 for r in self.rows if r.is_period for c in r.cells for e in c if e.lesson)


def _reference_day(schedule: BellSchedule) -> int:
    counts = [len(d.periods) for d in schedule.days]
    return counts.index(max(counts)) if counts else 0


def _span(seg: Segment) -> str:
    return f"{format_clock(seg.start)}–{format_clock(seg.end)}"


def time_line(span: str) -> str:
    """The cell line ``(16:00–17:30)``: this cell's own time, unlike its row's."""
    return f"({span})"


def is_time_line(line: str) -> bool:
    """Whether a cell line is a :func:`time_line`."""
    return bool(TIME_LINE.match(line.strip()))


def _day_rows(day: DaySchedule) -> dict[tuple[str, Any], Segment]:
    """The segments of one day that a grid shows, keyed by the row they go in: lesson
    periods by number, events by name, other shown segments by kind and rank."""
    rows: dict[tuple[str, Any], Segment] = {}
    rank: Counter[SegmentKind] = Counter()
    period = 0
    for seg in day.segments:
        if seg.kind is SegmentKind.LESSON:
            key: tuple[str, Any] = ("period", period)
            period += 1
        elif seg.kind is SegmentKind.EVENT:
            key = ("event", seg.name)
        elif seg.kind in SHOWN_SEGMENTS:
            key = (seg.kind.value, rank[seg.kind])
            rank[seg.kind] += 1
        else:
            continue
        rows.setdefault(key, seg)
    return rows


def _row_time(spans: Sequence[str | None], ref: int) -> str:
    """The time a row's label shows: the one most days share (ties: the reference day's)."""
    counts = Counter(s for s in spans if s is not None)
    if not counts:
        return ""
    best = max(counts.values())
    if spans[ref] is not None and counts[spans[ref]] == best:
        return spans[ref]   # type: ignore[return-value]
    return next(s for s in spans if s is not None and counts[s] == best)


def _with_time(entry: Entry, span: str, *, last: bool) -> Entry:
    """``entry`` with this day's time as a line: last for a lesson, second for a segment
    (課后服务 / (16:00–17:30) / names…) so it is read with the label."""
    lines = ((entry.lines + (time_line(span),)) if last else
             (entry.lines[:1] + (time_line(span),) + entry.lines[1:]))
    return Entry(lines, entry.lesson)


def _build_grid(school: School, schedule: BellSchedule,
                entries: dict[tuple[int, int], list[Entry]],
                segment_cells: Callable[[SegmentKind, int, int, Segment], list[Entry]],
                open_period: Callable[[int, int], bool],
                *, kind: str, index: int, name: str, title: str, subtitle: str,
                notes: Sequence[str] = ()) -> Grid:
    """Lay ``entries`` keyed (day, period) on the rows of ``schedule``'s week.

    Each row (a period, 大课间, lunch, the activity, 课后服务, an event) is labelled with
    the time most days share; a day whose bell puts the row at another time carries its
    own time in the cell (:func:`time_line`), so a Friday with an earlier 课后服务 says so.
    """
    ndays = len(school.days)
    ref = _reference_day(schedule)
    per_day = [_day_rows(schedule.days[d]) for d in range(ndays)]
    keys = list(per_day[ref])
    first: dict[tuple[str, Any], Segment] = dict(per_day[ref])
    for d in range(ndays):   # a row some other day has (升旗仪式 on Monday only) gets its place
        for key, seg in per_day[d].items():
            if key not in first:
                first[key] = seg
                keys.append(key)
    keys.sort(key=lambda k: first[k].start)   # stable: the reference day's order is kept
    rows: list[GridRow] = []
    differ: set[int] = set()
    for key in keys:
        segs = [per_day[d].get(key) for d in range(ndays)]
        spans = [_span(s) if s is not None else None for s in segs]
        time = _row_time(spans, ref)
        own = [s is not None and spans[d] != time for d, s in enumerate(segs)]
        cells: list[tuple[Entry, ...]] = []
        closed: list[bool] = []
        row_kind, p = key[0], key[1]
        if row_kind == "period":
            for d in range(ndays):
                exists = segs[d] is not None and open_period(d, p)
                cell = list(entries.get((d, p), ()))
                closed.append(not exists and not cell)
                if exists and own[d]:   # (a lesson of another bell already has its time)
                    cell = [e if any(map(is_time_line, e.lines)) else
                            _with_time(e, spans[d], last=True) for e in cell]  # type: ignore[arg-type]
                cells.append(tuple(cell))
            label = f"第{p + 1}节"
        else:
            for d in range(ndays):
                seg = segs[d]
                if seg is None:
                    cells.append(())
                    closed.append(True)
                    continue
                cell = ([Entry((seg.name,))] if row_kind == "event" else
                        segment_cells(seg.kind, p, d, seg))
                if own[d]:
                    cell = [_with_time(e, spans[d], last=False) for e in cell]  # type: ignore[arg-type]
                cells.append(tuple(cell))
                closed.append(False)
            if row_kind == SegmentKind.ACTIVITY.value and not any(cells):
                continue  # nobody here has an activity session: no row to show
            label = p if row_kind == "event" else _segment_label(first[key])
        differ.update(d for d in range(ndays) if own[d] and cells[d])
        rows.append(GridRow(row_kind, label, time, tuple(cells),
                            p if row_kind == "period" else None, tuple(closed),
                            tuple(s or "" for s in spans)))
    if differ:
        days = "、".join(school.days[d] for d in sorted(differ))
        notes = (f"{days}作息时间不同，以格内括号中的时间为准 — on {days} the bell differs: "
                 "the time in brackets applies.", *notes)
    return Grid(kind, index, name, title, subtitle, tuple(school.days), tuple(rows),
                tuple(notes))


def _segment_label(seg: Segment) -> str:
    return seg.label or seg.kind.zh


def _lesson_lines(school: School, lesson: Lesson, view: str) -> tuple[str, ...]:
    subject = school.subjects[lesson.subject].name
    teacher = school.teachers[lesson.teacher].name
    cls = school.classes[lesson.cls].name
    if lesson.group is not None:   # a group of a split lesson (分组) or 走班 block: 男生 体育
        if view == "class":
            subject = f"{lesson.group} {subject}"
        else:
            cls = f"{cls} {lesson.group}"
    if lesson.week is not None:   # 单双周: 科学(单周), the cell's other lesson 书法(双周)
        subject = f"{subject}({WEEK_ZH[lesson.week]})"
    lines = {"class": (subject, teacher), "teacher": (cls, subject),
             "venue": (cls, subject, teacher)}[view]
    if lesson.venue is not None and view != "venue":
        lines += (VENUE_MARK + school.venues[lesson.venue].name,)
    return lines


def class_grid(school: School, timetable: Timetable, cls: int) -> Grid:
    """The weekly grid of class ``cls``: subject and teacher (and venue) per period."""
    c = school.classes[cls]
    schedule = school.schedules[c.schedule]
    entries: dict[tuple[int, int], list[Entry]] = {}
    for lesson in timetable.lessons:
        if lesson.cls == cls:
            entries.setdefault((lesson.day, lesson.period), []).append(
                Entry(_lesson_lines(school, lesson, "class"), lesson))
    sessions = {s.day: s for s in timetable.sessions if s.cls == cls}

    def seg_cells(kind: SegmentKind, nth: int, day: int, seg: Segment) -> list[Entry]:
        if kind is SegmentKind.ACTIVITY:
            s = sessions.get(day)
            if s is None:
                return []
            where = (VENUE_MARK + school.venues[s.venue].name,) if s.venue is not None else ()
            return [Entry((_segment_label(seg),) + where)]
        return [Entry((_segment_label(seg),))]

    def open_period(day: int, p: int) -> bool:
        return p < school.usable_periods(cls, day)

    # the groups of a split lesson (分组) are one period of the class; a lesson every
    # other week (单双周) is half a period a week
    n = weekly_count({(x.day, x.period, x.week) if x.group is not None else
                      (x.day, x.period, x.week, i)
                      for i, x in enumerate(timetable.lessons) if x.cls == cls})
    return _build_grid(school, schedule, entries, seg_cells, open_period, kind="class",
                       index=cls, name=c.name, title=f"{c.name} 课程表",
                       subtitle=f"{school.name} · {c.grade}年级{head_teacher_line(school, cls)}"
                                f" · 作息 {schedule.name} · 每周 {n} 节",
                       )


def weekly_count(keys: Iterable[tuple]) -> int | float:
    """Periods a week over lesson keys whose third item is the lesson's week (单双周): a
    lesson held every other week counts half."""
    total = sum(1 if k[2] is None else 0.5 for k in keys)
    return int(total) if float(total).is_integer() else total


def week_mark(lesson: Lesson) -> str:
    """``(单周)`` / ``(双周)`` for a lesson held every other week, else ``""``."""
    return "" if lesson.week is None else f"({WEEK_ZH[lesson.week]})"


def head_teacher_line(school: School, cls: int) -> str:
    """`` · 班主任 class teacher: 王芳`` for a class that names its 班主任, else ``""``."""
    head = school.classes[cls].head_teacher
    return "" if head is None else f" · 班主任 class teacher: {school.teachers[head].name}"


def _main_schedule(school: School, lessons: Iterable[Lesson]) -> BellSchedule:
    counts = Counter(school.classes[lesson.cls].schedule for lesson in lessons)
    if not counts:
        return school.schedules[0]
    best = min(counts, key=lambda s: (-counts[s], s))
    return school.schedules[best]


def _taught_together(school: School, lesson: Lesson, i: int) -> tuple[str, int]:
    """What a teacher's lesson ``i`` is part of: its combined lesson, its 走班 block, or
    itself."""
    key = (lesson.cls, lesson.subject)
    if key in school.combined_of:
        return ("combined", school.combined_of[key])
    block = school.block_part.get((lesson.cls, lesson.group or "", lesson.subject))
    if block is not None:
        return ("block", block[0])
    return ("lesson", i)


def _entity_grid(school: School, timetable: Timetable, kind: str, index: int,
                 schedule_index: int | None = None, *, name_bell: bool = True) -> Grid:
    if kind == "teacher":
        mine = [lesson for lesson in timetable.lessons if lesson.teacher == index]
        name = school.teachers[index].name
        subs = sorted({school.subjects[lesson.subject].name for lesson in mine})
        heads = [c.name for c in school.classes if c.head_teacher == index]
        head = f" · {'、'.join(heads)} 班主任 class teacher" if heads else ""
        # a combined lesson (合班) or 走班 block is one lesson of its teacher, whatever the classes
        taught = {(_taught_together(school, x, i), x.day, x.week, x.period)
                  for i, x in enumerate(mine)}
        n = weekly_count(taught)
        subtitle = f"{school.name} · {'、'.join(subs) or '—'}{head} · 每周 {n} 节"
        title = f"{name} 课程表"
        my_sessions: list[Session] = []
    else:
        v = school.venues[index]
        name = v.name

        def here(cls: int) -> bool:
            return schedule_index is None or school.classes[cls].schedule == schedule_index

        mine = [x for x in timetable.lessons if x.venue == index and here(x.cls)]
        my_sessions = [s for s in timetable.sessions if s.venue == index and here(s.cls)]
        n = weekly_count((x.day, x.period, x.week) for x in mine)
        bell = ("" if schedule_index is None or not name_bell
                else school.schedules[schedule_index].name)
        part = f" · {bell}作息的班级 classes on this bell" if bell else ""
        subtitle = f"{school.name} · {v.kind} · 容量 {v.capacity} 个班{part} · 每周 {n} 节"
        title = f"{name} 使用表" + (f" · {bell}" if bell else "")
    schedule = (_main_schedule(school, mine) if schedule_index is None
                else school.schedules[schedule_index])
    entries: dict[tuple[int, int], list[Entry]] = {}
    foreign = False
    for lesson in mine:
        lines = _lesson_lines(school, lesson, kind)
        periods = school.schedule_of(lesson.cls).periods(lesson.day)
        mains = schedule.periods(lesson.day)
        if (school.schedule_of(lesson.cls) is not schedule and lesson.period < len(periods)
                and (lesson.period >= len(mains)
                     or _span(periods[lesson.period]) != _span(mains[lesson.period]))):
            # another bell schedule puts period p at another time: show it
            lines += (time_line(_span(periods[lesson.period])),)
            foreign = True
        entries.setdefault((lesson.day, lesson.period), []).append(Entry(lines, lesson))

    def seg_cells(seg_kind: SegmentKind, nth: int, day: int, seg: Segment) -> list[Entry]:
        if seg_kind is SegmentKind.ACTIVITY and kind == "venue":
            names = [school.classes[s.cls].name for s in my_sessions if s.day == day]
            return [Entry((_segment_label(seg),) + tuple(names))] if names else []
        if seg_kind is SegmentKind.ACTIVITY:
            return []
        return [Entry((_segment_label(seg),))]

    notes = (f"括号内为该班{'、'.join(sorted({school.schedule_of(x.cls).name for x in mine} - {schedule.name}))}"
             "作息的时间 — a time in brackets is that class's own bell time.",) if foreign else ()
    return _build_grid(school, schedule, entries, seg_cells, lambda d, p: True, kind=kind,
                       index=index, name=name, title=title, subtitle=subtitle, notes=notes)


def teacher_grid(school: School, timetable: Timetable, teacher: int) -> Grid:
    """The weekly grid of ``teacher``: class and subject per period."""
    return _entity_grid(school, timetable, "teacher", teacher)


def venue_grids(school: School, timetable: Timetable, venue: int) -> tuple[Grid, ...]:
    """The weekly grids of ``venue``, one per bell schedule whose classes use it.

    Classes on different bells (小学部, 初中部) are at the venue at different times even
    in the "same" period, so each bell gets a grid of its own in its own times: a row
    lists only classes that are there together. A venue nobody uses gets one empty grid.
    """
    used = sorted({school.classes[x.cls].schedule for x in timetable.lessons if x.venue == venue}
                  | {school.classes[s.cls].schedule for s in timetable.sessions
                     if s.venue == venue})
    if len(used) <= 1:   # one bell: its grid (the activity's times are that bell's)
        return (_entity_grid(school, timetable, "venue", venue, used[0] if used else None,
                             name_bell=False),)
    return tuple(_entity_grid(school, timetable, "venue", venue, s) for s in used)


def venue_grid(school: School, timetable: Timetable, venue: int,
               schedule: int | None = None) -> Grid:
    """The weekly grid of ``venue``: which class uses it when, and for what.

    With ``schedule``, only the classes on that bell schedule (see :func:`venue_grids`,
    which the writers use); without it, every class on the grid of the bell most of the
    venue's lessons follow, other bells' times in brackets.
    """
    return _entity_grid(school, timetable, "venue", venue, schedule)


def lesson_times(school: School, lesson: Lesson) -> tuple[int, int] | None:
    """Start and end (minutes after midnight) of ``lesson``, or ``None`` if no such period."""
    periods = school.day_of(lesson.cls, lesson.day).periods
    if not 0 <= lesson.period < len(periods):
        return None
    return periods[lesson.period].start, periods[lesson.period].end


# --- homework tables ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class HomeworkDay:
    """One evening of one class: ``(subject, minutes)`` items, the total and the cap;
    ``oral`` the oral/practical items (grades 1–2)."""

    day: str
    items: tuple[tuple[str, int], ...]
    total: int
    cap: int
    oral: tuple[tuple[str, int], ...] = ()

    @property
    def over(self) -> bool:
        return self.total > self.cap


@dataclass(frozen=True, slots=True)
class HomeworkTable:
    """A class's week of homework quotas as people read it (作业公示)."""

    cls: int
    name: str
    title: str
    subtitle: str
    days: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int | str, ...], bool], ...]   # (label, per day, bold)
    evenings: tuple[HomeworkDay, ...]
    notes: tuple[str, ...]


def homework_tables(school: School, policy: Policy, plan: Any) -> list[HomeworkTable]:
    """One :class:`HomeworkTable` per class of ``school`` from a homework plan.

    ``plan`` is a :class:`jianfu.models.homework.HomeworkPlan`; classes, days and
    subjects are matched by name, so a plan written for the school reads the same here.
    A class with oral/practical minutes (grades 1–2) gets them as rows of their own
    below its written total (0), with the profile's oral limit.
    """
    from ..models.homework import ORAL, WEEKEND

    days = tuple(plan.days)
    subject_order = {s.name: i for i, s in enumerate(school.subjects)}
    minutes: dict[tuple[str, str, str], int] = {}
    for cls, day, subject, m in plan.rows():
        minutes[(cls, day, subject)] = minutes.get((cls, day, subject), 0) + int(m)
    oral: dict[tuple[str, str, str], int] = {}
    for cls, day, subject, m in getattr(plan, "oral_rows", list)():
        oral[(cls, day, subject)] = oral.get((cls, day, subject), 0) + int(m)
    tables = []
    for c, k in enumerate(school.classes):
        subjects = sorted({s for (cn, _, s) in minutes if cn == k.name},
                          key=lambda s: (subject_order.get(s, len(subject_order)), s))
        rows: list[tuple[str, tuple[int | str, ...], bool]] = []
        for s in subjects:
            rows.append((s, tuple(minutes.get((k.name, d, s), "") or "" for d in days), False))
        totals = tuple(sum(minutes.get((k.name, d, s), 0) for s in subjects) for d in days)
        caps = tuple(policy.homework_cap(k.grade, weekend=d == WEEKEND) for d in days)
        rows.append(("合计 total", totals, True))
        rows.append(("上限 cap", caps, False))
        spoken = sorted({s for (cn, _, s) in oral if cn == k.name},
                        key=lambda s: (subject_order.get(s, len(subject_order)), s))
        for s in spoken:
            rows.append((f"{s} {ORAL}", tuple(oral.get((k.name, d, s), "") or "" for d in days),
                         False))
        if spoken:
            rows.append((f"{ORAL}合计 oral total",
                         tuple(sum(oral.get((k.name, d, s), 0) for s in spoken) for d in days),
                         True))
            rows.append((f"{ORAL}上限 oral limit",
                         tuple(policy.lower_grades_oral_minutes for _ in days), False))
        evenings = tuple(
            HomeworkDay(d, tuple((s, minutes[(k.name, d, s)]) for s in subjects
                                 if minutes.get((k.name, d, s))), totals[i], caps[i],
                        tuple((s, oral[(k.name, d, s)]) for s in spoken
                              if oral.get((k.name, d, s))))
            for i, d in enumerate(days))
        notes = ["分钟数为中等水平学生完成书面作业的时间 minutes a typical pupil needs for "
                 "written homework."]
        if max(caps, default=0) == 0:
            notes.append("一、二年级不布置家庭书面作业 no written homework in grades 1–2.")
        if spoken:
            most = policy.lower_grades_max_oral_subjects
            notes.append(f"口头/实践作业每天不超过 {policy.lower_grades_oral_minutes} 分钟"
                         + (f"，每天只布置 {most} 科" if most is not None else "")
                         + f" oral/practical homework ≤ {policy.lower_grades_oral_minutes} "
                         "min a day" + (f", {most} subject(s) a day" if most is not None else "")
                         + ".")
        if policy.no_noon_homework:
            notes.append("中午不布置作业 no homework is set at noon.")
        tables.append(HomeworkTable(
            c, k.name, f"{k.name} 作业公示",
            f"{school.name} · {k.grade}年级{head_teacher_line(school, c)} · 每日书面作业时长（分钟）",
            days, tuple(rows), evenings, tuple(notes)))
    return tables


# --- checker summary ----------------------------------------------------------------------

def rule_zh(rule: str) -> str:
    """The Chinese name of a rule id (docs/rules.md)."""
    from ..models.checker import RULE_NAMES

    return RULE_NAMES.get(rule, (rule, rule))[0]


def summary_rows(summary: Any) -> list[tuple[str, str, float, float, float]]:
    """Rows ``(rule, 中文, units, weight, cost)`` of a checker summary's soft-rule terms."""
    if summary is None:
        return []
    return [(rule, rule_zh(rule), float(term.units), float(term.weight), float(term.cost))
            for rule, term in summary.terms.items()]


def hard_rows(summary: Any) -> list[tuple[str, str, int]]:
    """Rows ``(rule, 中文, count)`` of the hard rules the timetable breaks."""
    if summary is None:
        return []
    return [(rule, rule_zh(rule), n) for rule, n in summary.hard_by_rule.items() if n]


def summary_verdict(summary: Any) -> str:
    """One line: compliant or not, with the number of hard violations."""
    if summary is None:
        return "未检查 not checked"
    if summary.compliant:
        return (f"合规 compliant: 无硬性违规 no hard violation · "
                f"软规则代价 objective {summary.objective:g}")
    return f"不合规 NOT compliant: {summary.hard} 处硬性违规 hard violation(s)"


def plain_verdict(summary: Any) -> str:
    """The verdict for parents and teachers: no rule ids, no scores."""
    if summary is None:
        return "本课表尚未检查 this timetable has not been checked"
    if summary.compliant:
        return "本课表已通过检查，符合全部必须遵守的规定 — checked: it keeps every required rule"
    return (f"本课表有 {summary.hard} 处不符合规定，教务处正在调整 — {summary.hard} "
            "place(s) break a required rule; the office is fixing them")


def quality_lines(summary: Any) -> list[str]:
    """The school's wishes (soft rules) in plain words, one line each: how often each is
    not met (``教师空堂 Teacher idle periods：12 处未做到 not met 12 times``). Wishes the
    school switched off (weight 0) and the lessons a re-solve moved (the office's
    concern) are left out."""
    from ..models.checker import RULE_NAMES

    out = []
    for rule, term in (summary.terms.items() if summary is not None else ()):
        if float(term.weight) == 0 or rule == "moved_lesson":
            continue
        zh, en = RULE_NAMES.get(rule, (rule, rule))
        units = float(term.units)
        out.append(f"{zh} {en}：全部做到 always met" if units == 0 else
                   f"{zh} {en}：{units:g} 处未做到 not met {units:g} times")
    return out


def check_summary(school: School, policy: Policy, timetable: Timetable) -> tuple[Any, list[Any]]:
    """The checker's summary of ``timetable`` and its violations."""
    from ..models.checker import check, summarize

    violations = check(school, policy, timetable)
    return summarize(violations, policy), violations


# --- a small example school ----------------------------------------------------------------

def _clock(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def example_day() -> DaySchedule:
    """A typical primary school day: six periods, the long break, lunch, the activity and
    课后服务."""
    L, B, E = SegmentKind.LESSON, SegmentKind.BREAK, SegmentKind.EYE
    spans = [
        (L, "08:20", "09:00"), (B, "09:00", "09:10"), (L, "09:10", "09:50"),
        (SegmentKind.LONG_BREAK, "09:50", "10:20"), (L, "10:20", "11:00"), (E, "11:00", "11:10"),
        (L, "11:10", "11:50"), (SegmentKind.LUNCH, "11:50", "14:00"), (L, "14:00", "14:40"),
        (B, "14:40", "14:50"), (L, "14:50", "15:30"), (SegmentKind.ACTIVITY, "15:40", "16:40"),
        (SegmentKind.AFTER_SCHOOL, "16:40", "17:40"),   # 课后服务: 2 hours with the activity
    ]
    return DaySchedule(tuple(Segment(k, _clock(a), _clock(b), "") for k, a, b in spans))


def example_school(name: str = "示范小学") -> School:
    """A small valid primary school (two grade-3 classes) for templates, examples and tests.

    Six periods a day, five days: 30 periods a week, the national grade-3 curriculum.
    """
    from .curriculum import SUBJECT_BY_NAME

    days = ("周一", "周二", "周三", "周四", "周五")
    day = example_day()
    schedule = BellSchedule("小学作息", tuple(day for _ in days))
    weekly = {"语文": 7, "数学": 4, "外语": 2, "科学": 2, "体育与健康": 3, "音乐": 2,
              "美术": 2, "道德与法治": 2, "信息科技": 1, "劳动": 1, "综合实践活动": 2,
              "地方与校本课程": 2}
    subjects = tuple(SUBJECT_BY_NAME[x] for x in weekly)
    s = {x.name: i for i, x in enumerate(subjects)}
    teachers = (
        Teacher("王芳", (s["语文"],), max_periods_per_day=4),
        Teacher("李强", (s["数学"],), (Unavailable(2, _clock("14:00"), _clock("16:40")),)),
        Teacher("张丽 <Zhang>", (s["外语"], s["道德与法治"], s["地方与校本课程"])),
        Teacher("赵敏", (s["科学"], s["信息科技"], s["综合实践活动"])),
        Teacher("陈刚", (s["体育与健康"], s["劳动"])),
        Teacher("刘洋", (s["音乐"], s["美术"])),
        Teacher("孙悦", (s["语文"],)),
    )
    venues = (Venue("操场", "ground", 3), Venue("音乐教室", "music", 1),
              Venue("计算机教室", "computer", 1))
    # each class's 班主任 is its 语文 teacher
    classes = (SchoolClass("三(1)班", 3, head_teacher=0), SchoolClass("三(2)班", 3, head_teacher=6))
    teacher_of = {"语文": (0, 6), "数学": (1, 1), "外语": (2, 2), "科学": (3, 3),
                  "体育与健康": (4, 4), "音乐": (5, 5), "美术": (5, 5), "道德与法治": (2, 2),
                  "信息科技": (3, 3), "劳动": (4, 4), "综合实践活动": (3, 3), "地方与校本课程": (2, 2)}
    reqs = []
    for c in range(len(classes)):
        for subj, n in weekly.items():
            reqs.append(Requirement(c, s[subj], teacher_of[subj][c], n,
                                    doubles=1 if subj == "美术" else 0))
    return School(name=name, days=days, schedules=(schedule,), subjects=subjects,
                  classes=classes, teachers=teachers, venues=venues,
                  requirements=tuple(reqs), profile="national",
                  policy_overrides=(("teacher_max_consecutive", 3),))


def example_timetable(school: School) -> Timetable:
    """A deterministic placement of every requirement into free class slots.

    Used for examples and tests of the writers: it fills each class's week in order
    (round robin over subjects) and puts lessons needing a venue in the first venue of
    that kind. It does not look at teachers or any rule: check it before relying on it.
    """
    lessons: list[Lesson] = []
    for cls in range(len(school.classes)):
        slots = [(d, p) for p in range(school.schedule_of(cls).max_periods)
                 for d in range(len(school.days)) if p < school.usable_periods(cls, d)]
        # shift parallel classes so the same subject is not everywhere at once
        shift = (cls * 5) % max(1, len(slots))
        slots = slots[shift:] + slots[:shift]
        todo = [[school.requirements[r], school.requirements[r].periods]
                for r in school.requirements_of_class[cls]]
        i = 0
        while any(n for _, n in todo):
            for item in todo:
                req, n = item
                if n and i < len(slots):
                    d, p = slots[i]
                    kind = school.venue_kind(req)
                    venue = school.venues_of_kind(kind)[0] if kind else None
                    lessons.append(Lesson(cls, d, p, req.subject, req.teacher, venue))
                    item[1] -= 1
                    i += 1
            if i >= len(slots):
                break
    grounds = school.venues_of_kind("ground")
    sessions = tuple(Session(c, d, grounds[0] if grounds else None)
                     for c in range(len(school.classes)) for d in range(len(school.days))
                     if school.day_of(c, d).activity is not None)
    return Timetable(tuple(lessons), sessions)


__all__ = [
    "Entry", "Grid", "GridRow", "class_grid", "teacher_grid", "venue_grid", "venue_grids",
    "time_line", "is_time_line", "TIME_LINE",
    "example_school", "example_timetable", "lesson_times", "write_atomic", "summary_rows",
    "summary_verdict", "check_summary", "homework_tables", "HomeworkTable", "HomeworkDay",
    "hard_rows", "rule_zh", "head_teacher_line", "weekly_count", "week_mark", "plain_verdict",
    "quality_lines",
]
