#!/usr/bin/env bash
# Run the app: create the environment, install, build the index if missing, then serve the web
# app and the HTTP API on http://127.0.0.1:${POLICY_PORT:-7860}/ (Ctrl+C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e .
export POLICY_DATA_DIR="${POLICY_DATA_DIR:-data}"
# Build the index, or bring it up to date after an upgrade (changed documents, dictionary or
# synonyms): unchanged clauses keep their vectors, so an up-to-date index takes about a second.
.venv/bin/policy-assistant ingest
.venv/bin/policy-assistant info
exec .venv/bin/policy-assistant serve "$@"
