"""Letter and response bodies made ready for print.

Turns the plain text of a reader's letter, as an email client sent it, into
the writer's paragraphs, their salutation and their signature block; turns an
author's reply into response paragraphs.  Hard-wrapped lines are joined,
mobile-client taglines and ``-- `` signatures dropped, and contact details
(phone numbers, email and street addresses) never reach a signature.

Pure: no I/O, no clock, no environment; text in, values out.
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
# No mail client wraps past RFC 5322's 78 characters; a longer line with
# spaces in it was typed that way, so the newline after it is the writer's.
_WRAP_LIMIT = 80
# Clients that wrap by bytes rather than characters make lines holding curly
# quotes look a few characters short; allow for that before calling a short
# line an intended break.
_WRAP_SLACK = 6

_SALUTATION_LINE = re.compile(
    r"""^(?:
        dear(?:\s+[^,:;!?\s]+){1,6}
      | to\s+the\s+editors?(?:\s+of\s+[^,:;!?]{1,40})?
      | (?:letters\s+)?editors?
      | sirs?|madam|sir\s+or\s+madam|dear\s+sir\s*/\s*madam
      | to\s+whom\s+it\s+may\s+concern
      | (?:hi|hello|greetings)(?:\s+[^,:;!?\s]+){0,3}
    )\s*[,:;.!\u2014-]?$""",
    re.IGNORECASE | re.VERBOSE,
)
# "Dear Editor: We are ..." on one line: only the well-known forms, so that
# "Editors often ..." or "Dear God, ..." in prose is never cut.
_SALUTATION_PREFIX = re.compile(
    r"^(?:dear\s+(?:the\s+)?editors?|to\s+the\s+editors?|editors?|dear\s+sirs?|sirs?)\s*[,:]\s+(?=\S)",
    re.IGNORECASE,
)
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
# Taglines mobile and webmail clients append on their own ("Sent from my
# iPhone", "Get Outlook for Android", "Sent with Proton Mail secure email").
# No commas: "Sent from my desk, is much easier" is a sentence, not a tagline.
_CLIENT_TAGLINE = re.compile(
    r"^(?:sent\s+(?:from|via|with|using)|get\s+outlook\s+for)\s[\w\s.\-]{1,50}[.!]?$",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[^\s@<>()]+@[^\s@<>()]+\.[^\W\d_]{2,}")
_URL = re.compile(r"(?:\bhttps?://|\bwww\.)\S+", re.IGNORECASE)
_PHONE = re.compile(r"\+?\(?\d[\d\s().\-/]{5,}\d")
_STREET = re.compile(
    r"""^\d{1,6}[a-z]?(?:[-/]\d{1,6}[a-z]?)?,?\s+\S                   # "221B Baker Street"
      | \b(?:p\.?\s?o\.?\s+box|apt|apartment|suite|ste|unit|flat)\b\.?\s*\#?\s*\d
      | \d.*\b(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct
               |place|pl|terrace|parkway|pkwy|highway|hwy|square|sq|way)\b\.?(?:$|[\s,])
    """,
    re.IGNORECASE | re.VERBOSE,
)
_ZIP_CODE = re.compile(r"\s+\d{5}(?:-\d{4})?$")
# A name line may end in "Jr." or "Ph.D." or "N.Y.", not in a sentence's full stop.
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z][a-z]{0,2}|(?:\b[A-Za-z]{1,2}\.){1,}[A-Za-z]{1,2})\.$")
_SENTENCE_END = re.compile(r"[.!?:][\"'\u201d\u2019)\]]*$")
_LIST_ITEM = re.compile(r"^(?:[-*\u2022]\s|\d{1,2}[.)]\s)")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_NAME_PARTICLES = frozenset(
    [
        "al",
        "bin",
        "da",
        "de",
        "del",
        "della",
        "der",
        "di",
        "du",
        "el",
        "la",
        "le",
        "van",
        "von",
        "y",
    ]
)
_HONORIFICS = frozenset(
    ["dr", "mr", "mrs", "ms", "mx", "prof", "rev", "jr", "sr", "phd", "md", "esq", "the", "of"]
)


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterBody:
    """A letter as it will be printed: paragraphs, signature lines, the salutation it had."""

    paragraphs: tuple[str, ...]  # one line each, hard wraps joined
    signature: tuple[str, ...]  # name / title / organisation / town, in order
    salutation: str = ""  # what the writer wrote, e.g. "To the editor,"; not in paragraphs


def prepare_letter(text: str, *, sender_name: str = "") -> LetterBody:
    """Split a letter into salutation, paragraphs and signature.

    *sender_name* (the From display name) confirms a signature that has no
    sign-off line above it, and is the signature when none is found.
    """
    lines, sig_block = _clean_lines(text)
    body, signature = _split_signature(lines, sender_name)
    if not signature:
        signature = _signature_from_sig_block(sig_block, sender_name)
    if not signature:
        signature = [sender_name.strip()] if sender_name.strip() else []
    salutation, body = _split_salutation(body)
    return LetterBody(
        paragraphs=tuple(_paragraphs(body)),
        signature=tuple(signature),
        salutation=salutation,
    )


def prepare_response(text: str, *, author_name: str = "") -> tuple[str, ...]:
    """Return an author's response as paragraphs, greeting and sign-off removed.

    The template prints "<author> responds:" itself, so a "Dear Editor," or a
    "Best, Michelle" around the response would read twice.
    """
    lines, _sig_block = _clean_lines(text)
    body, _signature = _split_signature(lines, author_name)
    _salutation, body = _split_salutation(body)
    return tuple(_paragraphs(body))


def _clean_lines(text: str) -> tuple[list[str], list[str]]:
    """Normalise whitespace; return the lines and the ``-- `` signature block cut off."""
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    sig_block: list[str] = []
    # RFC 3676 §4.3: "-- " alone on a line starts the signature; the last one wins.
    for index in range(len(raw_lines) - 1, -1, -1):
        if raw_lines[index].rstrip("\r") in ("-- ", "--"):
            sig_block = raw_lines[index + 1 :]
            raw_lines = raw_lines[:index]
            break

    def tidy(lines: list[str]) -> list[str]:
        cleaned = [" ".join(line.split()) for line in lines]
        cleaned = [line for line in cleaned if not _CLIENT_TAGLINE.match(line)]
        while cleaned and not cleaned[-1]:
            cleaned.pop()
        while cleaned and not cleaned[0]:
            cleaned.pop(0)
        return cleaned

    return tidy(raw_lines), tidy(sig_block)


def _split_signature(lines: list[str], sender_name: str) -> tuple[list[str], list[str] | None]:
    """Return the body lines and the signature lines, or ``None`` when there is none.

    Contact lines in the trailing block are dropped from the body either way.
    """
    found = _split_at_sign_off(lines)
    if found is not None:
        return found
    start = len(lines)
    while start > 0 and lines[start - 1] and _is_short(lines[start - 1]):
        start -= 1
    if start == 0:  # the whole letter is short lines: nothing to tell apart
        return lines, None
    run = lines[start:]
    body = lines[:start]
    own_block = not body[-1]
    for offset, line in enumerate(run):
        if not _is_private(line) and sender_name and _resembles(line, sender_name):
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
        and _is_name_like(public[0])
    ):
        return body, _signature_lines(run)
    return body + public, None


def _split_at_sign_off(lines: list[str]) -> tuple[list[str], list[str]] | None:
    for index in range(len(lines) - 1, max(-1, len(lines) - 1 - _MAX_TAIL_LINES), -1):
        line = lines[index]
        after = lines[index + 1 :]
        if not all(not rest or _is_short(rest) for rest in after):
            return None
        if index == 0:
            return None  # a letter that is only a sign-off has no body to keep
        if _SIGN_OFF.match(line):
            return lines[:index], _signature_lines(after)
        with_name = _SIGN_OFF_WITH_NAME.match(line)
        name = with_name["name"] if with_name else ""
        if name and _is_name_like(name, min_words=1) and _is_short(name):
            return lines[:index], _signature_lines([name, *after])
    return None


def _signature_from_sig_block(sig_block: list[str], sender_name: str) -> list[str]:
    """Take the name lines heading a ``-- `` block, when they name the sender."""
    run: list[str] = []
    for line in sig_block:
        if not line or not _is_short(line):
            break
        run.append(line)
    public = _public(run)
    if public and sender_name and _resembles(public[0], sender_name):
        return _signature_lines(run)
    return []


def _signature_lines(lines: list[str]) -> list[str]:
    public = [_ZIP_CODE.sub("", line) for line in _public(lines)]
    return public[:MAX_SIGNATURE_LINES]


def _public(lines: list[str]) -> list[str]:
    return [line for line in lines if line and not _is_private(line)]


def _is_private(line: str) -> bool:
    """Whether *line* is contact detail: never printed, never a signature line."""
    if _EMAIL.search(line) or _URL.search(line) or _STREET.search(line):
        return True
    return any(sum(c.isdigit() for c in m.group()) >= 7 for m in _PHONE.finditer(line))


def _is_short(line: str) -> bool:
    """Whether *line* could be a signature line: short, and not a sentence."""
    if len(line) > _SHORT_LINE_CHARS or len(line.split()) > _SHORT_LINE_WORDS:
        return False
    if _is_private(line):
        return True
    if re.search(r"[!?;]", line) or re.search(r"[.:]\s+[a-z]", line):
        return False
    return not line.endswith((".", ":")) or bool(_ABBREVIATION_END.search(line))


def _is_name_like(line: str, *, min_words: int = 2) -> bool:
    """Whether *line* looks like a person's name: a few capitalised words."""
    words = line.replace(",", " ").split()
    if not min_words <= len(words) <= 5 or not words[0][:1].isupper():
        return False
    return all(word[:1].isupper() or word.lower() in _NAME_PARTICLES for word in words)


def _name_tokens(text: str) -> set[str]:
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).casefold()
    return {t for t in re.findall(r"[^\W\d_]{2,}", folded) if t not in _HONORIFICS}


def _resembles(line: str, name: str) -> bool:
    return bool(_name_tokens(line) & _name_tokens(name))


def _split_salutation(lines: list[str]) -> tuple[str, list[str]]:
    if not lines:
        return "", lines
    first = lines[0]
    # A few words ending in a comma, alone above a blank line, greet someone in
    # any language ("Liebe Redaktion,", "Estimado editor,").
    greeting = first.endswith(",") and len(first.split()) <= 4 and len(lines) > 1 and not lines[1]
    if greeting or (_SALUTATION_LINE.match(first) and len(first) <= _SHORT_LINE_CHARS):
        rest = lines[1:]
        while rest and not rest[0]:
            rest.pop(0)
        return first, rest
    prefix = _SALUTATION_PREFIX.match(first)
    if prefix:
        return prefix.group().strip(), [first[prefix.end() :], *lines[1:]]
    return "", lines


def _paragraphs(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines into paragraphs; keep the writer's own breaks."""
    if any(len(line) > _WRAP_LIMIT and " " in line for line in lines):
        # Not wrapped by the client (webmail, HTML turned to text): every
        # newline is the writer's.
        return [line for line in lines if line]
    width = max((len(line) for line in lines if " " in line and not _URL.match(line)), default=0)
    paragraphs: list[str] = []
    current = ""
    for index, line in enumerate(lines):
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        if current and _LIST_ITEM.match(line):
            paragraphs.append(current)
            current = ""
        current = _join(current, line)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if following and _ends_paragraph(line, following, width):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def _join(current: str, line: str) -> str:
    if not current:
        return line
    # Clients break after an unspaced dash ("team—including"); a space there
    # would be new text.
    if re.search(r"\w[\u2014\u2013]$", current) and line[:1].isalnum():
        return current + line
    return f"{current} {line}"


def _ends_paragraph(line: str, following: str, width: int) -> bool:
    """Whether the newline after *line* is the writer's, not the client's wrapping."""
    if not _SENTENCE_END.search(line):
        return False
    # Wrapping is greedy: had the next word fitted, the client would have put
    # it on this line.
    next_word = following.split()[0]
    return len(line) + 1 + len(next_word) <= width - _WRAP_SLACK
