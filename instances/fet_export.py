"""Write FET files: a problem, a solved timetable locked in place, a school as FET.

- :func:`write_fet` writes a :class:`~jianfu.models.fet.FetProblem` as a ``.fet``
  file FET opens (every supported constraint kind, inverse of
  :func:`jianfu.instances.fet.read_fet`).
- :func:`write_locked_fet` writes a problem with every activity locked at jianfu's
  slot and room (``ConstraintActivityPreferredStartingTime`` /
  ``ConstraintActivityPreferredRoom``, 100 %, ``Permanently_Locked``), so that FET
  can give its own verdict on jianfu's timetable. When the source file is given it is
  copied with the locks added, keeping anything jianfu did not model.
- :func:`school_to_fet` turns a jianfu school into a FET problem carrying every rule
  FET can express (see its docstring for what is and is not carried).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..models.errors import InputError
from ..models.fet import FetActivity, FetConstraint, FetProblem, FetRoom, FetSolution

FET_VERSION = "6.8.5"


def _sub(parent: ET.Element, tag: str, text: Any = None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if text is not None:
        el.text = str(text).lower() if isinstance(text, bool) else str(text)
    return el


def _w(weight: float) -> str:
    return str(int(weight)) if float(weight).is_integer() else repr(float(weight))


def _fixed_starts(core: Any, act: Any, durations: list[int], cell: Any
                  ) -> list[list[tuple[int, int]]]:
    """The (day, hour) starts each sub-activity may take for the activity's fixed
    periods (固定): single lessons first take one fixed period each; a fixed period
    left over goes to a double period, which starts there or in the period before
    (whichever pair is joined). Sub-activities without a fixed period get ``[]``."""
    out: list[list[tuple[int, int]]] = [[] for _ in durations]
    singles = [k for k, dur in enumerate(durations) if dur == 1]
    doubles = [k for k, dur in enumerate(durations) if dur == 2]
    for s in act.fixed:
        if singles:
            out[singles.pop(0)] = [cell(s)]
        elif doubles:
            before = [x for x in range(len(core.slots)) if core.next_slot[x] == s]
            out[doubles.pop(0)] = [cell(x) for x in before
                                   + ([s] if core.next_slot[s] >= 0 else [])]
    return out


def _times(p: FetProblem, el: ET.Element, slots: Any, item: str, dtag: str, htag: str,
           count_tag: str | None) -> None:
    if count_tag:
        _sub(el, count_tag, len(slots))
    for d, h in slots:
        t = _sub(el, item)
        _sub(t, dtag, p.days[d])
        _sub(t, htag, p.hours[h])


def _filter(p: FetProblem, el: ET.Element, c: FetConstraint) -> None:
    _sub(el, "Teacher_Name", p.teachers[c.get("teacher")] if c.get("teacher") is not None else "")
    _sub(el, "Students_Name", c.get("students") or "")
    _sub(el, "Subject_Name", p.subjects[c.get("subject")] if c.get("subject") is not None else "")
    _sub(el, "Activity_Tag_Name", p.tags[c.get("tag")] if c.get("tag") is not None else "")
    if c.get("duration") is not None:
        _sub(el, "Duration", c.get("duration"))


def _body(p: FetProblem, el: ET.Element, c: FetConstraint) -> None:
    """Fields of constraint ``c`` between Weight_Percentage and Active."""
    k, g = c.kind, c.get
    if k == "BreakTimes":
        _times(p, el, g("slots"), "Break_Time", "Day", "Hour", "Number_of_Break_Times")
    elif k.endswith("NotAvailableTimes"):
        if k.startswith("Teacher"):
            _sub(el, "Teacher", p.teachers[g("teacher")])
        elif k.startswith("Students"):
            _sub(el, "Students", g("students"))
        else:
            _sub(el, "Room", p.rooms[g("room")].name)
        _times(p, el, g("slots"), "Not_Available_Time", "Day", "Hour",
               "Number_of_Not_Available_Times")
    elif k == "ActivityPreferredStartingTime":
        _sub(el, "Activity_Id", g("activity"))
        _sub(el, "Preferred_Day", p.days[g("day")] if g("day") is not None else "")
        _sub(el, "Preferred_Hour", p.hours[g("hour")] if g("hour") is not None else "")
        _sub(el, "Permanently_Locked", bool(g("locked", False)))
    elif k in ("ActivityPreferredStartingTimes", "ActivitiesPreferredStartingTimes"):
        if k.startswith("Activity"):
            _sub(el, "Activity_Id", g("activity"))
        else:
            _filter(p, el, c)
        _times(p, el, g("starts"), "Preferred_Starting_Time", "Preferred_Starting_Day",
               "Preferred_Starting_Hour", "Number_of_Preferred_Starting_Times")
    elif k in ("ActivityPreferredTimeSlots", "ActivitiesPreferredTimeSlots"):
        if k.startswith("Activity"):
            _sub(el, "Activity_Id", g("activity"))
        else:
            _filter(p, el, c)
        _times(p, el, g("slots"), "Preferred_Time_Slot", "Preferred_Day", "Preferred_Hour",
               "Number_of_Preferred_Time_Slots")
    elif k == "MinDaysBetweenActivities":
        _sub(el, "Consecutive_If_Same_Day", bool(g("consecutive")))
        _sub(el, "Number_of_Activities", len(g("activities")))
        for a in g("activities"):
            _sub(el, "Activity_Id", a)
        _sub(el, "MinDays", g("min_days"))
    elif k == "ActivitiesSameStartingTime":
        _sub(el, "Number_of_Activities", len(g("activities")))
        for a in g("activities"):
            _sub(el, "Activity_Id", a)
    elif k == "TwoActivitiesConsecutive":
        _sub(el, "First_Activity_Id", g("first"))
        _sub(el, "Second_Activity_Id", g("second"))
    elif k in _BOUND_TAG:
        if g("teacher") is not None:
            _sub(el, "Teacher_Name", p.teachers[g("teacher")])
        if g("students") is not None:
            _sub(el, "Students", g("students"))
        _sub(el, _BOUND_TAG[k], g("bound"))
        if g("allow_empty") is not None:
            _sub(el, "Allow_Empty_Days", bool(g("allow_empty")))
    elif k in ("SubjectPreferredRoom", "SubjectPreferredRooms", "ActivityPreferredRoom",
               "ActivityPreferredRooms", "TeacherHomeRoom"):
        if k.startswith("Subject"):
            _sub(el, "Subject", p.subjects[g("subject")])
        elif k.startswith("Activity"):
            _sub(el, "Activity_Id", g("activity"))
        else:
            _sub(el, "Teacher", p.teachers[g("teacher")])
        rooms = g("rooms")
        if k.endswith("Rooms"):
            _sub(el, "Number_of_Preferred_Rooms", len(rooms))
            for r in rooms:
                _sub(el, "Preferred_Room", p.rooms[r].name)
        else:
            _sub(el, "Room", p.rooms[rooms[0]].name)
            if k == "ActivityPreferredRoom":
                _sub(el, "Permanently_Locked", bool(g("locked", False)))
    elif k not in ("BasicCompulsoryTime", "BasicCompulsorySpace"):
        raise InputError("constraints", k, "无法写出此约束类型 cannot write this constraint kind")


_BOUND_TAG = {
    "TeacherMaxDaysPerWeek": "Max_Days_Per_Week", "TeacherMaxHoursDaily": "Maximum_Hours_Daily",
    "TeachersMaxHoursDaily": "Maximum_Hours_Daily", "TeacherMinHoursDaily": "Minimum_Hours_Daily",
    "TeachersMinHoursDaily": "Minimum_Hours_Daily", "TeacherMaxGapsPerWeek": "Max_Gaps",
    "TeachersMaxGapsPerWeek": "Max_Gaps", "TeacherMaxGapsPerDay": "Max_Gaps",
    "TeachersMaxGapsPerDay": "Max_Gaps", "StudentsMaxGapsPerWeek": "Max_Gaps",
    "StudentsSetMaxGapsPerWeek": "Max_Gaps", "StudentsSetMinHoursDaily": "Minimum_Hours_Daily",
    "StudentsMinHoursDaily": "Minimum_Hours_Daily",
    "StudentsEarlyMaxBeginningsAtSecondHour": "Max_Beginnings_At_Second_Hour",
    "StudentsSetEarlyMaxBeginningsAtSecondHour": "Max_Beginnings_At_Second_Hour",
}
_SPACE = frozenset({"BasicCompulsorySpace", "RoomNotAvailableTimes", "SubjectPreferredRoom",
                    "SubjectPreferredRooms", "ActivityPreferredRoom", "ActivityPreferredRooms",
                    "TeacherHomeRoom"})


def constraint_element(p: FetProblem, c: FetConstraint) -> ET.Element:
    """One ``<Constraint…>`` element for ``c``."""
    el = ET.Element("Constraint" + c.kind)
    _sub(el, "Weight_Percentage", _w(c.weight))
    _body(p, el, c)
    _sub(el, "Active", True)
    _sub(el, "Comments", "")
    return el


def _list(root: ET.Element, tag: str, item: str, names: Any, count: str | None = None) -> None:
    lst = _sub(root, tag)
    if count:
        _sub(lst, count, len(names))
    for n in names:
        _sub(_sub(lst, item), "Name", n)


def problem_element(p: FetProblem, extra: list[FetConstraint] = ()) -> ET.Element:
    """The whole ``<fet>`` document for ``p`` plus ``extra`` constraints."""
    root = ET.Element("fet", version=FET_VERSION)
    _sub(root, "Institution_Name", p.name)
    _sub(root, "Comments", "written by jianfu")
    _list(root, "Days_List", "Day", p.days, "Number_of_Days")
    _list(root, "Hours_List", "Hour", p.hours, "Number_of_Hours")
    _list(root, "Subjects_List", "Subject", p.subjects)
    _list(root, "Activity_Tags_List", "Activity_Tag", p.tags)
    _list(root, "Teachers_List", "Teacher", p.teachers)
    sl = _sub(root, "Students_List")
    size = p.set_sizes
    # a problem built in code may lack the hierarchy: each subgroup is then a year
    years = p.years or tuple((name, ()) for name in p.subgroups)
    for yname, groups in years:
        y = _sub(sl, "Year")
        _sub(y, "Name", yname)
        _sub(y, "Number_of_Students", size.get(yname, 0))
        for gname, subs in groups:
            g = _sub(y, "Group")
            _sub(g, "Name", gname)
            _sub(g, "Number_of_Students", size.get(gname, 0))
            for s in subs:
                sg = _sub(g, "Subgroup")
                _sub(sg, "Name", s)
                _sub(sg, "Number_of_Students", size.get(s, 0))
    al = _sub(root, "Activities_List")
    totals: dict[int, int] = {}
    for a in p.activities:
        if a.group_id:
            totals[a.group_id] = totals.get(a.group_id, 0) + a.duration
    for a in p.activities:
        el = _sub(al, "Activity")
        for t in a.teachers:
            _sub(el, "Teacher", p.teachers[t])
        _sub(el, "Subject", p.subjects[a.subject])
        for t in a.tags:
            _sub(el, "Activity_Tag", p.tags[t])
        for s in a.students:
            _sub(el, "Students", s)
        _sub(el, "Duration", a.duration)
        _sub(el, "Total_Duration", totals.get(a.group_id, a.duration))
        _sub(el, "Id", a.id)
        _sub(el, "Activity_Group_Id", a.group_id)
        _sub(el, "Active", True)
        _sub(el, "Comments", "")
    _list(root, "Buildings_List", "Building", p.buildings)
    rl = _sub(root, "Rooms_List")
    for r in p.rooms:
        el = _sub(rl, "Room")
        _sub(el, "Name", r.name)
        _sub(el, "Building", r.building)
        _sub(el, "Capacity", r.capacity)
        _sub(el, "Virtual", False)
        _sub(el, "Comments", "")
    tl, spl = _sub(root, "Time_Constraints_List"), _sub(root, "Space_Constraints_List")
    kinds = {c.kind for c in p.constraints}
    basics = [FetConstraint(k, 100.0) for k in ("BasicCompulsoryTime", "BasicCompulsorySpace")
              if k not in kinds]
    for c in (*basics, *p.constraints, *extra):
        (spl if c.kind in _SPACE else tl).append(constraint_element(p, c))
    return root


def _write(root: ET.Element, path: str | Path) -> Path:
    # FET's reader refuses self-closing elements such as <Comments/>: write them open
    ET.indent(root, space="\t")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text('<?xml version="1.0" encoding="UTF-8"?>\n\n' + ET.tostring(root, "unicode", short_empty_elements=False)
                   + "\n", encoding="utf-8")
    tmp.replace(out)
    return out


def write_fet(problem: FetProblem, path: str | Path) -> Path:
    """Write ``problem`` as a ``.fet`` file (every constraint it holds)."""
    return _write(problem_element(problem), path)


def lock_constraints(problem: FetProblem, solution: FetSolution) -> list[FetConstraint]:
    """One 100 % locked starting time per activity, and a locked room where it has one."""
    out: list[FetConstraint] = []
    for a in problem.activities:
        pl = solution.placements.get(a.id)
        if pl is None:
            raise InputError("solution", a.id, "活动未排，无法锁定 activity not placed, cannot lock")
        out.append(FetConstraint("ActivityPreferredStartingTime", 100.0, (
            ("activity", a.id), ("day", pl.day), ("hour", pl.hour), ("locked", True))))
        if pl.room is not None:
            out.append(FetConstraint("ActivityPreferredRoom", 100.0, (
                ("activity", a.id), ("rooms", (pl.room,)), ("locked", True))))
    return out


def write_locked_fet(problem: FetProblem, solution: FetSolution, path: str | Path, *,
                     source: str | Path | None = None) -> Path:
    """Write ``problem`` with every activity locked at ``solution``'s slot and room.

    With ``source`` (the imported file), that file is copied and the locks appended,
    after removing its own 100 % ActivityPreferredStartingTime / ActivityPreferredRoom
    records of the locked activities (the locks say the same or more), so FET judges
    the timetable against everything in the original file, modelled by jianfu or not.
    """
    locks = lock_constraints(problem, solution)
    if source is None:
        return _write(problem_element(problem, locks), path)
    from .fet import _load_xml  # same reader as the importer (gzip, BOM)

    root = _load_xml(source)
    for tag, lst_tag in (("ConstraintActivityPreferredStartingTime", "Time_Constraints_List"),
                         ("ConstraintActivityPreferredRoom", "Space_Constraints_List")):
        lst = root.find(lst_tag)
        if lst is None:
            lst = _sub(root, lst_tag)
        for el in list(lst.findall(tag)):
            w = (el.findtext("Weight_Percentage") or "100").strip()
            aid = (el.findtext("Activity_Id") or "").strip()
            if float(w) >= 100 and aid.isdigit() and problem.has_activity(int(aid)):
                lst.remove(el)
    tl, spl = root.find("Time_Constraints_List"), root.find("Space_Constraints_List")
    for c in locks:
        (spl if c.kind in _SPACE else tl).append(constraint_element(problem, c))
    return _write(root, path)


# -- school → FET ------------------------------------------------------------------

def school_to_fet(school: Any, policy: Any, *, spread_weight: float = 95.0) -> FetProblem:
    """A jianfu school as a FET problem, carrying every rule FET can express.

    Carried: the weekly grid (lesson periods of the bell schedule with the most
    periods, plus the long break and the after-class activity segment as hours that
    are BreakTimes on every day); classes as groups of their grade's year; each
    requirement as a split activity (double periods as duration-2 sub-activities)
    with MinDaysBetweenActivities (``spread_weight`` %, consecutive if same day) when
    it has no more lessons than days; teacher unavailability and daily maximum;
    periods a class may not use (short days, the policy's earliest start) as students
    not-available times; venues as rooms (a venue holding ``k`` classes at once, e.g.
    the sports ground, becomes ``k`` rooms) with 100 % ActivityPreferredRooms; fixed
    periods (固定) as 100 % ActivityPreferredStartingTime of one sub-activity each (a
    double period: ActivityPreferredStartingTimes, starting there or one period
    before) and forbidden periods (禁排) as 100 % ActivityPreferredTimeSlots of every
    sub-activity (the grid's lesson hours minus them). An alternating slot (单双周) is
    one weekly activity of its class with both weeks' teachers (FET has no two-week
    cycle: both teachers are kept free for it every week).

    Not carried (FET has no such rule): daily physical-activity minutes, study-time
    caps, main subjects in the morning and the other weighted Chinese soft rules.
    Classes on another bell schedule are mapped period by period onto the grid.
    """
    from ..models.core import compile_school
    from ..models.school import SegmentKind

    core = compile_school(school, policy)
    base = max(range(len(school.schedules) * len(school.days)),
               key=lambda k: len(school.schedules[k // len(school.days)]
                                 .days[k % len(school.days)].periods))
    day_sched = school.schedules[base // len(school.days)].days[base % len(school.days)]
    hours: list[str] = []
    lesson_hour: list[int] = []
    reserved: list[int] = []
    for seg in day_sched.segments:
        if seg.kind not in (SegmentKind.LESSON, SegmentKind.LONG_BREAK, SegmentKind.ACTIVITY):
            continue
        label = f"{seg.start // 60:02d}:{seg.start % 60:02d}-{seg.end // 60:02d}:{seg.end % 60:02d}"
        if seg.kind is SegmentKind.LESSON:
            lesson_hour.append(len(hours))
            hours.append(f"第{len(lesson_hour)}节 {label}")
        else:
            reserved.append(len(hours))
            hours.append(f"{seg.kind.zh} {label}")
    D = len(school.days)

    def cell(slot: int) -> tuple[int, int]:
        s = core.slots[slot]
        return (s.day, lesson_hour[s.period])

    lesson_at = {(s.schedule, s.day, s.period): i for i, s in enumerate(core.slots)
                 if s.period >= 0}

    constraints: list[FetConstraint] = []
    if reserved:
        constraints.append(FetConstraint("BreakTimes", 100.0, (
            ("slots", tuple(sorted((d, h) for d in range(D) for h in reserved))),)))
    years: dict[int, list[int]] = {}
    for c, cls in enumerate(school.classes):
        years.setdefault(cls.grade, []).append(c)
    year_rows = tuple((f"{g}年级", tuple((school.classes[c].name, ()) for c in cs))
                      for g, cs in sorted(years.items()))
    # subgroups in the order an import of the written file numbers them
    order = [c for _, cs in sorted(years.items()) for c in cs]
    sub = {c: k for k, c in enumerate(order)}
    sets: dict[str, tuple[int, ...]] = {school.classes[c].name: (sub[c],) for c in order}
    for g, cs in years.items():
        sets[f"{g}年级"] = tuple(sorted(sub[c] for c in cs))
    all_lessons = {(d, h) for d in range(D) for h in lesson_hour}
    for c, grp in enumerate(core.groups):
        ok = {cell(s) for s in grp.slots if s not in set(grp.early)}
        off = tuple(sorted(all_lessons - ok))
        if off:
            constraints.append(FetConstraint("StudentsSetNotAvailableTimes", 100.0, (
                ("slots", off), ("students", grp.name), ("subgroups", (sub[c],)))))
    for t, tr in enumerate(core.teachers):
        if tr.unavailable:
            constraints.append(FetConstraint("TeacherNotAvailableTimes", 100.0, (
                ("slots", tuple(sorted({cell(s) for s in tr.unavailable}))), ("teacher", t))))
        if tr.max_per_day is not None:
            constraints.append(FetConstraint("TeacherMaxHoursDaily", 100.0, (
                ("bound", tr.max_per_day), ("teacher", t))))
    rooms: list[FetRoom] = []
    pool_rooms: list[tuple[int, ...]] = []
    for pool in core.pools:
        ids = []
        for v in pool.venues:
            venue = school.venues[v]
            for k in range(venue.capacity):
                ids.append(len(rooms))
                rooms.append(FetRoom(venue.name if venue.capacity == 1 else f"{venue.name}#{k + 1}"))
        pool_rooms.append(tuple(ids))
    activities: list[FetActivity] = []
    next_id = 1
    from ..models.core import activity_requirements

    # an alternating slot (单双周) is one weekly activity with both weeks' teachers: FET has
    # no two-week cycle, so the slot is kept for both of them every week
    for act, members in zip(core.activities, activity_requirements(school)):
        durations = [2] * act.doubles + [1] * (act.count - 2 * act.doubles)
        gid = next_id if len(durations) > 1 else 0
        ids = []
        starts = _fixed_starts(core, act, durations, cell)
        banned = {cell(lesson_at[(school.classes[act.group].schedule, d, p)])
                  for q in members for d, p in school.forbidden_periods[q]}
        for k, dur in enumerate(durations):
            activities.append(FetActivity(
                # a split lesson (分组), a 走班 block: every group's teacher, every class
                id=next_id, duration=dur, subject=act.subject, teachers=act.teachers,
                # a combined lesson (合班): one activity of every member class, under the
                # first member's subject (FET has one subject per activity)
                students=tuple(school.classes[g].name for g in act.groups),
                subgroups=tuple(sub[g] for g in act.groups),
                group_id=gid))
            ids.append(next_id)
            if act.pool is not None:
                constraints.append(FetConstraint("ActivityPreferredRooms", 100.0, (
                    ("activity", next_id), ("rooms", pool_rooms[act.pool]))))
            if len(starts[k]) == 1:   # 固定: this lesson starts there
                (day, hour), = starts[k]
                constraints.append(FetConstraint("ActivityPreferredStartingTime", 100.0, (
                    ("activity", next_id), ("day", day), ("hour", hour), ("locked", False))))
            elif starts[k]:
                constraints.append(FetConstraint("ActivityPreferredStartingTimes", 100.0, (
                    ("activity", next_id), ("starts", tuple(starts[k])))))
            if banned:   # 禁排: every period the lesson covers lies outside them
                constraints.append(FetConstraint("ActivityPreferredTimeSlots", 100.0, (
                    ("activity", next_id), ("slots", tuple(sorted(all_lessons - banned))))))
            next_id += 1
        if 2 <= len(ids) <= D:
            constraints.append(FetConstraint("MinDaysBetweenActivities", spread_weight, (
                ("activities", tuple(ids)), ("min_days", 1), ("consecutive", True))))
    kinds_order = {"BreakTimes": 0, "TeacherNotAvailableTimes": 1,
                   "StudentsSetNotAvailableTimes": 2, "TeacherMaxHoursDaily": 3,
                   "MinDaysBetweenActivities": 4, "ActivityPreferredStartingTime": 5,
                   "ActivityPreferredStartingTimes": 5, "ActivityPreferredTimeSlots": 6,
                   "ActivityPreferredRooms": 7}
    constraints.sort(key=lambda c: kinds_order[c.kind])
    constraints = [FetConstraint("BasicCompulsoryTime", 100.0, (), 0)] + constraints + \
        [FetConstraint("BasicCompulsorySpace", 100.0)]
    return FetProblem(
        name=school.name, days=tuple(school.days), hours=tuple(hours),
        teachers=tuple(t.name for t in school.teachers),
        subjects=tuple(s.name for s in school.subjects), tags=(),
        subgroups=tuple(school.classes[c].name for c in order), students_sets=sets,
        activities=tuple(activities), rooms=tuple(rooms), buildings=(),
        constraints=tuple(constraints), years=year_rows)


def write_school_fet(school: Any, policy: Any, path: str | Path) -> Path:
    """``jianfu export school.yaml --format fet``: :func:`school_to_fet` then write."""
    return write_fet(school_to_fet(school, policy), path)


WRITERS: dict[str, Callable[..., Path]] = {"fet": write_school_fet}


def write_fet_activities(problem: FetProblem, solution: FetSolution, path: str | Path) -> Path:
    """Write the timetable like FET's ``<name>_activities.xml`` (Id, Day, Hour, Room)."""
    root = ET.Element("Activities_Timetable")
    for a in problem.activities:
        pl = solution.placements[a.id]
        el = _sub(root, "Activity")
        _sub(el, "Id", a.id)
        _sub(el, "Day", problem.days[pl.day])
        _sub(el, "Hour", problem.hours[pl.hour])
        _sub(el, "Room", problem.rooms[pl.room].name if pl.room is not None else "")
    return _write(root, path)
