"""Serving the web desk with uvicorn: in the foreground (``intake web``) or beside the worker.

Uvicorn trusts ``X-Forwarded-Proto``/``For`` only from the addresses in
``FORWARDED_ALLOW_IPS`` (default: loopback), so a reverse proxy on the same
machine tells the desk the scheme and client it saw.
"""

from __future__ import annotations

import logging
import threading

import uvicorn

from intake.config.sections import WebSettings
from intake.web.guard import WebContext
from intake.web.routes import build_app

log = logging.getLogger(__name__)


def _server(ctx: WebContext, host: str, port: int) -> uvicorn.Server:
    config = uvicorn.Config(build_app(ctx), host=host, port=port, proxy_headers=True,
                            server_header=False, log_config=None, access_log=False)  # fmt: skip
    return uvicorn.Server(config)


def serve(ctx: WebContext, host: str, port: int) -> None:
    """Serve until interrupted (SIGINT, SIGTERM)."""
    log.info("web desk on http://%s:%s (editors open %s)", host, port, ctx.rules.base_url)
    _server(ctx, host, port).run()


class Background:
    """The desk served from a thread, for ``intake run`` with ``[web] enabled``."""

    def __init__(self, ctx: WebContext, web: WebSettings) -> None:
        self._server = _server(ctx, web.host, web.port)
        self._thread = threading.Thread(target=self._server.run, name="web-desk", daemon=True)

    def start(self) -> None:
        log.info("web desk on http://%s:%s", self._server.config.host, self._server.config.port)
        self._thread.start()

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
