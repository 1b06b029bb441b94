"""The per-message time budget: an interval timer that interrupts pure work.

A pattern or parser stuck on one hostile message must not hold the inbox:
:class:`AlarmTimeLimit` arms ``ITIMER_REAL`` around the handling of each
message and, when it fires, raises :class:`intake.domain.errors.OverBudget`
in the code that is running.  Python runs signal handlers between bytecodes
and the regular expression engine checks for signals while it backtracks, so
even one long ``re.search`` is cut off.

The interruption is safe because it only ever lands in pure code: the
handler looks at the frame it interrupted and raises only when that frame
(and every frame up to the code that called into pure code, which must not be
an I/O library such as a database driver or ``http.client``) belongs to a
module that does no I/O (intake's domain, mail, printing and
sorting packages, the standard library's mail and text parsers, mail-parser,
rapidfuzz).  Anywhere else (a database driver mid-statement, logging) it
re-arms itself for a moment later, so a transaction is never cut in half;
the exception then unwinds through the message's transaction, which rolls
back.  Signals reach only the main thread: elsewhere the limit is not armed
(``intake run`` runs its polls on the main thread for this reason).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Final

from intake.domain.errors import OverBudget

PURE_MODULES: Final = (
    "intake.domain",
    "intake.mail",
    "intake.printing",
    "intake.sorting",
    "email",
    "mailparser",
    "html",
    "re",
    "encodings",
    "quopri",
    "base64",
    "unicodedata",
    "rapidfuzz",
)
"""Modules whose code may be interrupted: no I/O, no locks, no open transactions."""

IO_CALLERS: Final = (
    "sqlalchemy",
    "psycopg",
    "sqlite3",
    "http",
    "urllib",
    "ssl",
    "socket",
    "imapclient",
    "imaplib",
    "smtplib",
    "feedparser",
    "logging",
)
"""Libraries that call pure modules (``email`` to parse HTTP headers, ``re``) in the middle
of their own I/O: pure code they called is not interrupted, their state would be torn."""

RETRY_SECONDS: Final = 0.05
"""How soon to try again when the alarm lands outside pure code."""


def _is_pure(module: str, pure: tuple[str, ...]) -> bool:
    return any(module == name or module.startswith(name + ".") for name in pure)


def _module(frame: FrameType) -> str:
    return str(frame.f_globals.get("__name__", ""))


def safe_to_interrupt(frame: FrameType | None, pure: tuple[str, ...]) -> bool:
    """True when *frame* runs pure code that was not called from inside an I/O library:
    the whole run of pure frames from the innermost one up to its caller is looked at, so
    ``email`` parsing headers for ``http.client`` is left alone."""
    if frame is None or not _is_pure(_module(frame), pure):
        return False
    caller = frame.f_back
    while caller is not None and _is_pure(_module(caller), pure):
        caller = caller.f_back
    return caller is None or not _is_pure(_module(caller), IO_CALLERS)


class AlarmTimeLimit:
    """``with limit():`` raises :class:`OverBudget` in pure code after *seconds*."""

    def __init__(self, seconds: float, *, pure: tuple[str, ...] = PURE_MODULES) -> None:
        self.seconds = seconds
        self.pure = pure

    @contextmanager
    def __call__(self) -> Iterator[None]:
        if self.seconds <= 0 or threading.current_thread() is not threading.main_thread():
            yield
            return

        def on_alarm(_signum: int, frame: FrameType | None) -> None:
            if safe_to_interrupt(frame, self.pure):
                signal.setitimer(signal.ITIMER_REAL, 0)
                raise OverBudget(self.seconds)
            signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
