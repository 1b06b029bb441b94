"""Fuzzy title matching: a letter that paraphrases the headline it answers.

Owns the index of title words and the scoring of one stretch of a letter (a
sentence, the subject) against the titles that share words with it.  Words
count as the same when they are equal, share a long prefix ("collapse" and
"collapsing", "quiet" and "quietly") or are close by rapidfuzz's ratio
("stabilization" and "stabilisation", a typo); a title is found when most of
its significant words appear in one sentence.  Character similarity cannot
see synonyms: a paraphrase that shares no words with the headline is left to
the editors.

Callers pass words already normalised (``intake.sorting.articles`` casefolds, drops
stop words and plural "s"), so this module only compares.  Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

MIN_TITLE_WORDS = 3  # "Gun Control" shares its two words with too much prose
MIN_COVERAGE = 0.7  # share of the title's words one sentence must hold
_MIN_WORD = 4  # shorter words only match exactly
_PREFIX = 5  # a common prefix this long makes two words one ("collaps-e/-ing")
_RATIO = 90.0  # rapidfuzz ratio (0-100) at which two words are the same word
_KEY = 4  # index words by their first letters, so "collapsing" finds "collapse"

SCORE_LOW = 0.55  # at MIN_COVERAGE
SCORE_HIGH = 0.85  # every title word in one sentence: below a title named verbatim (0.9)


@dataclass(frozen=True, slots=True, kw_only=True)
class FuzzyHit:
    """A title most of whose words appear in one stretch of the letter."""

    index: int  # the title's position in the list the index was built from
    score: float
    matched: int
    total: int


def alike(one: str, two: str) -> bool:
    """Return whether two normalised words are the same word, spelt or inflected apart."""
    if one == two:
        return True
    if min(len(one), len(two)) < _MIN_WORD:
        return False
    common = next((i for i, (a, b) in enumerate(zip(one, two, strict=False)) if a != b), None)
    if common is None:
        common = min(len(one), len(two))
    return common >= min(_PREFIX, len(one), len(two)) or fuzz.ratio(one, two) >= _RATIO


class FuzzyTitles:
    """An index of titles by their significant words."""

    __slots__ = ("_by_key", "_words")

    def __init__(self, titles: Sequence[Iterable[str]]) -> None:
        self._words: dict[int, tuple[str, ...]] = {}
        self._by_key: dict[str, set[int]] = {}
        for index, words in enumerate(titles):
            unique = tuple(dict.fromkeys(words))
            if len(unique) < MIN_TITLE_WORDS:
                continue
            self._words[index] = unique
            for word in unique:
                self._by_key.setdefault(word[:_KEY], set()).add(index)

    def search(self, stretch: Iterable[str]) -> list[FuzzyHit]:
        """Return the titles most of whose words appear in *stretch* (one sentence's words)."""
        words = tuple(dict.fromkeys(stretch))
        hits: dict[int, int] = {}
        for key in {w[:_KEY] for w in words}:
            for index in self._by_key.get(key, ()):
                hits[index] = hits.get(index, 0) + 1
        found = []
        for index, rough in hits.items():
            title = self._words[index]
            if rough < MIN_TITLE_WORDS or rough < MIN_COVERAGE * len(title):
                continue  # the cheap count rules most titles out before any comparison
            matched = sum(any(alike(t, w) for w in words) for t in title)
            coverage = matched / len(title)
            if matched >= MIN_TITLE_WORDS and coverage >= MIN_COVERAGE:
                share = (coverage - MIN_COVERAGE) / (1.0 - MIN_COVERAGE)
                score = round(SCORE_LOW + (SCORE_HIGH - SCORE_LOW) * share, 3)
                found.append(FuzzyHit(index=index, score=score, matched=matched, total=len(title)))
        return found
