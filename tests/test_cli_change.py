"""``jianfu change``: a sick teacher with a notice, a class away, a requested swap, an
impossible request and bad input, from a folder written like ``jianfu solve``'s."""

import pytest

from jianfu.cli import main


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    from jianfu.instances.generator import generate_school
    from jianfu.instances.solved import write_solved
    from jianfu.solver.checked import solve_checked

    school = generate_school("primary", 1, 7)
    checked = solve_checked(school, time_limit=30, workers=1,
                            params={"stop_after_first_solution": True})
    assert checked.compliant
    out = tmp_path_factory.mktemp("run") / "out"
    write_solved(out, school, checked.report, status=str(checked.result.status),
                 timetable=checked.result.timetable, profile=school.profile,
                 fingerprint=True, school_copy=True)
    return school, checked.result.timetable, out


def _teacher_of(school, timetable, day):
    """A teacher with lessons on ``day`` (the first in the school file)."""
    return next(school.teachers[t].name for t in range(len(school.teachers))
                if any(x.teacher == t and x.day == day for x in timetable.lessons))


def test_a_sick_teacher_gets_a_notice(solved, tmp_path, capsys):
    school, timetable, out = solved
    name = _teacher_of(school, timetable, 0)
    t = school.teacher_index[name]
    n = sum(1 for x in timetable.lessons if x.teacher == t and x.day in (0, 1))
    code = main(["change", str(out), "--absent", name, "--dates", "2026-10-12..2026-10-13",
                 "--reason", "病假", "-o", str(tmp_path / "n")])
    printed = capsys.readouterr().out
    assert code == 0, printed
    text = (tmp_path / "n" / "调课通知.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == f"【{school.name} 调课通知】{name} 病假"
    assert "检查 checker: 合规 compliant" in printed and text in printed
    # every lesson of the teacher on those two days is covered or moved
    covers = [x for x in lines if x.startswith("代课")]
    moved_away = [x for x in lines if x.startswith("调课") and f" {name} →" in x]
    assert len(covers) + len(moved_away) >= n > 0
    assert all(f"{name}（病假）" in x for x in covers)
    for f in ("调课通知.html", "调课通知.xlsx", "本周课表_2026-10-12.html",
              "本周课表_2026-10-12.xlsx", "timetable_2026-10-12.json"):
        assert (tmp_path / "n" / f).is_file()


def test_a_class_away_cancels_its_lessons(solved, tmp_path, capsys):
    school, timetable, out = solved
    cls = school.classes[0].name
    n = sum(1 for x in timetable.lessons if x.cls == 0 and x.day == 2)
    assert main(["change", str(out), "--class-away", cls, "--dates", "2026-10-14",
                 "--reason", "研学"]) == 0
    # by default beside the run folder, never inside it
    text = (out.parent / "调课-2026-10-12" / "调课通知.txt").read_text(encoding="utf-8")
    assert not any(p.name.startswith("调课") for p in out.iterdir())
    assert sum(x.startswith("停课") for x in text.splitlines()) == n
    assert "停课：班级外出（研学）" in text


def test_an_impossible_request_says_who_and_why(solved, tmp_path, capsys):
    school, timetable, out = solved
    # two lessons of different classes cannot be swapped
    a = next(x for x in timetable.lessons if x.cls == 0 and x.day == 0 and x.group is None)
    b = next(x for x in timetable.lessons if x.cls == 1 and x.day == 1 and x.group is None
             and x.teacher != a.teacher)
    ta, tb = school.teachers[a.teacher].name, school.teachers[b.teacher].name
    code = main(["change", str(out), "--swap", f"{ta}:周一{a.period + 1}",
                 f"{tb}:周二{b.period + 1}", "--week-of", "2026-10-12",
                 "-o", str(tmp_path / "n")])
    err = capsys.readouterr().err
    assert code == 3
    assert "不是同一个班，不能互换" in err and ta in err and tb in err
    assert not (tmp_path / "n").exists()


def test_bad_input_names_the_flag_and_value(solved, tmp_path, capsys):
    _, _, out = solved
    assert main(["change", str(out), "--absent", "没有这人", "--dates", "2026-10-12"]) == 2
    err = capsys.readouterr().err
    assert "--absent" in err and "没有这人" in err and "Traceback" not in err
    assert main(["change", str(out), "--absent", "没有这人"]) == 2
    assert main(["change", str(out), "--swap", "a:周一1", "b:周一2"]) == 2   # no --week-of


def test_the_school_calendar_keeps_holidays_out_and_teaches_make_up_days(solved, tmp_path,
                                                                       capsys):
    # 国庆 1–7 Oct is built in: a teacher away on Mon 5 and Tue 6 Oct misses no lesson; with
    # a 校历 whose Sun 27 Sep teaches the lessons of Friday 25 (中秋), a teacher away that
    # day misses those
    school, timetable, out = solved
    name = _teacher_of(school, timetable, 4)
    code = main(["change", str(out), "--absent", name, "--dates", "2026-10-05..2026-10-06",
                 "-o", str(tmp_path / "a")])
    text = capsys.readouterr()
    assert "国庆节 10月1日–7日" in text.out
    assert code == 2 and "2026-10-05" in text.err, text
    cal = tmp_path / "校历.yaml"
    cal.write_text("start: 2026-09-01\nend: 2027-01-22\nmakeup:\n"
                   "  - {date: 2026-09-27, follows: 周五, name: 中秋调休}\n", encoding="utf-8")
    assert main(["change", str(out), "--absent", name, "--dates", "2026-09-27",
                 "--calendar", str(cal), "-o", str(tmp_path / "b")]) == 0, capsys.readouterr()
    capsys.readouterr()
    notice = (tmp_path / "b" / "调课通知.txt").read_text(encoding="utf-8")
    assert "9月27日" in notice or "09月27日" in notice, notice
