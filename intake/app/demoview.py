"""What ``intake demo`` shows of the desk between its steps; reads only.

The stored messages with what became of them, the author requests in the
outbox with the article each asks about (the demo plays the authors
answering them), and how many letters stand in each state.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.parser import BytesHeaderParser
from email.policy import default as default_policy

from sqlmodel import col, select

from intake.adapters.store import ArticleRow, LetterRow, OutboundRow, RawBodyRow, RawMessageRow
from intake.app.deps import Deps


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredMessage:
    """A fetched message as the demo lists it."""

    raw_id: int
    subject: str
    category: str
    status: str


@dataclass(frozen=True, slots=True, kw_only=True)
class QueuedMail:
    """A message in the outbox, with the URL of the article its letter answers ("" if none)."""

    letter_id: int | None
    recipients: str
    message_id: str
    raw: bytes
    article_url: str


def stored_messages(deps: Deps) -> list[StoredMessage]:
    """Every stored message, oldest first: its subject, category and status."""
    parser = BytesHeaderParser(policy=default_policy)
    with deps.store.session() as s:
        rows = s.exec(
            select(RawMessageRow, RawBodyRow.raw)
            .join(RawBodyRow, col(RawBodyRow.raw_id) == RawMessageRow.id)
            .order_by(col(RawMessageRow.id))
        ).all()
        return [
            StoredMessage(
                raw_id=r.id or 0,
                subject=str(parser.parsebytes(raw).get("Subject", "")),
                category=r.category,
                status=r.status,
            )
            for r, raw in rows
        ]


def queued_mail(deps: Deps) -> list[QueuedMail]:
    """Everything in the outbox, oldest first, with its letter's article."""
    with deps.store.session() as s:
        found: list[QueuedMail] = []
        for out in s.exec(select(OutboundRow).order_by(col(OutboundRow.id))).all():
            letter = s.get(LetterRow, out.letter_id) if out.letter_id is not None else None
            article = s.get(ArticleRow, letter.article_id) if letter and letter.article_id else None
            found.append(
                QueuedMail(
                    letter_id=out.letter_id,
                    recipients=out.recipients,
                    message_id=out.message_id,
                    raw=out.raw,
                    article_url=article.url if article else "",
                )
            )
        return found


def letters_by_state(deps: Deps) -> dict[str, int]:
    """How many letters stand in each state."""
    return deps.store.counts_by_state()
