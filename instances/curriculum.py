"""Built-in curriculum: subject metadata and weekly periods per grade (docs/policy.md §3).

艺术 is delivered as 音乐 and 美术 (``part_of="艺术"``), as schools timetable it.
A school file may override any subject's metadata or periods.
"""

from __future__ import annotations

from ..models.policy import Policy
from ..models.school import Category, Subject

SUBJECTS: tuple[Subject, ...] = (
    Subject("道德与法治", "Morality and Law", Category.MORAL, homework=True),
    Subject("语文", "Chinese", Category.MAIN, homework=True),
    Subject("数学", "Mathematics", Category.MAIN, homework=True),
    Subject("外语", "Foreign language", Category.MAIN, homework=True),
    Subject("历史", "History", Category.HUMANITIES, homework=True),
    Subject("地理", "Geography", Category.HUMANITIES, homework=True),
    Subject("科学", "Science", Category.SCIENCE, homework=True),
    Subject("物理", "Physics", Category.SCIENCE, homework=True, venue_kind="lab"),
    Subject("化学", "Chemistry", Category.SCIENCE, homework=True, venue_kind="lab"),
    Subject("生物学", "Biology", Category.SCIENCE, homework=True, venue_kind="lab"),
    Subject("信息科技", "Information technology", Category.IT, venue_kind="computer"),
    Subject("体育与健康", "PE and health", Category.PE, venue_kind="ground"),
    Subject("音乐", "Music", Category.ARTS, venue_kind="music", part_of="艺术"),
    Subject("美术", "Fine art", Category.ARTS, part_of="艺术"),
    Subject("劳动", "Labour", Category.PRACTICE),
    Subject("综合实践活动", "Integrated practice", Category.PRACTICE),
    Subject("地方与校本课程", "Local and school-based", Category.LOCAL),
)

SUBJECT_BY_NAME = {s.name: s for s in SUBJECTS}

PE = "体育与健康"

# docs/policy.md §3, grades 1..9 (艺术 split 2+2 in primary, 1+1 in junior).
WEEKLY: dict[str, tuple[int, ...]] = {
    "道德与法治": (2, 2, 2, 2, 2, 2, 2, 2, 3),
    "语文": (8, 8, 7, 7, 6, 6, 5, 5, 5),
    "数学": (4, 4, 4, 4, 5, 5, 4, 4, 5),
    "外语": (0, 0, 2, 2, 2, 3, 4, 4, 4),
    "历史": (0, 0, 0, 0, 0, 0, 2, 2, 2),
    "地理": (0, 0, 0, 0, 0, 0, 2, 2, 0),
    "科学": (1, 1, 2, 2, 2, 2, 0, 0, 0),
    "物理": (0, 0, 0, 0, 0, 0, 0, 2, 3),
    "化学": (0, 0, 0, 0, 0, 0, 0, 0, 3),
    "生物学": (0, 0, 0, 0, 0, 0, 3, 2, 0),
    "信息科技": (0, 0, 1, 1, 1, 1, 1, 1, 0),
    "体育与健康": (4, 4, 3, 3, 3, 3, 3, 3, 3),
    "音乐": (2, 2, 2, 2, 2, 2, 1, 1, 1),
    "美术": (2, 2, 2, 2, 2, 2, 1, 1, 1),
    "劳动": (1, 1, 1, 1, 1, 1, 1, 1, 1),
    "综合实践活动": (1, 1, 2, 2, 2, 2, 2, 2, 2),
    "地方与校本课程": (1, 1, 2, 2, 2, 1, 3, 2, 1),
}


def weekly_periods(grade: int, policy: Policy) -> dict[str, int]:
    """Weekly periods per subject for ``grade`` under ``policy`` (zero entries dropped).

    When the profile asks for more PE than the plan (daily PE), the extra periods are
    taken from ``policy.extra_pe_taken_from`` in order, so the weekly total is unchanged.
    """
    plan = {name: row[grade - 1] for name, row in WEEKLY.items()}
    extra = max(0, policy.pe_for(grade) - plan[PE])
    plan[PE] += extra
    for donor in policy.extra_pe_taken_from:
        take = min(extra, plan.get(donor, 0))
        plan[donor] -= take
        extra -= take
    if extra:
        raise ValueError(f"grade {grade}: cannot find {extra} more PE periods in "
                         f"{', '.join(policy.extra_pe_taken_from)}")
    return {name: n for name, n in plan.items() if n > 0}
