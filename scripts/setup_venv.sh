#!/usr/bin/env bash
# Create .venv and install divide with its locked dependencies, saying what each step does and how long it took.
# uv (https://pypi.org/project/uv/) when it is on PATH or can be installed from PyPI into the venv; pip otherwise.
# Usage: scripts/setup_venv.sh PYTHON VENV   (DIVIDE_INSTALLER=pip forces pip)
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

now() { date +%s%N; }
report() { printf 'setup: %-58s %5.1f s\n' "$1" "$(awk -v n="$(( $(now) - $2 ))" 'BEGIN { print n / 1e9 }')"; }
fail() { echo "setup: $1 failed; the last lines of its output:" >&2; tail -n 20 "$log" >&2; exit 1; }

start=$(now)
"$python" -m venv "$venv" >"$log" 2>&1 || fail "creating $venv"
report "created $venv ($("$venv/bin/python" -c 'import sys; print("Python", sys.version.split()[0])'))" "$start"

start=$(now)
uv=""
if [ "${DIVIDE_INSTALLER:-}" = "pip" ]; then
  :  # asked for pip (to compare, or where PyPI's uv wheel is not allowed)
elif command -v uv >/dev/null 2>&1; then
  uv=$(command -v uv)
elif PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install --quiet uv >"$log" 2>&1; then
  uv="$venv/bin/uv"
fi
if [ -n "$uv" ]; then report "installer: uv ($("$uv" --version))" "$start"; else report "installer: pip (uv unavailable)" "$start"; fi

start=$(now)
if [ -n "$uv" ]; then
  "$uv" pip install --quiet --python "$venv/bin/python" -c requirements.lock -e ".[dev]" >"$log" 2>&1 \
    || fail "uv pip install"
else
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install --quiet -c requirements.lock -e ".[dev]" \
    >"$log" 2>&1 || fail "pip install"
fi
report "installed divide and $(grep -c '==' requirements.lock) locked packages" "$start"
