"""The worker's jobs: each outcome logged once per change, sorted into kinds."""

from __future__ import annotations

import logging

import pytest

from intake.app.rounds import ErrorKind, JobWatch, kind_of
from intake.domain.errors import AuthenticationFailed, ConfigError, MailboxUnavailable


def refused() -> object:
    raise AuthenticationFailed("imap", "as letters@news.test at mail:143: Authentication failed.")


def lines(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == level]


def test_a_refused_login_is_an_error_logged_once_until_it_changes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    watch = JobWatch()
    with caplog.at_level(logging.DEBUG, logger="intake.worker"):
        failures = [watch.run("tick", refused) for _ in range(5)]
    assert {f.kind for f in failures if f} == {ErrorKind.auth}
    (error,) = lines(caplog, logging.ERROR)
    assert error.startswith("tick: imap login refused: as letters@news.test")
    assert "unhealthy" in error
    assert len(lines(caplog, logging.DEBUG)) == 4  # the repeats, quietly
    assert lines(caplog, logging.WARNING) == []


def test_a_changed_error_is_logged_again_and_recovery_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    watch = JobWatch()

    def down() -> object:
        raise MailboxUnavailable("imap mail:143: [Errno 111] Connection refused")

    with caplog.at_level(logging.INFO, logger="intake.worker"):
        watch.run("tick", refused)
        watch.run("tick", down)
        watch.run("tick", down)
        assert watch.run("tick", lambda: "fetched=0") is None
        watch.run("tick", lambda: "fetched=0")
    assert len(lines(caplog, logging.ERROR)) == 1
    assert lines(caplog, logging.WARNING) == [
        "tick: will retry next time: imap mail:143: [Errno 111] Connection refused"
    ]
    infos = lines(caplog, logging.INFO)
    assert infos.count("tick: recovered after 3 failed runs") == 1
    assert infos.count("tick: fetched=0") == 2


def test_jobs_are_watched_apart(caplog: pytest.LogCaptureFixture) -> None:
    watch = JobWatch()
    with caplog.at_level(logging.INFO, logger="intake.worker"):
        watch.run("tick", refused)
        watch.run("digest", refused)  # the same refusal from another job is news for it
    assert len(lines(caplog, logging.ERROR)) == 2


def test_a_bug_is_logged_with_its_traceback_once(caplog: pytest.LogCaptureFixture) -> None:
    watch = JobWatch()

    def bug() -> object:
        return {}["missing"]

    with caplog.at_level(logging.INFO, logger="intake.worker"):
        first = watch.run("tick", bug)
        watch.run("tick", bug)
    assert first is not None and first.kind is ErrorKind.internal
    assert first.message == "KeyError: 'missing'"
    (record,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info is not None


def test_kinds() -> None:
    assert kind_of(AuthenticationFailed("smtp", "535")) is ErrorKind.auth
    assert kind_of(MailboxUnavailable("down")) is ErrorKind.unavailable
    assert kind_of(ConfigError("articles.source", "no such file")) is ErrorKind.internal
