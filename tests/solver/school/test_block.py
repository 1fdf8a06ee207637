"""走班 blocks: several classes release their students into teaching groups at once."""

from __future__ import annotations

import dataclasses

import pytest

from jianfu.instances.schoolfile import read_school, school_to_dict, write_school
from jianfu.instances.timetable_io import read_timetable, write_timetable
from jianfu.models.checker import check
from jianfu.models.core import compile_school
from jianfu.models.errors import InputError
from jianfu.models.school import Block, BlockGroup, Category, Subject
from jianfu.models.timetable import Lesson, Timetable
from jianfu.solver import Status, solve

from builders import SUBJECTS, cli_refuses, fit_policy, mini_school, rules_of, units, verified

ENGLISH = Subject("英语", "English", Category.MAIN)


def run(s, p, limit=20):
    return solve(s, p, time_limit=limit, workers=1)


def _block(s, name, classes, subject, *groups):
    """``s`` with a block of ``classes`` for ``subject``; groups (name, teacher[, subject
    [, venue_kind]])."""
    sub = s.subject_index[subject]
    members = tuple(next(i for i, r in enumerate(s.requirements)
                         if (r.cls, r.subject) == (s.class_index[c], sub)) for c in classes)
    parts = tuple(BlockGroup(g[0], s.subject_index[g[2]] if len(g) > 2 else sub,
                             s.teacher_index[g[1]], g[3] if len(g) > 3 else None) for g in groups)
    return dataclasses.replace(s, blocks=s.blocks + (Block(name, members, parts),))


def english_school(days=2):
    """Three parallel classes, 英语 2 a week each with its own teacher, 分层 in a block."""
    s = mini_school([("一班", 7), ("二班", 7), ("三班", 7)],
                    [("一班", "英语", "王芳", 2), ("一班", "数学", "李明", 4),
                     ("二班", "英语", "李娜", 2), ("二班", "数学", "赵丽", 4),
                     ("三班", "英语", "张伟", 2), ("三班", "数学", "周杰", 4)],
                    days=days, subjects=SUBJECTS + (ENGLISH,))
    return _block(s, "七年级英语分层", ("一班", "二班", "三班"), "英语",
                  ("A层", "王芳"), ("B层", "李娜"), ("C层", "张伟"))


def test_block_places_every_group_of_every_class_at_once(tmp_path):
    s = english_school()
    p = fit_policy(s)
    r = run(s, p)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)
    en = s.subject_index["英语"]
    mine = [x for x in r.timetable.lessons if x.subject == en]
    assert len(mine) == 2 * 3 * 3                      # 2 periods × 3 classes × 3 groups
    slots = {(x.day, x.period) for x in mine}
    assert len(slots) == 2                             # one placement for the whole block
    for d, p_ in slots:
        here = {(x.cls, x.group, s.teachers[x.teacher].name) for x in mine
                if (x.day, x.period) == (d, p_)}
        assert here == {(c, g, t) for c in range(3)
                        for g, t in (("A层", "王芳"), ("B层", "李娜"), ("C层", "张伟"))}
    # nothing else for these classes at those periods, and the JSON round-trips
    assert not [x for x in r.timetable.lessons if x.subject != en and (x.day, x.period) in slots]
    path = tmp_path / "tt.json"
    write_timetable(r.timetable, s, path)
    assert read_timetable(path, s) == r.timetable


def test_block_compiles_to_one_activity_of_all_classes_and_teachers():
    s = english_school()
    problem = compile_school(s, fit_policy(s))
    acts = [a for a in problem.activities if a.parts]
    assert len(acts) == 1 and acts[0].groups == (0, 1, 2) and acts[0].count == 2
    assert [s.teachers[t].name for t in acts[0].teachers] == ["王芳", "李娜", "张伟"]
    assert len(problem.activities) == 4                # the block and three 数学


def test_block_binds_a_group_teacher_who_is_busy_elsewhere():
    # one day; 一班 and 四班 have periods 1-3 only, 二班 all 6. 张伟 teaches 四班's 数学
    # in periods 1-3 and 二班's English: alone, 二班's English goes to periods 4-6; in a
    # block with 一班 it must be in periods 1-3, where 张伟 is busy
    s = mini_school([("一班", 7, 0, (3,)), ("二班", 8), ("四班", 9, 0, (3,))],
                    [("一班", "英语", "王芳", 2), ("一班", "语文", "赵丽", 1),
                     ("二班", "英语", "张伟", 2), ("二班", "语文", "周杰", 4),
                     ("四班", "数学", "张伟", 3)],
                    days=1, subjects=SUBJECTS + (ENGLISH,))
    p = fit_policy(s, zero=True)
    r = run(s, p)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)
    blocked = _block(s, "英语走班", ("一班", "二班"), "英语", ("A层", "王芳"), ("B层", "张伟"))
    r = run(blocked, fit_policy(blocked, zero=True))
    assert r.status is Status.INFEASIBLE and r.timetable is None


def _placed_block(s, day=0, period=0):
    en = s.subject_index["英语"]
    teachers = {"A层": s.teacher_index["王芳"], "B层": s.teacher_index["李娜"],
                "C层": s.teacher_index["张伟"]}
    return [Lesson(c, day, period, en, t, None, g) for c in range(3) for g, t in teachers.items()]


def test_checker_finds_a_missing_group_lesson_exactly_once():
    s = english_school(days=1)
    p = fit_policy(s)
    whole = _placed_block(s, 0, 0) + _placed_block(s, 0, 1)
    found = rules_of(check(s, p, Timetable(tuple(whole))), "block_together")
    assert not found
    # 二班 B层 is missing in period 2: one record, amount 1
    gone = [x for x in whole if not (x.cls == 1 and x.group == "B层" and x.period == 1)]
    found = rules_of(check(s, p, Timetable(tuple(gone))), "block_together")
    assert len(found) == 1 and found[0].amount == 1 and "二班B层" in found[0].message
    # a whole-class English lesson of 三班 in period 3 misses all three groups of all classes
    extra = whole + [Lesson(2, 0, 2, s.subject_index["英语"], s.teacher_index["张伟"])]
    v = check(s, p, Timetable(tuple(extra)))
    assert units(v, "block_together") == 9
    assert units(v, "coverage") == 3 * 4 + 1           # the three classes' 数学, 三班's extra 英语


def test_checker_counts_a_block_once_for_teachers_and_classes():
    s = english_school(days=1)
    p = fit_policy(s)
    v = check(s, p, Timetable(tuple(_placed_block(s, 0, 0) + _placed_block(s, 0, 1))))
    for rule in ("teacher_clash", "class_clash", "teacher_assignment", "block_together"):
        assert not rules_of(v, rule), rule
    # only the English is missing: coverage counts each class's two block periods once
    assert units(v, "coverage") == 3 * 4               # the three classes' 数学
    # 王芳 teaching B层 instead of 李娜 in every class breaks teacher_assignment 3 times
    en, wang = s.subject_index["英语"], s.teacher_index["王芳"]
    wrong = [dataclasses.replace(x, teacher=wang) if x.group == "B层" and x.period == 0 else x
             for x in _placed_block(s, 0, 0) + _placed_block(s, 0, 1)]
    v = check(s, p, Timetable(tuple(wrong)))
    assert len(rules_of(v, "teacher_assignment")) == 3
    assert rules_of(v, "teacher_clash")                # 王芳 in A层 and B层 at once
    assert en == wrong[0].subject


def test_a_club_block_puts_each_group_in_a_venue_of_its_kind():
    # 社团 afternoon (校本) of two classes: 篮球社 on the ground, 合唱队 in the music room,
    # 书法社 and 科创社 in the classes' rooms; the music room is 二班's music room too
    from jianfu.models.school import Venue
    club = Subject("社团", "Clubs", Category.LOCAL)
    s = mini_school([("一班", 7), ("二班", 7)],
                    [("一班", "社团", "王芳", 2), ("一班", "数学", "李明", 3),
                     ("二班", "社团", "李娜", 2), ("二班", "数学", "赵丽", 2),
                     ("二班", "音乐", "周杰", 1)],
                    teachers=("张伟", "陈静"), days=2, subjects=SUBJECTS + (club,),
                    venues=(Venue("操场", "ground", 2), Venue("音乐教室", "music")))
    s = _block(s, "七年级社团", ("一班", "二班"), "社团", ("书法社", "王芳"),
               ("篮球社", "张伟", "社团", "ground"), ("合唱队", "陈静", "音乐", "music"),
               ("科创社", "李娜", "科学"))
    p = fit_policy(s)
    problem = compile_school(s, p)
    act = next(a for a in problem.activities if a.parts)
    assert [problem.pools[q].kind for q in act.pools] == ["ground", "music"]
    r = run(s, p)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)
    block = {(x.day, x.period) for x in r.timetable.lessons if x.group == "合唱队"}
    kinds = {x.group: {s.venues[x.venue].kind if x.venue is not None else None}
             for x in r.timetable.lessons if x.group is not None}
    assert kinds == {"书法社": {None}, "篮球社": {"ground"}, "合唱队": {"music"}, "科创社": {None}}
    music = [x for x in r.timetable.lessons if x.cls == 1 and x.subject == s.subject_index["音乐"]
             and x.group is None]
    assert len(music) == 1 and (music[0].day, music[0].period) not in block
    # must fail: 二班's music lesson moved into the block's period takes the one music room
    d, q = sorted(block)[0]
    clash = Timetable(tuple(dataclasses.replace(x, day=d, period=q) if x is music[0] else x
                            for x in r.timetable.lessons
                            if not (x.cls == 1 and (x.day, x.period) == (d, q)
                                    and x.group is None)), r.timetable.sessions)
    found = check(s, p, clash)
    assert len(rules_of(found, "venue_clash")) == 1 and rules_of(found, "class_clash")
    # FET gives an activity one room: the export says the music room is not carried
    from jianfu.instances.fet_school import school_fet
    assert any("七年级社团" in m and "several kinds" in m for m in school_fet(s, p).not_carried)


def test_a_block_is_refused_when_it_is_bad():
    s = dataclasses.replace(english_school(), blocks=())
    with pytest.raises(InputError, match="two teaching groups"):
        _block(s, "x", ("一班", "二班"), "英语", ("A层", "王芳"))
    with pytest.raises(InputError, match="two groups at once"):
        _block(s, "x", ("一班", "二班"), "英语", ("A层", "王芳"), ("B层", "王芳"))
    with pytest.raises(InputError, match="teaches none of the block's groups"):
        _block(s, "x", ("一班", "二班", "三班"), "英语", ("A层", "王芳"), ("B层", "李娜"))
    longer = dataclasses.replace(s, requirements=tuple(
        dataclasses.replace(q, periods=3) if i == 0 else q for i, q in enumerate(s.requirements)))
    with pytest.raises(InputError, match="differs from the first class's"):
        _block(longer, "x", ("一班", "二班"), "英语", ("A层", "王芳"), ("B层", "李娜"))
    blocked = _block(s, "x", ("一班", "二班"), "英语", ("A层", "王芳"), ("B层", "李娜"))
    with pytest.raises(InputError, match="already in it"):
        _block(blocked, "y", ("一班", "三班"), "英语", ("A层", "王芳"), ("C层", "张伟"))


def test_school_file_round_trip_and_bad_block_names_the_field(tmp_path, capsys):
    s = english_school()
    path = tmp_path / "school.yaml"
    write_school(s, path)
    assert "blocks:" in path.read_text(encoding="utf-8")
    back = read_school(path)
    assert back.blocks == s.blocks
    data = school_to_dict(s)
    data["blocks"][0]["groups"]["B层"] = "无名氏"
    out = cli_refuses(tmp_path, capsys, data, "check")
    assert "blocks[0].groups.B层.teacher" in out and "无名氏" in out
    data = school_to_dict(s)
    data["blocks"][0]["classes"].append("四班")
    out = cli_refuses(tmp_path, capsys, data, "check")
    assert "blocks[0].classes[3]" in out and "四班" in out


def test_views_show_every_group_and_count_the_block_once_for_its_teacher():
    from jianfu.instances.views import class_grid, teacher_grid

    s = english_school()
    r = run(s, fit_policy(s))
    grid = class_grid(s, r.timetable, 1)
    cells = [row.cell_text(d) for row in grid.rows if row.is_period for d in range(len(s.days))]
    both = [c for c in cells if "A层 英语" in c]
    assert len(both) == 2 and all("B层 英语\n李娜" in c and "C层 英语" in c for c in both)
    assert grid.subtitle.endswith("每周 6 节")            # 2 block periods + 4 数学
    wang = teacher_grid(s, r.timetable, s.teacher_index["王芳"])
    assert wang.subtitle.endswith("每周 2 节")


def test_fet_export_writes_a_block_as_one_activity_of_all_classes_and_teachers():
    from jianfu.instances.fet_export import school_to_fet

    s = english_school()
    fet = school_to_fet(s, fit_policy(s))
    en = [a for a in fet.activities if a.subject == s.subject_index["英语"]]
    assert en and all(sorted(fet.teachers[t] for t in a.teachers) == sorted(["张伟", "李娜", "王芳"])
                      for a in en)
    assert all(len(a.students) == 3 for a in en)
