"""Class and teacher images (PNG/PDF) drawn by headless Chromium; skipped, with the
reason, where Chromium is not installed (`apt-get install -y chromium`)."""

from __future__ import annotations

import re
import struct
from datetime import date

import pytest

from jianfu.instances import export as export_module
from jianfu.instances import images
from jianfu.instances.export import export, skipped
from jianfu.instances.images import find_chromium, image_page, term_name, write_images
from jianfu.instances.views import class_grid
from jianfu.models.errors import InputError
from .bell_fixtures import friday_school

CHROMIUM = find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not installed (apt-get install -y chromium)")


def test_term_names():
    assert term_name(date(2026, 9, 1)) == "2026–2027学年 第一学期"
    assert term_name(date(2027, 1, 10)) == "2026–2027学年 第一学期"
    assert term_name(date(2027, 2, 20)) == "2026–2027学年 第二学期"
    assert term_name(date(2027, 7, 31)) == "2026–2027学年 第二学期"


def test_the_image_page_names_school_class_head_teacher_term_and_date(school, timetable):
    page = image_page(school, class_grid(school, timetable, 0),
                      facts=[("班主任", "王芳"), ("学期", "2026–2027学年 第一学期"),
                             ("执行日期", "2026-09-01")])
    header = re.search(r'<header class="card">(.*?)</header>', page, re.S).group(1)
    for text in ("示范小学", "三(1)班 课程表", "班主任 <b>王芳</b>", "2026–2027学年 第一学期",
                 "执行日期 <b>2026-09-01</b>"):
        assert text in header
    assert not re.search(r"<script|<link|<img|@import|url\(|https?://", page)


@needs_chromium
def test_one_png_per_class_and_teacher_as_tall_as_the_timetable(tmp_path):
    school, tt = friday_school()
    written = write_images(tmp_path / "images", school, tt, effective=date(2026, 9, 1))
    names = sorted(p.name for p in written)
    assert len(written) == len(school.classes) + len(school.teachers)
    assert "班级-三(1)班.png" in names and "教师-王芳.png" in names
    assert "教师-张丽_<Zhang>.png" not in names and any(n.startswith("教师-张丽_") for n in names)
    data = (tmp_path / "images" / "班级-三(1)班.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == 2 * 960                                     # 960 CSS px at scale 2
    assert 1000 < height < 4000                                 # the whole week, not a viewport
    assert len(data) > 50_000                                   # not a blank page


@needs_chromium
def test_one_pdf_per_class_and_teacher(tmp_path):
    school, tt = friday_school()
    written = write_images(tmp_path, school, tt, kind="pdf", effective=date(2026, 9, 1))
    assert len(written) == len(school.classes) + len(school.teachers)
    assert all(p.read_bytes()[:5] == b"%PDF-" for p in written)


def test_without_chromium_png_is_a_clear_error_and_all_says_it_skipped(
        tmp_path, monkeypatch, school, timetable):
    monkeypatch.setattr(images, "find_chromium", lambda: None)
    monkeypatch.setattr(export_module, "find_chromium", lambda: None)
    with pytest.raises(InputError) as info:
        write_images(tmp_path, school, timetable)
    assert "Chromium" in str(info.value) and "apt-get install" in str(info.value)
    with pytest.raises(InputError):
        export(tmp_path, school, school.policy(), timetable, fmt="png")
    assert skipped("all") and "png" in skipped("all")[0] and skipped("xlsx") == []
    written = export(tmp_path, school, school.policy(), timetable, fmt="all")
    assert (tmp_path / "timetable.xlsx") in written
    assert not (tmp_path / "images").exists()


def test_cli_png_without_chromium_exits_2(tmp_path, monkeypatch, capsys, school, timetable):
    from jianfu.cli import main
    from jianfu.instances.schoolfile import write_school
    from jianfu.instances.timetable_io import write_timetable

    write_school(school, tmp_path / "school.yaml")
    write_timetable(timetable, school, tmp_path / "timetable.json")
    monkeypatch.setattr(images, "find_chromium", lambda: None)
    assert main(["export", str(tmp_path), "--format", "png"]) == 2
    err = capsys.readouterr().err
    assert "Chromium" in err and "Traceback" not in err
    assert not (tmp_path / "images").exists()
