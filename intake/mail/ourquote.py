"""Our own mail quoted in an answer: where it starts, and the answer without it.

Pure: no I/O.  intake wrote the request (or reminder) the author answers, so
the cut point is our own text, wherever and however the author's client
quoted it: the :data:`RESPONSE_MARKER` line our requests carry, an
attribution or header line naming our address or name ("On … The Nation
Letters <letters@…> wrote:", "From: / Sent: / To: / Subject:" in any
language), or the opening words of our mail, quoted with or without ``>``
and re-wrapped at any width.  The cut goes back over the separator, header
block and attribution above the first such sign.  Lines of the author's own
after that point (an answer between or below the quoted lines) are kept.

Words are compared as runs of :data:`_GRAM` lower-cased word tokens, so the
search is linear in the size of the answer.  :func:`extract_answer` is the
reply path's entry: our quote cut, then the author's sign-off
(:mod:`intake.mail.signoff`); mail that does not quote us goes to the generic
extractor (:func:`intake.mail.replytext.extract_reply`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from intake.domain.model import ParsedMail, ReplyText
from intake.mail.htmltext import html_to_quoted_text, html_to_text
from intake.mail.quotemarks import (
    ENDS_WITH_VERB_RE,
    attribution_start,
    header_key,
    is_quote_line,
    is_separator,
)
from intake.mail.replytext import extract_reply
from intake.mail.signoff import known_names, split_signoff

# Our requests open with this line (templates/mail/author_request.*); see
# intake.printing.render, which hands it to the templates.
RESPONSE_MARKER: Final = "Please write your response above this line"
_MARKER_WORDS: Final = ("write", "your", "response", "above", "this", "line")

_GRAM: Final = 6  # words in a row that must match our text
_OPENING: Final = 45  # our mail's first words: where a quote of it starts
_QUOTE_PREFIX_RE: Final = re.compile(r"^(?:\s*>)+\s?")
_WORD_RE: Final = re.compile(r"\w+")
_RULE_RE: Final = re.compile(r"^\s*[-_=*—–]{3,}\s*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class SentMail:
    """What we know of a message we sent, enough to find it quoted in an answer."""

    text: str
    html: str = ""
    from_name: str = ""
    from_address: str = ""
    reply_address: str = ""
    to_name: str = ""

    @classmethod
    def of(cls, mail: ParsedMail) -> SentMail:
        """Return what *mail* (one of ours, parsed) tells about itself."""
        reply_to = mail.reply_to[0].email if mail.reply_to else ""
        return cls(
            text="" if mail.text_from_html else mail.text,
            html=mail.html,
            from_name=mail.sender.name if mail.sender else "",
            from_address=mail.sender.email if mail.sender else "",
            reply_address=reply_to,
            to_name=mail.to[0].name if mail.to else "",
        )


def _tokens(text: str) -> list[str]:
    return _WORD_RE.findall(text.casefold())


def _unquoted(line: str) -> str:
    return _QUOTE_PREFIX_RE.sub("", line)


@dataclass(frozen=True, slots=True)
class _Ours:
    grams: frozenset[tuple[str, ...]]
    opening: frozenset[tuple[str, ...]]
    names: tuple[str, ...]

    @classmethod
    def of(cls, sent: Sequence[SentMail]) -> _Ours:
        grams: set[tuple[str, ...]] = set()
        opening: set[tuple[str, ...]] = set()
        names: set[str] = set()
        for mail in sent:
            for body in (mail.text, html_to_text(mail.html) if mail.html else ""):
                words = _tokens(body)
                found = [tuple(words[i : i + _GRAM]) for i in range(len(words) - _GRAM + 1)]
                grams.update(found)
                opening.update(found[:_OPENING])
            names.update(
                n.casefold()
                for n in (mail.from_address, mail.reply_address, mail.from_name)
                if len(n) >= 6
            )
        return cls(frozenset(grams), frozenset(opening), tuple(sorted(names)))


@dataclass(frozen=True, slots=True)
class _Found:
    start: int  # first line of the cut: separator, header block or attribution
    text_at: int | None  # first line of our own text, when any is quoted
    covered: frozenset[int]  # lines most of whose words are our text


def _is_marker(line: str) -> bool:
    words = _tokens(line)
    return any(
        tuple(words[i : i + len(_MARKER_WORDS)]) == _MARKER_WORDS
        for i in range(len(words) - len(_MARKER_WORDS) + 1)
    )


def _names_us(lines: list[str], index: int, ours: _Ours) -> bool:
    """An attribution or header line naming our address or name ("… Letters <…> wrote:")."""
    line = " ".join(_unquoted(lines[index]).split())
    if len(line) > 300 or not any(name in line.casefold() for name in ours.names):
        return False
    if header_key(line) is not None:
        return True
    nearby = [" ".join(_unquoted(x).split()) for x in lines[index : index + 3]]
    ends = [" ".join(nearby[: n + 1]) for n in range(len(nearby)) if nearby[n]]
    return any(x.endswith((":", "：")) or ENDS_WITH_VERB_RE.search(x) for x in ends)


def _locate_text(lines: list[str], ours: _Ours) -> tuple[int | None, frozenset[int]]:
    """Return the first line where our mail's opening is quoted, and the lines that are ours."""
    positions: list[int] = []
    words: list[str] = []
    for index, line in enumerate(lines):
        found = _tokens(_unquoted(line))
        words.extend(found)
        positions.extend([index] * len(found))
    hits = [False] * len(words)
    first = None
    for i in range(len(words) - _GRAM + 1):
        gram = tuple(words[i : i + _GRAM])
        if gram in ours.grams:
            hits[i : i + _GRAM] = [True] * _GRAM
            if first is None and gram in ours.opening:
                first = positions[i]
    per_line: dict[int, list[bool]] = {}
    for position, hit in zip(positions, hits, strict=True):
        per_line.setdefault(position, []).append(hit)
    covered = frozenset(i for i, marks in per_line.items() if sum(marks) * 2 >= len(marks))
    return first, covered


def _header_block_top(lines: list[str], end: int) -> int | None:
    """Return the top of a "From: / Sent: / To: / Subject:" block ending on line *end*."""
    top, headers, loose = None, 0, 0
    index = end
    while index >= 0 and lines[index].strip():
        if header_key(_unquoted(lines[index])) is not None:
            top, headers, loose = index, headers + 1, 0
        else:
            loose += 1  # a long value wrapped onto the next line
            if loose > 2:
                break
        index -= 1
    return top if top is not None and headers >= 2 else None


def _walk_back(lines: list[str], start: int, ours: _Ours) -> int:
    """Move *start* up over the separator, header block and attribution above it."""
    plain = [_unquoted(line) for line in lines]
    while True:
        above = start - 1
        while above >= 0 and not _unquoted(lines[above]).strip():
            above -= 1
        if above < 0:
            return start
        if is_separator(plain[above]) or _RULE_RE.match(plain[above]):
            start = above
            continue
        top = _header_block_top(plain, above)
        if top is not None:
            start = top
            continue
        attributed = attribution_start(plain, above)
        if attributed is not None:
            start = attributed
            continue
        if _names_us(lines, above, ours) and above >= start - 3:
            start = above
            continue
        return start


@lru_cache(maxsize=16)
def _ours_of(sent: tuple[SentMail, ...]) -> _Ours:
    return _Ours.of(sent)


def find_our_mail(text: str, sent: Sequence[SentMail]) -> _Found | None:
    """Return where our mail starts in *text* (an answer to it), or ``None``."""
    ours = _ours_of(tuple(sent))
    lines = text.split("\n")
    text_at, covered = _locate_text(lines, ours)
    marker = next((i for i, x in enumerate(lines) if i not in covered and _is_marker(x)), None)
    named = next((i for i in range(len(lines)) if _names_us(lines, i, ours)), None)
    signs = [i for i in (marker, named, text_at) if i is not None]
    if not signs:
        return None
    return _Found(start=_walk_back(lines, min(signs), ours), text_at=text_at, covered=covered)


def _after_ours(lines: list[str], found: _Found) -> list[int]:
    """Lines of the author's own below the start of our quote (an interleaved or late answer)."""
    if found.text_at is None:
        return []
    return [
        i
        for i in range(found.text_at + 1, len(lines))
        if lines[i].strip()
        and not is_quote_line(lines[i])
        and i not in found.covered
        and not _is_marker(lines[i])
        and header_key(lines[i]) is None
        and attribution_start(lines, i) is None
    ]


def _blocks(lines: list[str], indices: list[int]) -> list[str]:
    blocks: list[list[str]] = []
    previous = -2
    for index in indices:
        if blocks and index == previous + 1:
            blocks[-1].append(lines[index].rstrip())
        else:
            blocks.append([lines[index].rstrip()])
        previous = index
    return ["\n".join(block) for block in blocks]


def cut_at_our_mail(text: str, sent: Sequence[SentMail]) -> ReplyText | None:
    """Return *text* without our quoted mail, or ``None`` when it does not quote us."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = find_our_mail(text, sent)
    if found is None:
        return None
    lines = text.split("\n")
    later = _after_ours(lines, found)
    top = "\n".join(line.rstrip() for line in lines[: found.start]).strip("\n")
    kept = [top] if top.strip() else []
    kept += _blocks(lines, later)
    later_set = set(later)
    cut = "\n".join(
        line for i, line in enumerate(lines) if i >= found.start and i not in later_set
    ).strip("\n")
    return ReplyText(text="\n\n".join(kept), cut=cut)


def _bodies(mail: ParsedMail) -> list[str]:
    quoted_html = html_to_quoted_text(mail.html) if mail.html.strip() else ""
    if mail.text_from_html:
        return [quoted_html]
    return [mail.text, quoted_html]


def extract_answer(mail: ParsedMail, sent: Sequence[SentMail]) -> ReplyText:
    """Return the new text of *mail*, an answer to our *sent* mail, and what was cut.

    Cut at the first sign of our own mail in the text part (or the HTML,
    read with its blockquotes as ``>`` quotes); then the author's sign-off.
    Mail that quotes none of ours goes through the generic extractor.
    """
    names = known_names(mail.sender.name if mail.sender else "", *(m.to_name for m in sent))
    reply = None
    for body in _bodies(mail) if sent else ():
        reply = cut_at_our_mail(body, sent) if body.strip() else None
        if reply is not None:
            break
    if reply is None:
        reply = extract_reply(mail)
    text, signoff = split_signoff(reply.text, names)
    if not signoff:
        return reply
    cut = "\n\n".join(piece for piece in (signoff, reply.cut) if piece)
    signature = "\n\n".join(piece for piece in (signoff, reply.signature) if piece)
    return ReplyText(text=text, cut=cut, signature=signature)
