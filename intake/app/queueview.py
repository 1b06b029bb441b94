"""The editors' view of the queue: letters with their article, response and trail.

Reads only; returns plain JSON-ready dicts so the command line can print a
table or ``--json`` from the same data.  :func:`queue_items` is the list
(filtered by state, article and age), :func:`show` one letter in full: the
text as received and as edited, the response and what was cut from it, the
article candidates, the policy findings and the whole audit trail.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from intake.adapters.store import (
    ArticleRow,
    AuditRow,
    AuthorRow,
    EditRow,
    LetterRow,
    RawMessageRow,
    ResponseRow,
    aware,
    loads,
)
from intake.app.deps import Deps
from intake.app.work import Work, begin
from intake.domain.errors import NotFound
from intake.domain.statuses import RawStatus
from intake.mail.links import normalise_url


def _iso(value: Any) -> str | None:
    value = aware(value)
    return value.isoformat() if value is not None else None


def _candidates(text: str) -> list[dict[str, Any]]:
    value = json.loads(text or "[]")
    return [c for c in value if isinstance(c, dict)] if isinstance(value, list) else []


def _trail(s: Session, letter_id: int | None) -> list[dict[str, Any]]:
    trail = s.exec(
        select(AuditRow).where(AuditRow.letter_id == letter_id).order_by(col(AuditRow.id))
    ).all()
    return [
        {
            "at": _iso(a.at),
            "event": a.event,
            "from": a.source_state,
            "to": a.target_state,
            "actor": a.actor,
            "note": a.note,
        }
        for a in trail
    ]


def _item(s: Session, letter: LetterRow, now: datetime | None) -> dict[str, Any]:
    article = s.get(ArticleRow, letter.article_id) if letter.article_id else None
    author = s.get(AuthorRow, article.author_id) if article and article.author_id else None
    response = s.exec(select(ResponseRow).where(ResponseRow.letter_id == letter.id)).first()
    received = aware(letter.received_at)
    return {
        "id": letter.id,
        "state": letter.state,
        "writer_name": letter.writer_name,
        "writer_email": letter.writer_email,
        "subject": letter.subject,
        "received_at": _iso(letter.received_at),
        "age_days": round((now - received).total_seconds() / 86400, 2)
        if now is not None and received is not None
        else None,
        "deadline_at": _iso(letter.deadline_at),
        "confidence": letter.confidence,
        "reasons": loads(letter.reasons),
        "findings": loads(letter.findings),
        "campaign_id": letter.campaign_id,
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
        "audit": _trail(s, letter.id),
    }


def queue_items(
    deps: Deps,
    states: list[str] | None = None,
    *,
    article: str | None = None,
    older_than: timedelta | None = None,
) -> list[dict[str, Any]]:
    """Return every letter (optionally only in *states*, about *article*, received more
    than *older_than* ago) with what an editor needs."""
    now = deps.clock.now()
    items: list[dict[str, Any]] = []
    with deps.store.session() as s:
        query = select(LetterRow).order_by(col(LetterRow.id))
        if states:
            query = query.where(col(LetterRow.state).in_(states))
        if older_than is not None:
            query = query.where(col(LetterRow.received_at) <= now - older_than)
        if article:
            wanted = normalise_url(article)
            ids = [a.id for a in s.exec(select(ArticleRow)).all() if normalise_url(a.url) == wanted]
            query = query.where(col(LetterRow.article_id).in_(ids))
        items.extend(_item(s, letter, now) for letter in s.exec(query).all())
    return items


def show(deps: Deps, letter_id: int) -> dict[str, Any]:
    """One letter in full, for ``intake show``."""
    with begin(deps) as work:
        return show_in(work, letter_id)


def show_in(work: Work, letter_id: int) -> dict[str, Any]:
    """:func:`show` inside the caller's transaction (``show 12`` by email sees the commands
    before it in the same message)."""
    from intake.app.desk import current_texts

    s = work.session
    letter = s.get(LetterRow, letter_id)
    if letter is None:
        raise NotFound(f"no letter {letter_id}")
    item = _item(s, letter, work.now)
    letter_text, response_text = current_texts(work, letter_id)
    edits = s.exec(
        select(EditRow).where(EditRow.letter_id == letter_id).order_by(col(EditRow.id))
    ).all()
    raw = s.get(RawMessageRow, letter.raw_id)
    item |= {
        "message_id": letter.message_id,
        "raw_id": letter.raw_id,
        "raw_size": raw.size if raw else None,
        "letter_text": letter_text,
        "letter_original": letter.body,
        "response_text": response_text,
        "candidates": _candidates(letter.candidates),
        "signature": loads(letter.signature),
        "writer_town": letter.writer_town,
        "dek": letter.dek,
        "headline": letter.headline,
        "responder_name": letter.responder_name,
        "edits": [
            {"at": _iso(e.at), "field": e.field, "actor": e.actor, "note": e.note} for e in edits
        ],
    }
    return item


def held_messages(deps: Deps) -> list[dict[str, Any]]:
    """Messages set aside for an editor: held replies and quarantined mail."""
    with deps.store.session() as s:
        rows = s.exec(
            select(RawMessageRow)
            .where(col(RawMessageRow.status).in_(RawStatus.set_aside()))
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
