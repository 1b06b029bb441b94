"""Score the text of a human message: a letter to the editor, or something else.

Owns the content signals the classifier uses once a message is known not to be
machine mail: what points to a letter (a salutation to the editor, a published
article referred to or dated, a first-person argument, a signed name and town,
a letter's length) and what points elsewhere (press releases, service
requests, pitches and mail to a section editor, forwards).  Each signal carries a weight and a sentence an editor can read.
Pure: no I/O, no clock.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from intake.mail.closings import is_closing
from intake.sorting.asks import asks_of
from intake.sorting.datecues import date_cues
from intake.sorting.needles import Gated, folded
from intake.sorting.owntext import own_text

_I = re.IGNORECASE
_IM = re.IGNORECASE | re.MULTILINE

_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+", _I)


def word_count(text: str) -> int:
    """Return the number of words in *text*, links not counted."""
    return len(_WORD_RE.findall(_URL_RE.sub(" ", text)))


@dataclass(frozen=True, slots=True, kw_only=True)
class ContentScore:
    """Evidence for and against "this is a letter to the editor"."""

    letter: float
    substance: float  # the part of ``letter`` that is not length or signature
    other: float
    letter_reasons: tuple[str, ...]  # evidence for a letter
    other_reasons: tuple[str, ...]  # evidence for something else
    against_reasons: tuple[str, ...]  # why it is not a letter, without saying what it is
    words: int
    asks: float = 0.0  # what it asks the paper for or sells (:mod:`intake.sorting.asks`)


@dataclass(frozen=True, slots=True)
class _Signal:
    weight: float
    reason: str
    pattern: Gated  # searched only where the words it needs are (intake.sorting.needles)


def _sig(weight: float, reason: str, pattern: str, flags: int = _I) -> _Signal:
    return _Signal(weight, reason, Gated.of(re.compile(pattern, flags)))


_SALUTATION = re.compile(
    r"^\W*(?:dear\s+(?:sir\s+or\s+madam|sirs?|madam|(?:the\s+)?(?:letters?\s+)?editors?|"
    r"(?:[\w.’'-]+\s+){1,3}(?:letters?\s+)?editors?)|to\s+the\s+(?:letters?\s+)?editors?|"
    r"(?:letters?\s+)?editor\s*[:,]|sirs?\s*[,:—–-]|madam\s*[,:—–-]|"
    r"(?:hello|hi|attn:?|attention:?)\s+(?:letters?\s+)?editors?|"
    # Spanish, French, Portuguese, Italian, German: a letter in the reader's language
    r"estimad[oa]s?\s+(?:se[nñ]or\s+)?(?:editor|director|redacci[oó]n)|se[nñ]or\s+(?:editor|"
    r"director)|madame,?\s+monsieur|monsieur\s+le\s+r[ée]dacteur|cher\s+r[ée]dacteur|"
    r"car[oa]\s+(?:editor|redator|direttore|reda[cç][aã]o)|sehr\s+geehrte\s+redaktion|"
    r"liebe\s+redaktion)(?!\w)",
    _I,
)
# "Dear Opinion Editor", "Dear Books Editor": a pitch goes to a section's editor;
# a letter goes to the editor, or to the letters editor.
_SECTION_EDITOR = re.compile(
    r"^\W*(?:dear|hello|hi|to\s+the)\s+(?:opinion|op-?ed|books?|features?|news|city|metro|"
    r"business|sports?|arts|culture|travel|food|science|health|assignment|commissioning|"
    r"section|magazine|desk)\s+(?:page\s+|section\s+)?editors?\b",
    _I,
)
# What may stand around a closing line: "— Sincerely —", "*Regards*".
_CLOSING_EDGES = " \t-—–~*_.,!:;>"
# A signed name: two to four capitalised words, an optional title, and
# optionally ", Town" on the same line (the way letters pages print them).
_NAME = re.compile(
    r"^\W*(?:(?:dr|prof|mr|mrs|ms|rev|sir|dame)\.?\s+)?"
    r"[A-ZÀ-Þ][\w’'.-]*(?:\s+[A-ZÀ-Þ][\w’'.-]*){1,3}(?P<town>\s*,\s*[A-ZÀ-Þ][\w .’'-]{1,40})?\s*$"
)
_NOT_A_NAME = re.compile(
    r"\b(?:regards|wishes|sincerely|faithfully|thanks|media|press|contact|release|"
    r"editor|newsroom|office|ends)\b",
    _I,
)

_ARTICLE_SIGNALS = (
    _sig(
        2.0,
        "refers to a published piece",
        r"\byour\s+(?:[\w-]+\s+){0,2}?(?:article|editorial|leader|report|reporting|story|"
        r"column|piece|coverage|op-?ed|feature|investigation|headline|cartoon|obituary|"
        r"review|interview|editorial board)\b|"
        r"\b(?:su|vuestro)\s+(?:art[ií]culo|editorial|columna|nota|reportaje)\b|"
        r"\bvotre\s+(?:article|[ée]ditorial|chronique|reportage)\b|"
        r"\b(?:seu|vosso)\s+artigo\b|\ba\s+reportagem\b|\bihr(?:e[nm]?)?\s+(?:artikel|"
        r"kommentar|bericht)\b|\b[\w-]+s\s+kolumne\b",
    ),
    _sig(
        1.5,
        "names a piece",
        r"\b(?:the|an?|this|that)\s+(?:recent\s+)?(?:article|editorial|column|op-?ed|piece|"
        r"report|story)\s+(?:by|about|on|titled|headlined|entitled|in\s+your)\b|"
        r"\b(?-i:[A-Z])[\w-]+[’']s\s+(?:[\w-]+\s+)?(?:article|column|editorial|piece|story|"
        r"review|op-?ed|letter)\b",
    ),
    _sig(
        1.5,
        "cites an issue of the paper",
        r"\bin\s+(?:your|the|last|this)\s+(?:[\w,]+\s+){0,3}?(?:issue|edition)\b|"
        r"\b(?:in|on)\s+your\s+(?:paper|newspaper|pages|website|letters\s+page)\b|"
        r"\b(?:published|printed)\s+(?:in\s+your|on|last|in\s+the)\b|\bran\s+(?:in\s+your|last)\b",
    ),
    _sig(
        1.0,
        "quotes a title",
        r"[\"“«]\s*[A-Z][^\"”»\n]{8,120}[\"”»]|(?<![\w’'])[‘'][A-Z][^‘’'\n]{8,120}[’'](?![\w’'])",
        0,
    ),
)
_OPINION_SIGNALS = (
    _sig(
        1.5,
        "argues in the first person",
        r"\b(?:i|we)\s+(?:\w+ly\s+|must\s+|have\s+to\s+|cannot\s+|can't\s+|can’t\s+|could\s+not\s+)?"
        r"(?:disagree|agree|object|protest|take\s+issue|applaud|commend|urge|doubt|"
        r"reject|welcome|oppose|believe|feel|think|question)\b",
    ),
    _sig(
        1.5,
        "says how the piece left the writer",
        r"\b(?:i|we)\s+(?:was|were|am|are|'m|’m)\s+(?:\w+ly\s+)?(?:disappointed|appalled|"
        r"dismayed|shocked|outraged|saddened|delighted|pleased|heartened|surprised|troubled|"
        r"concerned|disturbed|angered|astonished|amazed|disgusted|grateful|encouraged|"
        r"alarmed|baffled|incensed|horrified|struck|tired)\b",
    ),
    _sig(
        1.0,
        "speaks as a reader or resident",
        r"\bas\s+an?\s+(?:\w+[\s-]+){0,2}?(?:reader|subscriber|resident|taxpayer|parent|"
        r"teacher|nurse|doctor|citizen|voter|member|veteran|retiree)\b|"
        r"\bin\s+my\s+(?:opinion|view|experience)\b",
    ),
)
_LETTER_MENTION = _sig(
    2.0,
    "calls itself a letter",
    r"\bletters?\s+to\s+the\s+editor\b|\bletters?\s+(?:page|section|column)\b|"
    r"\b(?:publish|print|run|consider)\s+(?:this|my)\s+letter\b|\bmy\s+letter\b",
)
_SUBJECT_HINT = _sig(
    1.0,
    "the subject answers a piece",
    r"\bletter\b|\bresponse\s+to\b|\bin\s+response\b|\byour\s+(?:article|editorial|story|column)\b",
)

_OTHER_SIGNALS = (
    # Press releases: the conventions of the wire services.
    _sig(4.0, "press release", r"\bfor\s+immediate\s+release\b"),
    _sig(3.0, "press release embargo", r"\bembargoed\s+(?:until|till|for)\b"),
    _sig(
        2.0,
        "press release end mark",
        r"^[^\S\n]*(?:#{3}|-[^\S\n]*ends[^\S\n]*-|ends)[^\S\n]*$",
        _IM,
    ),
    _sig(
        2.0,
        "press release contact block",
        r"\b(?:media|press)\s+(?:contacts?|enquiries|inquiries)\b",
    ),
    _sig(
        2.0,
        "press release boilerplate",
        r"^[^\S\n]*About[^\S\n]+[A-Z][\w&.,’'-]*(?:[^\S\n]+[A-Z&][\w&.,’'-]*){0,4}[^\S\n]*:?[^\S\n]*$",
        re.MULTILINE,
    ),
    _sig(
        3.0, "wire-service press release", r"\b(?:pr\s?newswire|business\s+wire|globe\s?newswire)\b"
    ),
    _sig(1.5, "mentions a press release", r"\bpress\s+release\b|\bnews\s+release\b"),
    _sig(
        2.0,
        "press release dateline",
        r"\A\W*(?-i:[A-Z][A-Z .]{2,30}),\s+(?:\w{3,9}\.?\s+\d{1,2}(?:,\s+\d{4})?\s+)?[-–—]",
    ),
    _sig(
        1.5,
        "quotes a spokesperson in the third person",
        r"[,.!?][\"”]\s+(?:said|says)\s+(?:\w+\s+){0,4}?(?:president|director|spokes\w+|chair\w*|"
        r"ceo|founder|manager|executive|secretary)\b",
    ),
    # Service requests for the circulation or billing desk.
    _sig(
        1.0,
        "service request",
        r"\b(?:cancel|renew|suspend|pause|stop|restart|upgrade|transfer)\s+(?:my|our|the)\s+"
        r"(?:\w+\s+)?(?:subscription|delivery|paper|account|membership)\b",
    ),
    _sig(
        1.5,
        "service request",
        r"\b(?:my|our)\s+(?:subscription|account|delivery|paper|newspaper|bill|invoice|order|"
        r"payment|renewal|direct\s+debit|login|password|e-?edition)\b",
    ),
    _sig(
        1.5,
        "service request (billing)",
        r"\b(?:subscriber|subscription|account|customer|order)\s+(?:number|no\.?|id|#)|"
        r"\binvoice\b|\bbilling\b|\brefund\b|\bcharged\s+(?:twice|me|my|us)\b|\bcredit\s+card\b",
    ),
    _sig(
        1.0,
        "service request (missing delivery)",
        r"\b(?:didn'?t|didn’t|did\s+not|hasn'?t|hasn’t|has\s+not|haven'?t|haven’t|never)\s+"
        r"(?:\w+\s+)?(?:arrive[sd]?|been\s+delivered|come|came)\b",
    ),
    _sig(1.0, "service request (log-in)", r"\blog[\s-]?in\b|\bpassword\b|\bpaywall\b"),
    _sig(
        2.0,
        "service request (unsubscribe)",
        r"\bunsubscribe\s+me\b|\bremove\s+me\s+from\b|\bstop\s+(?:sending|emailing)\b",
    ),
    _sig(1.0, "service request", r"\bcustomer\s+(?:service|support)\b"),
    # Pitches and op-ed submissions: for the opinion or features desk.
    _sig(
        2.0,
        "pitch",
        r"\b(?:a|my|this|our)\s+pitch\b|\bpitching\b|\bto\s+pitch\b|\bstory\s+(?:ideas?|"
        r"proposals?)\b|^pitch\s*:",
    ),
    _sig(
        2.0,
        "op-ed or guest-post submission",
        r"\b(?:my|an|this|our|attached|the\s+attached)\s+op-?ed\b|\bop-?ed\s+(?:submission|"
        r"proposal)\b|\bguest\s+(?:post|column|article|essay)\b",
    ),
    _sig(2.0, "freelance offer", r"\bfreelanc(?:e|er|ing)\b"),
    _sig(1.5, "gives a word count", r"\bword\s+count\b|\b\d{3,4}[\s-]words?\b"),
    _sig(
        2.0,
        "asks whether we would publish a piece",
        r"\bwould\s+you\s+be\s+interested\s+in\s+(?:publishing|running|an?|my|this)\b|"
        r"\b(?:i|we)(?:'d|’d|\s+would)\s+like\s+to\s+(?:pitch|propose|offer|submit)\s+"
        r"(?:an?|my|this|our|the(?:\s+attached)?)\s+(?:[\w-]+\s+)?(?:article|piece|op-?ed|essay|"
        r"column|story|feature|review|profile)\b",
    ),
    _sig(1.0, "submits a piece for consideration", r"\bfor\s+your\s+consideration\b"),
    # Forwards: somebody passing on somebody else's mail.
    _sig(
        3.0,
        "forwarded message",
        r"^[^\S\n]*-{3,}[^\S\n]*forwarded\s+message[^\S\n]*-{3,}|^[^\S\n]*begin\s+forwarded\s+message:",
        _IM,
    ),
    _sig(1.0, "carries an earlier message", r"-{3,}\s*original\s+message\s*-{3,}"),
)
_FORWARD_SUBJECT = _sig(2.5, "forwarded (subject)", r"^\s*(?:fwd?|fw|wg|tr|rv)\s*:")

_MIN_WORDS, _SHORT_WORDS, _LETTER_WORDS, _LONG_WORDS = 30, 60, 80, 600


def _first_lines(text: str, count: int) -> list[str]:
    return [line for line in text.splitlines() if line.strip()][:count]


def _last_lines(text: str, count: int) -> list[str]:
    return [line for line in text.splitlines() if line.strip()][-count:]


def _sign_off(text: str) -> tuple[float, list[str]]:
    tail = _last_lines(text, 8)
    score, reasons = 0.0, []
    closing = next((line for line in tail if is_closing(line.strip(_CLOSING_EDGES))), None)
    if closing is not None:
        score += 1.0
        reasons.append(f"closes with {quote(closing)}")
    for index, line in enumerate(tail[-5:]):
        named = _NAME.match(line.strip())
        if not named or _NOT_A_NAME.search(line) or len(line) > 70:
            continue
        score += 1.0
        following = tail[-5:][index + 1 : index + 2]
        has_town = bool(named.group("town")) or bool(
            following and _NAME.match(following[0].strip())
        )
        if has_town:
            score += 0.5
        signed = f"{line} / {following[0]}" if following and not named.group("town") else line
        reasons.append(f"signed {quote(signed)}")
        break
    return min(score, 2.0), reasons


def _length(words: int) -> tuple[float, str]:
    if words < _MIN_WORDS:
        return -3.0, f"only {words} words: too short for a letter"
    if words < _SHORT_WORDS:
        return -1.0, f"{words} words: short for a letter"
    if words < _LETTER_WORDS:
        return 0.0, ""
    if words <= _LONG_WORDS:
        return 1.0, f"{words} words: a letter's length"
    return -0.5, f"{words} words: longer than most letters"


def quote(text: str, limit: int = 40) -> str:
    """Return *text* on one line, cut to *limit* characters, in single quotes."""
    flat = " ".join(text.split())
    return f"'{flat[:limit]}…'" if len(flat) > limit else f"'{flat}'"


def _sum_signals(
    signals: tuple[_Signal, ...], text: str, lowered: str, cap: float
) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    for signal in signals:
        found = signal.pattern.search(text, lowered)
        if found:
            score += signal.weight
            reasons.append(f"{signal.reason}: {quote(found.group(0))}")
    return min(score, cap), reasons


# The classifier weighs one message's text up to three times (an auto-reply's or a list's
# signs overruled by a letter's, then its content): remember the last few results (pure
# function, frozen result).
@functools.lru_cache(maxsize=16)
def score_content(subject: str, text: str) -> ContentScore:
    """Weigh the evidence that a message with *subject* and body *text* is a letter."""
    mine = own_text(text)
    mine_lowered, text_lowered, subject_lowered = folded(mine), folded(text), folded(subject)
    words = word_count(mine)
    letter = 0.0
    letter_reasons: list[str] = []

    opening = _first_lines(mine, 4)
    section = next((line for line in opening if _SECTION_EDITOR.match(line)), None)
    salutation = next((line for line in opening if _SALUTATION.match(line)), None)
    if salutation is not None and section is None:
        letter += 3.0
        letter_reasons.append(f"opens with {quote(salutation)}")
    article, reasons = _sum_signals(_ARTICLE_SIGNALS, mine, mine_lowered, cap=3.0)
    dated = date_cues(mine)
    if dated and article < 3.0:
        # "your article of 13 August", "in your 2 September issue"
        article = min(3.0, article + 1.0)
        reasons.append(f"gives the date of a piece: {quote(dated[0].text)}")
    letter += article
    letter_reasons += reasons
    opinion, reasons = _sum_signals(_OPINION_SIGNALS, mine, mine_lowered, cap=2.5)
    letter += opinion
    letter_reasons += reasons
    for signal, haystack, lowered in (
        (_LETTER_MENTION, mine, mine_lowered),
        (_SUBJECT_HINT, subject, subject_lowered),
    ):
        weight, reasons = _sum_signals((signal,), haystack, lowered, cap=signal.weight)
        letter += weight
        letter_reasons += reasons
    substance = letter
    sign_off, reasons = _sign_off(mine)
    letter += sign_off
    letter_reasons += reasons
    length, reason = _length(words)
    letter += length
    against_reasons = [reason] if length < 0 else []
    if length > 0:
        letter_reasons.append(reason)

    # Other-markers look at the whole text: a forward's marker is exactly what
    # own_text cuts away.
    other, other_reasons = _sum_signals(_OTHER_SIGNALS, text, text_lowered, cap=8.0)
    if section is not None:
        other += 2.0
        other_reasons.append(f"addressed to a section editor (a pitch): {quote(section)}")
    forwarded, reasons = _sum_signals(
        (_FORWARD_SUBJECT,), subject, subject_lowered, cap=_FORWARD_SUBJECT.weight
    )
    other += forwarded
    other_reasons += reasons
    asks, asked = asks_of(mine)  # a job, a link, delivery, coverage … : never a letter
    other += asks
    other_reasons += asked
    return ContentScore(
        letter=letter,
        substance=substance,
        other=other,
        letter_reasons=tuple(letter_reasons),
        other_reasons=tuple(other_reasons),
        against_reasons=tuple(against_reasons),
        words=words,
        asks=asks,
    )
