"""The words a pattern cannot match without: a quick test that skips a search bound to fail.

Owns :class:`Gated`, a compiled pattern with, for each of its alternatives, its
*needles*: sets of short runs of plain characters (ASCII letters, digits,
spaces) such that every match of the alternative holds one run of each set.
They are read from the pattern itself by :mod:`re`'s own parser, so they can
never disagree with it.  A search first looks for the needles in the text
folded as :mod:`re` compares letters under ``IGNORECASE`` (:func:`folded`): a
substring test is much cheaper than a search that tries every alternative at
every position.  An alternative that lacks a set cannot match anywhere in the
text; the others are searched each alone, and the first match in the text (the
first alternative's, of two at one place) is the whole pattern's; with none
left there is no search at all.  An alternative every match of which starts
with one of a few runs of plain characters (after ``\b``, ``^`` or a look-around)
is not searched at every place in the text but tried only where one of those runs
stands in the folded text (:func:`starts_of`): the folded text keeps every
character's place, so the first place it matches at is where the search would
have found it.  Every match, and every verdict built on one, is exactly what it was.

Pure: no I/O.
"""

from __future__ import annotations

import importlib
import re
import string
from dataclasses import dataclass
from typing import Any, Final

# re's parser and its opcodes (private modules without stubs; sre_parse, the public
# name, warns that it is deprecated)
_PARSER: Final[Any] = importlib.import_module("re._parser")
_C: Final[Any] = importlib.import_module("re._constants")

# Characters a needle may hold: each compares as itself, or (a letter, under IGNORECASE)
# as its lower case and the few other characters below; tests check this for all of Unicode.
NEEDLE_CHARS: Final = frozenset(string.ascii_letters + string.digits + " ")
# The characters outside ASCII that re matches to an ASCII letter under IGNORECASE
# (the Turkish dotted and dotless i, the long s, the Kelvin sign), as that letter.
_TO_ASCII: Final = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
_REPEATS: Final = (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT)
# Words nearly every message holds: a needle among them lets nearly every text through,
# so another of the pattern's words is chosen where there is one (speed only: any choice
# of needles gives the same matches).
_COMMON_WORDS = (
    "a about after all also am an and any are as at be been but by can could did do does "
    "for from had has have he her here his how i if in into is it its just like me more "
    "most my no not of on one or our out over please she so some than that the their them "
    "then there these they this those to too up us was we were what when where which who "
    "will with would you your"
)
_COMMON: Final = frozenset(_COMMON_WORDS.split())


def folded(text: str) -> str:
    """*text* lower-cased so that wherever a pattern's run of plain characters matches
    (under ``IGNORECASE`` or not), the run itself, lower-cased, stands in the result."""
    if text.isascii():
        return text.lower()
    # mapped first: str.lower() makes two characters of the dotted capital I
    return text.translate(_TO_ASCII).lower()


Needles = frozenset[str]

_BY_LENGTH: Final = {1: 100, 2: 50, 3: 20, 4: 10, 5: 6}


def _cost(needles: Needles) -> int:
    """How many texts in a hundred *needles* let through, roughly (a letter passes nearly
    all, a common word or two letters most, a long word few)."""
    return sum(90 if n.strip() in _COMMON else _BY_LENGTH.get(len(n), 4) for n in needles)


def _best(choices: list[Needles]) -> Needles | None:
    """The choice that lets fewest texts through (by :func:`_cost`)."""
    return min(choices, key=_cost, default=None)


def _clauses(items: Any) -> list[Needles]:
    """Each a set of needles every match of a sequence of parsed items holds one of: its
    runs of literal characters, and what each item every match passes through needs."""
    choices: list[Needles] = []
    run = ""
    for op, av in items:
        if op is _C.LITERAL and chr(av) in NEEDLE_CHARS:
            run += chr(av).lower()
            continue
        if run:
            choices.append(frozenset((run,)))
            run = ""
        if op is _C.SUBPATTERN:
            choices += _clauses(av[-1])
        elif op is _C.ATOMIC_GROUP:
            choices += _clauses(av)
        elif op in _REPEATS and av[0] >= 1:
            choices += _clauses(av[2])
        elif op is _C.BRANCH and (union := _of_branch(av[1])) is not None:
            choices.append(union)
    if run:
        choices.append(frozenset((run,)))
    return choices


def _of_sequence(items: Any) -> Needles | None:
    """The best of a sequence's :func:`_clauses`."""
    return _best(_clauses(items))


def _of_branch(alternatives: Any) -> Needles | None:
    union: set[str] = set()
    for alternative in alternatives:
        needles = _of_sequence(alternative)
        if needles is None:
            return None
        union |= needles
    return frozenset(union)


def _smallest(needles: Needles) -> tuple[str, ...]:
    """*needles* without those holding another (any text with ``newspaper`` has ``paper``)."""
    kept = [n for n in needles if not any(o != n and o in n for o in needles)]
    return tuple(sorted(kept, key=lambda n: (-len(n), n)))


def alternatives(source: str) -> list[str]:
    """*source* cut at each ``|`` outside groups and character sets: its alternatives."""
    parts: list[str] = []
    depth, start, at, in_set = 0, 0, 0, False
    while at < len(source):
        char = source[at]
        if char == "\\":
            at += 2
            continue
        if in_set:
            in_set = char != "]"
        elif char == "[":
            in_set = True
            at += 1 + source.startswith("^", at + 1)
            at += source.startswith("]", at)  # a ']' first in a set stands for itself
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(source[start:at])
            start = at + 1
        at += 1
    parts.append(source[start:])
    return parts


_CLAUSES_KEPT: Final = 3  # the most telling: more cost a test each and rule out little more
_PASSES_MOST: Final = 50  # a cost (texts in a hundred let through) that rules out too few


def clauses_of(source: str, flags: int) -> tuple[tuple[str, ...], ...]:
    """Sets of needles, lower-cased, the most telling first: every match of the pattern
    *source* holds one needle of each (none: a match may hold none)."""
    clauses = sorted(_clauses(_PARSER.parse(source, flags)), key=_cost)[:_CLAUSES_KEPT]
    # a further set that nearly every text passes costs its test and rules nothing out
    telling = clauses[:1] + [c for c in clauses[1:] if _cost(c) < _PASSES_MOST]
    return tuple(_smallest(clause) for clause in telling)


# items that match no character: a match of what follows starts where they stand
_ZERO_WIDTH: Final = (_C.AT, _C.ASSERT, _C.ASSERT_NOT)


def _in_place(char: str) -> bool:
    """Whether *char*, wherever a pattern's literal of it matches, stands lower-cased at the
    same place in the folded text: a needle character, or one without case (which matches
    only itself, under ``IGNORECASE`` too) that folding leaves alone."""
    return char in NEEDLE_CHARS or (
        char.lower() == char == char.upper() and ord(char) not in _TO_ASCII
    )


def _exact(op: Any, av: Any, ignorecase: bool) -> frozenset[str] | None:
    """What one parsed item matches, lower-cased, when that is one character of a few kept
    in place: a literal, or (case mattering) a set of literals; else ``None``."""
    if op is _C.LITERAL and _in_place(chr(av)):
        return frozenset((chr(av).lower(),))
    if op is _C.IN and not ignorecase and all(o is _C.LITERAL and _in_place(chr(a)) for o, a in av):
        return frozenset(chr(a).lower() for _, a in av)
    return None


def _starts(items: Any, ignorecase: bool) -> frozenset[str] | None:
    """Runs of characters kept in place, lower-cased, one of which every match of a
    sequence of parsed items starts with; ``None`` when a match may start otherwise."""
    for at, (op, av) in enumerate(items):
        head = _exact(op, av, ignorecase)
        if head is not None:
            after = _starts(items[at + 1 :], ignorecase)
            return frozenset(h + a for h in head for a in after) if after else head
        if op in _ZERO_WIDTH:
            continue
        if op is _C.SUBPATTERN:
            _, add, remove, body = av
            inner = (ignorecase or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
            return _starts(body, inner)
        if op is _C.ATOMIC_GROUP:
            return _starts(av, ignorecase)
        if op in _REPEATS and av[0] >= 1:
            return _starts(av[2], ignorecase)
        if op is _C.BRANCH:
            union: set[str] = set()
            for alternative in av[1]:
                starts = _starts(alternative, ignorecase)
                if starts is None:
                    return None
                union |= starts
            return frozenset(union)
        return None
    return None


def starts_of(source: str, flags: int) -> tuple[str, ...] | None:
    """The runs of plain characters, lower-cased, one of which every match of the pattern
    *source* starts with (none held by another's start: any text with ``adding`` at a
    place has ``add`` there); ``None`` when a match may start with anything else."""
    starts = _starts(_PARSER.parse(source, flags), bool(flags & re.IGNORECASE))
    if starts is None:
        return None
    return tuple(sorted(s for s in starts if not any(o != s and s.startswith(o) for o in starts)))


def needles_of(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """The needles of *pattern*, lower-cased, or ``None`` when a match may hold none."""
    clauses = clauses_of(pattern.pattern, pattern.flags)
    return clauses[0] if clauses else None


Clauses = tuple[tuple[str, ...], ...]
# Tried at each place one of its starts stands only while there are fewer such places than
# one in this many characters of the text; past that, one search is cheaper (speed only).
_CHARS_PER_START: Final = 8


@dataclass(frozen=True, slots=True)
class Part:
    """One alternative of a gated pattern: compiled alone, the sets of needles each match
    holds one of each of (none: always searched), and the runs one of which each match
    starts with (``None``: it may start with anything)."""

    pattern: re.Pattern[str]
    clauses: Clauses
    starts: tuple[str, ...] | None

    def first(self, text: str, folded_text: str | None) -> re.Match[str] | None:
        """``pattern.search(text)``; *folded_text* is :func:`folded` of *text* itself,
        or ``None`` when it is of a longer text holding it (no place can be told then)."""
        if self.starts is None or folded_text is None:
            return self.pattern.search(text)
        places: list[int] = []
        most = len(text) // _CHARS_PER_START
        for start in self.starts:
            at = folded_text.find(start)
            while at >= 0:
                places.append(at)
                if len(places) > most:
                    return self.pattern.search(text)
                at = folded_text.find(start, at + 1)
        # no two starts stand at one place (neither starts the other): each place once
        places.sort()
        match = self.pattern.match  # at a place, what a search reaching it would find
        for at in places:
            found = match(text, at)
            if found is not None:
                return found
        return None


@dataclass(frozen=True, slots=True)
class Gated:
    """A compiled pattern and its alternatives (:class:`Part`).

    A search leaves out the alternatives a set of whose needles the text lacks: none can
    match anywhere in it.  Of the others, the one that matches first in the text (the
    first of them in the pattern, where two start at the same place) gives the match the
    whole pattern gives: the whole pattern tries its alternatives in turn at each place.
    """

    pattern: re.Pattern[str]
    parts: tuple[Part, ...]

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Gated:
        """*pattern* with its alternatives, their needles and starts, read from it."""
        flags = pattern.flags
        sources = [pattern.pattern] if flags & re.VERBOSE else alternatives(pattern.pattern)
        try:
            parts = tuple(
                Part(re.compile(s, flags), clauses_of(s, flags), starts_of(s, flags))
                for s in sources
            )
        except re.error:  # not cut where it should be: the pattern is one alternative
            source = pattern.pattern
            parts = (Part(pattern, clauses_of(source, flags), starts_of(source, flags)),)
        return cls(pattern, parts)

    def search(self, text: str, folded_text: str) -> re.Match[str] | None:
        """``pattern.search(text)``; *folded_text* is :func:`folded` of *text* (or of a
        text holding it), where a missing needle rules an alternative out."""
        kept = []
        for part in self.parts:  # loops, not generators: this runs very often
            for needles in part.clauses:
                for needle in needles:
                    if needle in folded_text:
                        break
                else:
                    break  # no needle of this set: the alternative cannot match
            else:
                kept.append(part)
        # folding keeps every character's place: a folded text as long as the text is its own
        own = folded_text if len(folded_text) == len(text) else None
        if own is None and len(kept) == len(self.parts):
            return self.pattern.search(text)
        first = None
        for part in kept:
            found = part.first(text, own)
            if found is not None and (first is None or found.start() < first.start()):
                first = found
        return first
