"""The web desk's probe routes: an answer served as it is, a failing one as a bare 500."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.testclient import TestClient

from intake.app.monitoring import Answer
from intake.web.probes import probe_routes


def _broken() -> Answer:
    raise RuntimeError("password=hunter2 in a connection string")


def test_an_answer_is_served_as_is_and_a_failure_tells_only_its_type() -> None:
    def fine() -> Answer:
        return Answer(503, "application/json; charset=utf-8", b'{"healthy": false}')

    app = Starlette(routes=probe_routes({"/healthz": fine, "/metrics": _broken}))
    web = TestClient(app)
    got = web.get("/healthz")
    assert (got.status_code, got.content) == (503, b'{"healthy": false}')
    assert got.headers["content-type"] == "application/json; charset=utf-8"
    failed = web.get("/metrics")
    assert (failed.status_code, failed.text) == (500, "RuntimeError\n")
