"""The letters policy: what a letter should be, and what this one lacks.

Owns :class:`LettersPolicy` (the ``[policy]`` section of the config) and
:func:`check_letter`, which returns the findings an editor should know
about: too long, answers an old article, no full name, no town, no phone
number or postal address (asked for verification, never printed), no
exclusivity statement, also sent to other addresses.  Findings never block
a letter: the author is asked all the same; they are stored on the letter
for the editors.  Phone numbers and street addresses are only looked for,
never returned.  Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from intake.printing.letterbody import prepare_letter
from intake.sorting.letterscore import word_count
from intake.sorting.owntext import own_text


@dataclass(frozen=True, slots=True, kw_only=True)
class LettersPolicy:
    """The publication's rules for letters (``[policy]``, whose defaults the config schema
    holds); 0 switches a limit off."""

    word_limit: int
    max_article_age_days: int
    require_full_name: bool
    require_town: bool
    require_phone_or_address: bool
    require_exclusivity: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """Something an editor should know about a letter: a short code and a sentence."""

    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


_TAIL_LINES = 8  # the sign-off block sits in the last lines
_PHONE_RE = re.compile(r"(?:\+|\b)\(?\d[\d\s().\-/]{5,}\d\b")
_STREET_RE = re.compile(
    r"^\s*\d{1,6}[a-z]?,?\s+(?:[\w.'’-]+\s+){0,4}(?:street|st|avenue|ave|road|rd|boulevard|blvd|"
    r"lane|ln|drive|dr|court|ct|place|pl|terrace|way|close|crescent|gardens|square|sq|parkway)\b|"
    r"\b(?:p\.?\s?o\.?\s+box|apt\.?|apartment|flat|suite|unit)\s*#?\s*\d",
    re.IGNORECASE | re.MULTILINE,
)
_POSTCODE_RE = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"  # UK; US "NY 10025"
)
_EXCLUSIVE_RE = re.compile(
    r"\bexclusive(?:ly)?\s+(?:to|for)\s+(?:you|your|the|this)\b|"
    r"\b(?:not|never)\s+(?:been\s+)?(?:sent|submitted|offered|published|shared)\s+"
    r"(?:it\s+)?(?:to\s+)?(?:any\s*(?:where|one|body)\s+else|elsewhere|(?:to\s+)?(?:any\s+)?other\s+"
    r"(?:papers?|publications?|outlets?|newspapers?|media))|"
    r"\b(?:sent|submitted|written)\s+(?:only|solely|exclusively)\s+(?:to|for)\s+(?:you|your|the)\b|"
    r"\bonly\s+(?:to|for)\s+(?:you|your\s+(?:paper|newspaper|publication|letters?\s+page))\b",
    re.IGNORECASE,
)
_OPEN_LETTER_RE = re.compile(r"\ban\s+open\s+letter\b|^\s*open\s+letter\b", re.IGNORECASE)
_INITIAL_RE = re.compile(r"^[A-Za-z]\.?$")


def _is_full_name(name: str) -> bool:
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    named = [w for w in words if not _INITIAL_RE.match(w)]
    return len(words) >= 2 and len(named) >= 2


def _has_contact(tail: str) -> bool:
    phone = any(sum(c.isdigit() for c in m.group()) >= 7 for m in _PHONE_RE.finditer(tail))
    return phone or bool(_STREET_RE.search(tail) or _POSTCODE_RE.search(tail))


def check_letter(
    rules: LettersPolicy,
    *,
    text: str,
    writer_name: str = "",
    article_published: date | None = None,
    sent_on: date | None = None,
    recipients: Sequence[str] = (),
    desk_address: str = "",
) -> tuple[Finding, ...]:
    """Return what *text* (a letter, plain text) lacks under *rules*, in a fixed order.

    :param writer_name: the From display name, used when the letter is not signed.
    :param article_published: the date of the article it answers, when known.
    :param sent_on: the letter's date (its Date header, else when it arrived).
    :param recipients: every To/Cc address, to notice copies sent to other papers.
    """
    mine = own_text(text)
    body = prepare_letter(mine, sender_name=writer_name)
    findings: list[Finding] = []
    words = sum(word_count(p) for p in body.paragraphs)
    if rules.word_limit and words > rules.word_limit:
        findings.append(Finding(code="word_limit", message=f"{words} words, over the limit of "
                                f"{rules.word_limit}"))  # fmt: skip
    if rules.max_article_age_days and article_published and sent_on:
        age = (sent_on - article_published).days
        if age > rules.max_article_age_days:
            findings.append(Finding(code="article_age", message=f"answers an article {age} days "
                                    f"old (limit {rules.max_article_age_days} days)"))  # fmt: skip
    # The name and town print exactly as parsed: the findings judge those, not a guess of their own.
    name = body.name.split(",")[0].strip()
    if not name:
        sender = (
            f"the sender's name ‘{writer_name.strip()}’"
            if writer_name.strip()
            else "no sender's name"
        )
        findings.append(Finding(code="no_name", message=f"no name to print: the letter is not "
                                f"signed and {sender} is not a person's name"))  # fmt: skip
    elif rules.require_full_name and not _is_full_name(name):
        findings.append(Finding(code="full_name", message=f"signed ‘{name}’: a full name is "
                                "required"))  # fmt: skip
    if rules.require_town and not body.town:
        findings.append(Finding(code="town", message="no town or city under the name"))
    tail = "\n".join([line for line in mine.splitlines() if line.strip()][-_TAIL_LINES:])
    if rules.require_phone_or_address and not _has_contact(tail):
        findings.append(Finding(code="phone_or_address", message="no phone number or postal "
                                "address for verification"))  # fmt: skip
    if rules.require_exclusivity and not _EXCLUSIVE_RE.search(mine):
        findings.append(Finding(code="exclusivity", message="no statement that the letter is "
                                "exclusive to us"))  # fmt: skip
    desk_domain = desk_address.lower().rpartition("@")[2]
    others = [r for r in recipients if desk_domain and r.lower().rpartition("@")[2] != desk_domain]
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        findings.append(Finding(code="sent_elsewhere", message=f"also addressed to {shown}"))
    if _OPEN_LETTER_RE.search(mine[:600]):
        findings.append(Finding(code="open_letter", message="calls itself an open letter"))
    return tuple(findings)
