"""The web desk's application: its routes, its static files and its middleware.

:func:`build_app` is called by the composition root with a
:class:`intake.web.guard.WebContext`; routes another part of intake serves
beside the desk (``ctx.extra_routes``) are mounted as they are.  A letter's or
message's number in a path is at most 18 digits (anything longer is no page,
not a database error), and the security headers wrap the whole application, so
even an unexpected error's bare 500 keeps them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from starlette.applications import Starlette
from starlette.convertors import IntegerConvertor, register_url_convertor
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

from intake.web import actions, pages, signin
from intake.web.guard import SecurityHeaders, WebContext
from intake.web.views import Pages

Handler = Callable[[WebContext, Pages, Request], Awaitable[Response]]
STATIC = {"desk.css": "text/css", "desk.js": "text/javascript"}


class IdConvertor(IntegerConvertor):
    """A row's id in a path: digits that fit the database's 64-bit integer."""

    regex = "[0-9]{1,18}"


register_url_convertor("intake_id", IdConvertor())


def build_app(ctx: WebContext) -> ASGIApp:
    """The desk as an ASGI application."""
    views = Pages(ctx.templates_dir, ctx.deps.policy.publication)

    def bind(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        return partial(handler, ctx, views)

    async def home(request: Request) -> Response:
        return RedirectResponse("/queue", status_code=303)

    async def static(request: Request) -> Response:
        name = str(request.path_params["name"])
        if name not in STATIC:
            return Response("not found", status_code=404, media_type="text/plain")
        return FileResponse(ctx.templates_dir / "web" / name, media_type=STATIC[name],
                            headers={"cache-control": "public, max-age=3600"})  # fmt: skip

    routes: list[BaseRoute] = [
        Route("/", home),
        Route("/static/{name}", static),
        Route("/signin", bind(signin.signin_form), methods=["GET"]),
        Route("/signin", bind(signin.signin_request), methods=["POST"]),
        Route("/signin/{token}", bind(signin.link_page), methods=["GET"]),
        Route("/signin/{token}", bind(signin.link_use), methods=["POST"]),
        Route("/signout", bind(signin.signout), methods=["POST"]),
        Route("/queue", bind(pages.queue)),
        Route("/published", bind(pages.published)),
        Route("/held", bind(pages.held)),
        Route("/held/{raw_id:intake_id}/{action}", bind(actions.held_action), methods=["POST"]),
        Route("/letters/{letter_id:intake_id}", bind(pages.letter)),
        Route(
            "/letters/{letter_id:intake_id}/{action}", bind(actions.letter_action), methods=["POST"]
        ),
    ]
    routes += [r for r in ctx.extra_routes if isinstance(r, BaseRoute)]
    # outside Starlette's own error middleware, so its 500 carries the headers too
    return SecurityHeaders(Starlette(routes=routes))
