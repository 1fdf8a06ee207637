"""The numba kernels of recursive swapping: placing, ejecting and undoing units.

:func:`swap_search` is the entry point; everything it calls runs without
numba's reference counting (see :data:`jianfu.solver.fet.data.kernel`). The arrays
are built by :mod:`jianfu.solver.fet.data`; :mod:`jianfu.solver.fet.search` drives
the episodes.
"""



import numpy as np
from numba import njit

from .data import MEND, OPT, kernel


@kernel
def _pair_pen(kind, k, ca, cb, da, db, H, brk):
    dA, hA = ca // H, ca % H
    dB, hB = cb // H, cb % H
    if kind == 0:
        dist = abs(dA - dB)
        return k - dist if dist < k else 0
    if kind == 1:
        if dA != dB:
            return 0
        return 0 if (hB == hA + da or hA == hB + db) else 1
    if dA != dB or hB < hA + da:
        return 1
    for h in range(hA + da, hB):
        if not brk[dA * H + h]:
            return 1
    return 0


@kernel
def _put(occ, own, u, code, sign, fp_ptr, fp_res, fp_off):
    """Add (sign 1) or take away (−1) unit u placed by ``code`` (cell + D × H × room option).

    ``own[r, cell]``: the unit put there last and still there (−1: none known), so
    :func:`_conflicts` finds the occupant of a one-place resource without a scan.
    """
    DH = occ.shape[1]
    cell, opt = code % DH, code // DH
    for k in range(fp_ptr[u], fp_ptr[u + 1]):
        o = fp_off[k] // OPT - 1
        if o < 0 or o == opt:
            r, x = fp_res[k], cell + fp_off[k] % OPT
            occ[r, x] += sign
            if sign > 0:
                own[r, x] = u
            elif own[r, x] == u:
                own[r, x] = -1


@kernel
def _covers(w, r, x, start, fp_ptr, fp_res, fp_off, DH):
    """Whether placed unit w holds resource r at cell x."""
    for kk in range(fp_ptr[w], fp_ptr[w + 1]):
        oo = fp_off[kk] // OPT - 1
        if oo >= 0 and oo != start[w] // DH:
            continue
        if fp_res[kk] == r and start[w] % DH + fp_off[kk] % OPT == x:
            return True
    return False


@kernel
def _holder(r, x, u, start, own, fp_ptr, fp_res, fp_off, ru_ptr, ru, DH, stamp, tag):
    """A unit other than u, not already leaving, holding resource r at cell x (−1: none)."""
    w = own[r, x]
    if w >= 0 and w != u and start[w] >= 0 and stamp[w] != tag:
        return w
    for j in range(ru_ptr[r], ru_ptr[r + 1]):
        w = ru[j]
        if w != u and start[w] >= 0 and stamp[w] != tag and \
                _covers(w, r, x, start, fp_ptr, fp_res, fp_off, DH):
            return w
    return -1


@kernel
def _free_a_day(u, c, r, most, start, occ, own, fp_ptr, fp_res, fp_off, ru_ptr, ru, H, stamp,
                tag, out, n, hours):
    """Max days per week of resource r: when u at c would open one day too many, the
    units on r's day with the fewest hours staying leave too (FET does the same).
    Returns the new length of ``out``."""
    DH = occ.shape[1]
    D = DH // H
    d = c % DH // H
    hours[:D] = 0                              # hours of units staying, per day
    for x in range(DH):
        if occ[r, x] > 0:
            if _holder(r, x, u, start, own, fp_ptr, fp_res, fp_off, ru_ptr, ru, DH, stamp,
                       tag) >= 0:
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
            w = _holder(r, x, u, start, own, fp_ptr, fp_res, fp_off, ru_ptr, ru, DH, stamp, tag)
            if w >= 0:
                stamp[w] = tag
                out[n] = w
                n += 1
    return n


@kernel
def _mend_gaps(u, c, r, start, occ, own, skip, rules, D, H, tot, fp_ptr, fp_res, fp_off, ru_ptr,
               ru, stamp, tag, out, n, inchain):
    """Max gaps of resource r: while its lower bound (:func:`_lower_cost`) with u at c
    and ``out[:n]`` gone is above 0, a unit of r at the first or last hour of one of
    its days leaves too (at random; FET does the same), at most ``MEND`` of them.
    Returns the new length of ``out``."""
    DH = occ.shape[1]
    for j in range(n):
        _put(occ, own, out[j], start[out[j]], -1, fp_ptr, fp_res, fp_off)
    _put(occ, own, u, c, 1, fp_ptr, fp_res, fp_off)
    m = n
    for _ in range(MEND):
        if _lower_cost(occ, skip, rules, r, D, H, tot) == 0:
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
                w = _holder(r, d * H + h, u, start, own, fp_ptr, fp_res, fp_off, ru_ptr, ru, DH,
                            stamp, tag)
                if w >= 0 and not inchain[w] and w != pick:
                    seen += 1
                    if np.random.randint(seen) == 0:
                        pick = w
        if pick < 0:
            break
        stamp[pick] = tag
        out[m] = pick
        m += 1
        _put(occ, own, pick, start[pick], -1, fp_ptr, fp_res, fp_off)
    for j in range(m - 1, n - 1, -1):
        _put(occ, own, out[j], start[out[j]], 1, fp_ptr, fp_res, fp_off)
    _put(occ, own, u, c, -1, fp_ptr, fp_res, fp_off)
    for j in range(n):
        _put(occ, own, out[j], start[out[j]], 1, fp_ptr, fp_res, fp_off)
    return m


@kernel
def _conflicts(u, c, start, occ, own, cap, fp_ptr, fp_res, fp_off, ru_ptr, ru, pairs, pr_ptr,
               pr_idx, H, brk, stamp, tag, out, rules, ures_ptr, ures, skip, tot, inchain, mend,
               days):
    """Units that must leave for u to be placed by code c, into ``out``; −1 if c is impossible.

    Also the units whose leaving frees a day for u where a max-days rule demands it
    (:func:`_free_a_day`) and, with ``mend``, those whose leaving lets u's resources
    meet their max-gaps rules (:func:`_mend_gaps`). Only the forced placement mends
    gaps: in ejection chains it makes more work than it saves (secondary_school
    2–3 s → 24 s). ``days``: room for :func:`_free_a_day`'s hours per day."""
    DH = occ.shape[1]
    n = 0
    for k in range(fp_ptr[u], fp_ptr[u + 1]):
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
        for j in range(ru_ptr[r], ru_ptr[r + 1]):
            w = ru[j]
            if w == u or start[w] < 0 or not _covers(w, r, cell, start, fp_ptr, fp_res,
                                                      fp_off, DH):
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
    for k in range(pr_ptr[u], pr_ptr[u + 1]):
        q = pr_idx[k]
        a, b = pairs[q, 0], pairs[q, 1]
        w = b if a == u else a
        if w == u or start[w] < 0 or stamp[w] == tag:
            continue
        ca = (c if a == u else start[a]) % DH
        cb = (c if b == u else start[b]) % DH
        if _pair_pen(pairs[q, 4], pairs[q, 5], ca, cb, pairs[q, 2], pairs[q, 3], H, brk) > 0:
            stamp[w] = tag
            out[n] = w
            n += 1
    for k in range(ures_ptr[u], ures_ptr[u + 1]):
        r = ures[k]
        if rules[r, 3] >= 0:
            n = _free_a_day(u, c, r, rules[r, 3], start, occ, own, fp_ptr, fp_res, fp_off,
                            ru_ptr, ru, H, stamp, tag, out, n, days)
        if mend and (rules[r, 4] >= 0 or rules[r, 5] >= 0):
            n = _mend_gaps(u, c, r, start, occ, own, skip, rules, DH // H, H, tot, fp_ptr,
                           fp_res, fp_off, ru_ptr, ru, stamp, tag, out, n, inchain)
    return n


@kernel
def _lower_cost(occ, skip, rules, r, D, H, tot):
    """A lower bound on resource r's final rule cost, given what is placed now.

    Max hours a day and max days only grow as lessons are added, so they count in
    full; gaps, late starts, beginnings at the second hour and missing minimum hours
    can each be cut by at most one per hour still to place (``tot[r]`` − placed), so
    they count beyond that. Zero at every state a timetable can be completed from.
    """
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
    rem = tot[r] - placed
    soft = gaps_day
    if rules[r, 4] >= 0 and gaps > rules[r, 4]:
        soft += gaps - rules[r, 4]
    if rules[r, 6] >= 0:
        soft += late + max(0, second - rules[r, 6])
    soft += short
    return hard + max(0, soft - rem)


@kernel
def _sync_ok(a, occ, own, skip, sync):
    """Whether full resource a and each partner have as many hours free together as
    the units they share still to place need (see :func:`_sync_pairs`)."""
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
def _sync_cost(u, c, out, n, start, occ, own, skip, sync, fp_ptr, fp_res, fp_off, ures_ptr,
               ures):
    """How many of u's full resources fail :func:`_sync_ok` once out[:n] leave and u is
    at c: a hole that only moving something else can fill, so the search counts each
    as one more unit in the way (counting rather than refusing: refusing such starts
    stalls secondary_school, whose classes have two hours of slack)."""
    found = False
    for k in range(ures_ptr[u], ures_ptr[u + 1]):
        if sync[ures[k], 0] >= 0:
            found = True
            break
    if not found:
        return 0
    for j in range(n):
        _put(occ, own, out[j], start[out[j]], -1, fp_ptr, fp_res, fp_off)
    _put(occ, own, u, c, 1, fp_ptr, fp_res, fp_off)
    cost = 0
    for k in range(ures_ptr[u], ures_ptr[u + 1]):
        r = ures[k]
        if sync[r, 0] >= 0 and not _sync_ok(r, occ, own, skip, sync):
            cost += 1
    _put(occ, own, u, c, -1, fp_ptr, fp_res, fp_off)
    for j in range(n):
        _put(occ, own, out[j], start[out[j]], 1, fp_ptr, fp_res, fp_off)
    return cost


@kernel
def _rules_hold(u, c, out, n, start, occ, own, skip, rules, D, H, tot, fp_ptr, fp_res, fp_off,
                ures_ptr, ures, has_rules):
    """Whether u's resources can still meet their rules once out[:n] leave and u is at c."""
    any_rules = False
    for k in range(ures_ptr[u], ures_ptr[u + 1]):
        if has_rules[ures[k]]:
            any_rules = True
    if not any_rules:
        return True
    for j in range(n):
        _put(occ, own, out[j], start[out[j]], -1, fp_ptr, fp_res, fp_off)
    _put(occ, own, u, c, 1, fp_ptr, fp_res, fp_off)
    ok = True
    for k in range(ures_ptr[u], ures_ptr[u + 1]):
        r = ures[k]
        if has_rules[r] and _lower_cost(occ, skip, rules, r, D, H, tot) > 0:
            ok = False
            break
    _put(occ, own, u, c, -1, fp_ptr, fp_res, fp_off)
    for j in range(n):
        _put(occ, own, out[j], start[out[j]], 1, fp_ptr, fp_res, fp_off)
    return ok


@kernel
def _undo(mark, logn, log_u, log_s, start, occ, own, fp_ptr, fp_res, fp_off, inchain):
    for k in range(logn[0] - 1, mark - 1, -1):
        w = log_u[k]
        if start[w] >= 0:
            _put(occ, own, w, start[w], -1, fp_ptr, fp_res, fp_off)
        if log_s[k] >= 0:
            _put(occ, own, w, log_s[k], 1, fp_ptr, fp_res, fp_off)
        start[w] = log_s[k]
        inchain[w] = False
    logn[0] = mark


@kernel
def _setup(L, u, max_level, start, occ, own, cap, fp_ptr, fp_res, fp_off, ru_ptr, ru, pairs,
           pr_ptr, pr_idx, H, brk, stamp, tagbox, dom_ptr, dom_cell, inchain, out, f_u,
           f_cells, f_n, f_pos, skip, rules, D, tot, ures_ptr, ures, has_rules, sync, score, idx,
           days):
    """Frame L places unit u: its starts ordered by units in the way, plus full
    resources left short of shared hours (:func:`_sync_cost`), random ties
    (``score``, ``idx``: room for the scores and their order; ``days``: see
    :func:`_conflicts`)."""
    lo, hi = dom_ptr[u], dom_ptr[u + 1]
    for k in range(hi - lo):
        c = dom_cell[lo + k]
        tagbox[0] += 1
        n = _conflicts(u, c, start, occ, own, cap, fp_ptr, fp_res, fp_off, ru_ptr, ru, pairs,
                       pr_ptr, pr_idx, H, brk, stamp, tagbox[0], out, rules, ures_ptr, ures,
                       skip, tot, inchain, False, days)
        bad = n < 0 or (n > 0 and L >= max_level)
        if not bad:
            for j in range(n):
                if inchain[out[j]]:       # placed earlier in this chain: leave it
                    bad = True
                    break
        if not bad:
            bad = not _rules_hold(u, c, out, n, start, occ, own, skip, rules, D, H, tot, fp_ptr,
                                  fp_res, fp_off, ures_ptr, ures, has_rules)
        if bad:
            score[k] = np.inf
        else:
            score[k] = n + _sync_cost(u, c, out, n, start, occ, own, skip, sync, fp_ptr, fp_res,
                                      fp_off, ures_ptr, ures) + np.random.random()
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
        f_cells[L, j] = dom_cell[lo + idx[j]]
    f_u[L] = u
    f_n[L] = m
    f_pos[L] = 0


@kernel
def _place_chain(root, max_level, max_calls, start, occ, own, cap, fp_ptr, fp_res, fp_off, ru_ptr,
                 ru, pairs, pr_ptr, pr_idx, H, brk, stamp, tagbox, dom_ptr, dom_cell, log_u,
                 log_s, logn, inchain, out, f_u, f_cells, f_n, f_pos, f_mark, f_ej, f_nej,
                 f_next, f_busy, skip, rules, D, tot, ures_ptr, ures, has_rules, sync, score, idx,
                 days):
    """Place ``root`` by ejection chains of depth ≤ max_level (FET's recursive swapping).

    Depth-first with an explicit stack of frames: a frame tries its unit's starts in
    order; a start pushes out the units in the way, and each of those gets a frame
    of its own in turn. A frame out of starts fails, and its parent undoes its
    current start and tries the next one. Every change is logged, so undoing is
    replaying the log backwards. Returns whether ``root`` and every unit pushed out
    on the way are placed.
    """
    calls = 1
    L = 0
    _setup(0, root, max_level, start, occ, own, cap, fp_ptr, fp_res, fp_off, ru_ptr, ru, pairs,
           pr_ptr, pr_idx, H, brk, stamp, tagbox, dom_ptr, dom_cell, inchain, out, f_u,
           f_cells, f_n, f_pos, skip, rules, D, tot, ures_ptr, ures, has_rules, sync, score, idx,
           days)
    f_busy[0] = False
    while True:
        if not f_busy[L]:                       # try the next start of frame L
            if f_pos[L] >= f_n[L] or calls > max_calls:
                if L == 0:
                    return False
                L -= 1                          # child failed: parent's start undone
                _undo(f_mark[L], logn, log_u, log_s, start, occ, own, fp_ptr, fp_res, fp_off,
                      inchain)
                f_busy[L] = False
                continue
            u = f_u[L]
            c = f_cells[L, f_pos[L]]
            f_pos[L] += 1
            tagbox[0] += 1
            n = _conflicts(u, c, start, occ, own, cap, fp_ptr, fp_res, fp_off, ru_ptr, ru, pairs,
                           pr_ptr, pr_idx, H, brk, stamp, tagbox[0], out, rules, ures_ptr, ures,
                           skip, tot, inchain, False, days)
            # who must leave is drawn at random (which of a pool's rooms, which day to
            # free), so the draw may differ from _setup's: check it again
            clash = n < 0 or (n > 0 and L >= max_level)
            for j in range(n):
                if inchain[out[j]]:
                    clash = True
                    break
            if clash:
                continue
            f_mark[L] = logn[0]
            for j in range(n):
                w = out[j]
                f_ej[L, j] = w
                log_u[logn[0]] = w
                log_s[logn[0]] = start[w]
                logn[0] += 1
                _put(occ, own, w, start[w], -1, fp_ptr, fp_res, fp_off)
                start[w] = -1
            log_u[logn[0]] = u
            log_s[logn[0]] = start[u]
            logn[0] += 1
            _put(occ, own, u, c, 1, fp_ptr, fp_res, fp_off)
            start[u] = c
            inchain[u] = True
            f_nej[L] = n
            f_next[L] = 0
            f_busy[L] = True
        if f_next[L] == f_nej[L]:               # frame L done
            if L == 0:
                return True
            L -= 1
            f_next[L] += 1
            continue
        w = f_ej[L, f_next[L]]
        if start[w] >= 0:                       # already back in place
            f_next[L] += 1
            continue
        calls += 1
        _setup(L + 1, w, max_level, start, occ, own, cap, fp_ptr, fp_res, fp_off, ru_ptr, ru,
               pairs, pr_ptr, pr_idx, H, brk, stamp, tagbox, dom_ptr, dom_cell, inchain, out,
               f_u, f_cells, f_n, f_pos, skip, rules, D, tot, ures_ptr, ures, has_rules, sync,
               score, idx, days)
        L += 1
        f_busy[L] = False


@njit(cache=True, nogil=True)
def swap_search(D, H, dom_ptr, dom_cell, fp_ptr, fp_res, fp_off, ru_ptr, ru, ures_ptr, ures,
                cap, skip, rules, pairs, pr_ptr, pr_idx, brk, order, start, best, best_left,
                max_steps, max_level, max_calls, seed, stop, tried, sync):
    """FET's recursive swapping for ``max_steps`` steps from ``start`` (kept up to date).

    Returns the fewest units left unplaced so far: ``best_left`` on entry or a state
    of this call with fewer, then copied into ``best``. Returns early when another
    thread sets ``stop[0]`` (it runs without the GIL, side by side with CP-SAT).

    Units wait on a stack (the hardest on top). The top one is placed by
    :func:`_place_chain` (ejection chains of bounded depth, undone when they fail);
    when that fails it is placed anyway at the start with the fewest units in the
    way, which go on the stack (a unit pushed out may not return to that start for
    a few steps, FET's guard against cycling).
    """
    U = dom_ptr.shape[0] - 1
    R = cap.shape[0]
    occ = np.zeros((R, D * H), np.int64)
    own = np.full((R, D * H), -1, np.int64)
    for u in range(U):
        if start[u] >= 0:
            _put(occ, own, u, start[u], 1, fp_ptr, fp_res, fp_off)
    stamp = np.zeros(U, np.int64)
    tagbox = np.zeros(1, np.int64)
    logn = np.zeros(1, np.int64)
    tot = np.zeros(R, np.int64)
    for k in range(fp_res.shape[0]):
        if fp_off[k] < OPT:              # room options aside: hours the resource will hold
            tot[fp_res[k]] += 1
    has_rules = np.zeros(R, np.bool_)
    for r in range(R):
        has_rules[r] = rules[r].max() >= 0
    size = 64 * U * (max_level + 2)
    log_u = np.empty(size, np.int64)
    log_s = np.empty(size, np.int64)
    inchain = np.zeros(U, np.bool_)
    tabu = np.zeros((U, dom_cell.max() + 1), np.int64)
    stack = np.empty(U + 1, np.int64)
    top = 0
    for k in range(order.shape[0] - 1, -1, -1):
        if start[order[k]] < 0:
            stack[top] = order[k]
            top += 1
    out = np.empty(U, np.int64)
    levels = max_level + 2
    f_u = np.empty(levels, np.int64)
    f_cells = np.empty((levels, np.diff(dom_ptr).max()), np.int64)
    f_n = np.empty(levels, np.int64)
    f_pos = np.empty(levels, np.int64)
    f_mark = np.empty(levels, np.int64)
    f_ej = np.empty((levels, U), np.int64)
    f_nej = np.empty(levels, np.int64)
    f_next = np.empty(levels, np.int64)
    f_busy = np.zeros(levels, np.bool_)
    score = np.empty(f_cells.shape[1])
    idx = np.empty(f_cells.shape[1], np.int64)
    days = np.empty(D, np.int64)
    return _swap_core(D, H, dom_ptr, dom_cell, fp_ptr, fp_res, fp_off, ru_ptr, ru, ures_ptr, ures,
                      cap, skip, rules, pairs, pr_ptr, pr_idx, brk, start, best, best_left,
                      max_steps, max_level, max_calls, seed, stop, tried, sync, occ, own, stamp,
                      tagbox, logn, tot, has_rules, log_u, log_s, inchain, tabu, stack, top, out,
                      f_u, f_cells, f_n, f_pos, f_mark, f_ej, f_nej, f_next, f_busy, score, idx,
                      days)


@njit(cache=True, nogil=True, _nrt=False)
def _swap_core(D, H, dom_ptr, dom_cell, fp_ptr, fp_res, fp_off, ru_ptr, ru, ures_ptr, ures,
               cap, skip, rules, pairs, pr_ptr, pr_idx, brk, start, best, best_left,
               max_steps, max_level, max_calls, seed, stop, tried, sync, occ, own, stamp,
               tagbox, logn, tot, has_rules, log_u, log_s, inchain, tabu, stack, top, out,
               f_u, f_cells, f_n, f_pos, f_mark, f_ej, f_nej, f_next, f_busy, score, idx, days):
    """:func:`swap_search`'s steps, on the work arrays it allocated (a :data:`kernel`,
    without the GIL)."""
    np.random.seed(seed)
    U = dom_ptr.shape[0] - 1
    step = 0
    while top > 0 and step < max_steps:
        if step % 64 == 0 and stop[0]:
            break
        step += 1
        top -= 1
        u = stack[top]
        logn[0] = 0
        ok = _place_chain(u, max_level, max_calls, start, occ, own, cap, fp_ptr, fp_res, fp_off,
                          ru_ptr, ru, pairs, pr_ptr, pr_idx, H, brk, stamp, tagbox, dom_ptr,
                          dom_cell, log_u, log_s, logn, inchain, out, f_u, f_cells, f_n,
                          f_pos, f_mark, f_ej, f_nej, f_next, f_busy, skip, rules, D, tot,
                          ures_ptr, ures, has_rules, sync, score, idx, days)
        for k in range(logn[0]):
            inchain[log_u[k]] = False
        if not ok:
            # place it anyway where fewest units are in the way; they wait on the stack
            lo, hi = dom_ptr[u], dom_ptr[u + 1]
            best_c = -1
            best_s = np.inf
            for k in range(lo, hi):
                c = dom_cell[k]
                if tabu[u, c] > step:
                    continue
                tagbox[0] += 1
                n = _conflicts(u, c, start, occ, own, cap, fp_ptr, fp_res, fp_off, ru_ptr, ru,
                               pairs, pr_ptr, pr_idx, H, brk, stamp, tagbox[0], out, rules,
                               ures_ptr, ures, skip, tot, inchain, True, days)
                if n < 0 or not _rules_hold(u, c, out, n, start, occ, own, skip, rules, D, H, tot,
                                            fp_ptr, fp_res, fp_off, ures_ptr, ures, has_rules):
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
                short = _sync_cost(u, c, out, n, start, occ, own, skip, sync, fp_ptr, fp_res,
                                   fp_off, ures_ptr, ures)
                sc = ((short * 1024.0 + low) * 1024.0 + wrong) * 1024.0 + n + np.random.random()
                if sc < best_s:
                    best_s, best_c = sc, c
            if best_c < 0:
                # nowhere to go: take two units sharing a resource out, then retry u
                for _ in range(2 if ures_ptr[u + 1] > ures_ptr[u] else 0):
                    k = ures_ptr[u] + np.random.randint(ures_ptr[u + 1] - ures_ptr[u])
                    r = ures[k]
                    w = ru[ru_ptr[r] + np.random.randint(ru_ptr[r + 1] - ru_ptr[r])]
                    if start[w] < 0:
                        continue
                    _put(occ, own, w, start[w], -1, fp_ptr, fp_res, fp_off)
                    tabu[w, start[w]] = step + 5 + np.random.randint(10)
                    start[w] = -1
                    stack[top] = w
                    top += 1
                stack[top] = u
                top += 1
                continue
            tagbox[0] += 1
            n = _conflicts(u, best_c, start, occ, own, cap, fp_ptr, fp_res, fp_off, ru_ptr, ru,
                           pairs, pr_ptr, pr_idx, H, brk, stamp, tagbox[0], out, rules,
                           ures_ptr, ures, skip, tot, inchain, True, days)
            for j in range(n):
                w = out[j]
                _put(occ, own, w, start[w], -1, fp_ptr, fp_res, fp_off)
                tabu[w, start[w]] = step + 5 + np.random.randint(10)
                tried[w, start[w]] += 1
                start[w] = -1
                stack[top] = w
                top += 1
            _put(occ, own, u, best_c, 1, fp_ptr, fp_res, fp_off)
            start[u] = best_c
        if top < best_left:
            best_left = top
            for k in range(U):
                best[k] = start[k]
    return best_left


