"""The reader's own words in a letter, and the words of titles they are compared with.

Owns normalising a title or a letter's text to comparable words (casefolded, accents
and punctuation gone, stop words and plural endings dropped) and the phrases a letter
puts in quotation marks; a letter's sentences, without its sign-off, its links or our
own mail quoted under it, and the words that say nothing of its topic.

Splitting a letter into sentences (a full stop after "St." or "Ms." ends none),
cutting the sign-off (the short closing lines of a name and a place), cutting our own
newsletter quoted under an Outlook header (``From:`` at the paper's domain, then
``Sent:``; not in a forward), and the words that say nothing of what a letter is
about, those any letter uses ("should", "every").  :mod:`intake.sorting.articles` weighs what is left against
the catalogue's titles.  Pure: no I/O; every pattern reads a bounded stretch or is
linear in the text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

PARAGRAPH_RE = re.compile(r"\n\s*\n")
_OPENING_MIN_WORDS = 6  # skips "Dear Editor:" to reach the first real paragraph
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])\s+|\n\s*\n")
# A full stop after these ends no sentence: "St. Agnes", "Ms. Alvarez", "Dr. Okafor".
_ABBREVIATIONS = frozenset(
    ["st", "mr", "mrs", "ms", "mx", "dr", "prof", "mt", "ft", "no", "jr", "sr", "rev", "gen"]
)
_LAST_WORD_RE = re.compile(r"(\w+)\.$")

# Outlook's header over the message a reply quotes, in the languages readers write in
_REPLY_HEADER_RE = re.compile(
    r"^[^\S\n]*(?:From|De|Von|Da|Van):(?P<sender>[^\n]{1,300})\n[^\S\n]*(?:Sent|Date|Envoyé|Gesendet|"
    r"Enviado|Inviato|Verzonden|Fecha|Datum|Data):",
    re.MULTILINE,
)
_FORWARD_SUBJECT_RE = re.compile(r"\s*(?:fwd?|tr|wg|rv|i)\s*:", re.IGNORECASE)
_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)  # a link is no words of the reader's
_SIGN_OFF_PARAGRAPHS = 2
_SIGN_OFF_LINES = 3
_SIGN_OFF_WORDS = 8

# Words any letter uses, whatever it is about: no sign of a title's topic when the whole
# letter's words are weighed against the titles ("a paper like yours should ask",
# "every day"), though a title may hold them.
EVERYDAY_TEXT = """
    also another any because before being both came come did each even ever every few
    first get got here however like made make many may might much must never often only
    other own same said see should since some still such then those though through too
    under until upon very well whether while yet think read day time way
"""
EVERYDAY = frozenset(EVERYDAY_TEXT.split())


def sentences(text: str) -> list[str]:
    """The sentences and paragraphs of *text*; a full stop after a title or an abbreviation
    ("St. Agnes", "Ms. Alvarez") ends none."""
    found: list[str] = []
    start = 0
    for end in _SENTENCE_END_RE.finditer(text):
        piece = text[start : end.start()]
        last = _LAST_WORD_RE.search(piece[-8:])
        if (
            last is not None
            and "\n" not in end.group(0)
            and last.group(1).lower() in _ABBREVIATIONS
        ):
            continue  # the next piece goes on this sentence
        found.append(piece)
        start = end.end()
    found.append(text[start:])
    return [s for s in found if s.strip()]


def without_sign_off(text: str) -> str:
    """Return *text* without its sign-off: the short closing paragraphs of a name, a
    place, "Sent from my iPhone" ("Mae Thornbury\nSouthside"), which name no article."""
    paragraphs = [p for p in PARAGRAPH_RE.split(text.rstrip()) if p.strip()]
    for _ in range(_SIGN_OFF_PARAGRAPHS):
        if len(paragraphs) < 2:
            break
        lines = paragraphs[-1].strip().splitlines()
        words = paragraphs[-1].split()
        if len(lines) > _SIGN_OFF_LINES or len(words) > _SIGN_OFF_WORDS:
            break
        if any(line.rstrip().endswith((".", "?", "!", ":")) for line in lines):
            break
        paragraphs.pop()
    return "\n\n".join(paragraphs)


def before_our_header(text: str, domains: frozenset[str]) -> str:
    """Return *text* up to the header block Outlook puts over our own message a reader
    answers ("From: The Courier <newsletter@…>" then "Sent: …"), with no separator line."""
    for found in _REPLY_HEADER_RE.finditer(text):
        sender = found.group("sender").lower()
        if any(f"@{domain}" in sender or f".{domain}" in sender for domain in domains):
            return text[: found.start()]
    return text


def domain_of(url: str) -> str:
    """The registered-looking part of an article URL's host: ``www.news.test`` -> ``news.test``."""
    host = url.partition("://")[2].partition("/")[0].partition(":")[0].lower()
    return host.removeprefix("www.")


def is_forward(subject: str) -> bool:
    """Whether *subject* says the message forwards another ("Fwd:", "FW:", "TR:", "WG:")."""
    return _FORWARD_SUBJECT_RE.match(subject) is not None


def without_links(text: str) -> str:
    """Return *text* with its links blanked: a link is no words of the reader's."""
    return _URL_RE.sub(" ", text)


# A phrase (or title) is specific enough to stand for an article when it has
# four words or twenty characters: "Gun Control" appears in prose by chance,
# "Is New York City Partnering With ICE…" does not.
PHRASE_MIN_WORDS = 4
PHRASE_MIN_CHARS = 20
_PHRASE_MAX_CHARS = 300

_QUOTE_RES = (
    re.compile(r"“([^“”]+?)”"),
    re.compile(r'"([^"]+?)"'),
    # A closing ’ followed by a letter is an apostrophe (“the Mayor’s plan”).
    re.compile(r"‘([^‘]+?)’(?![^\W_])"),
    # spaces inside are trimmed after the match: a "\s*" on each side made one « and
    # many spaces without a » quadratic
    re.compile(r"«([^«»]+)»"),
    re.compile(r"„([^„“”]+?)[“”]"),
)

_QUOTE_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_NON_WORD_RE = re.compile(r"[\W_]+")
# The combining-mark blocks NFKD splits accents into (é → e + U+0301).
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_STOP_WORDS_TEXT = """
    a about after against all an and are as at be been but by can could did do does for
    from had has have he her his how i if in into is it its just more most my new no not
    now of on one or our out over says she so than that the their them there these they
    this to up us was we were what when where which who why will with would you your
"""
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def normalise_title(title: str) -> str:
    """Return *title* casefolded, accents and punctuation removed, spaces collapsed.

    Apostrophes are dropped (``Mayor’s`` → ``mayors``); other punctuation
    and symbols become spaces, so ``de Blasio—and`` keeps two words.
    """
    text = title.translate(_QUOTE_FOLD).casefold().replace("'", "")
    if not text.isascii():
        text = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_NON_WORD_RE.sub(" ", text).split())


def is_specific(phrase: str) -> bool:
    """Whether *phrase* (or a title) is long enough to stand for an article."""
    return len(phrase.split()) >= PHRASE_MIN_WORDS or len(phrase) >= PHRASE_MIN_CHARS


def quoted_phrases(text: str) -> tuple[str, ...]:
    """Return the phrases of *text* in quotation marks that could be titles.

    Curly “double”, straight "double", curly ‘single’, «guillemet» and
    „low-high“ quotes count; a phrase may wrap over lines but not span a
    blank line, and must have 4+ words or 20+ characters.  De-duplicated by
    normalised title, in order of appearance.
    """
    found: list[tuple[int, str]] = []
    for pattern in _QUOTE_RES:
        for m in pattern.finditer(text):
            phrase = m.group(1)
            if len(phrase) > _PHRASE_MAX_CHARS or PARAGRAPH_RE.search(phrase):
                continue
            # US style puts the sentence's comma or full stop inside the quotes.
            phrase = " ".join(phrase.split()).rstrip(",.")
            if is_specific(phrase):
                found.append((m.start(), phrase))
    seen: dict[str, str] = {}
    for _, phrase in sorted(found):
        seen.setdefault(normalise_title(phrase), phrase)
    return tuple(seen.values())


def stem(word: str) -> str:
    """Return *word* without its plural ending."""
    # Plurals only: enough that "Communities" meets "community", "Budget" meets "budgets"
    # and "churches" "church", without a stemmer's surprises.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# Distinct words whose comparable form is kept: a letter's words recur in its next sentence,
# and the next letter's.
WORDS_CACHED = 16_384


@lru_cache(maxsize=WORDS_CACHED)
def _significant(word: str) -> str:
    """*word* without its plural ending, or "" for a stop word (no stem is empty)."""
    return "" if word in _STOP_WORDS else stem(word)


def significant_words(normalised: str) -> frozenset[str]:
    """The significant words of a normalised title or text, as a set."""
    return frozenset(title_words(normalised))


def title_words(normalised: str) -> list[str]:
    """The significant words of a normalised title or sentence, in order."""
    return [word for word in map(_significant, normalised.split()) if word]


def opening(text: str) -> str:
    """Return the first paragraph of *text* long enough to be more than a greeting."""
    for paragraph in PARAGRAPH_RE.split(text):
        if len(paragraph.split()) >= _OPENING_MIN_WORDS:
            return paragraph
    return ""
