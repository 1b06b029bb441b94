"""What the command line prints, and how: the one place that writes to the terminal.

A letter's subject, a writer's name, a catalogue title or a quarantine note
may carry ESC sequences that retitle a terminal, clear it or hide text.
Every command prints through :func:`say` (text) or :func:`say_json`
(documents), which show such characters as escapes (``\\x1b``, ``\\u202e``)
instead of sending them: the text from :func:`intake.domain.controlchars.visible`,
JSON with them as ``\\uXXXX`` (the same data for a program that reads it).
Both mask the password of any URL they print (a database URL, a library's
error message repeating one): :func:`intake.domain.maskedurls.mask_passwords`.
Log records are shown the same way (:class:`VisibleFormatter`).  ruff's
T20 rule allows ``print`` in this module only.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from typing import TextIO

from intake.domain.controlchars import json_escaped, visible
from intake.domain.maskedurls import mask_passwords


def say(*values: object, sep: str = " ", end: str = "\n", err: bool = False) -> None:
    """Print *values* as :func:`print` would, through :func:`shown` (control characters
    made visible, URL passwords masked); on stderr with *err*."""
    stream: TextIO = sys.stderr if err else sys.stdout
    print(shown(sep.join(str(value) for value in values)), end=end, file=stream)


def say_json(document: object) -> None:
    """Print *document* as indented JSON (UTF-8 text), every control character escaped
    and URL passwords masked."""
    print(mask_passwords(json_escaped(json.dumps(document, indent=2, ensure_ascii=False))))


def shown(text: str) -> str:
    """*text* as the terminal gets it: control characters escaped, URL passwords masked."""
    return visible(mask_passwords(text))


class VisibleFormatter(logging.Formatter):
    """A log formatter that shows control characters as escapes and masks URL passwords,
    wrapping *inner*'s format."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self._inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        return shown(self._inner.format(record))


# What a shell reports for a process the closed pipe's SIGPIPE ended: 128 + 13.
BROKEN_PIPE_EXIT = 141


def quiet_after_broken_pipe() -> int:
    """End a command whose reader closed stdout (``| head -1``) without a traceback.

    What is still buffered can go nowhere; stdout is pointed at the null
    device so that Python's flush at exit does not fail again.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # a stdout with no file descriptor (captured, replaced)
        pass
    return BROKEN_PIPE_EXIT


def redraw(text: str) -> None:
    """Show *text* (through :func:`shown`) in place of the last line on stderr: a progress
    bar on a terminal.  End the line with :func:`end_redraw`."""
    sys.stderr.write("\r" + shown(text) + "\x1b[K")
    sys.stderr.flush()


def end_redraw() -> None:
    """Leave the line :func:`redraw` drew."""
    sys.stderr.write("\n")
    sys.stderr.flush()
