"""What a solve returns, for every engine: :class:`Result`, :class:`Statistics`, the
CP-SAT status map and statistics recorder, and the report text."""

from __future__ import annotations

import csv
import math
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Callable

from ortools.sat.python import cp_model

from ..models.checker import RULE_NAMES
from ..models.core import Problem
from ..models.fet import FetProblem
from ..models.policy import Policy
from ..models.school import School
from ..models.timetable import Timetable


#: Which method found a FET file's first timetable (``Result.first_by``).
BY_SEARCH, BY_CP_SAT = "recursive swapping", "CP-SAT"
#: A full placement of the search that CP-SAT repaired where it broke rules the search
#: does not model (:mod:`jianfu.solver.fet.repair`).
BY_REPAIR = "recursive swapping + CP-SAT repair"


class Status(StrEnum):
    """Outcome of a solve, mapped explicitly from CP-SAT's status."""

    OPTIMAL = "OPTIMAL"        # proven optimal
    FEASIBLE = "FEASIBLE"      # a compliant timetable, optimality not proven
    INFEASIBLE = "INFEASIBLE"  # proven: no compliant timetable exists
    UNKNOWN = "UNKNOWN"        # no timetable found and nothing proven (time limit)

    @property
    def zh(self) -> str:
        return {"OPTIMAL": "最优", "FEASIBLE": "可行（未证明最优）", "INFEASIBLE": "无解",
                "UNKNOWN": "未找到课表"}[self.value]


_STATUS = {
    cp_model.OPTIMAL: Status.OPTIMAL,
    cp_model.FEASIBLE: Status.FEASIBLE,
    cp_model.INFEASIBLE: Status.INFEASIBLE,
    cp_model.UNKNOWN: Status.UNKNOWN,
}


def status_of(code: int, model: cp_model.CpModel) -> Status:
    """The :class:`Status` of CP-SAT's answer ``code`` on ``model``.

    ``MODEL_INVALID`` raises ``RuntimeError``: a bug of the translation, never the
    user's input.
    """
    if code == cp_model.MODEL_INVALID:
        raise RuntimeError(f"internal error: invalid CP-SAT model: {model.Validate()}")
    return _STATUS[code]


@dataclass(frozen=True, slots=True)
class StatisticsRow:
    """One improving solution: seconds since the solve started, objective, bound."""

    time: float
    objective: float
    bound: float


@dataclass(frozen=True, slots=True)
class Statistics:
    """One row per improving solution; round-trips through CSV."""

    rows: tuple[StatisticsRow, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)

    def to_csv(self, path: str | Path) -> None:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(["time", "objective", "bound"])
            for r in self.rows:
                out.writerow([repr(r.time), repr(r.objective), repr(r.bound)])

    @classmethod
    def from_csv(cls, path: str | Path) -> "Statistics":
        with open(path, newline="", encoding="utf-8") as fh:
            rows = tuple(StatisticsRow(float(r["time"]), float(r["objective"]), float(r["bound"]))
                         for r in csv.DictReader(fh))
        return cls(rows)


ProgressFn = Callable[[float, float, float], None]


class Recorder(cp_model.CpSolverSolutionCallback):
    """One :class:`StatisticsRow` per improving solution, in seconds since ``t0`` and
    objective units (CP-SAT's integer objective divided by ``scale``); reports each to
    ``progress(elapsed, objective, bound)`` when given."""

    def __init__(self, t0: float, scale: float, progress: ProgressFn | None = None) -> None:
        super().__init__()
        self.t0, self.scale, self.progress = t0, scale, progress
        self.rows: list[StatisticsRow] = []

    def on_solution_callback(self) -> None:
        row = StatisticsRow(time.perf_counter() - self.t0, self.ObjectiveValue() / self.scale,
                            self.BestObjectiveBound() / self.scale)
        self.rows.append(row)
        if self.progress is not None:
            self.progress(row.time, row.objective, row.bound)


@dataclass(frozen=True, slots=True)
class Result:
    """What every engine returns: :func:`jianfu.solver.solve` (a school),
    :func:`~jianfu.solver.school.solve.solve_problem` (a core problem) and
    :func:`~jianfu.solver.fet.solve.solve_fet_problem` (a FET file).

    ``solution`` is a :class:`~jianfu.models.timetable.Timetable`, a
    :class:`~jianfu.models.core_check.CoreSolution` or a
    :class:`~jianfu.models.fet.FetSolution` (``None`` without one).
    ``objective``/``bound`` are in weighted penalty points (``nan`` without a
    solution; a FET file: Σ amount × weight% / 100); ``terms`` maps each soft rule id
    (a FET file: constraint kind) to its penalty read from the solver's values — units
    for the school engine, whose ``weights`` give the weight of each. ``time_to_first``
    is seconds from the start (a FET file: before its import) to the first solution and
    ``first_by`` the method that found it (a FET file: :data:`BY_CP_SAT` or
    :data:`BY_SEARCH`); ``build_time`` the seconds spent building the model (a FET
    file: importing it too; with the race the rules are built while the first search
    already runs, so that part overlaps the search). ``moved`` counts kept lessons that
    moved (``None`` without ``keep``) and ``locked`` those fixed; ``left_out`` the
    unsupported FET constraint kinds and counts that were ignored; ``explanation``
    holds sentences (Chinese with English) whenever no solution is returned;
    ``floors`` the school engine's proven least cost of each soft rule alone
    (:func:`jianfu.solver.school.objective.term_floors`).
    """

    status: Status
    solution: Any   # Timetable, CoreSolution, FetSolution or None
    objective: float = math.nan
    bound: float = math.nan
    runtime: float = 0.0
    time_to_first: float | None = None
    build_time: float = 0.0
    terms: dict[str, float] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    statistics: Statistics = field(default_factory=Statistics)
    moved: int | None = None
    locked: int = 0
    explanation: tuple[str, ...] = ()
    interrupted: int | None = None   # the signal that stopped the search, if one did
    left_out: tuple[tuple[str, int], ...] = ()
    first_by: str = ""
    floors: dict[str, float] = field(default_factory=dict)   # proven least cost per soft rule

    @property
    def gap(self) -> float:
        """Relative gap (objective − bound) / objective; 0 when both are 0."""
        if self.solution is None or math.isnan(self.objective):
            return math.nan
        if self.objective == 0:
            return 0.0
        return max(0.0, (self.objective - self.bound) / abs(self.objective))

    @property
    def timetable(self) -> Timetable | None:
        """A school's timetable: the solution under the name the school code reads."""
        return self.solution

    @property
    def feasible(self) -> bool:
        return self.solution is not None


def interruption_note(signum: int, has_timetable: bool) -> str:
    """The report's sentence for a search stopped by a signal."""
    from .interrupt import signal_name

    what = signal_name(signum)
    if has_timetable:
        return (f"求解被 {what} 中断：这是中断前找到的最好课表，已通过检查 — the search was "
                f"interrupted by {what}; this is the best timetable found before the "
                f"interruption, and it passed the checker")
    return (f"求解被 {what} 中断，中断前未找到课表 — the search was interrupted by {what} "
            f"before any timetable was found")


def format_result(result: Result, problem: School | FetProblem | Problem, policy: Policy | None = None,
                  summary: Any = None) -> str:
    """The solve report of either engine: status, objective, bound, times, soft terms,
    moves or what was left out, the checker's word, reasons.

    ``problem`` is the school (``policy`` defaults to its own) or the imported FET
    problem; ``summary`` the checker's answer for the solution
    (:class:`~jianfu.models.checker.CheckSummary` or
    :class:`~jianfu.models.fet_check.FetScore`), when it was checked.
    """
    if isinstance(problem, FetProblem):
        lines = _fet_lines(result, problem, summary)
    elif isinstance(problem, Problem):
        lines = _core_lines(result, problem, summary)
    else:
        lines = _school_lines(result, problem, policy or problem.policy(), summary)
    if result.explanation:
        lines.append("原因 explanation:")
        lines.extend(f"  - {s}" for s in result.explanation)
    return "\n".join(lines)


def _status_text(result: Result) -> str:
    return (f"{result.status.zh} {result.status.value}"
            + (" — 已中断 INTERRUPTED" if result.interrupted else ""))


def _school_lines(result: Result, school: School, policy: Policy, summary: Any) -> list[str]:
    counts = None
    if result.timetable is not None:
        counts = (f"课 lessons: {len(result.timetable.lessons)}   "
                  f"课外体育活动 activity sessions: {len(result.timetable.sessions)}")
    return _engine_lines(result, f"{school.name} (profile {policy.name})", counts, summary)


def _core_lines(result: Result, problem: Problem, summary: Any) -> list[str]:
    counts = None
    if result.solution is not None:
        counts = (f"活动 activities: {len(problem.activities)}   "
                  f"安排 placements: {len(result.solution.starts)}")
    return _engine_lines(result, f"{problem.name} (core problem)", counts, summary)


def _engine_lines(result: Result, title: str, counts: str | None, summary: Any) -> list[str]:
    """The school engine's report, for a school or a core problem."""
    lines = [f"== 排课结果 Solve result: {title} ==", f"状态 status: {_status_text(result)}"]
    if result.interrupted:
        lines.append(interruption_note(result.interrupted, result.solution is not None))
    if result.solution is not None:
        lines.append(f"目标值 objective: {result.objective:g}   下界 bound: {result.bound:g}   "
                     f"差距 gap: {100 * result.gap:.1f}%")
    lines.append(f"用时 runtime: {result.runtime:.2f}s (建模 build {result.build_time:.2f}s)"
                 + (f"   首个课表 first timetable: {result.time_to_first:.2f}s"
                    if result.time_to_first is not None else ""))
    if counts is not None:
        lines.append(counts)
    if result.terms:
        lines.append("软规则 soft rules (下限 floor: the least cost proven for the rule alone):")
        lines.append(f"  {'rule':<22}{'units':>7}{'weight':>8}{'cost':>8}{'floor':>8}")
        for rule, units in result.terms.items():
            w = result.weights.get(rule, 0)
            name = RULE_NAMES.get(rule, ("", ""))[0]
            floor = result.floors.get(rule, 0.0)
            lines.append(f"  {rule:<22}{units:>7}{w:>8g}{units * w:>8g}{floor:>8g}  {name}")
    if result.moved is not None:
        lines.append(f"调整节数 moved lessons: {result.moved}"
                     + (f"   锁定 locked: {result.locked}" if result.locked else ""))
    compliant = getattr(summary, "compliant", None)
    if compliant is not None:
        lines.append("检查 checker: " + ("合规 compliant" if compliant else "不合规 NOT compliant"))
    return lines


def _fet_lines(result: Result, problem: FetProblem, score: Any) -> list[str]:
    lines = [f"== 排课结果 Solve result: {problem.name} (FET file) ==",
             (f"活动 activities: {len(problem.activities)}   约束 constraints: "
              f"{len(problem.constraints)}   状态 status: {_status_text(result)}")]
    if result.interrupted:
        lines.append(interruption_note(result.interrupted, result.solution is not None))
    if result.solution is not None:
        lines.append(f"软约束罚分 soft penalty: {result.objective:g}   下界 bound: {result.bound:g}")
    first = ""
    if result.time_to_first is not None:
        first = (f"   首个课表 first timetable: {result.time_to_first:.2f}s"
                 + (f" ({result.first_by})" if result.first_by else ""))
    lines.append(f"用时 runtime: {result.runtime:.2f}s (导入与建模 import+build "
                 f"{result.build_time:.2f}s)" + first)
    if result.terms:
        lines.append("软约束 soft constraints (penalty = units × weight%):")
        for kind, v in sorted(result.terms.items(), key=lambda kv: -kv[1]):
            lines.append(f"  {kind:<44}{v:>10g}")
    if score is not None:
        lines.append("检查 checker: " + ("合规 all 100% constraints hold"
                                        if getattr(score, "compliant", False)
                                        else "不合规 NOT compliant"))
    if result.left_out:
        lines.append("未处理的约束 constraints left out (--ignore-unsupported): "
                     + ", ".join(f"{k} ×{n}" for k, n in result.left_out))
    if problem.skipped:
        lines.append("跳过 skipped (inactive): " + ", ".join(f"{k} ×{n}" for k, n in problem.skipped))
    return lines
