"""The article catalogue and finding the article a letter answers.

Owns URL normalisation, pulling links out of a letter, and :class:`Catalogue`: an
immutable, indexed snapshot of the publication's articles that ranks which of them
a letter is about, by link, quoted or named title, fuzzy title
(:mod:`intake.sorting.fuzzytitles`), the title whose rare words the whole letter
holds (:mod:`intake.sorting.sharedwords`; in any language: names and numbers), the
date the letter gives for the piece (:mod:`intake.sorting.datecues`), the reporter
named (:mod:`intake.sorting.bylines`) and, in a reply to our newsletter, the quoted
item the reader's own words discuss.  The words themselves, a letter's sentences
and quoted phrases are :mod:`intake.sorting.readerwords`'.  A piece published after
the letter was written is none of these, unless linked or quoted.  Where a letter
goes with the ranking is :mod:`intake.sorting.routing`'s.

No I/O: the catalogue is built from :class:`intake.domain.model.Article` values that
``intake.adapters.catalogue`` loads.  In particular, shortened links
(bit.ly, t.co, ow.ly …) are **not** resolved: that needs the network, and the
core never touches it.  A letter that cites its article only through a
shortener is matched by its title, or not at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from intake.domain.model import Article, ArticleMatch
from intake.domain.subjects import strip_prefixes
from intake.mail.links import links_in, normalise_url
from intake.sorting.bylines import Bylines
from intake.sorting.datecues import DateCue, date_cues
from intake.sorting.fuzzytitles import FuzzyTitles, alike
from intake.sorting.languages import language_of
from intake.sorting.owntext import own_text
from intake.sorting.readerwords import (
    EVERYDAY,
    before_our_header,
    domain_of,
    is_forward,
    is_specific,
    normalise_title,
    opening,
    quoted_phrases,
    sentences,
    significant_words,
    title_words,
    without_links,
    without_sign_off,
)
from intake.sorting.sharedwords import break_tie, shared_title

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

OVERLAP_MIN_WORDS = 5  # shorter titles share their words with too much prose
OVERLAP_MIN_SHARE = 0.8


def _stretches(subject: str, sentences_: list[str]) -> list[str]:
    """The parts of a letter a paraphrased title may sit in: the subject and sentences.

    The opening sentences (of *sentences_*, the letter's), where letters say what they
    answer, and any sentence that mentions an article, column or editorial.
    """
    chosen = sentences_[:_OPENING_SENTENCES]
    chosen += [s for s in sentences_[_OPENING_SENTENCES:] if _CITING_RE.search(s)]
    topic = strip_prefixes(subject)
    return ([topic] if topic else []) + chosen[:_MAX_STRETCHES]


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
            if len(words) >= 2 and is_specific(normalised):
                self._by_prefix.setdefault(words[:2], []).append(_Title(words, ids))
        self._by_word: dict[str, list[int]] = {}
        self._overlap_words: dict[int, frozenset[str]] = {}
        for index, normalised in enumerate(normalised_titles):
            significant = significant_words(normalised)
            if len(significant) >= OVERLAP_MIN_WORDS:
                self._overlap_words[index] = significant
                for word in significant:
                    self._by_word.setdefault(word, []).append(index)
        self._fuzzy = FuzzyTitles([title_words(t) for t in normalised_titles])
        # titles of two significant words ("Who Pays for the New Ballpark?"): too few for a
        # paraphrase in prose, enough in a sentence that cites one of our pieces
        self._short = tuple(
            (index, tuple(dict.fromkeys(words)))
            for index, words in enumerate(title_words(t) for t in normalised_titles)
            if len(set(words)) == 2
        )
        self._bylines = Bylines(
            [a.author for a in self._articles], [significant_words(t) for t in normalised_titles]
        )
        # the paper's own domains, whose mail (our newsletter) a reader may answer
        self._domains = frozenset(domain_of(a.url) for a in self._articles) - {""}
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
        :func:`~intake.sorting.owntext.own_text`, and our own mail quoted under
        an Outlook header, except in a forward): a link only in the
        message the reader quotes — our newsletter — is a candidate (0.6), and
        the one quoted item whose title words the reader's own words share
        most, alone, is the one discussed (0.9).  A link in the subject counts
        as one in the body.  Both words of a two-word title in a sentence that
        cites one of our pieces ("the article asking who pays for the ballpark")
        are a match (0.8).  An article published more than a day after
        *sent_on* keeps only a link, a quoted or a named title.  Each article
        keeps its best evidence; ties keep the order found, except that of two
        candidates within :data:`AMBIGUITY_MARGIN` the one most of whose title
        the reader's words hold (60% of its weight, twice the other's share)
        leads and the other drops below the margin.  Links are no words of the
        reader's for the title words shared.
        """
        scores = _Scores()
        # The reader's own words, not what they quote: a reply to our newsletter quotes
        # every item's title and link, and names the one it discusses in its own words.
        mine = own_text(text[:_OWN_READS]) or text[:_OWN_READS]
        if not is_forward(subject):
            mine = before_our_header(mine, self._domains) or mine
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
        # the reader's words normalised once: "subject\nbody" normalises as the two, joined
        said = normalise_title(mine)
        for where, words in (("subject", topic), ("body", said)):
            for index in self._titles_within(words.split()):
                scores.add(index, SCORE_NAMED_TITLE, f"names the title in the {where}")
        sentences_ = sentences(mine)
        words_of: dict[str, list[str]] = {}  # a sentence's title words, found once

        def stretch_words(stretch: str) -> list[str]:
            if stretch not in words_of:
                words_of[stretch] = title_words(normalise_title(stretch))
            return words_of[stretch]

        self._add_short(scores, sentences_, stretch_words)
        first = significant_words(normalise_title(f"{subject}\n{opening(mine)}"))
        for index in self._overlapping(first):
            scores.add(index, SCORE_WORD_OVERLAP, "most of the title's words appear")
        for stretch in _stretches(subject, sentences_):
            hits = self._fuzzy.search(stretch_words(stretch))
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
        topic_words = significant_words(f"{normalise_title(subject)} {said}")
        late = self._published_after(sent_on)
        for named in (
            *self._bylines.match(mine, topic_words, late),
            *self._bylines.editorial(mine, topic_words, late),
        ):
            scores.add(named.index, named.score, named.reason)
        own = normalise_title(without_links(f"{subject}\n{without_sign_off(mine)}"))
        foreign = language_of(mine) not in (None, "English")
        own_words = [w for w in title_words(own) if w not in EVERYDAY]
        candidates = (i for i in range(len(self._articles)) if i not in late)
        held = shared_title(self._fuzzy, own_words, candidates, foreign=foreign)
        if held is not None:
            scores.add(held.index, held.score, held.reason)
        if quoting:
            self._add_quoted(scores, links_in(text[len(mine) :], html), topic_words)
        self._add_dates(scores, date_cues(f"{subject}\n{mine}", sent_on), topic_words)
        for index in late:
            if scores.best.get(index, (1.0, ""))[0] < SCORE_NAMED_TITLE:
                del scores.best[index]
        ranked = sorted(scores.best.items(), key=lambda item: -item[1][0])
        ranked = break_tie(self._fuzzy, ranked, own_words)
        return tuple(
            ArticleMatch(article=self._articles[index], score=score, reason=reason)
            for index, (score, reason) in ranked[:MAX_MATCHES]
        )

    def _add_short(
        self, scores: _Scores, sentences_: list[str], words_of: Callable[[str], list[str]]
    ) -> None:
        """A two-word title's words both in a sentence (of *sentences_*, whose title words
        *words_of* gives) that cites one of our pieces ("the article asking who pays for the
        ballpark"), and no other such title's."""
        if not self._short:
            return
        for sentence in sentences_[:_MAX_STRETCHES]:
            if _CITING_RE.search(sentence) is None:
                continue
            words = words_of(sentence)
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
