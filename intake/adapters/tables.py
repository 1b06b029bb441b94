"""The database tables: one SQLModel class per table, named ``*Row``.

Rows are the persistence shape only, with how a column encodes a value
(:func:`aware` for UTC times, :func:`dumps`/:func:`loads` for lists in a text
column); the domain values live in :mod:`intake.domain`.  Statuses are the
string values of :class:`~intake.domain.statuses.RawStatus`,
:class:`~intake.domain.statuses.OutboxStatus` and
:class:`~intake.domain.lifecycle.LetterState`.  Only :mod:`intake.app` and
:mod:`intake.adapters` import these (through :mod:`intake.adapters.store`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from intake.domain.lifecycle import LetterState
from intake.domain.statuses import OutboxStatus, RawStatus


def aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def dumps(values: Sequence[str]) -> str:
    """Encode a list of reasons for a text column."""
    return json.dumps(list(values), ensure_ascii=False)


def loads(text: str) -> list[str]:
    """Decode a list of reasons from a text column."""
    value = json.loads(text or "[]")
    return [str(v) for v in value] if isinstance(value, list) else []


class FolderStateRow(SQLModel, table=True):
    __tablename__ = "folder_state"
    mailbox: str = Field(primary_key=True)
    uidvalidity: int
    last_uid: int = 0
    updated_at: datetime


class RawMessageRow(SQLModel, table=True):
    """Every message fetched, stored before anything acts on it."""

    __tablename__ = "raw_message"
    __table_args__ = (
        UniqueConstraint("mailbox", "source_key", name="uq_raw_source"),
        Index("ix_raw_status", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    mailbox: str
    uidvalidity: int
    uid: int | None = None
    source_key: str
    message_id: str = Field(index=True)
    sha256: str = Field(index=True)
    size: int
    internal_date: datetime | None = None
    fetched_at: datetime
    status: str = RawStatus.stored.value  # a RawStatus, stored as its string
    category: str = ""
    confidence: float = 0.0
    reasons: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    letter_id: int | None = None
    processed_at: datetime | None = None
    marked: bool = False  # the inbox copy carries our keyword
    attempts: int = 0  # tries at handling it, counted before each starts (the poison rule)
    # when retention dropped the body and attachments (the raw body keeps the headers;
    # sha256 and size stay as received); None: the raw body is the message as received
    pruned_at: datetime | None = None


class RawBodyRow(SQLModel, table=True):
    """A fetched message's bytes, apart from the row its handling updates (revision 0006).

    Written once, with its ``raw_message`` row, and never updated but by retention
    (which cuts it to its headers): on SQLite, setting a message's status or counting
    a try rewrites the whole row it is in, so the message is not in that row.
    """

    __tablename__ = "raw_body"
    raw_id: int = Field(
        sa_column=Column(Integer, ForeignKey("raw_message.id"), primary_key=True,
                         autoincrement=False)
    )  # fmt: skip
    # last (as in revision 0005 for raw_message.raw): a large message is streamed into it
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class MessageKeyRow(SQLModel, table=True):
    """One row per Message-ID (or sha256) handled: the de-duplication claim."""

    __tablename__ = "message_key"
    key: str = Field(primary_key=True)
    raw_id: int
    content: str = ""  # what the message says (parse.content_digest): tells reuse from resend


class AuthorRow(SQLModel, table=True):
    __tablename__ = "author"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(unique=True)
    name: str


class ArticleRow(SQLModel, table=True):
    __tablename__ = "article"
    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True)
    title: str
    author_id: int | None = Field(default=None, foreign_key="author.id")
    published: str = ""  # ISO date or empty


class LetterRow(SQLModel, table=True):
    __tablename__ = "letter"
    id: int | None = Field(default=None, primary_key=True)
    raw_id: int = Field(unique=True, foreign_key="raw_message.id")
    message_id: str
    writer_name: str
    writer_email: str
    subject: str
    body: str = Field(sa_column=Column(Text, nullable=False))
    article_id: int | None = Field(default=None, foreign_key="article.id")
    match_reason: str = ""
    state: str = Field(default=LetterState.received.value, index=True)
    confidence: float
    reasons: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    received_at: datetime
    updated_at: datetime
    deadline_at: datetime | None = None
    # ranked article candidates [{url, title, score, reason}], kept for the editors to pick
    candidates: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    # letters-policy findings ["code: message", …] for the editors
    findings: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    campaign_id: int | None = Field(default=None, index=True)  # id of the group's first letter
    # the writer's details: signature lines for print, town; phone/street kept private
    signature: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    writer_town: str = ""
    writer_phone: str = ""
    writer_street: str = ""
    dek: str = ""  # an editor's dek for print; "" = the house style's
    headline: str = ""  # an editor's headline for print; "" = the house style's
    responder_name: str = ""  # the responding author's name as printed; "" = the catalogue's
    # the published files are out of date (a correction) or must go (a retraction): the
    # next publishing run (or the command that did it) re-renders or removes them
    reprint: bool = False
    # the author round trip
    reminders_sent: int = 0
    next_reminder_at: datetime | None = None
    # the letter's shingle hashes (packed uint32), for form-letter campaign checks
    fingerprint: bytes = Field(
        default=b"", sa_column=Column(LargeBinary, nullable=False, default=b"")
    )


class CampaignKeyRow(SQLModel, table=True):
    """A letter's campaign sketch: its smallest shingle hashes, to find copies by index."""

    __tablename__ = "campaign_key"
    key: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    letter_id: int = Field(primary_key=True, foreign_key="letter.id")


class EditRow(SQLModel, table=True):
    """An editor's change to a letter or response text; the original is never overwritten."""

    __tablename__ = "edit"
    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", index=True)
    field: str  # "letter" or "response"
    text: str = Field(sa_column=Column(Text, nullable=False))
    actor: str
    note: str = ""
    at: datetime


class DigestRow(SQLModel, table=True):
    """One row per digest period: the primary key makes "at most once per period" hold
    across restarts and between workers."""

    __tablename__ = "digest"
    period: str = Field(primary_key=True)  # the cron slot in the desk's time zone, or manual:…
    sent_at: datetime  # when the digest went into the outbox
    recipients: str = ""  # comma-separated editors


class DeskSecretRow(SQLModel, table=True):
    """Secrets intake generated for itself, e.g. the key that signs editors' command tokens."""

    __tablename__ = "desk_secret"
    name: str = Field(primary_key=True)
    value: str
    created_at: datetime


class CommandUseRow(SQLModel, table=True):
    """A command line carried out from one signed reply address: a replay is refused."""

    __tablename__ = "command_use"
    key: str = Field(primary_key=True)  # sha256 of the token and the command as understood
    raw_id: int  # the message that carried it out
    at: datetime


class JobStatusRow(SQLModel, table=True):
    """The worker's jobs as last seen (``tick``, ``catalogue``, ``digest``, …): one row per
    job, written after every run, read by ``intake status`` and the health endpoint."""

    __tablename__ = "job_status"
    job: str = Field(primary_key=True)
    worker: str = ""  # the worker id of the last run
    started_at: datetime | None = None  # the last run's start
    finished_at: datetime | None = None  # the last run's end
    ok_at: datetime | None = None  # the end of the last run that succeeded
    duration_seconds: float = 0.0  # of the last run
    ok: bool = True  # the last run succeeded
    error: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    error_kind: str = ""  # a rounds.ErrorKind: auth, unavailable, internal
    error_at: datetime | None = None
    failing_since: datetime | None = None  # the first failed run since the last success
    runs: int = 0
    errors: str = "{}"  # errors so far by kind, JSON: {"auth": 3}


class OutboundRow(SQLModel, table=True):
    """The outbox: composed mail waiting to be sent, and its fate."""

    __tablename__ = "outbound"
    __table_args__ = (
        UniqueConstraint("letter_id", "purpose", name="uq_outbound_purpose"),
        Index("ix_outbound_due", "status", "next_attempt_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    letter_id: int | None = Field(default=None, foreign_key="letter.id")
    purpose: str  # author_request, …
    sender: str
    recipients: str  # comma-separated
    message_id: str = Field(unique=True)
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    status: str = OutboxStatus.pending.value  # an OutboxStatus, stored as its string
    attempts: int = 0
    next_attempt_at: datetime
    lease_until: datetime | None = None
    claimed_by: str = ""  # worker id of the sender holding the lease
    last_error: str = ""
    created_at: datetime
    sent_at: datetime | None = None


class ReplyKeyRow(SQLModel, table=True):
    __tablename__ = "reply_key"
    key: str = Field(primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", index=True)
    address: str  # who may answer with this key
    purpose: str
    created_at: datetime
    expires_at: datetime


class ResponseRow(SQLModel, table=True):
    __tablename__ = "response"
    id: int | None = Field(default=None, primary_key=True)
    letter_id: int = Field(foreign_key="letter.id", index=True)
    raw_id: int = Field(unique=True, foreign_key="raw_message.id")
    author_email: str
    text: str = Field(sa_column=Column(Text, nullable=False))
    cut: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime


class AuditRow(SQLModel, table=True):
    """Append-only: every state change and every notable decision."""

    __tablename__ = "audit"
    id: int | None = Field(default=None, primary_key=True)
    letter_id: int | None = Field(default=None, index=True)
    raw_id: int | None = None
    event: str
    source_state: str = ""
    target_state: str = ""
    actor: str = "intake"
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    at: datetime


class WebLinkRow(SQLModel, table=True):
    """A sign-in link mailed to an editor: kept as its hash, good once, until it expires."""

    __tablename__ = "web_link"
    token_hash: str = Field(primary_key=True)  # sha256 of the link's token
    editor: str = Field(index=True)
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


class WebSessionRow(SQLModel, table=True):
    """A signed-in browser: the cookie's hash, whose it is, its CSRF token, when it ends."""

    __tablename__ = "web_session"
    token_hash: str = Field(primary_key=True)  # sha256 of the cookie's token
    editor: str
    csrf: str
    created_at: datetime
    expires_at: datetime
    ended_at: datetime | None = None  # signed out
