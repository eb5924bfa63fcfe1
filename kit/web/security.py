"""The rules every response and request go through: headers, body size, login,
CSRF tokens and login attempts. One place, so no route can forget one.
"""
from __future__ import annotations

import hmac
import html
import json
import secrets
import time
from collections import defaultdict, deque

from ..messages import say

MAX_BODY = 1024 * 1024  # 1 MiB: a pack order is a few hundred bytes
CSRF_COOKIE = "kit_csrf"
LOGIN_COOKIE = "kit_login"
CSP = ("default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; "
       "connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
OPEN_PATHS = ("/connexion", "/static/")  # reachable before logging in
# Where a roster is uploaded: a bigger body, in multipart (kit/web/batches.py caps the file).
UPLOAD_PATHS = ("/lots", "/api/batches")
UPLOAD_MAX_BODY = 10 * 1024 * 1024 + 64 * 1024
API_CLIENT_HEADER = b"x-kit-client"  # a cross-site form cannot send it: no CSRF on uploads


class BodyTooLarge(Exception):
    """Raised while reading a request body past MAX_BODY."""


def _json(status: int, message: str, field: str | None = None) -> tuple[int, bytes]:
    return status, json.dumps({"error": message, "field": field, "line": None},
                              ensure_ascii=False).encode()


class Guard:
    """ASGI middleware: security headers on every response, the body cap, JSON only on
    the API's POSTs (a cross-site form cannot send it without a preflight)."""

    def __init__(self, app, max_body: int = MAX_BODY):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False
        begun = time.perf_counter()

        async def send_secured(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                spent = f"app;dur={(time.perf_counter() - begun) * 1000:.1f}".encode()
                message["headers"] = [*message.get("headers", []),
                                      *[(k, v) for k, v in HEADERS if k not in names],
                                      (b"server-timing", spent)]  # what bench/bench_serve.py reads
            await send(message)

        upload = scope["method"] == "POST" and scope["path"] in UPLOAD_PATHS
        cap = UPLOAD_MAX_BODY if upload else self.max_body
        refusal = self._refusal(scope, cap, upload)
        if refusal and not scope["path"].startswith("/api/"):
            refusal = _page(*refusal, scope["path"], upload)
        if refusal:
            return await _respond(send_secured, *refusal)
        seen = 0

        async def receive_capped():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > cap:
                raise BodyTooLarge()
            return message
        try:
            await self.app(scope, receive_capped, send_secured)
        except BodyTooLarge:
            if not started:
                refusal = _too_large(cap)
                await _respond(send_secured, *(refusal if scope["path"].startswith("/api/")
                                               else _page(*refusal, scope["path"], upload)))

    def _refusal(self, scope, cap: int, upload: bool) -> tuple[int, bytes] | None:
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"0")
        if not length.isdigit() or int(length) > cap:
            return _too_large(cap)
        if scope["method"] == "POST" and scope["path"].startswith("/api/"):
            kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
            if upload:
                if kind != b"multipart/form-data":
                    return _json(415, say("web.send_multipart"))
                if not headers.get(API_CLIENT_HEADER):
                    return _json(403, say("web.client_header"), "X-Kit-Client")
            elif kind != b"application/json":
                return _json(415, say("web.send_json"))
        return None


def _too_large(cap: int) -> tuple[int, bytes]:
    return _json(413, say("web.too_large", limit=round(cap / (1024 * 1024))))


def _page(status: int, body: bytes, path: str, upload: bool) -> tuple[int, bytes, bytes]:
    """The refusal as a French page for a browser's form (the API keeps its JSON): a form
    post too big for the server reads as a page, not as code. `path` is the form's page."""
    message = json.loads(body)["error"]
    if status == 413 and upload:
        from .batches import MAX_ROSTER_BYTES
        message = say("web.roster_too_big", limit=MAX_ROSTER_BYTES // (1024 * 1024))
    back = html.escape(path if path.startswith("/") and not path.startswith("//") else "/")
    text = (f'<!doctype html><html lang="fr"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{html.escape(say("web.refused_title"))} – Kit 3018</title>'
            f'<link rel="stylesheet" href="/static/style.css"></head><body><main id="contenu">'
            f'<h1>{html.escape(say("web.refused_title"))}</h1>'
            f'<p>{html.escape(message[:1].upper() + message[1:])}.</p>'
            f'<p><a href="{back}">{html.escape(say("web.refused_back"))}</a></p></main></body></html>')
    return status, text.encode(), b"text/html; charset=utf-8"


async def _respond(send, status: int, body: bytes,
                   kind: bytes = b"application/json; charset=utf-8") -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def new_token() -> str:
    return secrets.token_urlsafe(32)


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison; a missing value never matches."""
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


def cookie_options(name: str, value: str, secure: bool, max_age: int | None = None) -> dict:
    """HttpOnly, SameSite=Strict cookies; Secure when the page came over HTTPS."""
    return {"key": name, "value": value, "httponly": True, "samesite": "strict",
            "secure": secure, "path": "/", "max_age": max_age}


class Attempts:
    """Failed logins per client: after `limit` in `window` seconds, wait."""

    def __init__(self, limit: int = 5, window: float = 60.0):
        self.limit, self.window = limit, window
        self._failures: dict[str, deque] = defaultdict(deque)

    def blocked(self, client: str) -> bool:
        failures = self._failures[client]
        while failures and failures[0] < time.monotonic() - self.window:
            failures.popleft()
        return len(failures) >= self.limit

    def failed(self, client: str) -> None:
        self._failures[client].append(time.monotonic())

    def succeeded(self, client: str) -> None:
        self._failures.pop(client, None)
