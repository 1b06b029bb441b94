"""``format=flowed`` text (RFC 3676) read back into the lines the writer meant.

A client sending ``Content-Type: text/plain; format=flowed`` wraps long
lines with a *soft* break: the line ends in a space and the next line
continues it.  With ``DelSp=yes`` that trailing space was added by the client
and is deleted on reading.  Quoted lines carry their depth in leading ``>``
and join only lines of the same depth; a line starting with a space was
space-stuffed and loses that one space; ``-- `` is the signature separator,
never a soft break.  mail-parser hands the text over as sent, so
:mod:`intake.mail.parse` calls :func:`unflow` on every flowed part.

Pure: text in, text out, one pass over the lines.
"""

from __future__ import annotations

_SIGNATURE_SEPARATOR = "-- "


def unflow(text: str, *, delsp: bool = False) -> str:
    """Return *text* with soft line breaks joined; quoted lines keep a ``> `` prefix per depth."""
    out: list[str] = []
    pending = ""  # a paragraph being joined
    pending_depth = -1  # its quote depth; -1: nothing pending
    for raw in text.replace("\r\n", "\n").split("\n"):
        depth = len(raw) - len(raw.lstrip(">"))
        line = raw[depth:]
        line = line.removeprefix(" ")
        soft = line.endswith(" ") and line != _SIGNATURE_SEPARATOR
        if pending_depth >= 0 and depth != pending_depth:
            out.append(_quoted(pending, pending_depth))  # a depth change ends the paragraph
            pending, pending_depth = "", -1
        if soft and delsp:
            line = line[:-1]
        pending += line
        pending_depth = depth
        if not soft:
            out.append(_quoted(pending, depth))
            pending, pending_depth = "", -1
    if pending_depth >= 0:
        out.append(_quoted(pending, pending_depth))
    return "\n".join(out)


def _quoted(line: str, depth: int) -> str:
    return f"{'>' * depth} {line}" if depth else line
