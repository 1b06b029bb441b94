"""The small HTTP server of ``intake run`` for ``/healthz`` and ``/metrics`` (``[health] listen``).

The standard library's threaded server on a daemon thread: it answers GET (and HEAD)
on the paths it is given, each a function returning ``(status, content type, body)``,
and 404 elsewhere.  It knows nothing of intake's data: the worker hands it the routes
(:func:`intake.app.monitoring.routes`).  A route that raises answers 500 with one
line, and the server goes on.  It logs nothing per request (a scraper calls every few
seconds); it binds where ``listen`` says — keep that a loopback or private address,
since the answers are not authenticated.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from intake.domain.errors import ConfigError

log = logging.getLogger(__name__)


class Answering(Protocol):
    """What a route answers (:class:`intake.app.monitoring.Answer`)."""

    @property
    def status(self) -> int: ...
    @property
    def content_type(self) -> str: ...
    @property
    def body(self) -> bytes: ...


Routes = Mapping[str, Callable[[], Answering]]


class HealthServer:
    """Serve *routes* on *host*:*port* from a daemon thread until :meth:`stop`."""

    def __init__(self, host: str, port: int, routes: Routes) -> None:
        handler = type("Handler", (_Handler,), {"routes": routes})
        self._server = ThreadingHTTPServer((host, port), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="health-server", daemon=True
        )

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    def start(self) -> None:
        self._thread.start()
        host, port = self.address
        log.info("health: serving /healthz and /metrics on http://%s:%s", host, port)

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


class _Handler(BaseHTTPRequestHandler):
    routes: Routes
    server_version = "intake"

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _answer(self, *, body: bool) -> None:
        route = self.routes.get(self.path.split("?", 1)[0])
        if route is None:
            status, kind, payload = 404, "text/plain; charset=utf-8", b"not found\n"
        else:
            try:
                answer = route()
                status, kind, payload = answer.status, answer.content_type, answer.body
            except Exception as exc:  # noqa: BLE001 (one bad scrape must not end the server)
                log.warning("health: %s failed: %s", self.path, exc)
                status, kind = 500, "text/plain; charset=utf-8"
                payload = f"{type(exc).__name__}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if body:
            self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        return None  # no line per request


def serve_health(where: tuple[str, int], routes: Routes) -> HealthServer:
    """Start serving *routes* on *where* (``[health] listen``).

    :raises ConfigError: the address cannot be listened on (taken, not ours).
    """
    try:
        server = HealthServer(*where, routes)
    except OSError as exc:
        host, port = where
        raise ConfigError("health.listen", f"cannot listen on {host}:{port}: "
                          f"{exc.strerror or exc}") from exc  # fmt: skip
    server.start()
    return server
