"""A long poll says how far it is: a bar on a terminal, an "n of N" log line otherwise."""

from __future__ import annotations

import logging

import pytest

from intake.cli.progress import LOG_EVERY_SECONDS, PollProgress, bar


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_bar_shows_done_total_and_share() -> None:
    assert bar("handled", 25, 100).startswith("handled 25 of 100 [")
    assert bar("handled", 25, 100).endswith("] 25%")
    assert bar("fetched", 7, 0) == "fetched 7"  # no total known


def test_a_terminal_gets_a_bar_once_the_step_is_not_instant(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ticks = Ticks()
    progress = PollProgress(terminal=True, clock=ticks)
    progress("handled", 1, 10)
    assert capsys.readouterr().err == ""  # a quick step draws nothing
    ticks.now += 1.0
    progress("handled", 5, 10)
    drawn = capsys.readouterr().err
    assert drawn.startswith("\r") and "handled 5 of 10" in drawn and "\n" not in drawn
    progress.finish()
    assert capsys.readouterr().err == "\n"


def test_elsewhere_a_log_line_every_few_seconds(caplog: pytest.LogCaptureFixture) -> None:
    ticks = Ticks()
    progress = PollProgress(terminal=False, clock=ticks)
    with caplog.at_level(logging.INFO, logger="intake.progress"):
        for done in range(1, 101):
            ticks.now += LOG_EVERY_SECONDS / 20
            progress("handled", done, 100)
    lines = [r.getMessage() for r in caplog.records]
    # the step starts at its first report; a line every LOG_EVERY_SECONDS after that
    assert lines == ["poll: handled 21 of 100", "poll: handled 41 of 100",
                     "poll: handled 61 of 100", "poll: handled 81 of 100"]  # fmt: skip
