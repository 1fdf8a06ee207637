"""venue_clash / venue_need: uses of a venue pool at any instant ≤ the pool's capacity.

Lessons that need a venue kind and after-class activity sessions (on the sports
ground) draw on the pool of that kind. Uses are intervals, so a total within the
pool's capacity at every instant lets :mod:`solver.result` assign concrete venues
greedily by start time without any clash.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from ....models.core import Problem
from ..variables import Variables, by_slot


def add_venue_capacity(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    for p, pool in enumerate(problem.pools):
        uses: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for s, lits in by_slot(problem, v, problem.activities_of_pool[p]).items():
            uses[s].extend(lits)
        if problem.session_pool == p:
            for (_, s), var in v.session.items():
                uses[s].append(var)
        for clique in problem.cliques(uses):
            lits = [var for s in clique for var in uses[s]]
            if len(lits) > pool.capacity:
                v.enforce(model, model.Add(sum(lits) <= pool.capacity),
                          "venue_capacity", "pool", p)
