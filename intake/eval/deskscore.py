"""Score a letters-desk corpus: letter or not, and the article each letter answers.

Owns the figures issue 17 asks for, per data set (the ``split`` its labels
name, e.g. ``tune`` and ``untouched``): letters precision and recall, human
mail taken for machine mail, and for letters the right article (the
catalogue's best candidate is the one the label names), how many of those
are routed without review (classified a letter sure enough, one clear match
at or above :data:`~intake.sorting.articles.MATCH_AT_LEAST`: what the service
does in ``intake.app.letters``), how many are routed to a wrong article, and
how many letters about no article stay unrouted.

Pure: the caller passes the index text, a reader for a corpus file's bytes and
the catalogue; nothing here opens a file.  Messages are classified as the
service classifies them, with the catalogue look-up for short letters.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from intake.domain.model import Article, ArticleMatch, Category, ParsedMail, Verdict
from intake.eval.corpus import EVAL_DESK, HUMAN_LABELS, MACHINE, CategoryScore, parse_item
from intake.sorting.articles import Catalogue
from intake.sorting.relays import RelaySenders
from intake.sorting.routing import route_article
from intake.sorting.sortmail import Sorted, sort_mail


@dataclass(frozen=True, slots=True, kw_only=True)
class DeskOutcome:
    """One message: the label, the verdict, the article it answers and where it would go."""

    path: str
    split: str
    label: str
    article: str | None  # the labelled article's URL (letters only)
    verdict: Verdict
    best: str | None  # the best candidate's URL
    routed: str | None  # the article the service would ask the author of, without review


@dataclass(frozen=True, slots=True, kw_only=True)
class DeskFigures:
    """The figures for one data set."""

    split: str
    total: int
    letters: CategoryScore
    human_total: int
    human_as_machine: int
    answering: int  # letters labelled with an article
    right_article: int  # of those, the best candidate is the labelled one
    routed_right: int  # of those, routed without review to the labelled article
    routed_wrong: int  # letters (any) routed without review to another article
    no_article: int  # letters labelled as answering no article
    no_article_unrouted: int  # of those, left for an editor


def routed_to(
    verdict: Verdict, matches: tuple[ArticleMatch, ...], review_below: float
) -> Article | None:
    """The article a letter goes to without review, as ``intake.app.letters`` decides, or None."""
    if verdict.category is not Category.letter:
        return None
    routed, _why = route_article(matches, verdict.confidence, review_below)
    return routed.article if routed is not None else None


def _sent_on(mail: ParsedMail, timezone: str) -> date | None:
    return mail.date.astimezone(ZoneInfo(timezone)).date() if mail.date else None


def desk_sorter(
    catalogue: Catalogue | None, *, timezone: str, relays: RelaySenders | None = None
) -> Callable[[ParsedMail], Sorted]:
    """Sort a message as the service does: the desk's relays, and the catalogue look-up
    for short letters (none without a catalogue)."""

    def look_up(mail: ParsedMail) -> ArticleMatch | None:
        if catalogue is None:
            return None
        found = catalogue.match(
            text=mail.text,
            subject=mail.subject,
            html=mail.html,
            sent_on=_sent_on(mail, timezone),
        )
        return found[0] if found else None

    def sort(mail: ParsedMail) -> Sorted:
        return sort_mail(mail, EVAL_DESK, relays=relays, look_up=look_up)

    return sort


def evaluate_desk(
    labels_jsonl: str,
    read: Callable[[str], bytes],
    catalogue: Catalogue,
    *,
    review_below: float,
    timezone: str,
    relays: RelaySenders | None = None,
) -> tuple[DeskOutcome, ...]:
    """Classify every ``eml`` item and find its article as the service would."""
    sort = desk_sorter(catalogue, timezone=timezone, relays=relays)
    outcomes = []
    for line in labels_jsonl.splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if item["format"] != "eml":
            continue
        sorted_ = sort(parse_item(read(item["path"]), "eml"))
        verdict, mail = sorted_.verdict, sorted_.letter
        matches = catalogue.match(
            text=mail.text,
            subject=mail.subject,
            html=mail.html,
            sent_on=_sent_on(mail, timezone),
        )
        routed = routed_to(verdict, matches, review_below)
        outcomes.append(
            DeskOutcome(
                path=item["path"],
                split=str(item.get("split", "")),
                label=item["category"],
                article=item.get("article"),
                verdict=verdict,
                best=matches[0].article.url if matches else None,
                routed=routed.url if routed else None,
            )
        )
    return tuple(outcomes)


def figures(outcomes: tuple[DeskOutcome, ...], split: str) -> DeskFigures:
    """Return the figures of the outcomes of one data set."""
    mine = [o for o in outcomes if o.split == split]
    labelled = sum(o.label == "letter" for o in mine)
    predicted = sum(o.verdict.category is Category.letter for o in mine)
    correct = sum(o.label == "letter" and o.verdict.category is Category.letter for o in mine)
    letter = CategoryScore(
        label="letter",
        support=labelled,
        predicted=predicted,
        correct=correct,
        precision=_ratio(correct, predicted),
        recall=_ratio(correct, labelled),
    )
    human = [o for o in mine if o.label in HUMAN_LABELS]
    letters = [o for o in mine if o.label == "letter"]
    answering = [o for o in letters if o.article]
    no_article = [o for o in letters if not o.article]
    return DeskFigures(
        split=split,
        total=len(mine),
        letters=letter,
        human_total=len(human),
        human_as_machine=sum(o.verdict.category in MACHINE for o in human),
        answering=len(answering),
        right_article=sum(o.best == o.article for o in answering),
        routed_right=sum(o.routed == o.article for o in answering),
        routed_wrong=sum(o.routed is not None and o.routed != o.article for o in mine),
        no_article=len(no_article),
        no_article_unrouted=sum(o.routed is None for o in no_article),
    )


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def splits(outcomes: tuple[DeskOutcome, ...]) -> tuple[str, ...]:
    """The data sets among *outcomes*, in name order (``""`` for an unsplit corpus)."""
    return tuple(sorted({o.split for o in outcomes}))


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.1%})" if whole else "-"


def desk_lines(outcomes: tuple[DeskOutcome, ...]) -> list[str]:
    """The printed report: the figures of each data set, then each one's misses."""
    lines = []
    for split in splits(outcomes):
        f = figures(outcomes, split)
        p, r = f.letters.precision, f.letters.recall
        lines += [
            f"data set {split or '(all)'}: {f.total} messages, {f.letters.support} letters",
            (
                f"  letters precision {p if p is not None else '-'} recall "
                f"{r if r is not None else '-'} ({f.letters.correct} right of "
                f"{f.letters.predicted} called letters)"
            ),
            f"  right article: {_share(f.right_article, f.answering)} of letters answering one",
            f"  routed without review to it: {_share(f.routed_right, f.answering)}",
            f"  routed to a wrong article: {f.routed_wrong}",
            (
                "  letters about no article left unrouted: "
                f"{_share(f.no_article_unrouted, f.no_article)}"
            ),
            f"  human mail taken for machine mail: {_share(f.human_as_machine, f.human_total)}",
        ]
    for o in outcomes:
        is_letter = o.verdict.category is Category.letter
        if (o.label == "letter") != is_letter:
            lines.append(f"  [{o.split}] {o.label} -> {o.verdict.category}: {o.path}")
        elif o.label == "letter" and o.article and o.routed != o.article:
            lines.append(f"  [{o.split}] article {o.best or 'none'} (routed: {o.routed}): {o.path}")
    return lines


def desk_summary(outcomes: tuple[DeskOutcome, ...]) -> dict[str, Any]:
    """The figures of each data set as plain JSON-ready values."""
    table: dict[str, Any] = {}
    for split in splits(outcomes):
        f = figures(outcomes, split)
        table[split] = {
            "messages": f.total,
            "letters": {
                "support": f.letters.support,
                "predicted": f.letters.predicted,
                "correct": f.letters.correct,
                "precision": f.letters.precision,
                "recall": f.letters.recall,
            },
            "human_total": f.human_total,
            "human_as_machine": f.human_as_machine,
            "answering": f.answering,
            "right_article": f.right_article,
            "routed_right": f.routed_right,
            "routed_wrong": f.routed_wrong,
            "no_article": f.no_article,
            "no_article_unrouted": f.no_article_unrouted,
        }
    return table
