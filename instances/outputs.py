"""What each file jianfu writes is, in a line for people (``make demo``, ``jianfu export``).

:func:`describe_outputs` lists files, a folder of many files (the web site, the
calendars) as one line; ``python -m jianfu.instances.outputs DIR`` lists a folder.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Iterable

__all__ = ["describe_outputs", "describe_folder"]

#: File or folder name → what it is, Chinese first.
KNOWN = {
    "school.yaml": "学校文件（排课用的那一份）the school file solved",
    "calendar.yaml": "校历：学期、假日、调休上课 the school calendar",
    "timetable.json": "课表数据：再检查、再导出用 the timetable, for `check` and `export`",
    "report.txt": "排课报告：是否合规、哪些软规则没做到 the solve report",
    "quotas.csv": "作业时长配额（每班每天）homework time quotas",
    "timetable.xlsx": "课表工作簿：总课表、教师总课表、课时统计、空闲表，班级、教师、场地各一页，可打印 "
                      "the Excel workbook",
    "master.csv": "总课表（全校班级×一周）the whole-school timetable",
    "teacher_master.csv": "教师总课表（全体教师×一周）all teachers' timetables",
    "teacher_load.csv": "课时统计：每位教师每周、每天的节数，空堂，走教 teachers' periods",
    "class_subjects.csv": "开课统计：每班各科节数对照课程方案 periods per subject against the plan",
    "free_teachers.csv": "空闲表：每节课有空的教师（按学科）free teachers per period",
    "images": "课表图片：每个班、每位教师一张，可发家长微信群 class and teacher images for WeChat",
    "lessons.csv": "课表明细，每节课一行 every lesson, one row each",
    "homework.csv": "作业配额明细 homework quotas, one row each",
    "site": "网页课表：打开 index.html（班级、教师、场地各一页）the web pages",
    "calendars": "日历：每位教师、每个班一个 .ics，导入手机或电脑日历（已去掉假日、含调休上课）"
                 "calendars for phones and computers",
}
_BY_SUFFIX = {
    ".xlsx": "Excel 工作簿 workbook", ".csv": "表格 CSV table", ".html": "网页 web page",
    ".ics": "日历 calendar", ".png": "图片 image", ".pdf": "PDF 文件 PDF", ".txt": "文本 text",
    ".json": "数据 JSON data", ".yaml": "YAML 文件", ".fet": "FET 文件 FET file",
}


def _what(path: Path) -> str:
    return KNOWN.get(path.name) or _BY_SUFFIX.get(path.suffix.lower(), "文件 file")


def describe_outputs(paths: Iterable[Path | str], base: Path | str | None = None) -> list[str]:
    """One line per file written, a folder under ``base`` holding several as one line
    (``site/ （32 个文件 files）网页课表…``); in the order first written."""
    paths = [Path(p) for p in paths]
    base = Path(base) if base is not None else None
    groups: dict[Path, list[Path]] = {}
    for p in paths:
        top = p
        if base is not None:
            try:
                rel = p.relative_to(base)
            except ValueError:
                rel = None
            if rel is not None and len(rel.parts) > 1:
                top = base / rel.parts[0]
        groups.setdefault(top, []).append(p)
    lines = []
    width = max((len(str(k)) + (1 if len(v) > 1 or k not in v else 0)
                 for k, v in groups.items()), default=0)
    for top, members in groups.items():
        if members == [top]:
            lines.append(f"  {str(top):<{width}}  {_what(top)}")
            continue
        kinds = Counter(m.suffix.lower() or "?" for m in members)
        count = "，".join(f"{n} 个 {s}" for s, n in kinds.most_common())
        lines.append(f"  {str(top) + '/':<{width}}  {_what(top)}（{count}）")
    return lines


def describe_folder(folder: Path | str) -> list[str]:
    """Every file of ``folder`` (hidden ones left out) described, top-level files first."""
    root = Path(folder)
    files = sorted((p for p in root.rglob("*") if p.is_file()
                    and not any(part.startswith(".") for part in p.relative_to(root).parts)),
                   key=lambda p: (len(p.relative_to(root).parts) > 1, str(p)))
    return describe_outputs(files, root)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or not Path(args[0]).is_dir():
        print("用法 usage: python -m jianfu.instances.outputs FOLDER", file=sys.stderr)
        return 2
    print(f"{args[0]} 里的文件 files in {args[0]}:")
    print("\n".join(describe_folder(args[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
