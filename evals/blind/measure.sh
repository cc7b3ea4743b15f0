#!/usr/bin/env bash
# measure.sh CODE_DIR NAME DOCDIR SET...  — index /tmp/m-NAME = shipped + every DOCDIR/*.txt via `add`,
# then eval each SET into /tmp/eval-NAME-<setname>
set -euo pipefail
CODE=$1; NAME=$2; DOCS=$3; shift 3
PY=${PY:-$CODE/.venv/bin/python}
export PYTHONPATH=$CODE POLICY_DATA_DIR=/tmp/m-$NAME
cd $CODE
if [ ! -d /tmp/m-$NAME ]; then
  $PY -m ui.cli ingest >/dev/null
  for f in $DOCS/*.txt; do $PY -m ui.cli add "$f" --id "$(basename "$f" .txt)" >/dev/null; done
fi
for s in "$@"; do
  n=$(basename "$s" .jsonl)
  $PY -m ui.cli eval --set "$s" --out /tmp/eval-$NAME-$n >/dev/null 2>&1 || echo "eval $s failed"
  $PY - "$n" <<PY
import json,sys
r=json.load(open("/tmp/eval-$NAME-$n/report.json"))
m=r.get("metrics") or r.get("overall") or r
print(sys.argv[1], {k:(round(v,3) if isinstance(v,float) else v) for k,v in m.items() if not isinstance(v,(dict,list))})
PY
done
