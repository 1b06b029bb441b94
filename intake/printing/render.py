"""Every body intake writes: the request to an author, the published pair and the letters page.

Owns the Jinja environment policy (strict undefined, autoescape for ``.html``
templates only, and the ``web_href`` filter every template makes links with:
a URL that is not a plain http(s) address gives ``""``, so the template
shows it as text, see :mod:`intake.domain.weblinks`), the author request's view, the JSON form of a pair and of a
page (built in code), and the last step for published HTML: the nh3
sanitiser (:mod:`intake.printing.sanitise`).  What a pair or page says comes from
:mod:`intake.printing.printview`.  Mail headers are never rendered here: the composer
sets them.  Pure apart from reading template files through the Jinja loader.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    select_autoescape,
)

from intake.domain.weblinks import web_address
from intake.mail.ourquote import RESPONSE_MARKER
from intake.printing.printview import PageView, PairView
from intake.printing.sanitise import clean_html

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
        self._env.filters["web_href"] = web_address
        # the line a reply is cut at (intake.mail.ourquote finds it in the author's answer)
        self._env.globals["response_marker"] = RESPONSE_MARKER

    def author_request(self, view: AuthorRequestView) -> tuple[str, str]:
        """Return the (text, html) bodies of the request to the article's author."""
        context = {"req": view, "letter_blocks": _text_blocks(view.letter_text)}
        text = self._env.get_template("mail/author_request.txt").render(context)
        html = self._env.get_template("mail/author_request.html").render(context)
        return _wrap_mail_text(text), html

    def mail(self, name: str, **context: object) -> tuple[str, str]:
        """Return the (text, html) bodies of ``mail/<name>.txt`` and ``.html``.

        The HTML part is ``""`` when the template has no HTML version.  Prose
        lines of the text part are wrapped as in :meth:`author_request`.
        """
        text = _wrap_mail_text(self._env.get_template(f"mail/{name}.txt").render(context))
        try:
            html = self._env.get_template(f"mail/{name}.html").render(context)
        except TemplateNotFound:
            html = ""
        return text, html

    def as_written(self, name: str, **context: object) -> str:
        """Render template *name* without wrapping its lines.

        For the editors' mail (digest, command results): a command or URL an
        editor copies into a reply must stay on one line.
        """
        return self._env.get_template(name).render(context)

    def pair(self, view: PairView, fmt: str) -> str:
        """Return the published pair in *fmt*: one of :data:`PAIR_FORMATS`.

        HTML is autoescaped by the template and then sanitised; JSON carries
        that HTML too, for a CMS that takes a ready body.

        :raises ValueError: for any other format.
        """
        _check_format(fmt)
        if fmt == "json":
            return _json({**pair_document(view), "html": self.pair(view, "html")})
        text = self._env.get_template(f"publish/pair.{fmt}").render(pair=view)
        return clean_html(text).rstrip("\n") + "\n" if fmt == "html" else text

    def page(self, view: PageView, fmt: str) -> str:
        """Return a whole letters page in *fmt*: one of :data:`PAIR_FORMATS`."""
        _check_format(fmt)
        if fmt == "json":
            document = {
                "title": view.title,
                "date_label": view.date_label,
                "first_day": view.first_day,
                "last_day": view.last_day,
                "articles": [
                    {
                        "article_title": group.article_title,
                        "article_url": group.article_url,
                        "headline": group.headline,
                        "letters": [pair_document(pair) for pair in group.letters],
                    }
                    for group in view.groups
                ],
                "html": self.page(view, "html"),
            }
            return _json(document)
        text = self._env.get_template(f"publish/page.{fmt}").render(page=view)
        return clean_html(text).rstrip("\n") + "\n" if fmt == "html" else text


def _check_format(fmt: str) -> None:
    if fmt not in PAIR_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {PAIR_FORMATS}")


def pair_document(view: PairView) -> dict[str, object]:
    """The pair as a JSON-ready mapping: structured fields, no markup, no contact details."""
    return {
        "letter_id": view.letter_id,
        "published_on": view.published_on,
        "status": view.status,
        "headline": view.headline,
        "dek": view.dek,
        "article_title": view.article_title,
        "article_url": view.article_url,
        "author_name": view.author_name,
        "writer_name": view.writer_name,
        "writer_town": view.town,
        "salutation": view.salutation,
        "letter_paragraphs": list(view.letter_paragraphs),
        "signature": list(view.signature),
        "note": view.note,
        "responds": view.responds,
        "response_paragraphs": list(view.response_paragraphs),
    }


def pair_json(view: PairView) -> str:
    """Return the pair as a JSON document (without the HTML body)."""
    return _json(pair_document(view))


def _json(document: Mapping[str, object]) -> str:
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
