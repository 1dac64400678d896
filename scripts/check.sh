#!/usr/bin/env bash
# Runs every test suite against the sanitizer build given as $1 and ends with one line
# "N passed, N failed" summing them all (each runner prints its own summary before).
set -uo pipefail
build=${1:-build-check}
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0
failed=0

# 1. Unit tests and fuzz-corpus replays (meson).
meson test -C "$build" --print-errorlogs --num-processes 2
log="$build/meson-logs/testlog.json"
if [ -f "$log" ]; then
	p=$(grep -c '"result": "OK"' "$log" || true)
	f=$(grep -c -E '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' "$log" || true)
	passed=$((passed + p))
	failed=$((failed + f))
else
	failed=$((failed + 1))
fi

# 2. HTTP and browser tests (node's test runner) against the sanitizer binary.
run_node() {
	local name=$1
	shift
	local out
	out=$(mktemp)
	CONTINUUM_BIN="$here/$build/continuum" node --test --test-concurrency=1 "$@" 2>&1 | tee "$out"
	local p f
	p=$(grep -E '^# pass [0-9]+' "$out" | tail -1 | awk '{print $3}')
	f=$(grep -E '^# fail [0-9]+' "$out" | tail -1 | awk '{print $3}')
	if [ -z "$p" ]; then
		echo "check: $name did not report a summary" >&2
		f=$((${f:-0} + 1))
	fi
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	rm -f "$out"
}
if compgen -G "tests/api/*.test.mjs" >/dev/null; then
	run_node api tests/api/*.test.mjs
fi
if compgen -G "tests/e2e/*.test.mjs" >/dev/null; then
	run_node e2e tests/e2e/*.test.mjs
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
