"""What a clause's place in its document says about it, independent of the question."""
from __future__ import annotations


from corpus.sentences import split_sentences
from ingest.model import Clause


def is_bare_lead_in(clause: Clause) -> bool:
    """A clause that only introduces the list under it ("应当具备以下基本条件：",
    "有下列情况之一的，取消…资格：") and so answers nothing by itself. One that also says
    something of its own before the colon ("申报长年受理，…一般应符合以下程序：") is not."""
    text = clause.text.strip()
    if not text.endswith(("：", ":")):
        return False
    lines = text.split("\n")
    if clause.heading and lines[0].strip().rstrip("。.") == clause.heading.strip().rstrip("。."):
        text = "".join(lines[1:])
    return len(split_sentences(text)) <= 1


def is_item_of(item: Clause, lead_in: Clause) -> bool:
    return (item.doc_id == lead_in.doc_id and item.path != lead_in.path
            and item.path.startswith(lead_in.path))

