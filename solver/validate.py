"""Check a filled school file without solving (``jianfu check school.xlsx``).

Reading the file already runs every bad-input check (each error names the sheet and
cell, or the field); :func:`validate_school` adds the solver's cheap counting
pre-checks (:func:`jianfu.solver.school.explain.precheck`), each finding of which
proves that no compliant timetable exists. Nothing is searched: a school that passes
may still turn out impossible in ``jianfu solve``, which then says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models.core import compile_school
from ..models.policy import Policy
from ..models.school import School
from .school.explain import precheck

__all__ = ["Validation", "validate_school", "format_validation"]


@dataclass(frozen=True, slots=True)
class Validation:
    """What a school holds and what the pre-checks found.

    ``problems`` are sentences a 教务处 clerk can act on; each one alone proves the
    school has no compliant timetable. Empty: nothing found (not a proof of a timetable).
    """

    school: str
    profile: str
    classes: int
    teachers: int
    venues: int
    requirements: int
    lessons: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """No pre-check found the school impossible."""
        return not self.problems


def validate_school(school: School, policy: Policy | None = None) -> Validation:
    """Count ``school`` and run the pre-checks under ``policy`` (default: its own)."""
    policy = policy or school.policy()
    found = precheck(school, policy, compile_school(school, policy))
    return Validation(school=school.name, profile=policy.name, classes=len(school.classes),
                      teachers=len(school.teachers), venues=len(school.venues),
                      requirements=len(school.requirements),
                      # an alternating slot (单双周) is one period a week of its class
                      lessons=sum(q.periods for q in school.requirements) + len(school.alternates),
                      problems=tuple(found))


def format_validation(v: Validation, source: str = "") -> str:
    """The summary ``jianfu check school.xlsx`` prints."""
    head = f"{source}: " if source else ""
    lines = [f"{head}{v.school} — 政策配置 profile {v.profile}",
             f"  班级 classes          {v.classes}",
             f"  教师 teachers         {v.teachers}",
             f"  任课 requirements     {v.requirements} ({v.lessons} 节/周 lessons a week)",
             f"  场地 venues           {v.venues}",
             "读取 input: 没有错误 no bad input (every sheet and field read and checked)"]
    if v.ok:
        lines.append("预检 precheck: 未发现问题 nothing found that rules a timetable out — "
                     "`jianfu solve` searches for one")
    else:
        lines.append(f"预检 precheck: {len(v.problems)} 个问题 problem(s); 无合规课表 no compliant "
                     f"timetable exists until they are fixed:")
        lines += [f"  {i}. {p}" for i, p in enumerate(v.problems, start=1)]
    return "\n".join(lines)
