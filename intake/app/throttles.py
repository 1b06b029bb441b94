"""Limits on what one sender can make the desk do: author requests per writer and per author.

A flood of letters must not become a flood of mail to an author.  Before a
letter's author is asked, :func:`request_limit` checks two limits:

- one writer, one article: at most ``authors.max_requests_per_writer_article``
  of a writer's letters about an article go to its author (default 1); the
  writer's further letters about it wait in ``needs_review``, each naming the
  first one asked in its reason and in a ``repeat`` finding, so the editors
  see them together;
- one writer: at most ``authors.max_requests_per_writer_day`` of a writer's
  letters go to authors in 24 hours (default 5), whatever their articles;
- one author: at most ``authors.max_requests_per_author_day`` requests in
  24 hours (default 20); further letters wait in ``needs_review`` with the reason.

An editor who releases such a letter asks the author all the same: the
limits hold back the robot, not the desk.  Runs inside the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from intake.adapters.store import LetterRow, ReplyKeyRow, dumps, loads
from intake.app.work import Work
from intake.domain.model import Article

AUTHOR_REQUEST = "author_request"  # the reply-key purpose of a request to an author
DAY = timedelta(days=1)


def request_limit(work: Work, letter: LetterRow, article: Article) -> str:
    """Return why *letter*'s author must not be asked now, or ``""`` when they may be."""
    policy, s, now = work.deps.policy, work.session, work.now
    asked = _asked_letters(s, letter)
    if len(asked) >= policy.max_requests_per_writer_article:
        first = asked[0]
        # a finding too, so the queue and the digest show the group, not only the audit trail
        findings = loads(letter.findings)
        findings.append(f"repeat: the writer's letter L-{first} on this article went to its author")
        letter.findings = dumps(findings)
        return (
            f"letter {len(asked) + 1} from {letter.writer_email or '(no sender)'} about this "
            f"article: L-{first} already went to its author "
            f"(authors.max_requests_per_writer_article = "
            f"{policy.max_requests_per_writer_article}); grouped with L-{first} for an editor"
        )
    by_writer = _writer_requests_today(s, letter, now)
    if by_writer >= policy.max_requests_per_writer_day:
        return (
            f"{by_writer} of {letter.writer_email}'s letters went to authors in the last 24 "
            f"hours (authors.max_requests_per_writer_day = {policy.max_requests_per_writer_day}):"
            " this letter waits for an editor"
        )
    author = article.author_email.lower()
    today = s.exec(
        select(func.count()).where(
            ReplyKeyRow.purpose == AUTHOR_REQUEST,
            ReplyKeyRow.address == author,
            col(ReplyKeyRow.created_at) > now - DAY,
        )
    ).one()
    if int(today) >= policy.max_requests_per_author_day:
        return (
            f"{author} was asked {today} times in the last 24 hours "
            f"(authors.max_requests_per_author_day = {policy.max_requests_per_author_day}): "
            "this letter waits for an editor"
        )
    return ""


def _writer_requests_today(s: Session, letter: LetterRow, now: datetime) -> int:
    """How many author requests the writer's other letters caused in the last 24 hours."""
    if not letter.writer_email:
        return 0
    count = s.exec(
        select(func.count()).where(
            ReplyKeyRow.purpose == AUTHOR_REQUEST,
            col(ReplyKeyRow.created_at) > now - DAY,
            col(ReplyKeyRow.letter_id).in_(
                select(LetterRow.id).where(LetterRow.writer_email == letter.writer_email)
            ),
        )
    ).one()
    return int(count)


def _asked_letters(s: Session, letter: LetterRow) -> list[int]:
    """Ids of the writer's other letters about the same article whose author was asked."""
    if letter.article_id is None or not letter.writer_email:
        return []
    rows = s.exec(
        select(LetterRow.id)
        .where(
            LetterRow.writer_email == letter.writer_email,
            LetterRow.article_id == letter.article_id,
            LetterRow.id != letter.id,
            col(LetterRow.id).in_(
                select(ReplyKeyRow.letter_id).where(ReplyKeyRow.purpose == AUTHOR_REQUEST)
            ),
        )
        .order_by(col(LetterRow.id))
    ).all()
    return [r for r in rows if r is not None]
