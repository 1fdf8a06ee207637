"""The ejection chain kernel agrees with its plain-Python twin, compiled and not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numba import njit
from jianfu.solver.fet.data import (
    ADJACENT_IF_SAME_DAY,
    CONSECUTIVE,
    ENDS_DAY,
    MIN_DAYS,
    MIN_GAPS,
    NOT_OVERLAPPING,
    OPT,
    SAME_DAY,
    SAME_HOUR,
    SYNC_PARTNERS,
    Grid,
    Resources,
    Units,
    pair_rules,
)
from jianfu.solver.fet.kernels import place_chain
from jianfu.solver.fet.twin import place_by_chain


def random_instance(seed: int, pool: bool) -> tuple:
    """A small week, teachers/classes of capacity 1, units of one or two hours, some
    choosing between two rooms with their start, a few pair rules, and (``pool``) a
    pool of two rooms; placed at random where nothing is in the way, one unit left
    out. Returns (grid, units, res, pairs, start, root)."""
    rng = np.random.default_rng(seed)
    D, H = int(rng.integers(2, 4)), int(rng.integers(3, 5))
    DH = D * H
    n_people, n_rooms = 4, 2
    POOL = n_people + n_rooms
    R = POOL + pool
    cap = np.ones((R, DH), np.int64)
    cap[n_people:POOL][rng.random((n_rooms, DH)) < 0.15] = 0      # rooms closed some hours
    if pool:
        cap[POOL] = 2
    brk = np.zeros(DH, np.bool_)
    U = int(rng.integers(7, 12))
    doms, fps, durs = [], [], []
    for _ in range(U):
        dur = int(rng.integers(1, 3))
        durs.append(dur)
        people = rng.choice(n_people, size=int(rng.integers(1, 3)), replace=False)
        fp = [(int(r), k, -1) for r in people for k in range(dur)]
        options = 1
        if rng.random() < 0.3:                       # chooses room 0 or 1 with its start
            options = 2
            fp += [(n_people + j, k, j) for j in range(2) for k in range(dur)]
        elif pool and rng.random() < 0.5:
            fp += [(POOL, k, -1) for k in range(dur)]
        cells = [d * H + h for d in range(D) for h in range(H - dur + 1)
                 if rng.random() < 0.8]
        doms.append([c + DH * j for j in range(options) for c in cells])
        fps.append(fp)

    def csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        ptr = np.zeros(len(lists) + 1, np.int64)
        ptr[1:] = np.cumsum([len(x) for x in lists])
        return ptr, np.array([y for x in lists for y in x], np.int64)

    dom_ptr, dom_cell = csr(doms)
    fp_ptr, fp_res = csr([[r for r, _, _ in f] for f in fps])
    fp_off = np.array([k + OPT * (j + 1) for f in fps for _, k, j in f], np.int64)
    ures_ptr, ures = csr([sorted({r for r, _, _ in f}) for f in fps])
    ru_ptr, ru = csr([sorted(u for u in range(U) if any(r == x for x, _, _ in fps[u]))
                      for r in range(R)])
    units = Units(dom_ptr, dom_cell, fp_ptr, fp_res, fp_off, ures_ptr, ures)
    res = Resources(cap, np.zeros((R, DH), np.bool_), ru_ptr, ru, np.full((R, 7), -1, np.int64),
                    np.zeros(R, np.bool_), np.bincount(fp_res[fp_off < OPT], minlength=R),
                    np.full((R, 2 * SYNC_PARTNERS), -1, np.int64))
    rows = []
    for _ in range(int(rng.integers(1, 5))):
        a, b = (int(x) for x in rng.choice(U, size=2, replace=False))
        kind = int(rng.choice([MIN_DAYS, ADJACENT_IF_SAME_DAY, CONSECUTIVE, SAME_HOUR,
                               SAME_DAY, MIN_GAPS, NOT_OVERLAPPING, ENDS_DAY]))
        rows.append((a, b, durs[a], durs[b], kind, 1 if kind in (MIN_DAYS, MIN_GAPS) else 0))
    pairs = pair_rules(np.array(rows, np.int64).reshape(-1, 6), U)
    grid = Grid(D, H, brk)
    start = np.full(U, -1, np.int64)
    for u in rng.permutation(U):                    # greedy: where nothing is in the way
        for c in rng.permutation(doms[u]):
            probe = start.copy()
            probe[u] = c
            if _fits(grid, units, res, pairs, probe):
                start[u] = c
                break
    root = int(rng.choice(np.flatnonzero(start < 0))) if (start < 0).any() else 0
    start[root] = -1
    return grid, units, res, pairs, start, root


def _fits(grid, units, res, pairs, start) -> bool:
    """Whether ``start`` keeps every capacity and pair rule (the twin's own view)."""
    from jianfu.solver.fet.twin import _Chain

    chain = _Chain(grid, units, res, pairs, start, 0, 0)
    used = np.zeros_like(res.cap)
    for w in np.flatnonzero(start >= 0):
        for r, x in chain.holds(int(w), int(start[w])):
            used[r, x] += 1
    if (used > res.cap).any():
        return False
    return not any(start[a] >= 0 and start[b] >= 0 and chain.breaks_pair(q, int(a), start[a])
                   for q, (a, b) in enumerate(pairs.rows[:, :2]))


def agree(seed: int, pool: bool, max_level: int = 14, max_calls: int = 100) -> tuple[bool, int]:
    """Kernel and twin from the same instance and seed: same answer, same placements.
    Returns (placed, units moved besides the root)."""
    grid, units, res, pairs, start, root = random_instance(seed, pool)
    kernel_start, twin_start = start.copy(), start.copy()
    ok = place_chain(grid, units, res, pairs, kernel_start, root, max_level, max_calls, seed)
    twin_ok = place_by_chain(grid, units, res, pairs, twin_start, root, max_level, max_calls,
                             seed)
    assert ok == twin_ok, seed
    assert (kernel_start == twin_start).all(), (seed, kernel_start, twin_start)
    if ok:
        assert kernel_start[root] >= 0 and _fits(grid, units, res, pairs, kernel_start)
    else:
        assert (kernel_start == start).all()        # a failed chain is undone
    moved = int(((kernel_start != start) & (np.arange(len(start)) != root)).sum())
    return bool(ok), moved


@njit
def _numba_draws(seed: int, bounds: np.ndarray) -> np.ndarray:
    np.random.seed(seed)
    out = np.empty(len(bounds))
    for i in range(len(bounds)):
        out[i] = np.random.randint(bounds[i]) if bounds[i] else np.random.random()
    return out


def test_numba_draws_what_numpy_draws() -> None:
    # what lets the twin, drawing from NumPy, follow the compiled kernel
    bounds = np.random.default_rng(1).integers(0, 20, 2000)
    np.random.seed(7)
    numpy = [np.random.randint(b) if b else np.random.random() for b in bounds]
    assert (_numba_draws(7, bounds) == numpy).all()


@pytest.mark.parametrize("pool", [False, True])
@pytest.mark.parametrize("max_level,max_calls", [(14, 100), (2, 100), (1, 100), (14, 3)])
def test_kernel_and_twin_place_alike(max_level: int, max_calls: int, pool: bool) -> None:
    results = [agree(seed, pool=pool, max_level=max_level, max_calls=max_calls)
               for seed in range(40)]
    assert any(ok and moved for ok, moved in results)      # real chains, not only free starts
    assert not all(ok for ok, _ in results)                # and chains that fail


def test_twin_refuses_per_resource_rules() -> None:
    grid, units, res, pairs, start, root = random_instance(0, pool=False)
    res.rules[0, 0] = 2
    with pytest.raises(ValueError, match="pair rules only"):
        place_by_chain(grid, units, res._replace(has_rules=res.rules.max(axis=1) >= 0), pairs,
                       start, root, 14, 100, 0)


def test_kernel_runs_without_jit() -> None:
    # interpreted, the kernel is plain Python over NumPy's generator, as the twin
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_fet_twin import agree\n"
        "res = [agree(s, pool=True) for s in range(25)] + [agree(s, pool=False, max_calls=3)\n"
        "                                                   for s in range(10)]\n"
        "assert any(ok and moved for ok, moved in res)\n"
        "import numba; print(numba.config.DISABLE_JIT)\n")
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"
