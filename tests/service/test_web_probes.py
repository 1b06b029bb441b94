"""/healthz and /metrics on the web desk's port (HTTP level, embedded default, fake clock).

Health checkers and Prometheus do not sign in: the two routes answer without a
session, read only, and say no more than ``[health] listen`` does.  By default the
web port may face the internet, so it serves ``/healthz`` without its problem lines
and no ``/metrics``; ``[web] metrics = true`` serves both as ``[health] listen`` does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from deskkit import Desk, make_desk
from prometheus_client.parser import text_string_to_metric_families
from webkit import client

from intake.app.health import watched
from intake.app.monitoring import healthz
from intake.domain.errors import AuthenticationFailed
from intake.worker import tick

SECRET_LINE = "as letters at imap.news.test:993: NO [AUTHENTICATIONFAILED] for desk@news.test"


def _refused_round(desk: Desk) -> None:
    with pytest.raises(AuthenticationFailed), watched(desk.deps, "tick"):
        raise AuthenticationFailed("imap", SECRET_LINE)


def test_healthz_answers_without_sign_in_and_without_the_problem_lines(desk: Desk) -> None:
    web = client(desk)
    first = web.get("/healthz")
    assert (first.status_code, first.json()) == (503, {"healthy": False})  # no round yet
    assert "set-cookie" not in first.headers  # no session, no CSRF cookie: nothing to sign
    with watched(desk.deps, "tick"):
        tick(desk.deps)
    ok = web.get("/healthz")
    assert (ok.status_code, ok.json()) == (200, {"healthy": True})
    assert ok.headers["content-type"].startswith("application/json")
    assert ok.headers["cache-control"] == "no-store"
    _refused_round(desk)
    down = web.get("/healthz")
    assert (down.status_code, down.json()) == (503, {"healthy": False})
    assert "imap.news.test" not in down.text and "desk@news.test" not in down.text
    assert web.head("/healthz").status_code == 503


def test_metrics_are_not_on_the_web_port_unless_the_operator_says_so(desk: Desk) -> None:
    web = client(desk)
    assert web.get("/metrics").status_code == 404
    assert web.get("/queue").headers["location"].startswith("/signin")  # the desk still signs in


def test_the_probes_are_read_only(desk: Desk) -> None:
    web = client(desk)
    assert web.post("/healthz").status_code == 405
    assert web.put("/healthz").status_code == 405


@pytest.fixture
def monitored(tmp_path: Path) -> Desk:
    return make_desk(tmp_path, extra="[web]\nmetrics = true\n")


def test_with_web_metrics_the_desk_serves_what_the_health_server_does(monitored: Desk) -> None:
    web = client(monitored)
    with watched(monitored.deps, "tick"):
        tick(monitored.deps)
    _refused_round(monitored)
    got = web.get("/healthz")
    expected = healthz(monitored.deps, monitored.settings.stale_after)
    assert (got.status_code, got.content) == (expected.status, expected.body)
    (problem,) = json.loads(got.content)["problems"]
    assert problem.startswith(f"tick: imap login refused: {SECRET_LINE}")
    scrape = web.get("/metrics")
    assert scrape.status_code == 200
    assert scrape.headers["content-type"].startswith("text/plain; version=")
    values = {s.name: s.value for f in text_string_to_metric_families(scrape.text)
              for s in f.samples if not s.labels}  # fmt: skip
    assert values["intake_healthy"] == 0
    assert web.post("/metrics").status_code == 405
