"""Solve, then pass the timetable through the independent checker.

Every timetable jianfu writes goes through here: the checker is the specification,
so a solver timetable that fails it is reported as an internal error, never output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models.checker import CheckSummary, check, format_violations, summarize
from ..models.fet import FetProblem
from ..models.policy import Policy
from ..models.school import School
from ..models.violation import Violation
from .result import Result, format_result
from .school.solve import solve


@dataclass(frozen=True, slots=True)
class CheckedResult:
    """A solver :class:`Result` with the checker's verdict on its timetable.

    ``summary`` is ``None`` when there is no timetable; ``text`` is the result report
    and ``verdict`` the checker's grouped violations (empty without a timetable).
    """

    result: Result
    violations: tuple[Violation, ...]
    summary: CheckSummary | None
    text: str
    verdict: str

    @property
    def compliant(self) -> bool:
        """A timetable exists and the checker finds no hard violation."""
        return self.summary is not None and self.summary.compliant

    @property
    def report(self) -> str:
        """``report.txt``: the result, then the checker's verdict."""
        if not self.verdict:
            return self.text
        return self.text + "\n\n== 检查结果 Checker verdict ==\n" + self.verdict


def solve_checked(school: School, policy: Policy, **options: Any) -> CheckedResult:
    """:func:`jianfu.solver.solve` (same keyword options), then :func:`check` its timetable."""
    result = solve(school, policy, **options)
    if result.timetable is None:
        return CheckedResult(result, (), None, format_result(result, school, policy), "")
    violations = tuple(check(school, policy, result.timetable))
    summary = summarize(list(violations), policy)
    return CheckedResult(result, violations, summary,
                         format_result(result, school, policy, summary),
                         format_violations(list(violations), summary))


@dataclass(frozen=True, slots=True)
class CheckedFet:
    """A FET file's :class:`~jianfu.solver.result.FetResult` with the FET checker's verdict.

    ``score`` is :func:`jianfu.models.fet_check.score_fet`'s answer (``None`` without a
    timetable), ``verdict`` the hard violations' lines when it is not compliant.
    """

    result: Any
    problem: FetProblem
    score: Any
    text: str
    verdict: str

    @property
    def compliant(self) -> bool:
        return self.score is not None and self.score.compliant


def solve_fet_checked(path: Any, **options: Any) -> CheckedFet:
    """:func:`jianfu.solver.fet.solve.solve_fet` (same keyword options), then check it."""
    from ..models.fet_check import check_fet, score_fet
    from .result import format_fet_result
    from .fet.solve import solve_fet

    result, problem = solve_fet(path, **options)
    score, verdict = None, ""
    if result.solution is not None:
        score = score_fet(problem, result.solution)
        if not score.compliant:
            verdict = "\n".join(f"  {v.rule}: {v.message}"
                                 for v in check_fet(problem, result.solution) if v.hard)
    return CheckedFet(result, problem, score, format_fet_result(result, problem, score), verdict)
