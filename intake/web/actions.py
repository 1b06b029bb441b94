"""The forms that act: every desk action, through the use cases the command line and email use.

``POST /letters/<id>/<action>`` carries the CSRF token and the version of the
letter the page showed; the action runs in one unit of work, guarded
(:func:`intake.app.webdesk.guarded`), with the signed-in editor as the actor,
so it leaves the audit row the command line leaves.  Afterwards, as the
command line does: mail the action queued goes out (``release``, ``assign``),
a correction or retraction of a letter in print reaches its files
(:func:`intake.app.reprint.reprint`), and ``publish`` writes the letter at
once.  A refused action re-shows the page with the reason (409 when another
editor got there first); a done one redirects to the page with its message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from intake.app import corrections, desk, webdesk
from intake.app.publishing import publish
from intake.app.reprint import reprint
from intake.app.work import Work, carry_out
from intake.domain.errors import IntakeError
from intake.web import pages
from intake.web.guard import WebContext, same_origin, tokens_match
from intake.web.signin import current
from intake.web.views import Pages

log = logging.getLogger(__name__)

Act = Callable[[Work], desk.Outcome]
MAX_TEXT = 200_000  # characters of an edited letter or response


def _text(form: FormData, name: str, limit: int = 2000) -> str:
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


def _letter_action(verb: str, letter_id: int, form: FormData, actor: str) -> Act:
    """The use case *verb* names, as the command line calls it."""
    reason = " ".join(_text(form, "reason").split())
    simple = {"approve": desk.approve, "reject": desk.reject, "hold": desk.hold,
              "release": desk.release, "publish": desk.publish}  # fmt: skip
    if verb in simple:
        return lambda work: simple[verb](work, letter_id, actor=actor, reason=reason)
    if verb == "assign":
        url = _text(form, "url").strip()
        if not url:
            raise desk.Refused("give the article's URL to assign it")
        return lambda work: desk.assign(work, letter_id, url, actor=actor)
    if verb == "edit":
        field = "response" if _text(form, "field") == "response" else "letter"
        text = _text(form, "text", MAX_TEXT).replace("\r\n", "\n")
        note = " ".join(_text(form, "note").split()) or "edited"
        return lambda work: desk.edit(work, letter_id, text, actor=actor, field=field, note=note)
    if verb == "redact":
        found = [p.strip() for p in _text(form, "patterns", 5000).splitlines() if p.strip()]
        field = "response" if _text(form, "field") == "response" else "letter"
        return lambda work: desk.redact(work, letter_id, found, actor=actor, field=field)
    if verb == "set":
        name, value = _text(form, "field"), _text(form, "value")
        return lambda work: corrections.set_field(work, letter_id, name, value, actor=actor)
    if verb == "retract":
        return lambda work: corrections.retract(work, letter_id, actor=actor, reason=reason)
    raise desk.Refused(f"there is no action {verb!r}")


def _after(ctx: WebContext, verb: str, letter_id: int) -> str:
    """What the command line does after an action: send, reprint, publish."""
    said = []
    if verb in ("release", "assign"):
        said.append(f"mail: {ctx.send_mail()}")
    report = reprint(ctx.deps)
    said += [f"re-rendered {p.name}" for p in report.rendered]
    said += [f"removed {p.name}" for p in report.removed]
    if verb == "publish":
        written = publish(ctx.deps, ctx.publish_format, only=[letter_id]).written
        said += [f"written {p.name}" for p in written]
    return "; ".join(said)


def _version(form: FormData) -> int:
    value = _text(form, "version")
    return int(value) if value.isdigit() and len(value) < 19 else -1


async def letter_action(ctx: WebContext, views: Pages, request: Request) -> Response:
    session = await run_in_threadpool(current, ctx, request)
    if session is None:
        return pages.to_signin(request)
    form = await request.form()
    letter_id = int(request.path_params["letter_id"])
    verb = str(request.path_params["action"])
    if not same_origin(ctx, request) or not tokens_match(session.csrf, form.get("csrf")):
        return await pages.letter(ctx, views, request, status=403,
                                  error="The form expired (or came from another site): "
                                        "nothing was done. Try again from this page.")  # fmt: skip
    seen = _version(form)
    try:
        act = _letter_action(verb, letter_id, form, session.editor)
        outcome = await run_in_threadpool(
            carry_out, ctx.deps, lambda work: webdesk.guarded(work, letter_id, seen, act)
        )
    except webdesk.Changed as exc:
        return await pages.letter(ctx, views, request, error=str(exc), status=409)
    except IntakeError as exc:
        return await pages.letter(ctx, views, request, error=str(exc), status=400)
    extra = await run_in_threadpool(_after, ctx, verb, letter_id)
    log.info("web: %s %s by %s: %s", verb, letter_id, session.editor, outcome.message)
    ctx.flash(pages.flash_key(request), outcome.message + (f" ({extra})" if extra else ""))
    back = "/published" if verb == "retract" and _text(form, "back") == "published" else ""
    return RedirectResponse(back or f"/letters/{letter_id}", status_code=303)


async def held_action(ctx: WebContext, views: Pages, request: Request) -> Response:
    session = await run_in_threadpool(current, ctx, request)
    if session is None:
        return pages.to_signin(request)
    form = await request.form()
    raw_id = int(request.path_params["raw_id"])
    verb = str(request.path_params["action"])
    if not same_origin(ctx, request) or not tokens_match(session.csrf, form.get("csrf")):
        return await pages.held(ctx, views, request, status=403,
                                error="The form expired: nothing was done. Try again.")  # fmt: skip
    actor = session.editor
    try:
        if verb == "accept":
            typed = _text(form, "letter").strip()
            target = desk.letter_ref(typed) if typed else None
            act: Act = lambda work: desk.accept_reply(work, raw_id, target, actor=actor)
        elif verb == "dismiss":
            reason = " ".join(_text(form, "reason").split())
            act = lambda work: desk.dismiss(work, raw_id, actor=actor, reason=reason)
        else:
            raise desk.Refused(f"there is no action {verb!r}")
        outcome = await run_in_threadpool(carry_out, ctx.deps, act)
    except IntakeError as exc:
        return await pages.held(ctx, views, request, error=str(exc), status=400)
    ctx.flash(pages.flash_key(request), outcome.message)
    return RedirectResponse("/held", status_code=303)
