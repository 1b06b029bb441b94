"""Queueing mail from the desk: composed once, stored in the outbox, sent later.

Every automatic message intake writes — author requests, reminders,
acknowledgements, notices, digests, command results — goes through
:func:`queue_mail`: the desk's From, our Message-ID shape, the loop-safe
headers of :mod:`intake.mail.compose` (which strips control characters from
every header value), and an ``OutboundRow`` in the caller's
transaction, so the mail exists exactly when the decision to send it does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from intake.adapters.store import OutboundRow
from intake.app.work import Work
from intake.domain import keys
from intake.mail.compose import Outgoing, compose, header_address, make_message_id, to_wire


@dataclass(frozen=True, slots=True, kw_only=True)
class DeskMail:
    """One message from the desk, before it is composed."""

    purpose: str  # the outbox purpose: "author_request", "reminder_1", "notice_bounce_12", …
    tag: str  # the purpose as our Message-ID carries it: "req", "rem1", "ack", …
    letter_id: int | None
    to: Sequence[tuple[str, str]]  # (display name, address), at least one
    reply_to: str
    subject: str
    text: str
    html: str = ""
    in_reply_to: str = ""
    references: Sequence[str] = ()
    auto_submitted: str = "auto-generated"


def queue_mail(work: Work, mail: DeskMail) -> str:
    """Compose *mail*, add it to the outbox in the unit of work, and return its Message-ID."""
    policy, s, now = work.deps.policy, work.session, work.now
    (first_name, first_address), *others = mail.to
    message_id = make_message_id(mail.tag, mail.letter_id or 0, keys.mint_key()[:12], policy.domain)
    msg = compose(
        Outgoing(
            from_name=f"{policy.publication} Letters",
            from_address=policy.from_address,
            to_name=first_name,
            to_address=first_address,
            reply_to=mail.reply_to,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
            message_id=message_id,
            in_reply_to=mail.in_reply_to,
            references=tuple(mail.references),
            letter_ref=f"L-{mail.letter_id}" if mail.letter_id else "",
            auto_submitted=mail.auto_submitted,
        ),
        now=now,
    )
    # the envelope and a list of recipients: the same clean addresses the To header holds
    addresses = [header_address(address) for _, address in mail.to]
    if others:
        del msg["To"]
        msg["To"] = ", ".join(addresses)
    s.add(
        OutboundRow(
            letter_id=mail.letter_id,
            purpose=mail.purpose,
            sender=policy.from_address,
            recipients=",".join(addresses),
            message_id=message_id,
            raw=to_wire(msg),
            next_attempt_at=now,
            created_at=now,
        )
    )
    return message_id
