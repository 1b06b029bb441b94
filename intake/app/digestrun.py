"""The digest use case: gather the queue, build the digest, put it in the outbox, once per slot.

A slot is the latest time the ``[digest] cron`` schedule fired, in the desk's
time zone.  ``DigestRow(period)`` is written in the same transaction as the
outbound mail, so the digest for a slot is queued at most once — across
restarts, and between two workers (the primary key decides).  A worker that
was down at the slot sends the missed digest when it starts.  The view
itself is built by the pure :mod:`intake.app.digest`.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from intake.adapters.store import (
    ArticleRow,
    AuthorRow,
    DigestRow,
    EditRow,
    LetterRow,
    RawBodyRow,
    RawMessageRow,
    aware,
)
from intake.app.deps import Deps
from intake.app.digest import DigestInput, DigestView, HeldFacts, LetterFacts, build_digest
from intake.app.emailcommands import ensure_signing_key, reply_address
from intake.app.outbound import send_outbox
from intake.app.outmail import DeskMail, queue_mail
from intake.app.work import Work, begin, carry_out
from intake.config.crontab import cron_trigger
from intake.domain.statuses import RawStatus

log = logging.getLogger(__name__)

_EXCERPT_SOURCE_CHARS = 600  # the digest shows ~180; no need to read whole letters
_LOOKBACK = (timedelta(hours=1), timedelta(days=1), timedelta(days=8), timedelta(days=32),
             timedelta(days=367))  # fmt: skip


def current_slot(cron: str, timezone: str, now: datetime) -> datetime | None:
    """Return the latest time *cron* fired at or before *now*, or None if it never did in a year."""
    trigger = cron_trigger(cron, timezone)
    for back in _LOOKBACK:
        fired = trigger.get_next_fire_time(None, now - back)
        if fired is None or fired > now:
            continue
        while True:
            after = trigger.get_next_fire_time(fired, fired + timedelta(seconds=1))
            if after is None or after > now:
                return fired  # type: ignore[no-any-return]
            fired = after
    return None


def period_of(slot: datetime, timezone: str) -> str:
    """The DigestRow key of a slot: its local time, to the minute."""
    return slot.astimezone(ZoneInfo(timezone)).isoformat(timespec="minutes")


def _urls(candidates_json: str) -> tuple[str, ...]:
    if candidates_json in ("", "[]"):
        return ()
    value = json.loads(candidates_json)
    if not isinstance(value, list):
        return ()
    return tuple(str(c["url"]) for c in value if isinstance(c, dict) and c.get("url"))


def _strings(findings_json: str) -> tuple[str, ...]:
    if findings_json in ("", "[]"):
        return ()
    value = json.loads(findings_json)
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def gather_letters(s: Session) -> list[LetterFacts]:
    """Every letter as the digest needs it, in a few queries whatever the queue's size."""
    edited: dict[int, str] = {}
    for letter_id, text in s.exec(
        select(EditRow.letter_id, EditRow.text)
        .where(EditRow.field == "letter")
        .order_by(col(EditRow.id))
    ).all():
        edited[letter_id] = text[:_EXCERPT_SOURCE_CHARS]
    # one flat row per letter; past four columns sqlmodel's select() has no typed overload
    columns: list[Any] = [
        LetterRow.id, LetterRow.state, LetterRow.writer_name, LetterRow.writer_email,
        LetterRow.subject, func.substr(LetterRow.body, 1, _EXCERPT_SOURCE_CHARS),
        LetterRow.received_at, LetterRow.deadline_at, LetterRow.candidates, LetterRow.findings,
        LetterRow.campaign_id, ArticleRow.title, ArticleRow.url, AuthorRow.email,
        RawMessageRow.fetched_at,
    ]  # fmt: skip
    rows = s.exec(
        select(*columns)
        .join(RawMessageRow, col(RawMessageRow.id) == col(LetterRow.raw_id))
        .outerjoin(ArticleRow, col(ArticleRow.id) == col(LetterRow.article_id))
        .outerjoin(AuthorRow, col(AuthorRow.id) == col(ArticleRow.author_id))
        .order_by(col(LetterRow.id))
    ).all()  # fmt: skip
    facts: list[LetterFacts] = []
    for (lid, state, name, email, subject, body, received, deadline, candidates, findings,
         campaign, title, url, author_email, fetched) in rows:  # fmt: skip
        assert lid is not None
        facts.append(
            LetterFacts(
                id=lid,
                state=state,
                writer=name or email,
                subject=subject,
                text=edited.get(lid, body or ""),
                received_at=aware(received) or received,
                deadline_at=aware(deadline),
                article_title=title or "",
                article_url=url or "",
                author_email=author_email or "",
                candidates=_urls(candidates),
                findings=_strings(findings),
                campaign_id=campaign,
                arrived_at=aware(fetched),
            )
        )
    return facts


def gather_held(s: Session) -> tuple[list[HeldFacts], int]:
    """Held replies (with sender and subject from their headers) and the quarantined count."""
    parser = BytesHeaderParser(policy=default_policy)
    held: list[HeldFacts] = []
    for row, raw in s.exec(
        select(RawMessageRow, RawBodyRow.raw)
        .join(RawBodyRow, col(RawBodyRow.raw_id) == RawMessageRow.id)
        .where(RawMessageRow.status == RawStatus.held)
        .order_by(col(RawMessageRow.id))
    ).all():
        assert row.id is not None
        head = parser.parsebytes(raw)
        held.append(
            HeldFacts(
                raw_id=row.id,
                sender=str(head.get("From", "")),
                subject=str(head.get("Subject", "")),
                note=row.note,
                letter_id=row.letter_id,
                fetched_at=aware(row.fetched_at) or row.fetched_at,
            )
        )
    quarantined = s.exec(
        select(func.count())
        .select_from(RawMessageRow)
        .where(RawMessageRow.status == RawStatus.quarantined)
    ).one()
    return held, int(quarantined)


def build_for(work: Work, reply_to: str) -> DigestView:
    """Build the digest from the database as it is now."""
    deps, s, now = work.deps, work.session, work.now
    since = aware(s.exec(select(func.max(DigestRow.sent_at))).one())
    held, quarantined = gather_held(s)
    return build_digest(
        DigestInput(
            publication=deps.policy.publication,
            now=now,
            timezone=deps.policy.timezone,
            since=since,
            letters=gather_letters(s),
            held=held,
            quarantined=quarantined,
            reply_address=reply_to,
            valid_days=deps.policy.command_token_valid.days,
            web_url=deps.policy.web_url,
        )
    )


def render(deps: Deps, view: DigestView) -> tuple[str, str]:
    """The (text, html) bodies of a digest."""
    return (
        deps.renderer.as_written("mail/digest.txt", d=view),
        deps.renderer.as_written("mail/digest.html", d=view),
    )


def preview(deps: Deps) -> str:
    """The text digest as it would go out now (``intake digest --print``); sends nothing."""
    reply_to = "letters+c-preview@" + deps.policy.domain
    return render(deps, carry_out(deps, lambda work: build_for(work, reply_to)))[0]


def queue_digest(deps: Deps, period: str) -> int | None:
    """Put the digest for *period* into the outbox, one message per editor.

    Returns how many were queued, or None when *period* already had its digest.
    """
    editors = deps.policy.editors
    if not editors:
        log.info("digest: no editors configured, nothing to send")
        return 0
    key = ensure_signing_key(deps)
    try:
        with begin(deps) as work:
            s, now = work.session, work.now
            if s.get(DigestRow, period) is not None:
                return None
            view = build_for(work, reply_address(deps, key, "digest", now))
            text, html = render(deps, view)
            s.add(DigestRow(period=period, sent_at=now, recipients=",".join(editors)))
            for editor in editors:
                queue_mail(
                    work,
                    DeskMail(
                        purpose="digest",
                        tag="digest",
                        letter_id=None,
                        to=[("", editor)],
                        reply_to=view.reply_address,
                        subject=view.subject,
                        text=text,
                        html=html,
                    ),
                )
    except IntegrityError:
        return None  # another worker queued this period's digest first
    log.info("digest %s queued for %s", period, ", ".join(editors))
    return len(editors)


def send_due_digest(deps: Deps, cron: str) -> str:
    """The scheduler's job: queue the current slot's digest unless it went out, then send."""
    slot = current_slot(cron, deps.policy.timezone, deps.clock.now())
    if slot is None:
        return "no slot yet"
    period = period_of(slot, deps.policy.timezone)
    queued = queue_digest(deps, period)
    if queued is None:
        return f"digest {period}: already sent"
    return f"digest {period}: queued={queued} {send_outbox(deps).summary()}"


def send_digest_now(deps: Deps) -> str:
    """``intake digest --now``: one digest right away, whatever the schedule."""
    now = deps.clock.now()
    period = f"manual:{now.isoformat(timespec='seconds')}"
    queued = queue_digest(deps, period)
    if queued is None:
        return f"digest {period}: already sent"
    return f"digest {period}: queued={queued} {send_outbox(deps).summary()}"
