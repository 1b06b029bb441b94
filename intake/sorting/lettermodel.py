"""A small trained model of "letter or not" among human mail, and the reasons it gives.

Owns the model's features and its scoring: the rules' own signals
(:class:`~intake.sorting.letterscore.ContentScore`: its weights and, as
indicators, the kinds of reason it found) with the words and word pairs of
the sender's own text (quotes and forwards cut) and of the subject, scored
by a logistic regression whose weights :mod:`intake.sorting.letterweights`
holds (written by ``bench/train_letter_model.py`` from the ``tune`` part of
the letters-desk corpus and the classifier's fixtures).  Scoring is a dot
product; every judgement names the features that weighed most, as an editor
reads them.  Pure: no I/O.  Tokenising is one linear pass over a bounded text.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from intake.sorting.letterscore import ContentScore
from intake.sorting.owntext import own_text

_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_READS_AT_MOST = 20_000  # characters of the sender's own text: a letter is under 600 words
_MAX_TOKENS = 1_000
_SUBJECT_CHARS = 300
_QUOTE_CHARS = "'‘“\""
_DIGITS_RE = re.compile(r"\d+")
_SHOWN = 4  # features named in a judgement's reason
# Words that weigh but say nothing to an editor when named alone ("'to'", "'you'"); they
# still count, in pairs too ("'our team'"), and are only left out of what a reason names.
_FUNCTION_WORD_LIST = (
    "a about after all also am an and any are as at be been but by can could did do does for "
    "from had has have he her here his how i if in into is it its just me more most my no not "
    "of on one or our out over she so some than that the their them then there these they "
    "this those to too up us was we were what when where which who will with would you your "
    "dear hello hi"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORD_LIST.split())

BIAS = "bias"


def _tokens(text: str) -> list[str]:
    found = _TOKEN_RE.findall(text[:_READS_AT_MOST].lower())
    return [t.replace("’", "'") for t in found[:_MAX_TOKENS]]


def reason_kind(reason: str) -> str:
    """The kind of a rule's reason, without what it quoted: ``"opens with"``, ``"signed"``."""
    cut = min((i for i in (reason.find(q) for q in _QUOTE_CHARS) if i >= 0), default=len(reason))
    return _DIGITS_RE.sub("N", reason[:cut]).rstrip(" :,—-").removesuffix(", not a letter")


def features(subject: str, text: str, score: ContentScore) -> dict[str, float]:
    """The features of a message with *subject* and body *text* whose rules' score is *score*.

    Names: ``w:`` a word of the sender's own text, ``b:`` a pair of them, ``s:`` a
    word of the subject, ``r:`` the kind of a reason the rules found, ``n:`` one of
    the rules' weights (scaled to about 0..1), ``len:`` the length band.
    """
    found: dict[str, float] = {BIAS: 1.0}
    words = _tokens(own_text(text))
    for word in words:
        found["w:" + word] = 1.0
    for first, second in itertools.pairwise(words):
        found[f"b:{first} {second}"] = 1.0
    for word in _tokens(subject[:_SUBJECT_CHARS]):
        found["s:" + word] = 1.0
    for reason in (*score.letter_reasons, *score.other_reasons, *score.against_reasons):
        found["r:" + reason_kind(reason)] = 1.0
    found["n:letter"] = score.letter / 10.0
    found["n:substance"] = score.substance / 10.0
    found["n:other"] = score.other / 8.0
    found["n:asks"] = score.asks / 8.0
    found["len:" + _band(score.words)] = 1.0
    return found


def _band(words: int) -> str:
    for limit, name in ((30, "under 30"), (60, "30-59"), (80, "60-79"), (600, "80-600")):
        if words < limit:
            return name
    return "over 600"


@dataclass(frozen=True, slots=True, kw_only=True)
class Judgement:
    """What the model makes of a message: how likely a letter, and what weighed most."""

    probability: float  # of a letter
    for_letter: tuple[str, ...]  # the features that pushed most towards a letter, readable
    against_letter: tuple[str, ...]  # those that pushed most away from one

    def reason(self, threshold: float) -> str:
        """One sentence an editor can read: which way the model leans and why."""
        if self.probability >= threshold:
            lean, named = "reads like a letter", self.for_letter
        else:
            lean, named = "reads like mail that is no letter", self.against_letter
        said = f"{lean} ({self.probability:.2f})"
        return f"{said}: {', '.join(named)}" if named else said


_FRAGMENTS = {
    "opens with": "its salutation",
    "closes with": "a closing line",
    "signed": "a signature",
}


def readable(name: str) -> str:
    """A feature's name as an editor reads it: ``'our team'``, ``subject 'job'``."""
    kind, _, value = name.partition(":")
    if kind in ("w", "b"):
        return f"‘{value}’"
    if kind == "s":
        return f"subject ‘{value}’"
    if kind == "r":
        return _FRAGMENTS.get(value, value)
    if kind == "len":
        return f"{value} words"
    return {
        "n:letter": "the rules' signs of a letter",
        "n:substance": "what it says of a piece",
        "n:other": "the rules' signs of other mail",
        "n:asks": "what it asks the paper for",
    }.get(name, name)


def _worth_naming(name: str) -> bool:
    kind, _, value = name.partition(":")
    return kind != "w" or (len(value) > 3 and value not in _FUNCTION_WORDS)


def judge(found: Mapping[str, float], weights: Mapping[str, float]) -> Judgement:
    """Score *found* features with *weights* (a logistic regression) and name what weighed."""
    parts = [
        (weights[name] * value, name)
        for name, value in found.items()
        if name != BIAS and name in weights and value
    ]
    total = weights.get(BIAS, 0.0) + sum(part for part, _ in parts)
    probability = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, total))))
    ranked = sorted(parts, key=lambda p: (-abs(p[0]), p[1]))
    named = [(part, name) for part, name in ranked if _worth_naming(name)]
    pro = [readable(name) for part, name in named if part > 0][:_SHOWN]
    con = [readable(name) for part, name in named if part < 0][:_SHOWN]
    return Judgement(
        probability=round(probability, 3), for_letter=tuple(pro), against_letter=tuple(con)
    )
