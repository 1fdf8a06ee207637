"""Built-in curriculum: subject metadata and weekly periods per grade (docs/policy.md §3).

艺术 is delivered as 音乐 and 美术 (``part_of="艺术"``), as schools timetable it.
A school file may override any subject's metadata or periods.
"""

from __future__ import annotations

from ..models.errors import InputError
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

def weekly_periods(grade: int, policy: Policy) -> dict[str, int]:
    """Weekly periods per subject for ``grade`` under ``policy``: the profile's curriculum
    (:meth:`Policy.curriculum_for`; daily PE takes its extra periods from
    ``extra_pe_taken_from``), zero entries dropped."""
    try:
        return policy.curriculum_for(grade)
    except InputError as exc:
        raise ValueError(str(exc)) from None
