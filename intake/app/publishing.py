"""The publish use case: letters out of the database, onto the page.

Each run first passes letters through the approval gate (:mod:`intake.app.gate`):
a letter with a response, and, when the house style says so, one its author
declined or let lapse, becomes ``ready`` and waits for an editor.  Each letter an
editor approved (state ``approved``) is then rendered in the chosen format into
``out_dir`` under a stable file name, written atomically, and moves to
``published``.  A crash between the write and the state change rewrites the
same file on the next run.

What is printed is what the editors last said: the letter's stored signature,
town and dek (see :mod:`intake.app.printfields`) and the newest edit of the letter
or response text (``EditRow``) win over what the parser found.  The house
style is read afresh on every run, so a change to it shows in the next render.

A letters page (:func:`publish_page`) gathers every letter published on a day,
or over an issue's days, grouped by article, into one file.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from intake.adapters.privatefiles import replace_private
from intake.adapters.store import (
    ArticleRow,
    AuditRow,
    AuthorRow,
    EditRow,
    LetterRow,
    ResponseRow,
    Store,
    aware,
)
from intake.app.deps import Deps
from intake.app.gate import GateReport, make_ready
from intake.app.printfields import stored_signature
from intake.app.work import Work, begin
from intake.domain.errors import NotFound, StaleState
from intake.domain.lifecycle import Event, LetterState, advance
from intake.printing.housestyle import HouseStyle
from intake.printing.printview import (
    ANSWERED,
    DECLINED,
    NO_RESPONSE,
    UNANSWERED,
    PrintInput,
    page_view,
    pair_view,
)

log = logging.getLogger(__name__)

PUBLISHABLE = (LetterState.approved,)
EXTENSIONS = {"md": "md", "html": "html", "txt": "txt", "json": "json"}
# The last of these events on a letter says whether it has a response to print.
_OUTCOMES = {
    Event.response_matched.value: ANSWERED,
    Event.author_declined.value: DECLINED,
    Event.deadline_passed.value: NO_RESPONSE,
}


@dataclass
class PublishReport:
    written: list[Path] = field(default_factory=list)
    gate: GateReport = field(default_factory=GateReport)

    def summary(self) -> str:
        return f"{self.gate.summary()} published={len(self.written)}"


def slug(text: str, limit: int = 60) -> str:
    """Return a file-name-safe slug of *text*."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-") or "letter"


def print_input(
    s: Session, letter: LetterRow, *, published_on: str, publication: str
) -> PrintInput:
    """Read what is printed for *letter*: its article, author, response and the editors' fields."""
    assert letter.id is not None and letter.article_id is not None
    article = s.get(ArticleRow, letter.article_id)
    if article is None:
        raise NotFound(f"letter {letter.id}: article {letter.article_id} is gone")
    author = s.get(AuthorRow, article.author_id) if article.author_id else None
    status, response_text = _response_of(s, letter.id)
    signature = stored_signature(letter)
    return PrintInput(
        letter_id=letter.id,
        article_title=article.title,
        article_url=article.url,
        # the responding author's name as an editor set it, else the catalogue's
        author_name=letter.responder_name or (author.name if author else ""),
        # the display name only: an address must never become the printed name
        writer_name=letter.writer_name,
        letter_text=_latest_edit(s, letter.id, "letter") or letter.body,
        response_text=response_text,
        status=status,
        signature=signature,
        # the stored town goes with the stored signature; without one, the parser's
        town=letter.writer_town if signature else None,
        dek=letter.dek,
        headline=letter.headline,
        published_on=published_on,
        publication=publication,
    )


def _response_of(s: Session, letter_id: int) -> tuple[str, str | None]:
    outcome = s.exec(
        select(AuditRow)
        .where(AuditRow.letter_id == letter_id, col(AuditRow.event).in_(list(_OUTCOMES)))
        .order_by(col(AuditRow.id).desc())
    ).first()
    status = _OUTCOMES[outcome.event] if outcome is not None else ANSWERED
    if status != ANSWERED:
        return status, None  # a decline is not a response, whatever its text
    response = s.exec(
        select(ResponseRow)
        .where(ResponseRow.letter_id == letter_id)
        .order_by(col(ResponseRow.id).desc())
    ).first()
    if response is None:
        return UNANSWERED, None
    return ANSWERED, _latest_edit(s, letter_id, "response") or response.text


def _latest_edit(s: Session, letter_id: int, name: str) -> str:
    edit = s.exec(
        select(EditRow)
        .where(EditRow.letter_id == letter_id, EditRow.field == name)
        .order_by(col(EditRow.id).desc())
    ).first()
    return edit.text if edit is not None and edit.text.strip() else ""


def published_at(s: Session, letter_id: int) -> datetime | None:
    """When *letter_id* was last published (a retracted letter approved again: the new
    date), or ``None``."""
    last = s.exec(
        select(AuditRow)
        .where(AuditRow.letter_id == letter_id, AuditRow.event == Event.published.value)
        .order_by(col(AuditRow.id).desc())
    ).first()
    return aware(last.at) if last is not None else None


def render_letter(
    deps: Deps, letter_id: int, fmt: str, style: HouseStyle | None = None
) -> tuple[str, str]:
    """Return (file name, rendered text) for one letter and its response."""
    with begin(deps) as work:
        return render_in(work, letter_id, fmt, style)


def render_in(
    work: Work, letter_id: int, fmt: str, style: HouseStyle | None = None
) -> tuple[str, str]:
    """:func:`render_letter` in the caller's unit of work (a preview sees its changes)."""
    deps, s = work.deps, work.session
    style = style or deps.house_style()
    zone = ZoneInfo(deps.policy.timezone)
    letter = s.get(LetterRow, letter_id)
    if letter is None or letter.article_id is None:
        raise NotFound(f"no letter {letter_id} with an article to print")
    when = published_at(s, letter_id) or work.now
    inp = print_input(s, letter, published_on=when.astimezone(zone).date().isoformat(),
                      publication=deps.policy.publication)  # fmt: skip
    name = f"letter-{letter_id:05d}-{slug(inp.article_title)}.{EXTENSIONS[fmt]}"
    return name, deps.renderer.pair(pair_view(inp, style), fmt)


def write_atomically(directory: Path, name: str, text: str) -> Path:
    """Write a published file ``0600``; the folder is created ``0700``, and one that exists
    keeps the mode the operator gave it (a CMS may read it)."""
    return replace_private(directory, name, text.encode("utf-8"), tighten_existing=False)


def publish(
    deps: Deps, fmt: str, *, again: bool = False, only: Collection[int] | None = None
) -> PublishReport:
    """Make waiting letters ready, then render every approved letter (only those in
    *only*, when given); with *again*, re-render published ones too."""
    style = deps.house_style()
    report = PublishReport(gate=make_ready(deps, style))
    states = [s.value for s in PUBLISHABLE] + ([LetterState.published.value] if again else [])
    for letter in deps.store.letters(states):
        assert letter.id is not None
        if letter.article_id is None or (only is not None and letter.id not in only):
            continue
        path = _publish_one(deps, letter.id, LetterState(letter.state), fmt, style)
        if path is not None:
            report.written.append(path)
            log.info("letter %s published to %s", letter.id, path)
    return report


def _publish_one(
    deps: Deps, letter_id: int, seen: LetterState, fmt: str, style: HouseStyle
) -> Path | None:
    """Write one letter and record it published, in one unit of work holding the letter's
    row: an editor who holds, rejects or retracts it after the list was read wins, and
    no file is left behind for a letter that did not become published."""
    path: Path | None = None
    try:
        with begin(deps) as work:
            current = work.session.exec(
                select(LetterRow).where(col(LetterRow.id) == letter_id).with_for_update()
            ).first()
            if current is None or current.state != seen.value:
                return None  # changed since the list was read: not ours to print any more
            name, text = render_in(work, letter_id, fmt, style)
            path = write_atomically(deps.publish_dir, name, text)
            if seen is not LetterState.published:
                Store.apply(work.session, advance(letter_id, seen, Event.published,
                                                  at=work.now, note=f"written to {path}"))  # fmt: skip
    except StaleState:
        if path is not None and seen is not LetterState.published:
            path.unlink(missing_ok=True)
        log.warning("letter %s changed while it was being published; left as it is", letter_id)
        return None
    return path


def publish_page(deps: Deps, fmt: str, first: date, last: date | None = None) -> Path:
    """Write the letters page of every letter published from *first* to *last* (inclusive).

    Days are the desk's; the file is ``letters-<first>[_<last>].<ext>`` in ``out_dir``.

    :raises NotFound: when no letter was published in those days.
    """
    last = last or first
    if last < first:
        raise ValueError(f"the page's last day {last} is before its first day {first}")
    style = deps.house_style()
    zone = ZoneInfo(deps.policy.timezone)
    pairs = []
    with deps.store.session() as s:
        for letter_id, day in _published_between(s, zone, first, last):
            letter = s.get(LetterRow, letter_id)
            if letter is None or letter.article_id is None:
                continue
            inp = print_input(s, letter, published_on=day.isoformat(),
                              publication=deps.policy.publication)  # fmt: skip
            pairs.append(pair_view(inp, style))
    span = first.isoformat() if last == first else f"{first.isoformat()} to {last.isoformat()}"
    if not pairs:
        raise NotFound(f"no letter was published on {span} (desk time zone {zone.key})")
    page = page_view(pairs, style, first=first, last=last, publication=deps.policy.publication)
    name = f"letters-{first.isoformat()}" + ("" if last == first else f"_{last.isoformat()}")
    path = write_atomically(
        deps.publish_dir, f"{name}.{EXTENSIONS[fmt]}", deps.renderer.page(page, fmt)
    )
    log.info("letters page for %s: %d letters to %s", span, page.letter_count, path)
    return path


def _published_between(
    s: Session, zone: ZoneInfo, first: date, last: date
) -> Iterable[tuple[int, date]]:
    """(letter id, day published) for letters in print, last published between the two
    days, in the order they were published (a retracted letter is on no page)."""
    in_print = set(
        s.exec(select(LetterRow.id).where(LetterRow.state == LetterState.published.value)).all()
    )
    latest: dict[int, AuditRow] = {}
    for row in s.exec(
        select(AuditRow).where(AuditRow.event == Event.published.value).order_by(col(AuditRow.id))
    ).all():
        if row.letter_id is not None and row.letter_id in in_print:
            latest[row.letter_id] = row  # a later publication replaces an earlier one
    for letter_id, row in sorted(latest.items(), key=lambda item: (item[1].at, item[1].id or 0)):
        at = aware(row.at)
        day = at.astimezone(zone).date() if at is not None else None
        if day is not None and first <= day <= last:
            yield letter_id, day
