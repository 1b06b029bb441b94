"""Where a stored message and an outgoing mail stand: the statuses beside a letter's state.

A letter's state is its lifecycle (:mod:`.lifecycle`); these two are simpler
and have no transition table.  Both are ``StrEnum``: the database keeps their
string values, which stay exactly as they were when these were bare strings.
"""

from __future__ import annotations

from enum import StrEnum


class RawStatus(StrEnum):
    """What became of a fetched message (``RawMessageRow.status``).

    ``stored`` → ``processed`` | ``duplicate`` | ``quarantined`` | ``held``;
    an editor may then take a held message (``processed``) or drop it
    (``dismissed``).
    """

    stored = "stored"  # committed, not handled yet
    processed = "processed"  # handled: a letter, a reply, a notice, or nothing to do
    duplicate = "duplicate"  # the same Message-ID (or sha256) was handled before
    quarantined = "quarantined"  # unreadable, too large, or it tripped a bug
    held = "held"  # set aside for the editors (a doubtful reply, refused commands)
    dismissed = "dismissed"  # an editor took it off the held list; it stays stored

    @classmethod
    def set_aside(cls) -> tuple[RawStatus, ...]:
        """The statuses of messages waiting for an editor (``intake queue --held``)."""
        return (cls.held, cls.quarantined)


class OutboxStatus(StrEnum):
    """Where a composed mail stands in the outbox (``OutboundRow.status``).

    ``pending`` → ``sending`` (claimed under a lease) → ``sent`` | ``failed``;
    a refusal for now puts it back to ``pending`` with a later retry time.
    """

    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"
