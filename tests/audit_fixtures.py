"""A generated school solved once per test run and exported with jianfu's own writers,
for the audit tests (``tests/instances/test_audit_io.py``, ``test_district_audit.py``):
the same timetable read back in other shapes, or with a violation planted."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jianfu.benchmarks.bench_audit import plant_math_for_pe  # noqa: F401 (the tests' fixture too)


@cache
def solved_school(seed: int = 0) -> tuple[Any, Any, Any]:
    """(school, policy, timetable): ``generate_school('primary', 1, seed)`` solved briefly."""
    from jianfu.instances.generator import generate_school
    from jianfu.solver import solve

    school = generate_school("primary", 1, seed=seed)
    policy = school.policy()
    result = solve(school, policy, time_limit=10, workers=1)
    assert result.timetable is not None
    return school, policy, result.timetable


def export_solved(out: Path, seed: int = 0) -> tuple[Path, Any, Any, Any]:
    """``school.yaml``, ``timetable.xlsx`` and ``lessons.csv`` of :func:`solved_school` in
    ``out``; returns (out, school, policy, timetable)."""
    from jianfu.instances.export import export
    from jianfu.instances.schoolfile import write_school

    school, policy, timetable = solved_school(seed)
    write_school(school, out / "school.yaml")
    export(out, school, policy, timetable, fmt="xlsx")
    export(out, school, policy, timetable, fmt="csv")
    return out, school, policy, timetable
