"""The part of a body its sender wrote: no quoted lines, no forwarded or quoted tail.

Scoring, the letter model, the article look-up, the machine-mail facts and the letters
policy all read it, so the last few bodies' cuts are kept (a long body is cut again
rather than held after its poll).  Pure: no I/O.
"""

from __future__ import annotations

import functools
import re

# Where a forwarded or quoted message starts in the body, in the clients most
# readers use: Gmail/Thunderbird separators, Apple Mail, Outlook's
# "-----Original Message-----" and underscore rule, and "On … wrote:" headers.
_CUT_RE = re.compile(
    r"^[^\S\n]*(?:-{3,}[^\S\n]*(?:forwarded message|original message|mensaje original|"
    r"message d'origine|ursprüngliche nachricht|messaggio originale|"
    r"oorspronkelijk bericht)[^\S\n]*-{3,}|begin forwarded message:|_{20,}[^\S\n]*$|"
    r".{0,200}\b(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef|napisał)\s?:[^\S\n]*$)",
    re.IGNORECASE | re.MULTILINE,
)
# the longest body whose cut is kept
OWN_TEXT_KEPT_CHARS = 64 * 1024


def own_text(text: str) -> str:
    """Return the part of *text* its sender wrote: no quoted lines, no forwarded tail."""
    return _cut_own_text(text) if len(text) > OWN_TEXT_KEPT_CHARS else _kept_own_text(text)


@functools.lru_cache(maxsize=16)
def _kept_own_text(text: str) -> str:
    return _cut_own_text(text)


def _cut_own_text(text: str) -> str:
    found = _CUT_RE.search(text)
    head = text[: found.start()] if found else text
    return "\n".join(line for line in head.splitlines() if not line.lstrip().startswith(">"))
