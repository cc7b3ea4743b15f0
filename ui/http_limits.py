"""Limits on every HTTP request the server takes — the API's and Gradio's alike — enforced in one
ASGI middleware in front of both, before anything parses a body:

- a body limit per route family (Gradio's file upload, Gradio's other routes, /api), answered 413
  before the body is read when the length is declared, and as soon as it is exceeded otherwise;
- a time limit on reading the body (a client that trickles it is answered 408, so slow requests
  do not hold connections open for ever);
- error responses that never echo the request (Gradio answers a malformed queue/join with a 422
  repeating the whole body: that is replaced by a short Chinese message);
- when the app serves this machine only with no administrator token, requests must name this
  machine (Host) and, when a browser says where it comes from (Origin), come from a page of this
  machine: a page elsewhere cannot reach the app through DNS rebinding.
"""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from ui.access import is_loopback

UPLOAD_ROUTE = "/gradio_api/upload"
MULTIPART_ALLOWANCE = 1024 * 1024   # form boundaries and headers around an uploaded file


@dataclass(frozen=True)
class Limits:
    api_body: int              # bytes an /api request may carry
    web_body: int              # bytes any other request (Gradio's queue, config…) may carry
    upload_body: int           # bytes a Gradio file upload may carry
    body_seconds: float = 30.0  # time to receive the whole body
    local_only: bool = False   # check Host/Origin (loopback, no admin token)

    def for_path(self, path: str) -> int:
        if path.startswith("/api"):
            return self.api_body
        if path.startswith(UPLOAD_ROUTE):
            return self.upload_body
        return self.web_body


def _error(status: int, message: str) -> tuple[dict, bytes]:
    body = json.dumps({"error": {"field": None, "message": message}}, ensure_ascii=False).encode()
    start = {"type": "http.response.start", "status": status,
             "headers": [(b"content-type", b"application/json; charset=utf-8"),
                         (b"content-length", str(len(body)).encode()), (b"connection", b"close")]}
    return start, body


async def _respond(send, status: int, message: str) -> None:
    start, body = _error(status, message)
    await send(start)
    await send({"type": "http.response.body", "body": body})


def _host_name(value: str) -> str:
    """The host of a Host header or an Origin URL, without port or brackets."""
    if "://" in value:
        return urlsplit(value).hostname or ""
    return urlsplit(f"//{value}").hostname or ""


class RequestLimits:
    """The middleware (see the module's docstring)."""

    def __init__(self, app, limits: Limits) -> None:
        self.app, self.limits = app, limits

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or ())
        if self.limits.local_only and not self._from_this_machine(headers):
            return await _respond(send, 403, "本服务只接受本机访问（请求的 Host 或 Origin 不是本机）")
        limit = self.limits.for_path(scope["path"])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await _respond(send, 413, _too_large(limit))
        messages, size = [], 0
        if scope.get("method") in ("POST", "PUT", "PATCH"):
            try:
                async with asyncio.timeout(self.limits.body_seconds):
                    while True:
                        message = await receive()
                        messages.append(message)
                        size += len(message.get("body", b""))
                        if size > limit:
                            return await _respond(send, 413, _too_large(limit))
                        if message["type"] != "http.request" or not message.get("more_body"):
                            break
            except TimeoutError:
                return await _respond(send, 408, f"请求体在 {self.limits.body_seconds:.0f} 秒内没有传完，连接已关闭")

        async def replay():
            return messages.pop(0) if messages else await receive()
        return await self.app(scope, replay, send if scope["path"].startswith("/api") else _no_echo(send))

    @staticmethod
    def _from_this_machine(headers: dict[bytes, bytes]) -> bool:
        host = headers.get(b"host", b"").decode("latin-1")
        origin = headers.get(b"origin", b"").decode("latin-1")
        return is_loopback(_host_name(host)) and (not origin or is_loopback(_host_name(origin)))


def _too_large(limit: int) -> str:
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return f"请求体过大：只接受 {size} 以内"


def _no_echo(send):
    """`send`, with a 422 (a request the framework could not validate, which Gradio answers by
    repeating it) replaced by a short message that repeats nothing."""
    replaced = False

    async def guarded(message):
        nonlocal replaced
        if message["type"] == "http.response.start" and message.get("status") == 422:
            replaced = True
            start, body = _error(422, "请求内容不符合接口要求")
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        if replaced:  # the original body of the replaced response
            return
        await send(message)
    return guarded
