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
    assert "ActivitiesSameStartingHour ×2" in str(err.value)
    assert "TeacherMaxHoursContinuously ×1" in str(err.value)


def test_unsupported_ignored_on_request() -> None:
    p = read_fet(DATA / "unsupported.fet", ignore_unsupported=True)
    assert dict(p.unsupported) == {"ActivitiesSameStartingHour": 2,
                                   "TeacherMaxHoursContinuously": 1}
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

    school = read_school(DEMO)
    p = school_to_fet(school, school.policy(None))
    q = read_fet(write_fet(p, tmp_path / "school.fet"))
    assert (q.days, q.hours, q.teachers, q.subjects, q.subgroups, q.activities, q.rooms) == \
        (p.days, p.hours, p.teachers, p.subjects, p.subgroups, p.activities, p.rooms)
    assert dict(q.students_sets) == dict(p.students_sets)
    assert [(c.kind, c.weight, c.params) for c in q.constraints] == \
        [(c.kind, c.weight, c.params) for c in p.constraints]
    # every weekly lesson is an hour of some activity; long break and activity are breaks
    assert sum(a.duration for a in p.activities) == sum(r.periods for r in school.requirements)
    assert any(h.startswith("大课间") for h in p.hours)
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
    from jianfu.solver.fet_model import solve_fet

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


@pytest.mark.skipif(not EXAMPLES.exists(), reason="fet-data examples not installed")
def test_development_set_imports() -> None:
    for rel in ("Brazil/1/Brazil.fet", "United-Kingdom/Hopwood/Hopwood.fet",
                "Spain/3-school/primaria.fet"):
        p = read_fet(EXAMPLES / rel)
        assert p.activities and p.constraints
