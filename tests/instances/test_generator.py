"""Seeded school generator: determinism, realism, policy compliance and slack."""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections import Counter, defaultdict

import pytest

from jianfu.instances.curriculum import weekly_periods
from jianfu.instances.generator import (
    PRESETS,
    day_shape,
    generate_school,
    sessions_needed,
    slack_report,
)
from jianfu.instances.schoolfile import dump_school
from jianfu.models.errors import InputError
from jianfu.models.policy import NATIONAL, PROFILES, Policy, stage_of
from jianfu.models.school import GROUND, School, SegmentKind

PROFILE_NAMES = ("national", "guangdong-2025", "beijing-2024")


def test_same_seed_same_school_different_seed_different():
    a = generate_school("nine-year", 3, 11)
    b = generate_school("nine-year", 3, 11)
    assert a == b
    assert dump_school(a) == dump_school(b)
    c = generate_school("nine-year", 3, 12)
    assert c != a
    assert [t.name for t in c.teachers] != [t.name for t in a.teachers]


def test_bad_arguments():
    with pytest.raises(InputError, match="preset"):
        generate_school("high-school", 2, 1)
    with pytest.raises(InputError, match="classes_per_grade"):
        generate_school("primary", 0, 1)
    tight = dataclasses.replace(NATIONAL, study_cap_hours=(3.0, 3.0))
    with pytest.raises(InputError, match="study_cap"):
        generate_school("junior", 1, 1, tight)


@pytest.mark.parametrize("weekly,shape", [(26, (5, 5, 5, 5, 6)), (30, (6, 6, 6, 6, 6)),
                                          (34, (7, 7, 7, 7, 6)), (28, (6, 6, 6, 5, 5))])
def test_day_shape(weekly, shape):
    assert day_shape(weekly, 5) == shape


@pytest.mark.parametrize("profile", PROFILE_NAMES)
@pytest.mark.parametrize("preset", list(PRESETS))
def test_structure_follows_the_policy(preset, profile):
    policy = PROFILES[profile]
    school = generate_school(preset, 2, 4, policy)
    assert school.profile == profile
    assert school.policy() == policy
    assert school.grades == PRESETS[preset]
    assert len(school.classes) == 2 * len(PRESETS[preset])
    assert [s.name for s in school.schedules] == (
        ["小学部", "初中部"] if preset == "nine-year" else ["初中部" if preset == "junior" else "小学部"])
    for i, c in enumerate(school.classes):
        assert sum(c.periods_per_day) == policy.periods_for(c.grade)
        expected = weekly_periods(c.grade, policy)
        got = Counter()
        for q in school.requirements_of_class[i]:
            r = school.requirements[q]
            got[school.subjects[r.subject].name] += r.periods
            # the teacher teaches only subjects listed for them
            assert r.subject in school.teachers[r.teacher].subjects
        assert dict(got) == expected
    _check_bell_schedules(school, policy)


def _check_bell_schedules(school: School, policy: Policy) -> None:
    """The schedule-level timetable rules of docs/rules.md, recomputed independently."""
    for i, c in enumerate(school.classes):
        grade, stage = c.grade, stage_of(c.grade)
        for d in range(len(school.days)):
            day = school.day_of(i, d)
            usable = day.periods[:school.usable_periods(i, d)]
            assert usable[0].start >= policy.earliest_start_minutes(grade)
            assert all(p.minutes == policy.period_minutes_for(grade) for p in day.periods)
            assert sum(p.minutes for p in usable) <= policy.study_cap_minutes(grade)
            longs = day.of_kind(SegmentKind.LONG_BREAK)
            assert len([s for s in longs if s.minutes >= policy.long_break_minutes]) \
                >= policy.long_breaks_per_day
            lessons = list(day.periods)
            for a, b in zip(lessons, lessons[1:]):
                assert b.start - a.end >= policy.min_short_break_minutes
            breaks = sum(s.minutes for s in day.segments
                         if s.kind in (SegmentKind.BREAK, SegmentKind.EYE, SegmentKind.LONG_BREAK))
            assert breaks >= policy.min_daily_break_for(grade)
            assert day.lunch is not None and day.activity is not None
            assert day.activity.start >= lessons[-1].end
            after = day.of_kind(SegmentKind.AFTER_SCHOOL)
            assert after and after[0].end <= 19 * 60
            # a session day reaches the daily activity target
            lb = sum(s.minutes for s in longs)
            pe = policy.period_minutes_for(grade) if policy.daily_pe else 0
            assert lb + pe + day.activity.minutes >= policy.daily_activity_minutes
        assert stage in ("primary", "junior")


def test_bell_schedule_details_national():
    school = generate_school("nine-year", 1, 2)
    primary, junior = school.schedules
    p = primary.days[0]
    assert (p.periods[0].start, p.periods[0].end) == (8 * 60 + 20, 9 * 60)
    assert len(p.periods) == 6
    lb = p.of_kind(SegmentKind.LONG_BREAK)
    assert len(lb) == 1 and lb[0].start == p.periods[1].end and lb[0].minutes == 30
    assert p.lunch.start == p.periods[3].end and p.lunch.end == 14 * 60
    j = junior.days[0]
    # the junior day starts at 8:10, so both 学部 have the 大课间 at 9:50 (long_break_common)
    assert j.periods[0].start == 8 * 60 + 10 and j.periods[0].minutes == 45 and len(j.periods) == 7
    assert j.of_kind(SegmentKind.LONG_BREAK)[0].start == lb[0].start == 9 * 60 + 50
    assert [len(d.periods) for d in junior.days] == [7, 7, 7, 7, 6]
    # 课后服务: the after-class activity and the service make 2 hours on every day
    for sched in (primary, junior):
        for day in sched.days:
            tail = day.of_kind(SegmentKind.ACTIVITY) + day.of_kind(SegmentKind.AFTER_SCHOOL)
            assert sum(x.minutes for x in tail) == 120
    # double periods only inside a morning/afternoon block
    assert p.joined == (True, False, True, False, True, False)


def test_beijing_two_long_breaks_and_long_short_breaks():
    school = generate_school("primary", 1, 2, PROFILES["beijing-2024"])
    day = school.schedules[0].days[0]
    longs = day.of_kind(SegmentKind.LONG_BREAK)
    assert len(longs) == 2
    assert longs[0].end <= day.lunch.start and longs[1].start >= day.lunch.end


def test_sessions_needed_per_profile():
    for profile, expected in (("national", {1: 1, 2: 1, 3: 2, 7: 2, 9: 2}),
                              ("guangdong-2025", {1: 5, 4: 5, 8: 5}),
                              ("beijing-2024", {1: 0, 5: 0, 9: 0})):
        policy = PROFILES[profile]
        school = generate_school("nine-year", 1, 3, policy)
        for grade, n in expected.items():
            cls = school.classes_of_grade(grade)[0]
            assert sessions_needed(school, policy, cls) == n, (profile, grade)


def test_staffing_is_realistic():
    school = generate_school("nine-year", 4, 9)
    load = Counter()
    classes_of = defaultdict(set)
    for r in school.requirements:
        load[r.teacher] += r.periods
        classes_of[r.teacher].add(r.cls)
    names = [t.name for t in school.teachers]
    assert len(set(names)) == len(names)
    assert all(2 <= len(n) <= 3 and all("\u4e00" <= ch <= "\u9fff" for ch in n) for n in names)
    main = {school.subject_index["语文"], school.subject_index["数学"]}
    for t, teacher in enumerate(school.teachers):
        stage = school.classes[next(iter(classes_of[t]))].stage
        if main & set(teacher.subjects):
            assert 1 <= len(classes_of[t]) <= 2
        most = 16 if stage == "primary" else 14
        assert load[t] <= most + 2, (teacher, load[t])
        assert len({school.classes[c].stage for c in classes_of[t]}) == 1
    # every class has its own 班主任 teaching it 语文 or 数学: a perfect matching exists
    candidates = {c: {r.teacher for r in (school.requirements[q]
                                          for q in school.requirements_of_class[c])
                      if r.subject in main} for c in range(len(school.classes))}
    assert _matching_size(candidates) == len(school.classes)
    # a few part-time / itinerant teachers with half-days off, no more
    off = [t for t in school.teachers if t.unavailable]
    itinerant = [t for t in school.teachers if t.schools]
    assert 1 <= len(off) <= len(school.teachers) // 5
    assert itinerant and all(school.name in t.schools and len(t.schools) == 2 for t in itinerant)
    assert any(t.max_periods_per_day for t in school.teachers)
    # some double periods, not many
    doubles = sum(r.doubles for r in school.requirements)
    assert 0 < doubles <= len(school.classes) or _no_double_drawn(school)


def _no_double_drawn(school: School) -> bool:
    return all(r.doubles == 0 for r in school.requirements)


def _matching_size(candidates: dict[int, set[int]]) -> int:
    owner: dict[int, int] = {}

    def augment(c: int, seen: set[int]) -> bool:
        for t in sorted(candidates[c]):
            if t in seen:
                continue
            seen.add(t)
            if t not in owner or augment(owner[t], seen):
                owner[t] = c
                return True
        return False

    return sum(augment(c, set()) for c in candidates)


def test_doubles_appear_across_seeds():
    total = sum(sum(r.doubles for r in generate_school("nine-year", 2, s).requirements)
                for s in range(4))
    assert total > 0


def test_venues_fit_the_school():
    school = generate_school("junior", 6, 1)
    kinds = Counter(v.kind for v in school.venues)
    assert kinds["lab"] >= 2 and kinds["computer"] >= 1 and kinds["music"] >= 1
    assert kinds[GROUND] >= 1
    assert all(v.capacity == 1 for v in school.venues if v.kind != GROUND)
    primary = generate_school("primary", 2, 1)
    assert not primary.venues_of_kind("lab")


def test_policy_overrides_are_kept():
    from jianfu.models.policy import SoftWeights

    policy = dataclasses.replace(NATIONAL, study_cap_hours=(6.0, 7.0), long_break_minutes=25,
                                 min_short_break_minutes=12,
                                 weights=SoftWeights(teacher_gaps=4))
    school = generate_school("junior", 2, 3, policy)
    assert school.profile == "national"
    assert dict(school.policy_overrides)["long_break_minutes"] == 25
    assert school.policy() == policy
    hash(school)
    assert school_from_dict(load_yaml(dump_school(school)), "g.yaml") == school
    assert slack_report(school, policy)["ok"]
    gaps = [b.start - a.end for a, b in zip(school.schedules[0].days[0].periods,
                                            school.schedules[0].days[0].periods[1:])]
    assert min(gaps) >= 12


def test_name_parameter():
    assert generate_school("primary", 1, 1, name="示范小学").name == "示范小学"


# --- slack ----------------------------------------------------------------------------------

def _assert_slack(preset: str, cpg: int, seed: int, profile: str) -> None:
    policy = PROFILES[profile]
    school = generate_school(preset, cpg, seed, policy)
    report = slack_report(school, policy)
    assert report["ok"], (preset, cpg, seed, profile, report["problems"])
    assert all(row["ratio"] <= 0.8 for row in report["teachers"])
    assert report["ground"]["need"] <= report["ground"]["capacity"]


@pytest.mark.parametrize("profile", PROFILE_NAMES)
@pytest.mark.parametrize("preset", list(PRESETS))
def test_slack_report_passes(preset, profile):
    # every class count 1..8, with a seed that changes along the way
    for cpg in range(1, 9):
        _assert_slack(preset, cpg, cpg * 7 + len(profile), profile)


@pytest.mark.slow
@pytest.mark.parametrize("profile", PROFILE_NAMES)
@pytest.mark.parametrize("preset", list(PRESETS))
def test_slack_report_passes_many_seeds(preset, profile):
    for cpg, seed in itertools.product(range(1, 9), range(6)):
        _assert_slack(preset, cpg, seed, profile)


def test_slack_report_finds_overload():
    policy = PROFILES["guangdong-2025"]
    school = generate_school("nine-year", 3, 1, policy)
    assert slack_report(school, policy)["ok"]
    # the ground shrunk to one class at a time
    small = dataclasses.replace(school, venues=tuple(
        dataclasses.replace(v, capacity=1) if v.kind == GROUND else v for v in school.venues))
    report = slack_report(small, policy)
    assert not report["ok"] and any("ground" in p for p in report["problems"])
    # a single music room for 27 classes
    music = [i for i, v in enumerate(school.venues) if v.kind == "music"]
    fewer = dataclasses.replace(school, venues=tuple(
        v for i, v in enumerate(school.venues) if i not in music[1:]))
    assert any("music" in p for p in slack_report(fewer, policy)["problems"])
    # a teacher away four days of five
    t = max(range(len(school.teachers)),
            key=lambda i: sum(school.requirements[q].periods
                              for q in school.requirements_of_teacher[i]))
    from jianfu.models.school import Unavailable
    away = tuple(Unavailable(d, 0, 24 * 60) for d in range(4))
    teachers = list(school.teachers)
    teachers[t] = dataclasses.replace(teachers[t], unavailable=away)
    report = slack_report(dataclasses.replace(school, teachers=tuple(teachers)), policy)
    assert any(school.teachers[t].name in p for p in report["problems"])


def test_slack_report_rows():
    school = generate_school("primary", 2, 2)
    report = slack_report(school, NATIONAL)
    assert len(report["teachers"]) == len(school.teachers)
    assert {row["class"] for row in report["classes"]} == {c.name for c in school.classes}
    assert all(row["periods"] == row["profile"] == row["slots"] for row in report["classes"])
    parts = report["ground"]["schedules"]
    assert len(parts) == 1
    assert parts[0]["sessions"] == sum(row["sessions"] for row in report["classes"])
    assert math.isfinite(report["ground"]["need"])


# --- property: any generated school round-trips through its file and has slack ---------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from jianfu.instances.schoolfile import load_yaml, school_from_dict  # noqa: E402


@settings(max_examples=20, deadline=None)
@given(preset=st.sampled_from(sorted(PRESETS)), cpg=st.integers(1, 4),
       seed=st.integers(0, 2**31), profile=st.sampled_from(PROFILE_NAMES))
def test_any_generated_school_round_trips_and_has_slack(preset, cpg, seed, profile):
    policy = PROFILES[profile]
    school = generate_school(preset, cpg, seed, policy)
    assert school_from_dict(load_yaml(dump_school(school)), "g.yaml") == school
    report = slack_report(school, policy)
    assert report["ok"], report["problems"]
    for i in range(len(school.classes)):
        assert 0 <= sessions_needed(school, policy, i) <= len(school.days)


def test_changed_weekly_totals_are_filled_with_local_hours():
    policy = dataclasses.replace(NATIONAL, weekly_periods=(27, 26, 30, 30, 30, 30, 34, 34, 32))
    school = generate_school("nine-year", 1, 1, policy)
    assert slack_report(school, policy)["ok"]
    g1 = school.classes_of_grade(1)[0]
    local = school.subject_index["地方与校本课程"]
    assert next(school.requirements[q].periods for q in school.requirements_of_class[g1]
                if school.requirements[q].subject == local) == 2
    assert sum(school.classes[g1].periods_per_day) == 27
    g9 = school.classes_of_grade(9)[0]
    assert sum(school.requirements[q].periods for q in school.requirements_of_class[g9]) == 32
    with pytest.raises(InputError, match="weekly_periods"):
        generate_school("junior", 1, 1, dataclasses.replace(
            NATIONAL, weekly_periods=(26, 26, 30, 30, 30, 30, 20, 34, 34)))


@pytest.mark.parametrize("preset, per_grade", [("primary", 1), ("nine-year", 3)])
def test_every_class_has_a_head_teacher_who_teaches_it_chinese_or_maths(preset, per_grade):
    school = generate_school(preset, per_grade, 4)
    main = {school.subject_index["语文"], school.subject_index["数学"]}
    for c, cls in enumerate(school.classes):
        assert cls.head_teacher is not None, cls.name
        taught = {school.requirements[q].subject for q in school.requirements_of_class[c]
                  if school.requirements[q].teacher == cls.head_teacher}
        assert taught & main, cls.name
    # the two classes of a 班主任 pair share their 语文 and 数学 teachers, not their 班主任
    heads = [cls.head_teacher for cls in school.classes]
    assert len(set(heads)) == len(heads)


# --- structures (issue #17): 班会, 升旗仪式, 教研活动, 行政会, 禁排, wishes, 分组, 合班, 复式班,
# 走班, 单双周 --------------------------------------------------------------------------------

from jianfu.instances.generator import Structures, structure_counts  # noqa: E402
from jianfu.models.checker import plan_violations  # noqa: E402
from jianfu.models.school import CLASS_MEETING, WEEKS, Half  # noqa: E402

# structure_counts keys each school of a kind must have (> 0)
EVERY_SCHOOL = ("class_meeting", "class_meeting_fixed", "flag_raising", "forbidden",
                "research_meetings", "admin_meeting", "wishes")
JUNIOR = ("pe_groups", "combined_pe")


def _english_teachers_to_spare(school: School) -> bool:
    """Whether a junior grade's parallel classes have two or more 外语 teachers: where
    外语分层 (走班) applies (a block's groups need distinct teachers, each class's own)."""
    language = school.subject_index["外语"]
    return any(len({school.requirements[q].teacher for c in school.classes_of_grade(g)
                    for q in school.requirements_of_class[c]
                    if school.requirements[q].subject == language}) >= 2
               for g in school.grades if g >= 7)


def test_without_structures_the_school_is_todays():
    # the option off (or every structure off) changes nothing: fingerprints stay
    for preset, k, seed in (("nine-year", 2, 5), ("primary", 1, 0), ("junior", 3, 2)):
        today = generate_school(preset, k, seed)
        assert generate_school(preset, k, seed, structures=False) == today
        assert generate_school(preset, k, seed, structures=Structures.none()) == today
        assert dump_school(generate_school(preset, k, seed, structures=Structures.none())) \
            == dump_school(today)
    assert not any(structure_counts(generate_school("nine-year", 1, 0)).values())


@pytest.mark.parametrize("preset, per_grade, seed", [
    ("primary", 1, 0), ("primary", 2, 1), ("junior", 1, 2), ("junior", 3, 3),
    ("nine-year", 1, 4), ("nine-year", 4, 0), ("nine-year", 8, 0)])
def test_structures_are_there_and_leave_room(preset, per_grade, seed):
    policy = NATIONAL
    school = generate_school(preset, per_grade, seed, policy, structures=True)
    counts = structure_counts(school)
    want = EVERY_SCHOOL + (JUNIOR[:1] if preset != "primary" else ()) \
        + (JUNIOR[1:] if preset != "primary" and per_grade > 1 else ()) \
        + (("multi_grade",) if preset != "junior" and per_grade == 1 else ()) \
        + (("alternates",) if preset != "junior" else ())
    assert all(counts[k] > 0 for k in want), counts
    assert bool(counts["blocks"]) == _english_teachers_to_spare(school), counts
    if preset == "primary":
        assert counts["pe_groups"] == counts["combined_pe"] == 0
    if per_grade > 1:
        assert counts["multi_grade"] == 0
    # one 班会 a class, by its 班主任; most fixed; the weekly totals kept, in each week
    assert counts["class_meeting"] == len(school.classes)
    assert counts["class_meeting_fixed"] >= len(school.classes) // 3
    meeting = school.subject_index[CLASS_MEETING]
    for c, cls in enumerate(school.classes):
        mine = [school.requirements[q] for q in school.requirements_of_class[c]]
        assert [r.teacher for r in mine if r.subject == meeting] == [cls.head_teacher]
        assert {school.class_week_periods(c, w) for w in WEEKS} == {policy.periods_for(cls.grade)}
    assert not plan_violations(school, policy)   # the curriculum holds in both weeks
    # feasible by construction, and the school file reads back the same school
    report = slack_report(school, policy)
    assert report["ok"], report["problems"]
    assert school_from_dict(load_yaml(dump_school(school)), "g.yaml") == school
    assert generate_school(preset, per_grade, seed, policy, structures=True) == school


def test_structures_in_detail():
    school = generate_school("nine-year", 4, 0, structures=True)
    # 升旗仪式 on Monday before period 1, in both bell schedules, and only on Monday
    for schedule in school.schedules:
        event, = schedule.days[0].of_kind(SegmentKind.EVENT)
        assert event.label == "升旗仪式" and event.end <= schedule.days[0].periods[0].start
        assert not any(d.of_kind(SegmentKind.EVENT) for d in schedule.days[1:])
    # 男女分组: PE of a junior class, 男生 with its PE teacher, 女生 with another PE teacher
    pe = school.subject_index["体育与健康"]
    for split in school.splits:
        r = school.requirements[split.requirement]
        assert r.subject == pe and school.classes[r.cls].grade >= 7
        assert [g.name for g in split.groups] == ["男生", "女生"]
        assert split.groups[0].teacher == r.teacher != split.groups[1].teacher
        assert pe in school.teachers[split.groups[1].teacher].subjects
    # 体育合班: two parallel junior classes, one PE teacher
    for k in school.combined:
        a, b = (school.requirements[q] for q in k.members)
        assert a.subject == b.subject == pe and a.teacher == b.teacher == k.teacher
        assert school.classes[a.cls].grade == school.classes[b.cls].grade >= 7
    # 禁排: PE never right after lunch; 数学 not last in some junior grades only
    assert school.subjects[pe].forbidden
    maths = school.subject_index["数学"]
    assert {school.classes[r.cls].grade for r in school.requirements if r.forbidden} <= {7, 8, 9}
    assert all(r.subject == maths for r in school.requirements if r.forbidden)
    # 教研活动 each at its own half-day, none where a member has a fixed lesson
    halves = [(m.day, m.half) for m in school.meetings]
    assert len(set(halves)) == len(halves)
    assert {school.subjects[s].name for m in school.meetings for s in m.subjects} >= {"语文", "数学"}
    admin, = (m for m in school.meetings if not m.subjects)
    assert 3 <= len(admin.teachers) <= 5 and admin.half in (Half.MORNING, Half.AFTERNOON)
    for i, members in enumerate(school.meeting_members):
        for t in members:
            stretch = dict(school.meeting_times[t])[i]
            for q in school.requirements_of_teacher[t]:
                r = school.requirements[q]
                for d, p in school.fixed_periods[q]:
                    period = school.day_of(r.cls, d).periods[p]
                    assert not stretch.overlaps(d, period.start, period.end)


def test_english_blocks_and_alternating_weeks_in_detail():
    school = generate_school("nine-year", 2, 1, structures=True)
    counts = structure_counts(school)
    assert counts["blocks"] and counts["alternates"]
    language = school.subject_index["外语"]
    # 外语分层: parallel junior classes, groups A层, B层… each taught by one class's own teacher
    for b in school.blocks:
        members = [school.requirements[q] for q in b.members]
        grade, = {school.classes[r.cls].grade for r in members}
        assert grade >= 7 and b.name == f"{'一二三四五六七八九'[grade - 1]}年级外语分层"
        assert {r.subject for r in members} == {g.subject for g in b.groups} == {language}
        assert [g.name for g in b.groups] == [f"{x}层" for x in "ABC"[:len(b.groups)]]
        assert [g.teacher for g in b.groups] == [r.teacher for r in members]
        assert len({g.teacher for g in b.groups}) == len(b.groups) == len(members) >= 2
        assert not any((r.cls, r.subject) in school.combined_of or (r.cls, r.subject)
                       in school.split_of for r in members)
    # 单双周: 地方与校本课程 (or 综合实践活动) in 单周, 书法 (part of 地方与校本课程) in 双周
    calligraphy = school.subject_index["书法"]
    assert school.subjects[calligraphy].part_of == "地方与校本课程"
    sides = {"地方与校本课程", "综合实践活动"}
    for k in school.alternates:
        odd, even = school.requirements[k.odd], school.requirements[k.even]
        assert 3 <= school.classes[k.cls].grade <= 6 and school.subjects[odd.subject].name in sides
        assert (even.subject, even.periods, even.biweekly) == (calligraphy, 0, 1)
        assert calligraphy in school.teachers[even.teacher].subjects
        assert odd.biweekly == 1 and odd.cls == even.cls == k.cls
        grade = school.classes[k.cls].grade
        assert {school.class_week_periods(k.cls, w) for w in WEEKS} == {NATIONAL.periods_for(grade)}
    assert not plan_violations(school, NATIONAL)
    # each slot holds one teacher's weekly period (or a 美术 teacher with room): room kept
    assert slack_report(school, NATIONAL)["ok"]
    assert school_from_dict(load_yaml(dump_school(school)), "g.yaml") == school
    # 书法 is a subject only where it is taught; no 单双周 without primary grades 3–6
    junior = generate_school("junior", 2, 1, structures=True)
    assert "书法" not in junior.subject_index and not junior.alternates and junior.blocks


def test_multi_grade_classes_share_their_teacher():
    school = generate_school("primary", 1, 0, structures=True)
    assert school.combined
    for k in school.combined:
        a, b = (school.requirements[q] for q in k.members)
        assert (school.classes[a.cls].grade, school.classes[b.cls].grade) in ((1, 2), (3, 4))
        assert a.teacher == b.teacher == k.teacher and a.periods == b.periods
        assert k.name.endswith("复式")


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(Structures)])
def test_each_structure_alone(name):
    only = dataclasses.replace(Structures.none(), **{name: True})
    preset, k = ("primary", 1) if name == "multi_grade" else ("nine-year", 2)
    school = generate_school(preset, k, 1, structures=only)
    counts = structure_counts(school)
    assert counts[name] > 0
    others = {n for n, v in counts.items() if v and not n.startswith(name)}
    assert not others, others
    assert slack_report(school, school.policy())["ok"]


@settings(max_examples=15, deadline=None)
@given(preset=st.sampled_from(sorted(PRESETS)), cpg=st.integers(1, 4),
       seed=st.integers(0, 2**31), profile=st.sampled_from(PROFILE_NAMES))
def test_any_school_with_structures_round_trips_and_has_slack(preset, cpg, seed, profile):
    policy = PROFILES[profile]
    school = generate_school(preset, cpg, seed, policy, structures=True)
    assert school.policy() == policy
    assert school_from_dict(load_yaml(dump_school(school)), "g.yaml") == school
    report = slack_report(school, policy)
    assert report["ok"], report["problems"]
    assert structure_counts(school)["class_meeting"] == len(school.classes)


@pytest.mark.slow
@pytest.mark.parametrize("profile", PROFILE_NAMES)
@pytest.mark.parametrize("preset", list(PRESETS))
def test_structures_leave_room_many_seeds(preset, profile):
    policy = PROFILES[profile]
    for cpg, seed in itertools.product(range(1, 9), range(4)):
        school = generate_school(preset, cpg, seed, policy, structures=True)
        report = slack_report(school, policy)
        assert report["ok"], (preset, cpg, seed, profile, report["problems"])
