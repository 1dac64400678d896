#!/usr/bin/env python3
"""Reference solver for `continuum place --method optimal` (bench/place.sh): the same problem,
solved by SciPy, to check our figures and to time ours against.

Usage: place_scipy.py INSTANCE.json RESULT_OUT.json

The problem: place as many students as possible, then minimise the sum of the ranks of the
places they get (rank = 1-based position in their wishes). As an assignment problem for
scipy.sparse.csgraph.min_weight_full_bipartite_matching:
  - rows are the students;
  - columns are the places' seats, each place expanded into one column per unit of capacity,
    then one dummy column per student;
  - a wish costs its rank (1..10) to every seat of the wished place; each student's own dummy
    column costs BIG = 10 * n_students + 1 and is linked to that student's row only.
Every row can be matched (to its dummy), so a full row matching exists. A dummy costs more than
any possible sum of real ranks (at most 10 per student), so the minimum total places as many
students as possible first, then minimises the rank sum among those placements.

A place never gets more columns than it has wishers: a seat nobody can take changes nothing, and
capacities up to 2^31-1 stay cheap.

Prints to stdout one line:
  scipy: parse_s=… build_s=… solve_s=… total_s=… placed=… rank_sum=…
solve_s times the SciPy call alone; total_s the whole script after the interpreter started
(parsing the JSON, building the matrix, solving, writing the result). Writes RESULT_OUT.json in
the shape of `continuum place`'s result ("method": "scipy").
"""

import json
import sys
import time

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching


def build(inst):
    """Returns (matrix, seat_place, students, place_ids, rank_of_edge helper data).

    The matrix is n_students x (n_seats + n_students), CSR, float64 costs."""
    place_index = {p["id"]: i for i, p in enumerate(inst["places"])}
    capacity = np.array([p["capacity"] for p in inst["places"]], dtype=np.int64)
    students = inst["students"]
    n = len(students)

    # One entry per wish: its student (row), place and rank.
    w_row, w_place, w_rank = [], [], []
    for i, s in enumerate(students):
        for r, pid in enumerate(s["wishes"], 1):
            j = place_index.get(pid)
            if j is None:
                raise SystemExit("place_scipy.py: student %s wishes unknown place %s"
                                 % (s["id"], pid))
            w_row.append(i)
            w_place.append(j)
            w_rank.append(r)
    w_row = np.array(w_row, dtype=np.int64)
    w_place = np.array(w_place, dtype=np.int64)
    w_rank = np.array(w_rank, dtype=np.float64)

    # Seats per place: its capacity, but no more than its number of wishers.
    wishers = np.bincount(w_place, minlength=len(capacity))
    seats = np.minimum(capacity, wishers)
    first_seat = np.concatenate(([0], np.cumsum(seats)[:-1]))
    n_seats = int(seats.sum())
    seat_place = np.repeat(np.arange(len(seats)), seats)

    # Expand every wish into one edge per seat of its place.
    per_wish = seats[w_place]
    e_row = np.repeat(w_row, per_wish)
    e_cost = np.repeat(w_rank, per_wish)
    # Column of the k-th edge of a wish = first seat of its place + k.
    starts = np.repeat(np.cumsum(per_wish) - per_wish, per_wish)
    e_col = np.repeat(first_seat[w_place], per_wish) + (np.arange(len(e_row)) - starts)

    # The dummies: student i -> column n_seats + i, cost BIG.
    big = 10.0 * n + 1.0
    rows = np.concatenate((e_row, np.arange(n)))
    cols = np.concatenate((e_col, n_seats + np.arange(n)))
    costs = np.concatenate((e_cost, np.full(n, big)))
    # Sort by row so that the CSR can be built directly, without duplicate summing.
    order = np.argsort(rows, kind="stable")
    rows, cols, costs = rows[order], cols[order], costs[order]
    indptr = np.concatenate(([0], np.cumsum(np.bincount(rows, minlength=n))))
    m = csr_matrix((costs, cols, indptr), shape=(n, n_seats + n))
    return m, seat_place, n_seats


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: place_scipy.py INSTANCE.json RESULT_OUT.json\n")
        return 2
    t0 = time.perf_counter()
    with open(sys.argv[1]) as f:
        inst = json.load(f)
    t1 = time.perf_counter()
    m, seat_place, n_seats = build(inst)
    t2 = time.perf_counter()
    if m.shape[0] > 0:
        row_ind, col_ind = min_weight_full_bipartite_matching(m)
    else:
        row_ind = col_ind = np.zeros(0, dtype=np.int64)
    t3 = time.perf_counter()

    students = inst["students"]
    places = inst["places"]
    assignments = []
    unassigned = []
    max_wishes = max((len(s["wishes"]) for s in students), default=0)
    profile = [0] * max_wishes
    rank_sum = 0
    col_of = dict(zip(row_ind.tolist(), col_ind.tolist()))
    for i, s in enumerate(students):
        c = col_of[i]
        if c >= n_seats:
            unassigned.append(s["id"])
            continue
        pid = places[int(seat_place[c])]["id"]
        rank = s["wishes"].index(pid) + 1
        assignments.append({"student": s["id"], "place": pid, "rank": rank})
        profile[rank - 1] += 1
        rank_sum += rank
    result = {"method": "scipy", "assignments": assignments, "unassigned": unassigned,
              "stats": {"placed": len(assignments), "rank_sum": rank_sum,
                        "rank_profile": profile}}
    with open(sys.argv[2], "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")
    t4 = time.perf_counter()
    print("scipy: parse_s=%.3f build_s=%.3f solve_s=%.3f total_s=%.3f placed=%d rank_sum=%d"
          % (t1 - t0, t2 - t1, t3 - t2, t4 - t0, len(assignments), rank_sum))
    return 0


if __name__ == "__main__":
    sys.exit(main())
