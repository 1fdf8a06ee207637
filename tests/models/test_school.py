"""School model: validation errors name field and value; derived day facts."""

from __future__ import annotations

import pytest

from jianfu.models.errors import InputError
from jianfu.models.policy import parse_clock
from jianfu.models.school import (
    BellSchedule, DaySchedule, Requirement, School, SchoolClass, Segment, SegmentKind, Subject,
    Teacher, Unavailable, Venue,
)

from builders import make_day, make_schedule, mini_school

K = SegmentKind


def seg(kind, start, end):
    return Segment(kind, parse_clock(start), parse_clock(end))


def test_default_day_facts():
    day = make_day()
    assert len(day.periods) == 6
    # P1–P2 break: joined; P2|long break|P3; P3–P4 break; P4|lunch|P5; P5–P6; last False
    assert day.joined == (True, False, True, False, True, False)
    assert day.afternoon == (False, False, False, False, True, True)
    assert day.after_lunch == (False, False, False, False, True, False)
    assert day.lunch is not None and day.activity is not None
    assert len(day.of_kind(K.LONG_BREAK)) == 1


def test_eye_exercise_joins_but_long_break_and_lunch_do_not():
    day = DaySchedule((
        seg(K.LESSON, "08:30", "09:10"), seg(K.EYE, "09:10", "09:15"),
        seg(K.BREAK, "09:15", "09:25"),
        seg(K.LESSON, "09:25", "10:05"), seg(K.LONG_BREAK, "10:05", "10:35"),
        seg(K.LESSON, "10:35", "11:15"), seg(K.LUNCH, "11:15", "13:30"),
        seg(K.LESSON, "13:30", "14:10"), seg(K.SELF_STUDY, "14:10", "14:30"),
        seg(K.LESSON, "14:30", "15:10"),
    ))
    assert day.joined == (True, False, False, False, False)
    assert day.afternoon == (False, False, False, True, True)
    assert day.after_lunch == (False, False, False, True, False)


def test_without_lunch_noon_splits_the_day():
    day = make_day(lunch_after=None)     # P5 starts 12:10
    assert day.afternoon == (False, False, False, False, True, True)
    assert day.after_lunch == (False, False, False, False, True, False)
    assert day.lunch is None


def test_overlapping_segments_are_refused():
    with pytest.raises(InputError) as err:
        DaySchedule((seg(K.LESSON, "08:00", "08:40"), seg(K.BREAK, "08:30", "08:50")))
    assert err.value.where == "segments[1]" and "08:30" in str(err.value)


def test_segment_must_end_after_start():
    with pytest.raises(InputError) as err:
        seg(K.LESSON, "09:00", "08:00")
    assert err.value.where == "end" and err.value.value == "08:00"


def test_bad_entity_values():
    with pytest.raises(InputError, match="grade"):
        SchoolClass("十年级1班", 10)
    with pytest.raises(InputError) as err:
        Venue("操场", "ground", 0)
    assert err.value.where == "capacity" and err.value.value == 0
    with pytest.raises(InputError, match="max_periods_per_day"):
        Teacher("王芳", max_periods_per_day=0)
    with pytest.raises(InputError, match="periods"):
        Requirement(0, 0, 0, 0)


def test_doubles_more_than_half_the_periods():
    Requirement(0, 0, 0, 4, doubles=2)
    with pytest.raises(InputError) as err:
        Requirement(0, 0, 0, 5, doubles=3)
    assert err.value.where == "doubles" and err.value.value == 3 and "0..2" in str(err.value)


def _school(**changes):
    kwargs = dict(
        name="测试学校", days=("周一", "周二"), schedules=(make_schedule(days=2),),
        subjects=(Subject("语文"), Subject("体育", venue_kind="ground")),
        classes=(SchoolClass("一年级1班", 1), SchoolClass("一年级2班", 1)),
        teachers=(Teacher("王芳"), Teacher("李强")),
        venues=(Venue("操场", "ground", 2),),
        requirements=(Requirement(0, 0, 0, 4), Requirement(1, 1, 1, 2)),
    )
    kwargs.update(changes)
    return School(**kwargs)


def test_valid_school_and_lookups():
    s = _school()
    assert s.class_index["一年级2班"] == 1 and s.teacher_index["李强"] == 1
    assert s.requirements_of_class == ((0,), (1,))
    assert s.requirements_of_teacher == ((0,), (1,))
    assert s.usable_periods(0, 0) == 6 and s.grades == (1,)
    assert s.venue_kind(s.requirements[1]) == "ground" and s.venues_of_kind("ground") == (0,)


@pytest.mark.parametrize("changes, where, value", [
    (dict(classes=(SchoolClass("一年级1班", 1), SchoolClass("一年级1班", 2))),
     "classes[1].name", "一年级1班"),
    (dict(teachers=(Teacher("王芳"), Teacher("王芳"))), "teachers[1].name", "王芳"),
    (dict(days=("周一", "周一")), "days[1].name", "周一"),
    (dict(requirements=(Requirement(5, 0, 0, 4),)), "requirements[0].class", 5),
    (dict(requirements=(Requirement(0, 9, 0, 4),)), "requirements[0].subject", 9),
    (dict(requirements=(Requirement(0, 0, 7, 4),)), "requirements[0].teacher", 7),
    (dict(requirements=(Requirement(0, 0, 0, 4), Requirement(0, 0, 1, 2))),
     "requirements[1]", "一年级1班/语文"),
    (dict(classes=(SchoolClass("一年级1班", 1, schedule=3),)), "classes[0].schedule", 3),
    (dict(classes=(SchoolClass("一年级1班", 1, periods_per_day=(5, 7)),)),
     "classes[0].periods_per_day[1]", 7),
    (dict(classes=(SchoolClass("一年级1班", 1, periods_per_day=(5,)),)),
     "classes[0].periods_per_day", [5]),
    (dict(teachers=(Teacher("王芳", unavailable=(Unavailable(4, 480, 500),)), Teacher("李强"))),
     "teachers[0].unavailable[0].day", 4),
    (dict(teachers=(Teacher("王芳", subjects=(1,)), Teacher("李强"))),
     "requirements[0].teacher", "王芳"),
    (dict(venues=()), "requirements[1].venue", "ground"),
    (dict(schedules=(BellSchedule("作息", (make_day(),)),)), "schedules[0].days", 1),
])
def test_school_errors_name_field_and_value(changes, where, value):
    with pytest.raises(InputError) as err:
        _school(**changes)
    assert err.value.where == where
    assert err.value.value == value


def test_periods_per_day_is_the_day_shape():
    s = mini_school([("一年级1班", 1, 0, (5, 4))], [("一年级1班", "语文", "王芳", 4)])
    assert s.usable_periods(0, 0) == 5 and s.usable_periods(0, 1) == 4
    assert SchoolClass("七年级1班", 7).stage == "junior"
