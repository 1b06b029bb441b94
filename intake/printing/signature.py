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

from intake.mail.closings import closing_and_name, is_closing

# A signature block is "name / title / organisation / town"; more lines than
# this after a sign-off are kept out of print (the editors still see them).
MAX_SIGNATURE_LINES = 4
_MAX_TAIL_LINES = 10  # how far up from the end a sign-off may sit
_SHORT_LINE_CHARS = 60
_SHORT_LINE_WORDS = 9

# "— Sam Whitcombe, Lancaster, Pa." or "-- Sam": a dash and the name, on the letter's last line.
_DASH_SIGN_OFF = re.compile(r"^(?:-{1,2}|[\u2014\u2013])\s*(?P<name>[^\W\d_].*)$")
# What separates a name from the contact details on one line: "Ada, ada@x.org | 555 0100".
_CONTACT_SEPARATOR = re.compile(r"\s*[,|;\u2022\u00b7]\s*|\s+[-\u2013\u2014]\s+")
# Starts only where a word starts, so that a long run without "@" is read once, not once
# per character (linear time on hostile text; the same matches as without the lookbehind).
EMAIL = re.compile(r"(?<![^\s@<>()])[^\s@<>()]+@[^\s@<>()]+\.[^\W\d_]{2,}")
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
# After a comma, a region's abbreviation: "Eastbay, Calif.", "Northfield, Minn.".
_ABBREVIATION_END = re.compile(
    r"(?:\b[A-Z][a-z]{0,2}|(?:\b[A-Za-z]{1,2}\.){1,}[A-Za-z]{1,2}|,\s*[A-Z][a-z]{1,5})\.$"
)
_NAME_PARTICLES = frozenset({
    "al", "bin", "da", "de", "del", "della", "der", "di", "du", "el", "la", "le", "van", "von",
    "y"
})  # fmt: skip
_HONORIFICS = frozenset({
    "dr", "mr", "mrs", "ms", "mx", "prof", "rev", "jr", "sr", "phd", "md", "esq", "the", "of"
})  # fmt: skip
# Words no name is made of: a capitalised closing line ("Keep Up The Good Work") is no name.
_NOT_NAME_WORDS = frozenset({
    "the", "a", "an", "and", "or", "to", "for", "you", "your", "my", "our", "we", "i", "is",
    "are", "was", "this", "that", "it", "up", "good", "great", "work", "keep", "thank",
    "thanks", "please", "article", "piece", "letter", "editor", "editors", "regards", "best",
    "sincerely", "yours", "love", "cheers", "p.s", "ps", "sent", "from", "with", "on", "in",
    "at", "by", "not", "no", "yes", "all",
})  # fmt: skip
# Words a display name holds when it names a role, a household or no one.
_ROLE_WORDS = frozenset({
    "reader", "readers", "subscriber", "fan", "admin", "info", "office", "desk", "team",
    "family", "household", "letters", "news", "newsroom", "contact", "support", "user",
    "grandma", "grandpa", "mom", "dad", "mum", "granny", "auntie", "uncle", "anonymous",
    "concerned", "citizen", "resident", "neighbor", "neighbour", "manager", "the",
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
# Letters after a name, never a place: "M.D.", "Ph.D.", "Jr.", "RN", "OBE".
_POSTNOMINAL = re.compile(
    r"^(?:(?:[A-Z][a-z]?\.){1,4}|(?i:jr|sr|ii|iii|iv|md|rn|phd|esq|obe|mbe|cbe|qc|kc|cpa|mba)\.?)$"
)
_SENTENCE_END = re.compile(r"[.!?:][\"'\u201d\u2019)\]]*$")
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
    found = _split_at_dash_sign_off(lines)
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
        if (
            not is_private(line)
            and sender_name
            and resembles(line, sender_name)
            and is_name_like(name_part(line), min_words=1)
        ):
            before = _public(run[:offset])
            # A short line ending in a comma just above the name is a sign-off
            # in some language ("Mit freundlichen Grüßen,", "Cordialement,").
            if before and before[-1].endswith(","):
                before.pop()
            return body + before, _signature_lines(run[offset:])
    public = _public(run)
    # a signature is at most MAX_SIGNATURE_LINES: only the last lines can start one
    for offset in range(max(0, len(public) - MAX_SIGNATURE_LINES), len(public)):
        line = public[offset]
        if offset and not own_block and not _SENTENCE_END.search(public[offset - 1]):
            continue  # a name-like line inside the last sentence's wrapped lines
        rest = public[offset + 1 :]
        # A first name alone is a signature only with a town under it ("Jane / Ashby").
        fewest = 1 if rest and town_shaped(rest[-1]) else 2
        if not is_name_like(name_part(line), min_words=fewest) or len(rest) >= MAX_SIGNATURE_LINES:
            continue
        # The writer's own block under the letter, or a name with its town or
        # title glued under the last sentence.
        # A From name that is a person's and not this one leaves a lone
        # capitalised line ("Go Mets") to the letter.
        alone = own_block and offset == 0 and not looks_like_person(sender_name)
        if (
            alone
            or any(town_shaped(x) or is_title(x) for x in rest)
            or (town_shaped(line.partition(",")[2]))
        ):
            return body + public[:offset], _signature_lines(public[offset:])
    return body + public, None


def signature_from_sig_block(sig_block: list[str], sender_name: str) -> list[str]:
    """Take the name lines heading a ``-- `` block, when they name the sender."""
    run: list[str] = []
    for line in sig_block:
        if not line or not is_short(line):
            break
        run.append(line)
    public = _public(run)
    if public and (resembles(public[0], sender_name) or is_name_like(name_part(public[0]))):
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
    return last if town_shaped(last) else ""


def _split_at_dash_sign_off(lines: list[str]) -> tuple[list[str], list[str]] | None:
    """The letter's last line is "— Name, Town" or "-- Name": the signature in one line."""
    index = len(lines) - 1
    if index < 1:
        return None
    found = _DASH_SIGN_OFF.match(lines[index])
    if not found or not is_short(found["name"]):
        return None
    if not is_name_like(name_part(found["name"]), min_words=1):
        return None
    body = lines[:index]
    while body and not body[-1]:
        body.pop()
    return body, _signature_lines([found["name"]])


def _split_at_sign_off(lines: list[str]) -> tuple[list[str], list[str]] | None:
    for index in range(len(lines) - 1, max(-1, len(lines) - 1 - _MAX_TAIL_LINES), -1):
        line = lines[index]
        after = lines[index + 1 :]
        if not all(not rest or is_short(rest) for rest in after):
            return None
        if index == 0:
            return None  # a letter that is only a sign-off has no body to keep
        if is_closing(line):
            return lines[:index], _signature_lines(after)
        name = closing_and_name(line) or ""
        if name and is_name_like(name, min_words=1) and is_short(name):
            return lines[:index], _signature_lines([name, *after])
    return None


def _signature_lines(lines: list[str]) -> list[str]:
    public = [_POSTAL_CODE.sub("", line) for line in _public(lines)]
    if public:
        # "Marcus Lee, Oakland, CA" on one line prints as the name over the town.
        name, _, rest = public[0].partition(",")
        if town_shaped(rest.strip()):
            public[:1] = [name.strip(), rest.strip()]
    return public[:MAX_SIGNATURE_LINES]


def name_part(line: str) -> str:
    """The name in a line that may go on with a town or letters after it ("Ada Byron, Leeds")."""
    return line.partition(",")[0].strip()


def town_shaped(text: str) -> bool:
    """Whether *text* reads as a place: "Leeds", "Akron, Ohio", "Guelph, Ont.", "Bristol, UK".

    Judged by shape, not from a list: capitalised words, optionally a comma
    and a region in any of its forms ("Calif.", "CA", "California", "N.Y."),
    and no word that makes it a title, an organisation or letters after a name.
    """
    text = text.strip()
    if not text or len(text) > 60 or _POSTNOMINAL.match(text) or any(c.isdigit() for c in text):
        return False
    words = re.findall(r"[^\W\d_][\w.'’-]*", text)
    if not words or any(w.casefold().strip(".") in _NOT_A_PLACE for w in words):
        return False
    if _TOWN_AND_REGION.match(text):
        return True
    capitalised = all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words)
    return capitalised and len(words) <= 3


def is_title(line: str) -> bool:
    """Whether *line* is a title or an organisation ("Executive Director", "Riverside Tenants Union")."""
    words = re.findall(r"[^\W\d_][\w.'’-]*", line)
    return any(w.casefold().strip(".") in _NOT_A_PLACE for w in words)


def _public(lines: list[str]) -> list[str]:
    kept = (public_part(line) for line in lines if line)
    return [line for line in kept if line]


def public_part(line: str) -> str:
    """*line* without its contact details, or ``""`` when it holds nothing else.

    "Martin Cole, martin@example.com" keeps "Martin Cole"; "41 Linden Avenue,
    Springfield" keeps "Springfield"; "Tel. (607) 555-0148" keeps nothing.
    """
    if not is_private(line):
        return line
    parts = [part.strip() for part in _CONTACT_SEPARATOR.split(line)]
    kept = [part for part in parts if part and not is_private(part)]
    return ", ".join(kept) if len(kept) < len(parts) else ""


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
    words = [w.strip("\"'‘’“”()") for w in line.replace(",", " ").split()]
    words = [w for w in words if w]
    if not min_words <= len(words) <= 5 or not words[0][:1].isupper():
        return False
    if any(w.casefold().strip(".!") in _NOT_NAME_WORDS for w in words):
        return False
    return all(word[:1].isupper() or word.lower() in _NAME_PARTICLES for word in words)


def looks_like_person(display_name: str) -> bool:
    """Whether a From display name is a person's name fit for print.

    "Harriet Lindqvist" and "Dr. Samuel Adeyemi" are; "Reader", a nickname or
    a first name alone ("Mo", "Bob T"), a role ("Office Manager", "The Night
    Desk"), a household ("The Hendersons") and an address are not.
    """
    if not display_name or "@" in display_name or any(c.isdigit() for c in display_name):
        return False
    if not is_name_like(display_name) or is_title(display_name):
        return False
    words = [w.strip(".,").casefold() for w in display_name.split()]
    named = [w for w in words if len(w) > 1 and w not in _HONORIFICS and w not in _ROLE_WORDS]
    return len(named) >= 2 and not any(w in _ROLE_WORDS for w in words)


def _name_tokens(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return {t for t in re.findall(r"[^\W\d_]{2,}", folded) if t not in _HONORIFICS}


def resembles(line: str, name: str) -> bool:
    """Whether *line* shares a name word with *name* (accents and case aside)."""
    return bool(_name_tokens(line) & _name_tokens(name))
