"""The article catalogue and finding the article a letter answers.

Owns URL and title normalisation, pulling links and quoted phrases out of a
letter, and :class:`Catalogue`: an immutable, indexed snapshot of the
publication's articles that ranks which of them a letter is about, by link,
quoted or named title, fuzzy title (:mod:`intake.sorting.fuzzytitles`), the title
whose rare words the whole letter holds (in any language: names and numbers), the
date the letter gives for the piece (:mod:`intake.sorting.datecues`), the reporter
named (:mod:`intake.sorting.bylines`) and, in a reply to our newsletter, the quoted
item the reader's own words discuss.  A piece published after the letter was
written is none of these, unless linked or quoted.  Where a letter goes with the ranking is
:mod:`intake.sorting.routing`'s.

No I/O: the catalogue is built from :class:`intake.domain.model.Article` values that
``intake.adapters.catalogue`` loads.  In particular, shortened links
(bit.ly, t.co, ow.ly …) are **not** resolved: that needs the network, and the
core never touches it.  A letter that cites its article only through a
shortener is matched by its title, or not at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from intake.domain.model import Article, ArticleMatch
from intake.domain.subjects import strip_prefixes
from intake.mail.links import links_in, normalise_url
from intake.sorting.bylines import Bylines
from intake.sorting.datecues import DateCue, date_cues
from intake.sorting.fuzzytitles import MIN_TITLE_WORDS, FuzzyTitles, alike
from intake.sorting.languages import language_of
from intake.sorting.letterscore import own_text

MAX_MATCHES = 5

# Scores, best evidence first.  A link is the letter writer pointing at the
# article; a quoted title is nearly as good; a title merely named in running
# text or in the subject is slightly weaker; word overlap is only a hint.
SCORE_LINK = 1.0
SCORE_QUOTED_TITLE = 0.95
SCORE_NAMED_TITLE = 0.9
SCORE_WORD_OVERLAP = 0.6
# The date a letter gives ("your article of 13 August") adds to other
# evidence; on its own it only nominates the few articles of that day.
SCORE_DATE_BOOST = 0.1
SCORE_DATE_ONLY = 0.5
SCORE_DATE_AND_WORDS = 0.8  # that day's one piece sharing 2+ title words with the letter
DATE_ONLY_MAX_ARTICLES = 3
# A link only in the message the reader quotes (our newsletter): a candidate; the item
# whose title words the reader's own words share, alone of them, is the one discussed.
SCORE_QUOTED_LINK = 0.6
SCORE_QUOTED_ITEM = 0.9
_BOOST_CAP = 0.97  # a boost never makes other evidence as good as a link

# A match scoring less than this is no match: the letter goes to the editors.
MATCH_AT_LEAST = 0.8
# The reader's own words, all of them, weighed by how few titles use each (inverse
# document frequency): the title holding most of that weight, well ahead of any
# other, is the one discussed ("I was sorry to read that Margaret Ashby has died
# at 91" shares its rare words with one title only).  Only a candidate when it is
# less clear.
SHARED_MIN_WORDS = 4  # title words the letter holds (all of a shorter title's)
SHARED_MIN_COVERAGE = 0.6  # of the title's weight
SHARED_LEAD = 2.0  # times the weight the next title shares
SCORE_SHARED = 0.8  # at SHARED_MIN_COVERAGE, rising to SCORE_SHARED_HIGH with all of it
SCORE_SHARED_HIGH = 0.85
SCORE_SHARED_CANDIDATE = 0.6  # rare words shared, not enough or not alone: for the editors
SHARED_CANDIDATE_MIN_WORDS = 2
SHARED_CANDIDATE_MIN_COVERAGE = 0.3
# In a letter in another language the title's words it holds are names, numbers and
# words spelt alike in both ("Harlow", "112", "papier"): three of them, twice what any
# other title shares, are a match; one a candidate.
SHARED_FOREIGN_MIN_WORDS = 3
SHARED_FOREIGN_CANDIDATE_MIN_WORDS = 1
# A piece published after the letter was written (a day's slack for time zones and
# print dates) is not what it answers, unless the reader links to or quotes it.
_LATE_SLACK = timedelta(days=1)
_OWN_READS = 20_000  # characters of a letter read for the reader's own words
_MAX_STRETCHES = 40  # sentences compared with the titles: the opening and the citing ones
_OPENING_SENTENCES = 12
_CITING_RE = re.compile(
    r"\b(?:article|editorial|column|piece|op-?ed|report|story|headline|coverage|essay|review|"
    r"feature|leader)s?\b",
    re.IGNORECASE,
)
# a sentence that says it speaks of one of our pieces: "your article about", "the column on"
_CITED_RE = re.compile(
    r"\b(?:your|the|this|that|yesterday[’']s|\w+day[’']s)\s+(?:\w+\s+)?(?:article|editorial|"
    r"column|piece|op-?ed|report|story|coverage|feature|leader)\s+(?:about|on|regarding|that|"
    r"which|saying|claiming|headlined|titled)\b",
    re.IGNORECASE,
)
SCORE_CITED = 0.2  # most of a title's words in a sentence that cites a piece of ours
SCORE_SHORT_CITED = 0.8  # both words of a two-word title in such a sentence
SCORE_CITED_CAP = 0.85
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])\s+|\n\s*\n")
# A full stop after these ends no sentence: "St. Agnes", "Ms. Alvarez", "Dr. Okafor".
_ABBREVIATIONS = frozenset(
    ["st", "mr", "mrs", "ms", "mx", "dr", "prof", "mt", "ft", "no", "jr", "sr", "rev", "gen"]
)
_LAST_WORD_RE = re.compile(r"(\w+)\.$")

OVERLAP_MIN_WORDS = 5  # shorter titles share their words with too much prose
OVERLAP_MIN_SHARE = 0.8

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
    re.compile(r"«\s*([^«»]+?)\s*»"),
    re.compile(r"„([^„“”]+?)[“”]"),
)

_QUOTE_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_PARAGRAPH_RE = re.compile(r"\n\s*\n")
_NON_WORD_RE = re.compile(r"[\W_]+")
# The combining-mark blocks NFKD splits accents into (é → e + U+0301).
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Subject words saying that a message is a letter, or where a piece ran, not its topic
# (compared after the plural "s" is dropped: "stories" is "storie").
_SUBJECT_GENERIC_TEXT = """
    letter editor article story storie piece column editorial report coverage op ed oped
    response reply comment opinion thought note today yesterday week last sunday monday
    tuesday wednesday thursday friday saturday morning paper please print publication
    publish thank regarding re fwd fw dear sir madam front page section issue edition headline
"""
_SUBJECT_GENERIC = frozenset(_SUBJECT_GENERIC_TEXT.split())
# Outlook's header over the message a reply quotes, in the languages readers write in
_REPLY_HEADER_RE = re.compile(
    r"^[^\S\n]*(?:From|De|Von|Da|Van):(?P<sender>[^\n]{1,300})\n[^\S\n]*(?:Sent|Date|Envoyé|Gesendet|"
    r"Enviado|Inviato|Verzonden|Fecha|Datum|Data):",
    re.MULTILINE,
)
_FORWARD_SUBJECT_RE = re.compile(r"\s*(?:fwd?|tr|wg|rv|i)\s*:", re.IGNORECASE)
_SIGN_OFF_PARAGRAPHS = 2
_SIGN_OFF_LINES = 3
_SIGN_OFF_WORDS = 8
_OPENING_MIN_WORDS = 6  # skips "Dear Editor:" to reach the first real paragraph

_STOP_WORDS_TEXT = """
    a about after against all an and are as at be been but by can could did do does for
    from had has have he her his how i if in into is it its just more most my new no not
    now of on one or our out over says she so than that the their them there these they
    this to up us was we were what when where which who why will with would you your
"""
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


# -- titles and phrases -----------------------------------------------------------


def normalise_title(title: str) -> str:
    """Return *title* casefolded, accents and punctuation removed, spaces collapsed.

    Apostrophes are dropped (``Mayor’s`` → ``mayors``); other punctuation
    and symbols become spaces, so ``de Blasio—and`` keeps two words.
    """
    text = title.translate(_QUOTE_FOLD).casefold().replace("'", "")
    if not text.isascii():
        text = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_NON_WORD_RE.sub(" ", text).split())


def _is_specific(phrase: str) -> bool:
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
            if len(phrase) > _PHRASE_MAX_CHARS or _PARAGRAPH_RE.search(phrase):
                continue
            # US style puts the sentence's comma or full stop inside the quotes.
            phrase = " ".join(phrase.split()).rstrip(",.")
            if _is_specific(phrase):
                found.append((m.start(), phrase))
    seen: dict[str, str] = {}
    for _, phrase in sorted(found):
        seen.setdefault(normalise_title(phrase), phrase)
    return tuple(seen.values())


def _stem(word: str) -> str:
    # Plurals only: enough that "Communities" meets "community", "Budget" meets "budgets"
    # and "churches" "church", without a stemmer's surprises.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _significant_words(normalised: str) -> frozenset[str]:
    return frozenset(_stem(w) for w in normalised.split() if w not in _STOP_WORDS)


def _title_words(normalised: str) -> list[str]:
    """The significant words of a normalised title or sentence, in order."""
    return [_stem(w) for w in normalised.split() if w not in _STOP_WORDS]


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


def _stretches(subject: str, text: str) -> list[str]:
    """The parts of a letter a paraphrased title may sit in: the subject and sentences.

    The opening sentences, where letters say what they answer, and any
    sentence that mentions an article, column or editorial.
    """
    sentences_ = sentences(text)
    chosen = sentences_[:_OPENING_SENTENCES]
    chosen += [s for s in sentences_[_OPENING_SENTENCES:] if _CITING_RE.search(s)]
    topic = strip_prefixes(subject)
    return ([topic] if topic else []) + chosen[:_MAX_STRETCHES]


def without_sign_off(text: str) -> str:
    """Return *text* without its sign-off: the short closing paragraphs of a name, a
    place, "Sent from my iPhone" ("Mae Thornbury\nSouthside"), which name no article."""
    paragraphs = [p for p in _PARAGRAPH_RE.split(text.rstrip()) if p.strip()]
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


def _before_our_header(text: str, domains: frozenset[str]) -> str:
    """Return *text* up to the header block Outlook puts over our own message a reader
    answers ("From: The Courier <newsletter@…>" then "Sent: …"), with no separator line."""
    for found in _REPLY_HEADER_RE.finditer(text):
        sender = found.group("sender").lower()
        if any(f"@{domain}" in sender or f".{domain}" in sender for domain in domains):
            return text[: found.start()]
    return text


def _domain(url: str) -> str:
    """The registered-looking part of an article URL's host: ``www.news.test`` -> ``news.test``."""
    host = url.partition("://")[2].partition("/")[0].partition(":")[0].lower()
    return host.removeprefix("www.")


def _section(url: str) -> str:
    """The first folder of an article's URL: its section ("business", "obituaries")."""
    path = url.partition("://")[2].partition("/")[2]
    first = path.partition("/")[0]
    return "" if first.isdigit() else first


def _subject_topic(subject: str) -> list[str]:
    """The words of a subject that say what the letter is about ("Crossing guards"), not
    that it is a letter ("Letter to the editor", "Your article", "Re: yesterday's piece")."""
    words = _title_words(normalise_title(strip_prefixes(subject)))
    return [w for w in words if w not in _SUBJECT_GENERIC and not w.isdigit()]


def _opening(text: str) -> str:
    """Return the first paragraph of *text* long enough to be more than a greeting."""
    for paragraph in _PARAGRAPH_RE.split(text):
        if len(paragraph.split()) >= _OPENING_MIN_WORDS:
            return paragraph
    return ""


# -- the catalogue ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Title:
    words: tuple[str, ...]
    article_ids: tuple[int, ...]


class _Scores:
    """The best evidence per article, in the order it was first found."""

    def __init__(self) -> None:
        self.best: dict[int, tuple[float, str]] = {}

    def add(self, article_id: int, score: float, reason: str) -> None:
        current = self.best.get(article_id)
        if current is None or score > current[0]:
            self.best[article_id] = (score, reason)

    def boost(self, article_id: int, amount: float, note: str) -> None:
        score, reason = self.best[article_id]
        if score < _BOOST_CAP:
            self.best[article_id] = (round(min(_BOOST_CAP, score + amount), 3), f"{reason}; {note}")


class Catalogue:
    """An immutable, indexed snapshot of the publication's articles."""

    __slots__ = (
        "_articles",
        "_by_bare_key",
        "_by_key",
        "_by_prefix",
        "_by_title",
        "_by_word",
        "_bylines",
        "_dated",
        "_domains",
        "_fuzzy",
        "_overlap_words",
        "_sections",
        "_short",
    )

    def __init__(self, articles: Iterable[Article]) -> None:
        self._articles: tuple[Article, ...] = tuple(articles)
        self._by_key: dict[str, int] = {}
        self._by_bare_key: dict[str, int] = {}
        titles: dict[str, list[int]] = {}
        normalised_titles = [normalise_title(article.title) for article in self._articles]
        for index, article in enumerate(self._articles):
            key = normalise_url(article.url)
            # The first entry wins: exports list the canonical URL first.
            self._by_key.setdefault(key, index)
            self._by_bare_key.setdefault(key.partition("?")[0], index)
            titles.setdefault(normalised_titles[index], []).append(index)
        self._by_title = {t: tuple(ids) for t, ids in titles.items() if t}
        # Titles specific enough to be found inside running text, indexed by
        # their first words so a letter is scanned once, not once per title.
        self._by_prefix: dict[tuple[str, ...], list[_Title]] = {}
        for normalised, ids in self._by_title.items():
            words = tuple(normalised.split())
            if len(words) >= 2 and _is_specific(normalised):
                self._by_prefix.setdefault(words[:2], []).append(_Title(words, ids))
        self._by_word: dict[str, list[int]] = {}
        self._overlap_words: dict[int, frozenset[str]] = {}
        for index, normalised in enumerate(normalised_titles):
            significant = _significant_words(normalised)
            if len(significant) >= OVERLAP_MIN_WORDS:
                self._overlap_words[index] = significant
                for word in significant:
                    self._by_word.setdefault(word, []).append(index)
        self._fuzzy = FuzzyTitles([_title_words(t) for t in normalised_titles])
        # titles of two significant words ("Who Pays for the New Ballpark?"): too few for a
        # paraphrase in prose, enough in a sentence that cites one of our pieces
        self._short = tuple(
            (index, tuple(dict.fromkeys(words)))
            for index, words in enumerate(_title_words(t) for t in normalised_titles)
            if len(set(words)) == 2
        )
        self._bylines = Bylines(
            [a.author for a in self._articles], [_significant_words(t) for t in normalised_titles]
        )
        # the paper's own domains, whose mail (our newsletter) a reader may answer
        self._domains = frozenset(_domain(a.url) for a in self._articles) - {""}
        # the paper's sections, named by its URLs' first folder ("Business section")
        self._sections = frozenset(
            _stem(normalise_title(section))
            for section in (_section(a.url) for a in self._articles)
            if section
        )
        self._dated = tuple(
            (index, article.published)
            for index, article in enumerate(self._articles)
            if article.published is not None
        )

    def __len__(self) -> int:
        return len(self._articles)

    def __iter__(self) -> Iterator[Article]:
        return iter(self._articles)

    def by_url(self, url: str) -> Article | None:
        """Return the article at *url* (compared after :func:`normalise_url`), or None."""
        index = self._index_of_url(url)
        return None if index is None else self._articles[index]

    def _index_of_url(self, url: str) -> int | None:
        key = normalise_url(url)
        index = self._by_key.get(key)
        if index is None and "?" in key:
            # A link with a page or view parameter still names the article.
            index = self._by_bare_key.get(key.partition("?")[0])
        return index

    def match(
        self, *, text: str, subject: str = "", html: str = "", sent_on: date | None = None
    ) -> tuple[ArticleMatch, ...]:
        """Return the articles the letter may answer, best first, at most five.

        Evidence and scores: a link to a catalogue URL (1.0); a quoted phrase
        equal to a title (0.95); a title named in the body or subject, or a
        subject that is "Re: <title>" (0.9); most of a 3+ word title's
        significant words in one sentence or the subject, spelling and
        inflection aside (0.55-0.85, by the share found); 80% of a 5+ word
        title's significant words in the subject and opening paragraph (0.6); the
        title whose words the whole letter (its sign-off aside) holds, weighed by how
        few titles use each, when it holds four of them (all of a shorter title's) and
        60% of the title's weight, twice what any other title shares (0.8-0.85; with
        two words and 30% of the weight, or not so far ahead, or when the subject
        speaks of something else, a candidate, 0.6).  In a letter in another
        language the title words it holds are names, numbers and words spelt alike:
        one, twice what any other title shares, is a candidate (0.6), three a match
        (0.8).
        A date the letter gives for the piece ("your article of 13 August",
        resolved against *sent_on*, the letter's date) adds 0.1 to an article
        published that day, or nominates it alone (0.5) when at most three
        articles appeared then (0.8 for the one of them sharing two or more
        of its title's words with the letter, when the others share fewer).
        Only the reader's own words count (quotes and forwarded tails cut,
        :func:`~intake.sorting.letterscore.own_text`, and our own mail quoted under
        an Outlook header, except in a forward): a link only in the
        message the reader quotes — our newsletter — is a candidate (0.6), and
        the one quoted item whose title words the reader's own words share
        most, alone, is the one discussed (0.9).  A link in the subject counts
        as one in the body.  Both words of a two-word title in a sentence that
        cites one of our pieces ("the article asking who pays for the ballpark")
        are a match (0.8).  An article published more than a day after
        *sent_on* keeps only a link, a quoted or a named title.  Each article
        keeps its best evidence; ties keep the order found.
        """
        scores = _Scores()
        # The reader's own words, not what they quote: a reply to our newsletter quotes
        # every item's title and link, and names the one it discusses in its own words.
        mine = own_text(text[:_OWN_READS]) or text
        if not _FORWARD_SUBJECT_RE.match(subject):
            mine = _before_our_header(mine, self._domains) or mine
        quoting = mine != text
        for link in (*links_in(subject), *links_in(mine, "" if quoting else html)):
            index = self._index_of_url(link)
            if index is not None:
                scores.add(index, SCORE_LINK, f"links to {self._articles[index].url}")
        for phrase in quoted_phrases(f"{subject}\n\n{mine}"):
            for index in self._by_title.get(normalise_title(phrase), ()):
                title = self._articles[index].title
                scores.add(index, SCORE_QUOTED_TITLE, f"quotes the title ‘{title}’")
        topic = normalise_title(strip_prefixes(subject))
        for index in self._by_title.get(topic, ()):
            scores.add(index, SCORE_NAMED_TITLE, "the subject is the title")
        for where, words in (("subject", topic), ("body", normalise_title(mine))):
            for index in self._titles_within(words.split()):
                scores.add(index, SCORE_NAMED_TITLE, f"names the title in the {where}")
        self._add_short(scores, mine)
        opening = _significant_words(normalise_title(f"{subject}\n{_opening(mine)}"))
        for index in self._overlapping(opening):
            scores.add(index, SCORE_WORD_OVERLAP, "most of the title's words appear")
        for stretch in _stretches(subject, mine):
            hits = self._fuzzy.search(_title_words(normalise_title(stretch)))
            best = max((hit.score for hit in hits), default=0.0)
            # "your article about the bike lanes replacing parking": the reader says it is a
            # piece of ours, so the one title the sentence paraphrases best is worth more
            cited = _CITED_RE.search(stretch) is not None
            cited = cited and [hit.score for hit in hits].count(best) == 1
            for hit in hits:
                reason = f"paraphrases the title ({hit.matched} of its {hit.total} words)"
                if cited and hit.score == best:
                    score = min(SCORE_CITED_CAP, hit.score + SCORE_CITED)
                    scores.add(hit.index, score, f"{reason} in a sentence citing it")
                else:
                    scores.add(hit.index, hit.score, reason)
        topic_words = _significant_words(normalise_title(f"{subject}\n{mine}"))
        late = self._published_after(sent_on)
        for named in (
            *self._bylines.match(mine, topic_words, late),
            *self._bylines.editorial(mine, topic_words, late),
        ):
            scores.add(named.index, named.score, named.reason)
        own = normalise_title(f"{subject}\n{without_sign_off(mine)}")
        topic_of_subject = [w for w in _subject_topic(subject) if w not in self._sections]
        foreign = language_of(mine) not in (None, "English")
        self._add_shared(scores, _title_words(own), late, topic_of_subject, foreign=foreign)
        if quoting:
            self._add_quoted(scores, links_in(text[len(mine) :], html), topic_words)
        self._add_dates(scores, date_cues(f"{subject}\n{mine}", sent_on), topic_words)
        for index in late:
            if scores.best.get(index, (1.0, ""))[0] < SCORE_NAMED_TITLE:
                del scores.best[index]
        ranked = sorted(scores.best.items(), key=lambda item: -item[1][0])
        return tuple(
            ArticleMatch(article=self._articles[index], score=score, reason=reason)
            for index, (score, reason) in ranked[:MAX_MATCHES]
        )

    def _add_short(self, scores: _Scores, text: str) -> None:
        """A two-word title's words both in a sentence that cites one of our pieces ("the
        article asking who pays for the ballpark"), and no other such title's."""
        if not self._short:
            return
        for sentence in sentences(text)[:_MAX_STRETCHES]:
            if _CITING_RE.search(sentence) is None:
                continue
            words = _title_words(normalise_title(sentence))
            named = [
                index
                for index, title in self._short
                if all(any(alike(t, w) for w in words) for t in title)
            ]
            if len(named) == 1:
                reason = "names the two words of the title in a sentence citing it"
                scores.add(named[0], SCORE_SHORT_CITED, reason)

    def _published_after(self, sent_on: date | None) -> frozenset[int]:
        """The articles published after a letter of *sent_on* was written (a day's slack)."""
        if sent_on is None:
            return frozenset()
        return frozenset(i for i, published in self._dated if published > sent_on + _LATE_SLACK)

    def _add_shared(
        self,
        scores: _Scores,
        words: list[str],
        late: frozenset[int],
        subject: list[str],
        *,
        foreign: bool = False,
    ) -> None:
        """The title whose rare words the reader's own words hold, well ahead of the rest;
        only a candidate when the *subject* speaks of something else (two or more of its
        words, none of the title's).  In a letter in another language (*foreign*) a title's
        words are names and numbers, and fewer of them count."""
        candidates = (i for i in range(len(self._articles)) if i not in late)
        shared = sorted(self._fuzzy.shared(words, candidates), key=lambda s: -s.weight)
        if not shared:
            return
        best = shared[0]
        runner_up = shared[1].weight if len(shared) > 1 else 0.0
        note = f"shares {best.matched} of the title's {best.total} words, the rarest among them"
        elsewhere = len(subject) >= 2 and not self._fuzzy.shares_any(best.index, subject)
        ahead = best.weight >= SHARED_LEAD * runner_up
        if foreign:
            note = f"{note}, in a letter in another language"
            if ahead and not elsewhere and best.matched >= SHARED_FOREIGN_MIN_WORDS:
                scores.add(best.index, SCORE_SHARED, f"{note}, well ahead of any other title")
            elif ahead and best.matched >= SHARED_FOREIGN_CANDIDATE_MIN_WORDS:
                scores.add(best.index, SCORE_SHARED_CANDIDATE, note)
            return
        if (
            not elsewhere
            and best.matched >= max(MIN_TITLE_WORDS, min(SHARED_MIN_WORDS, best.total))
            and best.coverage >= SHARED_MIN_COVERAGE
            and ahead
        ):
            share = (best.coverage - SHARED_MIN_COVERAGE) / (1.0 - SHARED_MIN_COVERAGE)
            score = round(SCORE_SHARED + (SCORE_SHARED_HIGH - SCORE_SHARED) * share, 3)
            scores.add(best.index, score, f"{note}, well ahead of any other title")
        elif (
            best.matched >= SHARED_CANDIDATE_MIN_WORDS
            and best.coverage >= SHARED_CANDIDATE_MIN_COVERAGE
            and best.weight > runner_up
        ):
            scores.add(best.index, SCORE_SHARED_CANDIDATE, note)

    def _add_quoted(self, scores: _Scores, links: tuple[str, ...], words: frozenset[str]) -> None:
        """Links in the message the reader quotes: the item whose title words the reader's
        own words share most (and alone) is the one discussed; the rest are only candidates."""
        quoted = {i for i in map(self._index_of_url, links) if i is not None}
        shared = {i: len(self._bylines.title_words(i) & words) for i in quoted}
        most = max(shared.values(), default=0)
        for index in quoted:
            if shared[index] == most >= 1 and list(shared.values()).count(most) == 1:
                note = f"{most} of the title's words in the reader's own"
                scores.add(index, SCORE_QUOTED_ITEM, f"the item the reader discusses ({note})")
            else:
                scores.add(index, SCORE_QUOTED_LINK, "linked in the message the reader quotes")

    def _add_dates(self, scores: _Scores, cues: tuple[DateCue, ...], words: frozenset[str]) -> None:
        for cue in cues:
            # that day's pieces; the days either side (print vs web) only when it had none
            dated = [i for i, published in self._dated if cue.matches(published, slack_days=0)]
            dated = dated or [i for i, published in self._dated if cue.matches(published)]
            note = f"published on the date the letter gives ({cue.text})"
            shared = {i: len(self._bylines.title_words(i) & words) for i in dated}
            most = max(shared.values(), default=0)
            for index in dated:
                if index in scores.best:
                    scores.boost(index, SCORE_DATE_BOOST, note)
                # Between that day's (or week's) pieces, the one whose title words the reader
                # uses: two of them among a day's few, three among more.
                needed = 2 if len(dated) <= DATE_ONLY_MAX_ARTICLES else 3
                alone = shared[index] == most >= needed and list(shared.values()).count(most) == 1
                if alone or len(dated) <= DATE_ONLY_MAX_ARTICLES:
                    score = SCORE_DATE_AND_WORDS if alone else SCORE_DATE_ONLY
                    words_note = f" and {most} of the title's words" if alone else ""
                    scores.add(index, score, note + words_note)

    def _titles_within(self, words: list[str]) -> Iterator[int]:
        for start in range(len(words) - 1):
            for title in self._by_prefix.get((words[start], words[start + 1]), ()):
                if tuple(words[start : start + len(title.words)]) == title.words:
                    yield from title.article_ids

    def _overlapping(self, words: frozenset[str]) -> Iterator[int]:
        hits: dict[int, int] = {}
        for word in words:
            for index in self._by_word.get(word, ()):
                hits[index] = hits.get(index, 0) + 1
        for index, count in hits.items():
            if count / len(self._overlap_words[index]) >= OVERLAP_MIN_SHARE:
                yield index
