#!/usr/bin/env python3
"""Check that evidence (10-30 chars) and facts of every answerable row are exact substrings of the source."""
import json, sys, os, collections
P = '/work/shared/policies/'
DOCS = {'gx-tic': P+'000_8dbce8b5f0153687.txt', 'nm-tic': P+'001_ffc5f580f039e4a8.txt',
        'gx-consortium': P+'002_251ebc7504fe2069.txt', 'hn-tic': P+'003_42655182f7167981.txt',
        'gx-demo-zone': P+'004_27af9253a8a18f33.txt'}
D = '/work/blind_k/documents/'
for f in os.listdir(D) if os.path.isdir(D) else []:
    if f.endswith('.txt') and not f.endswith('.gbk.txt'):
        DOCS[f[:-4]] = D+f
TEXT = {k: open(v, encoding='utf-8').read() for k, v in DOCS.items()}
bad = 0
for fn in sys.argv[1:]:
    ids = set(); cnt = collections.Counter()
    for n, line in enumerate(open(fn, encoding='utf-8'), 1):
        if not line.strip():
            continue
        r = json.loads(line)
        assert r['id'] not in ids, r['id']; ids.add(r['id'])
        cnt[(r.get('doc', '-'), r['type'], r['answerable'])] += 1
        if not r['answerable']:
            assert r['type'] in ('not_specified', 'out_of_scope', 'chitchat'), r
            continue
        docs = r['doc'].split('|'); evs = r['evidence'].split('|')
        assert len(docs) == len(evs), r['id']
        for d, e in zip(docs, evs):
            if d not in TEXT:
                print(r['id'], 'unknown doc', d); bad += 1; continue
            if e not in TEXT[d]:
                print(r['id'], 'evidence not found:', e); bad += 1
            if not 10 <= len(e) <= 30:
                print(r['id'], 'evidence length', len(e), e); bad += 1
        for f in r['facts']:
            if not any(f in TEXT[d] for d in docs if d in TEXT):
                print(r['id'], 'fact not found:', f); bad += 1
    print(fn, len(ids), 'rows')
    for k, v in sorted(cnt.items()):
        print('  ', k, v)
print('PROBLEMS:', bad)
sys.exit(1 if bad else 0)
