"""The article a letter discusses by the words it shares with titles, rarest first (issue 17).

Each rule on hand-written letters against a small hand-written catalogue with
decoys: one reporter's several pieces, one topic's several titles, pieces
published after the letter.
"""

from __future__ import annotations

import time
from datetime import date

import pytest

from intake.domain.model import Article
from intake.sorting.articles import MATCH_AT_LEAST, Catalogue
from intake.sorting.fuzzytitles import FuzzyTitles, alike, forms
from intake.sorting.readerwords import sentences, without_sign_off
from intake.sorting.routing import is_ambiguous, route_article


def _article(slug: str, title: str, author: str, day: int) -> Article:
    return Article(
        url=f"https://www.news.test/{slug}/",
        title=title,
        author=author,
        author_email=f"{author.split()[-1].lower()}@news.test",
        published=date(2026, 3, day),
    )


OBITUARY = _article(
    "obituary", "Rosa Kettering, Who Ran the Ferry for Forty Years, Dies at 88", "Ada Fenn", 4
)
FERRY = _article("ferry", "City Ferry Fares Rise Again", "Ada Fenn", 4)
MILL = _article("mill", "Corby Sawmill to Close After 96 Years", "Obi Nwosu", 2)
SHOPS = _article("shops", "City Shops Stand Empty on the High Street", "Obi Nwosu", 9)
CAP = _article("cap", "City Weighs a Cap on Holiday Lets", "Lena Moss", 1)
EVICTIONS = _article("evictions", "Eviction Cases Climb for a Third Month", "Lena Moss", 10)
CLOCKS = _article("clocks", "Stop Changing the Clocks", "Victor Hale", 6)
RENTS = _article("rents", "Rent Control Builds Nothing", "Victor Hale", 20)
PHONES = _article("phones", "Ban Phones in Class", "Victor Hale", 27)
CATALOGUE = Catalogue([OBITUARY, FERRY, MILL, SHOPS, CAP, EVICTIONS, CLOCKS, RENTS, PHONES])


def _best(text: str, sent_on: date | None = None, subject: str = "") -> tuple[str, float, str]:
    found = CATALOGUE.match(text=text, subject=subject, sent_on=sent_on)
    return (found[0].article.url, found[0].score, found[0].reason) if found else ("", 0.0, "")


# -- sentences and sign-offs ------------------------------------------------------------


def test_a_full_stop_after_a_title_or_abbreviation_ends_no_sentence() -> None:
    text = "Your story on St. Agnes was fair. Ms. Alvarez won.\n\nDr. Okafor agrees. Next"
    assert sentences(text) == [
        "Your story on St. Agnes was fair.",
        "Ms. Alvarez won.",
        "Dr. Okafor agrees.",
        "Next",
    ]


def test_a_blank_line_after_an_abbreviation_still_ends_the_paragraph() -> None:
    assert sentences("We live on Dock St.\n\nThe fares rose.") == [
        "We live on Dock St.",
        "The fares rose.",
    ]


def test_the_sign_off_is_not_the_letter() -> None:
    text = "Dear Editor,\n\nThe fares are too high.\n\nMae Thornbury\nHigh Street\n\nSent from my iPhone\n"
    assert without_sign_off(text) == "Dear Editor,\n\nThe fares are too high."
    # a closing sentence is the letter's own
    assert without_sign_off("Dear Editor,\n\nThe fares are too high.\n\nFix it.") == (
        "Dear Editor,\n\nThe fares are too high.\n\nFix it."
    )


# -- inflection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "two", "same"),
    [
        ("close", "closing", True),
        ("win", "winning", True),
        ("rise", "rising", True),
        ("lose", "losing", True),
        ("plan", "planned", True),
        ("fill", "filling", True),
        ("car", "care", False),
        ("ring", "rise", False),
        ("rose", "rise", False),
    ],
)
def test_a_verb_inflected_is_the_same_word(one: str, two: str, same: bool) -> None:
    assert alike(one, two) is same
    assert alike(two, one) is same


def test_forms_of_a_word_ending_in_ing_or_ed() -> None:
    assert forms("closing") == {"closing", "clos", "close"}
    assert forms("winning") == {"winning", "winn", "winne", "win"}
    assert forms("city") == {"city"}


# -- rare words across the letter -------------------------------------------------------


def test_a_letter_holding_a_titles_rare_words_finds_it_without_the_title() -> None:
    text = (
        "Dear Editor,\n\nI was sorry to read that Rosa Kettering has died. She ran the ferry "
        "when I was a boy, and she was 88.\n\nJo Brand\nQuayside\n"
    )
    url, score, reason = _best(text)
    assert url == OBITUARY.url and score >= MATCH_AT_LEAST
    assert reason.startswith("shares 6 of the title's 8 words") and "well ahead" in reason


def test_words_many_titles_use_do_not_make_a_match() -> None:
    # "city" is in three titles, "ferry" in two: neither tells the article
    found = CATALOGUE.match(text="Dear Editor,\n\nThe city ferry is a city treasure.\n")
    assert all(m.score < MATCH_AT_LEAST for m in found)


def test_a_title_must_lead_the_next_by_twice_the_weight() -> None:
    two = Catalogue(
        [
            _article("a", "Harbour Tram Depot Noise Keeps Quay Awake", "A B", 1),
            _article("b", "Harbour Tram Depot Opens on the Quay", "C D", 1),
        ]
    )
    text = "Dear Editor,\n\nThe harbour tram depot on the quay is a disgrace.\n"
    found = two.match(text=text)
    assert all(m.score < MATCH_AT_LEAST for m in found)
    assert route_article(found, 0.9, 0.6)[0] is None


def test_three_shared_words_are_a_candidate_only() -> None:
    text = "Dear Editor,\n\nI wonder if the sawmill staff will close ranks.\n"
    url, score, _ = _best(text + "Corby needs jobs.\n")
    assert url == MILL.url and score < MATCH_AT_LEAST
    url, score, _ = _best(text + "Corby has had it for 96 years.\n")
    assert url == MILL.url and score >= MATCH_AT_LEAST


def test_a_place_in_the_sign_off_is_no_topic() -> None:
    # "High Street" and "City" only where the writer signs
    text = "Dear Editor,\n\nThe council never listens to us.\n\nMae Thornbury\nHigh Street, City\n"
    assert _best(text)[0] == ""


def test_shared_words_search_is_linear_on_a_letter_of_look_alike_words() -> None:
    # Thousands of words sharing one key ("word1", "word8", ...): each title word's look-alikes
    # are given up past a bound, not gathered, so a title costs the same however many there
    # are.  When they were gathered first this took 15 s (twice the words: four times the time);
    # it takes about 0.3 s.
    n = 16_000
    start = time.perf_counter()
    titles = FuzzyTitles([[f"word{i}", f"other{i}", "common", f"thing{i}"] for i in range(n)])
    words = [f"word{i}" for i in range(0, 10 * n, 7)] + ["common"] * (5 * n // 2)
    found = titles.shared(words, range(n))
    assert time.perf_counter() - start < 4.0
    assert len(found) == n


# -- the reporter's pieces: rare words and publication dates ------------------------------


def test_a_word_many_titles_use_does_not_tie_the_reporters_pieces() -> None:
    # "city" is in CAP's title and in two others; "eviction" and "third" only in EVICTIONS'
    text = "Ms. Moss's report on the eviction cases for a third time. The city must act."
    found = CATALOGUE.match(text=text, sent_on=date(2026, 3, 12))
    assert found[0].article == EVICTIONS and found[0].score >= MATCH_AT_LEAST
    assert not is_ambiguous(found)


def test_a_piece_published_after_the_letter_is_not_what_it_answers() -> None:
    text = "Dear Editor,\n\nVictor Hale's column was wrong.\n"
    # written on the 8th: only the clocks column had appeared
    url, score, reason = _best(text, sent_on=date(2026, 3, 8))
    assert url == CLOCKS.url and score >= MATCH_AT_LEAST
    assert "(one article)" in reason
    # written on the 28th: three columns, none named by its words
    later = CATALOGUE.match(text=text, sent_on=date(2026, 3, 28))
    assert {m.article for m in later} == {CLOCKS, RENTS, PHONES}
    assert all(m.score < MATCH_AT_LEAST for m in later)


def test_a_link_to_a_later_piece_still_counts() -> None:
    text = "Dear Editor,\n\nhttps://www.news.test/phones/ is wrong.\n"
    assert _best(text, sent_on=date(2026, 3, 8))[0] == PHONES.url


def test_a_genitive_without_apostrophe_after_the_first_name_names_the_reporter() -> None:
    text = "Sehr geehrte Redaktion,\n\nich habe Victor Hales Kolumne gelesen.\n"
    url, score, _ = _best(text, sent_on=date(2026, 3, 8))
    assert url == CLOCKS.url and score >= MATCH_AT_LEAST
    # "Hales" alone is a writer's or a place's name, not the reporter
    assert _best("Dear Editor,\n\nWe walked to Hales on Sunday.\n", date(2026, 3, 8))[0] == ""


# -- a subject saying nothing of the topic --------------------------------------------------


SECTIONED = Catalogue(
    [
        Article(
            url="https://www.news.test/business/2026/03/shops/",
            title="Downtown Shop Vacancies Reach a Decade High",
            author="Obi Nwosu",
            author_email="onwosu@news.test",
            published=date(2026, 3, 9),
        ),
        FERRY,
        CAP,
    ]
)
_VACANCIES = (
    "Dear Editor,\n\nYou reported that downtown shop vacancies are at a decade high. "
    "Parking is the reason.\n"
)


@pytest.mark.parametrize(
    "subject", ["", "Letter to the editor", "Re: your article", "Business section", "Vacancies"]
)
def test_a_subject_naming_the_letter_the_section_or_the_topic_keeps_the_match(
    subject: str,
) -> None:
    found = SECTIONED.match(text=_VACANCIES, subject=subject)
    assert found[0].article.url.endswith("/shops/") and found[0].score >= MATCH_AT_LEAST


# -- letters in other languages -------------------------------------------------------------


def test_names_and_numbers_of_a_title_in_a_letter_in_another_language() -> None:
    spanish = (
        "Estimado director:\n\nSu artículo sobre el aserradero de Corby me dolió. Mi padre "
        "trabajó allí durante treinta años y ahora, después de 96 años, la ciudad se queda "
        "sin su fábrica. Por favor, que el consejo ayude a los trabajadores.\n\nAna Ruiz\n"
    )
    url, score, reason = _best(spanish)
    assert url == MILL.url and score < MATCH_AT_LEAST  # "Corby" and "96": a candidate
    assert reason.endswith("in a letter in another language")
    more = spanish.replace("el aserradero de Corby", "el Corby Sawmill, que va a cerrar (close)")
    url, score, _ = _best(more)
    assert url == MILL.url and score >= MATCH_AT_LEAST


def test_a_letter_in_another_language_sharing_no_title_word_finds_nothing() -> None:
    spanish = (
        "Estimado director:\n\nSu artículo sobre la deuda de los almuerzos escolares me "
        "dolió. Muchas familias no saben que pueden pedir comida gratis para sus hijos.\n"
    )
    assert CATALOGUE.match(text=spanish) == ()


# -- a reply to our newsletter, quoted below an Outlook header ------------------------------


NEWSLETTER = (
    "As to the ferry fares: the rise hits commuters hardest.\n\nIvan Petrakis\n\n"
    "From: The Courier <newsletter@news.test>\nSent: Tuesday, March 10, 2026 6:00 AM\n"
    "Subject: Morning Brief\n\nCorby Sawmill to Close After 96 Years\n"
    "https://www.news.test/mill/\n\nCity Ferry Fares Rise Again\nhttps://www.news.test/ferry/\n"
)


def test_our_newsletter_under_an_outlook_header_is_not_the_readers_words() -> None:
    found = CATALOGUE.match(text=NEWSLETTER, subject="RE: Morning Brief")
    assert found[0].article == FERRY and found[0].score >= MATCH_AT_LEAST
    assert "the item the reader discusses" in found[0].reason
    assert is_ambiguous(found) is False


def test_a_letter_forwarded_under_an_outlook_header_is_still_read() -> None:
    forwarded = (
        "My father asked me to send this.\n\nFrom: Jo Fenn <jo@news.test>\n"
        "Sent: Tuesday, March 10, 2026 6:00 AM\n\nYour story on the Corby sawmill closing "
        "after 96 years was sad.\n"
    )
    found = CATALOGUE.match(text=forwarded, subject="FW: letter from Dad")
    assert found[0].article == MILL and found[0].score >= MATCH_AT_LEAST


# -- two-word titles, and reporters addressed in other languages ----------------------------


BALLPARK = _article("ballpark", "Who Pays for the New Ballpark?", "Ruth Cass", 3)
GUNS = _article("guns", "Gun Control", "Ruth Cass", 3)
SHORT = Catalogue([BALLPARK, GUNS, FERRY])


def test_a_two_word_title_in_a_sentence_citing_our_piece_is_a_match() -> None:
    text = "Dear Editor,\n\nThe article asking who pays for the ballpark should be on page one.\n"
    found = SHORT.match(text=text)
    assert found[0].article == BALLPARK and found[0].score >= MATCH_AT_LEAST
    assert found[0].reason == "names the two words of the title in a sentence citing it"


def test_a_two_word_title_in_prose_citing_nothing_is_no_match() -> None:
    assert SHORT.match(text="Dear Editor,\n\nWho pays for the ballpark? We do.\n") == ()
    assert SHORT.match(text="We need gun control and we need it now, before summer.") == ()


def test_a_reporter_addressed_in_another_language_is_named() -> None:
    text = "Prezado editor,\n\nLi a reportagem do senhor Nwosu sobre o aumento.\n"
    catalogue = Catalogue([FERRY, MILL])
    found = catalogue.match(text=text)
    assert found[0].article == MILL and found[0].score >= MATCH_AT_LEAST
    assert found[0].reason == "names the reporter, Obi Nwosu (one article)"
    # without the honorific "Nwosu" is a name like any other
    assert catalogue.match(text=text.replace("senhor ", "")) == ()


# -- plurals -------------------------------------------------------------------------------


def test_a_plural_in_ies_or_ches_is_its_singular() -> None:
    libraries = _article("libraries", "Editorial: Libraries Are Not a Luxury", "Editorial Board", 4)
    pipes = _article("pipes", "Editorial: The City Must Fix the Pipes", "Editorial Board", 2)
    lunches = _article("lunches", "Families Owe for School Lunches", "Ada Fenn", 3)
    catalogue = Catalogue([libraries, pipes, lunches])
    found = catalogue.match(
        text="Your editorial on the library was right.", sent_on=date(2026, 3, 9)
    )
    assert found[0].article == libraries and found[0].score >= MATCH_AT_LEAST
    found = catalogue.match(text="Ms. Fenn's story on the family and lunch debt was fair.")
    assert found[0].article == lunches and "2 of the title's words" in found[0].reason


# -- ties between decoys --------------------------------------------------------------------


def test_two_links_tie_and_the_readers_words_pick_one() -> None:
    text = (
        "Dear Editor,\n\nhttps://www.news.test/mill/ and https://www.news.test/ferry/\n\n"
        "The sawmill at Corby should never close: 96 years of work.\n"
    )
    found = CATALOGUE.match(text=text)
    assert found[0].article == MILL and found[0].score == 1.0
    assert not is_ambiguous(found)
    assert found[1].article == FERRY and found[1].reason.endswith("are another title's")
    # the reader's words leaning to neither: still a tie for the editors
    plain = CATALOGUE.match(
        text="Dear Editor,\n\nhttps://www.news.test/mill/ and "
        "https://www.news.test/ferry/\n\nBoth wrong.\n"
    )
    assert is_ambiguous(plain)


def test_a_tie_broken_never_raises_a_score() -> None:
    text = "Sunday's story on the tram depot noise was sad."
    two = Catalogue(
        [
            _article("a", "Harbour Tram Depot Noise Keeps Quay Awake", "A B", 8),
            _article("b", "Two Reading Rooms Close on Mondays", "C D", 8),
        ]
    )
    found = two.match(text=text, sent_on=date(2026, 3, 9))
    assert found[0].article.url.endswith("/a/")
    assert all(m.score <= 0.97 for m in found) and not is_ambiguous(found)


def test_words_every_letter_uses_are_no_topic() -> None:
    lunch = _article("lunch", "School Lunch Should Be Free for Every Child", "Ada Fenn", 3)
    catalogue = Catalogue([lunch, FERRY, MILL])
    text = "Dear Editor:\n\nI read your paper every day. A paper like yours should ask us.\n"
    assert catalogue.match(text=text) == ()
    # the title's own topic words still count
    topical = "Dear Editor:\n\nEvery child should eat: a free school lunch for all.\n"
    assert catalogue.match(text=topical)[0].article == lunch
