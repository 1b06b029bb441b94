"""What every request and response of the web desk keeps: who is signed in, CSRF, headers, limits.

- **Sessions**: the cookie ``intake_session`` holds a random token (the
  database keeps its hash, :mod:`intake.app.websignin`); HttpOnly, SameSite=Lax
  (a link from the digest opens a page signed in; no other site's form or
  script sends it), Secure whenever the desk is served over https.
- **CSRF**: every form carries a token; a signed-in form's is its session's,
  compared in constant time.  Before sign-in (asking for a link, following
  it) the token is a random one also set in a cookie (double submit).  A
  request whose ``Origin`` names another site is refused as well.
- **Headers** on every response: a strict Content-Security-Policy (scripts
  and styles only from the desk itself, no inline code, no frames, forms only
  to the desk), ``same-origin`` referrers (a sign-in link never leaks to another site,
  and the desk's own forms keep their Origin),
  ``nosniff``, ``DENY`` framing and ``no-store`` caching.
- **Rate limits**: sign-in requests per address and per client, in a sliding
  hour, the same for editors and strangers so the answer tells nothing.
"""

from __future__ import annotations

import hmac
import secrets
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from intake.app.deps import Deps
from intake.app.websignin import SignInRules
from intake.config.sections import WebSettings

SESSION_COOKIE = "intake_session"
PRE_COOKIE = "intake_presign"  # the double-submit CSRF token before sign-in
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")  # fmt: skip
HEADERS = {
    "content-security-policy": CSP,
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
}


@dataclass
class SlidingLimit:
    """At most *limit* events per key in any *window*; the oldest keys are forgotten first
    when more than *keys* are tracked, so a flood of addresses cannot exhaust memory."""

    limit: int
    window: timedelta
    keys: int = 10_000
    _seen: OrderedDict[str, deque[datetime]] = field(default_factory=OrderedDict)

    def allow(self, key: str, now: datetime) -> bool:
        """Count one event for *key* at *now* unless it is over the limit."""
        times = self._seen.pop(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        allowed = len(times) < self.limit
        if allowed:
            times.append(now)
        self._seen[key] = times
        while len(self._seen) > self.keys:
            self._seen.popitem(last=False)
        return allowed


@dataclass
class WebContext:
    """What the routes are handed by the composition root."""

    deps: Deps
    rules: SignInRules
    templates_dir: Path
    publish_format: str
    # send what the outbox holds now (a sign-in link, a request after release); returns a
    # line for the log, and never raises for a mail server that is down
    send_mail: Callable[[], str]
    per_address: SlidingLimit
    per_client: SlidingLimit
    # one message for the next page a session sees (post, redirect, get)
    flashes: dict[str, str] = field(default_factory=dict)
    extra_routes: list[object] = field(default_factory=list)

    @property
    def secure(self) -> bool:
        return self.rules.base_url.startswith("https://")

    def flash(self, key: str, message: str) -> None:
        """Leave *message* for the next page session *key* sees (the oldest are dropped past
        a thousand sessions that never came back for theirs)."""
        self.flashes.pop(key, None)
        self.flashes[key] = message
        while len(self.flashes) > 1000:
            del self.flashes[next(iter(self.flashes))]


def context_for(web: WebSettings, deps: Deps, templates_dir: Path, publish_format: str,
                send_mail: Callable[[], str]) -> WebContext:  # fmt: skip
    """The web desk's context from the ``[web]`` settings (the composition root calls it)."""
    hour = timedelta(hours=1)
    rules = SignInRules(base_url=web.url, secret=web.secret,
                        link_valid=timedelta(minutes=web.link_minutes),
                        session_valid=timedelta(hours=web.session_hours),
                        links_per_hour=web.requests_per_hour)  # fmt: skip
    return WebContext(deps=deps, rules=rules, templates_dir=templates_dir,
                      publish_format=publish_format, send_mail=send_mail,
                      per_address=SlidingLimit(web.requests_per_hour, hour),
                      per_client=SlidingLimit(web.requests_per_hour * 4, hour))  # fmt: skip


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
                if "cache-control" not in headers:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)


def is_secure(ctx: WebContext, request: Request) -> bool:
    """Served over https: by the configured address, or as the proxy reports it."""
    return ctx.secure or request.url.scheme == "https"


def same_origin(ctx: WebContext, request: Request) -> bool:
    """False when the browser says the request comes from another site."""
    origin = request.headers.get("origin")
    if origin is None:  # not sent by every browser for every form: the CSRF token decides
        return True
    allowed = {f"{request.url.scheme}://{request.headers.get('host', '')}"}
    if ctx.rules.base_url:
        parts = urlsplit(ctx.rules.base_url)
        allowed.add(f"{parts.scheme}://{parts.netloc}")
    return origin in allowed


def tokens_match(expected: str, given: object) -> bool:
    return bool(expected) and isinstance(given, str) and hmac.compare_digest(expected, given)


def pre_token(request: Request) -> str:
    """The pre-sign-in CSRF token: the cookie's, or a new one (set by :func:`keep_pre`)."""
    current = request.cookies.get(PRE_COOKIE, "")
    return current if 20 <= len(current) <= 100 else secrets.token_urlsafe(24)


def keep_pre(ctx: WebContext, request: Request, response: Response, token: str) -> Response:
    response.set_cookie(PRE_COOKIE, token, max_age=3600, httponly=True, samesite="strict",
                        secure=is_secure(ctx, request), path="/signin")  # fmt: skip
    return response


def client_of(request: Request) -> str:
    """The client's address (the proxy's report of it when uvicorn trusts the proxy)."""
    return request.client.host if request.client else "unknown"
