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

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from intake import keys
from intake.adapters.store import (
    ArticleRow,
    AuthorRow,
    LetterRow,
    MessageKeyRow,
    OutboundRow,
    RawMessageRow,
    ReplyKeyRow,
    ResponseRow,
    Store,
    aware,
    dumps,
)
from intake.classify import DeskIdentity, classify
from intake.compose import Outgoing, compose, make_message_id, to_wire
from intake.deps import Deps
from intake.errors import MessageError
from intake.lifecycle import Event, LetterState, advance
from intake.model import Article, Category, ParsedMail, Verdict
from intake.parse import normalise_message_id, parse_message, sha256_hex
from intake.ports import Mailbox
from intake.render import AuthorRequestView
from intake.replytext import extract_reply

log = logging.getLogger(__name__)

_OUR_ID_RE = re.compile(r"intake\.[a-z_]+\.\d+\.[a-z0-9]+@[a-z0-9.-]+", re.IGNORECASE)


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
    for raw_id in deps.store.raw_ids_to_process():
        try:
            handle(deps, raw_id, report)
        except Exception as exc:  # a bug must not stop the inbox: quarantine and go on
            log.exception("raw message %s: unexpected error, quarantined", raw_id)
            _quarantine(deps.store, raw_id, f"internal error: {type(exc).__name__}: {exc}",
                        deps.clock.now())  # fmt: skip
            report.quarantined += 1
        deps.checkpoint("processed")


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
        row = s.get(RawMessageRow, raw_id, with_for_update=True)
        if row is None or row.status != "stored":
            return  # another worker got here first
        try:
            mail = parse_message(row.raw)
        except MessageError as exc:
            row.status, row.note, row.processed_at = "quarantined", str(exc), now
            Store.note(s, at=now, event="quarantined", note=str(exc), raw_id=raw_id)
            report.quarantined += 1
            log.warning("raw message %s quarantined: %s", raw_id, exc)
            return
        claim = mail.message_id if mail.has_message_id else f"sha256:{mail.sha256}"
        first = s.get(MessageKeyRow, claim)
        if first is not None:
            row.status, row.processed_at = "duplicate", now
            row.note = f"same message as raw message {first.raw_id}"
            report.duplicates += 1
            return
        s.add(MessageKeyRow(key=claim, raw_id=raw_id))
        s.flush()
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
    if verdict.category is Category.letter:
        _take_letter(deps, s, row, mail, verdict, now)
        report.letters += 1
    elif verdict.category is Category.author_reply:
        if _take_reply(deps, s, row, mail, verdict, now):
            report.replies += 1
        else:
            report.held += 1
    elif verdict.category is Category.auto_reply and verdict.reply_key:
        _note_auto_reply(s, row, verdict, now)
        report.other += 1
    elif verdict.category is Category.bounce:
        _take_bounce(s, row, now)
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
    s.add(letter)
    s.flush()
    assert letter.id is not None
    row.letter_id = letter.id
    Store.note(s, at=now, event="received", letter_id=letter.id, raw_id=row.id,
               note="; ".join(verdict.reasons))  # fmt: skip

    problem = ""
    article: Article | None = None
    if verdict.confidence < deps.policy.review_below:
        problem = f"classifier unsure (confidence {verdict.confidence:.2f})"
    else:
        matches = deps.catalogue().match(text=mail.text, subject=mail.subject, html=mail.html)
        good = [m for m in matches if m.score >= deps.policy.match_at_least]
        if not good:
            problem = "no catalogue article found" + (
                f" (best guess: {matches[0].article.title!r}, {matches[0].score:.2f})"
                if matches
                else ""
            )
        elif (
            len(good) > 1 and good[1].score >= good[0].score and good[1].article != good[0].article
        ):
            titles = ", ".join(repr(m.article.title) for m in good[:3])
            problem = f"ambiguous article: {titles}"
        else:
            article = good[0].article
            letter.article_id = _article_id(s, article)
            letter.match_reason = good[0].reason
            if not article.author_email:
                problem = f"article {article.url} has no author email"
    if problem or article is None:
        Store.apply(
            s, advance(letter.id, LetterState.received, Event.flagged, at=now, note=problem)
        )
        letter.state = LetterState.needs_review.value
        return
    _queue_author_request(deps, s, letter, article, mail, now)


def _article_id(s: Session, article: Article) -> int:
    """Upsert the article and its author; return the article's row id."""
    author_id: int | None = None
    if article.author_email:
        author = s.exec(
            select(AuthorRow).where(AuthorRow.email == article.author_email.lower())
        ).first()
        if author is None:
            author = AuthorRow(email=article.author_email.lower(), name=article.author)
            s.add(author)
            s.flush()
        author_id = author.id
    found = s.exec(select(ArticleRow).where(ArticleRow.url == article.url)).first()
    if found is None:
        found = ArticleRow(url=article.url, title=article.title, author_id=author_id,
                           published=article.published.isoformat() if article.published else "")  # fmt: skip
        s.add(found)
        s.flush()
    assert found.id is not None
    return found.id


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
    Store.apply(s, advance(letter.id, LetterState.received, Event.request_queued, at=now,
                           note=f"asked {article.author} <{article.author_email}>"))  # fmt: skip
    letter.state = LetterState.awaiting_author.value


# -- replies ------------------------------------------------------------------------------


def _reply_target(s: Session, mail: ParsedMail, verdict: Verdict, desk: str,
                  now: datetime) -> tuple[int | None, str, str]:  # fmt: skip
    """Return (letter id, address allowed to answer, problem) for an author reply."""
    found = keys.keys_in(mail.recipients(), desk)
    if verdict.reply_key and verdict.reply_key not in found:
        found = (verdict.reply_key, *found)
    for key in found:
        krow = s.get(ReplyKeyRow, key) if keys.is_well_formed(key) else None
        if krow is None:
            continue
        if (aware(krow.expires_at) or now) < now:
            return None, "", f"reply key for letter {krow.letter_id} expired"
        return krow.letter_id, krow.address, ""
    for ref in (*mail.in_reply_to, *mail.references):
        out = s.exec(select(OutboundRow).where(OutboundRow.message_id == ref)).first()
        if out is not None and out.letter_id is not None and out.purpose == "author_request":
            return out.letter_id, out.recipients.lower(), ""
    if found:
        return None, "", f"unknown or tampered reply key {found[0]!r}"
    return None, "", "no reply key and no reference to a request of ours"


def _hold(
    s: Session, row: RawMessageRow, reason: str, now: datetime, letter_id: int | None
) -> None:
    row.status, row.note = "held", reason
    row.letter_id = letter_id
    Store.note(s, at=now, event="reply_held", note=reason, raw_id=row.id, letter_id=letter_id)
    log.warning("raw message %s held: %s", row.id, reason)


def _take_reply(deps: Deps, s: Session, row: RawMessageRow, mail: ParsedMail, verdict: Verdict,
                now: datetime) -> bool:  # fmt: skip
    letter_id, allowed, problem = _reply_target(s, mail, verdict, deps.policy.desk_address, now)
    if letter_id is None:
        _hold(s, row, problem, now, None)
        return False
    sender = mail.sender.email if mail.sender else ""
    if sender != allowed:
        _hold(s, row, f"sender {sender or '(none)'} is not the author we wrote to ({allowed})",
              now, letter_id)  # fmt: skip
        return False
    letter = s.get(LetterRow, letter_id, with_for_update=True)
    assert letter is not None
    state = LetterState(letter.state)
    if state not in (LetterState.awaiting_author, LetterState.no_response):
        _hold(s, row, f"letter {letter_id} is {state.value}: a further reply needs an editor",
              now, letter_id)  # fmt: skip
        return False
    reply = extract_reply(mail)
    if not reply.text.strip():
        _hold(s, row, "reply has no new text", now, letter_id)
        return False
    s.add(ResponseRow(letter_id=letter_id, raw_id=row.id or 0, author_email=sender,
                      text=reply.text, cut=reply.cut, received_at=now))  # fmt: skip
    row.letter_id = letter_id
    note = f"reply from {sender}; {reply.cut_ratio:.0%} of the text cut as quote/signature"
    Store.apply(s, advance(letter_id, state, Event.response_matched, at=now, note=note))
    return True


def _note_auto_reply(s: Session, row: RawMessageRow, verdict: Verdict, now: datetime) -> None:
    krow = s.get(ReplyKeyRow, verdict.reply_key) if verdict.reply_key else None
    if krow is not None:
        row.letter_id = krow.letter_id
        Store.note(s, at=now, event="author_auto_reply", letter_id=krow.letter_id, raw_id=row.id,
                   note="automatic reply from the author's address (not a response)")  # fmt: skip


def _take_bounce(s: Session, row: RawMessageRow, now: datetime) -> None:
    """A bounce of one of our own requests marks it failed and tells the editors."""
    text = row.raw.decode("utf-8", "replace")
    for found in dict.fromkeys(m.group(0).lower() for m in _OUR_ID_RE.finditer(text)):
        out = s.exec(select(OutboundRow).where(col(OutboundRow.message_id) == found)).first()
        if out is None or out.letter_id is None:
            continue
        out.status, out.last_error = "failed", f"bounced (raw message {row.id})"
        letter = s.get(LetterRow, out.letter_id)
        if letter is not None and letter.state == LetterState.awaiting_author.value:
            Store.apply(s, advance(out.letter_id, LetterState.awaiting_author, Event.request_failed,
                                   at=now, note=f"request to {out.recipients} bounced"))  # fmt: skip
            letter.state = LetterState.needs_review.value


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
