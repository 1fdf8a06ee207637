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
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..models.errors import InputError
from ..models.fet import ROOM_KINDS, FetConstraint, FetProblem, FetSolution

FET_VERSION = "6.8.5"


def _sub(parent: ET.Element, tag: str, text: Any = None) -> ET.Element:
    el = ET.SubElement(parent, tag)
    if text is not None:
        el.text = str(text).lower() if isinstance(text, bool) else str(text)
    return el


def _w(weight: float) -> str:
    return str(int(weight)) if float(weight).is_integer() else repr(float(weight))


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
    elif k in ("ActivitiesSameStartingTime", "ActivitiesSameStartingDay"):
        _sub(el, "Number_of_Activities", len(g("activities")))
        for a in g("activities"):
            _sub(el, "Activity_Id", a)
    elif k in _SELECTION_TAG:
        _sub(el, "Number_of_Activities", len(g("activities")))
        for a in g("activities"):
            _sub(el, "Activity_Id", a)
        _times(p, el, g("slots"), "Selected_Time_Slot", "Selected_Day", "Selected_Hour",
               "Number_of_Selected_Time_Slots")
        _sub(el, _SELECTION_TAG[k], g("max"))
    elif k in _TAG_BOUND:
        _tag_bound(p, el, c)
    elif k in ("ActivityEndsStudentsDay", "ActivitiesEndStudentsDay"):
        if k.startswith("Activity"):
            _sub(el, "Activity_Id", g("activity"))
        else:
            _filter(p, el, c)
    elif k in ("SubactivitiesPreferredTimeSlots", "SubactivitiesPreferredStartingTimes"):
        _sub(el, "Component_Number", g("component"))
        _filter(p, el, c)
        if k.endswith("StartingTimes"):
            _times(p, el, g("starts"), "Preferred_Starting_Time", "Preferred_Starting_Day",
                   "Preferred_Starting_Hour", "Number_of_Preferred_Starting_Times")
        else:
            _times(p, el, g("slots"), "Preferred_Time_Slot", "Preferred_Day", "Preferred_Hour",
                   "Number_of_Preferred_Time_Slots")
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
    elif k in _BUILDING_TAG:
        if g("teacher") is not None:
            _sub(el, "Teacher", p.teachers[g("teacher")])
        if g("students") is not None:
            _sub(el, "Students", g("students"))
        _sub(el, _BUILDING_TAG[k], g("bound"))
    elif k in ROOM_KINDS:
        if g("subject") is not None:
            _sub(el, "Subject", p.subjects[g("subject")])
        if g("tag") is not None:
            _sub(el, "Activity_Tag", p.tags[g("tag")])
        if g("activity") is not None:
            _sub(el, "Activity_Id", g("activity"))
        if g("teacher") is not None:
            _sub(el, "Teacher", p.teachers[g("teacher")])
        if g("students") is not None:
            _sub(el, "Students", g("students"))
        rooms = g("rooms")
        if k.endswith("Rooms"):
            _sub(el, "Number_of_Preferred_Rooms", len(rooms))
            for r in rooms:
                _sub(el, "Preferred_Room", p.rooms[r].name)
        else:
            _sub(el, "Room", p.rooms[rooms[0]].name)
            if k == "ActivityPreferredRoom":
                _sub(el, "Permanently_Locked", bool(g("locked", False)))
    # relations between activities
    elif k in ("ActivitiesNotOverlapping", "MinGapsBetweenActivities",
               "ActivitiesSameStartingHour"):
        _sub(el, "Number_of_Activities", len(g("activities")))
        for a in g("activities"):
            _sub(el, "Activity_Id", a)
        if k == "MinGapsBetweenActivities":
            _sub(el, "MinGaps", g("min_gaps"))
    elif k in ("TwoActivitiesGrouped", "ThreeActivitiesGrouped", "TwoActivitiesOrdered",
               "TwoActivitiesOrderedIfSameDay"):
        _sub(el, "First_Activity_Id", g("first"))
        _sub(el, "Second_Activity_Id", g("second"))
        if k == "ThreeActivitiesGrouped":
            _sub(el, "Third_Activity_Id", g("third"))
    elif k in _INTERVAL_KINDS:
        if g("teacher") is not None:
            _sub(el, "Teacher_Name", p.teachers[g("teacher")])
        if g("students") is not None:
            _sub(el, "Students", g("students"))
        _sub(el, "Interval_Start_Hour", p.hours[g("start")])
        # FET writes an interval running to the end of the day with an empty end hour
        _sub(el, "Interval_End_Hour", p.hours[g("end")] if g("end") < p.n_hours else "")
        _sub(el, "Max_Days_Per_Week", g("bound"))
    # rest
    elif k == "ActivitiesOccupyMaxDifferentRooms":
        _sub(el, "Number_of_Activities", len(g("activities")))
        for a in g("activities"):
            _sub(el, "Activity_Id", a)
        _sub(el, "Max_Number_of_Different_Rooms", g("max"))
    elif k in ("MaxDaysBetweenActivities", "ActivitiesSameRoomIfConsecutive"):
        _sub(el, "Number_of_Activities", len(g("activities")))
        for a in g("activities"):
            _sub(el, "Activity_Id", a)
        if k == "MaxDaysBetweenActivities":
            _sub(el, "MaxDays", g("max_days"))
    elif k in _RESTING_KINDS:
        _resting(p, el, c)
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
    "TeachersMaxHoursContinuously": "Maximum_Hours_Continuously",
    "TeacherMaxHoursContinuously": "Maximum_Hours_Continuously",
    # counts group
    "StudentsSetMaxHoursDaily": "Maximum_Hours_Daily", "StudentsMaxHoursDaily": "Maximum_Hours_Daily",
    "StudentsSetMaxHoursContinuously": "Maximum_Hours_Continuously",
    "StudentsMaxHoursContinuously": "Maximum_Hours_Continuously",
    "TeachersMaxDaysPerWeek": "Max_Days_Per_Week", "TeacherMinDaysPerWeek": "Minimum_Days_Per_Week",
    "TeachersMinDaysPerWeek": "Minimum_Days_Per_Week",
    # dayshape
    "StudentsMaxGapsPerDay": "Max_Gaps", "StudentsSetMaxGapsPerDay": "Max_Gaps",
    # rest
    "TeacherMaxSpanPerDay": "Max_Span", "TeachersMaxSpanPerDay": "Max_Span",
    "StudentsSetMaxSpanPerDay": "Max_Span", "StudentsMaxSpanPerDay": "Max_Span",
}
# dayshape
#: Activity-tag bound kinds: the tag of their bound.
_TAG_BOUND = {
    "TeacherActivityTagMaxHoursDaily": "Maximum_Hours_Daily",
    "TeachersActivityTagMaxHoursDaily": "Maximum_Hours_Daily",
    "StudentsSetActivityTagMaxHoursDaily": "Maximum_Hours_Daily",
    "StudentsActivityTagMaxHoursDaily": "Maximum_Hours_Daily",
    "TeacherActivityTagMaxHoursContinuously": "Maximum_Hours_Continuously",
    "TeachersActivityTagMaxHoursContinuously": "Maximum_Hours_Continuously",
    "StudentsSetActivityTagMaxHoursContinuously": "Maximum_Hours_Continuously",
    "StudentsActivityTagMaxHoursContinuously": "Maximum_Hours_Continuously",
}


def _tag_bound(p: FetProblem, el: ET.Element, c: FetConstraint) -> None:
    """An activity-tag bound in FET's field order: teacher kinds name the tag
    ``Activity_Tag_Name`` before the bound, students kinds the bound first and the tag
    ``Activity_Tag``."""
    if c.kind.startswith("Teacher"):
        if c.get("teacher") is not None:
            _sub(el, "Teacher_Name", p.teachers[c.get("teacher")])
        _sub(el, "Activity_Tag_Name", p.tags[c.get("tag")])
        _sub(el, _TAG_BOUND[c.kind], c.get("bound"))
    else:
        _sub(el, _TAG_BOUND[c.kind], c.get("bound"))
        if c.get("students") is not None:
            _sub(el, "Students", c.get("students"))
        _sub(el, "Activity_Tag", p.tags[c.get("tag")])


#: Interval max days kinds (counts group): days with a lesson in [start, end).
_INTERVAL_KINDS = frozenset({"TeacherIntervalMaxDaysPerWeek", "TeachersIntervalMaxDaysPerWeek",
                             "StudentsSetIntervalMaxDaysPerWeek",
                             "StudentsIntervalMaxDaysPerWeek"})
#: Building-change kinds (group rooms): the tag of their bound (FET names the teacher
#: ``Teacher`` here, not ``Teacher_Name``).
_BUILDING_TAG = {
    "TeacherMinGapsBetweenBuildingChanges": "Min_Gaps_Between_Building_Changes",
    "TeachersMinGapsBetweenBuildingChanges": "Min_Gaps_Between_Building_Changes",
    "StudentsSetMinGapsBetweenBuildingChanges": "Min_Gaps_Between_Building_Changes",
    "StudentsMinGapsBetweenBuildingChanges": "Min_Gaps_Between_Building_Changes",
    "TeacherMaxBuildingChangesPerDay": "Max_Building_Changes_Per_Day",
    "TeachersMaxBuildingChangesPerDay": "Max_Building_Changes_Per_Day",
    "StudentsSetMaxBuildingChangesPerDay": "Max_Building_Changes_Per_Day",
    "StudentsMaxBuildingChangesPerDay": "Max_Building_Changes_Per_Day",
    # rest
    "TeacherMaxBuildingChangesPerWeek": "Max_Building_Changes_Per_Week",
    "TeachersMaxBuildingChangesPerWeek": "Max_Building_Changes_Per_Week",
    "StudentsSetMaxBuildingChangesPerWeek": "Max_Building_Changes_Per_Week",
    "StudentsMaxBuildingChangesPerWeek": "Max_Building_Changes_Per_Week",
}
#: Activities-in-selected-time-slots kinds: the tag of their bound.
_SELECTION_TAG = {
    "ActivitiesOccupyMaxTimeSlotsFromSelection": "Max_Number_of_Occupied_Time_Slots",
    "ActivitiesMaxSimultaneousInSelectedTimeSlots": "Max_Number_of_Simultaneous_Activities",
}
_SPACE = frozenset({"BasicCompulsorySpace", "RoomNotAvailableTimes", "SubjectPreferredRoom",
                    "SubjectPreferredRooms", "ActivityPreferredRoom", "ActivityPreferredRooms",
                    "TeacherHomeRoom",
                    # rooms
                    *ROOM_KINDS, *_BUILDING_TAG,
                    # rest
                    "ActivitiesOccupyMaxDifferentRooms", "ActivitiesSameRoomIfConsecutive"})
# rest
#: Min resting hours kinds: rest from one day's last lesson to the next day's first.
_RESTING_KINDS = frozenset({"TeacherMinRestingHours", "TeachersMinRestingHours",
                            "StudentsSetMinRestingHours", "StudentsMinRestingHours"})


def _resting(p: FetProblem, el: ET.Element, c: FetConstraint) -> None:
    """A min resting hours rule in FET's field order: the teacher before the bound, the
    students set after it."""
    if c.get("teacher") is not None:
        _sub(el, "Teacher_Name", p.teachers[c.get("teacher")])
    _sub(el, "Minimum_Resting_Hours", c.get("bound"))
    if c.get("students") is not None:
        _sub(el, "Students", c.get("students"))
    _sub(el, "Circular", bool(c.get("circular")))


def constraint_element(p: FetProblem, c: FetConstraint) -> ET.Element:
    """One ``<Constraint…>`` element for ``c``."""
    el = ET.Element("Constraint" + c.kind)
    _sub(el, "Weight_Percentage", _w(c.weight))
    _body(p, el, c)
    _sub(el, "Active", True)
    _sub(el, "Comments", c.get("comment") or "")   # an export names the jianfu rule
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
    _sub(root, "Comments", p.comments or "written by jianfu")
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
                     source: str | Path | None = None, hard_only: bool = False) -> Path:
    """Write ``problem`` with every activity locked at ``solution``'s slot and room.

    With ``source`` (the imported file), that file is copied and the locks appended,
    after removing its own 100 % ActivityPreferredStartingTime / ActivityPreferredRoom
    records of the locked activities (the locks say the same or more), so FET judges
    the timetable against everything in the original file, modelled by jianfu or not.

    ``hard_only`` leaves out every constraint below 100 % (inactive in a copied
    ``source``): the file then asks FET whether the timetable keeps every 100 % rule.
    FET's search treats a MinDaysBetweenActivities below 100 % as the chance of
    enforcing it at each placement, so with it a locked timetable that breaks one is
    rejected again and again, and fet-cl may never place a timetable that keeps every
    100 % rule.
    """
    locks = lock_constraints(problem, solution)
    if source is None:
        if hard_only:
            problem = replace(problem, constraints=tuple(c for c in problem.constraints if c.hard))
        return _write(problem_element(problem, locks), path)
    from .fet import _load_xml  # same reader as the importer (gzip, BOM)

    root = _load_xml(source)
    if hard_only:
        _deactivate_soft(root)
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


def _deactivate_soft(root: ET.Element) -> None:
    """Mark every constraint below 100 % of a ``<fet>`` document inactive."""
    for lst in (root.find("Time_Constraints_List"), root.find("Space_Constraints_List")):
        for el in (lst if lst is not None else ()):
            if float((el.findtext("Weight_Percentage") or "100").strip()) < 100:
                active = el.find("Active")
                (active if active is not None else _sub(el, "Active")).text = "false"


# -- school → FET ------------------------------------------------------------------

def school_to_fet(school: Any, policy: Any) -> FetProblem:
    """A jianfu school as a FET problem carrying every rule FET can express:
    :func:`jianfu.instances.fet_school.school_fet` (its ``problem``), which also lists
    what FET cannot express and reads FET's timetable back."""
    from .fet_school import school_fet

    return school_fet(school, policy).problem


def write_school_fet(school: Any, policy: Any, path: str | Path) -> Path:
    """``jianfu export school.yaml --format fet``: :func:`school_to_fet` then write (the
    file's comments list what FET cannot express)."""
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
