"""Alternating weeks (单双周): a period holding one subject in odd weeks, another in even ones."""

from __future__ import annotations

from dataclasses import replace

from jianfu.instances.timetable_io import read_timetable, write_timetable
from jianfu.models.checker import check, summarize
from jianfu.models.core import compile_school
from jianfu.models.timetable import Timetable
from jianfu.solver import Status, solve

from builders import fit_policy, mini_school, timetable, verified

C1, C2 = "一班", "二班"


def run(s, p, limit=20, **kwargs):
    return solve(s, p, time_limit=limit, workers=1, **kwargs)


def science_school(days=2, **kwargs):
    """Two classes: 科学 1.5 a week (one every week, one 单周) against 美术 in 双周; 一班 also
    has 音乐 every other week (单周) against nothing — and 数学 in 双周 to keep 30 a week."""
    return mini_school(
        [(C1, 3), (C2, 3)],
        [(C1, "语文", "王芳", 4), (C1, "数学", "李明", 3.5), (C1, "科学", "赵磊", 1.5),
         (C1, "美术", "孙丽", 0.5), (C1, "音乐", "陈静", 0.5),
         (C2, "语文", "赵丽", 4), (C2, "数学", "李明", 3), (C2, "科学", "赵磊", 1.5),
         (C2, "美术", "孙丽", 0.5), (C2, "音乐", "陈静", 1)],
        days=days, alternates=[(C1, "科学", "美术"), (C2, "科学", "美术"), (C1, "音乐", "数学")],
        **kwargs)


def weeks_of(s, tt, cls):
    """(day, period) → {week: subject} of the class's lessons with a week."""
    out: dict = {}
    for x in tt.lessons:
        if x.cls == s.class_index[cls] and x.week is not None:
            out.setdefault((x.day, x.period), {})[x.week] = s.subjects[x.subject].name
    return out


def test_alternates_solve_and_the_checker_finds_nothing(tmp_path):
    s = science_school()
    p = fit_policy(s)
    assert p.weekly_periods[2] == 10   # 4 + 3 + 1 every week, and the two alternating slots
    r = run(s, p)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)
    pairs = sorted((x[1], x[2]) for x in weeks_of(s, r.timetable, C1).values())
    assert pairs == [("科学", "美术"), ("音乐", "数学")]
    assert list(weeks_of(s, r.timetable, C2).values()) == [{1: "科学", 2: "美术"}]
    # the class has nothing else in its alternating slots
    slots = set(weeks_of(s, r.timetable, C1))
    assert not any((x.day, x.period) in slots for x in r.timetable.lessons
                   if x.cls == 0 and x.week is None)
    path = tmp_path / "tt.json"
    write_timetable(r.timetable, s, path)
    assert read_timetable(path, s) == r.timetable
    text = path.read_text(encoding="utf-8")
    assert text.count('"week": "单"') == 3 and text.count('"week": "双"') == 3


def test_an_alternating_slot_is_one_activity_with_both_weeks_teachers():
    s = science_school()
    problem = compile_school(s, fit_policy(s))
    alt = [a for a in problem.activities if a.alternate]
    assert len(alt) == 3 and all(a.count == 1 and a.doubles == 0 for a in alt)
    first = alt[0]
    assert [s.teachers[t].name for t in first.teachers] == ["赵磊", "孙丽"]
    assert [(w, s.subjects[sub].name) for w, sub, _, _ in first.alternate] == [(1, "科学"), (2, "美术")]
    assert not first.main and alt[2].main          # 数学 on one side: a main-subject slot
    # the weekly activities: 科学 once a week; 美术, held only in 双周, has none
    weekly = {(a.group, s.subjects[a.subject].name): a.count for a in problem.activities
              if not a.alternate}
    assert weekly[(0, "科学")] == 1 and (0, "美术") not in weekly and (1, "音乐") in weekly


def test_main_morning_counts_an_alternating_slot_once_and_binds():
    # one day, four morning periods: 语文 ×3 and the 语文/美术 slot fit the morning; with
    # 数学 for one 科学 a fifth main lesson goes to the afternoon
    def school(extra):
        return mini_school([(C1, 3)], [(C1, "语文", "王芳", 3.5), (C1, "美术", "孙丽", 0.5),
                                       (C1, "科学", "赵磊", 2 - len(extra))]
                           + [(C1, m, "李明", 1) for m in extra],
                           days=1, alternates=[(C1, "语文", "美术")])
    for extra, optimum in (((), 0), (("数学",), 1)):
        s = school(extra)
        p = fit_policy(s, zero=True, weights={"main_morning": 1})
        r = run(s, p)
        assert r.status is Status.OPTIMAL and r.objective == optimum
        verified(s, p, r)


def test_the_engine_keeps_both_weeks_teachers_the_checker_does_not_need_it():
    # 赵磊 teaches 科学 单周 in 一班 and 双周 in 二班: in one period the checker accepts it
    # (one lesson a week), the engine, which keeps him for both slots every week, puts
    # them apart
    s = mini_school([(C1, 3), (C2, 3)],
                    [(C1, "语文", "王芳", 2), (C1, "科学", "赵磊", 0.5), (C1, "美术", "孙丽", 0.5),
                     (C2, "语文", "赵丽", 2), (C2, "科学", "赵磊", 0.5), (C2, "美术", "孙丽", 0.5)],
                    days=1, periods=3, alternates=[(C1, "科学", "美术"), (C2, "美术", "科学")])
    p = fit_policy(s, zero=True)
    hand = timetable(s, [(C1, 0, 1, "语文"), (C1, 0, 2, "语文"),
                         (C2, 0, 1, "语文"), (C2, 0, 2, "语文")])
    extra = [replace(x, week=w) for x, w in (
        (timetable(s, [(C1, 0, 3, "科学")]).lessons[0], 1),
        (timetable(s, [(C1, 0, 3, "美术")]).lessons[0], 2),
        (timetable(s, [(C2, 0, 3, "美术")]).lessons[0], 1),
        (timetable(s, [(C2, 0, 3, "科学")]).lessons[0], 2))]
    hand = Timetable(hand.lessons + tuple(extra), hand.sessions)
    assert summarize(check(s, p, hand), p).hard == 0
    r = run(s, p)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)
    a, b = (set(weeks_of(s, r.timetable, c)) for c in (C1, C2))
    assert a and b and not a & b


def test_keep_holds_the_alternating_slots_where_they_were():
    s = science_school()
    p = fit_policy(s)
    first = run(s, p)
    again = run(s, p, keep=first.timetable)
    summary = verified(s, p, again, kept=first.timetable)
    assert again.moved == 0 and summary.terms["moved_lesson"].units == 0
    assert weeks_of(s, again.timetable, C1) == weeks_of(s, first.timetable, C1)
    locked = run(s, p, keep=first.timetable, lock=True)
    assert locked.locked == len(first.timetable.lessons)
    assert set(first.timetable.lessons) <= set(locked.timetable.lessons)


def test_views_show_both_weeks_in_the_cell_and_count_half_periods():
    from jianfu.instances.views import class_grid, teacher_grid

    s = science_school()
    r = run(s, fit_policy(s))
    grid = class_grid(s, r.timetable, 0)
    cells = [row.cell_text(d) for row in grid.rows if row.is_period for d in range(len(s.days))]
    both = [c for c in cells if "科学(单周)" in c]
    assert len(both) == 1 and "美术(双周)\n孙丽" in both[0]
    assert grid.subtitle.endswith("每周 10 节")          # 8 every week + two slots
    sun = teacher_grid(s, r.timetable, s.teacher_index["孙丽"])
    assert sun.subtitle.endswith("每周 1 节")             # two 双周 lessons: one a week


def test_fet_export_writes_an_alternating_slot_as_one_weekly_activity_with_both_teachers():
    from jianfu.instances.fet_export import school_to_fet

    s = science_school()
    fet = school_to_fet(s, fit_policy(s))
    mine = [a for a in fet.activities if a.students == (C1,)]
    assert len(mine) == 10   # 语文 4, 数学 3, 科学 1 weekly, and the two slots
    both = [sorted(fet.teachers[t] for t in a.teachers) for a in mine if len(a.teachers) == 2]
    assert sorted(both) == [["孙丽", "赵磊"], ["李明", "陈静"]]


def test_a_week_short_of_its_total_is_explained_before_searching():
    # 音乐 every other week against nothing: 双周 has one period fewer (rule weekly_total)
    s = mini_school([(C1, 3)], [(C1, "语文", "王芳", 4), (C1, "音乐", "陈静", 0.5)],
                    days=1, alternates=[(C1, "音乐", None)])
    p = fit_policy(s)
    assert p.weekly_periods[2] == 5
    r = run(s, p)
    assert r.status is Status.INFEASIBLE and r.timetable is None
    assert any("一班 双周安排 4 节课" in x and "in even weeks" in x for x in r.explanation), \
        r.explanation
