"""The inbound use case: fetch new mail, store it, then act on it.

Order, for at-least-once delivery with idempotent handling:

1. every new message is committed to ``raw_message`` before anything acts on it;
2. stored messages are handled in batches, one transaction each
   (:mod:`intake.app.batches`), each message claimed by compare-and-set on its
   status and by its Message-ID (or sha256), so a restart or a second worker
   never handles it twice;
3. only then is the inbox copy marked (keyword / Maildir flag).

A message that cannot be handled is quarantined with the reason, and the
loop goes on; a mailbox that cannot be reached ends the tick.  Asked to stop
(``deps.stop``, SIGTERM), both loops finish the message in hand and return:
what was stored and not handled waits in ``raw_message`` for the next run, what
was not fetched waits in the inbox.  Both loops tell ``deps.progress`` how far
they are.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from intake.adapters.rawbody import raw_pieces
from intake.adapters.store import (
    NewRaw,
    PiecesChanged,
    RawMessageRow,
    Store,
    dumps,
    raw_bytes,
)
from intake.app import batches, emailcommands, writers
from intake.app.batches import PollReport
from intake.app.claims import claim
from intake.app.deps import Deps
from intake.app.letters import find_articles, remember_articles, take_letter
from intake.app.replies import note_auto_reply, take_reply
from intake.app.undelivered import take_bounce
from intake.app.work import Work
from intake.domain.errors import MessageError, OverBudget
from intake.domain.model import ArticleMatch, Category, ParsedMail
from intake.domain.ports import LARGE_MAIL_BYTES, Mailbox, RawMail
from intake.domain.statuses import RawStatus
from intake.mail.parse import parse_message, sha256_hex
from intake.mail.rawkeys import quick_message_id
from intake.sorting.classify import DeskIdentity
from intake.sorting.readsort import (
    SortRules,
    read_stored,
    read_stored_pieces,
    refuse_if_too_large,
    sort_read,
)
from intake.sorting.sortmail import Sorted

if TYPE_CHECKING:
    from intake.adapters.sortpool import SortPool

log = logging.getLogger(__name__)

# fetched messages stored per transaction: at most this many, holding at most these bytes
STORE_BATCH = 50
STORE_BATCH_BYTES = 8 * 2**20


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
    pending: list[NewRaw] = []

    def commit_pending() -> None:
        stored = store.store_raws(pending)
        pending.clear()
        for raw_id in stored:
            if raw_id is not None:
                report.fetched += 1
                deps.checkpoint("stored")

    try:
        for seen, mail in enumerate(box.new_messages(after, known.__contains__), start=1):
            if mail.pieces is not None:
                commit_pending()  # stored in order: the batch before it first
                if _store_in_pieces(deps, name, validity, mail, mail.pieces) is not None:
                    report.fetched += 1
                    deps.checkpoint("stored")
                deps.progress("fetched", seen, mail.of)
                if deps.stop.is_set():
                    report.stopped = True
                    return
                continue
            # the cap counts the message in hand: a large one is stored alone, never held
            # beside a batch of others
            if pending and sum(p.row.size for p in pending) + len(mail.data) > STORE_BATCH_BYTES:
                commit_pending()
            pending.append(_raw_row(deps, name, validity, mail))
            of = mail.of
            del mail  # the row holds the bytes now, and lets go of them once stored
            held = sum(p.row.size for p in pending)
            if len(pending) >= STORE_BATCH or held >= STORE_BATCH_BYTES or deps.stop.is_set():
                commit_pending()
            deps.progress("fetched", seen, of)
            if deps.stop.is_set():
                report.stopped = True
                return
    finally:
        commit_pending()


def _store_in_pieces(deps: Deps, mailbox: str, validity: int, mail: RawMail,
                     pieces: Callable[[], Iterator[bytes]]) -> int | None:  # fmt: skip
    """Store *mail*, given in pieces, as they come: its id, or ``None`` when it was stored
    already or went away.  A message that changed while it was read is read again whole."""
    row = _row(deps, mailbox, validity, mail, size=mail.size)
    try:
        return deps.store.store_raw_in_pieces(row, pieces())
    except PiecesChanged as exc:
        data = mail.whole()
        if not data:  # gone from the inbox: nothing to store
            log.info("message %s went away while it was fetched", mail.source_key)
            return None
        log.info("message %s changed while it was fetched (%s): stored whole", mail.source_key, exc)
        return deps.store.store_raws(
            [_raw_row(deps, mailbox, validity, replace(mail, data=data, pieces=None))]
        )[0]


def _row(deps: Deps, mailbox: str, validity: int, mail: RawMail, *, size: int) -> RawMessageRow:
    """The raw row of *mail*, without its keys (sha256 and Message-ID)."""
    return RawMessageRow(mailbox=mailbox, uidvalidity=validity, uid=mail.uid,
                         source_key=mail.source_key, message_id="", sha256="", size=size,
                         internal_date=mail.internal_date, fetched_at=deps.clock.now())  # fmt: skip


def _raw_row(deps: Deps, mailbox: str, validity: int, mail: RawMail) -> NewRaw:
    row = _row(deps, mailbox, validity, mail, size=len(mail.data))
    row.message_id, row.sha256 = quick_message_id(mail.data), sha256_hex(mail.data)
    return NewRaw(row, mail.data)


def mark_handled(deps: Deps, mailbox: Mailbox) -> None:
    """Mark the inbox copies of handled messages (step 3); idempotent."""
    pending = deps.store.unmarked(mailbox.name)
    done = [k for k, status in pending if status != RawStatus.quarantined]
    bad = [k for k, status in pending if status == RawStatus.quarantined]
    if done:
        mailbox.mark_done(done)
    if bad:
        mailbox.mark_done(bad, quarantined=True)
    deps.store.set_marked(mailbox.name, done + bad)


def process_stored(deps: Deps, report: PollReport) -> None:
    """Handle every stored, unhandled message in arrival order (step 2), in batches
    (:func:`intake.app.batches.process_stored`).  With a backlog of more than a batch and
    ``deps.sort_pool``, sorting processes read and sort the next batches meanwhile."""
    if deps.sort_pool is None or deps.store.count_to_process() <= batches.HANDLE_BATCH:
        batches.process_stored(deps, report, _handle_row)
        return
    with deps.sort_pool(_rules(deps), deps.catalogue) as pool:
        batches.process_stored(deps, report, functools.partial(_handle_row, ahead=pool), pool)


def _rules(deps: Deps) -> SortRules:
    return SortRules(desk=_desk(deps), relays=deps.policy.relays, timezone=deps.policy.timezone,
                     max_message_bytes=deps.policy.max_message_bytes)  # fmt: skip


def _handle_row(work: Work, row: RawMessageRow, report: PollReport,
                ahead: SortPool | None = None) -> None:  # fmt: skip
    """Parse, classify and route the stored message *row* (taken, still ``stored``) in
    the caller's transaction; read and sorted by *ahead* when it has the answer."""
    deps, s, now = work.deps, work.session, work.now
    raw_id = row.id
    answer = ahead.take(raw_id) if ahead is not None and raw_id is not None else None
    ready = answer.ready if answer is not None else None
    if ready is not None and ready.over_budget:
        raise OverBudget(ready.over_budget)  # its sorting process spent the budget
    raw: bytes | None = None  # read here only when sorted here: never to count a try
    try:
        if ready is not None and ready.refused:
            raise MessageError(ready.refused)
        if ready is not None and ready.read is not None:
            read = ready.read
        else:
            refuse_if_too_large(row.size, deps.policy.max_message_bytes)  # before reading it
            if row.size >= LARGE_MAIL_BYTES:  # read in pieces: only its slimmed bytes held
                read = read_stored_pieces(raw_pieces(s, raw_id or 0), row.size, _rules(deps))
            else:
                raw = raw_bytes(s, raw_id or 0)
                read = read_stored(raw, _rules(deps))
    except MessageError as exc:
        row.status, row.note, row.processed_at = RawStatus.quarantined, str(exc), now
        Store.note(s, at=now, event="quarantined", note=str(exc), raw_id=raw_id)
        report.quarantined += 1
        log.warning("raw message %s quarantined: %s", raw_id, exc)
        return
    mail, machine = read.mail, read.machine

    def full_read() -> ParsedMail:  # machine mail read in full, if the claim must know more
        return parse_message(raw if raw is not None else raw_bytes(s, raw_id or 0))

    with s.no_autoflush:  # the claim reads and writes message keys only: the batch's
        # changes so far go with the next flush
        claimed = claim(s, raw_id or 0, mail, full=full_read if machine else None)
    if claimed.duplicate_of is not None:
        row.status, row.processed_at = RawStatus.duplicate, now
        row.note = f"same message as raw message {claimed.duplicate_of}"
        report.duplicates += 1
        return
    if answer is not None and answer.ready.sorted is not None:
        sorted_ = answer.ready.sorted
        if (looked := answer.ready.looked_up) and answer.catalogue is deps.catalogue():
            # what the sort's look-up found, kept for taking the letter (as if made here)
            remember_articles(answer.catalogue, looked.mail, looked.sent_on, looked.found)
    else:
        sorted_ = sort_read(read, _rules(deps), _look_up(deps))
    verdict = sorted_.verdict
    if claimed.note:
        # a reused Message-ID: the editors see it wherever they see the verdict
        verdict = replace(verdict, reasons=(*verdict.reasons, claimed.note))
        row.note = claimed.note
        Store.note(s, at=now, event="message_id_reused", note=claimed.note, raw_id=raw_id)
    row.category, row.confidence = verdict.category.value, verdict.confidence
    row.reasons = dumps(verdict.reasons)
    row.status, row.processed_at = RawStatus.processed, now
    report.categories[verdict.category.value] = report.categories.get(verdict.category.value, 0) + 1
    log.info("raw message %s msgid=%s category=%s confidence=%.2f", raw_id,
             mail.message_id, verdict.category, verdict.confidence)  # fmt: skip
    route(work, row, mail, replace(sorted_, verdict=verdict), report)


def _desk(deps: Deps) -> DeskIdentity:
    return DeskIdentity(address=deps.policy.desk_address, own_domains=(deps.policy.domain,))


def _look_up(deps: Deps) -> Callable[[ParsedMail], ArticleMatch | None]:
    """The catalogue look-up the classifier makes for a short message (only then); as
    :func:`intake.sorting.readsort.look_up_in`, its answer kept for taking the letter."""

    def best(mail: ParsedMail) -> ArticleMatch | None:
        # the letter's own date resolves "yesterday's editorial" (as take_letter's look-up)
        sent_on = mail.date.astimezone(ZoneInfo(deps.policy.timezone)).date() if mail.date else None
        found = find_articles(deps.catalogue(), mail, sent_on)
        return found[0] if found else None

    return best


def route(work: Work, row: RawMessageRow, mail: ParsedMail, sorted_: Sorted,
          report: PollReport) -> None:  # fmt: skip
    """Act on a sorted message inside the caller's unit of work.

    A letter is taken as its writer wrote it (``sorted_.letter``: a relay's or a
    forward's message); everything else acts on *mail* as it came.
    """
    verdict = sorted_.verdict
    if verdict.reply_key and emailcommands.is_command_token(verdict.reply_key):
        # an editor answering a digest or notice: commands, never a letter or a reply
        emailcommands.handle(work, row, mail, verdict)
        report.other += 1
        return
    if verdict.category is Category.letter:
        take_letter(work, row, sorted_.letter, verdict, sorted_.findings)
        if row.letter_id is not None and sorted_.forwarded_by is None:
            # a forward's writer never wrote to us: the desk mails no address it was only told
            writers.acknowledge(work, row.letter_id, sorted_.letter)
        report.letters += 1
    elif verdict.category is Category.author_reply:
        if take_reply(work, row, mail, verdict):
            report.replies += 1
        else:
            report.held += 1
    elif verdict.category is Category.auto_reply and verdict.reply_key:
        note_auto_reply(work, row, verdict)
        report.other += 1
    elif verdict.category is Category.bounce:
        take_bounce(work, row)
        report.other += 1
    else:
        report.other += 1


def poll(deps: Deps) -> PollReport:
    """Fetch and store new mail, handle it, then mark the inbox copies."""
    report = PollReport()
    if deps.stop.is_set():
        report.stopped = True
        return report
    box = deps.open_mailbox()
    try:
        fetch_new(deps, box, report)
        if not report.stopped:
            process_stored(deps, report)
        mark_handled(deps, box)
    finally:
        box.close()
    return report
