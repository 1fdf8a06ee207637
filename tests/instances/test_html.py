"""The static site: self-contained, escaped, Chinese, mobile-friendly; rendered in headless
Chromium (skipped when /usr/bin/chromium is absent: `apt-get install -y chromium`)."""

from __future__ import annotations

import re
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jianfu.instances.views import check_summary
from jianfu.instances.html_site import page_name, write_site
from .people_fixtures import make_plan

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def site(tmp_path_factory, school, timetable):
    out = tmp_path_factory.mktemp("site")
    summary, violations = check_summary(school, school.policy(), timetable)
    return write_site(out, school, school.policy(), timetable, make_plan(school), summary,
                      violations=violations)


class _Cells(HTMLParser):
    """Text of every element carrying data-day/data-period, and the set of row kinds."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[str, str], str] = {}
        self.kinds: set[str] = set()
        self.sections: dict[str, dict[str, str]] = {}
        self._open: list[tuple[str, str] | None] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-kind" in a:
            self.kinds.add(a["data-kind"])
        if tag == "section" and "data-total" in a:
            self.sections[a["data-day"]] = a
        key = (a["data-day"], a["data-period"]) if "data-period" in a else None
        if tag == "td":
            self._open.append(key)
            if key:
                self.cells[key] = ""

    def handle_endtag(self, tag):
        if tag == "td" and self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._open and self._open[-1]:
            self.cells[self._open[-1]] += data + "|"


def _parse(text: str) -> _Cells:
    parser = _Cells()
    parser.feed(text)
    return parser


def test_every_page_is_self_contained_chinese_and_mobile_ready(site, school):
    pages = sorted(site.parent.glob("*.html"))
    from jianfu.instances.overview_write import PAGES   # 总课表, 教师总课表, 课时统计, 空闲表

    # index.html, check.html, the class, homework, teacher and venue pages, the overview pages
    assert len(pages) == (2 + 2 * len(school.classes) + len(school.teachers) + len(school.venues)
                          + len(PAGES))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE html>")
        assert '<html lang="zh-CN">' in text
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
        assert "@media print" in text and "@page" in text
        # nothing from the network: no scripts, stylesheets, fonts or images
        assert not re.search(r"<script|<link|<img|@import|url\(|https?://", text), page.name
        assert "<Zhang>" not in text                      # the teacher's name is escaped
    teacher_page = site.parent / page_name("teacher", school.teacher_index["张丽 <Zhang>"])
    assert "张丽 &lt;Zhang&gt;" in teacher_page.read_text(encoding="utf-8")


def test_index_links_every_page_and_shows_the_verdict(site, school):
    text = site.read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"]+)"', text))
    assert {page_name("class", 0), page_name("teacher", 6), page_name("venue", 1),
            page_name("homework", 1)} <= links
    assert all((site.parent / link).is_file() for link in links)
    assert 'class="verdict bad"' in text and "不符合规定" in text   # the hand-made week clashes
    # parents read plain words: no rule ids, no weights or scores; the office page has them
    assert "教师空堂 Teacher idle periods：" in text
    for word in ("teacher_clash", "teacher_gaps", "objective", "代价", "权重"):
        assert word not in text, word
    check = (site.parent / "check.html").read_text(encoding="utf-8")
    assert "check.html" in links
    assert "teacher_clash" in check and "教师空堂" in check and "不合规" in check


def test_class_page_cells_hold_the_right_lessons(site, school, timetable):
    page = _parse((site.parent / page_name("class", 0)).read_text(encoding="utf-8"))
    for lesson in (x for x in timetable.lessons if x.cls == 0):
        text = page.cells[(str(lesson.day), str(lesson.period + 1))]
        assert text.startswith(school.subjects[lesson.subject].name + "|")
        assert school.teachers[lesson.teacher].name in text
    assert {"long_break", "lunch", "activity"} <= page.kinds


def test_class_pages_name_the_head_teacher(site, school):
    for c, head in ((0, "王芳"), (1, "孙悦")):
        assert school.teachers[school.classes[c].head_teacher].name == head
        text = (site.parent / page_name("class", c)).read_text(encoding="utf-8")
        header = re.search(r"<header>(.*?)</header>", text, re.S).group(1)
        assert school.classes[c].name in header and f"班主任 class teacher: {head}" in header
        homework = (site.parent / page_name("homework", c)).read_text(encoding="utf-8")
        assert f"班主任 class teacher: {head}" in homework
    teacher = (site.parent / page_name("teacher", 0)).read_text(encoding="utf-8")
    assert "三(1)班 班主任 class teacher" in teacher


def _chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess:
    if not CHROMIUM.exists():
        pytest.skip("headless Chromium not installed (apt-get install -y chromium)")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp / 'chromium-profile'}"]
    return subprocess.run([str(CHROMIUM), *flags, *args], capture_output=True, text=True,
                          timeout=120, check=True)


def test_browser_renders_the_class_timetable(site, school, timetable, tmp_path):
    url = (site.parent / page_name("class", 0)).as_uri()
    dom = _parse(_chromium("--dump-dom", url, tmp=tmp_path).stdout)
    first = timetable.at(0, 0, 0)
    assert dom.cells[("0", "1")].startswith(school.subjects[first.subject].name)
    friday_last = timetable.at(0, 4, 5)
    assert dom.cells[("4", "6")].startswith(school.subjects[friday_last.subject].name)
    assert "long_break" in dom.kinds                      # the 大课间 row survived rendering


def test_browser_renders_homework_totals(site, tmp_path):
    url = (site.parent / page_name("homework", 0)).as_uri()
    dom = _parse(_chromium("--dump-dom", url, tmp=tmp_path).stdout)
    assert dom.sections["周一"]["data-total"] == "35"
    assert dom.sections["周二"]["data-total"] == "10"
    assert dom.sections["周三"]["data-total"] == "0"
    assert {s["data-cap"] for s in dom.sections.values()} == {"60"}


def test_phone_sized_screenshot(site, tmp_path):
    shot = tmp_path / "class-phone.png"
    url = (site.parent / page_name("class", 0)).as_uri()
    _chromium(f"--screenshot={shot}", "--window-size=412,915", "--hide-scrollbars", url,
              tmp=tmp_path)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (412, 915)
    assert len(data) > 10_000                              # not a blank page


def test_teacher_page_counts_a_combined_lesson_once(school):
    import dataclasses

    from jianfu.instances.views import teacher_grid
    from jianfu.models.school import Combined
    from jianfu.models.timetable import Lesson, Timetable

    pe = school.subject_index["体育与健康"]
    members = tuple(i for i, r in enumerate(school.requirements) if r.subject == pe)
    teacher = school.requirements[members[0]].teacher
    both = dataclasses.replace(school, combined=(Combined("体育合班", members, teacher),))
    tt = Timetable((Lesson(0, 0, 2, pe, teacher, None), Lesson(1, 0, 2, pe, teacher, None),
                    Lesson(0, 1, 2, pe, teacher, None)))
    assert "每周 2 节" in teacher_grid(both, tt, teacher).subtitle   # the 合班 once, one alone
    assert "每周 3 节" in teacher_grid(school, tt, teacher).subtitle


def test_browser_shows_fridays_own_after_school_time(tmp_path):
    from .bell_fixtures import friday_school

    school, tt = friday_school()
    index = write_site(tmp_path / "site", school, school.policy(), tt)
    url = (index.parent / page_name("class", 0)).as_uri()
    dom = _chromium("--dump-dom", url, tmp=tmp_path).stdout
    row = re.search(r'<tr class="seg after_school"[^>]*>(.*?)</tr>', dom, re.S).group(1)
    label = re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1)
    assert "16:40–17:40" in label                              # what Monday–Thursday share
    cells = re.findall(r'<td data-day="(\d)" data-time="([^"]*)"[^>]*>(.*?)</td>', row, re.S)
    assert [c[0] for c in cells] == ["0", "1", "2", "3", "4"]
    assert cells[4][1] == "16:00–17:00" and "(16:00–17:00)" in cells[4][2]
    assert all("(" not in text for _, _, text in cells[:4])
    assert "周五作息时间不同" in dom


def test_the_plain_verdict_and_quality_lines_have_no_solver_words():
    from types import SimpleNamespace

    from jianfu.instances.views import plain_verdict, quality_lines

    term = SimpleNamespace
    ok = SimpleNamespace(compliant=True, hard=0, objective=477.0,
                         terms={"teacher_gaps": term(units=12.0, weight=2.0, cost=24.0),
                                "main_morning": term(units=0.0, weight=5.0, cost=0.0),
                                "head_teacher_first": term(units=6.0, weight=0.0, cost=0.0),
                                "moved_lesson": term(units=0.0, weight=20.0, cost=0.0)})
    assert plain_verdict(ok) == "本课表已通过检查，符合全部必须遵守的规定 — checked: it keeps every required rule"
    assert quality_lines(ok) == ["教师空堂 Teacher idle periods：12 处未做到 not met 12 times",
                                 "主科上午 Main subjects in the morning：全部做到 always met"]
    bad = SimpleNamespace(compliant=False, hard=3, objective=0.0, terms={})
    assert plain_verdict(bad).startswith("本课表有 3 处不符合规定")
    assert plain_verdict(None).startswith("本课表尚未检查")
    for text in [plain_verdict(ok), plain_verdict(bad), *quality_lines(ok)]:
        assert "objective" not in text and "477" not in text and "_" not in text
