"""Dates read from mail headers and feeds: a date that cannot be real is no date.

``Date:`` is written by the sender, so it may say anything: an offset of
-99999999999999, a year of 9999999999, or a moment that only exists past the
calendar's end once moved to UTC.  :func:`read_date` returns such values as
``None`` (absent), exactly as it does for text that is not a date, so no
caller ever meets an ``OverflowError``.  Pure: no I/O, no clock.
"""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime
from typing import Final

EARLIEST: Final = datetime(1900, 1, 1, tzinfo=UTC)
"""Dates before this are taken as absent: no mail or article is that old."""
LATEST: Final = datetime(3000, 1, 1, tzinfo=UTC)
"""Dates from this on are taken as absent; date arithmetic near year 9999 overflows."""


def read_date(value: str) -> datetime | None:
    """Return the RFC 5322 date in *value* with its own offset, or ``None``.

    ``None`` when *value* is empty, is not a date, or names a moment outside
    [:data:`EARLIEST`, :data:`LATEST`).  A date without an offset (``-0000``)
    is taken as UTC.
    """
    if not value or not value.strip():
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        in_utc = parsed.astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if not EARLIEST <= in_utc < LATEST:
        return None
    return parsed
