"""solver: how answers are found (CP-SAT timetable engine, homework kernel)."""

from .result import Result, Statistics, StatisticsRow, Status, format_result
from .school.solve import Keep, solve

__all__ = ["Keep", "Result", "Statistics", "StatisticsRow", "Status", "format_result", "solve"]
