"""Homework CSV files: teachers' requests, published quotas, and the homework log.

jianfu writes them as UTF-8 with a BOM (Excel then shows the Chinese names) under
Chinese-first headers, ``班级 class,星期 day,…``; it reads UTF-8 with or without a BOM
(or GBK, as Excel saves it) under headers in Chinese, English or both (``班级``,
``class``, ``班级 class``), so files written before the bilingual headers read as before:

* requests — ``class,subject,weekly_minutes`` (班级,学科,每周分钟): a teacher's weekly
  homework request for a class and subject;
* quotas — ``class,day,subject,minutes,kind`` (班级,星期,学科,分钟,类型): the plan, one
  row per non-zero cell; ``day`` is a school day name or ``周末``;
* log — ``date,class,subject,minutes,kind`` (日期,班级,学科,分钟,类型): homework reported
  per evening, ``date`` as ``YYYY-MM-DD``.

``kind`` is ``书面`` (written) or ``口头`` (oral/practical; also read: ``oral``,
``practical``, ``实践``, ``口头/实践``). The column is optional: a file without it, or an
empty cell, is written homework, so files written before it read as before.

Bad input raises :class:`InputError` naming the file, the line (the header is line 1),
the column and the value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from ..models.errors import InputError
from ..models.homework import ORAL, WEEKEND, WRITTEN, HomeworkEntry, HomeworkPlan, LogRow
from ..models.school import School
from ..models.textfile import read_text
from .files import write_atomic

_ALIASES = {
    "class": ("class", "班级"),
    "subject": ("subject", "学科"),
    "weekly_minutes": ("weekly_minutes", "每周分钟"),
    "day": ("day", "星期"),
    "minutes": ("minutes", "分钟"),
    "date": ("date", "日期"),
    "kind": ("kind", "类型", "作业类型"),
}

#: ``kind`` cells read as oral/practical homework; ``书面``, ``written`` and empty as written.
_ORAL_WORDS = frozenset({"口头", "实践", "口头/实践", "口头、实践", "口头实践", "oral",
                         "practical", "oral/practical"})
_WRITTEN_WORDS = frozenset({"", "书面", "written"})

REQUEST_COLUMNS = ("class", "subject", "weekly_minutes")
QUOTA_COLUMNS = ("class", "day", "subject", "minutes", "kind")
LOG_COLUMNS = ("date", "class", "subject", "minutes", "kind")
#: Columns a file may leave out (older files): absent cells read as empty.
_OPTIONAL = frozenset({"kind"})


def header(columns: Iterable[str]) -> list[str]:
    """The header jianfu writes: Chinese first, English after (``班级 class``)."""
    return [f"{_ALIASES[c][1]} {c}" for c in columns]


def _column_of(cell: str, col: str) -> bool:
    """Whether a header cell names ``col``: ``班级``, ``class`` or ``班级 class``."""
    names = _ALIASES[col]
    return cell in names or any(word in names for word in cell.replace("/", " ").split())


def csv_text(head: Iterable[str], rows: Iterable[Iterable[object]],
             lineterminator: str = "\r\n") -> str:
    """CSV text with a BOM first (``\ufeff``: Excel reads the file as UTF-8)."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator=lineterminator)
    w.writerow(list(head))
    w.writerows(rows)
    return "\ufeff" + buf.getvalue()


def _rows(path: str | Path, columns: tuple[str, ...]) -> Iterable[tuple[int, dict[str, str]]]:
    """Yield ``(line, {column: text})`` for each data row; errors name the file.

    A missing optional column (:data:`_OPTIONAL`) reads as empty cells.
    """
    name = str(path)
    text = read_text(path)   # UTF-8 with or without BOM, or GBK as Excel saves it
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None:
        raise InputError(name, "", f"empty file; expected a header {','.join(columns)}")
    header = [h.strip() for h in header]
    where: dict[str, int] = {}
    for col in columns:
        for i, cell in enumerate(header):
            if _column_of(cell, col):
                where[col] = i
                break
        else:
            if col in _OPTIONAL:
                continue
            raise InputError(f"{name}: line 1", ",".join(header),
                             f"missing column {col!r} ({'/'.join(_ALIASES[col])})")
    for line, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))
        cells = {col: row[i].strip() for col, i in where.items()}
        for col in columns:
            cells.setdefault(col, "")
        yield line, cells


def _is_oral(text: str, where: str) -> bool:
    word = text.strip().lower()
    if word in _ORAL_WORDS:
        return True
    if word in _WRITTEN_WORDS:
        return False
    raise InputError(f"{where}, column kind", text,
                     "homework kind is 书面 (written) or 口头 (oral/practical)")


def _class(school: School, name: str, where: str) -> int:
    if name not in school.class_index:
        raise InputError(f"{where}, column class", name,
                         f"unknown class (未知班级); known: {', '.join(school.class_index)}")
    return school.class_index[name]


def _subject(school: School, name: str, where: str) -> int:
    if name not in school.subject_index:
        raise InputError(f"{where}, column subject", name,
                         f"unknown subject (未知学科); known: {', '.join(school.subject_index)}")
    return school.subject_index[name]


def _minutes(text: str, where: str, column: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{where}, column {column}", text, "not a number of minutes") from None
    if not math.isfinite(value) or value < 0:
        raise InputError(f"{where}, column {column}", text, "minutes must be ≥ 0")
    return value


def read_requests(path: str | Path, school: School) -> dict[tuple[int, int], float]:
    """Read teachers' weekly requests: ``{(class index, subject index): minutes}``.

    A request for a subject that sets no written homework, or the same class and
    subject twice, is an :class:`InputError` naming the line.
    """
    out: dict[tuple[int, int], float] = {}
    for line, row in _rows(path, REQUEST_COLUMNS):
        where = f"{path}: line {line}"
        c = _class(school, row["class"], where)
        s = _subject(school, row["subject"], where)
        if not school.subjects[s].homework:
            raise InputError(f"{where}, column subject", row["subject"],
                             "sets no written homework (不布置书面作业)")
        if (c, s) in out:
            raise InputError(where, f"{row['class']}/{row['subject']}",
                             "class and subject requested twice")
        out[(c, s)] = _minutes(row["weekly_minutes"], where, "weekly_minutes")
    return out


def write_requests(path: str | Path, school: School,
                   requests: Mapping[tuple[int, int], float]) -> None:
    """Write requests in the format :func:`read_requests` reads (atomically)."""
    write_atomic(path, csv_text(header(REQUEST_COLUMNS), (
        [school.classes[c].name, school.subjects[s].name, f"{minutes:g}"]
        for (c, s), minutes in sorted(requests.items()))))


def quota_lines(plan: HomeworkPlan, lineterminator: str = "\r\n") -> str:
    """A plan's quotas file as text: a BOM, the header ``班级 class,星期 day,学科 subject,
    分钟 minutes,类型 kind``, then one row per non-zero cell (written first, then
    oral/practical)."""
    return csv_text(header(QUOTA_COLUMNS), plan.quota_rows(), lineterminator)


def write_quotas(path: str | Path, plan: HomeworkPlan) -> None:
    """Write a plan's non-zero cells as ``class,day,subject,minutes,kind`` rows (atomically)."""
    write_atomic(path, quota_lines(plan))


@dataclass(frozen=True, slots=True)
class QuotaSheet:
    """A quotas file as written: its day labels and named rows (what exports show);
    ``oral_named`` the oral/practical rows (grades 1–2)."""

    days: tuple[str, ...]
    named: tuple[tuple[str, str, str, int], ...]
    oral_named: tuple[tuple[str, str, str, int], ...] = ()

    def rows(self) -> list[tuple[str, str, str, int]]:
        return list(self.named)

    def oral_rows(self) -> list[tuple[str, str, str, int]]:
        return list(self.oral_named)


def read_quota_sheet(path: str | Path, school: School) -> QuotaSheet:
    """Read ``quotas.csv`` (validated like :func:`read_quotas`) for the people-facing exports."""
    days, entries, oral = read_quotas(path, school)

    def named(rows: list[HomeworkEntry]) -> tuple[tuple[str, str, str, int], ...]:
        return tuple((school.classes[e.cls].name, days[e.day], school.subjects[e.subject].name,
                      e.minutes) for e in rows)

    return QuotaSheet(days, named(entries), named(oral))


def read_quotas(path: str | Path, school: School
                ) -> tuple[tuple[str, ...], list[HomeworkEntry], list[HomeworkEntry]]:
    """Read a quotas file back: ``(day labels, written entries, oral entries)``.

    Day labels are the school's days, plus ``周末`` when any row uses it; minutes must
    be whole numbers. A file without the ``kind`` column is all written.
    """
    rows = list(_rows(path, QUOTA_COLUMNS))
    weekend = any(r["day"] == WEEKEND for _, r in rows)
    days = tuple(school.days) + ((WEEKEND,) if weekend else ())
    entries: list[HomeworkEntry] = []
    oral: list[HomeworkEntry] = []
    seen: set[tuple[int, int, int, bool]] = set()
    for line, row in rows:
        where = f"{path}: line {line}"
        c = _class(school, row["class"], where)
        s = _subject(school, row["subject"], where)
        if row["day"] not in days:
            raise InputError(f"{where}, column day", row["day"],
                             f"unknown day; known: {', '.join(days)}")
        d = days.index(row["day"])
        minutes = _minutes(row["minutes"], where, "minutes")
        if minutes != int(minutes):
            raise InputError(f"{where}, column minutes", row["minutes"], "whole minutes")
        is_oral = _is_oral(row["kind"], where)
        if (c, d, s, is_oral) in seen:
            raise InputError(where, f"{row['class']}/{row['day']}/{row['subject']}",
                             "listed twice")
        seen.add((c, d, s, is_oral))
        (oral if is_oral else entries).append(HomeworkEntry(c, d, s, int(minutes)))
    return days, entries, oral


def read_log(path: str | Path, school: School) -> list[LogRow]:
    """Read a homework log; unknown class or subject, bad date or minutes → InputError."""
    out = []
    for line, row in _rows(path, LOG_COLUMNS):
        where = f"{path}: line {line}"
        try:
            date = dt.date.fromisoformat(row["date"])
        except ValueError:
            raise InputError(f"{where}, column date", row["date"],
                             "not a date (YYYY-MM-DD)") from None
        c = _class(school, row["class"], where)
        s = _subject(school, row["subject"], where)
        out.append(LogRow(date=date, cls=c, subject=s,
                          minutes=_minutes(row["minutes"], where, "minutes"), row=line,
                          oral=_is_oral(row["kind"], where)))
    return out


def write_log(path: str | Path, school: School, rows: Iterable[LogRow]) -> None:
    """Write log rows in the format :func:`read_log` reads (with the ``kind`` column),
    atomically."""
    write_atomic(path, csv_text(header(LOG_COLUMNS), (
        [r.date.isoformat(), school.classes[r.cls].name, school.subjects[r.subject].name,
         f"{r.minutes:g}", ORAL if r.oral else WRITTEN] for r in rows)))
