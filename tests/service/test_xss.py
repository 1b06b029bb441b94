"""Published HTML carries no script, event handler or script URL, whatever a letter brings.

Every payload of ``tests/data/xss_vectors.txt`` goes into every place a letter
or the catalogue can put text: the letter body, the writer's From name and
signature, the article title and URL, the author's name and the response.
The output is read back with an HTML parser and must hold only the elements
and attributes the templates use, links only to http(s) addresses, and no
comments.  First through the renderer for each vector (pair and page), then
end to end: letters stored in the database, ``intake publish --format html
--page`` run as a command.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from deskkit import ROOT, SAMPLES
from fakes import FROZEN_AT

from intake.adapters.store import (
    ArticleRow,
    AuditRow,
    AuthorRow,
    LetterRow,
    RawMessageRow,
    ResponseRow,
)
from intake.cli import main
from intake.config import read_settings
from intake.printing.housestyle import HouseStyle
from intake.printing.printview import PrintInput, page_view, pair_view
from intake.printing.render import Renderer
from intake.worker import build_deps, init

VECTORS = [
    line.replace("\\t", "\t").replace("\\n", "\n")
    for line in (ROOT / "tests" / "data" / "xss_vectors.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
]
TEMPLATE_TAGS = {"article", "section", "header", "h1", "h2", "h3", "p", "br", "em", "strong", "a",
                 "time"}  # fmt: skip
TEMPLATE_ATTRIBUTES = {"class", "id", "href", "rel", "datetime"}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_decl(self, decl: str) -> None:
        self.other.append(decl)

    def unknown_decl(self, data: str) -> None:
        self.other.append(data)

    def handle_pi(self, data: str) -> None:
        self.other.append(data)


def assert_no_active_content(html: str, context: str = "") -> None:
    """Fail unless *html* holds only template elements, safe attributes and http(s) links."""
    parser = _Elements()
    parser.feed(html)
    parser.close()
    assert not parser.comments and not parser.other, context
    for tag, attrs in parser.tags:
        assert tag in TEMPLATE_TAGS, (tag, context)
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, context)
            assert name in TEMPLATE_ATTRIBUTES, (tag, name, context)
            if name == "href":
                assert re.match(r"https?://[^\s]", value or ""), (value, context)
    assert re.search(r"<\s*script", html, re.IGNORECASE) is None, context
    for raw_tag in re.findall(r"<[^>]*>", html):
        lowered = re.sub(r"\s", "", raw_tag.lower())
        for scheme in ("javascript:", "vbscript:", "data:"):
            assert scheme not in lowered, (raw_tag, context)


def test_there_are_at_least_fifty_vectors() -> None:
    assert len(VECTORS) >= 50
    assert len(set(VECTORS)) == len(VECTORS)


def test_the_checker_catches_what_it_must() -> None:
    # Guards the tests below: a checker that passes everything proves nothing.
    for bad in (
        "<p>x</p><script>alert(1)</script>",
        '<p onclick="x()">x</p>',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        "<svg></svg>",
        "<p>x</p><!-- c -->",
        '<p class="x" style="color:red">x</p>',
    ):
        with pytest.raises(AssertionError):
            assert_no_active_content(bad)
    assert_no_active_content('<p class="a">&lt;script&gt; <a href="https://x.test/">x</a></p>')


def _poisoned(vector: str, index: int) -> PrintInput:
    return PrintInput(
        letter_id=index,
        article_title=f"Title {vector}",
        article_url=vector if index % 2 else f"https://www.news.test/a/{index}/",
        author_name=f"Author {vector}",
        writer_name=f"Writer {vector}",
        letter_text=(
            f"Dear Editor,\n\nI disagree {vector} with the article.\n\n{vector}\n\n"
            f"Sincerely,\nJane {vector}\nTown {vector}\n"
        ),
        response_text=f"Thanks. {vector}\n\n{vector} We stand by it.",
        dek=f"Dek {vector}" if index % 3 == 0 else "",
        published_on="2026-12-01",
        publication=f"The {vector}",
    )


@pytest.mark.parametrize("index", range(len(VECTORS)))
def test_every_vector_in_every_field_renders_inert(index: int) -> None:
    vector = VECTORS[index]
    renderer = Renderer(ROOT / "templates")
    styles = (HouseStyle(), HouseStyle(typography=True, dash=" \u2013 "))
    for style in styles:
        view = pair_view(_poisoned(vector, index), style)
        assert_no_active_content(renderer.pair(view, "html"), vector)
        page = page_view([view, dataclasses.replace(view, letter_id=index + 1000)], style,
                         first=date(2026, 12, 1), last=date(2026, 12, 1), publication=vector)  # fmt: skip
        assert_no_active_content(renderer.page(page, "html"), vector)


def test_intake_publish_html_prints_every_vector_inert(tmp_path: Path) -> None:
    config = tmp_path / "intake.toml"
    config.write_text(
        f'[desk]\npublication = "The Nation"\naddress = "letters@news.test"\ndata_dir = "data"\n'
        f'[articles]\nsource = "{SAMPLES / "articles.csv"}"\n',
        encoding="utf-8",
    )
    settings = read_settings(config, {}, tmp_path)
    deps = build_deps(settings, {})
    init(settings, deps)
    now = FROZEN_AT
    with deps.store.session() as s:
        for index, vector in enumerate(VECTORS):
            author = AuthorRow(email=f"author{index}@news.test", name=f"Author {vector}")
            s.add(author)
            s.flush()
            article = ArticleRow(
                url=f"javascript:alert({index})//"
                if index % 2
                else f"https://www.news.test/{index}/",
                title=f"Title {vector}",
                author_id=author.id,
            )
            letter_raw = RawMessageRow(mailbox="t", uidvalidity=1, source_key=f"l{index}",
                                       message_id=f"l{index}@x.test", sha256=f"l{index}", size=1,
                                       fetched_at=now, status="processed")  # fmt: skip
            reply_raw = RawMessageRow(mailbox="t", uidvalidity=1, source_key=f"r{index}",
                                      message_id=f"r{index}@x.test", sha256=f"r{index}", size=1,
                                      fetched_at=now, status="processed")  # fmt: skip
            s.add_all([article, letter_raw, reply_raw])
            s.flush()
            assert letter_raw.id is not None and reply_raw.id is not None
            letter = LetterRow(
                raw_id=letter_raw.id, message_id=f"l{index}@x.test", writer_name=f"W {vector}",
                writer_email=f"w{index}@example.org", subject=vector,
                body=f"Dear Editor,\n\nI disagree {vector} with it.\n\nSincerely,\nJane {vector}\n",
                article_id=article.id, state="approved", confidence=0.9,
                received_at=now, updated_at=now, dek=f"Dek {vector}" if index % 3 == 0 else "",
            )  # fmt: skip
            s.add(letter)
            s.flush()
            assert letter.id is not None
            s.add(ResponseRow(letter_id=letter.id, raw_id=reply_raw.id, author_email=author.email,
                              text=f"Thanks. {vector}", cut="", received_at=now))  # fmt: skip
            s.add(AuditRow(letter_id=letter.id, event="response_matched",
                           source_state="awaiting_author", target_state="response_received",
                           at=now))  # fmt: skip

    assert main(["--config", str(config), "publish", "--format", "html", "--page"]) == 0

    files = sorted(settings.publish.out_dir.glob("*.html"))
    pages = [f for f in files if f.name.startswith("letters-")]
    assert len(files) == len(VECTORS) + 1 and len(pages) == 1
    for path in files:
        assert_no_active_content(path.read_text(encoding="utf-8"), path.name)
    assert {letter.state for letter in deps.store.letters()} == {"published"}
