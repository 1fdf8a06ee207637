"""The district audit (``jianfu audit DIR``): a folder of school submissions in any shape
gives one report; a school whose file cannot be read is reported with the reason."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jianfu.instances.district_audit import audit_folder, find_submissions
from jianfu.instances.district_audit_report import DETAIL_COLUMNS, write_district_report
from jianfu.models.district_audit import format_district
from jianfu.models.errors import InputError

from audit_fixtures import export_solved, plant_math_for_pe


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four submissions made from one solved school: 城北小学.xlsx (a file, the school read
    off it), 城东小学/ (its school file and CSV), 城南小学/ (the school file and a CSV with
    one PE lesson taught as 数学) and 城西小学.xlsx (a damaged workbook)."""
    src, *_ = export_solved(tmp_path_factory.mktemp("solved"))
    root = tmp_path_factory.mktemp("district") / "清河区"
    root.mkdir()
    shutil.copy(src / "timetable.xlsx", root / "城北小学.xlsx")
    for name, planted in (("城东小学", False), ("城南小学", True)):
        (root / name).mkdir()
        shutil.copy(src / "school.yaml", root / name / "school.yaml")
        if planted:
            plant_math_for_pe(src / "lessons.csv", root / name / "taught.csv")
        else:
            shutil.copy(src / "lessons.csv", root / name / "lessons.csv")
    (root / "城西小学.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    return root


@pytest.fixture(scope="module")
def audit(district: Path):
    return audit_folder(district)


def test_every_school_has_its_verdict(audit) -> None:
    names = [s.name for s in audit.schools]
    assert names == sorted(names) == ["城东小学", "城北小学", "城南小学", "城西小学"]
    verdicts = {s.name: s.verdict for s in audit.schools}
    assert verdicts == {"城东小学": "compliant", "城北小学": "compliant",
                        "城南小学": "not_compliant", "城西小学": "unreadable"}
    east, north, south, west = audit.schools
    assert north.result.inferred and north.result.layout == "master"   # jianfu's workbook: its 总课表
    assert not east.result.inferred and east.files == ("城东小学/lessons.csv",
                                                       "城东小学/school.yaml")
    assert south.hard_by_rule["coverage"] == 2                # PE one short, 数学 one over
    assert len(south.worst()) == 3 and any("体育与健康" in m for m in south.worst())
    assert west.result is None and "城西小学.xlsx" in west.error
    assert "不是有效的 Excel 工作簿" in west.error and str(audit.folder) not in west.error
    assert not audit.all_compliant
    assert audit.summary_line().startswith("4 所学校：2 所合规，1 所不合规，1 所无法读取")


def test_the_rule_table_names_the_school_breaking_it(audit) -> None:
    hard = {r.rule: r for r in audit.rules() if r.hard}
    assert set(hard) == {"coverage", "curriculum"}
    assert hard["coverage"].schools == (("城南小学", 2),)
    assert hard["curriculum"].school_names == ("城南小学",)
    assert [r.hard for r in audit.rules()] == sorted((r.hard for r in audit.rules()),
                                                     reverse=True)     # hard rules first
    text = format_district(audit)
    assert "4 所学校：2 所合规" in text and "coverage 开齐开足 — 1 所学校" in text
    assert "城西小学: 城西小学.xlsx: 不是有效的 Excel 工作簿" in text


def test_the_report_files(audit, tmp_path: Path) -> None:
    xlsx, html, csv_file = write_district_report(tmp_path / "report", audit)
    assert [p.name for p in (xlsx, html, csv_file)] == ["district_audit.xlsx",
                                                        "district_audit.html",
                                                        "district_audit.csv"]
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["汇总", "学校", "规则", "明细"]
    schools = list(wb["学校"].iter_rows(min_row=5, values_only=True))
    assert [(r[1], r[6]) for r in schools] == [("城东小学", "合规"), ("城北小学", "合规"),
                                               ("城南小学", "不合规"), ("城西小学", "无法读取")]
    assert "不是有效的 Excel 工作簿" in schools[3][11]
    rules = {r[0]: r for r in wb["规则"].iter_rows(min_row=5, values_only=True)}
    assert rules["coverage"][6] == "城南小学（2）" and rules["curriculum"][4] == 1
    summary = [str(c.value) for row in wb["汇总"].iter_rows() for c in row if c.value]
    assert any("4 所学校：2 所合规，1 所不合规，1 所无法读取" in t for t in summary)
    assert any(t == "城西小学" for t in summary)                 # needs attention
    raw = csv_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                        # Excel reads the BOM
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert tuple(rows[0]) == DETAIL_COLUMNS
    detail = rows[1:]
    assert len(detail) == sum(len(s.violations) for s in audit.schools) + 1
    assert len(list(wb["明细"].iter_rows(min_row=5))) == len(detail)
    south = [r for r in detail if r[0] == "城南小学" and r[5] == "硬 hard"]
    assert {r[3] for r in south} == {"coverage", "curriculum"} and south[0][6]
    assert next(r[13] for r in detail if r[0] == "城西小学").startswith("城西小学.xlsx")
    page = html.read_text(encoding="utf-8")
    assert "区域课表审计汇总" in page and "@page" in page and "无法读取" in page
    assert page.index("城南小学") < page.index("硬性违规明细")


def test_the_report_is_not_written_into_the_folder_audited(audit, district: Path) -> None:
    with pytest.raises(InputError, match="folder being audited"):
        write_district_report(district, audit)
    assert not (district / "district_audit.xlsx").exists()


def test_an_output_folder_inside_is_skipped_and_a_school_file_given(district: Path,
                                                                    tmp_path: Path) -> None:
    inside = district / "报告"
    inside.mkdir()
    (inside / "old.xlsx").write_bytes(b"junk")
    try:
        audit = audit_folder(district, skip=[inside])
        assert [s.name for s in audit.schools] == ["城东小学", "城北小学", "城南小学", "城西小学"]
        with_school = audit_folder(district, skip=[inside],
                                   schools={"城北小学": district / "城东小学" / "school.yaml"})
        north = with_school.schools[1]
        assert north.verdict == "compliant"
        assert not north.result.inferred and north.files[1] == "城东小学/school.yaml"
        with pytest.raises(InputError, match="no submission of that name"):
            audit_folder(district, skip=[inside], schools={"城中小学": "school.yaml"})
    finally:
        shutil.rmtree(inside)


def _touch(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_submissions_found_in_a_folder(tmp_path: Path) -> None:
    root = tmp_path / "d"
    for name in ("b.csv", "a.xlsx", "~$a.xlsx", ".hidden.csv", "说明.txt", "district.yaml",
                 "X_activities.xml", "X_data_and_timetable.fet", "X_teachers.xml", "X.fet",
                 "Y_data_and_timetable.fet", "Y.fet", "old.xls", "audit.xlsx"):
        _touch(root / name)
    for name in ("school.yaml", "bells.yaml", "t.csv"):
        _touch(root / "s1" / name)
    for name in ("a.csv", "b.csv"):
        _touch(root / "s2" / name)
    (root / "s3").mkdir()
    for name in ("timetable.json", "timetable.xlsx", "lessons.csv", "homework.csv",
                 "school.yaml"):
        _touch(root / "s4" / name)
    found = {s.name: s for s in find_submissions(root)}
    assert list(found) == ["X", "Y", "a", "b", "old", "s1", "s2", "s3", "s4"]
    assert found["X"].timetable.name == "X_activities.xml"
    assert found["Y"].timetable.name == "Y_data_and_timetable.fet"
    s1 = found["s1"]
    assert (s1.timetable.name, s1.school_file.name, s1.bells_file.name) == ("t.csv",
                                                                            "school.yaml",
                                                                            "bells.yaml")
    assert found["s2"].timetable is None and "several timetable files" in found["s2"].problem
    assert found["s3"].timetable is None and "no timetable file" in found["s3"].problem
    assert found["s4"].timetable.name == "timetable.json" and found["s4"].note
    audit = audit_folder(root)
    reasons = {s.name: s.error for s in audit.schools}
    assert all(s.verdict == "unreadable" for s in audit.schools)   # empty files, all of them
    assert "另存为 .xlsx" in reasons["old"] and "a.csv、b.csv" in reasons["s2"]


def test_a_folder_without_submissions_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no school timetable"):
        audit_folder(_touch(tmp_path / "d" / "readme.txt").parent)
    with pytest.raises(InputError, match="not a folder"):
        audit_folder(tmp_path / "missing")
    with pytest.raises(InputError, match="atlantis"):
        audit_folder(_touch(tmp_path / "e" / "a.csv").parent, profile="atlantis")
