"""Bad, hostile and impossible input through the CLI: the exit code, the words the message
must name, no traceback, and what is left on disk.

Each case is one class of failure a clerk meets (issue #15). Most run ``main()`` in
process (fast); the install-free checks that need a real process (a signal, stderr
without any test harness) run the command as a subprocess.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from jianfu.cli import main
from jianfu.models.textfile import load_yaml

ROOT = Path(__file__).resolve().parents[1]
FET = ROOT / "tests" / "instances" / "data" / "fet" / "small.fet"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small school solved once: school.yaml and out/ (timetable, report, school copy)."""
    here = tmp_path_factory.mktemp("solved")
    assert main(["generate", "school", "--preset", "primary", "--classes-per-grade", "1",
                 "--seed", "1", "-o", str(here / "school.yaml")]) == 0
    assert main(["solve", str(here / "school.yaml"), "--time-limit", "10", "--workers", "1",
                 "-o", str(here / "out")]) == 0
    return here


@pytest.fixture()
def school(solved: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(solved / "school.yaml", tmp_path / "school.yaml"))


# --- output places --------------------------------------------------------------------

def test_output_that_is_a_file_fails_before_the_search(capsys, school, tmp_path) -> None:
    target = tmp_path / "taken"
    target.write_text("mine", encoding="utf-8")
    code, out, err = run(capsys, "solve", school, "-o", target)
    assert code == 2 and "taken" in err and "this is a file" in err
    assert "solving" not in out                  # refused before any work
    assert target.read_text(encoding="utf-8") == "mine"


def test_output_folder_of_other_files_is_refused(capsys, school, tmp_path) -> None:
    folder = tmp_path / "Desktop"
    folder.mkdir()
    (folder / "notes.docx").write_text("x", encoding="utf-8")
    code, _, err = run(capsys, "solve", school, "-o", folder)
    assert code == 2 and "holds other files" in err
    assert [p.name for p in folder.iterdir()] == ["notes.docx"]


def test_unwritable_output_is_bad_input(capsys, school) -> None:
    code, _, err = run(capsys, "solve", school, "-o", "/proc/jianfu-no/out")
    assert code == 2 and "/proc/jianfu-no/out" in err and "cannot write here" in err


@pytest.mark.parametrize("argv", [
    ("generate", "school", "-o", "{dir}"),
    ("template", "{dir}.xlsx"),
    ("homework", "plan", "{school}", "--timetable", "{timetable}", "-o", "{dir}"),
])
def test_a_folder_where_a_file_is_wanted(capsys, solved, tmp_path, argv) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    Path(f"{folder}.xlsx").mkdir()
    args = [a.format(dir=folder, school=solved / "school.yaml",
                     timetable=solved / "out" / "timetable.json") for a in argv]
    code, _, err = run(capsys, *args)
    assert code == 2 and "this is a folder" in err


def test_failed_resolve_leaves_the_previous_run_untouched(capsys, solved, tmp_path) -> None:
    out = Path(shutil.copytree(solved / "out", tmp_path / "out"))
    (out / "quotas.csv").write_text("old", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    impossible = tmp_path / "impossible.yaml"
    data = load_yaml((solved / "school.yaml").read_text(encoding="utf-8"))
    # a teacher away all week: proven infeasible by counting
    data["teachers"][0]["unavailable"] = list(data["days"])
    impossible.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, _, err = run(capsys, "solve", impossible, "--time-limit", "5", "-o", out)
    assert code == 3
    assert "left as it was" in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # no staging left


def test_resolve_replaces_the_whole_set(capsys, solved, tmp_path) -> None:
    out = Path(shutil.copytree(solved / "out", tmp_path / "out"))
    (out / "quotas.csv").write_text("stale", encoding="utf-8")
    code, _, _ = run(capsys, "solve", solved / "school.yaml", "--time-limit", "5",
                     "--workers", "1", "-o", out)
    assert code == 0
    assert sorted(p.name for p in out.iterdir()) == ["report.txt", "school.yaml", "timetable.json"]


def test_export_refuses_a_timetable_of_another_school(capsys, solved, tmp_path) -> None:
    out = Path(shutil.copytree(solved / "out", tmp_path / "out"))
    school = (out / "school.yaml").read_text(encoding="utf-8")
    (out / "school.yaml").write_text(school.replace("school: ", "school: 改名", 1),
                                     encoding="utf-8")
    code, _, err = run(capsys, "export", out, "--format", "csv")
    assert code == 2 and "not made for this school file" in err


# --- readers -------------------------------------------------------------------------

def test_school_file_problems_are_named(capsys, tmp_path, school) -> None:
    cases = {
        "empty.yaml": ("", "the file is empty"),
        "comments.yaml": ("# nothing yet\n\n", "no content"),
        "bad.yaml": ("school: [unclosed\n", "bad YAML"),
    }
    for name, (text, words) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        code, _, err = run(capsys, "solve", tmp_path / name, "-o", tmp_path / "o")
        assert code == 2 and name in err and words in err, err
    code, _, err = run(capsys, "solve", tmp_path, "-o", tmp_path / "o")
    assert code == 2 and "this is a folder, not a file" in err
    code, _, err = run(capsys, "solve", tmp_path / "none.yaml", "-o", tmp_path / "o")
    assert code == 2 and "none.yaml" in err and "file not found" in err
    assert not (tmp_path / "o").exists()


def test_duplicate_key_is_refused_with_both_lines(capsys, tmp_path, school) -> None:
    lines = school.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("school:"))
    doubled = tmp_path / "twice.yaml"
    doubled.write_text("\n".join(lines + [lines[first]]) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "check", doubled, tmp_path / "t.json")
    assert code == 2 and "twice.yaml" in err and "given twice" in err
    assert f"line {first + 1}" in err and f"line {len(lines) + 1}" in err


def test_a_huge_value_is_cut_in_the_message(capsys, tmp_path, school) -> None:
    text = school.read_text(encoding="utf-8")
    huge = tmp_path / "huge.yaml"
    huge.write_text(re.sub(r"(?m)^profile: .*$", "profile: " + "x" * 5000, text, count=1),
                    encoding="utf-8")
    code, _, err = run(capsys, "solve", huge, "-o", tmp_path / "o")
    assert code == 2 and "profile" in err and "5002" in err
    assert len(err) < 600


@pytest.mark.parametrize("option", [("--time-limit", "-5"), ("--time-limit", "soon"),
                                    ("--workers", "0"), ("--seed", "-1")])
def test_absurd_numbers_on_the_command_line(capsys, school, tmp_path, option) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["solve", str(school), *option, "-o", str(tmp_path / "o")])
    assert exit_.value.code == 2
    assert option[1] in capsys.readouterr().err


def test_gbk_school_and_bom_timetable_are_read(capsys, solved, tmp_path) -> None:
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes((solved / "school.yaml").read_text(encoding="utf-8").encode("gb18030"))
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + (solved / "out" / "timetable.json").read_bytes())
    code, out, err = run(capsys, "check", gbk, bom)
    assert code == 0 and "合规 COMPLIANT" in out
    assert "gbk.yaml" in err and "GBK" in err          # said, not silent


def test_gbk_homework_log_is_audited(capsys, solved, tmp_path) -> None:
    log = tmp_path / "log.csv"
    cls = load_yaml((solved / "school.yaml").read_text(encoding="utf-8"))["classes"][0]["name"]
    log.write_bytes(f"日期,班级,学科,分钟\n2026-09-01,{cls},语文,10\n".encode("gbk"))
    code, _, err = run(capsys, "homework", "audit", log, "--school", solved / "school.yaml")
    assert code in (0, 1) and "GBK" in err


def test_undecodable_text_says_so(capsys, tmp_path) -> None:
    bad = tmp_path / "bin.yaml"
    bad.write_bytes(b"school: \xff\xfe\xfa\x80\x81\n" * 3)
    code, _, err = run(capsys, "solve", bad, "-o", tmp_path / "o")
    assert code == 2 and "bin.yaml" in err and "save the file as UTF-8" in err


def test_workbook_missing_sheet_and_renamed_header(capsys, solved, tmp_path) -> None:
    book = tmp_path / "school.xlsx"
    assert main(["template", str(book)]) == 0
    wb = load_workbook(book)
    del wb["任课"], wb["任课表"]       # neither the matrix nor the row sheet
    wb.save(tmp_path / "nosheet.xlsx")
    code, _, err = run(capsys, "solve", tmp_path / "nosheet.xlsx", "-o", tmp_path / "o")
    assert code == 2 and "nosheet.xlsx" in err and "任课" in err and "missing sheet" in err
    wb = load_workbook(book)
    wb["教师"]["C1"], wb["教师"]["C2"] = "教的课", None
    wb.save(tmp_path / "header.xlsx")
    code, _, err = run(capsys, "solve", tmp_path / "header.xlsx", "-o", tmp_path / "o")
    assert code == 2 and "教师!C1" in err and "教的课" in err and "unknown header" in err
    (tmp_path / "fake.xlsx").write_text("not a workbook", encoding="utf-8")
    code, _, err = run(capsys, "solve", tmp_path / "fake.xlsx", "-o", tmp_path / "o")
    assert code == 2 and "not a valid .xlsx" in err


@pytest.mark.parametrize("mangle, words", [
    (lambda t: t.replace("<Duration>1</Duration>", "<Duration>one</Duration>", 1), "one"),
    (lambda t: t.replace("<Activity_Group_Id>0</Activity_Group_Id>",
                         "<Activity_Group_Id>x1</Activity_Group_Id>", 1), "x1"),
])
def test_fet_non_integer_fields(capsys, tmp_path, mangle, words) -> None:
    text = FET.read_text(encoding="utf-8")
    broken = tmp_path / "broken.fet"
    broken.write_text(mangle(text), encoding="utf-8")
    assert broken.read_text(encoding="utf-8") != text
    code, _, err = run(capsys, "solve", broken, "-o", tmp_path / "o")
    assert code == 2 and "broken.fet" in err and words in err


def test_fet_corrupt_archive(capsys, tmp_path) -> None:
    whole = gzip.compress(FET.read_bytes())
    (tmp_path / "cut.fet.gz").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "noise.fet.gz").write_bytes(os.urandom(300))
    for name in ("cut.fet.gz", "noise.fet.gz"):
        code, _, err = run(capsys, "solve", tmp_path / name, "-o", tmp_path / "o")
        assert code == 2 and name in err


# --- the error path itself ---------------------------------------------------------------

def test_a_bug_is_exit_70_in_one_line(capsys, monkeypatch) -> None:
    import jianfu.cli as cli

    def boom(args):
        raise RuntimeError("the solver's index 7 is out of range\nsecond line")

    monkeypatch.setattr(cli, "cmd_policy_list", boom)
    code, _, err = run(capsys, "policy", "list")
    assert code == 70
    assert err.strip().count("\n") == 0 and "run with -v" in err and "index 7" in err


def test_a_bug_with_verbose_shows_the_traceback(capsys, monkeypatch) -> None:
    import jianfu.cli as cli

    monkeypatch.setattr(cli, "cmd_policy_list", lambda args: 1 // 0)
    assert main(["-v", "policy", "list"]) == 70
    assert "Traceback" in capsys.readouterr().err


# --- real processes --------------------------------------------------------------------

def _command(*argv: str | Path) -> list[str]:
    return [sys.executable, str(ROOT / "cli.py"), *map(str, argv)]


UNBUFFERED = {**os.environ, "PYTHONUNBUFFERED": "1"}


def test_subprocess_bad_input_has_no_traceback(tmp_path) -> None:
    (tmp_path / "empty.yaml").write_text("", encoding="utf-8")
    done = subprocess.run(_command("solve", tmp_path / "empty.yaml", "-o", tmp_path / "o"),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "empty.yaml" in done.stderr


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_during_the_search_is_reported(tmp_path, sig, code) -> None:
    school = tmp_path / "big.yaml"
    assert main(["generate", "school", "--preset", "nine-year", "--classes-per-grade", "2",
                 "--seed", "1", "-o", str(school)]) == 0
    proc = subprocess.Popen(_command("solve", school, "--time-limit", "120", "-o",
                                     tmp_path / "out"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=UNBUFFERED)
    deadline = time.monotonic() + 100
    # wait until the search has started (the command printed its first line), then a bit
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("solving")
    time.sleep(6)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
    assert proc.returncode == code, err
    assert "Traceback" not in err
    assert "INTERRUPTED" in out
    report = (tmp_path / "out" / "report.txt").read_text(encoding="utf-8")
    assert "interrupted by" in report


# --- mutated school files ------------------------------------------------------------------

def _mutate(text: str, data: st.DataObject) -> bytes:
    lines = text.splitlines()
    i = data.draw(st.integers(0, len(lines) - 1), label="line")
    how = data.draw(st.sampled_from(["delete", "duplicate", "retype", "time", "encoding"]))
    if how == "delete":
        lines.pop(i)
    elif how == "duplicate":
        lines.insert(i, lines[i])
    elif how == "retype":
        values = re.findall(r"(?<=: )[^,{}\[\]]+", lines[i])
        if values:
            new = data.draw(st.sampled_from(["-3", "9999", "abc", "", "[]", "{}", "1.5", "周八",
                                             "true", "x" * 300]))
            lines[i] = lines[i].replace(values[0], new, 1)
    elif how == "time":
        times = re.findall(r"\d\d:\d\d", lines[i])
        if times:
            lines[i] = lines[i].replace(times[0], data.draw(st.sampled_from(
                ["25:99", "8:6", "08:00:00", "noon", "12:00-"])), 1)
    body = "\n".join(lines) + "\n"
    if how == "encoding":
        return body.encode(data.draw(st.sampled_from(["gb18030", "utf-16", "utf-8-sig"])))
    return body.encode("utf-8")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_school_files_give_exit_2_or_a_school(solved: Path, data: st.DataObject) -> None:
    text = (solved / "school.yaml").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        school = Path(tmp) / "school.yaml"
        school.write_bytes(_mutate(text, data))
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["policy", "show", "--school", str(school)])
    assert code in (0, 2), err.getvalue()
    assert "Traceback" not in err.getvalue()
    if code == 2:
        assert "school.yaml" in err.getvalue()


def test_ground_too_small_is_proven_impossible_at_once(capsys, school, tmp_path) -> None:
    data = load_yaml(school.read_text(encoding="utf-8"))
    ground = next(v for v in data["venues"] if v["kind"] == "ground")
    ground["capacity"] = 1          # six classes' activity sessions cannot all fit
    small = tmp_path / "small-ground.yaml"
    small.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, out, _ = run(capsys, "solve", small, "--time-limit", "60", "-o", tmp_path / "o")
    assert code == 3
    assert f"{ground['name']}（容量 1）" in out and "INFEASIBLE" in out
    assert (tmp_path / "o" / "report.txt").is_file()
    assert not (tmp_path / "o" / "timetable.json").exists()


def test_unreachable_scheduler_is_bad_input_before_writing(capsys, tmp_path) -> None:
    district = tmp_path / "district"
    assert main(["generate", "district", "--schools", "2", "--seed", "3", "-o",
                 str(district)]) == 0
    capsys.readouterr()
    code, _, err = run(capsys, "district", "solve", district, "-o", tmp_path / "out",
                       "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and "tcp://127.0.0.1:1" in err and "nothing was written" in err
    assert not (tmp_path / "out").exists()


def test_school_file_inside_the_output_folder(capsys, solved, tmp_path) -> None:
    out = Path(shutil.copytree(solved / "out", tmp_path / "out"))
    mine = out / "my-school.yaml"
    shutil.copy(solved / "school.yaml", mine)
    code, _, err = run(capsys, "solve", mine, "-o", out)
    assert code == 2 and "inside the output folder" in err and mine.is_file()
    # the folder's own school copy may be solved in place, and is kept byte for byte
    mine.unlink()
    own = out / "school.yaml"
    own.write_text("# 我们学校 our school, by hand\n" + own.read_text(encoding="utf-8"),
                   encoding="utf-8")
    before = own.read_bytes()
    code, _, _ = run(capsys, "solve", own, "--time-limit", "5", "--workers", "1", "-o", out)
    assert code == 0 and own.read_bytes() == before and (out / "timetable.json").is_file()
