"""Homework CSV files: round trips, and bad rows named by file, line and value."""

from __future__ import annotations

import datetime as dt

import pytest

from jianfu.instances.homework_io import (read_log, read_quotas, read_requests, write_log,
                                          write_quotas, write_requests)
from jianfu.models.errors import InputError
from jianfu.models.homework import LogRow
from jianfu.models.homework_check import audit_log

from builders import homework_school, round_robin_timetable


@pytest.fixture(scope="module")
def school():
    return homework_school((3, 7))


def test_requests_round_trip(tmp_path, school) -> None:
    zh, ma = school.subject_index["语文"], school.subject_index["数学"]
    asked = {(0, zh): 120.0, (1, ma): 87.5}
    path = tmp_path / "requests.csv"
    write_requests(path, school, asked)
    assert read_requests(path, school) == asked


def test_requests_accept_chinese_headers_and_bom(tmp_path, school) -> None:
    path = tmp_path / "r.csv"
    path.write_text("\ufeff班级,学科,每周分钟\n3年级1班,语文,100\n", encoding="utf-8")
    assert read_requests(path, school) == {(0, school.subject_index["语文"]): 100.0}


@pytest.mark.parametrize("body, where, value", [
    ("3年级9班,语文,100", "line 3, column class", "3年级9班"),
    ("3年级1班,书法,100", "line 3, column subject", "书法"),
    ("3年级1班,音乐,100", "line 3, column subject", "音乐"),          # no written homework
    ("3年级1班,数学,lots", "line 3, column weekly_minutes", "lots"),
    ("3年级1班,数学,-5", "line 3, column weekly_minutes", "-5"),
    ("3年级1班,语文,20", "line 3", "3年级1班/语文"),                   # twice
])
def test_bad_request_rows_name_file_line_and_value(tmp_path, school, body, where, value) -> None:
    path = tmp_path / "requests.csv"
    path.write_text(f"class,subject,weekly_minutes\n3年级1班,语文,100\n{body}\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_requests(path, school)
    assert err.value.where == f"{path}: {where}"
    assert err.value.value == value
    assert str(path) in str(err.value)


def test_missing_column_and_missing_file(tmp_path, school) -> None:
    path = tmp_path / "r.csv"
    path.write_text("class,subject\n3年级1班,语文\n", encoding="utf-8")
    with pytest.raises(InputError, match="weekly_minutes"):
        read_requests(path, school)
    with pytest.raises(InputError, match="nope.csv: 文件不存在 file not found"):
        read_requests(tmp_path / "nope.csv", school)


def test_log_round_trip_and_audit(tmp_path, school) -> None:
    zh = school.subject_index["语文"]
    rows = [LogRow(dt.date(2026, 11, 16), 0, zh, 75.0, 2),
            LogRow(dt.date(2026, 11, 17), 1, zh, 30.0, 3)]
    path = tmp_path / "log.csv"
    write_log(path, school, rows)
    back = read_log(path, school)
    assert back == rows
    result = audit_log(school, school.policy(), back)
    assert [(a.cls, a.label) for a in result.over_cap] == [(0, "2026-11-16")]


@pytest.mark.parametrize("body, where, value", [
    ("2026-11-16,9年级9班,语文,30", "line 3, column class", "9年级9班"),
    ("2026-11-16,3年级1班,体育,30", "line 3, column subject", "体育"),
    ("2026-13-01,3年级1班,语文,30", "line 3, column date", "2026-13-01"),
    ("2026-11-16,3年级1班,语文,abc", "line 3, column minutes", "abc"),
])
def test_bad_log_rows_name_file_line_and_value(tmp_path, school, body, where, value) -> None:
    path = tmp_path / "log.csv"
    path.write_text(f"date,class,subject,minutes\n2026-11-16,3年级1班,语文,30\n{body}\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_log(path, school)
    assert err.value.where == f"{path}: {where}"
    assert err.value.value == value


def test_quotas_round_trip(tmp_path, school) -> None:
    from jianfu.solver.homework.plan import plan_homework

    plan = plan_homework(school, round_robin_timetable(school))
    path = tmp_path / "quotas.csv"
    write_quotas(path, plan)
    days, entries = read_quotas(path, school)
    assert days == plan.days
    assert tuple(sorted(entries)) == plan.entries
    path.write_text("class,day,subject,minutes\n3年级1班,周八,语文,10\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2, column day"):
        read_quotas(path, school)
