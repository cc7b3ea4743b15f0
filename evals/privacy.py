"""Personal data out of exported questions: what an enterprise typed may carry a phone number,
an ID card number, an e-mail address or its unified social credit code. Each is replaced by
its kind in brackets, so an exported question still reads as a question."""
from __future__ import annotations

import re

# Order matters: the longer, more specific patterns first.
_PATTERNS = (
    ("邮箱", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")),
    ("身份证号", re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![\dA-Za-z])")),
    # 18 characters with a letter among them (all digits is an ID number, above)
    ("统一社会信用代码", re.compile(r"(?<![0-9A-Z])(?=[0-9A-Z]{0,17}[A-HJ-NPQRTUWXY])[0-9A-HJ-NPQRTUWXY]{2}\d{6}"
                             r"[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")),
    ("手机号", re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")),
    ("电话", re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")),
)


def mask_personal(text: str | None) -> str | None:
    """The text with every phone number, ID number, e-mail and credit code replaced by 【kind】."""
    if not text:
        return text
    for kind, pattern in _PATTERNS:
        text = pattern.sub(f"【{kind}】", text)
    return text
