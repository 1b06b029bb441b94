"""The editors' view of the queue: letters with their article, response and trail.

Reads only; returns plain JSON-ready dicts so the command line can print a
table or ``--json`` from the same data.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from intake.adapters.store import (
    ArticleRow,
    AuditRow,
    AuthorRow,
    LetterRow,
    RawMessageRow,
    ResponseRow,
    aware,
    loads,
)
from intake.deps import Deps


def _iso(value: Any) -> str | None:
    value = aware(value)
    return value.isoformat() if value is not None else None


def queue_items(deps: Deps, states: list[str] | None = None) -> list[dict[str, Any]]:
    """Return every letter (optionally only in *states*) with what an editor needs."""
    items: list[dict[str, Any]] = []
    with deps.store.session() as s:
        query = select(LetterRow).order_by(col(LetterRow.id))
        if states:
            query = query.where(col(LetterRow.state).in_(states))
        for letter in s.exec(query).all():
            article = s.get(ArticleRow, letter.article_id) if letter.article_id else None
            author = s.get(AuthorRow, article.author_id) if article and article.author_id else None
            response = s.exec(select(ResponseRow).where(ResponseRow.letter_id == letter.id)).first()
            trail = s.exec(
                select(AuditRow).where(AuditRow.letter_id == letter.id).order_by(col(AuditRow.id))
            ).all()
            items.append(
                {
                    "id": letter.id,
                    "state": letter.state,
                    "writer_name": letter.writer_name,
                    "writer_email": letter.writer_email,
                    "subject": letter.subject,
                    "received_at": _iso(letter.received_at),
                    "deadline_at": _iso(letter.deadline_at),
                    "confidence": letter.confidence,
                    "reasons": loads(letter.reasons),
                    "article": {
                        "url": article.url,
                        "title": article.title,
                        "author": author.name if author else "",
                        "author_email": author.email if author else "",
                        "match_reason": letter.match_reason,
                    }
                    if article
                    else None,
                    "response": {"text": response.text, "cut": response.cut} if response else None,
                    "audit": [
                        {
                            "at": _iso(a.at),
                            "event": a.event,
                            "from": a.source_state,
                            "to": a.target_state,
                            "actor": a.actor,
                            "note": a.note,
                        }
                        for a in trail
                    ],
                }
            )
    return items


def held_messages(deps: Deps) -> list[dict[str, Any]]:
    """Messages set aside for an editor: held replies and quarantined mail."""
    with deps.store.session() as s:
        rows = s.exec(
            select(RawMessageRow)
            .where(col(RawMessageRow.status).in_(("held", "quarantined")))
            .order_by(col(RawMessageRow.id))
        ).all()
        return [
            {
                "raw_id": r.id,
                "status": r.status,
                "category": r.category,
                "message_id": r.message_id,
                "note": r.note,
                "letter_id": r.letter_id,
                "fetched_at": _iso(r.fetched_at),
            }
            for r in rows
        ]
