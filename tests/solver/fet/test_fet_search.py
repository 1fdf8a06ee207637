"""Recursive swapping: its timetables pass the FET checker once CP-SAT certifies them."""

from __future__ import annotations

import time

import numpy as np
import pytest
from jianfu.models.fet_check import score_fet
from jianfu.solver.result import BY_CP_SAT, BY_REPAIR, BY_SEARCH
from jianfu.solver.fet.model import FetModel
from jianfu.solver.fet.solve import solve_fet_problem
from jianfu.solver.fet.data import INTERVAL, N_RULES, SYNC_PARTNERS, Grid, Resources, Units, _room_families, search_data
from jianfu.solver.fet.search import SearchOutcome, first_timetable, place_units, polish, race
from jianfu.solver.fet.kernels import (
    _allocate,
    _empty_short_days,
    _free_a_day,
    _lower_cost,
    _mend_gaps,
    _sync_cost,
    _sync_ok,
)
from jianfu.solver.fet.certify import certify
from jianfu.solver.fet.repair import broken_lessons, repair
from jianfu.solver.result import Status
from models.fet_helpers import ACTS, BINDS, DATA, con, mini


def built(p) -> FetModel:
    fm = FetModel(p)
    fm.build()
    return fm


def searched(p):
    fm = built(p)
    return fm, first_timetable(fm, p, deadline=time.perf_counter() + 10)


def one_free_hour():
    """Teacher T0 has one free hour for two lessons: no timetable exists."""
    return mini(con("TeacherNotAvailableTimes", teacher=0,
                    slots=tuple((d, h) for d in range(3) for h in range(4) if (d, h) != (0, 0))),
                acts=ACTS[:2] + ((1, (1,), (1,), 1),))


@pytest.mark.parametrize("kind,cs,ok", BINDS, ids=[b[0] for b in BINDS])
def test_search_places_everything_and_the_model_accepts_it(kind: str, cs: list, ok) -> None:
    p = mini(*cs)
    fm, found = searched(p)
    assert found.left == 0 and found.solver is not None, kind
    r = fm.solution(found.solver)
    assert score_fet(p, r).compliant
    assert all((r.placements[a.id].day, r.placements[a.id].hour) == found.starts[i]
               for i, a in enumerate(p.activities))          # CP-SAT kept the search's starts


def test_tight_week_is_packed_by_swapping() -> None:
    # one teacher, one class, 3 days × 2 hours, six one-hour lessons: the week is full;
    # two subjects three times each on different days
    acts = tuple((1, (0,), (0,), s) for s in (0, 0, 0, 1, 1, 1))
    p = mini(con("MinDaysBetweenActivities", activities=(1, 2, 3), min_days=1,
                 consecutive=False),
             con("MinDaysBetweenActivities", activities=(4, 5, 6), min_days=1,
                 consecutive=False), acts=acts, days=3, hours=2)
    fm, found = searched(p)
    assert found.left == 0 and found.solver is not None
    assert score_fet(p, fm.solution(found.solver)).compliant
    assert len({found.starts[i] for i in range(6)}) == 6


def test_certify_refuses_starts_that_break_a_rule() -> None:
    p = mini()
    fm = built(p)
    clash = {0: (0, 0), 1: (0, 0), 2: (1, 0)}        # activities 1 and 2 share teacher T0
    assert certify(fm, clash, deadline=time.perf_counter() + 5) is None
    fine = {0: (0, 0), 1: (0, 1), 2: (1, 0)}
    assert certify(fm, fine, deadline=time.perf_counter() + 5) is not None


def one_resource(D: int, H: int, n: int, rules: np.ndarray | None = None, tot: int = 0
                 ) -> Resources:
    """Resource 0, one place every hour, used by one-hour units 0..n−1."""
    rules = np.full((1, N_RULES), -1, np.int64) if rules is None else rules
    return Resources(np.ones((1, D * H), np.int64), np.zeros((1, D * H), np.bool_),
                     np.array([0, n], np.int64), np.arange(n, dtype=np.int64), rules,
                     rules.max(axis=1) >= 0, np.array([tot], np.int64),
                     np.full((1, 2 * SYNC_PARTNERS), -1, np.int64))


def test_lower_cost_counts_what_cannot_be_mended() -> None:
    D, H = 1, 4
    grid = Grid(D, H, np.zeros(D * H, np.bool_))
    rules = np.full((1, N_RULES), -1, np.int64)
    rules[0, 4] = 0                               # no gaps in the week
    occ = np.array([[1, 0, 1, 0]], np.int64)      # a gap at hour 1

    def cost(tot: int) -> int:
        return _lower_cost(grid, one_resource(D, H, 0, rules, tot), occ, 0)

    assert cost(2) == 1                           # nothing left
    assert cost(3) == 0                           # one may fill it
    rules[0, 0] = 1                               # at most one hour a day: grows only
    assert cost(9) == 1


class OneResource:
    """Kernel records for one teacher (resource 0) over D days × H hours and one-hour
    units 0..n−1, unit k placed at ``cells[k]`` (−1: not placed)."""

    def __init__(self, D: int, H: int, cells: list[int]) -> None:
        n = len(cells)
        self.grid = Grid(D, H, np.zeros(D * H, np.bool_))
        dom_ptr = np.arange(n + 1, dtype=np.int64)
        self.units = Units(dom_ptr, np.zeros(n, np.int64), np.arange(n + 1, dtype=np.int64),
                           np.zeros(n, np.int64), np.zeros(n, np.int64),
                           np.arange(n + 1, dtype=np.int64), np.zeros(n, np.int64))
        self.n = n
        self.start = np.array(cells, np.int64)

    def state(self, res: Resources) -> tuple:
        st, _, work = _allocate(self.grid, self.units, res, self.start, 1)
        st.tag[0] = 1                             # the move's tag: nobody leaves yet
        return st, work

    def free_a_day(self, u: int, c: int, most: int) -> list[int]:
        rules = np.full((1, N_RULES), -1, np.int64)
        rules[0, 3] = most
        res = one_resource(self.grid.n_days, self.grid.n_hours, self.n, rules)
        st, work = self.state(res)
        n = _free_a_day(self.grid, self.units, res, st, work, u, c, 0, 0)
        return sorted(work.out[:n].tolist())

    def empty_short_days(self, u: int, c: int, least: int, tot: int) -> list[int]:
        rules = np.full((1, N_RULES), -1, np.int64)
        rules[0, 2] = least
        res = one_resource(self.grid.n_days, self.grid.n_hours, self.n, rules, tot)
        st, work = self.state(res)
        occ0 = st.occ.copy()
        n = _empty_short_days(self.grid, self.units, res, st, work, u, c, 0, 0)
        assert (st.occ == occ0).all()             # the trial placement is undone
        return sorted(work.out[:n].tolist())

    def mend_gaps(self, u: int, c: int, rules: np.ndarray, tot: int) -> list[int]:
        res = one_resource(self.grid.n_days, self.grid.n_hours, self.n, rules, tot)
        st, work = self.state(res)
        occ0 = st.occ.copy()
        n = _mend_gaps(self.grid, self.units, res, st, work, u, c, 0, 0)
        assert (st.occ == occ0).all()             # the trial placement is undone
        return work.out[:n].tolist()


def test_a_day_is_freed_when_max_days_would_be_exceeded() -> None:
    # at most 2 days; units 0, 1 on day 0 (hours 0, 1), unit 2 on day 1: unit 3 on day 2
    # needs day 1 (one hour) emptied, not day 0 (two hours)
    r = OneResource(3, 4, [0, 1, 4, -1])
    assert r.free_a_day(3, 8, 2) == [2]
    assert r.free_a_day(3, 5, 2) == []              # day 1 is in use already
    assert r.free_a_day(3, 8, 3) == []              # a third day is allowed


def test_lower_cost_counts_hours_beyond_the_longest_run() -> None:
    # at most two hours in a row: three in a row is one hour too many whatever is left
    D, H = 1, 5
    grid = Grid(D, H, np.zeros(D * H, np.bool_))
    rules = np.full((1, N_RULES), -1, np.int64)
    rules[0, 7] = 2

    def cost(occ: list[int]) -> int:
        return _lower_cost(grid, one_resource(D, H, 0, rules, 9), np.array([occ], np.int64), 0)

    assert cost([1, 1, 0, 1, 1]) == 0             # a free hour ends a run
    assert cost([1, 1, 1, 0, 0]) == 1
    assert cost([1, 1, 1, 1, 0]) == 2


def test_lower_cost_counts_days_with_lessons_in_the_interval() -> None:
    # at most one day with a lesson in hours 2–3: lessons there on two days are one
    # day too many; lessons before hour 2 do not count
    D, H = 3, 4
    grid = Grid(D, H, np.zeros(D * H, np.bool_))
    rules = np.full((1, N_RULES), -1, np.int64)
    rules[0, INTERVAL:INTERVAL + 3] = 1, 2, 4

    def cost(cells: list[int]) -> int:
        occ = np.zeros((1, D * H), np.int64)
        occ[0, cells] = 1
        return _lower_cost(grid, one_resource(D, H, 0, rules, 9), occ, 0)

    assert cost([2, 4, 8]) == 0                   # day 0 at hour 2; days 1, 2 at hour 0
    assert cost([3, 7]) == 1                      # days 0 and 1 at hour 3
    assert cost([3, 7, 10]) == 2


def test_a_short_day_is_emptied_when_min_hours_would_break() -> None:
    # at least 2 hours a day unless free; units 0, 1 on day 0, unit 2 alone on day 1,
    # unit 3 (the last) to go on day 2: day 1 and day 2 would each be one hour short
    # with nothing left to mend them, so unit 2 leaves (it can join unit 3 or day 0)
    r = OneResource(3, 4, [0, 1, 4, -1])
    assert r.empty_short_days(3, 8, 2, tot=4) == [2]
    assert r.empty_short_days(3, 5, 2, tot=4) == []    # beside unit 2: day 1 has two
    assert r.empty_short_days(3, 8, 2, tot=6) == []    # two more hours may mend both


def test_search_keeps_students_max_hours_daily_and_continuously() -> None:
    # one class, two days of four hours, four one-hour lessons: at most two hours a
    # day, or at most one hour in a row, and every timetable the search finds keeps it
    acts = tuple((1, (k,), (0,), 0) for k in range(4))
    for rule in (con("StudentsMaxHoursDaily", bound=2), con("StudentsMaxHoursContinuously",
                                                              bound=1)):
        p = mini(rule, acts=acts, days=2, hours=4, teachers=4)
        fm = FetModel(p)
        fm.build()
        for seed in range(5):
            found = first_timetable(fm, p, deadline=time.perf_counter() + 10, seed=seed)
            assert found.left == 0 and found.solver is not None
            assert score_fet(p, fm.solution(found.solver)).compliant


def test_gaps_are_mended_from_the_ends_of_the_day() -> None:
    # no gaps at all; units at hours 0 and 1, unit 2 to go at hour 3, nothing else to
    # place: hour 2 would stay a gap, so end units leave until none is left — unit 0
    # (1 _ 2 still has a gap, but unit 0 can come back to fill it) or units 1 then 0
    rules = np.full((1, N_RULES), -1, np.int64)
    rules[0, 4] = 0
    outs = {tuple(OneResource(1, 4, [0, 1, -1]).mend_gaps(2, 3, rules, tot=3))
            for _ in range(20)}
    assert outs <= {(0,), (1, 0)} and outs
    assert OneResource(1, 4, [0, 1, -1]).mend_gaps(2, 2, rules, tot=3) == []   # adjacent


def split_class():
    """One day of three hours, a class of subgroups S0 and S1, both full: two lessons
    of the whole class (T0) and one lesson of each subgroup alone (S0 with T1, S1
    with T0), which must therefore share an hour."""
    acts = ((1, (0,), (0, 1), 0), (1, (0,), (0, 1), 0), (1, (1,), (0,), 1),
            (1, (0,), (1,), 1))
    return mini(acts=acts, days=1, hours=3)


def test_full_subgroups_are_partners_by_their_shared_hours() -> None:
    p = split_class()
    data = search_data(built(p), p)
    S0, S1 = 2, 3                                 # resources: T0, T1, then subgroups
    K = SYNC_PARTNERS
    sync = data.res.sync
    partners = {int(b): int(h) for b, h in zip(sync[S0, :K], sync[S0, K:])}
    assert partners[S1] == 2                      # the two class lessons
    assert S0 in sync[S1, :K]
    assert sync[1, 0] == -1                       # T1: one hour of three, not full


def test_a_subgroup_lesson_beside_a_free_partner_hour_is_counted() -> None:
    p = split_class()
    data = search_data(built(p), p)
    start = np.array([0, -1, 1, -1], np.int64)    # a class lesson at 0, S0 alone at 1
    st, _, work = _allocate(data.grid, data.units, data.res, start, 1)
    assert _sync_ok(data.res, st, 2)              # hour 2 free for both

    def cost(u: int, c: int) -> int:
        return _sync_cost(data.units, data.res, st, work, u, c, 0)

    assert cost(3, 1) == 0                        # S1 alone beside S0 alone: fine
    assert cost(3, 2) > 0                         # at 2 the last class lesson has no hour
    occ0 = st.occ.copy()
    assert cost(1, 2) == 0 and (st.occ == occ0).all()    # the trial placement is undone


def test_room_families_are_the_unions_of_overlapping_sets() -> None:
    doms = [(0, 1), (1, 2), (3,), (None, 4), (0, 1)]
    fam = dict(_room_families(doms, pooled=set()))
    assert fam == {frozenset({0, 1}): [0, 4], frozenset({1, 2}): [1],
                   frozenset({0, 1, 2}): [0, 1, 4], frozenset({3}): [2]}


def test_solve_with_and_without_search_agree_on_compliance() -> None:
    from jianfu.instances.fet import read_fet

    p = read_fet(DATA / "small.fet")
    for search in (True, False):
        r = solve_fet_problem(p, time_limit=10, workers=1, search=search)
        assert r.status in (Status.OPTIMAL, Status.FEASIBLE)
        s = score_fet(p, r.solution)
        assert s.compliant and s.soft == pytest.approx(r.objective)
        assert r.time_to_first is not None and r.time_to_first <= r.runtime


def test_search_reports_units_left_when_nothing_fits() -> None:
    p = one_free_hour()
    found = first_timetable(built(p), p, deadline=time.perf_counter() + 0.5)
    assert found.left >= 1 and found.solver is None


def test_rooms_are_chosen_with_the_start() -> None:
    # two hours, rooms 0 and 1 (room 1 closed in hour 1, so they are no pool): three
    # one-hour lessons of different classes that must use one of them fit only as two
    # in hour 0 (rooms 0 and 1) and one in hour 1 (room 0); a fourth cannot fit
    acts = ((1, (), (0,), 0), (1, (), (1,), 0), (1, (0,), (), 0))
    rules = (con("SubjectPreferredRooms", subject=0, rooms=(0, 1)),
             con("RoomNotAvailableTimes", room=1, slots=((0, 1),)))
    p = mini(*rules, acts=acts, days=1, hours=2, rooms=2)
    fm, found = searched(p)
    assert not fm.pools and found.left == 0 and found.solver is not None
    sol = fm.solution(found.solver)
    assert score_fet(p, sol).compliant
    assert sorted((pl.hour, pl.room) for pl in sol.placements.values()) == [(0, 0), (0, 1), (1, 0)]
    four = mini(*rules, acts=acts + ((1, (1,), (), 0),), days=1, hours=2, rooms=2)
    assert first_timetable(built(four), four, deadline=time.perf_counter() + 2).left == 1


def test_race_gives_a_certified_timetable_of_either_method() -> None:
    from jianfu.instances.fet import read_fet

    p = read_fet(DATA / "small.fet")
    fm = built(p)
    found = race(fm, p, deadline=time.perf_counter() + 10, workers=2)
    assert found.solver is not None and found.by in (BY_CP_SAT, BY_SEARCH, BY_REPAIR)
    assert score_fet(p, fm.solution(found.solver)).compliant


def test_race_builds_the_rules_while_the_search_runs() -> None:
    from jianfu.instances.fet import read_fet

    p = read_fet(DATA / "small.fet")
    fm = FetModel(p)
    fm.build_grid()
    grid = len(fm.m.Proto().constraints)
    found = race(fm, p, deadline=time.perf_counter() + 10, workers=2, build=fm.build_rules)
    whole = built(p)
    assert grid < len(fm.m.Proto().constraints) == len(whole.m.Proto().constraints)
    assert found.solver is not None
    assert score_fet(p, fm.solution(found.solver)).compliant


@pytest.mark.parametrize("chains", [1, 2])
def test_polish_mends_broken_soft_min_days(chains: int) -> None:
    # activities 1 and 2 (teacher T0, class S0) should be a day apart (90 %); the
    # first timetable puts both on day 0: polish moves one, and the checker agrees,
    # with one chain of moves or two side by side
    p = mini(con("MinDaysBetweenActivities", weight=90, activities=(1, 2), min_days=1,
                 consecutive=False))
    fm = built(p)
    starts = {0: (0, 0), 1: (0, 1), 2: (1, 0)}
    data = search_data(fm, p)
    H = p.n_hours
    codes = np.array([starts[i][0] * H + starts[i][1] for i in range(3)], np.int64)
    assert list(data.unit_of) == [0, 1, 2]
    first = SearchOutcome(certify(fm, starts, deadline=time.perf_counter() + 5), starts, 0,
                          0.0, 0.0, codes=codes, data=data)
    assert score_fet(p, fm.solution(first.solver)).soft == pytest.approx(0.9)
    better = polish(fm, p, first, deadline=time.perf_counter() + 2, chains=chains)
    assert better is not None and better.solver is not None
    assert better.starts[0][0] != better.starts[1][0]
    s = score_fet(p, fm.solution(better.solver))
    assert s.compliant and s.soft == 0


def test_polish_leaves_files_with_other_soft_rules_alone() -> None:
    # a soft preferred starting time besides the soft MinDays: fewer broken pairs
    # need not be better, so nothing is done
    p = mini(con("MinDaysBetweenActivities", weight=90, activities=(1, 2), min_days=1,
                 consecutive=False),
             con("ActivityPreferredStartingTime", weight=50, activity=3, day=2, hour=0))
    fm = built(p)
    found = first_timetable(fm, p, deadline=time.perf_counter() + 5)
    assert found.solver is not None and found.codes is not None
    assert polish(fm, p, found, deadline=time.perf_counter() + 2) is None


def test_race_ends_when_cp_sat_proves_there_is_no_timetable() -> None:
    # the search alone would try until the deadline; CP-SAT's proof stops it
    p = one_free_hour()
    found = race(built(p), p, deadline=time.perf_counter() + 600, workers=2)
    assert found.solver is None and found.left >= 1 and found.by == ""


def test_search_stops_when_told() -> None:
    p = mini()
    fm = built(p)
    starts, left = place_units(fm, p, deadline=time.perf_counter() + 600,
                               stop=np.ones(1, np.int64))
    assert starts == {} and left == len(p.activities)


def test_solve_names_the_method_of_the_first_timetable() -> None:
    from jianfu.instances.fet import read_fet

    p = read_fet(DATA / "small.fet")
    r = solve_fet_problem(p, time_limit=10, workers=2)
    assert r.first_by in (BY_CP_SAT, BY_SEARCH, BY_REPAIR)
    assert score_fet(p, r.solution).compliant
    assert solve_fet_problem(p, time_limit=10, workers=2, search=False).first_by == BY_CP_SAT


def test_lower_cost_lets_one_hour_mend_a_beginning_and_a_minimum() -> None:
    # one day of four hours, at least two hours and no late beginning; one lesson at
    # hour 2 and one still to place: the one at hour 0 mends both at once
    D, H = 1, 4
    grid = Grid(D, H, np.zeros(D * H, np.bool_))
    rules = np.full((1, N_RULES), -1, np.int64)
    rules[0, 1], rules[0, 6] = 2, 0
    occ = np.array([[0, 0, 1, 0]], np.int64)
    assert _lower_cost(grid, one_resource(D, H, 0, rules, 2), occ, 0) == 0
    assert _lower_cost(grid, one_resource(D, H, 0, rules, 1), occ, 0) == 1
    # a gap and a beginning at the second hour, no minimum: no one hour mends both
    rules[0, 1], rules[0, 4] = -1, 0
    occ = np.array([[0, 1, 0, 1]], np.int64)
    assert _lower_cost(grid, one_resource(D, H, 0, rules, 3), occ, 0) == 1
    assert _lower_cost(grid, one_resource(D, H, 0, rules, 4), occ, 0) == 0


def test_pair_rules_the_search_keeps_need_no_repair() -> None:
    # T0's lessons 1 and 2 at least two hours apart on T0's one day: the search's own
    # timetable is accepted as it is
    p = mini(con("MinGapsBetweenActivities", activities=(1, 2), min_gaps=2),
             con("TeacherMaxDaysPerWeek", teacher=0, bound=1))
    fm, found = searched(p)
    assert found.by == BY_SEARCH
    assert {found.starts[0][1], found.starts[1][1]} == {0, 3}


def test_repair_moves_the_lessons_of_a_rule_the_search_does_not_know() -> None:
    # at most one tagged hour a day for T0; the search's placement has two on day 0
    tagged = ((1, (0,), (0,), 0, (0,)), (1, (0,), (0,), 0, (0,)), (2, (1,), (1,), 1))
    p = mini(con("TeachersActivityTagMaxHoursDaily", tag=0, bound=1), acts=tagged)
    fm = built(p)
    starts = {0: (0, 0), 1: (0, 1), 2: (1, 0)}
    assert certify(fm, starts, deadline=time.perf_counter() + 5) is None
    assert broken_lessons(p, starts) == {0, 1}
    solver = repair(fm, p, starts, deadline=time.perf_counter() + 10)
    assert solver is not None
    r = fm.solution(solver)
    assert score_fet(p, r).compliant
    assert (r.placements[3].day, r.placements[3].hour) == (1, 0)    # not in the rule: kept


def test_repair_gives_up_when_the_rules_cannot_be_met() -> None:
    tagged = ((1, (0,), (0,), 0, (0,)), (1, (0,), (0,), 0, (0,)), (2, (1,), (1,), 1))
    p = mini(con("TeachersActivityTagMaxHoursDaily", tag=0, bound=1),
             con("TeacherMaxDaysPerWeek", teacher=0, bound=1), acts=tagged)
    fm = built(p)
    assert repair(fm, p, {0: (0, 0), 1: (0, 1), 2: (1, 0)},
                  deadline=time.perf_counter() + 5) is None
