"""Split lessons (分组): a class in groups, each with its own teacher, at the same time."""

from __future__ import annotations

import dataclasses

import pytest

from jianfu.instances.timetable_io import read_timetable, timetable_from_dict, write_timetable
from jianfu.models.checker import check
from jianfu.models.core import compile_school
from jianfu.models.errors import InputError
from jianfu.models.school import Split, SplitGroup, Subject, Category
from jianfu.solver import Status, solve

from builders import SUBJECTS, fit_policy, mini_school, verified


def run(s, p, limit=20):
    return solve(s, p, time_limit=limit, workers=1)


def _split(s, cls, subject, *groups, venue_kind=None):
    """``s`` with (cls, subject) split into ``groups``: (name, teacher[, subject])."""
    c, sub = s.class_index[cls], s.subject_index[subject]
    q = next(i for i, r in enumerate(s.requirements) if (r.cls, r.subject) == (c, sub))
    parts = tuple(SplitGroup(g[0], s.subject_index[g[2]] if len(g) > 2 else sub,
                             s.teacher_index[g[1]]) for g in groups)
    return dataclasses.replace(s, splits=s.splits + (Split(q, parts, venue_kind),))


def pe_school(days=2):
    s = mini_school([("一班", 1), ("二班", 1)],
                    [("一班", "语文", "王芳", 4), ("一班", "体育", "张伟", 2), ("一班", "数学", "李明", 6),
                     ("二班", "语文", "赵丽", 4), ("二班", "体育", "张伟", 2), ("二班", "数学", "李明", 6)],
                    teachers=("李娜",), days=days)
    return _split(s, "一班", "体育", ("男生", "张伟"), ("女生", "李娜"))


def test_split_pe_solves_both_teachers_at_once_and_the_class_has_its_pe_once(tmp_path):
    s = pe_school()
    p = fit_policy(s)
    r = run(s, p)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)
    pe = s.subject_index["体育"]
    mine = [x for x in r.timetable.lessons if x.cls == 0 and x.subject == pe]
    assert len(mine) == 4                                      # 2 periods × 2 groups
    by_group = {g: sorted((x.day, x.period) for x in mine if x.group == g) for g in ("男生", "女生")}
    assert by_group["男生"] == by_group["女生"] and len(by_group["男生"]) == 2
    assert {s.teachers[x.teacher].name for x in mine if x.group == "男生"} == {"张伟"}
    assert {s.teachers[x.teacher].name for x in mine if x.group == "女生"} == {"李娜"}
    assert all(x.venue is not None for x in mine)              # both on the ground
    # the class has nothing else in its PE periods
    others = [x for x in r.timetable.lessons if x.cls == 0 and x.subject != pe]
    assert not {(x.day, x.period) for x in others} & set(by_group["男生"])
    # timetable JSON keeps the groups; a whole-class lesson has no "group" key
    path = tmp_path / "tt.json"
    write_timetable(r.timetable, s, path)
    assert read_timetable(path, s) == r.timetable
    text = path.read_text(encoding="utf-8")
    assert '"group": "女生"' in text and text.count('"group"') == 4


def test_split_halves_with_different_subjects_swap_in_two_periods():
    subjects = SUBJECTS + (Subject("信息科技", "IT", Category.IT, venue_kind="computer"),
                           Subject("劳动", "Labour", Category.PRACTICE))
    from jianfu.models.school import Venue
    s = mini_school([("七班", 7)],
                    [("七班", "语文", "王芳", 4), ("七班", "信息科技", "王老师", 1),
                     ("七班", "劳动", "赵老师", 1), ("七班", "数学", "李明", 4)],
                    days=2, subjects=subjects,
                    venues=(Venue("操场", "ground", 1), Venue("机房", "computer")))
    s = _split(s, "七班", "信息科技", ("A", "王老师"), ("B", "赵老师", "劳动"))
    s = _split(s, "七班", "劳动", ("A", "赵老师"), ("B", "王老师", "信息科技"))
    p = fit_policy(s)
    r = run(s, p)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)
    it, lab = s.subject_index["信息科技"], s.subject_index["劳动"]
    for group in ("A", "B"):
        got = sorted(s.subjects[x.subject].name for x in r.timetable.lessons if x.group == group)
        assert got == ["信息科技", "劳动"]
    for x in r.timetable.lessons:
        if x.group is not None:
            assert (x.venue is not None) == (x.subject == it)   # the computer room only
    assert sum(1 for x in r.timetable.lessons if x.subject in (it, lab)) == 4


def test_split_binds_the_second_teacher():
    # 李娜 teaches 5 of the day's 6 periods elsewhere: alone, 一班's 2 PE periods fit
    # with 张伟; split into groups, 李娜 would need 7 periods
    s = mini_school([("一班", 1), ("二班", 2)],
                    [("一班", "体育", "张伟", 2), ("一班", "语文", "王芳", 4),
                     ("二班", "数学", "李娜", 5), ("二班", "语文", "赵丽", 1)], days=1)
    p = fit_policy(s, zero=True)
    r = run(s, p)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)
    split = _split(s, "一班", "体育", ("男生", "张伟"), ("女生", "李娜"))
    r = run(split, fit_policy(split, zero=True))
    assert r.status is Status.INFEASIBLE and r.timetable is None


def test_split_compiles_to_one_activity_of_the_class_with_both_teachers():
    s = pe_school()
    problem = compile_school(s, fit_policy(s))
    act = next(a for a in problem.activities if a.parts)
    assert act.groups == (0,) and act.pe and act.count == 2
    assert [s.teachers[t].name for t in act.teachers] == ["张伟", "李娜"]
    assert act.pool is not None and act.extra_pools == ()   # both groups on the one ground
    assert [(label, pool) for label, _, _, pool in act.parts] == [("男生", act.pool),
                                                                  ("女生", act.pool)]


def _workshop_school(workshops: int = 1):
    """Two classes of one period a day, each split: half in the computer room for 信息科技,
    half in the workshop for 劳动, so both splits are at period 1 of the one day."""
    from jianfu.models.school import Venue
    subjects = SUBJECTS + (Subject("信息科技", "IT", Category.IT, venue_kind="computer"),
                           Subject("劳动", "Labour", Category.PRACTICE, venue_kind="workshop"))
    s = mini_school([("七班", 7, 0, (1,)), ("八班", 7, 0, (1,))],
                    [("七班", "信息科技", "王老师", 1), ("八班", "信息科技", "钱老师", 1)],
                    teachers=("赵老师", "孙老师"), days=1, subjects=subjects,
                    venues=(Venue("机房1", "computer"), Venue("机房2", "computer"),
                            *(Venue(f"劳动教室{i + 1}", "workshop") for i in range(workshops))))
    s = _split(s, "七班", "信息科技", ("A", "王老师"), ("B", "赵老师", "劳动"))
    return _split(s, "八班", "信息科技", ("A", "钱老师"), ("B", "孙老师", "劳动"))


def test_split_groups_needing_different_venue_kinds_each_get_one_of_their_kind():
    s = _workshop_school(workshops=2)
    p = fit_policy(s, zero=True)
    problem = compile_school(s, p)
    act = next(a for a in problem.activities if a.parts)
    assert [problem.pools[q].kind for q in act.pools] == ["computer", "workshop"]
    assert [pool for *_, pool in act.parts] == list(act.pools)
    r = run(s, p)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)
    where = {(s.classes[x.cls].name, x.group): s.venues[x.venue].kind for x in r.timetable.lessons}
    assert where == {("七班", "A"): "computer", ("七班", "B"): "workshop",
                     ("八班", "A"): "computer", ("八班", "B"): "workshop"}
    assert len({x.venue for x in r.timetable.lessons}) == 4   # four rooms at period 1
    # must fail: the 劳动 half moved into its class's computer room is a venue_need (the
    # room is its class's one use), into the other class's workshop a venue_clash
    it_room = next(x.venue for x in r.timetable.lessons if x.group == "A" and x.cls == 0)
    moved = dataclasses.replace(r.timetable, lessons=tuple(
        dataclasses.replace(x, venue=it_room) if (x.cls, x.group) == (0, "B") else x
        for x in r.timetable.lessons))
    assert [v.rule for v in check(s, p, moved)] == ["venue_need"]
    shop = next(x.venue for x in r.timetable.lessons if x.group == "B" and x.cls == 1)
    shared = dataclasses.replace(r.timetable, lessons=tuple(
        dataclasses.replace(x, venue=shop) if (x.cls, x.group) == (0, "B") else x
        for x in r.timetable.lessons))
    assert [v.rule for v in check(s, p, shared)] == ["venue_clash"]


def test_the_second_venue_kind_of_a_split_binds():
    # one workshop for two 劳动 halves at the same period: proven impossible, although the
    # computer rooms (the first group's kind) suffice
    s = _workshop_school(workshops=1)
    r = run(s, fit_policy(s, zero=True))
    assert r.status is Status.INFEASIBLE and r.timetable is None


def test_a_split_school_is_refused_when_its_groups_are_bad():
    s = pe_school()
    with pytest.raises(InputError, match="the requirement's subject and teacher"):
        _split(dataclasses.replace(s, splits=()), "一班", "体育", ("女生", "李娜"), ("男生", "张伟"))
    with pytest.raises(InputError, match="two groups at once"):
        _split(dataclasses.replace(s, splits=()), "一班", "体育", ("男生", "张伟"), ("女生", "张伟"))
    with pytest.raises(InputError, match="split twice"):
        _split(s, "一班", "体育", ("男生", "张伟"), ("女生", "李娜"))
    with pytest.raises(InputError, match="all PE or none"):
        _split(dataclasses.replace(s, splits=()), "一班", "体育", ("男生", "张伟"),
               ("女生", "李娜", "美术"))


def test_timetable_json_refuses_an_unknown_group():
    s = pe_school()
    row = {"class": "一班", "day": "周一", "period": 1, "subject": "体育", "teacher": "李娜",
           "group": "丙组"}
    with pytest.raises(InputError, match=r"tt.json: lessons\[0\].group"):
        timetable_from_dict({"school": s.name, "lessons": [row]}, s, "tt.json")
    row["group"] = "女生"
    tt = timetable_from_dict({"school": s.name, "lessons": [row]}, s, "tt.json")
    assert tt.lessons[0].group == "女生"
    assert check(s, fit_policy(s), tt)   # a timetable, not a compliant one


def test_views_show_both_groups_in_the_cell_and_count_the_period_once():
    from jianfu.instances.views import class_grid, teacher_grid

    s = pe_school()
    r = run(s, fit_policy(s))
    grid = class_grid(s, r.timetable, 0)
    cells = [row.cell_text(d) for row in grid.rows if row.is_period for d in range(len(s.days))]
    both = [c for c in cells if "男生 体育" in c]
    assert len(both) == 2 and all("女生 体育\n李娜" in c and "张伟" in c for c in both)
    assert grid.subtitle.endswith("每周 12 节")            # 4 + 2 + 6, the PE periods once
    li = teacher_grid(s, r.timetable, s.teacher_index["李娜"])
    assert sum("一班 女生" in row.cell_text(d) for row in li.rows if row.is_period
               for d in range(len(s.days))) == 2


def test_fet_export_writes_a_split_lesson_with_every_groups_teacher():
    from jianfu.instances.fet_export import school_to_fet

    s = pe_school()
    fet = school_to_fet(s, fit_policy(s))
    pe = [a for a in fet.activities if "一班" in a.students and a.subject == s.subject_index["体育"]]
    assert pe and all(sorted(fet.teachers[t] for t in a.teachers) == ["张伟", "李娜"]
                      for a in pe)
