"""Hard rules: each holds in solved timetables (checked), fails when forced, and binds."""

from __future__ import annotations

import dataclasses

from jianfu.models.school import BellSchedule, Half, Meeting, Teacher, Unavailable
from jianfu.solver import Status, solve

from builders import fit_policy, make_day, mini_school, verified


def run(s, p, limit=20):
    return solve(s, p, time_limit=limit, workers=1)


def test_teacher_clash_by_clock_time_across_bell_schedules():
    junior = BellSchedule("初中", (make_day(6, start="08:00", length=45),))
    primary = BellSchedule("小学", (make_day(6),))
    s = mini_school([("一班", 1, 0), ("七班", 7, 1)],
                    [("一班", "语文", "王芳", 3), ("一班", "美术", "李明", 3),
                     ("七班", "数学", "王芳", 3), ("七班", "科学", "周强", 3)],
                    days=1, schedules=(primary, junior))
    p = fit_policy(s, zero=True)
    r = run(s, p)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)


def test_teacher_clash_must_fail_when_periods_overlap_in_time():
    junior = BellSchedule("初中", (make_day(6, start="08:00", length=45),))
    primary = BellSchedule("小学", (make_day(6),))
    s = mini_school([("一班", 1, 0), ("七班", 7, 1)],
                    [("一班", "语文", "王芳", 4), ("一班", "美术", "李明", 2),
                     ("七班", "数学", "王芳", 4), ("七班", "科学", "周强", 2)],
                    days=1, schedules=(primary, junior))
    r = run(s, fit_policy(s, zero=True))
    assert r.status is Status.INFEASIBLE and r.timetable is None
    assert any("王芳" in line and "teaches 8 periods" in line for line in r.explanation)


def test_venue_capacity_binds_music_room():
    reqs = [(c, "音乐", f"音乐{c}", 3) for c in ("一班", "二班")] + \
        [(c, "语文", f"语文{c}", 3) for c in ("一班", "二班")]
    s = mini_school([("一班", 1), ("二班", 1)], reqs, days=1)
    p = fit_policy(s, zero=True)
    r = run(s, p)
    verified(s, p, r)
    music = [l for l in r.timetable.lessons if l.subject == s.subject_index["音乐"]]
    assert len({l.period for l in music}) == 6   # one room: never two music lessons at once


def test_venue_capacity_must_fail():
    reqs = [(c, "音乐", f"音乐{c}", 4) for c in ("一班", "二班")] + \
        [(c, "语文", f"语文{c}", 2) for c in ("一班", "二班")]
    s = mini_school([("一班", 1), ("二班", 1)], reqs, days=1)
    r = run(s, fit_policy(s, zero=True))
    assert r.status is Status.INFEASIBLE
    assert any("music" in line for line in r.explanation)


def test_double_period_holds_and_is_counted_by_the_checker():
    s = mini_school([("一班", 1)],
                    [("一班", "语文", "王芳", 4, 2), ("一班", "美术", "李明", 2)], days=1)
    p = fit_policy(s, zero=True)
    verified(s, p, run(s, p))


def test_double_period_must_fail_without_joined_pairs():
    # one period a day on two days: no joined pair exists
    s = mini_school([("一班", 1, 0, (1, 1))], [("一班", "语文", "王芳", 2, 1)])
    r = run(s, fit_policy(s, zero=True))
    assert r.status is Status.INFEASIBLE
    assert any("double" in line for line in r.explanation)


def test_teacher_daily_max_binds_and_fails():
    t = Teacher("王芳", max_periods_per_day=2)
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 4), ("一班", "美术", "李明", 8)],
                    teachers=(t,))
    p = fit_policy(s, zero=True)
    r = run(s, p)
    verified(s, p, r)
    t5 = Teacher("王芳", max_periods_per_day=2)
    s5 = mini_school([("一班", 1)], [("一班", "语文", "王芳", 5), ("一班", "美术", "李明", 7)],
                     teachers=(t5,))
    r5 = run(s5, fit_policy(s5, zero=True))
    assert r5.status is Status.INFEASIBLE and any("at most 2" in x for x in r5.explanation)


def test_daily_activity_needs_sessions_and_they_fit_the_ground():
    reqs = [(c, "体育", "张伟", 2) for c in ("一班", "二班")] + \
        [(c, "语文", f"语文{c}", 10) for c in ("一班", "二班")]
    s = mini_school([("一班", 1), ("二班", 1)], reqs)
    p = fit_policy(s, zero=True, daily_activity_minutes=120)
    r = run(s, p)
    verified(s, p, r)
    assert len(r.timetable.sessions) == 4   # 30 + 40 < 120 every day: a session each day
    assert all(x.venue == s.venue_index["操场"] for x in r.timetable.sessions)


def test_daily_activity_must_fail_when_the_ground_is_too_small():
    reqs = [(c, "体育", "张伟", 2) for c in ("一班", "二班", "三班")] + \
        [(c, "语文", f"语文{c}", 10) for c in ("一班", "二班", "三班")]
    s = mini_school([("一班", 1), ("二班", 1), ("三班", 1)], reqs)
    r = run(s, fit_policy(s, zero=True, daily_activity_minutes=120))
    assert r.status is Status.INFEASIBLE
    assert any("sports ground" in x for x in r.explanation)


def test_daily_pe_core_names_rule_and_teacher():
    t = Teacher("张伟", unavailable=(Unavailable(1, 0, 24 * 60 - 1),))
    s = mini_school([("一班", 1)], [("一班", "体育", "张伟", 2), ("一班", "语文", "王芳", 10)],
                    teachers=(t,))
    r = run(s, fit_policy(s, zero=True, daily_pe=True))
    assert r.status is Status.INFEASIBLE
    text = "\n".join(r.explanation)
    assert "PE every day" in text and "张伟" in text


def test_daily_pe_holds():
    s = mini_school([("一班", 1)], [("一班", "体育", "张伟", 2), ("一班", "语文", "王芳", 10)])
    p = fit_policy(s, zero=True, daily_pe=True)
    r = run(s, p)
    verified(s, p, r)
    assert {l.day for l in r.timetable.lessons if l.subject == s.subject_index["体育"]} == {0, 1}


def test_study_cap_binds():
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 8), ("一班", "美术", "李明", 2)])
    p = fit_policy(s, zero=True, study_cap_hours=(3.4, 3.4))   # 204 min: at most 5 periods a day
    r = run(s, p)
    verified(s, p, r)
    per_day = [sum(1 for l in r.timetable.lessons if l.day == d) for d in range(2)]
    assert per_day == [5, 5]


def test_study_cap_must_fail():
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 10), ("一班", "美术", "李明", 2)])
    r = run(s, fit_policy(s, zero=True, study_cap_hours=(3.4, 3.4)))
    # 204 minutes hold five 40-minute periods a day: 10 of the 12 on two days
    assert r.status is Status.INFEASIBLE
    assert len(r.explanation) == 1
    assert "needs 12 periods" in r.explanation[0] and "room for only 10" in r.explanation[0]


def test_morning_start_shrinks_the_domain():
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 5)], days=1, start="08:00")
    p = fit_policy(s, zero=True)        # primary earliest start 08:20: P1 at 08:00 is forbidden
    r = run(s, p)
    verified(s, p, r)
    assert 0 not in {l.period for l in r.timetable.lessons}
    s6 = mini_school([("一班", 1)], [("一班", "语文", "王芳", 6)], days=1, start="08:00")
    r6 = run(s6, fit_policy(s6, zero=True))
    assert r6.status is Status.INFEASIBLE and any("morning start" in x for x in r6.explanation)


def test_school_level_rules_are_explained():
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 6)], days=1, gap=5)
    p = fit_policy(s, zero=True)
    r = run(s, p)
    assert r.status is Status.INFEASIBLE
    assert any("between periods" in x for x in r.explanation)
    p2 = dataclasses.replace(p, weekly_periods=(7,) + p.weekly_periods[1:])
    r2 = run(mini_school([("一班", 1)], [("一班", "语文", "王芳", 6)], days=1), p2)
    assert any("requires 7" in x for x in r2.explanation)


def _chinese_group(s, half=Half.AFTERNOON, subject="语文", name="语文组教研"):
    """``s`` with a weekly 教研 half-day on day 2 for every teacher of ``subject``."""
    return dataclasses.replace(s, meetings=s.meetings + (
        Meeting(name, 1, subjects=(s.subject_index[subject],), half=half),))


def test_meeting_holds_no_member_teaches_during_it():
    s = mini_school([("一班", 1), ("二班", 1)],
                    [("一班", "语文", "王芳", 6), ("二班", "语文", "赵丽", 6),
                     ("一班", "数学", "李明", 6), ("二班", "数学", "周强", 6)])
    s = _chinese_group(dataclasses.replace(s, meetings=(   # 行政会 Mon 08:00–10:00: P1, P2
        Meeting("行政会", 0, teachers=(s.teacher_index["李明"],), start=480, end=600),)))
    p = fit_policy(s, zero=True)
    r = run(s, p)
    verified(s, p, r)
    yuwen, li = s.subject_index["语文"], s.teacher_index["李明"]
    assert not [x for x in r.timetable.lessons if x.subject == yuwen and x.day == 1 and x.period >= 4]
    assert not [x for x in r.timetable.lessons if x.teacher == li and x.day == 0 and x.period < 2]


def test_meeting_binds_the_only_free_slots_and_fails_with_one_period_more():
    s = _chinese_group(mini_school([("一班", 1)], [("一班", "语文", "王芳", 10),
                                                   ("一班", "数学", "李明", 2)]))
    p = fit_policy(s, zero=True)
    r = run(s, p)
    verified(s, p, r)
    maths = s.subject_index["数学"]   # 王芳 is at the meeting Tue P5–P6: maths goes there
    assert sorted((x.day, x.period) for x in r.timetable.lessons if x.subject == maths) == \
        [(1, 4), (1, 5)]
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 11), ("一班", "数学", "李明", 1)])
    p = fit_policy(s, zero=True)
    verified(s, p, run(s, p))                        # feasible without the meeting
    r = run(_chinese_group(s), p)
    assert r.status is Status.INFEASIBLE and r.timetable is None
    line = next(x for x in r.explanation if x.startswith("王芳"))
    assert "语文组教研期间不能上课" in line and "(none during 语文组教研)" in line


def test_meeting_core_names_the_meeting_when_counting_cannot():
    # as test_daily_pe_core_names_rule_and_teacher, with 张伟 at a 体育组 day on Tuesday
    s = mini_school([("一班", 1)], [("一班", "体育", "张伟", 2), ("一班", "语文", "王芳", 10)])
    s = _chinese_group(s, Half.DAY, "体育", "体育组教研")
    r = run(s, fit_policy(s, zero=True, daily_pe=True))
    assert r.status is Status.INFEASIBLE
    text = "\n".join(r.explanation)
    assert "PE every day" in text and "张伟 参加体育组教研期间不能上课" in text
    assert "meetings (体育组教研)" in text


def test_head_teacher_meeting_holds_by_construction_and_is_refused_otherwise():
    import pytest

    from jianfu.models.errors import InputError
    from jianfu.models.school import CLASS_MEETING, Category, Subject

    from builders import SUBJECTS
    s = mini_school([("一班", 1)],
                    [("一班", "语文", "王芳", 5), ("一班", "数学", "李明", 6),
                     ("一班", CLASS_MEETING, "王芳", 1)],
                    subjects=SUBJECTS + (Subject(CLASS_MEETING, "Class meeting", Category.MORAL),))
    wang, li, meeting = s.teacher_index["王芳"], s.teacher_index["李明"], s.subject_index[CLASS_MEETING]
    s = dataclasses.replace(s, classes=tuple(dataclasses.replace(c, head_teacher=wang)
                                             for c in s.classes))
    p = fit_policy(s, zero=True)
    r = run(s, p)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)   # no head_teacher_meeting violation
    assert [x.teacher for x in r.timetable.lessons if x.subject == meeting] == [wang]
    # the 班会 given to 李明 cannot even be stated: the School is refused when built
    with pytest.raises(InputError, match="head_teacher_meeting") as err:
        dataclasses.replace(s, requirements=tuple(
            dataclasses.replace(q, teacher=li) if q.subject == meeting else q
            for q in s.requirements))
    assert err.value.where == "requirements[2].teacher" and err.value.value == "李明"


# --- fixed_slot (固定) and forbidden_slot (禁排) ----------------------------------------

def _slots_school(maths: int = 5, *, fixed=(), forbidden=(), pe_forbidden=(), days: int = 2):
    """一班 with 班会 (王芳), 语文 (王芳), 数学 (李明) and 体育 (张伟) on ``days`` days of 6."""
    from jianfu.models.school import Category, Subject

    from builders import SUBJECTS
    subjects = tuple(dataclasses.replace(x, forbidden=tuple(pe_forbidden)) if x.name == "体育"
                     else x for x in SUBJECTS) + (Subject("班会", "Class meeting", Category.MORAL),)
    s = mini_school([("一班", 1)],
                    [("一班", "班会", "王芳", 1), ("一班", "数学", "李明", maths),
                     ("一班", "体育", "张伟", 2), ("一班", "语文", "王芳", 6 * days - 3 - maths)],
                    days=days, subjects=subjects, teachers=[Teacher("王芳"), Teacher("李明")])
    reqs = tuple(dataclasses.replace(q, fixed=tuple(fixed)) if s.subjects[q.subject].name == "班会"
                 else dataclasses.replace(q, forbidden=tuple(forbidden))
                 if s.subjects[q.subject].name == "数学" else q for q in s.requirements)
    return dataclasses.replace(s, requirements=reqs)


def _at(s, r, subject):
    k = s.subject_index[subject]
    return sorted((x.day, x.period) for x in r.timetable.lessons if x.subject == k)


def test_fixed_and_forbidden_slots_hold_in_the_solved_timetable():
    from jianfu.models.school import SlotSpec
    s = _slots_school(fixed=[SlotSpec(0, 0)], forbidden=[SlotSpec(last=True)],
                      pe_forbidden=[SlotSpec(None, 0, Half.AFTERNOON)])
    p = fit_policy(s, zero=True)
    r = run(s, p)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)   # no fixed_slot / forbidden_slot violation
    assert _at(s, r, "班会") == [(0, 0)]
    assert not {(0, 5), (1, 5)} & set(_at(s, r, "数学"))
    assert not {(0, 4), (1, 4)} & set(_at(s, r, "体育"))


def test_fixed_slot_binds_the_optimum():
    # main_morning alone: 9 main lessons, 8 morning slots, so the optimum is 1 with 班会
    # and PE in the afternoons; 班会 fixed in Monday P1 takes a morning slot: 2
    from jianfu.models.school import SlotSpec
    free = _slots_school()
    p = fit_policy(free, zero=True, weights={"main_morning": 1})
    r0 = run(free, p)
    verified(free, p, r0)
    s = _slots_school(fixed=[SlotSpec(0, 0)])
    r1 = run(s, p)
    verified(s, p, r1)
    assert _at(s, r1, "班会") == [(0, 0)]
    assert (r0.objective, r1.objective) == (1, 2) and r1.bound == 2


def test_forbidden_slot_binds_feasible_without_and_infeasible_with():
    from jianfu.models.school import SlotSpec
    s = _slots_school(maths=5)
    p = fit_policy(s, zero=True)
    verified(s, p, run(s, p))
    # 数学 kept out of both afternoons (P5, P6 of 2 days) and Monday: 3 slots for 5 lessons
    s = _slots_school(maths=5, forbidden=[SlotSpec(None, None, Half.AFTERNOON), SlotSpec(0)])
    r = run(s, p)
    assert r.status is Status.INFEASIBLE and r.timetable is None
    assert any("一班 的 数学 每周 5 节" in line for line in r.explanation)


def test_fixed_slots_that_cannot_hold_are_explained():
    from jianfu.models.school import SlotSpec, Unavailable as U
    s = _slots_school(fixed=[SlotSpec(0, 0)])
    wang = s.teacher_index["王芳"]
    s = dataclasses.replace(s, teachers=tuple(
        dataclasses.replace(t, unavailable=(U(0, 0, 600),)) if i == wang else t
        for i, t in enumerate(s.teachers)))
    r = run(s, fit_policy(s, zero=True))
    assert r.status is Status.INFEASIBLE
    assert any("一班 的 班会 固定在周一第1节，但 王芳 这时不能上课" in line
               and "teacher 王芳 is unavailable then" in line for line in r.explanation)
    # two classes' 班会 fixed at 周一第1节 with one teacher
    two = mini_school([("一班", 1), ("二班", 1)],
                      [("一班", "语文", "王芳", 6), ("二班", "语文", "王芳", 6)])
    two = dataclasses.replace(two, requirements=tuple(
        dataclasses.replace(q, periods=3, fixed=(SlotSpec(0, 0),)) for q in two.requirements))
    r = run(two, fit_policy(two, zero=True))
    assert r.status is Status.INFEASIBLE
    assert any("王芳 的 一班/语文（第1节）和 二班/语文（第1节）都固定在周一同一时间" in line
               for line in r.explanation)


def _level_school(first=1, second=3, teachers=()):
    """一班 and 二班 (grade 1), two days of six periods: 王芳 teaches both 语文 (``first``
    and ``second`` periods), 李明 and 周强 the rest as 数学."""
    return mini_school([("一班", 1), ("二班", 1)],
                       [("一班", "语文", "王芳", first), ("一班", "数学", "李明", 12 - first),
                        ("二班", "语文", "王芳", second), ("二班", "数学", "周强", 12 - second)],
                       teachers=teachers)


def _days_of(s, r, cls, subject="语文"):
    c, sub = s.class_index[cls], s.subject_index[subject]
    return {l.day for l in r.timetable.lessons if l.cls == c and l.subject == sub}


def test_level_progress_holds_in_the_solved_timetable():
    s = _level_school(2, 2)
    p = fit_policy(s, zero=True, level_progress=True)
    r = run(s, p)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)
    assert _days_of(s, r, "一班") == _days_of(s, r, "二班")


def test_level_progress_binds_the_optimum():
    # 1 and 3 periods of 语文: off, each spreads (0); on, 二班 takes its 3 on 一班's day
    s = _level_school(1, 3)
    off = fit_policy(s, zero=True, weights={"subject_once_daily": 10})
    r = run(s, off)
    assert r.status is Status.OPTIMAL and r.objective == 0
    on = dataclasses.replace(off, level_progress=True)
    r = run(s, on)
    assert r.status is Status.OPTIMAL
    verified(s, on, r)
    assert r.terms["subject_once_daily"] == 2 and r.objective == 20   # 语文 3 > 2, 数学 6 > 5
    assert _days_of(s, r, "一班") == _days_of(s, r, "二班") and len(_days_of(s, r, "一班")) == 1


def test_level_progress_must_fail_by_counting():
    # 4 periods on the 1 shared day a 1-period class allows, at most 3 a day
    s = _level_school(1, 3, teachers=(Teacher("王芳", max_periods_per_day=3),))
    assert run(s, fit_policy(s, zero=True)).status is Status.OPTIMAL
    r = run(s, fit_policy(s, zero=True, level_progress=True))
    assert r.status is Status.INFEASIBLE and r.timetable is None
    assert any("教案齐头：王芳 的 语文（一班、二班）共 4 节须在相同的 1 天以内上完" in x
               and "at most 1 shared days of 3 periods" in x for x in r.explanation), r.explanation


def test_level_progress_must_fail_and_the_core_names_it():
    # 李明 can only teach 一班 on Tuesday and 张伟 二班 only on Monday, six periods each:
    # 一班's 语文 is on Monday, 二班's on Tuesday, never the same days
    away = lambda d: (Unavailable(d, 0, 24 * 60),)   # noqa: E731
    s = mini_school([("一班", 1), ("二班", 1)],
                    [("一班", "语文", "王芳", 6), ("一班", "数学", "李明", 6),
                     ("二班", "语文", "王芳", 6), ("二班", "美术", "张伟", 6)],
                    teachers=(Teacher("李明", unavailable=away(0)),
                              Teacher("张伟", unavailable=away(1))))
    assert run(s, fit_policy(s, zero=True)).status is Status.OPTIMAL
    r = run(s, fit_policy(s, zero=True, level_progress=True))
    assert r.status is Status.INFEASIBLE
    assert any("教案齐头：王芳 的 语文（一班、二班）同一天上课" in x for x in r.explanation), r.explanation


def test_level_progress_on_the_core_problem():
    from jianfu.models.core import compile_school
    from jianfu.solver.checked import solve_checked

    s = _level_school(1, 3)
    problem = compile_school(s, fit_policy(s, zero=True, level_progress=True))
    assert [c.activities for c in problem.records("level_progress")] == [(0, 2)]
    checked = solve_checked(problem, time_limit=10, workers=1, seed=0)
    assert checked.compliant and checked.violations == ()
    days = {a: {problem.slots[st].day for b, st in checked.result.solution.starts if b == a}
            for a in (0, 2)}
    assert days[0] == days[2]


def _combine(s, name, teacher, *members):
    """``s`` with one more combined lesson (合班) of the (class, subject) ``members``."""
    from jianfu.models.school import Combined

    q = {(s.classes[r.cls].name, s.subjects[r.subject].name): i
         for i, r in enumerate(s.requirements)}
    return dataclasses.replace(s, combined=s.combined + (
        Combined(name, tuple(q[m] for m in members), s.teacher_index[teacher]),))


def test_combined_lessons_hold_a_pe_合班_and_a_复式班_solve_together():
    s = mini_school([("一班", 1), ("二班", 1), ("三班", 2)],
                    [("一班", "语文", "王芳", 4), ("一班", "体育", "张伟", 2), ("一班", "数学", "李明", 6),
                     ("二班", "语文", "赵丽", 4), ("二班", "体育", "张伟", 2), ("二班", "数学", "李明", 6),
                     ("三班", "语文", "孙丽", 6), ("三班", "数学", "赵丽", 4), ("三班", "体育", "张伟", 2)],
                    days=3)
    s = _combine(s, "体育合班", "张伟", ("一班", "体育"), ("二班", "体育"))
    s = _combine(s, "复式", "赵丽", ("二班", "语文"), ("三班", "数学"))   # one room, two subjects
    p = fit_policy(s)
    r = run(s, p)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)
    by = {}
    for x in r.timetable.lessons:
        by.setdefault((s.classes[x.cls].name, s.subjects[x.subject].name), []).append(x)
    for (cls, subject), n in (("一班", "体育"), 2), (("二班", "体育"), 2), (("二班", "语文"), 4), \
            (("三班", "数学"), 4):
        assert len(by[(cls, subject)]) == n
    for a, b in ((("一班", "体育"), ("二班", "体育")), (("二班", "语文"), ("三班", "数学"))):
        assert sorted((x.day, x.period, x.teacher, x.venue) for x in by[a]) == \
            sorted((x.day, x.period, x.teacher, x.venue) for x in by[b])
    assert all(x.venue is not None for x in by[("一班", "体育")])   # both on the ground, once


def test_combined_lesson_binds_its_teacher_counts_it_once():
    s = mini_school([("一班", 1), ("二班", 1)],
                    [("一班", "体育", "张伟", 4), ("一班", "语文", "王芳", 2),
                     ("二班", "体育", "张伟", 4), ("二班", "语文", "赵丽", 2)], days=1)
    p = fit_policy(s, zero=True)
    r = run(s, p)                      # 8 PE periods for 张伟 in a 6-period day
    assert r.status is Status.INFEASIBLE
    assert any("张伟" in line and "teaches 8 periods" in line for line in r.explanation)
    s = _combine(s, "体育合班", "张伟", ("一班", "体育"), ("二班", "体育"))
    r = run(s, p)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)
    pe = s.subject_index["体育"]
    assert sorted(x.period for x in r.timetable.lessons if x.subject == pe and x.cls == 0) == \
        sorted(x.period for x in r.timetable.lessons if x.subject == pe and x.cls == 1)


def test_combined_lesson_is_named_by_its_classes_when_it_cannot_fit():
    s = mini_school([("一班", 1), ("二班", 1)],
                    [("一班", "体育", "张伟", 4), ("一班", "语文", "王芳", 2),
                     ("二班", "体育", "张伟", 4), ("二班", "语文", "赵丽", 2)], days=1)
    s = _combine(s, "体育合班", "张伟", ("一班", "体育"), ("二班", "体育"))
    li = s.teacher_index["张伟"]   # 张伟 away for three periods: 4 PE periods in 3 slots
    teachers = tuple(dataclasses.replace(t, unavailable=(Unavailable(0, 8 * 60, 11 * 60 + 15),))
                     if i == li else t for i, t in enumerate(s.teachers))
    s = dataclasses.replace(s, teachers=teachers)
    r = run(s, fit_policy(s, zero=True))
    assert r.status is Status.INFEASIBLE
    assert any(line.startswith("一班、二班 的 体育 每周 4 节") for line in r.explanation), r.explanation


def test_combined_lesson_kept_and_locked_with_keep():
    from jianfu.solver.school.solve import Keep

    s = mini_school([("一班", 1), ("二班", 1)],
                    [("一班", "体育", "张伟", 2), ("一班", "语文", "王芳", 4), ("一班", "数学", "李明", 4),
                     ("二班", "体育", "张伟", 2), ("二班", "语文", "赵丽", 4), ("二班", "数学", "李明", 4)],
                    days=3)
    s = _combine(s, "体育合班", "张伟", ("一班", "体育"), ("二班", "体育"))
    p = fit_policy(s)
    first = run(s, p)
    again = solve(s, p, time_limit=20, workers=1, keep=first.timetable, lock=True)
    summary = verified(s, p, again, kept=first.timetable)
    assert again.moved == 0 and summary.terms["moved_lesson"].units == 0
    assert again.locked == len(first.timetable.lessons)
    li = s.teacher_index["张伟"]   # 张伟 loses Monday: both classes' PE moves together
    teachers = tuple(dataclasses.replace(t, unavailable=(Unavailable(0, 0, 24 * 60 - 1),))
                     if i == li else t for i, t in enumerate(s.teachers))
    s2 = dataclasses.replace(s, teachers=teachers)
    r = solve(s2, p, time_limit=20, workers=1, keep=Keep(first.timetable, s))
    summary = verified(s2, p, r, kept=first.timetable)
    assert summary.terms["moved_lesson"].units == r.moved


def _short_long_school(available_until: str):
    """One day: periods 1–2 of 30 minutes, 3–4 of 50 (长短课); 语文 twice, its teacher
    free until ``available_until``."""
    from jianfu.models.policy import parse_clock
    from jianfu.models.school import DaySchedule, Segment, SegmentKind

    k, t = SegmentKind, parse_clock
    day = DaySchedule((Segment(k.LESSON, t("08:20"), t("08:50")), Segment(k.BREAK, t("08:50"), t("09:00")),
                       Segment(k.LESSON, t("09:00"), t("09:30")),
                       Segment(k.LONG_BREAK, t("09:30"), t("10:00")),
                       Segment(k.LESSON, t("10:00"), t("10:50")), Segment(k.LUNCH, t("10:50"), t("14:00")),
                       Segment(k.LESSON, t("14:00"), t("14:50")),
                       Segment(k.ACTIVITY, t("15:00"), t("16:00"))))
    teacher = Teacher("王芳", unavailable=(Unavailable(0, t(available_until), t("17:00")),))
    s = mini_school([("一班", 3)], [("一班", "语文", "王芳", 2)], teachers=(teacher,),
                    schedules=[BellSchedule("作息", (day,))], days=1)
    p = dataclasses.replace(fit_policy(s, zero=True), period_minutes=(40, 45),
                            period_minutes_range=((30, 50), (45, 45)))
    return s, p


def test_period_length_keeps_the_weekly_minutes_of_short_and_long_periods():
    # 长短课: two lessons of a 40-minute stage need 80 minutes; two 30-minute periods
    # give 60, so one lesson must be in a 50-minute period
    s, p = _short_long_school("11:00")
    r = solve(s, p, time_limit=10, workers=1)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)
    minutes = sorted(s.day_of(0, 0).periods[x.period].minutes for x in r.timetable.lessons)
    assert minutes == [30, 50]
    # the teacher only free in the two short periods: no compliant timetable
    s, p = _short_long_school("10:00")
    r = solve(s, p, time_limit=10, workers=1)
    assert r.status is Status.INFEASIBLE and r.timetable is None
