"""The homework pipeline: kernel, evening choice, rounding, checker, for a school or a district.

:func:`plan_homework` plans one school; :func:`plan_district` plans many in one
kernel call per batch. Every plan returned has passed
:func:`jianfu.models.homework_check.check_homework`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np

from ...models.errors import InputError
from ...models.homework import HomeworkEntry, HomeworkMetrics, HomeworkPlan, TargetRow
from ...models.homework_check import check_homework
from ...models.policy import Policy
from ...models.school import School
from ...models.timetable import Timetable

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

from .kernel import (
    DEFAULT_MAX_ITER,
    DEFAULT_TOL,
    cell_bounds,
    choose_evening_subjects,
    homework_kernel,
    objective,
    round_to_grid,
)
from .problem import DEFAULT_FILL, HomeworkProblem, build_problem
from .twin import homework_twin


@dataclass(frozen=True, slots=True)
class ArraySolution:
    """Result of :func:`solve_problem`: rounded minutes, continuous minutes, facts."""

    minutes: np.ndarray       # (C, D, S) int, on the grid
    continuous: np.ndarray    # (C, D, S) float, the continuous optimum used
    eligible: np.ndarray      # (C, D, S) eligibility after the evening choice
    objective: float
    rounding_total: float
    rounding_max: float
    iterations: int
    seconds: float


def solve_arrays(caps: np.ndarray, eligible: np.ndarray, ub: np.ndarray, targets: np.ndarray,
                 group: np.ndarray, alpha: float, beta: float, *,
                 rule_on: np.ndarray | None = None, subject_group: np.ndarray | None = None,
                 max_subjects: np.ndarray | int | None = None, step: int = 5,
                 tol: float = DEFAULT_TOL, max_iter: int = DEFAULT_MAX_ITER,
                 use_jit: bool = True) -> ArraySolution:
    """The whole array pipeline: continuous solve, evening choice + re-solve, rounding.

    ``use_jit=False`` runs the NumPy twin instead of the numba kernel.
    """
    solve = homework_kernel if use_jit else homework_twin
    first = solve(caps, eligible, ub, targets, group, alpha, beta, tol=tol, max_iter=max_iter)
    result, iterations, seconds = first, first.iterations, first.seconds
    elig = np.asarray(eligible, dtype=bool)
    if rule_on is not None and np.any(rule_on):
        assert subject_group is not None and max_subjects is not None
        elig = choose_evening_subjects(targets, elig, rule_on, subject_group,
                                       np.broadcast_to(np.asarray(max_subjects), (len(caps),)))
        result = solve(caps, elig, ub, targets, group, alpha, beta, tol=tol, max_iter=max_iter)
        iterations += result.iterations
        seconds += result.seconds
    u = cell_bounds(caps, elig, ub)
    minutes, total, biggest = round_to_grid(result.x, caps, u, step)
    return ArraySolution(minutes=minutes, continuous=result.x, eligible=elig,
                         objective=objective(result.x, elig, targets, group, alpha, beta),
                         rounding_total=float(total), rounding_max=float(biggest),
                         iterations=iterations, seconds=seconds)


def _metrics(problem: HomeworkProblem, sol: ArraySolution, n_school_days: int
             ) -> tuple[HomeworkMetrics, list[TargetRow]]:
    minutes = sol.minutes
    load = minutes.sum(axis=2)
    active = problem.caps[:, :n_school_days].max(axis=1, initial=0) > 0
    school_load = load[:, :n_school_days][active]
    if school_load.size:
        spreads = school_load.max(axis=1) - school_load.min(axis=1)
        spread, mean_spread = int(spreads.max()), float(spreads.mean())
        load_std = float(school_load.std(axis=1).mean())
    else:
        spread, mean_spread, load_std = 0, 0.0, 0.0
    weekly = minutes.sum(axis=1)
    u = cell_bounds(problem.caps, sol.eligible, problem.ub)
    capacity = np.minimum(u.sum(axis=1), np.inf)
    rows: list[TargetRow] = []
    for c, s in zip(*np.nonzero((problem.targets > 0) | (weekly > 0))):
        rows.append(TargetRow(int(c), int(s), float(problem.targets[c, s]), int(weekly[c, s]),
                              float(capacity[c, s])))
    deviation = float(sum(abs(r.planned - r.target) for r in rows))
    shortfall = float(sum(r.shortfall for r in rows))
    reduced = sum(1 for r in rows if r.infeasible)
    stds = []
    for g in np.unique(problem.group):
        members = np.flatnonzero(problem.group == g)
        if len(members) < 2:
            continue
        elig = sol.eligible[members]
        cnt = elig.sum(axis=0)
        vals = np.where(elig, minutes[members], 0)
        mean = vals.sum(axis=0) / np.maximum(cnt, 1)
        var = (np.where(elig, (minutes[members] - mean) ** 2, 0.0)).sum(axis=0) / np.maximum(cnt, 1)
        stds.extend(np.sqrt(var[cnt >= 2]).tolist())
    metrics = HomeworkMetrics(
        objective=sol.objective, max_daily_load=int(load.max(initial=0)), spread=spread,
        mean_spread=mean_spread, load_std=load_std, target_deviation=deviation,
        target_shortfall=shortfall, reduced_targets=reduced,
        grade_uniformity=float(np.mean(stds)) if stds else 0.0,
        rounding_total=sol.rounding_total, rounding_max=sol.rounding_max,
        iterations=sol.iterations, kernel_seconds=sol.seconds)
    return metrics, rows


def plan_homework(school: School, timetable: Timetable, *, policy: Policy | None = None,
                  requests: Mapping[tuple[int, int], float] | None = None,
                  fill: float = DEFAULT_FILL, tol: float = DEFAULT_TOL,
                  max_iter: int = DEFAULT_MAX_ITER, use_jit: bool = True) -> HomeworkPlan:
    """Plan a week of homework quotas for ``school`` from its ``timetable``.

    Parameters
    ----------
    school, timetable : School, Timetable
        The school and the timetable that decides which subjects are taught when.
    policy : Policy, optional
        The profile; default ``school.policy()`` (its profile with its overrides).
    requests : mapping, optional
        Teachers' weekly requests ``{(class, subject): minutes}``
        (:func:`jianfu.instances.homework_io.read_requests`); unrequested
        class-subjects get default targets (:func:`default_targets`).
    fill : float
        Share of the weekly cap total the default targets fill.
    tol, max_iter, use_jit
        Kernel tolerance (minutes), iteration limit, and numba (True) or the twin.

    Returns
    -------
    HomeworkPlan
        Minutes on the 5-minute grid, targets (with reductions where they exceeded
        what the caps allow), and metrics. The plan has passed
        :func:`check_homework`; a violation would be a bug and raises ``RuntimeError``.
    """
    return plan_district([(school, timetable)], policies=None if policy is None else [policy],
                         requests=None if requests is None else [requests], fill=fill,
                         tol=tol, max_iter=max_iter, use_jit=use_jit)[0]


def plan_district(schools: Sequence[tuple[School, Timetable]], *,
                  policies: Sequence[Policy] | None = None,
                  requests: Sequence[Mapping[tuple[int, int], float] | None] | None = None,
                  fill: float = DEFAULT_FILL, tol: float = DEFAULT_TOL,
                  max_iter: int = DEFAULT_MAX_ITER, use_jit: bool = True) -> list[HomeworkPlan]:
    """Plan every school of a district in one kernel call; one checked plan per school.

    Each school keeps its own profile (caps, subject caps, evening rule, weekend);
    parallel groups are (school, grade). The objective weights α, β must be the same
    in every profile (they are one objective). Arrays of schools with fewer days or
    subjects are padded with ineligible cells. Parameters as :func:`plan_homework`,
    one policy and one requests mapping per school.
    """
    if not schools:
        return []
    if policies is None:
        policies = [school.policy() for school, _ in schools]
    if len(policies) != len(schools):
        raise ValueError("one policy per school")
    requests = list(requests) if requests is not None else [None] * len(schools)
    weights = {(p.weights.homework_alpha, p.weights.homework_beta) for p in policies}
    if len(weights) != 1:
        raise InputError("policy.weights", sorted(weights),
                         "homework_alpha and homework_beta must be equal across the district")
    alpha, beta = weights.pop()
    problems = [build_problem(school, policy, timetable, requests=asked, fill=fill)
                for (school, timetable), policy, asked in zip(schools, policies, requests)]
    n_d = max(len(p.days) for p in problems)
    n_s = max(p.eligible.shape[2] for p in problems)
    sizes = [p.eligible.shape[0] for p in problems]
    n_c = sum(sizes)
    caps = np.zeros((n_c, n_d))
    eligible = np.zeros((n_c, n_d, n_s), dtype=bool)
    ub = np.full((n_c, n_s), np.inf)
    targets = np.zeros((n_c, n_s))
    group = np.zeros(n_c, dtype=np.int64)
    rule_on = np.zeros(n_c, dtype=bool)
    subject_group = np.zeros((n_c, n_s), dtype=np.int64)
    max_subjects = np.full(n_c, n_s, dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    for i, p in enumerate(problems):
        rows = slice(offsets[i], offsets[i + 1])
        c_i, d_i, s_i = p.eligible.shape
        caps[rows, :d_i] = p.caps
        eligible[rows, :d_i, :s_i] = p.eligible
        ub[rows, :s_i] = p.ub
        targets[rows, :s_i] = p.targets
        group[rows] = i * 100 + p.group           # parallel classes: same school and grade
        rule_on[rows] = p.rule_on
        subject_group[rows, :s_i] = p.subject_group
        max_subjects[rows] = p.max_subjects
    sol = solve_arrays(caps, eligible, ub, targets, group, alpha, beta, rule_on=rule_on,
                       subject_group=subject_group, max_subjects=max_subjects, tol=tol,
                       max_iter=max_iter, use_jit=use_jit)
    plans = []
    for i, ((school, timetable), policy, p) in enumerate(zip(schools, policies, problems)):
        rows = slice(offsets[i], offsets[i + 1])
        c_i, d_i, s_i = p.eligible.shape
        part = ArraySolution(
            minutes=sol.minutes[rows, :d_i, :s_i], continuous=sol.continuous[rows, :d_i, :s_i],
            eligible=sol.eligible[rows, :d_i, :s_i],
            objective=objective(sol.continuous[rows, :d_i, :s_i], sol.eligible[rows, :d_i, :s_i],
                                p.targets, p.group, alpha, beta),
            rounding_total=float(np.abs(sol.minutes[rows] - sol.continuous[rows]).sum()),
            rounding_max=float(np.abs(sol.minutes[rows] - sol.continuous[rows]).max(initial=0)),
            iterations=sol.iterations, seconds=sol.seconds)
        plans.append(_plan_of(school, policy, timetable, p, part))
    return plans


def _plan_of(school: School, policy: Policy, timetable: Timetable, problem: HomeworkProblem,
             sol: ArraySolution) -> HomeworkPlan:
    """Wrap one school's arrays as a :class:`HomeworkPlan` and run the checker on it."""
    metrics, target_rows = _metrics(problem, sol, len(school.days))
    entries = tuple(HomeworkEntry(int(c), int(d), int(s), int(sol.minutes[c, d, s]))
                    for c, d, s in zip(*np.nonzero(sol.minutes)))
    plan = HomeworkPlan(school=school.name, profile=policy.name, days=problem.days,
                        weekend=problem.weekend,
                        classes=tuple(c.name for c in school.classes),
                        subjects=tuple(s.name for s in school.subjects),
                        entries=entries, targets=tuple(target_rows), metrics=metrics)
    violations = check_homework(school, policy, timetable, plan)
    if violations:
        raise RuntimeError("homework plan failed its own checker: "
                           + "; ".join(v.message for v in violations[:5]))
    for row in target_rows:
        if row.infeasible:
            log.info("%s %s: target %.0f min exceeds what the caps allow (%.0f); planned %d",
                     plan.classes[row.cls], plan.subjects[row.subject], row.target,
                     row.capacity, row.planned)
    return plan


