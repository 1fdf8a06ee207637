"""调代课: plan_week on the smallest schools — a cover teacher, only a swap, a class away,
a requested swap, an impossible week; every plan passes check_week."""

from collections import Counter

from change_fixtures import DATES, DAY, cover_school, swap_school

from jianfu.models.change import Absence, Away, SwapRequest
from jianfu.models.checker import check, check_week
from jianfu.models.school import Teacher
from jianfu.solver.school.change import plan_week


def _hard(s, p, plan):
    return [v.message for v in check_week(s, p, plan.week) if v.hard]


def test_bases_are_compliant():
    for s, p, base in (cover_school(), cover_school(second_same=True), swap_school()):
        assert not [v.message for v in check(s, p, base) if v.hard]


def test_a_cover_teacher_is_found_and_cover_is_spread():
    s, p, base = cover_school()
    counts = Counter()
    plan = plan_week(s, p, base, DATES, absences=[Absence(s.teacher_index["王芳"], 0, 0, DAY)],
                     cover_counts=counts)
    assert plan.found and not _hard(s, p, plan)
    assert plan.moves == ()
    # 孙丽 (no lessons that day) first, then 赵敏 (fewer covers), then 孙丽 again
    assert [(c.lessons[0].period, s.teachers[c.teacher].name) for c in plan.covers] == \
        [(0, "孙丽"), (1, "赵敏"), (2, "孙丽")]
    assert counts == Counter({s.teacher_index["孙丽"]: 2, s.teacher_index["赵敏"]: 1})
    covered = [x for x in plan.week.timetable.lessons if x.cover]
    assert len(covered) == 3 and all(x.cls == 0 and x.day == 0 for x in covered)


def test_cover_counts_carry_over_within_a_run():
    s, p, base = cover_school()
    counts = Counter({s.teacher_index["孙丽"]: 5})   # 孙丽 has covered a lot already
    plan = plan_week(s, p, base, DATES, absences=[Absence(s.teacher_index["王芳"], 0, 0, DAY)],
                     cover_counts=counts)
    assert [s.teachers[c.teacher].name for c in plan.covers] == ["赵敏", "赵敏", "赵敏"]


def test_daily_maximum_rules_a_candidate_out():
    s, p, base = cover_school(extra=False)
    busy = s.teacher_index["赵敏"]
    teachers = list(s.teachers)
    teachers[busy] = Teacher("赵敏", max_periods_per_day=4)
    import dataclasses
    s = dataclasses.replace(s, teachers=tuple(teachers))
    plan = plan_week(s, p, base, DATES, absences=[Absence(s.teacher_index["王芳"], 0, 0, DAY)])
    # 赵敏 has 3 lessons on 周一: one cover more, then the other two lessons must move
    assert [s.teachers[c.teacher].name for c in plan.covers] == ["赵敏"]
    assert plan.found and not _hard(s, p, plan) and plan.moves


def test_only_a_swap_works():
    s, p, base = swap_school()
    plan = plan_week(s, p, base, DATES, absences=[Absence(0, 0, 0, DAY)])
    assert plan.found and plan.covers == () and not _hard(s, p, plan)
    assert [m.text(s) for m in plan.moves] == [
        "一班 数学（王芳） 周一第1节 → 周二第6节", "一班 语文（李强） 周二第6节 → 周一第1节"]


def test_prefer_swap_moves_instead_of_covering():
    s, p, base = cover_school()
    plan = plan_week(s, p, base, DATES, absences=[Absence(s.teacher_index["王芳"], 0, 0, DAY)],
                     prefer="swap")
    assert plan.found and plan.covers == () and not _hard(s, p, plan)
    assert len(plan.moves) == 6   # 王芳's three lessons to 周二, three 语文 to 周一


def test_a_class_away_cancels_its_lessons_and_frees_its_teachers():
    s, p, base = cover_school(extra=False, second_same=True)
    wang, zhao = s.teacher_index["王芳"], s.teacher_index["赵敏"]
    alone = plan_week(s, p, base, DATES, absences=[Absence(wang, 0, 0, 12 * 60)])
    assert alone.covers == () and len(alone.moves) == 6   # 赵敏 teaches 二班 then
    plan = plan_week(s, p, base, DATES, absences=[Absence(wang, 0, 0, 12 * 60)],
                     away=[Away(1, 0, 0, 12 * 60, "研学")])
    assert plan.found and not _hard(s, p, plan) and plan.moves == ()
    assert [(x.cls, x.day, x.period) for x in plan.week.cancelled] == [(1, 0, 0), (1, 0, 1),
                                                                       (1, 0, 2), (1, 0, 3)]
    # 王芳's three morning lessons, by 赵敏, whose 二班 lessons then are cancelled
    assert [(c.lessons[0].period, c.teacher, c.absent) for c in plan.covers] == \
        [(0, zhao, wang), (1, zhao, wang), (2, zhao, wang)]


def test_a_class_away_alone_only_cancels():
    s, p, base = cover_school()
    plan = plan_week(s, p, base, DATES, away=[Away(0, 1, 0, DAY)])
    assert plan.found and plan.moves == () and plan.covers == ()
    assert len(plan.week.cancelled) == 6 and not _hard(s, p, plan)


def test_a_requested_swap():
    s, p, base = swap_school()
    plan = plan_week(s, p, base, DATES, swaps=[SwapRequest(0, 0, 0, 1, 1, 5)])
    assert plan.found and not _hard(s, p, plan)
    assert [m.text(s) for m in plan.moves] == [
        "一班 数学（王芳） 周一第1节 → 周二第6节", "一班 语文（李强） 周二第6节 → 周一第1节"]


def test_a_swap_of_two_classes_is_refused_with_its_reason():
    s, p, base = cover_school()
    plan = plan_week(s, p, base, DATES, swaps=[SwapRequest(s.teacher_index["王芳"], 0, 0,
                                                          s.teacher_index["赵敏"], 0, 3)])
    assert not plan.found
    assert plan.reasons == ("王芳 的课在一班，赵敏 的课在二班：不是同一个班，不能互换 — the two "
                            "lessons are of different classes",)


def test_an_impossible_week_says_who_and_why():
    s, p, base = swap_school()
    plan = plan_week(s, p, base, DATES, absences=[Absence(0, 0, 0, DAY), Absence(0, 1, 0, DAY)],
                     time_limit=10)
    assert not plan.found
    assert plan.reasons[0] == ("王芳 不在校：一班 周一（10月12日）第1节 数学 找不到代课教师 — no "
                               "cover teacher")
    assert plan.reasons[1] == "  没有其他教师任教数学 no other teacher is qualified for 数学"
    assert plan.reasons[-1] == ("已证明：本周内没有能保持全部规则的调课方案 — proven: no moves "
                                "within the week keep every rule") and plan.proven


def test_an_impossible_swap_says_what_the_checker_finds_wrong_with_it():
    s, p, base = swap_school()
    # 王芳 cannot teach 周二 before 14:45, and no other moves help
    plan = plan_week(s, p, base, DATES, swaps=[SwapRequest(0, 0, 0, 1, 1, 0)], time_limit=10)
    assert not plan.found and not plan.rejected
    assert plan.reasons[1] == "王芳 周一第1节 与 李强 周二第1节 互换，照原样调换时 — the swap as asked:"
    assert plan.reasons[2:] == ("  王芳 周二 00:00–14:45 不能上课，却排了 一班 周二第1节（08:30–09:10） "
                                "数学 — teacher 王芳 is unavailable Tue 00:00–14:45 but teaches 一班 "
                                "Tue period 1 (08:30–09:10)",)


def test_cover_is_spread_over_the_weeks_of_one_run():
    from datetime import date, timedelta

    from jianfu.models.change import WeekRequest
    from jianfu.solver.school.change import plan_weeks

    s, p, base = cover_school()
    wang = s.teacher_index["王芳"]
    later = {d: x + timedelta(days=7) for d, x in DATES.items()}
    weeks = {date(2026, 10, 12): WeekRequest(DATES, (Absence(wang, 0, 0, DAY),)),
             date(2026, 10, 19): WeekRequest(later, (Absence(wang, 0, 0, DAY),))}
    plans = plan_weeks(s, p, base, weeks)
    assert [[s.teachers[c.teacher].name for c in plan.covers] for _, plan in plans] == [
        ["孙丽", "赵敏", "孙丽"], ["赵敏", "孙丽", "赵敏"]]
    assert [plan.week.date_of(0) for _, plan in plans] == [date(2026, 10, 12),
                                                          date(2026, 10, 19)]


def test_nothing_moves_onto_a_day_without_school_that_week():
    s, p, base = swap_school()
    holiday = {0: DATES[0]}   # 周二 is a holiday this week: its lessons are not held
    plan = plan_week(s, p, base, holiday, absences=[Absence(0, 0, 0, DAY)], time_limit=10)
    assert not plan.found and "找不到代课教师" in plan.reasons[0]
