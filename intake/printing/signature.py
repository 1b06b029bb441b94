"""The writer's signature block: found at a letter's end, split into print lines and contact details.

A letter ends "Sincerely, / name / title / organisation / town", or just with
the name, or with a ``-- `` block.  :func:`split_signature` finds that block
(a sign-off line, the From display name, or a name-like line heading a short
trailing run) and returns the lines fit for print plus the contact details
that must never be printed: phone numbers, street addresses, email addresses
and URLs.  :func:`town_of` picks the town line out of the printed lines.

Pure: no I/O; lines in, values out.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# A signature block is "name / title / organisation / town"; more lines than
# this after a sign-off are kept out of print (the editors still see them).
MAX_SIGNATURE_LINES = 4
_MAX_TAIL_LINES = 10  # how far up from the end a sign-off may sit
_SHORT_LINE_CHARS = 60
_SHORT_LINE_WORDS = 9

_SIGN_OFF_WORDS = r"""(?:
    (?:yours\s+)?(?:sincerely|truly|faithfully|respectfully|cordially|gratefully)(?:\s+yours)?
  | yours
  | (?:with\s+)?(?:best|kind|kindest|warm|warmest|many)?\s*(?:regards|wishes|thanks)
  | best | all\s+the\s+best | cheers | peace | in\s+solidarity
  | thank\s+you(?:\s+(?:very|so)\s+much)? | thanks(?:\s+(?:very|so)\s+much)? | many\s+thanks
)"""
_SIGN_OFF = re.compile(rf"^{_SIGN_OFF_WORDS}\s*[,.!]?$", re.IGNORECASE | re.VERBOSE)
_SIGN_OFF_WITH_NAME = re.compile(
    rf"^{_SIGN_OFF_WORDS}\s*[,\u2014-]\s*(?P<name>\S.*)$", re.IGNORECASE | re.VERBOSE
)
EMAIL = re.compile(r"[^\s@<>()]+@[^\s@<>()]+\.[^\W\d_]{2,}")
URL = re.compile(r"(?:\bhttps?://|\bwww\.)\S+", re.IGNORECASE)
_PHONE = re.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d")
_PHONE_LABEL = re.compile(r"^(?:tel|phone|mobile|cell|fax|ph)\b\.?\s*:?\s*", re.IGNORECASE)
_STREET = re.compile(
    r"""^\d{1,6}[a-z]?(?:[-/]\d{1,6}[a-z]?)?,?\s+\S                   # "221B Baker Street"
      | \b(?:p\.?\s?o\.?\s+box|apt|apartment|suite|ste|unit|flat)\b\.?\s*\#?\s*\d
      | \d.*\b(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct
               |place|pl|terrace|parkway|pkwy|highway|hwy|square|sq|way)\b\.?(?:$|[\s,])
    """,
    re.IGNORECASE | re.VERBOSE,
)
# US ZIP codes and UK postcodes after a town: contact detail, not print.
_POSTAL_CODE = re.compile(r"\s+(?:\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})$")
# A name line may end in "Jr." or "Ph.D." or "N.Y.", not in a sentence's full stop.
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z][a-z]{0,2}|(?:\b[A-Za-z]{1,2}\.){1,}[A-Za-z]{1,2})\.$")
_NAME_PARTICLES = frozenset({
    "al", "bin", "da", "de", "del", "della", "der", "di", "du", "el", "la", "le", "van", "von",
    "y"
})  # fmt: skip
_HONORIFICS = frozenset({
    "dr", "mr", "mrs", "ms", "mx", "prof", "rev", "jr", "sr", "phd", "md", "esq", "the", "of"
})  # fmt: skip
# Words that make a line a title or an organisation rather than a town.
_NOT_A_PLACE = frozenset({
    "office", "secretary", "director", "president", "professor", "chair", "chairman",
    "chairwoman", "chairperson", "editor", "manager", "officer", "member", "founder",
    "executive", "coordinator", "organizer", "organiser", "counsel", "attorney", "senator",
    "representative", "commissioner", "dean", "fellow", "lecturer", "researcher", "analyst",
    "student", "teacher", "nurse", "doctor", "minister", "pastor", "rabbi", "imam", "captain",
    "retired", "emeritus", "deputy", "assistant", "associate", "vice", "head", "chief",
    "spokesperson", "spokesman", "spokeswoman", "advocate", "author", "writer", "journalist",
    "volunteer", "candidate", "mayor", "governor", "councillor", "councilmember", "treasurer",
    "university", "college", "school", "institute", "association", "foundation", "council",
    "center", "centre", "society", "union", "committee", "party", "group", "inc", "llc", "ltd",
    "corp", "company", "press", "news", "times", "department", "ministry", "campaign",
    "network", "alliance", "league", "coalition", "trust", "fund", "project", "church",
    "hospital", "club", "agency", "board", "commission", "federation", "partners", "services",
    "lab", "labs", "administration", "international"
})  # fmt: skip
# "Brooklyn, N.Y.", "Portland, Ore.", "Leeds, UK", "Austin, TX": a place, a comma, a region.
_TOWN_AND_REGION = re.compile(r"^[^\W\d_][\w.'’ -]{1,40},\s*[^\W\d_][\w. ]{0,24}$")


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactDetails:
    """What the writer gave for reaching them: kept for the editors, never printed."""

    phone: str = ""
    street: str = ""
    emails: tuple[str, ...] = ()


def split_signature(lines: list[str], sender_name: str) -> tuple[list[str], list[str] | None]:
    """Return the body lines and the signature lines fit for print, or ``None`` when unsigned.

    *lines* are tidied lines (single spaces, blank lines as ``""``).  Contact
    lines in the trailing block are dropped from the body either way.
    """
    found = _split_at_sign_off(lines)
    if found is not None:
        return found
    start = len(lines)
    while start > 0 and lines[start - 1] and is_short(lines[start - 1]):
        start -= 1
    if start == 0:  # the whole letter is short lines: nothing to tell apart
        return lines, None
    run = lines[start:]
    body = lines[:start]
    own_block = not body[-1]
    for offset, line in enumerate(run):
        if not is_private(line) and sender_name and resembles(line, sender_name):
            before = _public(run[:offset])
            # A short line ending in a comma just above the name is a sign-off
            # in some language ("Mit freundlichen Grüßen,", "Cordialement,").
            if before and before[-1].endswith(","):
                before.pop()
            return body + before, _signature_lines(run[offset:])
    public = _public(run)
    if (
        not sender_name
        and own_block
        and public
        and len(public) <= MAX_SIGNATURE_LINES
        and is_name_like(public[0])
    ):
        return body, _signature_lines(run)
    return body + public, None


def signature_from_sig_block(sig_block: list[str], sender_name: str) -> list[str]:
    """Take the name lines heading a ``-- `` block, when they name the sender."""
    run: list[str] = []
    for line in sig_block:
        if not line or not is_short(line):
            break
        run.append(line)
    public = _public(run)
    if public and sender_name and resembles(public[0], sender_name):
        return _signature_lines(run)
    return []


def contact_details(lines: list[str]) -> ContactDetails:
    """Collect the phone number, street address and emails written in *lines*."""
    phone = street = ""
    emails: list[str] = []
    for line in lines:
        emails.extend(m.group().strip(".,;") for m in EMAIL.finditer(line))
        if not phone:
            number = next((m.group() for m in _PHONE.finditer(line) if _digits(m.group()) >= 7), "")
            phone = number.strip()
        if not street and not EMAIL.search(line) and _STREET.search(line):
            street = _PHONE_LABEL.sub("", line).strip()
    return ContactDetails(phone=phone, street=street, emails=tuple(dict.fromkeys(emails)))


def town_of(signature: tuple[str, ...] | list[str]) -> str:
    """Return the signature's town line ("Zürich", "Brooklyn, N.Y."), or ``""``.

    Only a line after the name counts, and only the last one: signatures end
    with the place the writer writes from.
    """
    if len(signature) < 2:
        return ""
    last = signature[-1]
    words = re.findall(r"[^\W\d_][\w.'’-]*", last)
    if not words or any(w.casefold().strip(".") in _NOT_A_PLACE for w in words):
        return ""
    if _TOWN_AND_REGION.match(last):
        return last
    capitalised = all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words)
    return last if capitalised and len(words) <= 3 and not any(c.isdigit() for c in last) else ""


def _split_at_sign_off(lines: list[str]) -> tuple[list[str], list[str]] | None:
    for index in range(len(lines) - 1, max(-1, len(lines) - 1 - _MAX_TAIL_LINES), -1):
        line = lines[index]
        after = lines[index + 1 :]
        if not all(not rest or is_short(rest) for rest in after):
            return None
        if index == 0:
            return None  # a letter that is only a sign-off has no body to keep
        if _SIGN_OFF.match(line):
            return lines[:index], _signature_lines(after)
        with_name = _SIGN_OFF_WITH_NAME.match(line)
        name = with_name["name"] if with_name else ""
        if name and is_name_like(name, min_words=1) and is_short(name):
            return lines[:index], _signature_lines([name, *after])
    return None


def _signature_lines(lines: list[str]) -> list[str]:
    public = [_POSTAL_CODE.sub("", line) for line in _public(lines)]
    return public[:MAX_SIGNATURE_LINES]


def _public(lines: list[str]) -> list[str]:
    return [line for line in lines if line and not is_private(line)]


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def is_private(line: str) -> bool:
    """Whether *line* is contact detail: never printed, never a signature line."""
    if EMAIL.search(line) or URL.search(line) or _STREET.search(line):
        return True
    return any(_digits(m.group()) >= 7 for m in _PHONE.finditer(line))


def is_short(line: str) -> bool:
    """Whether *line* could be a signature line: short, and not a sentence."""
    if len(line) > _SHORT_LINE_CHARS or len(line.split()) > _SHORT_LINE_WORDS:
        return False
    if is_private(line):
        return True
    if re.search(r"[!?;]", line) or re.search(r"[.:]\s+[a-z]", line):
        return False
    return not line.endswith((".", ":")) or bool(_ABBREVIATION_END.search(line))


def is_name_like(line: str, *, min_words: int = 2) -> bool:
    """Whether *line* looks like a person's name: a few capitalised words."""
    words = line.replace(",", " ").split()
    if not min_words <= len(words) <= 5 or not words[0][:1].isupper():
        return False
    return all(word[:1].isupper() or word.lower() in _NAME_PARTICLES for word in words)


def _name_tokens(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return {t for t in re.findall(r"[^\W\d_]{2,}", folded) if t not in _HONORIFICS}


def resembles(line: str, name: str) -> bool:
    """Whether *line* shares a name word with *name* (accents and case aside)."""
    return bool(_name_tokens(line) & _name_tokens(name))
