"""The school file: a human-editable YAML (or JSON) description of one school.

The format (``docs/format.md``) is written for a 教务处 clerk: everything is referred
to by name, periods default to the national curriculum for the grade, times are
``"HH:MM"`` and teacher unavailability reads ``周一上午`` or ``"周三 14:00-16:00"``.
:func:`read_school` turns a file into a validated :class:`~jianfu.models.school.School`;
every problem is an :class:`~jianfu.models.errors.InputError` naming the file, the
field path (``school.yaml: teachers[3].unavailable[1]``) and the value.
:func:`write_school` writes the same format back, so ``read_school`` of a written
school equals the school.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..models.errors import InputError
from ..models.policy import PROFILES, Policy, format_clock, load_policy
from ..models.school import (
    BellSchedule,
    Block,
    BlockGroup,
    Category,
    Alternate,
    Combined,
    Split,
    SplitGroup,
    DaySchedule,
    Half,
    Meeting,
    most_used_schedule,
    Requirement,
    SlotSpec,
    School,
    SchoolClass,
    CountsAs,
    Segment,
    SegmentKind,
    Subject,
    Teacher,
    Unavailable,
    Venue,
    Wish,
)
from ..models.textfile import load_data, load_yaml
from .curriculum import SUBJECT_BY_NAME, SUBJECTS, weekly_periods
from .files import write_atomic

__all__ = [
    "read_school", "school_from_dict", "school_to_dict", "write_school", "dump_school",
    "parse_unavailable", "format_unavailable", "load_yaml", "load_data", "SEGMENT_NAMES",
]

DAY_END = 24 * 60

#: Names accepted for segment kinds: the English value and the Chinese names.
SEGMENT_NAMES: dict[str, SegmentKind] = {k.value: k for k in SegmentKind}
SEGMENT_NAMES.update({
    "课": SegmentKind.LESSON, "上课": SegmentKind.LESSON,
    "自习": SegmentKind.SELF_STUDY,
    "课间": SegmentKind.BREAK, "课间休息": SegmentKind.BREAK,
    "眼保健操": SegmentKind.EYE,
    "大课间": SegmentKind.LONG_BREAK,
    "午餐午休": SegmentKind.LUNCH, "午休": SegmentKind.LUNCH, "午餐": SegmentKind.LUNCH,
    "课外体育活动": SegmentKind.ACTIVITY, "体育活动": SegmentKind.ACTIVITY,
    "课后服务": SegmentKind.AFTER_SCHOOL,
    "集体活动": SegmentKind.EVENT, "全校活动": SegmentKind.EVENT,
})

#: Names accepted for an event's ``counts_as``.
COUNTS_AS_NAMES: dict[str, CountsAs] = {c.value: c for c in CountsAs}
COUNTS_AS_NAMES.update({"不计": CountsAs.NONE, "学习": CountsAs.STUDY, "自习": CountsAs.STUDY,
                        "体育活动": CountsAs.ACTIVITY, "锻炼": CountsAs.ACTIVITY})

_TOP = ("school", "profile", "policy", "days", "schedules", "builtin_subjects", "subjects",
        "venues", "classes", "teachers", "meetings", "combined", "split", "blocks",
        "alternate", "calendar",
        "requirements")
_SEGMENT_KEYS = ("kind", "start", "end", "label", "counts_as", "days")
_SUBJECT_KEYS = ("name", "english", "category", "homework", "venue_kind", "part_of",
                 "forbidden")
_VENUE_KEYS = ("name", "kind", "capacity")
_CLASS_KEYS = ("name", "grade", "schedule", "periods_per_day", "head_teacher")
_TEACHER_KEYS = ("name", "subjects", "max_periods_per_day", "unavailable", "schools", "wishes")
_WISH_KEYS = ("avoid", "prefer", "weight")
_PERIOD = re.compile(r"^第\s*(\d+)\s*节$")
_REQ_KEYS = ("teacher", "periods", "doubles", "venue", "fixed", "forbidden")
_REQ_LIST_KEYS = ("class", "subject") + _REQ_KEYS
_MEETING_KEYS = ("name", "subject", "teachers", "day", "half", "start", "end")
_COMBINED_KEYS = ("name", "members", "teacher", "venue_kind")
_SPLIT_KEYS = ("class", "subject", "groups", "venue_kind")
_BLOCK_KEYS = ("name", "classes", "subject", "groups")
_BLOCK_GROUP_KEYS = ("teacher", "subject", "venue_kind")
_ALTERNATE_KEYS = ("class", "odd", "even")
#: Names accepted for a meeting's half-day.
HALF_NAMES: dict[str, Half] = {h.value: h for h in Half} | {h.zh: h for h in Half}
_RANGE = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–—~～至到]\s*(\d{1,2}:\d{2})\s*$")


# --- YAML ------------------------------------------------------------------------------

def _read_data(path: Path) -> Any:
    data = load_data(path)
    if data is None:   # only comments or blank lines
        raise InputError(str(path), "", "文件没有内容 the file has no content (only comments)")
    return data


# --- small validators ----------------------------------------------------------------------

class _Reader:
    """Validation helpers that know the file name, so every error names it."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, path: str, value: Any, problem: str) -> InputError:
        where = f"{self.source}: {path}" if path else self.source
        return InputError(where, value, problem)

    def wrap(self, exc: InputError, path: str) -> InputError:
        """Complete an error raised by a model (relative path) with the file and entity."""
        sub = exc.where
        full = f"{path}.{sub}" if path and sub else (path or sub)
        return self.error(full, exc.value, exc.problem)

    def mapping(self, value: Any, path: str, allowed: tuple[str, ...],
                required: tuple[str, ...] = ()) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise self.error(path, value, f"应为映射 expected a mapping with keys {', '.join(allowed)}")
        for key in value:
            if key not in allowed:
                raise self.error(f"{path}.{key}" if path else str(key), key,
                                 f"未知字段 unknown field; allowed: {', '.join(allowed)}")
        for key in required:
            if key not in value or value[key] is None:
                raise self.error(f"{path}.{key}" if path else key, "",
                                 "缺少必填字段 missing required field")
        return dict(value)

    def seq(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, (list, tuple)):
            raise self.error(path, value, "应为列表 expected a list")
        return list(value)

    def text(self, value: Any, path: str) -> str:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.error(path, value, "应为文字 expected a text value")
        text = str(value).strip()
        if not text:
            raise self.error(path, value, "不能为空 must not be empty")
        return text

    def integer(self, value: Any, path: str, low: int, high: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(path, value, "应为整数 expected a whole number")
        if value < low or (high is not None and value > high):
            span = f"{low}..{high}" if high is not None else f"≥ {low}"
            raise self.error(path, value, f"超出范围 out of range ({span})")
        return value

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            raise self.error(path, value, "应为 true 或 false expected true or false")
        return value

    def clock(self, value: Any, path: str, allow_end: bool = False) -> int:
        """``"HH:MM"`` → minutes after midnight (``"24:00"`` allowed as an end)."""
        minutes = _parse_time(value, allow_end)
        if minutes is None:
            raise self.error(path, value, "时间格式应为 HH:MM expected a time HH:MM (00:00–23:59)")
        return minutes

    def name_ref(self, value: Any, path: str, known: Mapping[str, Any], what: str) -> Any:
        name = self.text(value, path)
        if name not in known:
            shown = ", ".join(list(known)[:12]) + (" …" if len(known) > 12 else "")
            raise self.error(path, name, f"未定义的{what} unknown {_EN[what]}; known: {shown}")
        return known[name]


_EN = {"教师": "teacher", "班级": "class", "学科": "subject", "作息表": "bell schedule",
       "场地": "venue", "日期": "day"}


def _parse_time(value: Any, allow_end: bool = False) -> int | None:
    if isinstance(value, bool) or not isinstance(value, str):
        return None
    hours, sep, minutes = value.strip().partition(":")
    if not sep or not hours.isdigit() or not minutes.isdigit() or len(minutes) != 2:
        return None
    h, m = int(hours), int(minutes)
    if allow_end and h == 24 and m == 0:
        return DAY_END
    if not (0 <= h < 24 and 0 <= m < 60):
        return None
    return h * 60 + m


def _clock_text(minutes: int) -> str:
    return "24:00" if minutes == DAY_END else format_clock(minutes)


# --- unavailability -------------------------------------------------------------------------

def parse_unavailable(text: str, days: tuple[str, ...], schedule: BellSchedule) -> Unavailable:
    """Parse ``周一``, ``周一上午``, ``周一下午`` or ``周一 08:00-10:00``.

    上午 is from midnight until the day's lunch segment starts in ``schedule`` (12:00
    when it has none); 下午 from the lunch segment's end to midnight.

    Raises
    ------
    ValueError
        With a sentence saying what is wrong (the caller adds file and path).
    """
    raw = str(text).strip()
    for d, day in sorted(enumerate(days), key=lambda x: -len(x[1])):
        if not raw.startswith(day):
            continue
        rest = raw[len(day):].strip()
        lunch = schedule.days[d].lunch
        if rest in ("", "全天"):
            return Unavailable(d, 0, DAY_END)
        if rest == "上午":
            return Unavailable(d, 0, lunch.start if lunch else 12 * 60)
        if rest == "下午":
            return Unavailable(d, lunch.end if lunch else 12 * 60, DAY_END)
        match = _RANGE.match(rest)
        if not match:
            raise ValueError(f"after the day, expected 上午, 下午 or HH:MM-HH:MM, got {rest!r}")
        start, end = _parse_time(match.group(1)), _parse_time(match.group(2), allow_end=True)
        if start is None or end is None:
            raise ValueError(f"not a time range HH:MM-HH:MM: {rest!r}")
        if end <= start:
            raise ValueError(f"end {match.group(2)} is not after start {match.group(1)}")
        return Unavailable(d, start, end)
    raise ValueError(f"should start with a school day ({', '.join(days)})")


def format_unavailable(u: Unavailable, days: tuple[str, ...], schedule: BellSchedule) -> str:
    """The inverse of :func:`parse_unavailable` (prefers 上午/下午/whole-day forms)."""
    day = days[u.day]
    lunch = schedule.days[u.day].lunch
    noon_start = lunch.start if lunch else 12 * 60
    noon_end = lunch.end if lunch else 12 * 60
    if (u.start, u.end) == (0, DAY_END):
        return day
    if (u.start, u.end) == (0, noon_start):
        return f"{day}上午"
    if (u.start, u.end) == (noon_end, DAY_END):
        return f"{day}下午"
    return f"{day} {_clock_text(u.start)}-{_clock_text(u.end)}"


def parse_wish(text: str, prefer: bool, weight: int, days: tuple[str, ...],
               schedule: BellSchedule) -> Wish:
    """A wish from its time text: ``第1节`` (every day), ``周五第1节``, or any
    unavailability text (``周五下午``, ``"周三 14:00-16:00"``, read in ``schedule``).

    Raises
    ------
    ValueError
        With a sentence saying what is wrong (the caller adds file and path).
    """
    raw = str(text).strip()
    day, rest = None, raw
    for d, name in sorted(enumerate(days), key=lambda x: -len(x[1])):
        if raw.startswith(name):
            day, rest = d, raw[len(name):].strip()
            break
    match = _PERIOD.match(rest)
    if match is None:
        return Wish(prefer, weight, stretch=parse_unavailable(raw, days, schedule))
    if prefer:
        raise ValueError("a preferred time is a half-day or a stretch (周二上午), not a period")
    period = int(match.group(1))
    if period < 1:
        raise ValueError(f"periods are numbered from 1, got {period}")
    return Wish(False, weight, period=period - 1, day=day)


def format_wish(wish: Wish, days: tuple[str, ...], schedule: BellSchedule) -> dict[str, Any]:
    """The inverse of :func:`parse_wish`, as the school file's mapping."""
    if wish.stretch is not None:
        text = format_unavailable(wish.stretch, days, schedule)
    else:
        text = f"{days[wish.day] if wish.day is not None else ''}第{(wish.period or 0) + 1}节"
    out: dict[str, Any] = {"prefer" if wish.prefer else "avoid": text}
    if wish.weight != 1:
        out["weight"] = wish.weight
    return out


def _read_wish(r: _Reader, raw: Any, path: str, days: tuple[str, ...],
               schedule: BellSchedule) -> Wish:
    w = r.mapping(raw, path, _WISH_KEYS)
    if ("avoid" in w) == ("prefer" in w):
        raise r.error(path, raw, "一条意愿写 avoid（避开）或 prefer（希望）之一 — give exactly one of "
                                 "avoid or prefer, e.g. {avoid: 周五下午, weight: 2}")
    key = "prefer" if "prefer" in w else "avoid"
    text = r.text(w[key], f"{path}.{key}")
    weight = 1 if w.get("weight") is None else r.integer(w["weight"], f"{path}.weight", 1, 100)
    try:
        return parse_wish(text, key == "prefer", weight, days, schedule)
    except ValueError as exc:
        raise r.error(f"{path}.{key}", text,
                      f"无法识别的意愿时间 cannot read: {exc} (e.g. 周五下午, 第1节, 周五第1节, "
                      f"\"周三 14:00-16:00\")") from None


# --- reading ---------------------------------------------------------------------------------

def read_school(path: str | os.PathLike[str]) -> School:
    """Read a school file (``.yaml``/``.yml``, or ``.json`` by suffix); any school file,
    the Excel template too: :func:`jianfu.instances.readers.read_any_school`.

    Raises
    ------
    InputError
        Naming the file, the field path and the value of the first problem found.
    """
    file = Path(path)
    data = _read_data(file)
    return school_from_dict(data, str(file), base_dir=file.parent)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:   # a name too long to be a path (a pasted paragraph)
        return False


def school_from_dict(data: Mapping[str, Any], source: str,
                     base_dir: str | os.PathLike[str] | None = None) -> School:
    """Build a :class:`School` from the parsed contents of a school file.

    Parameters
    ----------
    data
        The parsed YAML/JSON mapping.
    source
        The file name used in error messages.
    base_dir
        Directory against which a ``profile`` given as a relative file path is resolved.
    """
    r = _Reader(source)
    top = r.mapping(data, "", _TOP, required=("school", "days", "schedules"))
    name = r.text(top["school"], "school")
    if top.get("calendar") is not None:   # 校历: read by `export`; a bad one fails here too
        from .school_calendar import calendar_from_dict

        calendar_from_dict(top["calendar"], f"{source}: calendar")

    # profile and policy overrides
    profile = r.text(top.get("profile", "national"), "profile")
    if profile not in PROFILES:
        candidate = Path(profile)
        if not candidate.is_absolute() and base_dir is not None:
            candidate = Path(base_dir) / candidate
        if not _is_file(candidate):
            raise r.error("profile", profile,
                          f"不是内置配置也不是文件 not a built-in profile ({', '.join(PROFILES)}) nor a file")
        profile = os.path.normpath(str(candidate))
    raw_policy = top.get("policy") or {}
    if not isinstance(raw_policy, Mapping):
        raise r.error("policy", raw_policy, "应为映射 expected a mapping of policy fields")
    overrides = tuple((str(k), freeze(v)) for k, v in raw_policy.items())
    try:
        policy = load_policy(profile, dict(overrides) or None)
    except InputError as exc:
        raise r.wrap(exc, "") from None

    days = tuple(r.text(d, f"days[{i}]") for i, d in enumerate(r.seq(top["days"], "days")))
    if not days:
        raise r.error("days", [], "至少一天 a school needs at least one day")
    for i, d in enumerate(days):
        if d in days[:i]:
            raise r.error(f"days[{i}]", d, "重复的日期 duplicate day")

    schedules = _read_schedules(r, top["schedules"], days)
    schedule_index = {s.name: i for i, s in enumerate(schedules)}
    subjects = _read_subjects(r, top.get("subjects"), top.get("builtin_subjects", True), days)
    subject_index = {s.name: i for i, s in enumerate(subjects)}
    venues = _read_venues(r, top.get("venues") or [])
    venue_by_name = {v.name: v for v in venues}
    classes = _read_classes(r, top.get("classes") or [], schedules, schedule_index, days)
    class_index = {c.name: i for i, c in enumerate(classes)}
    raw_teachers = r.seq(top.get("teachers") or [], "teachers")
    teacher_names: dict[str, int] = {}
    for i, t in enumerate(raw_teachers):
        t = r.mapping(t, f"teachers[{i}]", _TEACHER_KEYS, required=("name",))
        tname = r.text(t["name"], f"teachers[{i}].name")
        if tname in teacher_names:
            raise r.error(f"teachers[{i}].name", tname, "重复的教师姓名 duplicate teacher name")
        teacher_names[tname] = i
    classes = _with_head_teachers(r, top.get("classes") or [], classes, teacher_names)

    requirements, req_paths = _read_requirements(
        r, top.get("requirements") or {}, classes, class_index, subjects, subject_index,
        teacher_names, venue_by_name, policy, days)

    taught: dict[int, list[int]] = {i: [] for i in range(len(raw_teachers))}
    for req in requirements:
        taught[req.teacher].append(req.cls)
    class_schedule = [c.schedule for c in classes]
    teachers = tuple(
        _read_teacher(r, raw, i, days, subject_index,
                      schedules[most_used_schedule(class_schedule[c] for c in taught[i])])
        for i, raw in enumerate(raw_teachers))
    meetings = _read_meetings(r, top.get("meetings") or [], days, subject_index, teacher_names)
    combined = _read_combined(r, top.get("combined") or [], requirements, class_index,
                              subject_index, teacher_names)
    splits = _read_splits(r, top.get("split") or [], requirements, class_index, subject_index,
                          teacher_names)
    blocks = _read_blocks(r, top.get("blocks") or [], requirements, class_index, subject_index,
                          teacher_names)
    alternates = _read_alternates(r, top.get("alternate") or [], requirements, class_index,
                                  subject_index)
    requirements, wrong = _with_biweekly(r, requirements, alternates, req_paths, classes,
                                         subjects)

    try:
        school = School(name=name, days=days, schedules=schedules, subjects=subjects,
                        classes=classes, teachers=teachers, venues=venues,
                        requirements=requirements, profile=profile, policy_overrides=overrides,
                        meetings=meetings, combined=combined, splits=splits, blocks=blocks,
                        alternates=alternates)
    except InputError as exc:
        raise _school_error(r, exc, schedules, subjects, req_paths) from None
    if wrong is not None:   # after the slots' own errors (PE, 合班, 分组): they come first
        raise wrong
    return school


class FrozenDict(dict):  # type: ignore[type-arg]
    """A dict that can be hashed, for mapping-valued policy overrides (``weights``)."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted((str(k), v) for k, v in self.items())))


def freeze(value: Any) -> Any:
    """Lists become tuples and mappings :class:`FrozenDict`, so a School with policy
    overrides stays hashable and compares equal after a round trip."""
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    if isinstance(value, Mapping):
        return FrozenDict({k: freeze(v) for k, v in value.items()})
    return value


def _school_error(r: _Reader, exc: InputError, schedules: tuple[BellSchedule, ...],
                  subjects: tuple[Subject, ...], req_paths: list[str]) -> InputError:
    """Translate index paths of a :class:`School` error into the file's name paths."""
    where = exc.where
    if where.startswith("splits["):   # School.splits is the file's ``split``
        where = "split[" + where[len("splits["):]
    if where.startswith("alternates["):   # School.alternates is the file's ``alternate``
        where = "alternate[" + where[len("alternates["):]
    match = re.match(r"^(requirements|schedules|subjects)\[(\d+)\](.*)$", where)
    if match:
        kind, i, rest = match.group(1), int(match.group(2)), match.group(3)
        if kind == "requirements" and i < len(req_paths):
            # biweekly is read from the half in periods (单双周)
            rest = {".class": "", ".subject": "", ".venue": ".venue",
                    ".biweekly": ".periods"}.get(rest, rest)
            where = req_paths[i] + rest
        elif kind == "schedules" and i < len(schedules):
            where = f"schedules.{schedules[i].name}{rest}"
        elif kind == "subjects" and i < len(subjects):
            where = f"subjects.{subjects[i].name}{rest}"
    return r.error(where, exc.value, exc.problem)


def _read_segment(r: _Reader, raw: Any, path: str,
                  days: tuple[str, ...] | None = None) -> tuple[Segment, frozenset[str] | None]:
    """One segment and, for a ``default`` segment with ``days``, the days it is on."""
    seg = r.mapping(raw, path, _SEGMENT_KEYS, required=("kind", "start", "end"))
    kind_name = r.text(seg["kind"], f"{path}.kind")
    kind = SEGMENT_NAMES.get(kind_name)
    if kind is None:
        raise r.error(f"{path}.kind", kind_name,
                      "未知时段类型 unknown segment kind; use one of "
                      + ", ".join(f"{k.value} ({k.zh})" for k in SegmentKind))
    start = r.clock(seg["start"], f"{path}.start")
    end = r.clock(seg["end"], f"{path}.end", allow_end=True)
    if end <= start:
        raise r.error(f"{path}.end", seg["end"], f"结束应晚于开始 must be after start {seg['start']}")
    label = seg.get("label") or ""
    if not isinstance(label, str):
        raise r.error(f"{path}.label", label, "应为文字 expected a text value")
    counts_as = CountsAs.NONE
    if seg.get("counts_as") is not None:
        name = r.text(seg["counts_as"], f"{path}.counts_as")
        if name not in COUNTS_AS_NAMES:
            raise r.error(f"{path}.counts_as", name, "未知计入方式 unknown counts_as; use one of "
                          + ", ".join(c.value for c in CountsAs))
        counts_as = COUNTS_AS_NAMES[name]
        if counts_as is not CountsAs.NONE and kind is not SegmentKind.EVENT:
            raise r.error(f"{path}.counts_as", name, f"只有集体活动 (event) 可以计入学习或体育活动 "
                          f"only an event segment may count as study or activity, not {kind.value}")
    on: frozenset[str] | None = None
    if seg.get("days") is not None:
        if days is None:
            raise r.error(f"{path}.days", seg["days"], "days 只能用在 default 的时段上 only a "
                          "segment of `default` may name its days")
        raw_days = seg["days"] if isinstance(seg["days"], (list, tuple)) else [seg["days"]]
        known = {d: d for d in days}
        on = frozenset(r.name_ref(x, f"{path}.days", known, "日期") for x in raw_days)
    try:
        return Segment(kind, start, end, label, counts_as), on
    except InputError as exc:
        raise r.wrap(exc, path) from None


def _read_day(r: _Reader, raw: Any, path: str, days: tuple[str, ...] | None = None
              ) -> dict[str | None, DaySchedule]:
    """The day's schedule under key None, and, when a ``default`` segment names its
    ``days``, one schedule per school day (segments without ``days`` are on every day)."""
    read = [_read_segment(r, s, f"{path}[{j}]", days) for j, s in enumerate(r.seq(raw, path))]
    if days is None or all(on is None for _, on in read):
        return {None: _checked_day(r, [(j, s) for j, (s, _) in enumerate(read)], path)}
    return {d: _checked_day(r, [(j, s) for j, (s, on) in enumerate(read) if on is None or d in on],
                            path) for d in days}


def _checked_day(r: _Reader, indexed: list[tuple[int, Segment]], path: str) -> DaySchedule:
    segments = tuple(s for _, s in indexed)
    for (i, a), (j, b) in zip(indexed, indexed[1:]):
        if b.start < a.end and a.kind is SegmentKind.EVENT and b.kind is not SegmentKind.EVENT:
            # name the event, not the period it was put on
            raise r.error(f"{path}[{i}]", f"{_clock_text(a.start)}-{_clock_text(a.end)}",
                          f"集体活动与{b.kind.zh}重叠 the event overlaps the {b.kind.value} segment "
                          f"after it ({_clock_text(b.start)}-{_clock_text(b.end)})")
        if b.start < a.end:
            raise r.error(f"{path}[{j}]", f"{_clock_text(b.start)}-{_clock_text(b.end)}",
                          f"与前一时段重叠 overlaps the segment before it "
                          f"({_clock_text(a.start)}-{_clock_text(a.end)}); "
                          f"list segments in time order")
    try:
        return DaySchedule(segments)
    except InputError as exc:
        raise r.wrap(exc, path) from None


def _read_schedules(r: _Reader, raw: Any, days: tuple[str, ...]) -> tuple[BellSchedule, ...]:
    if not isinstance(raw, Mapping) or not raw:
        raise r.error("schedules", raw, "应为作息表名到作息的映射 expected a mapping of "
                                        "bell-schedule name to its day (default: [...], 周五: [...])")
    out = []
    for sname, body in raw.items():
        path = f"schedules.{sname}"
        sname = r.text(sname, path)
        body = r.mapping(body, path, ("default",) + days)
        parsed = {key: _read_day(r, value, f"{path}.{key}", days if key == "default" else None)
                  for key, value in body.items()}
        day_list = []
        for d in days:
            if d in parsed:
                day_list.append(parsed[d][None])
            elif "default" in parsed:
                default = parsed["default"]
                day_list.append(default[d] if d in default else default[None])
            else:
                raise r.error(f"{path}.default", "",
                              f"缺少 default 或 {d} missing: give `default` or every day")
        out.append(BellSchedule(sname, tuple(day_list)))
    return tuple(out)


def _read_subject(r: _Reader, raw: Any, path: str, base: Subject | None,
                  days: tuple[str, ...] = ()) -> Subject:
    s = r.mapping(raw, path, _SUBJECT_KEYS, required=("name",))
    name = r.text(s["name"], f"{path}.name")
    fields: dict[str, Any] = {} if base is None else {
        "english": base.english, "category": base.category, "homework": base.homework,
        "venue_kind": base.venue_kind, "part_of": base.part_of}
    if "english" in s:
        fields["english"] = str(s["english"] or "")
    if "category" in s:
        cat = r.text(s["category"], f"{path}.category")
        try:
            fields["category"] = Category(cat)
        except ValueError:
            raise r.error(f"{path}.category", cat,
                          f"未知类别 unknown category; one of {', '.join(c.value for c in Category)}"
                          ) from None
    if "homework" in s:
        fields["homework"] = r.boolean(s["homework"], f"{path}.homework")
    for key in ("venue_kind", "part_of"):
        if key in s:
            fields[key] = None if s[key] is None else r.text(s[key], f"{path}.{key}")
    if s.get("forbidden") is not None:
        fields["forbidden"] = _read_slot_specs(r, s["forbidden"], f"{path}.forbidden", days)
    try:
        return Subject(name, **fields)
    except InputError as exc:
        raise r.wrap(exc, path) from None


def _read_subjects(r: _Reader, raw: Any, builtin: Any,
                   days: tuple[str, ...] = ()) -> tuple[Subject, ...]:
    builtin = r.boolean(builtin, "builtin_subjects")
    items = r.seq(raw or [], "subjects")
    subjects: list[Subject] = list(SUBJECTS) if builtin else []
    position = {s.name: i for i, s in enumerate(subjects)}
    seen: set[str] = set()
    for i, item in enumerate(items):
        path = f"subjects[{i}]"
        if isinstance(item, Mapping) and "name" in item and isinstance(item["name"], str):
            if item["name"] in seen:
                raise r.error(f"{path}.name", item["name"], "重复的学科 duplicate subject")
            seen.add(item["name"])
        base = None
        if isinstance(item, Mapping) and item.get("name") in position:
            base = subjects[position[item["name"]]]
        subject = _read_subject(r, item, path, base, days)
        if subject.name in position:
            subjects[position[subject.name]] = subject
        else:
            position[subject.name] = len(subjects)
            subjects.append(subject)
    return tuple(subjects)


def _read_venues(r: _Reader, raw: Any) -> tuple[Venue, ...]:
    venues = []
    names: set[str] = set()
    for i, item in enumerate(r.seq(raw, "venues")):
        path = f"venues[{i}]"
        v = r.mapping(item, path, _VENUE_KEYS, required=("name", "kind"))
        name = r.text(v["name"], f"{path}.name")
        if name in names:
            raise r.error(f"{path}.name", name, "重复的场地名 duplicate venue name")
        names.add(name)
        capacity = r.integer(v.get("capacity", 1), f"{path}.capacity", 1, 1000)
        venues.append(Venue(name, r.text(v["kind"], f"{path}.kind"), capacity))
    return tuple(venues)


def _read_classes(r: _Reader, raw: Any, schedules: tuple[BellSchedule, ...],
                  schedule_index: Mapping[str, int], days: tuple[str, ...]
                  ) -> tuple[SchoolClass, ...]:
    classes = []
    names: set[str] = set()
    for i, item in enumerate(r.seq(raw, "classes")):
        path = f"classes[{i}]"
        c = r.mapping(item, path, _CLASS_KEYS, required=("name", "grade"))
        name = r.text(c["name"], f"{path}.name")
        if name in names:
            raise r.error(f"{path}.name", name, "重复的班级名 duplicate class name")
        names.add(name)
        grade = r.integer(c["grade"], f"{path}.grade", 1, 9)
        if "schedule" in c:
            sched = r.name_ref(c["schedule"], f"{path}.schedule", schedule_index, "作息表")
        elif len(schedules) == 1:
            sched = 0
        else:
            raise r.error(f"{path}.schedule", "",
                          f"缺少作息表 missing: this school has several bell schedules "
                          f"({', '.join(schedule_index)})")
        shape = None
        if c.get("periods_per_day") is not None:
            values = r.seq(c["periods_per_day"], f"{path}.periods_per_day")
            if len(values) != len(days):
                raise r.error(f"{path}.periods_per_day", values,
                              f"每天一个数 one number per school day ({len(days)})")
            shape_list = []
            for d, n in enumerate(values):
                most = len(schedules[sched].periods(d))
                shape_list.append(r.integer(n, f"{path}.periods_per_day[{d}]", 0, most))
            shape = tuple(shape_list)
        try:
            classes.append(SchoolClass(name, grade, sched, shape))
        except InputError as exc:
            raise r.wrap(exc, path) from None
    return tuple(classes)


def _with_head_teachers(r: _Reader, raw: Any, classes: tuple[SchoolClass, ...],
                        teacher_names: Mapping[str, int]) -> tuple[SchoolClass, ...]:
    """``classes`` with the 班主任 each raw class names (``head_teacher``), once the
    teachers' names are known."""
    out = list(classes)
    for i, item in enumerate(r.seq(raw, "classes")):
        if isinstance(item, Mapping) and item.get("head_teacher") is not None:
            head = r.name_ref(item["head_teacher"], f"classes[{i}].head_teacher",
                              teacher_names, "教师")
            out[i] = dataclasses.replace(out[i], head_teacher=head)
    return tuple(out)


def _read_teacher(r: _Reader, raw: Any, i: int, days: tuple[str, ...],
                  subject_index: Mapping[str, int], schedule: BellSchedule) -> Teacher:
    path = f"teachers[{i}]"
    t = r.mapping(raw, path, _TEACHER_KEYS, required=("name",))
    name = r.text(t["name"], f"{path}.name")
    subjects = tuple(
        r.name_ref(s, f"{path}.subjects[{j}]", subject_index, "学科")
        for j, s in enumerate(r.seq(t.get("subjects") or [], f"{path}.subjects")))
    unavailable = []
    for j, u in enumerate(r.seq(t.get("unavailable") or [], f"{path}.unavailable")):
        text = r.text(u, f"{path}.unavailable[{j}]")
        try:
            unavailable.append(parse_unavailable(text, days, schedule))
        except ValueError as exc:
            raise r.error(f"{path}.unavailable[{j}]", text,
                          f"无法识别的不可用时间 cannot read: {exc} "
                          f"(e.g. 周一, 周一上午, 周一下午, \"周一 08:00-10:00\")") from None
    most = t.get("max_periods_per_day")
    if most is not None:
        most = r.integer(most, f"{path}.max_periods_per_day", 1, 20)
    schools = tuple(r.text(s, f"{path}.schools[{j}]")
                    for j, s in enumerate(r.seq(t.get("schools") or [], f"{path}.schools")))
    wishes = tuple(_read_wish(r, w, f"{path}.wishes[{j}]", days, schedule)
                   for j, w in enumerate(r.seq(t.get("wishes") or [], f"{path}.wishes")))
    try:
        return Teacher(name, subjects, tuple(unavailable), most, schools, wishes)
    except InputError as exc:
        raise r.wrap(exc, path) from None


def _names_list(value: Any, path: str) -> list[tuple[Any, str]]:
    """A name or a list of names, each with its field path."""
    if isinstance(value, (list, tuple)):
        return [(v, f"{path}[{j}]") for j, v in enumerate(value)]
    return [] if value is None else [(value, path)]


def _read_meetings(r: _Reader, raw: Any, days: tuple[str, ...],
                   subject_index: Mapping[str, int], teacher_names: Mapping[str, int]
                   ) -> tuple[Meeting, ...]:
    """``meetings``: 教研活动 and 行政会, one line per group of teachers."""
    out = []
    day_index = {d: i for i, d in enumerate(days)}
    # a 教研组 may be written as its name: 语文组 is the group of 语文
    groups = dict(subject_index) | {f"{s}组": i for s, i in subject_index.items()
                                    if f"{s}组" not in subject_index}
    for i, item in enumerate(r.seq(raw, "meetings")):
        path = f"meetings[{i}]"
        m = r.mapping(item, path, _MEETING_KEYS, required=("name", "day"))
        name = r.text(m["name"], f"{path}.name")
        day = r.name_ref(m["day"], f"{path}.day", day_index, "日期")
        subjects = tuple(dict.fromkeys(
            r.name_ref(s, p, groups, "学科") for s, p in _names_list(m.get("subject"),
                                                                   f"{path}.subject")))
        teachers = tuple(dict.fromkeys(
            r.name_ref(t, p, teacher_names, "教师") for t, p in _names_list(m.get("teachers"),
                                                                          f"{path}.teachers")))
        if not subjects and not teachers:
            raise r.error(path, name, "没有参加者 the meeting names nobody: give `subject` "
                                      "(a 教研组, e.g. 语文) or `teachers`")
        half = start = end = None
        if m.get("half") is not None:
            text = r.text(m["half"], f"{path}.half")
            half = HALF_NAMES.get(text)
            if half is None:
                raise r.error(f"{path}.half", text, "应为 上午、下午 或 全天 expected 上午 (morning), "
                                                    "下午 (afternoon) or 全天 (day)")
            if m.get("start") is not None or m.get("end") is not None:
                raise r.error(f"{path}.half", text, "时段与开始、结束时间只能写一种 give `half` or "
                                                    "`start` and `end`, not both")
        else:
            for key in ("start", "end"):
                if m.get(key) is None:
                    raise r.error(f"{path}.{key}", "", "缺少时间 missing: give `half` "
                                                       "(上午/下午/全天) or both `start` and `end`")
            start = r.clock(m["start"], f"{path}.start")
            end = r.clock(m["end"], f"{path}.end", allow_end=True)
            if end <= start:
                raise r.error(f"{path}.end", m["end"],
                              f"结束应晚于开始 must be after start {m['start']}")
        try:
            out.append(Meeting(name, day, teachers, subjects, half, start, end))
        except InputError as exc:
            raise r.wrap(exc, path) from None
    return tuple(out)


def _read_requirement(r: _Reader, raw: Any, path: str, cls: int, subject: int,
                      classes: tuple[SchoolClass, ...], subjects: tuple[Subject, ...],
                      teacher_names: Mapping[str, int], venue_by_name: Mapping[str, Venue],
                      policy: Policy, allowed: tuple[str, ...] = _REQ_KEYS,
                      days: tuple[str, ...] = ()) -> Requirement:
    if isinstance(raw, str):
        raw = {"teacher": raw}
    q = r.mapping(raw, path, allowed, required=("teacher",))
    teacher = r.name_ref(q["teacher"], f"{path}.teacher", teacher_names, "教师")
    grade = classes[cls].grade
    half = 0
    if "periods" in q and q["periods"] is not None:
        periods, half = _read_periods(r, q["periods"], f"{path}.periods")
    else:
        periods = weekly_periods(grade, policy).get(subjects[subject].name, 0)
        if periods == 0:
            raise r.error(f"{path}.periods", "",
                          f"缺少课时 missing: {subjects[subject].name} has no periods in grade {grade} "
                          f"under profile {policy.name}; give `periods`")
    doubles = r.integer(q.get("doubles", 0) or 0, f"{path}.doubles", 0, None)
    if doubles > periods // 2:
        every = (f"; 连堂只用于每周都上的 {periods} 节 double periods are of the {periods} "
                 f"lesson(s) held every week" if half else "")
        raise r.error(f"{path}.doubles", doubles,
                      f"超出范围 out of range (0..{periods // 2}{every})")
    venue_kind = None
    if q.get("venue") is not None:
        venue = r.text(q["venue"], f"{path}.venue")
        kinds = {v.kind for v in venue_by_name.values()}
        if venue in venue_by_name:
            venue_kind = venue_by_name[venue].kind
        elif venue in kinds:
            venue_kind = venue
        else:
            raise r.error(f"{path}.venue", venue,
                          f"未定义的场地或场地类型 no venue or venue kind of that name "
                          f"(kinds: {', '.join(sorted(kinds)) or 'none'})")
    slots = {key: _read_slot_specs(r, q[key], f"{path}.{key}", days)
             for key in ("fixed", "forbidden") if q.get(key) is not None}
    try:
        # a half (1.5) is one period every other week: biweekly 1 until the alternating
        # slots say how many (_with_biweekly)
        return Requirement(cls, subject, teacher, periods, doubles, venue_kind, **slots,
                           biweekly=half)
    except InputError as exc:
        raise r.wrap(exc, path) from None


def _read_periods(r: _Reader, value: Any, path: str) -> tuple[int, int]:
    """``periods``: a whole number, or a half (``1.5``, ``0.5``: a period every other week,
    单双周) → (whole periods, 1 for the half)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not float(2 * value).is_integer():
        raise r.error(path, value, "应为整数或半数 expected a whole number or a half (1.5: "
                                   "one period every other week, 单双周)")
    halves = int(2 * value)
    if not 1 <= halves <= 120:
        raise r.error(path, value, "超出范围 out of range (0.5..60)")
    return halves // 2, halves % 2


def _with_biweekly(r: _Reader, requirements: tuple[Requirement, ...],
                   alternates: tuple[Alternate, ...], req_paths: list[str],
                   classes: tuple[SchoolClass, ...], subjects: tuple[Subject, ...]
                   ) -> tuple[tuple[Requirement, ...], InputError | None]:
    """单双周: a requirement's ``periods`` in the file are per week on average: its weekly
    periods plus half a period for each alternating slot naming it (``biweekly``).

    Returns the requirements and the error of the first whose ``periods`` do not fit its
    slots (``None`` when all do); such a requirement keeps its whole periods, so the
    school can still be built and report the slots' own errors first."""
    sides = [0] * len(requirements)
    for k in alternates:
        for _, q in k.sides:
            sides[q] += 1
    out = []
    wrong: InputError | None = None
    for q, req in enumerate(requirements):
        halves = 2 * req.periods + req.biweekly - sides[q]
        if halves == 2 * req.periods and not req.biweekly:
            out.append(req)
            continue
        path = f"{req_paths[q]}.periods"
        given = req.periods + req.biweekly / 2
        shown_ = int(given) if float(given).is_integer() else given
        who = f"{classes[req.cls].name}:{subjects[req.subject].name}"
        if halves < 0 or halves % 2:
            if req.periods + sides[q] >= 1:
                out.append(dataclasses.replace(req, biweekly=sides[q]))
            else:   # 0.5 and no slot: nothing to build the school with
                out.append(dataclasses.replace(req, periods=1, biweekly=0))
            if wrong is not None:
                continue
            if not sides[q]:
                wrong = r.error(path, shown_,
                                f"半节课是隔周一节（单双周），须在 alternate 中列出 — half a "
                                f"period is one every other week: list it under alternate, "
                                f"e.g. {{class: {classes[req.cls].name}, odd: "
                                f"{subjects[req.subject].name}}}")
            else:
                wrong = r.error(path, shown_,
                                f"{who} 在 alternate 中隔周上 {sides[q]} 节（平均每周 "
                                f"{sides[q] / 2:g} 节），其余每周的课时须为 ≥ 0 的整数 — "
                                f"alternate names it {sides[q]} time(s), one period every "
                                f"other week each, so periods must be a whole number ≥ 0 "
                                f"plus {sides[q] / 2:g}")
            continue
        try:
            out.append(dataclasses.replace(req, periods=halves // 2, biweekly=sides[q]))
        except InputError as exc:
            raise r.wrap(exc, req_paths[q]) from None
    return tuple(out), wrong


#: Words for the last period of a class's day (末节).
LAST_NAMES = ("最后一节", "最后1节", "末节", "最后", "last")
_SPEC = re.compile(r"^(?P<half>上午|下午|全天)?(?:(?P<last>" + "|".join(LAST_NAMES)
                   + r")|第?(?P<n>\d{1,2})节?)?$")


def parse_slot_spec(value: Any, days: tuple[str, ...]) -> SlotSpec | str:
    """One entry of ``fixed``/``forbidden``: a :class:`SlotSpec`, or why it cannot be read.

    Texts are a day, then 上午/下午, then a period: ``周一1``, ``周一第1节``, ``下午第1节``,
    ``周五下午``, ``最后一节``, ``第7节`` (or the number 7); a mapping
    ``{day: 周一, period: 1}`` (``period`` may be ``最后``) says the same.
    """
    if isinstance(value, Mapping):
        unknown = [k for k in value if k not in ("day", "period", "half")]
        if unknown:
            return f"未知字段 unknown field {unknown[0]!r}; allowed: day, period, half"
        period = value.get("period")
        if isinstance(period, int) and not isinstance(period, bool):
            period = f"第{period}节"
        text = "".join(str(x) for x in (value.get("day"), value.get("half"), period)
                       if x is not None)
    elif isinstance(value, int) and not isinstance(value, bool):
        text = f"第{value}节"
    elif isinstance(value, str):
        text = value
    else:
        return "应为文字或 {day, period} expected a text such as 周一第1节 or {day, period}"
    text = re.sub(r"\s+", "", text)
    day = next((i for i, d in sorted(enumerate(days), key=lambda x: -len(x[1]))
                if text.startswith(d)), None)
    rest = text[len(days[day]):] if day is not None else text
    match = _SPEC.match(rest)
    if not text or match is None:
        return (f"无法识别的时段 cannot read: write a day and/or a period, e.g. "
                f"{days[0] if days else '周一'}第1节, 下午第1节, 周五下午, 最后一节")
    n = match.group("n")
    if n is not None and int(n) < 1:
        return "节次从 1 开始 periods are numbered from 1"
    try:
        return SlotSpec(day, None if n is None else int(n) - 1,
                        HALF_NAMES[match.group("half")] if match.group("half") else Half.DAY,
                        last=match.group("last") is not None)
    except InputError as exc:
        return exc.problem


def _read_slot_specs(r: _Reader, raw: Any, path: str, days: tuple[str, ...]
                     ) -> tuple[SlotSpec, ...]:
    """``fixed``/``forbidden``: one entry or a list (``[周一1, 周三1]``)."""
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    out = []
    for j, item in enumerate(items):
        where = f"{path}[{j}]" if isinstance(raw, (list, tuple)) else path
        spec = parse_slot_spec(item, days)
        if isinstance(spec, str):
            raise r.error(where, item, spec)
        out.append(spec)
    return tuple(out)


def _read_combined(r: _Reader, raw: Any, requirements: tuple[Requirement, ...],
                   class_index: Mapping[str, int], subject_index: Mapping[str, int],
                   teacher_names: Mapping[str, int]) -> tuple[Combined, ...]:
    """``combined``: 合班 and 复式班, each member a requirement ``[class, subject]``."""
    req_of = {(q.cls, q.subject): i for i, q in enumerate(requirements)}
    out = []
    for i, item in enumerate(r.seq(raw, "combined")):
        path = f"combined[{i}]"
        m = r.mapping(item, path, _COMBINED_KEYS, required=("name", "members"))
        name = r.text(m["name"], f"{path}.name")
        members = []
        for j, member in enumerate(r.seq(m["members"], f"{path}.members")):
            where = f"{path}.members[{j}]"
            if isinstance(member, str):
                parts = re.split(r"[:：]", member, maxsplit=1)
            elif isinstance(member, Mapping):
                parts = [r.mapping(member, where, ("class", "subject"),
                                   required=("class", "subject"))[k] for k in ("class", "subject")]
            else:
                parts = list(member) if isinstance(member, (list, tuple)) else [member]
            if len(parts) != 2:
                raise r.error(where, member, "应为 [班级, 学科] expected [class, subject], "
                                             "e.g. [一(1)班, 体育] or \"一(1)班:体育\"")
            cls = r.name_ref(parts[0], where, class_index, "班级")
            subject = r.name_ref(parts[1], where, subject_index, "学科")
            q = req_of.get((cls, subject))
            if q is None:
                raise r.error(where, f"{parts[0]}:{parts[1]}",
                              "没有该课程要求 not a requirement: give it under requirements")
            members.append(q)
        if len(members) < 2:
            raise r.error(f"{path}.members", m["members"], "合班至少两个班 at least two members")
        teacher = (r.name_ref(m["teacher"], f"{path}.teacher", teacher_names, "教师")
                   if m.get("teacher") is not None else requirements[members[0]].teacher)
        kind = r.text(m["venue_kind"], f"{path}.venue_kind") if m.get("venue_kind") is not None \
            else None
        try:
            out.append(Combined(name, tuple(members), teacher, kind))
        except InputError as exc:
            raise r.wrap(exc, path) from None
    return tuple(out)


def _read_splits(r: _Reader, raw: Any, requirements: tuple[Requirement, ...],
                 class_index: Mapping[str, int], subject_index: Mapping[str, int],
                 teacher_names: Mapping[str, int]) -> tuple[Split, ...]:
    """``split``: 分组, a requirement taught in groups at once; each group a teacher name
    (the requirement's subject) or ``[subject, teacher]``."""
    req_of = {(q.cls, q.subject): i for i, q in enumerate(requirements)}
    out = []
    for i, item in enumerate(r.seq(raw, "split")):
        path = f"split[{i}]"
        m = r.mapping(item, path, _SPLIT_KEYS, required=("class", "groups"))
        cls = r.name_ref(m["class"], f"{path}.class", class_index, "班级")
        raw_groups = m["groups"]
        if not isinstance(raw_groups, Mapping) or len(raw_groups) < 2:
            raise r.error(f"{path}.groups", raw_groups, "应为至少两组的映射 expected a mapping of "
                                                        "at least two groups, e.g. {男生: 张伟, "
                                                        "女生: 李娜}")
        entries = []
        for label, value in raw_groups.items():
            where = f"{path}.groups.{label}"
            name = r.text(label, where)
            if isinstance(value, (list, tuple)):
                if len(value) != 2:
                    raise r.error(where, value, "应为 教师 或 [学科, 教师] expected a teacher or "
                                                "[subject, teacher]")
                entries.append((name, where, value[0], value[1]))
            else:
                entries.append((name, where, None, value))
        first_subject = entries[0][2]
        subject_raw = m.get("subject", first_subject)
        if subject_raw is None:
            raise r.error(f"{path}.subject", "", "缺少学科 give subject (or the first group as "
                                                 "[subject, teacher])")
        subject = r.name_ref(subject_raw, f"{path}.subject", subject_index, "学科")
        q = req_of.get((cls, subject))
        if q is None:
            raise r.error(path, f"{m['class']}:{subject_raw}",
                          "没有该课程要求 not a requirement: give it under requirements")
        groups = []
        for name, where, subj, teacher in entries:
            g_subject = (subject if subj is None
                         else r.name_ref(subj, f"{where}.subject", subject_index, "学科"))
            groups.append(SplitGroup(name, g_subject,
                                     r.name_ref(teacher, f"{where}.teacher", teacher_names, "教师")))
        # the requirement's own group comes first, wherever the file lists it
        own = requirements[q]
        groups.sort(key=lambda g: (g.subject, g.teacher) != (own.subject, own.teacher))
        kind = r.text(m["venue_kind"], f"{path}.venue_kind") if m.get("venue_kind") is not None \
            else None
        try:
            out.append(Split(q, tuple(groups), kind))
        except InputError as exc:
            raise r.wrap(exc, path) from None
    return tuple(out)


def _read_blocks(r: _Reader, raw: Any, requirements: tuple[Requirement, ...],
                 class_index: Mapping[str, int], subject_index: Mapping[str, int],
                 teacher_names: Mapping[str, int]) -> tuple[Block, ...]:
    """``blocks``: 走班, classes releasing their students into teaching groups at once;
    each group a teacher name, ``[subject, teacher]`` or ``{teacher, subject,
    venue_kind}``."""
    req_of = {(q.cls, q.subject): i for i, q in enumerate(requirements)}
    out = []
    for i, item in enumerate(r.seq(raw, "blocks")):
        path = f"blocks[{i}]"
        m = r.mapping(item, path, _BLOCK_KEYS, required=("name", "classes", "subject", "groups"))
        name = r.text(m["name"], f"{path}.name")
        subject = r.name_ref(m["subject"], f"{path}.subject", subject_index, "学科")
        members = []
        for j, raw_cls in enumerate(r.seq(m["classes"], f"{path}.classes")):
            cls = r.name_ref(raw_cls, f"{path}.classes[{j}]", class_index, "班级")
            q = req_of.get((cls, subject))
            if q is None:
                raise r.error(f"{path}.classes[{j}]", f"{raw_cls}:{m['subject']}",
                              "没有该课程要求 not a requirement: give it under requirements")
            members.append(q)
        if len(members) < 2:   # before Block says so with requirement indices
            raise r.error(f"{path}.classes", m["classes"], "走班至少两个班，一个班请用分组 — a block "
                                                          "has at least two classes (one class "
                                                          "in groups: split, the 分组 sheet)")
        raw_groups = m["groups"]
        if not isinstance(raw_groups, Mapping) or len(raw_groups) < 2:
            raise r.error(f"{path}.groups", raw_groups, "应为至少两组的映射 expected a mapping of "
                                                        "at least two groups, e.g. {A层: 王芳, "
                                                        "B层: 李娜}")
        groups = []
        for label, value in raw_groups.items():
            where = f"{path}.groups.{label}"
            g_name = r.text(label, where)
            kind = None
            if isinstance(value, Mapping):
                g = r.mapping(value, where, _BLOCK_GROUP_KEYS, required=("teacher",))
                subj, teacher = g.get("subject"), g["teacher"]
                if g.get("venue_kind") is not None:
                    kind = r.text(g["venue_kind"], f"{where}.venue_kind")
            elif isinstance(value, (list, tuple)):
                if len(value) != 2:
                    raise r.error(where, value, "应为 教师、[学科, 教师] 或 {teacher: …} expected a "
                                                "teacher, [subject, teacher] or a mapping")
                subj, teacher = value
            else:
                subj, teacher = None, value
            groups.append(BlockGroup(
                g_name, subject if subj is None
                else r.name_ref(subj, f"{where}.subject", subject_index, "学科"),
                r.name_ref(teacher, f"{where}.teacher", teacher_names, "教师"), kind))
        # a group learning the block's subject comes first, wherever the file lists it
        groups.sort(key=lambda g: g.subject != subject)
        try:
            out.append(Block(name, tuple(members), tuple(groups)))
        except InputError as exc:
            raise r.wrap(exc, path) from None
    return tuple(out)


def _read_alternates(r: _Reader, raw: Any, requirements: tuple[Requirement, ...],
                     class_index: Mapping[str, int], subject_index: Mapping[str, int]
                     ) -> tuple[Alternate, ...]:
    """``alternate``: 单双周 slots, each ``{class, odd, even}``: the subject held in odd
    weeks (单周) and in even weeks (双周), either of them absent (that week free)."""
    req_of = {(q.cls, q.subject): i for i, q in enumerate(requirements)}
    out = []
    for i, item in enumerate(r.seq(raw, "alternate")):
        path = f"alternate[{i}]"
        m = r.mapping(item, path, _ALTERNATE_KEYS, required=("class",))
        cls = r.name_ref(m["class"], f"{path}.class", class_index, "班级")
        sides: dict[str, int | None] = {}
        for side in ("odd", "even"):
            if m.get(side) is None:
                sides[side] = None
                continue
            subject = r.name_ref(m[side], f"{path}.{side}", subject_index, "学科")
            q = req_of.get((cls, subject))
            if q is None:
                raise r.error(f"{path}.{side}", f"{m['class']}:{m[side]}",
                              "没有该课程要求 not a requirement: give it under requirements "
                              "(periods 0.5 for one period every other week)")
            sides[side] = q
        if sides["odd"] is not None and sides["odd"] == sides["even"]:
            raise r.error(f"{path}.even", m["even"], "单双周是同一门课，那就是每周的课 the same "
                                                     "subject in both weeks is a weekly period: "
                                                     "count it in periods instead")
        try:
            out.append(Alternate(cls, sides["odd"], sides["even"]))
        except InputError as exc:
            raise r.wrap(exc, path) from None
    return tuple(out)


def _read_requirements(r: _Reader, raw: Any, classes: tuple[SchoolClass, ...],
                       class_index: Mapping[str, int], subjects: tuple[Subject, ...],
                       subject_index: Mapping[str, int], teacher_names: Mapping[str, int],
                       venue_by_name: Mapping[str, Venue], policy: Policy,
                       days: tuple[str, ...] = ()
                       ) -> tuple[tuple[Requirement, ...], list[str]]:
    out: list[Requirement] = []
    paths: list[str] = []
    seen: dict[tuple[int, int], str] = {}

    def add(req: Requirement, path: str) -> None:
        key = (req.cls, req.subject)
        if key in seen:
            raise r.error(path, f"{classes[req.cls].name}/{subjects[req.subject].name}",
                          f"同一班级学科重复 class and subject already listed at {seen[key]}")
        seen[key] = path
        out.append(req)
        paths.append(path)

    if isinstance(raw, Mapping):
        for cname, body in raw.items():
            cpath = f"requirements.{cname}"
            cls = r.name_ref(cname, cpath, class_index, "班级")
            if not isinstance(body, Mapping):
                raise r.error(cpath, body, "应为 学科: {teacher: 姓名} 的映射 expected a mapping "
                                           "subject -> {teacher, periods, doubles, venue}")
            for sname, item in body.items():
                path = f"{cpath}.{sname}"
                subject = r.name_ref(sname, path, subject_index, "学科")
                add(_read_requirement(r, item, path, cls, subject, classes, subjects,
                                      teacher_names, venue_by_name, policy, days=days), path)
    elif isinstance(raw, (list, tuple)):
        for i, item in enumerate(raw):
            path = f"requirements[{i}]"
            q = r.mapping(item, path, _REQ_LIST_KEYS, required=("class", "subject", "teacher"))
            cls = r.name_ref(q.pop("class"), f"{path}.class", class_index, "班级")
            subject = r.name_ref(q.pop("subject"), f"{path}.subject", subject_index, "学科")
            add(_read_requirement(r, q, path, cls, subject, classes, subjects, teacher_names,
                                  venue_by_name, policy, days=days), path)
    else:
        raise r.error("requirements", raw, "应为 班级: {学科: ...} 的映射 expected a mapping "
                                           "class -> subject -> {teacher, ...}")
    return tuple(out), paths


# --- writing ---------------------------------------------------------------------------------

def school_to_dict(school: School, base_dir: str | os.PathLike[str] | None = None
                   ) -> dict[str, Any]:
    """The school file contents (plain dicts, lists, strings and numbers) for ``school``.

    Fields at their defaults are left out (requirement periods equal to the curriculum,
    built-in subject metadata, capacity 1…) so the file stays short; reading the
    result with :func:`school_from_dict` gives back an equal school.
    """
    out: dict[str, Any] = {"school": school.name}
    profile = school.profile
    if profile not in PROFILES and base_dir is not None and Path(profile).is_file():
        profile = os.path.relpath(profile, base_dir)
    out["profile"] = profile
    if school.policy_overrides:
        out["policy"] = {k: _thaw(v) for k, v in school.policy_overrides}
    out["days"] = list(school.days)
    out["schedules"] = {s.name: _schedule_to_dict(s, school.days) for s in school.schedules}
    builtin, subjects = _subjects_to_list(school.subjects, school.days)
    if not builtin:
        out["builtin_subjects"] = False
    if subjects:
        out["subjects"] = subjects
    out["venues"] = [_venue_to_dict(v) for v in school.venues]
    out["classes"] = [_class_to_dict(school, c) for c in school.classes]
    out["teachers"] = [_teacher_to_dict(school, i) for i in range(len(school.teachers))]
    if school.meetings:
        out["meetings"] = [_meeting_to_dict(school, m) for m in school.meetings]
    if school.combined:
        out["combined"] = [_combined_to_dict(school, k) for k in school.combined]
    if school.splits:
        out["split"] = [_split_to_dict(school, k) for k in school.splits]
    if school.blocks:
        out["blocks"] = [_block_to_dict(school, b) for b in school.blocks]
    if school.alternates:
        out["alternate"] = [_alternate_to_dict(school, k) for k in school.alternates]
    out["requirements"] = _requirements_to_data(school)
    return out


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    return value


def _segment_to_dict(s: Segment) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": s.kind.value, "start": _clock_text(s.start),
                           "end": _clock_text(s.end)}
    if s.label:
        out["label"] = s.label
    if s.counts_as is not CountsAs.NONE:
        out["counts_as"] = s.counts_as.value
    return out


def _schedule_to_dict(schedule: BellSchedule, days: tuple[str, ...]) -> dict[str, Any]:
    counts = Counter(schedule.days)
    default = max(schedule.days, key=lambda d: counts[d])  # first of the most common
    out: dict[str, Any] = {"default": [_segment_to_dict(s) for s in default.segments]}
    for name, day in zip(days, schedule.days):
        if day != default:
            out[name] = [_segment_to_dict(s) for s in day.segments]
    return out


def _subject_to_dict(s: Subject, base: Subject | None, days: tuple[str, ...] = ()
                     ) -> dict[str, Any]:
    full = {"name": s.name, "english": s.english, "category": s.category.value,
            "homework": s.homework, "venue_kind": s.venue_kind, "part_of": s.part_of}
    if base is None:
        defaults = Subject(s.name)
        keep = {"name"} | {k for k in ("english", "category", "homework", "venue_kind", "part_of")
                           if getattr(s, k) != getattr(defaults, k)}
    else:
        keep = {"name"} | {k for k in ("english", "category", "homework", "venue_kind", "part_of")
                           if getattr(s, k) != getattr(base, k)}
    out = {k: v for k, v in full.items() if k in keep}
    if s.forbidden:
        out["forbidden"] = [x.text(days) for x in s.forbidden]
    return out


def _subjects_to_list(subjects: tuple[Subject, ...], days: tuple[str, ...] = ()
                      ) -> tuple[bool, list[dict[str, Any]]]:
    names = [s.name for s in SUBJECTS]
    if [s.name for s in subjects[:len(names)]] == names:
        listed = [_subject_to_dict(s, SUBJECT_BY_NAME[s.name], days)
                  for s in subjects[:len(names)] if s != SUBJECT_BY_NAME[s.name]]
        listed += [_subject_to_dict(s, None, days) for s in subjects[len(names):]]
        return True, listed
    # Not the built-in list: write every subject with its full metadata.
    return False, [_subject_to_dict(s, None, days) for s in subjects]


def _venue_to_dict(v: Venue) -> dict[str, Any]:
    out: dict[str, Any] = {"name": v.name, "kind": v.kind}
    if v.capacity != 1:
        out["capacity"] = v.capacity
    return out


def _class_to_dict(school: School, c: SchoolClass) -> dict[str, Any]:
    out: dict[str, Any] = {"name": c.name, "grade": c.grade}
    if len(school.schedules) > 1 or c.schedule != 0:
        out["schedule"] = school.schedules[c.schedule].name
    if c.periods_per_day is not None:
        out["periods_per_day"] = list(c.periods_per_day)
    if c.head_teacher is not None:
        out["head_teacher"] = school.teachers[c.head_teacher].name
    return out


def _teacher_to_dict(school: School, i: int) -> dict[str, Any]:
    t = school.teachers[i]
    out: dict[str, Any] = {"name": t.name,
                           "subjects": [school.subjects[s].name for s in t.subjects]}
    if t.max_periods_per_day is not None:
        out["max_periods_per_day"] = t.max_periods_per_day
    if t.unavailable:
        schedule = school.schedules[school.schedule_of_teacher(i)]
        out["unavailable"] = [format_unavailable(u, school.days, schedule) for u in t.unavailable]
    if t.schools:
        out["schools"] = list(t.schools)
    if t.wishes:
        schedule = school.schedules[school.schedule_of_teacher(i)]
        out["wishes"] = [format_wish(w, school.days, schedule) for w in t.wishes]
    return out


def _combined_to_dict(school: School, k: Combined) -> dict[str, Any]:
    out: dict[str, Any] = {"name": k.name, "members": [
        [school.classes[school.requirements[q].cls].name,
         school.subjects[school.requirements[q].subject].name] for q in k.members],
        "teacher": school.teachers[k.teacher].name}
    if k.venue_kind is not None:
        out["venue_kind"] = k.venue_kind
    return out


def _split_to_dict(school: School, k: Split) -> dict[str, Any]:
    r = school.requirements[k.requirement]
    out: dict[str, Any] = {"class": school.classes[r.cls].name,
                           "subject": school.subjects[r.subject].name, "groups": {
        g.name: (school.teachers[g.teacher].name if g.subject == r.subject
                 else [school.subjects[g.subject].name, school.teachers[g.teacher].name])
        for g in k.groups}}
    if k.venue_kind is not None:
        out["venue_kind"] = k.venue_kind
    return out


def _block_to_dict(school: School, b: Block) -> dict[str, Any]:
    first = school.requirements[b.members[0]]
    groups: dict[str, Any] = {}
    for g in b.groups:
        teacher = school.teachers[g.teacher].name
        if g.venue_kind is not None:
            groups[g.name] = {"teacher": teacher, "subject": school.subjects[g.subject].name,
                              "venue_kind": g.venue_kind}
        elif g.subject != first.subject:
            groups[g.name] = [school.subjects[g.subject].name, teacher]
        else:
            groups[g.name] = teacher
    return {"name": b.name,
            "classes": [school.classes[school.requirements[q].cls].name for q in b.members],
            "subject": school.subjects[first.subject].name, "groups": groups}


def _alternate_to_dict(school: School, k: Alternate) -> dict[str, Any]:
    out: dict[str, Any] = {"class": school.classes[k.cls].name}
    for side, q in (("odd", k.odd), ("even", k.even)):
        if q is not None:
            out[side] = school.subjects[school.requirements[q].subject].name
    return out


def _meeting_to_dict(school: School, m: Meeting) -> dict[str, Any]:
    out: dict[str, Any] = {"name": m.name}
    subjects = [school.subjects[s].name for s in m.subjects]
    if subjects:
        out["subject"] = subjects[0] if len(subjects) == 1 else subjects
    if m.teachers:
        out["teachers"] = [school.teachers[t].name for t in m.teachers]
    out["day"] = school.days[m.day]
    if m.half is not None:
        out["half"] = m.half.zh
    else:
        assert m.start is not None and m.end is not None
        out["start"], out["end"] = _clock_text(m.start), _clock_text(m.end)
    return out


def _requirement_body(school: School, q: Requirement) -> dict[str, Any]:
    body: dict[str, Any] = {"teacher": school.teachers[q.teacher].name}
    cls = school.classes[q.cls]
    try:
        default = weekly_periods(cls.grade, school.policy()).get(school.subjects[q.subject].name, 0)
    except (InputError, ValueError):
        default = 0
    periods = q.periods + q.biweekly / 2   # 单双周: per week on average (1.5)
    if periods != default:
        body["periods"] = int(periods) if float(periods).is_integer() else periods
    if q.doubles:
        body["doubles"] = q.doubles
    if q.venue_kind is not None:
        body["venue"] = q.venue_kind
    for key in ("fixed", "forbidden"):
        if getattr(q, key):
            body[key] = [x.text(school.days) for x in getattr(q, key)]
    return body


def _requirements_to_data(school: School) -> dict[str, Any] | list[dict[str, Any]]:
    # The mapping form reproduces the order only when each class's requirements are
    # contiguous; otherwise fall back to the list form so the round trip is exact.
    order: list[int] = []
    for q in school.requirements:
        if not order or order[-1] != q.cls:
            if q.cls in order:
                return [{"class": school.classes[q.cls].name,
                         "subject": school.subjects[q.subject].name,
                         **_requirement_body(school, q)} for q in school.requirements]
            order.append(q.cls)
    out: dict[str, Any] = {}
    for q in school.requirements:
        out.setdefault(school.classes[q.cls].name, {})[school.subjects[q.subject].name] = \
            _requirement_body(school, q)
    return out


class _Dumper(yaml.SafeDumper):
    """Block style for structure, flow style for short leaves; quote times."""


class _Flow(dict):  # type: ignore[type-arg]
    """A mapping written on one line (``{kind: lesson, start: "08:20", end: "09:00"}``)."""


def _flow_representer(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=True)


def _list_representer(dumper: yaml.SafeDumper, value: list) -> yaml.Node:  # type: ignore[type-arg]
    flow = all(isinstance(v, (str, int, float, bool)) or v is None for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if _parse_time(value, allow_end=True) is not None:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(_Flow, _flow_representer)
_Dumper.add_representer(list, _list_representer)


def dump_school(school: School, base_dir: str | os.PathLike[str] | None = None,
                fmt: str = "yaml") -> str:
    """The school file text (``fmt`` ``"yaml"`` or ``"json"``)."""
    data = school_to_dict(school, base_dir)
    if fmt != "json":
        data = _flowing(data)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    header = (f"# {school.name} — jianfu 学校文件 school file (docs/format.md)\n")
    return header + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                              default_flow_style=False, width=200)


def _flowing(data: dict[str, Any]) -> dict[str, Any]:
    """Mark the short records of a school dict to be written one per line."""
    out = dict(data)
    out["schedules"] = {name: {day: [_Flow(seg) for seg in segs] for day, segs in body.items()}
                        for name, body in data["schedules"].items()}
    for key in ("subjects", "venues", "classes", "teachers", "meetings", "combined", "split",
                "alternate"):
        if key in out:
            out[key] = [_Flow(x) for x in data[key]]
    reqs = data["requirements"]
    if isinstance(reqs, dict):
        out["requirements"] = {c: {s: _Flow(b) for s, b in body.items()}
                               for c, body in reqs.items()}
    else:
        out["requirements"] = [_Flow(x) for x in reqs]
    return out


def write_school(school: School, path: str | os.PathLike[str]) -> None:
    """Write ``school`` to ``path`` atomically: JSON for ``.json``, YAML otherwise."""
    file = Path(path)
    fmt = "json" if file.suffix.lower() == ".json" else "yaml"
    write_atomic(file, dump_school(school, base_dir=file.parent.resolve(), fmt=fmt))

