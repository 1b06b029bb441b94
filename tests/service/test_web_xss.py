"""No page of the web desk serves a letter's markup live, whatever the letter brings.

Every payload of ``tests/data/xss_vectors.txt`` goes into every field a page
shows: the writer's name and address, subject, letter text and its edit,
signature and town, dek, headline, the responder's name, the policy findings,
the article candidates, the article's title, URL and author, the response and
what was cut from it, the audit trail, and a held reply's sender and subject.
Each page (queue, letter, held replies, published) is read back with an HTML
parser: only the templates' own elements and attributes, links only to the
desk or to http(s) addresses, the desk's one script, no comments.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

from deskkit import Desk, make_desk
from fakes import FROZEN_AT
from test_xss import VECTORS
from webkit import client, sign_in

from intake.adapters.store import (
    ArticleRow,
    AuditRow,
    AuthorRow,
    EditRow,
    LetterRow,
    RawBodyRow,
    RawMessageRow,
    ResponseRow,
)

PAGE_TAGS = {"html", "head", "meta", "title", "link", "script", "body", "header", "nav", "main",
             "form", "input", "button", "span", "a", "p", "h1", "h2", "h3", "section", "div",
             "ul", "ol", "li", "label", "select", "option", "table", "thead", "tbody", "tr", "th",
             "td", "strong", "b", "br", "small", "kbd", "details", "summary", "textarea",
             "datalist", "article", "time", "em"}  # fmt: skip
PAGE_ATTRIBUTES = {"class", "id", "href", "rel", "name", "value", "type", "action", "method",
                   "placeholder", "maxlength", "required", "autofocus", "autocomplete", "for",
                   "lang", "charset", "content", "src", "defer", "rows", "size", "min", "step",
                   "role", "aria-label", "list", "selected", "title", "datetime", "data-letter"}  # fmt: skip


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def assert_inert(page: str, where: str) -> None:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    assert parser.comments == [], where
    for tag, attrs in parser.tags:
        assert tag in PAGE_TAGS, (tag, where)
        names = dict(attrs)
        for name, value in attrs:
            assert name in PAGE_ATTRIBUTES, (tag, name, where)
            if name in ("href", "src", "action"):
                assert re.match(r"(?:https?://[^\s]|/(?!/))", value or ""), (tag, value, where)
        if tag == "script":
            assert names.get("src") == "/static/desk.js", where
    assert len(re.findall(r"<script", page, re.IGNORECASE)) == 1, where


def test_the_checker_catches_what_it_must() -> None:
    good = '<html><script src="/static/desk.js" defer></script><p class="x">&lt;b&gt;</p></html>'
    assert_inert(good, "good")
    for bad in ('<img src=x onerror="alert(1)">', '<a href="javascript:alert(1)">x</a>',
                '<p onclick="x()">x</p>', "<svg><script>alert(1)</script></svg>",
                '<a href="//evil.test/">x</a>', "<p>x</p><!-- c -->"):  # fmt: skip
        try:
            assert_inert(f'<script src="/static/desk.js"></script>{bad}', bad)
        except AssertionError:
            continue
        raise AssertionError(f"the checker let {bad!r} through")


def _poison(d: Desk) -> None:
    now = FROZEN_AT
    with d.deps.store.session() as s:
        for n, vector in enumerate(VECTORS):
            author = AuthorRow(email=f"author{n}@news.test", name=f"Author {vector}")
            s.add(author)
            s.flush()
            url = vector if n % 2 else f"https://www.news.test/{n}/"
            article = ArticleRow(url=url, title=f"Title {vector}", author_id=author.id)
            raws = [RawMessageRow(mailbox="t", uidvalidity=1, source_key=f"{kind}{n}",
                                  message_id=f"{kind}{n}@x.test", sha256=f"{kind}{n}", size=1,
                                  fetched_at=now, status="processed") for kind in "lrh"]  # fmt: skip
            s.add_all([article, *raws])
            s.flush()
            mail = f"From: {vector} <h{n}@x.test>\nSubject: {vector}\n\nx\n".encode()
            s.add_all([RawBodyRow(raw_id=r.id or 0, raw=mail) for r in raws])
            letter_raw, reply_raw, held_raw = raws
            assert letter_raw.id and reply_raw.id
            state = ("ready", "published", "needs_review")[n % 3]
            letter = LetterRow(
                raw_id=letter_raw.id, message_id=f"l{n}@x.test", writer_name=f"W {vector}",
                writer_email=f"{vector}@example.org", subject=vector,
                body=f"Dear Editor,\n\nI disagree {vector} with it.\n\nSincerely,\nJane {vector}\n",
                article_id=article.id, state=state, confidence=0.9, received_at=now,
                updated_at=now, dek=f"Dek {vector}", headline=f"Head {vector}",
                responder_name=f"Resp {vector}", writer_town=f"Town {vector}",
                signature=json.dumps([f"Jane {vector}", f"Town {vector}"]),
                findings=json.dumps([f"finding: {vector}"]), campaign_id=1,
                candidates=json.dumps([{"url": vector, "title": vector, "score": 0.5,
                                        "reason": vector}]),
            )  # fmt: skip
            s.add(letter)
            s.flush()
            assert letter.id is not None
            s.add(ResponseRow(letter_id=letter.id, raw_id=reply_raw.id, author_email=author.email,
                              text=f"Thanks. {vector}", cut=f"> {vector}", received_at=now))  # fmt: skip
            s.add(EditRow(letter_id=letter.id, field="letter", text=f"Edited {vector}",
                          actor=vector, note=vector, at=now))  # fmt: skip
            s.add(AuditRow(letter_id=letter.id, event="response_matched", actor=vector,
                           source_state="awaiting_author", target_state=state, note=vector,
                           at=now))  # fmt: skip
            held_raw.status, held_raw.letter_id, held_raw.note = "held", letter.id, vector


def test_every_vector_in_every_field_is_inert_on_every_page(tmp_path: Path) -> None:
    d = make_desk(tmp_path)
    _poison(d)
    web = client(d)
    sign_in(d, web)
    for path in ("/queue", "/held", "/published", "/queue?state=ready"):
        answer = web.get(path)
        assert answer.status_code == 200, path
        assert_inert(answer.text, path)
    for n in range(1, len(VECTORS) + 1):
        answer = web.get(f"/letters/{n}")
        assert answer.status_code == 200, n
        assert "Edited" in answer.text and '<div class="print" id="preview">' in answer.text
        assert_inert(answer.text, f"/letters/{n}: {VECTORS[n - 1]!r}")
