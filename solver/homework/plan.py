"""The homework pipeline: kernel, evening choice, rounding, checker, for a school or a district.

:func:`solve_arrays` runs the array pipeline (continuous solve, evening choice and
re-solve, 5-minute rounding); :func:`plan_homework` plans one school and
:func:`plan_district` many, one kernel call per batch of schools whose profiles can
share one (:class:`HomeworkRun` says how many). The oral and practical homework of
grades 1–2 is planned by the same pipeline on its own arrays
(:func:`jianfu.solver.homework.problem.build_oral_problem`), one more call per batch
that has such classes. Every plan returned has passed
:func:`jianfu.models.homework_check.check_homework`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from ...models.homework import HomeworkEntry, HomeworkMetrics, HomeworkPlan, TargetRow
from ...models.homework_check import check_homework
from ...models.policy import Policy
from ...models.school import School
from ...models.timetable import Timetable
from .kernel import (
    DEFAULT_MAX_ITER,
    DEFAULT_TOL,
    cell_bounds,
    choose_evening_subjects,
    homework_kernel,
    objective,
    round_to_grid,
)
from .problem import DEFAULT_FILL, HomeworkProblem, build_oral_problem, build_problem
from .twin import homework_twin

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ArraySolution:
    """Result of :func:`solve_arrays`: rounded minutes, continuous minutes, facts."""

    minutes: np.ndarray       # (C, D, S) int, on the grid
    continuous: np.ndarray    # (C, D, S) float, the continuous optimum used
    eligible: np.ndarray      # (C, D, S) eligibility after the evening choice
    objective: float
    rounding_total: float
    rounding_max: float
    iterations: int
    seconds: float


@dataclass(frozen=True, slots=True)
class HomeworkRun:
    """What :func:`plan_district` did: kernel calls made, classes planned, seconds."""

    calls: int              # one per batch of schools (oral homework not counted)
    classes: int
    seconds: float          # the whole step, arrays and checker included
    kernel_seconds: float   # the longest kernel call


def solve_arrays(caps: np.ndarray, eligible: np.ndarray, ub: np.ndarray, targets: np.ndarray,
                 group: np.ndarray, alpha: float, beta: float, *,
                 rule_on: np.ndarray | None = None, subject_group: np.ndarray | None = None,
                 max_subjects: np.ndarray | int | None = None, step: int = 5,
                 tol: float = DEFAULT_TOL, max_iter: int = DEFAULT_MAX_ITER,
                 use_jit: bool = True) -> ArraySolution:
    """The whole array pipeline: continuous solve, evening choice + re-solve, rounding.

    ``use_jit=False`` runs the NumPy twin instead of the numba kernel.
    """
    def solve(caps, eligible, ub, targets, group, alpha, beta, *, tol, max_iter):
        if use_jit:
            return homework_kernel(caps, eligible, ub, targets, group, alpha, beta, tol=tol,
                                   max_iter=max_iter)
        # the twin is another algorithm: max_iter (Newton steps per group) is not its limit
        return homework_twin(caps, eligible, ub, targets, group, alpha, beta, tol=tol)

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
        what the caps allow), and metrics; for grades 1–2 no written minutes and, where
        ``lower_grades_oral_minutes`` > 0, oral/practical minutes (``plan.oral``) on
        days the subject is taught, at most ``lower_grades_max_oral_subjects``
        subjects a day when set, balanced like the written ones. The plan has passed
        :func:`check_homework`; a violation would be a bug and raises ``RuntimeError``.
    """
    plans, _ = plan_district([(school, timetable)],
                             policies=None if policy is None else [policy],
                             requests=None if requests is None else [requests], fill=fill,
                             tol=tol, max_iter=max_iter, use_jit=use_jit)
    return plans[0]


def plan_district(schools: Sequence[tuple[School, Timetable]], *,
                  policies: Sequence[Policy] | None = None,
                  requests: Sequence[Mapping[tuple[int, int], float] | None] | None = None,
                  fill: float = DEFAULT_FILL, tol: float = DEFAULT_TOL,
                  max_iter: int = DEFAULT_MAX_ITER, use_jit: bool = True
                  ) -> tuple[list[HomeworkPlan], HomeworkRun]:
    """Plan the homework of many schools in as few kernel calls as their profiles allow.

    Each school's arrays come from :func:`build_problem` with its own profile (caps,
    subject caps, evening rule, weekend); they are laid side by side over the union of
    the schools' subjects (by name) and days (a school with fewer days has ineligible
    cells on the others), and parallel groups are (school, grade). Schools whose
    profiles weigh the terms differently (``homework_alpha``/``beta``) or group
    subjects differently for the evening rule cannot share a call: they are batched by
    those settings, and :func:`solve_arrays` runs once per batch. Parameters as
    :func:`plan_homework`, one policy (default ``school.policy()``) and one requests
    mapping per school.

    Returns
    -------
    (list of HomeworkPlan, HomeworkRun)
        One plan per school, in the order given, each passed by :func:`check_homework`
        (a violation is a bug and raises ``RuntimeError``); and the calls made.
    """
    t0 = time.perf_counter()
    if not schools:
        return [], HomeworkRun(0, 0, 0.0, 0.0)
    if policies is None:
        policies = [school.policy() for school, _ in schools]
    asked = list(requests) if requests is not None else [None] * len(schools)
    if len(policies) != len(schools) or len(asked) != len(schools):
        raise ValueError("one policy and one requests mapping per school")
    problems = [build_problem(school, policy, timetable, requests=r, fill=fill)
                for (school, timetable), policy, r in zip(schools, policies, asked)]
    oral = [build_oral_problem(school, policy, timetable, fill=fill)
            for (school, timetable), policy in zip(schools, policies)]
    subjects = list(dict.fromkeys(s.name for school, _ in schools for s in school.subjects))
    column = {name: j for j, name in enumerate(subjects)}
    cols = [[column[s.name] for s in school.subjects] for school, _ in schools]
    n_s, n_d = len(subjects), max(len(p.days) for p in problems)

    def key(i: int) -> tuple[float, float, tuple[int, ...] | None]:
        w = policies[i].weights
        sg = np.full(n_s, -1, dtype=np.int64)
        sg[cols[i]] = problems[i].subject_group
        return (w.homework_alpha, w.homework_beta,
                tuple(sg.tolist()) if problems[i].rule_on.any() else None)

    batches: dict[tuple[float, float, tuple[int, ...] | None], list[int]] = {}
    # schools with the evening rule first; a school without it joins any batch that
    # has the same weights
    for i in sorted(range(len(schools)), key=lambda i: key(i)[2] is None):
        k = key(i)
        target = k if k[2] is not None else next((m for m in batches if m[:2] == k[:2]), k)
        batches.setdefault(target, []).append(i)
    plans: dict[int, HomeworkPlan] = {}
    kernel_seconds = 0.0
    for (alpha, beta, groups), members in batches.items():
        parts = _solve_batch([problems[i] for i in members], [cols[i] for i in members],
                             n_s, n_d, alpha, beta, groups, tol=tol, max_iter=max_iter,
                             use_jit=use_jit)
        oral_parts: list[ArraySolution | None] = [None] * len(members)
        if any(oral[i].eligible.any() for i in members):
            # every subject its own group: the oral rule counts subjects, not groups
            oral_groups = (tuple(range(n_s)) if any(oral[i].rule_on.any() for i in members)
                           else None)
            oral_parts = list(_solve_batch([oral[i] for i in members],
                                           [cols[i] for i in members], n_s, n_d, alpha, beta,
                                           oral_groups, tol=tol, max_iter=max_iter,
                                           use_jit=use_jit))
        for i, part, oral_part in zip(members, parts, oral_parts):
            kernel_seconds = max(kernel_seconds, part.seconds)
            school, timetable = schools[i]
            plans[i] = _plan_of(school, policies[i], timetable, problems[i], part, oral_part)
    classes = sum(len(school.classes) for school, _ in schools)
    return ([plans[i] for i in range(len(schools))],
            HomeworkRun(len(batches), classes, time.perf_counter() - t0, kernel_seconds))


def _solve_batch(problems: Sequence[HomeworkProblem], cols: Sequence[list[int]], n_s: int,
                 n_d: int, alpha: float, beta: float, groups: tuple[int, ...] | None, *,
                 tol: float, max_iter: int, use_jit: bool) -> list[ArraySolution]:
    """One kernel call over the schools of a batch; each school's part of the solution.

    ``cols[k]`` are the batch columns of school ``k``'s subjects; ``groups`` the
    evening-rule group of every column (``-1`` where the batch's schools with the rule
    have no such subject), or None when no school of the batch has the rule.
    """
    caps, elig, ub, targets, group, rule_on, max_subj = [], [], [], [], [], [], []
    spans = []
    row = 0
    for k, (p, cs) in enumerate(zip(problems, cols)):
        c, d = p.caps.shape
        cp = np.zeros((c, n_d))
        cp[:, :d] = p.caps
        el = np.zeros((c, n_d, n_s), dtype=bool)
        el[:, :d, cs] = p.eligible
        u = np.full((c, n_s), np.inf)
        u[:, cs] = p.ub
        tg = np.zeros((c, n_s))
        tg[:, cs] = p.targets
        caps.append(cp)
        elig.append(el)
        ub.append(u)
        targets.append(tg)
        group.append(k * 100 + p.group)          # parallel classes: same school and grade
        rule_on.append(p.rule_on)
        max_subj.append(np.full(c, p.max_subjects, dtype=np.int64))
        spans.append((row, row + c))
        row += c
    subject_group = (np.asarray(groups, dtype=np.int64) if groups is not None
                     else np.zeros(n_s, dtype=np.int64))
    if groups is not None:   # subjects no school with the rule has: a group of their own
        subject_group = np.where(subject_group < 0, subject_group.max() + 1, subject_group)
        _, subject_group = np.unique(subject_group, return_inverse=True)
    all_rule = np.concatenate(rule_on)
    sol = solve_arrays(np.vstack(caps), np.concatenate(elig), np.vstack(ub),
                       np.vstack(targets), np.concatenate(group), alpha, beta,
                       rule_on=all_rule if all_rule.any() else None,
                       subject_group=subject_group.reshape(-1).astype(np.int64),
                       max_subjects=np.concatenate(max_subj), tol=tol, max_iter=max_iter,
                       use_jit=use_jit)
    log.info("homework kernel: %d classes of %d schools in one call, %.3fs, %d iterations",
             row, len(problems), sol.seconds, sol.iterations)
    parts = []
    for p, cs, (a, b) in zip(problems, cols, spans):
        d = p.caps.shape[1]
        continuous = sol.continuous[a:b, :d][:, :, cs]
        eligible = sol.eligible[a:b, :d][:, :, cs]
        off_grid = np.abs(sol.minutes[a:b] - sol.continuous[a:b])
        parts.append(ArraySolution(
            minutes=sol.minutes[a:b, :d][:, :, cs], continuous=continuous, eligible=eligible,
            objective=objective(continuous, eligible, p.targets, p.group, alpha, beta),
            rounding_total=float(off_grid.sum()), rounding_max=float(off_grid.max(initial=0.0)),
            iterations=sol.iterations, seconds=sol.seconds))
    return parts


def _entries(minutes: np.ndarray) -> tuple[HomeworkEntry, ...]:
    return tuple(HomeworkEntry(int(c), int(d), int(s), int(minutes[c, d, s]))
                 for c, d, s in zip(*np.nonzero(minutes)))


def _plan_of(school: School, policy: Policy, timetable: Timetable, problem: HomeworkProblem,
             sol: ArraySolution, oral: ArraySolution | None = None) -> HomeworkPlan:
    """Wrap one school's arrays as a :class:`HomeworkPlan` and run the checker on it."""
    metrics, target_rows = _metrics(problem, sol, len(school.days))
    plan = HomeworkPlan(school=school.name, profile=policy.name, days=problem.days,
                        weekend=problem.weekend,
                        classes=tuple(c.name for c in school.classes),
                        subjects=tuple(s.name for s in school.subjects),
                        entries=_entries(sol.minutes), targets=tuple(target_rows),
                        metrics=metrics,
                        oral=_entries(oral.minutes) if oral is not None else ())
    violations = check_homework(school, policy, timetable, plan)
    if violations:
        raise RuntimeError(f"{school.name}: homework plan failed its own checker: "
                           + "; ".join(v.message for v in violations[:5]))
    for row in target_rows:
        if row.infeasible:
            log.info("%s %s: target %.0f min exceeds what the caps allow (%.0f); planned %d",
                     plan.classes[row.cls], plan.subjects[row.subject], row.target,
                     row.capacity, row.planned)
    return plan
