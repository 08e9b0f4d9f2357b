#!/usr/bin/env bash
# Sets everything up (first time only) and runs every test, headless. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m pytest -q "$@"
# The storage and service tests once more against a real PostgreSQL server (design §3, issue 9).
if [ -f scripts/ci_postgres.sh ] && [ "$#" -eq 0 ]; then
  bash scripts/ci_postgres.sh
fi
