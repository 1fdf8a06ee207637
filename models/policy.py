"""Policy profiles: every rule number jianfu enforces, as data, with its source.

A :class:`Policy` is frozen. Each field carries ``metadata`` with a Chinese and an
English description and the source row of ``docs/policy.md`` it comes
from, so ``jianfu policy show`` can print every value with its source.

Per-grade values are tuples of nine numbers, grade 1 first. Per-stage values are
``(primary, junior)`` pairs. Profiles are built-in (``national``, ``panjin``,
``zhongxian``, ``chengnan``, ``beijing-2024``, ``guangdong-2025``) or a YAML/JSON file
that ``extends`` another and overrides single fields.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .errors import InputError

GRADES = tuple(range(1, 10))
STAGES = ("primary", "junior")


def stage_of(grade: int) -> str:
    """Return ``"primary"`` for grades 1–6 and ``"junior"`` for grades 7–9."""
    return "primary" if grade <= 6 else "junior"


# The documents every number comes from, by title and number (docs/policy-sources.md).
PLAN_2022 = "《义务教育课程方案（2022年版）》（教材〔2022〕2号）"
SHUANGJIAN = ("《关于进一步减轻义务教育阶段学生作业负担和校外培训负担的意见》"
              "（中共中央办公厅、国务院办公厅，2021年7月，“双减”）")
FITNESS_2021 = "《教育部办公厅关于进一步加强中小学生体质健康管理工作的通知》（教体艺厅函〔2021〕16号）"
SLEEP_2021 = "《教育部办公厅关于进一步加强中小学生睡眠管理工作的通知》（教基厅函〔2021〕11号）"
HOMEWORK_2021 = "《教育部办公厅关于加强义务教育学校作业管理的通知》（教基厅函〔2021〕13号）"
SERVICE_2017 = "《教育部办公厅关于做好中小学生课后服务工作的指导意见》（教基一厅〔2017〕2号）"
SERVICE_5_2 = "教育部 2021年7月 课后服务“5+2”部署（每周5天、每天至少2小时，结束时间与当地正常下班时间衔接）"
BURDEN_2018 = "《中小学生减负措施》（教育部等九部门，教基〔2018〕26号）"
STRONG_2025 = "《教育强国建设规划纲要（2024—2035年）》（中共中央、国务院，2025年1月）"
BEIJING_2024 = ("北京市教育委员会 2024年秋季学期起 义务教育学校课间15分钟、每天一节体育课的部署"
                "（文号未核实 number not verified）")
LOCAL_003 = "城南小学《减负增效工作方案》（学校方案，网络转载本；jianfu seed 003）"
LOCAL_000 = "盘锦 学校《“减负提质”实施方案》（学校方案，网络转载本；jianfu seed 000）"
GUANGDONG_2025 = "广东省教育厅 2025年 中小学每天一节体育课、每天综合体育活动2小时的部署（文号未核实 number not verified）"

#: Weekly periods per subject and grade (g1..g9): the 2022 plan's nine-year shares
#: restated per grade (docs/policy.md §3; 艺术 as 音乐 + 美术, 2 + 2 in primary, 1 + 1
#: in junior). Sums to 26/30/34.
CURRICULUM: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("道德与法治", (2, 2, 2, 2, 2, 2, 2, 2, 3)),
    ("语文", (8, 8, 7, 7, 6, 6, 5, 5, 5)),
    ("数学", (4, 4, 4, 4, 5, 5, 4, 4, 5)),
    ("外语", (0, 0, 2, 2, 2, 3, 4, 4, 4)),
    ("历史", (0, 0, 0, 0, 0, 0, 2, 2, 2)),
    ("地理", (0, 0, 0, 0, 0, 0, 2, 2, 0)),
    ("科学", (1, 1, 2, 2, 2, 2, 0, 0, 0)),
    ("物理", (0, 0, 0, 0, 0, 0, 0, 2, 3)),
    ("化学", (0, 0, 0, 0, 0, 0, 0, 0, 3)),
    ("生物学", (0, 0, 0, 0, 0, 0, 3, 2, 0)),
    ("信息科技", (0, 0, 1, 1, 1, 1, 1, 1, 0)),
    ("体育与健康", (4, 4, 3, 3, 3, 3, 3, 3, 3)),
    ("音乐", (2, 2, 2, 2, 2, 2, 1, 1, 1)),
    ("美术", (2, 2, 2, 2, 2, 2, 1, 1, 1)),
    ("劳动", (1, 1, 1, 1, 1, 1, 1, 1, 1)),
    ("综合实践活动", (1, 1, 2, 2, 2, 2, 2, 2, 2)),
    ("地方与校本课程", (1, 1, 2, 2, 2, 1, 3, 2, 1)),
)

#: Other names schools give the curriculum's subjects (课表上的常见叫法).
CURRICULUM_ALIASES: dict[str, str] = {
    "思想品德": "道德与法治", "品德与生活": "道德与法治", "品德与社会": "道德与法治", "道法": "道德与法治",
    "思品": "道德与法治", "英语": "外语", "日语": "外语", "俄语": "外语", "体育": "体育与健康",
    "生物": "生物学", "信息技术": "信息科技", "信息": "信息科技", "综合实践": "综合实践活动",
    "地方课程": "地方与校本课程", "校本课程": "地方与校本课程", "地方与校本": "地方与校本课程",
    "劳动教育": "劳动", "美工": "美术",
    # 班团队活动 are taught within 综合实践活动 (课程方案 2022)
    "班会": "综合实践活动", "班团队活动": "综合实践活动", "少先队活动": "综合实践活动",
}


def curriculum_line(name: str, part_of: str | None = None) -> str:
    """The curriculum subject a school's subject counts towards: its own name, an alias
    (英语 → 外语), or what it is part of (书法 part of 语文)."""
    for candidate in (name, part_of):
        if candidate is None:
            continue
        if candidate in dict(CURRICULUM):
            return candidate
        if candidate in CURRICULUM_ALIASES:
            return CURRICULUM_ALIASES[candidate]
    return name


def _f(default: Any, zh: str, en: str, source: str) -> Any:
    return field(default=default, metadata={"zh": zh, "en": en, "source": source})


@dataclass(frozen=True, slots=True)
class EveningRule:
    """At most ``max_subjects`` homework subjects a night, at most one from each group.

    Seed 003 (城南小学): grades 3–5 at most two subjects a night, one of 语文/数学 and one
    of 道德与法治/科学/外语.
    """

    grades: tuple[int, ...]
    max_subjects: int
    groups: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class SoftWeights:
    """Weights of the soft timetable rules (penalty per unit) and of the homework objective."""

    main_morning: int = 3
    subject_once_daily: int = 10
    pe_placement: int = 2
    teacher_gaps: int = 1
    teacher_consecutive: int = 3
    parallel_step: int = 1
    spread: int = 2
    head_teacher_first: int = 0   # 班主任上第一节: off unless a school asks for it
    teacher_wish: int = 1         # 教师意愿: × each wish's own weight
    moved_lesson: int = 20
    homework_alpha: float = 5.0
    homework_beta: float = 0.5


@dataclass(frozen=True, slots=True)
class Policy:
    """One policy profile. Every number is a named field citing its source."""

    name: str = "national"
    description: str = ("国家默认 National defaults (义务教育课程方案（2022年版）, “双减”意见, "
                        "体质健康管理通知 教体艺厅函〔2021〕16号)")
    # --- timetable (docs/policy.md §1) -------------------------------------------------
    weekly_periods: tuple[int, ...] = _f(
        (26, 26, 30, 30, 30, 30, 34, 34, 34),
        "各年级周课时", "weekly periods per grade (g1..g9)", PLAN_2022)
    period_minutes: tuple[int, int] = _f(
        (40, 45), "每节课时长（小学, 初中）", "period length in minutes (primary, junior)",
        PLAN_2022)
    long_break_minutes: int = _f(
        30, "大课间时长", "long break (大课间) minutes per day",
        f"{FITNESS_2021}: 每天统一安排30分钟的大课间体育活动")
    long_breaks_per_day: int = _f(
        1, "每天大课间次数", "long breaks per day", f"{FITNESS_2021}; {BEIJING_2024}: 上下午各一次")
    min_short_break_minutes: int = _f(
        10, "课间休息最少分钟", "minimum break between consecutive periods",
        f"common practice (10 min); {BEIJING_2024}: 15 分钟")
    min_daily_break_minutes: tuple[int, int] = _f(
        (0, 0), "每天课间总时长下限（小学, 初中）",
        "minimum total daily break minutes (primary, junior)",
        f"{BEIJING_2024}: 小学 90 / 初中 105; none nationally")
    daily_activity_minutes: int = _f(
        60, "校内每天体育活动时间下限", "minimum daily physical activity in school (minutes)",
        f"{FITNESS_2021}: 校内、校外各1小时; {SHUANGJIAN}")
    pe_per_week: tuple[int, ...] = _f(
        (4, 4, 3, 3, 3, 3, 3, 3, 3), "每周体育课时", "PE lessons per week per grade",
        f"{FITNESS_2021}; {PLAN_2022}")
    daily_pe: bool = _f(
        False, "每天一节体育课", "one PE lesson every school day",
        f"{GUANGDONG_2025}; {BEIJING_2024}; not national")
    level_progress: bool = _f(
        False, "教案齐头（硬）", "a teacher's parallel classes of one subject have lessons on "
        "the same days (hard)", "common 教务处 practice (教案齐头); soft parallel_step otherwise")
    extra_pe_taken_from: tuple[str, ...] = _f(
        ("地方与校本课程", "综合实践活动"), "增加的体育课时来源",
        "subjects that give up periods when PE periods are added, in order",
        f"{BEIJING_2024}: 增加的体育课时计入地方与校本课程")
    study_cap_hours: tuple[float, float] = _f(
        (6.0, 6.0), "在校集中学习时间上限（小时，小学, 初中）",
        "in-school concentrated study time cap per day, hours (primary, junior)",
        "各地减负方案: 小学生每天在校集中学习时间不得超过6小时 (seeds 003, 004); "
        "provincial texts: junior 7 h (Sichuan, Guizhou); jianfu: 6 for both")
    earliest_start: tuple[str, str] = _f(
        ("08:20", "08:00"), "上午上课时间不早于（小学, 初中）",
        "earliest first lesson (primary, junior)",
        f"{SLEEP_2021}: 小学上午上课时间一般不早于8:20，中学一般不早于8:00")
    teacher_max_consecutive: int = _f(
        3, "教师连续上课节数上限（软）", "teacher periods in a row before a penalty (soft)",
        "policy.md §1 common local quality rules")
    # --- plan-level rules (docs/rules.md "Plan against the policy") ---------------------
    curriculum: tuple[tuple[str, tuple[int, ...]], ...] = _f(
        CURRICULUM, "课程计划（各科各年级周课时）", "mandated weekly periods per subject and grade",
        f"{PLAN_2022}，按九年课时比例分到各年级 (docs/policy.md §3)")
    curriculum_flexible: tuple[tuple[str, ...], ...] = _f(
        (("综合实践活动", "地方与校本课程"),), "可统筹的科目组", "groups of subjects whose periods "
        "may move among them (their total is kept)",
        f"{PLAN_2022}: 综合实践活动、地方课程和校本课程 统筹使用")
    protected_subjects: tuple[str, ...] = _f(
        ("体育与健康", "音乐", "美术", "劳动", "科学", "信息科技"), "不得被挤占的科目",
        "subjects the class's main-subject teachers may not take over",
        f"{PLAN_2022} (开齐开足); {BURDEN_2018}; 各地减负方案 (不得挤占体育、艺术、劳动、科学课)")
    main_subjects: tuple[str, ...] = _f(
        ("语文", "数学", "外语"), "主科（语数外）", "the main subjects whose teachers may not "
        "take over protected ones", f"{PLAN_2022}; 各地减负方案")
    generalist_teachers: bool = _f(
        False, "包班教学（小规模学校）", "small village schools: one teacher may teach every "
        "subject (挤占 not checked)", "小规模学校、教学点的包班教学 (local option)")
    service_minutes: int = _f(
        120, "课后服务每天时长下限（分钟）", "after-school service minutes per school day (at least)",
        f"{SERVICE_5_2}; {SERVICE_2017}")
    service_end_not_before: str | None = _f(
        None, "课后服务结束不早于", "after-school service ends no earlier than (local work end)",
        f"{SHUANGJIAN}: 结束时间原则上不早于当地正常下班时间 — the local profile sets the time")
    min_lunch_minutes: int = _f(
        60, "午间休息时长下限（分钟）", "minimum lunch and noon rest on a day with afternoon lessons",
        f"{SHUANGJIAN}; 各地减负方案 (午间不得集中上课); 60 is jianfu's floor, no national number")
    school_days: tuple[str, ...] = _f(
        ("Mon", "Tue", "Wed", "Thu", "Fri"), "上课日", "days lessons may be held (Mon..Sun)",
        f"{BURDEN_2018}: 严禁利用节假日、双休日组织集体补课")
    period_minutes_range: tuple[tuple[int, int], tuple[int, int]] = _f(
        ((40, 40), (45, 45)), "长短课范围（分钟，小学, 初中）", "shortest and longest period "
        "allowed (长短课, primary, junior); the weekly minutes are kept",
        f"{PLAN_2022}: 小学每课时40分钟、初中45分钟，可根据实际适当调整（长短课），总课时不变")
    long_break_common: bool = _f(
        True, "全校统一大课间", "the long break is at one time for the whole school (false: per "
        "bell schedule, e.g. per campus)", f"{FITNESS_2021}: 学校每天统一安排30分钟的大课间")
    # --- homework (docs/policy.md §2) --------------------------------------------------
    homework_cap_weekday: tuple[int, ...] = _f(
        (0, 0, 60, 60, 60, 60, 90, 90, 90), "书面作业每日上限（分钟）",
        "written homework cap per school day, minutes per grade",
        f"{SHUANGJIAN}: 一二年级不布置书面家庭作业，三至六年级不超过60分钟，初中不超过90分钟; "
        f"{HOMEWORK_2021}")
    homework_cap_weekend: tuple[int, ...] = _f(
        (0, 0, 60, 60, 60, 60, 90, 90, 90), "双休日书面作业上限（分钟）",
        "written homework cap for the weekend bucket, minutes per grade",
        f"{HOMEWORK_2021}; 各地减负方案: 双休日及节假日不得加大作业量")
    weekend_controlled: bool = _f(
        False, "统筹双休日作业", "plan a weekend homework bucket", f"{HOMEWORK_2021}: 控制总量")
    subject_homework_caps: tuple[tuple[str, int], ...] = _f(
        (), "分学科每日作业上限", "per-subject daily homework caps (subject, minutes)",
        "none national; a boarding-school rule: 语数英 ≤ 30, others ≤ 20")
    evening_rule: EveningRule | None = _f(
        None, "每晚作业学科数规则", "subjects-per-evening rule", LOCAL_003)
    lower_grades_max_oral_subjects: int | None = _f(
        None, "一二年级口头/实践作业学科数上限",
        "grades 1–2: at most this many subjects a day set oral/practical work",
        f"{LOCAL_003}: 一二年级晚上只可布置口头、实践等作业，且只可布置一科作业")
    lower_grades_oral_minutes: int = _f(
        15, "一二年级口头/实践作业每日时长上限（分钟）",
        "grades 1–2: oral/practical homework per class and day, minutes at most (0: none planned)",
        f"{SHUANGJIAN}: 一二年级不布置书面家庭作业; {LOCAL_003}: 只可布置口头、实践等作业; "
        "no document gives minutes: 15 is jianfu's default, not a national number")
    no_noon_homework: bool = _f(
        False, "中午不布置作业", "no homework set at noon", LOCAL_003)
    # --- soft rules ---------------------------------------------------------------
    weights: SoftWeights = _f(
        SoftWeights(), "软规则权重", "soft-rule weights", "jianfu defaults (policy.md §1 quality rules)")

    # --- derived lookups ------------------------------------------------------------
    def periods_for(self, grade: int) -> int:
        return self.weekly_periods[grade - 1]

    def pe_for(self, grade: int) -> int:
        return self.pe_per_week[grade - 1]

    def period_minutes_for(self, grade: int) -> int:
        return self.period_minutes[STAGES.index(stage_of(grade))]

    def study_cap_minutes(self, grade: int) -> int:
        return round(self.study_cap_hours[STAGES.index(stage_of(grade))] * 60)

    def earliest_start_minutes(self, grade: int) -> int:
        return parse_clock(self.earliest_start[STAGES.index(stage_of(grade))])

    def min_daily_break_for(self, grade: int) -> int:
        return self.min_daily_break_minutes[STAGES.index(stage_of(grade))]

    def curriculum_for(self, grade: int) -> dict[str, int]:
        """Weekly periods per curriculum subject for ``grade`` (zero entries dropped).

        When the profile asks for more PE than the plan (daily PE), the extra periods are
        taken from ``extra_pe_taken_from`` in order, so the weekly total is unchanged.
        """
        if not self.curriculum:
            return {}
        plan = {name: row[grade - 1] for name, row in self.curriculum}
        pe = "体育与健康"
        extra = max(0, self.pe_for(grade) - plan.get(pe, 0))
        plan[pe] = plan.get(pe, 0) + extra
        for donor in self.extra_pe_taken_from:
            take = min(extra, plan.get(donor, 0))
            plan[donor] -= take
            extra -= take
        if extra:
            raise InputError("pe_per_week", self.pe_for(grade),
                             f"grade {grade}: cannot find {extra} more PE periods in "
                             f"{', '.join(self.extra_pe_taken_from)}")
        return {name: n for name, n in plan.items() if n > 0}

    def period_range_for(self, grade: int) -> tuple[int, int]:
        return self.period_minutes_range[STAGES.index(stage_of(grade))]

    def homework_cap(self, grade: int, weekend: bool = False) -> int:
        caps = self.homework_cap_weekend if weekend else self.homework_cap_weekday
        return caps[grade - 1]

    def subject_cap(self, subject: str) -> int | None:
        return dict(self.subject_homework_caps).get(subject)


def parse_clock(text: str) -> int:
    """Parse ``"HH:MM"`` into minutes after midnight; raise ``ValueError`` when malformed."""
    hours, sep, minutes = str(text).partition(":")
    if not sep or not hours.strip().isdigit() or not minutes.strip().isdigit():
        raise ValueError(f"not a HH:MM time: {text!r}")
    h, m = int(hours), int(minutes)
    if not (0 <= h < 24 and 0 <= m < 60):
        raise ValueError(f"not a HH:MM time: {text!r}")
    return h * 60 + m


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


NATIONAL = Policy()

PROFILES: dict[str, Policy] = {
    "national": NATIONAL,
    "panjin": dataclasses.replace(
        NATIONAL, name="panjin",
        description=f"盘锦 Panjin ({LOCAL_000}): 小学三至六年级 ≤ 45 分钟, 初中 ≤ 60 分钟",
        homework_cap_weekday=(0, 0, 45, 45, 45, 45, 60, 60, 60),
        homework_cap_weekend=(0, 0, 45, 45, 45, 45, 60, 60, 60)),
    "zhongxian": dataclasses.replace(
        NATIONAL, name="zhongxian",
        description="忠县 Zhongxian (学校方案，网络转载本；jianfu seed 003): 七八年级 ≤ 90 分钟, 九年级 ≤ 120 分钟",
        homework_cap_weekday=(0, 0, 60, 60, 60, 60, 90, 90, 120),
        homework_cap_weekend=(0, 0, 60, 60, 60, 60, 90, 90, 120)),
    "chengnan": dataclasses.replace(
        NATIONAL, name="chengnan",
        description=f"城南小学 Chengnan primary ({LOCAL_003}): 三至五年级每晚至多两科作业; 一二年级只一科口头/实践作业; 中午不布置作业",
        evening_rule=EveningRule(
            grades=(3, 4, 5), max_subjects=2,
            groups=(("语文", "数学"), ("道德与法治", "科学", "外语"))),
        no_noon_homework=True,
        lower_grades_max_oral_subjects=1),
    "beijing-2024": dataclasses.replace(
        NATIONAL, name="beijing-2024",
        description=f"北京 2024 ({BEIJING_2024}): 课间15分钟, 上下午各一次30分钟大课间, "
                    "每天课间总时长 ≥ 90/105 分钟, 每天一节体育课",
        min_short_break_minutes=15, long_breaks_per_day=2,
        min_daily_break_minutes=(90, 105), daily_pe=True,
        pe_per_week=(5, 5, 5, 5, 5, 5, 5, 5, 5)),
    "national-2025": dataclasses.replace(
        NATIONAL, name="national-2025",
        description=f"国家 2025 ({STRONG_2025}): 每天综合体育活动时间不低于2小时（校内）；"
                    "每天一节体育课由地方选用 (policy field daily_pe)",
        daily_activity_minutes=120),
    "guangdong-2025": dataclasses.replace(
        NATIONAL, name="guangdong-2025",
        description=f"广东 2025 ({GUANGDONG_2025}): 每天一节体育课, 校内每天综合体育活动 120 分钟",
        daily_pe=True, daily_activity_minutes=120,
        pe_per_week=(5, 5, 5, 5, 5, 5, 5, 5, 5)),
}


def field_info(name: str) -> Mapping[str, str]:
    """Return the ``zh``/``en``/``source`` metadata of a policy field."""
    for f in dataclasses.fields(Policy):
        if f.name == name:
            return f.metadata
    raise KeyError(name)


def _coerce(name: str, value: Any, current: Any, where: str) -> Any:
    """Turn a YAML/JSON value into the field's type, or raise InputError naming it."""
    path = f"{where}.{name}"
    try:
        if name == "weights":
            if not isinstance(value, Mapping):
                raise TypeError("a mapping of weight names to numbers")
            known = {f.name for f in dataclasses.fields(SoftWeights)}
            bad = sorted(set(value) - known)
            if bad:
                raise TypeError(f"unknown weight {bad[0]!r}; known: {', '.join(sorted(known))}")
            for key, number in value.items():
                if isinstance(number, bool) or not isinstance(number, (int, float)) or number < 0:
                    raise TypeError(f"weight {key!r} must be a non-negative number, got {number!r}")
            return dataclasses.replace(current, **dict(value))
        if name == "evening_rule":
            if value is None:
                return None
            return EveningRule(grades=tuple(int(g) for g in value["grades"]),
                               max_subjects=int(value["max_subjects"]),
                               groups=tuple(tuple(str(s) for s in grp) for grp in value["groups"]))
        if name == "curriculum":
            if not isinstance(value, Mapping):
                raise TypeError("a mapping of subject to nine weekly periods (grades 1..9)")
            return tuple((str(k), _per_grade(v)) for k, v in value.items())
        if name == "curriculum_flexible":
            return tuple(tuple(str(x) for x in group) for group in value)
        if name == "period_minutes_range":
            pair = _per_stage(value, list)
            return tuple(_range(x) for x in pair)  # type: ignore[return-value]
        if name == "service_end_not_before":
            if value is None:
                return None
            parse_clock(value)
            return str(value)
        if name == "school_days":
            days = tuple(str(v) for v in value)
            bad = [d for d in days if d not in WEEKDAYS]
            if bad:
                raise ValueError(f"unknown day {bad[0]!r}; use {', '.join(WEEKDAYS)}")
            return days
        if name == "subject_homework_caps":
            if not isinstance(value, Mapping):
                raise TypeError("a mapping of subject to minutes")
            return tuple((str(k), _nonneg_int(v)) for k, v in value.items())
        if isinstance(current, bool):
            if not isinstance(value, bool):
                raise TypeError("true or false")
            return value
        if name in ("name", "description"):
            return str(value)
        if name in _PER_GRADE:
            caps = _per_grade(value)
            if name.startswith("homework_cap") and any(caps[:2]):
                # the national rule the checker enforces whatever the profile says
                raise ValueError("一、二年级不布置书面家庭作业 grades 1 and 2 get no written "
                                 "homework: their caps must be 0")
            return caps
        if name in _PER_STAGE:
            return _per_stage(value, type(current[0]))
        if isinstance(current, tuple):
            return tuple(str(v) for v in value)
        if current is None or isinstance(current, int):
            if value is None:
                return None
            return _nonneg_int(value)
    except (TypeError, ValueError, KeyError) as exc:
        raise InputError(path, value, str(exc)) from None
    raise InputError(path, value, "cannot be overridden")


_PER_GRADE = frozenset({"weekly_periods", "pe_per_week", "homework_cap_weekday", "homework_cap_weekend"})
_PER_STAGE = frozenset({"period_minutes", "min_daily_break_minutes", "study_cap_hours", "earliest_start"})


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _range(value: Any) -> tuple[int, int]:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise TypeError("a [shortest, longest] pair of minutes")
    low, high = _nonneg_int(value[0]), _nonneg_int(value[1])
    if not 0 < low <= high:
        raise ValueError(f"shortest {low} must be > 0 and ≤ longest {high}")
    return (low, high)


def _nonneg_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TypeError(f"a whole number ≥ 0, got {value!r}")
    return value


def _per_grade(value: Any) -> tuple[int, ...]:
    if isinstance(value, Mapping):
        out = [None] * 9
        for key, number in value.items():
            grade = int(key)
            if grade not in GRADES:
                raise ValueError(f"grade {key!r} is not 1..9")
            out[grade - 1] = _nonneg_int(number)
        if None in out:
            missing = [g for g in GRADES if out[g - 1] is None]
            raise ValueError(f"grades {missing} missing")
        return tuple(out)  # type: ignore[arg-type]
    if isinstance(value, (list, tuple)) and len(value) == 9:
        return tuple(_nonneg_int(v) for v in value)
    raise TypeError("nine numbers (grades 1..9) as a list or a mapping grade: number")


def _per_stage(value: Any, kind: type) -> tuple[Any, Any]:
    if isinstance(value, Mapping):
        bad = sorted(set(value) - set(STAGES))
        if bad:
            raise ValueError(f"unknown stage {bad[0]!r}; use primary, junior")
        value = [value["primary"], value["junior"]]
    if isinstance(value, (list, tuple)) and len(value) == 2:
        if kind is str:
            for v in value:
                parse_clock(v)
            return (str(value[0]), str(value[1]))
        if kind is float:
            return (float(value[0]), float(value[1]))
        if kind is list:
            return (value[0], value[1])
        return (_nonneg_int(value[0]), _nonneg_int(value[1]))
    raise TypeError("two values (primary, junior) as a list or a mapping")


def override(policy: Policy, changes: Mapping[str, Any], where: str = "policy") -> Policy:
    """Return ``policy`` with single fields replaced; errors name ``where.field``."""
    names = {f.name for f in dataclasses.fields(Policy)}
    updates: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in names:
            raise InputError(f"{where}.{key}", value,
                             "unknown policy field; see `jianfu policy show`")
        updates[key] = _coerce(key, value, getattr(policy, key), where)
    return dataclasses.replace(policy, **updates)


def load_policy(name_or_path: str | Path | None = None,
                overrides: Mapping[str, Any] | None = None,
                _seen: tuple[str, ...] = ()) -> Policy:
    """Load a built-in profile by name, or a profile file that ``extends`` another.

    A profile file (YAML or JSON) has ``extends: <profile name or file>`` (default
    ``national``), optional ``name``/``description`` and any policy field to override.
    """
    key = "national" if name_or_path is None else str(name_or_path)
    if key in PROFILES:
        policy = PROFILES[key]
    else:
        path = Path(key)
        if not path.is_file():
            raise InputError("policy", key,
                             f"not a built-in profile ({', '.join(PROFILES)}) nor a file")
        if str(path.resolve()) in _seen:
            raise InputError(str(path), key, "profile extends itself (cycle)")
        data = _read_mapping(path)
        base = data.pop("extends", "national")
        if base not in PROFILES and not Path(base).is_absolute():
            candidate = path.parent / str(base)
            base = str(candidate) if candidate.is_file() else base
        parent = load_policy(base, None, _seen + (str(path.resolve()),))
        data.setdefault("name", path.stem)
        policy = override(parent, data, where=str(path))
    if overrides:
        policy = override(policy, overrides)
    return policy


def _read_mapping(path: Path) -> dict[str, Any]:
    from .textfile import load_data

    data = load_data(path)
    if not isinstance(data, dict):
        raise InputError(str(path), type(data).__name__, "a profile file must be a mapping")
    return data


def policy_rows(policy: Policy) -> list[tuple[str, str, str, str]]:
    """Rows ``(field, value, description, source)`` for ``jianfu policy show``."""
    rows = []
    for f in dataclasses.fields(Policy):
        if f.name in ("name", "description"):
            continue
        value = getattr(policy, f.name)
        if isinstance(value, SoftWeights):
            shown = ", ".join(f"{k}={getattr(value, k)}" for k in SoftWeights.__slots__)
        elif isinstance(value, EveningRule):
            shown = (f"grades {list(value.grades)}: ≤{value.max_subjects} subjects, one of each "
                     + " | ".join("/".join(g) for g in value.groups))
        elif isinstance(value, tuple) and len(value) == 9 and all(isinstance(v, int) for v in value):
            shown = " ".join(f"g{g}:{v}" for g, v in zip(GRADES, value))
        else:
            shown = str(value)
        rows.append((f.name, shown, f"{f.metadata['zh']} — {f.metadata['en']}", f.metadata["source"]))
    return rows
