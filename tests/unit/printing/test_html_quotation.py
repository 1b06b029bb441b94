"""An HTML-only letter's <blockquote> is a mail quotation: it does not print (issue 12).

Text mail's "> " lines never reach print; webmail sends the same quotation as a
``<blockquote>``.  The parser reads HTML-only mail with its blockquotes as "> "
lines, so the letter prints the writer's own paragraphs and not the passage
they quoted, and an answer written between two quotations stays.
"""

from __future__ import annotations

from intake.mail.parse import parse_message
from intake.printing.printview import NO_RESPONSE, PrintInput, pair_view

QUOTED = "The new bus lanes cut commute times by a third, the city said."
OWN = (
    "That figure was measured on the one route that lost no stops. On mine, the 14, the ride "
    "is longer than before because the bus now skips the stop outside the clinic."
)
ANSWER = "Ask the riders of the 14 before you print the city's numbers again."


def _html_letter(body: str) -> bytes:
    return (
        "From: Teodora Vasquez <teodora@example.org>\nTo: letters@news.test\n"
        "Subject: Bus lanes\nDate: Fri, 27 Nov 2026 18:30:00 +0000\n"
        "Message-ID: <html-quote.1@example.org>\nMIME-Version: 1.0\n"
        f"Content-Type: text/html; charset=utf-8\n\n<html><body>{body}</body></html>\n"
    ).encode()


def _printed(raw: bytes) -> tuple[tuple[str, ...], tuple[str, ...]]:
    mail = parse_message(raw)
    view = pair_view(
        PrintInput(
            letter_id=1,
            article_title="Bus lanes",
            article_url="https://www.news.test/a/",
            author_name="Dana Whitfield",
            writer_name=mail.sender.name if mail.sender else "",
            letter_text=mail.text,
            status=NO_RESPONSE,
        )
    )
    return view.letter_paragraphs, view.signature


def test_a_blockquote_in_an_html_only_letter_does_not_print() -> None:
    paragraphs, signature = _printed(
        _html_letter(
            f"<p>Dear Editor,</p><blockquote>{QUOTED}</blockquote><p>{OWN}</p>"
            f"<blockquote><p>{QUOTED}</p></blockquote><p>{ANSWER}</p>"
            "<p>Teodora Vasquez<br>Eastbay, Calif.</p>"
        )
    )
    assert paragraphs == (OWN, ANSWER)
    assert signature == ("Teodora Vasquez", "Eastbay, Calif.")


def test_the_parser_reads_html_blockquotes_as_quote_lines() -> None:
    mail = parse_message(
        _html_letter(f"<p>{OWN}</p><blockquote>{QUOTED}<br>Second line</blockquote>")
    )
    assert mail.text_from_html
    assert mail.text.split("\n")[-2:] == [f"> {QUOTED}", "> Second line"]


def test_an_html_letter_without_blockquotes_prints_every_paragraph() -> None:
    paragraphs, _ = _printed(_html_letter(f"<p>{OWN}</p><p>{ANSWER}</p><p>Teodora Vasquez</p>"))
    assert paragraphs == (OWN, ANSWER)
