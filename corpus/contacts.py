"""Contact details and identifiers in text, read one way everywhere, however they are typed:
full-width (１３８…, ｈｔｔｐ：／／…, ＠), in Chinese digits (一三八…), spaced or dotted
(138 1234 5678, 138.1234.5678, (0771)5551234), in any case (lower-case 统一社会信用代码).

Export masking (evals/privacy.py) hides the personal ones; the lure detector (ingest/lures.py)
reads a link or a number next to a payment request as a lure. Matching runs on `fold(text)`,
which has the same length as the text, index for index, so a span found there is the same
span in what was written."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Iterator

_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九幺", "001234567891")
# Between the digits of a number people type spaces, dots, dashes, underscores (three at most: " - ").
_SEP = r"[ \t\-.·•_—–~]{0,3}"
# Chinese digits read as a number: four or more in a row, maybe spaced (一三九 一二三四 五六七八),
# or next to Arabic digits (139一二三四5678) — not the 一 of 统一 or the 二 of 二维码.
_CN = "[〇零一二三四五六七八九幺]"
_CHINESE_NUMBER = re.compile(rf"{_CN}(?:{_SEP}{_CN}){{3,}}|(?<=[0-9]){_CN}+|{_CN}+(?=[0-9])")


# Where compatibility forms live: the Basic Multilingual Plane (full-width, circled, ①…), the
# mathematical letters and digits (𝐡𝐭𝐭𝐩) and the enclosed alphanumerics.
_FOLDED_RANGES = (range(0x10000), range(0x1D400, 0x1D800), range(0x1F100, 0x1F200))


@lru_cache(maxsize=1)
def _folding() -> dict[int, str]:
    """str.translate table: each character whose compatibility form (NFKC), upper-cased, is
    one other character. Built once (about 0.1 s), then folding runs in C."""
    table = {}
    for block in _FOLDED_RANGES:
        for code in block:
            if 0xD800 <= code < 0xE000:  # surrogates are no characters
                continue
            ch = chr(code)
            folded = unicodedata.normalize("NFKC", ch).upper()
            if len(folded) == 1 and folded != ch:
                table[code] = folded
    return table


def fold(text: str) -> str:
    """`text` with full-width forms, numbers in Chinese digits and case folded; same length,
    index for index."""
    folded = text.translate(_folding())
    return _CHINESE_NUMBER.sub(lambda m: m.group(0).translate(_CHINESE_DIGITS), folded)


class ContactKind(str, Enum):
    EMAIL = "email"
    LINK = "link"
    DOMAIN = "domain"
    ID_NUMBER = "id_number"
    CREDIT_CODE = "credit_code"
    MOBILE = "mobile"
    LANDLINE = "landline"
    ACCOUNT = "account"            # a long run of digits: a bank card or account number


_DOT = r"\s*(?:\.|\[\.\]|\(\.\)|\(DOT\)|\[DOT\]|\sDOT\s)\s*"
_AT = r"(?:\s*(?:@|[(\[{<]\s*AT\s*[)\]}>])\s*|\s+AT\s+)"
_LABEL = r"(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?|[\u4e00-\u9fff]{1,20})"
_CREDIT_CHAR = "[0-9A-HJ-NPQRTUWXY]"
_URL_CHARS = r"[A-Z0-9\-._~:/?#@!$&*+=%]+"  # ASCII only: a link ends where the Chinese text resumes


def _digits(n: str) -> str:
    """n digits (a regex count such as "9" or "6,7"), each maybe preceded by a separator."""
    return rf"(?:{_SEP}[0-9]){{{n}}}"


# The more specific forms first: an ID number and a bank card of 18 digits are read as the ID.
PATTERNS: tuple[tuple[ContactKind, re.Pattern], ...] = (
    (ContactKind.EMAIL, re.compile(rf"(?<![A-Z0-9._%+-])[A-Z0-9._%+-]+{_AT}(?:{_LABEL}{_DOT})+(?:[A-Z]{{2,}}|[\u4e00-\u9fff]{{2}})")),
    (ContactKind.LINK, re.compile(rf"(?:HTTPS?|FTP)\s*:\s*//{_URL_CHARS}"
                                  rf"|(?<![A-Z0-9-])WWW{_DOT}{_LABEL}(?:{_DOT}{_LABEL})*(?:/{_URL_CHARS})?")),
    (ContactKind.DOMAIN, re.compile(r"(?<![A-Z0-9@._/-])(?:[A-Z0-9](?:[A-Z0-9-]{0,61}[A-Z0-9])?"
                                    rf"(?:\.|。|点|\[\.\]|\(\.\)))+[A-Z]{{2,12}}(?![A-Z0-9-])(?:/{_URL_CHARS})?")),
    (ContactKind.ID_NUMBER, re.compile(rf"(?<![0-9A-Z])[1-9]{_digits('16')}{_SEP}[0-9X](?![0-9A-Z])"
                                       rf"|(?<![0-9A-Z])[1-9]{_digits('14')}(?![0-9A-Z])")),
    (ContactKind.CREDIT_CODE, re.compile(rf"(?<![0-9A-Z]){_CREDIT_CHAR}{_SEP}{_CREDIT_CHAR}{_digits('6')}"
                                         rf"(?:{_SEP}{_CREDIT_CHAR}){{10}}(?![0-9A-Z])")),
    (ContactKind.MOBILE, re.compile(rf"(?<![0-9])(?:\(?\+?86\)?{_SEP})?1{_SEP}[3-9]{_digits('9')}(?![0-9])")),
    (ContactKind.LANDLINE, re.compile(rf"(?<![0-9])[(\[]?0{_SEP}[1-9]{_digits('1,2')}[)\]]?{_SEP}[1-9]{_digits('6,7')}(?![0-9])"
                                      rf"|(?<![0-9])[48]00{_SEP}[0-9]{_digits('6')}(?![0-9])")),
    (ContactKind.ACCOUNT, re.compile(rf"(?<![0-9A-Z])[0-9]{_digits('11,22')}(?![0-9])")),
)


@dataclass(frozen=True)
class Contact:
    kind: ContactKind
    start: int
    end: int
    text: str       # as written


def _acceptable(kind: ContactKind, folded: str) -> bool:
    """A credit code has a letter among its characters (all digits is an ID number); a domain
    has a letter in its name (3.14 is no domain)."""
    if kind is ContactKind.CREDIT_CODE:
        return any(c.isalpha() for c in folded)
    if kind is ContactKind.DOMAIN:
        return re.search(r"[A-Z]", folded.rsplit(".", 1)[0]) is not None
    return True


def find_contacts(text: str, kinds: tuple[ContactKind, ...] | None = None) -> Iterator[Contact]:
    """Each contact detail or identifier in `text`, in order, none overlapping another: where
    readings overlap the longest wins (a card number over the phone-like run inside it, +86 and
    all over the digits after it), then the more specific kind (PATTERNS order)."""
    folded = fold(text)
    candidates = []
    for rank, (kind, pattern) in enumerate(PATTERNS):
        for m in pattern.finditer(folded):
            start, end = m.span()
            while end > start and folded[end - 1] in " \t.-_·":  # a sentence's own dot or a trailing space
                end -= 1
            if _acceptable(kind, folded[start:end]):
                candidates.append((start - end, rank, start, end, kind))
    taken: list[Contact] = []
    for _, _, start, end, kind in sorted(candidates):
        if not any(start < c.end and c.start < end for c in taken):
            taken.append(Contact(kind, start, end, text[start:end]))
    yield from sorted((c for c in taken if kinds is None or c.kind in kinds), key=lambda c: c.start)
