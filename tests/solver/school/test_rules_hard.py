"""Hard rules: each holds in solved timetables (checked), fails when forced, and binds."""

from __future__ import annotations

import dataclasses

from jianfu.models.school import BellSchedule, Teacher, Unavailable, Venue
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
