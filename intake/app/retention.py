"""Retention: raw mail is kept only as long as ``[retention]`` says, and never the mail
anyone still waits on.

What goes is a stored message's body and attachments: its bytes (``raw_body.raw``) keep
its header block, and ``pruned_at`` says when the rest went.  What stays is everything
else: the headers, the sha256 and size as received, the claim on the Message-ID
(its content digest worked out first, so a late second delivery is still known),
the letter's and the response's texts, edits, the audit trail (one more row per
message pruned).

Which mail goes, at ``now``:

- mail tied to a letter (the letter itself, its author's reply, a bounce or
  auto-reply noted on it) once the letter is ``published`` and was published
  ``retention.published_letters`` ago: a letter under review, on hold, ready,
  approved, rejected or retracted keeps its mail;
- mail tied to no letter and that is no letter (spam, newsletters, bounces,
  auto-replies, other mail, duplicates, editors' commands)
  ``retention.other_mail`` after it was handled;
- never mail still waiting on someone: unhandled (``stored``), ``held`` or
  ``quarantined``.

The work goes in batches, each its own unit of work in which every candidate is
checked again (a letter retracted meanwhile keeps its mail).  Only the first
64 KiB of a message are read to find its headers, so a 27 MB attachment is never
loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, func, or_
from sqlmodel import col, select, update

from intake.adapters.store import (
    AuditRow,
    LetterRow,
    MessageKeyRow,
    RawBodyRow,
    RawMessageRow,
    Store,
    raw_bytes,
)
from intake.app.deps import Deps
from intake.app.work import Work, begin
from intake.domain.errors import MessageError
from intake.domain.lifecycle import Event, LetterState
from intake.domain.model import Category
from intake.domain.statuses import RawStatus
from intake.mail.parse import content_digest, parse_message

# handled and decided: nothing in these waits for anyone
PRUNABLE = (RawStatus.processed, RawStatus.duplicate, RawStatus.dismissed)
HEADERS_READ = 64 * 1024  # the most of a message read to find where its headers end
BATCH = 200


@dataclass
class PruneReport:
    """What a prune dropped (or, dry, would drop)."""

    dry_run: bool = False
    other: int = 0  # messages tied to no letter
    of_letters: int = 0  # messages of published letters
    letters: set[int] = field(default_factory=set)
    bytes: int = 0  # bytes of bodies and attachments dropped

    def summary(self) -> str:
        verb = "would drop" if self.dry_run else "dropped"
        total = self.other + self.of_letters
        return (f"{verb} the raw mail of {total:,} messages ({self.bytes / 2**20:.1f} MiB): "
                f"{self.other:,} that are no letters, {self.of_letters:,} of "
                f"{len(self.letters):,} published letters")  # fmt: skip


@dataclass(frozen=True)
class Due:
    raw_id: int
    letter_id: int | None
    size: int


def prune(deps: Deps, *, dry_run: bool = False) -> PruneReport:
    """Drop the raw mail ``[retention]`` no longer keeps (see the module's doc)."""
    report = PruneReport(dry_run=dry_run)
    with begin(deps) as work:
        found = due(work)
        if dry_run:
            for item in found:
                _count(report, item, max(item.size - len(_head(work, item.raw_id)), 0))
            return report
    for start in range(0, len(found), BATCH):
        ids = [item.raw_id for item in found[start : start + BATCH]]
        with begin(deps) as work:
            for item in due(work, only=ids):
                _count(report, item, _prune_one(work, item))
    return report


def _count(report: PruneReport, item: Due, freed: int) -> None:
    report.bytes += freed
    if item.letter_id is None:
        report.other += 1
    else:
        report.of_letters += 1
        report.letters.add(item.letter_id)


def due(work: Work, only: Sequence[int] | None = None) -> list[Due]:
    """The messages whose raw mail may go now (of *only*, when given), oldest first."""
    retention, s, now = work.deps.policy.retention, work.session, work.now
    size = (
        select(func.length(RawBodyRow.raw))
        .where(col(RawBodyRow.raw_id) == RawMessageRow.id)
        .scalar_subquery()
    )
    waiting_on_no_one = and_(
        col(RawMessageRow.pruned_at).is_(None),
        col(RawMessageRow.status).in_([status.value for status in PRUNABLE]),
        *([col(RawMessageRow.id).in_(only)] if only is not None else []),
    )
    found: list[Due] = []
    tied = or_(
        col(LetterRow.id) == RawMessageRow.letter_id, col(LetterRow.raw_id) == RawMessageRow.id
    )
    if retention.published_letters is not None:
        published = (
            select(AuditRow.letter_id, func.max(AuditRow.at).label("at"))
            .where(AuditRow.event == Event.published.value)
            .group_by(col(AuditRow.letter_id))
            .subquery()
        )
        of_letters = s.exec(
            select(RawMessageRow.id, LetterRow.id, size)
            .join(LetterRow, tied)
            .join(published, published.c.letter_id == LetterRow.id)
            .where(
                waiting_on_no_one,
                col(LetterRow.state) == LetterState.published.value,
                published.c.at <= now - retention.published_letters,
            )
        ).all()
        found += [Due(r, letter, n or 0) for r, letter, n in of_letters if r is not None]
    if retention.other_mail is not None:
        is_a_letters = exists().where(col(LetterRow.raw_id) == RawMessageRow.id)
        others = s.exec(
            select(RawMessageRow.id, size).where(
                waiting_on_no_one,
                col(RawMessageRow.letter_id).is_(None),
                ~is_a_letters,
                RawMessageRow.category != Category.letter.value,
                func.coalesce(RawMessageRow.processed_at, RawMessageRow.fetched_at)
                <= now - retention.other_mail,
            )
        ).all()
        found += [Due(r, None, n or 0) for r, n in others if r is not None]
    unique = {item.raw_id: item for item in found}
    return [unique[raw_id] for raw_id in sorted(unique)]


def header_block(start: bytes) -> bytes:
    """The header block at the start of a message (up to the blank line that ends it;
    from a message whose headers run past what was read, up to its last whole line)."""
    ends = [i for i in (start.find(b"\r\n\r\n"), start.find(b"\n\n")) if i >= 0]
    if ends:
        end = min(ends)
        return start[: end + (4 if start.startswith(b"\r\n\r\n", end) else 2)]
    last = start.rfind(b"\n")
    return start[: last + 1] if last >= 0 else b""


def _head(work: Work, raw_id: int) -> bytes:
    """The header block of a stored message, reading no more than its start."""
    start = work.session.exec(
        select(func.substr(RawBodyRow.raw, 1, HEADERS_READ)).where(RawBodyRow.raw_id == raw_id)
    ).one()
    return header_block(bytes(start or b""))


def _prune_one(work: Work, item: Due) -> int:
    """Cut one message to its headers; return the bytes dropped."""
    s, now = work.session, work.now
    head = _head(work, item.raw_id)
    _keep_the_claims_content(work, item.raw_id)
    s.exec(
        update(RawBodyRow)
        .where(col(RawBodyRow.raw_id) == item.raw_id)
        .values(raw=head)
        .execution_options(synchronize_session=False)
    )
    s.exec(
        update(RawMessageRow)
        .where(col(RawMessageRow.id) == item.raw_id)
        .values(pruned_at=now)
        .execution_options(synchronize_session=False)
    )
    freed = max(item.size - len(head), 0)
    rule = "other_mail_days" if item.letter_id is None else "published_letter_days"
    Store.note(s, at=now, event="raw_pruned", letter_id=item.letter_id, raw_id=item.raw_id,
               note=f"body and attachments of message {item.raw_id} dropped ({freed} bytes; "
                    f"retention.{rule}); its headers and sha256 are kept")  # fmt: skip
    return freed


def _keep_the_claims_content(work: Work, raw_id: int) -> None:
    """A claim made before claims recorded their content digest learns it now, while
    the whole message is still there (it tells a resend from a reuse of the Message-ID)."""
    s = work.session
    claims = s.exec(
        select(MessageKeyRow).where(MessageKeyRow.raw_id == raw_id, MessageKeyRow.content == "")
    ).all()
    if not claims:
        return
    try:
        digest = content_digest(parse_message(raw_bytes(s, raw_id)))
    except MessageError:
        digest = ""
    for claim in claims:
        claim.content = digest
        s.add(claim)
    s.flush()
