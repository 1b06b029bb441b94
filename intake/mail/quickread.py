"""A quick read of a message for telling machine mail: the standard library, no attachment decoded.

Most of an editorial inbox is machine mail — delivery reports, out-of-office
replies, newsletters — and what marks it is in the headers, the MIME
structure and the first text of the body.  :func:`read_quickly` reads those
with the standard library's parser (``compat32``, the parser mail-parser
itself runs on) and decodes only the text parts: an attachment is counted by
its name, type and encoded size, never decoded.  It costs a fraction of
:func:`intake.mail.parse.parse_message`, which stays the reader of what may be
a letter or a reply (the sorter decides which read a message needs).

The text is found as :func:`~intake.mail.parse.parse_message` finds it: the
inline text/plain parts in order (``format=flowed`` unflowed), else the HTML
parts converted, and the headers are read by the same code
(:func:`~intake.mail.parse.mail_of`).  Only messages of at most
:data:`QUICK_BYTES` are read quickly; a larger one is rarely machine mail and
gets the full read.  Pure: no I/O.
"""

from __future__ import annotations

import email
import email.parser
import email.policy
import re
from email.message import Message
from typing import Final

from intake.domain.errors import UnparseableMessage
from intake.domain.model import Attachment, ParsedMail
from intake.mail.headers import decode_header_value
from intake.mail.parse import (
    LEADING_BLANK_RE,
    flowed_text,
    mail_of,
    refuse_if_empty,
    sha256_hex,
)

QUICK_BYTES: Final = 1 << 20
"""The largest message read quickly (1 MiB): reports, auto-replies and newsletters are smaller."""

_TEXT_SUBTYPES: Final = ("plain", "html")


def can_read_quickly(raw: bytes) -> bool:
    """Return whether *raw* is small enough for :func:`read_quickly`."""
    return len(raw) <= QUICK_BYTES


def _is_attachment(part: Message) -> bool:
    # the rule mail-parser applies: a file name, an identified non-text part, RTF, or a
    # part marked as an attachment
    subtype = part.get_content_subtype()
    return bool(
        part.get_filename()
        or (part.get("content-id") and subtype not in _TEXT_SUBTYPES)
        or subtype == "rtf"
        or part.get_content_disposition() == "attachment"
    )


def _attachment(part: Message) -> Attachment:
    payload = part.get_payload()
    encoded = len(payload) if isinstance(payload, str | bytes) else 0
    base64 = str(part.get("content-transfer-encoding", "")).strip().lower() == "base64"
    name = part.get_filename() or str(part.get("content-id", "") or "")  # as mail-parser names it
    return Attachment(
        filename=decode_header_value(name),
        content_type=part.get_content_type(),
        size=encoded * 3 // 4 if base64 else encoded,
    )


def _body_text(part: Message) -> str:
    """The text of a body part, decoded as mail-parser decodes it (its declared charset, else
    UTF-8, replacing what is not)."""
    cte = str(part.get("content-transfer-encoding", "")).strip().lower()
    if cte in ("", "7bit", "8bit"):
        stored = part.get_payload()
        if isinstance(stored, str):
            try:
                stored.encode("utf-8")
            except UnicodeEncodeError:
                pass  # bytes the parser kept as surrogates: decode them below
            else:
                return stored
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or not payload:
        return ""
    try:
        text = payload.decode(part.get_content_charset("utf-8") or "utf-8")
        text.encode("utf-8")
    except (LookupError, UnicodeError):
        text = payload.decode("utf-8", "replace")
    return text


# an empty line after a line end: "\n\n", "\r\r", or "\n\r" (of "\r\n\r\n", "\n\r\n" and
# "\n\r"), as the standard library's parser splits lines (at "\r\n", "\r" or "\n")
_EMPTY_LINE_RE: Final = re.compile(rb"\n[\r\n]|\r\r")


def header_block(raw: bytes) -> bytes:
    """The bytes of *raw* up to its first empty line (blank lines before its first header
    skipped, as every read skips them): all the standard library's parser reads of the
    headers, which end there or at an earlier line that is not a header."""
    leading = LEADING_BLANK_RE.match(raw)
    start = leading.end() if leading else 0
    empty = _EMPTY_LINE_RE.search(raw, start)
    return raw[start : empty.start() + 1] if empty else raw[start:]


def read_head(raw: bytes) -> ParsedMail:
    """Read only *raw*'s headers (the body is neither parsed nor read): enough to tell
    whether a message may be machine mail, at a fraction of a quick read's cost.

    :raises UnparseableMessage: when the bytes are empty or carry no headers.
    """
    refuse_if_empty(raw)
    msg = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(header_block(raw))
    return mail_of(msg, raw, "", plain="", html="", attachments=(), defects=())


def read_quickly(raw: bytes) -> ParsedMail:
    """Read *raw*'s headers, structure and text parts; attachments are named, not decoded.

    :raises UnparseableMessage: when the bytes are empty, carry no headers, or are larger
        than :data:`QUICK_BYTES`.
    """
    refuse_if_empty(raw)
    if not can_read_quickly(raw):
        raise UnparseableMessage(f"message of {len(raw)} bytes is over the quick read's limit")
    msg = email.message_from_bytes(
        LEADING_BLANK_RE.sub(b"", raw, count=1), policy=email.policy.compat32
    )
    plain: list[str] = []
    html: list[str] = []
    attachments: list[Attachment] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        if _is_attachment(part):
            attachments.append(_attachment(part))
            continue
        subtype = part.get_content_subtype()
        if subtype in _TEXT_SUBTYPES:
            text = _body_text(part)
            if text.strip():
                (plain if subtype == "plain" else html).append(text)
    flowed = flowed_text(msg)
    return mail_of(
        msg,
        raw,
        sha256_hex(raw),
        plain=flowed if flowed is not None else "\n\n".join(plain),
        html="\n".join(html),
        attachments=tuple(attachments),
        defects=(),
    )
