"""The sign-off at the end of a reply: "Best, Dana", "— Dana", a "-- " block, "Sent from my …".

Pure: no I/O.  :func:`split_signoff` finds where the writer's own sign-off
starts in the last lines of a reply's new text and splits it off, so that
the printed response ends with the response and the editors still see the
sign-off with what was cut.  A sign-off is a valediction ("Best,",
"Thanks,", "Mit freundlichen Grüßen"; the one list in :mod:`intake.mail.closings`), a name after a dash, the writer's
own name on a line (the caller says which names are theirs), an RFC 3676
``-- `` delimiter or a device footer, followed only by short lines (name,
title, organisation, contact details).  Nothing is cut when it would leave
no text, and a closing sentence ("Thank you.") with no name after it stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from intake.mail.closings import closing_and_name, is_closing
from intake.mail.replytext import SIG_DELIMITER_RE, is_device_footer

# "— Dana", "-- Dana Smith", "–DS", "~ Dana"
_DASH_RE: Final = re.compile(r"^\s*(?P<dash>-{1,2}|—|–|~)(?P<space>\s*)(?P<rest>[^\s\-—–~].*)$")
_CONTACT_RE: Final = re.compile(
    r"[\w.+-]+@[\w-]+\.\w|https?://|www\.|\+?\d[\d ().-]{6,}\d", re.IGNORECASE
)
_MAX_LINES: Final = 10  # a sign-off is found among the last this many non-blank lines


def _name_like(text: str, names: frozenset[str]) -> bool:
    text = text.strip().rstrip(".")
    if text.casefold() in names:
        return True
    words = text.split()
    if not 1 <= len(words) <= 4 or len(text) > 40 or any(ch.isdigit() for ch in text):
        return False
    return all(word[0].isupper() for word in words if word[0].isalpha()) and not text.endswith(
        ("?", "!", ":")
    )


def _tail_like(line: str) -> bool:
    """A line a signature block may hold: a name, a title, an organisation, contact details."""
    text = line.strip()
    if not text:
        return True
    if len(text) > 80:
        return False
    if _CONTACT_RE.search(text):
        return True
    words = text.split()
    return len(words) <= 8 and len(text) <= 60 and not text.endswith(("?", "!", ":"))


def _starts_signoff(line: str, following: list[str], after: str, names: frozenset[str]) -> bool:
    """Whether *line* starts a sign-off; *following* are the lines up to a later sign-off
    already found, *after* the next non-blank line."""
    text = line.strip()
    if SIG_DELIMITER_RE.match(line) or is_device_footer(text):
        return True
    rest = [x for x in following if x.strip()]
    if not all(_tail_like(x) for x in rest) or len(rest) > 6:
        return False
    if is_closing(text):
        # "Best," ends a message; "Thank you." is a closing sentence, kept with the text
        if text.endswith("."):
            return False
        named = bool(after) and _name_like(after, names) and not is_closing(after)
        return named or text.endswith(",")
    dashed = _DASH_RE.match(text)
    if dashed:
        name = dashed.group("rest").split(",")[0]
        # "- Housing" may end a list; "-Dana", "— Dana" and "-- Dana" sign
        list_like = dashed.group("dash") == "-" and dashed.group("space")
        if name.strip().casefold() in names or (not list_like and _name_like(name, names)):
            return True
    named_after = closing_and_name(text)
    if named_after and _name_like(named_after, names):
        return True
    return text.casefold().rstrip(".") in names


def known_names(*full_names: str) -> frozenset[str]:
    """Return the ways a person may sign: full name, first name, last name, initials."""
    found: set[str] = set()
    for full in full_names:
        words = [w for w in re.split(r"[\s,]+", full.strip()) if w and "@" not in w]
        if not words:
            continue
        found.update({" ".join(words).casefold(), words[0].casefold(), words[-1].casefold()})
        initials = "".join(w[0] for w in words if w[0].isalpha())
        if len(initials) >= 2:
            found.update({initials.casefold(), ".".join(initials).casefold() + "."})
    return frozenset(found)


def split_signoff(text: str, names: Iterable[str] = ()) -> tuple[str, str]:
    """Return (*text* without its sign-off, the sign-off); ``(text, "")`` when there is none.

    *names* are the ways the writer may sign (see :func:`known_names`): a
    line holding only one of them starts a sign-off even without a valediction.
    """
    known = frozenset(name.casefold() for name in names)
    lines = text.split("\n")
    filled = [i for i, line in enumerate(lines) if line.strip()]
    start = None
    for index in reversed(filled[-_MAX_LINES:]):
        if index == filled[0]:
            break  # a sign-off never takes the whole text
        following = lines[index + 1 : start if start is not None else len(lines)]
        after = next((x for x in lines[index + 1 :] if x.strip()), "")
        if _starts_signoff(lines[index], following, after, known):
            start = index
        elif not _tail_like(lines[index]):
            break
    if start is None or all(is_closing(lines[i]) for i in filled if i < start):
        return text, ""
    body = "\n".join(lines[:start]).rstrip()
    return body, "\n".join(lines[start:]).strip("\n")
