"""The one list of closing words: "Sincerely,", "Best regards,", "Mit freundlichen Grüßen".

Pure: no I/O.  A closing (valediction) is the phrase a writer puts between
the last sentence and the name.  Four readers need it and must agree on it:
the reply's sign-off (:mod:`intake.mail.signoff`), the generic reply
extractor's contact block (:mod:`intake.mail.replytext`), the printed
signature block (:mod:`intake.printing.signature`) and the letter's signs
(:mod:`intake.sorting.letterscore`).  Each reads the same :data:`CLOSING_WORDS`
through :func:`is_closing` or :func:`closing_and_name`; what each does with a
closing (cut it, print the name under it, count it as a sign) is its own.

The phrases are a small grammar rather than a flat list ("with" + "best" or
"kind" + "regards", "wishes" or "thanks"), anchored at the line's start and
bounded in length, so every match is linear in the line.
"""

from __future__ import annotations

import re
from typing import Final

# fmt: off
_ENGLISH: Final = (
    r"(?:with\s+)?(?:(?:best|kind|kindest|warm|warmest|warmer|many|my\s+best|all\s+my"
    r"|very\s+best|fond|respectful)\s+)?(?:regards|wishes|thanks)"
    r"|thanks(?:\s+(?:again|a\s+lot|(?:very|so)\s+much)){0,2}"
    r"|thank\s+you(?:\s+(?:again|(?:very|so)\s+much|kindly|for\s+your\s+time)){0,2}"
    r"|(?:yours\s+)?(?:sincerely|truly|faithfully|respectfully|cordially|gratefully)"
    r"(?:\s+yours)?"
    r"|yours|best|all\s+(?:the\s+)?best|best\s+to\s+you|cheers|peace|in\s+solidarity"
    r"|warmly|take\s+care|with\s+appreciation|with\s+gratitude|gratefully\s+yours"
)
_OTHER_LANGUAGES: Final = (
    # German
    r"(?:(?:mit\s+)?(?:freundlichen|herzlichen|besten|lieben|vielen|viele|beste|liebe|herzliche"
    r"|freundliche)\s+)?gr(?:ü|ue|u)(?:ß|ss)(?:en?)?|danke(?:\s+schön)?|mfg|lg|vg"
    # French
    r"|(?:bien\s+)?cordialement|bien\s+à\s+(?:vous|toi)|amicalement|bises|merci(?:\s+beaucoup)?"
    r"|salutations(?:\s+distinguées)?"
    # Spanish and Portuguese
    r"|(?:un\s+)?saludos?(?:\s+cordiales)?|atentamente|un\s+abrazo|gracias|abraços"
    r"|atenciosamente|obrigad[oa]|cumprimentos"
    # Italian
    r"|(?:cordiali|distinti)?\s*saluti|a\s+presto|grazie"
    # Dutch
    r"|(?:met\s+)?(?:vriendelijke|hartelijke)?\s*groet(?:en)?"
    # Swedish, Norwegian, Danish
    r"|(?:med\s+)?(?:vänlig|vänliga|vennlig|venlig|venlige)?\s*(?:hälsning(?:ar)?|hilsen)|mvh"
    # Polish and Russian
    r"|pozdrawiam|с\s+уважением"
)
# fmt: on
CLOSING_WORDS: Final = rf"(?:{_ENGLISH}|{_OTHER_LANGUAGES})"
"""The closing phrases as a pattern, without anchors (case is the caller's flag)."""

# The whole line is a closing: "Best,", "  Kind regards!", "Mit freundlichen Grüßen".
_CLOSING_LINE_RE: Final = re.compile(rf"^\s*+{CLOSING_WORDS}\s*+[,.!]?\s*+$", re.IGNORECASE)
# A closing and a name on one line: "Best, Dana", "Thanks — Dana Smith", "Cheers - Al".
_CLOSING_AND_NAME_RE: Final = re.compile(
    rf"^\s*+{CLOSING_WORDS}\s*+(?:,|—|–|-)\s*+(?P<name>\S.*)$", re.IGNORECASE
)
_MAX_CLOSING_CHARS: Final = 60  # no closing line is longer: longer lines are never read


def is_closing(line: str) -> bool:
    """Return whether *line* is only a closing phrase, with at most one ``,``, ``.`` or ``!``."""
    return len(line) <= _MAX_CLOSING_CHARS and bool(_CLOSING_LINE_RE.match(line))


def closing_and_name(line: str) -> str | None:
    """Return the name in a "closing, name" line ("Best, Dana" → "Dana"); None otherwise."""
    found = _CLOSING_AND_NAME_RE.match(line[: _MAX_CLOSING_CHARS * 2])
    return found["name"].strip() if found else None
