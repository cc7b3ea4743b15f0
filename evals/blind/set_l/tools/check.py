#!/usr/bin/env python3
"""Check that evidence / facts of answerable rows are exact substrings of the source text."""
import json, sys, os, collections
P = '/work/shared/policies/'
DOCS = {
    'gx-tic': P + '000_8dbce8b5f0153687.txt',
    'nm-tic': P + '001_ffc5f580f039e4a8.txt',
    'gx-consortium': P + '002_251ebc7504fe2069.txt',
    'hn-tic': P + '003_42655182f7167981.txt',
    'gx-demo-zone': P + '004_27af9253a8a18f33.txt',
}
D = '/work/blind_l/documents/'
for f in os.listdir(D) if os.path.isdir(D) else []:
    if f.endswith('.txt') and not f.endswith('.gbk.txt'):
        DOCS[f[:-4]] = D + f
TEXT = {k: open(v, encoding='utf-8').read() for k, v in DOCS.items()}

def check(path):
    bad = 0; ids = set(); types = collections.Counter(); docs = collections.Counter(); n = 0
    for ln, line in enumerate(open(path, encoding='utf-8'), 1):
        if not line.strip():
            continue
        n += 1
        r = json.loads(line)
        if r['id'] in ids:
            print(path, ln, 'duplicate id', r['id']); bad += 1
        ids.add(r['id'])
        types[r['type']] += 1
        if not r.get('answerable'):
            if r['type'] not in ('not_specified', 'out_of_scope', 'chitchat'):
                print(path, ln, 'unanswerable with odd type', r['type']); bad += 1
            for k in ('evidence', 'facts'):
                if k in r:
                    print(path, ln, 'unanswerable row has', k)
            docs['(none)'] += 1
            continue
        ds = r['doc'].split('|'); evs = r['evidence'].split('|')
        docs[r['doc']] += 1
        if len(ds) != len(evs):
            print(path, ln, 'doc/evidence count mismatch'); bad += 1; continue
        for d, e in zip(ds, evs):
            if d not in TEXT:
                print(path, ln, 'unknown doc', d); bad += 1; continue
            if e not in TEXT[d]:
                print(path, ln, r['id'], 'EVIDENCE not found in', d, ':', e); bad += 1
            if not (10 <= len(e) <= 30):
                print(path, ln, r['id'], 'evidence length', len(e), e)
        if not r.get('facts'):
            print(path, ln, r['id'], 'no facts'); bad += 1
        for f in r.get('facts', []):
            if not any(f in TEXT[d] for d in ds if d in TEXT):
                print(path, ln, r['id'], 'FACT not found:', f); bad += 1
        if r['type'] == 'applied':
            for k in ('expected', 'why'):
                if not r.get(k):
                    print(path, ln, r['id'], 'missing', k); bad += 1
    print(f'{path}: {n} rows, {bad} errors')
    print('  types:', dict(types))
    print('  docs :', dict(docs))
    return bad

if __name__ == '__main__':
    sys.exit(1 if sum(check(p) for p in sys.argv[1:]) else 0)
