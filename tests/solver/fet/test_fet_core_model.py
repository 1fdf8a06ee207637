"""FetModel reads the compiled core: its variables are the core's allowed starts."""

from __future__ import annotations

from pathlib import Path

from jianfu.instances.fet import read_fet
from jianfu.models.fet_core import compile_fet
from jianfu.solver.fet.model import FetModel

SMALL = Path(__file__).parents[2] / "instances" / "data" / "fet" / "small.fet"


def test_variables_resources_and_terms_come_from_the_core():
    p = read_fet(SMALL)
    fm = FetModel(p)
    fm.build()
    core = compile_fet(p)
    assert fm.core == core
    for i, a in enumerate(core.activities):
        assert set(fm.x[i]) == {(core.slots[s].day, core.slots[s].period) for s in a.slots}
    assert {t: tuple(v) for t, v in fm.by_t.items()} == \
        {t: acts for t, acts in enumerate(core.activities_of_teacher) if acts}
    assert {s: tuple(v) for s, v in fm.by_s.items()} == \
        {s: acts for s, acts in enumerate(core.activities_of_group) if acts}
    soft = {c.family for c in core.constraints if not c.hard and c.weight > 0}
    assert set(fm.terms) <= soft
    for t, teacher in enumerate(core.teachers):
        assert fm.teacher_na[t] == {(core.slots[s].day, core.slots[s].period)
                                    for s in teacher.unavailable}
