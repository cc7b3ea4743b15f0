#!/usr/bin/env python3
"""Check that evidence / facts of every answerable row are exact substrings of the source text."""
import json, sys, glob, os, collections
P = '/work/shared/policies/'
DOCS = {'gx-tic': P+'000_8dbce8b5f0153687.txt', 'nm-tic': P+'001_ffc5f580f039e4a8.txt',
        'gx-consortium': P+'002_251ebc7504fe2069.txt', 'hn-tic': P+'003_42655182f7167981.txt',
        'gx-demo-zone': P+'004_27af9253a8a18f33.txt'}
for f in glob.glob('/work/blind_n/documents/*.txt'):
    b = os.path.basename(f)
    if not b.endswith('.gbk.txt'):
        DOCS[b[:-4]] = f
TEXT = {k: open(v, encoding='utf-8').read() for k, v in DOCS.items()}
bad = 0
for fn in sys.argv[1:]:
    ids = set(); cnt = collections.Counter()
    for i, line in enumerate(open(fn, encoding='utf-8'), 1):
        if not line.strip():
            continue
        r = json.loads(line)
        assert r['id'] not in ids, r['id']; ids.add(r['id'])
        cnt[(r.get('doc', '-'), r['type'], r['answerable'])] += 1
        if not r['answerable']:
            continue
        docs = r['doc'].split('|'); evs = r['evidence'].split('|')
        if len(docs) != len(evs):
            print(fn, r['id'], 'doc/evidence count mismatch'); bad += 1
        for d, e in zip(docs, evs):
            if d not in TEXT:
                print(fn, r['id'], 'unknown doc', d); bad += 1; continue
            if e not in TEXT[d]:
                print(fn, r['id'], 'EVIDENCE not found in', d, ':', e); bad += 1
            if not (10 <= len(e) <= 30):
                print(fn, r['id'], 'evidence length', len(e), e)
        alltext = ''.join(TEXT[d] for d in docs if d in TEXT)
        for fa in r['facts']:
            if fa not in alltext:
                print(fn, r['id'], 'FACT not found:', fa); bad += 1
    print(fn, 'rows', len(ids))
    for k, v in sorted(cnt.items()):
        print('   ', k, v)
print('problems:', bad)
sys.exit(1 if bad else 0)
