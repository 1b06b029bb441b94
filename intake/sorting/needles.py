"""The words a pattern cannot match without: a quick test that skips a search bound to fail.

Owns :class:`Gated`, a compiled pattern with its *needles*: short runs of plain
characters (ASCII letters, digits, spaces) one of which every match of the
pattern must contain.  They are read from the pattern itself by :mod:`re`'s own
parser, so they can never disagree with it.  A search first looks for a needle
in the text folded as :mod:`re` compares letters under ``IGNORECASE``
(:func:`folded`), for each of the pattern's alternatives: a substring test is
much cheaper than a search that tries every alternative at every position.  An
alternative whose needles are missing cannot match anywhere in the text, so the
rest search it as the whole pattern would (the same first match); with none
left there is no search at all.  Every match, and every verdict built on one,
is exactly what it was.

Pure: no I/O.
"""

from __future__ import annotations

import functools
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


def _of_sequence(items: Any) -> Needles | None:
    """Needles of a sequence of parsed items: its best run of literal characters, or the
    best needles of one item every match of the sequence passes through."""
    choices: list[Needles] = []
    run = ""
    for op, av in items:
        if op is _C.LITERAL and chr(av) in NEEDLE_CHARS:
            run += chr(av).lower()
            continue
        if run:
            choices.append(frozenset((run,)))
            run = ""
        inner = _of_item(op, av)
        if inner is not None:
            choices.append(inner)
    if run:
        choices.append(frozenset((run,)))
    return _best(choices)


def _of_item(op: Any, av: Any) -> Needles | None:
    if op is _C.SUBPATTERN:
        return _of_sequence(av[-1])
    if op is _C.ATOMIC_GROUP:
        return _of_sequence(av)
    if op in _REPEATS:
        low, _, body = av
        return _of_sequence(body) if low >= 1 else None
    if op is _C.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            needles = _of_sequence(alternative)
            if needles is None:
                return None
            union |= needles
        return frozenset(union)
    return None


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


@functools.lru_cache(maxsize=1024)
def _union(parts: tuple[str, ...], flags: int) -> re.Pattern[str]:
    return re.compile("|".join(parts), flags)


def _needles_of(source: str, flags: int) -> tuple[str, ...] | None:
    found = _of_sequence(_PARSER.parse(source, flags))
    return None if found is None else _smallest(found)


def needles_of(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """The needles of *pattern*, lower-cased, or ``None`` when a match may hold none."""
    return _needles_of(pattern.pattern, pattern.flags)


@dataclass(frozen=True, slots=True)
class Gated:
    """A compiled pattern and its alternatives, each with its needles (``None``: always
    searched).

    A search leaves out the alternatives whose needles the text lacks: none of them can
    match anywhere in it, so the first position where the others match, and the first
    of them that matches there, are those of the whole pattern.
    """

    pattern: re.Pattern[str]
    parts: tuple[tuple[str, tuple[str, ...] | None], ...]

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> Gated:
        """*pattern* with its alternatives and their needles, read from it."""
        flags = pattern.flags
        sources = [pattern.pattern] if flags & re.VERBOSE else alternatives(pattern.pattern)
        try:
            parts = tuple((source, _needles_of(source, flags)) for source in sources)
        except re.error:  # not cut where it should be: the pattern is one alternative
            parts = ((pattern.pattern, needles_of(pattern)),)
        return cls(pattern, parts)

    def search(self, text: str, folded_text: str) -> re.Match[str] | None:
        """``pattern.search(text)``; *folded_text* is :func:`folded` of *text* (or of a
        text holding it), where a missing needle rules an alternative out."""
        kept = tuple(
            source
            for source, needles in self.parts
            if needles is None or any(n in folded_text for n in needles)
        )
        if len(kept) == len(self.parts):
            return self.pattern.search(text)
        return _union(kept, self.pattern.flags).search(text) if kept else None
