"""The inbound use case: fetch new mail, store it, then act on it.

Order, for at-least-once delivery with idempotent handling:

1. every new message is committed to ``raw_message`` before anything acts on it;
2. each stored message is handled in its own transaction, claimed by
   compare-and-set on its status and by its Message-ID (or sha256), so a
   restart or a second worker never handles it twice;
3. only then is the inbox copy marked (keyword / Maildir flag).

A message that cannot be handled is quarantined with the reason, and the
loop goes on; a mailbox that cannot be reached ends the tick.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from intake import emailcommands, keys, writers
from intake.adapters.store import (
    LetterRow,
    MessageKeyRow,
    OutboundRow,
    RawMessageRow,
    ReplyKeyRow,
    Store,
    aware,
    dumps,
    insert_ignore,
    upsert_article,
)
from intake.articles import AMBIGUITY_MARGIN, candidate, is_ambiguous
from intake.bounces import BounceDetails, read_bounce
from intake.campaigns import join_campaign
from intake.classify import DeskIdentity, classify
from intake.compose import Outgoing, compose, make_message_id, to_wire
from intake.deadlines import first_reminder_at
from intake.deps import Deps
from intake.errors import MessageError
from intake.lifecycle import Event, LetterState, advance
from intake.model import Article, ArticleMatch, Category, ParsedMail, Verdict
from intake.parse import normalise_message_id, parse_message, sha256_hex
from intake.policy import check_letter
from intake.ports import Mailbox
from intake.printfields import fill_print_fields
from intake.render import AuthorRequestView
from intake.replies import note_auto_reply, take_reply

log = logging.getLogger(__name__)

PROCESS_BATCH = 500  # stored messages read per query while handling; all are handled in one poll


@dataclass
class PollReport:
    """What one poll did, for the log line and the command line."""

    fetched: int = 0
    letters: int = 0
    replies: int = 0
    held: int = 0
    quarantined: int = 0
    duplicates: int = 0
    other: int = 0
    categories: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"fetched={self.fetched} letters={self.letters} replies={self.replies} "
            f"held={self.held} quarantined={self.quarantined} duplicates={self.duplicates} "
            f"other={self.other}"
        )


def fetch_new(deps: Deps, box: Mailbox, report: PollReport) -> None:
    """Store every message the inbox has that the database has not (step 1)."""
    store = deps.store
    name = box.name
    validity = box.uidvalidity()
    state = store.folder_state(name)
    if state is None or state.uidvalidity != validity:
        if state is not None:
            # RFC 3501 §2.3.1.1: every UID may now name another message.  Start over;
            # de-duplication by Message-ID/sha256 keeps old mail from being handled twice.
            log.warning("mailbox %s: UIDVALIDITY %s -> %s, rescanning", name,
                        state.uidvalidity, validity)  # fmt: skip
        store.reset_folder(name, validity, deps.clock.now())
    after = state.last_uid if state is not None and state.uidvalidity == validity else 0
    known = store.known_sources(name, after_uid=after)
    for mail in box.new_messages(after, known.__contains__):
        stored = store.store_raw(
            RawMessageRow(
                mailbox=name,
                uidvalidity=validity,
                uid=mail.uid,
                source_key=mail.source_key,
                message_id=_quick_message_id(mail.data),
                sha256=sha256_hex(mail.data),
                size=len(mail.data),
                raw=mail.data,
                internal_date=mail.internal_date,
                fetched_at=deps.clock.now(),
            )
        )
        if stored is not None:
            report.fetched += 1
            deps.checkpoint("stored")


def mark_handled(deps: Deps, mailbox: Mailbox) -> None:
    """Mark the inbox copies of handled messages (step 3); idempotent."""
    pending = deps.store.unmarked(mailbox.name)
    done = [k for k, status in pending if status != "quarantined"]
    bad = [k for k, status in pending if status == "quarantined"]
    if done:
        mailbox.mark_done(done)
    if bad:
        mailbox.mark_done(bad, quarantined=True)
    deps.store.set_marked(mailbox.name, done + bad)


def _quick_message_id(data: bytes) -> str:
    """The Message-ID for the raw row, found without a full parse."""
    head = data.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    found = re.search(rb"(?im)^message-id:[ \t]*(<[^>\r\n]*>)", head)
    if not found:
        return ""
    return normalise_message_id(found.group(1).decode("ascii", "replace"))


def process_stored(deps: Deps, report: PollReport) -> None:
    """Handle every stored, unhandled message in arrival order (step 2)."""
    after = 0
    while batch := deps.store.raw_ids_to_process(after_id=after, limit=PROCESS_BATCH):
        for raw_id in batch:
            try:
                handle(deps, raw_id, report)
            except Exception as exc:  # a bug must not stop the inbox: quarantine and go on
                log.exception("raw message %s: unexpected error, quarantined", raw_id)
                _quarantine(deps.store, raw_id, f"internal error: {type(exc).__name__}: {exc}",
                            deps.clock.now())  # fmt: skip
                report.quarantined += 1
            deps.checkpoint("processed")
        after = batch[-1]


def _quarantine(store: Store, raw_id: int, reason: str, now: datetime) -> None:
    with store.session() as s:
        row = s.get(RawMessageRow, raw_id)
        if row is None or row.status != "stored":
            return
        row.status, row.note, row.processed_at = "quarantined", reason, now
        s.add(row)
        Store.note(s, at=now, event="quarantined", note=reason, raw_id=raw_id)


def handle(deps: Deps, raw_id: int, report: PollReport) -> None:
    """Parse, classify and route one stored message, in one transaction."""
    now = deps.clock.now()
    with deps.store.session() as s:
        # SKIP LOCKED: a second worker moves on to the next message instead of queueing
        # behind this one (PostgreSQL; SQLite has one writer and ignores it)
        row = s.get(RawMessageRow, raw_id, with_for_update={"skip_locked": True})
        if row is None or row.status != "stored":
            return  # another worker has it, or had it
        try:
            mail = parse_message(row.raw)
        except MessageError as exc:
            row.status, row.note, row.processed_at = "quarantined", str(exc), now
            Store.note(s, at=now, event="quarantined", note=str(exc), raw_id=raw_id)
            report.quarantined += 1
            log.warning("raw message %s quarantined: %s", raw_id, exc)
            return
        claim = mail.message_id if mail.has_message_id else f"sha256:{mail.sha256}"
        if not insert_ignore(s, MessageKeyRow, key=claim, raw_id=raw_id):
            first = s.get(MessageKeyRow, claim)
            row.status, row.processed_at = "duplicate", now
            row.note = f"same message as raw message {first.raw_id if first else '?'}"
            report.duplicates += 1
            return
        desk = DeskIdentity(address=deps.policy.desk_address, own_domains=(deps.policy.domain,))
        verdict = classify(mail, desk)
        row.category, row.confidence = verdict.category.value, verdict.confidence
        row.reasons = dumps(verdict.reasons)
        row.status, row.processed_at = "processed", now
        report.categories[verdict.category.value] = (
            report.categories.get(verdict.category.value, 0) + 1
        )
        log.info("raw message %s msgid=%s category=%s confidence=%.2f", raw_id,
                 mail.message_id, verdict.category, verdict.confidence)  # fmt: skip
        route(deps, s, row, mail, verdict, report, now)


def route(deps: Deps, s: Session, row: RawMessageRow, mail: ParsedMail, verdict: Verdict,
          report: PollReport, now: datetime) -> None:  # fmt: skip
    """Act on a classified message inside the caller's transaction."""
    if verdict.reply_key and emailcommands.is_command_token(verdict.reply_key):
        # an editor answering a digest or notice: commands, never a letter or a reply
        emailcommands.handle(deps, s, row, mail, verdict, now)
        report.other += 1
        return
    if verdict.category is Category.letter:
        _take_letter(deps, s, row, mail, verdict, now)
        if row.letter_id is not None:
            writers.acknowledge(deps, s, row.letter_id, mail, now)
        report.letters += 1
    elif verdict.category is Category.author_reply:
        if take_reply(deps, s, row, mail, verdict, now):
            report.replies += 1
        else:
            report.held += 1
    elif verdict.category is Category.auto_reply and verdict.reply_key:
        note_auto_reply(s, row, verdict, now)
        report.other += 1
    elif verdict.category is Category.bounce:
        _take_bounce(deps, s, row, now)
        report.other += 1
    else:
        report.other += 1


# -- letters ---------------------------------------------------------------------------


def _take_letter(deps: Deps, s: Session, row: RawMessageRow, mail: ParsedMail, verdict: Verdict,
                 now: datetime) -> None:  # fmt: skip
    sender = mail.sender
    letter = LetterRow(
        raw_id=row.id or 0,
        message_id=mail.message_id,
        writer_name=sender.name if sender else "",
        writer_email=sender.email if sender else "",
        subject=mail.subject,
        body=mail.text,
        confidence=verdict.confidence,
        reasons=dumps(verdict.reasons),
        received_at=aware(row.internal_date) or now,
        updated_at=now,
    )
    fill_print_fields(letter, mail)  # signature, town, private contact details
    s.add(letter)
    s.flush()
    assert letter.id is not None
    row.letter_id = letter.id
    Store.note(s, at=now, event="received", letter_id=letter.id, raw_id=row.id,
               note="; ".join(verdict.reasons))  # fmt: skip

    problem = ""
    article: Article | None = None
    sent_on = _sent_on(mail, letter, deps.policy.timezone)
    matches = deps.catalogue().match(
        text=mail.text, subject=mail.subject, html=mail.html, sent_on=sent_on
    )
    good = [m for m in matches if m.score >= deps.policy.match_at_least]
    if verdict.confidence < deps.policy.review_below:
        problem = f"classifier unsure (confidence {verdict.confidence:.2f})"
    elif not good:
        problem = "no catalogue article found" + (
            f" (best guess: {matches[0].article.title!r}, {matches[0].score:.2f})"
            if matches
            else ""
        )
    elif is_ambiguous(matches):
        close = [m for m in matches if matches[0].score - m.score <= AMBIGUITY_MARGIN]
        problem = "ambiguous article: " + ", ".join(
            f"{m.article.title!r} ({m.score:.2f})" for m in close[:3]
        )
    else:
        article = good[0].article
        letter.article_id = upsert_article(s, article)
        letter.match_reason = good[0].reason
        if not article.author_email:
            problem = f"article {article.url} has no author email"
    sure = good[0].article if good and not is_ambiguous(matches) else None
    _sort_out(deps, s, letter, mail, matches, sure, sent_on, now)
    if problem or article is None:
        Store.apply(
            s, advance(letter.id, LetterState.received, Event.flagged, at=now, note=problem)
        )
        letter.state = LetterState.needs_review.value
        return
    _queue_author_request(deps, s, letter, article, mail, now)


def _sent_on(mail: ParsedMail, letter: LetterRow, timezone: str) -> date:
    """The letter's date in the desk's zone: its Date header, else when it arrived."""
    when = mail.date or aware(letter.received_at) or letter.received_at
    return when.astimezone(ZoneInfo(timezone)).date()


def _sort_out(deps: Deps, s: Session, letter: LetterRow, mail: ParsedMail,
              matches: tuple[ArticleMatch, ...], article: Article | None, sent_on: date,
              now: datetime) -> None:  # fmt: skip
    """Store what the editors need to judge the letter: candidates, policy findings, campaign."""
    letter.candidates = json.dumps([candidate(m) for m in matches], ensure_ascii=False)
    findings = list(
        check_letter(
            deps.policy.letters,
            text=mail.text,
            writer_name=letter.writer_name,
            article_published=article.published if article else None,
            sent_on=sent_on,
            recipients=[a.email for a in (*mail.to, *mail.cc)],
            desk_address=deps.policy.desk_address,
        )
    )
    campaign = join_campaign(s, letter, now)
    if campaign is not None:
        findings.append(campaign)
    letter.findings = dumps([str(f) for f in findings])


def _human_date(value: datetime, timezone: str) -> str:
    local = value.astimezone(ZoneInfo(timezone))
    return f"{local.day} {local:%B %Y}"


def _queue_author_request(deps: Deps, s: Session, letter: LetterRow, article: Article,
                          mail: ParsedMail, now: datetime) -> None:  # fmt: skip
    assert letter.id is not None
    policy = deps.policy
    key = keys.mint_key()
    reply_address = keys.plus_address(policy.desk_address, key)
    deadline = now + policy.response_window
    view = AuthorRequestView(
        publication=policy.publication,
        author_name=article.author,
        article_title=article.title,
        article_url=article.url,
        writer_name=letter.writer_name or letter.writer_email,
        letter_text=mail.text.strip(),
        received_on=_human_date(aware(letter.received_at) or now, policy.timezone),
        deadline_on=_human_date(deadline, policy.timezone),
        reply_address=reply_address,
        letter_ref=f"L-{letter.id}",
    )
    text, html = deps.renderer.author_request(view)
    message_id = make_message_id("req", letter.id, keys.mint_key()[:12], policy.domain)
    msg = compose(
        Outgoing(
            from_name=f"{policy.publication} Letters",
            from_address=policy.from_address,
            to_name=article.author,
            to_address=article.author_email,
            reply_to=reply_address,
            subject=f"A reader’s letter on ‘{article.title}’: would you like to respond? [L-{letter.id}]",
            text=text,
            html=html,
            message_id=message_id,
            references=(letter.message_id,)
            if not letter.message_id.endswith("intake.invalid")
            else (),
            letter_ref=f"L-{letter.id}",
        ),
        now=now,
    )
    s.add(ReplyKeyRow(key=key, letter_id=letter.id, address=article.author_email.lower(),
                      purpose="author_request", created_at=now,
                      expires_at=now + policy.key_validity))  # fmt: skip
    s.add(
        OutboundRow(
            letter_id=letter.id,
            purpose="author_request",
            sender=policy.from_address,
            recipients=article.author_email,
            message_id=message_id,
            raw=to_wire(msg),
            next_attempt_at=now,
            created_at=now,
        )
    )
    letter.deadline_at = deadline
    letter.next_reminder_at = first_reminder_at(policy, now, deadline)
    Store.apply(s, advance(letter.id, LetterState.received, Event.request_queued, at=now,
                           note=f"asked {article.author} <{article.author_email}>"))  # fmt: skip
    letter.state = LetterState.awaiting_author.value


def _take_bounce(deps: Deps, s: Session, row: RawMessageRow, now: datetime) -> None:
    """A bounce of one of our own mails marks it failed and tells the editors.

    The failed recipients and their status (:mod:`intake.bounces`) go into
    the raw message's note and the audit trail.  A report that the server is
    still trying (a delay) is only noted: the mail may yet arrive.
    """
    details = read_bounce(row.raw, (deps.policy.domain,))
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
        out.status = "failed"
        out.last_error = f"bounced (raw message {row.id}): {details.describe()}"[:500]
        Store.note(s, at=now, event="bounced", letter_id=out.letter_id, raw_id=row.id,
                   note=f"{what} bounced: {details.describe()}")  # fmt: skip
        letter = s.get(LetterRow, out.letter_id)
        if letter is not None and letter.state == LetterState.awaiting_author.value:
            Store.apply(s, advance(out.letter_id, LetterState.awaiting_author, Event.request_failed,
                                   at=now, note=f"request to {out.recipients} bounced: "
                                   f"{details.describe()}"))  # fmt: skip
            letter.state = LetterState.needs_review.value
        # A notice that bounces is not worth a notice: that way lies a loop.
        if letter is not None and not out.purpose.startswith("notice_"):
            _notify_editors_of_bounce(deps, s, row, out, letter, details, now)


def _notify_editors_of_bounce(deps: Deps, s: Session, row: RawMessageRow, out: OutboundRow,
                              letter: LetterRow, details: BounceDetails,
                              now: datetime) -> None:  # fmt: skip
    """Queue a short notice to every editor; without editors the audit row is the record."""
    policy = deps.policy
    if not policy.editors or letter.id is None:
        return
    purpose = f"notice_bounce_{row.id}"
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
    message_id = make_message_id(purpose, letter.id, keys.mint_key()[:12], policy.domain)
    msg = compose(
        Outgoing(
            from_name=f"{policy.publication} Letters",
            from_address=policy.from_address,
            to_name="",
            to_address=policy.editors[0],
            reply_to=policy.desk_address,
            subject=f"Bounced: {out.purpose.replace('_', ' ')} for letter L-{letter.id}",
            text=text,
            html=html,
            message_id=message_id,
            letter_ref=f"L-{letter.id}",
        ),
        now=now,
    )
    del msg["To"]
    msg["To"] = ", ".join(policy.editors)
    s.add(
        OutboundRow(
            letter_id=letter.id,
            purpose=purpose,
            sender=policy.from_address,
            recipients=",".join(policy.editors),
            message_id=message_id,
            raw=to_wire(msg),
            next_attempt_at=now,
            created_at=now,
        )
    )
    Store.note(s, at=now, event="editors_notified", letter_id=letter.id, raw_id=row.id,
               note=f"bounce notice queued for {', '.join(policy.editors)}")  # fmt: skip


# the editors' desk asks authors through the same path when it releases a letter
queue_author_request = _queue_author_request


def poll(deps: Deps) -> PollReport:
    """Fetch and store new mail, handle it, then mark the inbox copies."""
    report = PollReport()
    box = deps.open_mailbox()
    try:
        fetch_new(deps, box, report)
        process_stored(deps, report)
        mark_handled(deps, box)
    finally:
        box.close()
    return report
