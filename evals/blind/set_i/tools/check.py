#!/usr/bin/env python3
"""Verifies the blind_i evaluation set. Prints problems and warnings; exit code 1 if any problem."""
import json, os, re, sys
from collections import Counter
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from docs import ROOT, SHIPPED, NEW, GBK_COPY, text_of

problems, warnings = [], []
def P(msg): problems.append(msg)
def W(msg): warnings.append(msg)

ANS_TYPES = {"amount", "threshold", "constraint", "deadline", "definition", "eligibility",
             "list", "procedure", "consequence", "follow_up"}
UNANS_TYPES = {"not_specified", "out_of_scope", "chitchat"}
ANS_KEYS = {"id", "q", "doc", "evidence", "facts", "answerable", "type"}
UNANS_KEYS = {"id", "q", "doc", "answerable", "type", "note"}
# names/terms that a user may legitimately repeat verbatim (programme names etc.)
TERMS = ["科技成果转移转化示范区", "自治区级及以上创新平台", "技术创新中心", "创新联合体",
         "科技成果转化", "八桂青年拔尖人才", "工程技术研究中心", "高新技术企业营业总收入",
         "促进科技成果转化法", "专利行政部门", "科学技术进步条例", "山东省专利条例",
         "杭州市重大科技创新资金"]
MAX_SHARED = 12

TEXTS = {d: text_of(d) for d in list(SHIPPED) + list(NEW)}

def longest_shared(q, doc_text):
    """longest substring of q that occurs in doc_text (after removing allowed terms from q)."""
    qq = q
    for t in TERMS:
        qq = qq.replace(t, "\u0001")
    best = ""
    for i in range(len(qq)):
        lo = len(best) + 1
        j = i + lo
        while j <= len(qq) and "\u0001" not in qq[i:j] and qq[i:j] in doc_text:
            best = qq[i:j]
            j += 1
    return best

def check_file(name, prefix, allowed_docs, applied=False):
    path = os.path.join(ROOT, name)
    rows = []
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                P(f"{name}:{ln} blank line"); continue
            try:
                r = json.loads(line)
            except Exception as e:
                P(f"{name}:{ln} bad json {e}"); continue
            if "\\u" in line:
                P(f"{name}:{ln} not ensure_ascii=False")
            rows.append(r)
    ids = Counter(r.get("id") for r in rows)
    for i, c in ids.items():
        if c > 1: P(f"{name}: duplicate id {i}")
    for r in rows:
        rid = r.get("id", "?")
        if not re.fullmatch(prefix + r"-\d{3}", str(rid)):
            P(f"{rid}: id must look like {prefix}-###")
        q = r.get("q", "")
        if not isinstance(q, str) or len(q) < 4:
            P(f"{rid}: q missing/short")
        ans = r.get("answerable")
        typ = r.get("type")
        doc = r.get("doc")
        hist = r.get("history")
        if hist is not None and (not isinstance(hist, list) or not hist or not all(isinstance(h, str) and h for h in hist)):
            P(f"{rid}: history must be a non-empty list of strings")
        if ans is True:
            keys = set(ANS_KEYS)
            if applied:
                keys |= {"expected", "why"}
                if typ != "applied": P(f"{rid}: applied row must have type applied")
                for k in ("expected", "why"):
                    if not isinstance(r.get(k), str) or not r.get(k).strip():
                        P(f"{rid}: applied row missing {k}")
                if "\n" in r.get("why", ""): P(f"{rid}: why must be one line")
            else:
                if typ not in ANS_TYPES: P(f"{rid}: bad type {typ}")
            if typ == "follow_up":
                keys.add("history")
                if not hist: P(f"{rid}: follow_up without history")
            elif hist is not None:
                P(f"{rid}: history only allowed on follow_up rows")
            if set(r) != keys:
                P(f"{rid}: keys {sorted(r)} != {sorted(keys)}")
            if doc not in allowed_docs:
                P(f"{rid}: doc {doc!r} not allowed here"); continue
            text = TEXTS[doc]
            ev = r.get("evidence", "")
            if not isinstance(ev, str) or not (10 <= len(ev) <= 30):
                P(f"{rid}: evidence length {len(ev) if isinstance(ev, str) else ev} not in 10..30")
            if "\n" in ev or "\r" in ev: P(f"{rid}: evidence has line break")
            if ev not in text: P(f"{rid}: evidence not in {doc}: {ev}")
            if ev and ev in q: P(f"{rid}: evidence copied verbatim into q")
            facts = r.get("facts")
            if not isinstance(facts, list) or not facts:
                P(f"{rid}: facts must be a non-empty list")
            else:
                for fct in facts:
                    if not isinstance(fct, str) or not fct:
                        P(f"{rid}: empty fact"); continue
                    if fct not in text: P(f"{rid}: fact not in {doc}: {fct}")
                    if len(fct) > 24: P(f"{rid}: fact too long ({len(fct)}): {fct}")
                    if "\n" in fct: P(f"{rid}: fact has line break")
            shared = longest_shared(q, text)
            if len(shared) > MAX_SHARED:
                P(f"{rid}: q shares {len(shared)} chars with doc: {shared}")
        elif ans is False:
            if applied:
                P(f"{rid}: applied file must only hold answerable rows")
            keys = set(UNANS_KEYS)
            if hist is not None: keys.add("history")
            if set(r) != keys:
                P(f"{rid}: keys {sorted(r)} != {sorted(keys)}")
            if typ not in UNANS_TYPES: P(f"{rid}: bad unanswerable type {typ}")
            if typ == "not_specified":
                if doc not in allowed_docs: P(f"{rid}: not_specified needs a doc of this file, got {doc!r}")
            elif doc != "":
                P(f"{rid}: {typ} must have doc ''")
            if typ == "chitchat" and not hist:
                P(f"{rid}: chitchat row should carry history")
            if not isinstance(r.get("note"), str) or not r["note"].strip():
                P(f"{rid}: note missing")
            if doc in TEXTS:
                shared = longest_shared(q, TEXTS[doc])
                if len(shared) > MAX_SHARED:
                    P(f"{rid}: q shares {len(shared)} chars with doc: {shared}")
        else:
            P(f"{rid}: answerable must be true/false")
    return rows

shipped = check_file("shipped_i.jsonl", "iS", set(SHIPPED))
uploaded = check_file("uploaded_i.jsonl", "iU", set(NEW))
applied = check_file("applied_i.jsonl", "iA", set(SHIPPED), applied=True)

# not_specified key-word audit list (words that must NOT occur in the doc) lives in tools/absent_words.json
aw_path = os.path.join(ROOT, "tools", "absent_words.json")
if os.path.exists(aw_path):
    absent = json.load(open(aw_path, encoding="utf-8"))
    allrows = {r["id"]: r for r in shipped + uploaded}
    for rid, words in absent.items():
        r = allrows.get(rid)
        if not r: P(f"absent_words: unknown id {rid}"); continue
        if r.get("type") != "not_specified": P(f"absent_words: {rid} is not not_specified")
        for w in words:
            if w in TEXTS[r["doc"]]:
                P(f"{rid}: key word {w!r} for a not_specified row occurs in {r['doc']}")
    for r in shipped + uploaded:
        if r.get("type") == "not_specified" and r["id"] not in absent:
            P(f"{r['id']}: not_specified row without absent-word audit")

# GBK copy
gid, gpath = GBK_COPY
try:
    raw = open(gpath, "rb").read()
    if raw.decode("gbk") != TEXTS[gid]:
        P("GBK copy does not decode to the UTF-8 text")
    if raw == TEXTS[gid].encode("utf-8"):
        P("GBK copy is identical to UTF-8 bytes (not converted)")
except Exception as e:
    P(f"GBK copy: {e}")

# counts / coverage
def summarise(rows, label):
    c = Counter((r["doc"] or "-", r["type"]) for r in rows)
    by_doc = Counter(r["doc"] or "-" for r in rows)
    print(f"{label}: {len(rows)} rows; answerable {sum(1 for r in rows if r.get('answerable') is True)};"
          f" unanswerable {sum(1 for r in rows if r.get('answerable') is False)}")
    print("   per doc:", dict(sorted(by_doc.items())))
    print("   per type:", dict(sorted(Counter(r['type'] for r in rows).items())))
summarise(shipped, "shipped_i")
summarise(uploaded, "uploaded_i")
summarise(applied, "applied_i")

if len(shipped) < 104: P(f"shipped has {len(shipped)} < 104 rows")
if len(uploaded) < 60: P(f"uploaded has {len(uploaded)} < 60 rows")
if len(applied) < 40: P(f"applied has {len(applied)} < 40 rows")
for d in NEW:
    na = sum(1 for r in uploaded if r["doc"] == d and r["answerable"] is True)
    nn = sum(1 for r in uploaded if r["doc"] == d and r["type"] == "not_specified")
    if na < 16 or nn < 4: P(f"uploaded {d}: {na} answerable / {nn} not_specified (want 16/4)")
for d in SHIPPED:
    if not any(r["doc"] == d for r in applied): P(f"applied has no row for {d}")
# region naming in shipped/applied questions
REG = re.compile(r"广西|内蒙古|湖南|联合体|示范区")
for label, rows in (("shipped", shipped), ("applied", applied)):
    docrows = [r for r in rows if r["doc"] in SHIPPED]
    named = sum(1 for r in docrows if REG.search(r["q"]) or (r.get("history") and REG.search(" ".join(r["history"]))))
    share = named / max(1, len(docrows))
    print(f"   {label}: {named}/{len(docrows)} doc rows name region/programme (q or history)")
    if share < 0.8: P(f"{label}: only {share:.0%} of rows name the region/programme")

for w in warnings: print("WARN", w)
for p in problems: print("PROBLEM", p)
print(f"{len(problems)} problems, {len(warnings)} warnings")
sys.exit(1 if problems else 0)
