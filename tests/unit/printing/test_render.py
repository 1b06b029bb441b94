"""Tests for intake.printing.render and intake.printing.printview: golden files for every template, the seed
pair word for word, the house style, escaping."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import jinja2
import pytest

from intake.printing.housestyle import HouseStyle
from intake.printing.printview import (
    DECLINED,
    NO_RESPONSE,
    PairView,
    PrintInput,
    page_view,
    pair_view,
)
from intake.printing.render import (
    PAIR_FORMATS,
    AuthorRequestView,
    Renderer,
    markdown_escape,
    pair_json,
)

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "tests" / "data" / "letters"
SEED = REPO.parent / "shared" / "seed" / "000_94b2853b89eeda72.txt"
SEED_TITLE = "Is New York City Partnering With ICE to Rip Apart Immigrant Communities?"

Golden = Callable[[str, str], None]


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(REPO / "templates")


def seed_input() -> PrintInput:
    return PrintInput(
        letter_id=1,
        article_title=SEED_TITLE,
        article_url="https://www.example.org/article/nyc-ice/",
        author_name="Michelle Chen",
        writer_name="Maibe Ponet",
        letter_text=(DATA / "seed_letter.txt").read_text(encoding="utf-8"),
        response_text=(DATA / "seed_response.txt").read_text(encoding="utf-8"),
        published_on="2014-08-20",
        publication="The Nation",
    )


def seed_view(style: HouseStyle | None = None) -> PairView:
    return pair_view(seed_input(), style or HouseStyle())


def non_ascii_view() -> PairView:
    letter = (
        "Liebe Redaktion,\n\n"
        "As a reader in Zürich, I found Łukasz Wójcik’s piece on the “façade\n"
        "of neutrality” thoughtful, but it misnames the Genève accords.\n\n"
        "Mit freundlichen Grüßen,\n"
        "Zoë Nguyễn-Ibáñez\n"
        "Zürich\n"
    )
    return pair_view(
        PrintInput(
            letter_id=7,
            article_title="The Façade of Neutrality",
            article_url="https://www.example.org/article/facade/",
            author_name="Łukasz Wójcik",
            writer_name="Zoe Nguyen-Ibanez",
            letter_text=letter,
            response_text="Danke. The accords were signed in Genève in 1949;\nwe have corrected it.\n",
            published_on="2026-11-30",
        )
    )


def script_view() -> PairView:
    letter = (
        "Dear Editor,\n\n"
        "Your piece on <b>AT&T</b> was <script>alert('x')</script> wrong & biased.\n\n"
        "# not a heading, *not emphasis*, [not](a link) and 1. not a list\n\n"
        'Sincerely,\nMallory "<img src=x onerror=alert(1)>" Jones\n'
    )
    return pair_view(
        PrintInput(
            letter_id=13,
            article_title="Phones & <Power>",
            article_url="https://www.example.org/article/phones/",
            author_name="Eve <eve@example.org>",
            writer_name="Mallory Jones",
            letter_text=letter,
            response_text="I stand by <em>every</em> word & figure.",
            published_on="2026-12-01",
        )
    )


def no_response_input(status: str = NO_RESPONSE) -> PrintInput:
    return PrintInput(
        letter_id=21,
        article_title="What the Tide Leaves",
        article_url="https://www.example.org/article/tide/",
        author_name="Rachel Carson",
        writer_name="Ada Lovelace",
        letter_text="To the Editor:\n\nThe tide tables in the article were a day off.\n\nAda Lovelace\nLondon\n",
        response_text=None,
        status=status,
        published_on="2026-12-02",
    )


def no_response_view() -> PairView:
    return pair_view(no_response_input())


def request_view() -> AuthorRequestView:
    return AuthorRequestView(
        publication="The Nation",
        author_name="Michelle Chen",
        article_title=SEED_TITLE,
        article_url="https://www.example.org/article/nyc-ice/",
        writer_name="Maibe Ponet",
        letter_text=(DATA / "seed_letter.txt").read_text(encoding="utf-8"),
        received_on="28 November 2026",
        deadline_on="5 December 2026",
        reply_address="letters+k3v5q2m7xwz4a6b2c3d4e5f6g7@example.org",
        letter_ref="L-12",
    )


# A publication with other conventions: everything the house style sets, changed.
OTHER_STYLE = HouseStyle(
    headline="Re: {title}",
    dek="{writer} writes about {author}\u2019s piece.",
    salutation="To the Editors of {publication}:",
    responds="{author} replies:",
    typography=True,
    dash=" \u2013 ",
    declined_note="{author} declined to respond.",
    no_response_note="{author} did not respond by press time.",
)


# --- golden files -------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", PAIR_FORMATS)
def test_seed_pair_golden(renderer: Renderer, golden: Golden, fmt: str) -> None:
    golden(renderer.pair(seed_view(), fmt), f"publish/seed_pair.{fmt}")


@pytest.mark.parametrize("fmt", PAIR_FORMATS)
def test_non_ascii_pair_golden(renderer: Renderer, golden: Golden, fmt: str) -> None:
    golden(renderer.pair(non_ascii_view(), fmt), f"publish/non_ascii.{fmt}")


@pytest.mark.parametrize("fmt", PAIR_FORMATS)
def test_script_pair_golden(renderer: Renderer, golden: Golden, fmt: str) -> None:
    golden(renderer.pair(script_view(), fmt), f"publish/script.{fmt}")


@pytest.mark.parametrize("fmt", PAIR_FORMATS)
def test_no_response_pair_golden(renderer: Renderer, golden: Golden, fmt: str) -> None:
    golden(renderer.pair(no_response_view(), fmt), f"publish/no_response.{fmt}")


@pytest.mark.parametrize("fmt", PAIR_FORMATS)
def test_other_house_style_golden(renderer: Renderer, golden: Golden, fmt: str) -> None:
    golden(renderer.pair(seed_view(OTHER_STYLE), fmt), f"publish/other_style.{fmt}")


@pytest.mark.parametrize("fmt", PAIR_FORMATS)
def test_letters_page_golden(renderer: Renderer, golden: Golden, fmt: str) -> None:
    page = page_view(
        [
            seed_view(),
            no_response_view(),
            non_ascii_view(),
            dataclasses.replace(seed_view(), letter_id=2),
        ],
        HouseStyle(),
        first=date(2026, 12, 1),
        last=date(2026, 12, 7),
        publication="The Nation",
    )
    golden(renderer.page(page, fmt), f"publish/page.{fmt}")


def test_author_request_golden(renderer: Renderer, golden: Golden) -> None:
    text, html = renderer.author_request(request_view())
    golden(text, "mail/author_request.txt")
    golden(html, "mail/author_request.html")


# --- the house style, checked against the published original ------------------------------


def seed_published_pair() -> str:
    """Headline, dek and the letter-and-response section of the published page."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    non_empty = [line for line in lines if line.strip()]
    headline, dek = non_empty[0], non_empty[3]
    start = lines.index("Dear Editor:")
    end = next(i for i, line in enumerate(lines) if " responds:" in line)
    section = "\n".join(lines[start : end + 1])
    # The web page puts &nbsp; after "responds:"; in print it is a plain space.
    return f"{headline}\n\n{dek}\n\n{section}".replace("\u00a0", " ")


def test_seed_txt_is_the_published_pair_word_for_word(renderer: Renderer) -> None:
    published = seed_published_pair()
    dek = published.split("\n")[2]
    view = pair_view(dataclasses.replace(seed_input(), dek=dek))

    rendered = renderer.pair(view, "txt")

    assert rendered.rstrip("\n") == published.rstrip("\n")
    assert rendered.endswith("convictions.\n")


def test_the_headline_has_the_house_curly_quotes() -> None:
    assert seed_view().headline == f"A Response to \u2018{SEED_TITLE}\u2019"


def test_the_dek_names_writer_and_article() -> None:
    assert seed_view().dek == f"A response from Maibe Ponet about \u2018{SEED_TITLE}\u2019"
    assert no_response_view().dek == (
        "A response from Ada Lovelace about \u2018What the Tide Leaves\u2019."
    )


def test_an_editors_dek_replaces_the_generated_one() -> None:
    view = pair_view(dataclasses.replace(seed_input(), dek="  From City Hall.  "))

    assert view.dek == "From City Hall."


def test_the_dek_falls_back_to_the_signature_then_to_a_reader() -> None:
    base = PrintInput(
        letter_id=2, article_title="T", article_url="", author_name="A", writer_name="",
        letter_text="The article was unfair.\n\nAda Lovelace\nLondon\n", published_on="2026-12-02",
    )  # fmt: skip
    signed = pair_view(base)
    anonymous = pair_view(dataclasses.replace(base, letter_text="The article was unfair."))

    assert signed.writer_name == "Ada Lovelace"
    assert signed.signature == ("Ada Lovelace", "London")
    assert signed.town == "London"
    assert signed.dek == "A response from Ada Lovelace about \u2018T\u2019."
    assert anonymous.dek == "A response from a reader about \u2018T\u2019."


def test_an_address_as_the_writer_name_is_never_printed() -> None:
    view = pair_view(
        dataclasses.replace(
            no_response_input(), writer_name="ada@example.org", letter_text="The tables were off."
        )
    )

    # no name to print: none is made up (the letter carries the finding "no name to print")
    assert view.writer_name == ""
    assert view.signature == ()
    assert "ada@" not in view.dek and "a reader" in view.dek


def test_stored_signature_and_town_win_over_the_parser() -> None:
    corrected = dataclasses.replace(
        seed_input(),
        signature=("Maibe Ponet", "Press Secretary", "New York City"),
        town="Manhattan",
    )

    view = pair_view(corrected)

    assert view.signature == ("Maibe Ponet", "Press Secretary", "New York City")
    assert view.town == "Manhattan"


def test_contact_details_in_a_stored_signature_are_still_not_printed() -> None:
    careless = dataclasses.replace(
        seed_input(), signature=("Maibe Ponet", "(212) 555-0143", "maibe@cityhall.example")
    )

    assert pair_view(careless).signature == ("Maibe Ponet",)


def test_every_house_style_setting_shows_in_the_render(renderer: Renderer) -> None:
    default = renderer.pair(seed_view(), "txt")
    other = renderer.pair(seed_view(OTHER_STYLE), "txt")

    assert other.startswith(f"Re: {SEED_TITLE}\n")
    assert "To the Editors of The Nation:" in other and "Dear Editor:" not in other
    assert "Michelle Chen replies: Thank you" in other and "responds" not in other
    assert "\n\nMaibe Ponet writes about Michelle Chen\u2019s piece.\n\n" in other
    # typography on: straight apostrophe curled, dashes spaced en dashes
    assert "the city\u2019s implementation" in other
    assert "the city's implementation" in default
    assert "his team \u2013 including" in other
    assert "his team\u2014including" in default


def test_a_note_follows_an_unanswered_letter_as_the_house_style_says(renderer: Renderer) -> None:
    declined = pair_view(no_response_input(DECLINED), OTHER_STYLE)
    lapsed = pair_view(no_response_input(NO_RESPONSE), OTHER_STYLE)
    silent = pair_view(no_response_input(DECLINED))

    assert declined.note == "Rachel Carson declined to respond."
    assert lapsed.note == "Rachel Carson did not respond by press time."
    assert silent.note == ""
    for fmt in PAIR_FORMATS:
        assert "Rachel Carson declined to respond." in renderer.pair(declined, fmt)
        assert "declined to respond" not in renderer.pair(silent, fmt)


def test_the_town_placeholder_takes_the_signatures_town() -> None:
    style = HouseStyle(dek="{writer}, {town}, on \u2018{title}\u2019.")

    view = pair_view(dataclasses.replace(no_response_input(), article_title="Tides"), style)

    assert view.dek == "Ada Lovelace, London, on \u2018Tides\u2019."


def test_a_page_groups_letters_by_article_in_order(renderer: Renderer) -> None:
    second_on_seed = dataclasses.replace(seed_view(), letter_id=5, writer_name="Second Writer")
    page = page_view(
        [seed_view(), no_response_view(), second_on_seed],
        HouseStyle(),
        first=date(2026, 12, 1),
        last=date(2026, 12, 1),
        publication="The Nation",
    )

    assert [len(g.letters) for g in page.groups] == [2, 1]
    assert [p.letter_id for p in page.groups[0].letters] == [1, 5]
    assert page.date_label == "December 1, 2026"
    text = renderer.page(page, "txt")
    assert text.count(seed_view().headline) == 1  # one headline per article
    assert text.index("Dear Editor:") < text.index("What the Tide Leaves")


# --- untrusted input ---------------------------------------------------------------------


def test_html_escapes_everything_from_the_letter(renderer: Renderer) -> None:
    html = renderer.pair(script_view(), "html")

    assert "<script" not in html
    assert "<img" not in html
    assert "<b>" not in html and "<em>" not in html
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in html
    assert "<h2>A Response to \u2018Phones &amp; &lt;Power&gt;\u2019</h2>" in html
    assert "<strong>Eve &lt;eve@example.org&gt; responds:</strong>" in html


def test_markdown_escapes_everything_from_the_letter(renderer: Renderer) -> None:
    md = renderer.pair(script_view(), "md")
    body = md.split("---\n", 2)[2]

    assert re.search(r"(?<!\\)[<>]", body) is None  # every angle bracket escaped
    assert "\\<script\\>alert('x')\\</script\\>" in md
    assert "\\# not a heading, \\*not emphasis\\*, \\[not\\](a link)" in md


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain words stay plain", "plain words stay plain"),
        ("a_b *c* `d` [e](f) <g> |h|", "a\\_b \\*c\\* \\`d\\` \\[e\\](f) \\<g\\> \\|h\\|"),
        ("# heading", "\\# heading"),
        ("- item", "\\- item"),
        ("1. item", "1\\. item"),
        ("2014. A year", "2014\\. A year"),
        ("2014 was a year", "2014 was a year"),
        ("&amp; and AT&T", "\\&amp; and AT&T"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_markdown_escape(text: str, escaped: str) -> None:
    assert markdown_escape(text) == escaped


def test_json_round_trips_the_view(renderer: Renderer) -> None:
    view = non_ascii_view()

    document = json.loads(renderer.pair(view, "json"))

    assert document["headline"] == view.headline
    assert document["letter_paragraphs"] == list(view.letter_paragraphs)
    assert document["signature"] == list(view.signature)
    assert document["response_paragraphs"] == list(view.response_paragraphs)
    assert document["responds"] == "\u0141ukasz W\u00f3jcik responds:"
    assert document["writer_town"] == "Z\u00fcrich"
    assert document["published_on"] == "2026-11-30"
    assert document["html"] == renderer.pair(view, "html")
    assert "Zoë Nguyễn-Ibáñez" in pair_json(view)  # not \\u-escaped


def test_non_ascii_signature_is_confirmed_by_an_ascii_sender_name() -> None:
    view = non_ascii_view()

    assert view.signature == ("Zoë Nguyễn-Ibáñez", "Zürich")
    assert view.writer_name == "Zoë Nguyễn-Ibáñez"  # as signed, not the ASCII From name
    assert view.dek.startswith("A response from Zoë Nguyễn-Ibáñez about")
    assert len(view.letter_paragraphs) == 1  # greeting and sign-off (in German) left out
    assert view.letter_paragraphs[0].endswith("misnames the Genève accords.")


@pytest.mark.parametrize("fmt", PAIR_FORMATS)
def test_no_response_means_no_responds_line(renderer: Renderer, fmt: str) -> None:
    rendered = renderer.pair(no_response_view(), fmt)

    assert "responds" not in rendered.replace('"responds": ""', "")
    assert rendered.endswith("\n") and not rendered.endswith("\n\n")


def test_front_matter_carries_the_date_and_the_body_does_not(renderer: Renderer) -> None:
    md = renderer.pair(seed_view(), "md")
    _, front, body = md.split("---\n", 2)

    assert 'published_on: "2014-08-20"' in front
    assert "2014-08-20" not in body
    assert "2014-08-20" not in renderer.pair(seed_view(), "html")
    assert "2014-08-20" not in renderer.pair(seed_view(), "txt")


def test_an_unknown_format_is_refused(renderer: Renderer) -> None:
    with pytest.raises(ValueError, match="pdf"):
        renderer.pair(seed_view(), "pdf")


def test_a_template_typo_fails_instead_of_printing_nothing(tmp_path: Path) -> None:
    (tmp_path / "publish").mkdir()
    (tmp_path / "publish" / "pair.txt").write_text("{{ pair.hedline }}\n", encoding="utf-8")

    with pytest.raises(jinja2.UndefinedError):
        Renderer(tmp_path).pair(seed_view(), "txt")


def test_a_careless_template_is_still_sanitised(tmp_path: Path) -> None:
    (tmp_path / "publish").mkdir()
    (tmp_path / "publish" / "pair.html").write_text(
        '<p onclick="x()">{{ pair.letter_paragraphs[0]|safe }}</p>\n', encoding="utf-8"
    )
    view = dataclasses.replace(
        seed_view(), letter_paragraphs=('<script>alert(1)</script><a href="javascript:x">y</a>',)
    )

    html = Renderer(tmp_path).pair(view, "html")

    assert "script" not in html and "javascript" not in html and "onclick" not in html
    assert "<p>" in html and ">y</a>" in html


# --- the request to the author -----------------------------------------------------------


def test_author_request_says_what_the_author_needs(renderer: Renderer) -> None:
    view = request_view()
    text, html = renderer.author_request(view)

    for body in (text, html):
        assert "Michelle Chen" in body
        assert view.reply_address in body
        assert "5 December 2026" in body
        assert "150 words" in body
        assert "no reply" in body
        assert "reply to this email" in body
        assert "L-12" in body
    quoted = [line[2:] for line in text.splitlines() if line.startswith("> ")]
    original = [line for line in view.letter_text.splitlines() if line]
    assert quoted == original  # the letter in full, line for line


def test_author_request_text_lines_fit_in_an_email(renderer: Renderer) -> None:
    text, _ = renderer.author_request(request_view())

    assert max(len(line) for line in text.splitlines()) <= 78
    # Wrapping must never break the address or the URL the author has to use.
    assert any(request_view().reply_address in line for line in text.splitlines())
    assert any(request_view().article_url in line for line in text.splitlines())


def test_author_request_html_is_escaped_and_self_contained(renderer: Renderer) -> None:
    view = dataclasses.replace(
        request_view(),
        letter_text="I object.\n<script>alert(1)</script>\n<img src=https://tracker.example/x>\n",
        article_url="javascript:alert(1)",
    )

    _, html = renderer.author_request(view)

    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    for external in ("src=", "<link", "@import", "url("):
        assert external not in html.replace("&lt;img src=", "")
