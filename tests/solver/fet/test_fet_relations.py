"""The CP-SAT families of the relations between activities, on minimal FET problems,
and relations.fet against fet-cl 6.8.5.

Each family: holds (the hard rule forces a particular answer, :data:`BINDS`, and the
checker finds nothing), must fail (starts fixed to a breaking timetable are
INFEASIBLE), binds (fewer timetables than without it) and soft (a timetable fixed to
break it costs exactly the checker's amount × weight / 100; the free optimum costs 0).
The problems are :func:`models.fet_helpers.mini`'s: activities 1 and 2 of one hour for
T0/S0, 3 of two hours for T1/S1, three days of four hours.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from jianfu.instances.fet import read_fet, read_fet_result
from jianfu.instances.fet_export import write_fet, write_locked_fet
from jianfu.models.fet import FetProblem
from jianfu.models.fet_check import score_fet
from jianfu.solver.fet.solve import solve_fet, solve_fet_problem
from jianfu.solver.result import Status

from fet_runs import Cell, run
from models.fet_helpers import DATA, PAIR_BINDS, at, con, mini

FET_CL = shutil.which("fet-cl")
RELATIONS = DATA / "relations.fet"
#: four one-hour activities of four teachers and subgroups: nothing shared
FOUR = tuple((1, (t,), (t,), 0) for t in range(4))

# hard constraints that force a particular answer of mini(): (kind, constraints, check);
# the ones the search keeps pair by pair are shared with its tests
BINDS = [
    *PAIR_BINDS,
    ("TwoActivitiesGrouped", [con("TwoActivitiesGrouped", first=3, second=1),
                              con("ActivityPreferredStartingTime", activity=3, day=0, hour=1)],
     lambda r: at(r, 1) in ((0, 0), (0, 3))),
    ("ThreeActivitiesGrouped", [con("ThreeActivitiesGrouped", first=1, second=2, third=3),
                                con("ActivityPreferredStartingTime", activity=3, day=0, hour=1)],
     lambda r: {at(r, 1), at(r, 2)} == {(0, 0), (0, 3)}),
    ("TwoActivitiesOrderedIfSameDay",
     [con("TwoActivitiesOrderedIfSameDay", first=1, second=2),
      con("ActivityPreferredStartingTime", activity=2, hour=1),
      con("TeacherMaxDaysPerWeek", teacher=0, bound=1)],
     lambda r: at(r, 1) == (at(r, 2)[0], 0)),
    ("TwoActivitiesOrdered", [con("TwoActivitiesOrdered", first=1, second=2),
                              con("ActivityPreferredStartingTime", activity=2, day=0, hour=1)],
     lambda r: at(r, 1) == (0, 0)),
]


@pytest.mark.parametrize("kind,cs,ok", BINDS, ids=[b[0] for b in BINDS])
def test_hard_kind_binds(kind: str, cs: list, ok) -> None:
    p = mini(*cs)
    r = solve_fet_problem(p, time_limit=10, workers=1)
    assert r.solution is not None, r.explanation
    assert score_fet(p, r.solution).compliant
    assert ok(r)


def solve(p: FetProblem, fix: dict[int, Cell] | None = None, *,
          most: tuple[tuple[int, Cell], ...] = ()) -> tuple[int, float | None]:
    """CP-SAT status and value of ``p`` with activity ``aid`` fixed at ``fix[aid]``: the
    soft cost (checked against the checker's), or with ``most`` the most of those starts
    taken at once (for problems without soft terms)."""
    r = run(p, fix, most=most)
    return r.status, (r.best if most else r.objective)


#: kind, constraint (weight set per test), breaking starts, their soft amount, starts
#: the rule forbids together (``most``: how many of them it allows / without it), problem
RULES = [
    ("ActivitiesNotOverlapping", dict(activities=(1, 2, 3)),
     {1: (0, 1), 2: (0, 0), 3: (0, 0)}, 2, ((1, (0, 1)), (3, (0, 0))), 1, {}),
    ("TwoActivitiesGrouped", dict(first=1, second=3),
     {1: (0, 3), 3: (0, 0)}, 1, ((1, (1, 0)), (3, (0, 0))), 1, {}),
    ("ThreeActivitiesGrouped", dict(first=1, second=2, third=3),
     {1: (0, 0), 2: (1, 0), 3: (0, 1)}, 1, ((1, (0, 0)), (2, (1, 0)), (3, (0, 1))), 2, {}),
    ("MinGapsBetweenActivities", dict(activities=(1, 2), min_gaps=2),
     {1: (0, 0), 2: (0, 1)}, 2, ((1, (0, 0)), (2, (0, 2))), 1, {}),
    ("ActivitiesSameStartingHour", dict(activities=(1, 2, 3, 4)),
     {1: (0, 0), 2: (1, 1), 3: (2, 2), 4: (2, 2)}, 5, ((1, (0, 0)), (2, (0, 1))), 1,
     {"acts": FOUR, "teachers": 4, "subgroups": 4}),
    ("ActivitiesSameStartingDay", dict(activities=(1, 2, 3, 4)),
     {1: (0, 0), 2: (1, 1), 3: (2, 2), 4: (2, 2)}, 5, ((1, (0, 0)), (2, (1, 0))), 1,
     {"acts": FOUR, "teachers": 4, "subgroups": 4}),
    ("TwoActivitiesOrderedIfSameDay", dict(first=3, second=1),
     {3: (0, 1), 1: (0, 0)}, 1, ((3, (0, 1)), (1, (0, 0))), 1, {}),
    ("TwoActivitiesOrdered", dict(first=3, second=1),
     {3: (1, 0), 1: (0, 3)}, 1, ((3, (1, 0)), (1, (0, 3))), 1, {}),
]


@pytest.mark.parametrize("kind,params,bad,n,together,allowed,kw", RULES,
                         ids=[r[0] for r in RULES])
def test_family_fails_binds_and_costs(kind: str, params: dict, bad: dict, n: int,
                                      together: tuple, allowed: int, kw: dict) -> None:
    hard = con(kind, **params)
    # must fail
    assert solve(mini(hard, **kw), bad)[0] == cp_model.INFEASIBLE
    # binds: the starts it forbids together, which are compatible without it
    assert solve(mini(hard, **kw), most=together)[1] == allowed
    assert solve(mini(**kw), most=together)[1] == len(together)
    # soft at 35 %: the breaking timetable costs its amount; the free optimum nothing
    soft = con(kind, 35, **params)
    assert solve(mini(soft, **kw), bad)[1] == pytest.approx(n * 0.35)
    assert solve(mini(soft, **kw))[1] == 0


def test_min_gaps_hard_counts_break_hours_as_gaps() -> None:
    c = con("MinGapsBetweenActivities", activities=(1, 2), min_gaps=2)
    brk = con("BreakTimes", slots=((0, 1),))
    assert solve(mini(c, brk), {1: (0, 0), 2: (0, 3)})[0] == cp_model.OPTIMAL
    assert solve(mini(c, brk), {1: (0, 0), 2: (0, 2)})[0] == cp_model.INFEASIBLE


def test_grouped_across_a_break() -> None:
    c = con("TwoActivitiesGrouped", first=1, second=3)
    brk = con("BreakTimes", slots=((0, 2),))
    assert solve(mini(c, brk), {3: (0, 0), 1: (0, 3)})[0] == cp_model.OPTIMAL
    assert solve(mini(c), {3: (0, 0), 1: (0, 3)})[0] == cp_model.INFEASIBLE


def test_soft_ordered_against_hard_ordered_costs_its_weight() -> None:
    p = mini(con("TwoActivitiesOrdered", first=1, second=2),
             con("TwoActivitiesOrdered", 80, first=2, second=1))
    assert solve(p)[1] == pytest.approx(0.8)


# -- relations.fet and fet-cl 6.8.5 ---------------------------------------------------------

def test_relations_fet_solves_to_its_least_cost() -> None:
    # 12 and 13 start together yet should not overlap (60 %); 14 must precede 15 yet
    # should follow it (80 %): 1.4 at least, and that is reachable
    result, p = solve_fet(RELATIONS, time_limit=20, workers=1)
    assert result.status is Status.OPTIMAL and result.objective == pytest.approx(1.4)
    score = score_fet(p, result.solution)
    assert score.compliant and score.soft == pytest.approx(1.4)


def test_relations_written_and_read_back(tmp_path: Path) -> None:
    p = read_fet(RELATIONS)
    back = read_fet(write_fet(p, tmp_path / "back.fet"))
    assert [(c.kind, c.weight, c.params) for c in back.constraints] == \
        [(c.kind, c.weight, c.params) for c in p.constraints]


def _fet_soft(out: Path, name: str) -> float:
    text = (out / "timetables" / name / f"{name}_soft_conflicts.txt").read_text("utf-8-sig")
    return float(re.search(r"Total soft conflicts: ([\d.]+)", text).group(1))


def _fet_cl(path: Path, out: Path) -> bool:
    run = subprocess.run([FET_CL, f"--inputfile={path}", f"--outputdir={out}",
                          "--timelimitseconds=20"], capture_output=True, text=True,
                         timeout=60, check=False)
    return "Simulation successful" in run.stdout + run.stderr


@pytest.mark.skipif(FET_CL is None, reason="fet-cl not installed")
def test_fet_timetable_is_compliant_and_scored_as_fet_scores_it(tmp_path: Path) -> None:
    assert _fet_cl(RELATIONS, tmp_path)
    p = read_fet(RELATIONS)
    fet = read_fet_result(p, tmp_path / "timetables" / "relations" /
                          "relations_activities.xml")
    score = score_fet(p, fet)
    assert score.compliant
    assert score.soft == pytest.approx(_fet_soft(tmp_path, "relations"))


@pytest.mark.skipif(FET_CL is None, reason="fet-cl not installed")
def test_fet_accepts_our_timetable_at_our_cost(tmp_path: Path) -> None:
    # our optimum groups 3/4 and 6/7 across the break and keeps 8 and 9 three clock
    # hours apart with the break among them: fet-cl places it, costing 1.4 as we do
    result, p = solve_fet(RELATIONS, time_limit=20, workers=1)
    locked = write_locked_fet(p, result.solution, tmp_path / "locked.fet", source=RELATIONS)
    assert _fet_cl(locked, tmp_path / "out")
    assert _fet_soft(tmp_path / "out", "locked") == pytest.approx(1.4)
