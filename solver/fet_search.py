"""FET's recursive swapping, for a first FET timetable that CP-SAT then certifies.

FET itself is a heuristic: it places activities one at a time, hardest first, and
when one does not fit it pushes out what is in the way and places those in turn
(ejection chains, "recursive swapping"). On files where every class and teacher is
busy nearly every hour CP-SAT's tree search can need many seconds for a first
timetable (Namibia/MAPS: 10 s) while ejection chains need well under one, and on
files with slack it is the other way round (Brazil). So the FET engine runs both
side by side (:func:`race`: CP-SAT on one core, the numba-compiled search on the
other, without the GIL) and takes whichever timetable comes first:

* *units*: activities that must start together (100 % ActivitiesSameStartingTime)
  move as one; a unit starts only where its CP-SAT literals exist, so every hard
  unary rule (breaks, not-available times, preferred starting times / time slots)
  holds by construction;
* *resources* with a capacity per hour, never exceeded: teachers and subgroups (1);
  a pool of interchangeable rooms (its size); every room (1, 0 where it is not
  available). An activity that must use one of a few rooms picks its room with
  its start (a placement is a start and a room, as in FET); room choices the
  search cannot make that way count as capacities of room sets (necessary only);
* 100 % pair rules, never broken: MinDaysBetweenActivities, consecutive-if-same-day
  (at any weight, as FET enforces it) and TwoActivitiesConsecutive;
* 100 % per-resource rules — max hours daily, max days per week, min hours daily,
  max gaps per day / week, early max beginnings at second hour — through a lower
  bound on their final violation (:func:`_lower_cost`) that must stay 0: what only
  grows as lessons are added counts in full, what the lessons still to place could
  mend counts beyond their number. As in FET, some rules also say who must leave:
  a start that would open a day too many for a teacher pushes out the teacher's
  lightest other day (:func:`_free_a_day`), and a forced placement that leaves too
  many gaps pushes out units at the ends of the teacher's days (:func:`_mend_gaps`);
* full resources (every available hour taken: the classes of FGPS and
  secondary_school) and the partners they share lessons with: a start that leaves
  a pair fewer common free hours than their shared lessons still need
  (:func:`_sync_ok`) counts as one more unit in the way, so a subgroup's lesson
  alone goes beside its partner's lesson alone, not beside a free hour.

When no ejection chain places a unit, it is forced in at the start whose units in
the way were pushed out from there the fewest times in this attempt (FET's "tried
removals"), then by fewest units in the way; those units wait on the stack.

The search runs in episodes of 4 × units steps, each from the best state of the
current attempt; an episode that gains nothing ends the attempt and the next one
starts from an empty timetable with a new seed (measured on the development files:
better than carrying on from where an episode ended, and than always going back
to the best state). :func:`race` runs a second search with another seed on
CP-SAT's core once CP-SAT has had :data:`TREE_S` seconds.

The search's answer is then given to CP-SAT as fixed starts on a copy of the whole
model (:func:`certify`): CP-SAT picks the rooms and checks every rule, so a
timetable only counts when the full model accepts it. Where every soft rule is a
MinDaysBetweenActivities, :func:`polish` then mends broken pairs with the same
search before CP-SAT optimises. This module is in
``solver/`` because it reads a built :class:`~jianfu.solver.fet_model.FetModel`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numba import njit
from ortools.sat.python import cp_model

from ..models.fet import FetProblem
from .interrupt import interruptible, solve_cp
from .result import BY_CP_SAT, BY_SEARCH

logger = logging.getLogger(__name__)

NONE = -1
# pair kinds
MIN_DAYS, ADJACENT_IF_SAME_DAY, CONSECUTIVE = 0, 1, 2
#: Ejection chains: deepest level and frames per attempt (FET uses 14 and 2 n).
MAX_LEVEL, MAX_CALLS = 14, 100
#: Footprint offsets carry the room option they belong to: offset + OPT × (option + 1).
OPT = 1 << 16
#: Units of a resource with a max-gaps rule that may leave to mend its gaps.
MEND = 8
#: Steps per episode per unit, and of the first episode (run whatever the deadline).
EPISODE, FIRST = 4, 200
#: In :func:`race`: seconds CP-SAT gets before its core goes to a second search, and
#: what that search adds to the seed (1.5 s rather than 4 s since the search runs
#: without reference counting: secondary_school's first timetable, seeds 0–5, median
#: 2.47 s instead of 2.65 s, seed 3 4.42 s instead of 6.82 s; CP-SAT's one win,
#: Hopwood, takes 0.02–0.09 s).
TREE_S, SECOND_SEED = 1.5, 7919
#: Steps of recursive swapping per :func:`polish` move, and the seconds a second chain
#: of moves may spend finding a first timetable of its own to start from.
POLISH_STEPS, FRESH_S = 300, 10.0
#: Partners per full resource whose shared hours the search keeps room for
#: (:func:`_sync_pairs`; FGPS, seeds 0–9, one core: 2 → 6 of 7 found in 30 s, 3 → 10
#: of 10, median 5.8 s, 8 → 10 of 10, median 13.2 s).
SYNC_PARTNERS = 3

#: The search's kernels run without numba's reference counting (``_nrt=False``, numba's
#: switch for it): with it, the atomic increments and decrements around every array
#: handed to a call took 57 % of the search's time (perf on Insight), and the same
#: steps now take 2.2–2.6× less time (secondary_school, FGPS, Insight; same result
#: step for step). Such a kernel cannot allocate: :func:`swap_search` allocates every
#: work array and hands them to :func:`_swap_core`.
kernel = njit(cache=True, _nrt=False)


@dataclass(frozen=True, slots=True)
class SearchData:
    """The flat arrays the kernel works on (built by :func:`search_data`)."""

    n_days: int
    n_hours: int
    unit_of: np.ndarray          # activity index → unit
    dom_ptr: np.ndarray          # unit → slice of dom_cell
    dom_cell: np.ndarray         # allowed codes: cell (day × H + hour) + D × H × room option
    fp_ptr: np.ndarray           # unit → slice of fp_res / fp_off
    fp_res: np.ndarray           # resources the unit occupies ...
    fp_off: np.ndarray           # ... at start + offset % OPT, for room option
                                 #   offset // OPT − 1 (−1: whatever the option)
    ures_ptr: np.ndarray         # unit → slice of ures (distinct resources)
    ures: np.ndarray
    cap: np.ndarray              # [resource, cell] capacity
    skip: np.ndarray             # [resource, cell] no gap / not an hour to begin (break, n/a)
    rules: np.ndarray            # [resource, 7]: maxh, minh_all, minh_busy, maxdays,
                                 #   gaps_week, gaps_day, early (−1 = none)
    brk: np.ndarray              # [cell] break hour
    pairs: np.ndarray            # [pair, 6]: unit a, unit b, dur a, dur b, kind, k
    pr_ptr: np.ndarray           # unit → slice of pr_idx (pairs it is in)
    pr_idx: np.ndarray
    ru_ptr: np.ndarray           # resource → slice of ru (units using it)
    ru: np.ndarray
    difficulty: np.ndarray       # unit → hours occupied / allowed starts
    sync: np.ndarray             # [resource, 2 × SYNC_PARTNERS]: partners, then the
                                 #   hours of the units they share (−1 = none)


def search_data(fm: object, problem: FetProblem) -> SearchData:
    """Flatten a built :class:`~jianfu.solver.fet_model.FetModel` for the kernel."""
    p = problem
    D, H = p.n_days, p.n_hours
    acts = p.activities
    # units: activities sharing start literals
    unit_key: dict[int, int] = {}
    unit_of = np.empty(len(acts), np.int64)
    members: list[list[int]] = []
    for i, xs in enumerate(fm.x):
        u = unit_key.setdefault(id(xs), len(members))
        if u == len(members):
            members.append([])
        members[u].append(i)
        unit_of[i] = u
    U = len(members)
    doms = [sorted(d * H + h for d, h in fm.x[m[0]]) for m in members]

    # resources
    res_cap: list[np.ndarray] = []
    res_skip: list[np.ndarray] = []
    res_rules: list[list[int]] = []
    brk = np.zeros(D * H, np.bool_)
    for d, h in fm.breaks:
        brk[d * H + h] = True
    fp: list[list[tuple[int, int, int]]] = [[] for _ in range(U)]

    def new_resource(cap: np.ndarray, na: set) -> int:
        skip = brk.copy()
        for d, h in na:
            skip[d * H + h] = True
        res_cap.append(cap)
        res_skip.append(skip)
        res_rules.append([NONE] * 7)
        return len(res_cap) - 1

    teacher_res: dict[int, int] = {}
    for t, ids in sorted(fm.by_t.items()):
        r = new_resource(np.ones(D * H, np.int64), fm.teacher_na[t])
        teacher_res[t] = r
        _occupy(fp, unit_of, acts, ids, r)
    sub_res: dict[int, int] = {}
    seen: dict[tuple, int] = {}
    for s, ids in sorted(fm.by_s.items()):
        key = (tuple(ids), frozenset(fm.sub_na[s]))
        if key in seen:          # identical subgroups: one resource, rules merged
            sub_res[s] = seen[key]
            continue
        r = new_resource(np.ones(D * H, np.int64), fm.sub_na[s])
        seen[key] = sub_res[s] = r
        _occupy(fp, unit_of, acts, ids, r)
    pooled = {i for ids in fm.pools.values() for i in ids}
    for rooms, ids in fm.pools.items():
        r = new_resource(np.full(D * H, len(rooms), np.int64), set())
        _occupy(fp, unit_of, acts, ids, r)
    room_na: dict[int, set] = defaultdict(set)
    for c in p.of_kind("RoomNotAvailableTimes"):
        if c.hard:
            room_na[c.get("room")].update(c.get("slots"))
    # a unit with one activity choosing among a few rooms chooses its room with its
    # start (the room is part of the placement, as in FET); other room choices count
    # as capacities of room sets
    room_res: dict[int, int] = {}

    def room_resource(room: int) -> int:
        if room not in room_res:
            cap = np.ones(D * H, np.int64)
            for d, h in room_na.get(room, ()):
                cap[d * H + h] = 0
            room_res[room] = new_resource(cap, set())
        return room_res[room]

    n_opts = [1] * U
    chosen: set[int] = set()
    for u, ms in enumerate(members):
        multi = [i for i in ms if i not in pooled and len(fm.room_dom[i]) > 1
                 and None not in fm.room_dom[i]]
        if len(multi) == 1:
            i = multi[0]
            n_opts[u] = len(fm.room_dom[i])
            chosen.add(i)
            for j, room in enumerate(fm.room_dom[i]):
                r = room_resource(room)
                fp[u].extend((r, k, j) for k in range(acts[i].duration))
    for i, dom in enumerate(fm.room_dom):
        if len(dom) == 1 and dom[0] is not None and i not in pooled:
            _occupy(fp, unit_of, acts, [i], room_resource(dom[0]))
    left = [dom if i not in chosen and len(dom) > 1 else () for i, dom in enumerate(fm.room_dom)]
    for rooms, ids in _room_families(left, pooled):
        cap = np.full(D * H, len(rooms), np.int64)
        for room in rooms:
            for d, h in room_na.get(room, ()):
                cap[d * H + h] -= 1
        r = new_resource(cap, set())
        _occupy(fp, unit_of, acts, ids, r)

    _resource_rules(p, res_rules, teacher_res, sub_res)
    pairs = _pairs(p, unit_of)
    sync = _sync_pairs(res_cap, res_skip, fp)

    def csr(lists: list[list]) -> tuple[np.ndarray, np.ndarray]:
        ptr = np.zeros(len(lists) + 1, np.int64)
        ptr[1:] = np.cumsum([len(x) for x in lists])
        return ptr, np.array([y for x in lists for y in x], np.int64)

    codes = [[c + D * H * j for j in range(n_opts[u]) for c in doms[u]] for u in range(U)]
    dom_ptr, dom_cell = csr(codes)
    fp_ptr, fp_res = csr([[r for r, _, _ in f] for f in fp])
    fp_off = np.array([o + OPT * (j + 1) for f in fp for _, o, j in f], np.int64)
    ures_ptr, ures = csr([sorted({r for r, _, _ in f}) for f in fp])
    users: dict[int, set[int]] = defaultdict(set)
    for u, f in enumerate(fp):
        for r, _, _ in f:
            users[r].add(u)
    pair_rows = np.array(pairs, np.int64).reshape(len(pairs), 6)
    pr_ptr, pr_idx = _pair_index(pair_rows, U)
    ru_ptr, ru = csr([sorted(users[r]) for r in range(len(res_cap))])
    difficulty = np.array([len(fp[u]) / n_opts[u] / max(1, len(doms[u])) for u in range(U)])
    return SearchData(
        D, H, unit_of, dom_ptr, dom_cell, fp_ptr, fp_res, fp_off, ures_ptr, ures,
        np.array(res_cap, np.int64).reshape(len(res_cap), D * H),
        np.array(res_skip, np.bool_).reshape(len(res_cap), D * H),
        np.array(res_rules, np.int64).reshape(len(res_cap), 7), brk, pair_rows, pr_ptr, pr_idx,
        ru_ptr, ru, difficulty, sync)


def _sync_pairs(res_cap: list[np.ndarray], res_skip: list[np.ndarray],
                fp: list[list[tuple[int, int, int]]]) -> np.ndarray:
    """Partners of each full resource, for :func:`_sync_ok`.

    A resource is full when its lessons take every hour it is available (classes of
    FGPS and secondary_school). Two full one-place resources sharing some units (a
    class's subgroups: 5a Otj and 5a KKh share every 5a lesson) can only hold those
    units at hours when both are free, so a lesson of one alone must sit beside a
    lesson of the other alone. Each full resource keeps its ``SYNC_PARTNERS`` partners
    with the most shared hours, and those hours. Rows: partners, then hours; −1 pads.
    """
    R = len(res_cap)
    hours = [0] * R
    users: list[dict[int, int]] = [{} for _ in range(R)]
    chosen = set()                      # rooms a unit chooses among: not fixed hours
    for u, f in enumerate(fp):
        for r, _, j in f:
            if j >= 0:
                chosen.add(r)
                continue
            hours[r] += 1
            users[r][u] = users[r].get(u, 0) + 1
    full = [r for r in range(R) if r not in chosen and res_cap[r].max() == 1 and hours[r]
            and hours[r] >= int(((res_cap[r] > 0) & ~res_skip[r]).sum())]
    partners: dict[int, list[tuple[int, int]]] = {r: [] for r in full}
    for n, a in enumerate(full):
        for b in full[n + 1:]:
            shared = users[a].keys() & users[b].keys()
            if shared and users[a].keys() != users[b].keys():
                h = sum(users[a][u] for u in shared)
                partners[a].append((b, h))
                partners[b].append((a, h))
    K = SYNC_PARTNERS
    sync = np.full((R, 2 * K), NONE, np.int64)
    for r, ps in partners.items():
        ps = sorted(ps, key=lambda bh: -bh[1])[:K]
        for k, (b, h) in enumerate(ps):
            sync[r, k], sync[r, K + k] = b, h
    return sync


def _occupy(fp: list[list[tuple[int, int, int]]], unit_of: np.ndarray, acts: tuple,
            ids: list[int], r: int) -> None:
    for i in ids:
        for k in range(acts[i].duration):
            fp[unit_of[i]].append((r, k, -1))


def _room_families(room_dom: list[tuple], pooled: set[int], most: int = 0
                   ) -> list[tuple[frozenset[int], list[int]]]:
    """Room sets to count as resources so rooms can be handed out at every hour.

    Activities that must use one of a set of rooms (100 % room rules, not a pool)
    can be given rooms at an hour exactly when, for every union U of their room
    sets, the activities whose set lies inside U number at most the rooms of U free
    then (Hall's theorem). Each such union is a resource of that capacity. Sets
    that overlap form a component; a component of more than ``most`` sets keeps
    only its single sets and its whole union (a necessary condition only; CP-SAT
    has the last word on rooms).
    """
    kinds: dict[frozenset[int], list[int]] = defaultdict(list)
    for i, dom in enumerate(room_dom):
        if dom and None not in dom and i not in pooled:
            kinds[frozenset(dom)].append(i)
    comps: list[list[frozenset[int]]] = []
    for k in kinds:
        touching = [c for c in comps if any(k & other for other in c)]
        merged = [k] + [x for c in touching for x in c]
        comps = [c for c in comps if c not in touching] + [merged]
    out: dict[frozenset[int], list[int]] = {}
    for comp in comps:
        if len(comp) <= most:
            unions = {frozenset().union(*(comp[j] for j in range(len(comp)) if m >> j & 1))
                      for m in range(1, 1 << len(comp))}
        else:
            unions = set(comp) | {frozenset().union(*comp)}
        for u in unions:
            out[u] = sorted(i for k, ids in kinds.items() if k <= u for i in ids)
    return sorted(out.items(), key=lambda kv: sorted(kv[0]))


def _resource_rules(p: FetProblem, rules: list[list[int]], teacher_res: dict[int, int],
                    sub_res: dict[int, int]) -> None:
    """The tightest 100 % per-resource bound of each kind, per resource."""
    slot = {"TeacherMaxHoursDaily": 0, "TeachersMaxHoursDaily": 0,
            "TeacherMinHoursDaily": 1, "TeachersMinHoursDaily": 1,
            "StudentsSetMinHoursDaily": 1, "StudentsMinHoursDaily": 1,
            "TeacherMaxDaysPerWeek": 3,
            "TeacherMaxGapsPerWeek": 4, "TeachersMaxGapsPerWeek": 4,
            "StudentsMaxGapsPerWeek": 4, "StudentsSetMaxGapsPerWeek": 4,
            "TeacherMaxGapsPerDay": 5, "TeachersMaxGapsPerDay": 5,
            "StudentsEarlyMaxBeginningsAtSecondHour": 6,
            "StudentsSetEarlyMaxBeginningsAtSecondHour": 6}
    for c in p.constraints:
        if not c.hard or c.kind not in slot:
            continue
        k = slot[c.kind]
        if "Teacher" in c.kind:
            t = c.get("teacher")
            targets = [teacher_res[t]] if t is not None and t in teacher_res else \
                ([] if t is not None else list(teacher_res.values()))
        else:
            subs = c.get("subgroups")
            targets = [sub_res[s] for s in (subs if subs is not None else sub_res) if s in sub_res]
        bound = c.get("bound")
        if k == 1 and c.get("allow_empty"):
            k = 2
        for r in set(targets):
            old = rules[r][k]
            if k in (1, 2):
                rules[r][k] = max(old, bound)
            else:
                rules[r][k] = bound if old == NONE else min(old, bound)


def _pairs(p: FetProblem, unit_of: np.ndarray) -> list[tuple[int, ...]]:
    out: list[tuple[int, ...]] = []
    acts = p.activities
    for c in p.of_kind("MinDaysBetweenActivities"):
        idx = [p.index_of(a) for a in c.get("activities")]
        for n, i in enumerate(idx):
            for j in idx[n + 1:]:
                if c.hard and c.get("min_days") > 0:
                    out.append((unit_of[i], unit_of[j], acts[i].duration, acts[j].duration,
                                MIN_DAYS, c.get("min_days")))
                if c.get("consecutive"):     # at any weight, as FET enforces it
                    out.append((unit_of[i], unit_of[j], acts[i].duration, acts[j].duration,
                                ADJACENT_IF_SAME_DAY, 0))
    for c in p.of_kind("TwoActivitiesConsecutive"):
        if c.hard:
            i, j = p.index_of(c.get("first")), p.index_of(c.get("second"))
            out.append((unit_of[i], unit_of[j], acts[i].duration, acts[j].duration,
                        CONSECUTIVE, 0))
    return out


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


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    """What :func:`first_timetable` or :func:`race` found.

    ``solver``: a CP-SAT solver holding a timetable of the whole model, or ``None``;
    ``starts``: activity index → (day, hour) for the units placed; ``left``: units
    left unplaced; ``search_s`` / ``certify_s``: seconds in the search and in CP-SAT's
    check; ``by``: which method found the timetable (:data:`BY_SEARCH`,
    :data:`BY_CP_SAT`; empty when none); ``build_s``: seconds :func:`race` spent
    building the model's rules beside its first search (part of ``search_s``);
    ``codes``: the search's placement code per unit of ``data`` (for :func:`polish`;
    ``None`` when CP-SAT found the timetable).
    """

    solver: cp_model.CpSolver | None
    starts: dict[int, tuple[int, int]]
    left: int
    search_s: float
    certify_s: float
    by: str = ""
    build_s: float = 0.0
    codes: np.ndarray | None = None
    data: SearchData | None = None


def first_timetable(fm: object, problem: FetProblem, *, deadline: float, seed: int = 0,
                    stop: np.ndarray | None = None) -> SearchOutcome:
    """Recursive swapping until every unit is placed, ``deadline`` (perf_counter) or
    ``stop[0]`` set by another thread, then :func:`certify` when all are placed."""
    t = time.perf_counter()
    data = search_data(fm, problem)
    codes = np.full(len(data.dom_ptr) - 1, -1, np.int64)
    starts, left = place_units(fm, problem, deadline=deadline, seed=seed, stop=stop, data=data,
                               codes=codes)
    search_s = time.perf_counter() - t
    solver = certify(fm, starts, deadline=max(deadline, time.perf_counter() + 1.0),
                     seed=seed) if not left else None
    return SearchOutcome(solver, starts, left, search_s, time.perf_counter() - t - search_s,
                         BY_SEARCH if solver else "", codes=codes, data=data)


def place_units(fm: object, problem: FetProblem, *, deadline: float, seed: int = 0,
                stop: np.ndarray | None = None, data: SearchData | None = None,
                codes: np.ndarray | None = None) -> tuple[dict[int, tuple[int, int]], int]:
    """Recursive swapping in episodes until every unit is placed, ``deadline``
    (perf_counter) or ``stop[0]`` is set (by another thread; this function sets it
    at the deadline).

    Returns activity index → (day, hour) for the units placed in the best state
    found, and the number of units left unplaced there (0: a full timetable, not yet
    certified). ``data``: :func:`search_data` of ``fm``, when the caller has it;
    ``codes`` (one per unit), when given, receives the best state's placement codes.
    """
    t = time.perf_counter()
    stop = np.zeros(1, np.int64) if stop is None else stop
    data = search_data(fm, problem) if data is None else data
    U = len(data.dom_ptr) - 1
    start = np.full(U, -1, np.int64)
    best = start.copy()            # best state of the current attempt ...
    best_all = start.copy()        # ... and of all attempts
    order = np.argsort(-data.difficulty, kind="stable")
    left = left_all = U + 1
    # times each unit was pushed out from each start in this attempt (FET's "tried
    # removals"): the fallback placement avoids repeating itself
    tried = np.zeros((U, int(data.dom_cell.max()) + 1), np.int64)

    # the kernel cannot read the clock: a timer sets the flag it reads at the deadline,
    # started after a first short episode, which always runs (it compiles the kernels,
    # once per machine, ≈ 10 s, or loads them from numba's cache)
    timer = None
    rounds = 0
    while left_all and not stop[0]:
        if rounds == 1:
            timer = threading.Timer(max(0.0, deadline - time.perf_counter()),
                                    stop.__setitem__, (0, 1))
            timer.daemon = True
            timer.start()
        # episodes of EPISODE × units steps, each from the attempt's best state; an
        # episode that gains nothing ends the attempt and the next starts afresh
        # (measured: better than carrying on, and than starting again from the best)
        t1 = time.perf_counter()
        before = left
        left = int(swap_search(
            data.n_days, data.n_hours, data.dom_ptr, data.dom_cell, data.fp_ptr, data.fp_res,
            data.fp_off, data.ru_ptr, data.ru, data.ures_ptr, data.ures, data.cap, data.skip,
            data.rules, data.pairs, data.pr_ptr, data.pr_idx, data.brk, order, start, best,
            left, EPISODE * U if rounds else FIRST, MAX_LEVEL, MAX_CALLS, seed + rounds, stop,
            tried, data.sync))
        logger.debug("episode %d: %d units left (best %d), %.2f s", rounds, left,
                     min(left, left_all), time.perf_counter() - t1)
        rounds += 1
        if left < left_all:
            left_all = left
            best_all[:] = best
        if left < before:
            start[:] = best
        else:
            start[:] = -1
            tried[:] = 0
            left = U + 1
    if timer is not None:
        timer.cancel()
    start, left = best_all, left_all
    if codes is not None:
        codes[:] = start
    H = data.n_hours
    DH = data.n_days * H
    starts = {i: (int(start[u]) % DH // H, int(start[u]) % H) for i, u in enumerate(data.unit_of)
              if start[u] >= 0}
    left = min(left, U)                 # U + 1: no episode ran (stopped at once)
    logger.info("recursive swapping: %d of %d units left, %.2f s", left, U,
                time.perf_counter() - t)
    return starts, left


def race(fm: object, problem: FetProblem, *, deadline: float, workers: int, seed: int = 0,
         tree_s: float = TREE_S, build: Callable[[], None] | None = None) -> SearchOutcome:
    """CP-SAT (``workers`` − 1 workers) and recursive swapping side by side, until one
    of them has a timetable of the whole model or ``deadline`` (perf_counter).

    Neither is better everywhere: CP-SAT's tree search finds Brazil in about two
    seconds where the randomised search can stall for ten, the search finds the
    packed files (MAPS, secondary_school) CP-SAT needs minutes for. The search runs
    in numba without the GIL, so the two use one core each. CP-SAT gets ``tree_s``
    seconds; when it has found nothing by then, its core goes to a second search
    with another seed (the search's time to a timetable varies a lot from seed to
    seed, so two seeds side by side are surer than one for twice as long). The first
    to finish stops the others; a complete placement of a search still needs
    :func:`certify`.

    ``build``: what is left of building ``fm`` after
    :meth:`~jianfu.solver.fet_model.FetModel.build_grid` (its rules); it runs here
    while the first search already does (the search reads only the grid), and CP-SAT
    starts once it is done.
    """
    t = time.perf_counter()
    stop = np.zeros(1, np.int64)
    data = search_data(fm, problem)     # read-only for the kernel: both searches share it
    first: list[tuple[dict[int, tuple[int, int]], int]] = []
    second: list[tuple[dict[int, tuple[int, int]], int]] = []
    done: list[int] = []
    codes = [np.full(len(data.dom_ptr) - 1, -1, np.int64) for _ in range(2)]

    def search() -> None:
        first.append(place_units(fm, problem, deadline=deadline, seed=seed, stop=stop,
                                 data=data, codes=codes[0]))
        if not first[0][1]:
            stop[0] = 1

    searching = threading.Thread(target=search, name="jianfu-search", daemon=True)
    searching.start()
    t_build = time.perf_counter()
    if build is not None:
        build()
    build_s = time.perf_counter() - t_build
    cp = cp_model.CpSolver()
    cp.parameters.max_time_in_seconds = max(0.1, min(deadline - time.perf_counter(), tree_s))
    cp.parameters.num_workers = max(1, workers - 1)
    cp.parameters.random_seed = seed
    cp.parameters.stop_after_first_solution = True

    def other_core() -> None:
        if stop[0]:
            return
        done.append(cp.Solve(fm.m))
        if done[0] != cp_model.UNKNOWN:     # found, or proven infeasible
            stop[0] = 1
        elif not stop[0] and time.perf_counter() < deadline:
            second.append(place_units(fm, problem, deadline=deadline, seed=seed + SECOND_SEED,
                                      stop=stop, data=data, codes=codes[1]))
            if not second[0][1]:
                stop[0] = 1

    other = threading.Thread(target=other_core, name="jianfu-race", daemon=True)
    other.start()
    with interruptible(lambda: stop.__setitem__(0, 1), cp.stop_search):
        while searching.is_alive() or other.is_alive():
            if stop[0] and not done:        # stop_search is a no-op before Solve has begun
                cp.stop_search()
            searching.join(0.05)
            other.join(0.0 if searching.is_alive() else 0.05)
    search_s = time.perf_counter() - t
    if done and done[0] in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        logger.info("race: CP-SAT first, %.2f s", search_s)
        return SearchOutcome(cp, {}, 0, search_s, 0.0, BY_CP_SAT, build_s)
    starts, left = first[0]
    won = codes[0]
    if second and second[0][1] < left:
        starts, left = second[0]
        won = codes[1]
    solver = certify(fm, starts, deadline=max(deadline, time.perf_counter() + 1.0),
                     seed=seed) if not left else None
    logger.info("race: recursive swapping %s, %.2f s", "first" if solver else "none",
                search_s)
    return SearchOutcome(solver, starts, left, search_s, time.perf_counter() - t - search_s,
                         BY_SEARCH if solver else "", build_s, won, data)


def polish(fm: object, problem: FetProblem, found: SearchOutcome, *, deadline: float,
           seed: int = 0, steps: int = POLISH_STEPS, chains: int = 2) -> SearchOutcome | None:
    """Mend soft MinDaysBetweenActivities by recursive swapping, until ``deadline``.

    Only for files whose soft constraints are all MinDays (so fewer broken pairs is a
    better timetable, whatever else moves). A move: the soft pairs held now become
    hard, and one broken pair too; both its units are taken out and the search
    (``steps`` steps) puts them back with whatever must move (taking out one of the
    two, secondary_school's soft penalty after 60 s over seeds 0–5 had a median of
    13.3 instead of 11.9, worse on 4 seeds of 6, better on one). A move that places
    everything and lowers the weighted penalty is kept. The search's first timetable
    breaks nearly every soft MinDays (it ignores them), and CP-SAT mends about one
    every two seconds; this mends the first ones several times faster
    (secondary_school: 50 → 15 in 20 s).

    ``chains`` chains of moves run side by side (threads; the search runs without
    the GIL), each with its own seed, and the best end CP-SAT certifies wins: the
    first chain starts from the first timetable, the others each from a first
    timetable of their own (recursive swapping with the chain's seed, at most
    :data:`FRESH_S` seconds or a third of the chain's time; the race's when none is
    found). The descent stalls near where it starts, so different starts beat more
    moves from one start. secondary_school's soft penalty after 60 s, per seed:

    ====================================  ====  =====  =====  =====  ====  =====
    chains                                0     1      2      3      4     5
    ====================================  ====  =====  =====  =====  ====  =====
    one                                   5.7   10.45  19.95  10.45  6.65  10.45
    two sharing their best timetable      4.75  12.35  18.05  7.6    5.7   8.55
    two from the same timetable           3.8   10.45  15.2   8.55   6.65  9.5
    two, the second from its own          3.8   10.45  2.85   9.5    6.65  10.45
    ====================================  ====  =====  =====  =====  ====  =====

    Returns the certified better timetable, or ``None`` when there is none (nothing
    to mend, not applicable, or no gain).
    """
    if found.codes is None or found.data is None or found.solver is None:
        return None
    if any(not c.hard and c.weight > 0 and c.kind != "MinDaysBetweenActivities"
           for c in problem.constraints):
        return None
    t = time.perf_counter()
    data = found.data
    soft = np.array(_soft_min_days(problem, data.unit_of), np.int64).reshape(-1, 7)
    pen = _min_days_penalty(soft, found.codes, data)
    if (found.codes < 0).any() or not pen.any():
        return None
    before = int(pen.sum())
    ends: list[tuple[int, int, int, np.ndarray]] = []   # (penalty, chain, moves, codes)
    threads = [threading.Thread(target=lambda k=k: ends.append(_polish_chain(
        fm, problem, k, found.codes, pen, soft, data, deadline, seed + k * SECOND_SEED,
        steps)),
        name=f"jianfu-polish-{k}", daemon=True) for k in range(max(1, chains))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    ends.sort(key=lambda e: e[:2])
    logger.info("polish: soft MinDays %.2f -> %s, %d moves, %.2f s", before / 1e4,
                " / ".join(f"{e[0] / 1e4:.2f}" for e in sorted(ends, key=lambda e: e[1])),
                ends[0][2], time.perf_counter() - t)
    H, DH = data.n_hours, data.n_days * data.n_hours
    for penalty, _, _, codes in ends:       # the best end CP-SAT certifies
        if penalty >= before:
            break
        starts = {i: (int(codes[u]) % DH // H, int(codes[u]) % H)
                  for i, u in enumerate(data.unit_of)}
        solver = certify(fm, starts, deadline=time.perf_counter() + 5.0, seed=seed)
        if solver is not None:
            return SearchOutcome(solver, starts, 0, found.search_s, found.certify_s,
                                 found.by, found.build_s, codes, data)
    return None


def _polish_chain(fm: object, problem: FetProblem, k: int, codes: np.ndarray, pen: np.ndarray,
                  soft: np.ndarray, data: SearchData, deadline: float, seed: int, steps: int
                  ) -> tuple[int, int, int, np.ndarray]:
    """Chain ``k`` of :func:`polish`'s moves, from ``codes`` (its penalty per soft pair
    in ``pen``) when ``k`` is 0, else from a first timetable of its own when the
    search finds one in :data:`FRESH_S` seconds (at most a third of the chain's
    time); returns (penalty, ``k``, moves kept, codes) at ``deadline``."""
    U = len(codes)
    if k:
        own = np.full(U, -1, np.int64)
        now = time.perf_counter()
        _, left = place_units(fm, problem, deadline=now + min(FRESH_S, (deadline - now) / 3),
                              seed=seed, data=data, codes=own)
        if not left:
            codes, pen = own, _min_days_penalty(soft, own, data)
    order = np.argsort(-data.difficulty, kind="stable")
    rng = np.random.default_rng(seed)
    penalty = int(pen.sum())
    moves = 0
    while time.perf_counter() < deadline and penalty:
        q = rng.choice(np.flatnonzero(pen))
        keep = np.flatnonzero(pen == 0).tolist() + [q]
        pairs = np.vstack([data.pairs, soft[keep, :6]])
        pr_ptr, pr_idx = _pair_index(pairs, U)
        start = codes.copy()
        start[soft[q, :2]] = -1
        best = start.copy()
        left = swap_search(
            data.n_days, data.n_hours, data.dom_ptr, data.dom_cell, data.fp_ptr, data.fp_res,
            data.fp_off, data.ru_ptr, data.ru, data.ures_ptr, data.ures, data.cap, data.skip,
            data.rules, pairs, pr_ptr, pr_idx, data.brk, order, start, best, U + 1, steps,
            MAX_LEVEL, MAX_CALLS, int(rng.integers(1 << 30)), np.zeros(1, np.int64),
            np.zeros((U, int(data.dom_cell.max()) + 1), np.int64), data.sync)
        if left == 0:
            new = _min_days_penalty(soft, best, data)
            if new.sum() < penalty:
                codes, pen, penalty = best, new, int(new.sum())
                moves += 1
    return penalty, k, moves, codes


def _soft_min_days(p: FetProblem, unit_of: np.ndarray) -> list[tuple[int, ...]]:
    """Soft MinDays pairs as kernel pair rows (unit a, unit b, dur a, dur b, MIN_DAYS,
    min days) with their weight % × 100 in a seventh column; pairs of activities that
    must start together (one unit) are left out: no move can mend them."""
    out = []
    acts = p.activities
    for c in p.of_kind("MinDaysBetweenActivities"):
        if c.hard or c.weight <= 0 or c.get("min_days") <= 0:
            continue
        idx = [p.index_of(a) for a in c.get("activities")]
        for n, i in enumerate(idx):
            for j in idx[n + 1:]:
                if unit_of[i] != unit_of[j]:
                    out.append((unit_of[i], unit_of[j], acts[i].duration, acts[j].duration,
                                MIN_DAYS, c.get("min_days"), round(100 * c.weight)))
    return out


def _min_days_penalty(soft: np.ndarray, codes: np.ndarray, data: SearchData) -> np.ndarray:
    """Weighted penalty (units × weight % × 100) of each soft MinDays pair at ``codes``."""
    H, DH = data.n_hours, data.n_days * data.n_hours
    k, w = soft[:, 5], soft[:, 6]
    dist = np.abs(codes[soft[:, 0]] % DH // H - codes[soft[:, 1]] % DH // H)
    return np.where(dist < k, k - dist, 0) * w


def _pair_index(pairs: np.ndarray, U: int) -> tuple[np.ndarray, np.ndarray]:
    """Unit → slice of the returned index: the rows of ``pairs`` the unit is in."""
    by_unit: list[list[int]] = [[] for _ in range(U)]
    for q in range(len(pairs)):
        a, b = int(pairs[q, 0]), int(pairs[q, 1])
        by_unit[a].append(q)
        if b != a:
            by_unit[b].append(q)
    ptr = np.zeros(U + 1, np.int64)
    ptr[1:] = np.cumsum([len(x) for x in by_unit])
    return ptr, np.array([y for x in by_unit for y in x], np.int64)


def certify(fm: object, starts: dict[int, tuple[int, int]], *, deadline: float,
            seed: int = 0, limit: float = 5.0) -> cp_model.CpSolver | None:
    """CP-SAT on a copy of ``fm``'s model with every activity's start fixed.

    What is left to CP-SAT are rooms and auxiliary literals, so it answers quickly;
    a solution is a timetable of the whole model (every 100 % rule), ``None`` when
    the starts admit none (or no answer within ``limit`` seconds). The activity's
    other start literals are fixed to 0 too (its exactly-one says so; left to
    presolve, secondary_school's check took 0.30 s instead of 0.12 s).
    """
    m = fm.m.Clone()
    proto = m.Proto()
    for i, cell in starts.items():
        for other, v in fm.x[i].items():
            dom = proto.variables[v.Index()].domain
            if other == cell:
                dom[0] = 1          # [0, 1] → [1, 1]
            else:
                dom[1] = 0          # [0, 1] → [0, 0]
    solver = first_solution(m, min(deadline - time.perf_counter(), limit), 2, seed)
    logger.info("certify fixed starts: %s", "found" if solver else "none")
    return solver


def first_solution(m: cp_model.CpModel, limit: float, workers: int, seed: int
                   ) -> cp_model.CpSolver | None:
    """CP-SAT on ``m`` for at most ``limit`` seconds, stopping at its first solution."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.stop_after_first_solution = True
    code, _ = solve_cp(solver, m)
    return solver if code in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
