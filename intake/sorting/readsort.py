"""Read and sort one stored message: the pure half of handling it, wherever it runs.

Owns what the poll does to a stored message before the database is touched: the size
check, the quick read and sort of machine mail, else the full read (:func:`read_stored`),
and the full sort with the catalogue's look-up (:func:`sort_read`).  The poll runs these in
its own process, or in a sorting process ahead of the handling (``[classify]
sort_processes``, :mod:`intake.adapters.sortpool`), which sends back a :class:`Ready` for
each message; everything here pickles, and gives the same answer in either process.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from intake.domain.commandtoken import is_command_token
from intake.domain.errors import MessageError
from intake.domain.model import ArticleMatch, ParsedMail
from intake.mail.parse import parse_message, parse_pieces
from intake.mail.quickread import QUICK_BYTES, can_read_quickly, read_head, read_quickly
from intake.sorting.articles import Catalogue
from intake.sorting.classify import DeskIdentity
from intake.sorting.relays import RelaySenders
from intake.sorting.sortmail import (
    LookUp,
    Sorted,
    may_be_machine_mail,
    sort_machine_mail,
    sort_mail,
)


@dataclass(frozen=True, slots=True)
class SortRules:
    """What reading and sorting a message needs of the desk's settings."""

    desk: DeskIdentity
    relays: RelaySenders
    timezone: str  # the desk's: a letter's "yesterday" is its writer's
    max_message_bytes: int  # larger messages are refused unread


@dataclass(frozen=True, slots=True)
class Read:
    """A stored message read: machine mail sorted from the quick read, else the full read."""

    mail: ParsedMail  # the quick read of machine mail, else the full read
    machine: Sorted | None  # machine mail, sorted (its ``letter`` is the quick read)


@dataclass(frozen=True, slots=True)
class LookedUp:
    """A look-up the sort made in the catalogue: taking the letter asks the same again."""

    mail: ParsedMail
    sent_on: date | None
    found: tuple[ArticleMatch, ...]


@dataclass(frozen=True, slots=True)
class Ready:
    """One message read and sorted ahead of its handling, or why it could not be.

    Exactly one of: *read* with *sorted* (its full sort; a duplicate's is never used),
    *refused* (the :class:`MessageError` that quarantines it), *over_budget* (the budget
    in seconds its reading and sorting ran past).  *looked_up*: the sort's last look-up in
    the catalogue, if it made one.
    """

    read: Read | None = None
    sorted: Sorted | None = None
    refused: str = ""
    over_budget: float = 0.0
    looked_up: LookedUp | None = None


def read_stored(raw: bytes, rules: SortRules) -> Read:
    """Read *raw*: machine mail quickly and sorted, anything else in full.

    :raises MessageError: the message is over ``max_message_bytes`` or cannot be read.
    """
    refuse_if_too_large(len(raw), rules.max_message_bytes)
    machine = _sort_machine_mail(raw, rules)
    return Read(mail=machine.letter if machine else parse_message(raw), machine=machine)


def read_stored_pieces(read: Callable[[], Iterable[bytes]], size: int, rules: SortRules) -> Read:
    """:func:`read_stored` of the *size* bytes *read* yields a piece at a time, afresh on
    each call: a message too large for the quick read is read in full, and never held
    whole (:func:`intake.mail.parse.parse_pieces`).

    :raises MessageError: as :func:`read_stored`.
    """
    refuse_if_too_large(size, rules.max_message_bytes)
    if size <= QUICK_BYTES:
        return read_stored(b"".join(read()), rules)
    return Read(mail=parse_pieces(read), machine=None)


def refuse_if_too_large(size: int, max_message_bytes: int) -> None:
    """Refuse a message of *size* bytes over *max_message_bytes*, before it is read.

    :raises MessageError: it is.
    """
    if size > max_message_bytes:
        # parsing costs several times the message in memory (PERF.md: ~200 MB for
        # 27 MB): a giant is kept whole and set aside for an editor instead
        limit = max_message_bytes // 2**20
        raise MessageError(
            f"message of {size / 2**20:.0f} MB is over classify.max_message_mb "
            f"({limit} MB): stored, not parsed"
        )


def _sort_machine_mail(raw: bytes, rules: SortRules) -> Sorted | None:
    """Read *raw* quickly and sort it when it is machine mail (its ``letter`` is the quick
    read); ``None`` when it may be a letter, a reply or a relayed or forwarded letter, which
    the full read decides.  An editor answering us (a command token) gets the full read."""
    if not can_read_quickly(raw):
        return None
    try:
        if not may_be_machine_mail(read_head(raw), rules.desk):
            return None  # most likely a letter: read it once, in full
        quick = read_quickly(raw)
    except MessageError:
        return None  # the full read says why, or reads it after all
    machine = sort_machine_mail(quick, rules.desk, relays=rules.relays)
    key = machine.verdict.reply_key if machine else None
    return None if key and is_command_token(key) else machine


def sort_read(read: Read, rules: SortRules, look_up: LookUp) -> Sorted:
    """Sort a message read by :func:`read_stored` (machine mail is sorted already)."""
    return read.machine or sort_mail(read.mail, rules.desk, relays=rules.relays, look_up=look_up)


def look_up_in(catalogue: Catalogue, timezone: str, seen: list[LookedUp] | None = None) -> LookUp:
    """The catalogue look-up the classifier makes for a short message (only then); each one
    made is added to *seen*."""

    def best(mail: ParsedMail) -> ArticleMatch | None:
        # the letter's own date resolves "yesterday's editorial" (as taking the letter does)
        sent_on = mail.date.astimezone(ZoneInfo(timezone)).date() if mail.date else None
        found = catalogue.match(text=mail.text, subject=mail.subject, html=mail.html,
                                sent_on=sent_on)  # fmt: skip
        if seen is not None:
            seen.append(LookedUp(mail=mail, sent_on=sent_on, found=found))
        return found[0] if found else None

    return best


def read_and_sort(raw: bytes, rules: SortRules, catalogue: Catalogue) -> Ready:
    """Read and sort *raw* whole, as a sorting process does ahead of the handling."""
    try:
        read = read_stored(raw, rules)
    except MessageError as exc:
        return Ready(refused=str(exc))
    seen: list[LookedUp] = []
    sorted_ = sort_read(read, rules, look_up_in(catalogue, rules.timezone, seen))
    return Ready(read=read, sorted=sorted_, looked_up=seen[-1] if seen else None)
