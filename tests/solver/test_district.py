"""District runs: itinerant half-days, one-call homework, and real Dask local clusters
(tiny rural schools, a few seconds each): resume, infeasible schools, planted clashes."""

from __future__ import annotations

import csv
import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from jianfu.instances.district import (check_district_outputs, load_schools, output_dir_of,
                                       read_district)
from jianfu.instances.district_gen import generate_district, write_generated_district
from jianfu.instances.schoolfile import write_school
from jianfu.instances.timetable_io import read_timetable, write_timetable
from jianfu.models.district_check import check_itinerant_clash, half_of
from jianfu.models.errors import InputError
from jianfu.models.homework_check import check_homework
from jianfu.models.school import Unavailable
from jianfu.models.timetable import Timetable
from jianfu.solver.district import (ITINERANT_RATIO, _half_capacity, assign_itinerant,
                                    restrict_school, share_half_days, solve_district)

PAIR = [("rural", 1), ("rural", 1)]
LIMIT = 6.0   # CP-SAT seconds per tiny school


@pytest.fixture(scope="module")
def pair_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    district, schools = generate_district(2, 11, layout=PAIR)
    assert district.itinerant
    folder = tmp_path_factory.mktemp("pair")
    write_generated_district(folder, district, schools)
    return folder


# --- itinerant half-days (no cluster) ------------------------------------------------------------

def test_half_days_go_to_one_school_each_with_room(pair_dir: Path) -> None:
    district = read_district(pair_dir)
    schools = load_schools(district)
    halves = assign_itinerant(district, schools)
    assert set(halves) == {t.name for t in district.itinerant}
    for t in district.itinerant:
        given = [h for name in t.schools for h in halves[t.name][name]]
        assert len(given) == len(set(given)), "a half-day given to two schools"
        for name in t.schools:
            school = schools[name]
            k = school.teacher_index[t.name]
            load = sum(school.requirements[q].periods for q in school.requirements_of_teacher[k])
            cap = _half_capacity(school, k)
            room = sum(cap[h] for h in halves[t.name][name])
            assert room >= load / ITINERANT_RATIO


def _summary_rows(path):
    """summary.csv's rows keyed by the English half of each header (``学校 school``)."""
    return [{k.split()[-1]: v for k, v in r.items()}
            for r in csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines())]


def test_restricted_school_blocks_exactly_the_other_half_days(pair_dir: Path) -> None:
    district = read_district(pair_dir)
    schools = load_schools(district)
    halves = assign_itinerant(district, schools)
    t = district.itinerant[0]
    name = t.schools[0]
    school = schools[name]
    mine = set(halves[t.name][name])
    restricted = restrict_school(school, {t.name: halves[t.name][name]})
    k = school.teacher_index[t.name]
    teacher = restricted.teachers[k]
    for c in range(len(school.classes)):
        for d in range(len(school.days)):
            for p, seg in enumerate(school.day_of(c, d).periods):
                blocked = any(u.overlaps(d, seg.start, seg.end) for u in teacher.unavailable)
                assert blocked == ((d, half_of(school, c, d, p)) not in mine)
    others = [i for i in range(len(school.teachers)) if i != k]
    assert all(restricted.teachers[i] == school.teachers[i] for i in others)


def test_too_little_room_is_an_input_error(pair_dir: Path) -> None:
    district = read_district(pair_dir)
    schools = load_schools(district)
    with pytest.raises(InputError, match="itinerant"):
        assign_itinerant(district, schools, ratio=0.05)


def away_all_week(school, name: str):
    """``school`` with teacher ``name`` unavailable every day, all day."""
    k = school.teacher_index[name]
    teachers = list(school.teachers)
    teachers[k] = dataclasses.replace(teachers[k], unavailable=tuple(
        Unavailable(d, 0, 24 * 60) for d in range(len(school.days))))
    return dataclasses.replace(school, teachers=tuple(teachers))


def test_a_teacher_busy_everywhere_cannot_be_shared(pair_dir: Path) -> None:
    district = read_district(pair_dir)
    schools = load_schools(district)
    t = district.itinerant[0]
    a = schools[t.schools[0]]
    schools[a.name] = away_all_week(a, t.name)
    with pytest.raises(InputError, match=t.name):
        assign_itinerant(district, schools)


# --- homework in one call -------------------------------------------------------------------------

def test_district_homework_is_one_call_and_every_plan_checks(pair_dir: Path) -> None:
    from jianfu.solver import solve
    from jianfu.solver.homework.plan import plan_district, plan_homework

    district = read_district(pair_dir)
    schools = load_schools(district)
    timetables = {}
    for name, school in schools.items():
        result = solve(school, school.policy(), time_limit=LIMIT, workers=2, seed=1)
        assert result.timetable is not None
        timetables[name] = result.timetable
    listed, run = plan_district([(school, timetables[n]) for n, school in schools.items()])
    plans = dict(zip(schools, listed))
    assert run.calls == 1
    assert run.classes == sum(len(s.classes) for s in schools.values())
    for name, school in schools.items():
        assert check_homework(school, school.policy(), timetables[name], plans[name]) == []
        alone = plan_homework(school, timetables[name])
        # the district problem separates by school: the same optimum, up to rounding
        a, b = plans[name].array(), alone.array()
        assert a.shape == b.shape
        assert np.abs(a.sum(axis=(1, 2)) - b.sum(axis=(1, 2))).max() <= 5 * a.shape[1]


# --- Dask local cluster ---------------------------------------------------------------------------

class _Stop(Exception):
    pass


@pytest.mark.slow   # the longest district runs: with -m slow
def test_run_interrupted_then_resumed_then_checked(pair_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    seen = []

    def stop_after_first(p) -> None:
        seen.append(p)
        if p.done >= 1:
            raise _Stop

    with pytest.raises(_Stop):
        solve_district(pair_dir, out, workers=1, time_limit_per_school=LIMIT,
                       progress=stop_after_first, tick=0.2)
    district = read_district(pair_dir)
    finished = [s.name for s in district.schools
                if (output_dir_of(out, district, s.name) / "result.json").is_file()]
    assert len(finished) == 1
    assert seen[0].done == 0 and seen[0].total == 2 and seen[-1].done == 1
    assert not (out / "summary.csv").exists()

    events = []
    run = solve_district(pair_dir, out, workers=2, time_limit_per_school=LIMIT,
                         progress=events.append, tick=0.2)
    by_name = {o.name: o for o in run.outcomes}
    assert by_name[finished[0]].resumed
    assert [o.resumed for o in run.outcomes].count(True) == 1
    assert run.ok, [(o.name, o.status, o.reason) for o in run.outcomes]
    assert events[-1].done == 2 and events[-1].resumed == 1 and events[-1].failed == 0
    # the school solved now is reported with its objective and bound (the live line's 最近)
    last = [p for p in events if p.last is not None]
    assert [p.last for p in last] == [o.name for o in run.outcomes if not o.resumed]
    assert last[0].objective == by_name[last[0].last].objective
    assert last[0].bound == by_name[last[0].last].bound
    assert run.homework is not None and run.homework.calls == 1
    for o in run.outcomes:
        folder = output_dir_of(out, district, o.name)
        for f in ("timetable.json", "report.txt", "quotas.csv", "result.json"):
            assert (folder / f).is_file()
        assert o.hard_violations == 0
    assert (out / "summary.csv").read_bytes().startswith(b"\xef\xbb\xbf")   # Excel sees UTF-8
    summary = (out / "summary.csv").read_text(encoding="utf-8-sig").splitlines()
    assert summary[0].startswith("学校 school,文件 file,状态 status") and len(summary) == 3

    verdict = check_district_outputs(pair_dir, out)
    assert verdict.compliant and verdict.cross == ()

    # the itinerant teachers only teach in their own half-days: no clash is possible
    schools = load_schools(district)
    halves = json.loads((out / "itinerant.json").read_text(encoding="utf-8"))
    for t in district.itinerant:
        for name in t.schools:
            school = schools[name]
            tt = read_timetable(output_dir_of(out, district, name) / "timetable.json", school)
            k = school.teacher_index[t.name]
            for lesson in tt.lessons:
                if lesson.teacher == k:
                    label = school.days[lesson.day] + ("上午", "下午")[
                        half_of(school, lesson.cls, lesson.day, lesson.period)]
                    assert label in halves[t.name][name]

    again = solve_district(pair_dir, out, workers=2, time_limit_per_school=LIMIT)
    assert all(o.resumed for o in again.outcomes) and again.workers == 0

    # plant a clash: move one of the teacher's lessons in school B into a half-day in
    # which they teach in school A
    t = district.itinerant[0]
    a, b = (schools[n] for n in t.schools)
    tt_a = read_timetable(output_dir_of(out, district, a.name) / "timetable.json", a)
    path_b = output_dir_of(out, district, b.name) / "timetable.json"
    tt_b = read_timetable(path_b, b)
    ka, kb = a.teacher_index[t.name], b.teacher_index[t.name]
    busy_a = {(x.day, half_of(a, x.cls, x.day, x.period)) for x in tt_a.lessons if x.teacher == ka}
    lesson = next(x for x in tt_b.lessons if x.teacher == kb)
    day, half = sorted(busy_a)[0]
    period = next(p for p in range(len(b.day_of(lesson.cls, day).periods))
                  if half_of(b, lesson.cls, day, p) == half)
    moved = dataclasses.replace(lesson, day=day, period=period)
    planted = Timetable(tuple(x for x in tt_b.lessons if x != lesson) + (moved,), tt_b.sessions)
    assert check_itinerant_clash([t], {a.name: a, b.name: b}, {a.name: tt_a, b.name: planted})
    write_timetable(planted, b, path_b)
    verdict = check_district_outputs(pair_dir, out)
    assert not verdict.compliant
    assert verdict.hard_by_rule.get("itinerant_clash", 0) >= 1


def test_an_infeasible_school_is_reported_while_the_others_finish(tmp_path: Path) -> None:
    district, schools = generate_district(2, 4, layout=[("rural", 1), ("junior", 1)])
    folder = tmp_path / "district"
    write_generated_district(folder, district, schools)
    # the junior school's first teacher is away all week: no timetable can exist
    entry = district.schools[1]
    bad = schools[entry.name]
    k = next(i for i in range(len(bad.teachers)) if bad.requirements_of_teacher[i]
             and not any(bad.teachers[i].name == t.name for t in district.itinerant))
    teachers = list(bad.teachers)
    teachers[k] = dataclasses.replace(teachers[k], unavailable=tuple(
        Unavailable(d, 0, 24 * 60) for d in range(len(bad.days))))
    write_school(dataclasses.replace(bad, teachers=tuple(teachers)), folder / entry.file)

    out = tmp_path / "out"
    run = solve_district(folder, out, workers=2, time_limit_per_school=LIMIT)
    by_name = {o.name: o for o in run.outcomes}
    failed = by_name[entry.name]
    assert failed.status == "INFEASIBLE" and failed.reason
    assert not failed.solved and run.failed == (failed,)
    good = by_name[district.schools[0].name]
    assert good.solved and good.hard_violations == 0
    rows = {r["school"]: r for r in _summary_rows(out / "summary.csv")}
    assert rows[entry.name]["status"] == "INFEASIBLE" and rows[entry.name]["reason"] == failed.reason
    assert rows[good.name]["status"] in ("OPTIMAL", "FEASIBLE")
    report = (output_dir_of(out, district, entry.name) / "report.txt").read_text(encoding="utf-8")
    assert teachers[k].name in report or "无解" in report
    assert (output_dir_of(out, district, good.name) / "quotas.csv").is_file()
    verdict = check_district_outputs(folder, out)
    assert not verdict.compliant and verdict.hard_by_rule.get("school_missing") == 1
    # a finished (proven infeasible) school is not solved again
    again = solve_district(folder, out, workers=1, time_limit_per_school=LIMIT)
    assert all(o.resumed for o in again.outcomes)


def _crash_for(victim: str, name, school, time_limit, cp_workers, seed):
    """A task that fails for one school (as a bug in the engine would) and solves the rest."""
    from jianfu.solver.district import _solve_task

    if name == victim:
        raise RuntimeError("simulated engine crash")
    return _solve_task(name, school, time_limit, cp_workers, seed)


@pytest.mark.slow   # the longest district runs: with -m slow
def test_a_crashing_school_fails_alone(pair_dir: Path, tmp_path: Path) -> None:
    import functools
    import sys

    import cloudpickle

    district = read_district(pair_dir)
    schools = load_schools(district)
    victim = schools[district.schools[1].name]
    from distributed import LocalCluster

    cloudpickle.register_pickle_by_value(sys.modules[__name__])   # workers cannot import tests
    # an existing cluster, reached by its address as with --scheduler tcp://HOST:PORT
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=":0")
    try:
        run = solve_district(pair_dir, tmp_path / "out", scheduler=cluster.scheduler_address,
                             time_limit_per_school=LIMIT,
                             task=functools.partial(_crash_for, victim.name))
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
        cluster.close()
    assert run.scheduler.startswith("tcp://") and run.workers == 2
    by_name = {o.name: o for o in run.outcomes}
    assert by_name[victim.name].status == "FAILED"
    assert "simulated engine crash" in by_name[victim.name].reason
    assert by_name[district.schools[0].name].solved
    # the failed school is retried on the next run (and solves with the real engine)
    again = solve_district(pair_dir, tmp_path / "out", workers=1, time_limit_per_school=LIMIT)
    assert again.ok and [o.resumed for o in again.outcomes] == [True, False]


RURAL3 = [("rural", 1), ("rural", 1), ("rural", 1)]


@pytest.fixture(scope="module")
def trio_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    district, schools = generate_district(3, 5, layout=RURAL3)
    folder = tmp_path_factory.mktemp("trio")
    write_generated_district(folder, district, schools)
    return folder


def _most_shared(district) -> str:
    """The school served by the most itinerant teachers."""
    return max((s.name for s in district.schools),
               key=lambda n: sum(n in t.schools for t in district.itinerant))


def test_half_days_of_a_broken_school_go_to_the_others(trio_dir: Path) -> None:
    district = read_district(trio_dir)
    schools = load_schools(district)
    broken = _most_shared(district)
    live = {n: s for n, s in schools.items() if n != broken}
    halves, errors = share_half_days(district, live)
    assert errors == {}
    full = assign_itinerant(district, schools)
    assert set(halves) == {t.name for t in district.itinerant}
    for t in district.itinerant:
        if broken not in t.schools:   # untouched teachers keep the same split
            assert halves[t.name] == full[t.name]
            continue
        (other,) = [n for n in t.schools if n != broken]
        week = len(live[other].days)
        assert halves[t.name] == {other: tuple((d, h) for d in range(week) for h in (0, 1))}
    # a school whose teachers are all free there is not restricted at all
    for name, school in live.items():
        mine = {t: per[name] for t, per in halves.items() if name in per}
        if all(len(halves[t]) == 1 for t in mine):
            assert restrict_school(school, mine) == school


def test_a_teacher_whose_half_days_cannot_be_shared_keeps_out_only_their_schools(
        trio_dir: Path) -> None:
    district = read_district(trio_dir)
    schools = load_schools(district)
    t = district.itinerant[-1]
    i = len(district.itinerant) - 1
    a = schools[t.schools[0]]
    schools[a.name] = away_all_week(a, t.name)
    halves, errors = share_half_days(district, schools)
    assert set(errors) >= set(t.schools)
    assert all(f"itinerant[{i}]" in str(errors[n]) and t.name in str(errors[n])
               for n in t.schools)
    assert all(n not in per for per in halves.values() for n in errors)


def test_unreachable_scheduler_fails_fast_and_writes_nothing(pair_dir: Path,
                                                              tmp_path: Path) -> None:
    import time

    out = tmp_path / "out"
    t0 = time.perf_counter()
    with pytest.raises(InputError) as info:
        solve_district(pair_dir, out, scheduler="tcp://127.0.0.1:1", connect_timeout=1.0,
                       time_limit_per_school=LIMIT)
    assert time.perf_counter() - t0 < 15
    text = str(info.value)
    assert "--scheduler" in text and "tcp://127.0.0.1:1" in text and "refused" in text, text
    assert not out.exists()


def test_a_server_that_is_not_dask_is_not_waited_for(pair_dir: Path, tmp_path: Path) -> None:
    import socket

    server = socket.create_server(("127.0.0.1", 0))   # accepts, never answers
    port = server.getsockname()[1]
    out = tmp_path / "out"
    try:
        with pytest.raises(InputError, match="no Dask answer"):
            solve_district(pair_dir, out, scheduler=f"tcp://127.0.0.1:{port}",
                           connect_timeout=1.0, time_limit_per_school=LIMIT)
    finally:
        server.close()
    assert not out.exists()


def _corrupt(folder: Path, file: str) -> None:
    path = folder / file
    path.write_text(path.read_text(encoding="utf-8") + "\nteachers: [unclosed\n",
                    encoding="utf-8")


def test_a_broken_school_file_is_reported_and_the_others_are_solved(trio_dir: Path,
                                                                     tmp_path: Path) -> None:
    from jianfu.models.district_check import format_district_verdict

    folder = tmp_path / "district"
    shutil.copytree(trio_dir, folder)
    district = read_district(folder)
    broken = _most_shared(district)
    entry = district.schools[district.school_index[broken]]
    _corrupt(folder, entry.file)

    out = tmp_path / "out"
    events = []
    run = solve_district(folder, out, workers=2, time_limit_per_school=LIMIT,
                         progress=events.append, tick=0.5)
    by_name = {o.name: o for o in run.outcomes}
    bad = by_name[broken]
    assert bad.status == "BAD_INPUT" and not bad.solved and run.failed == (bad,)
    assert entry.file in bad.reason and "YAML" in bad.reason and "bad input" in bad.reason
    assert not run.ok
    for o in run.outcomes:
        if o.name != broken:
            assert o.solved and o.hard_violations == 0, (o.name, o.status, o.reason)
            assert (output_dir_of(out, district, o.name) / "quotas.csv").is_file()
    assert not output_dir_of(out, district, broken).exists()
    assert events[-1].total == 3 and events[-1].done == 3 and events[-1].failed == 1
    rows = {r["school"]: r for r in _summary_rows(out / "summary.csv")}
    assert set(rows) == {s.name for s in district.schools}
    assert rows[broken]["status"] == "BAD_INPUT" and rows[broken]["reason"] == bad.reason
    # its itinerant teachers teach only in their other schools
    halves = json.loads((out / "itinerant.json").read_text(encoding="utf-8"))
    assert all(broken not in per for per in halves.values())

    verdict = check_district_outputs(folder, out)
    assert not verdict.compliant and verdict.cross == ()
    assert verdict.hard_by_rule == {"school_not_checked": 1}
    assert [v.name for v in verdict.schools] == [s.name for s in district.schools]
    (skipped,) = [v for v in verdict.schools if v.not_checked]
    assert skipped.name == broken and entry.file in skipped.reason
    assert "not checked" in format_district_verdict(verdict)
    # a timetable.json that does not read: that school is not checked either
    good = next(s.name for s in district.schools if s.name != broken)
    (output_dir_of(out, district, good) / "timetable.json").write_text("{", encoding="utf-8")
    verdict = check_district_outputs(folder, out)
    assert verdict.hard_by_rule.get("school_not_checked") == 2
    assert next(v for v in verdict.schools if v.name == good).reason


@pytest.mark.slow
def test_mixed_district_end_to_end(tmp_path: Path) -> None:
    """A generated mix (town, junior, nine-year and rural schools sharing 走教 teachers)
    is solved, allocated and passes the district checker."""
    district, schools = generate_district(6, 2)
    folder = tmp_path / "district"
    write_generated_district(folder, district, schools)
    run = solve_district(folder, tmp_path / "out", workers=2, time_limit_per_school=40)
    assert run.ok, [(o.name, o.status, o.reason) for o in run.outcomes]
    assert run.homework is not None and run.homework.calls == 1
    verdict = check_district_outputs(folder, tmp_path / "out")
    assert verdict.compliant and verdict.cross == ()


def _pe_itinerant(seed: int):
    district, schools = generate_district(2, seed, layout=PAIR)
    for t in district.itinerant:
        for n in t.schools:
            s = schools[n]
            k = s.teacher_index[t.name]
            if any(s.subjects[s.requirements[q].subject].is_pe for q in s.requirements_of_teacher[k]):
                return dataclasses.replace(district, itinerant=(t,)), schools, t
    raise AssertionError("no shared PE teacher")   # pragma: no cover - seed 1 has one


def test_daily_pe_school_gets_the_teacher_every_day() -> None:
    district, schools, t = _pe_itinerant(1)
    daily = t.schools[1]
    schools[daily] = dataclasses.replace(schools[daily], policy_overrides=(("daily_pe", True),))
    with pytest.raises(InputError, match="cannot hold"):   # 70 % is too tight here
        assign_itinerant(district, schools)
    halves = assign_itinerant(district, schools, ratio=0.9)[t.name]
    assert {d for d, _ in halves[daily]} == set(range(len(schools[daily].days)))
    assert not set(halves[t.schools[0]]) & set(halves[t.schools[1]])


def test_daily_pe_in_both_schools_without_room_is_explained() -> None:
    district, schools, t = _pe_itinerant(1)
    for n in t.schools:
        schools[n] = dataclasses.replace(schools[n], policy_overrides=(("daily_pe", True),))
    with pytest.raises(InputError, match="daily PE"):
        assign_itinerant(district, schools)


def test_generator_keeps_pe_teachers_home_under_daily_pe() -> None:
    from jianfu.models.policy import load_policy

    policy = load_policy("guangdong-2025")
    district, schools = generate_district(3, 5, policy, layout=[("rural", 1)] * 3)
    assert district.itinerant and district.profile == "guangdong-2025"
    for t in district.itinerant:
        for n in t.schools:
            s = schools[n]
            k = s.teacher_index[t.name]
            assert not any(s.subjects[s.requirements[q].subject].is_pe
                           for q in s.requirements_of_teacher[k])


def _die_for(victim: str, name, school, time_limit, cp_workers, seed):
    """A task whose worker process dies (a segfault, the OOM killer) on one school."""
    import os

    from jianfu.solver.district import _solve_task

    if name == victim:
        os._exit(13)
    return _solve_task(name, school, time_limit, cp_workers, seed)


@pytest.mark.slow
def test_a_dying_worker_fails_only_its_school(pair_dir: Path, tmp_path: Path) -> None:
    import functools
    import sys

    import cloudpickle

    district = read_district(pair_dir)
    victim = district.schools[0].name
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        run = solve_district(pair_dir, tmp_path / "out", workers=2, time_limit_per_school=LIMIT,
                             task=functools.partial(_die_for, victim))
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    by_name = {o.name: o for o in run.outcomes}
    assert by_name[victim].status == "FAILED" and "KilledWorker" in by_name[victim].reason
    assert by_name[district.schools[1].name].solved


def test_a_timetable_the_checker_rejects_is_never_written(monkeypatch, tmp_path) -> None:
    from jianfu.instances.generator import generate_school
    from jianfu.models.policy import load_policy
    from jianfu.models.violation import Violation
    from jianfu.solver import checked
    from jianfu.solver.district import _solve_task, _write_school

    school = generate_school("primary", 1, 1, load_policy("national"))
    planted = Violation("teacher_clash", True, "planted 植入", 1)
    monkeypatch.setattr(checked, "check", lambda *args, **kw: [planted])
    data = _solve_task(school.name, school, 10.0, 1, 0)
    assert data["status"] == "FAILED" and "planted" in data["reason"]
    assert data["timetable"] is None
    _write_school(tmp_path, school, data, "f")
    assert not (tmp_path / "timetable.json").exists()
    assert json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))["status"] == "FAILED"


def test_budgets_follow_school_size_within_bounds() -> None:
    from jianfu.solver.district import school_budgets

    got = school_budgets(60.0, {"small": 100, "mid": 300, "big": 600, "huge": 2000})
    # median 450: 100/450 → floor 0.5; 300/450 → 2/3; 600/450 → 4/3; 2000/450 → cap 2
    assert got == {"small": 30.0, "mid": 40.0, "big": 80.0, "huge": 120.0}
    assert school_budgets(60.0, {}) == {}


def test_a_school_without_a_timetable_gets_a_second_longer_attempt(monkeypatch) -> None:
    from jianfu.instances.generator import generate_school
    from jianfu.models.policy import load_policy
    from jianfu.solver import checked
    from jianfu.solver.district import RESCUE_FACTOR, _solve_task
    from jianfu.solver.result import Status

    school = generate_school("primary", 1, 1, load_policy("national"))
    real = checked.solve_checked
    calls = []

    def first_fails(s, *, time_limit, workers, seed):
        calls.append((time_limit, seed))
        run = real(s, time_limit=time_limit, workers=workers, seed=seed)
        if len(calls) == 1:   # as if the first attempt had found nothing in its time
            return dataclasses.replace(run, result=dataclasses.replace(
                run.result, status=Status.UNKNOWN, solution=None, time_to_first=None,
                runtime=5.0))
        return run
    monkeypatch.setattr(checked, "solve_checked", first_fails)
    data = _solve_task(school.name, school, 5.0, 1, 3)
    assert calls == [(5.0, 3), (5.0 * RESCUE_FACTOR, 4)]
    assert data["rescued"] and data["status"] in ("OPTIMAL", "FEASIBLE")
    assert data["time_to_first"] >= 5.0 and data["runtime"] >= 5.0
