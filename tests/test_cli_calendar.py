"""`jianfu export --format ics` with the school calendar (校历), and `solve`'s output off a
terminal (no live line)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from jianfu.cli import main

SECTION = """\
calendar:
  term: 2026–2027学年第一学期
  start: 2026-09-28
  end: 2026-10-16
  holidays:
    - {from: 2026-10-01, to: 2026-10-07, name: 国庆节}
  makeup:
    - {date: 2026-10-10, follows: 周五, name: 国庆调休}
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A small school with a calendar: section, solved once (output captured)."""
    import contextlib
    import io

    here = tmp_path_factory.mktemp("calendar")
    school = here / "school.yaml"
    assert main(["generate", "school", "--preset", "primary", "--classes-per-grade", "1",
                 "--seed", "1", "-o", str(school)]) == 0
    school.write_text(school.read_text(encoding="utf-8") + SECTION, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["solve", str(school), "--time-limit", "8", "--workers", "1",
                     "-o", str(here / "out")])
    assert code == 0, err.getvalue()
    return {"dir": here, "stdout": out.getvalue(), "stderr": err.getvalue()}


def _dates(path: Path) -> set[date]:
    cal = Calendar.from_ical(path.read_bytes())
    return {ev.decoded("dtstart").date() for ev in cal.walk("VEVENT")
            if "放假" not in str(ev["SUMMARY"])}


def test_solve_off_a_terminal_writes_no_live_line(solved):
    assert "\r" not in solved["stdout"] + solved["stderr"]
    assert "已用" not in solved["stderr"] and "solving" in solved["stdout"]


def test_solve_keeps_the_school_files_calendar_and_export_uses_it(capsys, solved, tmp_path):
    out = Path(shutil.copytree(solved["dir"] / "out", tmp_path / "out"))
    assert (out / "calendar.yaml").is_file()
    code, text, _ = run(capsys, "export", out, "--format", "ics")
    assert code == 0
    assert f"日历 calendars: 校历 calendar {out / 'calendar.yaml'} — 2026–2027学年第一学期：" \
           "2026-09-28 至 2026-10-16" in text
    assert "10月10日周六上周五的课" in text and "calendars/" in text and "日历" in text
    dates = set().union(*(_dates(p) for p in (out / "calendars").glob("班级-*.ics")))
    assert date(2026, 10, 10) in dates                      # the make-up Saturday
    assert not {date(2026, 10, d) for d in range(1, 8)} & dates   # 国庆 (series start after)


def test_export_without_a_term_says_which_it_assumed(capsys, solved, tmp_path):
    out = Path(shutil.copytree(solved["dir"] / "out", tmp_path / "out"))
    (out / "calendar.yaml").unlink()
    code, text, _ = run(capsys, "export", out, "--format", "ics")
    assert code == 0
    assert f"未给学期 no term given：按今天 {date.today().isoformat()} 推定" in text
    assert "--calendar 校历.yaml" in text
    assert len(list((out / "calendars").glob("*.ics"))) > 0


def test_export_with_a_calendar_file(capsys, solved, tmp_path):
    out = Path(shutil.copytree(solved["dir"] / "out", tmp_path / "out"))
    own = tmp_path / "校历.yaml"
    own.write_text("start: 2026-09-01\nend: 2026-09-30\nmakeup:\n"
                   "  - {date: 2026-09-26, follows: 周一}\n", encoding="utf-8")
    code, text, _ = run(capsys, "export", out, "--format", "ics", "--calendar", own)
    assert code == 0 and f"校历 calendar {own}" in text and "9月26日周六上周一的课" in text
    dates = set().union(*(_dates(p) for p in (out / "calendars").glob("班级-*.ics")))
    assert date(2026, 9, 26) in dates and date(2026, 9, 25) not in dates   # 中秋 (built in)


@pytest.mark.parametrize("content, args, words", [
    ("start: 2026-09-01\nend: 2026-09-30\nmakeup:\n  - {date: 2026-09-26, follows: 周八}\n",
     (), ["makeup[0].follows", "'周八'"]),
    ("start: 2026-09-01\nend: 2026-02-30\n", (), ["end", "'2026-02-30'"]),
    ("start: 2026-09-01\nend: 2026-09-30\n", ("--term-end", "2026-08-01"),
     ["end", "'2026-08-01'"]),
])
def test_a_bad_calendar_exits_2_naming_file_field_and_value(capsys, solved, tmp_path,
                                                           content, args, words):
    out = Path(shutil.copytree(solved["dir"] / "out", tmp_path / "out"))
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "export", out, "--format", "ics", "--calendar", bad, *args)
    assert code == 2 and str(bad) in err and all(w in err for w in words), err
    assert not (out / "calendars").exists()          # nothing written


def test_a_bad_term_date_exits_2(capsys, solved, tmp_path):
    out = Path(shutil.copytree(solved["dir"] / "out", tmp_path / "out"))
    code, _, err = run(capsys, "export", out, "--format", "ics", "--term-start", "9月1日")
    assert code == 2 and "--term-start" in err and "'9月1日'" in err
