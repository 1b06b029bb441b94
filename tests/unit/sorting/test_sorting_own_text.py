"""Sorting reads the sender's own text: a newsletter's footer in a quote or a forward is not
bulk mail, and a short letter that names one of our articles is a letter.

The messages are written here; each quotes or forwards a newsletter in a shape
the old cut (``owntext.own_text``: ``>`` lines and a few separators) missed.
"""

from __future__ import annotations

from datetime import date

import pytest

from intake.domain.model import Article, ArticleMatch, Category
from intake.mail.parse import parse_message
from intake.sorting import owntext
from intake.sorting.classify import DeskIdentity, classify
from intake.sorting.machinemail import own_words
from intake.sorting.owntext import own_text

DESK = DeskIdentity(address="letters@news.test")
FOOTER = (
    "You are receiving this email because you subscribed to City Notes.\n"
    "Click here to unsubscribe or manage your email preferences."
)


def message(body: str, *, subject: str = "Re: City Notes", html: str = "") -> bytes:
    head = (
        "From: Rosa Keller <rosa@example.org>\nTo: letters@news.test\n"
        f"Subject: {subject}\nMessage-ID: <r1@example.org>\nDate: Sat, 28 Nov 2026 09:00:00 +0000\n"
        "MIME-Version: 1.0\n"
    )
    if html:
        return (head + "Content-Type: text/html; charset=utf-8\n\n" + html).encode()
    return (head + "Content-Type: text/plain; charset=utf-8\n\n" + body).encode()


OUTLOOK_TEXT = message(
    "Is this the same bus plan you wrote about in March? It reads differently.\n\n"
    "From: City Notes <news@citynotes.example>\nSent: Friday, November 27, 2026 6:00 PM\n"
    "To: Rosa Keller <rosa@example.org>\nSubject: City Notes: the week at City Hall\n\n"
    f"This week the council voted on the bus plan.\n\n{FOOTER}\n"
)
OUTLOOK_WEB_HTML = message(
    "",
    html=(
        "<html><body><div>Is this the same bus plan you wrote about in March?</div>"
        '<div id="divRplyFwdMsg"><b>From:</b> City Notes &lt;news@citynotes.example&gt;<br>'
        "<b>Sent:</b> Friday, November 27, 2026 6:00 PM<br><b>Subject:</b> City Notes</div>"
        f"<div>This week the council voted.</div><p>{FOOTER}</p></body></html>"
    ),
)
GERMAN_FORWARD = message(
    "Schauen Sie mal, was die Stadt verschickt. Das widerspricht Ihrem Artikel.\n\n"
    "Von: City Notes <news@citynotes.example>\nGesendet: Freitag, 27. November 2026 18:00\n"
    "An: Rosa Keller <rosa@example.org>\nBetreff: City Notes\n\n"
    f"This week the council voted on the bus plan.\n\n{FOOTER}\n",
    subject="WG: City Notes",
)
NEWSLETTER = message(
    f"This week the council voted on the bus plan.\n\n{FOOTER}\n", subject="City Notes"
)


@pytest.mark.parametrize("raw", [OUTLOOK_TEXT, OUTLOOK_WEB_HTML, GERMAN_FORWARD])
def test_a_footer_in_what_a_reader_quotes_or_forwards_is_not_bulk(raw: bytes) -> None:
    mail = parse_message(raw)
    assert "unsubscribe" in own_text(mail.text)  # the old cut kept the footer
    assert "unsubscribe" not in own_words(mail)
    verdict = classify(mail, DESK)
    assert verdict.category in (Category.other, Category.letter), verdict


def test_the_newsletter_itself_is_still_bulk() -> None:
    verdict = classify(parse_message(NEWSLETTER), DESK)
    assert verdict.category is Category.bulk
    assert any("footer" in reason for reason in verdict.reasons)


BUS = Article(
    url="https://www.news.test/city/bus/",
    title="The Quiet Collapse of the City’s Bus Network",
    author="Dana Whitfield",
    author_email="author1@news.test",
    published=date(2026, 11, 20),
)
SHORT = message(
    "Loved “The Quiet Collapse of the City’s Bus Network”. The 12 line is worse than you said.\n\n"
    "Rosa Keller\nYonkers, N.Y.\n",
    subject="Your bus piece",
)


def test_a_short_letter_naming_our_article_is_a_letter() -> None:
    mail = parse_message(SHORT)
    assert classify(mail, DESK).category is Category.other  # too short to tell alone
    named = ArticleMatch(article=BUS, score=0.95, reason="quoted title")
    verdict = classify(mail, DESK, named_article=lambda: named)
    assert verdict.category is Category.letter
    assert verdict.confidence >= 0.6  # past the review threshold
    assert "The Quiet Collapse" in verdict.reasons[0]


def test_a_paraphrase_or_no_match_leaves_a_short_message_as_it_was() -> None:
    mail = parse_message(SHORT)
    loose = ArticleMatch(article=BUS, score=0.6, reason="paraphrased title")
    assert classify(mail, DESK, named_article=lambda: loose).category is Category.other
    assert classify(mail, DESK, named_article=lambda: None).category is Category.other


def test_a_short_press_release_naming_our_article_stays_other() -> None:
    release = message(
        "FOR IMMEDIATE RELEASE\n\nFollowing “The Quiet Collapse of the City’s Bus Network”, "
        "Transit Now announces a press conference.\n\nMedia contact: press@transit.example\n",
        subject="Press release: Transit Now",
    )
    named = ArticleMatch(article=BUS, score=0.95, reason="quoted title")
    verdict = classify(parse_message(release), DESK, named_article=lambda: named)
    assert verdict.category is Category.other


def test_a_long_body_is_cut_again_rather_than_kept() -> None:
    # a few short bodies are kept for the readers that cut the same one; a long one (a log
    # dump, a digest) would stay in memory after its poll
    long = "Dear Editor,\n" + "word " * owntext.OWN_TEXT_KEPT_CHARS + "\n> quoted\n"
    short = "Dear Editor,\nA short letter.\n> quoted\n"
    before = owntext._kept_own_text.cache_info()
    assert owntext.own_text(long) == long.split("\n> quoted")[0]
    assert owntext._kept_own_text.cache_info() == before
    assert owntext.own_text(short) == "Dear Editor,\nA short letter."
    assert owntext._kept_own_text.cache_info().currsize >= 1
