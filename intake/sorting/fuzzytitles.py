"""Fuzzy title matching: a letter that paraphrases the headline it answers.

Owns the index of title words and the scoring of one stretch of a letter (a
sentence, the subject) against the titles that share words with it.  Words
count as the same when they are equal, share a long prefix ("collapse" and
"collapsing", "quiet" and "quietly") or are close by rapidfuzz's ratio
("stabilization" and "stabilisation", a typo) or are one verb inflected
("close" and "closing", "win" and "winning", "rise" and "rising"); a title is
found when most of its significant words appear in one sentence.  Character
similarity cannot see synonyms: a paraphrase that shares no words with the
headline is left to the editors.

It also owns how telling a title's words are: a word few titles of the
catalogue use ("Ashby", "112", "eviction") tells more than one many use
("city", "council") — its inverse document frequency — and
:meth:`FuzzyTitles.shared` weighs the title words a whole letter shares by it.

Callers pass words already normalised (``intake.sorting.articles`` casefolds, drops
stop words and plural "s"), so this module only compares.  Pure.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from intake.sorting.readerwords import WORDS_CACHED

MIN_TITLE_WORDS = 3  # "Gun Control" shares its two words with too much prose
MIN_COVERAGE = 0.7  # share of the title's words one sentence must hold
_MIN_WORD = 4  # shorter words only match exactly
_PREFIX = 5  # a common prefix this long makes two words one ("collaps-e/-ing")
_RATIO = 90.0  # rapidfuzz ratio (0-100) at which two words are the same word
_KEY = 4  # index words by their first letters, so "collapsing" finds "collapse"
_NEAR_AT_MOST = 64  # words of one key compared letter by letter; more only by form
_VERB_ENDINGS = ("ing", "ed")
_DOUBLED = frozenset("bdgklmnprt")  # "winning" -> "winn" -> "win", "planned" -> "plan"

SCORE_LOW = 0.55  # at MIN_COVERAGE
SCORE_HIGH = 0.85  # every title word in one sentence: below a title named verbatim (0.9)


@dataclass(frozen=True, slots=True, kw_only=True)
class FuzzyHit:
    """A title most of whose words appear in one stretch of the letter."""

    index: int  # the title's position in the list the index was built from
    score: float
    matched: int
    total: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Shared:
    """The words of one title a letter shares, weighed by how few titles use them."""

    index: int
    matched: int  # title words found in the letter
    total: int  # the title's significant words
    weight: float  # the found words' summed inverse document frequency
    coverage: float  # weight over the title's whole weight (0-1)


@lru_cache(maxsize=WORDS_CACHED)
def forms(word: str) -> frozenset[str]:
    """The forms a verb's inflection may stand for: "closing" -> closing, clos, close.

    A word ending in -ing or -ed also stands for its stem, the stem with an
    "e" ("closing" is "close") and the stem undoubled ("winning" is "win").
    """
    found = {word}
    for ending in _VERB_ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and len(stem) >= 2:
            found.add(stem + "e")
            if len(stem) >= 3:
                found.add(stem)
            if len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] in _DOUBLED:
                found.add(stem[:-1])
            break
    return frozenset(found)


@lru_cache(maxsize=WORDS_CACHED)
def alike(one: str, two: str) -> bool:
    """Return whether two normalised words are the same word, spelt or inflected apart."""
    if one == two:
        return True
    if (one.endswith(_VERB_ENDINGS) or two.endswith(_VERB_ENDINGS)) and forms(one) & forms(two):
        return True
    if min(len(one), len(two)) < _MIN_WORD:
        return False
    common = next((i for i, (a, b) in enumerate(zip(one, two, strict=False)) if a != b), None)
    if common is None:
        common = min(len(one), len(two))
    return common >= min(_PREFIX, len(one), len(two)) or fuzz.ratio(one, two) >= _RATIO


@lru_cache(maxsize=WORDS_CACHED)
def _keys(word: str) -> frozenset[str]:
    return frozenset(form[:_KEY] for form in forms(word))


class FuzzyTitles:
    """An index of titles by their significant words."""

    __slots__ = ("_all_words", "_by_key", "_idf", "_words")

    def __init__(self, titles: Sequence[Iterable[str]]) -> None:
        self._words: dict[int, tuple[str, ...]] = {}
        self._by_key: dict[str, set[int]] = {}
        self._all_words = {index: tuple(dict.fromkeys(words)) for index, words in enumerate(titles)}
        for index, unique in self._all_words.items():
            if len(unique) < MIN_TITLE_WORDS:
                continue
            self._words[index] = unique
            for word in unique:
                self._by_key.setdefault(word[:_KEY], set()).add(index)
        self._idf = self._inverse_frequencies()

    def _inverse_frequencies(self) -> dict[str, float]:
        """Each title word's inverse document frequency: ln((titles + 1) / titles using it),
        a title counting when it has the word spelt or inflected apart."""
        by_key: dict[str, set[str]] = {}
        users: dict[str, set[int]] = {}
        for index, words in self._all_words.items():
            for word in words:
                by_key.setdefault(word[:_KEY], set()).add(word)
                users.setdefault(word, set()).add(index)
        idf: dict[str, float] = {}
        count = len(self._all_words) + 1
        for word, titles in users.items():
            using: set[int] = set(titles)
            near = by_key[word[:_KEY]]
            if len(near) <= _NEAR_AT_MOST:
                for other in near:
                    if alike(word, other):
                        using |= users[other]
            idf[word] = math.log(count / len(using))
        return idf

    def shared(self, words: Iterable[str], candidates: Iterable[int]) -> list[Shared]:
        """The title words of each of *candidates* (title positions) that *words* (a whole
        letter's) hold, weighed by inverse document frequency; titles sharing none, and titles
        of fewer than :data:`MIN_TITLE_WORDS` words, left out."""
        letter = set(words)
        by_key: dict[str, set[str]] = {}
        by_form: set[str] = set()
        for word in letter:
            by_form |= forms(word)
            for key in _keys(word):
                by_key.setdefault(key, set()).add(word)
        held: dict[str, bool] = {}  # each title word looked up once

        def near(word: str) -> set[str]:
            """The letter's words sharing a key with *word*; none when more than
            :data:`_NEAR_AT_MOST` do, found without gathering them all."""
            found: set[str] = set()
            for key in _keys(word):
                same_key = by_key.get(key, ())
                if len(same_key) > _NEAR_AT_MOST:
                    return set()
                found.update(same_key)
                if len(found) > _NEAR_AT_MOST:
                    return set()
            return found

        def holds(word: str) -> bool:
            if word not in held:
                held[word] = bool(forms(word) & by_form) or any(alike(word, w) for w in near(word))
            return held[word]

        found = []
        for index in candidates:
            title = self._words.get(index, ())
            if not title:
                continue  # "Gun Control" shares its two words with too much prose
            weight = total = 0.0
            matched = 0
            for word in title:
                idf = self._idf[word]
                total += idf
                if holds(word):
                    weight += idf
                    matched += 1
            if matched and total > 0:
                found.append(
                    Shared(
                        index=index,
                        matched=matched,
                        total=len(title),
                        weight=round(weight, 3),
                        coverage=round(weight / total, 3),
                    )
                )
        return found

    def search(self, stretch: Iterable[str]) -> list[FuzzyHit]:
        """Return the titles most of whose words appear in *stretch* (one sentence's words)."""
        words = tuple(dict.fromkeys(stretch))
        hits: dict[int, int] = {}
        for key in {k for w in words for k in _keys(w)}:
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
