"""Schools whose bells differ by day or by class, for the per-day rows of the grids."""

from __future__ import annotations

import dataclasses

from jianfu.instances.views import example_day, example_school, example_timetable
from jianfu.models.school import BellSchedule, DaySchedule, Segment, SegmentKind
from jianfu.models.timetable import Session, Timetable


def _clock(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def early_friday() -> DaySchedule:
    """The example day with an earlier afternoon: 课外体育活动 15:30–16:00, 课后服务 16:00–17:00
    (Monday to Thursday: 15:40–16:40 and 16:40–17:40)."""
    kept = [s for s in example_day().segments
            if s.kind not in (SegmentKind.ACTIVITY, SegmentKind.AFTER_SCHOOL)]
    return DaySchedule(tuple(kept) + (
        Segment(SegmentKind.ACTIVITY, _clock("15:30"), _clock("16:00")),
        Segment(SegmentKind.AFTER_SCHOOL, _clock("16:00"), _clock("17:00"))))


def friday_school():
    """The example school (三(1)班, 三(2)班) whose Friday ends earlier, and its timetable."""
    school = example_school()
    week = BellSchedule("小学作息", (example_day(),) * 4 + (early_friday(),))
    school = dataclasses.replace(school, schedules=(week,))
    return school, example_timetable(school)


def two_bell_school():
    """三(1)班 on the example bell, 三(2)班 on a later one (activity 16:25–16:55); both use
    the one ground (capacity 3) for the activity every day."""
    school = example_school()
    later = DaySchedule(tuple(
        dataclasses.replace(s, start=_clock("16:25"), end=_clock("16:55"))
        if s.kind is SegmentKind.ACTIVITY else
        dataclasses.replace(s, start=_clock("16:55"), end=_clock("17:55"))
        if s.kind is SegmentKind.AFTER_SCHOOL else s
        for s in example_day().segments))
    schedules = (school.schedules[0], BellSchedule("中学作息", (later,) * 5))
    classes = (school.classes[0], dataclasses.replace(school.classes[1], schedule=1))
    school = dataclasses.replace(school, schedules=schedules, classes=classes)
    tt = example_timetable(school)
    ground = school.venue_index["操场"]
    sessions = tuple(Session(c, d, ground) for c in range(2) for d in range(5))
    return school, Timetable(tt.lessons, sessions)
