"""Half-days of 走教 (itinerant) teachers: which school gets which 上午 / 下午.

:func:`assign_itinerant` gives each half-day (上午 / 下午 of a school day) of an
itinerant teacher to exactly one of their schools, so that every school gets enough of
the teacher's slots for its share of the teacher's lessons. It is plain Python over
:class:`~jianfu.models.school.School` objects: the district run
(:func:`jianfu.solver.district.solve_district`) uses it before solving the schools, and
the district generator (:func:`jianfu.instances.district_gen.generate_district`) uses
it to keep only itinerant teachers whose half-days can be shared out. This module
imports no solver.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import Protocol

from .district_check import ItinerantLike, half_of
from .errors import InputError
from .school import School

log = logging.getLogger(__name__)

__all__ = ["ITINERANT_RATIO", "DistrictLike", "HalfDay", "assign_itinerant"]

HalfDay = tuple[int, int]          # (day index, 0 上午 / 1 下午)
#: Share of an itinerant teacher's assigned slots their lessons may fill in a school.
ITINERANT_RATIO = 0.7


class DistrictLike(Protocol):
    """What :func:`assign_itinerant` needs of a district (``instances.district.District``)."""

    @property
    def itinerant(self) -> Sequence[ItinerantLike]:
        """The district's itinerant teachers."""
        ...


def _half_capacity(school: School, teacher: int) -> dict[HalfDay, int]:
    """Distinct lesson times per half-day the teacher could teach in ``school`` (their
    classes' day shapes, minus their own unavailability and meetings)."""
    away = school.unavailable_of(teacher)   # own stretches and meetings
    classes = {school.requirements[q].cls for q in school.requirements_of_teacher[teacher]}
    times: dict[HalfDay, set[tuple[int, int]]] = {(d, h): set() for d in range(len(school.days))
                                                  for h in (0, 1)}
    for c in classes:
        for d in range(len(school.days)):
            periods = school.day_of(c, d).periods[:school.usable_periods(c, d)]
            for p, seg in enumerate(periods):
                if any(u.overlaps(d, seg.start, seg.end) for u in away):
                    continue
                half = half_of(school, c, d, p)
                assert half is not None
                times[(d, half)].add((seg.start, seg.end))
    return {k: len(v) for k, v in times.items()}


def _daily_classes(school: School, teacher: int) -> int:
    """Classes that need ``teacher`` every school day: their PE classes when the school's
    profile has a PE lesson every day (``daily_pe``), else 0."""
    if not school.policy().daily_pe:
        return 0
    return len({school.requirements[q].cls for q in school.requirements_of_teacher[teacher]
                if school.subjects[school.requirements[q].subject].is_pe})


def assign_itinerant(district: DistrictLike, schools: Mapping[str, School],
                     ratio: float = ITINERANT_RATIO) -> dict[str, dict[str, tuple[HalfDay, ...]]]:
    """Give each half-day of each itinerant teacher to exactly one of their schools.

    Greedy and deterministic. Under a daily-PE profile a school where the teacher has
    PE classes first gets one half-day of every day (with a slot per such class). Then,
    while a school has fewer of the teacher's usable slots
    than ``load / ratio``, the school with the largest relative shortfall takes the free
    half-day that adds a new day for it (so its lessons can spread over the week), has
    the most slots for it and the fewest for the other schools. Half-days left over go
    to the school with the least room per lesson. A school with no lessons of the
    teacher gets no half-day.

    Parameters
    ----------
    district
        The district; only its ``itinerant`` teachers are read.
    schools
        School name → school, for every school an itinerant teacher serves.
    ratio
        Share of the teacher's slots in a school that their lessons there may fill.

    Returns
    -------
    dict
        Teacher name → school name → half-days ``(day, half)``.

    Raises
    ------
    InputError
        When the teacher's half-days cannot give every school enough room (naming the
        teacher, the schools and the loads), or their schools' days differ.
    """
    out: dict[str, dict[str, tuple[HalfDay, ...]]] = {}
    for i, t in enumerate(district.itinerant):
        where = f"district.yaml: itinerant[{i}]"
        days = schools[t.schools[0]].days
        for name in t.schools:
            if schools[name].days != days:
                raise InputError(f"{where}.schools", name,
                                 f"school days {list(schools[name].days)} differ from "
                                 f"{t.schools[0]}'s {list(days)}")
        load: dict[str, int] = {}
        cap: dict[str, dict[HalfDay, int]] = {}
        for name in t.schools:
            school = schools[name]
            k = school.teacher_index[t.name]
            load[name] = sum(school.requirements[q].periods
                             for q in school.requirements_of_teacher[k])
            cap[name] = _half_capacity(school, k)
        need = {n: math.ceil(load[n] / ratio) if load[n] else 0 for n in t.schools}
        free = [(d, h) for d in range(len(days)) for h in (0, 1)]
        got = {n: 0 for n in t.schools}
        mine: dict[str, list[HalfDay]] = {n: [] for n in t.schools}
        # daily PE (daily_pe profiles): the teacher's PE classes need them every day
        daily = {n: _daily_classes(schools[n], schools[n].teacher_index[t.name])
                 for n in t.schools}
        for d in range(len(days)):
            for n in sorted((n for n in t.schools if daily[n]),
                            key=lambda s: (-daily[s], t.schools.index(s))):
                options = [h for h in ((d, 0), (d, 1)) if h in free and cap[n][h] >= daily[n]]
                if not options:
                    raise InputError(
                        where, t.name,
                        f"每天体育课需要该教师每天到校 daily PE needs the teacher at {n} every "
                        f"day for {daily[n]} classes, but {days[d]} has no half-day left "
                        f"with room ({', '.join(s for s in t.schools if daily[s])})")
                # the smallest half that holds them leaves the most for the other schools
                best = min(options, key=lambda h: (cap[n][h], h[1]))
                free.remove(best)
                mine[n].append(best)
                got[n] += cap[n][best]
        while True:
            short = [n for n in t.schools if got[n] < need[n]]
            if not short:
                break
            n = max(short, key=lambda s: ((need[s] - got[s]) / need[s], -t.schools.index(s)))
            options = [h for h in free if cap[n][h] > 0]
            if not options:
                raise InputError(
                    where, t.name,
                    "走教教师的半天不够分配 the half-days cannot hold the teacher's lessons: "
                    + ", ".join(f"{s} {load[s]} periods (room {got[s]} of {need[s]} needed)"
                                for s in t.schools))
            used_days = {d for d, _ in mine[n]}
            best = max(options, key=lambda h: (h[0] not in used_days, cap[n][h],
                                               -sum(cap[o][h] for o in t.schools if o != n),
                                               -h[0] * 2 - h[1]))
            free.remove(best)
            mine[n].append(best)
            got[n] += cap[n][best]
        for h in list(free):
            takers = [n for n in t.schools if load[n] and cap[n][h] > 0]
            if not takers:
                continue
            n = min(takers, key=lambda s: (got[s] / load[s], t.schools.index(s)))
            mine[n].append(h)
            got[n] += cap[n][h]
        out[t.name] = {n: tuple(sorted(mine[n])) for n in t.schools}
        log.info("itinerant %s: %s", t.name,
                 "; ".join(f"{n}: {len(mine[n])} half-days for {load[n]} periods"
                           for n in t.schools))
    return out
