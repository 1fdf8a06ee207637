"""The peer benchmark's summary over several runs per file (no fet-cl needed)."""

import math

from jianfu.benchmarks.fet_peer import summary, table


def run(file: str, seed: int, fet_s: float, jf_s: float | None) -> dict:
    return {"file": file, "seed": seed, "fet_status": "ok" if fet_s < math.inf else "timeout",
            "fet_s": fet_s if fet_s < math.inf else math.nan, "jf_s": jf_s}


def test_summary_takes_medians_and_counts_runs_without_a_timetable() -> None:
    rows = [run("hard", 0, 20.0, 4.0), run("hard", 1, math.inf, None), run("hard", 2, 30.0, 5.0),
            run("easy", 0, 1.0, 2.0)]
    hard, easy = summary(rows)
    assert (hard["runs"], hard["fet_found"], hard["jf_found"]) == (3, 2, 2)
    assert hard["fet_s"] == 30.0 and hard["jf_s"] == 5.0       # a miss is slower than any find
    assert hard["ratio"] == 5.0 / 30.0 and easy["ratio"] == 2.0
    text = table(rows)
    assert "median ratio on files FET needs >= 10 s for: 0.17 (1 files, 0 without" in text
    assert "took <= 10 s: 1/1" in text and "| hard | 3 | 2 | 2 |" in text


def test_a_file_neither_tool_solves_has_no_ratio() -> None:
    (only,) = summary([run("x", 0, math.inf, None)])
    assert only["ratio"] is None and only["fet_found"] == only["jf_found"] == 0
    assert "(0 files," in table([run("x", 0, math.inf, None)])


def test_a_file_only_fet_solves_counts_as_infinitely_slow() -> None:
    rows = [run("a", 0, 20.0, 2.0), run("b", 0, 12.0, None), run("c", 0, 15.0, None)]
    a, b, _ = summary(rows)
    assert a["ratio"] == 0.1 and b["ratio"] == math.inf
    assert "for: inf (3 files, 2 without a jianfu timetable)" in table(rows)


def test_targets_count_only_fully_modelled_files() -> None:
    rows = [dict(run("a", 0, 2.0, 1.0), fet_soft=3.0, jf_soft=2.0, locked="accepted"),
            dict(run("b", 0, 1.0, 12.0), fet_soft=1.0, jf_soft=4.0, locked="killed"),
            dict(run("c", 0, 5.0, None), jf_status="infeasible"),
            dict(run("d", 0, 1.0, 1.0), left_out=3)]
    text = table(rows)
    assert "files jianfu models fully: 3/4" in text
    assert "took <= 10 s: 1/3" in text
    assert "median soft penalty <= FET's: 1/2" in text
    assert "jianfu declared infeasible: 1 (c)" in text
    assert "accepted locked (100 % rules): 1/2" in text


def test_read_list_skips_comments(tmp_path) -> None:
    from jianfu.benchmarks.fet_peer import DEVELOPMENT_SET_2, read_list

    f = tmp_path / "list.txt"
    f.write_text("# heading\nA/x.fet\n\nB/y.fet  # note\n", encoding="utf-8")
    assert read_list(f) == ["A/x.fet", "B/y.fet"]
    assert len(read_list(DEVELOPMENT_SET_2)) == 60
