"""Each file written, in a line for people (what `make demo` and `export` print)."""

from __future__ import annotations

from jianfu.instances.outputs import describe_folder, describe_outputs, main


def test_files_and_folders_described_chinese_first(tmp_path):
    written = [tmp_path / "timetable.xlsx", tmp_path / "site" / "index.html",
               tmp_path / "site" / "class-001.html", tmp_path / "calendars" / "班级-1.ics",
               tmp_path / "calendars" / "教师-王芳.ics", tmp_path / "总课表.png"]
    lines = describe_outputs(written, tmp_path)
    assert [line.split()[0] for line in lines] == [
        str(tmp_path / "timetable.xlsx"), f"{tmp_path / 'site'}/", f"{tmp_path / 'calendars'}/",
        str(tmp_path / "总课表.png")]
    assert lines[0].split(None, 1)[1].startswith("课表工作簿")
    assert lines[2].endswith("（2 个 .ics）") and "日历" in lines[2] and "已去掉假日" in lines[2]
    assert lines[3].endswith("图片 image")      # a file it does not know: by its kind


def test_a_folder_is_listed_top_level_files_first(tmp_path, capsys):
    for name in ("report.txt", "calendar.yaml", "calendars/班级-1.ics"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / ".staging").write_text("x", encoding="utf-8")
    lines = describe_folder(tmp_path)
    assert [line.split()[0] for line in lines] == [
        str(tmp_path / "calendar.yaml"), str(tmp_path / "report.txt"),
        f"{tmp_path / 'calendars'}/"]
    assert main([str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == lines
    assert main([str(tmp_path / "none")]) == 2
