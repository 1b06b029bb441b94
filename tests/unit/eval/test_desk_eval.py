"""``intake eval`` on the letters-desk corpus: letters and their articles, per data set, and
the figures held where they were measured (floors that fail if they drop)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from intake.adapters.catalogue import load_catalogue
from intake.cli.main import main
from intake.domain.model import Article, ArticleMatch, Category, Verdict
from intake.eval.deskscore import (
    DeskOutcome,
    evaluate_desk,
    figures,
    routed_to,
    splits,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "desk"
LABELS = (DATA / "labels.jsonl").read_text(encoding="utf-8")
REVIEW_BELOW = 0.6  # the schema's classify.review_below, as `intake eval` reads it without config

DEPOT = Article(url="https://www.news.test/a/depot/", title="Depot", author="A", author_email="")
LIBRARY = Article(url="https://www.news.test/a/lib/", title="Library", author="B", author_email="")


def _letter(confidence: float) -> Verdict:
    return Verdict(category=Category.letter, confidence=confidence, reasons=())


def _match(article: Article, score: float) -> ArticleMatch:
    return ArticleMatch(article=article, score=score, reason="test")


@pytest.fixture(scope="module")
def outcomes() -> tuple[DeskOutcome, ...]:
    return evaluate_desk(
        LABELS,
        lambda path: (DATA / path).read_bytes(),
        load_catalogue(str(DATA / "catalogue.csv")),
        review_below=REVIEW_BELOW,
        timezone="UTC",
    )


def test_a_sure_letter_with_one_clear_match_is_routed() -> None:
    assert routed_to(_letter(0.9), (_match(DEPOT, 0.9),), REVIEW_BELOW) == DEPOT


@pytest.mark.parametrize(
    ("verdict", "matches"),
    [
        (_letter(0.5), (_match(DEPOT, 1.0),)),  # classifier unsure
        (_letter(0.9), (_match(DEPOT, 0.7),)),  # no match good enough
        (_letter(0.9), (_match(DEPOT, 0.9), _match(LIBRARY, 0.88))),  # ambiguous
        (_letter(0.9), ()),  # no article found
        (Verdict(category=Category.other, confidence=0.9, reasons=()), (_match(DEPOT, 1.0),)),
    ],
)
def test_what_goes_to_review_is_not_routed(
    verdict: Verdict, matches: tuple[ArticleMatch, ...]
) -> None:
    assert routed_to(verdict, matches, REVIEW_BELOW) is None


def test_figures_count_right_wrong_and_unrouted_articles() -> None:
    def outcome(
        label: str, article: str | None, best: str | None, routed: str | None
    ) -> DeskOutcome:
        category = Category.letter if routed or label == "letter" else Category.other
        return DeskOutcome(
            path=f"p/{label}{article}{routed}",
            split="s",
            label=label,
            article=article,
            verdict=Verdict(category=category, confidence=0.9, reasons=()),
            best=best,
            routed=routed,
        )

    got = figures(
        (
            outcome("letter", DEPOT.url, DEPOT.url, DEPOT.url),
            outcome("letter", DEPOT.url, DEPOT.url, None),
            outcome("letter", DEPOT.url, LIBRARY.url, LIBRARY.url),
            outcome("letter", None, LIBRARY.url, LIBRARY.url),
            outcome("letter", None, None, None),
            outcome("other", None, LIBRARY.url, LIBRARY.url),  # a pitch taken for a letter
            outcome("other", None, None, None),
        ),
        "s",
    )
    assert (got.answering, got.right_article, got.routed_right) == (3, 2, 1)
    assert got.routed_wrong == 3
    assert (got.no_article, got.no_article_unrouted) == (2, 1)
    assert (got.letters.support, got.letters.predicted, got.letters.correct) == (5, 6, 5)
    assert got.letters.precision == round(5 / 6, 3) and got.letters.recall == 1.0


def test_the_untouched_part_holds_its_measured_figures(outcomes: tuple[DeskOutcome, ...]) -> None:
    assert "untouched" in splits(outcomes)
    f = figures(outcomes, "untouched")
    assert f.total >= 100
    # Measured on the untouched part (README's table): 0.578 / 0.473, 32, 13, 7 and 4 before
    # any rule changed for issue 17; these after asking mail was told apart, reporters'
    # names found articles, relayed and forwarded letters were read as their writers', and
    # the reader's own words (and dates, and the quoted newsletter item they discuss) found
    # the article of short letters.  Every target of the issue holds here now.  Then the
    # letter model (trained on the tuning part) vetoed a link pitch the rules took for a
    # letter (precision 0.982 → 1.0; routed to a wrong article 1 → 0).
    # Raise these floors when a change measured on the tuning part moves them; never lower them.
    assert f.letters.precision is not None and f.letters.precision >= 1.0
    assert f.letters.recall is not None and f.letters.recall >= 0.982
    assert f.right_article >= 49 and f.answering == 50
    assert f.routed_right >= 48
    assert f.routed_wrong == 0
    assert f.no_article_unrouted == f.no_article == 5
    assert f.human_as_machine == 0


def test_intake_eval_reports_each_data_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(DATA)]) == 0
    out = capsys.readouterr().out
    assert "data set untouched: 104 messages" in out
    # the fresh part (written later, by someone who had not read the rules) is reported
    # on its own and held to no floor: it is measured, never tuned on
    assert "data set fresh: 119 messages, 55 letters" in out
    assert "data set fresh2: 135 messages, 60 letters" in out  # a second such part, no floor
    assert "right article: " in out and "routed without review to it: " in out


def test_intake_eval_sorts_every_figure_as_the_service_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The table per label and the figures per data set come from one sorting, with the
    # desk's relays and the corpus's catalogue: a letter relayed by the paper's web form
    # is a letter in both, never "human taken for bulk" in one and a letter in the other.
    assert main(["eval", "--json", str(DATA)]) == 0
    report = json.loads(capsys.readouterr().out)
    letters = report["categories"]["letter"]
    parts = report["desk"].values()
    assert letters["correct"] == sum(p["letters"]["correct"] for p in parts)
    assert letters["predicted"] == sum(p["letters"]["predicted"] for p in parts)
    assert report["human_as_machine"] == sum(p["human_as_machine"] for p in parts)


def test_catalogue_dates_are_the_decoys_letters_must_be_told_from() -> None:
    catalogue = load_catalogue(str(DATA / "catalogue.csv"))
    same_day = [a for a in catalogue if a.published == date(2025, 11, 16)]
    assert {a.author for a in same_day} == {"Helen Pruitt"} and len(same_day) == 2


def test_the_tuning_part_holds_its_measured_figures(outcomes: tuple[DeskOutcome, ...]) -> None:
    f = figures(outcomes, "tune")
    # Measured when the tuning part was written (0.477 / 0.408), then after each rule change
    # (1.0 / 0.966, 70/81 right, 64 routed, none wrong on its first 219 messages).  Then 82
    # messages written without reading the rules were added (47 asking or selling mail that
    # looks like letters, 35 letters a sorter may miss; 0.852 / 0.943 with the rules as they
    # were, 0.856 / 0.975 after re-tuning), then 79 more (39 asking mail, 40 letters): these
    # are the figures measured on all 380 with the rules at d3a126c, then with the letter
    # model and more date cues; then asking mail told by what it asks (0.919 → 0.994);
    # raise them as re-tuning moves them.
    assert f.letters.precision is not None and f.letters.precision >= 0.994
    assert f.letters.recall is not None and f.letters.recall >= 0.981
    assert f.right_article >= 147 and f.answering == 152
    assert f.routed_right >= 139
    assert f.total == 380
    assert f.routed_wrong == 0
    assert f.no_article_unrouted == f.no_article == 10
    assert f.human_as_machine == 0
