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
# llama-cpp-python builds from source: a portable AVX2 build, not -march=native (on VMs that
# report AMX or AVX512-FP16 without enabling them, a native build dies of "Illegal instruction").
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON}"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e '.[st,use,llm,test]'
exec .venv/bin/python -m pytest "$@"
