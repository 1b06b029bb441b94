"""Find the article a letter names by its reporter: "Ms. Pruitt's story about the depot".

Readers name the reporter more often than the headline: "Helen Pruitt's
report", "Ms. Natarajan's article on the waits", "Mr. Hale's column".  A
reporter named so — with a first name or a title before the surname, or a
possessive after it — nominates that author's articles, and the topic words
the letter shares with each title pick among them: one article shares more
words than the others, it leads; two share as many, they tie and an editor
picks.  A surname alone ("Brandt", a writer signing their own name) is not a
reporter named; after the first name, a genitive without an apostrophe ("Victor
Hales Kolumne") is, and so is a surname after the reporter's role ("your reporter
Reyes") or before what reporters do ("as Reyes reported"), and after an
honorific in the languages readers write in ("senhor Lindqvist", "Herr Hale").  Words many titles use ("city") count for less than rare
ones ("eviction"), and a reporter's pieces published after the letter are none
it answers.

Pure: no I/O.  The pattern is an alternation of the catalogue's surnames,
literal words, linear in the letter it reads (at most its first 20,000
characters).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# Bylines that are no person: the paper's own voices.
_INSTITUTIONAL = frozenset(
    [
        "board",
        "staff",
        "desk",
        "editors",
        "editorial",
        "newsroom",
        "team",
        "wire",
        "reuters",
        "ap",
        "afp",
        "press",
    ]
)
_TITLES = (
    "mr", "ms", "mrs", "miss", "dr", "prof", "mx",
    # in the languages readers write in: "señor Lindqvist", "senhor", "Herr", "Mme"
    "sr", "sra", "srta", "señor", "senor", "señora", "senora", "senhor", "senhora", "monsieur",
    "madame", "mme", "herr", "frau", "signor", "signora", "sig", "dott", "dhr", "mevrouw",
)  # fmt: skip
# "your reporter Reyes", "columnist Hale": the paper's role before the surname
_ROLES = frozenset(["reporter", "columnist", "correspondent", "writer", "critic", "journalist"])
# "Reyes reported", "Pruitt writes": a surname followed by what reporters do
_REPORTING = frozenset(
    ["reported", "reports", "wrote", "writes", "claimed", "claims", "argued", "argues", "noted"]
)
# The paper's own voice named: "your editorial", "yesterday's leader", "the editorial on …"
_EDITORIAL_RE = re.compile(
    r"\b(?:your|the|this|that|today[’']s|yesterday[’']s|last\s+week[’']s|\w+day[’']s|recent)\s+"
    r"(?:\w+\s+)?(?:editorial|leader)\b",
    re.IGNORECASE,
)
# every such naming holds one of these words, found much faster than the whole pattern
_EDITORIAL_HINT_RE = re.compile(r"editorial|leader", re.IGNORECASE)
_EDITORIAL_WORDS = frozenset(["editorial", "editorials", "leader"])
_READS_AT_MOST = 20_000
_LIGHTER = 0.5  # a piece sharing under half the rare-word weight another shares: none shared
_NAMED_ALONE = 0.6  # the reporter named, no topic word shared: a candidate for the editors
# With 1, 2, 3, 4+ topic words shared with the title (below a title named in full, 0.9):
# two shares apart are not within the ambiguity margin.
_BY_SHARED = (0.8, 0.83, 0.86, 0.89)  # four or more: as good as a title named (0.9) almost


@dataclass(frozen=True, slots=True)
class BylineHit:
    """An article its reporter's name (and the letter's topic words) point to."""

    index: int
    score: float
    reason: str


class Bylines:
    """The catalogue's reporters, indexed by surname."""

    __slots__ = (
        "_by_surname",
        "_editorials",
        "_first_names",
        "_idf",
        "_names",
        "_pattern",
        "_title_words",
    )

    def __init__(self, authors: Sequence[str], title_words: Sequence[frozenset[str]]) -> None:
        self._title_words = tuple(title_words)
        using = Counter(word for words in self._title_words for word in words)
        self._idf = {w: math.log((len(self._title_words) + 1) / n) for w, n in using.items()}
        self._names = tuple(authors)
        self._by_surname: dict[str, list[int]] = {}
        self._first_names: dict[str, set[str]] = {}
        # the paper's editorials: by its board, or titled "Editorial: …"
        self._editorials = tuple(
            index
            for index, author in enumerate(authors)
            if {"board", "editors", "editorial"} & {p.lower() for p in author.split()}
            or "editorial" in self._title_words[index]
        )
        for index, author in enumerate(authors):
            parts = author.split()
            if not 2 <= len(parts) <= 4 or _INSTITUTIONAL & {p.lower() for p in parts}:
                continue
            if not all(p[:1].isupper() for p in parts):
                continue
            surname = parts[-1]
            self._by_surname.setdefault(surname, []).append(index)
            self._first_names.setdefault(surname, set()).add(parts[0])
        names = sorted(self._by_surname, key=len, reverse=True)
        self._pattern = (
            re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")(s?)\b")
            if names
            else None
        )

    def _weight(self, words: frozenset[str]) -> float:
        """How telling *words* of a title are: their summed inverse document frequency."""
        return sum(self._idf.get(w, 0.0) for w in words)

    def title_words(self, index: int) -> frozenset[str]:
        """The significant words of article *index*'s title."""
        return self._title_words[index]

    def _named(self, text: str) -> list[str]:
        """The surnames *text* names as a reporter, in the order first named."""
        if self._pattern is None:
            return []
        found: list[str] = []
        for hit in self._pattern.finditer(text):
            surname = hit.group(1)
            before = text[max(0, hit.start() - 24) : hit.start()].split()
            after = text[hit.end() : hit.end() + 2]
            previous = before[-1].rstrip(".").lower() if before else ""
            first_named = bool(before) and before[-1] in self._first_names[surname]
            if hit.group(2):
                # "Victor Hales Kolumne": a genitive without an apostrophe, after the first name
                named = first_named
            else:
                following = text[hit.end() : hit.end() + 16].split()
                named = (
                    previous in _TITLES
                    or previous in _ROLES
                    or first_named
                    or after in ("'s", "’s")
                    # "as Reyes reported", "Pruitt writes that"
                    or bool(following and following[0].lower().rstrip(",.;:") in _REPORTING)
                )
            if named and surname not in found:
                found.append(surname)
        return found

    def editorial(
        self, text: str, words: frozenset[str], late: frozenset[int] = frozenset()
    ) -> list[BylineHit]:
        """The paper's editorials when *text* names one ("your editorial on the trees"):
        the one sharing the most topic *words* with the letter, alone, leads; those
        published after the letter (*late*) are none of them."""
        read = text[:_READS_AT_MOST]
        named = _EDITORIAL_RE.search(read) if _EDITORIAL_HINT_RE.search(read) else None
        editorials = [i for i in self._editorials if i not in late]
        if named is None or not editorials:
            return []
        topic = words - _EDITORIAL_WORDS
        shared = {i: len((self._title_words[i] - _EDITORIAL_WORDS) & topic) for i in editorials}
        most = max(shared.values())
        if most < 1 or list(shared.values()).count(most) > 1:
            return []
        index = next(i for i, n in shared.items() if n == most)
        score = _BY_SHARED[min(most, len(_BY_SHARED)) - 1]
        reason = f"names our editorial ('{named.group(0)}') and {most} of the title's words"
        return [BylineHit(index=index, score=score, reason=reason)]

    def match(
        self, text: str, words: frozenset[str], late: frozenset[int] = frozenset()
    ) -> list[BylineHit]:
        """Articles whose reporter *text* names, scored by the topic *words* they share.

        Articles published after the letter (*late*) are none of the reporter's it can
        answer.  Between the reporter's pieces, one sharing less than half the weight of
        rarer words another shares (:data:`weigh`) counts as sharing none: "the city" is
        in many titles, "eviction" in few.
        """
        hits = []
        for surname in self._named(text[:_READS_AT_MOST]):
            theirs = [i for i in self._by_surname[surname] if i not in late]
            weights = {i: self._weight(self._title_words[i] & words) for i in theirs}
            heaviest = max(weights.values(), default=0.0)
            for index in theirs:
                shared = len(self._title_words[index] & words)
                if weights[index] < _LIGHTER * heaviest:
                    shared = 0
                name = self._names[index]
                if shared:
                    score = _BY_SHARED[min(shared, len(_BY_SHARED)) - 1]
                    reason = f"names the reporter, {name}, and {shared} of the title's words"
                elif len(theirs) == 1:
                    score, reason = _BY_SHARED[0], f"names the reporter, {name} (one article)"
                else:
                    score, reason = _NAMED_ALONE, f"names the reporter, {name}"
                hits.append(BylineHit(index=index, score=score, reason=reason))
        return hits
