#!/usr/bin/env bash
# Sets everything up (first time only), checks the code (ruff, mypy) and runs every test, headless: the fast tests
# first, then the slow ones (marked `slow`: packaging, the benchmark, subprocess runs). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check --quiet .
.venv/bin/mypy   # strict on models/rules and models/core (mypy.ini)
# A phase that selects nothing (extra arguments naming only fast or only slow tests) exits 5: not a failure.
phase() { .venv/bin/python -m pytest -q "$@" || { rc=$?; [ "$rc" -eq 5 ] || exit "$rc"; }; }
phase -m "not slow" "$@"
phase -m slow "$@"
# The storage and service tests once more against a real PostgreSQL server (design §3, issue 9).
if [ -f scripts/ci_postgres.sh ] && [ "$#" -eq 0 ]; then
  bash scripts/ci_postgres.sh
fi
