"""The wall clock: the only place intake reads the current time."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """See :class:`intake.domain.ports.Clock`."""

    def now(self) -> datetime:
        return datetime.now(UTC)
