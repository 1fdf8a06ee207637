"""Timetable JSON: lessons and activity sessions by name, periods 1-based.

::

    {"school": "示范学校",
     "meta": {"status": "OPTIMAL", "objective": 37},          # optional, passed through
     "lessons": [{"class": "七年级1班", "day": "周一", "period": 1,
                  "subject": "语文", "teacher": "王芳", "venue": null},
                 {..., "subject": "体育与健康", "teacher": "李娜", "group": "女生"},
                 {..., "subject": "科学", "teacher": "赵磊", "week": "单"}, ...],
     "sessions": [{"class": "七年级1班", "day": "周二", "venue": "操场"}, ...]}

Reading checks names against the school (unknown class, day, subject, teacher or
venue; a period that is not a whole number ≥ 1) and nothing else: clashes and every
other rule are the checker's job (``docs/rules.md``). :func:`read_timetable` also reads
the workbook (``.xlsx``) and ``lessons.csv`` jianfu exports, after hand edits
(:mod:`jianfu.instances.edited`).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any, Mapping

from ..models.errors import InputError
from ..models.school import School
from ..models.textfile import load_data
from ..models.timetable import Lesson, Session, Timetable
from .files import write_atomic

__all__ = ["timetable_to_dict", "timetable_from_dict", "read_timetable", "write_timetable",
           "read_timetable_meta", "dump_timetable", "read_timetable_places"]

_TOP = ("school", "meta", "lessons", "sessions")
_LESSON = ("class", "day", "period", "subject", "teacher", "venue", "group", "week", "cover")
#: ``week`` of a lesson held every other week (单双周): 1 单周 (odd), 2 双周 (even).
WEEK_TEXT = {1: "单", 2: "双"}
WEEK_NAMES: dict[Any, int] = {"单": 1, "单周": 1, "odd": 1, 1: 1, "双": 2, "双周": 2, "even": 2, 2: 2}
_SESSION = ("class", "day", "venue")


def timetable_to_dict(tt: Timetable, school: School, meta: Mapping[str, Any] | None = None
                      ) -> dict[str, Any]:
    """The JSON-ready dict of ``tt`` (names, 1-based periods); ``meta`` is kept as ``"meta"``."""
    out: dict[str, Any] = {"school": school.name}
    if meta:
        out["meta"] = _plain(dict(meta))
    out["lessons"] = [
        {"class": school.classes[x.cls].name, "day": school.days[x.day], "period": x.period + 1,
         "subject": school.subjects[x.subject].name, "teacher": school.teachers[x.teacher].name,
         "venue": None if x.venue is None else school.venues[x.venue].name}
        | ({"group": x.group} if x.group is not None else {})   # absent: the whole class
        | ({"week": WEEK_TEXT[x.week]} if x.week is not None else {})   # absent: every week
        | ({"cover": True} if x.cover else {})   # 代课 in a dated week (jianfu change)
        for x in tt.lessons]
    out["sessions"] = [
        {"class": school.classes[s.cls].name, "day": school.days[s.day],
         "venue": None if s.venue is None else school.venues[s.venue].name}
        for s in tt.sessions]
    return out


def _plain(value: Any) -> Any:
    """JSON-safe metadata: NaN and infinities (an unknown bound) become ``null``."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def timetable_from_dict(data: Mapping[str, Any], school: School, source: str) -> Timetable:
    """Build a :class:`Timetable` from parsed timetable JSON.

    Raises
    ------
    InputError
        Naming ``source``, the field path (``lessons[12].teacher``) and the value.
    """
    def err(path: str, value: Any, problem: str) -> InputError:
        return InputError(f"{source}: {path}" if path else source, value, problem)

    def record(value: Any, path: str, keys: tuple[str, ...], required: tuple[str, ...]
               ) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise err(path, value, f"应为对象 expected an object with {', '.join(keys)}")
        for key in value:
            if key not in keys:
                raise err(f"{path}.{key}", key, f"未知字段 unknown field; allowed: {', '.join(keys)}")
        for key in required:
            if key not in value:
                raise err(f"{path}.{key}", "", "缺少必填字段 missing required field")
        return value

    def ref(value: Any, path: str, index: Mapping[str, int], what: str) -> int:
        if not isinstance(value, str) or value not in index:
            raise err(path, value, f"学校中没有这个{what} no such {_EN[what]} in school {school.name}")
        return index[value]

    def venue(value: Any, path: str) -> int | None:
        return None if value is None else ref(value, path, school.venue_index, "场地")

    top = record(data, "", _TOP, ("school", "lessons"))
    if top["school"] != school.name:
        raise err("school", top["school"], f"课表属于另一所学校 timetable is for another school "
                                           f"(expected {school.name!r})")
    if "meta" in top and top["meta"] is not None and not isinstance(top["meta"], Mapping):
        raise err("meta", top["meta"], "应为对象 expected an object")
    days = {d: i for i, d in enumerate(school.days)}
    lessons = []
    raw_lessons = top["lessons"]
    if not isinstance(raw_lessons, list):
        raise err("lessons", raw_lessons, "应为列表 expected a list")
    for i, raw in enumerate(raw_lessons):
        path = f"lessons[{i}]"
        x = record(raw, path, _LESSON, ("class", "day", "period", "subject", "teacher"))
        period = x["period"]
        if isinstance(period, bool) or not isinstance(period, int) or period < 1:
            raise err(f"{path}.period", period,
                      "节次应为 ≥ 1 的整数 a whole number ≥ 1 (1 = first period)")
        cls = ref(x["class"], f"{path}.class", school.class_index, "班级")
        subject = ref(x["subject"], f"{path}.subject", school.subject_index, "学科")
        group = x.get("group")
        if group is not None and (not isinstance(group, str)
                                  or not school.has_group(cls, group, subject)):
            raise err(f"{path}.group", group,
                      f"{x['class']} 没有上 {x['subject']} 的这个分组或走班教学组 no such group "
                      f"of a split lesson or 走班 block of this class and subject")
        week = x.get("week")
        if week is not None:
            if isinstance(week, bool) or not isinstance(week, (str, int)) \
                    or week not in WEEK_NAMES:
                raise err(f"{path}.week", week, "应为 单 或 双 expected 单 (odd weeks, 单周) or "
                                                "双 (even weeks, 双周); absent: every week")
            week = WEEK_NAMES[week]
        cover = x.get("cover", False)
        if not isinstance(cover, bool):
            raise err(f"{path}.cover", cover, "应为 true 或 false (代课 a cover lesson)")
        lessons.append(Lesson(
            cls=cls,
            day=ref(x["day"], f"{path}.day", days, "日期"),
            period=period - 1,
            subject=subject,
            teacher=ref(x["teacher"], f"{path}.teacher", school.teacher_index, "教师"),
            venue=venue(x.get("venue"), f"{path}.venue"), group=group, week=week, cover=cover))
    sessions = []
    raw_sessions = top.get("sessions") or []
    if not isinstance(raw_sessions, list):
        raise err("sessions", raw_sessions, "应为列表 expected a list")
    for i, raw in enumerate(raw_sessions):
        path = f"sessions[{i}]"
        s = record(raw, path, _SESSION, ("class", "day"))
        sessions.append(Session(
            cls=ref(s["class"], f"{path}.class", school.class_index, "班级"),
            day=ref(s["day"], f"{path}.day", days, "日期"),
            venue=venue(s.get("venue"), f"{path}.venue")))
    return Timetable(tuple(lessons), tuple(sessions))


_EN = {"班级": "class", "日期": "day", "学科": "subject", "教师": "teacher", "场地": "venue"}


def _load(path: Path) -> Any:
    return load_data(path)   # UTF-8 with or without BOM, GBK; a key given twice is refused


def read_timetable(path: str | os.PathLike[str], school: School) -> Timetable:
    """Read a timetable file for ``school`` (names checked, rules not), by its suffix:
    ``.xlsx`` the workbook and ``.csv`` the ``lessons.csv`` that ``jianfu export`` wrote,
    perhaps edited by hand (:func:`jianfu.instances.edited.read_edited`); ``.fet`` FET's
    timetable of the school's FET export (fet-cl's ``<name>_data_and_timetable.fet``:
    :func:`~jianfu.instances.fet_school.read_fet_timetable`); anything else timetable
    JSON."""
    file = Path(path)
    if file.suffix.lower() in _EDITED:
        from .edited import read_edited

        return read_edited(file, school).timetable
    if file.suffix.lower() == ".fet":
        from .fet_school import read_fet_timetable

        return read_fet_timetable(file, school)
    return timetable_from_dict(_load(file), school, str(file))


_EDITED = (".xlsx", ".xlsm", ".csv")   # jianfu.instances.edited.EDITED_SUFFIXES


def read_timetable_places(path: str | os.PathLike[str], school: School
                          ) -> tuple[Timetable, dict[Lesson | Session, str]]:
    """:func:`read_timetable`, and where each lesson and session was read: the sheet and
    cell of a workbook, the line of a CSV (``{}`` for JSON, which has no cells)."""
    file = Path(path)
    if file.suffix.lower() in _EDITED:
        from .edited import read_edited

        return read_edited(file, school)
    return read_timetable(file, school), {}


def read_timetable_meta(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The ``meta`` object of a timetable JSON file (empty when absent)."""
    file = Path(path)
    data = _load(file)
    meta = data.get("meta") if isinstance(data, Mapping) else None
    return dict(meta) if isinstance(meta, Mapping) else {}


def dump_timetable(tt: Timetable, school: School, meta: Mapping[str, Any] | None = None) -> str:
    """The timetable JSON text: one lesson per line, so diffs stay readable."""
    data = timetable_to_dict(tt, school, meta)
    head = {k: v for k, v in data.items() if k not in ("lessons", "sessions")}
    parts = [json.dumps(head, ensure_ascii=False, indent=1, allow_nan=False)[:-2]]
    for key in ("lessons", "sessions"):
        rows = ",\n".join("  " + json.dumps(row, ensure_ascii=False, allow_nan=False)
                           for row in data[key])
        parts.append(f',\n "{key}": [\n{rows}\n ]' if rows else f',\n "{key}": []')
    return "".join(parts) + "\n}\n"


def write_timetable(tt: Timetable, school: School, path: str | os.PathLike[str],
                    meta: Mapping[str, Any] | None = None) -> None:
    """Write ``tt`` as timetable JSON to ``path`` atomically."""
    write_atomic(path, dump_timetable(tt, school, meta))
