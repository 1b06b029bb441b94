"""Untrusted text in a shape every pattern can read in linear time.

A body of 40,000 blank lines, a line of 2.5 MB of spaces and tabs or a rule of
80,000 dashes costs nothing to send and, read by a pattern like ``^\\s*…`` at
every line start, quadratic time to classify.  :func:`tame` bounds the
shapes that make patterns backtrack, without touching a single word:

- a line of only spaces and tabs is an empty line (other lines keep their spaces:
  trailing ones tell flowed and wrapped text apart);
- no more than :data:`MAX_BLANK_LINES` empty lines follow each other;
- a run of spaces or tabs inside a line keeps at most :data:`MAX_SPACE_RUN` of them;
- a run of one punctuation character keeps at most :data:`MAX_MARK_RUN` of them.

Every step is a single pass.  Classification reads at most
:data:`SIGNAL_CHARS` characters of a body (:func:`signal_text`): no real
letter is that long, and no signal needs more.  Pure: no I/O.
"""

from __future__ import annotations

import re
from typing import Final

MAX_BLANK_LINES: Final = 2
MAX_SPACE_RUN: Final = 16
MAX_MARK_RUN: Final = 100
SIGNAL_CHARS: Final = 60_000
"""What classification reads of a body: ten times a long letter (about 1,000 words)."""

# each is linear: a run is consumed greedily once, and a position inside a shorter run
# scans at most that run before failing
_SPACE_RUN: Final = re.compile(rf"[^\S\n]{{{MAX_SPACE_RUN + 1},}}")
_MARK_RUN: Final = re.compile(rf"([^\w\s])\1{{{MAX_MARK_RUN},}}")


def tame(text: str) -> str:
    """Return *text* (lines ending in ``\\n``) with the runs above bounded; words untouched."""
    text = _SPACE_RUN.sub(lambda m: m.group(0)[:MAX_SPACE_RUN], text)
    text = _MARK_RUN.sub(lambda m: m.group(1) * MAX_MARK_RUN, text)
    lines: list[str] = []
    blank = 0
    for line in text.split("\n"):
        if not line.strip():
            line = ""
        blank = blank + 1 if not line else 0
        if blank <= MAX_BLANK_LINES:
            lines.append(line)
    return "\n".join(lines)


def signal_text(text: str) -> str:
    """Return the part of a body classification reads: its first :data:`SIGNAL_CHARS`."""
    return text[:SIGNAL_CHARS]
