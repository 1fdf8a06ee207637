"""School model: validation errors name field and value; derived day facts."""

from __future__ import annotations

import dataclasses

import pytest

from jianfu.models.errors import InputError
from jianfu.models.policy import parse_clock
from jianfu.models.school import (
    CLASS_MEETING, BellSchedule, DaySchedule, Half, Meeting, Requirement, School, SchoolClass,
    Segment, SegmentKind, Subject, Teacher, Unavailable, Venue,
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


# --- meetings (教研活动, 行政会) -------------------------------------------------------------

def _meeting_school(*meetings):
    """Two schedules (primary lunch 12:00–14:00, junior 11:50–13:50); 王芳 teaches 语文 in
    the primary class, 周杰 语文 in the junior one, 赵丽 lists 语文 but has no class."""
    junior = make_schedule("初中", start="08:00", length=45)
    s = mini_school([("一班", 1, 0), ("七班", 7, 1)],
                    [("一班", "语文", "王芳", 4), ("七班", "语文", "周杰", 4),
                     ("一班", "数学", "李强", 4), ("七班", "数学", "李强", 4)],
                    schedules=(make_schedule("小学"), junior),
                    teachers=(Teacher("王芳"), Teacher("周杰"), Teacher("李强"),
                              Teacher("赵丽", subjects=(0,)), Teacher("校长")))
    return dataclasses.replace(s, meetings=tuple(meetings))


def test_meeting_members_are_the_subject_group_and_the_named_teachers():
    s = _meeting_school(Meeting("语文组教研", 1, subjects=(0,), half=Half.AFTERNOON),
                        Meeting("行政会", 0, teachers=(4, 2), start=parse_clock("15:40"),
                                end=parse_clock("17:00")))
    names = [[s.teachers[t].name for t in m] for m in s.meeting_members]
    assert names == [["王芳", "周杰", "赵丽"], ["李强", "校长"]]
    # 下午 in each member's own schedule: the primary lunch ends 14:00, the junior 13:50
    wang, zhou = s.teacher_index["王芳"], s.teacher_index["周杰"]
    assert s.meeting_times[wang] == ((0, Unavailable(1, 14 * 60, 24 * 60)),)
    assert s.meeting_times[zhou] == ((0, Unavailable(1, 13 * 60 + 50, 24 * 60)),)
    assert s.unavailable_of(s.teacher_index["李强"]) == (Unavailable(0, 940, 1020),)
    assert s.meeting_times[s.teacher_index["校长"]] == ((1, Unavailable(0, 940, 1020)),)


def test_meeting_half_days_and_the_school_without_meetings():
    day = make_day()
    assert Half.MORNING.stretch(2, day) == Unavailable(2, 0, 12 * 60)
    assert Half.DAY.stretch(2, day) == Unavailable(2, 0, 24 * 60)
    s = _meeting_school()
    assert s.meeting_members == () and all(t == () for t in s.meeting_times)
    assert s.unavailable_of(0) == ()


@pytest.mark.parametrize("kwargs,where", [
    (dict(name="", day=0, teachers=(0,), half=Half.DAY), "name"),
    (dict(name="会", day=0, teachers=(0,)), "half"),
    (dict(name="会", day=0, teachers=(0,), half=Half.DAY, start=600, end=700), "half"),
    (dict(name="会", day=0, teachers=(0,), half="afternoon"), "half"),
    (dict(name="会", day=0, teachers=(0,), start=700, end=600), "end"),
    (dict(name="会", day=0, half=Half.DAY), "teachers"),
])
def test_bad_meeting_is_refused_naming_the_field(kwargs, where):
    with pytest.raises(InputError) as err:
        Meeting(**kwargs)
    assert err.value.where == where


@pytest.mark.parametrize("meeting,where,value", [
    (Meeting("会", 5, teachers=(0,), half=Half.DAY), "meetings[0].day", 5),
    (Meeting("会", 0, teachers=(9,), half=Half.DAY), "meetings[0].teachers[0]", 9),
    (Meeting("会", 0, subjects=(3,), half=Half.DAY), "meetings[0].subject", "音乐"),
])
def test_meeting_school_errors_name_field_and_value(meeting, where, value):
    with pytest.raises(InputError) as err:
        _meeting_school(meeting)
    assert err.value.where == where and err.value.value == value


# --- 班主任 (head teacher) and 班会 -----------------------------------------------------------

def _class_meeting_school(head, teacher):
    """一年级1班 with 班主任 ``head`` and its 班会 taught by ``teacher`` (indices)."""
    return _school(
        subjects=(Subject("语文"), Subject("体育", venue_kind="ground"), Subject(CLASS_MEETING)),
        classes=(SchoolClass("一年级1班", 1, head_teacher=head), SchoolClass("一年级2班", 1)),
        requirements=(Requirement(0, 0, 0, 4), Requirement(1, 1, 1, 2),
                      Requirement(0, 2, teacher, 1)))


def test_head_teacher_is_an_optional_teacher_index():
    s = _school(classes=(SchoolClass("一年级1班", 1, head_teacher=1), SchoolClass("一年级2班", 1)))
    assert [c.head_teacher for c in s.classes] == [1, None]
    for bad in (2, True, -1):
        with pytest.raises(InputError) as err:
            _school(classes=(SchoolClass("一年级1班", 1, head_teacher=bad),))
        assert err.value.where == "classes[0].head_teacher" and err.value.value == bad


def test_class_meeting_is_refused_unless_the_head_teacher_teaches_it():
    assert _class_meeting_school(0, 0).requirements[2].teacher == 0
    assert _class_meeting_school(None, 1).classes[0].head_teacher is None   # no 班主任 named
    with pytest.raises(InputError) as err:
        _class_meeting_school(0, 1)
    assert err.value.where == "requirements[2].teacher" and err.value.value == "李强"
    assert "班主任 王芳" in err.value.problem and "head_teacher_meeting" in err.value.problem


# --- fixed and forbidden periods (固定, 禁排) -----------------------------------------

def _slotted(s, **changes):
    return dataclasses.replace(s, requirements=(
        dataclasses.replace(s.requirements[0], **changes),) + s.requirements[1:])


def test_slot_specs_resolve_per_class_and_day():
    from jianfu.models.school import Half, SlotSpec

    s = mini_school([("一班", 1, 0, (4, 6))], [("一班", "语文", "王芳", 6)])
    s = _slotted(s, fixed=(SlotSpec(0, 0), SlotSpec(None, 0, Half.AFTERNOON)),
                 forbidden=(SlotSpec(last=True), SlotSpec(None, 1, Half.MORNING)))
    # Monday's 4 periods have no afternoon: 下午第1节 is Tuesday P5 only
    assert s.fixed_periods == (((0, 0), (1, 4)),)
    assert s.forbidden_periods == (frozenset({(0, 3), (1, 5), (0, 1), (1, 1)}),)
    assert SlotSpec(4, None, Half.AFTERNOON).text(("一", "二", "三", "四", "周五")) == "周五下午"
    assert SlotSpec(None, 0, Half.AFTERNOON).text(()) == "下午第1节"


@pytest.mark.parametrize("spec,problem", [
    (dict(period=-1), "a period number"),
    (dict(last=True, period=2), "最后一节"),
    (dict(), "names every period"),
])
def test_a_bad_slot_spec_is_refused(spec, problem):
    from jianfu.models.school import SlotSpec

    with pytest.raises(InputError, match=problem):
        SlotSpec(**spec)


def test_fixed_periods_that_no_timetable_could_mean_are_refused():
    from jianfu.models.school import SlotSpec

    s = mini_school([("一班", 1, 0, (4, 6))],
                    [("一班", "语文", "王芳", 2), ("一班", "数学", "李明", 2)])
    with pytest.raises(InputError) as err:                  # Monday has 4 periods
        _slotted(s, fixed=(SlotSpec(0, 4),))
    assert err.value.where == "requirements[0].fixed[0]" and err.value.value == "周一第5节"
    with pytest.raises(InputError, match="more fixed periods than the 2 lessons"):
        _slotted(s, fixed=(SlotSpec(None, 0),) + (SlotSpec(0, 1),))
    with pytest.raises(InputError, match="is also a forbidden period of 语文"):
        _slotted(s, fixed=(SlotSpec(0, 0),), forbidden=(SlotSpec(0),))
    with pytest.raises(InputError, match=r"requirements\[0\]\.fixed\[0\]\.day"):
        _slotted(s, fixed=(SlotSpec(7, 0),))
    with pytest.raises(InputError, match="has 语文 fixed in that period already"):
        dataclasses.replace(s, requirements=tuple(
            dataclasses.replace(q, fixed=(SlotSpec(1, 2),)) for q in s.requirements))


def test_a_wish_is_validated_when_built():
    from jianfu.models.school import Teacher, Unavailable, Wish

    monday = Unavailable(0, 0, 24 * 60)
    for bad, where in [(dict(weight=0, period=0), "weight"), (dict(weight=101, period=0), "weight"),
                       (dict(), "avoid"), (dict(period=0, stretch=monday), "avoid"),
                       (dict(period=-1), "period"), (dict(prefer=True, period=0), "prefer"),
                       (dict(stretch=monday, day=1), "day")]:
        with pytest.raises(InputError) as err:
            Wish(**bad)
        assert err.value.where == where, bad
    wish = Wish(False, 2, period=0)
    assert wish.days(5) == (0, 1, 2, 3, 4) and wish.against(3, 0, 510, 550)
    assert not wish.against(3, 1, 560, 600)
    prefer = Wish(True, 1, stretch=Unavailable(1, 0, 12 * 60))
    assert prefer.against(1, 4, 14 * 60, 14 * 60 + 40) and not prefer.against(1, 0, 510, 550)
    assert not prefer.against(0, 4, 14 * 60, 14 * 60 + 40)   # only its own day
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 2)])
    with pytest.raises(InputError) as err:
        dataclasses.replace(s, teachers=(Teacher("王芳", wishes=(Wish(period=0, day=7),)),))
    assert err.value.where == "teachers[0].wishes[0].day"


def test_combined_lesson_members_are_checked_and_share_one_venue_kind():
    from jianfu.models.school import Combined

    s = mini_school([("一班", 1), ("二班", 1), ("三班", 2)],
                    [("一班", "体育", "张伟", 2), ("二班", "体育", "张伟", 2), ("三班", "体育", "张伟", 3),
                     ("二班", "语文", "赵丽", 2), ("三班", "数学", "赵丽", 2), ("一班", "音乐", "张伟", 2)],
                    teachers=["张伟", "赵丽"])
    zhang, zhao = s.teacher_index["张伟"], s.teacher_index["赵丽"]
    both = dataclasses.replace(s, combined=(Combined("体育", (0, 1), zhang),
                                            Combined("复式", (3, 4), zhao, "music")))
    assert both.combined_of == {(0, 2): 0, (1, 2): 0, (1, 0): 1, (2, 1): 1}
    assert both.venue_kind(both.requirements[3]) == "music"   # the lesson's kind for all
    assert both.combined_lead(0, 2) and not both.combined_lead(1, 2) and both.combined_lead(2, 2)
    for combined, where in (((Combined("x", (0, 2), zhang),), "combined[0].members[1]"),   # periods
                            ((Combined("x", (0, 3), zhang),), "combined[0].members[1]"),   # teacher
                            ((Combined("x", (0, 5), zhang),), "combined[0].members[1]"),   # class
                            ((Combined("x", (0, 1), zhang), Combined("y", (1, 2), zhang)),
                             "combined[1].members[0]"),
                            ((Combined("x", (0, 9), zhang),), "combined[0].members[1]"),
                            ((Combined("x", (0, 1), zhang, "lab"),), "combined[0].venue_kind")):
        with pytest.raises(InputError) as info:
            dataclasses.replace(s, combined=combined)
        assert info.value.where == where, (combined, info.value)
    with pytest.raises(InputError):
        Combined("x", (0,), zhang)


def test_alternating_slots_are_checked_when_the_school_is_built():
    from jianfu.models.school import Alternate, Split, SplitGroup

    s = mini_school([("一班", 3), ("二班", 3)],
                    [("一班", "科学", "赵磊", 1.5), ("一班", "美术", "孙丽", 0.5),
                     ("一班", "体育", "张伟", 2), ("一班", "音乐", "陈静", 1), ("二班", "科学", "赵磊", 2)],
                    alternates=[("一班", "科学", "美术")])
    science, art = s.requirements[0], s.requirements[1]
    assert (science.periods, science.biweekly, art.periods, art.biweekly) == (1, 1, 0, 1)
    assert s.alternate_count[:2] == ((1, 0), (0, 1)) and s.alternates_of_class == ((0,), ())
    assert [s.class_week_periods(0, w) for w in (None, 1, 2)] == [4, 5, 5]

    def refused(alternates, where, words, school=s):
        """``school`` with ``alternates``, each requirement's biweekly the sides naming it."""
        reqs = tuple(dataclasses.replace(r, biweekly=sum(q in (k.odd, k.even) for k in alternates))
                     for q, r in enumerate(school.requirements))
        with pytest.raises(InputError) as info:
            dataclasses.replace(school, requirements=reqs, alternates=alternates)
        assert info.value.where == where and words in str(info.value), info.value

    with pytest.raises(InputError, match=r"requirements\[0\].biweekly: 1: .* 0 次"):
        dataclasses.replace(s, alternates=(Alternate(0, None, 1),))
    refused((Alternate(0, 2, 1),), "alternates[0].odd", "daily physical activity")   # PE
    refused((Alternate(0, 4, 1),), "alternates[0].odd", "another class")
    grounded = dataclasses.replace(s, requirements=(dataclasses.replace(
        science, venue_kind="ground"),) + s.requirements[1:])
    refused((Alternate(0, 3, 0), Alternate(0, None, 1)), "alternates[0]",
            "different venue kinds", grounded)   # music and the ground
    music = s.subject_index["音乐"]
    split = dataclasses.replace(s, splits=(Split(3, (SplitGroup("A", music, 3),
                                                     SplitGroup("B", music, 0))),))
    refused((Alternate(0, 0, 1), Alternate(0, 3, None)), "alternates[1].odd", "split lesson",
            split)
    with pytest.raises(InputError, match="give odd, even or both"):
        Alternate(0)
    with pytest.raises(InputError, match="weekly period"):
        Alternate(0, 1, 1)
    with pytest.raises(InputError, match="0 only with lessons every other week"):
        Requirement(0, 0, 0, 0)
    with pytest.raises(InputError, match="held every week"):
        Requirement(0, 0, 0, 1, doubles=1, biweekly=1)
