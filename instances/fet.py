"""Read FET (``.fet`` / ``.fet.gz``) files into :class:`~jianfu.models.fet.FetProblem`.

FET 5.x and 6.x XML is accepted. Inactive activities and constraints are skipped
(and counted); constraints naming inactive activities lose those activities (FET does
the same). Active constraints of a kind jianfu does not model make the file refused
with :class:`~jianfu.models.errors.InputError` listing kinds and counts, unless
``ignore_unsupported=True``, in which case they are left out and listed in
``FetProblem.unsupported``.

Also reads FET's results (``*_activities.xml`` or ``*_data_and_timetable.fet``) into
:class:`~jianfu.models.fet.FetSolution` so FET's timetables can be scored by
:func:`jianfu.models.fet_check.check_fet`.
"""

from __future__ import annotations

import gzip
import logging
import math
import xml.etree.ElementTree as ET
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..models.errors import InputError
from ..models.fet import (
    SUPPORTED,
    FetActivity,
    FetConstraint,
    FetProblem,
    FetRoom,
    FetSolution,
    Placement,
)

logger = logging.getLogger(__name__)


def _load_xml(path: str | Path) -> ET.Element:
    """The root element of a ``.fet`` / ``.fet.gz`` (or FET result) file.

    Every way a file can be unusable — missing, a folder, unreadable, empty, a
    truncated or corrupt gzip archive, not XML — is an :class:`InputError` whose
    location is the file name.
    """
    p = Path(path)
    where = p.name or str(p)
    if p.is_dir():
        raise InputError(where, str(p), "是文件夹，不是文件 is a folder, not a file")
    if not p.exists():
        raise InputError(where, str(p), "文件不存在 file not found")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(where, "", f"无法读取 cannot read: {exc.strerror or exc}") from None
    if p.name.endswith(".gz") or raw.startswith(_GZIP_MAGIC):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:   # BadGzipFile is an OSError
            raise InputError(where, "", "压缩文件损坏或不完整 the .gz archive is corrupt or "
                                        f"truncated: {exc}") from None
    if not raw.strip():
        raise InputError(where, "", "文件为空 the file is empty")
    try:
        return ET.fromstring(raw.decode("utf-8-sig").encode("utf-8"))
    except (ET.ParseError, UnicodeDecodeError) as exc:
        raise InputError(where, "", f"不是有效的FET XML文件 not valid FET XML: {exc}") from None


_GZIP_MAGIC = b"\x1f\x8b"


def _text(el: ET.Element | None, tag: str, default: str = "") -> str:
    if el is None:
        return default
    child = el.find(tag)
    return default if child is None or child.text is None else child.text.strip()


def _name(el: ET.Element | None, tag: str) -> str:
    """A name field (teacher, subject, students set, room, building, tag, day, hour)
    exactly as written: FET keeps a name's spaces, so " 9 B" and "9 B" are two
    rooms, and a name is matched, and written back, with its spaces."""
    if el is None:
        return ""
    child = el.find(tag)
    return "" if child is None or child.text is None else child.text


def _names(root: ET.Element, list_tag: str, item_tag: str) -> list[str]:
    lst = root.find(list_tag)
    if lst is None:
        return []
    return [_name(it, "Name") for it in lst.findall(item_tag)]


def _bool(s: str, default: bool) -> bool:
    s = s.strip().lower()
    return default if s == "" else s in ("true", "1", "yes")


#: What a whole-number field must be, by the least value it allows (``None``: any).
_WHOLE = {None: "须为整数 must be a whole number",
          0: "须为非负整数 must be a whole number ≥ 0",
          1: "须为正整数 must be a whole number ≥ 1"}
_ACTIVITY_ID = "须为活动编号（整数） must be an activity id (a whole number)"


def _whole(where: str, text: str, least: int | None = 0, problem: str = "") -> int:
    """``text`` as an int ≥ ``least`` (any int when ``None``), else an InputError.

    ``where`` is the full location (file name first); ``problem`` replaces the
    default wording, e.g. for activity ids.
    """
    try:
        n = int(text)
    except ValueError:
        raise InputError(where, text, problem or _WHOLE[least]) from None
    if least is not None and n < least:
        raise InputError(where, text, problem or _WHOLE[least])
    return n


def _percent(where: str, text: str) -> float:
    """A ``Weight_Percentage``: a number from 0 to 100, else an InputError."""
    try:
        w = float(text)
    except ValueError:
        w = math.nan
    if not 0 <= w <= 100:       # NaN fails too
        raise InputError(where, text, "须为0到100之间的数 must be a number from 0 to 100")
    return w


class _Reader:
    """Resolves names to indices while parsing one file; errors name the path."""

    def __init__(self, where: str, root: ET.Element) -> None:
        self.where = where
        self.days = _names(root, "Days_List", "Day")
        self.hours = _names(root, "Hours_List", "Hour")
        self.teachers = _names(root, "Teachers_List", "Teacher")
        self.subjects = _names(root, "Subjects_List", "Subject")
        self.tags = _names(root, "Activity_Tags_List", "Activity_Tag")
        self.buildings = _names(root, "Buildings_List", "Building")
        self._idx = {n: {v: i for i, v in enumerate(getattr(self, n))}
                     for n in ("days", "hours", "teachers", "subjects", "tags")}
        self.rooms: list[FetRoom] = []
        self.virtual_rooms = 0
        rl = root.find("Rooms_List")
        for k, r in enumerate(rl.findall("Room") if rl is not None else []):
            cap = self.whole(r, f"Rooms_List.Room[{k}]", "Capacity", default=30000)
            self.rooms.append(FetRoom(_name(r, "Name"), _name(r, "Building"), cap))
            self.virtual_rooms += _bool(_text(r, "Virtual"), False)
        self._room_idx = {r.name: i for i, r in enumerate(self.rooms)}
        self._read_students(root)

    def _read_students(self, root: ET.Element) -> None:
        self.subgroups: list[str] = []
        sub_idx: dict[str, int] = {}
        sets: dict[str, set[int]] = {}
        size: dict[str, int] = {}

        def leaf(name: str) -> int:
            if name not in sub_idx:
                sub_idx[name] = len(self.subgroups)
                self.subgroups.append(name)
            return sub_idx[name]

        self.years: list[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]]] = []
        def n_students(el: ET.Element, where: str) -> int:
            return self.whole(el, where, "Number_of_Students", default=0)

        sl = root.find("Students_List")
        for yk, y in enumerate(sl.findall("Year") if sl is not None else []):
            yname, ywhere = _name(y, "Name"), f"Students_List.Year[{yk}]"
            self.years.append((yname, tuple(
                (_name(g, "Name"), tuple(_name(s, "Name") for s in g.findall("Subgroup")))
                for g in y.findall("Group"))))
            size[yname] = n_students(y, ywhere)
            ysubs: set[int] = set()
            groups = y.findall("Group")
            for gk, g in enumerate(groups):
                gname, gwhere = _name(g, "Name"), f"{ywhere}.Group[{gk}]"
                size.setdefault(gname, n_students(g, gwhere))
                subs = g.findall("Subgroup")
                gsubs = {leaf(_name(s, "Name")) for s in subs} if subs else {leaf(gname)}
                for sk, s in enumerate(subs):
                    size.setdefault(_name(s, "Name"), n_students(s, f"{gwhere}.Subgroup[{sk}]"))
                    sets.setdefault(_name(s, "Name"), set()).add(sub_idx[_name(s, "Name")])
                sets.setdefault(gname, set()).update(gsubs)
                ysubs |= gsubs
            if not groups:
                ysubs = {leaf(yname)}
            sets.setdefault(yname, set()).update(ysubs)
        self.students_sets = {k: tuple(sorted(v)) for k, v in sets.items()}
        self.set_size = size

    # -- fields -------------------------------------------------------------------
    def whole(self, el: ET.Element, where: str, *tags: str, default: int | None = None,
              least: int | None = 0) -> Any:
        """The first non-empty of ``tags`` in ``el`` as an int ≥ ``least``, else ``default``.

        A value that is not such a whole number is an :class:`InputError` at
        ``<file>: <where>.<tag>``.
        """
        for t in tags:
            s = _text(el, t)
            if s:
                return _whole(f"{self.where}: {where}.{t}", s, least)
        return default

    # -- name lookups -------------------------------------------------------------
    def index(self, kind: str, name: str, where: str) -> int:
        try:
            return self._idx[kind][name]
        except KeyError:
            raise InputError(f"{self.where}: {where}", name,
                             f"未定义的名称 not defined in the {kind} list") from None

    def room(self, name: str, where: str) -> int:
        try:
            return self._room_idx[name]
        except KeyError:
            raise InputError(f"{self.where}: {where}", name, "未定义的教室 room not defined") from None

    def students(self, name: str, where: str) -> tuple[int, ...]:
        try:
            return self.students_sets[name]
        except KeyError:
            raise InputError(f"{self.where}: {where}", name,
                             "未定义的学生组 students set not defined") from None

    def slot(self, el: ET.Element, day_tag: str, hour_tag: str, where: str) -> tuple[int, int]:
        return (self.index("days", _name(el, day_tag), f"{where}.{day_tag}"),
                self.index("hours", _name(el, hour_tag), f"{where}.{hour_tag}"))


def _activities(reader: _Reader, root: ET.Element) -> tuple[list[FetActivity], set[int], int]:
    out: list[FetActivity] = []
    inactive: set[int] = set()
    seen: set[int] = set()
    al = root.find("Activities_List")
    for k, a in enumerate(al.findall("Activity") if al is not None else []):
        where = f"Activities_List.Activity[{k}]"
        aid = _whole(f"{reader.where}: {where}.Id", _text(a, "Id"), None, _ACTIVITY_ID)
        if aid in seen:
            raise InputError(f"{reader.where}: {where}.Id", aid, "活动编号重复 duplicate activity id")
        seen.add(aid)
        if not _bool(_text(a, "Active"), True):
            inactive.add(aid)
            continue
        teachers = tuple(reader.index("teachers", t.text, f"{where}.Teacher")
                         for t in a.findall("Teacher") if t.text)
        tags = tuple(reader.index("tags", t.text, f"{where}.Activity_Tag")
                     for t in a.findall("Activity_Tag") if t.text)
        students = tuple(s.text for s in a.findall("Students") if s.text)
        subgroups = sorted({g for s in students for g in reader.students(s, f"{where}.Students")})
        n_students = reader.whole(a, where, "Number_Of_Students")
        if n_students is None:
            n_students = sum(reader.set_size.get(s, 0) for s in students)
        out.append(FetActivity(
            id=aid, duration=reader.whole(a, where, "Duration", default=1, least=1),
            subject=reader.index("subjects", _name(a, "Subject"), f"{where}.Subject"),
            teachers=teachers, tags=tags, students=students, subgroups=tuple(subgroups),
            group_id=reader.whole(a, where, "Activity_Group_Id", default=0),
            n_students=n_students))
    return out, inactive, len(inactive)


def _first(el: ET.Element, *tags: str) -> str:
    """The first non-empty of the name fields ``tags``, as written (:func:`_name`)."""
    for t in tags:
        s = _name(el, t)
        if s:
            return s
    return ""


_Parser = Callable[[_Reader, ET.Element, str, "_Ids"], "dict[str, Any] | None"]


class _Ids:
    """Activity-id resolution: ids of inactive activities are dropped, unknown ids fail."""

    def __init__(self, reader: _Reader, active: set[int], inactive: set[int]) -> None:
        self.reader, self.active, self.inactive = reader, active, inactive

    def one(self, el: ET.Element, tag: str, where: str) -> int | None:
        return self._resolve(_text(el, tag), f"{self.reader.where}: {where}.{tag}")

    def many(self, el: ET.Element, tag: str, where: str) -> tuple[int, ...]:
        found = (self._resolve((child.text or "").strip(),
                               f"{self.reader.where}: {where}.{tag}[{k}]")
                 for k, child in enumerate(el.findall(tag)))
        return tuple(aid for aid in found if aid is not None)

    def _resolve(self, text: str, where: str) -> int | None:
        """The id in ``text``; ``None`` for an inactive activity; unknown ids fail."""
        aid = _whole(where, text, None, _ACTIVITY_ID)
        if aid in self.active:
            return aid
        if aid in self.inactive:
            return None
        raise InputError(where, aid, "没有此活动 no such activity")


def _slots(r: _Reader, el: ET.Element, item: str, day: str, hour: str, where: str
           ) -> tuple[tuple[int, int], ...]:
    return tuple(sorted({r.slot(x, day, hour, where) for x in el.findall(item)}))


def _filter(r: _Reader, el: ET.Element, where: str) -> dict[str, Any]:
    p: dict[str, Any] = {}
    t = _first(el, "Teacher_Name", "Teacher")
    if t:
        p["teacher"] = r.index("teachers", t, f"{where}.Teacher_Name")
    s = _first(el, "Students_Name", "Students")
    if s:
        r.students(s, f"{where}.Students_Name")
        p["students"] = s
    subj = _first(el, "Subject_Name", "Subject")
    if subj:
        p["subject"] = r.index("subjects", subj, f"{where}.Subject_Name")
    tag = _first(el, "Activity_Tag_Name", "Activity_Tag")
    if tag:
        p["tag"] = r.index("tags", tag, f"{where}.Activity_Tag_Name")
    d = r.whole(el, where, "Duration", least=1)
    if d is not None:
        p["duration"] = d
    return p


def _teacher(r: _Reader, el: ET.Element, where: str) -> int:
    return r.index("teachers", _first(el, "Teacher_Name", "Teacher"), f"{where}.Teacher")


def _p_not_available(kind: str) -> _Parser:
    def parse(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any]:
        p: dict[str, Any] = {"slots": _slots(r, el, "Not_Available_Time", "Day", "Hour", where)}
        if kind == "teacher":
            p["teacher"] = _teacher(r, el, where)
        elif kind == "students":
            name = _first(el, "Students", "Students_Name")
            p["students"], p["subgroups"] = name, r.students(name, f"{where}.Students")
        else:
            p["room"] = r.room(_name(el, "Room"), f"{where}.Room")
        return p
    return parse


def _p_breaks(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any]:
    return {"slots": _slots(r, el, "Break_Time", "Day", "Hour", where)}


def _p_start(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any] | None:
    aid = ids.one(el, "Activity_Id", where)
    if aid is None:
        return None
    d, h = _name(el, "Preferred_Day"), _name(el, "Preferred_Hour")
    return {"activity": aid,
            "day": r.index("days", d, f"{where}.Preferred_Day") if d not in ("", "-1") else None,
            "hour": r.index("hours", h, f"{where}.Preferred_Hour") if h not in ("", "-1") else None}


def _p_starts(many: bool) -> _Parser:
    def parse(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any] | None:
        p = _filter(r, el, where) if many else {"activity": ids.one(el, "Activity_Id", where)}
        if not many and p["activity"] is None:
            return None
        p["starts"] = _slots(r, el, "Preferred_Starting_Time", "Preferred_Starting_Day",
                             "Preferred_Starting_Hour", where)
        return p
    return parse


def _p_time_slots(many: bool) -> _Parser:
    def parse(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any] | None:
        p = _filter(r, el, where) if many else {"activity": ids.one(el, "Activity_Id", where)}
        if not many and p["activity"] is None:
            return None
        p["slots"] = _slots(r, el, "Preferred_Time_Slot", "Preferred_Day", "Preferred_Hour", where)
        return p
    return parse


def _p_min_days(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any] | None:
    acts = ids.many(el, "Activity_Id", where)
    if len(acts) < 2:
        return None
    return {"activities": acts, "min_days": r.whole(el, where, "MinDays", default=1),
            "consecutive": _bool(_text(el, "Consecutive_If_Same_Day"), False)}


def _p_same_start(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any] | None:
    acts = ids.many(el, "Activity_Id", where)
    return {"activities": acts} if len(acts) >= 2 else None


def _p_consecutive(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any] | None:
    a, b = ids.one(el, "First_Activity_Id", where), ids.one(el, "Second_Activity_Id", where)
    return None if a is None or b is None else {"first": a, "second": b}


def _p_min_gaps(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any] | None:
    acts = ids.many(el, "Activity_Id", where)
    if len(acts) < 2:
        return None
    return {"activities": acts, "min_gaps": r.whole(el, where, "MinGaps", default=1)}


def _p_three(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any] | None:
    tags = ("First_Activity_Id", "Second_Activity_Id", "Third_Activity_Id")
    a, b, c = (ids.one(el, tag, where) for tag in tags)
    return None if None in (a, b, c) else {"first": a, "second": b, "third": c}


def _p_bound(field: str, *, teacher: bool = False, students: bool = False,
             allow_empty: bool | None = None) -> _Parser:
    tags = {"max_days": ("Max_Days_Per_Week",), "max_hours": ("Maximum_Hours_Daily",),
            "min_hours": ("Minimum_Hours_Daily",), "max_gaps": ("Max_Gaps",),
            "max_beginnings": ("Max_Beginnings_At_Second_Hour",),
            # counts group
            "max_continuously": ("Maximum_Hours_Continuously",),
            "min_days": ("Minimum_Days_Per_Week",),
            # rooms
            "min_building_gaps": ("Min_Gaps_Between_Building_Changes",),
            "max_building_changes": ("Max_Building_Changes_Per_Day",),
            # rest
            "max_building_changes_week": ("Max_Building_Changes_Per_Week",),
            "min_resting_hours": ("Minimum_Resting_Hours",), "max_span": ("Max_Span",)}[field]

    def parse(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any]:
        p: dict[str, Any] = {"bound": r.whole(el, where, *tags, default=0)}
        if teacher:
            p["teacher"] = _teacher(r, el, where)
        if students:
            name = _first(el, "Students", "Students_Name")
            p["students"], p["subgroups"] = name, r.students(name, f"{where}.Students")
        if allow_empty is not None:
            p["allow_empty"] = _bool(_text(el, "Allow_Empty_Days"), allow_empty)
        return p
    return parse


def _p_teacher_min_hours(*, teacher: bool) -> _Parser:
    """Teacher(s)MinHoursDaily: as FET, only with empty days allowed (fet-cl 6.8.5
    refuses ``Allow_Empty_Days`` false for teachers and points to min days per week)."""
    bound = _p_bound("min_hours", teacher=teacher, allow_empty=True)

    def parse(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any]:
        p = bound(r, el, where, ids)
        if not p["allow_empty"]:
            raise InputError(f"{r.where}: {where}.Allow_Empty_Days", _text(el, "Allow_Empty_Days"),
                             "FET不接受不允许空日的教师每日最少课时，请用每周最少天数 FET refuses "
                             "teacher min hours daily without empty days; use min days per week")
        return p
    return parse


def _p_interval(*, teacher: bool = False, students: bool = False) -> _Parser:
    """An interval max days rule: ``bound`` days, hours ``start`` ≤ h < ``end``.

    An empty ``Interval_End_Hour`` is the end of the day (``end`` = the number of
    hours), as FET writes an interval that runs to the last hour.
    """
    bound = _p_bound("max_days", teacher=teacher, students=students)

    def parse(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any]:
        p = bound(r, el, where, ids)
        p["start"] = r.index("hours", _name(el, "Interval_Start_Hour"),
                             f"{where}.Interval_Start_Hour")
        end = _name(el, "Interval_End_Hour")
        p["end"] = r.index("hours", end, f"{where}.Interval_End_Hour") if end else len(r.hours)
        return p
    return parse


def _p_rooms(target: str) -> _Parser:
    def parse(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any] | None:
        p: dict[str, Any] = {}
        if target in ("subject", "subject_tag"):
            p["subject"] = r.index("subjects", _name(el, "Subject"), f"{where}.Subject")
        if target in ("tag", "subject_tag"):
            p["tag"] = r.index("tags", _name(el, "Activity_Tag"), f"{where}.Activity_Tag")
        if target == "activity":
            p["activity"] = ids.one(el, "Activity_Id", where)
            if p["activity"] is None:
                return None
        elif target == "teacher":
            p["teacher"] = _teacher(r, el, where)
        elif target == "students":
            name = _first(el, "Students", "Students_Name")
            p["students"], p["subgroups"] = name, r.students(name, f"{where}.Students")
        names = [x.text for x in el.findall("Preferred_Room") if x.text]
        if not names:
            names = [_name(el, "Room")]
        p["rooms"] = tuple(sorted({r.room(n, f"{where}.Room") for n in names}))
        return p
    return parse


def _p_none(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any]:
    return {}


def _p_ends_day(many: bool) -> _Parser:
    """ActivityEndsStudentsDay (by id) / ActivitiesEndStudentsDay (by filter)."""
    def parse(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any] | None:
        if many:
            return _filter(r, el, where)
        aid = ids.one(el, "Activity_Id", where)
        return None if aid is None else {"activity": aid}
    return parse


def _p_subactivities(starting: bool) -> _Parser:
    """Subactivities preferred starting times / time slots: the K-th parts matching
    the filter (``component`` K, see :func:`jianfu.models.fet.component`)."""
    def parse(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any]:
        p: dict[str, Any] = {"component": r.whole(el, where, "Component_Number", default=1,
                                                  least=1)}
        p.update(_filter(r, el, where))
        if starting:
            p["starts"] = _slots(r, el, "Preferred_Starting_Time", "Preferred_Starting_Day",
                                 "Preferred_Starting_Hour", where)
        else:
            p["slots"] = _slots(r, el, "Preferred_Time_Slot", "Preferred_Day", "Preferred_Hour",
                                where)
        return p
    return parse


def _p_occupy(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any] | None:
    """ActivitiesOccupyMaxTimeSlotsFromSelection, its fields in the writer's order."""
    acts = ids.many(el, "Activity_Id", where)
    if not acts:
        return None
    return {"activities": acts,
            "slots": _slots(r, el, "Selected_Time_Slot", "Selected_Day", "Selected_Hour", where),
            "max": r.whole(el, where, "Max_Number_of_Occupied_Time_Slots", default=0)}


def _p_tag_bound(field: str, *, teacher: bool = False, students: bool = False) -> _Parser:
    """*ActivityTagMaxHoursDaily / *ActivityTagMaxHoursContinuously: who, the tag, the
    bound (in the order the school export writes them)."""
    tag = {"daily": "Maximum_Hours_Daily", "continuously": "Maximum_Hours_Continuously"}[field]

    def parse(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any]:
        p: dict[str, Any] = {}
        if teacher:
            p["teacher"] = _teacher(r, el, where)
        if students:
            name = _first(el, "Students", "Students_Name")
            p["students"], p["subgroups"] = name, r.students(name, f"{where}.Students")
        p["tag"] = r.index("tags", _first(el, "Activity_Tag_Name", "Activity_Tag"),
                           f"{where}.Activity_Tag")
        p["bound"] = r.whole(el, where, tag, default=0)
        return p
    return parse


def _p_max_simultaneous(r: _Reader, el: ET.Element, where: str, ids: _Ids
                        ) -> dict[str, Any] | None:
    """ActivitiesMaxSimultaneousInSelectedTimeSlots: the activities, the selected slots
    and the most of them at once in any one slot."""
    p = _p_occupy(r, el, where, ids)
    if p is not None:
        p["max"] = r.whole(el, where, "Max_Number_of_Simultaneous_Activities", default=0)
    return p


def _p_max_rooms(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any] | None:
    """ActivitiesOccupyMaxDifferentRooms: the activities and how many rooms they may use."""
    acts = ids.many(el, "Activity_Id", where)
    if not acts:
        return None
    return {"activities": acts,
            "max": r.whole(el, where, "Max_Number_of_Different_Rooms", default=0)}


def _p_resting(*, teacher: bool = False, students: bool = False) -> _Parser:
    """*MinRestingHours: who, the hours of rest from one day's last lesson to the next
    day's first, and ``circular`` (the last day's rest runs into the first day)."""
    bound = _p_bound("min_resting_hours", teacher=teacher, students=students)

    def parse(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any]:
        p = bound(r, el, where, ids)
        p["circular"] = _bool(_text(el, "Circular"), False)
        return p
    return parse


def _p_max_days(r: _Reader, el: ET.Element, where: str, ids: _Ids) -> dict[str, Any] | None:
    """MaxDaysBetweenActivities: the activities and the most days between any two."""
    acts = ids.many(el, "Activity_Id", where)
    if len(acts) < 2:
        return None
    return {"activities": acts, "max_days": r.whole(el, where, "MaxDays", default=0)}


PARSERS: dict[str, _Parser] = {
    "BasicCompulsoryTime": _p_none, "BasicCompulsorySpace": _p_none,
    "BreakTimes": _p_breaks,
    "TeacherNotAvailableTimes": _p_not_available("teacher"),
    "StudentsSetNotAvailableTimes": _p_not_available("students"),
    "RoomNotAvailableTimes": _p_not_available("room"),
    "ActivityPreferredStartingTime": _p_start,
    "ActivityPreferredStartingTimes": _p_starts(False),
    "ActivitiesPreferredStartingTimes": _p_starts(True),
    "ActivityPreferredTimeSlots": _p_time_slots(False),
    "ActivitiesPreferredTimeSlots": _p_time_slots(True),
    "MinDaysBetweenActivities": _p_min_days,
    "ActivitiesSameStartingTime": _p_same_start,
    "TwoActivitiesConsecutive": _p_consecutive,
    "TeacherMaxDaysPerWeek": _p_bound("max_days", teacher=True),
    "TeacherMaxHoursDaily": _p_bound("max_hours", teacher=True),
    "TeachersMaxHoursDaily": _p_bound("max_hours"),
    "TeacherMinHoursDaily": _p_teacher_min_hours(teacher=True),
    "TeachersMinHoursDaily": _p_teacher_min_hours(teacher=False),
    "TeacherMaxGapsPerWeek": _p_bound("max_gaps", teacher=True),
    "TeachersMaxGapsPerWeek": _p_bound("max_gaps"),
    "TeacherMaxGapsPerDay": _p_bound("max_gaps", teacher=True),
    "TeachersMaxGapsPerDay": _p_bound("max_gaps"),
    "StudentsMaxGapsPerWeek": _p_bound("max_gaps"),
    "StudentsSetMaxGapsPerWeek": _p_bound("max_gaps", students=True),
    "StudentsSetMinHoursDaily": _p_bound("min_hours", students=True, allow_empty=False),
    "StudentsMinHoursDaily": _p_bound("min_hours", allow_empty=False),
    "StudentsEarlyMaxBeginningsAtSecondHour": _p_bound("max_beginnings"),
    "StudentsSetEarlyMaxBeginningsAtSecondHour": _p_bound("max_beginnings", students=True),
    "SubjectPreferredRoom": _p_rooms("subject"), "SubjectPreferredRooms": _p_rooms("subject"),
    "ActivityPreferredRoom": _p_rooms("activity"), "ActivityPreferredRooms": _p_rooms("activity"),
    "TeacherHomeRoom": _p_rooms("teacher"),
    # relations between activities
    "ActivitiesNotOverlapping": _p_same_start, "TwoActivitiesGrouped": _p_consecutive,
    "ThreeActivitiesGrouped": _p_three, "MinGapsBetweenActivities": _p_min_gaps,
    "ActivitiesSameStartingHour": _p_same_start, "ActivitiesSameStartingDay": _p_same_start,
    "TwoActivitiesOrderedIfSameDay": _p_consecutive, "TwoActivitiesOrdered": _p_consecutive,
    # dayshape
    "ActivityEndsStudentsDay": _p_ends_day(False), "ActivitiesEndStudentsDay": _p_ends_day(True),
    "SubactivitiesPreferredTimeSlots": _p_subactivities(False),
    "SubactivitiesPreferredStartingTimes": _p_subactivities(True),
    "ActivitiesOccupyMaxTimeSlotsFromSelection": _p_occupy,
    "StudentsMaxGapsPerDay": _p_bound("max_gaps"),
    "StudentsSetMaxGapsPerDay": _p_bound("max_gaps", students=True),
    "TeacherActivityTagMaxHoursDaily": _p_tag_bound("daily", teacher=True),
    "TeachersActivityTagMaxHoursDaily": _p_tag_bound("daily"),
    "StudentsSetActivityTagMaxHoursDaily": _p_tag_bound("daily", students=True),
    "StudentsActivityTagMaxHoursDaily": _p_tag_bound("daily"),
    "TeacherActivityTagMaxHoursContinuously": _p_tag_bound("continuously", teacher=True),
    "TeachersActivityTagMaxHoursContinuously": _p_tag_bound("continuously"),
    "StudentsSetActivityTagMaxHoursContinuously": _p_tag_bound("continuously", students=True),
    "StudentsActivityTagMaxHoursContinuously": _p_tag_bound("continuously"),
    # counts group
    "StudentsSetMaxHoursDaily": _p_bound("max_hours", students=True),
    "StudentsMaxHoursDaily": _p_bound("max_hours"),
    "TeacherMaxHoursContinuously": _p_bound("max_continuously", teacher=True),
    "TeachersMaxHoursContinuously": _p_bound("max_continuously"),
    "StudentsSetMaxHoursContinuously": _p_bound("max_continuously", students=True),
    "StudentsMaxHoursContinuously": _p_bound("max_continuously"),
    "TeachersMaxDaysPerWeek": _p_bound("max_days"),
    "TeacherMinDaysPerWeek": _p_bound("min_days", teacher=True),
    "TeachersMinDaysPerWeek": _p_bound("min_days"),
    "TeacherIntervalMaxDaysPerWeek": _p_interval(teacher=True),
    "TeachersIntervalMaxDaysPerWeek": _p_interval(),
    "StudentsSetIntervalMaxDaysPerWeek": _p_interval(students=True),
    "StudentsIntervalMaxDaysPerWeek": _p_interval(),
    # rooms
    "StudentsSetHomeRoom": _p_rooms("students"), "StudentsSetHomeRooms": _p_rooms("students"),
    "TeacherHomeRooms": _p_rooms("teacher"),
    "ActivityTagPreferredRoom": _p_rooms("tag"), "ActivityTagPreferredRooms": _p_rooms("tag"),
    "SubjectActivityTagPreferredRoom": _p_rooms("subject_tag"),
    "SubjectActivityTagPreferredRooms": _p_rooms("subject_tag"),
    "TeacherMinGapsBetweenBuildingChanges": _p_bound("min_building_gaps", teacher=True),
    "TeachersMinGapsBetweenBuildingChanges": _p_bound("min_building_gaps"),
    "StudentsSetMinGapsBetweenBuildingChanges": _p_bound("min_building_gaps", students=True),
    "StudentsMinGapsBetweenBuildingChanges": _p_bound("min_building_gaps"),
    "TeacherMaxBuildingChangesPerDay": _p_bound("max_building_changes", teacher=True),
    "TeachersMaxBuildingChangesPerDay": _p_bound("max_building_changes"),
    "StudentsSetMaxBuildingChangesPerDay": _p_bound("max_building_changes", students=True),
    "StudentsMaxBuildingChangesPerDay": _p_bound("max_building_changes"),
    # rest
    "ActivitiesMaxSimultaneousInSelectedTimeSlots": _p_max_simultaneous,
    "ActivitiesOccupyMaxDifferentRooms": _p_max_rooms,
    "TeacherMaxBuildingChangesPerWeek": _p_bound("max_building_changes_week", teacher=True),
    "TeachersMaxBuildingChangesPerWeek": _p_bound("max_building_changes_week"),
    "StudentsSetMaxBuildingChangesPerWeek": _p_bound("max_building_changes_week", students=True),
    "StudentsMaxBuildingChangesPerWeek": _p_bound("max_building_changes_week"),
    "TeacherMinRestingHours": _p_resting(teacher=True),
    "TeachersMinRestingHours": _p_resting(),
    "StudentsSetMinRestingHours": _p_resting(students=True),
    "StudentsMinRestingHours": _p_resting(),
    "TeacherMaxSpanPerDay": _p_bound("max_span", teacher=True),
    "TeachersMaxSpanPerDay": _p_bound("max_span"),
    "StudentsSetMaxSpanPerDay": _p_bound("max_span", students=True),
    "StudentsMaxSpanPerDay": _p_bound("max_span"),
    "MaxDaysBetweenActivities": _p_max_days, "ActivitiesSameRoomIfConsecutive": _p_same_start,
}
assert set(PARSERS) == SUPPORTED


def read_fet(path: str | Path, *, ignore_unsupported: bool = False) -> FetProblem:
    """Read a FET file (``.fet`` or ``.fet.gz``) into a :class:`FetProblem`.

    Parameters
    ----------
    path
        The file.
    ignore_unsupported
        Leave out active constraints of kinds jianfu does not model (listed in
        ``FetProblem.unsupported``) instead of refusing the file.

    Raises
    ------
    InputError
        Never another exception for a bad file. A missing, empty, unreadable or
        corrupt (``.gz``) file or one that is not FET XML; a field that is not a whole
        number (``Duration`` ≥ 1, ``Activity_Group_Id``, an activity id, a
        constraint's numbers) or a weight outside 0–100; undefined names or
        activity ids; or (without ``ignore_unsupported``) active constraints of
        unsupported kinds, listed with counts. ``str(err)`` starts with the file
        name and shows the offending value.
    """
    where = Path(path).name
    root = _load_xml(path)
    if root.tag != "fet":
        raise InputError(where, root.tag, "根元素须为<fet> root element must be <fet>")
    reader = _Reader(where, root)
    activities, inactive, n_inactive = _activities(reader, root)
    ids = _Ids(reader, {a.id for a in activities}, inactive)
    constraints: list[FetConstraint] = []
    unsupported: Counter[str] = Counter()
    skipped: Counter[str] = Counter({"inactive activities": n_inactive} if n_inactive else {})
    if reader.virtual_rooms:
        unsupported["VirtualRooms"] = reader.virtual_rooms
    k = 0
    for list_tag in ("Time_Constraints_List", "Space_Constraints_List"):
        lst = root.find(list_tag)
        for el in (list(lst) if lst is not None else []):
            kind = el.tag.removeprefix("Constraint")
            cwhere = f"{list_tag}.{el.tag}[{k}]"
            k += 1
            if not _bool(_text(el, "Active"), True):
                skipped[f"inactive {kind}"] += 1
                continue
            if kind not in PARSERS:
                unsupported[kind] += 1
                continue
            weight = _percent(f"{where}: {cwhere}.Weight_Percentage",
                              _text(el, "Weight_Percentage", "100"))
            params = PARSERS[kind](reader, el, cwhere, ids)
            if params is None:
                skipped[f"{kind} on inactive activities"] += 1
                continue
            constraints.append(FetConstraint(kind, weight, tuple(params.items()), k - 1))
    if unsupported and not ignore_unsupported:
        listing = ", ".join(f"{kind} ×{n}" for kind, n in unsupported.most_common())
        raise InputError(where, listing,
                         "含jianfu不支持的约束类型 unsupported constraint types "
                         "(use --ignore-unsupported to solve without them)")
    name = Path(path).name
    for suffix in (".gz", ".fet"):
        name = name.removesuffix(suffix)
    try:
        return FetProblem(
            name=name, days=tuple(reader.days), hours=tuple(reader.hours),
            teachers=tuple(reader.teachers), subjects=tuple(reader.subjects),
            tags=tuple(reader.tags), subgroups=tuple(reader.subgroups),
            students_sets=reader.students_sets, activities=tuple(activities),
            rooms=tuple(reader.rooms), buildings=tuple(reader.buildings),
            constraints=tuple(constraints), unsupported=tuple(unsupported.most_common()),
            skipped=tuple(sorted(skipped.items())), years=tuple(reader.years),
            set_sizes=reader.set_size)
    except InputError as exc:       # duplicate ids, too long activities: name the file
        raise exc.in_file(where) from None


def read_fet_result(problem: FetProblem, path: str | Path) -> FetSolution:
    """Read FET's result for ``problem`` into a :class:`FetSolution`.

    ``path`` is FET's ``<name>_activities.xml`` (Id, Day, Hour, Room per activity) or
    a ``*_data_and_timetable.fet`` / locked export, read through its 100 %
    ActivityPreferredStartingTime and ActivityPreferredRoom records. A bad file is an
    :class:`InputError` naming it, as in :func:`read_fet`.
    """
    root = _load_xml(path)
    where = Path(path).name
    day = {n: i for i, n in enumerate(problem.days)}
    hour = {n: i for i, n in enumerate(problem.hours)}
    room = {r.name: i for i, r in enumerate(problem.rooms)}
    out: dict[int, Placement] = {}
    if root.tag == "Activities_Timetable":
        for k, a in enumerate(root.findall("Activity")):
            aid = _whole(f"{where}: Activity[{k}].Id", _text(a, "Id"), None, _ACTIVITY_ID)
            if not problem.has_activity(aid):
                continue
            d, h, r = _name(a, "Day"), _name(a, "Hour"), _name(a, "Room")
            if d not in day or h not in hour:
                raise InputError(f"{where}: Activity[{k}]", (d, h), "未知的日或节 unknown day or hour")
            out[aid] = Placement(day[d], hour[h], room.get(r))
        return FetSolution(out)
    times: dict[int, tuple[int, int]] = {}
    rooms: dict[int, int] = {}
    for list_tag in ("Time_Constraints_List", "Space_Constraints_List"):
        lst = root.find(list_tag)
        for k, el in enumerate(list(lst) if lst is not None else []):
            if _text(el, "Weight_Percentage", "100") not in ("100", "100.0") or \
                    not _bool(_text(el, "Active"), True):
                continue
            aid_where = f"{where}: {list_tag}.{el.tag}[{k}].Activity_Id"
            if el.tag == "ConstraintActivityPreferredStartingTime":
                d, h = _name(el, "Preferred_Day"), _name(el, "Preferred_Hour")
                if d in day and h in hour:
                    aid = _whole(aid_where, _text(el, "Activity_Id"), None, _ACTIVITY_ID)
                    times[aid] = (day[d], hour[h])
            elif el.tag == "ConstraintActivityPreferredRoom" and _name(el, "Room") in room:
                aid = _whole(aid_where, _text(el, "Activity_Id"), None, _ACTIVITY_ID)
                rooms[aid] = room[_name(el, "Room")]
    for aid, (d, h) in times.items():
        if problem.has_activity(aid):
            out[aid] = Placement(d, h, rooms.get(aid))
    return FetSolution(out)
