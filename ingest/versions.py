"""What a new version of a document says about itself: its status (征求意见稿 / 修订 / 印发), the
date it bears and its issuer — read from the text where it states them (the words are data,
corpus/revisions.yaml; dates through the one figure reader), else left unstated."""
from __future__ import annotations

from dataclasses import dataclass

from corpus.figures import read_figures
from corpus.revisions import load_revision_words
from ingest.blocks import Block, Title
from ingest.markers import match_heading

HEAD_LINES = 8     # lines read before the first article for the status, issuer and date
FOOT_LINES = 6     # lines read at the end for a signature and its date
MAX_SIGNATURE_CHARS = 30


@dataclass(frozen=True)
class Stated:
    status: str
    date: str | None = None    # YYYY-MM-DD
    issuer: str | None = None


def stated(blocks: list[Block], title: str = "") -> Stated:
    """Status, date and issuer as the text states them. The head is the title and the lines
    before the first numbered heading; the foot is the last few lines (a signature and date)."""
    lines = [b.text if isinstance(b, Title) else b for b in blocks if isinstance(b, (str, Title))]
    head = _head(lines)
    foot = lines[-FOOT_LINES:] if len(lines) > len(head) else []
    words = load_revision_words()
    status = next((name for name, said in words.statuses
                   if any(w in line for line in (title, *head) for w in said)), words.unstated)
    short = [line for line in (*head, *reversed(foot)) if len(line) <= MAX_SIGNATURE_CHARS]
    issuer = next((line.strip() for line in short if line.strip().endswith(words.issuer_endings)
                   and not match_heading(line)), None)
    date = next((d for line in (*reversed(foot), *head) if len(line) <= MAX_SIGNATURE_CHARS
                 for d in [full_date(line)] if d), None)
    return Stated(status, date, issuer)


def _head(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines[:HEAD_LINES]:
        if match_heading(line):
            break
        out.append(line)
    return out


def full_date(text: str) -> str | None:
    """"2020年12月31日" → "2020-12-31" (a year read right before a month and day), else None."""
    figures = read_figures(text)
    for year, day in zip(figures, figures[1:]):
        if year.family == "year" and day.family == "date" and day.start == year.end and "-" in day.date \
                and day.date.split("-")[1].isdigit():
            month, dd = day.date.split("-")
            return f"{int(year.value):04d}-{int(month):02d}-{int(dd):02d}"
    return None
