#!/usr/bin/env python3
"""Generates a realistic internship-placement instance for `continuum place` (bench/place.sh).

Usage: place_gen.py N SEED OUT.json

An académie like Lyon's: three sites (Ain, Loire, Rhone, unequal), N students of whom ~60% are
1D (discipline "polyvalent") and the rest 2D, spread over twelve disciplines of unequal sizes.
Each (degree, discipline) group gets places of capacity 1..3 (about 1% withdrawn, capacity 0)
whose total capacity is about 1.05 times its students, and at least 10 places. Every student
lists exactly 10 distinct places of their own group; popularity is skewed (Zipf-Mandelbrot
weights over the group's places, in a random order) and a student favours places of their own
site. Priority is 0..5.

Deterministic: the same N and SEED give the same file, byte for byte (random.Random(SEED), no
other source of randomness, no dict-order or hash dependence). Standard library only; 100,000
students take a few seconds.
"""

import itertools
import json
import math
import random
import sys

SITES = ("Ain", "Loire", "Rhone")
SITE_WEIGHTS = (0.25, 0.30, 0.45)  # the Rhône holds the metropolis
SHARE_1D = 0.60
# 2D disciplines and their relative sizes (unequal, as in a real académie's MEEF cohorts).
DISCIPLINES_2D = (
    ("lettres", 14),
    ("mathematiques", 13),
    ("histoire-geographie", 12),
    ("anglais", 11),
    ("eps", 10),
    ("svt", 8),
    ("physique-chimie", 8),
    ("espagnol", 7),
    ("allemand", 4),
    ("technologie", 5),
    ("arts-plastiques", 4),
    ("education-musicale", 4),
)
WISHES = 10
MIN_PLACES = 10
CAPACITY_FACTOR = 1.05
CAPACITY_WEIGHTS = (0.35, 0.40, 0.25)  # capacity 1, 2, 3
WITHDRAWN = 0.01  # share of places with capacity 0
# Popularity of the r-th most popular place of a group ~ 1 / (r + ZIPF_Q) ** ZIPF_S. The offset
# keeps the head from swallowing every wish in the large 1D group; the skew still leaves the
# least popular places with few wishers, so not everyone can be placed, as in real campaigns.
ZIPF_S = 1.0
ZIPF_Q = 20.0
OWN_SITE_BONUS = 4.0  # a place on one's own site weighs that much more


def split_students(rng, n):
    """Returns [(degree, discipline, count)] summing to n, 1D first."""
    n1 = round(n * SHARE_1D)
    groups = [("1D", "polyvalent", n1)]
    total_w = sum(w for _, w in DISCIPLINES_2D)
    rest = n - n1
    counts = [rest * w // total_w for _, w in DISCIPLINES_2D]
    # Hand out the remainder by seeded draw so that the sizes stay exact.
    for i in rng.sample(range(len(counts)), rest - sum(counts)):
        counts[i] += 1
    groups += [("2D", d, c) for (d, _), c in zip(DISCIPLINES_2D, counts)]
    return groups


def make_places(rng, n_students):
    """Capacities of one group's places: about CAPACITY_FACTOR * n_students in total, at least
    MIN_PLACES places; a few withdrawn (capacity 0) places are mixed in."""
    target = math.ceil(n_students * CAPACITY_FACTOR)
    caps = []
    total = 0
    while total < target or len(caps) < MIN_PLACES:
        if rng.random() < WITHDRAWN:
            caps.append(0)
            continue
        c = rng.choices((1, 2, 3), CAPACITY_WEIGHTS)[0]
        if total < target:
            c = min(c, target - total)
        else:
            c = 1  # only topping up to MIN_PLACES
        caps.append(c)
        total += c
    return caps


def pick_wishes(rng, pool, cum, k):
    """k distinct items of pool drawn successively with weights (cumulative cum), without
    replacement: draw in batches and keep first occurrences."""
    out = []
    seen = set()
    while len(out) < k:
        for p in rng.choices(pool, cum_weights=cum, k=2 * k):
            if p not in seen:
                seen.add(p)
                out.append(p)
                if len(out) == k:
                    break
    return out


def generate(n, seed):
    """Returns (places, students) as the lists of the instance's JSON, ordered by id."""
    rng = random.Random(seed)
    places = []  # dicts; "id" is filled in at the end
    students = []
    for degree, discipline, count in split_students(rng, n):
        if count == 0:
            continue
        first = len(places)
        for cap in make_places(rng, count):
            places.append({"id": None, "capacity": cap, "degree": degree,
                           "site": rng.choices(SITES, SITE_WEIGHTS)[0],
                           "discipline": discipline})
        pool = list(range(first, len(places)))
        order = pool[:]
        rng.shuffle(order)  # popularity rank of each place, independent of its position
        base = {}
        for r, j in enumerate(order):
            base[j] = 1.0 / (r + 1 + ZIPF_Q) ** ZIPF_S
        cum_by_site = {}
        for s in SITES:
            w = [base[j] * (OWN_SITE_BONUS if places[j]["site"] == s else 1.0) for j in pool]
            cum_by_site[s] = list(itertools.accumulate(w))
        for _ in range(count):
            site = rng.choices(SITES, SITE_WEIGHTS)[0]
            students.append({"id": None, "degree": degree, "site": site,
                             "discipline": discipline, "priority": rng.randint(0, 5),
                             "wishes": pick_wishes(rng, pool, cum_by_site[site], WISHES)})
    # Ids are a seeded permutation, so that neither ids nor file order follow the groups (the
    # engine must not rely on input order).
    for items, fmt in ((places, "P%05d"), (students, "S%06d")):
        perm = list(range(1, len(items) + 1))
        rng.shuffle(perm)
        for item, k in zip(items, perm):
            item["id"] = fmt % k
    for st in students:
        st["wishes"] = [places[j]["id"] for j in st["wishes"]]
    places.sort(key=lambda p: p["id"])
    students.sort(key=lambda st: st["id"])
    return places, students


def main():
    if len(sys.argv) != 4:
        sys.stderr.write("usage: place_gen.py N SEED OUT.json\n")
        return 2
    n, seed, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    if n < 0:
        sys.stderr.write("place_gen.py: N must be >= 0\n")
        return 2
    places, students = generate(n, seed)
    with open(out, "w") as f:
        json.dump({"places": places, "students": students}, f, separators=(",", ":"))
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
