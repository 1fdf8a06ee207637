"""Homework CSV files: round trips, and bad rows named by file, line and value."""

from __future__ import annotations

import datetime as dt

import pytest

from jianfu.instances.homework_io import (read_log, read_quotas, read_requests, write_log,
                                          write_quotas, write_requests)
from jianfu.models.errors import InputError
from jianfu.models.homework import HomeworkEntry, LogRow
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
    days, entries, oral = read_quotas(path, school)
    assert days == plan.days
    assert tuple(sorted(entries)) == plan.entries and oral == []
    path.write_text("class,day,subject,minutes\n3年级1班,周八,语文,10\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2, column day"):
        read_quotas(path, school)


def test_old_logs_without_kind_read_as_before(tmp_path, school) -> None:
    path = tmp_path / "old.csv"
    path.write_text("日期,班级,学科,分钟\n2026-11-16,3年级1班,语文,75\n2026-11-17,7年级1班,数学,30\n",
                    encoding="utf-8")
    rows = read_log(path, school)
    zh, ma = school.subject_index["语文"], school.subject_index["数学"]
    assert rows == [LogRow(dt.date(2026, 11, 16), 0, zh, 75.0, 2),
                    LogRow(dt.date(2026, 11, 17), 1, ma, 30.0, 3)]
    assert not any(r.oral for r in rows)
    result = audit_log(school, school.policy(), rows)
    assert [(a.cls, a.label) for a in result.over_cap] == [(0, "2026-11-16")]
    assert result.violations == ()


def test_log_kind_column_marks_oral_rows(tmp_path) -> None:
    lower = homework_school((1, 3))
    path = tmp_path / "log.csv"
    path.write_text("date,class,subject,minutes,kind\n2026-11-16,1年级1班,语文,10,口头\n"
                    "2026-11-16,1年级1班,数学,5,practical\n2026-11-16,3年级1班,语文,30,\n"
                    "2026-11-17,3年级1班,语文,30,书面\n", encoding="utf-8")
    rows = read_log(path, lower)
    assert [r.oral for r in rows] == [True, True, False, False]
    write_log(tmp_path / "back.csv", lower, rows)
    assert read_log(tmp_path / "back.csv", lower) == rows
    assert "口头" in (tmp_path / "back.csv").read_text(encoding="utf-8")
    path.write_text("date,class,subject,minutes,类型\n2026-11-16,1年级1班,语文,10,背诵\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_log(path, lower)
    assert err.value.where == f"{path}: line 2, column kind" and err.value.value == "背诵"


def test_quotas_with_oral_rows_round_trip(tmp_path) -> None:
    from jianfu.instances.homework_io import read_quota_sheet
    from jianfu.solver.homework.plan import plan_homework

    lower = homework_school((1, 3), "chengnan")
    plan = plan_homework(lower, round_robin_timetable(lower))
    assert plan.oral
    path = tmp_path / "quotas.csv"
    write_quotas(path, plan)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")           # Excel sees UTF-8
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "班级 class,星期 day,学科 subject,分钟 minutes,类型 kind"
    assert ",口头" in text and ",书面" in text
    days, entries, oral = read_quotas(path, lower)
    assert tuple(entries) == plan.entries and tuple(oral) == plan.oral
    sheet = read_quota_sheet(path, lower)
    assert sheet.rows() == plan.rows() and sheet.oral_rows() == plan.oral_rows()
    # a file without the kind column is all written homework
    path.write_text("class,day,subject,minutes\n3年级1班,周一,语文,10\n", encoding="utf-8")
    zh = lower.subject_index["语文"]
    assert read_quotas(path, lower)[1:] == ([HomeworkEntry(1, 0, zh, 10)], [])


def test_every_homework_csv_has_a_bom_and_chinese_first_headers(tmp_path, school) -> None:
    zh = school.subject_index["语文"]
    write_requests(tmp_path / "r.csv", school, {(0, zh): 100.0})
    write_log(tmp_path / "l.csv", school, [LogRow(dt.date(2026, 11, 16), 0, zh, 20.0, 2)])
    heads = {}
    for name in ("r.csv", "l.csv"):
        data = (tmp_path / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), name
        heads[name] = data[3:].decode("utf-8").splitlines()[0]
    assert heads == {"r.csv": "班级 class,学科 subject,每周分钟 weekly_minutes",
                     "l.csv": "日期 date,班级 class,学科 subject,分钟 minutes,类型 kind"}
    assert read_requests(tmp_path / "r.csv", school) == {(0, zh): 100.0}
    assert [r.minutes for r in read_log(tmp_path / "l.csv", school)] == [20.0]


@pytest.mark.parametrize("head", ["class,day,subject,minutes,kind", "班级,星期,学科,分钟,类型",
                                  "班级 class,星期 day,学科 subject,分钟 minutes,类型 kind",
                                  "\ufeff班级 class,星期 day,学科 subject,分钟 minutes,类型 kind"])
def test_quotas_of_every_header_style_read_the_same(tmp_path, school, head) -> None:
    path = tmp_path / "q.csv"
    path.write_text(f"{head}\n3年级1班,周二,语文,15,书面\n", encoding="utf-8")
    assert read_quotas(path, school)[1:] == (
        [HomeworkEntry(0, 1, school.subject_index["语文"], 15)], [])


def test_a_bilingual_header_still_names_a_missing_column(tmp_path, school) -> None:
    path = tmp_path / "q.csv"
    path.write_text("班级 class,星期 day,学科 subject\n3年级1班,周二,语文\n", encoding="utf-8")
    with pytest.raises(InputError, match="minutes"):
        read_quotas(path, school)
