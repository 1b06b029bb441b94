"""The small interfaces between the service and the outside world.

The use cases (``intake.app``) see only these protocols; the adapters in
``intake.adapters`` implement them and ``intake.worker`` wires them up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

LARGE_MAIL_BYTES: Final = 2**20
"""A message this large is fetched, stored and read in pieces of this size, never whole."""


class Clock(Protocol):
    def now(self) -> datetime:
        """Return the current time, timezone-aware, in UTC."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class RawMail:
    """One message as fetched from the inbox, untouched: its bytes in *data*, or, for a
    message of :data:`LARGE_MAIL_BYTES` or more, in *pieces*, read from the inbox afresh on
    each call (*data* is then empty and *size* the size the inbox gave for it, which the
    pieces may belie if the message changed or went away meanwhile; none: it went away)."""

    source_key: (
        str  # unique within the mailbox: "UIDVALIDITY:UID" for IMAP, the file key for Maildir
    )
    uid: int | None  # IMAP UID, None for Maildir
    data: bytes = b""
    internal_date: datetime | None
    of: int = 0  # how many new messages the listing this one came from found (0: not known)
    pieces: Callable[[], Iterator[bytes]] | None = None
    size: int = 0  # with *pieces*: the size the inbox gave

    def whole(self) -> bytes:
        """The message's bytes in one piece (read now from the inbox, if it comes in pieces)."""
        return self.data if self.pieces is None else b"".join(self.pieces())


class Mailbox(Protocol):
    """An inbox intake reads from and never deletes from."""

    @property
    def name(self) -> str:
        """A stable name for this folder, e.g. ``imap://user@host:993/INBOX``."""
        ...

    def uidvalidity(self) -> int:
        """Return the folder's UIDVALIDITY (0 where the store has none)."""
        ...

    def new_messages(self, after_uid: int, is_known: Callable[[str], bool]) -> Iterator[RawMail]:
        """Yield messages not yet stored, oldest first, without marking them read."""
        ...

    def mark_done(self, source_keys: Sequence[str], *, quarantined: bool = False) -> None:
        """Mark stored-and-handled messages so a person sees intake has them."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


class Transport(Protocol):
    """Where outgoing mail is handed over: an SMTP server or a local folder."""

    def send(self, raw: bytes, *, sender: str, recipients: Sequence[str], message_id: str) -> None:
        """Deliver *raw*.

        :raises DeliveryDeferred: try again later.
        :raises DeliveryRejected: will never work for these recipients.
        """
        ...

    def close(self) -> None:
        """Release the connection, if any."""
        ...
