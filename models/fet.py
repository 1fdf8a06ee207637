"""The FET problem model: what a ``.fet`` file describes, after import.

FET (Free Timetabling Software) files describe a weekly grid of days × hours,
teachers, subjects, activity tags, students as years ⊃ groups ⊃ subgroups, rooms in
buildings, activities (one teaching event each, with a duration in hours, several
teachers and students sets allowed) and constraint records, each with a
``Weight_Percentage`` (100 = must hold) and an ``Active`` flag.

:class:`FetProblem` holds that after import by :func:`jianfu.instances.fet.read_fet`:
inactive activities and constraints are gone, students sets are expanded into
subgroup indices (a constraint or activity on a year or group binds every subgroup
under it), and every constraint is a :class:`FetConstraint` record whose ``kind`` is
FET's type name without the ``Constraint`` prefix (``MinDaysBetweenActivities``).

A solution is :class:`FetSolution`: activity id → :class:`Placement` (day, hour,
room). :func:`jianfu.models.fet_core.compile_fet` compiles a problem into the generic
core (:mod:`jianfu.models.core`) that the solver reads. This module imports no solver.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError

#: Constraint kinds the importer, checker and solver support (FET type names without
#: the ``Constraint`` prefix). Any other active kind in a file is refused unless the
#: caller asks to ignore unsupported kinds.
SUPPORTED_TIME = frozenset({
    "BasicCompulsoryTime", "BreakTimes", "TeacherNotAvailableTimes",
    "StudentsSetNotAvailableTimes", "ActivityPreferredStartingTime",
    "ActivityPreferredStartingTimes", "ActivitiesPreferredStartingTimes",
    "ActivityPreferredTimeSlots", "ActivitiesPreferredTimeSlots",
    "MinDaysBetweenActivities", "ActivitiesSameStartingTime", "TwoActivitiesConsecutive",
    "TeacherMaxDaysPerWeek", "TeacherMaxHoursDaily", "TeachersMaxHoursDaily",
    "TeacherMinHoursDaily", "TeachersMinHoursDaily", "TeacherMaxGapsPerWeek",
    "TeachersMaxGapsPerWeek", "TeacherMaxGapsPerDay", "TeachersMaxGapsPerDay",
    "StudentsMaxGapsPerWeek", "StudentsSetMaxGapsPerWeek", "StudentsSetMinHoursDaily",
    "StudentsMinHoursDaily", "StudentsEarlyMaxBeginningsAtSecondHour",
    "StudentsSetEarlyMaxBeginningsAtSecondHour",
    # relations between activities
    "ActivitiesNotOverlapping", "TwoActivitiesGrouped", "ThreeActivitiesGrouped",
    "MinGapsBetweenActivities", "ActivitiesSameStartingHour", "ActivitiesSameStartingDay",
    "TwoActivitiesOrderedIfSameDay", "TwoActivitiesOrdered",
    # dayshape
    "ActivityEndsStudentsDay", "ActivitiesEndStudentsDay", "SubactivitiesPreferredTimeSlots",
    "SubactivitiesPreferredStartingTimes", "ActivitiesOccupyMaxTimeSlotsFromSelection",
    "StudentsMaxGapsPerDay", "StudentsSetMaxGapsPerDay", "TeacherActivityTagMaxHoursDaily",
    "TeachersActivityTagMaxHoursDaily", "StudentsSetActivityTagMaxHoursDaily",
    "StudentsActivityTagMaxHoursDaily", "TeacherActivityTagMaxHoursContinuously",
    "TeachersActivityTagMaxHoursContinuously", "StudentsSetActivityTagMaxHoursContinuously",
    "StudentsActivityTagMaxHoursContinuously",
    # counts group
    "StudentsSetMaxHoursDaily", "StudentsMaxHoursDaily", "TeacherMaxHoursContinuously",
    "TeachersMaxHoursContinuously", "StudentsSetMaxHoursContinuously",
    "StudentsMaxHoursContinuously", "TeachersMaxDaysPerWeek", "TeacherMinDaysPerWeek",
    "TeachersMinDaysPerWeek", "TeacherIntervalMaxDaysPerWeek", "TeachersIntervalMaxDaysPerWeek",
    "StudentsSetIntervalMaxDaysPerWeek", "StudentsIntervalMaxDaysPerWeek",
    # rest
    "ActivitiesMaxSimultaneousInSelectedTimeSlots", "TeacherMinRestingHours",
    "TeachersMinRestingHours", "StudentsSetMinRestingHours", "StudentsMinRestingHours",
    "TeacherMaxSpanPerDay", "TeachersMaxSpanPerDay", "StudentsSetMaxSpanPerDay",
    "StudentsMaxSpanPerDay", "MaxDaysBetweenActivities",
})
SUPPORTED_SPACE = frozenset({
    "BasicCompulsorySpace", "RoomNotAvailableTimes", "SubjectPreferredRoom",
    "SubjectPreferredRooms", "ActivityPreferredRoom", "ActivityPreferredRooms",
    "TeacherHomeRoom",
    # rooms
    "StudentsSetHomeRoom", "StudentsSetHomeRooms", "TeacherHomeRooms",
    "ActivityTagPreferredRoom", "ActivityTagPreferredRooms", "SubjectActivityTagPreferredRoom",
    "SubjectActivityTagPreferredRooms",
    "TeacherMinGapsBetweenBuildingChanges", "TeachersMinGapsBetweenBuildingChanges",
    "StudentsSetMinGapsBetweenBuildingChanges", "StudentsMinGapsBetweenBuildingChanges",
    "TeacherMaxBuildingChangesPerDay", "TeachersMaxBuildingChangesPerDay",
    "StudentsSetMaxBuildingChangesPerDay", "StudentsMaxBuildingChangesPerDay",
    # rest
    "ActivitiesOccupyMaxDifferentRooms", "TeacherMaxBuildingChangesPerWeek",
    "TeachersMaxBuildingChangesPerWeek", "StudentsSetMaxBuildingChangesPerWeek",
    "StudentsMaxBuildingChangesPerWeek", "ActivitiesSameRoomIfConsecutive",
})
SUPPORTED = SUPPORTED_TIME | SUPPORTED_SPACE

#: Kinds whose weight FET requires to be 100 (they define what a timetable is).
ALWAYS_HARD = frozenset({"BasicCompulsoryTime", "BasicCompulsorySpace"})


@dataclass(frozen=True, slots=True)
class FetRoom:
    """A room: name, building (``""`` for none) and capacity (students)."""

    name: str
    building: str = ""
    capacity: int = 30000


@dataclass(frozen=True, slots=True)
class FetActivity:
    """One activity (one placement in the timetable).

    ``id`` is FET's ``Id``; ``group_id`` its ``Activity_Group_Id`` (0 when not split;
    the sub-activities of a split activity share it); ``duration`` in hours;
    ``teachers``, ``tags`` are indices; ``subject`` an index; ``students`` the students
    set names as written; ``subgroups`` the expanded subgroup indices;
    ``n_students`` the number of students (for room capacity).
    """

    id: int
    duration: int
    subject: int
    teachers: tuple[int, ...] = ()
    tags: tuple[int, ...] = ()
    students: tuple[str, ...] = ()
    subgroups: tuple[int, ...] = ()
    group_id: int = 0
    n_students: int = 0

    def __post_init__(self) -> None:
        if self.duration < 1:
            raise InputError(f"activities[id={self.id}].duration", self.duration,
                             "活动时长至少为1 duration must be at least 1")


@dataclass(frozen=True, slots=True)
class FetConstraint:
    """One active constraint record.

    ``kind`` is FET's type without ``Constraint``; ``weight`` the weight percentage
    (100 = hard); ``params`` the parsed fields as ``(name, value)`` pairs (values are
    ints, strings, tuples of ints or of ``(day, hour)`` pairs, already resolved to
    indices); ``index`` its position in the file (for messages).
    """

    kind: str
    weight: float
    params: tuple[tuple[str, Any], ...] = ()
    index: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.weight <= 100:
            raise InputError(f"constraints[{self.index}].Weight_Percentage", self.weight,
                             "权重须在0到100之间 must be between 0 and 100")

    @property
    def hard(self) -> bool:
        return self.weight >= 100

    def get(self, name: str, default: Any = None) -> Any:
        for k, v in self.params:
            if k == name:
                return v
        return default


@dataclass(frozen=True, slots=True)
class FetProblem:
    """A FET timetabling problem after import (see the module docstring).

    ``students_sets`` maps every year, group and subgroup name to the subgroup
    indices under it; ``subgroups`` are the leaf names (a year without groups or a
    group without subgroups is its own subgroup). ``unsupported`` lists
    ``(kind, count)`` of active constraints not modelled (only non-empty when the
    caller chose to ignore them); ``skipped`` counts inactive activities and
    constraints left out. ``years`` keeps the hierarchy as written
    ``(year, ((group, (subgroup, ...)), ...))`` and ``set_sizes`` the
    ``Number_of_Students`` of each set, for writing the problem back; ``comments``
    the file's ``<Comments>`` to write (an export says there what it carries).
    """

    name: str
    days: tuple[str, ...]
    hours: tuple[str, ...]
    teachers: tuple[str, ...]
    subjects: tuple[str, ...]
    tags: tuple[str, ...]
    subgroups: tuple[str, ...]
    students_sets: Mapping[str, tuple[int, ...]]
    activities: tuple[FetActivity, ...]
    rooms: tuple[FetRoom, ...] = ()
    buildings: tuple[str, ...] = ()
    constraints: tuple[FetConstraint, ...] = ()
    unsupported: tuple[tuple[str, int], ...] = ()
    skipped: tuple[tuple[str, int], ...] = ()
    years: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = ()
    set_sizes: Mapping[str, int] = field(default_factory=dict, compare=False)
    comments: str = field(default="", compare=False)   # the file's <Comments>, for writing
    _by_id: dict[int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {})
        if not self.days or not self.hours:
            raise InputError("Days_List/Hours_List", len(self.days) * len(self.hours),
                             "至少需要一天一节 need at least one day and one hour")
        for i, a in enumerate(self.activities):
            if a.id in self._by_id:
                raise InputError(f"activities[{i}].Id", a.id, "活动编号重复 duplicate activity id")
            self._by_id[a.id] = i
            if a.duration > len(self.hours):
                raise InputError(f"activities[id={a.id}].Duration", a.duration,
                                 f"longer than a day of {len(self.hours)} hours 超过每天节数")

    @property
    def n_days(self) -> int:
        return len(self.days)

    @property
    def n_hours(self) -> int:
        return len(self.hours)

    def activity(self, activity_id: int) -> FetActivity:
        return self.activities[self._by_id[activity_id]]

    def index_of(self, activity_id: int) -> int:
        return self._by_id[activity_id]

    def has_activity(self, activity_id: int) -> bool:
        return activity_id in self._by_id

    def of_kind(self, *kinds: str) -> tuple[FetConstraint, ...]:
        return tuple(c for c in self.constraints if c.kind in kinds)


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an activity is: 0-based day and starting hour, room index or ``None``."""

    day: int
    hour: int
    room: int | None = None


@dataclass(frozen=True, slots=True)
class FetSolution:
    """A timetable of a :class:`FetProblem`: activity id → :class:`Placement`."""

    placements: Mapping[int, Placement]

    def __len__(self) -> int:
        return len(self.placements)


#: Kinds that name an activity's preferred room(s). FET treats them alike: no kind
#: takes precedence over another; an activity keeps each one that binds it.
PREFERRED_ROOM_KINDS = ("SubjectPreferredRoom", "SubjectPreferredRooms", "ActivityPreferredRoom",
                        "ActivityPreferredRooms",
                        # rooms
                        "ActivityTagPreferredRoom", "ActivityTagPreferredRooms",
                        "SubjectActivityTagPreferredRoom", "SubjectActivityTagPreferredRooms")
#: Kinds that name a home room: they give way to preferred rooms (:func:`room_rules`).
HOME_ROOM_KINDS = ("TeacherHomeRoom",
                   # rooms
                   "TeacherHomeRooms", "StudentsSetHomeRoom", "StudentsSetHomeRooms")
#: Kinds that restrict an activity's room to a set (:func:`room_targets`, :func:`room_rules`).
ROOM_KINDS = frozenset({*PREFERRED_ROOM_KINDS, *HOME_ROOM_KINDS})
#: Kinds that bound a teacher's or subgroup's moves between the rooms' buildings.
BUILDING_KINDS = (
    # rooms
    "TeacherMinGapsBetweenBuildingChanges", "TeachersMinGapsBetweenBuildingChanges",
    "StudentsSetMinGapsBetweenBuildingChanges", "StudentsMinGapsBetweenBuildingChanges",
    "TeacherMaxBuildingChangesPerDay", "TeachersMaxBuildingChangesPerDay",
    "StudentsSetMaxBuildingChangesPerDay", "StudentsMaxBuildingChangesPerDay",
    # rest
    "TeacherMaxBuildingChangesPerWeek", "TeachersMaxBuildingChangesPerWeek",
    "StudentsSetMaxBuildingChangesPerWeek", "StudentsMaxBuildingChangesPerWeek")


def room_rules(problem: FetProblem) -> dict[int, list[tuple[frozenset[int], int]]]:
    """The room rules binding each activity: index → ``[(rooms that keep it, k)]``.

    ``k`` is the rule's position in ``problem.constraints`` (so also the core record
    ``k`` of :func:`jianfu.models.fet_core.compile_fet`). The checker and the solver
    both read the rules from here, so both apply FET's precedence:

    - a preferred-room rule (:data:`PREFERRED_ROOM_KINDS`: SubjectPreferredRoom(s) on
      the subject's activities, ActivityPreferredRoom(s) on the activity,
      ActivityTagPreferredRoom(s) on the activities with the tag,
      SubjectActivityTagPreferredRoom(s) on those of the subject with the tag) is
      kept in its rooms. FET gives none of these kinds precedence over another: it
      intersects the 100 % ones and lists the others (``generate_pre.cpp``), so an
      activity bound by several keeps each;
    - a home-room rule (:data:`HOME_ROOM_KINDS`: TeacherHomeRoom(s) on the activities
      whose only teacher is that teacher, StudentsSetHomeRoom(s) on those whose only
      students set, as written, is that set) gives way to them: it is kept in its
      home room(s) *or* in any room the activity's preferred-room rules name
      (:func:`preferred_rooms`). FET 6.8.5 looks for a home room only when the
      preferred-room rules leave the activity free (``Generate::getRoom``) and does
      not count a home room broken in a preferred room (``ConstraintTeacherHomeRoom::
      fitness``, the same in the other three); fet-cl puts an activity with a 100 %
      home room R1 and a 100 % subject room R2 in R2
      (``tests/instances/data/fet/home_vs_subject_room.fet``). So a 100 % home room
      never conflicts with a 100 % preferred room, and an activity with no
      preferred-room rule must be in its home room. A teacher's and a students set's
      home rooms on one activity are each kept (FET looks for a room in both, the
      intersection of their rooms).

    No room (``None``) keeps no rule. Rules are listed in file order.
    """
    prefs: dict[int, list[tuple[frozenset[int], float]]] = {}
    homes: list[tuple[int, frozenset[int], int]] = []
    out: dict[int, list[tuple[frozenset[int], int]]] = {}
    for k, c in enumerate(problem.constraints):
        if c.kind not in ROOM_KINDS:
            continue
        rooms = frozenset(c.get("rooms", ()))
        for i in room_targets(problem, c):
            if c.kind in PREFERRED_ROOM_KINDS:
                prefs.setdefault(i, []).append((rooms, c.weight))
                out.setdefault(i, []).append((rooms, k))
            else:
                homes.append((i, rooms, k))
    for i, rooms, k in homes:
        out.setdefault(i, []).append((rooms | preferred_rooms(prefs.get(i, [])), k))
    for rules in out.values():
        rules.sort(key=lambda rule: rule[1])
    return out


def preferred_rooms(prefs: list[tuple[frozenset[int], float]]) -> frozenset[int]:
    """The rooms an activity's preferred-room rules ``(rooms, weight)`` name, as FET
    lists them for its home-room test: the rooms of each rule below 100 % and the
    rooms every 100 % rule allows."""
    hard = [rooms for rooms, w in prefs if w >= 100]
    meet = frozenset.intersection(*hard) if hard else frozenset()
    return meet.union(*(rooms for rooms, w in prefs if w < 100))


def room_targets(problem: FetProblem, c: FetConstraint) -> list[int]:
    """Indices of the activities a room rule (one of :data:`ROOM_KINDS`) binds.

    By id (Activity*), else every activity matching each field the rule names: its
    subject, a tag among the activity's, the activity's only teacher, the activity's
    only students set (home rooms: FET compares the names as written).
    """
    if c.get("activity") is not None:
        aid = c.get("activity")
        return [problem.index_of(aid)] if problem.has_activity(aid) else []
    subject, tag, teacher, students = (c.get("subject"), c.get("tag"), c.get("teacher"),
                                       c.get("students"))
    return [i for i, a in enumerate(problem.activities)
            if (subject is None or a.subject == subject) and (tag is None or tag in a.tags)
            and (teacher is None or a.teachers == (teacher,))
            and (students is None or a.students == (students,))]


def break_slots(problem: FetProblem) -> frozenset[tuple[int, int]]:
    """(day, hour) pairs of active 100 % BreakTimes (no activity may occupy them)."""
    return frozenset(s for c in problem.of_kind("BreakTimes") if c.hard for s in c.get("slots", ()))


def matches_filter(problem: FetProblem, a: FetActivity, c: FetConstraint) -> bool:
    """Whether activity ``a`` matches an Activities* / Subactivities* constraint's filter
    (FET's rule).

    Empty filter fields match everything; the teacher must be among the activity's
    teachers, the students set must share students with the activity's (FET's
    ``setsShareStudents``: a filter on group 10 binds an activity of 10A and 10B), the
    subject equal, the tag among its tags and the duration equal. A Subactivities*
    rule's ``component`` K also asks that ``a`` be the K-th part of its split
    activity (:func:`component`).
    """
    t, s, subj, tag, dur, k = (c.get("teacher"), c.get("students"), c.get("subject"),
                               c.get("tag"), c.get("duration"), c.get("component"))
    return ((t is None or t in a.teachers)
            and (s is None or not set(problem.students_sets.get(s, ())).isdisjoint(a.subgroups))
            and (subj is None or subj == a.subject) and (tag is None or tag in a.tags)
            and (dur is None or dur == a.duration) and (k is None or k == component(a)))


def component(a: FetActivity) -> int:
    """Which part of its split activity ``a`` is, counting from 1 (FET's rule).

    FET numbers the parts by id: the part with id ``Activity_Group_Id + K − 1`` is
    the K-th (the group id is the first part's id), whatever their order in the file;
    an activity that is not split is its own first part.
    """
    return 1 if a.group_id == 0 else a.id - a.group_id + 1


def follows(breaks: frozenset[tuple[int, int]], day: int, end: int, start: int) -> bool:
    """Whether something starting at ``start`` follows something ending at ``end``.

    FET's "consecutive": same day, and every hour between is a break hour (a break
    between two lessons does not separate them).
    """
    return start >= end and all((day, h) in breaks for h in range(end, start))
