#!/usr/bin/env python3
"""Checks a placement result against its instance, for bench/place.sh; prints "PLACED RANK_SUM".

Usage: place_check.py INSTANCE.json RESULT.json [--stable]

A benchmark figure is only worth something if the answer is right, so before place.sh compares
our optimal result with SciPy's, this proves that the result file is a feasible placement:
every student appears exactly once (assigned or unassigned), every assignment is one of the
student's wishes with its true rank, no place gets more students than its capacity, and the
"stats" block agrees with the assignments. With --stable it also checks the one property of a
stable placement that does not depend on how priorities and the lottery break ties: no student
is refused a place they prefer while that place still has a free seat (non-wastefulness).

Exits 1 with one message per kind of fault (at most a few examples each) if anything is wrong.
Standard library only.
"""

import collections
import json
import sys


def check(inst, res, stable):
    """Returns (faults, placed, rank_sum); faults is a list of strings."""
    faults = []
    places = {p["id"]: p for p in inst["places"]}
    students = {s["id"]: s for s in inst["students"]}
    seen = collections.Counter()
    used = collections.Counter()
    rank_of = {}
    profile = collections.Counter()

    def fault(msg):
        if len(faults) < 20:
            faults.append(msg)

    for a in res.get("assignments", []):
        sid, pid, rank = a.get("student"), a.get("place"), a.get("rank")
        seen[sid] += 1
        s = students.get(sid)
        if s is None:
            fault("assignment of unknown student %r" % sid)
            continue
        if pid not in s["wishes"]:
            fault("student %s assigned %r, not one of their wishes" % (sid, pid))
            continue
        true_rank = s["wishes"].index(pid) + 1
        if rank != true_rank:
            fault("student %s: rank %r given for %s, which is wish %d" % (sid, rank, pid,
                                                                         true_rank))
        used[pid] += 1
        rank_of[sid] = true_rank
        profile[true_rank] += 1
    for sid in res.get("unassigned", []):
        seen[sid] += 1
        if sid not in students:
            fault("unknown student %r listed as unassigned" % sid)
    for sid in students:
        if seen[sid] != 1:
            fault("student %s appears %d times in the result" % (sid, seen[sid]))
    for pid, n in used.items():
        if n > places[pid]["capacity"]:
            fault("place %s holds %d students, capacity %d" % (pid, n, places[pid]["capacity"]))

    placed = len(rank_of)
    rank_sum = sum(rank_of.values())
    stats = res.get("stats", {})
    if stats.get("placed") != placed:
        fault("stats.placed = %r, but %d students are assigned" % (stats.get("placed"), placed))
    if stats.get("rank_sum") != rank_sum:
        fault("stats.rank_sum = %r, but the ranks sum to %d" % (stats.get("rank_sum"), rank_sum))
    got = stats.get("rank_profile")
    if not isinstance(got, list) or any(
            (got[r - 1] if r <= len(got) else 0) != profile[r]
            for r in range(1, max(len(got or []), max(profile, default=0)) + 1)):
        fault("stats.rank_profile = %r does not count the ranks assigned" % (got,))

    if stable:
        for sid, s in students.items():
            mine = rank_of.get(sid, len(s["wishes"]) + 1)
            for pid in s["wishes"][:mine - 1]:
                if pid in places and used[pid] < places[pid]["capacity"]:
                    fault("student %s gets wish %s but their wish %s has a free seat"
                          % (sid, mine if sid in rank_of else "none", pid))
                    break
    return faults, placed, rank_sum


def main():
    args = sys.argv[1:]
    stable = "--stable" in args
    args = [a for a in args if a != "--stable"]
    if len(args) != 2:
        sys.stderr.write("usage: place_check.py INSTANCE.json RESULT.json [--stable]\n")
        return 2
    with open(args[0]) as f:
        inst = json.load(f)
    with open(args[1]) as f:
        res = json.load(f)
    faults, placed, rank_sum = check(inst, res, stable)
    if faults:
        sys.stderr.write("place_check.py: %s is not a valid placement of %s:\n"
                         % (args[1], args[0]))
        for msg in faults:
            sys.stderr.write("  " + msg + "\n")
        return 1
    print(placed, rank_sum)
    return 0


if __name__ == "__main__":
    sys.exit(main())
