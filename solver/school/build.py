"""The CP-SAT model of a :class:`~jianfu.models.core.Problem`, family by family.

Read this file as the table of contents of the timetable model. Domain rules
(lesson_outside_periods, morning_start, teacher_unavailable, teacher_assignment) cost
nothing: a lesson variable exists only for an allowed slot of its activity, whose
teacher is fixed. Rules about the school itself (weekly_total, pe_periods, long_break,
short_break, daily_breaks) are checked before the model is built
(:func:`jianfu.solver.explain.precheck`).
"""

from __future__ import annotations

from typing import Callable

from ortools.sat.python import cp_model

from ...models.core import Problem
from ...models.errors import InputError
from .constraints.activity import add_daily_activity, add_daily_pe, add_session_slot
from .constraints.clash import add_class_clash, add_teacher_clash
from .constraints.coverage import add_coverage
from .constraints.domains import add_domains
from .constraints.doubles import add_double_period
from .constraints.study import add_study_cap
from .constraints.teacher_load import add_teacher_daily_max
from .constraints.venues import add_venue_capacity
from .variables import Variables, make_variables

Family = Callable[[cp_model.CpModel, Problem, Variables], None]

FAMILIES: tuple[tuple[str, Family], ...] = (
    ("domains", add_domains),                    # explain mode only
    ("coverage", add_coverage),                  # 开齐开足
    ("class_clash", add_class_clash),            # 班级冲突
    ("teacher_clash", add_teacher_clash),        # 教师冲突 (by clock time)
    ("venue_capacity", add_venue_capacity),      # 场地 (venue_clash + venue_need)
    ("teacher_daily_max", add_teacher_daily_max),  # 教师每日节数
    ("double_period", add_double_period),        # 连堂
    ("daily_activity", add_daily_activity),      # 每天校内体育活动
    ("daily_pe", add_daily_pe),                  # 每天体育课
    ("session_slot", add_session_slot),          # 课外活动时段
    ("study_cap", add_study_cap),                # 在校集中学习时间
)


def build(model: cp_model.CpModel, problem: Problem, explain: bool = False) -> Variables:
    """Create the variables and every hard family; the objective is added separately.

    The school engine places lessons of one group with one teacher, one slot each
    (:func:`~jianfu.models.core.compile_school`'s shape); a core problem with other
    activities (a compiled FET file) is refused rather than half-read.
    """
    check_school_shape(problem)
    v = make_variables(model, problem, explain)
    for _, add in FAMILIES:
        add(model, problem, v)
    return v


def check_school_shape(problem: Problem) -> None:
    """Raise :class:`InputError` unless every activity is one group × one teacher × one slot."""
    for i, a in enumerate(problem.activities):
        if a.duration != 1 or len(a.groups) != 1 or len(a.teachers) != 1:
            raise InputError(f"activities[{i}]", a.name,
                             f"学校引擎只排单班单师单节课 the school engine places one group × one "
                             f"teacher × one slot (got {len(a.groups)} groups, {len(a.teachers)} "
                             f"teachers, duration {a.duration})")
