"""The editors' actions on letters: approve, reject, hold, release, assign, edit, redact,
publish, and taking or dismissing a held reply.

Each action runs inside the caller's transaction (the command line opens one;
commands by email run in the inbound transaction of the editor's message).
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
from datetime import datetime

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
    upsert_article,
)
from intake.app import letters
from intake.app.deps import Deps
from intake.app.gate import HELD_REPLY_ACCEPTED_EVENT
from intake.app.sentmail import sent_for
from intake.domain.errors import IllegalTransition, IntakeError, NotFound
from intake.domain.lifecycle import TERMINAL, Event, LetterState, advance
from intake.domain.model import Article
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


def current_texts(s: Session, letter_id: int) -> tuple[str, str | None]:
    """Return (letter text, response text or None) after the latest editors' edits."""
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


def _move(s: Session, letter: LetterRow, event: Event, *, actor: str, now: datetime,
          note: str = "") -> None:  # fmt: skip
    assert letter.id is not None
    t = advance(letter.id, S(letter.state), event, at=now, actor=actor, note=note)
    Store.apply(s, t)
    letter.state = t.target.value


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


def approve(deps: Deps, s: Session, letter_id: int, *, actor: str, now: datetime,
            reason: str = "") -> Outcome:  # fmt: skip
    """Approve for print: a ready letter, one with its response or none (printed as it is),
    or a retracted one again.  The next publishing run writes it out."""
    letter = _letter(s, letter_id)
    _check(letter, Event.approved, "approved")
    if letter.article_id is None:
        raise Refused(f"letter {letter_id} has no article: assign one first "
                      f"(assign {letter_id} URL)")  # fmt: skip
    _move(s, letter, Event.approved, actor=actor, now=now, note=reason or "approved")
    return _done(letter, f"letter {letter_id} approved: it goes out with the next publishing run")


def publish(deps: Deps, s: Session, letter_id: int, *, actor: str, now: datetime,
            reason: str = "") -> Outcome:  # fmt: skip
    """Approve the letter for print if it is not yet; it goes out with the next publishing
    run (``intake publish ID`` runs one for it at once)."""
    letter = _letter(s, letter_id)
    if letter.state == S.approved:
        return _done(letter, f"letter {letter_id} is approved: it goes out with the next "
                             "publishing run")  # fmt: skip
    return approve(deps, s, letter_id, actor=actor, now=now, reason=reason or "approved to publish")


def reject(deps: Deps, s: Session, letter_id: int, *, actor: str, now: datetime,
           reason: str = "") -> Outcome:  # fmt: skip
    return _plain_move(
        s, letter_id, Event.rejected, "rejected", actor=actor, now=now, reason=reason
    )


def hold(deps: Deps, s: Session, letter_id: int, *, actor: str, now: datetime,
         reason: str = "") -> Outcome:  # fmt: skip
    return _plain_move(s, letter_id, Event.held, "held", actor=actor, now=now, reason=reason)


def _plain_move(s: Session, letter_id: int, event: Event, done: str, *, actor: str,
                now: datetime, reason: str) -> Outcome:  # fmt: skip
    """An action that is only a state change with the editor's reason."""
    letter = _letter(s, letter_id)
    _check(letter, event, done)
    _move(s, letter, event, actor=actor, now=now, note=reason or done)
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


def _ask_author(deps: Deps, s: Session, letter: LetterRow, article: Article, now: datetime) -> None:
    assert letter.id is not None
    old = _live_request(s, letter.id)
    if old is not None:
        # One author_request per letter is a table constraint; a failed one steps aside.
        old.purpose = f"author_request_failed_{old.id}"
        s.add(old)
        s.flush()
    raw = s.get(RawMessageRow, letter.raw_id)
    assert raw is not None
    text, _ = current_texts(s, letter.id)
    # the author sees the letter as the editors left it (redactions included)
    mail = dataclasses.replace(parse_message(raw.raw), text=text)
    letters.queue_author_request(deps, s, letter, article, mail, now)


def release(deps: Deps, s: Session, letter_id: int, *, actor: str, now: datetime,
            reason: str = "") -> Outcome:  # fmt: skip
    """Send a letter under review or on hold back into the flow, to where its facts lead:
    its response if it has one, else its author (asked now, unless a request stands)."""
    letter = _letter(s, letter_id)
    _check(letter, Event.released, "released")
    assert letter.id is not None
    article = _article_of(s, letter)
    has_response = s.exec(select(ResponseRow).where(ResponseRow.letter_id == letter_id)).first()
    request = _live_request(s, letter_id)
    standing = request is not None and request.status != "failed"
    if (
        has_response is None
        and (article is None or not article.author_email)
        and letter.state == S.needs_review
    ):
        why = "no article" if article is None else f"no author email for {article.url}"
        raise Refused(f"letter {letter_id} has {why}: assign {letter_id} URL, "
                      f"or approve {letter_id} to print it as it is")  # fmt: skip
    _move(s, letter, Event.released, actor=actor, now=now, note=reason or "released")
    if has_response is not None:
        _move(s, letter, Event.response_matched, actor=actor, now=now,
              note="released with the author's response already in")  # fmt: skip
        return _done(letter, f"letter {letter_id} released: its response is in")
    if article is None or not article.author_email:
        _move(s, letter, Event.flagged, actor=actor, now=now, note="released; needs an article")
        return _done(letter, f"letter {letter_id} released back to review: it needs an article")
    if standing:
        _move(s, letter, Event.request_queued, actor=actor, now=now,
              note=f"released; the request to {article.author_email} stands")  # fmt: skip
        return _done(letter, f"letter {letter_id} released: waiting for {article.author_email}")
    _ask_author(deps, s, letter, article, now)
    return _done(letter, f"letter {letter_id} released: {article.author} "
                         f"<{article.author_email}> is asked to respond")  # fmt: skip


def _find_article(deps: Deps, s: Session, url: str) -> Article:
    article = deps.catalogue().by_url(url)
    if article is not None:
        return article
    row = s.exec(select(ArticleRow).where(ArticleRow.url == url.strip())).first()
    if row is not None:
        author = s.get(AuthorRow, row.author_id) if row.author_id else None
        return Article(url=row.url, title=row.title, author=author.name if author else "",
                       author_email=author.email if author else "")  # fmt: skip
    raise Refused(f"no article {url} in the catalogue")


def assign(deps: Deps, s: Session, letter_id: int, url: str, *, actor: str,
           now: datetime) -> Outcome:  # fmt: skip
    """Set the letter's article; a letter under review is then released (its author asked)."""
    letter = _letter(s, letter_id)
    if letter.state not in (S.needs_review, S.held):
        raise Refused(f"letter {letter_id} is {letter.state.replace('_', ' ')}: an article can "
                      f"be assigned only under review or on hold")  # fmt: skip
    article = _find_article(deps, s, url)
    letter.article_id = upsert_article(s, article)
    letter.match_reason = f"assigned by {actor}"
    s.add(letter)
    Store.note(s, at=now, event="article_assigned", letter_id=letter_id, actor=actor,
               note=f"{article.title} <{article.url}>")  # fmt: skip
    said = f"letter {letter_id} is about “{article.title}”"
    if letter.state == S.needs_review and article.author_email:
        released = release(deps, s, letter_id, actor=actor, now=now, reason="article assigned")
        return _done(letter, f"{said}; {released.message}")
    if letter.state == S.needs_review:
        return _done(letter, f"{said}; its author has no email: approve {letter_id} to print it")
    return _done(letter, f"{said}; release {letter_id} when it should go on")


def edit(deps: Deps, s: Session, letter_id: int, text: str, *, actor: str, now: datetime,
         field: str = "letter", note: str = "edited") -> Outcome:  # fmt: skip
    """Store a new version of the letter (or response) text; the original stays."""
    letter = _letter(s, letter_id)
    if letter.state in TERMINAL and letter.state != S.published:
        raise Refused(f"letter {letter_id} is {letter.state}")
    current = current_texts(s, letter_id)[0 if field == "letter" else 1]
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


def redact(deps: Deps, s: Session, letter_id: int, patterns: Sequence[str], *, actor: str,
           now: datetime, field: str = "letter", regex: bool = False) -> Outcome:  # fmt: skip
    """Replace each pattern (literal text, case-insensitive; or a regular expression)
    with ``[redacted]``.  Every pattern must be found, or nothing changes."""
    if not patterns:
        raise Refused("name the text to redact")
    _letter(s, letter_id)
    current = current_texts(s, letter_id)[0 if field == "letter" else 1]
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
    return edit(deps, s, letter_id, text, actor=actor, now=now, field=field,
                note=f"redacted ({count} passage{'s' if count != 1 else ''})")  # fmt: skip


def _held_raw(s: Session, raw_id: int) -> RawMessageRow:
    raw = s.get(RawMessageRow, raw_id, with_for_update=True)
    if raw is None or raw.status not in ("held", "quarantined"):
        raise Refused(f"R-{raw_id} is not a held message")
    return raw


def accept_reply(deps: Deps, s: Session, raw_id: int, letter_id: int | None, *, actor: str,
                 now: datetime) -> Outcome:  # fmt: skip
    """Take a held reply (another sender, an expired key…) as the response to its letter."""
    raw = _held_raw(s, raw_id)
    target = letter_id if letter_id is not None else raw.letter_id
    if target is None:
        raise Refused(f"R-{raw_id} names no letter: accept R-{raw_id} LETTER-ID")
    letter = _letter(s, target)
    if letter.state not in (S.awaiting_author, S.no_response):
        raise Refused(f"letter {target} is {letter.state.replace('_', ' ')}: "
                      "it takes no response now")  # fmt: skip
    mail = parse_message(raw.raw)
    reply = extract_answer(mail, sent_for(s, target))
    if not reply.text.strip():
        raise Refused(f"R-{raw_id} has no new text")
    sender = mail.sender.email if mail.sender else ""
    s.add(ResponseRow(letter_id=target, raw_id=raw_id, author_email=sender, text=reply.text,
                      cut=reply.cut, received_at=now))  # fmt: skip
    raw.status, raw.letter_id = "processed", target
    raw.note = f"{raw.note}; accepted by {actor}".lstrip("; ")
    s.add(raw)
    _move(s, letter, Event.response_matched, actor=actor, now=now,
          note=f"held reply R-{raw_id} from {sender or '(no sender)'} accepted")  # fmt: skip
    # a flag for the approval gate: this response never came through the author's key
    Store.note(s, at=now, event=HELD_REPLY_ACCEPTED_EVENT, letter_id=target, raw_id=raw_id,
               actor=actor, note="an editor's approve is needed, whatever the approval mode")  # fmt: skip
    return _done(letter, f"R-{raw_id} is now the response to letter {target}")


def dismiss(deps: Deps, s: Session, raw_id: int, *, actor: str, now: datetime,
            reason: str = "") -> Outcome:  # fmt: skip
    """Take a held message off the editors' list (it stays stored)."""
    raw = _held_raw(s, raw_id)
    raw.status = "dismissed"
    s.add(raw)
    Store.note(s, at=now, event="dismissed", raw_id=raw_id, letter_id=raw.letter_id, actor=actor,
               note=reason or "dismissed by an editor")  # fmt: skip
    return Outcome(f"R-{raw_id} dismissed", raw.letter_id)
