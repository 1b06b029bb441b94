"""The editors' actions on letters: approve, reject, hold, release, assign, edit, redact,
publish, and taking or dismissing a held reply.

Each action takes the caller's unit of work (:class:`intake.app.work.Work`): the
command line begins one per action, commands by email run in the inbound
transaction of the editor's message.
Every check happens before the first write — :func:`intake.domain.lifecycle.advance`
refuses an illegal move before :meth:`Store.apply` touches a row — so a
refused action changes nothing.  Every action leaves an audit row naming the
editor.  Edits never overwrite: each is an ``EditRow`` and
:func:`current_texts` is what the rest of intake (publishing, the digest)
reads.
"""

from __future__ import annotations

import dataclasses
import getpass
import os
import re
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from intake.adapters.store import (
    ArticleRow,
    AuthorRow,
    EditRow,
    LetterRow,
    OutboundRow,
    RawMessageRow,
    ResponseRow,
    Store,
    raw_bytes,
    upsert_article,
)
from intake.app import letters
from intake.app.gate import HELD_REPLY_ACCEPTED_EVENT
from intake.app.sentmail import sent_for
from intake.app.work import Work
from intake.domain.errors import IllegalTransition, IntakeError, NotFound
from intake.domain.lifecycle import TERMINAL, Event, LetterState, advance
from intake.domain.model import Article
from intake.domain.statuses import OutboxStatus, RawStatus
from intake.mail.ourquote import extract_answer
from intake.mail.parse import parse_message

S = LetterState
REDACTED = "[redacted]"
_REF = re.compile(r"^(?:#|[lL]-?)?(\d{1,9})$")
_RAW_REF = re.compile(r"^[rR]-?(\d{1,9})$")


class Refused(IntakeError):
    """An action the editor asked for that cannot be done now; nothing was changed."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an action did, in one line for the editor."""

    message: str
    letter_id: int | None = None
    state: str = ""
    detail: str = ""  # more than a line to read (``show 12``): the letter in full


def default_actor(environ: Mapping[str, str] = os.environ) -> str:
    """The command line's editor when ``--as`` is not given: ``$USER@<host>``."""
    user = environ.get("USER") or environ.get("LOGNAME")
    if not user:
        try:
            user = getpass.getuser()
        except (OSError, KeyError):
            user = "unknown"
    return f"{user}@{socket.gethostname()}"


def letter_ref(text: str) -> int:
    """Parse a letter's number as editors write it: ``12``, ``L-12``, ``#12``."""
    found = _REF.match(text.strip())
    if found is None:
        raise Refused(f"{text!r} is not a letter number (write 12 or L-12)")
    return int(found.group(1))


def raw_ref(text: str) -> int:
    """Parse a held message's reference: ``R-7``."""
    found = _RAW_REF.match(text.strip())
    if found is None:
        raise Refused(f"{text!r} is not a held message reference (write R-7)")
    return int(found.group(1))


def current_texts(work: Work, letter_id: int) -> tuple[str, str | None]:
    """Return (letter text, response text or None) after the latest editors' edits."""
    s = work.session
    letter = s.get(LetterRow, letter_id)
    if letter is None:
        raise NotFound(f"no letter {letter_id}")
    latest: dict[str, str] = {}
    for edit in s.exec(
        select(EditRow).where(EditRow.letter_id == letter_id).order_by(col(EditRow.id))
    ).all():
        latest[edit.field] = edit.text
    response = s.exec(
        select(ResponseRow)
        .where(ResponseRow.letter_id == letter_id)
        .order_by(col(ResponseRow.id).desc())
    ).first()
    response_text = latest.get("response", response.text if response else None)
    return latest.get("letter", letter.body), response_text


def _letter(s: Session, letter_id: int) -> LetterRow:
    letter = s.get(LetterRow, letter_id, with_for_update=True)
    if letter is None:
        raise Refused(f"there is no letter {letter_id}")
    return letter


def _move(work: Work, letter: LetterRow, event: Event, *, actor: str, note: str = "") -> None:
    assert letter.id is not None
    Store.apply(work.session, advance(letter.id, S(letter.state), event, at=work.now, actor=actor,
                                      note=note))  # fmt: skip


def _check(letter: LetterRow, event: Event, verb: str) -> None:
    """Refuse, in the editor's words, a move the lifecycle does not allow."""
    assert letter.id is not None
    try:
        advance(letter.id, S(letter.state), event, at=letter.updated_at)
    except IllegalTransition:
        raise Refused(f"letter {letter.id} is {letter.state.replace('_', ' ')}: "
                      f"it cannot be {verb} now") from None  # fmt: skip


def _done(letter: LetterRow, message: str) -> Outcome:
    return Outcome(message, letter.id, letter.state)


def approve(work: Work, letter_id: int, *, actor: str, reason: str = "") -> Outcome:
    """Approve for print: a ready letter, one with its response or none (printed as it is),
    or a retracted one again.  The next publishing run writes it out."""
    letter = _letter(work.session, letter_id)
    _check(letter, Event.approved, "approved")
    if letter.article_id is None:
        raise Refused(f"letter {letter_id} has no article: assign one first "
                      f"(assign {letter_id} URL)")  # fmt: skip
    _move(work, letter, Event.approved, actor=actor, note=reason or "approved")
    return _done(letter, f"letter {letter_id} approved: it goes out with the next publishing run")


def publish(work: Work, letter_id: int, *, actor: str, reason: str = "") -> Outcome:
    """Approve the letter for print if it is not yet; it goes out with the next publishing
    run (``intake publish ID`` runs one for it at once)."""
    letter = _letter(work.session, letter_id)
    if letter.state == S.approved:
        return _done(letter, f"letter {letter_id} is approved: it goes out with the next "
                             "publishing run")  # fmt: skip
    return approve(work, letter_id, actor=actor, reason=reason or "approved to publish")


def reject(work: Work, letter_id: int, *, actor: str, reason: str = "") -> Outcome:
    return _plain_move(work, letter_id, Event.rejected, "rejected", actor=actor, reason=reason)


def hold(work: Work, letter_id: int, *, actor: str, reason: str = "") -> Outcome:
    return _plain_move(work, letter_id, Event.held, "held", actor=actor, reason=reason)


def _plain_move(work: Work, letter_id: int, event: Event, done: str, *, actor: str,
                reason: str) -> Outcome:  # fmt: skip
    """An action that is only a state change with the editor's reason."""
    letter = _letter(work.session, letter_id)
    _check(letter, event, done)
    _move(work, letter, event, actor=actor, note=reason or done)
    return _done(letter, f"letter {letter_id} {done}" + (f": {reason}" if reason else ""))


def _article_of(s: Session, letter: LetterRow) -> Article | None:
    if letter.article_id is None:
        return None
    row = s.get(ArticleRow, letter.article_id)
    if row is None:
        return None
    author = s.get(AuthorRow, row.author_id) if row.author_id else None
    return Article(url=row.url, title=row.title, author=author.name if author else "",
                   author_email=author.email if author else "")  # fmt: skip


def _live_request(s: Session, letter_id: int) -> OutboundRow | None:
    return s.exec(
        select(OutboundRow).where(
            OutboundRow.letter_id == letter_id, OutboundRow.purpose == "author_request"
        )
    ).first()


def _ask_author(work: Work, letter: LetterRow, article: Article) -> None:
    s = work.session
    assert letter.id is not None
    old = _live_request(s, letter.id)
    if old is not None:
        # One author_request per letter is a table constraint; a failed one steps aside.
        old.purpose = f"author_request_failed_{old.id}"
        s.add(old)
        s.flush()
    text, _ = current_texts(work, letter.id)
    # the author sees the letter as the editors left it (redactions included)
    mail = dataclasses.replace(parse_message(raw_bytes(s, letter.raw_id)), text=text)
    letters.queue_author_request(work, letter, article, mail)


def release(work: Work, letter_id: int, *, actor: str, reason: str = "") -> Outcome:
    """Send a letter under review or on hold back into the flow, to where its facts lead:
    its response if it has one, else its author (asked now, unless a request stands)."""
    s = work.session
    letter = _letter(s, letter_id)
    _check(letter, Event.released, "released")
    assert letter.id is not None
    article = _article_of(s, letter)
    has_response = s.exec(select(ResponseRow).where(ResponseRow.letter_id == letter_id)).first()
    request = _live_request(s, letter_id)
    standing = request is not None and request.status != OutboxStatus.failed
    if (
        has_response is None
        and (article is None or not article.author_email)
        and letter.state == S.needs_review
    ):
        why = "no article" if article is None else f"no author email for {article.url}"
        raise Refused(f"letter {letter_id} has {why}: assign {letter_id} URL, "
                      f"or approve {letter_id} to print it as it is")  # fmt: skip
    _move(work, letter, Event.released, actor=actor, note=reason or "released")
    if has_response is not None:
        _move(work, letter, Event.response_matched, actor=actor,
              note="released with the author's response already in")  # fmt: skip
        return _done(letter, f"letter {letter_id} released: its response is in")
    if article is None or not article.author_email:
        _move(work, letter, Event.flagged, actor=actor, note="released; needs an article")
        return _done(letter, f"letter {letter_id} released back to review: it needs an article")
    if standing:
        _move(work, letter, Event.request_queued, actor=actor,
              note=f"released; the request to {article.author_email} stands")  # fmt: skip
        return _done(letter, f"letter {letter_id} released: waiting for {article.author_email}")
    _ask_author(work, letter, article)
    return _done(letter, f"letter {letter_id} released: {article.author} "
                         f"<{article.author_email}> is asked to respond")  # fmt: skip


def _find_article(work: Work, url: str) -> Article:
    article = work.deps.catalogue().by_url(url)
    if article is not None:
        return article
    s = work.session
    row = s.exec(select(ArticleRow).where(ArticleRow.url == url.strip())).first()
    if row is not None:
        author = s.get(AuthorRow, row.author_id) if row.author_id else None
        return Article(url=row.url, title=row.title, author=author.name if author else "",
                       author_email=author.email if author else "")  # fmt: skip
    raise Refused(f"no article {url} in the catalogue")


def assign(work: Work, letter_id: int, url: str, *, actor: str) -> Outcome:
    """Set the letter's article; a letter under review is then released (its author asked)."""
    s = work.session
    letter = _letter(s, letter_id)
    if letter.state not in (S.needs_review, S.held):
        raise Refused(f"letter {letter_id} is {letter.state.replace('_', ' ')}: an article can "
                      f"be assigned only under review or on hold")  # fmt: skip
    article = _find_article(work, url)
    letter.article_id = upsert_article(s, article)
    letter.match_reason = f"assigned by {actor}"
    s.add(letter)
    Store.note(s, at=work.now, event="article_assigned", letter_id=letter_id, actor=actor,
               note=f"{article.title} <{article.url}>")  # fmt: skip
    said = f"letter {letter_id} is about “{article.title}”"
    if letter.state == S.needs_review and article.author_email:
        released = release(work, letter_id, actor=actor, reason="article assigned")
        return _done(letter, f"{said}; {released.message}")
    if letter.state == S.needs_review:
        return _done(letter, f"{said}; its author has no email: approve {letter_id} to print it")
    return _done(letter, f"{said}; release {letter_id} when it should go on")


def edit(work: Work, letter_id: int, text: str, *, actor: str, field: str = "letter",
         note: str = "edited") -> Outcome:  # fmt: skip
    """Store a new version of the letter (or response) text; the original stays."""
    s, now = work.session, work.now
    letter = _letter(s, letter_id)
    if letter.state in TERMINAL and letter.state != S.published:
        raise Refused(f"letter {letter_id} is {letter.state}")
    current = current_texts(work, letter_id)[0 if field == "letter" else 1]
    if current is None:
        raise Refused(f"letter {letter_id} has no response to edit")
    if not text.strip():
        raise Refused("the edited text is empty; reject the letter instead")
    if text == current:
        return _done(letter, f"letter {letter_id}: no change to the {field}")
    s.add(EditRow(letter_id=letter_id, field=field, text=text, actor=actor, note=note, at=now))
    # a correction to a letter in print re-renders its files (intake.app.reprint)
    in_print = "; its published files are re-rendered" if letter.state == S.published else ""
    letter.reprint = letter.reprint or bool(in_print)
    Store.note(s, at=now, event=f"{field}_edited", letter_id=letter_id, actor=actor,
               note=f"{note}: {len(current)} → {len(text)} characters{in_print}")  # fmt: skip
    return _done(letter, f"letter {letter_id}: {field} {note}{in_print}")


def redact(work: Work, letter_id: int, patterns: Sequence[str], *, actor: str,
           field: str = "letter", regex: bool = False) -> Outcome:  # fmt: skip
    """Replace each pattern (literal text, case-insensitive; or a regular expression)
    with ``[redacted]``.  Every pattern must be found, or nothing changes."""
    if not patterns:
        raise Refused("name the text to redact")
    _letter(work.session, letter_id)
    current = current_texts(work, letter_id)[0 if field == "letter" else 1]
    if current is None:
        raise Refused(f"letter {letter_id} has no response to redact")
    text, count = current, 0
    for pattern in patterns:
        try:
            compiled = re.compile(pattern if regex else re.escape(pattern), re.IGNORECASE)
        except re.error as exc:
            raise Refused(f"bad pattern {pattern!r}: {exc}") from None
        text, n = compiled.subn(REDACTED, text)
        if n == 0:
            raise Refused(f"letter {letter_id}: {pattern!r} not found in the {field}")
        count += n
    # the audit note never repeats what was redacted
    return edit(work, letter_id, text, actor=actor, field=field,
                note=f"redacted ({count} passage{'s' if count != 1 else ''})")  # fmt: skip


def _held_raw(s: Session, raw_id: int) -> RawMessageRow:
    raw = s.get(RawMessageRow, raw_id, with_for_update=True)
    if raw is None or raw.status not in RawStatus.set_aside():
        raise Refused(f"R-{raw_id} is not a held message")
    return raw


def accept_reply(work: Work, raw_id: int, letter_id: int | None, *, actor: str) -> Outcome:
    """Take a held reply (another sender, an expired key…) as the response to its letter."""
    s = work.session
    raw = _held_raw(s, raw_id)
    target = letter_id if letter_id is not None else raw.letter_id
    if target is None:
        raise Refused(f"R-{raw_id} names no letter: accept R-{raw_id} LETTER-ID")
    letter = _letter(s, target)
    # a letter made ready without its author's response (lapsed or declined) still takes one
    has_response = s.exec(select(ResponseRow).where(ResponseRow.letter_id == target)).first()
    lapsed_ready = letter.state == S.ready and has_response is None
    if letter.state not in (S.awaiting_author, S.no_response) and not lapsed_ready:
        raise Refused(f"letter {target} is {letter.state.replace('_', ' ')}: "
                      "it takes no response now")  # fmt: skip
    mail = parse_message(raw_bytes(s, raw_id))
    reply = extract_answer(mail, sent_for(s, target))
    if not reply.text.strip():
        raise Refused(f"R-{raw_id} has no new text")
    sender = mail.sender.email if mail.sender else ""
    s.add(ResponseRow(letter_id=target, raw_id=raw_id, author_email=sender, text=reply.text,
                      cut=reply.cut, received_at=work.now))  # fmt: skip
    raw.status, raw.letter_id = RawStatus.processed, target
    raw.note = f"{raw.note}; accepted by {actor}".lstrip("; ")
    s.add(raw)
    _move(work, letter, Event.response_matched, actor=actor,
          note=f"held reply R-{raw_id} from {sender or '(no sender)'} accepted")  # fmt: skip
    # a flag for the approval gate: this response never came through the author's key
    Store.note(s, at=work.now, event=HELD_REPLY_ACCEPTED_EVENT, letter_id=target, raw_id=raw_id,
               actor=actor, note="an editor's approve is needed, whatever the approval mode")  # fmt: skip
    return _done(letter, f"R-{raw_id} is now the response to letter {target}")


def dismiss(work: Work, raw_id: int, *, actor: str, reason: str = "") -> Outcome:
    """Take a held message off the editors' list (it stays stored)."""
    s = work.session
    raw = _held_raw(s, raw_id)
    raw.status = RawStatus.dismissed
    s.add(raw)
    Store.note(s, at=work.now, event="dismissed", raw_id=raw_id, letter_id=raw.letter_id,
               actor=actor, note=reason or "dismissed by an editor")  # fmt: skip
    return Outcome(f"R-{raw_id} dismissed", raw.letter_id)
