"""Small schools and hand-made timetables for the homework tests (no engine needed).

Imported by the other homework test modules; its own tests check the builder.
"""

from __future__ import annotations

from jianfu.instances.curriculum import SUBJECTS, weekly_periods
from jianfu.models.policy import load_policy
from jianfu.models.school import (BellSchedule, DaySchedule, Requirement, School, SchoolClass,
                                  Segment, SegmentKind, Teacher, Venue)
from jianfu.models.timetable import Lesson, Timetable

DAYS = ("周一", "周二", "周三", "周四", "周五")
VENUE_KINDS = sorted({s.venue_kind for s in SUBJECTS if s.venue_kind})


def _day(periods: int = 7) -> DaySchedule:
    segs = []
    t = 8 * 60 + 20
    for p in range(periods):
        segs.append(Segment(SegmentKind.LESSON, t, t + 40))
        t += 40
        if p == 1:
            segs.append(Segment(SegmentKind.LONG_BREAK, t, t + 30))
            t += 30
        elif p == 3:
            segs.append(Segment(SegmentKind.LUNCH, t, t + 120))
            t += 120
        elif p < periods - 1:
            segs.append(Segment(SegmentKind.BREAK, t, t + 10))
            t += 10
    return DaySchedule(tuple(segs))


def mini_school(grades: tuple[int, ...] = (3, 3, 7), profile: str = "national",
                overrides: tuple = ()) -> School:
    """Classes of the given grades with the national curriculum, one teacher each."""
    policy = load_policy(profile)
    classes = []
    counter: dict[int, int] = {}
    for g in grades:
        counter[g] = counter.get(g, 0) + 1
        classes.append(SchoolClass(f"{g}年级{counter[g]}班", g))
    index = {s.name: i for i, s in enumerate(SUBJECTS)}
    teachers = tuple(Teacher(f"老师{i + 1}") for i in range(len(classes)))
    reqs = []
    for c, sc in enumerate(classes):
        for name, periods in weekly_periods(sc.grade, policy).items():
            reqs.append(Requirement(c, index[name], c, periods))
    return School(
        name="小测试学校", days=DAYS, schedules=(BellSchedule("默认", tuple(_day() for _ in DAYS)),),
        subjects=SUBJECTS, classes=tuple(classes), teachers=teachers,
        venues=tuple(Venue(k, k, 10) for k in VENUE_KINDS), requirements=tuple(reqs), profile=profile, policy_overrides=overrides)


def round_robin(school: School, offsets: dict[int, int] | None = None) -> Timetable:
    """A timetable spreading each subject's periods over consecutive days (mod 5)."""
    offsets = offsets or {}
    lessons = []
    for c in range(len(school.classes)):
        used = [0] * len(school.days)
        i = offsets.get(c, 0)
        for r in sorted((school.requirements[k] for k in school.requirements_of_class[c]),
                        key=lambda r: r.subject):
            for _ in range(r.periods):
                d = i % len(school.days)
                lessons.append(Lesson(c, d, used[d], r.subject, r.teacher))
                used[d] += 1
                i += 1
    return Timetable(tuple(lessons))


def test_round_robin_covers_every_requirement() -> None:
    school = mini_school((1, 5, 9))
    tt = round_robin(school, {1: 2})
    for r in school.requirements:
        n = sum(1 for x in tt.lessons if x.cls == r.cls and x.subject == r.subject)
        assert n == r.periods
    assert len(tt.by_class_slot) == len(tt.lessons)      # no class has two lessons at once
    assert max(x.period for x in tt.lessons) < 7
