"""FET import, export and round trips on hand-made files (FET's examples are optional)."""

from __future__ import annotations

import gzip
import shutil
import subprocess
from pathlib import Path

import pytest
from jianfu.instances.fet import read_fet, read_fet_result
from jianfu.instances.fet_export import lock_constraints, school_to_fet, write_fet, write_locked_fet
from jianfu.models.errors import InputError
from jianfu.models.fet import FetSolution, Placement

DATA = Path(__file__).parent / "data" / "fet"
SMALL = DATA / "small.fet"
HOME_ROOM = DATA / "home_vs_subject_room.fet"
DEMO = Path(__file__).parents[2] / "instances" / "data" / "demo-nine-year.yaml"
FET_CL = shutil.which("fet-cl")
EXAMPLES = Path("/usr/share/doc/fet-data/examples/FET-5-official")


def test_grid_and_lists() -> None:
    p = read_fet(SMALL)
    assert p.days == ("周一", "周二", "周三")
    assert p.hours == ("1", "2", "大课间", "3", "4")
    assert p.teachers == ("王老师", "李老师", "张老师")
    assert p.tags == ("main",)
    assert [r.name for r in p.rooms] == ["101", "操场"]
    assert p.rooms[0].building == "主楼" and p.rooms[0].capacity == 40


def test_students_expand_to_subgroups() -> None:
    p = read_fet(SMALL)
    # group without subgroups and year without groups are their own subgroups
    assert p.subgroups == ("1A-en", "1A-ru", "1B", "Y2")
    assert p.students_sets["Y1"] == (0, 1, 2)
    assert p.students_sets["1A"] == (0, 1)
    assert p.activity(4).subgroups == (0, 1, 2)         # on year Y1
    assert p.activity(5).subgroups == (0, 3)            # 1A-en and Y2
    assert p.activity(5).n_students == 15 + 25
    na = p.of_kind("StudentsSetNotAvailableTimes")[0]
    assert na.get("subgroups") == (0, 1, 2)             # a year binds every subgroup


def test_activities_split_duration_and_inactive() -> None:
    p = read_fet(SMALL)
    assert [a.id for a in p.activities] == [1, 2, 3, 4, 5]     # 6 is inactive
    assert (p.activity(1).group_id, p.activity(2).group_id) == (1, 1)
    assert p.activity(2).duration == 2
    assert p.activity(4).teachers == (2, 1)
    assert dict(p.skipped) == {"inactive activities": 1, "inactive TeachersMaxGapsPerWeek": 1}


def test_weights_and_params() -> None:
    p = read_fet(SMALL)
    md = p.of_kind("MinDaysBetweenActivities")[0]
    assert md.weight == 95 and not md.hard
    assert md.get("activities") == (1, 2) and md.get("min_days") == 1 and md.get("consecutive")
    pst = p.of_kind("ActivitiesPreferredStartingTimes")[0]
    assert pst.get("tag") == 0 and pst.get("starts") == ((0, 1), (1, 0), (2, 0))
    assert p.of_kind("BreakTimes")[0].get("slots") == ((0, 2), (1, 2), (2, 2))
    assert p.of_kind("TeacherHomeRoom")[0].get("rooms") == (0,)
    assert p.of_kind("TeacherMaxDaysPerWeek")[0].hard


def test_unsupported_refused_with_counts() -> None:
    with pytest.raises(InputError) as err:
        read_fet(DATA / "unsupported.fet")
    assert "StudentsSetMinContinuousGapInInterval ×2" in str(err.value)
    assert "TeacherMaxHoursDailyRealDays ×1" in str(err.value)


def test_unsupported_ignored_on_request() -> None:
    p = read_fet(DATA / "unsupported.fet", ignore_unsupported=True)
    assert dict(p.unsupported) == {"StudentsSetMinContinuousGapInInterval": 2,
                                   "TeacherMaxHoursDailyRealDays": 1}
    assert len(p.constraints) == len(read_fet(SMALL).constraints)


def test_gzip_same_as_plain(tmp_path: Path) -> None:
    gz = tmp_path / "small.fet.gz"
    gz.write_bytes(gzip.compress(SMALL.read_bytes()))
    assert read_fet(gz).activities == read_fet(SMALL).activities


def test_undefined_name_names_the_path(tmp_path: Path) -> None:
    bad = tmp_path / "bad.fet"
    bad.write_text(SMALL.read_text(encoding="utf-8").replace(
        "<Teacher>王老师</Teacher>\n\t<Number_of_Not", "<Teacher>赵老师</Teacher>\n\t<Number_of_Not"),
        encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_fet(bad)
    assert "赵老师" in str(err.value) and "TeacherNotAvailableTimes" in str(err.value)


def test_bad_xml_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.fet"
    bad.write_text("<fet><Days_List>", encoding="utf-8")
    with pytest.raises(InputError):
        read_fet(bad)


# -- a bad file is an InputError naming the file and the value, never a traceback -----

def _broken(tmp_path: Path, old: str, new: str, name: str = "school.fet") -> Path:
    text = SMALL.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / name
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    return bad


def _refused(path: Path) -> str:
    with pytest.raises(InputError) as err:
        read_fet(path)
    return str(err.value)


def test_non_integer_duration_named(tmp_path: Path) -> None:
    msg = _refused(_broken(tmp_path, "<Duration>2</Duration>", "<Duration>two</Duration>"))
    assert msg.startswith("school.fet: Activities_List.Activity[1].Duration")
    assert "'two'" in msg and "must be a whole number ≥ 1" in msg


@pytest.mark.parametrize("value", ["0", "-2"])
def test_zero_or_negative_duration_refused(tmp_path: Path, value: str) -> None:
    msg = _refused(_broken(tmp_path, "<Duration>2</Duration>", f"<Duration>{value}</Duration>"))
    assert msg.startswith("school.fet: Activities_List.Activity[1].Duration") and value in msg


def test_non_integer_group_id_named(tmp_path: Path) -> None:
    msg = _refused(_broken(tmp_path, "<Activity_Group_Id>0</Activity_Group_Id>",
                           "<Activity_Group_Id>x1</Activity_Group_Id>"))
    assert msg.startswith("school.fet: Activities_List.Activity[2].Activity_Group_Id")
    assert "'x1'" in msg


def test_bad_int_in_constraint_named(tmp_path: Path) -> None:
    msg = _refused(_broken(tmp_path, "<MinDays>1</MinDays>", "<MinDays>1.5</MinDays>"))
    assert msg.startswith("school.fet: Time_Constraints_List.ConstraintMinDaysBetweenActivities")
    assert "MinDays" in msg and "'1.5'" in msg


@pytest.mark.parametrize("old, new, value", [
    ("<Number_of_Students>30</Number_of_Students>",
     "<Number_of_Students>thirty</Number_of_Students>", "thirty"),
    ("<Capacity>40</Capacity>", "<Capacity>big</Capacity>", "big"),
    ("<Weight_Percentage>95</Weight_Percentage>", "<Weight_Percentage>95%</Weight_Percentage>",
     "95%"),
])
def test_other_numbers_named(tmp_path: Path, old: str, new: str, value: str) -> None:
    msg = _refused(_broken(tmp_path, old, new))
    assert msg.startswith("school.fet: ") and repr(value) in msg


def test_bad_activity_id_in_list_named(tmp_path: Path) -> None:
    msg = _refused(_broken(tmp_path, "<Activity_Id>2</Activity_Id>",
                           "<Activity_Id>2a</Activity_Id>"))
    assert msg.startswith("school.fet: Time_Constraints_List.ConstraintMinDaysBetweenActivities")
    assert "Activity_Id[1]" in msg and "'2a'" in msg and "activity id" in msg
    msg = _refused(_broken(tmp_path, "<Activity_Id>2</Activity_Id>",
                           "<Activity_Id>99</Activity_Id>"))
    assert msg.startswith("school.fet: ") and "99" in msg and "no such activity" in msg


def test_duplicate_activity_id_names_the_file(tmp_path: Path) -> None:
    msg = _refused(_broken(tmp_path, "<Id>2</Id>", "<Id>1</Id>"))
    assert msg.startswith("school.fet: ") and "duplicate activity id" in msg


def test_truncated_gzip_refused(tmp_path: Path) -> None:
    whole = gzip.compress(SMALL.read_bytes())
    cut = tmp_path / "cut.fet.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    msg = _refused(cut)
    assert msg.startswith("cut.fet.gz: ") and "corrupt or truncated" in msg


def test_random_bytes_gzip_refused(tmp_path: Path) -> None:
    noise = tmp_path / "noise.fet.gz"
    noise.write_bytes(bytes(range(7, 250)) * 2)
    msg = _refused(noise)
    assert msg.startswith("noise.fet.gz: ") and "corrupt or truncated" in msg
    # a gzip header with garbage after it fails in zlib, not in the header check
    noise.write_bytes(gzip.compress(b"")[:10] + bytes(range(250)))
    assert _refused(noise).startswith("noise.fet.gz: ")


def test_empty_file_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.fet"
    empty.write_bytes(b"")
    msg = _refused(empty)
    assert msg.startswith("empty.fet: ") and "文件为空 the file is empty" in msg
    gz = tmp_path / "empty.fet.gz"
    gz.write_bytes(gzip.compress(b"  \n"))
    assert "the file is empty" in _refused(gz)


def test_directory_and_missing_file_refused(tmp_path: Path) -> None:
    folder = tmp_path / "school.fet"
    folder.mkdir()
    msg = _refused(folder)
    assert msg.startswith("school.fet: ") and "是文件夹，不是文件 is a folder, not a file" in msg
    msg = _refused(tmp_path / "gone.fet")
    assert msg.startswith("gone.fet: ") and "文件不存在 file not found" in msg


def test_result_reader_names_the_file(tmp_path: Path) -> None:
    p = read_fet(SMALL)
    bad = tmp_path / "x_activities.xml"
    bad.write_text("<Activities_Timetable><Activity><Id>one</Id><Day>周一</Day>"
                   "<Hour>1</Hour><Room></Room></Activity></Activities_Timetable>",
                   encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_fet_result(p, bad)
    msg = str(err.value)
    assert msg.startswith("x_activities.xml: Activity[0].Id") and "'one'" in msg
    with pytest.raises(InputError) as err:
        read_fet_result(p, tmp_path / "missing_activities.xml")
    assert str(err.value).startswith("missing_activities.xml: ")


def test_problem_round_trip(tmp_path: Path) -> None:
    p = read_fet(SMALL)
    q = read_fet(write_fet(p, tmp_path / "again.fet"))
    assert (q.days, q.hours, q.teachers, q.subjects, q.subgroups, q.activities, q.rooms) == \
        (p.days, p.hours, p.teachers, p.subjects, p.subgroups, p.activities, p.rooms)
    assert dict(q.students_sets) == dict(p.students_sets)
    assert [(c.kind, c.weight, c.params) for c in q.constraints] == \
        [(c.kind, c.weight, c.params) for c in p.constraints]


def test_school_round_trip(tmp_path: Path) -> None:
    from jianfu.instances.schoolfile import read_school

    from jianfu.instances.fet_school import SESSION_SUBJECT
    from jianfu.models.fet import SUPPORTED

    school = read_school(DEMO)
    p = school_to_fet(school, school.policy(None))
    # the export uses FET kinds jianfu's own FET reader does not model: read past them
    q = read_fet(write_fet(p, tmp_path / "school.fet"), ignore_unsupported=True)
    assert (q.days, q.hours, q.teachers, q.subjects, q.subgroups, q.activities, q.rooms) == \
        (p.days, p.hours, p.teachers, p.subjects, p.subgroups, p.activities, p.rooms)
    assert dict(q.students_sets) == dict(p.students_sets)
    assert [(c.kind, c.weight, c.params) for c in q.constraints] == \
        [(c.kind, c.weight, tuple(x for x in c.params if x[0] != "comment"))
         for c in p.constraints if c.kind in SUPPORTED]
    assert {k for k, _ in q.unsupported} == {c.kind for c in p.constraints} - SUPPORTED
    # every weekly lesson is an hour of some activity; lunch is a break
    lessons = [a for a in p.activities if p.subjects[a.subject] != SESSION_SUBJECT]
    assert sum(a.duration for a in lessons) == sum(r.periods for r in school.requirements)
    assert "午休" in p.hours
    assert p.of_kind("BreakTimes")


def test_locks_and_result_reader(tmp_path: Path) -> None:
    p = read_fet(SMALL)
    sol = FetSolution({1: Placement(1, 0, 0), 2: Placement(2, 0, 0), 3: Placement(0, 1),
                       4: Placement(0, 3, 1), 5: Placement(0, 4, 0)})
    locks = lock_constraints(p, sol)
    assert len([c for c in locks if c.kind == "ActivityPreferredStartingTime"]) == 5
    assert len([c for c in locks if c.kind == "ActivityPreferredRoom"]) == 4
    out = write_locked_fet(p, sol, tmp_path / "locked.fet", source=SMALL)
    assert read_fet_result(p, out).placements == sol.placements
    out2 = write_locked_fet(p, sol, tmp_path / "locked2.fet")
    assert read_fet_result(p, out2).placements == sol.placements


def test_unplaced_activity_cannot_be_locked() -> None:
    p = read_fet(SMALL)
    with pytest.raises(InputError):
        lock_constraints(p, FetSolution({1: Placement(0, 0)}))


@pytest.mark.skipif(FET_CL is None, reason="fet-cl not installed")
def test_locked_export_accepted_by_fet(tmp_path: Path) -> None:
    from jianfu.models.fet_check import score_fet
    from jianfu.solver.fet.solve import solve_fet

    result, p = solve_fet(SMALL, time_limit=10, workers=1)
    assert result.solution is not None
    locked = write_locked_fet(p, result.solution, tmp_path / "small_locked.fet", source=SMALL)
    run = subprocess.run([FET_CL, f"--inputfile={locked}", f"--outputdir={tmp_path / 'out'}",
                          "--timelimitseconds=20"], capture_output=True, text=True, timeout=60,
                         check=False)
    assert "Simulation successful" in run.stdout + run.stderr
    fet = read_fet_result(p, tmp_path / "out" / "timetables" / "small_locked" /
                          "small_locked_activities.xml")
    assert {a: (q.day, q.hour) for a, q in fet.placements.items()} == \
        {a: (q.day, q.hour) for a, q in result.solution.placements.items()}
    assert score_fet(p, fet).compliant
    # written from the problem alone (no source file) FET reads and accepts it too
    alone = write_locked_fet(p, result.solution, tmp_path / "alone.fet")
    run = subprocess.run([FET_CL, f"--inputfile={alone}", f"--outputdir={tmp_path / 'out2'}",
                          "--timelimitseconds=20"], capture_output=True, text=True, timeout=60,
                         check=False)
    assert "Simulation successful" in run.stdout + run.stderr


def _room_names(p, solution: FetSolution) -> dict[int, str | None]:
    return {a: None if pl.room is None else p.rooms[pl.room].name
            for a, pl in solution.placements.items()}


#: Where fet-cl 6.8.5 puts the activities of home_vs_subject_room.fet: a 100 % home room
#: gives way to a 100 % subject room, binds an activity without a preferred room, and
#: does not bind an activity of two teachers
FET_HOME_ROOMS = {1: "语文室", 2: "201", 3: None}


def test_home_room_gives_way_to_subject_room() -> None:
    from jianfu.models.fet_check import score_fet
    from jianfu.solver.fet.solve import solve_fet

    result, p = solve_fet(HOME_ROOM, time_limit=10, workers=1)
    assert result.solution is not None, result.explanation
    assert _room_names(p, result.solution) == FET_HOME_ROOMS
    assert score_fet(p, result.solution).compliant


@pytest.mark.skipif(FET_CL is None, reason="fet-cl not installed")
def test_fet_puts_home_room_activity_in_subject_room(tmp_path: Path) -> None:
    from jianfu.models.fet_check import score_fet

    run = subprocess.run([FET_CL, f"--inputfile={HOME_ROOM}", f"--outputdir={tmp_path}",
                          "--timelimitseconds=10"], capture_output=True, text=True, timeout=60,
                         check=False)
    assert "Simulation successful" in run.stdout + run.stderr
    p = read_fet(HOME_ROOM)
    fet = read_fet_result(p, tmp_path / "timetables" / HOME_ROOM.stem /
                          f"{HOME_ROOM.stem}_activities.xml")
    assert _room_names(p, fet) == FET_HOME_ROOMS
    assert score_fet(p, fet).compliant          # the checker agrees with FET's reading


@pytest.mark.skipif(not EXAMPLES.exists(), reason="fet-data examples not installed")
def test_development_set_imports() -> None:
    for rel in ("Brazil/1/Brazil.fet", "United-Kingdom/Hopwood/Hopwood.fet",
                "Spain/3-school/primaria.fet"):
        p = read_fet(EXAMPLES / rel)
        assert p.activities and p.constraints


def test_meeting_becomes_teacher_not_available_times() -> None:
    import dataclasses

    from jianfu.models.school import Half, Meeting

    from builders import fit_policy, mini_school

    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 6), ("一班", "数学", "李明", 6)])
    s = dataclasses.replace(s, meetings=(
        Meeting("语文组教研", 1, subjects=(s.subject_index["语文"],), half=Half.AFTERNOON),))
    p = school_to_fet(s, fit_policy(s))
    na = {c.get("teacher"): c.get("slots") for c in p.of_kind("TeacherNotAvailableTimes")}
    # every teacher is kept out of the after-class activity hour; 王芳 also from 周二下午
    activity = p.hours.index("课外活动")
    assert set(na) == {s.teacher_index["王芳"], s.teacher_index["李明"]}
    assert na[s.teacher_index["李明"]] == tuple((d, activity) for d in range(len(p.days)))
    afternoon = [h for h, name in enumerate(p.hours) if name.startswith(("第5节", "第6节"))]
    assert len(afternoon) == 2
    assert set(na[s.teacher_index["王芳"]]) - set(na[s.teacher_index["李明"]]) == \
        {(1, h) for h in afternoon}


def test_fixed_and_forbidden_periods_become_preferred_times(tmp_path) -> None:
    import dataclasses

    from jianfu.models.fet_core import compile_fet
    from jianfu.models.school import Half, SlotSpec

    from builders import fit_policy, mini_school

    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 6, 1), ("一班", "数学", "李明", 6)])
    s = dataclasses.replace(s, requirements=(
        dataclasses.replace(s.requirements[0], fixed=(SlotSpec(0, 0), SlotSpec(1, 1))),
        dataclasses.replace(s.requirements[1], forbidden=(SlotSpec(None, None, Half.AFTERNOON),))))
    p = school_to_fet(s, fit_policy(s))
    hour = {name.split()[0]: h for h, name in enumerate(p.hours)}
    fixed = [dict(c.params) for c in p.of_kind("ActivityPreferredStartingTime")]
    assert [(c["day"], c["hour"]) for c in fixed] == [(0, hour["第1节"]), (1, hour["第2节"])]
    assert all(c.weight == 100 for c in p.of_kind("ActivityPreferredStartingTime"))
    slots = [dict(c.params) for c in p.of_kind("ActivityPreferredTimeSlots") if c.hard]
    maths = [a.id for a in p.activities if p.subjects[a.subject] == "数学"]
    assert [c["activity"] for c in slots] == maths
    morning = {(d, hour[f"第{k}节"]) for d in range(2) for k in (1, 2, 3, 4)}
    assert all(set(c["slots"]) == morning for c in slots)
    # the written file reads back with the same rules: FET's domains keep them
    write_fet(p, tmp_path / "s.fet")
    back = compile_fet(read_fet(tmp_path / "s.fet", ignore_unsupported=True))
    kept = [{(back.slots[x].day, back.slots[x].period) for x in a.slots}
            for a in back.activities if p.subjects[a.subject] == "数学"]
    assert len(kept) == 6 and all(k == morning for k in kept)


def test_combined_lesson_becomes_one_activity_of_both_classes(tmp_path) -> None:
    import dataclasses

    from jianfu.instances.fet import read_fet
    from jianfu.models.school import Combined

    from builders import fit_policy, mini_school

    s = mini_school([("一班", 1), ("二班", 1)],
                    [("一班", "体育", "张伟", 2), ("一班", "语文", "王芳", 6),
                     ("二班", "体育", "张伟", 2), ("二班", "语文", "赵丽", 6)])
    s = dataclasses.replace(s, combined=(Combined("体育合班", (0, 2), s.teacher_index["张伟"]),))
    p = school_to_fet(s, fit_policy(s))
    pe = [a for a in p.activities if a.subject == s.subject_index["体育"]]
    assert len(pe) == 2 and all(a.students == ("一班", "二班") for a in pe)
    assert all(len(a.subgroups) == 2 for a in pe)
    back = read_fet(write_fet(p, tmp_path / "c.fet"), ignore_unsupported=True)
    assert [a.students for a in back.activities if a.subject == s.subject_index["体育"]] == \
        [("一班", "二班")] * 2


@pytest.mark.skipif(FET_CL is None, reason="fet-cl not installed")
def test_a_school_with_combined_split_and_block_lessons_exports_to_a_file_fet_solves(
        tmp_path: Path) -> None:
    import dataclasses

    from jianfu.models.school import (Block, BlockGroup, Category, Combined, Split,
                                      SplitGroup, Subject)

    import builders

    english = Subject("英语", "English", Category.MAIN)
    s = builders.mini_school(
        [("一班", 7), ("二班", 7)],
        [("一班", "英语", "王芳", 2), ("一班", "体育", "张伟", 2), ("一班", "数学", "李明", 4),
         ("一班", "音乐", "孙丽", 1),
         ("二班", "英语", "李娜", 2), ("二班", "体育", "张伟", 2), ("二班", "数学", "赵丽", 4),
         ("二班", "音乐", "孙丽", 1)],
        teachers=("刘洋",), days=3, subjects=builders.SUBJECTS + (english,))
    q = {(s.classes[r.cls].name, s.subjects[r.subject].name): i for i, r in enumerate(s.requirements)}
    t = s.teacher_index
    s = dataclasses.replace(
        s, combined=(Combined("合唱", (q["一班", "音乐"], q["二班", "音乐"]), t["孙丽"]),),
        splits=(Split(q["一班", "体育"], (SplitGroup("男生", s.subject_index["体育"], t["张伟"]),
                                         SplitGroup("女生", s.subject_index["体育"], t["刘洋"]))),),
        blocks=(Block("英语分层", (q["一班", "英语"], q["二班", "英语"]),
                      (BlockGroup("A层", s.subject_index["英语"], t["王芳"]),
                       BlockGroup("B层", s.subject_index["英语"], t["李娜"]))),))
    policy = builders.fit_policy(s)
    fet = school_to_fet(s, policy)
    path = write_fet(fet, tmp_path / "structures.fet")
    run = subprocess.run([FET_CL, f"--inputfile={path}", f"--outputdir={tmp_path / 'out'}",
                          "--timelimitseconds=30"], capture_output=True, text=True, timeout=90,
                         check=False)
    assert "Simulation successful" in run.stdout + run.stderr, run.stdout[-2000:]
    back = read_fet(path, ignore_unsupported=True)
    teachers = {tuple(sorted(back.teachers[x] for x in a.teachers)) for a in back.activities}
    assert ("李娜", "王芳") in teachers and ("刘洋", "张伟") in teachers
    assert any(len(a.students) == 2 for a in back.activities)   # the 合班 and the block
    # FET's timetable, read back into the school's lessons, keeps every hard rule
    from jianfu.instances.fet_school import read_fet_timetable
    from jianfu.models.checker import check, summarize

    tt = read_fet_timetable(tmp_path / "out" / "timetables" / "structures" /
                            "structures_data_and_timetable.fet", s, policy)
    assert {x.group for x in tt.lessons} == {None, "男生", "女生", "A层", "B层"}
    assert summarize(check(s, policy, tt), policy).compliant


def test_locked_hard_only_lifts_every_soft_constraint(tmp_path: Path) -> None:
    p = read_fet(SMALL)
    sol = FetSolution({a.id: Placement(0, 0) for a in p.activities})
    soft = sum(1 for c in p.constraints if not c.hard)
    assert soft > 0
    for source in (SMALL, None):
        out = write_locked_fet(p, sol, tmp_path / f"h{source is None}.fet", source=source,
                               hard_only=True)
        back = read_fet(out)
        assert all(c.hard for c in back.constraints)
        assert sum(1 for c in back.constraints if c.kind == "ActivityPreferredStartingTime"
                   and c.get("activity") is not None) >= len(p.activities)


def test_docs_list_every_supported_kind_and_no_other() -> None:
    from jianfu.models.fet import SUPPORTED

    text = (Path(__file__).resolve().parents[2] / "docs" / "format.md").read_text(encoding="utf-8")
    section = text.split("### FET files jianfu solves", 1)[1].split("\nNot yet:", 1)[0]
    rows = [line.split("|")[2] for line in section.splitlines() if line.startswith("| ")
            and not line.startswith("| group")]
    listed = {k.strip() for row in rows for k in row.split(",")}
    assert listed == set(SUPPORTED)
