"""The checker against hand-made mini timetables: each rule holds, then breaks exactly N times."""

from __future__ import annotations

import dataclasses
import json

import pytest

from jianfu.models.checker import (
    HARD_RULES, SOFT_RULES, CheckSummary, Term, check, check_class_clash, check_coverage,
    check_daily_activity, check_daily_breaks, check_daily_pe, check_double_period,
    check_head_teacher_first, check_head_teacher_meeting,
    check_lesson_outside_periods, check_long_break, check_main_morning, check_morning_start,
    check_moved_lesson, check_parallel_step, check_pe_periods, check_pe_placement,
    check_session_slot, check_short_break, check_spread, check_study_cap,
    check_subject_once_daily, check_teacher_assignment, check_teacher_clash,
    check_teacher_consecutive, check_teacher_daily_max, check_teacher_gaps,
    check_meeting, check_teacher_unavailable, check_venue_clash, check_venue_need,
    check_weekly_total, check_fixed_slot, check_forbidden_slot,
    format_violations, summarize, violations_to_json,
)
from jianfu.models.errors import InputError
from jianfu.models.policy import NATIONAL, SoftWeights
from jianfu.models.school import (
    CLASS_MEETING, Category, Half, Meeting, SlotSpec, Subject, Teacher, Unavailable, Venue)
from jianfu.models.timetable import Lesson, Session, Timetable
from jianfu.models.violation import Violation

from builders import (
    SUBJECTS, fit_policy, make_schedule, mini_school, rules_of, timetable, units,
)

C1, C2, C3 = "七年级1班", "七年级2班", "七年级3班"
MON, TUE, WED, THU = "周一", "周二", "周三", "周四"

# Two grade-7 classes over two days. Clean: no hard violation and zero soft penalty.
REQS = [
    (C1, "语文", "王芳", 2), (C1, "数学", "刘洋", 2), (C1, "体育", "李强", 2), (C1, "音乐", "陈静", 1),
    (C2, "语文", "赵丽", 2), (C2, "数学", "刘洋", 2), (C2, "体育", "李强", 2), (C2, "音乐", "陈静", 1),
]
CLEAN = [
    (C1, MON, 1, "语文"), (C1, MON, 2, "数学"), (C1, MON, 3, "体育"), (C1, MON, 4, "音乐"),
    (C1, TUE, 1, "语文"), (C1, TUE, 2, "数学"), (C1, TUE, 3, "体育"),
    (C2, MON, 1, "数学"), (C2, MON, 2, "语文"), (C2, MON, 3, "音乐"), (C2, MON, 4, "体育"),
    (C2, TUE, 1, "数学"), (C2, TUE, 2, "语文"), (C2, TUE, 4, "体育"),
]


def base(**school_kwargs):
    school = mini_school([(C1, 7), (C2, 7)], REQS, **school_kwargs)
    return school, fit_policy(school)


def without(rows, *drop):
    return [r for r in rows if r[:4] not in drop]


def moved(rows, old, new):
    return [new if r[:4] == old else r for r in rows]


def run(fn, school, policy, rows, sessions=()):
    return fn(school, policy, timetable(school, rows, sessions))


# --------------------------------------------------------------------------- whole check
def test_clean_timetable_has_no_violations_at_all():
    school, policy = base()
    found = check(school, policy, timetable(school, CLEAN))
    assert found == []
    summary = summarize(found, policy)
    assert summary.compliant and summary.hard == 0 and summary.objective == 0
    assert set(summary.terms) == {rule for rule, *_ in SOFT_RULES}


def test_rule_tables_name_each_function_after_its_rule():
    ids = [rule for rule, *_ in HARD_RULES + SOFT_RULES]
    assert len(ids) == len(set(ids)) == 46   # cover_teacher (调代课) is the 46th
    for rule, zh, en, fn in HARD_RULES + SOFT_RULES:
        assert fn.__name__ == f"check_{rule}" and zh and en
        assert hasattr(SoftWeights, rule) or (rule, zh, en, fn) in HARD_RULES


def test_hard_violations_weigh_nothing_and_soft_ones_carry_profile_weight():
    school, policy = base()
    policy = dataclasses.replace(policy, weights=SoftWeights(main_morning=7))
    rows = moved(CLEAN, (C1, MON, 1, "语文"), (C1, MON, 5, "语文"))
    rows.append((C1, TUE, 3, "音乐"))   # class clash with PE + coverage
    found = check(school, policy, timetable(school, rows))
    assert all(v.weight == 0 for v in found if v.hard)
    soft = rules_of(found, "main_morning")
    assert len(soft) == 1 and soft[0].weight == 7 and soft[0].cost == 7


def test_bad_index_is_input_error_naming_field_and_value():
    school, policy = base()
    bad = Timetable((Lesson(0, 0, 0, 0, 99),))
    with pytest.raises(InputError) as err:
        check(school, policy, bad)
    assert "timetable.lessons[0].teacher" in str(err.value) and "99" in str(err.value)
    with pytest.raises(InputError, match=r"sessions\[0\]\.day"):
        check(school, policy, Timetable((), (Session(0, 7),)))


# --------------------------------------------------------------------------- hard rules
def test_coverage():
    school, policy = base()
    assert run(check_coverage, school, policy, CLEAN) == []
    rows = without(CLEAN, (C1, MON, 2, "数学"), (C1, TUE, 2, "数学"))   # 2 short
    rows += [(C2, TUE, 5, "美术", "陈静"), (C2, TUE, 3, "语文")]          # 1 extra subject, 1 over
    found = run(check_coverage, school, policy, rows)
    assert sorted((v.cls, v.subject, v.amount) for v in found) == [
        (C1, "数学", 2), (C2, "美术", 1), (C2, "语文", 1)]
    assert all("coverage" == v.rule and v.hard for v in found)


def test_weekly_total():
    school, policy = base()
    assert check_weekly_total(school, policy, timetable(school, CLEAN)) == []
    weekly = list(policy.weekly_periods)
    weekly[6] = 9
    found = check_weekly_total(school, dataclasses.replace(policy, weekly_periods=tuple(weekly)),
                               timetable(school, CLEAN))
    assert [(v.cls, v.amount) for v in found] == [(C1, 2), (C2, 2)]
    assert "不得增减课时" in found[0].message


def test_pe_periods():
    school, policy = base()
    assert check_pe_periods(school, policy, timetable(school, CLEAN)) == []
    pe = list(policy.pe_per_week)
    pe[6] = 5
    found = check_pe_periods(school, dataclasses.replace(policy, pe_per_week=tuple(pe)),
                             timetable(school, CLEAN))
    assert [(v.cls, v.amount) for v in found] == [(C1, 3), (C2, 3)]


def test_teacher_assignment():
    school, policy = base()
    assert run(check_teacher_assignment, school, policy, CLEAN) == []
    rows = moved(CLEAN, (C1, MON, 1, "语文"), (C1, MON, 1, "语文", "赵丽"))
    rows = moved(rows, (C2, TUE, 2, "语文"), (C2, TUE, 2, "语文", "王芳"))
    found = run(check_teacher_assignment, school, policy, rows)
    assert [(v.cls, v.teacher) for v in found] == [(C1, "赵丽"), (C2, "王芳")]
    assert "任课教师应为 王芳" in found[0].message


def test_class_clash():
    school, policy = base()
    assert run(check_class_clash, school, policy, CLEAN) == []
    rows = CLEAN + [(C1, MON, 1, "美术", "陈静"), (C1, MON, 1, "科学", "陈静"),
                    (C2, TUE, 2, "美术", "陈静")]
    found = run(check_class_clash, school, policy, rows)
    assert [(v.cls, v.day, v.period, v.amount) for v in found] == [
        (C1, MON, 1, 2), (C2, TUE, 2, 1)]


def test_teacher_clash_same_schedule():
    school, policy = base()
    assert run(check_teacher_clash, school, policy, CLEAN) == []
    rows = moved(CLEAN, (C2, MON, 4, "体育"), (C2, MON, 3, "体育"))     # 李强 twice at Mon 3
    rows = moved(rows, (C2, MON, 3, "音乐"), (C2, MON, 5, "音乐"))
    rows = moved(rows, (C2, TUE, 1, "数学"), (C2, TUE, 2, "数学"))      # 刘洋 twice at Tue 2
    rows = moved(rows, (C2, TUE, 2, "语文"), (C2, TUE, 1, "语文"))
    found = run(check_teacher_clash, school, policy, rows)
    # teachers in index order (王芳, 刘洋, 李强, …)
    assert [(v.teacher, v.day, v.period) for v in found] == [("刘洋", TUE, 2), ("李强", MON, 3)]
    assert "同时在" in found[0].message and "two lessons" in found[0].message


def test_teacher_clash_three_lessons_count_two():
    school, policy = base()
    school = mini_school([(C1, 7), (C2, 7), (C3, 7)],
                         [(c, "数学", "刘洋", 1) for c in (C1, C2, C3)])
    rows = [(c, MON, 1, "数学") for c in (C1, C2, C3)]
    assert units(run(check_teacher_clash, school, policy, rows), "teacher_clash") == 2


def test_teacher_clash_across_bell_schedules_by_clock_time():
    primary = make_schedule("小学部", length=40)                       # P1 08:30–09:10, P2 09:20–10:00
    junior = make_schedule("初中部", length=45, start="09:10")         # P1 09:10–09:55
    school = mini_school([("五年级1班", 5, 0), (C1, 7, 1)],
                         [("五年级1班", "数学", "刘洋", 2), (C1, "数学", "刘洋", 2)],
                         schedules=[primary, junior])
    policy = fit_policy(school)
    # P1 08:30–09:10 and P1 09:10–09:55 touch but do not overlap: same index, no clash
    touching = [("五年级1班", MON, 1, "数学"), (C1, MON, 1, "数学")]
    assert run(check_teacher_clash, school, policy, touching) == []
    # P2 09:20–10:00 overlaps P1 09:10–09:55: different indices, a clash
    found = run(check_teacher_clash, school, policy,
                [("五年级1班", TUE, 2, "数学"), (C1, TUE, 1, "数学")])
    assert len(found) == 1 and found[0].cls == "五年级1班" and found[0].period == 2


def test_venue_clash_lessons():
    school, policy = base()
    assert run(check_venue_clash, school, policy, CLEAN) == []
    school = mini_school([(C1, 7), (C2, 7), (C3, 7)],
                         [(c, "音乐", t, 2) for c, t in ((C1, "陈静"), (C2, "孙敏"), (C3, "周杰"))])
    policy = fit_policy(school)
    rows = [(c, MON, 4, "音乐") for c in (C1, C2, C3)] + [(C1, TUE, 1, "音乐"), (C2, TUE, 1, "音乐")]
    rows += [(C3, TUE, 2, "音乐"), (C1, MON, 2, "音乐"), (C2, TUE, 3, "音乐")]
    found = run(check_venue_clash, school, policy, rows)
    assert [(v.venue, v.day, v.amount) for v in found] == [("音乐教室", MON, 2), ("音乐教室", TUE, 1)]
    assert "容量 1" in found[0].message


def test_venue_clash_sessions_overlap_pe_of_another_bell_schedule():
    # 初中部 (45 min from 09:10): P5 15:00–15:45, P6 15:55–16:40; 小学部 activity 15:40–16:40
    primary = make_schedule("小学部", length=40)
    junior = make_schedule("初中部", length=45, start="09:10")
    assert (junior.days[0].periods[4].start, junior.days[0].periods[5].start) == (900, 955)
    assert primary.days[0].activity.start == 940
    school = mini_school(
        [("五年级1班", 5, 0), (C1, 7, 1), (C2, 7, 1)],
        [("五年级1班", "体育", "李强", 1), (C1, "体育", "张伟", 1), (C2, "体育", "何军", 1)],
        schedules=[primary, junior], venues=[Venue("操场", "ground", 1)])
    policy = fit_policy(school)
    rows = [(C1, MON, 6, "体育"), (C2, MON, 5, "体育")]
    assert run(check_venue_clash, school, policy, rows) == []
    # the session (15:40) overlaps C2's P5 and C1's P6 (15:55): two starts over capacity
    found = run(check_venue_clash, school, policy, rows, sessions=[("五年级1班", MON, "操场")])
    assert [(v.venue, v.amount) for v in found] == [("操场", 1), ("操场", 1)]
    assert "15:40" in found[0].message and "15:55" in found[1].message
    # a session with no venue uses none
    assert run(check_venue_clash, school, policy, rows, sessions=[("五年级1班", MON)]) == []
    # back to back (小学部 P1 ends 09:10 when 初中部 P1 starts) is no clash
    school = mini_school([("五年级1班", 5, 0), (C1, 7, 1)],
                         [("五年级1班", "音乐", "陈静", 1), (C1, "音乐", "孙敏", 1)],
                         schedules=[primary, junior])
    back_to_back = [("五年级1班", MON, 1, "音乐"), (C1, MON, 1, "音乐")]
    assert run(check_venue_clash, school, policy, back_to_back) == []
    overlapping = [("五年级1班", MON, 2, "音乐"), (C1, MON, 1, "音乐")]
    assert len(run(check_venue_clash, school, policy, overlapping)) == 1


def test_venue_need():
    school, policy = base()
    assert run(check_venue_need, school, policy, CLEAN) == []
    rows = moved(CLEAN, (C1, MON, 3, "体育"), (C1, MON, 3, "体育", None, None))
    rows = moved(rows, (C2, MON, 3, "音乐"), (C2, MON, 3, "音乐", None, "操场"))
    found = run(check_venue_need, school, policy, rows)
    assert [(v.cls, v.subject, v.venue) for v in found] == [(C1, "体育", None), (C2, "音乐", "操场")]


def test_venue_need_follows_the_requirement_override():
    school = mini_school([(C1, 7)], [(C1, "美术", "陈静", 2, 0, "music")])
    policy = fit_policy(school)
    rows = [(C1, MON, 1, "美术", None, "音乐教室"), (C1, TUE, 1, "美术", None, None)]
    found = run(check_venue_need, school, policy, rows)
    assert [(v.day, v.period) for v in found] == [(TUE, 1)]


def test_lesson_outside_periods():
    school, policy = base()
    assert run(check_lesson_outside_periods, school, policy, CLEAN) == []
    rows = moved(CLEAN, (C1, TUE, 3, "体育"), (C1, TUE, 7, "体育"))   # no period 7
    found = run(check_lesson_outside_periods, school, policy, rows)
    assert [(v.cls, v.period) for v in found] == [(C1, 7)]
    shaped = mini_school([(C1, 7, 0, (4, 3)), (C2, 7)], REQS)
    rows = moved(rows, (C2, TUE, 4, "体育"), (C2, TUE, 6, "体育"))    # inside C2's shape
    rows = moved(rows, (C1, MON, 4, "音乐"), (C1, MON, 4, "音乐"))    # 4 ≤ 4: fine
    rows = moved(rows, (C1, TUE, 2, "数学"), (C1, TUE, 4, "数学"))    # C1 has 3 on Tue
    found = run(check_lesson_outside_periods, shaped, policy, rows)
    assert [(v.cls, v.day, v.period) for v in found] == [(C1, TUE, 4), (C1, TUE, 7)]
    # the period-7 lesson has no clock time: time-based rules skip it without error
    assert check(shaped, policy, timetable(shaped, rows)) is not None


def test_long_break():
    school, policy = base()
    assert run(check_long_break, school, policy, CLEAN) == []
    found = run(check_long_break, school, dataclasses.replace(policy, long_breaks_per_day=2), CLEAN)
    assert [(v.day, v.amount) for v in found] == [(MON, 1), (TUE, 1)]
    short, _ = base(schedules=[make_schedule(long_minutes=20)])
    found = run(check_long_break, short, policy, CLEAN)
    assert [(v.day, v.amount) for v in found] == [(MON, 1), (TUE, 1)]
    assert "大课间" in found[0].message


def test_short_break():
    school, policy = base()
    assert run(check_short_break, school, policy, CLEAN) == []
    tight, _ = base(schedules=[make_schedule(gap=5)])
    found = run(check_short_break, tight, policy, CLEAN)
    # gaps P1–P2, P3–P4, P5–P6 on each of two days (long break and lunch are long)
    assert [(v.day, v.period) for v in found] == [(MON, 1), (MON, 3), (MON, 5),
                                                  (TUE, 1), (TUE, 3), (TUE, 5)]
    assert all(v.amount == 1 for v in found)
    assert run(check_short_break, school, dataclasses.replace(policy, min_short_break_minutes=11),
               CLEAN) != []


def test_daily_breaks():
    school, policy = base()
    assert run(check_daily_breaks, school, policy, CLEAN) == []   # national: no minimum
    # breaks 3 × 10 + long break 30 = 60 minutes a day
    ok = dataclasses.replace(policy, min_daily_break_minutes=(90, 60))
    assert run(check_daily_breaks, school, ok, CLEAN) == []
    strict = dataclasses.replace(policy, min_daily_break_minutes=(90, 105))
    found = run(check_daily_breaks, school, strict, CLEAN)
    assert [(v.day, v.amount) for v in found] == [(MON, 45), (TUE, 45)]


def test_daily_activity():
    school, policy = base()
    # PE 40 + long break 30 = 70 on every class-day
    assert run(check_daily_activity, school,
               dataclasses.replace(policy, daily_activity_minutes=70), CLEAN) == []
    strict = dataclasses.replace(policy, daily_activity_minutes=90)
    found = run(check_daily_activity, school, strict, CLEAN)
    assert [(v.cls, v.day, v.amount) for v in found] == [
        (C1, MON, 20), (C1, TUE, 20), (C2, MON, 20), (C2, TUE, 20)]
    # a 60-minute activity session covers the day
    found = run(check_daily_activity, school, strict, CLEAN,
                sessions=[(C1, MON, "操场"), (C2, TUE)])
    assert [(v.cls, v.day) for v in found] == [(C1, TUE), (C2, MON)]


def test_daily_pe():
    school, policy = base()
    daily = dataclasses.replace(policy, daily_pe=True)
    assert run(check_daily_pe, school, daily, CLEAN) == []
    rows = without(CLEAN, (C1, TUE, 3, "体育"), (C2, MON, 4, "体育"))
    assert run(check_daily_pe, school, policy, rows) == []        # off nationally
    found = run(check_daily_pe, school, daily, rows)
    assert [(v.cls, v.day) for v in found] == [(C1, TUE), (C2, MON)]


def test_session_slot():
    school, policy = base()
    ok = [(C1, MON, "操场"), (C2, MON, "操场"), (C1, TUE, "操场")]
    assert run(check_session_slot, school, policy, CLEAN, sessions=ok) == []
    found = run(check_session_slot, school, policy, CLEAN,
                sessions=ok + [(C1, MON, "操场"), (C2, MON, "操场")])
    assert [(v.cls, v.day) for v in found] == [(C1, MON), (C2, MON)]
    # the school has a sports ground: a session elsewhere (or nowhere) breaks the rule once
    found = run(check_session_slot, school, policy, CLEAN, sessions=ok + [(C2, TUE)])
    assert [(v.cls, v.day) for v in found] == [(C2, TUE)] and "不在操场" in found[0].message
    none, _ = base(schedules=[make_schedule(activity_minutes=None)])
    found = run(check_session_slot, none, policy, CLEAN,
                sessions=[(C1, MON, "操场"), (C2, TUE, "操场")])
    assert len(found) == 2 and "没有课外体育活动时段" in found[0].message


def test_study_cap():
    school, policy = base()
    assert run(check_study_cap, school, policy, CLEAN) == []
    capped = dataclasses.replace(policy, study_cap_hours=(6.0, 2.0))   # junior: 120 min
    found = run(check_study_cap, school, capped, CLEAN)
    assert [(v.cls, v.day, v.amount) for v in found] == [(C1, MON, 40), (C2, MON, 40)]
    # self-study counts; a double-booked period counts once
    study, _ = base(schedules=[make_schedule(self_study=("07:50", "08:20"))])
    rows = CLEAN + [(C1, TUE, 3, "美术", "陈静")]
    found = run(check_study_cap, study, capped, rows)
    assert [(v.cls, v.day, v.amount) for v in found] == [
        (C1, MON, 70), (C1, TUE, 30), (C2, MON, 70), (C2, TUE, 30)]


def test_morning_start():
    school, policy = base()
    assert run(check_morning_start, school, policy, CLEAN) == []
    early, _ = base(schedules=[make_schedule(start="07:50")])
    found = run(check_morning_start, early, policy, CLEAN)
    assert [(v.cls, v.day, v.amount) for v in found] == [
        (C1, MON, 10), (C1, TUE, 10), (C2, MON, 10), (C2, TUE, 10)]
    # a class without a first-period lesson starts later
    rows = without(CLEAN, (C2, TUE, 1, "数学"))
    assert len(run(check_morning_start, early, policy, rows)) == 3
    # self-study counts as the start of the day
    study, _ = base(schedules=[make_schedule(self_study=("07:30", "08:00"))])
    assert [v.amount for v in run(check_morning_start, study, policy, CLEAN)] == [30] * 4
    # primary starts at 08:20 nationally
    primary = mini_school([("一年级1班", 1)], [("一年级1班", "语文", "王芳", 1)],
                          schedules=[make_schedule(start="08:10")])
    found = run(check_morning_start, primary, fit_policy(primary), [("一年级1班", MON, 1, "语文")])
    assert [v.amount for v in found] == [10]


def test_teacher_unavailable():
    school, policy = base()
    assert run(check_teacher_unavailable, school, policy, CLEAN) == []
    liu = Teacher("刘洋", unavailable=(Unavailable(0, 480, 600),      # Mon 08:00–10:00
                                        Unavailable(1, 550, 560)))    # Tue 09:10–09:20 (a break)
    school, _ = base(teachers=[liu])
    found = run(check_teacher_unavailable, school, policy, CLEAN)
    assert [(v.cls, v.day, v.period) for v in found] == [(C1, MON, 2), (C2, MON, 1)]
    assert "不能上课" in found[0].message


def test_teacher_daily_max():
    school, policy = base()
    assert run(check_teacher_daily_max, school, policy, CLEAN) == []
    school, _ = base(teachers=[Teacher("李强", max_periods_per_day=1),
                               Teacher("刘洋", max_periods_per_day=2)])
    found = run(check_teacher_daily_max, school, policy, CLEAN)
    assert [(v.teacher, v.day, v.amount) for v in found] == [("李强", MON, 1), ("李强", TUE, 1)]


def _doubles_school(doubles=2, **day):
    school = mini_school([(C1, 7)], [(C1, "语文", "王芳", 6, doubles)], days=3,
                         schedules=[make_schedule(days=3, **day)])
    return school, fit_policy(school)


def test_double_period():
    school, policy = _doubles_school()
    good = [(C1, MON, 1, "语文"), (C1, MON, 2, "语文"), (C1, TUE, 5, "语文"), (C1, TUE, 6, "语文"),
            (C1, WED, 1, "语文"), (C1, WED, 3, "语文")]
    assert run(check_double_period, school, policy, good) == []
    # P2|long break|P3 and P4|lunch|P5 are not joined: one block of two
    rows = [(C1, MON, 1, "语文"), (C1, MON, 2, "语文"), (C1, TUE, 2, "语文"), (C1, TUE, 3, "语文"),
            (C1, WED, 4, "语文"), (C1, WED, 5, "语文")]
    found = run(check_double_period, school, policy, rows)
    assert [(v.cls, v.subject, v.amount) for v in found] == [(C1, "语文", 1)]
    # no block at all: two missing
    rows = [(C1, d, p, "语文") for d in (MON, TUE, WED) for p in (1, 3)]
    assert [v.amount for v in run(check_double_period, school, policy, rows)] == [2]


def test_double_period_scan_skips_the_second_period():
    school, policy = _doubles_school(doubles=3, long_break_after=None, lunch_after=None)
    three = [(C1, MON, p, "语文") for p in (1, 2, 3)] + [(C1, TUE, p, "语文") for p in (1, 2, 3)]
    assert [v.amount for v in run(check_double_period, school, policy, three)] == [1]  # 2 blocks
    four = [(C1, MON, p, "语文") for p in (1, 2, 3, 4)] + [(C1, TUE, p, "语文") for p in (1, 2)]
    assert run(check_double_period, school, policy, four) == []                      # 3 blocks


# --------------------------------------------------------------------------- soft rules
def test_main_morning():
    school, policy = base()
    assert run(check_main_morning, school, policy, CLEAN) == []
    rows = moved(CLEAN, (C1, MON, 1, "语文"), (C1, MON, 5, "语文"))
    rows = moved(rows, (C2, TUE, 1, "数学"), (C2, TUE, 6, "数学"))
    rows = moved(rows, (C2, MON, 1, "数学"), (C2, MON, 4, "数学"))     # 11:20: still morning
    found = run(check_main_morning, school, policy, rows)
    assert [(v.cls, v.day, v.period, v.weight) for v in found] == [(C1, MON, 5, 3), (C2, TUE, 6, 3)]
    assert units(found, "main_morning") == 2


def test_subject_once_daily():
    school, policy = base()
    assert run(check_subject_once_daily, school, policy, CLEAN) == []
    rows = moved(CLEAN, (C1, TUE, 1, "语文"), (C1, MON, 5, "语文"))     # P=2, D=2: m=1
    rows = moved(rows, (C2, TUE, 2, "语文"), (C2, MON, 5, "语文"))
    found = run(check_subject_once_daily, school, policy, rows)
    assert [(v.cls, v.day, v.amount, v.weight) for v in found] == [
        (C1, MON, 1, 10), (C2, MON, 1, 10)]
    # with a double period, two a day are expected (m = 2)
    doubled = mini_school([(C1, 7)], [(C1, "语文", "王芳", 2, 1)])
    assert run(check_subject_once_daily, doubled, policy,
               [(C1, MON, 1, "语文"), (C1, MON, 2, "语文")]) == []
    # P=5 over 2 days: m = 3; four on Monday is one too many
    five = mini_school([(C1, 7)], [(C1, "语文", "王芳", 5)])
    rows = [(C1, MON, p, "语文") for p in (1, 2, 3, 4)] + [(C1, TUE, 1, "语文")]
    assert [v.amount for v in run(check_subject_once_daily, five, policy, rows)] == [1]


def test_pe_placement():
    school, policy = base()
    assert run(check_pe_placement, school, policy, CLEAN) == []
    rows = moved(CLEAN, (C1, MON, 3, "体育"), (C1, MON, 5, "体育"))     # first after lunch
    rows = moved(rows, (C2, TUE, 4, "体育"), (C2, TUE, 3, "体育"))
    rows = moved(rows, (C2, TUE, 1, "数学"), (C2, TUE, 4, "数学"))
    rows = moved(rows, (C2, TUE, 3, "体育"), (C2, TUE, 1, "体育"))      # first period
    rows = moved(rows, (C1, TUE, 3, "体育"), (C1, TUE, 6, "体育"))      # P6: fine
    found = run(check_pe_placement, school, policy, rows)
    assert [(v.cls, v.day, v.period) for v in found] == [(C1, MON, 5), (C2, TUE, 1)]


def test_teacher_gaps():
    school, policy = base()
    assert run(check_teacher_gaps, school, policy, CLEAN) == []
    rows = moved(CLEAN, (C1, MON, 2, "数学"), (C1, MON, 6, "数学"))    # 刘洋 Mon P1, P6
    rows = moved(rows, (C1, TUE, 2, "数学"), (C1, TUE, 4, "数学"))     # 刘洋 Tue P1, P4
    found = run(check_teacher_gaps, school, policy, rows)
    assert [(v.teacher, v.day, v.amount) for v in found] == [("刘洋", MON, 4), ("刘洋", TUE, 2)]
    assert units(found, "teacher_gaps") == 6


def test_teacher_consecutive():
    school = mini_school([(C1, 7), (C2, 7)], [(C1, "语文", "王芳", 4), (C2, "语文", "王芳", 4)])
    policy = fit_policy(school)
    # P2 P3 P4 | lunch | P5: the run breaks at lunch, so 3 + 1, not 4
    split = [(C1, MON, 2, "语文"), (C2, MON, 3, "语文"), (C1, MON, 4, "语文"), (C2, MON, 5, "语文")]
    assert run(check_teacher_consecutive, school, policy, split) == []
    rows = [(C1, MON, p, "语文") for p in (1, 3)] + [(C2, MON, p, "语文") for p in (2, 4)]
    rows += [(C1, TUE, p, "语文") for p in (5, 6)] + [(C2, TUE, p, "语文") for p in (1, 2)]
    found = run(check_teacher_consecutive, school, policy, rows)
    assert [(v.teacher, v.day, v.period, v.amount) for v in found] == [("王芳", MON, 1, 1)]
    strict = dataclasses.replace(policy, teacher_max_consecutive=1)
    found = run(check_teacher_consecutive, school, strict, rows)
    # Mon run of 4 → 3; Tue runs P1–P2 and P5–P6 → 1 each
    assert [(v.day, v.amount) for v in found] == [(MON, 3), (TUE, 1), (TUE, 1)]


def test_parallel_step():
    school, policy = base()
    assert run(check_parallel_step, school, policy, CLEAN) == []
    school = mini_school([(C1, 7), (C2, 7), (C3, 7)],
                         [(c, "美术", "陈静", 1) for c in (C1, C2, C3)])
    policy = fit_policy(school)
    rows = [(C1, MON, 1, "美术"), (C2, TUE, 1, "美术"), (C3, TUE, 2, "美术")]
    found = run(check_parallel_step, school, policy, rows)
    assert [(v.subject, v.day, v.amount) for v in found] == [("美术", MON, 1), ("美术", TUE, 1)]
    in_step = [(C1, MON, 1, "美术"), (C2, MON, 2, "美术"), (C3, MON, 3, "美术")]
    assert run(check_parallel_step, school, policy, in_step) == []


def test_spread():
    school = mini_school([(C1, 7)], [(C1, "科学", "周杰", 3), (C1, "语文", "王芳", 2, 1)], days=4,
                         schedules=[make_schedule(days=4)])
    policy = fit_policy(school)
    apart = [(C1, MON, 1, "科学"), (C1, WED, 1, "科学"), (C1, WED, 2, "科学"),
             (C1, TUE, 1, "语文"), (C1, WED, 3, "语文")]  # 语文: P − doubles = 1, exempt
    assert run(check_spread, school, policy, apart) == []
    rows = [(C1, MON, 1, "科学"), (C1, TUE, 1, "科学"), (C1, WED, 1, "科学"),
            (C1, TUE, 2, "语文"), (C1, WED, 2, "语文")]
    found = run(check_spread, school, policy, rows)
    assert [(v.subject, v.day) for v in found] == [("科学", MON), ("科学", TUE)]


def test_moved_lesson():
    school, policy = base()
    kept = timetable(school, CLEAN)
    assert check_moved_lesson(school, policy, kept, kept) == []
    assert check_moved_lesson(school, policy, kept) == []            # no --keep
    rows = moved(CLEAN, (C1, MON, 1, "语文"), (C1, MON, 2, "语文"))
    rows = moved(rows, (C1, MON, 2, "数学"), (C1, MON, 1, "数学"))
    new = timetable(school, rows)
    found = check_moved_lesson(school, policy, new, kept)
    assert [(v.subject, v.period, v.weight) for v in found] == [("语文", 1, 20), ("数学", 2, 20)]
    everything = check(school, policy, new, kept=kept)
    assert summarize(everything, policy).terms["moved_lesson"] == Term(2, 20, 40)


# --------------------------------------------------------------------------- summary, reports
def _violations_for_summary():
    return [
        Violation("teacher_clash", True, "a"), Violation("teacher_clash", True, "b"),
        Violation("coverage", True, "c", amount=3),
        Violation("main_morning", False, "d", amount=1, weight=3),
        Violation("main_morning", False, "e", amount=1, weight=3),
        Violation("teacher_gaps", False, "f", amount=4, weight=1),
    ]


def test_summary_arithmetic():
    policy = dataclasses.replace(NATIONAL, weights=SoftWeights(main_morning=5, teacher_gaps=2))
    s = summarize(_violations_for_summary(), policy)
    assert isinstance(s, CheckSummary)
    assert s.hard == 3 and not s.compliant
    assert s.hard_by_rule["teacher_clash"] == 2 and s.hard_by_rule["coverage"] == 1
    assert s.hard_by_rule["venue_clash"] == 0
    assert s.terms["main_morning"] == Term(2, 5, 10)     # weight from the policy
    assert s.terms["teacher_gaps"] == Term(4, 2, 8)
    assert s.terms["spread"] == Term(0, 2, 0)
    assert s.objective == 18 == sum(t.cost for t in s.terms.values())


def test_objective_of_a_real_check_is_units_times_weights():
    school, policy = base()
    rows = moved(CLEAN, (C1, MON, 1, "语文"), (C1, MON, 5, "语文"))     # main_morning, pe? no
    rows = moved(rows, (C1, TUE, 1, "语文"), (C1, MON, 6, "语文"))      # once-daily + gaps
    found = check(school, policy, timetable(school, rows))
    s = summarize(found, policy)
    w = policy.weights
    assert s.terms["main_morning"].units == 2
    assert s.terms["subject_once_daily"].units == 1
    expected = sum(units(found, r) * getattr(w, r) for r, *_ in SOFT_RULES)
    assert s.objective == expected > 0 and s.compliant


def test_format_violations():
    policy = NATIONAL
    found = _violations_for_summary()
    s = summarize(found, policy)
    text = format_violations(found, s, limit_per_rule=1)
    assert "[teacher_clash] 教师冲突 Teacher clash" in text and "— 2" in text
    assert "[coverage] 开齐开足" in text and "[teacher_gaps]" in text
    assert "1 more" in text                    # second teacher_clash message cut
    assert "main_morning" in text and "2 ×      3 =        6" in text
    assert text.splitlines()[-1] == ("不合规 NOT COMPLIANT — 3 hard violations in 2 rules; "
                                     "soft penalty 10")
    clean = format_violations([], summarize([], policy))
    assert clean.splitlines()[-1] == "合规 COMPLIANT — 0 hard violations; soft penalty 0"


def test_violations_to_json_round_trips():
    found = _violations_for_summary()
    s = summarize(found, NATIONAL)
    data = json.loads(json.dumps(violations_to_json(found, s), ensure_ascii=False))
    assert data["compliant"] is False and data["hard"] == 3 and data["objective"] == 10
    assert data["terms"]["main_morning"] == {"units": 2, "weight": 3, "cost": 6}
    assert len(data["violations"]) == 6 and data["violations"][0]["rule"] == "teacher_clash"


def test_messages_name_entities_in_chinese_and_english():
    school, policy = base()
    rows = moved(CLEAN, (C2, MON, 4, "体育"), (C2, MON, 3, "体育"))
    rows = moved(rows, (C2, MON, 3, "音乐"), (C2, MON, 5, "音乐"))
    [v] = run(check_teacher_clash, school, policy, rows)
    assert v.message.startswith("李强 周一第3节（10:30–11:10） 同时在 七年级1班 和 七年级2班 上课 — ")
    assert "teacher 李强 has two lessons at Mon period 3 (10:30–11:10)" in v.message


# --------------------------------------------------------------------------- property tests
from hypothesis import given, settings, strategies as st  # noqa: E402

_PRIMARY = make_schedule("小学部", length=40)
_JUNIOR = make_schedule("初中部", length=45, start="08:00")
_PROP = mini_school(
    [("五年级1班", 5, 0), ("五年级2班", 5, 0), (C1, 7, 1), (C2, 7, 1)],
    [(c, s, t, 3) for c in ("五年级1班", "五年级2班", C1, C2)
     for s, t in (("数学", "刘洋"), ("体育", "李强"), ("音乐", "陈静"))],
    schedules=[_PRIMARY, _JUNIOR], venues=[Venue("操场", "ground", 2), Venue("音乐教室", "music")])

_lessons = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 1), st.integers(0, 5),
                              st.sampled_from([1, 2, 3]), st.sampled_from([None, 0, 1])),
                    max_size=30)
_sessions = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 1), st.sampled_from([None, 0])),
                     max_size=6)


def _random_timetable(lessons, sessions):
    teacher_of = {r.subject: r.teacher for r in _PROP.requirements}
    return Timetable(tuple(Lesson(c, d, p, s, teacher_of[s], v) for c, d, p, s, v in lessons),
                     tuple(Session(c, d, v) for c, d, v in sessions))


def _clock(lesson):
    seg = _PROP.day_of(lesson.cls, lesson.day).periods[lesson.period]
    return seg.start, seg.end


@settings(max_examples=60, deadline=None)
@given(_lessons, _sessions)
def test_clash_counts_match_their_definitions(lessons, sessions):
    tt = _random_timetable(lessons, sessions)
    policy = fit_policy(_PROP)
    # teacher_clash: a lesson counts when it overlaps one earlier by (start, class)
    expected = 0
    for t in range(len(_PROP.teachers)):
        for d in range(2):
            mine = sorted((x for x in tt.lessons if x.teacher == t and x.day == d),
                          key=lambda x: (_clock(x), x.cls))
            for i, x in enumerate(mine):
                s, e = _clock(x)
                expected += any(_clock(y)[0] < e and s < _clock(y)[1] for y in mine[:i])
    assert units(check_teacher_clash(_PROP, policy, tt), "teacher_clash") == expected
    # venue_clash: uses in progress beyond capacity at each distinct start time
    expected = 0
    for v, venue in enumerate(_PROP.venues):
        for d in range(2):
            uses = [_clock(x) for x in tt.lessons if x.venue == v and x.day == d]
            uses += [(a.start, a.end) for x in tt.sessions if x.venue == v and x.day == d
                     for a in [_PROP.day_of(x.cls, d).activity]]
            for start in {u[0] for u in uses}:
                expected += max(0, sum(u[0] <= start < u[1] for u in uses) - venue.capacity)
    assert units(check_venue_clash(_PROP, policy, tt), "venue_clash") == expected
    # class_clash: lessons beyond one per slot
    slots = {(x.cls, x.day, x.period) for x in tt.lessons}
    clashes = units(check_class_clash(_PROP, policy, tt), "class_clash")
    assert clashes == len(tt.lessons) - len(slots)
    # the objective is Σ units × the profile's weights, hard records weigh nothing
    found = check(_PROP, policy, tt)
    summary = summarize(found, policy)
    assert summary.objective == sum(v.amount * getattr(policy.weights, v.rule)
                                    for v in found if not v.hard)
    assert summary.hard == sum(1 for v in found if v.hard)
    assert summary.compliant == (summary.hard == 0)


def test_meeting():
    school, policy = base()
    assert run(check_meeting, school, policy, CLEAN) == []
    school = dataclasses.replace(school, meetings=(
        Meeting("语文组教研", 1, subjects=(school.subject_index["语文"],), half=Half.MORNING),
        Meeting("行政会", 0, teachers=(school.teacher_index["刘洋"],), start=480, end=570)))
    found = run(check_meeting, school, policy, CLEAN)   # 语文 on Tue morning, 数学 Mon 08:00–09:30
    assert [(v.teacher, v.cls, v.day, v.period, v.subject) for v in found] == [
        ("刘洋", C1, MON, 2, "数学"), ("王芳", C1, TUE, 1, "语文"),
        ("刘洋", C2, MON, 1, "数学"), ("赵丽", C2, TUE, 2, "语文")]
    assert "参加语文组教研" in found[1].message and "is at 语文组教研 Tue" in found[1].message
    assert "period 1" in found[1].message and "行政会" in found[0].message
    everything = check(school, policy, timetable(school, CLEAN))
    assert {v.rule for v in everything if v.hard} == {"meeting"}   # not teacher_unavailable
    assert summarize(everything, policy).hard == 4


# --------------------------------------------------------------------------- 固定 / 禁排
def with_slots(school, **by_pair):
    """``school`` whose requirements get ``fixed``/``forbidden`` by "class/subject" keys."""
    def changed(q):
        key = f"{school.classes[q.cls].name}/{school.subjects[q.subject].name}"
        return dataclasses.replace(q, **by_pair[key]) if key in by_pair else q
    return dataclasses.replace(school, requirements=tuple(changed(q) for q in school.requirements))


def test_fixed_slot():
    school, policy = base()
    ok = with_slots(school, **{f"{C1}/语文": dict(fixed=(SlotSpec(0, 0), SlotSpec(1, 0)))})
    assert run(check_fixed_slot, ok, policy, CLEAN) == []
    school = with_slots(school, **{f"{C1}/语文": dict(fixed=(SlotSpec(0, 0),)),
                                   f"{C1}/数学": dict(fixed=(SlotSpec(1, 0),))})
    rows = moved(CLEAN, (C1, MON, 1, "语文"), (C1, MON, 5, "语文"))   # 数学 is in Tue P2
    found = run(check_fixed_slot, school, policy, rows)
    assert [(v.cls, v.subject, v.day, v.period, v.amount) for v in found] == [
        (C1, "语文", MON, 1, 1), (C1, "数学", TUE, 1, 1)]
    assert "固定在周一第1节（08:30–09:10），但这一节没有排 语文" in found[0].message
    assert "is fixed in Mon period 1 (08:30–09:10) but is not there" in found[0].message
    everything = check(school, policy, timetable(school, rows))
    assert {v.rule for v in everything if v.hard} == {"fixed_slot"}
    assert summarize(everything, policy).hard == 2


def test_forbidden_slot():
    school, policy = base()
    art = dataclasses.replace(SUBJECTS[4], forbidden=(SlotSpec(None, 0, Half.AFTERNOON),))
    pe = dataclasses.replace(SUBJECTS[2], forbidden=(SlotSpec(0, 2),))   # no 体育 周一第3节
    subjects = tuple({"体育": pe, "美术": art}.get(x.name, x) for x in SUBJECTS)
    assert run(check_forbidden_slot, school, policy, CLEAN) == []
    school, _ = base(subjects=subjects)
    school = with_slots(school, **{f"{C2}/数学": dict(forbidden=(SlotSpec(1),))})   # not 周二
    rows = CLEAN + [(C1, TUE, 5, "美术", "陈静")]   # no requirement: the subject's ban holds
    found = run(check_forbidden_slot, school, policy, rows)
    assert [(v.cls, v.subject, v.day, v.period) for v in found] == [
        (C1, "体育", MON, 3), (C1, "美术", TUE, 5), (C2, "数学", TUE, 1)]
    assert all(v.hard and v.amount == 1 for v in found)
    assert "周一第3节（10:30–11:10） 是 体育 的禁排时段" in found[0].message
    assert "a period where 体育 is forbidden" in found[0].message
    everything = check(school, policy, timetable(school, rows))
    assert {v.rule for v in everything if v.hard} == {"forbidden_slot", "coverage"}


# --------------------------------------------------------------------------- 班主任
def with_heads(school, heads):
    """``school`` whose classes name the 班主任 in ``heads`` (class name -> teacher name)."""
    return dataclasses.replace(school, classes=tuple(
        dataclasses.replace(c, head_teacher=school.teacher_index[heads[c.name]])
        if c.name in heads else c for c in school.classes))


def test_head_teacher_meeting():
    meeting = Subject(CLASS_MEETING, "Class meeting", Category.MORAL)
    school = mini_school([(C1, 7), (C2, 7)],
                         REQS + [(C1, CLASS_MEETING, "王芳", 1), (C2, CLASS_MEETING, "赵丽", 1)],
                         subjects=SUBJECTS + (meeting,))
    school = with_heads(school, {C1: "王芳", C2: "赵丽"})
    policy = fit_policy(school)
    rows = CLEAN + [(C1, TUE, 4, CLASS_MEETING), (C2, TUE, 3, CLASS_MEETING)]
    assert run(check_head_teacher_meeting, school, policy, rows) == []
    assert not [v.message for v in check(school, policy, timetable(school, rows)) if v.hard]
    # another tool's timetable gives 一班's 班会 to 刘洋 and adds one by 陈静 to 二班
    bad = moved(rows, (C1, TUE, 4, CLASS_MEETING), (C1, TUE, 4, CLASS_MEETING, "刘洋"))
    bad.append((C2, TUE, 5, CLASS_MEETING, "陈静"))
    found = run(check_head_teacher_meeting, school, policy, bad)
    assert [(v.cls, v.teacher, v.day, v.period) for v in found] == [
        (C1, "刘洋", TUE, 4), (C2, "陈静", TUE, 5)]
    assert all(v.hard and v.amount == 1 for v in found)
    assert "应由班主任 王芳 上" in found[0].message and "head teacher 王芳" in found[0].message
    # a class that names no 班主任 has nothing to check; a lesson outside the day counts too
    plain = with_heads(mini_school([(C1, 7), (C2, 7)], REQS + [(C1, CLASS_MEETING, "王芳", 1)],
                                   subjects=SUBJECTS + (meeting,)), {C1: "王芳"})
    rows = CLEAN + [(C1, TUE, 9, CLASS_MEETING, "陈静"), (C2, TUE, 5, CLASS_MEETING, "陈静")]
    found = run(check_head_teacher_meeting, plain, fit_policy(plain), rows)
    assert [(v.cls, v.period) for v in found] == [(C1, 9)]


def test_head_teacher_first():
    school, policy = base()
    policy = dataclasses.replace(policy, weights=SoftWeights(head_teacher_first=5))
    assert run(check_head_teacher_first, school, policy, CLEAN) == []    # no 班主任 named
    school = with_heads(school, {C1: "王芳", C2: "刘洋"})               # both teach period 1
    assert run(check_head_teacher_first, school, policy, CLEAN) == []
    school = with_heads(school, {C2: "赵丽"})
    rows = moved(CLEAN, (C1, MON, 1, "语文"), (C1, MON, 5, "语文"))   # 一班 Monday: no period 1
    found = run(check_head_teacher_first, school, policy, rows)
    assert [(v.cls, v.teacher, v.day, v.amount, v.weight) for v in found] == [
        (C1, "王芳", MON, 1, 5), (C2, "赵丽", MON, 1, 5), (C2, "赵丽", TUE, 1, 5)]
    assert "第1节不是班主任 赵丽" in found[1].message and "period 1 on Mon" in found[1].message
    summary = summarize(check(school, policy, timetable(school, rows)), policy)
    assert summary.terms["head_teacher_first"] == Term(units=3, weight=5, cost=15)
    assert summarize(found, NATIONAL).terms["head_teacher_first"].cost == 0   # off by default


# --------------------------------------------------------------------------- 意愿, 教案齐头
def test_teacher_wish():
    from jianfu.models.checker import check_teacher_wish
    from jianfu.models.school import Wish

    school, policy = base()
    assert run(check_teacher_wish, school, policy, CLEAN) == []     # nobody wishes anything
    wishes = {
        "王芳": (Wish(False, 2, period=0),),                            # avoid 第1节: Mon 1, Tue 1
        "刘洋": (Wish(True, 1, stretch=Unavailable(0, 0, 12 * 60)),),   # prefer 周一上午
        "李强": (Wish(False, 5, stretch=Unavailable(1, 14 * 60, 16 * 60)),),   # held
        "陈静": (Wish(False, 3, period=3, day=0),),                      # avoid 周一第4节: 一班
    }
    school = dataclasses.replace(school, teachers=tuple(
        dataclasses.replace(t, wishes=wishes.get(t.name, ())) for t in school.teachers))
    rows = moved(CLEAN, (C1, MON, 2, "数学"), (C1, MON, 5, "数学"))   # 刘洋 Monday afternoon
    found = run(check_teacher_wish, school, policy, rows)
    assert [(v.teacher, v.amount, v.weight) for v in found] == [
        ("王芳", 4, 1), ("刘洋", 1, 1), ("陈静", 3, 1)]
    assert "意愿「避开第1节」（权重 2）未满足：2 节课" in found[0].message
    assert "wish 希望周一上午 (weight 1)" in found[1].message
    assert "避开周一第4节" in found[2].message
    heavy = dataclasses.replace(policy, weights=SoftWeights(teacher_wish=4))
    summary = summarize(check(school, heavy, timetable(school, rows)), heavy)
    assert summary.terms["teacher_wish"] == Term(units=8, weight=4, cost=32)
    assert run(check_teacher_wish, school, policy, moved(rows, (C1, MON, 5, "数学"),
                                                         (C1, MON, 6, "数学")))[1].amount == 1


def test_level_progress():
    from jianfu.models.checker import check_level_progress

    school, policy = base()
    hard = dataclasses.replace(policy, level_progress=True)
    assert run(check_level_progress, school, hard, CLEAN) == []       # 刘洋, 李强, 陈静 in step
    rows = without(CLEAN, (C2, TUE, 1, "数学"))
    assert run(check_level_progress, school, policy, rows) == []      # off by default
    found = run(check_level_progress, school, hard, rows)
    assert [(v.teacher, v.subject, v.day, v.amount, v.hard) for v in found] == [
        ("刘洋", "数学", TUE, 1, True)]
    assert "周二 七年级1班 有课，七年级2班 没有" in found[0].message
    rows = moved(CLEAN, (C2, MON, 3, "音乐"), (C2, TUE, 3, "音乐"))   # 陈静: Mon vs Tue
    found = run(check_level_progress, school, hard, rows)
    assert [(v.teacher, v.day) for v in found] == [("陈静", MON), ("陈静", TUE)]
    assert summarize(check(school, hard, timetable(school, rows)), hard).hard_by_rule[
        "level_progress"] == 2


# --------------------------------------------------------------------------- 合班 combined
TOGETHER = moved(moved(moved(CLEAN, (C2, MON, 4, "体育"), (C2, MON, 3, "体育")),
                       (C2, MON, 3, "音乐"), (C2, MON, 5, "音乐")),
                 (C2, TUE, 4, "体育"), (C2, TUE, 3, "体育"))


def combined_pe(extra=(), **school_kwargs):
    """The base school with the PE of both classes one combined lesson (合班) of 李强."""
    from jianfu.models.school import Combined

    classes = [(C1, 7), (C2, 7)] + ([(C3, 7)] if extra else [])
    school = mini_school(classes, REQS + list(extra), **school_kwargs)
    pe = school.subject_index["体育"]
    members = tuple(i for i, r in enumerate(school.requirements)
                    if r.subject == pe and school.classes[r.cls].name in (C1, C2))
    school = dataclasses.replace(school, combined=(
        Combined("体育合班", members, school.teacher_index["李强"]),))
    return school, fit_policy(school)


def test_combined_together_holds_and_the_lesson_counts_once():
    from jianfu.models.checker import check_combined_together

    ground = (Venue("操场", "ground", 1), Venue("音乐教室", "music"))
    school, policy = combined_pe(venues=ground)
    assert run(check_combined_together, school, policy, TOGETHER) == []
    found = check(school, policy, timetable(school, TOGETHER))
    assert [v for v in found if v.hard] == []   # one teacher, one use of the ground
    # counted once by the teacher's daily maximum as well
    li = school.teacher_index["李强"]
    teachers = tuple(dataclasses.replace(t, max_periods_per_day=1) if i == li else t
                     for i, t in enumerate(school.teachers))
    school = dataclasses.replace(school, teachers=teachers)
    assert run(check_teacher_daily_max, school, policy, TOGETHER) == []


def test_combined_together_fails_when_the_members_are_apart():
    from jianfu.models.checker import check_combined_together

    school, policy = combined_pe()
    found = run(check_combined_together, school, policy, CLEAN)   # C2's PE one period later
    assert [(v.day, v.period, v.cls, v.amount) for v in found] == [
        (MON, 3, C2, 1), (MON, 4, C1, 1), (TUE, 3, C2, 1), (TUE, 4, C1, 1)]
    assert "合班 体育合班" in found[0].message and "is without 七年级2班" in found[0].message
    # together, but in two venues: one record
    rows = [r if r[:4] != (C2, MON, 3, "体育") else r + ("李强", "音乐教室") for r in TOGETHER]
    found = run(check_combined_together, school, policy, rows)
    assert [(v.day, v.period) for v in found] == [(MON, 3)]
    assert "more than one teacher or venue" in found[0].message


def test_real_clashes_next_to_a_combined_lesson_are_still_found():
    ground = (Venue("操场", "ground", 1), Venue("音乐教室", "music"))
    school, policy = combined_pe([(C3, "体育", "李强", 1)], venues=ground)
    rows = TOGETHER + [(C3, MON, 3, "体育")]   # 李强 also has 七年级3班 during the 合班
    found = run(check_teacher_clash, school, policy, rows)
    assert [(v.teacher, v.cls, v.day, v.period) for v in found] == [("李强", C3, MON, 3)]
    found = run(check_venue_clash, school, policy, rows)
    assert [(v.venue, v.day, v.amount) for v in found] == [("操场", MON, 1)]


# --- 分组 (split lessons) ----------------------------------------------------------------------

def split_pe(**school_kwargs):
    """``base`` with C1's PE in groups: 男生 with 李强 (the requirement's), 女生 with 孙丽."""
    from jianfu.models.school import Split, SplitGroup

    school = mini_school([(C1, 7), (C2, 7)], REQS, teachers=("孙丽",), **school_kwargs)
    pe = school.subject_index["体育"]
    q = next(i for i, r in enumerate(school.requirements)
             if r.subject == pe and school.classes[r.cls].name == C1)
    school = dataclasses.replace(school, splits=(Split(q, (
        SplitGroup("男生", pe, school.teacher_index["李强"]),
        SplitGroup("女生", pe, school.teacher_index["孙丽"]))),))
    return school, fit_policy(school)


def split_tt(school, rows, girls):
    """``rows`` with C1's PE as the 男生 group, and the 女生 group's PE at ``girls``."""
    from builders import lesson

    out = []
    for row in rows:
        x = lesson(school, *row)
        if row[0] == C1 and row[3] == "体育":
            x = dataclasses.replace(x, group="男生")
        out.append(x)
    out += [dataclasses.replace(lesson(school, C1, d, p, "体育", "孙丽"), group="女生")
            for d, p in girls]
    return Timetable(tuple(out))


def test_split_together_holds_and_the_class_has_the_lesson_once():
    from jianfu.models.checker import check_split_together

    ground = (Venue("操场", "ground", 1), Venue("音乐教室", "music"))
    school, policy = split_pe(venues=ground)
    tt = split_tt(school, CLEAN, [(MON, 3), (TUE, 3)])
    assert check_split_together(school, policy, tt) == []
    found = check(school, policy, tt)
    # no class clash, coverage 2, one use of the one-class ground, each group its teacher
    assert [v for v in found if v.hard] == []
    assert summarize(found, policy).objective == summarize(
        check(school, policy, timetable(school, CLEAN)), policy).objective


def test_split_together_fails_when_the_groups_are_apart_and_real_clashes_stay():
    from jianfu.models.checker import check_split_together

    school, policy = split_pe()
    tt = split_tt(school, CLEAN, [(MON, 4), (TUE, 3)])   # girls' PE with C1's 音乐
    found = check_split_together(school, policy, tt)
    assert [(v.day, v.period, v.amount) for v in found] == [(MON, 3, 1), (MON, 4, 1)]
    assert "缺少 女生" in found[0].message and "缺少 男生" in found[1].message
    clash = check_class_clash(school, policy, tt)
    assert [(v.day, v.period, v.amount) for v in clash] == [(MON, 4, 1)]
    # together, but a whole-class lesson in the same period: one clash
    tt = split_tt(school, CLEAN + [(C1, TUE, 3, "语文")], [(MON, 3), (TUE, 3)])
    clash = check_class_clash(school, policy, tt)
    assert [(v.day, v.period, v.amount) for v in clash] == [(TUE, 3, 1)]
    # the girls' group taught by the boys' teacher: teacher_assignment and teacher_clash
    wrong = [dataclasses.replace(x, teacher=school.teacher_index["李强"])
             if x.group == "女生" and x.day == 0 else x
             for x in split_tt(school, CLEAN, [(MON, 3), (TUE, 3)]).lessons]
    found = check(school, policy, Timetable(tuple(wrong)))
    assert units(found, "teacher_assignment") == 1 and units(found, "teacher_clash") == 1


def test_a_lesson_of_an_unknown_group_is_bad_input():
    school, policy = split_pe()
    tt = split_tt(school, CLEAN, [(MON, 3), (TUE, 3)])
    bad = Timetable(tt.lessons[:-1] + (dataclasses.replace(tt.lessons[-1], group="丙组"),))
    with pytest.raises(InputError, match="group"):
        check(school, policy, bad)


# --- 单双周 (alternating weeks) -----------------------------------------------------------------

ALT_REQS = [
    (C1, "语文", "王芳", 2), (C1, "数学", "刘洋", 2), (C1, "科学", "赵磊", 1.5), (C1, "美术", "孙丽", 0.5),
    (C2, "语文", "赵丽", 2), (C2, "数学", "刘洋", 2), (C2, "科学", "赵磊", 1.5), (C2, "美术", "孙丽", 0.5),
]
# (class, day, period, subject, week): 赵磊 teaches C1 (单周) and C2 (双周) in 周二第3节
ALT_CLEAN = [
    (C1, MON, 1, "语文", None), (C1, MON, 2, "数学", None), (C1, MON, 3, "科学", None),
    (C1, TUE, 1, "语文", None), (C1, TUE, 2, "数学", None),
    (C1, TUE, 3, "科学", 1), (C1, TUE, 3, "美术", 2),
    (C2, MON, 1, "数学", None), (C2, MON, 2, "语文", None), (C2, MON, 4, "科学", None),
    (C2, TUE, 1, "数学", None), (C2, TUE, 2, "语文", None),
    (C2, TUE, 3, "美术", 1), (C2, TUE, 3, "科学", 2),
]


def alt_base(reqs=ALT_REQS, alternates=((C1, "科学", "美术"), (C2, "美术", "科学"))):
    school = mini_school([(C1, 7), (C2, 7)], reqs, alternates=alternates)
    return school, fit_policy(school)


def cycle_tt(school, rows):
    """Lessons ``(class, day, period, subject, week)``, week 1 单周, 2 双周, None every week."""
    return Timetable(tuple(dataclasses.replace(timetable(school, [r[:4]]).lessons[0], week=r[4])
                           for r in rows))


def test_alternating_weeks_hold_and_a_teacher_may_teach_one_period_in_both_weeks():
    school, policy = alt_base()
    assert [school.week_periods(q, w) for q in range(3, 4) for w in (None, 1, 2)] == [0, 0, 1]
    found = check(school, policy, cycle_tt(school, ALT_CLEAN))
    assert found == []
    assert summarize(found, policy).objective == 0


def test_alternate_slot_fails_for_a_lesson_in_one_week_that_is_no_alternate():
    school, policy = alt_base()
    rows = [r[:4] + (1,) if r[:4] == (C1, MON, 1, "语文") else r for r in ALT_CLEAN]
    found = check(school, policy, cycle_tt(school, rows))
    slot = rules_of(found, "alternate_slot")
    assert [(v.cls, v.day, v.period, v.subject) for v in slot] == [(C1, MON, 1, "语文")]
    assert "不是 alternate 中的单双周课" in slot[0].message
    # 双周 has one 语文 fewer: one coverage record, in that week
    cover = rules_of(found, "coverage")
    assert [(v.week, v.amount) for v in cover] == [(2, 1)]
    assert cover[0].message.startswith("双周（even weeks）：") and v_hard_only(found) == 2


def v_hard_only(found):
    return sum(1 for v in found if v.hard)


def test_alternate_slot_fails_when_the_two_weeks_are_in_different_periods():
    school, policy = alt_base()
    rows = [r[:2] + (4,) + r[3:] if r[:4] == (C1, TUE, 3, "美术") else r for r in ALT_CLEAN]
    found = check(school, policy, cycle_tt(school, rows))
    assert [(v.period, v.subject) for v in rules_of(found, "alternate_slot")] == [
        (3, "科学"), (4, "美术")]
    assert v_hard_only(found) == 2   # each week alone is a fine week


def test_alternate_slot_counts_one_slot_too_many():
    school, policy = alt_base()
    rows = ALT_CLEAN + [(C1, MON, 5, "科学", 1), (C1, MON, 5, "美术", 2)]
    rows = [r for r in rows if r[:4] != (C1, MON, 3, "科学")]
    found = check(school, policy, cycle_tt(school, rows))
    slot = rules_of(found, "alternate_slot")
    assert [(v.day, v.period) for v in slot] == [(TUE, 3)] and "多于" in slot[0].message
    # 单周 科学 is right (2), 双周 has it once instead of twice, 美术 twice instead of once
    assert sorted((v.week, v.subject, v.amount) for v in rules_of(found, "coverage")) == [
        (2, "科学", 1), (2, "美术", 1)]


def test_weekly_total_is_checked_in_each_week_of_the_cycle():
    # C1's 科学 every other week against nothing: 单周 has 6 periods, 双周 5
    reqs = [r for r in ALT_REQS if r[:2] != (C1, "美术")]
    school, policy = alt_base(reqs, alternates=((C1, "科学", None), (C2, "美术", "科学")))
    assert [school.class_week_periods(0, w) for w in (1, 2)] == [6, 5]
    rows = [r for r in ALT_CLEAN if r[:4] != (C1, TUE, 3, "美术")]
    found = check(school, policy, cycle_tt(school, rows))
    total = [v for v in found if v.hard]
    assert [(v.rule, v.week, v.amount) for v in total] == [("weekly_total", 2, 1)]
    assert total[0].message.startswith("双周（even weeks）：") and "5 节" in total[0].message


def test_a_violation_of_every_week_is_reported_once_and_one_of_a_week_says_which():
    school, policy = alt_base()
    rows = ALT_CLEAN + [(C1, MON, 1, "数学", None)]   # clashes every week
    found = [v for v in check(school, policy, cycle_tt(school, rows)) if v.hard]
    assert sorted((v.rule, v.week) for v in found) == [
        ("class_clash", None), ("coverage", None), ("teacher_clash", None)]
    # C2's slot in 周一第3节: 赵磊 has C1's weekly 科学 and C2's 双周 科学 at once
    rows = [r[:1] + (MON,) + r[2:] if r[0] == C2 and r[4] else r for r in ALT_CLEAN]
    found = [v for v in check(school, policy, cycle_tt(school, rows)) if v.hard]
    assert [(v.rule, v.week, v.teacher) for v in found] == [("teacher_clash", 2, "赵磊")]
    assert found[0].message.startswith("双周（even weeks）：")


def test_soft_rules_count_an_alternating_slot_once():
    from jianfu.models.checker import check_teacher_wish
    from jianfu.models.school import Wish

    # 语文 单周 / 数学 双周 in an afternoon period: one main-subject lesson there
    reqs = [(C1, "语文", "王芳", 1.5), (C1, "数学", "刘洋", 1.5), (C1, "科学", "赵磊", 3)]
    school = mini_school([(C1, 7)], reqs, alternates=[(C1, "语文", "数学")])
    policy = fit_policy(school)
    rows = [(C1, MON, 1, "语文", None), (C1, MON, 2, "数学", None), (C1, MON, 3, "科学", None),
            (C1, TUE, 1, "科学", None), (C1, TUE, 2, "科学", None),
            (C1, TUE, 5, "语文", 1), (C1, TUE, 5, "数学", 2)]
    tt = cycle_tt(school, rows)
    assert [v.rule for v in check(school, policy, tt) if v.hard] == []
    assert units(check_main_morning(school, policy, tt), "main_morning") == 1
    # one teacher on both sides: their wish counts the period once
    one = dataclasses.replace(school, requirements=tuple(
        dataclasses.replace(r, teacher=school.teacher_index["王芳"])
        if school.subjects[r.subject].name == "数学" else r for r in school.requirements))
    wang = school.teacher_index["王芳"]
    teachers = list(one.teachers)
    teachers[wang] = dataclasses.replace(teachers[wang], wishes=(Wish(period=4),))
    one = dataclasses.replace(one, teachers=tuple(teachers))
    tt = Timetable(tuple(dataclasses.replace(x, teacher=wang) if x.week else x
                         for x in cycle_tt(one, rows).lessons))
    assert units(check_teacher_wish(one, policy, tt), "teacher_wish") == 1


def test_a_lesson_week_other_than_odd_or_even_is_bad_input():
    school, policy = alt_base()
    tt = cycle_tt(school, ALT_CLEAN)
    bad = Timetable(tt.lessons[:-1] + (dataclasses.replace(tt.lessons[-1], week=3),))
    with pytest.raises(InputError, match=r"lessons\[\d+\]\.week"):
        check(school, policy, bad)
