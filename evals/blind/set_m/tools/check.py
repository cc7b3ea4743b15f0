#!/usr/bin/env python3
"""Check that evidence and facts of answerable rows are exact substrings of the source texts."""
import json, sys, os, collections
P = '/work/shared/policies/'
DOCS = {
    'gx-tic': P + '000_8dbce8b5f0153687.txt',
    'nm-tic': P + '001_ffc5f580f039e4a8.txt',
    'gx-consortium': P + '002_251ebc7504fe2069.txt',
    'hn-tic': P + '003_42655182f7167981.txt',
    'gx-demo-zone': P + '004_27af9253a8a18f33.txt',
}
D = '/work/blind_m/documents/'
if os.path.isdir(D):
    for f in os.listdir(D):
        if f.endswith('.txt') and not f.endswith('.gbk.txt'):
            DOCS[f[:-4]] = D + f
TEXT = {k: open(v, encoding='utf-8').read() for k, v in DOCS.items()}

def check(path):
    bad = 0; ids = set(); cnt = collections.Counter()
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        if not line.strip():
            continue
        r = json.loads(line)
        if r['id'] in ids:
            print(path, n, 'duplicate id', r['id']); bad += 1
        ids.add(r['id'])
        cnt[(r.get('doc', '-'), r['type'], r['answerable'])] += 1
        if not r['answerable']:
            continue
        docs = r['doc'].split('|'); evs = r['evidence'].split('|')
        if len(docs) != len(evs):
            print(path, r['id'], 'doc/evidence count mismatch'); bad += 1; continue
        for d, e in zip(docs, evs):
            if d not in TEXT:
                print(path, r['id'], 'unknown doc', d); bad += 1; continue
            if e not in TEXT[d]:
                print(path, r['id'], 'evidence not found in', d, repr(e)); bad += 1
            if not (10 <= len(e) <= 30):
                print(path, r['id'], 'evidence length', len(e), repr(e)); bad += 1
        for f in r['facts']:
            if not any(f in TEXT[d] for d in docs if d in TEXT):
                print(path, r['id'], 'fact not found', repr(f)); bad += 1
        if not r['facts']:
            print(path, r['id'], 'no facts'); bad += 1
    print(path, 'rows', len(ids), 'problems', bad)
    return cnt, bad

if __name__ == '__main__':
    tot = 0
    for p in sys.argv[1:]:
        c, b = check(p); tot += b
        if '-v' in os.environ.get('CHECK_FLAGS', ''):
            for k, v in sorted(c.items()): print('  ', k, v)
    sys.exit(1 if tot else 0)
