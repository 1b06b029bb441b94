"""Print typography: curly quotes and dashes, when the house style asks for them.

Mail arrives with whatever the writer's keyboard made: straight quotes, two
hyphens for a dash, a hyphen between spaces.  :func:`smarten` turns those into
the typographer's characters and sets every parenthetical dash the house way;
it never adds, drops or reorders a word.  :func:`fold` goes the other way, for
comparing texts regardless of typography.  URLs and email addresses are left
exactly as written.  Pure: text in, text out.
"""

from __future__ import annotations

import re

DASHES = ("—", " — ", " – ")  # closed em dash (US), spaced em dash, spaced en dash (UK)

_PROTECTED = re.compile(
    r"(?:\bhttps?://|\bwww\.)\S+|(?<![^\s@<>()])[^\s@<>()]+@[^\s@<>()]+\.\w{2,}", re.IGNORECASE
)
# A quote opens after the start, a space, an opening bracket, a dash or another opening quote.
_OPENS_AFTER = r"(?:^|(?<=[\s(\[{\u2014\u2013\u2018\u201c/-]))"
_DOUBLE_OPEN = re.compile(_OPENS_AFTER + r'"(?=\S)')
_SINGLE_OPEN = re.compile(_OPENS_AFTER + r"'(?=[^\W\d_])")
# '90s, 'em: an apostrophe standing for dropped letters or digits, never an opening quote.
_ELISION = re.compile(
    r"(?:^|(?<=\s))'(?=\d\ds\b|\d\d\b|em\b|cause\b|til\b|tis\b|twas\b|n\b)", re.IGNORECASE
)
# "--" or "---" typed for a dash; a hyphen or en dash with a space on both sides.
_TYPED_DASH = re.compile(r"\s*-{2,3}\s*|\s+[-\u2013]\s+|\s*\u2014\s*")

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2026": "...",
    }
)


def smarten(text: str, *, dash: str = "—") -> str:
    """Return *text* with curly quotes and every dash set as *dash* (one of :data:`DASHES`)."""
    if dash not in DASHES:
        raise ValueError(f"dash must be one of {DASHES!r}, got {dash!r}")
    pieces: list[str] = []
    last = 0
    for found in _PROTECTED.finditer(text):
        pieces.append(_smarten_prose(text[last : found.start()], dash))
        pieces.append(found.group())
        last = found.end()
    pieces.append(_smarten_prose(text[last:], dash))
    return "".join(pieces)


def _smarten_prose(text: str, dash: str) -> str:
    text = _TYPED_DASH.sub(dash, text)
    text = _ELISION.sub("\u2019", text)
    text = _DOUBLE_OPEN.sub("\u201c", text)
    text = text.replace('"', "\u201d")
    text = _SINGLE_OPEN.sub("\u2018", text)
    # Every other straight single quote closes a quotation or is an apostrophe
    # ("city's", "readers'"): both are the same character in print.
    return text.replace("'", "\u2019")


def fold(text: str) -> str:
    """Return *text* with typographic quotes, dashes and ellipses as plain ASCII."""
    return text.translate(_FOLD)
