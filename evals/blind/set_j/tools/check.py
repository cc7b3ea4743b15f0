#!/usr/bin/env python3
"""Verifies the blind_j evaluation rows. Prints every problem and a summary; exit code 1 if any problem.

Checks
- JSON lines parse; ids unique across the three files and prefixed jS-/jU-/jA- by file
- exact key sets per row kind (answerable / unanswerable / applied)
- doc ids known; shipped file only shipped docs, uploaded file only the new docs, applied file only shipped docs
- evidence: 10-30 chars, no line break, exact substring of its doc, not contained in q
- every fact: non-empty string, exact substring of its doc, no line break
- q: no run of more than MAX_SHARED characters copied from its doc (names/terms whitelisted)
- types allowed; follow_up rows have non-empty history (list of str); applied rows have expected + why
- unanswerable rows: type in not_specified/out_of_scope/chitchat; not_specified has a doc; the others doc ""
- chitchat rows have history
- GBK copy decodes to exactly the UTF-8 text
"""
import json, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POL = "/work/shared/policies"
SHIPPED_DOCS = {
    "gx-tic": "000_8dbce8b5f0153687.txt",
    "nm-tic": "001_ffc5f580f039e4a8.txt",
    "gx-consortium": "002_251ebc7504fe2069.txt",
    "hn-tic": "003_42655182f7167981.txt",
    "gx-demo-zone": "004_27af9253a8a18f33.txt",
}
NEW_DOCS = ["zlx-zcq", "st-kjcx"]
GBK = {"st-kjcx": "st-kjcx.gbk.txt"}
ANS_TYPES = {"amount", "threshold", "constraint", "deadline", "definition", "eligibility", "list",
             "procedure", "consequence", "follow_up"}
UNANS_TYPES = {"not_specified", "out_of_scope", "chitchat"}
MAX_SHARED = 12
# names / terms that may appear verbatim in questions even if long
WHITELIST = ["郑州、洛阳、新乡国家高新技术产业开发区", "郑洛新国家自主创新示范区", "汕头经济特区科技创新条例",
             "广西壮族自治区创新联合体", "自治区科技成果转移转化示范区", "八桂青年拔尖人才培养项目"]

KEYS_ANS = {"id", "q", "doc", "evidence", "facts", "answerable", "type"}
KEYS_UNANS = {"id", "q", "doc", "answerable", "type", "note"}
KEYS_APPLIED = KEYS_ANS | {"expected", "why"}

problems = []


def prob(rid, msg):
    problems.append(f"{rid}: {msg}")


def load_docs():
    docs = {}
    for k, fn in SHIPPED_DOCS.items():
        with open(os.path.join(POL, fn), encoding="utf-8") as f:
            docs[k] = f.read()
    for k in NEW_DOCS:
        with open(os.path.join(ROOT, "documents", k + ".txt"), encoding="utf-8") as f:
            docs[k] = f.read()
    return docs


def longest_shared(q, doc):
    """longest substring of q (after removing whitelisted terms) that occurs in doc"""
    for w in WHITELIST:
        q = q.replace(w, "\u0000")
    best = ""
    n = len(q)
    for i in range(n):
        # extend greedily
        lo = len(best) + 1
        while i + lo <= n and "\u0000" not in q[i:i + lo] and q[i:i + lo] in doc:
            best = q[i:i + lo]
            lo += 1
    return best


def check_file(name, prefix, allowed_docs, kind, docs, seen):
    path = os.path.join(ROOT, name)
    rows = []
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            if not line.strip():
                prob(f"{name}:{ln}", "blank line")
                continue
            try:
                r = json.loads(line)
            except Exception as e:
                prob(f"{name}:{ln}", f"bad JSON {e}")
                continue
            rows.append(r)
    for r in rows:
        rid = r.get("id", "?")
        if rid in seen:
            prob(rid, "duplicate id")
        seen.add(rid)
        if not str(rid).startswith(prefix + "-"):
            prob(rid, f"id should start with {prefix}-")
        q = r.get("q")
        if not isinstance(q, str) or not q.strip():
            prob(rid, "empty q")
            q = ""
        doc = r.get("doc")
        ans = r.get("answerable")
        typ = r.get("type")
        if ans is True:
            want = KEYS_APPLIED if kind == "applied" else KEYS_ANS
            extra = set(r) - want - ({"history"} if typ == "follow_up" else set())
            missing = want - set(r)
            if missing:
                prob(rid, f"missing keys {sorted(missing)}")
            if extra:
                prob(rid, f"unexpected keys {sorted(extra)}")
            if kind == "applied":
                if typ != "applied":
                    prob(rid, f"applied row must have type applied, got {typ}")
                for k in ("expected", "why"):
                    if not isinstance(r.get(k), str) or not r.get(k).strip():
                        prob(rid, f"applied row needs non-empty {k}")
            else:
                if typ not in ANS_TYPES:
                    prob(rid, f"type {typ} not allowed")
            if typ == "follow_up":
                h = r.get("history")
                if not isinstance(h, list) or not h or not all(isinstance(x, str) and x.strip() for x in h):
                    prob(rid, "follow_up needs non-empty history list")
            if doc not in allowed_docs:
                prob(rid, f"doc {doc!r} not allowed in {name}")
                continue
            text = docs[doc]
            ev = r.get("evidence", "")
            if not isinstance(ev, str):
                prob(rid, "evidence not a string")
                ev = ""
            if not (10 <= len(ev) <= 30):
                prob(rid, f"evidence length {len(ev)} not in 10-30")
            if "\n" in ev or "\r" in ev:
                prob(rid, "evidence has line break")
            if ev not in text:
                prob(rid, f"evidence not in doc {doc}: {ev}")
            if ev and ev in q:
                prob(rid, "evidence copied verbatim into q")
            facts = r.get("facts")
            if not isinstance(facts, list) or not facts:
                prob(rid, "facts must be a non-empty list")
                facts = []
            for fct in facts:
                if not isinstance(fct, str) or not fct:
                    prob(rid, f"bad fact {fct!r}")
                    continue
                if "\n" in fct:
                    prob(rid, f"fact has line break {fct!r}")
                if fct not in text:
                    prob(rid, f"fact not in doc {doc}: {fct}")
            shared = longest_shared(q, text)
            if len(shared) > MAX_SHARED:
                prob(rid, f"q shares {len(shared)} chars with doc: {shared}")
        elif ans is False:
            extra = set(r) - KEYS_UNANS - {"history"}
            missing = KEYS_UNANS - set(r)
            if missing:
                prob(rid, f"missing keys {sorted(missing)}")
            if extra:
                prob(rid, f"unexpected keys {sorted(extra)}")
            if kind == "applied":
                prob(rid, "applied file should only hold answerable rows")
            if typ not in UNANS_TYPES:
                prob(rid, f"unanswerable type {typ} not allowed")
            if typ == "not_specified":
                if doc not in allowed_docs:
                    prob(rid, f"not_specified needs a doc of this file, got {doc!r}")
                else:
                    shared = longest_shared(q, docs[doc])
                    if len(shared) > MAX_SHARED:
                        prob(rid, f"q shares {len(shared)} chars with doc: {shared}")
            elif doc != "":
                prob(rid, f"{typ} must have doc \"\"")
            if typ == "chitchat":
                h = r.get("history")
                if not isinstance(h, list) or not h:
                    prob(rid, "chitchat row needs history")
            if "history" in r and typ not in ("chitchat",):
                h = r["history"]
                if not isinstance(h, list) or not all(isinstance(x, str) for x in h):
                    prob(rid, "history must be list of str")
            if not isinstance(r.get("note"), str) or not r["note"].strip():
                prob(rid, "note empty")
        else:
            prob(rid, f"answerable must be true/false, got {ans!r}")
    return rows


def check_gbk(docs):
    for k, fn in GBK.items():
        p = os.path.join(ROOT, "documents", fn)
        if not os.path.exists(p):
            prob(fn, "GBK copy missing")
            continue
        raw = open(p, "rb").read()
        try:
            t = raw.decode("gbk")
        except UnicodeDecodeError as e:
            prob(fn, f"does not decode as GBK: {e}")
            continue
        if t != docs[k]:
            prob(fn, "GBK copy decodes to text different from the UTF-8 file")
        if t.encode("gbk") != raw:
            prob(fn, "GBK re-encoding is not byte-identical")
        try:
            raw.decode("utf-8")
            prob(fn, "GBK copy also decodes as UTF-8 (was it really converted?)")
        except UnicodeDecodeError:
            pass


def main():
    docs = load_docs()
    seen = set()
    stats = {}
    for name, prefix, allowed, kind in [
        ("shipped_j.jsonl", "jS", set(SHIPPED_DOCS), "qa"),
        ("uploaded_j.jsonl", "jU", set(NEW_DOCS), "qa"),
        ("applied_j.jsonl", "jA", set(SHIPPED_DOCS), "applied"),
    ]:
        rows = check_file(name, prefix, allowed, kind, docs, seen)
        stats[name] = rows
    check_gbk(docs)
    for name, rows in stats.items():
        by = {}
        for r in rows:
            key = (r.get("doc") or '""', r.get("type"))
            by[key] = by.get(key, 0) + 1
        ans = sum(1 for r in rows if r.get("answerable") is True)
        print(f"{name}: {len(rows)} rows ({ans} answerable, {len(rows) - ans} unanswerable)")
        for (d, t), c in sorted(by.items()):
            print(f"    {d:14s} {t:14s} {c}")
    for p in problems:
        print("PROBLEM", p)
    print(f"{len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
