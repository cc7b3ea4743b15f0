"""Personal data out of exported questions: what an enterprise typed may carry a phone number,
an ID card number, an e-mail address, its unified social credit code or a bank account number,
typed any way (full-width, 中文数字, spaced or dotted, lower-case: corpus/contacts.py reads
them all). Each is replaced by its kind in brackets, so an exported question still reads as a
question."""
from __future__ import annotations

from corpus.contacts import ContactKind, find_contacts

MASKS = {
    ContactKind.EMAIL: "邮箱", ContactKind.ID_NUMBER: "身份证号", ContactKind.CREDIT_CODE: "统一社会信用代码",
    ContactKind.MOBILE: "手机号", ContactKind.LANDLINE: "电话", ContactKind.ACCOUNT: "银行账号",
}


def mask_personal(text: str | None) -> str | None:
    """The text with every phone number, ID number, e-mail, credit code and account number
    replaced by 【kind】."""
    if not text:
        return text
    out, last = [], 0
    for c in find_contacts(text, tuple(MASKS)):
        out += [text[last:c.start], f"【{MASKS[c.kind]}】"]
        last = c.end
    return "".join(out) + text[last:]
