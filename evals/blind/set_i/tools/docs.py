import os
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHIPPED = {
    "gx-tic": "/work/shared/policies/000_8dbce8b5f0153687.txt",
    "nm-tic": "/work/shared/policies/001_ffc5f580f039e4a8.txt",
    "gx-consortium": "/work/shared/policies/002_251ebc7504fe2069.txt",
    "hn-tic": "/work/shared/policies/003_42655182f7167981.txt",
    "gx-demo-zone": "/work/shared/policies/004_27af9253a8a18f33.txt",
}
NEW = {k: os.path.join(ROOT, "documents", k + ".txt") for k in ("sd-zltl", "hz-kjjb", "cn-cgzh")}
GBK_COPY = ("hz-kjjb", os.path.join(ROOT, "documents", "hz-kjjb.gbk.txt"))
def path_of(doc):
    return SHIPPED.get(doc) or NEW.get(doc)
def text_of(doc):
    with open(path_of(doc), encoding="utf-8") as f:
        return f.read()
