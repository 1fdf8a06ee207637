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
    assert "median ratio on files FET needs >= 10 s for: 0.17 (1 files)" in text
    assert "took <= 10 s: 1/1" in text and "| hard | 3 | 2 | 2 |" in text


def test_a_file_neither_tool_solves_has_no_ratio() -> None:
    (only,) = summary([run("x", 0, math.inf, None)])
    assert only["ratio"] is None and only["fet_found"] == only["jf_found"] == 0
    assert "(0 files)" in table([run("x", 0, math.inf, None)])
