"""The web desk's pages: the queue, a letter, held replies, published letters.

Each reads through a use case (:mod:`intake.app.webdesk`), in a worker thread
(the database is blocking), for a signed-in editor only; anyone else is sent
to sign in and brought back after.  A page shows one message left by the
action before it (post, redirect, get).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.app import webdesk
from intake.app.desk import Refused
from intake.app.printfields import FIELDS
from intake.app.websignin import WebSession, digest_of
from intake.domain.lifecycle import LetterState
from intake.web.guard import SESSION_COOKIE, WebContext
from intake.web.signin import current
from intake.web.views import Pages

STATES = tuple(state.value for state in LetterState)


def to_signin(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/signin?next={quote(target, safe='')}", status_code=303)


def flash_key(request: Request) -> str:
    return digest_of(request.cookies.get(SESSION_COOKIE, ""))


def base(ctx: WebContext, request: Request, session: WebSession) -> dict[str, Any]:
    """What every signed-in page has: the editor, the CSRF token, the message left for it."""
    return {"editor": session, "csrf": session.csrf,
            "message": ctx.flashes.pop(flash_key(request), ""), "error": ""}  # fmt: skip


def _days(text: str) -> float | None:
    try:
        days = float(text)
    except ValueError:
        return None
    return days if 0 <= days < 100_000 else None


async def queue(ctx: WebContext, pages: Pages, request: Request) -> Response:
    session = await run_in_threadpool(current, ctx, request)
    if session is None:
        return to_signin(request)
    params = request.query_params
    states = [s for s in params.getlist("state") if s in STATES]
    article = params.get("article", "")[:2000]
    older = _days(params.get("older", ""))
    page = await run_in_threadpool(
        lambda: webdesk.queue_page(
            ctx.deps, states=states, article=article,
            older_than=timedelta(days=older) if older is not None else None,
            web_url="",
        )
    )  # fmt: skip
    return pages.render("queue.html", base(ctx, request, session) | {
        "page": page, "states": STATES, "chosen": states, "article": article,
        "older": params.get("older", "")[:20], "title": "Queue", "limit": webdesk.QUEUE_LIMIT,
    })  # fmt: skip


async def published(ctx: WebContext, pages: Pages, request: Request) -> Response:
    session = await run_in_threadpool(current, ctx, request)
    if session is None:
        return to_signin(request)
    page = await run_in_threadpool(
        lambda: webdesk.queue_page(ctx.deps, states=(LetterState.published.value,))
    )
    return pages.render("published.html",
                        base(ctx, request, session) | {"page": page, "title": "Published"})  # fmt: skip


async def letter(ctx: WebContext, pages: Pages, request: Request, *, error: str = "",
                 status: int = 200) -> Response:  # fmt: skip
    session = await run_in_threadpool(current, ctx, request)
    if session is None:
        return to_signin(request)
    letter_id = int(request.path_params["letter_id"])
    context = base(ctx, request, session) | {"error": error, "fields": FIELDS}
    try:
        item = await run_in_threadpool(webdesk.letter_page, ctx.deps, letter_id)
    except Refused as exc:
        return pages.render("message.html", context | {"error": str(exc), "title": "No letter"},
                            404)  # fmt: skip
    return pages.render("letter.html", context | {"item": item, "title": f"L-{letter_id}"},
                        status)  # fmt: skip


async def held(ctx: WebContext, pages: Pages, request: Request, *, error: str = "",
               status: int = 200) -> Response:  # fmt: skip
    session = await run_in_threadpool(current, ctx, request)
    if session is None:
        return to_signin(request)
    replies = await run_in_threadpool(webdesk.held_replies, ctx.deps)
    return pages.render("held.html", base(ctx, request, session) | {
        "replies": replies, "title": "Held replies", "error": error}, status)  # fmt: skip
