"""Every body intake writes: the request to an author, and the published pair.

Owns the Jinja environment policy (strict undefined, autoescape for ``.html``
templates only), the typed views the templates receive, and the JSON form of
a pair, which is built in code.  Mail headers are never rendered here: the
composer sets them.  Pure apart from reading template files through the
Jinja loader.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from intake.letterbody import prepare_letter, prepare_response

HOUSE_SALUTATION = "Dear Editor:"
PAIR_FORMATS = ("md", "html", "txt", "json")
# RFC 5322 §2.1.1: lines SHOULD stay within 78 characters; 72 leaves room
# for the "> " every reply quotes them with.
_MAIL_WIDTH = 72
_MAIL_LINE_LIMIT = 78

# CommonMark §2.4: any ASCII punctuation may be backslash-escaped.  These are
# the characters that would otherwise start emphasis, links, code, raw HTML
# (a letter is untrusted input) or table cells.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
# ...and these only at the start of a line: headings, lists, quotes, setext rules.
_MD_LINE_START = re.compile(r"^(?:([#+\-=>~])|(\d{1,9})([.)])(?=\s|$))")


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthorRequestView:
    """What the request to an author says."""

    publication: str  # "The Nation"
    author_name: str
    article_title: str
    article_url: str
    writer_name: str  # from the letter's From display name or signature
    letter_text: str  # the letter as received, plain text
    received_on: str  # human date, "28 November 2026"
    deadline_on: str  # human date the response is wanted by
    reply_address: str  # letters+KEY@domain, also in Reply-To (set by the composer)
    letter_ref: str  # short reference shown to the author, "L-12"


@dataclass(frozen=True, slots=True, kw_only=True)
class PairView:
    """A letter and its response, ready for every published format."""

    letter_id: int
    article_title: str
    article_url: str
    author_name: str
    writer_name: str
    dek: str
    salutation: str  # the house salutation
    letter_paragraphs: tuple[str, ...]
    signature: tuple[str, ...]
    response_paragraphs: tuple[str, ...]  # empty: no "responds" line at all
    published_on: str  # ISO date, for the JSON and the front matter only

    @property
    def headline(self) -> str:
        """The house headline, curly quotes and all."""
        return f"A Response to \u2018{self.article_title}\u2019"


def pair_view(
    *,
    letter_id: int,
    article_title: str,
    article_url: str,
    author_name: str,
    writer_name: str,
    letter_text: str,
    response_text: str | None,
    published_on: str,
) -> PairView:
    """Prepare a letter and its response for publication."""
    body = prepare_letter(letter_text, sender_name=writer_name)
    # The signature's first line is the name as the writer signs it (with its
    # accents, unlike many From display names); it is writer_name when unsigned.
    writer = body.signature[0] if body.signature else (writer_name.strip() or "a reader")
    response = prepare_response(response_text, author_name=author_name) if response_text else ()
    return PairView(
        letter_id=letter_id,
        article_title=article_title,
        article_url=article_url,
        author_name=author_name,
        writer_name=writer,
        dek=_dek(writer, article_title),
        salutation=HOUSE_SALUTATION,
        letter_paragraphs=body.paragraphs,
        signature=body.signature,
        response_paragraphs=response,
        published_on=published_on,
    )


def _dek(writer: str, title: str) -> str:
    quoted = f"\u2018{title}\u2019"
    # Chicago 6.119: a question or exclamation mark ending the quoted title
    # ends the sentence too; no full stop after it.
    return f"A response from {writer} about {quoted}" + ("" if title.endswith(("?", "!")) else ".")


class Renderer:
    """Renders bodies from the templates in one directory."""

    def __init__(self, templates_dir: Path) -> None:
        self._env = Environment(
            loader=FileSystemLoader(templates_dir),
            undefined=StrictUndefined,
            autoescape=select_autoescape(("html",)),
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters["md"] = markdown_escape
        self._env.filters["yaml_str"] = _yaml_string
        self._env.filters["quote_mail"] = _quote_for_mail

    def author_request(self, view: AuthorRequestView) -> tuple[str, str]:
        """Return the (text, html) bodies of the request to the article's author."""
        letter_blocks = _text_blocks(view.letter_text)
        is_web = view.article_url.startswith(("https://", "http://"))
        context = {
            "req": view,
            "letter_blocks": letter_blocks,
            "article_href": view.article_url if is_web else "",
        }
        text = self._env.get_template("mail/author_request.txt").render(context)
        html = self._env.get_template("mail/author_request.html").render(context)
        return _wrap_mail_text(text), html

    def pair(self, view: PairView, fmt: str) -> str:
        """Return the published pair in *fmt*: one of :data:`PAIR_FORMATS`.

        :raises ValueError: for any other format.
        """
        if fmt not in PAIR_FORMATS:
            raise ValueError(f"unknown pair format {fmt!r}; expected one of {PAIR_FORMATS}")
        if fmt == "json":
            return pair_json(view)
        return self._env.get_template(f"publish/pair.{fmt}").render(pair=view)


def pair_json(view: PairView) -> str:
    """Return the pair as a JSON document (the form other systems import)."""
    document = {
        "letter_id": view.letter_id,
        "published_on": view.published_on,
        "headline": view.headline,
        "dek": view.dek,
        "article_title": view.article_title,
        "article_url": view.article_url,
        "author_name": view.author_name,
        "writer_name": view.writer_name,
        "salutation": view.salutation,
        "letter_paragraphs": list(view.letter_paragraphs),
        "signature": list(view.signature),
        "response_paragraphs": list(view.response_paragraphs),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def markdown_escape(text: str) -> str:
    """Escape *text* so that Markdown prints it as it is: no markup, no raw HTML."""
    escaped = _MD_ENTITY.sub(r"\\&", _MD_INLINE.sub(r"\\\1", text))
    return _MD_LINE_START.sub(
        lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", escaped, count=1
    )


def _yaml_string(text: str) -> str:
    # A JSON string is a YAML 1.2 double-quoted scalar; YAML also reads the
    # Unicode line and paragraph separators as line breaks, so escape them.
    return (
        json.dumps(text, ensure_ascii=False)
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _text_blocks(text: str) -> list[list[str]]:
    """Split plain text into blocks (blank-line separated) of stripped lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = line.rstrip()
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _wrap_line(line: str, width: int) -> list[str]:
    # Never break an address or a URL: the author has to be able to use them.
    return textwrap.wrap(line, width=width, break_long_words=False, break_on_hyphens=False) or [
        line
    ]


def _quote_for_mail(text: str) -> str:
    """Quote plain text email-style ("> "), wrapping only lines too long to quote."""
    quoted: list[str] = []
    for block in _text_blocks(text):
        if quoted:
            quoted.append(">")
        for line in block:
            pieces = _wrap_line(line, _MAIL_WIDTH) if len(line) > _MAIL_LINE_LIMIT - 2 else [line]
            quoted.extend(f"> {piece}" for piece in pieces)
    return "\n".join(quoted)


def _wrap_mail_text(text: str) -> str:
    """Wrap the prose lines of a text body; quoted lines are already short."""
    lines: list[str] = []
    for line in text.split("\n"):
        if len(line) > _MAIL_WIDTH and not line.startswith(">"):
            lines.extend(_wrap_line(line, _MAIL_WIDTH))
        else:
            lines.append(line)
    return "\n".join(lines)
