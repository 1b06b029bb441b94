"""Only plain http(s) URLs become links, in every renderer: digest, author request, published pages.

Every URL of ``tests/data/hostile_urls.txt`` (script and data schemes, schemes
hidden by whitespace, controls, entities or percent-encoding, relative and
protocol-relative tricks) is put where a catalogue's article URL goes; each
rendered body is read back with an HTML parser, and the only live links left
must be the desk's own (the digest's command links) and ordinary web pages.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hostile import HOSTILE_URLS, controls_in, live_links

from intake.app.digest import DigestInput, LetterFacts, build_digest
from intake.domain.weblinks import web_address
from intake.printing.housestyle import HouseStyle
from intake.printing.printview import PrintInput, page_view, pair_view
from intake.printing.render import PAIR_FORMATS, AuthorRequestView, Renderer
from intake.worker import data_path

NOW = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
GOOD = "https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/"
TITLE = "The Quiet Collapse of the City’s Bus Network"
REPLY_ADDRESS = "letters+c-digest-tp7fo0-spqtzqbe5wal5lvkhzigyfrv@news.test"


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(data_path("templates"))


def is_web(url: str) -> bool:
    """An absolute http(s) URL with a host and nothing a browser strips or reinterprets."""
    found = re.fullmatch(r"(?i:https?)://([^/?#\\]+)[^\s\"'<>\\`]*", url)
    return found is not None and not controls_in(url)


def unsafe_links(html: str) -> list[str]:
    """The live links of *html* that are neither web addresses nor our command address."""
    return [
        url
        for url in live_links(html)
        if not is_web(url) and not url.startswith(f"mailto:{REPLY_ADDRESS}?")
    ]


@pytest.mark.parametrize(
    "url",
    [GOOD, "http://news.test", "HTTPS://News.Test/a?b=1&c=2#d", "https://news.test:8443/x%20y",
     "https://user@news.test/", "https://[2001:db8::1]/letters"],
)  # fmt: skip
def test_plain_web_addresses_are_links(url: str) -> None:
    assert web_address(url) == url
    assert web_address(f"  {url} ") == url


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_anything_else_is_not(url: str) -> None:
    assert web_address(url) == ""


def test_the_list_is_the_one_the_tests_below_use() -> None:
    assert len(HOSTILE_URLS) >= 40 and "javascript:alert(1)" in HOSTILE_URLS


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_digest_links_no_hostile_url(renderer: Renderer, url: str) -> None:
    letters = [
        LetterFacts(id=1, state="needs_review", writer="W", subject="S", text="Dear Editor: x",
                    received_at=NOW - timedelta(hours=3), article_title=TITLE, article_url=url,
                    author_email="author1@news.test"),
        LetterFacts(id=2, state="needs_review", writer="W", subject="S", text="Dear Editor: y",
                    received_at=NOW - timedelta(hours=2), candidates=(url,)),
        LetterFacts(id=3, state="awaiting_author", writer="W", subject="S", text="Dear Editor: z",
                    received_at=NOW - timedelta(hours=1), article_title=TITLE, article_url=GOOD,
                    author_email="author1@news.test", deadline_at=NOW + timedelta(days=2)),
    ]  # fmt: skip
    view = build_digest(
        DigestInput(
            publication="The Nation",
            now=NOW,
            timezone="UTC",
            since=None,
            letters=letters,
            held=[],
            quarantined=0,
            reply_address=REPLY_ADDRESS,
            valid_days=7,
        )
    )
    html = renderer.as_written("mail/digest.html", d=view)
    assert unsafe_links(html) == []
    assert GOOD in live_links(html)  # the good article is still a link
    assert TITLE in html  # the hostile one is still named, as text


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_the_author_request_links_no_hostile_url(renderer: Renderer, url: str) -> None:
    view = AuthorRequestView(
        publication="The Nation", author_name="Dana Whitfield", article_title=TITLE,
        article_url=url, writer_name="Rosa Delgado", letter_text="Dear Editor:\n\nThe bus.",
        received_on="28 November 2026", deadline_on="3 December 2026",
        reply_address="letters+k3v5q2m7xwz4a6b2c3d4e5f6g7@news.test", letter_ref="L-1",
    )  # fmt: skip
    _, html = renderer.author_request(view)
    assert unsafe_links(html) == []
    good_html = renderer.author_request(dataclasses.replace(view, article_url=GOOD))[1]
    assert live_links(good_html) == [GOOD]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_published_pairs_and_pages_link_no_hostile_url(renderer: Renderer, url: str) -> None:
    pair = pair_view(
        PrintInput(
            letter_id=7,
            article_title=TITLE,
            article_url=url,
            author_name="Dana Whitfield",
            writer_name="Rosa Delgado",
            letter_text="Dear Editor:\n\nThe 14 bus is late.\n\nRosa Delgado\nBrooklyn",
            response_text="Thank you, Ms. Delgado.",
            published_on="2026-11-28",
            publication="The Nation",
        )
    )
    page = page_view(
        [pair],
        HouseStyle(),
        first=date(2026, 11, 28),
        last=date(2026, 11, 28),
        publication="The Nation",
    )
    for fmt in PAIR_FORMATS:
        for body in (renderer.pair(pair, fmt), renderer.page(page, fmt)):
            if fmt == "json":
                document = json.loads(body)
                handed = [document.get("article_url")] + [
                    a["article_url"] for a in document.get("articles", [])
                ]
                # a CMS makes this field a link: it is empty unless it is a web address
                assert all(u == "" or is_web(u) for u in handed if u is not None), handed
                body = document["html"]
            if fmt in ("html", "json"):
                assert unsafe_links(body) == [], fmt
            if fmt == "md":
                assert "](" not in body and "<" not in body, body  # no Markdown link or autolink
                for value in re.findall(r'^article_url: "(.*)"$', body, re.MULTILINE):
                    assert value == "" or is_web(value), value
