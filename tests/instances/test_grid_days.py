"""Every row of a grid on every day: a Friday with its own bell, venues used on two bells,
Excel rows as tall as their text."""

from __future__ import annotations

from openpyxl import load_workbook

from jianfu.instances.excel import cell_lines, sheet_names, write_workbook
from jianfu.instances.html_site import page_name, write_site
from jianfu.instances.views import (class_grid, example_school, example_timetable, teacher_grid,
                                    venue_grid, venue_grids)
from .bell_fixtures import friday_school, two_bell_school


def _row(grid, kind):
    return next(r for r in grid.rows if r.kind == kind)


def test_the_friday_cell_of_after_school_shows_fridays_time():
    school, tt = friday_school()
    grid = class_grid(school, tt, 0)
    after = _row(grid, "after_school")
    assert after.time == "16:40–17:40"                        # what Monday–Thursday share
    assert [after.cell_text(d) for d in range(5)] == ["课后服务"] * 4 + ["课后服务\n(16:00–17:00)"]
    assert after.day_time(4) == "16:00–17:00" and after.day_time(0) == "16:40–17:40"
    assert not after.merged                                    # no single time across the week
    activity = _row(grid, "activity")
    assert activity.cell_text(4) == "课外体育活动\n(15:30–16:00)\n@操场"
    assert activity.cell_text(0) == "课外体育活动\n@操场"
    assert "周五" in grid.notes[0] and "括号" in grid.notes[0]
    # the rows whose time is the same every day stay one merged row, with no note in a cell
    long_break = _row(grid, "long_break")
    assert long_break.merged and long_break.cell_text(4) == "大课间"


def test_the_same_week_without_a_different_day_has_no_time_in_any_cell():
    school = example_school()
    grid = class_grid(school, example_timetable(school), 0)
    assert grid.notes == ()
    assert all("(" not in r.cell_text(d) for r in grid.rows for d in range(5))
    assert _row(grid, "after_school").merged


def test_teacher_grids_show_the_friday_time_too():
    school, tt = friday_school()
    grid = teacher_grid(school, tt, 0)
    assert _row(grid, "after_school").cell_text(4) == "课后服务\n(16:00–17:00)"


def test_a_venue_on_two_bells_gets_a_grid_per_bell():
    school, tt = two_bell_school()
    ground = school.venue_index["操场"]
    grids = venue_grids(school, tt, ground)
    assert [g.title for g in grids] == ["操场 使用表 · 小学作息", "操场 使用表 · 中学作息"]
    first, second = (_row(g, "activity") for g in grids)
    assert (first.time, second.time) == ("15:40–16:40", "16:25–16:55")
    assert first.cell_text(3) == "课外体育活动\n三(1)班"      # only the classes there together
    assert second.cell_text(3) == "课外体育活动\n三(2)班"
    # the old single grid listed both under one time
    both = _row(venue_grid(school, tt, ground), "activity")
    assert both.cell_text(3) == "课外体育活动\n三(1)班\n三(2)班"


def test_a_venue_on_one_bell_keeps_one_grid():
    school = example_school()
    grids = venue_grids(school, example_timetable(school), school.venue_index["操场"])
    assert len(grids) == 1 and grids[0].title == "操场 使用表"


def test_the_venue_page_and_sheet_show_each_bell(tmp_path):
    school, tt = two_bell_school()
    ground = school.venue_index["操场"]
    site = write_site(tmp_path / "site", school, school.policy(), tt)
    page = (site.parent / page_name("venue", ground)).read_text(encoding="utf-8")
    assert page.count('<section class="bell">') == 2
    assert "操场 使用表 · 小学作息" in page and "操场 使用表 · 中学作息" in page
    book = write_workbook(tmp_path / "t.xlsx", school, school.policy(), tt)
    ws = load_workbook(book)[sheet_names(school)[("venue", ground)]]
    column_a = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert column_a.count("节次") == 2 and column_a.count("课外体育活动") == 2


def test_cell_lines_counts_wrapped_chinese():
    assert cell_lines("课后服务", 16) == 1
    assert cell_lines("课外体育活动", 9) == 2                  # 12 units in 8 usable
    assert cell_lines("语文\n王芳\n@操场", 16) == 3
    assert cell_lines("", 16) == 1


def test_excel_rows_are_as_tall_as_their_cells(tmp_path):
    school, tt = friday_school()
    book = write_workbook(tmp_path / "t.xlsx", school, school.policy(), tt)
    ws = load_workbook(book)[sheet_names(school)[("class", 0)]]
    widths = {c: ws.column_dimensions[c].width for c in "ABCDEFG"}
    checked = 0
    for row in range(4, ws.max_row + 1):
        label = ws.cell(row, 1).value
        if label is None or ws.cell(row, 2).value is None:
            continue            # the note under the grid
        lines = max(cell_lines(str(ws[f"{col}{row}"].value or ""), widths[col]) for col in widths)
        assert ws.row_dimensions[row].height >= 15 * lines, (label, lines)
        checked += 1
    assert checked == len(class_grid(school, tt, 0).rows)
    labels = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    # the label wraps in its 9-wide column: two lines, not the old fixed 20 pt
    assert ws.row_dimensions[labels["课外体育活动"]].height >= 30
    friday = ws.cell(labels["课后服务"], 7).value
    assert friday == "课后服务\n(16:00–17:00)"
    assert ws.row_dimensions[labels["课后服务"]].height >= 30
