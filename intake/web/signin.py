"""Signing in and out of the web desk, and who a request is from.

``GET /signin`` asks for an address; ``POST /signin`` answers every address
the same ("if it is an editor's, a link is on its way") and, once the answer
has gone, mails a link only to an editor
(:func:`intake.app.websignin.request_link`), so neither the answer nor the time
it takes tells who is an editor.  The link opens
``GET /signin/<token>``, a page with one button: mail scanners that fetch
links do not use it up, only the editor's ``POST`` does.  ``POST /signout``
ends the session.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import quote

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.app import websignin
from intake.app.work import carry_out
from intake.web.guard import (
    PRE_COOKIE,
    SESSION_COOKIE,
    WebContext,
    client_of,
    is_secure,
    keep_pre,
    pre_token,
    same_origin,
    tokens_match,
)
from intake.web.views import Pages

log = logging.getLogger(__name__)

NEUTRAL = ("If that address belongs to an editor of this desk, a sign-in link is on its way. "
           "It works once, for {minutes} minutes.")  # fmt: skip


def current(ctx: WebContext, request: Request) -> websignin.WebSession | None:
    """The signed-in editor's session, or ``None``."""
    return websignin.session_of(ctx.deps, request.cookies.get(SESSION_COOKIE, ""))


def safe_next(path: str) -> str:
    """Where to go after signing in: a path of this desk only, never another site."""
    if path.startswith("/") and not path.startswith(("//", "/\\")) and len(path) < 500:
        return path
    return "/queue"


def _minutes(ctx: WebContext) -> int:
    return int(ctx.rules.link_valid.total_seconds() // 60)


async def signin_form(ctx: WebContext, pages: Pages, request: Request) -> Response:
    token = pre_token(request)
    then = safe_next(request.query_params.get("next", ""))
    response = pages.render("signin.html", {"csrf": token, "message": "", "editor": None,
                                            "next": then})  # fmt: skip
    return keep_pre(ctx, request, response, token)


async def signin_request(ctx: WebContext, pages: Pages, request: Request) -> Response:
    form = await request.form()
    token = pre_token(request)
    if not same_origin(ctx, request) or not tokens_match(
        request.cookies.get(PRE_COOKIE, ""), form.get("csrf")
    ):
        response = pages.render("signin.html", {"csrf": token, "editor": None,
                                "message": "The form expired; please try again."}, 403)  # fmt: skip
        return keep_pre(ctx, request, response, token)
    typed = str(form.get("address", ""))[:300]
    address = websignin.normal_address(typed) or typed.strip().lower()
    now = await run_in_threadpool(ctx.deps.clock.now)
    # both limits for every address alike: being refused says nothing about who is an editor
    if not ctx.per_client.allow(client_of(request), now) or not ctx.per_address.allow(address, now):
        response = pages.render("signin.html", {"csrf": token, "editor": None,
                                "message": "Too many sign-in requests; try again in an hour."},
                                429)  # fmt: skip
        return keep_pre(ctx, request, response, token)
    then = safe_next(str(form.get("next", "")))
    then = quote(then, safe="") if then != "/queue" else ""
    response = pages.render("signin_sent.html",
                            {"message": NEUTRAL.format(minutes=_minutes(ctx)), "editor": None})  # fmt: skip
    # the link is made and mailed after the answer has gone: how long the answer takes
    # (a database write, the SMTP round trip) must not tell an editor's address from another
    response.background = BackgroundTask(_mail_link, ctx, address, then)
    return keep_pre(ctx, request, response, token)


def _mail_link(ctx: WebContext, address: str, then: str) -> None:
    """Queue and send a sign-in link if *address* is an editor's (run after the answer)."""
    try:
        queued = carry_out(
            ctx.deps, lambda work: websignin.request_link(work, address, ctx.rules, then)
        )
        if queued:
            log.info("web sign-in link queued: %s", ctx.send_mail())
    except Exception:  # the page has answered already: the log is the only one to tell
        log.exception("web sign-in link not made")


async def link_page(ctx: WebContext, pages: Pages, request: Request) -> Response:
    """The page a mailed link opens: a button that signs in (a GET uses nothing up)."""
    token = pre_token(request)
    response = pages.render("signin_confirm.html", {"csrf": token, "editor": None,
                            "link": str(request.path_params["token"])[:200],
                            "next": safe_next(request.query_params.get("next", ""))})  # fmt: skip
    return keep_pre(ctx, request, response, token)


async def link_use(ctx: WebContext, pages: Pages, request: Request) -> Response:
    form = await request.form()
    token = pre_token(request)
    if not same_origin(ctx, request) or not tokens_match(
        request.cookies.get(PRE_COOKIE, ""), form.get("csrf")
    ):
        response = pages.render("signin.html", {"csrf": token, "editor": None,
                                "message": "The form expired; open the link again."}, 403)  # fmt: skip
        return keep_pre(ctx, request, response, token)
    link = str(request.path_params["token"])
    try:
        opened = await run_in_threadpool(
            carry_out, ctx.deps, lambda work: websignin.redeem(work, link, ctx.rules)
        )
    except websignin.SignInRefused as exc:
        response = pages.render("signin.html", {"csrf": token, "editor": None,
                                "message": str(exc)}, 403)  # fmt: skip
        return keep_pre(ctx, request, response, token)
    done = RedirectResponse(safe_next(str(form.get("next", "/queue"))), status_code=303)
    done.set_cookie(SESSION_COOKIE, opened.token,
                        max_age=int(ctx.rules.session_valid / timedelta(seconds=1)),
                        httponly=True, samesite="lax", secure=is_secure(ctx, request), path="/")  # fmt: skip
    done.delete_cookie(PRE_COOKIE, path="/signin")
    return done


async def signout(ctx: WebContext, pages: Pages, request: Request) -> Response:
    session = await run_in_threadpool(current, ctx, request)
    form = await request.form()
    if (
        session is not None
        and same_origin(ctx, request)
        and tokens_match(session.csrf, form.get("csrf"))
    ):
        cookie = request.cookies.get(SESSION_COOKIE, "")
        await run_in_threadpool(carry_out, ctx.deps, lambda work: websignin.sign_out(work, cookie))
    elif session is not None:
        return pages.render("message.html", {"editor": session, "csrf": session.csrf,
                            "message": "The form expired; sign out again."}, 403)  # fmt: skip
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
