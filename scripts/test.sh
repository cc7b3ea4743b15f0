#!/usr/bin/env bash
# Run the tests: create the environment, install with test extras, run pytest.
# torch==2.13.0 is pinned in the `st` extra (a local CPU build on our machines).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[st,use,llm,test]'
exec .venv/bin/python -m pytest "$@"
