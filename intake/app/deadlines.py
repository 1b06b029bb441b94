"""The author's clock: reminders before the deadline, "no response" at it.

Timers are queries, not sleeping jobs: each round looks for letters whose
reminder or deadline time has come, so a restart loses nothing and a test
needs only a clock it can move.  A reminder is sent only once the request
itself went out, threads under it (In-Reply-To/References), and carries the
same reply address.  At the deadline the letter becomes ``no_response`` and
shows up for the editors; a late reply is still matched.
"""

from __future__ import annotations

import email
import email.policy
import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from intake.adapters.store import (
    ArticleRow,
    AuthorRow,
    LetterRow,
    OutboundRow,
    ReplyKeyRow,
    Store,
    aware,
)
from intake.app.deps import Deps, Policy
from intake.app.outmail import DeskMail, queue_mail
from intake.app.work import Work, begin
from intake.domain import keys
from intake.domain.lifecycle import Event, LetterState, advance
from intake.domain.statuses import OutboxStatus

log = logging.getLogger(__name__)


@dataclass
class DeadlineReport:
    reminded: int = 0
    expired: int = 0

    def summary(self) -> str:
        return f"reminded={self.reminded} expired={self.expired}"


def first_reminder_at(policy: Policy, asked_at: datetime, deadline: datetime) -> datetime | None:
    """When to remind an author asked at *asked_at*, or ``None`` for never."""
    if policy.max_reminders < 1 or policy.reminder_after.total_seconds() <= 0:
        return None
    at = asked_at + policy.reminder_after
    return at if at < deadline else None


def remind_and_expire(deps: Deps) -> DeadlineReport:
    """Expire overdue letters, then queue the reminders that are due."""
    report = DeadlineReport()
    now = deps.clock.now()
    waiting = deps.store.letters([LetterState.awaiting_author.value])
    for letter in waiting:
        assert letter.id is not None
        deadline = aware(letter.deadline_at)
        if deadline is not None and deadline <= now:
            with begin(deps) as work:
                Store.apply(work.session, advance(letter.id, LetterState.awaiting_author,
                                                  Event.deadline_passed, at=work.now,
                                                  note=f"no response by {deadline:%Y-%m-%d %H:%M} UTC"))  # fmt: skip
            report.expired += 1
            continue
        due = aware(letter.next_reminder_at)
        if due is None or due > now or letter.reminders_sent >= deps.policy.max_reminders:
            continue
        with begin(deps) as work:
            if _queue_reminder(work, letter.id):
                report.reminded += 1
    return report


def _queue_reminder(work: Work, letter_id: int) -> bool:
    deps, s, now = work.deps, work.session, work.now
    policy = deps.policy
    letter = s.get(LetterRow, letter_id, with_for_update=True)
    if letter is None or letter.state != LetterState.awaiting_author.value:
        return False
    request = s.exec(
        select(OutboundRow).where(
            OutboundRow.letter_id == letter_id, OutboundRow.purpose == "author_request"
        )
    ).first()
    if request is None or request.status != OutboxStatus.sent:
        return False  # remind only about a request that actually went out
    key = s.exec(
        select(ReplyKeyRow)
        .where(ReplyKeyRow.letter_id == letter_id, ReplyKeyRow.purpose == "author_request")
        .order_by(col(ReplyKeyRow.created_at).desc())
    ).first()
    article = s.get(ArticleRow, letter.article_id) if letter.article_id else None
    author = s.get(AuthorRow, article.author_id) if article and article.author_id else None
    if key is None or article is None or author is None:
        return False
    n = letter.reminders_sent + 1
    deadline = aware(letter.deadline_at) or now
    reply_address = keys.plus_address(policy.desk_address, key.key)
    local_deadline = deadline.astimezone(ZoneInfo(policy.timezone))
    text, html = deps.renderer.mail(
        "reminder",
        publication=policy.publication,
        author_name=author.name,
        article_title=article.title,
        writer_name=letter.writer_name or letter.writer_email,
        deadline_on=f"{local_deadline.day} {local_deadline:%B %Y}",
        reply_address=reply_address,
        letter_ref=f"L-{letter_id}",
    )
    references = tuple(
        r for r in (letter.message_id, request.message_id) if not r.endswith("intake.invalid")
    )
    queue_mail(
        work,
        DeskMail(
            purpose=f"reminder_{n}",
            tag=f"rem{n}",
            letter_id=letter_id,
            to=[(author.name, author.email)],
            reply_to=reply_address,
            subject=f"Reminder: {_request_subject(request.raw)}",
            text=text,
            html=html,
            in_reply_to=request.message_id,
            references=references,
        ),
    )
    letter.reminders_sent = n
    later = now + policy.reminder_after
    letter.next_reminder_at = later if n < policy.max_reminders and later < deadline else None
    Store.note(s, at=now, event="reminder_queued", letter_id=letter_id,
               note=f"reminder {n} to {author.email}")  # fmt: skip
    return True


def _request_subject(raw: bytes) -> str:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    return str(msg.get("Subject", ""))
