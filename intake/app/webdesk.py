"""What the web desk's pages show, and the guard that keeps two editors from overwriting.

The pages read through the same use cases as the command line and the digest:
the queue is the digest's items (:func:`intake.app.digestrun.gather_letters`,
:func:`intake.app.digest.item_view`) with counts by state and filters by
state, article and age; a letter is :func:`intake.app.queueview.show_in` plus
its print preview (the HTML the publishing run writes, sanitised), its
campaign siblings, the held replies naming it and the actions its state allows.

A letter's *version* is the id of its latest audit row: every action of the
desk, and every move of the worker's, writes one.  A page carries the version
it showed; :func:`guarded` runs an action only while the letter is still at
that version (the letter taken for writing first, on SQLite as on PostgreSQL),
so the second of two editors acting at once is told the letter changed since
they opened it, and nothing is done.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, func, select, update

from intake.adapters.store import AuditRow, LetterRow, aware
from intake.app.deps import Deps
from intake.app.desk import Outcome, Refused
from intake.app.digest import HeldFacts, ItemView, LetterFacts, item_view
from intake.app.digestrun import gather_held, gather_letters
from intake.app.publishing import render_in
from intake.app.queueview import show_in
from intake.app.work import Work, begin
from intake.domain.errors import NotFound
from intake.domain.lifecycle import TERMINAL, Event, LetterState, allowed_events
from intake.mail.links import normalise_url
from intake.printing.sanitise import clean_html

QUEUE_LIMIT = 200
_VERBS = {"approve": Event.approved, "release": Event.released, "hold": Event.held,
          "reject": Event.rejected, "retract": Event.retracted}  # fmt: skip  # rows on one queue page; the rest are counted


class Changed(Refused):
    """The letter changed since the editor's page showed it; nothing was done."""


@dataclass(frozen=True, slots=True, kw_only=True)
class QueueRow:
    id: int
    state: str
    version: int
    item: ItemView


@dataclass(frozen=True, slots=True, kw_only=True)
class QueuePage:
    counts: tuple[tuple[str, int], ...]  # (state, letters), states in lifecycle order
    total: int
    rows: tuple[QueueRow, ...]
    matching: int  # letters the filters match (rows shows the first QUEUE_LIMIT)
    held: int  # replies held for an editor


def _versions(s: Session, ids: Collection[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = s.exec(
        select(AuditRow.letter_id, func.max(AuditRow.id))
        .where(col(AuditRow.letter_id).in_(list(ids)))
        .group_by(col(AuditRow.letter_id))
    ).all()
    return {int(lid): int(top) for lid, top in rows if lid is not None and top is not None}


def letter_version(s: Session, letter_id: int) -> int:
    """The id of the letter's latest audit row (0 when it has none)."""
    return _versions(s, (letter_id,)).get(letter_id, 0)


def _wanted(fact: LetterFacts, states: Collection[str], article: str, before: datetime | None,
            candidates_ok: bool) -> bool:  # fmt: skip
    if states and fact.state not in states:
        return False
    if before is not None and fact.received_at > before:
        return False
    if article:
        urls = (fact.article_url, *(fact.candidates if candidates_ok else ()))
        return any(normalise_url(u) == article for u in urls if u)
    return True


def queue_page(deps: Deps, *, states: Collection[str] = (), article: str = "",
               older_than: timedelta | None = None, web_url: str = "") -> QueuePage:  # fmt: skip
    """The queue: counts by state, and the letters the filters match, oldest first."""
    with begin(deps) as work:
        s, now = work.session, work.now
        facts = gather_letters(s)
        held, _ = gather_held(s)
        counts: dict[str, int] = {}
        for fact in facts:
            counts[fact.state] = counts.get(fact.state, 0) + 1
        wanted_url = normalise_url(article) if article.strip() else ""
        before = now - older_than if older_than is not None else None
        chosen = [f for f in facts if _wanted(f, states, wanted_url, before, False)]
        shown = chosen[:QUEUE_LIMIT]
        versions = _versions(s, [f.id for f in shown])
        rows = tuple(
            QueueRow(
                id=f.id,
                state=f.state,
                version=versions.get(f.id, 0),
                item=item_view(f, now, web_url),
            )
            for f in shown
        )
        order = [state.value for state in LetterState]
        return QueuePage(
            counts=tuple((state, counts[state]) for state in order if counts.get(state)),
            total=len(facts),
            rows=rows,
            matching=len(chosen),
            held=len(held),
        )


def letter_page(deps: Deps, letter_id: int) -> dict[str, Any]:
    """One letter in full for its page: :func:`show_in`, the version, the print preview (the
    sanitised HTML publishing writes), the campaign's other letters, held replies naming it,
    and the actions its state allows."""
    with begin(deps) as work:
        try:
            item = show_in(work, letter_id)
        except NotFound:
            raise Refused(f"there is no letter {letter_id}") from None
        s = work.session
        item["version"] = letter_version(s, letter_id)
        item["preview_html"] = _preview(work, letter_id) if item["article"] else ""
        item["siblings"] = _siblings(s, item)
        item["held"] = [h for h in gather_held(s)[0] if h.letter_id == letter_id]
        item["actions"] = actions_for(LetterState(item["state"]))
        item["print_fields"] = print_fields(item)
        return item


def actions_for(state: LetterState) -> list[str]:
    """The desk's actions the lifecycle lets an editor take on a letter in *state* (the
    use case may still refuse one, saying why: approve needs an article)."""
    events = set(allowed_events(state))
    verbs = [verb for verb, event in _VERBS.items() if event in events]
    if Event.approved in events or state == LetterState.approved:
        verbs.append("publish")
    if state in (LetterState.needs_review, LetterState.held):
        verbs.append("assign")
    if state not in TERMINAL or state == LetterState.published:
        verbs += ["edit", "set"]
    return verbs


def print_fields(item: dict[str, Any]) -> dict[str, str]:
    """The values ``set`` changes, as they stand: name, town, title lines, dek, headline,
    responder (empty: the parser's, house style's or catalogue's)."""
    lines = [str(line) for line in item["signature"]]
    town = str(item["writer_town"] or "")
    middle = lines[1:]
    if town and middle and middle[-1] == town:
        middle = middle[:-1]
    return {"name": lines[0] if lines else "", "town": town, "title": " / ".join(middle),
            "dek": item["dek"], "headline": item["headline"],
            "responder": item["responder_name"]}  # fmt: skip


def _preview(work: Work, letter_id: int) -> str:
    try:
        html = render_in(work, letter_id, "html")[1]
    except NotFound:
        return ""
    return clean_html(html)  # sanitised again: the page embeds it as markup


def _siblings(s: Session, item: dict[str, Any]) -> list[dict[str, Any]]:
    campaign = item["campaign_id"]
    if campaign is None:
        return []
    rows = s.exec(
        select(LetterRow)
        .where(col(LetterRow.campaign_id) == campaign, col(LetterRow.id) != item["id"])
        .order_by(col(LetterRow.id))
        .limit(50)
    ).all()
    return [
        {
            "id": r.id,
            "state": r.state,
            "writer": r.writer_name or r.writer_email,
            "received_at": aware(r.received_at),
        }
        for r in rows
    ]


def held_replies(deps: Deps) -> list[HeldFacts]:
    """Replies held for an editor, oldest first."""
    with begin(deps) as work:
        return gather_held(work.session)[0]


def guarded(work: Work, letter_id: int, seen: int, action: Callable[[Work], Outcome]) -> Outcome:
    """Run *action* on the letter only if it is still at version *seen*.

    :raises Changed: when anything happened to it since (another editor's action, the
        worker's); nothing is done.
    """
    s = work.session
    # take the letter for writing before reading its version: a row lock on PostgreSQL,
    # SQLite's write lock (which a plain read does not take), so a second editor's check
    # waits for the first editor's action to commit and then sees it
    try:
        taken = s.exec(
            update(LetterRow)
            .where(col(LetterRow.id) == letter_id)
            .values(state=LetterRow.state)
            .execution_options(synchronize_session=False)
        )
    except OperationalError as exc:
        # SQLite gave up waiting for the other action's write lock: it is still under way
        if "locked" not in str(exc.orig):
            raise
        raise Changed(f"letter {letter_id} is being changed by someone else right now. Nothing "
                      "was done; read it again and decide.") from exc  # fmt: skip
    if taken.rowcount != 1:
        raise Refused(f"there is no letter {letter_id}")
    now = letter_version(s, letter_id)
    if now != seen:
        last = s.get(AuditRow, now)
        what = (f": {last.event.replace('_', ' ')} by {last.actor} at "
                f"{last.at:%H:%M} UTC" if last is not None else "")  # fmt: skip
        raise Changed(f"letter {letter_id} changed since you opened it{what}. Nothing was done; "
                      "read it again and decide.")  # fmt: skip
    return action(work)
