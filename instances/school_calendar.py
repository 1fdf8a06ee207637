"""The school-calendar file (校历, ``docs/format.md``): a term, its holidays and make-up days.

A calendar is a YAML (or JSON) file of its own, or the ``calendar:`` section of the
school file::

    term: 2026–2027学年第一学期
    start: 2026-09-01
    end: 2027-01-22
    holidays:
      - {from: 2026-10-01, to: 2026-10-07, name: 国庆节}
      - 2026-11-13                        # one day, no name
    makeup:                               # 调休上课
      - {date: 2026-10-10, follows: 周五, name: 国庆调休}

The built-in statutory holidays (:func:`jianfu.models.calendar.national_holidays`) are
added unless ``national_holidays: false``; the file's own entries win: a make-up day
on a built-in holiday is a school day. :func:`resolve_calendar` picks the term for
``jianfu export``: the calendar file, else the school file's section, else the dates
given, else a term guessed from today's date — and says which in a sentence.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..models.calendar import (
    Holiday, MakeUpDay, SchoolCalendar, default_term, holidays_between)
from ..models.errors import InputError
from ..models.textfile import load_data
from .files import write_atomic

__all__ = ["read_calendar", "calendar_from_dict", "resolve_calendar", "carry_calendar",
           "parse_date", "CALENDAR_FILE"]

#: ``jianfu solve`` keeps a school file's ``calendar:`` section here, beside the timetable.
CALENDAR_FILE = "calendar.yaml"

_KEYS = ("term", "start", "end", "national_holidays", "holidays", "makeup")
_HOLIDAY_KEYS = ("date", "from", "to", "name")
_MAKEUP_KEYS = ("date", "follows", "name")
_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_RANGE = re.compile(r"^(.+?)\s*(?:~|～|至|到|—|–|\.\.)\s*(.+)$")
_WEEKDAY = re.compile(r"^(?:周|星期|礼拜)([一二三四五六日天])$")
_ZH = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_date(value: Any, where: str) -> date:
    """A date from YAML (an unquoted ``2026-10-01``) or text: ``2026-10-01``,
    ``2026/10/1``, ``2026年10月1日``."""
    if isinstance(value, datetime):
        raise InputError(where, str(value), "应为日期（不带时刻）expected a date like 2026-10-01")
    if isinstance(value, date):
        return value
    match = _DATE.match(str(value)) if isinstance(value, str) else None
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise InputError(where, value, "不是有效日期 not a date like 2026-10-01")


def _weekday(value: Any, where: str) -> int:
    text = str(value).strip()
    match = _WEEKDAY.match(text)
    if match:
        return _ZH[match.group(1)]
    low = text.lower()
    for i, en in enumerate(_EN):
        if len(low) >= 3 and low.startswith(en) and en.startswith(low[:3]):
            return i
    raise InputError(where, value, "应为星期几，如 周五 a weekday such as 周五 or Fri")


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise InputError(where, value, "应为文字 expected a text")
    return str(value).strip()


def _mapping(value: Any, where: str, allowed: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InputError(where, value, f"应为映射 expected a mapping with keys {', '.join(allowed)}")
    for key in value:
        if key not in allowed:
            raise InputError(f"{where}.{key}" if where else str(key), key,
                             f"未知字段 unknown field; allowed: {', '.join(allowed)}")
    return value


def _holiday(raw: Any, where: str) -> Holiday:
    if isinstance(raw, Mapping):
        m = _mapping(raw, where, _HOLIDAY_KEYS)
        name = _text(m.get("name"), f"{where}.name")
        if "date" in m:
            if "from" in m or "to" in m:
                raise InputError(f"{where}.date", m["date"],
                                 "一天用 date，一段用 from/to，不要同时给 give date or from/to")
            d = parse_date(m["date"], f"{where}.date")
            return Holiday(d, d, name)
        for key in ("from", "to"):
            if key not in m:
                raise InputError(f"{where}.{key}", "", "缺少必填字段 missing (a day: date; a "
                                                       "span: from and to)")
        start, end = parse_date(m["from"], f"{where}.from"), parse_date(m["to"], f"{where}.to")
        try:
            return Holiday(start, end, name)
        except InputError as exc:
            raise InputError(f"{where}.to", exc.value, exc.problem) from None
    if isinstance(raw, str) and not _DATE.match(raw):
        span = _RANGE.match(raw.strip())
        if span:
            start, end = parse_date(span.group(1), where), parse_date(span.group(2), where)
            try:
                return Holiday(start, end, "")
            except InputError as exc:
                raise InputError(where, raw, exc.problem) from None
    d = parse_date(raw, where)
    return Holiday(d, d, "")


def _makeup(raw: Any, where: str) -> MakeUpDay:
    m = _mapping(raw, where, _MAKEUP_KEYS)
    for key in ("date", "follows"):
        if m.get(key) is None:
            raise InputError(f"{where}.{key}", "", "缺少必填字段 missing required field")
    return MakeUpDay(parse_date(m["date"], f"{where}.date"),
                     _weekday(m["follows"], f"{where}.follows"),
                     _text(m.get("name"), f"{where}.name"))


def _builtin(start: date, end: date, makeup: set[date]) -> list[Holiday]:
    """The built-in holidays in the term, without the days the school made school days."""
    out = []
    for h in holidays_between(start, end):
        run: list[date] = []
        for d in [*h.dates(), None]:
            if d is not None and d not in makeup:
                run.append(d)
            elif run:
                out.append(Holiday(run[0], run[-1], h.name))
                run = []
    return out


def calendar_from_dict(data: Any, source: str) -> SchoolCalendar:
    """Build the term from a calendar's parsed mapping; errors name ``source``, the field
    and the value (``校历.yaml: makeup[0].follows: '周八': …``)."""
    try:
        m = _mapping(data, "", _KEYS)
        for key in ("start", "end"):
            if m.get(key) is None:
                raise InputError(key, "", "缺少必填字段 missing required field")
        start, end = parse_date(m["start"], "start"), parse_date(m["end"], "end")
        national = m.get("national_holidays", True)
        if not isinstance(national, bool):
            raise InputError("national_holidays", national, "应为 true 或 false expected true "
                                                            "or false")
        holidays_raw = m.get("holidays") or []
        makeup_raw = m.get("makeup") or []
        for key, raw in (("holidays", holidays_raw), ("makeup", makeup_raw)):
            if not isinstance(raw, list):
                raise InputError(key, raw, "应为列表 expected a list")
        own = tuple(_holiday(h, f"holidays[{i}]") for i, h in enumerate(holidays_raw))
        makeup = tuple(_makeup(x, f"makeup[{i}]") for i, x in enumerate(makeup_raw))
        builtin = _builtin(start, end, {x.date for x in makeup}) if national else []
        return SchoolCalendar(start, end, own + tuple(builtin), makeup,
                              name=_text(m.get("term"), "term"))
    except InputError as exc:
        raise exc.in_file(source) from None


def _section(data: Any, source: str) -> tuple[Any, str] | None:
    """The calendar in a parsed file: the whole file, or a school file's section."""
    if isinstance(data, Mapping) and "school" in data:
        if data.get("calendar") is None:
            return None
        return data["calendar"], f"{source}: calendar"
    return data, source


def read_calendar(path: str | os.PathLike[str]) -> SchoolCalendar:
    """Read a calendar file, or the ``calendar:`` section of a school file."""
    return resolve_calendar(calendar_file=path)[0]


def carry_calendar(school_file: str | os.PathLike[str], folder: Path) -> Path | None:
    """Keep a school file's ``calendar:`` section as ``folder/calendar.yaml`` (the school's
    copy is written from the model, which holds no calendar); ``None`` without one."""
    file = Path(school_file)
    if file.suffix.lower() not in (".yaml", ".yml", ".json"):
        return None
    try:
        data = load_data(file)
    except (InputError, OSError):
        return None
    if not isinstance(data, Mapping) or data.get("calendar") is None:
        return None
    text = ("# 校历 school calendar, from the calendar: section of " + file.name + "\n"
            + yaml.safe_dump(data["calendar"], allow_unicode=True, sort_keys=False))
    write_atomic(folder / CALENDAR_FILE, text)
    return folder / CALENDAR_FILE


def _flag_date(text: str | None, flag: str) -> date | None:
    return None if not text else parse_date(text, flag)


def resolve_calendar(*, calendar_file: str | os.PathLike[str] | None = None,
                     term_start: str | None = None, term_end: str | None = None,
                     school_file: str | os.PathLike[str] | None = None,
                     folder: str | os.PathLike[str] | None = None,
                     today: date | None = None) -> tuple[SchoolCalendar, str]:
    """The term for calendars and dated views, and a sentence saying where it came from.

    In order: ``calendar_file``; ``folder/calendar.yaml``; the ``calendar:`` section of
    ``school_file``; ``term_start``/``term_end`` with the built-in holidays; the term
    :func:`~jianfu.models.calendar.default_term` guesses from ``today``. Dates given
    with a calendar replace its first or last day.
    """
    dates = {k: v for k, v in (("start", _flag_date(term_start, "--term-start")),
                               ("end", _flag_date(term_end, "--term-end"))) if v}
    if dates.get("start") and dates.get("end") and dates["end"] < dates["start"]:
        raise InputError("--term-end", term_end,
                         f"学期结束早于开始 before the term's start {term_start}")
    found: tuple[Any, str, str] | None = None
    kept = Path(folder) / CALENDAR_FILE if folder is not None else None
    if calendar_file is not None:
        file = Path(calendar_file)
        section = _section(load_data(file), str(file))
        if section is None:
            raise InputError(str(file), "", "学校文件里没有 calendar: 一节 — the school file has "
                                            "no calendar: section (docs/format.md, 校历)")
        found = (*section, f"校历 calendar {file}")
    elif kept is not None and kept.is_file():
        found = (load_data(kept), str(kept), f"校历 calendar {kept}")
    elif school_file is not None and Path(school_file).suffix.lower() in (
            ".yaml", ".yml", ".json") and Path(school_file).is_file():
        section = _section(load_data(Path(school_file)), str(school_file))
        if section is not None:
            found = (*section, f"学校文件的校历 the calendar: section of {school_file}")
    if found is not None:
        data, source, origin = found
        if dates and isinstance(data, Mapping):
            data = {**data, **dates}
        cal = calendar_from_dict(data, source)
        return cal, f"{origin} — {cal.describe()}"
    if len(dates) == 2:
        cal = calendar_from_dict(dates, "--term-start/--term-end")
        return cal, (f"学期 term --term-start/--term-end（含内置法定假日 with the built-in "
                     f"public holidays；调休请用 --calendar 给出）— {cal.describe()}")
    said = (f"按今天 {date.today().isoformat()} 推定 assumed from today's date"
            if today is None else f"按 {today.isoformat()} 所在学期推定 assumed around "
                                  f"{today.isoformat()}")
    today = today or date.today()
    guess = default_term(today)
    if dates:
        data = {"term": guess.name, "start": guess.start, "end": guess.end, **dates}
        cal = calendar_from_dict(data, "--term-start/--term-end")
        return cal, f"学期 term（另一端按今天推定 the other end guessed）— {cal.describe()}"
    return guess, (f"未给学期 no term given：{said} — {guess.describe()}。用 --calendar 校历.yaml（docs/format.md）"
                   f"或 --term-start/--term-end 给出你们学校的学期 give your own")
