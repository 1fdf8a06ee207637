"""The search's data: a built FET model flattened into the arrays its kernels read.

:func:`search_data` turns a :class:`~jianfu.solver.fet.model.FetModel` into
:class:`SearchData`, whose arrays come in four records the kernels take as they are:
:class:`Grid` (days, hours, breaks), :class:`Units` (allowed starts and footprints),
:class:`Resources` (capacities, users, per-resource rules, sync partners) and
:class:`Pairs` (pair rules; :func:`pair_rules` builds one, as :func:`polish
<jianfu.solver.fet.search.polish>` does with soft pairs added). The records are
named tuples of arrays and ints: numba passes them by value, field by field, so
they need no reference counting (see :data:`kernel`). The constants here fix the
layout of the arrays. The search itself is in :mod:`jianfu.solver.fet.search`, its
kernels in :mod:`jianfu.solver.fet.kernels`.
"""


import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numba import njit

from ...models.fet import FetProblem, matches_filter

logger = logging.getLogger(__name__)

NONE = -1
# pair kinds (:func:`~jianfu.solver.fet.kernels._pair_pen` says when each is broken)
MIN_DAYS, ADJACENT_IF_SAME_DAY, CONSECUTIVE = 0, 1, 2
SAME_HOUR, SAME_DAY, MIN_GAPS, NOT_OVERLAPPING, ENDS_DAY = 3, 4, 5, 6, 7
#: 100 % rules over a list of activities that hold pair by pair: the pair kind each
#: becomes, and the parameter its ``k`` is read from (``None``: 0).
PAIR_KINDS = {"ActivitiesSameStartingHour": (SAME_HOUR, None),
              "ActivitiesSameStartingDay": (SAME_DAY, None),
              "MinGapsBetweenActivities": (MIN_GAPS, "min_gaps"),
              "ActivitiesNotOverlapping": (NOT_OVERLAPPING, None)}
#: Ejection chains: deepest level and frames per attempt (FET uses 14 and 2 n).
MAX_LEVEL, MAX_CALLS = 14, 100
#: Footprint offsets carry the room option they belong to: offset + OPT × (option + 1).
OPT = 1 << 16
#: Units of a resource with a max-gaps rule that may leave to mend its gaps.
MEND = 8
#: Partners per full resource whose shared hours the search keeps room for
#: (:func:`_sync_pairs`; FGPS, seeds 0–9, one core: 2 → 6 of 7 found in 30 s, 3 → 10
#: of 10, median 5.8 s, 8 → 10 of 10, median 13.2 s).
SYNC_PARTNERS = 3
#: Columns of :attr:`Resources.rules`, one per per-resource rule kind.
N_RULES = 11
#: First of the three interval max days columns (days, first hour, end hour).
INTERVAL = 8

#: The search's kernels run without numba's reference counting (``_nrt=False``, numba's
#: switch for it): with it, the atomic increments and decrements around every array
#: handed to a call took 57 % of the search's time (perf on Insight), and the same
#: steps now take 2.2–2.6× less time (secondary_school, FGPS, Insight; same result
#: step for step). Such a kernel cannot allocate: :func:`swap_search` allocates every
#: work array and hands them to :func:`_swap_core`. Named tuples of arrays pass
#: through such kernels unchanged (numba flattens them into their fields); a
#: jitclass or structref is reference-counted, so they would not.
kernel = njit(cache=True, _nrt=False)


class Grid(NamedTuple):
    """The week: days, hours a day, and the breaks (a cell is day × ``n_hours`` + hour)."""

    n_days: int
    n_hours: int
    brk: np.ndarray              # [cell] break hour


class Units(NamedTuple):
    """Where each unit may start and what it holds there (CSR: unit u's entries are
    ``ptr[u]:ptr[u + 1]``)."""

    dom_ptr: np.ndarray          # unit → slice of dom_cell
    dom_cell: np.ndarray         # allowed codes: cell + D × H × room option
    fp_ptr: np.ndarray           # unit → slice of fp_res / fp_off: its footprint
    fp_res: np.ndarray           # resources the unit occupies ...
    fp_off: np.ndarray           # ... at start + offset % OPT, for room option
                                 #   offset // OPT − 1 (−1: whatever the option)
    ures_ptr: np.ndarray         # unit → slice of ures
    ures: np.ndarray             # the distinct resources of its footprint


class Resources(NamedTuple):
    """Teachers, subgroups and rooms: capacities, users and per-resource rules."""

    cap: np.ndarray              # [resource, cell] capacity
    skip: np.ndarray             # [resource, cell] no gap / not an hour to begin (break, n/a)
    ru_ptr: np.ndarray           # resource → slice of ru
    ru: np.ndarray               # the units using it
    rules: np.ndarray            # [resource, N_RULES]: maxh, minh_all, minh_busy, maxdays,
                                 #   gaps_week, gaps_day, early, max_run, then
                                 #   interval max days: days, first hour, end hour
                                 #   (−1 = none)
    has_rules: np.ndarray        # [resource] any rule at all
    tot: np.ndarray              # [resource] hours its units hold (room options aside)
    sync: np.ndarray             # [resource, 2 × SYNC_PARTNERS]: partners, then the
                                 #   hours of the units they share (−1 = none)


class Pairs(NamedTuple):
    """Pair rules between two units, and which rows each unit is in."""

    rows: np.ndarray             # [pair, 6]: unit a, unit b, dur a, dur b, kind, k
    ptr: np.ndarray              # unit → slice of idx
    idx: np.ndarray              # rows of the pairs the unit is in


@dataclass(frozen=True, slots=True)
class SearchData:
    """What the kernels read (built by :func:`search_data`): four records of flat
    arrays, handed to every kernel as they are, and what only Python reads."""

    grid: Grid
    units: Units
    res: Resources
    pairs: Pairs
    unit_of: np.ndarray          # activity index → unit
    difficulty: np.ndarray       # unit → hours occupied / allowed starts

    @property
    def n_units(self) -> int:
        return len(self.difficulty)


def search_data(fm: object, problem: FetProblem) -> SearchData:
    """Flatten a built :class:`~jianfu.solver.fet.model.FetModel` for the kernel."""
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
        res_rules.append([NONE] * N_RULES)
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
    R = len(res_cap)
    ru_ptr, ru = csr([sorted(users[r]) for r in range(R)])
    rules = np.array(res_rules, np.int64).reshape(R, N_RULES)
    difficulty = np.array([len(fp[u]) / n_opts[u] / max(1, len(doms[u])) for u in range(U)])
    return SearchData(
        Grid(D, H, brk),
        Units(dom_ptr, dom_cell, fp_ptr, fp_res, fp_off, ures_ptr, ures),
        Resources(np.array(res_cap, np.int64).reshape(R, D * H),
                  np.array(res_skip, np.bool_).reshape(R, D * H), ru_ptr, ru, rules,
                  rules.max(axis=1, initial=NONE) >= 0,
                  np.bincount(fp_res[fp_off < OPT], minlength=R).astype(np.int64), sync),
        pair_rules(np.array(pairs, np.int64).reshape(len(pairs), 6), U), unit_of, difficulty)


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
            "TeacherMaxDaysPerWeek": 3, "TeachersMaxDaysPerWeek": 3,
            "TeacherMaxGapsPerWeek": 4, "TeachersMaxGapsPerWeek": 4,
            "StudentsMaxGapsPerWeek": 4, "StudentsSetMaxGapsPerWeek": 4,
            "TeacherMaxGapsPerDay": 5, "TeachersMaxGapsPerDay": 5,
            "StudentsEarlyMaxBeginningsAtSecondHour": 6,
            "StudentsSetEarlyMaxBeginningsAtSecondHour": 6,
            "StudentsMaxHoursDaily": 0, "StudentsSetMaxHoursDaily": 0,
            "TeacherMaxHoursContinuously": 7, "TeachersMaxHoursContinuously": 7,
            "StudentsMaxHoursContinuously": 7, "StudentsSetMaxHoursContinuously": 7}
    interval = {"TeacherIntervalMaxDaysPerWeek", "TeachersIntervalMaxDaysPerWeek",
                "StudentsSetIntervalMaxDaysPerWeek", "StudentsIntervalMaxDaysPerWeek"}
    for c in p.constraints:
        if not c.hard or (c.kind not in slot and c.kind not in interval):
            continue
        k = slot.get(c.kind, INTERVAL)
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
            if k == INTERVAL:
                # one interval per resource: another one is left to certification
                hours = [c.get("start"), c.get("end")]
                if old == NONE or rules[r][k + 1:k + 3] == hours:
                    rules[r][k:k + 3] = [bound if old == NONE else min(old, bound), *hours]
            elif k in (1, 2):
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
    # without these the search's full timetables broke them and certification refused
    # every one (Arabic_Saudi_Examination: 171 activities at one hour, UNKNOWN at 30 s)
    for kind, (pair, param) in PAIR_KINDS.items():
        for c in p.of_kind(kind):
            if not c.hard:
                continue
            k = 0 if param is None else c.get(param)
            idx = [p.index_of(a) for a in c.get("activities")]
            for n, i in enumerate(idx):
                for j in idx[n + 1:]:
                    if unit_of[i] != unit_of[j]:    # one unit: nothing a move can change
                        out.append((unit_of[i], unit_of[j], acts[i].duration,
                                    acts[j].duration, pair, k))
    # an activity that ends its students' day: with every other lesson of its subgroups
    # (Bethlen, 2008-09-difficult: the search's timetables broke it, none certified)
    by_subgroup: dict[int, list[int]] = {}
    for j, b in enumerate(acts):
        for s in b.subgroups:
            by_subgroup.setdefault(s, []).append(j)
    for c in (*p.of_kind("ActivityEndsStudentsDay"), *p.of_kind("ActivitiesEndStudentsDay")):
        if not c.hard:
            continue
        targets = [p.index_of(c.get("activity"))] if c.get("activity") is not None else \
            [i for i, a in enumerate(acts) if matches_filter(p, a, c)]
        for i in targets:
            for j in sorted({j for s in acts[i].subgroups for j in by_subgroup[s]}):
                if unit_of[i] != unit_of[j]:
                    out.append((unit_of[i], unit_of[j], acts[i].duration, acts[j].duration,
                                ENDS_DAY, 0))
    return out




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
    H, DH = data.grid.n_hours, data.grid.n_days * data.grid.n_hours
    k, w = soft[:, 5], soft[:, 6]
    dist = np.abs(codes[soft[:, 0]] % DH // H - codes[soft[:, 1]] % DH // H)
    return np.where(dist < k, k - dist, 0) * w


def pair_rules(rows: np.ndarray, U: int) -> Pairs:
    """``rows`` (pair rows, see :class:`Pairs`) with the index of the rows each of the
    ``U`` units is in."""
    by_unit: list[list[int]] = [[] for _ in range(U)]
    for q in range(len(rows)):
        a, b = int(rows[q, 0]), int(rows[q, 1])
        by_unit[a].append(q)
        if b != a:
            by_unit[b].append(q)
    ptr = np.zeros(U + 1, np.int64)
    ptr[1:] = np.cumsum([len(x) for x in by_unit])
    return Pairs(rows, ptr, np.array([y for x in by_unit for y in x], np.int64))


