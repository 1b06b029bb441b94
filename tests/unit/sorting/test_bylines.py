"""Finding the article a letter names by its reporter, its topic and a relative date (issue 17)."""

from __future__ import annotations

import time
from datetime import date

from intake.domain.model import Article
from intake.sorting.articles import MATCH_AT_LEAST, Catalogue
from intake.sorting.routing import is_ambiguous


def _article(slug: str, title: str, author: str, day: int) -> Article:
    return Article(
        url=f"https://www.news.test/{slug}/",
        title=title,
        author=author,
        author_email=f"{author.split()[-1].lower()}@news.test",
        published=date(2026, 3, day),
    )


DEPOT = _article("depot", "Council Approves the Harbour Tram Depot", "Ines Calloway", 8)
LIBRARY = _article("library", "Two Reading Rooms Close on Mondays", "Ines Calloway", 8)
ROOFS = _article("roofs", "School Roofs Leak Again", "Ines Calloway", 2)
FERRY = _article("ferry", "Ferry Fares Rise in April", "Bram Oduya", 5)
BOARD = _article("editorial", "Editorial: Keep the Ferry Public", "Editorial Board", 6)
CATALOGUE = Catalogue([DEPOT, LIBRARY, ROOFS, FERRY, BOARD])


def _best(text: str) -> tuple[str, float, str]:
    found = CATALOGUE.match(text=text)
    return (found[0].article.url, found[0].score, found[0].reason) if found else ("", 0.0, "")


def test_the_reporter_and_a_topic_word_find_the_article_among_hers() -> None:
    url, score, reason = _best("Ms. Calloway's story about the tram depot left out the residents.")
    assert url == DEPOT.url and score >= MATCH_AT_LEAST
    assert "names the reporter, Ines Calloway" in reason
    assert not is_ambiguous(CATALOGUE.match(text="Ines Calloway wrote on the depot vote."))


def test_a_reporter_with_one_article_is_enough() -> None:
    url, score, _ = _best("I read Bram Oduya's piece with dismay; commuters are squeezed enough.")
    assert url == FERRY.url and score >= MATCH_AT_LEAST


def test_the_reporter_alone_among_several_of_hers_is_left_for_an_editor() -> None:
    found = CATALOGUE.match(text="Ms. Calloway should get out of the office more often.")
    assert found and all(m.score < MATCH_AT_LEAST for m in found)


def test_two_articles_sharing_as_many_words_tie() -> None:
    found = CATALOGUE.match(text="Ines Calloway's piece on the depot and the reading rooms.")
    assert is_ambiguous(found)


def test_a_surname_alone_is_the_writer_signing_not_a_reporter_named() -> None:
    assert _best("The depot is too loud at night.\n\nMarta Calloway\nHarbourside")[0] == ""


def test_the_editorial_board_is_no_reporter() -> None:
    found = CATALOGUE.match(text="The Editorial Board's view on keeping the ferry is wrong.")
    assert all("reporter" not in m.reason for m in found)


def test_a_reporter_named_only_in_a_quoted_newsletter_is_not_the_readers() -> None:
    text = "Thanks, but no.\n\n> Bram Oduya's report: Ferry Fares Rise in April\n"
    assert all("reporter" not in m.reason for m in CATALOGUE.match(text=text))


def test_byline_search_is_fast_on_hostile_text() -> None:
    for hostile in ("Calloway's " * 200_000, "Ms. Calloway " * 150_000, "a" * 2_000_000):
        started = time.perf_counter()
        CATALOGUE.match(text=hostile)
        assert time.perf_counter() - started < 5.0  # linear: a quadratic scan takes minutes


def test_sundays_piece_is_the_latest_sunday_before_the_letter() -> None:
    from intake.sorting.datecues import date_cues

    # 2026-03-10 is a Tuesday: "Sunday's" is the 8th, "your Monday column" the 9th.
    cues = date_cues("Sunday's piece and your Monday column", date(2026, 3, 10))
    assert [(c.month, c.day) for c in cues] == [(3, 8), (3, 9)]
    (same_day,) = date_cues("Sunday's story", date(2026, 3, 8))
    assert same_day.day == 8


def test_last_weeks_editorial_covers_the_previous_week() -> None:
    from intake.sorting.datecues import date_cues

    (cue,) = date_cues("Last week's editorial was wrong.", date(2026, 3, 10))
    assert cue.matches(date(2026, 3, 2)) and cue.matches(date(2026, 3, 8))
    assert not cue.matches(date(2026, 2, 27)) and not cue.matches(date(2026, 3, 10))
    assert date_cues("Your column last week was wrong.", date(2026, 3, 10))
    assert date_cues("Last week's editorial was wrong.") == ()  # no letter date, no guess


def test_between_that_days_pieces_the_one_whose_words_the_reader_uses_leads() -> None:
    found = CATALOGUE.match(
        text="Sunday's story about the reading rooms closing was sad.", sent_on=date(2026, 3, 9)
    )
    assert found[0].article == LIBRARY and found[0].score >= MATCH_AT_LEAST
    assert not is_ambiguous(found)
    vague = CATALOGUE.match(text="Sunday's story was sad.", sent_on=date(2026, 3, 9))
    assert {m.article for m in vague} == {DEPOT, LIBRARY}
    assert all(m.score < MATCH_AT_LEAST for m in vague)


def test_your_editorial_names_the_boards_piece_the_topic_words_pick() -> None:
    url, score, reason = _best("Your editorial on the ferry was right: keep it public.")
    assert url == BOARD.url and score >= MATCH_AT_LEAST
    assert reason.startswith("names our editorial ('Your editorial')")
    # "editorial" alone, or a topic no editorial shares, names none
    assert _best("Your editorial was right.")[0] == ""
    assert _best("Your editorial on the roofs was right.")[0] != BOARD.url


def test_more_shared_words_by_two_are_no_tie() -> None:
    many = _article("harbour", "Harbour Tram Depot Noise Keeps the Quay Awake", "Ines Calloway", 9)
    catalogue = Catalogue([DEPOT, many])
    text = "Ms. Calloway's story on the harbour depot noise at the quay was fair."
    found = catalogue.match(text=text)
    assert found[0].article == many and not is_ambiguous(found)
