"""Letter and response bodies made ready for print.

Turns the plain text of a reader's letter, as an email client sent it, into
the writer's paragraphs, their salutation, their signature block and the
contact details they gave; turns an author's reply into response paragraphs.
Quoted mail, disclaimers, tracking and web-page junk go first
(:mod:`intake.printing.boilerplate`); then hard-wrapped lines are joined, mobile-client
taglines and ``-- `` signatures dropped, the signature found
(:mod:`intake.printing.signature`), and sentences giving an email address or a phone
number left out, so that contact details never reach print.

Everything here only removes or joins: the printed words are the writer's
words, in the writer's order.  Pure: no I/O, no clock, no environment.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from intake.printing.boilerplate import clean_letter_text
from intake.printing.signature import (
    EMAIL,
    URL,
    ContactDetails,
    contact_details,
    is_private,
    is_short,
    looks_like_person,
    signature_from_sig_block,
    split_signature,
    town_of,
)

# No client wraps mail narrower than this: shorter lines are the writer's own.
_MIN_WRAP = 45
# Lines this close to the longest are the ones a client's wrap would have ended...
_LONG_LINE_SHARE = 0.8
# ...and when this share of them end a sentence, the writer ended them.
_WRITERS_LINES_SHARE = 0.75

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
# Taglines mobile and webmail clients append on their own ("Sent from my
# iPhone", "Get Outlook for Android", "Sent with Proton Mail secure email").
# No commas: "Sent from my desk, is much easier" is a sentence, not a tagline.
_CLIENT_TAGLINE = re.compile(
    r"^(?:sent\s+(?:from|via|with|using)|get\s+outlook\s+for)\s[\w\s.\-]{1,50}[.!]?$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?:][\"'\u201d\u2019)\]]*$")
_LIST_ITEM = re.compile(r"^(?:[-*\u2022]\s|\d{1,2}[.)]\s)")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# In prose only unmistakable phone numbers count ("(212) 555-0147", "+44 20 7946 0958"),
# so that "1990-2000" or "$14,000" never loses a sentence.
_PROSE_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)\s?|\d{2,5}[\s.-])\d{3,4}[\s.-]?\d{3,4}(?![\w-])"
)
# "My address is 41 Linden Avenue." / "I live at 12 High Street.": the writer's own address.
_OWN_ADDRESS = re.compile(
    r"\b(?:my|our)\s+(?:home\s+|postal\s+|street\s+|mailing\s+)?address\b|\bI\s+live\s+at\s+\d",
    re.IGNORECASE,
)
_LETTERHEAD_LINES = 6
_CONTACT_LINE_CHARS = 80
_SENTENCE_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019)\]]))\s+(?=\S)")


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterBody:
    """A letter as it will be printed: paragraphs, signature lines, the salutation it had."""

    paragraphs: tuple[str, ...]  # one line each, hard wraps joined
    signature: tuple[str, ...]  # name / title / organisation / town, in order
    salutation: str = ""  # what the writer wrote, e.g. "To the editor,"; not in paragraphs
    town: str = ""  # the signature's town line, if it has one
    contact: ContactDetails = field(default_factory=ContactDetails)  # never printed

    @property
    def name(self) -> str:
        """The name to print: the signature's first line; ``""`` when there is none."""
        return self.signature[0] if self.signature else ""


# The same letter is prepared for campaign checks, the letters policy and print fields
# while it is taken: remember the last few results (pure function, frozen result).
@functools.lru_cache(maxsize=16)
def prepare_letter(text: str, *, sender_name: str = "") -> LetterBody:
    """Split a letter into salutation, paragraphs and signature.

    *sender_name* (the From display name) confirms a signature that has no
    sign-off line above it, and is the signature when none is found.
    """
    return _prepare_cleaned(clean_letter_text(_normalise(text)), sender_name)


# The print fields read the whole letter, the policy and campaign checks its own words (no
# quote): different texts that most often clean to the same, and all that follows depends on
# nothing else.
@functools.lru_cache(maxsize=16)
def _prepare_cleaned(cleaned: str, sender_name: str) -> LetterBody:
    """:func:`prepare_letter` for a letter's *cleaned* text (:func:`clean_letter_text`)."""
    lines, sig_block = _clean_lines(cleaned)
    letterhead, lines = _split_letterhead(lines)
    contact = contact_details(letterhead + _tail(lines) + sig_block)
    body, signature = split_signature(lines, sender_name)
    if not signature:
        signature = signature_from_sig_block(sig_block, sender_name)
    if not signature and looks_like_person(sender_name.strip()):
        signature = [sender_name.strip()]
    salutation, body = _split_salutation(body)
    return LetterBody(
        paragraphs=tuple(without_contact(_paragraphs(body))),
        signature=tuple(signature),
        salutation=salutation,
        town=town_of(signature),
        contact=contact,
    )


def prepare_response(text: str, *, author_name: str = "") -> tuple[str, ...]:
    """Return an author's response as paragraphs, greeting and sign-off removed.

    The template prints "<author> responds:" itself, so a "Dear Editor," or a
    "Best, Michelle" around the response would read twice.
    """
    lines, _sig_block = _clean_lines(clean_letter_text(_normalise(text)))
    body, _signature = split_signature(lines, author_name)
    _salutation, body = _split_salutation(body)
    return tuple(without_contact(_paragraphs(body)))


def without_contact(paragraphs: list[str] | tuple[str, ...]) -> list[str]:
    """Drop every sentence that gives an email address, a phone number or the writer's address.

    A paragraph that is only a contact line ("41 Linden Avenue, Springfield",
    "Phone: 217 555 0190") goes whole, wherever it stands in the letter.
    """
    kept: list[str] = []
    for paragraph in paragraphs:
        if _is_contact_line(paragraph):
            continue
        sentences = _SENTENCE_SPLIT.split(paragraph)
        public = [s for s in sentences if not _gives_contact(s)]
        if public:
            kept.append(" ".join(public))
    return kept


def _is_contact_line(line: str) -> bool:
    """A line that only gives contact details: short, private, and no sentence."""
    return len(line) <= _CONTACT_LINE_CHARS and is_private(line) and not _SENTENCE_END.search(line)


def _gives_contact(sentence: str) -> bool:
    if EMAIL.search(sentence) or _PROSE_PHONE.search(sentence):
        return True
    return bool(_OWN_ADDRESS.search(sentence)) and any(c.isdigit() for c in sentence)


def _split_letterhead(lines: list[str]) -> tuple[list[str], list[str]]:
    """Cut the name-and-address block some writers put above the letter, as on paper."""
    end = lines.index("") if "" in lines else len(lines)
    head = lines[:end]
    if end == len(lines) or not 2 <= len(head) <= _LETTERHEAD_LINES:
        return [], lines
    # name, street, town, phone: short lines, no sentence among them, one a contact line
    if any(_SENTENCE_END.search(line) and not is_private(line) for line in head):
        return [], lines
    if not all(map(is_short, head)) or not any(map(_is_contact_line, head)):
        return [], lines
    rest = lines[end:]
    while rest and not rest[0]:
        rest.pop(0)
    return head, rest


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)


def _clean_lines(text: str) -> tuple[list[str], list[str]]:
    """Normalise whitespace; return the lines and the ``-- `` signature block cut off."""
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


def _tail(lines: list[str]) -> list[str]:
    """The trailing run of short lines (and blank lines): where a signature lives."""
    start = len(lines)
    while start > 0 and (not lines[start - 1] or is_short(lines[start - 1])):
        start -= 1
    return lines[start:]


def _split_salutation(lines: list[str]) -> tuple[str, list[str]]:
    if not lines:
        return "", lines
    first = lines[0]
    # A few words ending in a comma, alone above a blank line, greet someone in
    # any language ("Liebe Redaktion,", "Estimado editor,").
    greeting = first.endswith(",") and len(first.split()) <= 4 and len(lines) > 1 and not lines[1]
    if greeting or (_SALUTATION_LINE.match(first) and len(first) <= 60):
        rest = lines[1:]
        while rest and not rest[0]:
            rest.pop(0)
        return first, rest
    prefix = _SALUTATION_PREFIX.match(first)
    if prefix:
        return prefix.group().strip(), [first[prefix.end() :], *lines[1:]]
    return "", lines


def _paragraphs(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines into paragraphs; keep the writer's own breaks.

    A client wraps greedily at some width: a line ends where the next word
    would not have fitted.  The width is the longest line that another line
    follows; a line after which the next word would still have fitted was
    ended by the writer (a list, verse, an address, a short paragraph).
    """
    width = _wrap_width(lines)
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
        if following and not _wrapped(line, following, width):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def _wrap_width(lines: list[str]) -> int:
    """The column the writer's client wrapped at, or 0 when every newline is the writer's."""
    # Lines another line follows, measured without URLs (a client never breaks
    # inside one); a line without a space could not have been wrapped shorter.
    followed = [
        URL.sub("", line).rstrip()
        for line, after in itertools.pairwise(lines)
        if line and after and " " in line and not _LIST_ITEM.match(after)
    ]
    width = max((len(line) for line in followed), default=0)
    if width < _MIN_WRAP:
        return 0
    # A client's wrap seldom falls at a sentence's end; a writer's newline
    # nearly always does.  When the longest lines all end sentences, they
    # are the writer's paragraphs, one per line (webmail, HTML turned to text).
    long_lines = [line for line in followed if len(line) >= width * _LONG_LINE_SHARE]
    ending = sum(bool(_SENTENCE_END.search(line)) for line in long_lines)
    if ending >= len(long_lines) * _WRITERS_LINES_SHARE:
        return 0
    return width


def _wrapped(line: str, following: str, width: int) -> bool:
    """Whether the newline after *line* is the client's: the next word would not have fitted."""
    if _LIST_ITEM.match(following):
        return False
    next_word = following.split()[0]
    if URL.search(line):
        # A link cannot be broken, so it pushes the words after it down a
        # line: judged at its full length against any width a client uses.
        return len(line) + 1 + len(next_word) > max(width, _MIN_WRAP)
    if not width:
        # Nothing to measure by; a link too long for any line still pushed
        # itself down from a sentence that goes on.
        return bool(URL.match(next_word)) and not _SENTENCE_END.search(line)
    # Clients that count bytes rather than characters wrap lines holding
    # accents or curly quotes that many characters early.
    extra = len(line.encode()) - len(line)
    return len(line) + 1 + len(next_word) + extra > width


def _join(current: str, line: str) -> str:
    if not current:
        return line
    # Clients break after an unspaced dash ("team—including"); a space there
    # would be new text.
    if re.search(r"\w[\u2014\u2013]$", current) and line[:1].isalnum():
        return current + line
    return f"{current} {line}"
