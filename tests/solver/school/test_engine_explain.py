"""Infeasible schools get sentences a 教务处 clerk can act on, never a bare INFEASIBLE."""

from __future__ import annotations

import dataclasses

import pytest
from builders import fit_policy, make_day, mini_school, verified
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jianfu.instances.generator import generate_school
from jianfu.models.core import compile_school
from jianfu.models.errors import InputError
from jianfu.models.policy import load_policy, parse_clock
from jianfu.models.school import (
    BellSchedule,
    DaySchedule,
    Segment,
    SegmentKind,
    Teacher,
    Unavailable,
    Venue,
)
from jianfu.solver import Keep, Status, solve
from jianfu.solver.school.explain import explain_infeasible, precheck


def test_teacher_with_more_periods_than_slots_is_named_in_both_languages():
    t = Teacher("王芳", unavailable=(Unavailable(0, 0, 24 * 60 - 1),))
    s = mini_school([("一班", 1), ("二班", 1)],
                    [("一班", "语文", "王芳", 4), ("二班", "语文", "王芳", 4),
                     ("一班", "美术", "李明", 8), ("二班", "美术", "赵丽", 8)], teachers=(t,))
    r = solve(s, fit_policy(s, zero=True), time_limit=5, workers=1)
    assert r.status is Status.INFEASIBLE and r.timetable is None
    line = next(x for x in r.explanation if x.startswith("王芳"))
    assert "每周 8 节课" in line and "teacher 王芳 teaches 8 periods but is available for only 6" in line


def test_class_that_does_not_fit_its_day_shape():
    s = mini_school([("一班", 1, 0, (3, 3))], [("一班", "语文", "王芳", 7)])
    p = fit_policy(s, zero=True)
    found = precheck(s, p, compile_school(s, p))
    assert any("needs 7 periods" in x and "only 6 slots" in x for x in found)


def test_core_names_the_conflicting_rules_when_counting_cannot():
    # 张伟 teaches PE to both classes, daily PE is required and 张伟 is away on day 2;
    # the counts pass (he has 4 free periods on day 1 for 4 lessons) but no
    # timetable exists.
    t = Teacher("张伟", unavailable=(Unavailable(1, 0, 24 * 60 - 1),))
    s = mini_school([("一班", 1, 0, (4, 2)), ("二班", 1, 0, (4, 2))],
                    [("一班", "体育", "张伟", 2), ("一班", "语文", "王芳", 4),
                     ("二班", "体育", "张伟", 2), ("二班", "语文", "李明", 4)], teachers=(t,))
    p = fit_policy(s, zero=True, daily_pe=True)
    problem = compile_school(s, p)
    assert precheck(s, p, problem) == []
    lines = explain_infeasible(s, p, problem, time_limit=10)
    text = "\n".join(lines)
    assert "cannot all hold together" in text
    assert "PE every day" in text and "张伟" in text


def test_added_class_keeps_the_old_lessons():
    base = [("一班", "语文", "王芳", 6), ("一班", "数学", "李明", 6)]
    s = mini_school([("一班", 1)], base)
    p = fit_policy(s)
    first = solve(s, p, time_limit=3, workers=1)
    s2 = mini_school([("一班", 1), ("二班", 1)],
                     base + [("二班", "语文", "周强", 6), ("二班", "数学", "赵丽", 6)])
    r = solve(s2, p, time_limit=5, workers=1, keep=(s, first.timetable))
    verified(s2, p, r)
    assert r.moved == 0


def test_locked_lesson_that_no_longer_fits_is_explained():
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 6), ("一班", "数学", "李明", 6)])
    p = fit_policy(s)
    first = solve(s, p, time_limit=3, workers=1)
    t = s.teacher_index["王芳"]
    away = dataclasses.replace(s.teachers[t], unavailable=(Unavailable(0, 0, 24 * 60 - 1),))
    s2 = dataclasses.replace(s, teachers=s.teachers[:t] + (away,) + s.teachers[t + 1:])
    r = solve(s2, p, time_limit=5, workers=1, keep=Keep(first.timetable, s, lock=True))
    # 王芳's Monday lessons cannot be locked; every other lesson is
    monday = sum(1 for l in first.timetable.lessons if l.teacher == t and l.day == 0)
    assert r.locked == len(first.timetable.lessons) - monday
    # 12 lessons fill the 12 periods, and with 王芳 away on Monday all six 语文 go to
    # Tuesday and all six 数学 to Monday; each 语文 Monday lesson of the first timetable
    # left a 数学 lesson on Tuesday, now locked there: infeasible exactly when any was
    if monday:
        assert r.status is Status.INFEASIBLE and r.timetable is None
        assert len(r.explanation) == 2
        assert "the locked lessons may conflict" in r.explanation[0]
        assert "the conflict comes from the locked lessons" in r.explanation[1]
    else:
        verified(s2, p, r, kept=first.timetable)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), preset=st.sampled_from(["primary", "junior"]))
def test_generated_schools_property(seed, preset):
    s = generate_school(preset, 1, seed)
    p = s.policy()
    # the first compliant timetable, however loaded the machine (a limit would be a timing)
    r = solve(s, p, time_limit=120, workers=2, params={"stop_after_first_solution": True})
    assert r.status in (Status.OPTIMAL, Status.FEASIBLE), r.explanation
    verified(s, p, r)


# --- counting checks: the smallest school where each fires, and one just inside ---------

def _solve(s, p):
    return solve(s, p, time_limit=10, workers=1)


def _proved(s, p, *parts):
    """precheck gives exactly one sentence holding every part; solve says INFEASIBLE with it."""
    found = precheck(s, p, compile_school(s, p))
    assert len(found) == 1, found
    for part in parts:
        assert part in found[0], (part, found[0])
    r = _solve(s, p)
    assert r.status is Status.INFEASIBLE and r.timetable is None
    assert list(r.explanation) == found


def _fits(s, p):
    """precheck finds nothing and solve finds a compliant timetable."""
    assert precheck(s, p, compile_school(s, p)) == []
    r = _solve(s, p)
    assert r.status in (Status.OPTIMAL, Status.FEASIBLE), r.explanation
    verified(s, p, r)
    return r


def _session_school(classes, pe, capacity):
    """``classes`` classes over five days, ``pe`` PE lessons each, one ground of ``capacity``.

    60 minutes a day: the 30-minute long break plus a 40-minute PE lesson or the
    60-minute activity session (15:40–16:40), so every day without PE needs a session.
    """
    names = [f"{i}班" for i in range(1, classes + 1)]
    reqs = []
    for i, c in enumerate(names):
        reqs += [(c, "体育", f"体育{i}", pe), (c, "语文", f"语文{i}", 30 - pe)]
    s = mini_school([(c, 3) for c in names], reqs, days=5,
                    venues=(Venue("操场", "ground", capacity),))
    return s, fit_policy(s, zero=True, daily_activity_minutes=60)


def test_ground_too_small_for_the_weekly_sessions():
    # 6 classes × (5 days − 3 PE lessons) = 12 sessions; one class at a time × 5 activity slots
    s, p = _session_school(6, 3, 1)
    _proved(s, p, "操场（容量 1）每周最多容纳 5 班次课外体育活动", "至少需要 12 次",
            "1班 2 次、2班 2 次、3班 2 次、4班 2 次、5班 2 次、6班 2 次",
            "holds at most 5 activity sessions a week", "need at least 12")


def test_weekly_sessions_one_over_and_just_inside():
    s, p = _session_school(6, 4, 1)    # 6 sessions for 5
    _proved(s, p, "最多容纳 5 班次", "至少需要 6 次")
    s, p = _session_school(5, 4, 1)    # 5 sessions for 5: one class a day
    r = _fits(s, p)
    assert len(r.timetable.sessions) == 5


def _per_day_school(classes):
    # 周一 has no activity slot, so every class needs its PE lesson on the ground that
    # day; 周二's 60-minute long break covers it alone
    sched = BellSchedule("作息", (make_day(6, activity_minutes=None), make_day(6, long_minutes=60)))
    names = [f"{i}班" for i in range(1, classes + 1)]
    reqs = []
    for i, c in enumerate(names):
        reqs += [(c, "体育", f"体育{i}", 1), (c, "语文", f"语文{i}", 11)]
    s = mini_school([(c, 1) for c in names], reqs, schedules=(sched,),
                    venues=(Venue("操场", "ground", 1),))
    return s, fit_policy(s, zero=True, daily_activity_minutes=60)


def test_ground_too_small_on_one_day():
    _proved(*_per_day_school(7), "周一 有 7 个班当天必须用操场", "当天最多容纳 6 班次",
            "容量 1 × 6 个不重叠时段", "on 周一 7 classes must use the sports ground",
            "holds only 6")
    _fits(*_per_day_school(6))


def _late_school(capacity):
    # 二班's bell schedule has two 20-minute periods inside 一班's activity time
    # (15:40–16:40); 一班 has no PE, so it needs that session; 二班's two PE lessons
    # reach 60 minutes with its long break
    late = DaySchedule((
        Segment(SegmentKind.LONG_BREAK, parse_clock("15:00"), parse_clock("15:30")),
        Segment(SegmentKind.LESSON, parse_clock("15:40"), parse_clock("16:00")),
        Segment(SegmentKind.BREAK, parse_clock("16:00"), parse_clock("16:10")),
        Segment(SegmentKind.LESSON, parse_clock("16:10"), parse_clock("16:30"))))
    scheds = (BellSchedule("小学", (make_day(6),)), BellSchedule("晚班", (late,)))
    s = mini_school([("一班", 1, 0), ("二班", 2, 1)],
                    [("一班", "语文", "王芳", 6), ("二班", "体育", "张伟", 2)],
                    days=1, schedules=scheds, venues=(Venue("操场", "ground", capacity),))
    return s, fit_policy(s, zero=True, daily_activity_minutes=60)


def test_ground_too_small_for_pe_and_sessions_together():
    # alone each fits (2 PE in 2 periods, 1 session in 1 slot); together 3 uses, and the
    # session overlaps both periods: capacity 1 × 2 separate slots
    _proved(*_late_school(1), "每周需要 2 节体育课等和至少 1 次课外体育活动（一班 1 次）", "共 3 班次",
            "容量 1 × 可用时段只有 2", "3 in all, but holds only 2")
    _fits(*_late_school(2))


def _no_activity_slot_school(pe):
    s = mini_school([("一班", 1)], [("一班", "体育", "张伟", pe), ("一班", "语文", "王芳", 12 - pe)],
                    activity_minutes=None)
    return s, fit_policy(s, zero=True, daily_activity_minutes=60)


def test_pe_too_few_for_the_days_without_an_activity_slot():
    _proved(*_no_activity_slot_school(1), "一班 在没有课外活动时段的 周一、周二 只能靠体育课凑够 60 分钟",
            "共需 2 节体育课，但每周只有 1 节", "takes 2 PE lessons, but it has 1 a week")
    _fits(*_no_activity_slot_school(2))


def _music_school(second):
    # 王芳 and 李明 teach only in the morning (4 periods); the one music room holds one class
    noon = (Unavailable(0, parse_clock("12:00"), parse_clock("23:59")),)
    ts = (Teacher("王芳", unavailable=noon), Teacher("李明", unavailable=noon))
    s = mini_school([("一班", 1), ("二班", 1), ("三班", 1)],
                    [("一班", "音乐", "王芳", 3), ("一班", "语文", "甲", 3),
                     ("二班", "音乐", "李明", second), ("二班", "语文", "乙", 6 - second),
                     ("三班", "音乐", "赵丽", 1), ("三班", "语文", "丙", 5)],
                    days=1, teachers=ts)
    return s, fit_policy(s, zero=True)


def test_venue_kind_against_the_lessons_confined_to_the_same_slots():
    # the week fits (6 music lessons, 6 periods) but 5 of them are confined to 4
    _proved(*_music_school(2), "音乐教室（music）：一班 音乐、二班 音乐 只能排在同样的 4 个时段里",
            "王芳、李明", "共需 5 节次", "容量 1 × 4 个不重叠时段只有 4",
            "need 5 periods there, but the venues hold only 4")
    _fits(*_music_school(1))


def test_a_venue_kind_without_venues_is_refused_when_the_school_is_built():
    with pytest.raises(InputError, match="venue"):
        mini_school([("一班", 1)], [("一班", "音乐", "王芳", 2)], venues=(Venue("操场", "ground"),))


def _away_school(both):
    noon = (Unavailable(0, parse_clock("12:00"), parse_clock("23:59")),)
    ts = (Teacher("王芳", unavailable=noon), Teacher("李明", unavailable=noon if both else ()))
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 3), ("一班", "数学", "李明", 3)],
                    days=1, teachers=ts)
    return s, fit_policy(s, zero=True)


def test_class_periods_against_the_times_its_teachers_can_teach():
    _proved(*_away_school(True), "一班 每周需要 6 节课，但至少有一位任课教师（王芳、李明）可上课的时段只有 4 个",
            "its teachers (王芳, 李明) are available in only 4 of its slots")
    _fits(*_away_school(False))


def test_class_periods_against_the_study_cap():
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 10), ("一班", "美术", "李明", 2)])
    cap = {"study_cap_hours": (3.4, 3.4)}   # 204 min: 5 periods of 40 a day
    _proved(s, fit_policy(s, zero=True, **cap), "一班 每周需要 12 节课",
            "每天在校集中学习不超过 204 分钟（含自习），最多只能排 10 节", "leaves room for only 10")
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 8), ("一班", "美术", "李明", 2)])
    _fits(s, fit_policy(s, zero=True, **cap))


def test_self_study_alone_over_the_study_cap():
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 6)], days=1,
                    self_study=("08:20", "08:30"))
    _proved(s, fit_policy(s, zero=True, study_cap_hours=(0.1, 0.1)),
            "作息表 作息 周一 的自习已有 10 分钟，超过 一班 的在校集中学习上限 6 分钟",
            "over the 6 min study cap of 一班")
    # 10 min of self-study + 6 × 40 min of lessons = 250 min, the cap exactly
    _fits(s, fit_policy(s, zero=True, study_cap_hours=(250 / 60, 250 / 60)))


def _doubles_school(subjects):
    # three periods a day, the long break after the first: one joined pair a day
    reqs = [("一班", x, f"{x}老师", 2, 1) for x in subjects]
    reqs += [("一班", "科学", "科学老师", 6 - 2 * len(subjects))] if len(subjects) < 3 else []
    s = mini_school([("一班", 1)], reqs, periods=3, long_break_after=1, lunch_after=None)
    return s, fit_policy(s, zero=True)


def test_class_double_periods_against_its_joined_pairs():
    _proved(*_doubles_school(["语文", "数学", "美术"]),
            "一班 每周共需 3 次连堂（语文 1、数学 1、美术 1），但课表中只有 2 对可连排的时段",
            "has only 2 joined pairs of periods")
    _fits(*_doubles_school(["语文", "数学"]))


def _teacher_doubles_school(classes):
    names = ["一班", "二班", "三班"][:classes]
    reqs = []
    for c in names:
        reqs += [(c, "语文", "王芳", 2, 1), (c, "数学", f"数学{c}", 4)]
    s = mini_school([(c, 1) for c in names], reqs, periods=3, long_break_after=1,
                    lunch_after=None)
    return s, fit_policy(s, zero=True)


def test_teacher_double_periods_against_the_joined_pairs_they_can_teach():
    # 王芳 has 6 lessons for 6 slots, but only 2 joined pairs for 3 double periods
    _proved(*_teacher_doubles_school(3),
            "王芳 每周共需 3 次连堂（一班 语文 1、二班 语文 1、三班 语文 1），但其可上课时段中只有 2 对",
            "teacher 王芳 needs 3 double periods", "can teach only 2 joined pairs")
    _fits(*_teacher_doubles_school(2))


@pytest.mark.parametrize("profile", ["national", "guangdong-2025", "beijing-2024"])
@pytest.mark.parametrize("preset", ["primary", "junior"])
def test_generated_schools_pass_every_counting_check(preset, profile):
    # feasible by construction: a finding would be a false proof
    for seed in range(2):
        s = generate_school(preset, 2, seed, policy=load_policy(profile))
        p = s.policy()
        assert precheck(s, p, compile_school(s, p)) == []


def test_generated_school_with_a_one_class_ground_is_proved_at_once():
    # the measured case: six classes, 5 activity slots a week, the ground holds one class
    s = generate_school("primary", 1, 0)
    ground = tuple(dataclasses.replace(v, capacity=1) for v in s.venues if v.kind == "ground")
    s = dataclasses.replace(s, venues=ground[:1] + tuple(v for v in s.venues
                                                         if v.kind != "ground"))
    p = s.policy()
    r = solve(s, p, time_limit=10, workers=1)
    assert r.status is Status.INFEASIBLE
    assert len(r.explanation) == 1 and "每周最多容纳 5 班次课外体育活动" in r.explanation[0]


def _with(s, subject, **changes):
    return dataclasses.replace(s, requirements=tuple(
        dataclasses.replace(q, **changes) if s.subjects[q.subject].name == subject else q
        for q in s.requirements))


def test_fixed_periods_against_a_double_period_name_both_rules():
    from jianfu.models.school import SlotSpec

    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 2, 1), ("一班", "数学", "李明", 10)])
    p = fit_policy(s, zero=True)
    verified(s, p, solve(s, p, time_limit=10, workers=1))
    s = _with(s, "语文", fixed=(SlotSpec(0, 1), SlotSpec(1, 0)))   # a 连堂 cannot span two days
    r = solve(s, p, time_limit=10, workers=1)
    assert r.status is Status.INFEASIBLE
    text = "\n".join(r.explanation)
    assert "一班 的 语文 固定在周一第2节、周二第1节" in text and "需要 1 次连堂" in text


def test_forbidden_periods_against_daily_pe_name_both_rules():
    from jianfu.models.school import SlotSpec

    s = mini_school([("一班", 1)], [("一班", "体育", "张伟", 2), ("一班", "语文", "王芳", 10)])
    p = fit_policy(s, zero=True, daily_pe=True)
    verified(s, p, solve(s, p, time_limit=10, workers=1))
    s = _with(s, "体育", forbidden=(SlotSpec(1),))   # no PE on Tuesday
    r = solve(s, p, time_limit=10, workers=1)
    assert r.status is Status.INFEASIBLE
    text = "\n".join(r.explanation)
    assert "一班 的 体育 不排在禁排时段" in text and "PE every day" in text
