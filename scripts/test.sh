#!/usr/bin/env bash
# Run the tests: create the environment, install with test extras, run pytest.
# torch==2.13.0 is pinned in the `st` extra (a local CPU build on our machines).
# The browser tests drive Debian's chromium; a Chinese font makes their screenshots readable.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium fonts-noto-cjk >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[st,use,llm,test]'
exec .venv/bin/python -m pytest "$@"
