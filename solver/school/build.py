"""The CP-SAT model of a :class:`~jianfu.models.core.Problem`, family by family.

Read this file as the table of contents of the timetable model. Domain rules
(lesson_outside_periods, morning_start, teacher_unavailable, teacher_assignment) cost
nothing: a lesson variable exists only for an allowed slot of its activity, whose
teacher is fixed. Rules about the school itself (weekly_total, pe_periods, long_break,
short_break, daily_breaks) are checked before the model is built
(:func:`jianfu.solver.school.explain.precheck`).
"""

from __future__ import annotations

from typing import Callable

from ortools.sat.python import cp_model

from ...models.core import Problem
from ...models.errors import InputError
from .constraints.activity import add_daily_activity, add_daily_pe, add_session_slot
from .constraints.clash import add_activity_overlap, add_class_clash, add_teacher_clash
from .constraints.coverage import add_coverage
from .constraints.domains import add_domains
from .constraints.level_progress import add_level_progress
from .constraints.fixed import add_fixed_slot
from .constraints.same_start import add_same_start
from .constraints.doubles import add_double_period
from .constraints.study import add_study_cap, add_weekly_minutes
from .constraints.teacher_load import add_teacher_daily_max
from .constraints.venues import add_venue_capacity
from .variables import Variables, make_variables

Family = Callable[[cp_model.CpModel, Problem, Variables], None]

FAMILIES: tuple[tuple[str, Family], ...] = (
    ("domains", add_domains),                    # explain mode only
    ("coverage", add_coverage),                  # 开齐开足
    ("fixed_slot", add_fixed_slot),              # 固定时段
    ("same_start", add_same_start),              # 同时开始 (combined blocks)
    ("class_clash", add_class_clash),            # 班级冲突
    ("activity_overlap", add_activity_overlap),  # (activities without groups)
    ("teacher_clash", add_teacher_clash),        # 教师冲突 (by clock time)
    ("venue_capacity", add_venue_capacity),      # 场地 (venue_clash + venue_need)
    ("teacher_daily_max", add_teacher_daily_max),  # 教师每日节数
    ("double_period", add_double_period),        # 连堂
    ("daily_activity", add_daily_activity),      # 每天校内体育活动
    ("daily_pe", add_daily_pe),                  # 每天体育课
    ("session_slot", add_session_slot),          # 课外活动时段
    ("study_cap", add_study_cap),                # 在校集中学习时间
    ("period_length", add_weekly_minutes),       # 长短课: the weekly minutes kept
    ("level_progress", add_level_progress),      # 教案齐头 (policy level_progress)
)


def build(model: cp_model.CpModel, problem: Problem, explain: bool = False) -> Variables:
    """Create the variables and every hard family; the objective is added separately.

    Any core activity shape is placed: several groups (a combined lesson), several
    teachers, placements of several periods, activities tied by ``same_start``.
    """
    check_shape(problem)
    v = make_variables(model, problem, explain)
    for _, add in FAMILIES:
        add(model, problem, v)
    return v


def check_shape(problem: Problem) -> None:
    """Raise :class:`InputError` for what no timetable can mean.

    Double periods (连堂) pair unit lessons, so an activity of longer placements
    cannot also ask for doubles; activities tied by ``same_start`` start together
    placement for placement, so their weekly counts must be equal.
    """
    for i, a in enumerate(problem.activities):
        if a.doubles and a.duration != 1:
            raise InputError(f"activities[{i}].doubles", a.doubles,
                             f"连堂只用于单节课 doubles pair single periods; {a.name!r} "
                             f"already lasts {a.duration} periods")
    for k, rule in enumerate(problem.records("same_start")):
        counts = {problem.activities[a].count for a in rule.activities}
        if len(counts) > 1:
            names = ", ".join(problem.activities[a].name for a in rule.activities)
            raise InputError(f"same_start[{k}].activities", names,
                             f"同时开始的课每周节数须相同 activities that start together need "
                             f"equal weekly counts (got {sorted(counts)})")
