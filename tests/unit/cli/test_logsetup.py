"""Logging: the level and text or JSON lines (issue 15, item 5), and quiet idle rounds."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from intake.app.rounds import JobWatch, round_counts
from intake.cli.logsetup import JsonFormatter, configure_logging, level_for

AT = 1_780_000_000.25  # a fixed record time: 2026-05-28T20:26:40.250Z


def record(message: str, *args: object, **extra: object) -> logging.LogRecord:
    rec = logging.LogRecord("intake.worker", logging.WARNING, __file__, 1, message, args, None)
    rec.created = AT
    for key, value in extra.items():
        setattr(rec, key, value)
    return rec


def test_a_json_line_has_time_level_logger_message_and_the_structured_fields() -> None:
    line = JsonFormatter().format(record("tick: %s", "busy", job="tick", counts={"poll": {"x": 1}}))
    assert "\n" not in line
    assert json.loads(line) == {
        "time": "2026-05-28T20:26:40.250+00:00",
        "level": "WARNING",
        "logger": "intake.worker",
        "message": "tick: busy",
        "job": "tick",
        "counts": {"poll": {"x": 1}},
    }


def test_a_json_line_escapes_control_characters_and_masks_passwords() -> None:
    line = JsonFormatter().format(
        record("subject %s via %s", "\x1b]0;pwned\x07\u202e", "postgresql://u:s3cret@db/x")
    )
    assert "\x1b" not in line and "\u202e" not in line and "s3cret" not in line
    message = json.loads(line)["message"]
    assert message == "subject \x1b]0;pwned\x07\u202e via postgresql://u:***@db/x"


def test_a_json_line_carries_the_traceback_of_an_error() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        rec = record("failed")
        rec.exc_info = sys.exc_info()
    document = json.loads(JsonFormatter().format(rec))
    assert document["message"] == "failed"
    assert "ValueError: boom" in document["error"]


def test_the_default_level_is_info_for_the_worker_and_warning_for_the_rest() -> None:
    assert level_for("run", None, debug=False) == logging.INFO
    assert level_for("queue", None, debug=False) == logging.WARNING
    assert level_for("queue", "info", debug=False) == logging.INFO
    assert level_for("run", "error", debug=False) == logging.ERROR
    assert level_for("run", "error", debug=True) == logging.DEBUG


def test_the_libraries_own_lines_show_only_when_debugging() -> None:
    try:
        configure_logging(logging.INFO, "text")
        for library in ("apscheduler", "alembic.runtime.migration"):
            assert logging.getLogger(library).getEffectiveLevel() == logging.WARNING
        configure_logging(logging.DEBUG, "text")
        for library in ("apscheduler", "alembic.runtime.migration"):
            assert logging.getLogger(library).getEffectiveLevel() == logging.DEBUG
    finally:
        configure_logging(logging.WARNING, "text")


IDLE = {"poll": "fetched=0 letters=0 held=0", "send": "sent=0 deferred=0 failed=0"}
BUSY = {"poll": "fetched=2 letters=1 held=0", "send": "sent=1 deferred=0 failed=0"}


def test_a_round_that_did_nothing_logs_one_debug_line(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="intake"):
        JobWatch().run("tick", lambda: IDLE)
    (rec,) = caplog.records
    assert rec.levelno == logging.DEBUG
    assert (
        rec.getMessage() == "tick: poll fetched=0 letters=0 held=0; send sent=0 deferred=0 failed=0"
    )


def test_a_round_that_did_something_logs_one_info_line_with_its_counts(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="intake"):
        JobWatch().run("tick", lambda: BUSY)
    (rec,) = caplog.records
    assert rec.levelno == logging.INFO
    assert rec.__dict__["counts"] == round_counts(BUSY)
    assert round_counts(BUSY)["poll"] == {"fetched": 2, "letters": 1, "held": 0}


def test_every_command_takes_the_log_options(tmp_path: Path) -> None:
    # a command that logs at INFO (a stored message), as JSON lines on stderr
    inbox = tmp_path / "intake-data" / "inbox"
    for sub in ("new", "cur", "tmp"):
        (inbox / sub).mkdir(parents=True)
    sample = Path(__file__).resolve().parents[3] / "samples" / "inbox" / "02-letter-by-link.eml"
    (inbox / "new" / "1.eml").write_bytes(sample.read_bytes())
    run = subprocess.run(
        [sys.executable, "-m", "intake", "--log-level", "INFO", "--log-format", "json",
         "poll", "--once"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stderr.splitlines()]
    assert lines, run.stderr
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert any(line["logger"] == "intake.app.inbound" for line in lines)
    quiet = subprocess.run(
        [sys.executable, "-m", "intake", "--log-level", "error", "poll", "--once"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )  # fmt: skip
    assert (quiet.returncode, quiet.stderr) == (0, "")
    bad = subprocess.run(
        [sys.executable, "-m", "intake", "--log-format", "xml", "queue"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert bad.returncode == 2
    assert "invalid choice: 'xml'" in bad.stderr
