"""The editors' digest as a view: what came in, what waits on whom, what to do next.

:func:`build_digest` turns plain values (one :class:`LetterFacts` per letter,
one :class:`HeldFacts` per held reply) into a :class:`DigestView` that the
``mail/digest.txt`` and ``mail/digest.html`` templates print.  It owns the
sections and their order, the caps on long lists, the short excerpts, the
"days left" arithmetic and, for each item, the commands an editor can reply
with.  Pure: no I/O, no clock (``now`` is part of the input), so the golden
files and the 10,000-letter benchmark run it as it is.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from intake.domain.lifecycle import LetterState

S = LetterState
# states an editor has to decide something in, oldest first in the digest
DECIDE_STATES = frozenset(
    {S.needs_review, S.response_received, S.no_response, S.declined, S.ready, S.held, S.retracted}
)
_EXCERPT_CHARS = 180
_EXCERPT_WIDTH = 66
# "Dear Editor:", "To the editor," — or any short first line ending in a comma or colon
# ("Hello,", "Liebe Redaktion,"), which is a greeting, not the letter
_SALUTATION = re.compile(
    r"^\s*(?:dear\s+(?:editor|sir|madam|editors)[^\n]*|to the editor[^\n]*|[^\n.!?]{1,30}[,:])[ \t]*\n",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterFacts:
    """One letter as the digest needs it (the current text, after edits)."""

    id: int
    state: str
    writer: str
    subject: str
    text: str
    received_at: datetime
    deadline_at: datetime | None = None
    article_title: str = ""
    article_url: str = ""
    author_email: str = ""
    candidates: tuple[str, ...] = ()  # candidate article URLs, best first
    findings: tuple[str, ...] = ()
    campaign_id: int | None = None  # the first letter of its campaign
    arrived_at: datetime | None = None  # when intake fetched it (default: received_at)


@dataclass(frozen=True, slots=True, kw_only=True)
class HeldFacts:
    """One reply set aside for an editor."""

    raw_id: int
    sender: str
    subject: str
    note: str
    letter_id: int | None
    fetched_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestInput:
    publication: str
    now: datetime
    timezone: str
    since: datetime | None  # when the last digest went out; None: this is the first
    letters: Sequence[LetterFacts]
    held: Sequence[HeldFacts]
    quarantined: int
    reply_address: str  # the signed command address the editors answer to
    valid_days: int  # how long that address takes commands
    web_url: str = ""  # the web desk's address (web.base_url); "": no links to it
    limit: int = 25  # items per section; the rest is counted, not listed


@dataclass(frozen=True, slots=True, kw_only=True)
class CountView:
    state: str
    label: str
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemView:
    ref: str  # "L-12"
    state_label: str
    age: str
    writer: str
    subject: str
    excerpt: str
    excerpt_lines: tuple[str, ...]
    article: str
    article_url: str
    findings: tuple[str, ...]
    campaign: str
    commands: tuple[str, ...]
    link: str  # the letter's page in the web desk; "" without web.base_url


@dataclass(frozen=True, slots=True, kw_only=True)
class WaitingView:
    ref: str
    writer: str
    article: str
    author: str
    days_left: int
    when: str
    commands: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class HeldView:
    ref: str  # "R-7"
    age: str
    sender: str
    subject: str
    note: str
    note_lines: tuple[str, ...]
    letter_ref: str
    commands: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class DigestView:
    publication: str
    subject: str
    date_label: str
    since_label: str  # "" for the first digest
    counts: tuple[CountView, ...]
    total: int
    quarantined: int
    new: tuple[ItemView, ...]
    new_total: int
    decide: tuple[ItemView, ...]
    decide_total: int
    waiting: tuple[WaitingView, ...]
    waiting_total: int
    held: tuple[HeldView, ...]
    held_total: int
    reply_address: str
    valid_days: int
    example_id: int  # a real letter id for the instructions, so copying them does something


def _label(state: str) -> str:
    return state.replace("_", " ")


def _local(value: datetime, timezone: str) -> datetime:
    return value.astimezone(ZoneInfo(timezone))


def _day(value: datetime) -> str:
    return f"{value.day} {value:%B %Y}"


def age_words(since: datetime, now: datetime) -> str:
    """Return how long ago *since* was, in the largest whole unit: "3 days", "5 hours"."""
    seconds = max(0, int((now - since).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return "under a minute"


def excerpt(text: str, limit: int = _EXCERPT_CHARS) -> str:
    """Return the opening of a letter on one line, without the salutation, cut at a word."""
    head = _SALUTATION.sub("", text[: limit * 3].lstrip(), count=1)
    flat = " ".join(head.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0].rstrip(",;:.-–—")
    return cut + "…"


def clip(text: str, limit: int) -> str:
    """Return *text* on one line, cut to *limit* characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def commands_for(letter: LetterFacts) -> tuple[str, ...]:
    """Return the replies that move *letter* on from its state, most likely first; a letter
    an editor decides on offers ``show`` first (the letter in full, with a print preview)."""
    n = letter.id
    state = letter.state
    if state == S.needs_review:
        if not letter.article_url:
            url = letter.candidates[0] if letter.candidates else "URL"
            return (f"assign {n} {url}", f"show {n}", f"reject {n}")
        if letter.author_email:
            return (f"show {n}", f"release {n}", f"approve {n}", f"reject {n}")
        return (f"show {n}", f"approve {n}", f"reject {n}")
    to_approve = (f"show {n}", f"approve {n}", f"reject {n}")
    table: dict[str, tuple[str, ...]] = {
        S.received: (f"hold {n}",),
        S.awaiting_author: (f"hold {n}", f"reject {n}"),
        S.response_received: to_approve,
        S.no_response: to_approve,
        S.declined: to_approve,
        S.ready: to_approve,
        S.approved: (f"show {n}", f"hold {n}"),
        S.held: (f"show {n}", f"release {n}", f"reject {n}"),
        S.retracted: to_approve,
    }
    return table.get(state, ())


def item_view(letter: LetterFacts, now: datetime, web_url: str = "") -> ItemView:
    """One letter as the digest (and the web desk's queue) lists it."""
    text = excerpt(letter.text)
    if letter.article_title:
        article = clip(letter.article_title, 62)
    elif letter.candidates:
        article = "not found (best guess below)"
    else:
        article = "not found"
    campaign = ""
    if letter.campaign_id is not None:
        campaign = (
            "first of a campaign"
            if letter.campaign_id == letter.id
            else f"campaign with L-{letter.campaign_id}"
        )
    return ItemView(
        ref=f"L-{letter.id}",
        state_label=_label(letter.state),
        age=age_words(letter.received_at, now),
        writer=clip(letter.writer or "(no name)", 40),
        subject=clip(letter.subject or "(no subject)", 62),
        excerpt=text,
        excerpt_lines=tuple(textwrap.wrap(text, _EXCERPT_WIDTH)) if text else (),
        article=article,
        article_url=letter.article_url or (letter.candidates[0] if letter.candidates else ""),
        findings=letter.findings,
        campaign=campaign,
        commands=commands_for(letter),
        link=f"{web_url}/letters/{letter.id}" if web_url else "",
    )


def _waiting(letter: LetterFacts, data: DigestInput) -> WaitingView:
    assert letter.deadline_at is not None
    left = letter.deadline_at - data.now
    deadline = _day(_local(letter.deadline_at, data.timezone))
    if left.total_seconds() <= 0:
        when = f"deadline passed ({deadline})"
    elif left.days == 0:
        when = f"less than a day left (until {deadline})"
    else:
        when = f"{left.days} day{'s' if left.days != 1 else ''} left (until {deadline})"
    return WaitingView(
        ref=f"L-{letter.id}",
        writer=clip(letter.writer or "(no name)", 30),
        article=clip(letter.article_title or "(no article)", 40),
        author=letter.author_email,
        days_left=max(0, left.days),
        when=when,
        commands=commands_for(letter),
    )


def _held(held: HeldFacts, now: datetime) -> HeldView:
    ref = f"R-{held.raw_id}"
    commands = (
        (f"accept {ref}", f"dismiss {ref}")
        if held.letter_id is not None
        else (f"accept {ref} LETTER-ID", f"dismiss {ref}")
    )
    return HeldView(
        ref=ref,
        age=age_words(held.fetched_at, now),
        sender=clip(held.sender or "(no sender)", 50),
        subject=clip(held.subject or "(no subject)", 62),
        note=held.note,
        note_lines=tuple(textwrap.wrap(held.note, _EXCERPT_WIDTH - 10)) or ("",),
        letter_ref=f"L-{held.letter_id}" if held.letter_id is not None else "",
        commands=commands,
    )


def build_digest(data: DigestInput) -> DigestView:
    """Return the digest for *data*: one pass to count and sort, views only for what is shown."""
    counts = Counter(letter.state for letter in data.letters)
    new: list[LetterFacts] = []
    decide: list[LetterFacts] = []
    waiting: list[LetterFacts] = []
    for letter in data.letters:
        if data.since is None or (letter.arrived_at or letter.received_at) > data.since:
            new.append(letter)
        elif letter.state in DECIDE_STATES:
            decide.append(letter)
        if letter.state == S.awaiting_author and letter.deadline_at is not None:
            waiting.append(letter)
    new.sort(key=lambda x: (x.received_at, x.id))
    decide.sort(key=lambda x: (x.received_at, x.id))
    waiting.sort(key=lambda x: (x.deadline_at or data.now, x.id))
    held = sorted(data.held, key=lambda h: h.raw_id)
    cap = data.limit
    local_now = _local(data.now, data.timezone)
    to_decide = sum(counts[s] for s in DECIDE_STATES)
    since_label = ""
    if data.since is not None:
        since = _local(data.since, data.timezone)
        since_label = f"{_day(since)}, {since:%H:%M}"
    actionable = [*decide, *new]
    example = next((x.id for x in actionable if x.state in DECIDE_STATES), 0) or (
        data.letters[0].id if data.letters else 12
    )
    return DigestView(
        publication=data.publication,
        subject=(
            f"{data.publication} letters desk, {_day(local_now)}: "
            f"{len(new)} new, {to_decide} to decide, {len(held)} held"
        ),
        date_label=f"{local_now:%A} {_day(local_now)}",
        since_label=since_label,
        counts=tuple(
            CountView(state=s.value, label=_label(s.value), count=counts[s.value])
            for s in LetterState
            if counts[s.value]
        ),
        total=len(data.letters),
        quarantined=data.quarantined,
        new=tuple(item_view(x, data.now, data.web_url) for x in new[:cap]),
        new_total=len(new),
        decide=tuple(item_view(x, data.now, data.web_url) for x in decide[:cap]),
        decide_total=len(decide),
        waiting=tuple(_waiting(x, data) for x in waiting[:cap]),
        waiting_total=len(waiting),
        held=tuple(_held(h, data.now) for h in held[:cap]),
        held_total=len(held),
        reply_address=data.reply_address,
        valid_days=data.valid_days,
        example_id=example,
    )
