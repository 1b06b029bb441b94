"""Which URLs may become a live link: web addresses only, written plainly.

A catalogue's article URL and an editor's ``assign 14 URL`` are text from
outside; rendered into an ``href`` they could run script (``javascript:``,
``data:``, ``vbscript:``) or lead somewhere their text does not say.  Every
renderer (mail, digest, published pages, a web desk) makes a link only
from what :func:`web_address` accepts and shows anything else as inert
text.

The test is strict rather than clever: an absolute ``http``/``https`` URL
with a host, and no character a browser would strip, decode or reinterpret
before reading the scheme (whitespace, controls, quotes, angle brackets,
backslashes, ``&``-entities in the scheme).  A scheme hidden by such tricks
(``java\\tscript:``, ``javascript&#58;``, ``&#106;avascript:``) therefore
never passes, because the URL must *start* with the plain scheme.  Pure.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")
# Everything a browser's URL parser strips, folds or treats as the end of an
# attribute: whitespace and controls anywhere, quotes, angle brackets, backslashes
# (read as "/" in web URLs), and the backtick old IE took for a quote.
_UNSAFE = re.compile(
    "[\x00-\x20\x7f-\x9f\"'<>\\\\`"
    "\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u2060-\u206f\u3000\ufeff]"
)
_PLAIN_WEB_START = re.compile(r"https?://", re.IGNORECASE)


def web_address(url: str) -> str:
    """*url* (without surrounding spaces) when it is a plain absolute http(s) URL, else ``""``."""
    candidate = url.strip(" ")
    if not _PLAIN_WEB_START.match(candidate) or _UNSAFE.search(candidate):
        return ""
    try:
        parts = urlsplit(candidate)
    except ValueError:  # e.g. an unbalanced "[" in the host
        return ""
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return ""
    return candidate
