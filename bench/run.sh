#!/usr/bin/env bash
# `make bench`: the figures of issue 3, each with its reference measured in the same run.
#   1. search latency through the store at national scale (bench_search: FTS5 alone, then the
#      in-memory index; p50, p99, vs a primary-key read), and the index alone (bench_sindex);
#   2. HTTP throughput of the search API against /healthz at 64 connections (wrk), as a ratio;
#   3. resident memory of the server with the académie loaded, after a round of requests;
#   4. the internship-placement engine against SciPy on 4,000 and 100,000 students (place.sh);
#   5. training requests (issue 5): trainer proposals for one request at national scale (p99),
#      and the batch assignment of 1,000 ALP IDG actions at académie scale (bench_requests).
# The databases are built once under BUILD/bench and reused.
# Usage: bench/run.sh [BUILD] [SECTIONS]; SECTIONS picks some sections by number or name,
# comma-separated (1 search, 2 http, 3 memory, 4 place, 5 requests), e.g.
# `bench/run.sh build place`;
# without it, all of them run.
set -euo pipefail
build=${1:-build}
sections=${2:-all}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
bin=$build/continuum
work=$build/bench
mkdir -p "$work"

names=(search http memory place requests)
for s in ${sections//,/ }; do
	case "$s" in
	all | [1-5] | search | http | memory | place | requests) ;;
	*) echo "run.sh: unknown section '$s' (1-5, ${names[*]})" >&2; exit 2 ;;
	esac
done
want() { # NUMBER: is that section selected?
	local s
	for s in ${sections//,/ }; do
		case "$s" in all | "$1" | "${names[$1 - 1]}") return 0 ;; esac
	done
	return 1
}

if want 1; then
	echo "== 1. search latency (100,000 trainers)"
	"$build/bench_search" "$work/national.db"
	echo
	echo "== 1b. the in-memory index alone (synthetic 100,000 documents)"
	"$build/bench_sindex"
fi

start_server() { # db [serve options…] -> sets pid, url
	rm -f "$work/port"
	local db=$1
	shift
	"$bin" serve --db "$db" --port 0 --port-file "$work/port" "$@" 2>"$work/serve.log" &
	pid=$!
	for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
	url="http://127.0.0.1:$(cat "$work/port")"
}
stop_server() { kill "$pid"; wait "$pid" 2>/dev/null || true; }

rps() { # wrk output -> requests/s
	awk '/Requests\/sec/ {print $2}'
}

if want 2; then
	if [ ! -f "$work/national.db" ]; then
		echo "run.sh: section 2 uses $work/national.db, which section 1 builds; run it first" >&2
		exit 1
	fi
	echo
	echo "== 2. HTTP throughput at 64 connections (national académie, 120 varied searches)"
	TOKEN=$("$bin" token create --db "$work/national.db" --login coordination)
	export TOKEN
	for mode in cached uncached; do
		if [ "$mode" = cached ]; then start_server "$work/national.db"; else start_server "$work/national.db" --no-search-cache; fi
		curl -sf "$url/healthz" >/dev/null
		curl -sf -H "Authorization: Bearer $TOKEN" "$url/api/v1/trainers?q=inclusive" >/dev/null # builds the index
		sleep 2
		wrk -t2 -c64 -d3s "$url/healthz" >/dev/null # warm-up
		h=$(wrk -t2 -c64 -d8s "$url/healthz" | rps)
		s=$(wrk -t2 -c64 -d8s -s bench/search.lua "$url" | rps)
		stop_server
		echo "$mode: healthz $h req/s, search API $s req/s"
		awk -v s="$s" -v h="$h" -v m="$mode" 'BEGIN { printf "%s: search / healthz = %.3f (target >= 0.5)\n", m, s / h }'
	done
fi

if want 3; then
	echo "== 3. server memory with the académie loaded"
	if [ ! -f "$work/academie.db" ]; then
		"$bin" demo-data --db "$work/academie.db" --scale academie --seed 1 2>/dev/null
	fi
	start_server "$work/academie.db"
	TOKEN=$("$bin" token create --db "$work/academie.db" --login coordination)
	export TOKEN
	wrk -t2 -c16 -d5s -s bench/search.lua "$url" >/dev/null
	for p in / /formateurs /formateurs/1 /validations /journal; do curl -s -o /dev/null "$url$p"; done
	rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
	hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
	stop_server
	echo "resident: $((rss / 1024)) MiB now, $((hwm / 1024)) MiB peak (target < 50 MB)"
fi

if want 4; then
	echo "== 4. internship placement (4,000 and 100,000 students, against SciPy)"
	bench/place.sh "$build"
fi

if want 5; then
	echo
	echo "== 5. training requests: trainer proposals (100,000 trainers), batch assignment (1,000 ALP IDG)"
	"$build/bench_requests" "$work/national.db" "$work/academie.db"
fi
