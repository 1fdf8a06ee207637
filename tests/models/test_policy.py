"""Policy profiles: built-ins load, overrides are checked, profile files extend others."""

from __future__ import annotations

import dataclasses
import json

import pytest

from jianfu.models.errors import InputError
from jianfu.models.policy import (
    NATIONAL, PROFILES, Policy, SoftWeights, field_info, format_clock, load_policy, override,
    parse_clock, policy_rows, stage_of,
)


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_every_builtin_profile_loads(name):
    policy = load_policy(name)
    assert isinstance(policy, Policy) and policy.name == name
    assert len(policy.weekly_periods) == 9 and len(policy.pe_per_week) == 9
    for grade in range(1, 10):
        assert policy.periods_for(grade) > 0
        assert 0 < policy.pe_for(grade) <= policy.periods_for(grade)
        assert policy.earliest_start_minutes(grade) >= 7 * 60


def test_default_is_national():
    assert load_policy() is NATIONAL and load_policy("national") is NATIONAL


def test_local_profiles_differ_where_their_sources_say():
    assert load_policy("beijing-2024").min_short_break_minutes == 15
    assert load_policy("beijing-2024").long_breaks_per_day == 2
    assert load_policy("guangdong-2025").daily_pe is True
    assert load_policy("panjin").homework_cap(9) == 60
    assert load_policy("zhongxian").homework_cap(9) == 120
    assert load_policy("chengnan").evening_rule is not None


def test_derived_lookups():
    p = NATIONAL
    assert p.periods_for(1) == 26 and p.periods_for(9) == 34
    assert p.period_minutes_for(3) == 40 and p.period_minutes_for(7) == 45
    assert p.study_cap_minutes(5) == 360
    assert p.earliest_start_minutes(1) == parse_clock("08:20")
    assert p.earliest_start_minutes(8) == 8 * 60
    assert stage_of(6) == "primary" and stage_of(7) == "junior"
    assert format_clock(parse_clock("07:05")) == "07:05"
    with pytest.raises(ValueError):
        parse_clock("25:00")


def test_overrides_replace_single_fields():
    p = load_policy("national", {"daily_activity_minutes": 120, "daily_pe": True,
                                 "earliest_start": {"primary": "08:30", "junior": "08:10"},
                                 "weights": {"teacher_gaps": 4}})
    assert p.daily_activity_minutes == 120 and p.daily_pe is True
    assert p.earliest_start == ("08:30", "08:10")
    assert p.weights.teacher_gaps == 4 and p.weights.spread == SoftWeights().spread
    grades = override(NATIONAL, {"pe_per_week": {str(g): 5 for g in range(1, 10)}})
    assert grades.pe_per_week == (5,) * 9
    assert NATIONAL.daily_pe is False        # the built-in is untouched


@pytest.mark.parametrize("changes, field, value", [
    ({"daily_pe": "yes"}, "policy.daily_pe", "yes"),
    ({"weekly_periods": [26, 26]}, "policy.weekly_periods", "[26, 26]"),
    ({"long_break_minutes": -5}, "policy.long_break_minutes", "-5"),
    ({"no_such_rule": 3}, "policy.no_such_rule", "3"),
    ({"weights": {"main_morning": -1}}, "policy.weights", "main_morning"),
    ({"weights": {"bogus": 1}}, "policy.weights", "bogus"),
    ({"earliest_start": ["8 am", "08:00"]}, "policy.earliest_start", "8 am"),
    ({"pe_per_week": {"10": 3}}, "policy.pe_per_week", "10"),
])
def test_bad_overrides_name_field_and_value(changes, field, value):
    with pytest.raises(InputError) as err:
        load_policy("national", changes)
    assert err.value.where == field
    assert value in str(err.value)


def test_unknown_profile_is_refused():
    with pytest.raises(InputError, match="not a built-in profile"):
        load_policy("atlantis")


def test_profile_file_extends_another(tmp_path):
    base = tmp_path / "district.yaml"
    base.write_text("extends: beijing-2024\ndaily_activity_minutes: 90\n"
                    "weights:\n  spread: 5\n", encoding="utf-8")
    school = tmp_path / "school.json"
    school.write_text(json.dumps({"extends": "district.yaml", "name": "城南小学",
                                  "earliest_start": ["08:30", "08:00"]}), encoding="utf-8")
    p = load_policy(str(school))
    assert p.name == "城南小学"
    assert p.earliest_start == ("08:30", "08:00")          # own field
    assert p.daily_activity_minutes == 90 and p.weights.spread == 5   # from district.yaml
    assert p.min_short_break_minutes == 15                  # from beijing-2024
    assert load_policy(str(base)).name == "district"        # name defaults to the file stem


def test_profile_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("study_cap_hours: lots\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_policy(str(bad))
    assert err.value.where == f"{bad}.study_cap_hours" and err.value.value == "lots"
    notmap = tmp_path / "list.yaml"
    notmap.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(InputError, match="must be a mapping"):
        load_policy(str(notmap))


def test_extends_cycle_is_refused(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n", encoding="utf-8")
    with pytest.raises(InputError, match="cycle"):
        load_policy(str(tmp_path / "a.yaml"))
    (tmp_path / "self.yaml").write_text("extends: self.yaml\n", encoding="utf-8")
    with pytest.raises(InputError, match="cycle"):
        load_policy(str(tmp_path / "self.yaml"))


def test_policy_rows_cover_every_field_with_a_source():
    rows = policy_rows(load_policy("chengnan"))
    names = [r[0] for r in rows]
    fields = [f.name for f in dataclasses.fields(Policy) if f.name not in ("name", "description")]
    assert names == fields
    for name, shown, description, source in rows:
        assert shown != "" and source, name
        assert field_info(name)["zh"] in description
    weights = dict((r[0], r[1]) for r in rows)["weights"]
    assert all(f"{w}=" in weights for w in SoftWeights.__slots__)
    assert "g1:26" in dict((r[0], r[1]) for r in rows)["weekly_periods"]


def test_two_donor_subjects_are_not_read_as_per_stage_times() -> None:
    from jianfu.models.policy import NATIONAL, override

    changed = override(NATIONAL, {"extra_pe_taken_from": ["综合实践活动", "地方与校本课程"]})
    assert changed.extra_pe_taken_from == ("综合实践活动", "地方与校本课程")


def test_written_homework_for_grades_1_and_2_is_refused() -> None:
    with pytest.raises(InputError) as err:
        override(load_policy("national"), {"homework_cap_weekday": [30, 0, 45, 45, 45, 45, 60, 60, 60]})
    assert err.value.where == "policy.homework_cap_weekday" and "grades 1 and 2" in str(err.value)


def test_every_policy_field_is_in_the_sources_page_and_names_a_document():
    from pathlib import Path

    from jianfu.models.policy import Policy

    page = (Path(__file__).parents[2] / "docs" / "policy-sources.md").read_text(encoding="utf-8")
    for f in dataclasses.fields(Policy):
        if f.name in ("name", "description"):
            continue
        assert f"`{f.name}`" in page, f.name
        assert "seed 0" not in f.metadata["source"] or "《" in f.metadata["source"], f.name


def test_oral_minutes_of_grades_1_and_2_default_and_override() -> None:
    assert load_policy("national").lower_grades_oral_minutes == 15
    chengnan = load_policy("chengnan")
    assert (chengnan.lower_grades_oral_minutes, chengnan.lower_grades_max_oral_subjects) == (15, 1)
    assert "jianfu's default" in field_info("lower_grades_oral_minutes")["source"]
    assert override(NATIONAL, {"lower_grades_oral_minutes": 0}).lower_grades_oral_minutes == 0
    with pytest.raises(InputError) as err:
        override(NATIONAL, {"lower_grades_oral_minutes": -5})
    assert err.value.where == "policy.lower_grades_oral_minutes"
