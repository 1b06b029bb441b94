"""Hostile text the clean-output tests share: URLs no renderer may link, and control characters.

:data:`HOSTILE_URLS` comes from ``tests/data/hostile_urls.txt``; :func:`live_links`
reads every URL an HTML document would follow; :func:`controls_in` names the
control characters a string holds (C0 but tab and newline, DEL, C1, the bidi
overrides and isolates).
"""

from __future__ import annotations

import codecs
from html.parser import HTMLParser
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
HOSTILE_URLS = [
    codecs.decode(line, "unicode_escape")
    for line in (DATA / "hostile_urls.txt").read_text(encoding="ascii").splitlines()
    if line.strip() and not line.startswith("#")
]
# What a reader or a catalogue may slip into text: terminal escapes (clear the
# screen, set the window title, colour), NUL, BEL, DEL, a C1 CSI and a bidi override.
NASTY = "\x1b[2J\x1b]0;owned\x07\x00\x7f\x9b31m\u202e"
CONTROL_CODES = frozenset(
    [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0),
     *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "background", "xlink:href", "poster"}


def controls_in(text: str) -> list[str]:
    """The control characters in *text*, as ``U+XXXX`` (empty when clean)."""
    return [f"U+{ord(ch):04X}" for ch in text if ord(ch) in CONTROL_CODES]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls.extend(value or "" for name, value in attrs if name in URL_ATTRIBUTES)


def live_links(html: str) -> list[str]:
    """Every URL an element of *html* points at, entities decoded as a browser would."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.urls
