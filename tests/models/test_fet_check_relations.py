"""The FET checker on the relations between activities: not overlapping, grouped, min
gaps between, same starting hour / day, ordered — each holds on one timetable, breaks on
another by an exact amount, and counts soft violations in FET's unit."""

from __future__ import annotations

import pytest
from jianfu.models.fet import FetSolution, Placement
from jianfu.models.fet_check import check_fet, score_fet

from .fet_helpers import con, mini

#: four one-hour activities of four teachers and subgroups: nothing shared
FOUR = tuple((1, (t,), (t,), 0) for t in range(4))


def sol(*places: tuple) -> FetSolution:
    """Placements of activities 1, 2, 3 … as (day, hour)."""
    return FetSolution({i + 1: Placement(*p) for i, p in enumerate(places)})


def amount(p, s: FetSolution, kind: str) -> float:
    return sum(v.amount for v in check_fet(p, s) if v.rule == kind)


# kind, constraint, holding timetable, breaking timetable, amount in the breaking one
# (mini's activities: 1 and 2 of one hour for T0/S0, 3 of two hours for T1/S1)
CASES = [
    ("ActivitiesNotOverlapping", con("ActivitiesNotOverlapping", activities=(1, 3)),
     sol((0, 2), (1, 0), (0, 0)), sol((0, 1), (1, 0), (0, 0)), 1),
    ("TwoActivitiesGrouped", con("TwoActivitiesGrouped", first=1, second=3),
     sol((0, 2), (1, 0), (0, 0)), sol((0, 3), (1, 0), (0, 0)), 1),
    ("ThreeActivitiesGrouped", con("ThreeActivitiesGrouped", first=1, second=2, third=3),
     sol((0, 3), (0, 0), (0, 1)), sol((0, 3), (1, 0), (0, 1)), 1),
    ("MinGapsBetweenActivities", con("MinGapsBetweenActivities", activities=(1, 2), min_gaps=2),
     sol((0, 0), (0, 3), (1, 0)), sol((0, 0), (0, 2), (1, 0)), 1),
    ("ActivitiesSameStartingHour", con("ActivitiesSameStartingHour", activities=(1, 3)),
     sol((2, 1), (1, 0), (0, 1)), sol((2, 0), (1, 0), (0, 1)), 1),
    ("ActivitiesSameStartingDay", con("ActivitiesSameStartingDay", activities=(1, 3)),
     sol((0, 3), (1, 0), (0, 0)), sol((1, 3), (1, 0), (0, 0)), 1),
    ("TwoActivitiesOrderedIfSameDay", con("TwoActivitiesOrderedIfSameDay", first=3, second=1),
     sol((1, 0), (2, 0), (2, 1)), sol((0, 1), (2, 0), (0, 1)), 1),
    ("TwoActivitiesOrdered", con("TwoActivitiesOrdered", first=3, second=1),
     sol((0, 2), (2, 0), (0, 0)), sol((0, 1), (2, 0), (0, 0)), 1),
]


@pytest.mark.parametrize("kind,c,good,bad,n", CASES, ids=[c[0] for c in CASES])
def test_kind_holds_and_breaks(kind: str, c, good, bad, n) -> None:
    p = mini(c)
    assert check_fet(p, good) == []
    found = [v for v in check_fet(p, bad) if v.rule == kind]
    assert sum(v.amount for v in found) == n and all(v.hard for v in found)


def test_not_overlapping_counts_shared_hours_per_pair() -> None:
    # A3 (H0-H1) with A1 at H1 and A2 at H0: one shared hour each; A1 and A2 share none
    c = con("ActivitiesNotOverlapping", 40, activities=(1, 2, 3))
    p = mini(c)
    assert amount(p, sol((0, 1), (0, 0), (0, 0)), "ActivitiesNotOverlapping") == 2
    # four activities in one hour: six pairs
    p = mini(con("ActivitiesNotOverlapping", 40, activities=(1, 2, 3, 4)), acts=FOUR,
             teachers=4, subgroups=4)
    assert score_fet(p, sol((1, 1), (1, 1), (1, 1), (1, 1))).soft == pytest.approx(6 * 0.4)


def test_min_gaps_counts_hours_short_and_break_hours() -> None:
    c = con("MinGapsBetweenActivities", 50, activities=(1, 2), min_gaps=2)
    p = mini(c)
    assert amount(p, sol((0, 0), (0, 1), (1, 0)), "MinGapsBetweenActivities") == 2
    assert amount(p, sol((0, 2), (0, 0), (1, 0)), "MinGapsBetweenActivities") == 1
    assert amount(p, sol((0, 0), (1, 1), (2, 0)), "MinGapsBetweenActivities") == 0
    # a break hour between counts as a gap (fet-cl accepts relations.fet's 8 and 9 so)
    p = mini(con("BreakTimes", slots=((0, 1),)), c)
    assert score_fet(p, sol((0, 0), (0, 3), (1, 0))).compliant


def test_min_gaps_same_start_takes_the_later_listed_as_earlier() -> None:
    # A1 (one hour) and A3 (two) both at D0 H0, MinGaps 1: FET measures from the end of
    # the later-listed one
    cs = {order: con("MinGapsBetweenActivities", 50, activities=order, min_gaps=1)
          for order in ((1, 3), (3, 1))}
    s = sol((0, 0), (1, 0), (0, 0))
    assert amount(mini(cs[(1, 3)]), s, "MinGapsBetweenActivities") == 2 + 1
    assert amount(mini(cs[(3, 1)]), s, "MinGapsBetweenActivities") == 1 + 1


@pytest.mark.parametrize("kind,field", [("ActivitiesSameStartingHour", 1),
                                        ("ActivitiesSameStartingDay", 0)])
def test_same_starting_hour_or_day_counts_pairs(kind: str, field: int) -> None:
    p = mini(con(kind, 30, activities=(1, 2, 3, 4)), acts=FOUR, teachers=4, subgroups=4)
    spread = sol(*((k, k) for k in range(3)), (2, 2))     # three values among four
    assert amount(p, spread, kind) == 5                    # six pairs, one agreeing
    same = sol((0, 1), (1, 1), (2, 1), (0, 1)) if field else sol((1, 0), (1, 1), (1, 2),
                                                                  (1, 3))
    assert amount(p, same, kind) == 0


def test_grouped_any_order_break_between() -> None:
    two = con("TwoActivitiesGrouped", 70, first=1, second=3)
    brk = con("BreakTimes", slots=((0, 2),))
    # A3 H0-H1 then A1 after the break at H3: together
    assert amount(mini(brk, two), sol((0, 3), (1, 0), (0, 0)), "TwoActivitiesGrouped") == 0
    # A1 first, A3 after it: the other order also holds
    assert amount(mini(two), sol((0, 0), (1, 0), (0, 1)), "TwoActivitiesGrouped") == 0
    # another day, or an hour between
    assert amount(mini(two), sol((1, 2), (1, 0), (0, 0)), "TwoActivitiesGrouped") == 1
    assert score_fet(mini(two), sol((0, 3), (1, 0), (0, 0))).soft == pytest.approx(0.7)
    three = con("ThreeActivitiesGrouped", 90, first=1, second=2, third=3)
    assert amount(mini(three), sol((0, 2), (0, 3), (0, 0)), "ThreeActivitiesGrouped") == 0
    assert amount(mini(brk, three), sol((0, 3), (0, 0), (0, 0)),
                  "ThreeActivitiesGrouped") == 1      # A2 and A3 share H0
    assert amount(mini(brk, three), sol((0, 1), (0, 3), (0, 0)),
                  "ThreeActivitiesGrouped") == 1      # A1 overlaps A3


def test_ordered_compares_day_then_hour() -> None:
    week = con("TwoActivitiesOrdered", 80, first=3, second=1)
    same_day = con("TwoActivitiesOrderedIfSameDay", 80, first=3, second=1)
    later_day_earlier_hour = sol((1, 0), (2, 0), (0, 2))
    earlier_day = sol((0, 3), (2, 0), (1, 0))
    touching = sol((0, 2), (2, 0), (0, 0))           # A3 H0-H1, A1 at H2
    overlapping = sol((0, 1), (2, 0), (0, 0))
    assert amount(mini(week), later_day_earlier_hour, "TwoActivitiesOrdered") == 0
    assert amount(mini(week), earlier_day, "TwoActivitiesOrdered") == 1
    assert amount(mini(week), touching, "TwoActivitiesOrdered") == 0
    assert amount(mini(week), overlapping, "TwoActivitiesOrdered") == 1
    assert amount(mini(same_day), earlier_day, "TwoActivitiesOrderedIfSameDay") == 0
    assert amount(mini(same_day), overlapping, "TwoActivitiesOrderedIfSameDay") == 1
    assert score_fet(mini(same_day), overlapping).soft == pytest.approx(0.8)
