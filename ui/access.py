"""Who may change the library. Reading (chat, search, self-assessment, evals) is open; adding,
replacing or deleting documents needs the administrator's token (POLICY_ADMIN_TOKEN), checked
in the handler on the server — not merely hidden in the page, since anyone who reaches the port
can call a Gradio endpoint directly. Without a token the app serves the library read-write only
on this machine (serve refuses to listen elsewhere)."""
from __future__ import annotations

import ipaddress
import secrets


class AdminRequired(Exception):
    """A library change without the administrator's token."""

    def __init__(self, message: str = "需要管理员口令：请在“管理员口令”中填写部署时设定的口令（向系统管理员索取）") -> None:
        super().__init__(message)
        self.field = "admin_token"


def check_admin(expected: str, given: str | None) -> None:
    """Raise AdminRequired unless no token is set (a local, single-user app) or `given` is it."""
    if expected and not secrets.compare_digest((given or "").encode(), expected.encode()):
        raise AdminRequired()


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
