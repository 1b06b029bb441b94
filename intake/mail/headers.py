"""What a message's headers say, read one way for every reader of mail.

RFC 2047 encoded words decoded (:func:`decode_header_value`), addresses
(:func:`parse_addresses`), Message-IDs normalised, the date, the trace headers in
order: :func:`head_of` reads them from a parsed message's headers, and keeps what it
read for the last few header blocks, so the header-only read that tells machine mail
(:func:`intake.mail.quickread.read_head`) and the quick or full read after it read one
message's headers once.  Pure: no I/O.
"""

from __future__ import annotations

import email.errors
import email.header
import email.utils
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from typing import Any

from intake.domain.model import Address
from intake.mail.maildate import read_date

MSGID_RE = re.compile(r"<([^<>\s]+)>")
_DELIVERY_HEADERS = ("delivered-to", "x-original-to", "envelope-to", "x-envelope-to")


def normalise_message_id(value: str) -> str:
    """Return a Message-ID without brackets, its domain lower-cased."""
    value = value.strip()
    found = MSGID_RE.search(value)
    ident = found.group(1) if found else value.strip("<> \t\r\n")
    left, at, right = ident.rpartition("@")
    return f"{left}@{right.lower()}" if at else ident


def message_ids(value: str) -> tuple[str, ...]:
    """Return every Message-ID in a References or In-Reply-To value, in order."""
    found = MSGID_RE.findall(value)
    if not found and value.strip():
        found = value.split()
    return tuple(normalise_message_id(v) for v in found)


def decode_header_value(value: str | Any) -> str:
    """Decode RFC 2047 encoded words; never raise on bad charsets."""
    if not isinstance(value, str):
        value = str(value)
    if "=?" not in value:  # no encoded word: decode_header would return the value whole
        return " ".join(value.split())
    try:
        chunks = email.header.decode_header(value)
    except (ValueError, LookupError, email.errors.HeaderParseError):
        return value
    out: list[str] = []
    for chunk, charset in chunks:
        if isinstance(chunk, bytes):
            try:
                out.append(chunk.decode(charset or "ascii", errors="replace"))
            except LookupError:
                out.append(chunk.decode("latin-1", errors="replace"))
        else:
            out.append(chunk)
    # decode_header keeps the whitespace between plain and encoded words oddly:
    return re.sub(r"\s+", " ", "".join(out)).strip()


def parse_addresses(values: Iterable[str]) -> tuple[Address, ...]:
    """Parse address header values into :class:`Address` values."""
    if not values:
        return ()  # what getaddresses finds in no value, without its parser's set-up
    result: list[Address] = []
    for name, addr in email.utils.getaddresses([decode_header_value(v) for v in values]):
        addr = addr.strip().strip("<>").lower()
        if "@" in addr:
            result.append(Address(name=name.strip().strip('"'), email=addr))
    return tuple(result)


def _all_headers(msg: Message) -> dict[str, tuple[str, ...]]:
    headers: dict[str, list[str]] = {}
    for name, value in msg.items():
        headers.setdefault(name.lower(), []).append(decode_header_value(value))
    return {k: tuple(v) for k, v in headers.items()}


_TRACE_HEADERS = ("received", "authentication-results")


def _trace(msg: Message) -> tuple[tuple[str, str], ...]:
    return tuple(
        (name.lower(), decode_header_value(value))
        for name, value in msg.items()
        if name.lower() in _TRACE_HEADERS
    )


def _parse_date(value: str) -> datetime | None:
    parsed = read_date(value)
    return parsed.astimezone(UTC) if parsed is not None else None


@dataclass(frozen=True, slots=True)
class Head:
    """What :func:`intake.mail.parse.mail_of` reads from a message's headers alone."""

    headers: Mapping[str, tuple[str, ...]]  # shared by every read of the same headers
    senders: tuple[Address, ...]
    reply_to: tuple[Address, ...]
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    delivered_to: tuple[str, ...]
    date: datetime | None
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    trace: tuple[tuple[str, str], ...]
    content_type: str


def _read_head(msg: Message) -> Head:
    headers = _all_headers(msg)
    return Head(
        headers=headers,
        senders=parse_addresses(headers.get("from", ())),
        reply_to=parse_addresses(headers.get("reply-to", ())),
        to=parse_addresses(headers.get("to", ())),
        cc=parse_addresses(headers.get("cc", ())),
        delivered_to=tuple(
            a.email for name in _DELIVERY_HEADERS for a in parse_addresses(headers.get(name, ()))
        ),
        date=_parse_date(headers.get("date", ("",))[0]),
        in_reply_to=message_ids(" ".join(headers.get("in-reply-to", ()))),
        references=message_ids(" ".join(headers.get("references", ()))),
        trace=_trace(msg),
        content_type=msg.get_content_type(),
    )


# One message's headers are read twice on the inbox path: by the header-only read that
# tells machine mail (quickread.read_head), then by the quick or the full read.  What they
# say is kept for the last few header blocks (of at most _KEPT_HEAD_CHARS each), keyed by
# the header lines as parsed, so the second read finds it.
_KEPT_HEADS = 16
_KEPT_HEAD_CHARS = 64 * 1024
_heads: dict[tuple[object, ...], Head] = {}


def head_of(msg: Message) -> Head:
    """What *msg*'s headers say; read once for the same header lines read a moment ago."""
    items = tuple(msg.raw_items())
    size = 0
    for name, value in items:
        if not isinstance(value, str):
            return _read_head(msg)  # a header set by code, not parsed: not kept
        size += len(name) + len(value)
    if size > _KEPT_HEAD_CHARS:
        return _read_head(msg)
    key = (msg.policy, msg.get_default_type(), items)
    head = _heads.get(key)
    if head is None:
        head = _read_head(msg)
        if len(_heads) >= _KEPT_HEADS:
            del _heads[next(iter(_heads))]
        _heads[key] = head
    return head
