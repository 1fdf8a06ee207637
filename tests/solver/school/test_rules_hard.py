"""Hard rules: each holds in solved timetables (checked), fails when forced, and binds."""

from __future__ import annotations

import dataclasses

from jianfu.models.school import BellSchedule, Half, Meeting, Teacher, Unavailable, Venue
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
