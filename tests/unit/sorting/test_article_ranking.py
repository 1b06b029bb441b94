"""Ranking candidates in a catalogue of 280 articles: links, quotes, paraphrases, dates, ties."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path

import pytest

from intake.adapters.catalogue import load_catalogue
from intake.domain.model import Article, ArticleMatch
from intake.sorting.articles import Catalogue
from intake.sorting.datecues import date_cues
from intake.sorting.fuzzytitles import alike
from intake.sorting.routing import AMBIGUITY_MARGIN, candidate, is_ambiguous

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
_ADJECTIVES = ("Quiet", "Hidden", "Long", "Broken", "Forgotten", "Rising", "Last", "New")
_NOUNS = ("Harbor", "Orchard", "Railyard", "Archive", "Clinic", "Factory", "Bridge", "Market")
_TAILS = (
    "Nobody Wanted to Save",
    "and the Families Who Built It",
    "Is Running Out of Time",
    "That Changed a County",
)
BUS = "https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/"
LIBRARY = "https://www.news.test/education/2025/02/what-the-library-cuts-will-cost-our-children/"
NURSES = "https://www.news.test/health/2024/12/our-hospitals-are-running-out-of-nurses/"
RENT = "https://www.news.test/housing/2025/02/why-rent-stabilization-still-matters-in-2025/"


def _generated() -> list[Article]:
    start = date(2024, 1, 1)
    return [
        Article(
            url=f"https://www.news.test/archive/{n}/{adj}-{noun}".lower(),
            title=f"The {adj} {noun} {tail}",
            author=f"Writer {n % 17}",
            author_email=f"writer{n % 17}@news.test",
            published=start + timedelta(days=2 * n),
        )
        for n, (adj, noun, tail) in enumerate(itertools.product(_ADJECTIVES, _NOUNS, _TAILS))
    ]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    samples = list(load_catalogue(str(SAMPLES / "articles.csv")))
    return Catalogue([*_generated(), *samples])


def _urls(found: tuple[ArticleMatch, ...]) -> list[str]:
    return [m.article.url for m in found]


def test_the_catalogue_is_large_enough(catalogue: Catalogue) -> None:
    assert len(catalogue) >= 200


def test_a_link_picks_the_article(catalogue: Catalogue) -> None:
    text = (
        "Dear Editor,\n\nI read https://amp.news.test/city/2025/01/the-quiet-collapse-of-the-"
        "citys-bus-network/amp?utm_source=twitter&fbclid=x1 and I have a complaint.\n"
    )
    found = catalogue.match(text=text)
    assert _urls(found)[0] == BUS and found[0].score == 1.0
    assert not is_ambiguous(found)


def test_a_quoted_title_picks_the_article(catalogue: Catalogue) -> None:
    text = "To the Editor:\n\nRe “Our Hospitals Are Running Out of Nurses” (Dec. 9): I agree."
    found = catalogue.match(text=text)
    assert _urls(found)[0] == NURSES and found[0].score >= 0.95


@pytest.mark.parametrize(
    ("subject", "text", "url"),
    [
        (
            "Buses",
            "Your piece on the city's bus network quietly collapsing should be read at City Hall.",
            BUS,
        ),
        (
            "Nurses",
            "Your report says our hospitals are running short of nurses. It is worse than that.",
            NURSES,
        ),
        (
            "Rent",
            "Rent stabilisation still matters, your columnist says; as a landlord I disagree.",
            RENT,
        ),
        (
            "The library cuts and our children",
            "What will they cost? More than the council thinks.",
            LIBRARY,
        ),
    ],
)
def test_a_paraphrased_title_picks_the_article(
    catalogue: Catalogue, subject: str, text: str, url: str
) -> None:
    found = catalogue.match(text=f"Dear Editor,\n\n{text}\n\nJane Roe\nAshby\n", subject=subject)
    assert _urls(found)[0] == url, found
    # in one sentence, or the title's rarer words across the letter
    assert found[0].reason.startswith(("paraphrases the title", "shares")), found[0].reason
    assert not is_ambiguous(found)


def test_a_paraphrase_sharing_no_words_is_not_guessed(catalogue: Catalogue) -> None:
    text = "Dear Editor,\n\nYour story about buses getting slower and rarer was spot on.\n"
    assert BUS not in _urls(catalogue.match(text=text))


def test_your_article_of_a_date_adds_to_a_paraphrase(catalogue: Catalogue) -> None:
    text = (
        "Dear Editor,\n\nYour article of 20 February on the library cuts and what they will "
        "cost children was heartbreaking.\n"
    )
    found = catalogue.match(text=text, sent_on=date(2025, 2, 24))
    assert _urls(found)[0] == LIBRARY
    assert found[0].score == pytest.approx(0.95)
    assert "published on the date the letter gives (20 February)" in found[0].reason


def test_a_date_alone_nominates_that_days_articles_and_is_ambiguous(catalogue: Catalogue) -> None:
    text = "Dear Editor,\n\nIn your 20 February issue you said the branch would close. Why?\n"
    found = catalogue.match(text=text, sent_on=date(2025, 2, 24))
    published = {m.article.published for m in found}
    assert LIBRARY in _urls(found) and len(found) == 2
    assert published == {date(2025, 2, 20)}
    assert all(m.score == 0.5 for m in found)
    assert is_ambiguous(found)


def test_the_year_of_a_date_comes_from_the_letters_date() -> None:
    (cue,) = date_cues("your editorial of 28 December", date(2025, 1, 3))
    assert (cue.year, cue.month, cue.day) == (2024, 12, 28)
    (cue,) = date_cues("in your Sept. 2, 2024 edition", None)
    assert cue.matches(date(2024, 9, 3)) and not cue.matches(date(2024, 9, 5))
    assert date_cues("On 4 July we marched down Main Street.", date(2025, 1, 3)) == ()


def test_a_letter_quoting_two_titles_is_ambiguous(catalogue: Catalogue) -> None:
    text = (
        "Dear Editor,\n\nBetween “Our Hospitals Are Running Out of Nurses” and “The Long Road "
        "to a Living Wage for Home Care Aides” you have made my point for me.\n"
    )
    found = catalogue.match(text=text)
    assert {m.score for m in found[:2]} == {0.95}
    assert is_ambiguous(found)


def test_the_paraphrase_that_covers_most_of_a_title_wins(catalogue: Catalogue) -> None:
    # "New" is not a significant word, so every word of that title is in the sentence;
    # the other seven harbors lose their adjective and rank below.
    text = "Dear Editor,\n\nThe piece about the harbor nobody wanted to save made me cry.\n"
    found = catalogue.match(text=text)
    assert found[0].article.title == "The New Harbor Nobody Wanted to Save"
    assert found[0].score - found[1].score > AMBIGUITY_MARGIN
    assert not is_ambiguous(found)


def test_a_link_beats_a_paraphrase_of_another_article(catalogue: Catalogue) -> None:
    text = (
        f"Dear Editor,\n\nAfter {LIBRARY} I wondered whether our hospitals are running out of "
        "nurses too.\n"
    )
    found = catalogue.match(text=text)
    assert _urls(found)[:2] == [LIBRARY, NURSES]
    assert not is_ambiguous(found)


def test_candidates_are_stored_as_plain_values(catalogue: Catalogue) -> None:
    (best, *_rest) = catalogue.match(text="Re “Our Hospitals Are Running Out of Nurses”")
    assert candidate(best) == {
        "url": NURSES,
        "title": "Our Hospitals Are Running Out of Nurses",
        "author": best.article.author,
        "score": 0.95,
        "reason": "quotes the title ‘Our Hospitals Are Running Out of Nurses’",
    }


@pytest.mark.parametrize(
    ("one", "two", "same"),
    [
        ("collapse", "collapsing", True),
        ("quiet", "quietly", True),
        ("stabilization", "stabilisation", True),
        ("communities", "communties", True),
        ("nurse", "nurse", True),
        ("harbor", "harvest", False),
        ("bus", "bust", False),
        ("cost", "coast", False),
    ],
)
def test_words_alike(one: str, two: str, same: bool) -> None:
    assert alike(one, two) is same
