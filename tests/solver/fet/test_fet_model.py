"""The CP-SAT model of FET problems: every answer goes through the FET checker."""

from __future__ import annotations

from pathlib import Path

import pytest
from jianfu.models.errors import InputError
from jianfu.models.fet import FetProblem
from jianfu.models.fet_check import score_fet
from jianfu.solver.fet.solve import solve_fet, solve_fet_problem
from jianfu.solver.result import Status
from models.fet_helpers import BINDS, DATA, at, con, mini

EXAMPLES = Path("/usr/share/doc/fet-data/examples/FET-5-official")


def solved(p: FetProblem, limit: float = 10):
    r = solve_fet_problem(p, time_limit=limit, workers=1)
    assert r.solution is not None, r.explanation
    s = score_fet(p, r.solution)
    assert s.compliant, [v.message for v in s.by_rule]
    assert s.soft == pytest.approx(r.objective)        # the checker recomputes the objective
    return r


@pytest.mark.parametrize("kind,cs,ok", BINDS, ids=[b[0] for b in BINDS])
def test_hard_kind_binds(kind: str, cs: list, ok) -> None:
    r = solved(mini(*cs))
    assert ok(r)


def test_soft_min_days_exact_optimum() -> None:
    p = mini(con("MinDaysBetweenActivities", 95, activities=(1, 2), min_days=1, consecutive=True),
             con("TeacherMaxDaysPerWeek", teacher=0, bound=1))
    r = solved(p)
    assert r.objective == pytest.approx(0.95) and r.status is Status.OPTIMAL
    assert abs(at(r, 1)[1] - at(r, 2)[1]) == 1          # same day, so consecutive


def test_soft_preferred_start_exact_optimum() -> None:
    p = mini(con("ActivityPreferredStartingTime", 70, activity=1, day=0, hour=0),
             con("ActivityPreferredStartingTime", 40, activity=2, day=0, hour=0))
    r = solved(p)
    assert r.objective == pytest.approx(0.40) and at(r, 1) == (0, 0)


def test_soft_gaps_exact_optimum() -> None:
    p = mini(con("TeachersMaxGapsPerWeek", 50, bound=0),
             con("ActivityPreferredStartingTime", activity=1, day=0, hour=0),
             con("ActivityPreferredStartingTime", activity=2, day=0, hour=3))
    assert solved(p).objective == pytest.approx(2 * 0.5)


def test_rooms_no_double_booking() -> None:
    acts = ((1, (0,), (0,), 0), (1, (1,), (1,), 0))
    p = mini(con("SubjectPreferredRooms", subject=0, rooms=(0, 1)),
             con("RoomNotAvailableTimes", room=1, slots=tuple((d, h) for d in range(3)
                                                             for h in range(4))),
             con("ActivitiesSameStartingTime", activities=(1, 2)), acts=acts, rooms=2)
    assert solve_fet_problem(p, time_limit=5, workers=1).status is Status.INFEASIBLE
    p = mini(con("SubjectPreferredRooms", subject=0, rooms=(0, 1)),
             con("ActivitiesSameStartingTime", activities=(1, 2)), acts=acts, rooms=2)
    r = solved(p)
    assert {r.solution.placements[1].room, r.solution.placements[2].room} == {0, 1}


def test_soft_home_room_may_be_left() -> None:
    acts = ((1, (0,), (0,), 0), (1, (0,), (1,), 0))
    p = mini(con("TeacherHomeRoom", 80, teacher=0, rooms=(0,)),
             con("ActivitiesSameStartingTime", 100, activities=(1, 2)), acts=acts, rooms=1)
    # same teacher at the same time is a clash: infeasible whatever the rooms
    assert solve_fet_problem(p, time_limit=5, workers=1).status is Status.INFEASIBLE


def test_home_room_gives_way_to_subject_room() -> None:
    # fet-cl's answer on tests/instances/data/fet/home_vs_subject_room.fet, in miniature
    p = mini(con("TeacherHomeRoom", teacher=0, rooms=(0,)),
             con("SubjectPreferredRoom", subject=0, rooms=(1,)), rooms=2)
    r = solved(p)
    assert [r.solution.placements[a].room for a in (1, 2)] == [1, 1]
    # activities of T0 without a preferred room are in the home room
    p = mini(con("TeacherHomeRoom", teacher=0, rooms=(0,)),
             con("SubjectPreferredRoom", subject=1, rooms=(1,)), rooms=2)
    r = solved(p)
    assert [r.solution.placements[a].room for a in (1, 2, 3)] == [0, 0, 1]


def test_presolve_infeasible_is_confirmed_by_the_checker() -> None:
    # two 100 % room rules with no room in common
    p = mini(con("SubjectPreferredRoom", subject=0, rooms=(0,)),
             con("ActivityPreferredRoom", activity=1, rooms=(1,)), rooms=2)
    r = solve_fet_problem(p, time_limit=5, workers=1)
    assert r.status is Status.INFEASIBLE and "no room meets" in r.explanation[0]
    # activities that must start together, their preferred starts apart
    p = mini(con("ActivityPreferredStartingTime", activity=1, day=0, hour=0),
             con("ActivityPreferredStartingTime", activity=3, day=1, hour=0),
             con("ActivitiesSameStartingTime", activities=(1, 3)))
    assert solve_fet_problem(p, time_limit=5, workers=1).status is Status.INFEASIBLE


def test_unconfirmed_presolve_is_unknown_not_infeasible(monkeypatch) -> None:
    # a model reading the home room more strictly than FET (and the checker) do
    from jianfu.models.fet import room_rules
    from jianfu.solver.fet import model as fet_model

    def strict(problem: FetProblem) -> dict:
        return {i: [(frozenset(problem.constraints[k].get("rooms")), k) for _, k in reqs]
                for i, reqs in room_rules(problem).items()}

    monkeypatch.setattr(fet_model, "room_rules", strict)
    p = mini(con("TeacherHomeRoom", teacher=0, rooms=(0,)),
             con("SubjectPreferredRoom", subject=0, rooms=(1,)), rooms=2)
    r = solve_fet_problem(p, time_limit=5, workers=1)
    assert r.status is Status.UNKNOWN and r.solution is None
    assert "not confirmed by the checker" in r.explanation[0]


def test_infeasible_is_proven_and_explained() -> None:
    p = mini(con("TeacherNotAvailableTimes", teacher=1,
                 slots=tuple((d, h) for d in range(3) for h in range(4))))
    r = solve_fet_problem(p, time_limit=5, workers=1)
    # T1, activity 3's only teacher, is away in all 12 hours: 3 has no start at all
    assert r.status is Status.INFEASIBLE and r.solution is None
    assert len(r.explanation) == 1
    assert "activity 3 has no allowed start" in r.explanation[0]


def test_small_file_solves_and_checks() -> None:
    r, p = solve_fet(DATA / "small.fet", time_limit=10, workers=1)
    assert r.solution is not None
    s = score_fet(p, r.solution)
    assert s.compliant and s.soft == pytest.approx(r.objective)
    assert r.time_to_first is not None and r.time_to_first <= r.runtime
    assert r.solution.placements[4].room == 1          # PE on the ground (操场)


def test_unsupported_refused_or_left_out() -> None:
    with pytest.raises(InputError):
        solve_fet(DATA / "unsupported.fet", time_limit=5)
    r, _ = solve_fet(DATA / "unsupported.fet", time_limit=5, ignore_unsupported=True, workers=1)
    assert r.solution is not None
    assert dict(r.left_out) == {"StudentsSetMinContinuousGapInInterval": 2,
                                "TeacherMaxHoursDailyRealDays": 1}


@pytest.mark.slow
@pytest.mark.skipif(not EXAMPLES.exists(), reason="fet-data examples not installed")
@pytest.mark.parametrize("rel", ["United-Kingdom/Hopwood/Hopwood.fet", "Brazil/1/Brazil.fet"])
def test_development_files_solve(rel: str) -> None:
    r, p = solve_fet(EXAMPLES / rel, time_limit=60)
    assert r.solution is not None
    assert score_fet(p, r.solution).compliant


def test_room_pool_counts_and_colours_intervals() -> None:
    # two two-hour activities and a one-hour one share two interchangeable rooms on a
    # one-day grid: at most two at once, rooms handed out after solving
    acts = ((2, (0,), (0,), 0), (2, (1,), (1,), 0), (1, (0,), (0,), 0))
    p = mini(con("SubjectPreferredRooms", subject=0, rooms=(0, 1)),
             con("ActivityPreferredStartingTime", activity=1, day=0, hour=0),
             con("ActivityPreferredStartingTime", activity=2, day=0, hour=1),
             acts=acts, days=1, hours=4, rooms=2)
    r = solved(p)          # the checker finds no room double-booked
    rooms = {a: pl.room for a, pl in r.solution.placements.items()}
    assert rooms[1] != rooms[2] and None not in rooms.values()
