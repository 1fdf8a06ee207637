"""The 调课通知 and the dated week that ``jianfu change`` writes: their exact content."""

from builders import fit_policy  # noqa: F401  (tests/ on sys.path)
from change_fixtures import DATES, DAY, cover_school, swap_school
from openpyxl import load_workbook

from jianfu.instances.change_notice import notice_rows, parse_changes, write_change_files
from jianfu.instances.timetable_io import read_timetable
from jianfu.models.change import Absence, Away
from jianfu.solver.school.change import plan_week


def test_notice_files_say_who_which_class_day_date_period_and_what(tmp_path):
    s, p, base = cover_school()
    plan = plan_week(s, p, base, DATES, absences=[Absence(s.teacher_index["王芳"], 0, 0, DAY)],
                     away=[Away(1, 1, 0, 12 * 60, "研学")])
    written = write_change_files(tmp_path, s, [plan], "王芳 病假", "病假")
    assert sorted(p.name for p in written) == sorted([
        "调课通知.txt", "调课通知.html", "调课通知.xlsx", "本周课表_2026-10-12.html",
        "本周课表_2026-10-12.xlsx", "timetable_2026-10-12.json"])
    text = (tmp_path / "调课通知.txt").read_text(encoding="utf-8")
    assert text.splitlines() == [
        "【测试学校 调课通知】王芳 病假",
        "代课｜10月12日 周一 第1节 08:30–09:10｜一班｜数学 王芳（病假） → 数学 孙丽（代课）",
        "代课｜10月12日 周一 第2节 09:20–10:00｜一班｜数学 王芳（病假） → 数学 赵敏（代课）",
        "代课｜10月12日 周一 第3节 10:30–11:10｜一班｜数学 王芳（病假） → 数学 孙丽（代课）",
        "停课｜10月13日 周二 第1节 08:30–09:10｜二班｜语文 陈静 → 停课：班级外出（研学）",
        "停课｜10月13日 周二 第2节 09:20–10:00｜二班｜语文 陈静 → 停课：班级外出（研学）",
        "停课｜10月13日 周二 第3节 10:30–11:10｜二班｜语文 陈静 → 停课：班级外出（研学）",
        "停课｜10月13日 周二 第4节 11:20–12:00｜二班｜数学 赵敏 → 停课：班级外出（研学）",
        "请相关老师和班主任知悉。"]
    ws = load_workbook(tmp_path / "调课通知.xlsx")["调课通知"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert rows[0] == ["类型", "日期", "星期", "节次", "班级", "原安排", "调整后", "需通知"]
    assert rows[1] == ["代课", "10月12日", "周一", "第1节 08:30–09:10", "一班", "数学 王芳（病假）",
                       "数学 孙丽（代课）", "孙丽、王芳、一班"]
    assert len(rows) == 8
    page = (tmp_path / "调课通知.html").read_text(encoding="utf-8")
    assert "<td>数学 孙丽（代课）</td>" in page and page.count("<tr>") == 8
    week = (tmp_path / "本周课表_2026-10-12.html").read_text(encoding="utf-8")
    assert "周一 10月12日" in week and "【代课】数学\n孙丽" in week and "【停课】" in week
    sheet = load_workbook(tmp_path / "本周课表_2026-10-12.xlsx")["班级-一班"]
    assert sheet.cell(3, 3).value == "周一 10月12日"
    assert sheet.cell(4, 3).value == "【代课】数学\n孙丽"
    own = load_workbook(tmp_path / "本周课表_2026-10-12.xlsx")["教师-王芳"]
    assert own.cell(4, 3).value == "【请假·他人代课】一班\n数学"
    assert load_workbook(tmp_path / "本周课表_2026-10-12.xlsx")["教师-孙丽"].cell(4, 3).value \
        == "【代课】一班\n数学"
    again = read_timetable(tmp_path / "timetable_2026-10-12.json", s)
    assert again == plan.week.timetable and sum(x.cover for x in again.lessons) == 3


def test_moves_are_listed_from_and_to_with_dates():
    s, p, base = swap_school()
    plan = plan_week(s, p, base, DATES, absences=[Absence(0, 0, 0, DAY)])
    assert [r.cells() for r in notice_rows(s, [plan])] == [
        ("调课", "10月12日", "周一", "第1节 08:30–09:10", "一班", "数学 王芳",
         "改到 周二（10月13日）第6节 14:50–15:30", "王芳、一班"),
        ("调课", "10月13日", "周二", "第6节 14:50–15:30", "一班", "语文 李强",
         "改到 周一（10月12日）第1节 08:30–09:10", "李强、一班")]


def test_what_the_clerk_types_becomes_weeks():
    s, p, base = cover_school()
    weeks = parse_changes(s, absent=["王芳"], dates="2026-10-12..2026-10-13,2026-10-19")
    assert [str(m) for m in weeks] == ["2026-10-12", "2026-10-19"]
    first = weeks[min(weeks)]
    assert [(a.day, a.start, a.end) for a in first.absences] == [(0, 0, DAY), (1, 0, DAY)]
    half = parse_changes(s, class_away=["二班"], half_days="周二上午", week_of="2026-10-14")
    (req,) = half.values()
    assert [(a.cls, a.day, a.start, a.end) for a in req.away] == [(1, 1, 0, 12 * 60)]
    swap = parse_changes(s, swaps=["王芳:周一1", "李强:周二第6节"], week_of="2026-10-12")
    (req,) = swap.values()
    wang, li = s.teacher_index["王芳"], s.teacher_index["李强"]
    assert [(x.first, x.day, x.period, x.second, x.day2, x.period2) for x in req.swaps] == \
        [(wang, 0, 0, li, 1, 5)]


def test_an_activity_session_the_moves_shifted_is_in_the_notice():
    from jianfu.models.change import ChangedWeek, ChangePlan
    from jianfu.models.timetable import Session, Timetable

    s, p, base = cover_school()
    week = ChangedWeek(base, Timetable(base.lessons, (Session(0, 1, 0),)),
                       dates=tuple(sorted(DATES.items())))
    assert [r.cells() for r in notice_rows(s, [ChangePlan(week)])] == [
        ("调课", "10月13日", "周二", "课外体育活动", "一班", "—", "增加课外体育活动", "一班")]


def test_browser_renders_the_notice(tmp_path):
    # headless Chromium shows the 调课通知 page with every row the text version has
    import re
    import subprocess
    from pathlib import Path

    import pytest

    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("headless Chromium not installed (apt-get install -y chromium)")
    s, p, base = cover_school()
    plan = plan_week(s, p, base, DATES, absences=[Absence(s.teacher_index["王芳"], 0, 0, DAY)])
    write_change_files(tmp_path, s, [plan], "王芳 病假", "病假")
    dom = subprocess.run(
        [str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
         (tmp_path / "调课通知.html").as_uri()],
        capture_output=True, text=True, timeout=120, check=True).stdout
    rows = re.findall(r"<tr>(.*?)</tr>", dom, re.S)
    cells = [re.findall(r"<td>(.*?)</td>", r) for r in rows]
    covers = [c for c in cells if c and c[0] == "代课"]
    assert len(covers) == 3 and all(c[-2] in ("数学 孙丽（代课）", "数学 赵敏（代课）") for c in covers)
    assert "测试学校" in dom and "王芳 病假" in dom
