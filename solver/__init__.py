"""solver: how answers are found (CP-SAT timetable engines, homework kernel)."""

from .checked import Checked, solve_checked
from .result import Result, Statistics, StatisticsRow, Status, format_result
from .school.solve import Keep, solve

__all__ = ["Checked", "Keep", "Result", "Statistics", "StatisticsRow", "Status", "format_result",
           "solve", "solve_checked"]
