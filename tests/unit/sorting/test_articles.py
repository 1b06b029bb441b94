"""Tests for intake.sorting.articles: URL and title normalisation, links, quotes, matching."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest

from intake.domain.model import Article
from intake.mail.links import links_in, normalise_url
from intake.mail.parse import parse_message
from intake.sorting.articles import (
    MATCH_AT_LEAST,
    MAX_MATCHES,
    Catalogue,
    normalise_title,
    quoted_phrases,
)

ROOT = Path(__file__).resolve().parents[3]
SEED_URL = (
    "https://www.thenation.com/article/archive/"
    "new-york-city-partnering-ice-rip-apart-immigrant-communities/"
)
SEED_TITLE = "Is New York City Partnering With ICE to Rip Apart Immigrant Communities?"

# -- normalise_url ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # tracking parameters go, page parameters stay (sorted)
        (
            "https://example.com/a/?utm_source=fb&utm_medium=social&utm_campaign=x",
            "example.com/a",
        ),
        ("https://example.com/a?fbclid=IwAR0x&gclid=abc", "example.com/a"),
        ("https://example.com/a?mc_cid=1&mc_eid=2&ref=home&cmpid=rss", "example.com/a"),
        (
            "https://www.nytimes.com/2024/01/01/x.html?smid=tw-share",
            "nytimes.com/2024/01/01/x.html",
        ),
        ("https://example.com/a?page=2&utm_source=x&id=7", "example.com/a?id=7&page=2"),
        ("https://example.com/a?UTM_Source=x", "example.com/a"),
        # AMP: host prefix, path suffix, amp=1 flag and Google's AMP cache
        ("https://amp.example.com/world/story", "example.com/world/story"),
        ("https://example.com/world/story/amp/", "example.com/world/story"),
        ("https://example.com/world/story?amp=1", "example.com/world/story"),
        ("https://example.com/world/story?amp", "example.com/world/story"),
        ("https://example.com/world/story?outputType=amp", "example.com/world/story"),
        (
            "https://example.com/world/story?outputType=print",
            "example.com/world/story?outputType=print",
        ),
        (
            "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/world/story/amp",
            "example.com/world/story",
        ),
        ("https://www.google.com/amp/s/example.com/world/story/amp", "example.com/world/story"),
        # mobile and www hosts, case, scheme, default port
        ("https://m.example.com/world/story", "example.com/world/story"),
        ("http://WWW.Example.COM/world/story", "example.com/world/story"),
        ("https://example.com:443/world/story", "example.com/world/story"),
        ("https://example.com:8443/world/story", "example.com:8443/world/story"),
        ("www.example.com/world/story", "example.com/world/story"),
        # trailing slash and fragment
        ("https://example.com/world/story/", "example.com/world/story"),
        ("https://example.com/world/story#comments", "example.com/world/story"),
        ("https://example.com/", "example.com"),
        # percent-encoding of the path is compared decoded
        ("https://example.com/caf%C3%A9-society", "example.com/café-society"),
        # redirect wrappers that carry their target inline
        (
            (
                "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.example.com"
                "%2Fworld%2Fstory%2F%3Futm_source%3Dnewsletter&data=05%7C01&reserved=0"
            ),
            "example.com/world/story",
        ),
        (
            "https://www.google.com/url?q=https://example.com/world/story&sa=D",
            "example.com/world/story",
        ),
    ],
)
def test_normalise_url(url: str, expected: str) -> None:
    assert normalise_url(url) == expected


def test_normalise_url_keeps_different_pages_apart() -> None:
    assert normalise_url("https://example.com/a") != normalise_url("https://example.com/b")
    assert normalise_url("https://example.com/a?p=1") != normalise_url("https://example.com/a?p=2")
    # only a leading "m." is a mobile host, not any host that starts with "m"
    assert normalise_url("https://mail.example.com/x") == "mail.example.com/x"
    # a bare "m.com" keeps its name: stripping would leave no domain
    assert normalise_url("https://m.com/x") == "m.com/x"


# -- links_in ----------------------------------------------------------------------


def test_links_in_text_drop_trailing_punctuation() -> None:
    text = (
        "I read https://example.com/a/b. Then (https://example.com/c) and "
        "“https://example.com/d”, also https://en.wikipedia.org/wiki/Foo_(bar)!"
    )
    assert links_in(text) == (
        "https://example.com/a/b",
        "https://example.com/c",
        "https://example.com/d",
        "https://en.wikipedia.org/wiki/Foo_(bar)",
    )


def test_links_in_rejoins_a_url_wrapped_inside_angle_brackets() -> None:
    text = "See <https://example.com/a/very/long/\n   path/to/the/story> for details."
    assert links_in(text) == ("https://example.com/a/very/long/path/to/the/story",)


def test_links_in_angle_brackets_do_not_swallow_prose() -> None:
    text = "See <https://example.com/a and the rest of the sentence\n> quoted line"
    assert links_in(text) == ("https://example.com/a",)


def test_links_in_html_hrefs_are_unescaped_and_only_http() -> None:
    html = (
        '<p><a href="https://example.com/q?a=1&amp;b=2">story</a> '
        '<a href="mailto:x@example.com">mail</a> <a href="/relative">r</a>'
        '<a href=" HTTPS://example.com/z ">z</a></p>'
    )
    assert links_in("", html) == ("https://example.com/q?a=1&b=2", "HTTPS://example.com/z")


def test_links_in_deduplicates_by_normalised_url_keeping_first_spelling() -> None:
    text = "https://www.example.com/a/?utm_source=x and again https://example.com/a"
    html = '<a href="https://m.example.com/a#top">a</a><a href="https://example.com/b">b</a>'
    assert links_in(text, html) == (
        "https://www.example.com/a/?utm_source=x",
        "https://example.com/b",
    )


def test_links_in_finds_nothing_in_plain_prose() -> None:
    assert links_in("No links here, just example.com mentioned in passing.") == ()


# -- quoted_phrases and normalise_title ---------------------------------------------


def test_quoted_phrases_curly_straight_and_single() -> None:
    text = (
        "Your article “The Quiet Collapse of the Bus Network” was wrong. "
        'So was "Why Rent Stabilization Still Matters," frankly. '
        "And ‘The Mayor’s Budget Is a Mirage’ missed the point."
    )
    assert quoted_phrases(text) == (
        "The Quiet Collapse of the Bus Network",
        "Why Rent Stabilization Still Matters",
        "The Mayor’s Budget Is a Mirage",
    )


def test_quoted_phrases_ignore_short_quotes_and_blank_lines() -> None:
    text = 'He called it “nonsense” and "fake news". “This one starts\n\nand never ends”.'
    assert quoted_phrases(text) == ()


def test_quoted_phrases_span_a_hard_wrapped_line() -> None:
    text = "Michelle Chen’s article “Is New York City Partnering With ICE to Rip\nApart Immigrant"
    text += " Communities?” published on August 13th"
    assert quoted_phrases(text) == (SEED_TITLE,)


def test_quoted_phrases_long_single_word_counts_by_characters() -> None:
    assert quoted_phrases("“Supercalifragilisticexpialidocious”") == (
        "Supercalifragilisticexpialidocious",
    )


def test_quoted_phrases_in_guillemets_are_trimmed() -> None:
    assert quoted_phrases("Votre article « Le Pont Neuf Ferme Ses Portes » m'a surpris.") == (
        "Le Pont Neuf Ferme Ses Portes",
    )


@pytest.mark.parametrize("opening", ["«", "“", '"', "‘", "„"])
def test_quoted_phrases_are_linear_on_an_unclosed_quote_and_many_spaces(opening: str) -> None:
    # one opening mark and 200,000 spaces: with spaces matched on either side of the phrase
    # the guillemet pattern took minutes (2,000 spaces: 5 s; 5,000: 68 s)
    started = time.perf_counter()
    assert quoted_phrases("Dear Editor, " + opening + " " * 200_000 + "x") == ()
    assert time.perf_counter() - started < 2


def test_quoted_phrases_are_deduplicated_by_normalised_title() -> None:
    text = '“The Drought Nobody Is Talking About” and later "the drought nobody is talking about"'
    assert quoted_phrases(text) == ("The Drought Nobody Is Talking About",)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (SEED_TITLE, "is new york city partnering with ice to rip apart immigrant communities"),
        ("The City’s Bus Network", "the citys bus network"),
        ("The City's  Bus\nNetwork", "the citys bus network"),
        ("Mayor de Blasio—and the NYPD", "mayor de blasio and the nypd"),
        ("Café Society: A Review", "cafe society a review"),
        ("“Quoted” Title", "quoted title"),
        ("STRASSE", "strasse"),
    ],
)
def test_normalise_title(title: str, expected: str) -> None:
    assert normalise_title(title) == expected


# -- the catalogue ------------------------------------------------------------------

_ADJECTIVES = ("Quiet", "Hidden", "Long", "Broken", "Forgotten", "Rising", "Last", "New")
_NOUNS = ("Harbor", "Orchard", "Railyard", "Archive", "Clinic", "Factory", "Bridge", "Market")
_TAILS = (
    "Nobody Wanted to Save",
    "and the Families Who Built It",
    "Is Running Out of Time",
    "That Changed a County",
)
REAL_LOOKING = (
    Article(
        url=SEED_URL,
        title=SEED_TITLE,
        author="Michelle Chen",
        author_email="michelle.chen@news.test",
    ),
    Article(
        url="https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/",
        title="The Quiet Collapse of the City’s Bus Network",
        author="Dana Whitfield",
        author_email="author1@news.test",
    ),
    Article(
        url="https://www.news.test/housing/2025/02/why-rent-stabilization-still-matters/",
        title="Why Rent Stabilization Still Matters in 2025",
        author="Marcus Oyelaran",
        author_email="author2@news.test",
    ),
    Article(
        url="https://www.news.test/politics/gun-control/",
        title="Gun Control",
        author="Ruth Kessler",
        author_email="ruth.kessler@news.test",
    ),
    Article(
        url="https://www.news.test/climate/flood-maps/",
        title="Flood Maps Are Out of Date, and Homeowners Are Paying",
        author="Luis Carvajal",
        author_email="luis.carvajal@news.test",
    ),
)


def _generated() -> list[Article]:
    articles = []
    for number, (adj, noun, tail) in enumerate(itertools.product(_ADJECTIVES, _NOUNS, _TAILS)):
        title = f"The {adj} {noun} {tail}"
        slug = title.lower().replace(" ", "-")
        articles.append(
            Article(
                url=f"https://www.news.test/archive/{number}/{slug}/",
                title=title,
                author=f"Writer {number % 17}",
                author_email=f"writer{number % 17}@news.test",
            )
        )
    return articles


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue([*_generated(), *REAL_LOOKING])


def _best(catalogue: Catalogue, **letter: str) -> tuple[str, float, str]:
    found = catalogue.match(**letter)
    assert found, f"no match for {letter}"
    return found[0].article.url, found[0].score, found[0].reason


def test_catalogue_has_the_generated_and_real_articles(catalogue: Catalogue) -> None:
    assert len(catalogue) == 8 * 8 * 4 + len(REAL_LOOKING) >= 200
    assert len({a.title for a in catalogue}) == len(catalogue)


def test_by_url_ignores_tracking_scheme_and_slash(catalogue: Catalogue) -> None:
    found = catalogue.by_url(
        "http://thenation.com/article/archive/new-york-city-partnering-ice-rip-apart-"
        "immigrant-communities?utm_source=twitter#comments"
    )
    assert found is not None and found.title == SEED_TITLE
    assert catalogue.by_url("https://www.thenation.com/article/archive/other-story/") is None


def test_by_url_accepts_a_page_parameter_on_a_catalogue_url(catalogue: Catalogue) -> None:
    found = catalogue.by_url("https://www.news.test/politics/gun-control/?page=2")
    assert found is not None and found.title == "Gun Control"


def test_match_by_link_with_tracking_parameters(catalogue: Catalogue) -> None:
    text = (
        "I read https://news.test/housing/2025/02/why-rent-stabilization-still-matters/"
        "?utm_source=newsletter&utm_medium=email and disagree."
    )
    url, score, reason = _best(catalogue, text=text)
    assert url.endswith("/why-rent-stabilization-still-matters/")
    assert score == 1.0
    assert reason == f"links to {url}"


def test_match_by_link_in_html_only(catalogue: Catalogue) -> None:
    html = '<p>About <a href="https://m.news.test/politics/gun-control">this</a>.</p>'
    url, score, _ = _best(catalogue, text="About this.", html=html)
    assert (url, score) == ("https://www.news.test/politics/gun-control/", 1.0)


def test_match_by_quoted_title(catalogue: Catalogue) -> None:
    text = "Your piece “The Forgotten Railyard That Changed a County” left out the strike."
    url, score, reason = _best(catalogue, text=text)
    assert "the-forgotten-railyard-that-changed-a-county" in url
    assert score == 0.95
    assert reason == "quotes the title ‘The Forgotten Railyard That Changed a County’"


def test_match_by_reply_subject(catalogue: Catalogue) -> None:
    found = catalogue.match(
        text="I have something to add.", subject="RE: Fwd: The Rising Clinic Is Running Out of Time"
    )
    assert found[0].article.title == "The Rising Clinic Is Running Out of Time"
    assert found[0].score == 0.9
    assert found[0].reason == "the subject is the title"


def test_match_a_short_title_only_as_the_whole_subject(catalogue: Catalogue) -> None:
    by_subject = catalogue.match(text="Thanks for this.", subject="Re: Gun Control")
    assert [m.article.title for m in by_subject] == ["Gun Control"]
    in_prose = catalogue.match(text="We need gun control and we need it now, before summer.")
    assert in_prose == ()


def test_match_by_title_named_in_the_body(catalogue: Catalogue) -> None:
    text = (
        "Dear Editor,\n\nThe story about the hidden harbor and the families who built\n"
        "it was moving, but the dates are wrong."
    )
    url, score, reason = _best(catalogue, text=text)
    assert "the-hidden-harbor-and-the-families-who-built-it" in url
    assert (score, reason) == (0.9, "names the title in the body")


def test_match_by_title_named_in_the_subject(catalogue: Catalogue) -> None:
    url, score, reason = _best(
        catalogue, text="A few thoughts.", subject="Letter on the last market nobody wanted to save"
    )
    assert "the-last-market-nobody-wanted-to-save" in url
    assert (score, reason) == (0.9, "names the title in the subject")


def test_match_by_most_of_the_title_words(catalogue: Catalogue) -> None:
    text = (
        "Dear Editor:\n\nHomeowners on my street are paying for flood insurance based on "
        "maps that are years out of date, exactly as you reported.\n\nSecond paragraph."
    )
    found = catalogue.match(text=text)
    # Every significant word of the title is in one sentence: a paraphrase, which
    # outranks the looser "most words somewhere in the opening" (0.6).
    assert [(m.article.url, m.score) for m in found] == [
        ("https://www.news.test/climate/flood-maps/", 0.85)
    ]
    assert found[0].reason == "paraphrases the title (5 of its 5 words)"


def test_word_overlap_across_sentences_of_the_opening(catalogue: Catalogue) -> None:
    text = (
        "Dear Editor:\n\nHomeowners are paying too much. The flood maps, as you "
        "reported, are years out of date.\n\nSecond paragraph."
    )
    found = catalogue.match(text=text)
    # the opening holds all five of the title's words, and no other title's: a match
    assert [(m.article.url, m.score) for m in found] == [
        ("https://www.news.test/climate/flood-maps/", 0.85)
    ]
    assert found[0].reason.startswith("shares 5 of the title's 5 words")


@pytest.mark.parametrize(
    ("opening", "matched"),
    [
        # significant title words: flood, maps, date, homeowners, paying
        ("Homeowners near the river are paying for flood maps drawn in 1987.", True),  # 4/5
        ("Homeowners near the river are paying for flood insurance they cannot afford.", False),
    ],
)
def test_word_overlap_needs_four_fifths_of_the_title(
    catalogue: Catalogue, opening: str, matched: bool
) -> None:
    found = catalogue.match(text=f"Dear Editor:\n\n{opening}")
    sure = [m.article.url for m in found if m.score >= MATCH_AT_LEAST]
    assert sure == (["https://www.news.test/climate/flood-maps/"] if matched else [])


def test_a_titles_words_later_in_the_letter_count_when_no_other_title_shares_them(
    catalogue: Catalogue,
) -> None:
    text = (
        "Dear Editor:\n\nI want to write about the bridge on Route 9, which is crumbling.\n\n"
        "Homeowners are paying too much. The flood maps are out of date."
    )
    found = catalogue.match(text=text)
    assert [m.article.url for m in found] == ["https://www.news.test/climate/flood-maps/"]
    assert found[0].reason.startswith("shares 5 of the title's 5 words")
    # half of them, in a letter about something else, only for an editor to consider
    half = "Dear Editor:\n\nThe bridge on Route 9 is crumbling.\n\nHomeowners pay for floods."
    assert all(m.score < MATCH_AT_LEAST for m in catalogue.match(text=half))


def test_paraphrase_is_found_in_any_opening_sentence(catalogue: Catalogue) -> None:
    text = (
        "Dear Editor:\n\nI want to write about the bridge on Route 9, which is crumbling.\n\n"
        "Homeowners on my street are paying for flood insurance based on maps that are "
        "out of date."
    )
    (found,) = catalogue.match(text=text)
    assert found.article.url == "https://www.news.test/climate/flood-maps/"
    assert found.reason.startswith("paraphrases the title")


def test_letter_naming_no_article_matches_nothing(catalogue: Catalogue) -> None:
    text = (
        "Dear Editor,\n\nThe council voted last night to close the pool on Elm Street. "
        "Nobody asked the swimmers. Please look into it.\n\nJane Doe\nSpringfield"
    )
    assert catalogue.match(text=text, subject="The pool on Elm Street") == ()


def test_shortened_links_are_not_resolved(catalogue: Catalogue) -> None:
    assert catalogue.match(text="Read this: https://bit.ly/3xYzAbC and https://t.co/Ab12Cd") == ()


def test_best_evidence_ranks_first_and_results_are_capped(catalogue: Catalogue) -> None:
    titles = [a.title for a in _generated()[:8]]
    text = " ".join(f"“{t}”" for t in titles)
    text += " and https://www.news.test/politics/gun-control/"
    found = catalogue.match(text=text)
    assert len(found) == MAX_MATCHES
    assert found[0].article.title == "Gun Control" and found[0].score == 1.0
    assert [m.score for m in found[1:]] == [0.95] * (MAX_MATCHES - 1)
    # ties keep the order the letter cites them in
    assert [m.article.title for m in found[1:]] == titles[: MAX_MATCHES - 1]


def test_each_article_appears_once_with_its_best_reason(catalogue: Catalogue) -> None:
    found = catalogue.match(
        text=f"Your “{SEED_TITLE}” at {SEED_URL} is wrong.", subject=f"Re: {SEED_TITLE}"
    )
    assert len(found) == 1
    assert found[0].score == 1.0 and found[0].reason.startswith("links to ")


def test_empty_catalogue_matches_nothing() -> None:
    empty = Catalogue([])
    assert len(empty) == 0
    assert empty.match(text=f"“{SEED_TITLE}” {SEED_URL}", subject=SEED_TITLE) == ()


def test_seed_letter_from_samples_matches_the_seed_article(catalogue: Catalogue) -> None:
    raw = (ROOT / "samples" / "inbox" / "01-letter-seed-nyc-ice.eml").read_bytes()
    mail = parse_message(raw)
    found = catalogue.match(text=mail.text, subject=mail.subject, html=mail.html)
    assert found[0].article.url == SEED_URL
    assert found[0].score == 0.95
    assert found[0].reason == f"quotes the title ‘{SEED_TITLE}’"
    assert [m.article.url for m in found] == [SEED_URL]
