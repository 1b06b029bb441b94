"""``/healthz`` and ``/metrics`` on the web desk's port, for health checkers and Prometheus.

They sign in to nothing: each is a read-only GET (and HEAD) answering what
:func:`intake.app.monitoring.routes` answers, the same as the small server of ``intake
run`` (``[health] listen``).  Which of them the desk serves, and how much ``/healthz``
says, the composition root decides from ``[web] metrics``.  A route that raises answers
500 with the error's type alone, and is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from intake.app import monitoring

log = logging.getLogger(__name__)


def probe_routes(answers: Mapping[str, monitoring.Route]) -> list[BaseRoute]:
    """One GET route per path of *answers*, each read from the database off the event loop."""
    return [
        Route(path, _endpoint(path, answer), methods=["GET"]) for path, answer in answers.items()
    ]


def _endpoint(path: str, answer: monitoring.Route) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            got = await run_in_threadpool(answer)
        except Exception as exc:  # noqa: BLE001 (one bad scrape must not show a traceback)
            log.warning("web: %s failed: %s", path, exc)
            return Response(f"{type(exc).__name__}\n", status_code=500, media_type="text/plain")
        return Response(got.body, status_code=got.status,
                        headers={"content-type": got.content_type})  # fmt: skip

    return endpoint
