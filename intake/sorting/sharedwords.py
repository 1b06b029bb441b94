"""The article whose title's rare words a whole letter holds: the reader's own words
weighed against every title by how few titles use each word.

Owns the rule and its thresholds: the title holding most of the weight of a
letter's words (inverse document frequency over the catalogue, so "Ashby", "112" or
"eviction" tell more than "city"), well ahead of any other, is the one the letter
discusses; less clear, it is a candidate for the editors.  In a letter in another
language the title words it holds are names, numbers and words spelt alike, and
fewer count.  Also owns :data:`AMBIGUITY_MARGIN` and breaking a tie between two
candidates too close to tell apart by their evidence.  The weights are
:class:`intake.sorting.fuzzytitles.FuzzyTitles`'; where evidence goes is
:mod:`intake.sorting.articles`'.  Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from intake.sorting.fuzzytitles import MIN_TITLE_WORDS, FuzzyTitles

# Two different articles whose scores are this close are for the editors to pick
# (:mod:`intake.sorting.routing`), unless the reader's words break the tie.
AMBIGUITY_MARGIN = 0.05
# The reader's own words, all of them, weighed by how few titles use each (inverse
# document frequency): the title holding most of that weight, well ahead of any
# other, is the one discussed ("I was sorry to read that Margaret Ashby has died
# at 91" shares its rare words with one title only).  Only a candidate when it is
# less clear.
SHARED_MIN_WORDS = 4  # title words the letter holds (all of a shorter title's)
SHARED_MIN_COVERAGE = 0.6  # of the title's weight
SHARED_LEAD = 2.0  # times the weight the next title shares
SCORE_SHARED = 0.8  # at SHARED_MIN_COVERAGE, rising to SCORE_SHARED_HIGH with all of it
SCORE_SHARED_HIGH = 0.85
SCORE_SHARED_CANDIDATE = 0.6  # rare words shared, not enough or not alone: for the editors
SHARED_CANDIDATE_MIN_WORDS = 2
SHARED_CANDIDATE_MIN_COVERAGE = 0.3
# In a letter in another language the title's words it holds are names, numbers and
# words spelt alike in both ("Harlow", "112", "papier"): three of them, twice what any
# other title shares, are a match; one a candidate.
SHARED_FOREIGN_MIN_WORDS = 3
SHARED_FOREIGN_CANDIDATE_MIN_WORDS = 1


@dataclass(frozen=True, slots=True)
class SharedHit:
    """An article the letter's rare words point to, and how surely."""

    index: int
    score: float
    reason: str


Ranked = list[tuple[int, tuple[float, str]]]


def shared_title(
    fuzzy: FuzzyTitles,
    words: list[str],
    candidates: Iterable[int],
    *,
    foreign: bool = False,
) -> SharedHit | None:
    """The title whose rare words the reader's own words hold, well ahead of the rest.
    In a letter in another language (*foreign*) a title's words are names and numbers,
    and fewer of them count."""
    shared = sorted(fuzzy.shared(words, candidates), key=lambda s: -s.weight)
    if not shared:
        return None
    best = shared[0]
    runner_up = shared[1].weight if len(shared) > 1 else 0.0
    note = f"shares {best.matched} of the title's {best.total} words, the rarest among them"
    ahead = best.weight >= SHARED_LEAD * runner_up
    if foreign:
        note = f"{note}, in a letter in another language"
        if ahead and best.matched >= SHARED_FOREIGN_MIN_WORDS:
            return SharedHit(best.index, SCORE_SHARED, f"{note}, well ahead of any other title")
        if ahead and best.matched >= SHARED_FOREIGN_CANDIDATE_MIN_WORDS:
            return SharedHit(best.index, SCORE_SHARED_CANDIDATE, note)
        return None
    if (
        best.matched >= max(MIN_TITLE_WORDS, min(SHARED_MIN_WORDS, best.total))
        and best.coverage >= SHARED_MIN_COVERAGE
        and ahead
    ):
        share = (best.coverage - SHARED_MIN_COVERAGE) / (1.0 - SHARED_MIN_COVERAGE)
        score = round(SCORE_SHARED + (SCORE_SHARED_HIGH - SCORE_SHARED) * share, 3)
        return SharedHit(best.index, score, f"{note}, well ahead of any other title")
    if (
        best.matched >= SHARED_CANDIDATE_MIN_WORDS
        and best.coverage >= SHARED_CANDIDATE_MIN_COVERAGE
        and best.weight > runner_up
    ):
        return SharedHit(best.index, SCORE_SHARED_CANDIDATE, note)
    return None


def break_tie(fuzzy: FuzzyTitles, ranked: Ranked, words: list[str]) -> Ranked:
    """Two candidates too close to tell apart by their evidence (same day, same
    reporter, same topic): the one most of whose title the reader's own words hold
    (:data:`SHARED_MIN_COVERAGE` of its weight, twice the other's share) leads; the
    other drops below it by the margin.  No score rises."""
    if len(ranked) < 2 or ranked[0][1][0] - ranked[1][1][0] > AMBIGUITY_MARGIN:
        return ranked
    first, second = ranked[0][0], ranked[1][0]
    held = {s.index: s.coverage for s in fuzzy.shared(words, (first, second))}
    one, two = held.get(first, 0.0), held.get(second, 0.0)
    if one >= SHARED_MIN_COVERAGE and one >= SHARED_LEAD * two:
        winner, loser = ranked[0], ranked[1]
    elif two >= SHARED_MIN_COVERAGE and two >= SHARED_LEAD * one:
        winner, loser = ranked[1], ranked[0]
    else:
        return ranked
    index, (score, reason) = loser
    dropped = round(max(0.0, min(score, winner[1][0] - AMBIGUITY_MARGIN - 0.01)), 3)
    note = "the reader's words are another title's"
    rest = [(index, (dropped, f"{reason}; {note}")), *ranked[2:]]
    return [winner, *sorted(rest, key=lambda item: -item[1][0])]
