"""Tiny FET problems built in code for the checker and solver tests."""

from __future__ import annotations

from typing import Any

from jianfu.models.fet import FetActivity, FetConstraint, FetProblem, FetRoom

# (duration, teachers, subgroups, subject, tags)
DEFAULT_ACTS = ((1, (0,), (0,), 0, ()), (1, (0,), (0,), 0, ()), (2, (1,), (1,), 1, ()))


def con(kind: str, weight: float = 100, **params: Any) -> FetConstraint:
    return FetConstraint(kind, weight, tuple(params.items()))


def mini(*constraints: FetConstraint, acts: tuple = DEFAULT_ACTS, days: int = 3,
         hours: int = 4, rooms: int = 0, teachers: int = 2, subgroups: int = 2) -> FetProblem:
    """Activities 1..n (default: 1 and 2 for T0/S0 of one hour, 3 for T1/S1 of two)."""
    subs = tuple(f"S{k}" for k in range(subgroups))
    activities = tuple(
        FetActivity(id=i + 1, duration=d, subject=subj, teachers=t, tags=tags,
                    students=tuple(subs[s] for s in sg), subgroups=sg)
        for i, (d, t, sg, subj, tags) in enumerate(acts))
    sets = {s: (k,) for k, s in enumerate(subs)}
    sets["ALL"] = tuple(range(subgroups))
    return FetProblem(
        name="mini", days=tuple(f"D{d}" for d in range(days)),
        hours=tuple(f"H{h}" for h in range(hours)),
        teachers=tuple(f"T{t}" for t in range(teachers)), subjects=("X", "Y"), tags=("tag",),
        subgroups=subs, students_sets=sets, activities=activities,
        rooms=tuple(FetRoom(f"R{r}") for r in range(rooms)), constraints=constraints)
