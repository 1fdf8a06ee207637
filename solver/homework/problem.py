"""From a school and its timetable to the homework arrays: caps, eligible cells, targets.

:func:`build_problem` reads the policy's caps and the timetable's taught days into a
:class:`HomeworkProblem`; :func:`build_oral_problem` does the same for the oral and
practical homework of grades 1–2 (the same kernel, another kind of minutes);
:func:`default_targets` derives weekly targets from the weekly periods when the school
gives none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ...models.errors import InputError
from ...models.homework import LOWER_GRADES, eligible_cell, plan_days, taught_cells
from ...models.homework_check import evening_groups
from ...models.policy import Policy
from ...models.school import School
from ...models.timetable import Timetable

#: Default share of the weekly cap total that default targets fill. Below 1 so the
#: daily caps are a ceiling with room, not the plan (双减: caps are maxima, not quotas).
DEFAULT_FILL = 0.85
#: Weight per weekly period of a main subject (语数外) vs the other written subjects
#: when default targets are derived from the timetable.
CATEGORY_WEIGHT = {"main": 1.0}
OTHER_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class HomeworkProblem:
    """The arrays of one school's homework problem, shaped as
    :func:`jianfu.solver.homework.kernel.homework_kernel` takes them."""

    days: tuple[str, ...]
    weekend: bool
    caps: np.ndarray          # (C, D)
    eligible: np.ndarray      # (C, D, S) bool
    ub: np.ndarray            # (C, S), inf where the subject has no cap
    targets: np.ndarray       # (C, S)
    group: np.ndarray         # (C,) grade
    rule_on: np.ndarray       # (C,) bool: the subjects-per-evening rule applies
    subject_group: np.ndarray  # (S,) evening-rule group of each subject
    max_subjects: int


def default_targets(school: School, policy: Policy, caps: np.ndarray, eligible: np.ndarray,
                    fill: float = DEFAULT_FILL,
                    requests: Mapping[tuple[int, int], float] | None = None) -> np.ndarray:
    """Weekly targets ``T[c, s]``: requests where given, else from the timetable.

    A class's default budget is ``fill × Σ_d cap[c, d]`` minus what was requested for
    it; it is shared among its unrequested written-homework subjects that have an
    eligible day, in proportion to weekly periods × category weight (main 1.0, other
    0.5).
    """
    if not 0.0 <= fill <= 1.0:
        raise InputError("fill", fill, "a share of the weekly cap between 0 and 1")
    requests = requests or {}
    n_c, _, n_s = eligible.shape
    targets = np.zeros((n_c, n_s))
    periods = np.zeros((n_c, n_s))
    for r in school.requirements:
        periods[r.cls, r.subject] += r.periods
    for c in range(n_c):
        asked = 0.0
        weights = np.zeros(n_s)
        for s in range(n_s):
            if (c, s) in requests:
                targets[c, s] = requests[(c, s)]
                asked += requests[(c, s)]
            elif eligible[c, :, s].any():
                factor = CATEGORY_WEIGHT.get(school.subjects[s].category.value, OTHER_WEIGHT)
                weights[s] = factor * max(periods[c, s], 1.0)
        budget = max(0.0, fill * float(caps[c].sum()) - asked)
        if weights.sum() > 0:
            targets[c] += budget * weights / weights.sum()
    return targets


def build_problem(school: School, policy: Policy, timetable: Timetable, *,
                  requests: Mapping[tuple[int, int], float] | None = None,
                  fill: float = DEFAULT_FILL) -> HomeworkProblem:
    """Turn a school, its profile and its timetable into kernel arrays."""
    weekend = bool(policy.weekend_controlled)
    days = plan_days(school, weekend)
    n_c, n_d, n_s = len(school.classes), len(days), len(school.subjects)
    taught = taught_cells(school, timetable)
    for (c, d, s) in taught:
        if not (0 <= c < n_c and 0 <= d < len(school.days) and 0 <= s < n_s):
            raise InputError("timetable.lessons", (c, d, s), "refers to no class, day or subject")
    caps = np.zeros((n_c, n_d))
    eligible = np.zeros((n_c, n_d, n_s), dtype=bool)
    for c, sc in enumerate(school.classes):
        for d in range(n_d):
            caps[c, d] = policy.homework_cap(sc.grade, weekend=weekend and d == len(school.days))
            for s in range(n_s):
                eligible[c, d, s] = eligible_cell(school, taught, c, d, s, weekend)
    ub = np.full((n_c, n_s), np.inf)
    for s, subject in enumerate(school.subjects):
        cap = policy.subject_cap(subject.name)
        if cap is not None:
            ub[:, s] = cap
    for (c, s) in (requests or {}):
        if not (0 <= c < n_c and 0 <= s < n_s):
            raise InputError("requests", (c, s), "refers to no class or subject")
    targets = default_targets(school, policy, caps, eligible, fill, requests)
    rule = policy.evening_rule
    rule_on = np.array([rule is not None and sc.grade in rule.grades for sc in school.classes],
                       dtype=bool)
    groups = evening_groups(policy, [s.name for s in school.subjects])
    # compress group ids into 0..S-1 for the kernel
    _, subject_group = np.unique(np.asarray(groups, dtype=np.int64), return_inverse=True)
    return HomeworkProblem(
        days=days, weekend=weekend, caps=caps, eligible=eligible, ub=ub, targets=targets,
        group=np.array([sc.grade for sc in school.classes], dtype=np.int64), rule_on=rule_on,
        subject_group=subject_group.reshape(-1).astype(np.int64),
        max_subjects=rule.max_subjects if rule is not None else n_s)




def build_oral_problem(school: School, policy: Policy, timetable: Timetable, *,
                       fill: float = DEFAULT_FILL) -> HomeworkProblem:
    """The oral/practical homework of grades 1–2 as kernel arrays.

    A class of grades 1–2 gets ``lower_grades_oral_minutes`` as its daily cap (the
    weekend bucket too, when weekends are controlled: a weekend is not more than a
    school day) and the written-homework subjects taught that day as its eligible cells;
    every other class has no eligible cell. Targets are :func:`default_targets` (no
    requests: teachers request written homework). With
    ``lower_grades_max_oral_subjects`` the subjects-per-evening choice keeps at most that
    many subjects a day, every subject a group of its own.
    """
    weekend = bool(policy.weekend_controlled)
    days = plan_days(school, weekend)
    n_c, n_d, n_s = len(school.classes), len(days), len(school.subjects)
    taught = taught_cells(school, timetable)
    lower = np.array([sc.grade in LOWER_GRADES for sc in school.classes], dtype=bool)
    caps = np.repeat(np.where(lower, float(policy.lower_grades_oral_minutes), 0.0)[:, None],
                     n_d, axis=1)
    eligible = np.zeros((n_c, n_d, n_s), dtype=bool)
    for c in np.flatnonzero(lower):
        for d in range(n_d):
            for s in range(n_s):
                eligible[c, d, s] = eligible_cell(school, taught, int(c), d, s, weekend)
    targets = default_targets(school, policy, caps, eligible, fill)
    most = policy.lower_grades_max_oral_subjects
    return HomeworkProblem(
        days=days, weekend=weekend, caps=caps, eligible=eligible,
        ub=np.full((n_c, n_s), np.inf), targets=targets,
        group=np.array([sc.grade for sc in school.classes], dtype=np.int64),
        rule_on=lower & (most is not None), subject_group=np.arange(n_s, dtype=np.int64),
        max_subjects=most if most is not None else n_s)
