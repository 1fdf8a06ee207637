"""Solve, then pass the solution through the independent checker — for every engine.

Every timetable jianfu writes goes through here: the checker is the specification,
so a solver timetable that fails it is reported as an internal error
(:attr:`Checked.rejected`), never output.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any

from ..models.change import lesson_moves
from ..models.checker import check, format_violations, summarize
from ..models.core import Problem
from ..models.fet import FetProblem
from ..models.policy import Policy
from ..models.school import School
from ..models.timetable import Timetable
from ..models.violation import Violation
from .result import Result, format_result
from .school.solve import solve


@dataclass(frozen=True, slots=True)
class Checked:
    """A solver :class:`Result` with the checker's verdict on its solution.

    ``problem`` is what was solved: the :class:`School`, or the
    :class:`~jianfu.models.fet.FetProblem` imported from the FET file.
    ``summary`` is the checker's answer (:class:`~jianfu.models.checker.CheckSummary`,
    or :class:`~jianfu.models.fet_check.FetScore` for a FET file), ``None`` without a
    solution; ``violations`` its records (for a FET file only the hard ones, listed
    only when there are any). ``text`` is the result report and ``verdict`` the
    checker's grouped violations (empty without a solution; a FET file's only when it
    is not compliant).
    """

    problem: School | FetProblem | Problem
    result: Result
    violations: tuple[Violation, ...]
    summary: Any
    text: str
    verdict: str

    @property
    def compliant(self) -> bool:
        """A solution exists and the checker finds no hard violation."""
        return self.summary is not None and self.summary.compliant

    @property
    def rejected(self) -> bool:
        """The checker rejected the solver's solution: a bug, never written (exit 70)."""
        return self.result.solution is not None and not self.compliant

    @property
    def report(self) -> str:
        """``report.txt``: the result, then the checker's verdict."""
        if not self.verdict:
            return self.text
        return self.text + "\n\n== 检查结果 Checker verdict ==\n" + self.verdict


def solve_checked(source: School | Problem | str | os.PathLike[str], policy: Policy | None = None,
                  **options: Any) -> Checked:
    """Solve ``source`` and check the solution.

    A core :class:`~jianfu.models.core.Problem` goes to
    :func:`jianfu.solver.school.solve.solve_problem` and
    :func:`~jianfu.models.core_check.check_core`; a :class:`School` goes to :func:`jianfu.solver.solve` (``policy`` defaults to the
    school's own) and :func:`~jianfu.models.checker.check`; a path to a ``.fet`` file
    goes to :func:`jianfu.solver.fet.solve.solve_fet` and
    :func:`~jianfu.models.fet_check.score_fet`. ``options`` are the engine's keyword
    options.
    """
    if isinstance(source, School):
        return _school(source, policy or source.policy(), options)
    if isinstance(source, Problem):
        return _core(source, options)
    if policy is not None:
        raise TypeError("a FET file carries its own constraints: no policy applies")
    return _fet(source, options)


def _school(school: School, policy: Policy, options: dict[str, Any]) -> Checked:
    result = solve(school, policy, **options)
    if result.timetable is None:
        return Checked(school, result, (), None, format_result(result, school, policy), "")
    kept, kept_school = _kept(options.get("keep"), school)
    # the checker counts moved_lesson against the same kept timetable the engine kept
    violations = tuple(check(school, policy, result.timetable, kept=kept,
                             kept_school=kept_school))
    summary = summarize(list(violations), policy)
    text = format_result(result, school, policy, summary)
    if kept is not None:
        moves = lesson_moves(school, result.timetable, kept, kept_school)
        text += f"\n调整的课 moved lessons ({len(moves)}):" + "".join(
            f"\n  {m.text(school)}" for m in moves)
        gone = int(summary.terms["moved_lesson"].units) - len(moves)
        if gone > 0:   # matched by names: their class, subject or slot is no more
            text += (f"\n  另有 {gone} 节课的班级、学科或时段已不存在 — {gone} more whose class, "
                     f"subject or period is gone")
    return Checked(school, result, violations, summary, text,
                   format_violations(list(violations), summary))


def _kept(keep: Any, school: School) -> tuple[Timetable | None, School | None]:
    """The kept timetable of ``solve(keep=...)`` and the school it was made for (``None``:
    this one)."""
    if keep is None:
        return None, None
    if isinstance(keep, Timetable):
        return keep, None
    if isinstance(keep, tuple):
        old, timetable = keep
    else:
        old, timetable = keep.school, keep.timetable
    return timetable, (None if old is None or old is school else old)


def _core(problem: Problem, options: dict[str, Any]) -> Checked:
    from ..models.core_check import check_core, score_core
    from .school.solve import solve_problem

    result = solve_problem(problem, **options)
    if result.solution is None:
        return Checked(problem, result, (), None, format_result(result, problem), "")
    violations = tuple(check_core(problem, result.solution))
    score = score_core(problem, result.solution)
    if score.terms != result.terms:   # the engine's units are the checker's, or a bug
        violations += (Violation("objective", True, f"engine units {result.terms} ≠ checker "
                                                    f"units {score.terms}"),)
        score = replace(score, hard=score.hard + 1)
    return Checked(problem, result, violations, score,
                   format_result(result, problem, summary=score),
                   "\n".join(f"  {x.rule}: {x.message}" for x in violations))


def _fet(path: str | os.PathLike[str], options: dict[str, Any]) -> Checked:
    from ..models.fet_check import check_fet, score_fet
    from .fet.solve import solve_fet

    result, problem = solve_fet(path, **options)
    score, hard = None, ()
    if result.solution is not None:
        score = score_fet(problem, result.solution)
        if not score.compliant:   # scoring is all a compliant timetable needs
            hard = tuple(v for v in check_fet(problem, result.solution) if v.hard)
    verdict = "\n".join(f"  {v.rule}: {v.message}" for v in hard)
    return Checked(problem, result, hard, score, format_result(result, problem, summary=score),
                   verdict)
