"""Replies to our mail: find the letter, check the sender, act on what was said.

Two kinds of reply come back to ``letters+KEY@…``: an author answering our
request, and a writer answering our question about their details.  A
reply is accepted only when it carries a secret of ours — the reply key in
a recipient address, or one of our Message-IDs in In-Reply-To/References —
only from the address we wrote to (or an alias configured for that author),
and only when our own server's Authentication-Results show no DMARC/DKIM
failure.  The ``[L-12]`` tag in the subject is no secret (letter numbers
are sequential): a reply found by it alone is held on its letter for an
editor.  Anything else — another sender, an unknown, malformed or expired
key, a failed check, a second reply — is held for the editors, never
dropped.  Runs inside the caller's transaction.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from intake.adapters.store import (
    LetterRow,
    OutboundRow,
    RawMessageRow,
    ReplyKeyRow,
    ResponseRow,
    Store,
    aware,
)
from intake.app.deps import Policy
from intake.app.sentmail import sent_for
from intake.app.work import Work
from intake.domain import keys
from intake.domain.lifecycle import Event, LetterState, advance
from intake.domain.model import ParsedMail, Verdict
from intake.domain.statuses import RawStatus
from intake.domain.subjects import find_letter_tag
from intake.mail import authresults
from intake.mail.ourquote import extract_answer
from intake.printing.writerdetails import WriterDetails, has_full_name, parse_details
from intake.sorting.loopguard import auto_reply_wording

log = logging.getLogger(__name__)

CUT_WARNING = 0.7  # more than this share cut: an editor should look at what was cut
AUTHOR = "author_request"
WRITER = "writer_details"


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """What a reply answers: a letter, who may answer, and why if nothing."""

    letter_id: int | None
    purpose: str = AUTHOR
    allowed: frozenset[str] = frozenset()
    problem: str = ""


def find_target(s: Session, mail: ParsedMail, verdict: Verdict, policy: Policy,
                now: datetime) -> Target:  # fmt: skip
    """Return the letter *mail* answers: by key, then by thread.

    A subject tag alone names a letter but with a ``problem``: the reply is
    held on that letter for an editor, never accepted.
    """
    found = keys.keys_in(mail.recipients(), policy.desk_address)
    if verdict.reply_key and verdict.reply_key not in found:
        found = (verdict.reply_key, *found)
    for key in found:
        krow = s.get(ReplyKeyRow, key) if keys.is_well_formed(key) else None
        if krow is None:
            continue
        if (aware(krow.expires_at) or now) < now:
            return Target(letter_id=None, problem=f"reply key for letter {krow.letter_id} expired")
        allowed = (
            policy.may_answer_for(krow.address)
            if krow.purpose == AUTHOR
            else frozenset({krow.address})
        )
        return Target(letter_id=krow.letter_id, purpose=krow.purpose, allowed=allowed)
    if found:
        # a key we never minted: never fall back to weaker evidence for a forged address
        return Target(letter_id=None, problem=f"unknown or tampered reply key {found[0][:40]!r}")
    for ref in (*mail.in_reply_to, *mail.references):
        out = s.exec(select(OutboundRow).where(OutboundRow.message_id == ref)).first()
        if out is not None and out.letter_id is not None and out.purpose in (AUTHOR, WRITER):
            return _target_of_request(s, out.letter_id, out.purpose, policy)
    tagged = find_letter_tag(mail.subject)
    if tagged is not None and s.get(LetterRow, tagged) is not None:
        # letter numbers are sequential: anyone can type a tag, so it only says which
        # letter the editors should look at, never that the author answered
        return Target(letter_id=tagged, problem=f"only the subject tag [L-{tagged}] names the "
                      "letter (no reply key, no reference to our mail): an editor decides")  # fmt: skip
    return Target(letter_id=None, problem="no reply key, no reference to our mail, no letter tag")


def _target_of_request(s: Session, letter_id: int, purpose: str, policy: Policy) -> Target:
    out = s.exec(
        select(OutboundRow).where(
            OutboundRow.letter_id == letter_id, OutboundRow.purpose == purpose
        )
    ).first()
    if out is None:
        return Target(letter_id=None, problem=f"letter {letter_id} has no {purpose} of ours")
    address = out.recipients.lower()
    allowed = policy.may_answer_for(address) if purpose == AUTHOR else frozenset({address})
    return Target(letter_id=letter_id, purpose=purpose, allowed=allowed)


def hold(work: Work, row: RawMessageRow, reason: str, letter_id: int | None) -> None:
    """Set a message aside for the editors, with the reason."""
    s, now = work.session, work.now
    row.status, row.note, row.letter_id = RawStatus.held, reason, letter_id
    Store.note(s, at=now, event="reply_held", note=reason, raw_id=row.id, letter_id=letter_id)
    log.warning("raw message %s held: %s", row.id, reason)


def is_decline(text: str, words: tuple[str, ...]) -> bool:
    """Return whether a reply's new text only says the author will not respond.

    The first line must be one of *words* (case and punctuation aside),
    optionally with thanks; the whole reply must be a few words, so a real
    response that happens to start with "Pass" is never taken for one.
    """
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines or len(text.split()) > 12:
        return False
    first = re.sub(r"[^\w\s]", " ", lines[0].lower())
    first = re.sub(r"\b(thanks|thank you|sorry|please)\b", " ", first)
    return " ".join(first.split()) in words


def take_reply(work: Work, row: RawMessageRow, mail: ParsedMail, verdict: Verdict) -> bool:
    """Act on a reply to our mail; return whether it was accepted."""
    deps, s, now = work.deps, work.session, work.now
    policy = deps.policy
    target = find_target(s, mail, verdict, policy, now)
    if target.problem:
        hold(work, row, target.problem, target.letter_id)
        return False
    sender = mail.sender.email if mail.sender else ""
    if sender not in target.allowed:
        wanted = ", ".join(sorted(target.allowed))
        hold(
            work,
            row,
            f"sender {sender or '(none)'} is not the address we wrote to ({wanted})",
            target.letter_id,
        )
        return False
    failed = authresults.failures(mail.trace, policy.authserv_id)
    if failed:
        hold(
            work,
            row,
            f"{policy.authserv_id} reports {', '.join(failed)} for this reply",
            target.letter_id,
        )
        return False
    letter = s.get(LetterRow, target.letter_id, with_for_update=True)
    assert letter is not None and letter.id is not None
    if target.purpose == WRITER:
        return _take_writer_details(work, row, mail, letter)
    return _take_author_reply(work, row, mail, letter, sender)


def _take_author_reply(work: Work, row: RawMessageRow, mail: ParsedMail, letter: LetterRow,
                       sender: str) -> bool:  # fmt: skip
    policy, s, now = work.deps.policy, work.session, work.now
    assert letter.id is not None
    state = LetterState(letter.state)
    if state not in (LetterState.awaiting_author, LetterState.no_response):
        hold(
            work,
            row,
            f"letter {letter.id} is {state.value}: a further reply needs an editor",
            letter.id,
        )
        return False
    reply = extract_answer(mail, sent_for(s, letter.id))
    if not reply.text.strip():
        hold(work, row, "reply has no new text", letter.id)
        return False
    wording = auto_reply_wording(reply.text)
    if wording:
        # an autoresponder that sets no header still says what it is: never a response
        hold(
            work,
            row,
            f"reads like an automatic reply ({wording!r}): not taken as a response",
            letter.id,
        )
        return False
    row.letter_id = letter.id
    if is_decline(reply.text, policy.decline_words):
        if state is not LetterState.awaiting_author:
            hold(work, row, f"decline after the deadline for letter {letter.id}", letter.id)
            return False
        Store.apply(s, advance(letter.id, state, Event.author_declined, at=now,
                               actor=sender, note=f"the author replied {reply.text.strip()!r}"))  # fmt: skip
        return True
    s.add(ResponseRow(letter_id=letter.id, raw_id=row.id or 0, author_email=sender,
                      text=reply.text, cut=reply.cut, received_at=now))  # fmt: skip
    note = f"reply from {sender}; {reply.cut_ratio:.0%} of the text cut as quote/signature"
    Store.apply(
        s, advance(letter.id, state, Event.response_matched, at=now, actor=sender, note=note)
    )
    if reply.cut_ratio > CUT_WARNING:
        Store.note(s, at=now, event="check_cut", letter_id=letter.id, raw_id=row.id,
                   note=f"{reply.cut_ratio:.0%} of the reply was cut: check the cut text")  # fmt: skip
    return True


def _take_writer_details(
    work: Work, row: RawMessageRow, mail: ParsedMail, letter: LetterRow
) -> bool:
    s, now = work.session, work.now
    assert letter.id is not None
    details = parse_details(extract_answer(mail, sent_for(s, letter.id)).text)
    changed = apply_details(letter, details)
    row.letter_id = letter.id
    note = (
        f"the writer supplied: {', '.join(changed)}"
        if changed
        else "the writer answered, no details found"
    )
    Store.note(s, at=now, event="writer_details", letter_id=letter.id, raw_id=row.id,
               actor=letter.writer_email, note=note)  # fmt: skip
    return True


def apply_details(letter: LetterRow, details: WriterDetails) -> list[str]:
    """Fill the letter's writer fields from *details*; return what changed."""
    changed = []
    if has_full_name(details.full_name) and details.full_name != letter.writer_name:
        letter.writer_name = details.full_name
        changed.append("full name")
    for field, label in (("town", "town"), ("phone", "phone"), ("street", "street address")):
        value = getattr(details, field)
        column = f"writer_{field}"
        if value and value != getattr(letter, column):
            setattr(letter, column, value)
            changed.append(label)
    return changed


def note_auto_reply(work: Work, row: RawMessageRow, verdict: Verdict) -> None:
    """An auto-reply to one of our keys never counts as a response; note it on the letter."""
    s, now = work.session, work.now
    krow = s.get(ReplyKeyRow, verdict.reply_key) if verdict.reply_key else None
    if krow is None:
        return
    row.letter_id = krow.letter_id
    who = "the author's" if krow.purpose == AUTHOR else "the writer's"
    Store.note(s, at=now, event="auto_reply", letter_id=krow.letter_id, raw_id=row.id,
               note=f"automatic reply from {who} address (out of office?): not a response")  # fmt: skip
