"""Mail of ours that could not be delivered: mark it failed, tell the editors.

A bounce (read by :mod:`intake.mail.bounces`) that carries one of our
Message-IDs marks that outbound mail failed; a failed author request sends
its letter back to ``needs_review``, and the editors get a short notice they
can answer with commands.  A delay report is only noted.  Runs inside the
inbound transaction.
"""

from __future__ import annotations

from sqlmodel import col, select

from intake.adapters.store import LetterRow, OutboundRow, RawMessageRow, Store, raw_bytes
from intake.app import emailcommands
from intake.app.outmail import DeskMail, queue_mail
from intake.app.work import Work
from intake.domain.lifecycle import Event, LetterState, advance
from intake.domain.statuses import OutboxStatus
from intake.mail.bounces import BounceDetails, read_bounce


def take_bounce(work: Work, row: RawMessageRow) -> None:
    """A bounce of one of our own mails marks it failed and tells the editors.

    The failed recipients and their status (:mod:`intake.mail.bounces`) go into
    the raw message's note and the audit trail.  A report that the server is
    still trying (a delay) is only noted: the mail may yet arrive.
    """
    deps, s, now = work.deps, work.session, work.now
    details = read_bounce(raw_bytes(s, row.id or 0), (deps.policy.domain,))
    row.note = f"bounce: {details.describe()}"[:500]
    for found in details.our_message_ids:
        out = s.exec(select(OutboundRow).where(col(OutboundRow.message_id) == found)).first()
        if out is None or out.letter_id is None:
            continue
        row.letter_id = out.letter_id
        what = f"{out.purpose} to {out.recipients}"
        if details.temporary:
            Store.note(s, at=now, event="delivery_delayed", letter_id=out.letter_id, raw_id=row.id,
                       note=f"{what} delayed: {details.describe()}")  # fmt: skip
            continue
        out.status = OutboxStatus.failed
        out.last_error = f"bounced (raw message {row.id}): {details.describe()}"[:500]
        Store.note(s, at=now, event="bounced", letter_id=out.letter_id, raw_id=row.id,
                   note=f"{what} bounced: {details.describe()}")  # fmt: skip
        letter = s.get(LetterRow, out.letter_id)
        if letter is not None and letter.state == LetterState.awaiting_author.value:
            Store.apply(s, advance(out.letter_id, LetterState.awaiting_author, Event.request_failed,
                                   at=now, note=f"request to {out.recipients} bounced: "
                                   f"{details.describe()}"))  # fmt: skip
        # A notice that bounces is not worth a notice: that way lies a loop.
        if letter is not None and not out.purpose.startswith("notice_"):
            _notify_editors_of_bounce(work, row, out, letter, details)


def _notify_editors_of_bounce(work: Work, row: RawMessageRow, out: OutboundRow,
                              letter: LetterRow, details: BounceDetails) -> None:  # fmt: skip
    """Queue a short notice to every editor; without editors the audit row is the record."""
    deps, s, now = work.deps, work.session, work.now
    policy = deps.policy
    if not policy.editors or letter.id is None:
        return
    purpose = f"notice_bounce_{row.id}"
    # editors may answer a notice with commands ("assign 12 https://…"), as they answer the digest
    reply_to = emailcommands.reply_address(deps, emailcommands.signing_key_in(work), "notice", now)
    text, html = deps.renderer.mail(
        "editor_notice",
        headline=f"Our {out.purpose.replace('_', ' ')} to {out.recipients} bounced.",
        details=[r.describe() for r in details.recipients] or [details.describe()],
        action="The letter is back in the review queue: find another address for the "
        "author, or decide on the letter without a response.",
        letter_ref=f"L-{letter.id}",
        subject=letter.subject,
        writer=letter.writer_name or letter.writer_email,
        publication=policy.publication,
    )
    queue_mail(
        work,
        DeskMail(
            purpose=purpose,
            tag=purpose,
            letter_id=letter.id,
            to=[("", editor) for editor in policy.editors],
            reply_to=reply_to,
            subject=f"Bounced: {out.purpose.replace('_', ' ')} for letter L-{letter.id}",
            text=text,
            html=html,
        ),
    )
    Store.note(s, at=now, event="editors_notified", letter_id=letter.id, raw_id=row.id,
               note=f"bounce notice queued for {', '.join(policy.editors)}")  # fmt: skip
