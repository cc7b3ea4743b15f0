#!/usr/bin/env bash
# Run the app: create the environment, install, build the index if missing, then serve.
# (Until the web UI lands, "serve" = answer a question from the command line, with citations.)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e .
export POLICY_DATA_DIR="${POLICY_DATA_DIR:-data}"
if [ ! -f "$POLICY_DATA_DIR/CURRENT.json" ]; then
  .venv/bin/policy-assistant ingest
fi
.venv/bin/policy-assistant info
.venv/bin/policy-assistant ask "${1:-广西创新联合体的牵头企业营收要多少？}"
