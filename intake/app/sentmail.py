"""The desk's own mail to a letter's author or writer, read back to cut an answer to it.

intake wrote the request (and any reminder or acknowledgement) the answer
quotes; the reply path hands these to :func:`intake.mail.ourquote.extract_answer`
so the cut point is our own text.  Runs inside the caller's session.
"""

from __future__ import annotations

from sqlmodel import Session, select

from intake.adapters.store import OutboundRow
from intake.domain.errors import UnparseableMessage
from intake.mail.ourquote import SentMail
from intake.mail.parse import parse_message

# outbox purposes of the mail a person answers: the request, its reminders, the acknowledgement
_ANSWERED = ("author_request", "reminder_", "writer_ack")


def sent_for(s: Session, letter_id: int) -> tuple[SentMail, ...]:
    """Return what we sent about *letter_id* that its author or writer may be answering."""
    rows = s.exec(
        select(OutboundRow).where(OutboundRow.letter_id == letter_id).order_by(OutboundRow.id)  # type: ignore[arg-type]
    ).all()
    sent = []
    for row in rows:
        if not row.purpose.startswith(_ANSWERED):
            continue
        try:
            sent.append(SentMail.of(parse_message(row.raw)))
        except UnparseableMessage:  # our own mail always parses; never fail a reply on it
            continue
    return tuple(sent)
