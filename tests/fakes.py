"""The fakes every suite shares: one frozen clock, and mail delivered at its time.

A test's timeline is the fake clock's alone: a message dropped into a Maildir
carries the clock's time as its delivery time (the file's mtime, which the
Maildir adapter reads as the internal date), so "received two days ago" means
two days of fake time, whatever the real date is.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from intake.adapters.maildir import deliver

# The one instant every suite starts from unless a test sets its own.
FROZEN_AT = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@dataclass
class FakeClock:
    """A clock that moves only when a test moves it."""

    current: datetime = FROZEN_AT

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


def deliver_at(maildir: Path, raw: bytes, when: datetime) -> str:
    """Deliver *raw* into *maildir* as if it had arrived at *when*; return its key."""
    key = deliver(maildir, raw)
    stamp = when.timestamp()
    for sub in ("new", "cur"):
        for path in (maildir / sub).glob(f"{key}*"):
            os.utime(path, (stamp, stamp))
    return key
