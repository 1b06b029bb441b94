"""/healthz and /metrics: answers from the database alone, served by a small server."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from deskkit import SAMPLES, Desk
from prometheus_client.parser import text_string_to_metric_families

from intake.adapters.healthserver import HealthServer
from intake.app.health import watched
from intake.app.monitoring import healthz, metrics, routes
from intake.domain.errors import AuthenticationFailed
from intake.worker import tick

STALE = timedelta(minutes=15)


def samples(desk: Desk) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    answer = metrics(desk.deps, STALE)
    assert answer.status == 200 and answer.content_type.startswith("text/plain; version=")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(answer.body.decode())
        for s in family.samples
    }


def test_healthz_follows_the_recorded_status(desk: Desk) -> None:
    first = healthz(desk.deps, STALE)
    assert first.status == 503
    assert json.loads(first.body)["problems"][0].startswith("no round recorded yet")
    with watched(desk.deps, "tick"):
        tick(desk.deps)
    ok = healthz(desk.deps, STALE)
    assert (ok.status, json.loads(ok.body)) == (200, {"healthy": True, "problems": []})
    with pytest.raises(AuthenticationFailed), watched(desk.deps, "tick"):
        raise AuthenticationFailed("smtp", "as letters at mail:587: 535 no")
    assert healthz(desk.deps, STALE).status == 503


def test_metrics_count_what_the_desk_holds(desk: Desk) -> None:
    for path in sorted((SAMPLES / "inbox").glob("*.eml")):
        desk.deliver(path.read_bytes())
    with watched(desk.deps, "tick"):
        desk.clock.advance(seconds=2)  # the round's duration, on the fake clock
        tick(desk.deps)
    with pytest.raises(AuthenticationFailed), watched(desk.deps, "tick"):
        raise AuthenticationFailed("imap", "as letters at mail:993: refused")
    got = samples(desk)
    assert got[("intake_healthy", ())] == 0
    assert got[("intake_messages_fetched_total", (("category", "letter"),))] == 4
    assert got[("intake_messages_fetched_total", (("category", "bounce"),))] == 1
    assert got[("intake_letters", (("state", "awaiting_author"),))] == 4
    assert got[("intake_letters", (("state", "published"),))] == 0
    assert got[("intake_outbox", (("status", "sent"),))] == 4
    assert got[("intake_outbox_unsent", ())] == 0
    assert got[("intake_outbox_oldest_unsent_age_seconds", ())] == 0
    assert got[("intake_job_ok", (("job", "tick"),))] == 0
    assert got[("intake_job_runs_total", (("job", "tick"),))] == 2
    assert got[("intake_job_errors_total", (("job", "tick"), ("kind", "auth")))] == 1
    assert got[("intake_job_errors_total", (("job", "tick"), ("kind", "internal")))] == 0
    assert got[("intake_job_last_duration_seconds", (("job", "tick"),))] == 0  # the failed run
    success = got[("intake_job_last_success_timestamp_seconds", (("job", "tick"),))]
    assert success == desk.clock.now().timestamp()


def test_the_server_answers_the_routes_and_404_elsewhere(desk: Desk) -> None:
    server = HealthServer("127.0.0.1", 0, routes(desk.deps, STALE))
    server.start()
    host, port = server.address
    try:
        with pytest.raises(urllib.error.HTTPError) as unhealthy:
            urllib.request.urlopen(f"http://{host}:{port}/healthz", timeout=5)
        assert unhealthy.value.code == 503
        assert json.loads(unhealthy.value.read())["healthy"] is False
        unhealthy.value.close()
        with urllib.request.urlopen(f"http://{host}:{port}/metrics", timeout=5) as answer:
            assert b"intake_healthy 0.0" in answer.read()
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://{host}:{port}/", timeout=5)
        assert missing.value.code == 404
        missing.value.close()
    finally:
        server.stop()
