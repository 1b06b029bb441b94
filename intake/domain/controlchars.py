"""Control characters in text from outside: removed where we write it, shown where we print it.

A reader's Message-ID, subject or name and a catalogue's titles and authors
may carry control characters: ESC sequences that retitle or clear a
terminal, NUL and BEL, DEL, the C1 controls, and the bidirectional
overrides and isolates that make text read differently from what it is.
Every header intake writes and every field it publishes goes through
:func:`one_line` (headers, names, titles) or :func:`multiline` (bodies,
which keep their newlines and tabs); every line the command line prints
goes through :func:`visible`, which shows them as escapes instead.

One character class, matched one character at a time: linear in the text.
Pure.
"""

from __future__ import annotations

import re

# C0 except tab and the line ends, DEL, C1, and the bidi embeddings,
# overrides and isolates (U+202A–U+202E, U+2066–U+2069).  The marks LRM/RLM
# and ALM stay: they change no order by themselves and real text needs them.
_HIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069"
# The line breaks: CR, LF, NEL (C1 "next line") and the Unicode separators.
_BREAKS = "\r\n\x85\u2028\u2029"
_CONTROL = re.compile(f"[{_HIDDEN}]")
_CONTROL_OR_BREAK = re.compile(f"[{_HIDDEN}{_BREAKS}\t]")
_LINE_END = re.compile("\r\n?|[\x85\u2028\u2029]")
_SHOWN = re.compile(f"[{_HIDDEN}\r\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """*text* for a header or a one-line field: line breaks and tabs become spaces,
    every other control character is removed."""
    return _CONTROL_OR_BREAK.sub(_space_or_nothing, _LINE_END.sub("\n", text))


def _space_or_nothing(match: re.Match[str]) -> str:
    return " " if match[0] in _BREAKS or match[0] == "\t" else ""


def multiline(text: str) -> str:
    """*text* for a body: newlines (any line end becomes ``\\n``) and tabs stay,
    every other control character is removed."""
    return _CONTROL.sub("", _LINE_END.sub("\n", text))


def visible(text: str) -> str:
    """*text* for a terminal: newlines and tabs as they are (CRLF as a newline),
    every other control character as an escape a reader can see (``\\x1b``, ``\\u202e``)."""
    return _SHOWN.sub(_escape, text.replace("\r\n", "\n"))


def _escape(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def json_escaped(document: str) -> str:
    """A JSON document with the control characters ``json.dumps`` leaves raw
    (DEL, C1, the bidi controls, the Unicode line separators) written as
    ``\\uXXXX`` escapes: the same data, safe on a terminal.

    Such characters can only stand inside JSON strings, where the escape
    means the same character.
    """
    return _SHOWN.sub(lambda m: f"\\u{ord(m[0]):04x}", document)
