"""Raw bytes to :class:`intake.domain.model.ParsedMail`: the only user of mail-parser.

Reads the headers as every reader does (:mod:`intake.mail.headers`: Message-IDs and
addresses normalised, RFC 2047 decoded), picks the best text body (HTML converted when there is no plain part), never reads a large
attachment (:mod:`intake.mail.slim`: named and sized only) and synthesises a
Message-ID from the sha256 of the bytes when the message has none.  Raises
:class:`intake.domain.errors.UnparseableMessage` for input that is not a message.
No I/O beyond what mail-parser does in memory.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from email.message import Message
from typing import Any

import mailparser

from intake.domain.errors import UnparseableMessage
from intake.domain.model import Attachment, Enclosed, ParsedMail
from intake.mail.flowed import unflow
from intake.mail.headers import (
    MSGID_RE,
    decode_header_value,
    head_of,
    normalise_message_id,
    parse_addresses,
)
from intake.mail.htmltext import html_to_quoted_text, html_to_text
from intake.mail.slim import (
    SLIM_FROM_BYTES,
    RunFinder,
    Slimmed,
    build_from,
    misplaced,
    restore,
    slim,
)
from intake.mail.tametext import tame

# what the rest of intake reads from here, the header readers of intake.mail.headers included
__all__ = [
    "INVENTED_NAME_RE",
    "LEADING_BLANK_RE",
    "content_digest",
    "decode_header_value",
    "decoded",
    "flowed_text",
    "inline_plain_parts",
    "mail_of",
    "normalise_message_id",
    "parse_addresses",
    "parse_loose",
    "parse_message",
    "sha256_hex",
]

# mail-parser logs a warning for every text/rfc822-headers part of a delivery
# report, and for every defect: one per bounce is noise, not news.
logging.getLogger("mailparser").setLevel(logging.ERROR)


def sha256_hex(raw: bytes) -> str:
    """Return the hex sha256 of *raw*: the identity of a message's bytes."""
    return hashlib.sha256(raw).hexdigest()


def _part_types(msg: Message) -> tuple[str, ...]:
    return tuple(part.get_content_type() for part in msg.walk())


_ENCLOSED_AT_MOST = 3
_ENCLOSED_CHARS = 200_000


def _enclosed(msg: Message) -> tuple[Enclosed, ...]:
    """Messages attached whole: their From, Subject and plain text (a report's are not)."""
    if msg.get_content_type() == "multipart/report":
        return ()
    found: list[Enclosed] = []
    for part in msg.walk():
        if part.get_content_type() != "message/rfc822" or len(found) >= _ENCLOSED_AT_MOST:
            continue
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if not isinstance(inner, Message):
            continue
        plain = next((p for p in inline_plain_parts(inner)), None)
        text = decoded(plain) if plain is not None else ""
        if not text.strip():
            html = next((p for p in inner.walk() if p.get_content_type() == "text/html"), None)
            text = html_to_text(decoded(html)) if html is not None else ""
        senders = parse_addresses([str(v) for v in inner.get_all("from", [])])
        found.append(
            Enclosed(
                sender=senders[0] if senders else None,
                subject=decode_header_value(inner.get("subject", "")),
                text=tame(text[:_ENCLOSED_CHARS].replace("\r\n", "\n").replace("\r", "\n")),
            )
        )
    return tuple(found)


# mail-parser names an attachment that has no name with ten random letters (".txt", ".rtf"):
# such a name would make one message read differently every time (content_digest, so a second
# delivery would pass for another message), so it is dropped
INVENTED_NAME_RE = re.compile(r"[a-z]{10}\.(?:txt|rtf)")


def _given_name(name: str, data: bytes) -> str:
    """*name* as the sender gave it, or "" when mail-parser made it up."""
    if INVENTED_NAME_RE.fullmatch(name) and name.encode("ascii") not in data:
        return ""
    return name


def _attachments(parsed: Any, slimmed: Slimmed) -> tuple[Attachment, ...]:
    result = []
    for att in parsed.attachments or ():
        payload = att.get("payload") or ""
        length = slimmed.length_of(payload) if isinstance(payload, str) else len(payload)
        size = length * 3 // 4 if att.get("binary") else length
        result.append(
            Attachment(
                filename=_given_name(decode_header_value(att.get("filename") or ""), slimmed.data),
                content_type=str(att.get("mail_content_type") or "application/octet-stream"),
                size=size,
            )
        )
    return tuple(result)


def inline_plain_parts(msg: Message) -> list[Message]:
    """The text/plain parts of *msg* meant to be read in the body (not attached files)."""
    return [
        part
        for part in msg.walk()
        if part.get_content_type() == "text/plain"
        and part.get_content_disposition() != "attachment"
        and not part.get_filename()
    ]


def decoded(part: Message) -> str:
    """The text of *part*, decoded by its transfer encoding and charset; never raises."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:
        return payload.decode("latin-1")


def flowed_text(msg: Message) -> str | None:
    """The plain text with RFC 3676 soft breaks joined, or ``None`` when no part is flowed.

    mail-parser returns ``format=flowed`` text as sent, every soft break a
    newline; the letter's paragraphs need them joined.
    """
    parts = inline_plain_parts(msg)
    if not any(str(p.get_param("format", "")).lower() == "flowed" for p in parts):
        return None
    texts: list[str] = []
    for part in parts:
        text = decoded(part)
        if str(part.get_param("format", "")).lower() == "flowed":
            delsp = str(part.get_param("delsp", "")).lower() == "yes"
            text = unflow(text, delsp=delsp)
        if text.strip():
            texts.append(text)
    return "\n\n".join(texts)


# blank lines, then a header field name and its colon (RFC 5322 §3.6.8)
LEADING_BLANK_RE = re.compile(rb"\A(?:[ \t]*\r?\n)+(?=[!-9;-~]+:)")


def _mailparser(data: bytes) -> Any:
    try:
        return mailparser.parse_from_bytes(data)
    except Exception as exc:  # mail-parser raises bare Exceptions of many kinds
        raise UnparseableMessage(f"mail-parser failed: {type(exc).__name__}: {exc}") from exc


def refuse_if_empty(raw: bytes) -> None:
    """Raise :class:`UnparseableMessage` when *raw* holds nothing but whitespace.

    ``bytes.isspace`` stops at the first other byte; ``raw.strip()`` would copy a whole
    27 MB message to find out.
    """
    if not raw or raw.isspace():
        raise UnparseableMessage("empty message")


def parse_message(raw: bytes) -> ParsedMail:
    """Parse *raw* into a :class:`ParsedMail`.

    :raises UnparseableMessage: when the bytes carry no headers at all.
    """
    refuse_if_empty(raw)
    digest = sha256_hex(raw)
    # A blank line before the first header would make every header body text.
    whole = LEADING_BLANK_RE.sub(b"", raw, count=1)
    # a large attachment is named and sized, never read (intake.mail.slim)
    slimmed = slim(whole)
    parsed = _mailparser(slimmed.data)
    if slimmed.runs and (misread := misplaced(slimmed, parsed.message)):
        slimmed = restore(whole, slimmed, misread)
        parsed = _mailparser(slimmed.data)
    return _mail(parsed, slimmed, raw, digest)


def parse_pieces(read: Callable[[], Iterable[bytes]]) -> ParsedMail:
    """:func:`parse_message` of the message *read* yields a piece at a time, afresh on each
    call (a large stored message): the same answer, holding only its slimmed bytes
    (:class:`intake.mail.slim.RunFinder`).  A message that only its whole bytes can tell
    about (its start all blank, a very long line, slim's placeholder in it) is read whole.

    :raises UnparseableMessage: as :func:`parse_message`.
    """
    digest, finder, head, size = hashlib.sha256(), RunFinder(), b"", 0
    for piece in read():
        digest.update(piece)
        finder.add(piece)
        size += len(piece)
        if len(head) < _HEAD_BYTES:
            head += piece[: _HEAD_BYTES - len(head)]
    spans = finder.finish()
    skip = _leading_blank(head, whole=len(head) == size)
    if skip is None or finder.whole_needed or size - skip <= SLIM_FROM_BYTES:
        return parse_message(b"".join(read()))
    slimmed = build_from(read(), spans, skip)
    parsed = _mailparser(slimmed.data)
    if slimmed.runs and (misread := misplaced(slimmed, parsed.message)):
        kept = [(r.start + skip, r.end + skip) for m, r in slimmed.runs.items() if m not in misread]
        slimmed = build_from(read(), kept, skip)
        parsed = _mailparser(slimmed.data)
    return dataclasses.replace(_mail(parsed, slimmed, b"", digest.hexdigest()), size=size)


_HEAD_BYTES = 2**16
# a byte that ends a header's name, or a blank line's room for one (LEADING_BLANK_RE)
_NAME_ENDS = re.compile(rb"[ \t\r\n]*+[!-9;-~]*+[^!-9;-~]")


def _leading_blank(head: bytes, *, whole: bool) -> int | None:
    """How many bytes :data:`LEADING_BLANK_RE` takes off a message starting with *head*
    (all of it if *whole*); ``None`` when *head* is too short to tell."""
    if not whole and not _NAME_ENDS.match(head):
        return None  # its search might look past the head: only the whole message tells
    if not whole and head.isspace():
        return None
    found = LEADING_BLANK_RE.match(head)
    return found.end() if found else 0


def _mail(parsed: Any, slimmed: Slimmed, raw: bytes, digest: str) -> ParsedMail:
    msg: Message = parsed.message
    plain = flowed_text(msg)
    if plain is None:
        plain = "\n\n".join(t for t in (parsed.text_plain or ()) if t and t.strip())
    html = "\n".join(t for t in (parsed.text_html or ()) if t and t.strip())
    return mail_of(
        msg,
        raw,
        digest,
        plain=plain,
        html=html,
        attachments=_attachments(parsed, slimmed),
        defects=tuple(sorted(parsed.defects_categories or ())),
    )


def mail_of(msg: Message, raw: bytes, digest: str, *, plain: str, html: str,
            attachments: tuple[Attachment, ...], defects: tuple[str, ...]) -> ParsedMail:  # fmt: skip
    """The :class:`ParsedMail` of a parsed *msg* (of *raw*, whose sha256 is *digest*) with
    the text, HTML and attachments its reader found: the headers are read here, one way for
    every reader.

    :raises UnparseableMessage: when *msg* has no headers.
    """
    if not len(msg):
        raise UnparseableMessage("no headers found")
    head = head_of(msg)
    headers = head.headers

    raw_id = headers.get("message-id", ("",))[0]
    has_id = bool(MSGID_RE.search(raw_id) or "@" in raw_id)
    message_id = normalise_message_id(raw_id) if has_id else f"sha256-{digest[:32]}@intake.invalid"

    text_from_html = False
    if not plain.strip() and html:
        plain = html_to_quoted_text(html)  # a <blockquote> reads as "> " lines, as in text mail
        text_from_html = True

    return ParsedMail(
        message_id=message_id,
        has_message_id=has_id,
        sender=head.senders[0] if head.senders else None,
        reply_to=head.reply_to,
        to=head.to,
        cc=head.cc,
        delivered_to=head.delivered_to,
        subject=headers.get("subject", ("",))[0],
        date=head.date,
        in_reply_to=head.in_reply_to,
        references=head.references,
        headers=headers,
        trace=head.trace,
        content_type=head.content_type,
        part_types=_part_types(msg),
        text=tame(plain.replace("\r\n", "\n").replace("\r", "\n")),
        html=html,
        text_from_html=text_from_html,
        attachments=attachments,
        enclosed=_enclosed(msg),
        defects=defects,
        sha256=digest,
        size=len(raw),
    )


# A message starts with a header line (a name of letters, digits and hyphens, then a colon),
# or with an mbox "From " line; a body-only file whose first line is "<http://x>" does not.
_FIRST_HEADER_RE = re.compile(rb"\A(?:[ \t]*\r?\n)*(?:From [^\r\n]*\r?\n)?[A-Za-z0-9-]+[ \t]*:")


def parse_loose(raw: bytes) -> ParsedMail:
    """Parse *raw* as a message, or as a bare body when it does not start with a header.

    Used by the command line on files that may hold only a body (as many
    test corpora do); the inbox path uses :func:`parse_message`.
    """
    if _FIRST_HEADER_RE.match(raw):
        try:
            return parse_message(raw)
        except UnparseableMessage as exc:
            if "no headers" not in str(exc):
                raise
    text = tame(raw.decode("utf-8", errors="replace").replace("\r\n", "\n"))
    digest = sha256_hex(raw)
    return ParsedMail(
        message_id=f"sha256-{digest[:32]}@intake.invalid",
        has_message_id=False,
        sender=None,
        text=text,
        sha256=digest,
        size=len(raw),
    )


# what a message says, as opposed to how it travelled: a second delivery of one message
# differs in Received, Delivered-To, Return-Path and the results our servers stamp, never
# in these
_CONTENT_HEADERS = ("from", "sender", "to", "cc", "subject", "date", "message-id")


def content_digest(mail: ParsedMail) -> str:
    """Return the hex sha256 of what *mail* says: its author's headers, text and attachments.

    Two deliveries of one message share it (only trace headers differ); a different
    message that reuses the Message-ID does not.
    """
    digest = hashlib.sha256()
    for name in _CONTENT_HEADERS:
        for value in mail.headers.get(name, ()):
            digest.update(f"{name}:{value}\0".encode("utf-8", "surrogatepass"))
    for body in (mail.text, mail.html):
        digest.update(body.encode("utf-8", "surrogatepass") + b"\0")
    for att in mail.attachments:
        digest.update(
            f"{att.filename}\0{att.content_type}\0{att.size}\0".encode("utf-8", "surrogatepass")
        )
    return digest.hexdigest()
