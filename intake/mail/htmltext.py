"""HTML to readable plain text, and the parts of a reply that mail clients mark in HTML.

Pure: stdlib ``html.parser`` only, no I/O.  Block elements become line
breaks, paragraphs blank lines, list items "- " lines, table cells are
separated by spaces; scripts, styles and comments are dropped.

:func:`split_html_reply` also recognises the containers clients wrap around
the message being answered (Gmail, Outlook, Apple Mail, Thunderbird, Yahoo,
Proton, Zimbra) and around signatures.  Deciding what counts as a quote in
*plain text* is :mod:`intake.mail.replytext`'s job; this module only reads markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Final

from intake.mail.quotemarks import header_key, is_sender_or_date_key

_BLOCK = frozenset(
    {
        *("address", "article", "aside", "blockquote", "center", "dd", "div", "dl", "dt"),
        *("fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5"),
        *("h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table"),
        *("tr", "ul"),
    }
)
_CELL = frozenset({"td", "th"})
_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript"})
# Elements that never have content or an end tag (HTML Living Standard §13.1.2).
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "wbr"}
)

_PRE_SPACE: Final = "\ue001"  # a space inside <pre>, restored after tidying
_QUOTE_LEVEL: Final = "\ue002"  # one per blockquote level, before text; becomes "> "
_NEW: Final = 0
_QUOTE: Final = 1
_SIGNATURE: Final = 2

# Containers holding the quoted message; what they hold becomes ``quoted``.
_QUOTE_CLASSES = frozenset(
    {
        "gmail_attr",  # Gmail's "On … wrote:" line (inside div.gmail_quote)
        "moz-cite-prefix",  # Thunderbird's "On … wrote:" line
        "yahoo_quoted",
        "protonmail_quote",
        "x_gmail_quote",
        "zmail_extra",  # Zoho
    }
)
_SIGNATURE_CLASSES = frozenset({"gmail_signature", "moz-signature", "x_gmail_signature"})
_SIGNATURE_IDS = frozenset(
    {"signature", "applemailsignature", "ms-outlook-mobile-signature", "x_signature"}
)
# Markers after which everything, in document order, is the quoted message:
# Outlook on the web (``divRplyFwdMsg``, ``appendonsend``, with an ``x_``
# prefix once forwarded through Exchange), Outlook desktop (``stopSpelling``),
# new Outlook and Zimbra (``zwchr``).
_REST_QUOTED_IDS = frozenset(
    {
        "divrplyfwdmsg",
        "x_divrplyfwdmsg",
        "appendonsend",
        "x_appendonsend",
        "stopspelling",
        "mail-editor-reference-message-container",
        "zwchr",
    }
)
# Outlook desktop puts the "From: / Sent: / To: / Subject:" block of the
# message it answers in a div with a top border and no id; its first text is
# a header name and a colon, in the user's language.
_HEADER_KEY_RE = re.compile(r"^[^\W\d_][^\W\d_ .-]{0,19}(?: [^\W\d_]{1,12})?\s?[:：]")
_BORDER_TOP_RE = re.compile(r"border-top\s*:\s*solid", re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class HtmlReplyParts:
    """An HTML body cut along the markers mail clients leave.

    ``text`` is the readable text outside every quote and signature container,
    with *quote_marker* lines where quote containers were; ``quoted`` and
    ``signature`` are the text of what was taken out.
    """

    text: str
    quoted: str
    signature: str


class _Splitter(HTMLParser):
    def __init__(
        self, *, detect: bool, keep_signature: bool, quote_marker: str, mark_quotes: bool = False
    ) -> None:
        super().__init__(convert_charrefs=True)
        self.detect = detect
        self.mark_quotes = mark_quotes
        self.blockquotes = 0
        self.keep_signature = keep_signature
        self.quote_marker = quote_marker
        self.parts: tuple[list[str], list[str], list[str]] = ([], [], [])
        self.stack: list[tuple[str, int]] = []
        self.skip_depth = 0
        self.pre_depth = 0
        self.rest_quoted = False
        # (stack depth, index into the new-text parts) of an Outlook border
        # div whose first text decides whether it starts the quoted message.
        self.candidate: tuple[int, int] | None = None
        # Where in the new text an <hr> stood: the quoted message starts there when the
        # first text after it names a sender or a date ("From:", "Von:", "Date:").
        self.rule_at: int | None = None

    def _route(self) -> int:
        if self.rest_quoted:
            return _QUOTE
        return self.stack[-1][1] if self.stack else _NEW

    def _emit(self, text: str, route: int | None = None) -> None:
        self.parts[self._route() if route is None else route].append(text)

    def _route_of(self, tag: str, attrs: dict[str, str]) -> int:
        inherited = self._route()
        if not self.detect or inherited != _NEW:
            return inherited
        classes = set(attrs.get("class", "").lower().split())
        ident = attrs.get("id", "").lower()
        if ident in _REST_QUOTED_IDS or "outlookmessageheader" in classes:
            self.rest_quoted = True
            return _QUOTE
        if (
            classes & _QUOTE_CLASSES
            or ident.startswith("yahoo_quoted")
            or (tag == "blockquote" and (attrs.get("type", "").lower() == "cite"))
            or (tag == "blockquote" and classes & {"gmail_quote", "x_gmail_quote"})
        ):
            if self.quote_marker:
                self.parts[_NEW].append(f"\n{self.quote_marker}\n")
            return _QUOTE
        if not self.keep_signature and (classes & _SIGNATURE_CLASSES or ident in _SIGNATURE_IDS):
            return _SIGNATURE
        return inherited

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip_depth += 1
            if tag not in _VOID:
                self.stack.append((tag, self._route()))
            return
        values = {name: value or "" for name, value in attrs}
        route = self._route_of(tag, values)
        if tag in _VOID:
            if tag in {"br", "hr"}:
                self._emit("\n", route)
            if tag == "hr" and self.detect and route == _NEW and self.rule_at is None:
                self.rule_at = len(self.parts[_NEW])
            return
        self.stack.append((tag, route))
        if tag == "blockquote":
            self.blockquotes += 1
        if (
            self.detect
            and tag == "div"
            and self.candidate is None
            and route == _NEW
            and _BORDER_TOP_RE.search(values.get("style", ""))
        ):
            self.candidate = (len(self.stack), len(self.parts[_NEW]))
        if tag == "p":
            self._emit("\n\n")
        elif tag == "li":
            self._emit("\n- ")
        elif tag in _BLOCK:
            self._emit("\n")
        elif tag in _CELL:
            self._emit(" ")
        if tag == "pre":
            self.pre_depth += 1

    def handle_endtag(self, tag: str) -> None:
        # Tag soup: close up to the matching open element, ignore strays.
        if not any(open_tag == tag for open_tag, _ in self.stack):
            return
        while self.stack:
            open_tag, _route = self.stack[-1]
            if open_tag in _SKIP:
                self.skip_depth = max(0, self.skip_depth - 1)
            elif open_tag == "p":
                self._emit("\n\n")
            elif open_tag in _BLOCK and open_tag != "li":  # the next "- " starts a line
                self._emit("\n")
            if open_tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)
            if open_tag == "blockquote":
                self.blockquotes = max(0, self.blockquotes - 1)
            self.stack.pop()
            if self.candidate is not None and len(self.stack) < self.candidate[0]:
                self.candidate = None
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.pre_depth:
            # Keep preformatted indentation through the line stripping in _tidy.
            data = data.replace(" ", _PRE_SPACE).replace("\t", _PRE_SPACE * 4)
        else:
            data = re.sub(r"\s+", " ", data)
        if self.candidate is not None and data.strip():
            _depth, start = self.candidate
            self.candidate = None
            if _HEADER_KEY_RE.match(data.strip().replace("\xa0", " ")):
                moved = self.parts[_NEW][start:]
                del self.parts[_NEW][start:]
                self.parts[_QUOTE].extend(moved)
                self.rest_quoted = True
        if self.rule_at is not None and data.strip():
            start, self.rule_at = self.rule_at, None
            if self._route() == _NEW and is_sender_or_date_key(header_key(data.strip())):
                moved = self.parts[_NEW][start:]
                del self.parts[_NEW][start:]
                self.parts[_QUOTE].extend(moved)
                self.rest_quoted = True
        if self.mark_quotes and self.blockquotes and data.strip():
            data = _QUOTE_LEVEL * self.blockquotes + data
        self._emit(data)


def _tidy(parts: list[str]) -> str:
    text = "".join(parts).replace("\xa0", " ")
    lines = [line.strip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return "\n".join(line.rstrip() for line in text.replace(_PRE_SPACE, " ").split("\n"))


def _run(html: str, splitter: _Splitter) -> _Splitter:
    splitter.feed(html)
    splitter.close()
    return splitter


def html_to_text(html: str) -> str:
    """Return the readable text of *html*, paragraphs separated by blank lines."""
    splitter = _run(html, _Splitter(detect=False, keep_signature=True, quote_marker=""))
    return _tidy(splitter.parts[_NEW])


def _quote_prefixes(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        levels = max((len(run) for run in re.findall(f"{_QUOTE_LEVEL}+", line)), default=0)
        line = line.replace(_QUOTE_LEVEL, "").strip()
        lines.append("> " * levels + line if levels else line)
    return "\n".join(lines)


def html_to_quoted_text(html: str) -> str:
    """Return the readable text of *html* with ``> `` before each line inside a blockquote.

    Mail clients quote the message they answer in ``<blockquote>``; this is
    how their own text part would show it, so the text rules apply to
    HTML-only mail as they do to plain text.
    """
    splitter = _Splitter(detect=False, keep_signature=True, quote_marker="", mark_quotes=True)
    return _quote_prefixes(_tidy(_run(html, splitter).parts[_NEW]))


def split_html_reply(
    html: str, *, quote_marker: str = "", keep_signature: bool = False
) -> HtmlReplyParts:
    """Split *html* into new text, quoted text and signature by client markup.

    Each quote container is replaced by a *quote_marker* line in ``text``
    (when given) so that a caller reading the text line by line still sees
    where the quotes were, e.g. to keep an interleaved answer between them.
    """
    splitter = _run(
        html, _Splitter(detect=True, keep_signature=keep_signature, quote_marker=quote_marker)
    )
    new, quoted, signature = (_tidy(parts) for parts in splitter.parts)
    return HtmlReplyParts(text=new, quoted=quoted, signature=signature)
