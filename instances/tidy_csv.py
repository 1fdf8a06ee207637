"""Tidy CSV: one row per lesson and one row per homework cell, for pandas, R or Excel.

Files are UTF-8 with a byte-order mark (``utf-8-sig``) so Excel opens the Chinese
names correctly by double-click; pandas reads them with ``encoding="utf-8-sig"``. The
header is Chinese first, English after (``班级 class``: :data:`HEADERS`); the frames of
:func:`lessons_frame` and :func:`homework_frame` keep the English names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..models.policy import Policy, format_clock
from ..models.school import School
from ..models.timetable import Timetable
from .timetable_io import WEEK_TEXT
from .views import lesson_times, write_atomic

__all__ = ["lessons_frame", "homework_frame", "write_tidy", "LESSON_COLUMNS", "HOMEWORK_COLUMNS",
           "HEADERS", "LESSON_HEADERS", "HOMEWORK_HEADERS"]

LESSON_COLUMNS = ("school", "class", "grade", "day", "period", "start", "end", "subject",
                  "teacher", "venue", "week", "group")
HOMEWORK_COLUMNS = ("school", "class", "grade", "day", "weekend", "subject", "minutes",
                    "daily_cap", "kind")
#: The CSV header of each column: Chinese first (what a clerk reads), English after.
HEADERS = {"school": "学校 school", "class": "班级 class", "grade": "年级 grade",
           "day": "星期 day", "period": "节次 period", "start": "开始 start", "end": "结束 end",
           "subject": "学科 subject", "teacher": "教师 teacher", "venue": "场地 venue",
           "week": "单双周 week", "group": "分组 group", "weekend": "周末 weekend", "minutes": "分钟 minutes",
           "daily_cap": "每日上限 daily_cap", "kind": "类型 kind"}
LESSON_HEADERS = tuple(HEADERS[c] for c in LESSON_COLUMNS)
HOMEWORK_HEADERS = tuple(HEADERS[c] for c in HOMEWORK_COLUMNS)


def lessons_frame(school: School, timetable: Timetable) -> pd.DataFrame:
    """One row per lesson; ``period`` is 1-based as printed, times ``HH:MM``; ``week`` is
    empty for a lesson held every week, ``单``/``双`` for one held in odd/even weeks only
    (单双周); ``group`` is empty for the whole class, else the group of a split lesson or
    走班 block (男生, A层)."""
    rows = []
    for lesson in timetable.lessons:
        times = lesson_times(school, lesson)
        cls = school.classes[lesson.cls]
        rows.append({
            "school": school.name, "class": cls.name, "grade": cls.grade,
            "day": school.days[lesson.day], "period": lesson.period + 1,
            "start": format_clock(times[0]) if times else "",
            "end": format_clock(times[1]) if times else "",
            "subject": school.subjects[lesson.subject].name,
            "teacher": school.teachers[lesson.teacher].name,
            "venue": school.venues[lesson.venue].name if lesson.venue is not None else "",
            "week": WEEK_TEXT[lesson.week] if lesson.week is not None else "",
            "group": lesson.group or "",
        })
    return pd.DataFrame(rows, columns=list(LESSON_COLUMNS))


def homework_frame(school: School, plan: Any, policy: Policy | None = None) -> pd.DataFrame:
    """One row per homework cell (class, day, subject, kind) with minutes > 0 in ``plan``:
    the written cells (``kind`` 书面, ``daily_cap`` the written cap), then the oral ones
    of grades 1–2 (口头, ``daily_cap`` the oral limit)."""
    from ..models.homework import ORAL, WEEKEND, WRITTEN

    policy = policy or school.policy()
    grade = {c.name: c.grade for c in school.classes}
    rows = []
    oral = getattr(plan, "oral_rows", list)()
    for kind, cells in ((WRITTEN, plan.rows()), (ORAL, oral)):
        for cls, day, subject, minutes in cells:
            weekend = day == WEEKEND
            g = grade.get(cls)
            cap = (policy.homework_cap(g, weekend=weekend) if kind == WRITTEN
                   else policy.lower_grades_oral_minutes)
            rows.append({
                "school": school.name, "class": cls, "grade": g, "day": day, "weekend": weekend,
                "subject": subject, "minutes": int(minutes), "daily_cap": cap if g else None,
                "kind": kind,
            })
    return pd.DataFrame(rows, columns=list(HOMEWORK_COLUMNS))


def _csv(frame: pd.DataFrame, path: Path) -> Path:
    # BOM first so Excel detects UTF-8; written whole, then renamed into place
    text = frame.rename(columns=HEADERS).to_csv(index=False, lineterminator="\n")
    return write_atomic(path, text.encode("utf-8-sig"))


def write_tidy(out_dir: Path | str, school: School, timetable: Timetable,
               plan: Any = None, policy: Policy | None = None) -> list[Path]:
    """Write ``lessons.csv`` (and ``homework.csv`` with a plan) into ``out_dir``."""
    out = Path(out_dir)
    written = [_csv(lessons_frame(school, timetable), out / "lessons.csv")]
    if plan is not None:
        written.append(_csv(homework_frame(school, plan, policy), out / "homework.csv"))
    return written
