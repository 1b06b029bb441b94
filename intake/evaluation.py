"""Score the classifier against a labelled corpus (``labels.jsonl``).

Owns what counts as a right answer and the figures we report: precision and
recall per category, and how many human messages were taken for machine
mail.  Shared by ``bench/eval_classify.py`` and the corpus unit test, so both
measure the same thing.  Pure: the caller passes the index text and a function
that reads a corpus file's bytes; nothing here opens a file.

A ``human_reply`` label (a person answering a thread) has no single expected
category here: it is right when the verdict is any human category
(``author_reply``, ``letter`` or ``other``), and a "human taken for machine"
when it is ``bounce``, ``auto_reply``, ``bulk`` or ``spam``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from intake.classify import DeskIdentity, classify
from intake.errors import UnparseableMessage
from intake.model import Category, ParsedMail, Verdict
from intake.parse import parse_loose, parse_message

MACHINE = frozenset({Category.bounce, Category.auto_reply, Category.bulk, Category.spam})
HUMAN = frozenset({Category.author_reply, Category.letter, Category.other})
HUMAN_LABELS = frozenset({"human_reply", "letter"})
TEXT_FORMATS = frozenset({"eml", "body_text", "body_html"})

EVAL_DESK = DeskIdentity(address="letters@news.test")

# Targets from the issue tracker: recall per machine category, and the share of
# human mail we may lose to the machine categories.
RECALL_TARGETS = {"bounce": 0.98, "auto_reply": 0.95, "bulk": 0.90}
MAX_HUMAN_AS_MACHINE = 0.01


def is_correct(label: str, verdict: Category) -> bool:
    """Return whether *verdict* is a right answer for a message labelled *label*."""
    if label == "human_reply":
        return verdict in HUMAN
    return verdict == label


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """One corpus item and what the classifier said of it."""

    path: str
    label: str
    format: str
    verdict: Verdict


@dataclass(frozen=True, slots=True, kw_only=True)
class CategoryScore:
    """Precision and recall for one label (``None`` when nothing to divide by)."""

    label: str
    support: int  # items with this label
    predicted: int  # items the classifier put here (for human_reply: any human category)
    correct: int
    precision: float | None
    recall: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Evaluation:
    """Every outcome, the scores per label, and the human-for-machine count."""

    outcomes: tuple[Outcome, ...]
    scores: tuple[CategoryScore, ...]
    human_total: int
    human_as_machine: tuple[Outcome, ...]
    skipped: tuple[str, ...]  # paths not scored (not a text format)

    def score(self, label: str) -> CategoryScore:
        """Return the score for *label* (empty when the corpus has no such item)."""
        empty = CategoryScore(
            label=label, support=0, predicted=0, correct=0, precision=None, recall=None
        )
        return next((s for s in self.scores if s.label == label), empty)

    @property
    def human_as_machine_rate(self) -> float:
        """Share of human messages classified as machine mail."""
        return len(self.human_as_machine) / self.human_total if self.human_total else 0.0

    def missed_targets(self) -> tuple[str, ...]:
        """Return a sentence for every target this evaluation misses."""
        missed = []
        for label, target in RECALL_TARGETS.items():
            recall = self.score(label).recall
            if recall is None or recall < target:
                missed.append(f"{label} recall {recall} < {target}")
        if self.human_as_machine_rate > MAX_HUMAN_AS_MACHINE:
            missed.append(
                f"human taken for machine {len(self.human_as_machine)}/{self.human_total}"
                f" > {MAX_HUMAN_AS_MACHINE:.0%}"
            )
        return tuple(missed)


def parse_item(raw: bytes, fmt: str) -> ParsedMail:
    """Parse a corpus file: full messages strictly, body-only files loosely."""
    if fmt == "eml":
        try:
            return parse_message(raw)
        except UnparseableMessage:
            return parse_loose(raw)
    return parse_loose(raw)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def score_outcomes(outcomes: Iterable[Outcome]) -> tuple[CategoryScore, ...]:
    """Return precision and recall for every label among *outcomes*."""
    items = tuple(outcomes)
    labels = sorted({o.label for o in items})
    scores = []
    for label in labels:
        mine = [o for o in items if o.label == label]
        correct = sum(is_correct(label, o.verdict.category) for o in mine)
        if label == "human_reply":
            predicted = [o for o in items if o.verdict.category in HUMAN]
        else:
            predicted = [o for o in items if o.verdict.category == label]
        right = sum(is_correct(o.label, o.verdict.category) for o in predicted)
        scores.append(
            CategoryScore(
                label=label,
                support=len(mine),
                predicted=len(predicted),
                correct=correct,
                precision=_ratio(right, len(predicted)),
                recall=_ratio(correct, len(mine)),
            )
        )
    return tuple(scores)


def evaluate(
    labels_jsonl: str,
    read: Callable[[str], bytes],
    *,
    desk: DeskIdentity = EVAL_DESK,
    formats: frozenset[str] = TEXT_FORMATS,
) -> Evaluation:
    """Classify every item of *labels_jsonl* whose format is in *formats*.

    :param read: returns the bytes of a corpus file given its ``path`` field.
    """
    outcomes: list[Outcome] = []
    skipped: list[str] = []
    for line in labels_jsonl.splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if item["format"] not in formats:
            skipped.append(item["path"])
            continue
        mail = parse_item(read(item["path"]), item["format"])
        outcomes.append(
            Outcome(
                path=item["path"],
                label=item["category"],
                format=item["format"],
                verdict=classify(mail, desk),
            )
        )
    human = [o for o in outcomes if o.label in HUMAN_LABELS]
    return Evaluation(
        outcomes=tuple(outcomes),
        scores=score_outcomes(outcomes),
        human_total=len(human),
        human_as_machine=tuple(o for o in human if o.verdict.category in MACHINE),
        skipped=tuple(skipped),
    )
