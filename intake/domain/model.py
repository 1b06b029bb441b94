"""Domain values shared by the core and the edges.

Frozen dataclasses and enums only: no I/O, no third-party imports.  Database
rows live in ``intake.adapters.store`` and are mapped to and from these.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Category(StrEnum):
    """What an inbound message is, as the classifier sees it."""

    letter = "letter"  # a reader writing to the editor
    author_reply = "author_reply"  # an author answering our request (or a writer answering us)
    auto_reply = "auto_reply"  # out of office, autoresponder (RFC 3834): never answered
    bounce = "bounce"  # delivery status notification
    bulk = "bulk"  # newsletters, mailing lists, no-reply notifications
    spam = "spam"
    other = "other"  # press releases, service requests, pitches, forwards


@dataclass(frozen=True, slots=True, kw_only=True)
class Address:
    """A mailbox: display name and lower-cased address."""

    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


@dataclass(frozen=True, slots=True, kw_only=True)
class Attachment:
    """What the core needs to know of an attachment (never its bytes)."""

    filename: str
    content_type: str
    size: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Enclosed:
    """A message attached whole (``message/rfc822``): a forward as an attachment."""

    sender: Address | None
    subject: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedMail:
    """An inbound message reduced to what classification and matching use.

    ``message_id`` is normalised (no angle brackets, lower-cased domain) and
    synthesised from the sha256 of the bytes when the message carries none.
    ``headers`` maps lower-cased header names to every value the header has;
    ``trace`` keeps the order of the trace headers, which ``headers`` loses.
    ``text`` is the best plain-text rendering of the body: the text/plain
    parts, or the HTML converted to text when there is no plain part.
    """

    message_id: str
    has_message_id: bool
    sender: Address | None
    reply_to: tuple[Address, ...] = ()
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    delivered_to: tuple[str, ...] = ()
    subject: str = ""
    date: datetime | None = None
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    headers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # the trace headers (Received, Authentication-Results) as (name, value), top first:
    # where a header stands tells who wrote it
    trace: tuple[tuple[str, str], ...] = ()
    content_type: str = "text/plain"
    part_types: tuple[str, ...] = ()
    text: str = ""
    html: str = ""
    text_from_html: bool = False
    attachments: tuple[Attachment, ...] = ()
    # messages attached whole (not a delivery report's returned message)
    enclosed: tuple[Enclosed, ...] = ()
    defects: tuple[str, ...] = ()
    sha256: str = ""
    size: int = 0

    def header(self, name: str) -> str:
        """Return the first value of header *name* (case-insensitive), or ``""``."""
        values = self.headers.get(name.lower(), ())
        return values[0] if values else ""

    def recipients(self) -> tuple[str, ...]:
        """Every address this copy was sent to: To, Cc and the delivery headers."""
        seen: dict[str, None] = {}
        for addr in (*(a.email for a in self.to), *(a.email for a in self.cc), *self.delivered_to):
            seen.setdefault(addr.lower(), None)
        return tuple(seen)


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One entry of the publication's article catalogue."""

    url: str
    title: str
    author: str
    author_email: str
    published: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ArticleMatch:
    """An article a letter answers, how sure we are, and why."""

    article: Article
    score: float
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """The classifier's answer for one message."""

    category: Category
    confidence: float
    reasons: tuple[str, ...]
    reply_key: str | None = None  # the key found in a recipient address, if any


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyText:
    """An author's (or writer's) reply split into what is new and what was cut."""

    text: str  # the new text, quotes and signature removed
    cut: str  # everything removed, kept for the editors
    signature: str = ""

    @property
    def cut_ratio(self) -> float:
        """Share of the original characters that were cut."""
        total = len(self.text) + len(self.cut)
        return len(self.cut) / total if total else 0.0
