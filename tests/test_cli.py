"""The CLI: exit codes and messages (the library is tested in the package folders)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jianfu.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_policy_list_names_every_builtin_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("national", "panjin", "zhongxian", "chengnan", "beijing-2024", "guangdong-2025"):
        assert name in out


def test_policy_show_prints_values_with_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "show", "guangdong-2025"]) == 0
    out = capsys.readouterr().out
    assert "daily_activity_minutes = 120" in out
    assert "来源 source:" in out


def test_unknown_profile_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "show", "atlantis"]) == 2
    err = capsys.readouterr().err
    assert "atlantis" in err and "Traceback" not in err


def test_profile_file_with_bad_field_names_file_field_and_value(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = tmp_path / "local.yaml"
    profile.write_text("extends: national\nlong_break_minutes: -5\n", encoding="utf-8")
    assert main(["policy", "show", str(profile)]) == 2
    err = capsys.readouterr().err
    assert str(profile) in err and "long_break_minutes" in err and "-5" in err


def test_missing_school_file_exits_2_without_traceback(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "cli.py"), "solve", str(tmp_path / "none.yaml"),
                           "-o", str(tmp_path / "out")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "none.yaml" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()
