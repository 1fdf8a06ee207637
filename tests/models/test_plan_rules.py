"""The plan against the policy: curriculum, 挤占, 课后服务, school days, period length and
one 大课间 — each holds on a compliant school and fails exactly N times when broken."""

from __future__ import annotations

import dataclasses

import pytest

from jianfu.instances.generator import generate_school
from jianfu.instances.views import example_school
from jianfu.models.checker import check, plan_violations
from jianfu.models.policy import NATIONAL, load_policy
from jianfu.models.school import BellSchedule, DaySchedule, Segment, SegmentKind, Teacher
from jianfu.models.timetable import Lesson, Timetable

from builders import rules_of, units

PLAN_RULES = ("curriculum", "occupied_subject", "service_time", "school_days", "period_length",
              "long_break_common")


def _lessons(school):
    """Every requirement's lessons, in order over the class's periods (no rule but the
    plan-level ones is looked at)."""
    out = []
    for c in range(len(school.classes)):
        slots = [(d, p) for d in range(len(school.days)) for p in range(school.usable_periods(c, d))]
        k = 0
        for q in school.requirements_of_class[c]:
            r = school.requirements[q]
            for _ in range(r.periods):
                d, p = slots[k]
                k += 1
                out.append(Lesson(c, d, p, r.subject, r.teacher))
    return Timetable(tuple(out))


def _plan(school, policy=None):
    policy = policy or school.policy()
    found = check(school, policy, _lessons(school))
    return [v for v in found if v.rule in PLAN_RULES]


@pytest.mark.parametrize("profile", ["national", "beijing-2024", "national-2025", "guangdong-2025"])
def test_generated_and_example_schools_keep_every_plan_rule(profile):
    policy = load_policy(profile)
    for school in (generate_school("nine-year", 1, 0, policy), generate_school("junior", 2, 1, policy)):
        assert not _plan(school, policy)
        assert not plan_violations(school, policy)
    assert not _plan(example_school(), NATIONAL) and not plan_violations(example_school(), NATIONAL)


def test_curriculum_dropping_art_for_chinese_fails_once_by_the_missing_periods():
    school = example_school()
    art, chinese = school.subject_index["美术"], school.subject_index["语文"]
    moved = tuple(dataclasses.replace(r, subject=chinese, periods=r.periods + 2)
                  if r.subject == chinese and r.cls == 0 else r for r in school.requirements
                  if not (r.subject == art and r.cls == 0))
    school = dataclasses.replace(school, requirements=moved)
    found = rules_of(_plan(school), "curriculum")
    assert len(found) == 1 and found[0].amount == 2 and found[0].subject == "美术"
    assert len(rules_of(plan_violations(school, NATIONAL), "curriculum")) == 1


def test_curriculum_lets_the_flexible_group_move_within_its_total():
    school = example_school()
    local, practice = school.subject_index["地方与校本课程"], school.subject_index["综合实践活动"]
    moved = tuple(dataclasses.replace(r, periods=r.periods + (1 if r.subject == local else -1))
                  if r.cls == 0 and r.subject in (local, practice) else r
                  for r in school.requirements)
    assert not rules_of(_plan(dataclasses.replace(school, requirements=moved)), "curriculum")


def test_occupied_subject_pe_given_to_the_chinese_teacher_fails_per_lesson():
    school = example_school()
    pe, wang = school.subject_index["体育与健康"], school.teacher_index["王芳"]
    teachers = list(school.teachers)
    # 王芳 must be allowed to take the requirement at all: no subjects listed
    teachers[wang] = Teacher("王芳", (), max_periods_per_day=4)
    reqs = tuple(dataclasses.replace(r, teacher=wang) if r.subject == pe and r.cls == 0 else r
                 for r in school.requirements)
    bad = dataclasses.replace(school, teachers=tuple(teachers), requirements=reqs)
    found = rules_of(_plan(bad), "occupied_subject")
    assert len(found) == 3 and {v.cls for v in found} == {"三(1)班"}      # 3 PE lessons
    assert len(rules_of(plan_violations(bad, NATIONAL), "occupied_subject")) == 1
    # registered for PE: allowed; a village school's 包班: allowed
    teachers[wang] = Teacher("王芳", (school.subject_index["语文"], pe), max_periods_per_day=4)
    assert not rules_of(_plan(dataclasses.replace(bad, teachers=tuple(teachers))), "occupied_subject")
    village = dataclasses.replace(NATIONAL, generalist_teachers=True)
    assert not rules_of(_plan(bad, village), "occupied_subject")


def _day(*spans):
    return DaySchedule(tuple(Segment(k, a, b) for k, a, b in spans))


def _with_day(school, day):
    return dataclasses.replace(school, schedules=(BellSchedule("小学作息", (day,) * len(school.days)),))


L, B, LB, LU, ACT, AS = (SegmentKind.LESSON, SegmentKind.BREAK, SegmentKind.LONG_BREAK,
                         SegmentKind.LUNCH, SegmentKind.ACTIVITY, SegmentKind.AFTER_SCHOOL)
H = 60


def _example_day(service_end=17 * H + 40, lunch=(11 * H + 50, 14 * H), last=(14 * H + 50, 15 * H + 30)):
    """The example school's day; ``last`` the sixth period (ending by 15:40)."""
    return _day((L, 8 * H + 20, 9 * H), (B, 9 * H, 9 * H + 10), (L, 9 * H + 10, 9 * H + 50),
                (LB, 9 * H + 50, 10 * H + 20), (L, 10 * H + 20, 11 * H), (B, 11 * H, 11 * H + 10),
                (L, 11 * H + 10, 11 * H + 50), (LU, *lunch), (L, 14 * H, 14 * H + 40),
                (B, 14 * H + 40, last[0]), (L, *last), (ACT, 15 * H + 40, 16 * H + 40),
                (AS, 16 * H + 40, service_end))


def test_service_time_short_service_counts_the_missing_minutes_per_day():
    school = _with_day(example_school(), _example_day(service_end=17 * H + 10))
    found = rules_of(_plan(school), "service_time")
    assert len(found) == 5 and units(found, "service_time") == 5 * 30
    # the work-end rule, when the profile sets it
    late = dataclasses.replace(NATIONAL, service_end_not_before="17:30")
    assert units(_plan(_with_day(example_school(), _example_day()), late), "service_time") == 0
    later = dataclasses.replace(NATIONAL, service_end_not_before="18:00")
    assert units(_plan(_with_day(example_school(), _example_day()), later), "service_time") == 5 * 20


def test_service_time_a_period_carved_out_of_service_and_a_day_without_lunch():
    carved = _day((L, 8 * H + 20, 9 * H), (B, 9 * H, 9 * H + 10), (L, 9 * H + 10, 9 * H + 50),
                  (LB, 9 * H + 50, 10 * H + 20), (L, 10 * H + 20, 11 * H), (B, 11 * H, 11 * H + 10),
                  (L, 11 * H + 10, 11 * H + 50), (LU, 11 * H + 50, 14 * H),
                  (L, 14 * H, 14 * H + 40), (ACT, 14 * H + 50, 15 * H + 50),
                  (AS, 15 * H + 50, 16 * H + 40), (L, 16 * H + 40, 17 * H + 20),
                  (AS, 17 * H + 20, 18 * H))
    school = _with_day(example_school(), carved)
    found = [v for v in plan_violations(school, NATIONAL) if v.rule == "service_time"]
    assert len(found) == 2 * 5 and all("课后服务" in v.message for v in found)   # per class and day
    noon = _example_day(lunch=(11 * H + 50, 12 * H + 20))
    found = rules_of(_plan(_with_day(example_school(), noon)), "service_time")
    assert len(found) == 5 and units(found, "service_time") == 5 * 30         # 30 of 60 minutes


def test_school_days_a_saturday_lesson_fails_once():
    school = example_school()
    policy = school.policy()
    tt = _lessons(school)
    sat = dataclasses.replace(school, days=school.days[:4] + ("周六",))
    found = rules_of(check(sat, policy, tt), "school_days")
    assert len(found) == sum(1 for x in tt.lessons if x.day == 4)
    assert not rules_of(check(school, policy, tt), "school_days")


def test_period_length_a_60_minute_period_fails_and_a_widened_range_keeps_the_minutes():
    day = _day((L, 8 * H + 20, 9 * H), (B, 9 * H, 9 * H + 10), (L, 9 * H + 10, 9 * H + 50),
               (LB, 9 * H + 50, 10 * H + 20), (L, 10 * H + 20, 11 * H), (B, 11 * H, 11 * H + 10),
               (L, 11 * H + 10, 11 * H + 50), (LU, 11 * H + 50, 13 * H + 40),
               (L, 13 * H + 40, 14 * H + 20), (B, 14 * H + 20, 14 * H + 30),
               (L, 14 * H + 30, 15 * H + 30),                               # period 6: 60 minutes
               (ACT, 15 * H + 40, 16 * H + 40), (AS, 16 * H + 40, 17 * H + 40))
    school = _with_day(example_school(), day)
    found = rules_of(_plan(school), "period_length")
    sixth = sum(1 for x in _lessons(school).lessons if x.period == 5)
    assert len(found) == sixth
    wide = dataclasses.replace(NATIONAL, period_minutes_range=((30, 60), (30, 60)))
    assert not rules_of(_plan(school, wide), "period_length")


def test_long_break_common_two_bell_schedules_at_different_times_fail_per_day():
    school = generate_school("nine-year", 1, 0)
    policy = school.policy()
    primary, junior = school.schedules
    shifted = BellSchedule(junior.name, tuple(
        DaySchedule(tuple(dataclasses.replace(s, start=s.start - 10, end=s.end - 10) if s.end <= 12 * H
                          else s for s in day.segments)) for day in junior.days))
    moved = dataclasses.replace(school, schedules=(primary, shifted))
    assert len(rules_of(plan_violations(moved, policy), "long_break_common")) == 5
    per_campus = dataclasses.replace(policy, long_break_common=False)
    assert not rules_of(plan_violations(moved, per_campus), "long_break_common")
