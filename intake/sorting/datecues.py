"""The dates a letter gives for the piece it answers: "your article of 13 August".

Owns finding a date that a letter ties to a published piece — "your
editorial of August 13", "in your 13 August issue", "published on August
13th", "(‘Title’, 13 August)", "yesterday's article", "Sunday's piece", "last
week's editorial", "this week's column", "Sunday's front page", "on Sunday you
reported", "you wrote yesterday" — and resolving it to
a calendar date.  A date without a year is the latest such day on or before
the letter's own date; without a letter date, only month and day are known.
Dates in running prose ("on 4 July we marched") are not cues: a cue word
must stand just before the date (or "issue"/"edition" just after it).
Pure: no I/O, no clock; the caller passes the letter's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<{name}>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<{name}>(?:19|20)\d\d))?"
_DATE_RE = re.compile(
    # every date starts with a digit or a month's first letter: positions that do not are
    # passed over at once, not tried against each month
    r"(?=[\dadfjmnos])(?:"
    + rf"{_MONTH.format(name='m1')}\s+{_DAY.format(name='d1')}{_YEAR.format(name='y1')}"
    + "|"
    + rf"{_DAY.format(name='d2')}(?:\s+of)?\s+{_MONTH.format(name='m2')}{_YEAR.format(name='y2')}"
    + "|"
    + r"(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)"
    + ")(?![\\w-])",
    re.IGNORECASE,
)
# A cue just before the date: what makes "13 August" the piece's date.
_CUE_BEFORE_RE = re.compile(
    r"(?:\b(?:article|editorial|leader|column|piece|op-?ed|report|story|feature|review|essay|"
    r"coverage|interview|obituary|cartoon)s?\s+(?:of|from|dated|on|in\s+(?:the|your)\s+paper\s+"
    r"on)|\b(?:published|printed|appeared|ran|posted|online|website|paper|issue|edition)\s+"
    r"(?:(?:on|of|in)\s+)?(?:(?:the|your)\s+(?:paper|website|issue|edition)\s+(?:on|of)\s+)?"
    r"|\byour\s+|\bin\s+(?:the|your)\s+|\(\s*|[’”\"']\s*,\s*)\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?$",
    re.IGNORECASE,
)
_CUE_AFTER_RE = re.compile(
    r"^(?:,?\s+(?:issue|edition|paper|article|editorial|column|piece|op-?ed|report|story|"
    r"print\s+edition)|\s*\))",
    re.IGNORECASE,
)
_PIECE = (
    r"(?:article|editorial|column|piece|op-?ed|report|story|paper|issue|edition|leader|section|"
    r"page|obituary|obituaries|feature|review|coverage|cartoon|interview)s?"
)
# "you reported", "your paper ran": the reader says the paper published it, then when
_YOU_SAID = r"(?:you|your\s+(?:paper|reporter|columnist|writer))\s+(?:reported|wrote|ran|published|printed|said|claimed|argued)"
_RELATIVE_RE = re.compile(
    r"\b(?P<when>yesterday|today|this\s+morning)(?:[’']s)?\s+(?:\w+\s+)?"
    + _PIECE
    + r"\b|\b(?P<when2>yesterday|this\s+morning)(?:\s*,\s*|\s+)"
    + _YOU_SAID
    + r"\b|\b"
    + _YOU_SAID
    + r"\s+(?:\w+\s+){0,8}?(?P<when3>yesterday|this\s+morning)\b",
    re.IGNORECASE,
)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# "Sunday's piece", "your Sunday piece", "Wednesday's editorial", "on Sunday you reported",
# "you reported on Sunday": the latest such day.
_DAY_NAMES = "|".join(_WEEKDAYS)
_WEEKDAY_RE = re.compile(
    # each way starts with a day's, "your"'s, "on"'s, "last"'s or "you"'s first letter: other
    # positions are passed over at once
    r"(?=[mtwfsyol])(?:\b(?:(?P<day>"
    + _DAY_NAMES
    + r")[’']s|your\s+(?P<your>"
    + _DAY_NAMES
    + r"))\s+(?:\w+\s+)?"
    + _PIECE
    + r"\b|\b(?:on\s+|last\s+)(?P<on>"
    + _DAY_NAMES
    + r")(?:\s*,\s*|\s+)"
    + _YOU_SAID
    + r"\b|\b"
    + _YOU_SAID
    + r"\s+(?:\w+\s+){0,8}?on\s+(?:last\s+)?(?P<after>"
    + _DAY_NAMES
    + r")\b)",
    re.IGNORECASE,
)
# "this week's editorial", "your column this week": any day of this week up to the letter.
_THIS_WEEK_RE = re.compile(
    r"\bthis\s+week[’']s\s+(?:\w+\s+)?" + _PIECE + r"\b|\b" + _PIECE + r"\s+this\s+week\b",
    re.IGNORECASE,
)
# "last week's editorial", "your column last week": any day of the previous calendar week.
_LAST_WEEK_RE = re.compile(
    r"\blast\s+week[’']s\s+(?:\w+\s+)?"
    + _PIECE
    + r"\b|\b"
    + _PIECE
    + r"\s+(?:\w+\s+){0,6}?last\s+week\b",
    re.IGNORECASE,
)
# Words every match of a pattern holds, found much faster than the pattern: a letter
# without them is not searched for it.
_RELATIVE_HINT_RE = re.compile(r"yesterday|today|this\s+morning", re.IGNORECASE)
_THIS_WEEK_HINT_RE = re.compile(r"this\s+week", re.IGNORECASE)
_LAST_WEEK_HINT_RE = re.compile(r"last\s+week", re.IGNORECASE)
_CUE_WINDOW = 60
_YEAR_SLACK = timedelta(days=1)  # a letter dated in another zone can be a day "early"


@dataclass(frozen=True, slots=True, kw_only=True)
class DateCue:
    """A date the letter gives for its article: exact, or month and day only."""

    month: int
    day: int
    year: int | None  # None: the letter gave no year and had no date of its own
    text: str  # as written, for the reason shown to editors
    span_days: int = 0  # "last week": the cue covers this many days after its date too

    def matches(self, published: date | None, *, slack_days: int = 1) -> bool:
        """Whether an article *published* that day fits, within *slack_days* (print vs web)."""
        if published is None:
            return False
        if self.span_days and self.year is not None:
            start = date(self.year, self.month, self.day)
            return -slack_days <= (published - start).days <= self.span_days + slack_days
        if self.year is None:
            return any(
                (published + timedelta(days=shift)).timetuple()[1:3] == (self.month, self.day)
                for shift in range(-slack_days, slack_days + 1)
            )
        try:
            wanted = date(self.year, self.month, self.day)
        except ValueError:
            return False
        return abs((published - wanted).days) <= slack_days


def _resolve(month: int, day: int, year: int | None, sent_on: date | None) -> int | None:
    if year is not None or sent_on is None:
        return year
    for candidate in (sent_on.year, sent_on.year - 1):
        try:
            if date(candidate, month, day) <= sent_on + _YEAR_SLACK:
                return candidate
        except ValueError:  # 29 February in a common year
            continue
    return None


def _parts(found: re.Match[str]) -> tuple[int, int, int | None] | None:
    if found.group("iso"):
        iso_year, iso_month, iso_day = (int(p) for p in found.group("iso").split("-"))
        return iso_month, iso_day, iso_year
    month_word = found.group("m1") or found.group("m2")
    day_text = found.group("d1") or found.group("d2")
    year_text = found.group("y1") or found.group("y2")
    word = month_word.lower().rstrip(".")
    month = _MONTHS.get(word[:4]) or _MONTHS.get(word[:3])
    day = int(day_text)
    if month is None or not 1 <= day <= 31:
        return None
    return month, day, int(year_text) if year_text else None


def date_cues(text: str, sent_on: date | None = None) -> tuple[DateCue, ...]:
    """Return the dates *text* gives for a published piece, in order, without repeats."""
    cues: dict[tuple[int, int, int | None], DateCue] = {}
    for found in _DATE_RE.finditer(text):
        before = text[max(0, found.start() - _CUE_WINDOW) : found.start()]
        after = text[found.end() : found.end() + 30]
        if not (_CUE_BEFORE_RE.search(before) or _CUE_AFTER_RE.search(after)):
            continue
        parts = _parts(found)
        if parts is None:
            continue
        month, day, given_year = parts
        year = _resolve(month, day, given_year, sent_on)
        cues.setdefault(
            (month, day, year),
            DateCue(month=month, day=day, year=year, text=" ".join(found.group(0).split())),
        )
    if sent_on is not None:
        relative = _RELATIVE_RE.finditer(text) if _RELATIVE_HINT_RE.search(text) else ()
        for found in relative:
            when = (found.group("when") or found.group("when2") or found.group("when3")).lower()
            then = sent_on - timedelta(days=1) if when == "yesterday" else sent_on
            cues.setdefault(
                (then.month, then.day, then.year),
                DateCue(month=then.month, day=then.day, year=then.year, text=found.group(0)),
            )
        for found in _WEEKDAY_RE.finditer(text):
            named = next(g for g in found.group("day", "your", "on", "after") if g).lower()
            then = sent_on - timedelta(days=(sent_on.weekday() - _WEEKDAYS.index(named)) % 7)
            cues.setdefault(
                (then.month, then.day, then.year),
                DateCue(month=then.month, day=then.day, year=then.year, text=found.group(0)),
            )
        # "last week's story" spans last week; "this week's editorial" the days so far
        monday = sent_on - timedelta(days=sent_on.weekday())
        for hint, pattern, first, span_days, tag in (
            (_LAST_WEEK_HINT_RE, _LAST_WEEK_RE, monday - timedelta(days=7), 6, -1),
            (_THIS_WEEK_HINT_RE, _THIS_WEEK_RE, monday, sent_on.weekday(), -2),
        ):
            week = pattern.search(text) if hint.search(text) else None
            if week is not None:
                cues.setdefault(
                    (first.month, first.day, tag),
                    DateCue(
                        month=first.month,
                        day=first.day,
                        year=first.year,
                        text=week.group(0),
                        span_days=span_days,
                    ),
                )
    return tuple(cues.values())
