#!/usr/bin/env bash
# Run the app: create the environment, install, build the index if missing, then serve the web
# app and the HTTP API on http://127.0.0.1:${POLICY_PORT:-7860}/ (Ctrl+C stops it).
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
exec .venv/bin/policy-assistant serve "$@"
