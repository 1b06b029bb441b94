"""A fetched message's keys for its raw row: the sha256 of its bytes and the Message-ID
its headers give, found without a parse, from the whole bytes or as its pieces pass.

:func:`quick_message_id` reads the headers only (up to the first blank line, ``CRLF CRLF``
or ``LF LF``, whichever comes first); :class:`PieceKeys` gives the same two answers for a
message seen a piece at a time, holding no more of it than its headers.  Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import re

from intake.mail.headers import normalise_message_id

_MESSAGE_ID_LINE = re.compile(rb"(?im)^message-id:[ \t]*(<[^>\r\n]*>)")
_HEAD_ENDS = (b"\r\n\r\n", b"\n\n")


def _head_end(data: bytes | bytearray) -> int:
    """Where the headers of *data* end (its length when no blank line is found)."""
    ends = [at for at in (data.find(end) for end in _HEAD_ENDS) if at >= 0]
    return min(ends, default=len(data))


def quick_message_id(data: bytes | bytearray) -> str:
    """The Message-ID for the raw row, found without a full parse (nor a copy of the body)."""
    found = _MESSAGE_ID_LINE.search(data, 0, _head_end(data))
    if not found:
        return ""
    return normalise_message_id(found.group(1).decode("ascii", "replace"))


class PieceKeys:
    """The sha256 and :func:`quick_message_id` of a message fed in pieces, in order.

    Only the headers are held: once a blank line is seen with at least four bytes after
    its start (no earlier blank line can then still straddle the end of what is held), the
    Message-ID is read from what is held and nothing more is kept.  A message without a
    blank line is held whole, as it would be read whole.
    """

    def __init__(self) -> None:
        self._sha256 = hashlib.sha256()
        self._head = bytearray()
        self._message_id: str | None = None
        self.size = 0

    def add(self, piece: bytes) -> None:
        """Feed the next *piece* of the message."""
        self._sha256.update(piece)
        self.size += len(piece)
        if self._message_id is not None:
            return
        self._head += piece
        if _head_end(self._head) + len(_HEAD_ENDS[0]) <= len(self._head):
            self._message_id = quick_message_id(self._head)
            self._head = bytearray()

    @property
    def sha256(self) -> str:
        """The hex sha256 of the pieces so far."""
        return self._sha256.hexdigest()

    @property
    def message_id(self) -> str:
        """The Message-ID of the pieces so far, as :func:`quick_message_id` of them whole."""
        if self._message_id is not None:
            return self._message_id
        return quick_message_id(self._head)
