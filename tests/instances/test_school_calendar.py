"""The school-calendar file (校历) and how `export` picks the term."""

from __future__ import annotations

from datetime import date

import pytest

from jianfu.instances.school_calendar import (
    CALENDAR_FILE, carry_calendar, read_calendar, resolve_calendar)
from jianfu.instances.schoolfile import read_school
from jianfu.models.errors import InputError

CALENDAR = """\
term: 2026–2027学年第一学期
start: 2026-09-01
end: 2027-01-22
holidays:
  - {from: 2026-10-01, to: 2026-10-07, name: 国庆节}
  - 2026-11-13
  - "2027年1月18日 ~ 2027年1月19日"
makeup:
  - {date: 2026-09-20, follows: 周四, name: 国庆调休}
  - {date: 2026-10-10, follows: Fri}
"""


def _write(tmp_path, text, name="校历.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_calendar(tmp_path):
    cal = read_calendar(_write(tmp_path, CALENDAR))
    assert (cal.start, cal.end, cal.name) == (date(2026, 9, 1), date(2027, 1, 22),
                                              "2026–2027学年第一学期")
    assert [(m.date, m.follows, m.name) for m in cal.makeup] == [
        (date(2026, 9, 20), 3, "国庆调休"), (date(2026, 10, 10), 4, "")]
    # the file's holidays, then the built-in ones of the term (中秋, 国庆 1–7 Oct, 元旦)
    assert [(h.name, h.start, h.end) for h in cal.holidays] == [
        ("国庆节", date(2026, 10, 1), date(2026, 10, 7)),
        ("", date(2026, 11, 13), date(2026, 11, 13)),
        ("", date(2027, 1, 18), date(2027, 1, 19)),
        ("中秋节", date(2026, 9, 25), date(2026, 9, 25)),
        ("国庆节", date(2026, 10, 1), date(2026, 10, 7)),
        ("元旦", date(2027, 1, 1), date(2027, 1, 1))]
    assert cal.day_of(date(2026, 9, 25)) is None and cal.day_of(date(2026, 10, 10)) == 4


def test_national_holidays_can_be_left_out_and_a_make_up_day_wins_over_them(tmp_path):
    cal = read_calendar(_write(tmp_path, "start: 2026-09-01\nend: 2026-10-31\n"
                                         "national_holidays: false\n"))
    assert cal.holidays == () and cal.day_of(date(2026, 10, 1)) == 3
    # a school that teaches on 中秋 (a Friday): its make-up day is a school day
    cal = read_calendar(_write(tmp_path, "start: 2026-09-01\nend: 2026-10-31\nmakeup:\n"
                                         "  - {date: 2026-09-25, follows: 周一}\n"))
    assert cal.day_of(date(2026, 9, 25)) == 0 and cal.day_of(date(2026, 10, 2)) is None


def test_a_school_file_calendar_section(tmp_path, example_school_yaml):
    text = example_school_yaml + "calendar:\n  start: 2026-09-01\n  end: 2026-12-31\n" \
        "  makeup:\n    - {date: 2026-10-10, follows: 周五}\n"
    school_file = _write(tmp_path, text, "school.yaml")
    assert read_school(school_file).name     # the school reader accepts the section
    cal = read_calendar(school_file)
    assert cal.end == date(2026, 12, 31) and cal.day_of(date(2026, 10, 10)) == 4
    kept = carry_calendar(school_file, tmp_path / "out")
    assert kept == tmp_path / "out" / CALENDAR_FILE
    assert read_calendar(kept) == cal
    # the school reader checks the section too
    bad = _write(tmp_path, example_school_yaml + "calendar:\n  start: 2026-09-01\n"
                                                 "  end: 2026-02-30\n", "bad.yaml")
    with pytest.raises(InputError) as err:
        read_school(bad)
    assert (err.value.where, err.value.value) == (f"{bad}: calendar: end", "2026-02-30")


@pytest.mark.parametrize("text, where, value", [
    ("start: 2026-09-01\n", "end", ""),
    ("start: 2026-09-01\nend: 2026-13-01\n", "end", "2026-13-01"),
    ("start: 2026-09-01\nend: 2027-01-22\nholiday: []\n", "holiday", "holiday"),
    ("start: 2026-09-01\nend: 2027-01-22\nholidays: [2026-10-32]\n", "holidays[0]",
     "2026-10-32"),
    ("start: 2026-09-01\nend: 2027-01-22\nholidays:\n  - {from: 2026-10-07, to: 2026-10-01}\n",
     "holidays[0].to", "2026-10-01"),
    ("start: 2026-09-01\nend: 2027-01-22\nmakeup:\n  - {date: 2026-10-10, follows: 周八}\n",
     "makeup[0].follows", "周八"),
    ("start: 2026-09-01\nend: 2027-01-22\nmakeup:\n  - {date: 2026-10-10}\n",
     "makeup[0].follows", ""),
    ("start: 2026-09-01\nend: 2027-01-22\nmakeup:\n  - {date: 2027-02-20, follows: 周一}\n",
     "makeup[0].date", "2027-02-20"),
    ("start: 2026-09-01\nend: 2026-08-01\n", "end", "2026-08-01"),
    ("start: 2026-09-01\nend: 2027-01-22\nnational_holidays: 是\n", "national_holidays", "是"),
])
def test_bad_calendar_files_name_file_field_and_value(tmp_path, text, where, value):
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as err:
        read_calendar(path)
    assert err.value.where == f"{path}: {where}"
    assert str(err.value.value) == value


def test_resolve_prefers_the_calendar_file_then_the_kept_one_then_the_school_file(
        tmp_path, example_school_yaml):
    own = _write(tmp_path, CALENDAR)
    cal, note = resolve_calendar(calendar_file=own, folder=tmp_path)
    assert cal.name == "2026–2027学年第一学期" and note.startswith(f"校历 calendar {own} — ")
    assert "10月10日周六上周五的课" in note
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / CALENDAR_FILE).write_text("start: 2026-09-07\nend: 2026-12-31\n", encoding="utf-8")
    school = _write(tmp_path, example_school_yaml + "calendar:\n  start: 2026-09-02\n"
                                                    "  end: 2026-12-31\n", "school.yaml")
    assert resolve_calendar(folder=folder, school_file=school)[0].start == date(2026, 9, 7)
    assert resolve_calendar(folder=tmp_path, school_file=school)[0].start == date(2026, 9, 2)
    # dates given replace the calendar's
    cal, _ = resolve_calendar(calendar_file=own, term_end="2026-12-25")
    assert (cal.start, cal.end) == (date(2026, 9, 1), date(2026, 12, 25))
    assert [m.date for m in cal.makeup] == [date(2026, 9, 20), date(2026, 10, 10)]


def test_resolve_without_a_calendar_says_which_term_it_assumed():
    cal, note = resolve_calendar(today=date(2026, 12, 2))
    assert (cal.start, cal.end) == (date(2026, 9, 1), date(2027, 1, 22))
    assert note.startswith("未给学期 no term given：按 2026-12-02 所在学期推定 assumed around "
                           "2026-12-02 — 2026–2027学年第一学期（秋季）：2026-09-01 至 2027-01-22；")
    assert "--calendar" in note and "--term-start/--term-end" in note
    cal, note = resolve_calendar(term_start="2026-09-07", term_end="2027-01-15")
    assert (cal.start, cal.end) == (date(2026, 9, 7), date(2027, 1, 15))
    assert cal.day_of(date(2026, 10, 1)) is None and cal.day_of(date(2026, 10, 5)) is None \
        and cal.day_of(date(2026, 10, 8)) == 3
    cal, _ = resolve_calendar(term_start="2026-09-07", today=date(2026, 12, 2))
    assert (cal.start, cal.end) == (date(2026, 9, 7), date(2027, 1, 22))


@pytest.mark.parametrize("kwargs, where, value", [
    ({"term_start": "2026-9-x", "term_end": "2027-01-15"}, "--term-start", "2026-9-x"),
    ({"term_start": "2026-09-07", "term_end": "2026-09-01"}, "--term-end", "2026-09-01"),
])
def test_bad_term_flags(kwargs, where, value):
    with pytest.raises(InputError) as err:
        resolve_calendar(**kwargs)
    assert (err.value.where, err.value.value) == (where, value)


def test_a_school_file_without_a_section_is_not_a_calendar(tmp_path, example_school_yaml):
    path = _write(tmp_path, example_school_yaml, "school.yaml")
    with pytest.raises(InputError) as err:
        read_calendar(path)
    assert err.value.where == str(path) and "calendar:" in err.value.problem
