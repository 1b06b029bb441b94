"""Acknowledging a letter to its writer, and asking for missing details.

Optional (``[writers] acknowledge``).  Loop-safe by construction (ANCHORS
§0.3): sent only for mail classified as a letter, never to automatic, bulk
or list mail (:func:`intake.sorting.loopguard.never_answer`), never to an
address our own server's Authentication-Results say failed DKIM or DMARC
(a forged From would make the desk mail whoever it names), at most once per
address per day, marked ``Auto-Submitted: auto-replied`` (RFC 3834 §5),
threaded under the letter.  When the letters
policy requires details the letter lacks, the acknowledgement asks for them
under a reply key, and the writer's answer is matched like an author's.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from intake.adapters.store import LetterRow, OutboundRow, ReplyKeyRow
from intake.app.outmail import DeskMail, queue_mail
from intake.app.work import Work
from intake.domain import keys
from intake.domain.model import ParsedMail
from intake.domain.subjects import strip_prefixes
from intake.mail import authresults
from intake.printing.writerdetails import LABELS, WriterDetails, missing_details
from intake.sorting.loopguard import never_answer

ACK = "writer_ack"


def details_of(letter: LetterRow) -> WriterDetails:
    return WriterDetails(full_name=letter.writer_name, town=letter.writer_town,
                         phone=letter.writer_phone, street=letter.writer_street)  # fmt: skip


def acknowledge(work: Work, letter_id: int, mail: ParsedMail) -> bool:
    """Queue the acknowledgement for a new letter, when policy and limits allow."""
    deps, s, now = work.deps, work.session, work.now
    policy = deps.policy
    if not policy.acknowledge_writers or never_answer(mail, policy.desk_address):
        return False
    if authresults.failures(mail.trace, policy.authserv_id):
        return False  # the From may be forged: never mail an address that failed
    letter = s.get(LetterRow, letter_id)
    if letter is None or not letter.writer_email or letter.writer_email == policy.desk_address:
        return False
    recent = s.exec(
        select(OutboundRow.id).where(
            OutboundRow.purpose == ACK,
            OutboundRow.recipients == letter.writer_email,
            col(OutboundRow.created_at) > now - timedelta(days=1),
        )
    ).first()
    if recent is not None:
        return False  # one a day per address: no loops, no flooding
    missing = (
        missing_details(details_of(letter), policy.writer_details_required)
        if policy.ask_writer_details
        else ()
    )
    reply_to = policy.desk_address
    if missing:
        key = keys.mint_key()
        s.add(ReplyKeyRow(key=key, letter_id=letter_id, address=letter.writer_email,
                          purpose="writer_details", created_at=now,
                          expires_at=now + policy.key_validity))  # fmt: skip
        reply_to = keys.plus_address(policy.desk_address, key)
    text, html = deps.renderer.mail(
        "writer_ack",
        publication=policy.publication,
        writer_name=letter.writer_name,
        subject=strip_prefixes(letter.subject),
        missing=[LABELS[m] for m in missing],
        letter_ref=f"L-{letter_id}",
    )
    real_id = "" if letter.message_id.endswith("intake.invalid") else letter.message_id
    subject = strip_prefixes(letter.subject) or f"Your letter to {policy.publication}"
    queue_mail(
        work,
        DeskMail(
            purpose=ACK,
            tag="ack",
            letter_id=letter_id,
            to=[(letter.writer_name, letter.writer_email)],
            reply_to=reply_to,
            subject=f"Re: {subject}",
            text=text,
            html=html,
            in_reply_to=real_id,
            references=(real_id,) if real_id else (),
            auto_submitted="auto-replied",
        ),
    )
    return True
