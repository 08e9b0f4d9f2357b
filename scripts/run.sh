#!/usr/bin/env bash
# Sets everything up (first time only) and starts the program. Extra arguments go to main.py.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
exec .venv/bin/python main.py "$@"
