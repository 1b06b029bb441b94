"""`intake status`: the worker's record of its runs, the queues, and a verdict a monitor
can act on (exit 1 when unhealthy)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from deskkit import SAMPLES, Desk, make_desk

from intake.app.health import watched
from intake.app.statusview import desk_status
from intake.cli import main
from intake.cli.ops import status_lines
from intake.domain.errors import AuthenticationFailed, MailboxUnavailable
from intake.worker import tick

STALE = timedelta(minutes=15)
REFUSED = AuthenticationFailed("imap", "as letters@news.test at mail.news.test:993: refused")


def run_tick(desk: Desk) -> None:
    with watched(desk.deps, "tick"):
        tick(desk.deps)


def fail_tick(desk: Desk, error: Exception) -> None:
    with pytest.raises(type(error)), watched(desk.deps, "tick"):
        raise error


def test_no_round_yet_is_unhealthy(desk: Desk) -> None:
    status = desk_status(desk.deps, STALE)
    assert not status.healthy
    assert status.problems == ("no round recorded yet: has `intake run` (or `intake poll`) run?",)


def test_a_round_makes_it_healthy_until_the_worker_goes_quiet(desk: Desk) -> None:
    for path in sorted((SAMPLES / "inbox").glob("*.eml")):
        desk.deliver(path.read_bytes())
    run_tick(desk)
    status = desk_status(desk.deps, STALE)
    assert status.healthy and status.problems == ()
    (job,) = status.jobs
    assert (job.job, job.ok, job.runs, job.ok_at) == ("tick", True, 1, desk.clock.now())
    assert status.letters["awaiting_author"] == 4
    assert status.fetched == {"auto_reply": 1, "bounce": 1, "bulk": 1, "letter": 4}
    assert status.outbox["sent"] == 4 and status.unsent == 0
    desk.clock.advance(minutes=16)
    status = desk_status(desk.deps, STALE)
    (problem,) = status.problems
    assert problem == (
        "no round for 16 min (stopped or stuck after 15 min, health.stale_minutes): "
        "is the worker running?"
    )


def test_a_failing_job_is_unhealthy_until_it_succeeds(desk: Desk) -> None:
    run_tick(desk)
    desk.clock.advance(minutes=1)
    failed_at = desk.clock.now()
    fail_tick(desk, REFUSED)
    desk.clock.advance(minutes=1)
    fail_tick(desk, REFUSED)
    desk.clock.advance(minutes=1)
    fail_tick(desk, MailboxUnavailable("imap mail.news.test:993: timed out"))
    status = desk_status(desk.deps, STALE)
    assert not status.healthy
    assert status.problems == ("tick: imap mail.news.test:993: timed out",)
    (job,) = status.jobs
    assert (job.ok, job.failing_since, job.runs) == (False, failed_at, 4)
    assert job.errors == {"auth": 2, "unavailable": 1}
    assert job.ok_at == failed_at - timedelta(minutes=1)  # the last good round is kept
    desk.clock.advance(minutes=1)
    run_tick(desk)
    status = desk_status(desk.deps, STALE)
    assert status.healthy
    (job,) = status.jobs
    assert (job.ok, job.failing_since, job.errors) == (True, None, {"auth": 2, "unavailable": 1})
    last = status.last_error
    assert last is not None and last.error == "imap mail.news.test:993: timed out"


def test_unsent_mail_and_its_age(desk: Desk) -> None:
    import dataclasses

    class Down:
        def send(self, *a: object, **k: object) -> None:
            raise MailboxUnavailable("never called")  # pragma: no cover

        def close(self) -> None:
            pass

    deps = dataclasses.replace(desk.deps, open_transport=Down)
    desk.deliver((SAMPLES / "inbox" / "01-letter-seed-nyc-ice.eml").read_bytes())
    from intake.app.inbound import poll

    poll(deps)  # the request is queued, not sent
    queued_at = desk.clock.now()
    desk.clock.advance(minutes=90)
    status = desk_status(desk.deps, STALE)
    assert (status.unsent, status.oldest_unsent_at) == (1, queued_at)
    assert status.oldest_unsent_age == 90 * 60
    assert status.as_json()["oldest_unsent_age_seconds"] == 5400


def test_the_status_as_an_operator_reads_it(
    tmp_path: Path, golden: Callable[[str, str], None]
) -> None:
    desk = make_desk(tmp_path)
    for path in sorted((SAMPLES / "inbox").glob("*.eml")):
        desk.deliver(path.read_bytes())
    run_tick(desk)
    desk.clock.advance(minutes=5)
    fail_tick(desk, REFUSED)
    desk.clock.advance(minutes=2)
    text = "\n".join(status_lines(desk_status(desk.deps, STALE))) + "\n"
    golden(text, "status/unhealthy.txt")


def test_intake_status_exits_1_when_unhealthy_and_0_after_a_poll(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_desk(tmp_path, cli=True)
    config = str(tmp_path / "intake.toml")
    monkeypatch.delenv("INTAKE_CONFIG", raising=False)
    assert main(["--config", config, "status"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("intake: UNHEALTHY\n  no round recorded yet")
    assert main(["--config", config, "poll", "--once"]) == 0  # poll records its round
    capsys.readouterr()
    assert main(["--config", config, "status", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["healthy"] is True and report["jobs"]["tick"]["ok"] is True
    assert report["outbox"] == {"pending": 0, "sending": 0, "sent": 0, "failed": 0}
    assert report["oldest_unsent_at"] is None and report["last_error"] is None


def test_a_record_the_database_refuses_is_warned_once_and_never_stops_the_job(
    desk: Desk, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import logging

    from sqlalchemy import text

    from intake.app import health

    monkeypatch.setattr(health, "_warned", set())  # what this process warned of before

    with desk.deps.store.engine.begin() as conn:  # as if the table could not be written
        conn.execute(text("DROP TABLE job_status"))
    with caplog.at_level(logging.DEBUG, logger="intake.app.health"):
        for _ in range(3):
            run_tick(desk)  # the round itself goes on
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2, warnings  # its start and its outcome, once each
    assert warnings[0].startswith("tick: start not recorded: ")
    assert warnings[1].startswith("tick: outcome not recorded: ")
