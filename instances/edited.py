"""Timetables a person edited in Excel or WPS, read back for ``jianfu check`` and
``jianfu solve --keep``.

The workbook ``jianfu export`` writes (``timetable.xlsx``: one sheet per class, and a
总课表 where there is one) and its ``lessons.csv`` are read by the readers of
``jianfu audit`` (:mod:`jianfu.instances.audit_io`), whatever a person did to them:
lessons moved, swapped or retyped (``语文``, ``语文(张三)``, ``语文 张三`` with full- or
half-width spaces), the CSV saved again by Excel on Chinese Windows (GBK). Names are
matched to the school (:func:`jianfu.instances.audit.located_timetable_for`); an unknown
class, subject or teacher, or a cell naming two subjects, is an
:class:`~jianfu.models.errors.InputError` naming the file, sheet, cell and value.

:func:`read_edited` returns the timetable with a side dict, lesson (or activity
session) → where it was read (``timetable.xlsx: 班级-八年级1班!C5``, ``lessons.csv: 第12行
line 12``), so that the check report can point each violation at its cells
(:func:`violation_places`). The :class:`~jianfu.models.timetable.Timetable` itself stays
free of file positions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Callable, Mapping, NamedTuple, Sequence

from ..models.audit import assume_sessions
from ..models.errors import InputError
from ..models.school import School
from ..models.textfile import check_readable, note
from ..models.timetable import Lesson, Session, Timetable
from ..models.violation import Violation
from .audit import located_timetable_for
from .audit_io import TimetableFile, read_timetable_file
from .views import lesson_times, lessons_digest

__all__ = ["EDITED_SUFFIXES", "Located", "read_edited", "violation_places", "places_locator"]

#: File types :func:`read_edited` reads (the workbook and the CSV jianfu writes).
EDITED_SUFFIXES = (".xlsx", ".xlsm", ".csv")

Place = Lesson | Session


class Located(NamedTuple):
    """A timetable read from a file, and where each lesson and session was found."""

    timetable: Timetable
    places: dict[Place, str]


def read_edited(path: str | Path, school: School) -> Located:
    """Read ``timetable.xlsx`` or ``lessons.csv`` (as jianfu wrote it, perhaps edited by
    hand) for ``school``.

    A workbook with both a 总课表 and class sheets must say the same in both: where they
    differ, the error names both cells (the clerk edited one and should delete the other).
    A file that cannot list activity sessions (the CSV) gets them in the bell schedule's
    activity slot, as ``jianfu audit`` assumes (:func:`jianfu.models.audit.assume_sessions`), and
    a note says so.

    Raises
    ------
    InputError
        Naming the file, sheet and cell (or the CSV line) and the value.
    """
    file = check_readable(path)
    if file.suffix.lower() not in EDITED_SUFFIXES:
        raise InputError(str(file), file.suffix, "应为 .xlsx 或 .csv expected the workbook "
                                                 "(.xlsx) or the CSV (.csv) jianfu wrote")
    tf = read_timetable_file(file)
    if tf.layout == "master":
        sheets = read_timetable_file(file, layout="per_class")
        if sheets.layout == "per_class":
            tf = _agreeing(tf, sheets, school, file)
    timetable, places = located_timetable_for(tf, school)
    if tf.layout == "rows":
        places = {x: _csv_line(where) for x, where in places.items()}
    if not timetable.sessions and tf.layout != "per_class":   # class sheets show them
        with_sessions, added = assume_sessions(school, school.policy(), timetable)
        if added:
            timetable = with_sessions
            note(f"{file.name}: 文件中没有课外体育活动，按作息时间表的活动时段计 {added} 次 — the "
                 f"file lists no after-class activity sessions: {added} assumed in the bell "
                 f"schedule's activity slot on the days a class needs one")
    return Located(timetable, places)


_ROW = re.compile(r"^(.*?): 第(\d+)行 row \d+.*$")


def _csv_line(where: str) -> str:
    """``lessons.csv: 第12行 line 12`` for the reader's ``…第12行 row 12, 第8列 column 8``:
    the line is the lesson."""
    m = _ROW.match(where)
    return f"{m.group(1)}: 第{m.group(2)}行 line {m.group(2)}" if m else where


def _agreeing(master: TimetableFile, sheets: TimetableFile, school: School,
              file: Path) -> TimetableFile:
    """The class sheets' reading, when the 总课表 says the same. When they differ and the
    workbook is jianfu's, the one still holding the timetable it was written with
    (:func:`~jianfu.instances.views.lessons_digest`) is the one nobody edited: the other
    is read, and a note says so. Else an error naming the first cell where they differ.
    Teachers, venues, groups and weeks are compared only when the 总课表 writes them
    somewhere (a compact 总课表 may show subjects only)."""
    from .excel import open_workbook, written_digest

    source = file.name
    a, at = located_timetable_for(master, school)
    b, bt = located_timetable_for(sheets, school)
    shown_fields = ["subject"] + [f for f in ("teacher", "venue", "group", "week")
                                  if any(getattr(x, f) is not None for x in master.lessons)]

    def facts(lessons: Sequence[Lesson]) -> list[tuple[object, ...]]:
        return sorted((tuple(getattr(x, f) or 0 for f in shown_fields) for x in lessons),
                      key=repr)

    slots: dict[tuple[int, int, int], list[list[Lesson]]] = defaultdict(lambda: [[], []])
    for side, tt in enumerate((a, b)):
        for x in tt.lessons:
            slots[(x.cls, x.day, x.period)][side].append(x)
    differ = sorted(k for k, (x, y) in slots.items() if facts(x) != facts(y))
    if not differ:
        return sheets
    # the side still holding what jianfu wrote is the one nobody edited: read the other
    written = written_digest(open_workbook(file))
    untouched = {lessons_digest(school, a): (sheets, "班级课表", "the class sheets"),
                 lessons_digest(school, b): (master, "总课表", "the 总课表")}
    if written in untouched:
        edited, zh, en = untouched[written]
        note(f"{source}: 改动在{zh}（{len(differ)} 节），按它读 — the edit is in {en} "
             f"({len(differ)} period(s)); read from there")
        return edited
    key = differ[0]
    mine, theirs = slots[key]

    def shown(lessons: Sequence[Lesson], where: Mapping[Place, str]) -> str:
        if not lessons:
            return "空 empty"
        cell = where[lessons[0]].split(": ", 1)[-1]
        return f"{cell} 写 says " + "、".join(
            f"{school.subjects[x.subject].name}({school.teachers[x.teacher].name})"
            + (f"@{school.venues[x.venue].name}" if x.venue is not None else "")
            for x in lessons)

    cls = school.classes[key[0]].name
    slot = f"{cls} {school.days[key[1]]}第{key[2] + 1}节"
    raise InputError(source, slot,
                     f"总课表与班级工作表不一致（共 {len(differ)} 处）：{shown(theirs, bt)}，"
                     f"{shown(mine, at)} — the 总课表 and the class sheets differ in "
                     f"{len(differ)} period(s): edit the timetable in one place, delete the "
                     f"other sheet(s), and check again")


# --- violations at their cells ----------------------------------------------------------

def violation_places(school: School, timetable: Timetable, places: Mapping[Place, str],
                     violation: Violation, *, limit: int = 6) -> list[str]:
    """The cells (or CSV lines) of the lessons ``violation`` is about, file names cut:
    ``["班级-八年级1班!C5", "班级-八年级2班!C5"]``.

    The lessons matching every entity the violation names (class, teacher, subject,
    venue, day, period, week); for a clash (``teacher_clash``, ``class_clash``,
    ``venue_clash``) also the other lessons of that teacher, class or venue at the same
    time. A violation naming no day (a weekly count) has no cell: ``[]``.
    """
    if not places or violation.day not in school.days:
        return []
    d = school.days.index(violation.day)
    want = {
        "cls": school.class_index.get(violation.cls) if violation.cls else None,
        "teacher": school.teacher_index.get(violation.teacher) if violation.teacher else None,
        "subject": school.subject_index.get(violation.subject) if violation.subject else None,
        "venue": school.venue_index.get(violation.venue) if violation.venue else None,
        "period": violation.period - 1 if violation.period else None,
    }
    if all(v is None for v in want.values()):
        return []
    lessons = [x for x in timetable.lessons if x.day == d and (
        violation.week is None or x.week is None or x.week == violation.week)]
    # a class and a day alone (课外活动, 每天体育活动) is about the class's activity session,
    # not its every lesson that day
    by_day = all(want[k] is None for k in ("teacher", "subject", "period"))
    found: list[Place] = [] if by_day and want["venue"] is None else [
        x for x in lessons if all(v is None or getattr(x, k) == v for k, v in want.items())]
    clash = violation.rule.removesuffix("_clash")
    entity = {"teacher": "teacher", "class": "cls", "venue": "venue"}.get(clash)
    if entity is not None and want["period"] is not None and found:
        first = found[0]
        times = [t for x in found if isinstance(x, Lesson) and (t := lesson_times(school, x))]
        for x in lessons:
            t = lesson_times(school, x)
            if x not in found and t is not None and getattr(x, entity) == getattr(first, entity) \
                    and any(t[0] < e and s < t[1] for s, e in times):
                found.append(x)
    if by_day:
        found += [s for s in timetable.sessions if s.day == d
                  and want["cls"] in (None, s.cls) and want["venue"] in (None, s.venue)]
    cells = list(dict.fromkeys(places[x].split(": ", 1)[-1] for x in found if x in places))
    return cells[:limit] + ([f"… +{len(cells) - limit}"] if len(cells) > limit else [])


def places_locator(school: School, timetable: Timetable, places: Mapping[Place, str]
                   ) -> Callable[[Violation], list[str]] | None:
    """The ``locate`` argument of :func:`jianfu.models.checker.format_violations`: each
    violation's cells, or ``None`` when the timetable came from a file without cells
    (JSON)."""
    if not places:
        return None
    return lambda v: violation_places(school, timetable, places, v)
