"""What a solve returns: :class:`Result`, :class:`Statistics` and the report text."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..models.checker import RULE_NAMES
from ..models.fet import FetProblem, FetSolution
from ..models.policy import Policy
from ..models.school import School
from ..models.timetable import Timetable


#: Which method found a FET file's first timetable (``FetResult.first_by``).
BY_SEARCH, BY_CP_SAT = "recursive swapping", "CP-SAT"


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


@dataclass(frozen=True, slots=True)
class Result:
    """The answer of :func:`jianfu.solver.solve`.

    ``objective``/``bound`` are in weighted penalty points (``nan`` without a
    timetable); ``terms`` maps each soft rule id to its penalty units read from the
    solver's values, ``weights`` to its weight; ``moved`` counts kept lessons that
    moved (``None`` without ``keep``); ``explanation`` holds sentences (Chinese with
    English) whenever no timetable is returned.
    """

    status: Status
    solution: Any   # Timetable (a school), CoreSolution (a core problem) or None
    objective: float = math.nan
    bound: float = math.nan
    runtime: float = 0.0
    time_to_first: float | None = None
    build_time: float = 0.0
    terms: dict[str, int] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    statistics: Statistics = field(default_factory=Statistics)
    moved: int | None = None
    locked: int = 0
    explanation: tuple[str, ...] = ()
    interrupted: int | None = None   # the signal that stopped the search, if one did

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


def format_result(result: Result, school: School, policy: Policy, summary: Any = None) -> str:
    """The solve report: status, objective, bound, gap, times, soft terms, moves, reasons."""
    lines = [f"== 排课结果 Solve result: {school.name} (profile {policy.name}) ==",
             f"状态 status: {result.status.zh} {result.status.value}"
             + (" — 已中断 INTERRUPTED" if result.interrupted else "")]
    if result.interrupted:
        lines.append(interruption_note(result.interrupted, result.timetable is not None))
    if result.timetable is not None:
        lines.append(f"目标值 objective: {result.objective:g}   下界 bound: {result.bound:g}   "
                     f"差距 gap: {100 * result.gap:.1f}%")
    lines.append(f"用时 runtime: {result.runtime:.2f}s (建模 build {result.build_time:.2f}s)"
                 + (f"   首个课表 first timetable: {result.time_to_first:.2f}s"
                    if result.time_to_first is not None else ""))
    if result.timetable is not None:
        lines.append(f"课 lessons: {len(result.timetable.lessons)}   "
                     f"课外体育活动 activity sessions: {len(result.timetable.sessions)}")
    if result.terms:
        lines.append("软规则 soft rules:")
        lines.append(f"  {'rule':<22}{'units':>7}{'weight':>8}{'cost':>8}")
        for rule, units in result.terms.items():
            w = result.weights.get(rule, 0)
            lines.append(f"  {rule:<22}{units:>7}{w:>8g}{units * w:>8g}  {RULE_NAMES.get(rule, ('', ''))[0]}")
    if result.moved is not None:
        lines.append(f"调整节数 moved lessons: {result.moved}"
                     + (f"   锁定 locked: {result.locked}" if result.locked else ""))
    if summary is not None:
        compliant = getattr(summary, "compliant", None)
        if compliant is not None:
            lines.append("检查 checker: " + ("合规 compliant" if compliant else "不合规 NOT compliant"))
    if result.explanation:
        lines.append("原因 explanation:")
        lines.extend(f"  - {s}" for s in result.explanation)
    return "\n".join(lines)
@dataclass(frozen=True, slots=True)
class FetResult:
    """What :func:`solve_fet_problem` returns.

    ``objective``/``bound`` in weighted penalty units (Σ amount × weight% / 100);
    ``terms`` the soft penalty per constraint kind read from the solver's values;
    ``time_to_first`` seconds from ``t0`` (the start of the call, or before the import
    with :func:`solve_fet`) to the first timetable satisfying every 100 % constraint
    and ``first_by`` the method that found it (CP-SAT or recursive swapping);
    ``build_time`` seconds from ``t0`` spent importing and building the model (with
    the race the rules are built while the first search already runs, so that part
    overlaps the search);
    ``left_out`` the unsupported constraint kinds and counts that were ignored.
    """

    status: Status
    solution: FetSolution | None
    objective: float = math.nan
    bound: float = math.nan
    runtime: float = 0.0
    time_to_first: float | None = None
    build_time: float = 0.0
    terms: dict[str, float] = field(default_factory=dict)
    statistics: Statistics = field(default_factory=Statistics)
    left_out: tuple[tuple[str, int], ...] = ()
    explanation: tuple[str, ...] = ()
    first_by: str = ""
    interrupted: int | None = None   # the signal that stopped the search, if one did

    @property
    def feasible(self) -> bool:
        return self.solution is not None


def format_fet_result(result: FetResult, problem: FetProblem, score: object = None) -> str:
    """The solve report of a FET file: status, times, soft terms, what was left out.

    ``score`` is :func:`jianfu.models.fet_check.score_fet`'s answer for the solution.
    """
    lines = [f"== 排课结果 Solve result: {problem.name} (FET file) ==",
             (f"活动 activities: {len(problem.activities)}   约束 constraints: "
              f"{len(problem.constraints)}   状态 status: {result.status.zh} "
              f"{result.status.value}" + (" — 已中断 INTERRUPTED" if result.interrupted else ""))]
    if result.interrupted:
        lines.append(interruption_note(result.interrupted, result.solution is not None))
    if result.solution is not None:
        lines.append(f"软约束罚分 soft penalty: {result.objective:g}   下界 bound: {result.bound:g}")
    lines.append(f"用时 runtime: {result.runtime:.2f}s (导入与建模 import+build "
                 f"{result.build_time:.2f}s)" + (f"   首个课表 first timetable: "
                                                 f"{result.time_to_first:.2f}s"
                                                 + (f" ({result.first_by})" if result.first_by
                                                    else "")
                                                 if result.time_to_first is not None else ""))
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
    if result.explanation:
        lines.append("原因 explanation:")
        lines.extend(f"  - {s}" for s in result.explanation)
    return "\n".join(lines)
