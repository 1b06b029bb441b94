"""Claiming a message once: by its Message-ID, and by what it says.

A message is handled once however often it arrives: the first to handle it
inserts its Message-ID (or, without one, the sha256 of its bytes) into
``message_key``, and a later copy finds the key taken.  But a Message-ID is
written by the sender, so anyone can reuse another letter's: a copy whose
content (:func:`intake.mail.parse.content_digest`: the author's headers,
text and attachments, not the trace headers a second delivery changes)
differs from the first's is not a duplicate.  It is claimed under its
Message-ID plus its content digest and handled as its own message, with the
reuse in its reasons for the editors.  Runs inside the handling transaction;
``INSERT … ON CONFLICT DO NOTHING`` keeps it safe between workers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from intake.adapters.store import MessageKeyRow, RawMessageRow, insert_ignore, raw_bytes
from intake.domain.errors import MessageError
from intake.domain.model import ParsedMail
from intake.mail.parse import content_digest, parse_message


@dataclass(frozen=True, slots=True)
class Claim:
    """The outcome: handle the message (``duplicate_of`` is None) or not; why, for editors."""

    duplicate_of: int | None = None
    note: str = ""


def claim(s: Session, raw_id: int, mail: ParsedMail, *, full: Callable[[], ParsedMail] | None = None
          ) -> Claim:  # fmt: skip
    """Claim *mail* (stored as *raw_id*) for handling, or name the message it duplicates.

    *mail* is the full read, or with *full* (which makes the full read) a quick one.
    """
    key = mail.message_id if mail.has_message_id else f"sha256:{mail.sha256}"
    known = content_digest(mail) if full is None else ""
    if insert_ignore(s, MessageKeyRow, key=key, raw_id=raw_id, content=known):
        return Claim()
    first = s.get(MessageKeyRow, key)
    if first is None:  # cannot happen: the key's row is committed before a conflict is seen
        return Claim(duplicate_of=0)
    if not mail.has_message_id:
        return Claim(duplicate_of=first.raw_id)
    content = known or _digest_of(full)
    if content and _content_of(s, first) == content:
        return Claim(duplicate_of=first.raw_id)
    reuse_key = f"{key} content:{content}"
    if not insert_ignore(s, MessageKeyRow, key=reuse_key, raw_id=raw_id, content=content):
        again = s.get(MessageKeyRow, reuse_key)
        return Claim(duplicate_of=again.raw_id if again else first.raw_id)
    return Claim(
        note=(
            f"reuses the Message-ID of raw message {first.raw_id} with different content: "
            "handled as its own message"
        )
    )


def _digest_of(full: Callable[[], ParsedMail] | None) -> str:
    if full is None:
        return ""
    try:
        return content_digest(full())
    except MessageError:  # cannot tell: rather handle a copy twice than drop a letter unseen
        return ""


def _content_of(s: Session, first: MessageKeyRow) -> str:
    """The content digest of the message that holds a claim (worked out for older rows)."""
    if first.content:
        return first.content
    row = s.get(RawMessageRow, first.raw_id)
    if row is None:
        return ""
    try:
        return content_digest(parse_message(raw_bytes(s, first.raw_id)))
    except MessageError:  # cannot tell: rather handle a copy twice than drop a letter unseen
        return ""
