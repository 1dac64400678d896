#!/usr/bin/env bash
# Installs, only when missing, what Continuum needs on Debian 12: the build toolchain, the C
# libraries and Chromium (apt-get), and the npm packages -- the DSFR assets the pages serve and the
# browser-test tools -- pinned by package-lock.json. With --bench, the benchmark tools too.
# Idempotent: a second run installs nothing.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
want_bench=0
for arg in "$@"; do
	case "$arg" in
	--bench) want_bench=1 ;;
	*) echo "setup.sh: option inconnue: $arg" >&2; exit 2 ;;
	esac
done

pkgs=(build-essential pkg-config meson ninja-build
      libmicrohttpd-dev libsqlite3-dev libpq-dev libjansson-dev libsodium-dev
      libstemmer-dev libglpk-dev libcmocka-dev sqlite3 curl chromium nodejs npm)
# The bench: wrk drives the HTTP figures; SciPy is the reference solver the placement engine is
# measured against (bench/place_scipy.py), and GNU time gives its peak resident memory.
[ "$want_bench" = 1 ] && pkgs+=(wrk python3-numpy python3-scipy time)

missing=()
for p in "${pkgs[@]}"; do
	# nodejs/npm may come from elsewhere on a developer machine: a working command is enough.
	case "$p" in
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "setup.sh: paquets manquants (${missing[*]}); relancez en root" >&2
		exit 1
	fi
	echo "setup.sh: installation de ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cd "$here"
# playwright-core needs Node.js 20 or later; Debian 12's own package is 18. The machines this
# project runs on ship Node.js 20; say so plainly where they do not.
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
	echo "setup.sh: Node.js $(node --version) trouvé ; les tests navigateur demandent Node.js 20 ou plus" >&2
fi
# npm ci is exact but slow; skip it when node_modules already matches the lock file.
# --ignore-scripts: no package we use needs an install script, and the DSFR's preinstall
# script refuses to run outside a project made by its own generator.
stamp=node_modules/.continuum-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	cp package-lock.json "$stamp"
fi
