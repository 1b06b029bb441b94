"""A gated search finds exactly what the pattern's own search finds (intake.sorting.needles).

The needles are read from each pattern by re's parser; what has to hold for the gate to
be exact is that the folded text keeps every run a pattern's literal characters match,
which is checked here for all of Unicode, and that the gated search of every content
signal and ask agrees with the plain search on the project's mail and on texts made to
trip it (the Turkish i, the long s, the Kelvin sign, words split across a cut).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from intake.mail.parse import parse_message
from intake.sorting import asks, letterscore
from intake.sorting.needles import (
    NEEDLE_CHARS,
    Gated,
    alternatives,
    clauses_of,
    folded,
    needles_of,
    starts_of,
)

DATA = Path(__file__).parents[2] / "data"
EVERY_CHARACTER = "".join(map(chr, range(0x110000)))


@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_every_character_a_needle_character_matches_folds_to_it(flags: int) -> None:
    for char in sorted(NEEDLE_CHARS):
        matched = "".join(m.group() for m in re.finditer(re.escape(char), EVERY_CHARACTER, flags))
        assert folded(matched) == char.lower() * len(matched), char


def test_folding_lengthens_no_character_a_needle_character_matches() -> None:
    lengthened = [c for c in EVERY_CHARACTER if len(c.lower()) != 1]
    matching = re.compile("[" + re.escape("".join(sorted(NEEDLE_CHARS))) + "]", re.IGNORECASE)
    for char in lengthened:
        # the dotted capital I is mapped before lower-casing, so it stays one character
        assert len(folded(char)) == 1 or not matching.match(char), hex(ord(char))


def test_alternatives_are_cut_at_the_top_level_only() -> None:
    source = r"\bfoo(?:a|b)|[|(]x|\|y|[]|]z|[^]|]w|(?-i:[A-Z]\w+)"
    assert alternatives(source) == [r"\bfoo(?:a|b)", "[|(]x", r"\|y", "[]|]z", "[^]|]w",
                                    "(?-i:[A-Z]\\w+)"]  # fmt: skip


@pytest.mark.parametrize(
    ("pattern", "needles"),
    [
        (r"\bfor\s+immediate\s+release\b", ("immediate",)),
        (r"\b(?:my|our)\s+(?:paper|newspaper)\b", ("paper",)),
        (r"\bplease(?:\s+do)?\b", ("please",)),
        (r"\b(?:a\s+)?\d\b", None),  # a match needs no run of plain characters
        (r"\bword(?:s)*\b", ("word",)),
    ],
)
def test_needles_are_what_every_match_holds(pattern: str, needles: tuple[str, ...] | None) -> None:
    assert needles_of(re.compile(pattern, re.IGNORECASE)) == needles


def test_each_set_of_needles_is_one_every_match_holds() -> None:
    clauses = clauses_of(r"\bpermission\s+to\s+(?:reprint|republish|repost)\b", re.IGNORECASE)
    # "to" is in nearly every text: not kept
    assert clauses == (("permission",), ("rep",), ("ublish", "rint", "ost"))


@pytest.mark.parametrize(
    ("pattern", "flags", "starts"),
    [
        (r"\b(?:love|like)\s+to\b", re.IGNORECASE, ("like", "love")),  # "l" shared, parsed once
        (r"\b(?:add|adding|insert)\s+links?\b", re.IGNORECASE, ("add", "insert")),
        (r"(?<![\w’'])[‘'][A-Z]", 0, ("'", "‘")),  # characters without case, case mattering
        (r"[‘'][A-Z]", re.IGNORECASE, None),  # a set under IGNORECASE: not told
        (r"\b(?:a\s+)?\d\b", re.IGNORECASE, None),  # a match may start with a digit
        (r"^[^\S\n]*ends$", re.IGNORECASE | re.MULTILINE, None),
    ],
)
def test_starts_are_what_every_match_starts_with(
    pattern: str, flags: int, starts: tuple[str, ...] | None
) -> None:
    assert starts_of(pattern, flags) == starts


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        (r"\bdemo\b|\bfree\s+trial\b", "a free trial, then a demo", "free trial"),
        (r"\bab\w*|\ba\b", "x ab", "ab"),  # two start at one place: the first in the pattern
        (r"\ba|\bab\w*", "x ab", "a"),
        (r"\bcats?\b|\bdogs?\b", "dogs and cats", "dogs"),
    ],
)
def test_the_alternatives_left_find_the_whole_patterns_match(
    pattern: str, text: str, found: str
) -> None:
    gate = Gated.of(re.compile(pattern, re.IGNORECASE))
    match = gate.search(text, folded(text))
    assert match is not None and match.group(0) == found
    assert match.span() == gate.pattern.search(text).span()  # type: ignore[union-attr]


def _gated() -> list[Gated]:
    signals = (
        *letterscore._ARTICLE_SIGNALS,
        *letterscore._OPINION_SIGNALS,
        *letterscore._OTHER_SIGNALS,
        letterscore._LETTER_MENTION,
        letterscore._SUBJECT_HINT,
        letterscore._FORWARD_SUBJECT,
    )
    return [s.pattern for s in signals] + [a.pattern for a in (*asks._ASKS, *asks._HINTS)]


def _texts() -> list[str]:
    texts = []
    for path in sorted(DATA.rglob("*.eml")):
        mail = parse_message(path.read_bytes())
        texts += [mail.text, mail.subject]
    tricky = [
        "Please İnclude my ſubscription number; I am aſking for a refund. Thank you.",
        "I am writing to apply for the internſhip; my résumé is attached.",
        "Your artiKle on the budget: I disagree. Could you please correct it online?",
        "FOR IMMEDIATE RELEASE\nMedia contact: press@example.org",
    ]
    return texts + tricky + [t.upper() for t in tricky]


def test_a_gated_search_finds_what_the_pattern_finds() -> None:
    gated = _gated()
    texts = _texts()
    assert len(texts) > 500
    for text in texts:
        lowered = folded(text)
        for gate in gated:
            plain = gate.pattern.search(text)
            found = gate.search(text, lowered)
            assert (found and found.span()) == (plain and plain.span()), gate.pattern.pattern
