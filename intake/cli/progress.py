"""How far a long poll is, shown as the operator expects: a bar on a terminal, a log line otherwise.

The inbound use case reports each step (``fetched``, ``handled``) as
``(step, done, total)`` through ``deps.progress``.  On a terminal
:class:`PollProgress` redraws one line on stderr (``handled 2400 of 10000
[#####···] 24%``) once a step has run for half a second; elsewhere (systemd's
journal, cron, a pipe) it logs ``poll: handled 2400 of 10000`` every
:data:`LOG_EVERY_SECONDS`, so a short poll writes nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from intake.cli.terminal import end_redraw, redraw

log = logging.getLogger("intake.progress")

LOG_EVERY_SECONDS = 10.0
DRAW_AFTER_SECONDS = 0.5  # a step quicker than this shows no bar
DRAW_EVERY_SECONDS = 0.1
BAR_WIDTH = 30


def bar(step: str, done: int, total: int) -> str:
    """One line: ``step done of total [####····] pct%`` (without a total: ``step done``)."""
    if total <= 0:
        return f"{step} {done}"
    share = min(1.0, done / total)
    filled = round(share * BAR_WIDTH)
    return f"{step} {done} of {total} [{'#' * filled}{'·' * (BAR_WIDTH - filled)}] {share:.0%}"


class PollProgress:
    """``deps.progress`` for the command line; call :meth:`finish` when the poll ends."""

    def __init__(self, *, terminal: bool, clock: Callable[[], float] = time.monotonic) -> None:
        self.terminal = terminal
        self._clock = clock
        self._step = ""
        self._started = 0.0
        self._shown = 0.0  # when the last bar or line was shown
        self._drawn = False  # a bar is on the screen

    def __call__(self, step: str, done: int, total: int) -> None:
        now = self._clock()
        if step != self._step:
            self.finish()
            self._step, self._started, self._shown = step, now, now
        if self.terminal:
            if now - self._started >= DRAW_AFTER_SECONDS and (
                now - self._shown >= DRAW_EVERY_SECONDS or done >= total
            ):
                redraw(bar(step, done, total))
                self._drawn, self._shown = True, now
        elif now - self._shown >= LOG_EVERY_SECONDS:
            log.info("poll: %s %d of %d", step, done, total)
            self._shown = now

    def finish(self) -> None:
        """End the bar's line, if one was drawn."""
        if self._drawn:
            end_redraw()
            self._drawn = False
