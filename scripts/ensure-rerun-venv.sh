#!/usr/bin/env bash
# Creates (once) the project-local Python venv holding the real Rerun 0.41 used as a test oracle:
#   .venv-rerun/bin/python, .venv-rerun/bin/rerun
# Cached between runs: reinstalls only when scripts/rerun-oracle/requirements.txt changes.
# Python is a test-time dependency only; Iris itself never needs it.
set -euo pipefail
cd "$(dirname "$0")/.."
# PySpark (the dataset export's Spark cross-check) needs a Java 17+ runtime: Debian's, installed when missing.
if ! command -v java >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-rerun-venv: java is missing (PySpark needs Java 17+): run 'sudo apt-get install -y openjdk-17-jre-headless'" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q openjdk-17-jre-headless
fi
venv=".venv-rerun"
req="scripts/rerun-oracle/requirements.txt"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/rerun" ]; then exit 0; fi
# An existing venv (possibly a symlink to a shared one) is updated in place; `python -m venv` refuses symlinks.
if [ ! -x "$venv/bin/python" ]; then
  py=$(command -v python3 || true)
  if [ -z "$py" ]; then
    echo "ensure-rerun-venv: python3 (>= 3.9, with venv) is needed for the Rerun oracle tests; install it (e.g. apt-get install -y python3 python3-venv)" >&2
    exit 1
  fi
  if ! "$py" -m venv "$venv" >/dev/null 2>&1; then
    echo "ensure-rerun-venv: '$py -m venv' failed; install the venv module (e.g. apt-get install -y python3-venv)" >&2
    exit 1
  fi
fi
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" 2>"$venv/pip-error.log"; then
  echo "ensure-rerun-venv: could not install $(grep -v '^#' "$req" | tr '\n' ' ')from PyPI (is the package index reachable?); pip said:" >&2
  grep -v "is ignored: it is neither a file" "$venv/pip-error.log" | tail -20 >&2
  exit 1
fi
# No usage data from test runs.
RERUN_ANALYTICS=0 "$venv/bin/rerun" analytics disable >/dev/null 2>&1 || true
echo "$want" >"$stamp"
echo "ensure-rerun-venv: $("$venv/bin/rerun" --version | head -1)"
