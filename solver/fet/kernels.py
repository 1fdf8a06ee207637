"""The numba kernels of recursive swapping: placing, ejecting and undoing units.

:func:`swap_search` is the entry point (:func:`place_chain`: one ejection chain, for
tests); everything they call runs without numba's reference counting (see
:data:`jianfu.solver.fet.data.kernel`). The kernels take records, never loose arrays:
the read-only :class:`~jianfu.solver.fet.data.Grid`, :class:`~jianfu.solver.fet.data.Units`,
:class:`~jianfu.solver.fet.data.Resources` and :class:`~jianfu.solver.fet.data.Pairs`
built by :mod:`jianfu.solver.fet.data`, and the mutable :class:`State` (the
timetable being built), :class:`Frames` (the stack of an ejection chain),
:class:`Work` (scratch room) and :class:`Waiting` (units waiting to be placed),
which :func:`swap_search` allocates. Every kernel lists the records first, read-only
ones before mutable ones, then its scalars. :mod:`jianfu.solver.fet.search` drives
the episodes; :mod:`jianfu.solver.fet.twin` is a plain-Python twin of
:func:`_place_chain` for the tests.
"""

from typing import NamedTuple

import numpy as np
from numba import njit

from .data import MEND, OPT, kernel


class State(NamedTuple):
    """The timetable being built, and what undoes changes to it.

    A move (one call of :func:`_conflicts`) has a number, ``tag[0]``; ``stamp[w] ==
    tag[0]`` says unit w already leaves in this move. Changes of ``start`` are logged
    in ``log_u`` / ``log_s`` (unit, its start before), ``logn[0]`` entries.
    """

    start: np.ndarray            # unit → placement code (−1: not placed)
    occ: np.ndarray              # [resource, cell] units there
    own: np.ndarray              # [resource, cell] the unit put there last (−1: none known)
    stamp: np.ndarray            # unit → tag of the move it last had to leave in
    tag: np.ndarray              # [1] the current move's tag
    inchain: np.ndarray          # unit → placed by the current ejection chain
    log_u: np.ndarray
    log_s: np.ndarray
    logn: np.ndarray             # [1]


class Frames(NamedTuple):
    """The explicit stack of :func:`_place_chain`: frame L places unit ``unit[L]``."""

    unit: np.ndarray             # [level]
    cells: np.ndarray            # [level, k] its starts, best first ...
    n: np.ndarray                # [level] ... how many
    pos: np.ndarray              # [level] the next to try
    mark: np.ndarray             # [level] log length before its current start
    ej: np.ndarray               # [level, k] the units that start pushed out ...
    nej: np.ndarray              # [level] ... how many
    next: np.ndarray             # [level] the next of them to place again
    busy: np.ndarray             # [level] a start is in place


class Work(NamedTuple):
    """Scratch room the kernels write before they read."""

    out: np.ndarray              # [unit] units in the way of a move
    score: np.ndarray            # [start] :func:`_setup`'s scores ...
    idx: np.ndarray              # [start] ... and their order
    days: np.ndarray             # [day] :func:`_free_a_day`'s hours per day


class Waiting(NamedTuple):
    """Units waiting to be placed (the hardest on top), and FET's guards against cycling."""

    stack: np.ndarray            # [unit + 1]
    tabu: np.ndarray             # [unit, code] step until which the unit may not go back
    tried: np.ndarray            # [unit, code] times it was pushed out from there


@kernel
def _pair_pen(grid, kind, k, ca, cb, da, db):
    """Whether a pair rule of ``kind`` (see :mod:`~jianfu.solver.fet.data`) is broken
    with its units at cells ``ca`` and ``cb``, durations ``da``, ``db``: > 0 if so."""
    H = grid.n_hours
    dA, hA = ca // H, ca % H
    dB, hB = cb // H, cb % H
    if kind == 0:                   # MIN_DAYS: k days apart
        dist = abs(dA - dB)
        return k - dist if dist < k else 0
    if kind == 1:                   # ADJACENT_IF_SAME_DAY
        if dA != dB:
            return 0
        return 0 if (hB == hA + da or hA == hB + db) else 1
    if kind == 3:                   # SAME_HOUR
        return 1 if hA != hB else 0
    if kind == 4:                   # SAME_DAY
        return 1 if dA != dB else 0
    if kind == 5:                   # MIN_GAPS: k hours on the clock between them that day
        if dA != dB:
            return 0
        short = hB + db + k - hA if hA >= hB else hA + da + k - hB
        return short if short > 0 else 0
    if kind == 6:                   # NOT_OVERLAPPING
        if dA != dB:
            return 0
        shared = min(hA + da, hB + db) - max(hA, hB)
        return shared if shared > 0 else 0
    if kind == 7:                   # ENDS_DAY: nothing of b after a ends that day
        return 1 if dA == dB and hB + db > hA + da else 0
    # CONSECUTIVE: b right after a that day, only break hours between
    if dA != dB or hB < hA + da:
        return 1
    for h in range(hA + da, hB):
        if not grid.brk[dA * H + h]:
            return 1
    return 0


@kernel
def _put(units, st, u, code, sign):
    """Add (sign 1) or take away (−1) unit u placed by ``code`` (cell + D × H × room option).

    ``own[r, cell]``: the unit put there last and still there (−1: none known), so
    :func:`_conflicts` finds the occupant of a one-place resource without a scan.
    """
    occ, own = st.occ, st.own
    fp_res, fp_off = units.fp_res, units.fp_off
    DH = occ.shape[1]
    cell, opt = code % DH, code // DH
    for k in range(units.fp_ptr[u], units.fp_ptr[u + 1]):
        o = fp_off[k] // OPT - 1
        if o < 0 or o == opt:
            r, x = fp_res[k], cell + fp_off[k] % OPT
            occ[r, x] += sign
            if sign > 0:
                own[r, x] = u
            elif own[r, x] == u:
                own[r, x] = -1


@kernel
def _covers(units, st, w, r, x):
    """Whether placed unit w holds resource r at cell x."""
    DH = st.occ.shape[1]
    s = st.start[w]
    for kk in range(units.fp_ptr[w], units.fp_ptr[w + 1]):
        oo = units.fp_off[kk] // OPT - 1
        if oo >= 0 and oo != s // DH:
            continue
        if units.fp_res[kk] == r and s % DH + units.fp_off[kk] % OPT == x:
            return True
    return False


@kernel
def _holder(units, res, st, r, x, u, tag):
    """A unit other than u, not already leaving, holding resource r at cell x (−1: none)."""
    start, stamp = st.start, st.stamp
    w = st.own[r, x]
    if w >= 0 and w != u and start[w] >= 0 and stamp[w] != tag:
        return w
    for j in range(res.ru_ptr[r], res.ru_ptr[r + 1]):
        w = res.ru[j]
        if w != u and start[w] >= 0 and stamp[w] != tag and _covers(units, st, w, r, x):
            return w
    return -1


@kernel
def _free_a_day(grid, units, res, st, work, u, c, r, n):
    """Max days per week of resource r: when u at c would open one day too many, the
    units on r's day with the fewest hours staying leave too (FET does the same).
    Appends them to ``work.out[:n]`` and returns its new length."""
    occ, hours, out = st.occ, work.days, work.out
    tag = st.tag[0]
    most = res.rules[r, 3]
    H = grid.n_hours
    DH = occ.shape[1]
    D = DH // H
    d = c % DH // H
    hours[:D] = 0                              # hours of units staying, per day
    for x in range(DH):
        if occ[r, x] > 0:
            if _holder(units, res, st, r, x, u, tag) >= 0:
                hours[x // H] += 1
    used = 0
    for dd in range(D):
        used += hours[dd] > 0
    if hours[d] > 0 or used < most:
        return n
    pick, low, seen = -1, DH + 1, 0
    for dd in range(D):
        if dd == d or hours[dd] == 0 or hours[dd] > low:
            continue
        if hours[dd] < low:
            low, seen = hours[dd], 0
        seen += 1
        if np.random.randint(seen) == 0:
            pick = dd
    for x in range(pick * H, pick * H + H):
        if occ[r, x] > 0:
            w = _holder(units, res, st, r, x, u, tag)
            if w >= 0:
                st.stamp[w] = tag
                out[n] = w
                n += 1
    return n


@kernel
def _mend_gaps(grid, units, res, st, work, u, c, r, n):
    """Max gaps of resource r: while its lower bound (:func:`_lower_cost`) with u at c
    and ``work.out[:n]`` gone is above 0, a unit of r at the first or last hour of one
    of its days leaves too (at random; FET does the same), at most ``MEND`` of them.
    Returns the new length of ``work.out``."""
    occ, start, out = st.occ, st.start, work.out
    tag = st.tag[0]
    D, H = grid.n_days, grid.n_hours
    for j in range(n):
        _put(units, st, out[j], start[out[j]], -1)
    _put(units, st, u, c, 1)
    m = n
    for _ in range(MEND):
        if _lower_cost(grid, res, occ, r) == 0:
            break
        pick, seen = -1, 0
        for d in range(D):
            first, last = -1, -1
            for h in range(H):
                if occ[r, d * H + h] > 0:
                    if first < 0:
                        first = h
                    last = h
            if first < 0:
                continue
            for h in (first, last):
                w = _holder(units, res, st, r, d * H + h, u, tag)
                if w >= 0 and not st.inchain[w] and w != pick:
                    seen += 1
                    if np.random.randint(seen) == 0:
                        pick = w
        if pick < 0:
            break
        st.stamp[pick] = tag
        out[m] = pick
        m += 1
        _put(units, st, pick, start[pick], -1)
    for j in range(m - 1, n - 1, -1):
        _put(units, st, out[j], start[out[j]], 1)
    _put(units, st, u, c, -1)
    for j in range(n):
        _put(units, st, out[j], start[out[j]], 1)
    return m


@kernel
def _empty_short_days(grid, units, res, st, work, u, c, r, n):
    """Min hours daily (empty days allowed) of resource r: while its lower bound
    (:func:`_lower_cost`) with u at c and ``work.out[:n]`` gone is above 0, the units
    on r's day with the fewest hours, fewer than the minimum (u's day aside), leave
    too (ties at random), at most ``MEND`` of them. Without it a lesson alone on a day
    stays there even when the lessons left could only join it on days it cannot
    reach, and no start of theirs keeps the rule (TelPolytech_even: 248 of 712 units
    left in 12 s; with it none in 4 s). Returns the new length of ``work.out``."""
    occ, start, out = st.occ, st.start, work.out
    tag = st.tag[0]
    D, H = grid.n_days, grid.n_hours
    d0 = c % (D * H) // H
    for j in range(n):
        _put(units, st, out[j], start[out[j]], -1)
    _put(units, st, u, c, 1)
    m = n
    while m - n < MEND and _lower_cost(grid, res, occ, r) > 0:
        pick, low, seen = -1, res.rules[r, 2] - 1, 0
        for d in range(D):
            k = 0
            for h in range(H):
                k += occ[r, d * H + h] > 0
            if d == d0 or k == 0 or k > low:
                continue
            if k < low:
                low, seen = k, 0
            seen += 1
            if np.random.randint(seen) == 0:
                pick = d
        if pick < 0:
            break
        before = m
        for x in range(pick * H, pick * H + H):
            w = _holder(units, res, st, r, x, u, tag) if occ[r, x] > 0 else -1
            if w >= 0 and m - n < MEND:
                st.stamp[w] = tag
                out[m] = w
                m += 1
                _put(units, st, w, start[w], -1)
        if m == before:
            break
    for j in range(m - 1, n - 1, -1):
        _put(units, st, out[j], start[out[j]], 1)
    _put(units, st, u, c, -1)
    for j in range(n):
        _put(units, st, out[j], start[out[j]], 1)
    return m


@kernel
def _conflicts(grid, units, res, pairs, st, work, u, c, mend):
    """A new move: units that must leave for u to be placed by code c, into
    ``work.out``; returns how many, −1 if c is impossible.

    Also the units whose leaving frees a day for u where a max-days rule demands it
    (:func:`_free_a_day`) and, with ``mend``, those whose leaving lets u's resources
    meet their max-gaps rules (:func:`_mend_gaps`). Only the forced placement mends
    gaps: in ejection chains it makes more work than it saves (secondary_school
    2–3 s → 24 s)."""
    start, occ, own, stamp, out = st.start, st.occ, st.own, st.stamp, work.out
    cap, fp_res, fp_off = res.cap, units.fp_res, units.fp_off
    st.tag[0] += 1
    tag = st.tag[0]
    DH = occ.shape[1]
    n = 0
    for k in range(units.fp_ptr[u], units.fp_ptr[u + 1]):
        o = fp_off[k] // OPT - 1
        if o >= 0 and o != c // DH:
            continue
        r = fp_res[k]
        cell = c % DH + fp_off[k] % OPT
        if cap[r, cell] == 0:
            return -1
        if occ[r, cell] < cap[r, cell]:
            continue
        # the resource is full at this hour: push out one unit covering it
        pick = -1
        seen = 0
        w = own[r, cell]
        if cap[r, cell] == 1 and w >= 0 and w != u and start[w] >= 0:
            if stamp[w] != tag:              # else already leaving: nothing more needed
                stamp[w] = tag
                out[n] = w
                n += 1
            continue
        for j in range(res.ru_ptr[r], res.ru_ptr[r + 1]):
            w = res.ru[j]
            if w == u or start[w] < 0 or not _covers(units, st, w, r, cell):
                continue
            if stamp[w] == tag:              # already leaving: nothing more needed
                pick = -2
                break
            seen += 1
            if np.random.randint(seen) == 0:
                pick = w
        if pick >= 0:
            stamp[pick] = tag
            out[n] = pick
            n += 1
    rows = pairs.rows
    for k in range(pairs.ptr[u], pairs.ptr[u + 1]):
        q = pairs.idx[k]
        a, b = rows[q, 0], rows[q, 1]
        w = b if a == u else a
        if w == u or start[w] < 0 or stamp[w] == tag:
            continue
        ca = (c if a == u else start[a]) % DH
        cb = (c if b == u else start[b]) % DH
        if _pair_pen(grid, rows[q, 4], rows[q, 5], ca, cb, rows[q, 2], rows[q, 3]) > 0:
            stamp[w] = tag
            out[n] = w
            n += 1
    for k in range(units.ures_ptr[u], units.ures_ptr[u + 1]):
        r = units.ures[k]
        if res.rules[r, 3] >= 0:
            n = _free_a_day(grid, units, res, st, work, u, c, r, n)
        if res.rules[r, 2] >= 0:
            n = _empty_short_days(grid, units, res, st, work, u, c, r, n)
        if mend and (res.rules[r, 4] >= 0 or res.rules[r, 5] >= 0):
            n = _mend_gaps(grid, units, res, st, work, u, c, r, n)
    return n


@kernel
def _lower_cost(grid, res, occ, r):
    """A lower bound on resource r's final rule cost, given what is placed now.

    Max hours a day, max days (in the week or with a lesson in an interval of hours)
    and hours beyond the longest run allowed (max hours continuously) only grow as
    lessons are added, so they count in full; gaps, late beginnings (with those at the
    second hour) and missing minimum hours can each be cut by at most one per hour
    still to place (``res.tot[r]`` − placed), one hour cutting a minimum and either a
    gap or a beginning, so the larger of the missing hours and gaps + beginnings counts
    beyond that. Zero at every state a timetable can be completed from.
    """
    skip, rules = res.skip, res.rules
    D, H = grid.n_days, grid.n_hours
    placed = 0
    hard = 0
    days = 0
    gaps = 0
    late = 0
    second = 0
    gaps_day = 0
    short = 0
    for d in range(D):
        base = d * H
        n = 0
        first = -1
        last = -1
        for h in range(H):
            o = occ[r, base + h]
            if o > 0:
                n += o
                if first < 0:
                    first = h
                last = h
        placed += n
        if rules[r, 0] >= 0 and n > rules[r, 0]:
            hard += n - rules[r, 0]
        if n > 0:
            days += 1
            if rules[r, 7] >= 0:
                run = 0
                for h in range(first, last + 1):
                    run = run + 1 if occ[r, base + h] > 0 else 0
                    if run > rules[r, 7]:
                        hard += 1
            g = 0
            for h in range(first + 1, last):
                if occ[r, base + h] == 0 and not skip[r, base + h]:
                    g += 1
            gaps += g
            if rules[r, 5] >= 0 and g > rules[r, 5]:
                gaps_day += g - rules[r, 5]
            if rules[r, 6] >= 0:
                a0 = -1
                a1 = -1
                for h in range(H):
                    if not skip[r, base + h]:
                        if a0 < 0:
                            a0 = h
                        elif a1 < 0:
                            a1 = h
                            break
                if a0 >= 0 and occ[r, base + a0] == 0:
                    if a1 >= 0 and occ[r, base + a1] > 0:
                        second += 1
                    else:
                        late += 1
            if rules[r, 2] > n:
                short += rules[r, 2] - n
        if rules[r, 1] > n:
            short += rules[r, 1] - n
    if rules[r, 3] >= 0 and days > rules[r, 3]:
        hard += days - rules[r, 3]
    if rules[r, 8] >= 0:
        inside = 0
        for d in range(D):
            for h in range(rules[r, 9], rules[r, 10]):
                if occ[r, d * H + h] > 0:
                    inside += 1
                    break
        if inside > rules[r, 8]:
            hard += inside - rules[r, 8]
    rem = res.tot[r] - placed
    # what the hours left could still mend: one hour adds one hour to one day (one
    # missing minimum hour less) and either fills one gap or mends one day's beginning,
    # never both (a gap lies after the day's first lesson, its beginning before). So
    # the hours needed are at least the missing minimum hours and at least the gaps
    # plus the beginnings, not their sum (that refused every start of a class whose
    # hours just meet its daily minimum but the first hour: simpler-Italian placed
    # nothing in 15 s), nor only the largest (weaker than it need be: a gap and a
    # beginning still take two hours)
    gap = gaps_day
    if rules[r, 4] >= 0 and gaps - rules[r, 4] > gap:
        gap = gaps - rules[r, 4]
    begin = late + max(0, second - rules[r, 6]) if rules[r, 6] >= 0 else 0
    mend = gap + begin if gap + begin > short else short
    return hard + max(0, mend - rem)


@kernel
def _sync_ok(res, st, a):
    """Whether full resource a and each partner have as many hours free together as
    the units they share still to place need (see :func:`_sync_pairs`)."""
    occ, own, skip, sync = st.occ, st.own, res.skip, res.sync
    K = sync.shape[1] // 2
    for k in range(K):
        b = sync[a, k]
        if b < 0:
            break
        need = sync[a, K + k]
        free = 0
        for x in range(occ.shape[1]):
            if skip[a, x] or skip[b, x]:
                continue
            if occ[a, x] == 0:
                if occ[b, x] == 0:
                    free += 1
            elif occ[b, x] > 0 and own[a, x] >= 0 and own[a, x] == own[b, x]:
                need -= 1                # a shared unit placed here
        if need > free:
            return False
    return True


@kernel
def _sync_cost(units, res, st, work, u, c, n):
    """How many of u's full resources fail :func:`_sync_ok` once ``work.out[:n]`` leave
    and u is at c: a hole that only moving something else can fill, so the search
    counts each as one more unit in the way (counting rather than refusing: refusing
    such starts stalls secondary_school, whose classes have two hours of slack)."""
    start, out, sync = st.start, work.out, res.sync
    found = False
    for k in range(units.ures_ptr[u], units.ures_ptr[u + 1]):
        if sync[units.ures[k], 0] >= 0:
            found = True
            break
    if not found:
        return 0
    for j in range(n):
        _put(units, st, out[j], start[out[j]], -1)
    _put(units, st, u, c, 1)
    cost = 0
    for k in range(units.ures_ptr[u], units.ures_ptr[u + 1]):
        r = units.ures[k]
        if sync[r, 0] >= 0 and not _sync_ok(res, st, r):
            cost += 1
    _put(units, st, u, c, -1)
    for j in range(n):
        _put(units, st, out[j], start[out[j]], 1)
    return cost


@kernel
def _rules_hold(grid, units, res, st, work, u, c, n):
    """Whether u's resources can still meet their rules once ``work.out[:n]`` leave and
    u is at c."""
    start, out = st.start, work.out
    any_rules = False
    for k in range(units.ures_ptr[u], units.ures_ptr[u + 1]):
        if res.has_rules[units.ures[k]]:
            any_rules = True
    if not any_rules:
        return True
    for j in range(n):
        _put(units, st, out[j], start[out[j]], -1)
    _put(units, st, u, c, 1)
    ok = True
    for k in range(units.ures_ptr[u], units.ures_ptr[u + 1]):
        r = units.ures[k]
        if res.has_rules[r] and _lower_cost(grid, res, st.occ, r) > 0:
            ok = False
            break
    _put(units, st, u, c, -1)
    for j in range(n):
        _put(units, st, out[j], start[out[j]], 1)
    return ok


@kernel
def _undo(units, st, mark):
    """Replay the log backwards down to ``mark`` entries."""
    start, log_u, log_s = st.start, st.log_u, st.log_s
    for k in range(st.logn[0] - 1, mark - 1, -1):
        w = log_u[k]
        if start[w] >= 0:
            _put(units, st, w, start[w], -1)
        if log_s[k] >= 0:
            _put(units, st, w, log_s[k], 1)
        start[w] = log_s[k]
        st.inchain[w] = False
    st.logn[0] = mark


@kernel
def _log(st, w):
    """Log w's start before it changes."""
    st.log_u[st.logn[0]] = w
    st.log_s[st.logn[0]] = st.start[w]
    st.logn[0] += 1


@kernel
def _setup(grid, units, res, pairs, st, fr, work, L, u, max_level):
    """Frame L places unit u: its starts ordered by units in the way, plus full
    resources left short of shared hours (:func:`_sync_cost`), random ties."""
    score, idx, out = work.score, work.idx, work.out
    lo, hi = units.dom_ptr[u], units.dom_ptr[u + 1]
    for k in range(hi - lo):
        c = units.dom_cell[lo + k]
        n = _conflicts(grid, units, res, pairs, st, work, u, c, False)
        bad = n < 0 or (n > 0 and L >= max_level)
        if not bad:
            for j in range(n):
                if st.inchain[out[j]]:       # placed earlier in this chain: leave it
                    bad = True
                    break
        if not bad:
            bad = not _rules_hold(grid, units, res, st, work, u, c, n)
        if bad:
            score[k] = np.inf
        else:
            score[k] = n + _sync_cost(units, res, st, work, u, c, n) + np.random.random()
    m = 0                    # the finite scores, lowest first (insertion sort)
    for k in range(hi - lo):
        if score[k] == np.inf:
            continue
        j = m
        while j > 0 and score[idx[j - 1]] > score[k]:
            idx[j] = idx[j - 1]
            j -= 1
        idx[j] = k
        m += 1
    for j in range(m):
        fr.cells[L, j] = units.dom_cell[lo + idx[j]]
    fr.unit[L] = u
    fr.n[L] = m
    fr.pos[L] = 0


@kernel
def _place_chain(grid, units, res, pairs, st, fr, work, root, max_level, max_calls):
    """Place ``root`` by ejection chains of depth ≤ max_level (FET's recursive swapping).

    Depth-first with an explicit stack of frames: a frame tries its unit's starts in
    order; a start pushes out the units in the way, and each of those gets a frame
    of its own in turn. A frame out of starts fails, and its parent undoes its
    current start and tries the next one. Every change is logged, so undoing is
    replaying the log backwards. Returns whether ``root`` and every unit pushed out
    on the way are placed.
    """
    start, out = st.start, work.out
    calls = 1
    L = 0
    _setup(grid, units, res, pairs, st, fr, work, 0, root, max_level)
    fr.busy[0] = False
    while True:
        if not fr.busy[L]:                      # try the next start of frame L
            if fr.pos[L] >= fr.n[L] or calls > max_calls:
                if L == 0:
                    return False
                L -= 1                          # child failed: parent's start undone
                _undo(units, st, fr.mark[L])
                fr.busy[L] = False
                continue
            u = fr.unit[L]
            c = fr.cells[L, fr.pos[L]]
            fr.pos[L] += 1
            n = _conflicts(grid, units, res, pairs, st, work, u, c, False)
            # who must leave is drawn at random (which of a pool's rooms, which day to
            # free), so the draw may differ from _setup's: check it again
            clash = n < 0 or (n > 0 and L >= max_level)
            for j in range(n):
                if st.inchain[out[j]]:
                    clash = True
                    break
            if clash:
                continue
            fr.mark[L] = st.logn[0]
            for j in range(n):
                w = out[j]
                fr.ej[L, j] = w
                _log(st, w)
                _put(units, st, w, start[w], -1)
                start[w] = -1
            _log(st, u)
            _put(units, st, u, c, 1)
            start[u] = c
            st.inchain[u] = True
            fr.nej[L] = n
            fr.next[L] = 0
            fr.busy[L] = True
        if fr.next[L] == fr.nej[L]:             # frame L done
            if L == 0:
                return True
            L -= 1
            fr.next[L] += 1
            continue
        w = fr.ej[L, fr.next[L]]
        if start[w] >= 0:                       # already back in place
            fr.next[L] += 1
            continue
        calls += 1
        _setup(grid, units, res, pairs, st, fr, work, L + 1, w, max_level)
        L += 1
        fr.busy[L] = False


@njit(cache=True)
def _allocate(grid, units, res, start, max_level):
    """The mutable records for a search from ``start``: :class:`State` (``start`` itself,
    occupancy filled in), :class:`Frames` for chains of depth ≤ ``max_level``,
    :class:`Work`."""
    U = units.dom_ptr.shape[0] - 1
    R, DH = res.cap.shape
    size = 64 * U * (max_level + 2)
    st = State(start, np.zeros((R, DH), np.int64), np.full((R, DH), -1, np.int64),
               np.zeros(U, np.int64), np.zeros(1, np.int64), np.zeros(U, np.bool_),
               np.empty(size, np.int64), np.empty(size, np.int64), np.zeros(1, np.int64))
    for u in range(U):
        if start[u] >= 0:
            _put(units, st, u, start[u], 1)
    levels = max_level + 2
    most = np.diff(units.dom_ptr).max()
    fr = Frames(np.empty(levels, np.int64), np.empty((levels, most), np.int64),
                np.empty(levels, np.int64), np.empty(levels, np.int64),
                np.empty(levels, np.int64), np.empty((levels, U), np.int64),
                np.empty(levels, np.int64), np.empty(levels, np.int64),
                np.zeros(levels, np.bool_))
    work = Work(np.empty(U, np.int64), np.empty(most), np.empty(most, np.int64),
                np.empty(grid.n_days, np.int64))
    return st, fr, work


@njit(cache=True, nogil=True)
def place_chain(grid, units, res, pairs, start, root, max_level, max_calls, seed):
    """One ejection chain (:func:`_place_chain`) for unplaced ``root`` from ``start``
    (updated), numba's generator seeded with ``seed``; returns whether it placed
    ``root``. The kernel side of :mod:`jianfu.solver.fet.twin`'s tests."""
    np.random.seed(seed)
    st, fr, work = _allocate(grid, units, res, start, max_level)
    return _place_chain(grid, units, res, pairs, st, fr, work, root, max_level, max_calls)


@njit(cache=True, nogil=True)
def swap_search(grid, units, res, pairs, order, start, best, best_left, max_steps, max_level,
                max_calls, seed, stop, tried):
    """FET's recursive swapping for ``max_steps`` steps from ``start`` (kept up to date).

    Returns the fewest units left unplaced so far: ``best_left`` on entry or a state
    of this call with fewer, then copied into ``best``. Returns early when another
    thread sets ``stop[0]`` (it runs without the GIL, side by side with CP-SAT).
    ``tried``: times each unit was pushed out from each start (see :class:`Waiting`).

    Units wait on a stack (the hardest on top). The top one is placed by
    :func:`_place_chain` (ejection chains of bounded depth, undone when they fail);
    when that fails it is placed anyway at the start with the fewest units in the
    way, which go on the stack (a unit pushed out may not return to that start for
    a few steps, FET's guard against cycling).
    """
    U = units.dom_ptr.shape[0] - 1
    st, fr, work = _allocate(grid, units, res, start, max_level)
    wait = Waiting(np.empty(U + 1, np.int64),
                   np.zeros((U, units.dom_cell.max() + 1), np.int64), tried)
    top = 0
    for k in range(order.shape[0] - 1, -1, -1):
        if start[order[k]] < 0:
            wait.stack[top] = order[k]
            top += 1
    return _swap_core(grid, units, res, pairs, st, fr, work, wait, top, best, best_left,
                      max_steps, max_level, max_calls, seed, stop)


@njit(cache=True, nogil=True, _nrt=False)
def _swap_core(grid, units, res, pairs, st, fr, work, wait, top, best, best_left, max_steps,
               max_level, max_calls, seed, stop):
    """:func:`swap_search`'s steps, on the records it allocated (a :data:`kernel`,
    without the GIL); ``top``: units on ``wait.stack``."""
    np.random.seed(seed)
    start, out = st.start, work.out
    stack, tabu, tried = wait.stack, wait.tabu, wait.tried
    U = units.dom_ptr.shape[0] - 1
    step = 0
    while top > 0 and step < max_steps:
        if step % 64 == 0 and stop[0]:
            break
        step += 1
        top -= 1
        u = stack[top]
        st.logn[0] = 0
        ok = _place_chain(grid, units, res, pairs, st, fr, work, u, max_level, max_calls)
        for k in range(st.logn[0]):
            st.inchain[st.log_u[k]] = False
        if not ok:
            # place it anyway where fewest units are in the way; they wait on the stack
            lo, hi = units.dom_ptr[u], units.dom_ptr[u + 1]
            best_c = -1
            best_s = np.inf
            for k in range(lo, hi):
                c = units.dom_cell[k]
                if tabu[u, c] > step:
                    continue
                n = _conflicts(grid, units, res, pairs, st, work, u, c, True)
                if n < 0 or not _rules_hold(grid, units, res, st, work, u, c, n):
                    continue
                # FET's choice: the start whose units in the way were pushed out from
                # where they are the fewest times before, then the fewest units
                low, wrong = 0, 0
                for j in range(n):
                    k = tried[out[j], start[out[j]]]
                    wrong += k
                    low = k if j == 0 or k < low else low
                # a start that leaves a full resource short of shared hours
                # (_sync_cost) only when every start does
                short = _sync_cost(units, res, st, work, u, c, n)
                sc = ((short * 1024.0 + low) * 1024.0 + wrong) * 1024.0 + n + np.random.random()
                if sc < best_s:
                    best_s, best_c = sc, c
            if best_c < 0:
                # nowhere to go: take two units sharing a resource out, then retry u
                for _ in range(2 if units.ures_ptr[u + 1] > units.ures_ptr[u] else 0):
                    k = units.ures_ptr[u] + np.random.randint(units.ures_ptr[u + 1]
                                                              - units.ures_ptr[u])
                    r = units.ures[k]
                    w = res.ru[res.ru_ptr[r] + np.random.randint(res.ru_ptr[r + 1]
                                                                 - res.ru_ptr[r])]
                    if start[w] < 0:
                        continue
                    _put(units, st, w, start[w], -1)
                    tabu[w, start[w]] = step + 5 + np.random.randint(10)
                    start[w] = -1
                    stack[top] = w
                    top += 1
                stack[top] = u
                top += 1
                continue
            n = _conflicts(grid, units, res, pairs, st, work, u, best_c, True)
            for j in range(n):
                w = out[j]
                _put(units, st, w, start[w], -1)
                tabu[w, start[w]] = step + 5 + np.random.randint(10)
                tried[w, start[w]] += 1
                start[w] = -1
                stack[top] = w
                top += 1
            _put(units, st, u, best_c, 1)
            start[u] = best_c
        if top < best_left:
            best_left = top
            for k in range(U):
                best[k] = start[k]
    return best_left

