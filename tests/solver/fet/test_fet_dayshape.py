"""The dayshape families of FetModel, alone on :func:`models.fet_helpers.mini`, and the
hand-made ``dayshape.fet`` solved by jianfu and by fet-cl 6.8.5.

Per family, as in ``test_fet_families.py``: the hard rule holds on the solved
timetable, a timetable fixed to break it is INFEASIBLE, it binds (the most breaking
starts taken at once differ from the problem without it), and below 100 % a timetable
fixed to break it costs exactly the checker's amount × weight. Every solution found
passes the FET checker and costs what the model says.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from jianfu.instances.fet import read_fet, read_fet_result
from jianfu.models.fet import FetActivity, FetConstraint, FetProblem, matches_filter
from jianfu.models.fet_check import score_fet
from jianfu.solver.fet.model import FetModel
from jianfu.solver.fet.solve import solve_fet_problem

from fet_runs import INFEASIBLE, OPTIMAL, Cell, run
from models.fet_helpers import DATA, at, con, mini

FET_CL = shutil.which("fet-cl")
DAYSHAPE = DATA / "dayshape.fet"
#: four one-hour lessons of T0 / S0, the first three tagged
TAGGED = ((1, (0,), (0,), 0, (0,)),) * 3 + ((1, (0,), (0,), 0, ()),)
S0 = {"students": "S0", "subgroups": (0,)}


def starts(c: FetConstraint, aid: int, p: FetProblem | None = None) -> set[Cell]:
    fm = FetModel(p or mini(c))
    fm.build()
    return set(fm.starts_of(aid))


def soft(c: FetConstraint, weight: float) -> FetConstraint:
    return FetConstraint(c.kind, weight, c.params)


# -- the last lesson of the day ---------------------------------------------------------------

def test_activity_ends_students_day() -> None:
    rule = con("ActivityEndsStudentsDay", activity=1)
    one_day = con("TeacherMaxDaysPerWeek", teacher=0, bound=1)
    r = run(mini(rule, one_day))
    assert r.status == OPTIMAL and r.at(1)[1] > r.at(2)[1]
    assert run(mini(rule), {1: (0, 0), 2: (0, 1)}).status == INFEASIBLE
    # A3 is S1's: it may follow A1
    assert run(mini(rule), {1: (0, 0), 3: (0, 1)}).status == OPTIMAL
    before = ((1, (0, 0)), (2, (0, 1)))
    assert run(mini(rule), most=before).best == 1 and run(mini(), most=before).best == 2
    # below 100 % (fet-cl takes it only at 100 %): one unit for the activity
    assert run(mini(soft(rule, 60)), {1: (0, 0), 2: (0, 3)}).objective == pytest.approx(0.6)
    assert run(mini(soft(rule, 60))).objective == 0


def test_activities_end_students_day() -> None:
    rule = con("ActivitiesEndStudentsDay", teacher=0)
    # both of S0's lessons end its day: never two on one day
    r = run(mini(rule))
    assert r.status == OPTIMAL and r.at(1)[0] != r.at(2)[0]
    assert run(mini(rule, con("TeacherMaxDaysPerWeek", teacher=0, bound=1))).status == INFEASIBLE
    assert run(mini(con("TeacherMaxDaysPerWeek", teacher=0, bound=1))).status == OPTIMAL
    r = run(mini(soft(rule, 70)), {1: (0, 0), 2: (0, 1)})
    assert r.objective == pytest.approx(0.7)


# -- parts of split activities --------------------------------------------------------------

#: activities 1 and 2 are the two parts of split activity 1
SPLIT = tuple(FetActivity(id=i, duration=1, subject=0, teachers=(0,), students=("S0",),
                          subgroups=(0,), group_id=1) for i in (1, 2))


def split(*cs: FetConstraint) -> FetProblem:
    p = mini(*cs)
    return replace(p, activities=SPLIT + p.activities[2:])


@pytest.mark.parametrize("kind,params,domain,bad,units", [
    ("SubactivitiesPreferredStartingTimes", {"starts": ((0, 0), (1, 3))},
     {(0, 0), (1, 3)}, (2, 2), 1),
    # two hours outside from (2, 2): one unit each
    ("SubactivitiesPreferredTimeSlots", {"slots": ((1, 1), (1, 2), (1, 3))},
     {(1, 1), (1, 2), (1, 3)}, (2, 2), 1),
])
def test_subactivities_bind_the_kth_part(kind: str, params: dict, domain: set, bad: Cell,
                                         units: int) -> None:
    rule = con(kind, component=2, teacher=0, **params)
    # the second part only; the first keeps every start
    assert starts(rule, 2, split(rule)) == domain
    assert starts(rule, 1, split(rule)) == starts(rule, 1, split())
    # the first part of a split activity, and an activity not split, are component 1
    first = con(kind, component=1, teacher=0, **params)
    assert starts(first, 1, split(first)) == domain
    assert starts(first, 2, split(first)) == starts(first, 2, split())
    assert starts(first, 2) == domain
    r = run(split(rule))
    assert r.status == OPTIMAL and r.at(2) in domain
    assert run(split(soft(rule, 70)), {2: bad}).objective == pytest.approx(units * 0.7)
    assert run(split(soft(rule, 70))).objective == 0


def test_subactivity_time_slots_cost_per_hour_outside() -> None:
    rule = con("SubactivitiesPreferredTimeSlots", 70, component=1, duration=2,
               slots=((1, 1), (1, 2), (1, 3)))
    assert run(mini(rule), {3: (1, 0)}).objective == pytest.approx(0.7)
    assert run(mini(rule), {3: (0, 0)}).objective == pytest.approx(2 * 0.7)
    hard = con("SubactivitiesPreferredTimeSlots", component=1, duration=2,
               slots=((1, 1), (1, 2), (1, 3)))
    assert starts(hard, 3) == {(1, 1), (1, 2)}


# -- occupied slots of a selection ------------------------------------------------------------

def test_activities_occupy_max_time_slots_from_selection() -> None:
    monday = tuple((0, h) for h in range(4))
    rule = con("ActivitiesOccupyMaxTimeSlotsFromSelection", activities=(1, 2, 3), slots=monday,
               max=1)
    r = run(mini(rule))
    assert r.status == OPTIMAL and r.at(3)[0] != 0       # A3's two hours would take two
    assert run(mini(rule), {3: (0, 0)}).status == INFEASIBLE
    two = con("ActivitiesOccupyMaxTimeSlotsFromSelection", activities=(1, 2, 3), slots=monday,
              max=2)
    assert run(mini(two), {3: (0, 0)}, most=((1, (0, 2)),)).best == 0
    assert run(mini(), {3: (0, 0)}, most=((1, (0, 2)),)).best == 1
    # two activities at once take one slot
    apart = ((1, (0,), (0,), 0, ()), (1, (1,), (1,), 0, ()))
    one = con("ActivitiesOccupyMaxTimeSlotsFromSelection", activities=(1, 2), slots=monday,
              max=1)
    assert run(mini(one, acts=apart), {1: (0, 0), 2: (0, 0)}).status == OPTIMAL
    # below 100 %: one unit, however far over
    r = run(mini(soft(rule, 50)), {3: (0, 0), 1: (0, 2), 2: (0, 3)})
    assert r.objective == pytest.approx(0.5)
    # lessons of one teacher (counted without a literal per slot)
    t0 = con("ActivitiesOccupyMaxTimeSlotsFromSelection", activities=(1, 2), slots=monday,
             max=1)
    assert run(mini(t0), {1: (0, 0), 2: (0, 1)}).status == INFEASIBLE
    assert run(mini(t0), {1: (0, 0)}, most=((2, (0, 3)), (2, (1, 0)))).at(2) == (1, 0)
    assert run(mini(soft(t0, 50)), {1: (0, 0), 2: (0, 1)}).objective == pytest.approx(0.5)


# -- students' gaps per day -------------------------------------------------------------------

@pytest.mark.parametrize("kind,scope", [("StudentsMaxGapsPerDay", {}),
                                        ("StudentsSetMaxGapsPerDay", S0)])
def test_students_max_gaps_per_day(kind: str, scope: dict) -> None:
    rule = con(kind, bound=0, **scope)
    r = run(mini(rule), {1: (0, 0)}, most=((2, (0, 1)), (2, (0, 2))))
    assert r.status == OPTIMAL and r.at(2) == (0, 1)
    wide = {1: (0, 0), 2: (0, 3)}
    assert run(mini(rule), wide).status == INFEASIBLE
    assert run(mini(con(kind, bound=2, **scope)), wide).status == OPTIMAL
    # one gap on each of two days: within one a day
    four = ((1, (0,), (0,), 0, ()),) * 4
    fix = {1: (0, 0), 2: (0, 2), 3: (1, 0), 4: (1, 2)}
    assert run(mini(con(kind, bound=1, **scope), acts=four), fix).status == OPTIMAL
    assert run(mini(con(kind, 50, bound=0, **scope)), wide).objective == pytest.approx(1.0)


# -- hours of a tag -----------------------------------------------------------------------------

TAG_SCOPES = {"TeacherActivityTagMaxHoursDaily": {"teacher": 0},
              "TeachersActivityTagMaxHoursDaily": {},
              "StudentsSetActivityTagMaxHoursDaily": S0,
              "StudentsActivityTagMaxHoursDaily": {}}


@pytest.mark.parametrize("kind", TAG_SCOPES)
def test_activity_tag_max_hours_daily(kind: str) -> None:
    rule = con(kind, tag=0, bound=1, **TAG_SCOPES[kind])
    r = run(mini(rule, acts=TAGGED))
    assert r.status == OPTIMAL and len({r.at(a)[0] for a in (1, 2, 3)}) == 3
    assert run(mini(rule, acts=TAGGED), {1: (0, 0), 2: (0, 2)}).status == INFEASIBLE
    # the untagged A4 may join a tagged one
    assert run(mini(rule, acts=TAGGED), {1: (0, 0), 4: (0, 1)}).status == OPTIMAL
    both = ((1, (0, 0)), (2, (0, 1)))
    assert run(mini(rule, acts=TAGGED), most=both).best == 1
    assert run(mini(acts=TAGGED), most=both).best == 2
    # below 100 %: one unit for the day, not one per hour over
    monday = {1: (0, 0), 2: (0, 1), 3: (0, 2)}
    r = run(mini(soft(rule, 40), acts=TAGGED), monday)
    assert r.objective == pytest.approx(0.4)
    assert run(mini(soft(rule, 40), acts=TAGGED)).objective == 0


TAG_RUN_SCOPES = {k.replace("Daily", "Continuously"): v for k, v in TAG_SCOPES.items()}


@pytest.mark.parametrize("kind", TAG_RUN_SCOPES)
def test_activity_tag_max_hours_continuously(kind: str) -> None:
    scope = TAG_RUN_SCOPES[kind]
    rule = con(kind, tag=0, bound=1, **scope)
    assert run(mini(rule, acts=TAGGED), {1: (0, 0), 2: (0, 1)}).status == INFEASIBLE
    # an untagged lesson or a break between ends the run
    assert run(mini(rule, acts=TAGGED), {1: (0, 0), 4: (0, 1), 2: (0, 2)}).status == OPTIMAL
    brk = con("BreakTimes", slots=((0, 1),))
    assert run(mini(rule, brk, acts=TAGGED), {1: (0, 0), 2: (0, 2)}).status == OPTIMAL
    assert run(mini(rule, acts=TAGGED), {1: (0, 0)}, most=((2, (0, 1)),)).best == 0
    assert run(mini(acts=TAGGED), {1: (0, 0)}, most=((2, (0, 1)),)).best == 1
    # below 100 %: one unit per run over the bound, however long
    run3 = {1: (0, 0), 2: (0, 1), 3: (0, 2)}
    assert run(mini(soft(rule, 40), acts=TAGGED), run3).objective == pytest.approx(0.4)
    zero = con(kind, 40, tag=0, bound=0, **scope)
    assert run(mini(zero, acts=TAGGED), {1: (0, 0), 2: (0, 1), 3: (1, 0)}).objective == \
        pytest.approx(2 * 0.4)


def test_subgroups_with_the_same_lessons_each_cost() -> None:
    # A1, A2 are lessons of S0 and S1 together: FET counts the broken day once for each
    acts = ((1, (0,), (0, 1), 0, (0,)),) * 2
    rule = con("StudentsActivityTagMaxHoursDaily", 50, tag=0, bound=1)
    assert run(mini(rule, acts=acts), {1: (0, 0), 2: (0, 1)}).objective == pytest.approx(1.0)
    runs = con("StudentsActivityTagMaxHoursContinuously", 50, tag=0, bound=1)
    assert run(mini(runs, acts=acts), {1: (0, 0), 2: (0, 1)}).objective == pytest.approx(1.0)


# -- the whole solver: hard rules that force an answer ------------------------------------------

BINDS = [
    ("ActivityEndsStudentsDay", [con("ActivityEndsStudentsDay", activity=1),
                                 con("TeacherMaxDaysPerWeek", teacher=0, bound=1)],
     lambda r: at(r, 1)[1] > at(r, 2)[1], {}),
    ("SubactivitiesPreferredStartingTimes",
     [con("SubactivitiesPreferredStartingTimes", component=1, duration=2, starts=((2, 1),))],
     lambda r: at(r, 3) == (2, 1), {}),
    ("ActivitiesOccupyMaxTimeSlotsFromSelection",
     [con("ActivitiesOccupyMaxTimeSlotsFromSelection", activities=(3,),
          slots=tuple((d, h) for d in range(3) for h in (1, 2)), max=1)],
     lambda r: at(r, 3)[1] in (0, 2), {}),          # from hour 1 it would take two
    ("StudentsSetMaxGapsPerDay",
     [con("StudentsSetMaxGapsPerDay", bound=0, **S0),
      con("ActivityPreferredStartingTime", activity=1, day=0, hour=0),
      con("ActivityPreferredStartingTime", activity=2, day=0)],
     lambda r: at(r, 2) == (0, 1), {}),
    ("TeacherActivityTagMaxHoursDaily",
     [con("TeacherActivityTagMaxHoursDaily", teacher=0, tag=0, bound=1)],
     lambda r: len({at(r, a)[0] for a in (1, 2, 3)}) == 3, {"acts": TAGGED}),
    ("StudentsActivityTagMaxHoursContinuously",
     [con("StudentsActivityTagMaxHoursContinuously", tag=0, bound=1),
      con("TeacherMaxDaysPerWeek", teacher=0, bound=1),
      con("ActivityPreferredStartingTime", activity=4, day=0, hour=1)],
     lambda r: sorted(at(r, a)[1] for a in (1, 2, 3)) == [0, 2, 4],
     {"acts": TAGGED, "hours": 5}),
]


@pytest.mark.parametrize("kind,cs,ok,shape", BINDS, ids=[b[0] for b in BINDS])
def test_solver_keeps_hard_kind(kind: str, cs: list, ok, shape: dict) -> None:
    p = mini(*cs, **shape)
    r = solve_fet_problem(p, time_limit=10, workers=1)
    assert r.solution is not None, r.explanation
    s = score_fet(p, r.solution)
    assert s.compliant and s.soft == pytest.approx(r.objective)
    assert ok(r)


# -- dayshape.fet: every kind, hard and soft, in FET's own layout ---------------------------------

def test_dayshape_file_reads_every_kind() -> None:
    p = read_fet(DAYSHAPE)
    kinds = {c.kind for c in p.constraints}
    assert len(kinds) == 18 and not p.unsupported
    sub = p.of_kind("SubactivitiesPreferredStartingTimes")[0]
    assert sub.get("component") == 1 and sub.get("duration") is None
    # the first Math parts of Li's three classes
    assert [a.id for a in p.activities if matches_filter(p, a, sub)] == [1, 5, 26]
    tag = p.of_kind("StudentsSetActivityTagMaxHoursDaily")[0]
    assert (tag.get("students"), tag.get("tag"), tag.get("bound")) == ("7A", 0, 2)
    occ = p.of_kind("ActivitiesOccupyMaxTimeSlotsFromSelection")[0]
    assert occ.get("activities") == (15, 16, 22, 23) and occ.get("max") == 1


def test_dayshape_file_solves() -> None:
    # a timetable is all this needs: the first, however loaded the machine
    p = read_fet(DAYSHAPE)
    r = solve_fet_problem(p, time_limit=120, workers=1,
                               params={"stop_after_first_solution": True})
    assert r.solution is not None, r.explanation
    s = score_fet(p, r.solution)
    assert s.compliant and s.soft == pytest.approx(r.objective)


@pytest.mark.skipif(FET_CL is None, reason="fet-cl not installed")
def test_fet_timetable_of_dayshape_is_compliant_and_scored_as_fet_scores_it(
        tmp_path: Path) -> None:
    out = subprocess.run([FET_CL, f"--inputfile={DAYSHAPE}", f"--outputdir={tmp_path}",
                          "--timelimitseconds=30"], capture_output=True, text=True, timeout=90,
                         check=False)
    assert "Simulation successful" in out.stdout + out.stderr
    where = tmp_path / "timetables" / "dayshape"
    p = read_fet(DAYSHAPE)
    score = score_fet(p, read_fet_result(p, where / "dayshape_activities.xml"))
    text = (where / "dayshape_soft_conflicts.txt").read_text(encoding="utf-8-sig")
    total = float(re.search(r"Total soft conflicts: ([\d.]+)", text).group(1))
    assert score.compliant
    assert score.soft == pytest.approx(total)
