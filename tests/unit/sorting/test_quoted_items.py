"""In a reply to our newsletter, the item the reader's own words discuss; links in the
subject; the day's pieces before the days either side (issue 17: 3)."""

from __future__ import annotations

from datetime import date

from intake.domain.model import Article
from intake.sorting.articles import MATCH_AT_LEAST, SCORE_QUOTED_ITEM, SCORE_QUOTED_LINK, Catalogue
from intake.sorting.routing import sure_match


def _article(slug: str, title: str, day: int) -> Article:
    return Article(
        url=f"https://www.news.test/{slug}/",
        title=title,
        author="Ines Calloway",
        author_email="ic@news.test",
        published=date(2026, 3, day),
    )


ROOFS = _article("roofs", "School Roofs Leak Again", 2)
FERRY = _article("ferry", "Ferry Fares Rise in April", 9)
TRAMS = _article("trams", "Night Trams Return to the Harbour Line", 9)
MARKET = _article("market", "The Fish Market Moves Inland", 10)
CATALOGUE = Catalogue([ROOFS, FERRY, TRAMS, MARKET])

BRIEF = f"""
On Mon, Mar 9, 2026, The Harbour Post <newsletter@news.test> wrote:
> MORNING BRIEF
> * {FERRY.title}
>   {FERRY.url}
> * {TRAMS.title}
>   {TRAMS.url}
> Manage your preferences or unsubscribe at https://www.news.test/newsletters
"""


def test_the_quoted_item_the_reader_discusses_wins_not_the_first_link() -> None:
    text = "The night trams are back and my shift ends at one: thank you.\n\nAda Reader" + BRIEF
    found = CATALOGUE.match(text=text)
    assert found[0].article == TRAMS and found[0].score == SCORE_QUOTED_ITEM
    assert "the item the reader discusses" in found[0].reason
    assert found[1].article == FERRY and found[1].score == SCORE_QUOTED_LINK
    assert sure_match(found) is not None


def test_a_reply_that_names_no_quoted_item_leaves_them_all_to_an_editor() -> None:
    found = CATALOGUE.match(text="Good morning to you too.\n\nAda Reader" + BRIEF)
    assert {m.article for m in found} == {FERRY, TRAMS}
    assert all(m.score == SCORE_QUOTED_LINK < MATCH_AT_LEAST for m in found)


def test_titles_in_the_quoted_message_are_not_the_readers() -> None:
    found = CATALOGUE.match(text="Fish prices again!\n\nAda Reader" + BRIEF)
    assert all(m.score < MATCH_AT_LEAST for m in found)


def test_a_link_in_the_subject_counts_as_one_in_the_body() -> None:
    found = CATALOGUE.match(text="Shameful. Keep them dry.", subject=ROOFS.url)
    assert found[0].article == ROOFS and found[0].score == 1.0


def test_the_days_own_pieces_come_before_the_days_either_side() -> None:
    # Monday 9 March has two pieces; Tuesday's market piece is a day off
    text = "Monday's story on the ferry fares forgot the pensioners' discount."
    found = CATALOGUE.match(text=text, sent_on=date(2026, 3, 11))
    assert found[0].article == FERRY and found[0].score >= MATCH_AT_LEAST
    assert MARKET not in {m.article for m in found}


def test_last_weeks_piece_is_the_one_sharing_three_title_words() -> None:
    week = [_article(f"w{day}", f"Budget Item Number {day}", day) for day in range(2, 8)]
    trams = _article("trams-4", "Night Trams Return to the Harbour Line", 4)
    catalogue = Catalogue([*week, trams])
    # seven pieces last week (2-8 March): three title words pick one, two do not
    text = "Your story last week on the night trams and the harbour missed the drivers."
    found = catalogue.match(text=text, sent_on=date(2026, 3, 10))
    assert found[0].article == trams and found[0].score >= MATCH_AT_LEAST
    assert "and 3 of the title's words" in found[0].reason
    fewer = catalogue.match(text="Your story last week on the trams.", sent_on=date(2026, 3, 10))
    assert all(m.score < MATCH_AT_LEAST for m in fewer)


def test_most_of_a_titles_words_in_a_sentence_citing_our_piece_is_a_match() -> None:
    lanes = _article("lanes", "Elm Street Bike Lanes Will Replace 80 Parking Spaces", 4)
    catalogue = Catalogue([lanes, ROOFS])
    cited = "I read your article about the Elm Street bike lanes replacing parking with relief."
    found = catalogue.match(text=cited)
    assert found[0].article == lanes and found[0].score >= MATCH_AT_LEAST
    assert "in a sentence citing it" in found[0].reason or found[0].reason.startswith("shares")
    # fewer of the same words with no piece cited are only a paraphrase
    plain = "Along Elm Street the bike lanes are new, to my relief."
    assert catalogue.match(text=plain)[0].score < MATCH_AT_LEAST
