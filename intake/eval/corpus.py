"""Score the classifier against a labelled corpus (``labels.jsonl``).

Owns what counts as a right answer and the figures we report: precision and
recall per category, and how many human messages were taken for machine
mail; and, for the labels that say what a reply's new text is, how often the
reply extraction gets it right.  Shared by ``intake eval``,
``bench/eval_classify.py`` and the corpus unit tests, so all measure the same
thing.  Pure: the caller passes the index text and a function that reads a
corpus file's bytes; nothing here opens a file.

A ``human_reply`` label (a person answering a thread) has no single expected
category here: it is right when the verdict is any human category
(``author_reply``, ``letter`` or ``other``), and a "human taken for machine"
when it is ``bounce``, ``auto_reply``, ``bulk`` or ``spam``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from intake.domain.errors import UnparseableMessage
from intake.domain.model import Category, ParsedMail, Verdict
from intake.eval.replyscore import has_expectation, score_reply, strips_signature
from intake.mail.parse import parse_loose, parse_message
from intake.mail.replytext import extract_reply
from intake.sorting.classify import DeskIdentity, classify

MACHINE = frozenset({Category.bounce, Category.auto_reply, Category.bulk, Category.spam})
HUMAN = frozenset({Category.author_reply, Category.letter, Category.other})
# Everything a person wrote: replies, letters, author replies and the "other"
# mail (press releases, service requests, pitches, forwards).
HUMAN_LABELS = frozenset({"human_reply", "letter", "author_reply", "other"})
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
    verdict_of: Callable[[ParsedMail], Verdict] | None = None,
) -> Evaluation:
    """Classify every item of *labels_jsonl* whose format is in *formats*.

    :param read: returns the bytes of a corpus file given its ``path`` field.
    :param verdict_of: how a message is sorted; by default :func:`classify` for
        *desk*, without relays or a catalogue.
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
                verdict=verdict_of(mail) if verdict_of else classify(mail, desk),
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


# -- reply extraction ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ReplyOutcome:
    """One labelled reply: did the extracted new text meet its label, and why not."""

    path: str
    passed: bool
    failures: tuple[str, ...]
    split: str = ""  # the label's "split" ("tune" or "untouched"), "" when the corpus has none
    source: str = ""  # the label's "source_repo": where the item was copied from


def evaluate_replies(labels_jsonl: str, read: Callable[[str], bytes]) -> tuple[ReplyOutcome, ...]:
    """Extract the new text of every item whose label says what it should be, and score it.

    Items whose match mode keeps signatures (``exact_quotes_only``) are
    extracted with only quotations cut, as the label asks.
    """
    outcomes = []
    for line in labels_jsonl.splitlines():
        if not line.strip():
            continue
        label = json.loads(line)
        if label.get("format") not in TEXT_FORMATS or not has_expectation(label):
            continue
        mail = parse_item(read(label["path"]), label["format"])
        reply = extract_reply(mail, strip_signature=strips_signature(label))
        result = score_reply(label, reply, mail.text)
        outcomes.append(
            ReplyOutcome(
                path=label["path"],
                passed=result.passed,
                failures=result.failures,
                split=str(label.get("split", "")),
                source=str(label.get("source_repo", "")),
            )
        )
    return tuple(outcomes)


def by_split(replies: tuple[ReplyOutcome, ...]) -> dict[str, tuple[int, int]]:
    """Return {split: (passed, total)} for a corpus whose labels name a split, else {}."""
    table: dict[str, tuple[int, int]] = {}
    for reply in replies:
        if reply.split:
            passed, total = table.get(reply.split, (0, 0))
            table[reply.split] = (passed + reply.passed, total + 1)
    return dict(sorted(table.items()))


def by_source(replies: tuple[ReplyOutcome, ...], split: str) -> dict[str, tuple[int, int]]:
    """Return {source: (passed, total)} within one split, for a set drawn from several sources."""
    table: dict[str, tuple[int, int]] = {}
    for reply in replies:
        if reply.split == split and reply.source:
            passed, total = table.get(reply.source, (0, 0))
            table[reply.source] = (passed + reply.passed, total + 1)
    return dict(sorted(table.items())) if len(table) > 1 else {}


def summary(result: Evaluation, replies: tuple[ReplyOutcome, ...]) -> dict[str, Any]:
    """Return the figures of an evaluation as plain JSON-ready values."""
    passed = sum(r.passed for r in replies)
    return {
        "categories": {
            s.label: {
                "support": s.support,
                "predicted": s.predicted,
                "correct": s.correct,
                "precision": s.precision,
                "recall": s.recall,
            }
            for s in result.scores
        },
        "human_total": result.human_total,
        "human_as_machine": len(result.human_as_machine),
        "human_as_machine_paths": [o.path for o in result.human_as_machine],
        "misses": [
            {"path": o.path, "label": o.label, "verdict": o.verdict.category.value}
            for o in result.outcomes
            if not is_correct(o.label, o.verdict.category)
        ],
        "replies": {
            "total": len(replies),
            "passed": passed,
            "match_rate": round(passed / len(replies), 3) if replies else None,
            "failed": [r.path for r in replies if not r.passed],
            "by_split": {
                split: {
                    "passed": passed,
                    "total": total,
                    "by_source": {
                        source: {"passed": ok, "total": count}
                        for source, (ok, count) in by_source(replies, split).items()
                    },
                }
                for split, (passed, total) in by_split(replies).items()
            },
        },
        "targets_missed": list(result.missed_targets()),
    }


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:5.3f}"


def report_lines(result: Evaluation, replies: tuple[ReplyOutcome, ...]) -> list[str]:
    """Return the printed report: per-label precision and recall, human for machine, replies."""
    lines = [f"{'label':<12} {'n':>4} {'pred':>5} {'ok':>4}  precision  recall"]
    lines.extend(
        f"{s.label:<12} {s.support:>4} {s.predicted:>5} {s.correct:>4}"
        f"      {_fmt(s.precision)}   {_fmt(s.recall)}"
        for s in result.scores
    )
    lines.append(
        f"human messages taken for machine mail: {len(result.human_as_machine)}"
        f"/{result.human_total} ({result.human_as_machine_rate:.1%})"
    )
    lines.extend(f"  human -> {o.verdict.category}: {o.path}" for o in result.human_as_machine)
    passed = sum(r.passed for r in replies)
    rate = f"{passed / len(replies):.1%}" if replies else "-"
    lines.append(f"reply text matches its label: {passed}/{len(replies)} ({rate})")
    for split, (ok, total) in by_split(replies).items():
        lines.append(f"  {split} part: {ok}/{total} ({ok / total:.1%})")
        lines.extend(
            f"    {source}: {passed}/{count} ({passed / count:.1%})"
            for source, (passed, count) in by_source(replies, split).items()
        )
    lines.extend(f"  reply FAIL {r.path}: {'; '.join(r.failures)}" for r in replies if not r.passed)
    return lines
