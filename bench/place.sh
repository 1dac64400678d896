#!/usr/bin/env bash
# Section 4 of `make bench`: the internship-placement engine, `continuum place`, on generated
# académies of 4,000 and 100,000 students (10 wishes each, popular places in demand).
#   - stable (student-proposing deferred acceptance): whole-process wall time, solve time,
#     proposals per second, peak resident memory;
#   - optimal (most students placed, then least rank sum; exact min-cost flow): whole-process
#     wall time and peak memory, as a ratio to the solve time alone of SciPy's
#     min_weight_full_bipartite_matching on the same instance, measured in the same run.
# Every result file is first checked to be a feasible placement (bench/place_check.py; for stable,
# also that nobody is refused a preferred place that keeps a free seat); then our optimal placed
# count and rank sum must equal SciPy's, or the script prints MISMATCH and exits 1.
# Instances are generated once (bench/place_gen.py, seed 1) under BUILD/bench/place and reused until
# the generator changes; the result files and stderr of every run are left there too.
# PLACE_SIZES="4000" runs fewer sizes; PYTHON picks the interpreter (default /usr/bin/python3).
# Usage: bench/place.sh [BUILD]
set -euo pipefail
export LC_ALL=C # a decimal point, not a comma, in $EPOCHREALTIME and printf
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bin=$build/continuum
work=$build/bench/place
# The interpreter Debian's python3-scipy installs into: a python3 found first in PATH (pyenv,
# a virtualenv) usually has no SciPy.
py=${PYTHON:-/usr/bin/python3}
read -r -a sizes <<<"${PLACE_SIZES:-4000 100000}"
target_size=100000 # the size the targets are set for
mkdir -p "$work"

if [ ! -x "$bin" ]; then
	echo "place.sh: $bin not found; build it first (ninja -C $build)" >&2
	exit 1
fi
if [ ! -x /usr/bin/time ] || ! "$py" -c 'import numpy, scipy' 2>/dev/null; then
	echo "place.sh: GNU time or SciPy missing for $py; run scripts/setup.sh --bench" >&2
	exit 1
fi

# measure NAME CMD…: runs CMD, stdout to $work/NAME.out, stderr to $work/NAME.err; sets wall
# (seconds, whole process) and peak (resident MB, from GNU time's %M in KiB). GNU time is a small
# C program that forks: unlike a Python wrapper (vfork), it adds only ~1 MB to the child's peak.
measure() {
	local name=$1 t0 t1
	shift
	t0=$EPOCHREALTIME
	if ! /usr/bin/time -f %M -o "$work/$name.rss" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
		echo "place.sh: failed: $*" >&2
		cat "$work/$name.err" >&2
		exit 1
	fi
	t1=$EPOCHREALTIME
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	peak=$(tail -n 1 "$work/$name.rss" | awk '{ printf "%.0f", $1 * 1024 / 1e6 }')
}

# field KEY LINE: the value of KEY=value in a line of key=value pairs.
field() {
	sed -n "s/.*[ :]$1=\([0-9.]*\).*/\1/p" <<<"$2"
}

# thousands N: 1234567 -> 1,234,567
thousands() {
	sed ':a; s/\B[0-9]\{3\}\>/,&/; ta' <<<"$1"
}

# check INSTANCE RESULT [--stable]: sets placed and rank_sum of a result proven feasible.
check() {
	local out
	if ! out=$("$py" bench/place_check.py "$@"); then
		echo "INVALID: $2 is not a valid placement (see above)"
		exit 1
	fi
	read -r placed rank_sum <<<"$out"
}

# timings NAME: the "timings:" line continuum printed on stderr.
timings() {
	local line
	line=$(grep '^timings:' "$work/$1.err" | tail -n 1) || true
	if [ -z "$line" ]; then
		echo "place.sh: no 'timings:' line on the stderr of $1 (see $work/$1.err)" >&2
		exit 1
	fi
	echo "$line"
}

for n in "${sizes[@]}"; do
	inst=$work/instance-$n.json
	if [ ! -f "$inst" ] || [ bench/place_gen.py -nt "$inst" ]; then
		t0=$EPOCHREALTIME
		"$py" bench/place_gen.py "$n" 1 "$inst.tmp"
		mv "$inst.tmp" "$inst"
		awk -v a="$t0" -v b="$EPOCHREALTIME" -v n="$n" -v f="$inst" \
			'BEGIN { printf "(generated %s in %.1f s: %d students)\n", f, b - a, n }'
	fi
	if [ "$n" = "$target_size" ]; then on_target=1; else on_target=0; fi

	# stable
	measure "$n-stable" "$bin" place --in "$inst" --out "$work/$n-stable.out.json" \
		--method stable --lottery 1 --timings
	line=$(timings "$n-stable")
	s_solve=$(field solve_ms "$line")
	s_prop=$(field proposals "$line")
	check "$inst" "$work/$n-stable.out.json" --stable
	s_placed=$placed s_rank=$rank_sum
	awk -v n="$n" -v w="$wall" -v s="$s_solve" -v p="$s_prop" -v pp="$(thousands "$s_prop")" \
		-v m="$peak" -v t="$on_target" 'BEGIN {
		rate = s > 0 ? sprintf("%.1f M proposals/s", p / (s / 1000) / 1e6) : "n/a proposals/s"
		printf "stable %d students: %.3f s whole process%s, solve %.1f ms, %s proposals = %s, " \
			"peak %d MB%s\n",
			n, w, (t ? " (target < 0.5 s)" : ""), s, pp, rate, m, (t ? " (target < 200 MB)" : "")
	}'

	# optimal
	measure "$n-optimal" "$bin" place --in "$inst" --out "$work/$n-optimal.out.json" \
		--method optimal --timings
	line=$(timings "$n-optimal")
	o_wall=$wall o_peak=$peak
	o_solve=$(field solve_ms "$line")
	check "$inst" "$work/$n-optimal.out.json"
	o_placed=$placed o_rank=$rank_sum

	# SciPy, on the same instance
	measure "$n-scipy" "$py" bench/place_scipy.py "$inst" "$work/$n-scipy.out.json"
	line=$(grep '^scipy:' "$work/$n-scipy.out")
	sp_solve=$(field solve_s "$line")
	sp_placed=$(field placed "$line")
	sp_rank=$(field rank_sum "$line")
	awk -v n="$n" -v w="$o_wall" -v s="$o_solve" -v m="$o_peak" -v ref="$sp_solve" \
		-v t="$on_target" 'BEGIN {
		printf "optimal %d students: continuum %.3f s whole process (solve %.3f s, peak %d MB) " \
			"vs SciPy solve %.3f s -> %.3f of SciPy%s\n",
			n, w, s / 1000, m, ref, (ref > 0 ? w / ref : 0), (t ? " (target <= 0.2)" : "")
	}'
	awk -v n="$n" -v s="$sp_solve" -v w="$wall" -v m="$peak" 'BEGIN {
		printf "SciPy %d students: solve %.3f s, whole script %.3f s, peak %d MB\n", n, s, w, m
	}'
	if [ "$o_placed" != "$sp_placed" ] || [ "$o_rank" != "$sp_rank" ]; then
		echo "MISMATCH: optimal $n students: continuum placed=$o_placed rank_sum=$o_rank," \
			"SciPy placed=$sp_placed rank_sum=$sp_rank"
		exit 1
	fi
	echo "placed $n students: optimal $(thousands "$o_placed") (rank sum $(thousands "$o_rank")," \
		"same as SciPy), stable $(thousands "$s_placed") (rank sum $(thousands "$s_rank"))"
done
