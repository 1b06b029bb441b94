"""What the print templates receive: a letter (and its response) in the house style.

:func:`pair_view` turns one letter as the database holds it (:class:`PrintInput`)
into a :class:`PairView`: the house headline, dek, salutation and responds
line filled in, the letter cleaned and split by :mod:`intake.printing.letterbody`,
the editors' corrections (signature, town, dek, headline) winning over what was parsed,
typography set as the house style says.  :func:`page_view` groups several
pairs by article for a letters page.

Nothing prints a control character: every field of the input passes
:mod:`intake.domain.controlchars` first (names, titles, town, dek and
signature lines as one line; the letter and response keep their newlines),
and the article's URL is kept only when it is a plain web address
(:func:`intake.domain.weblinks.web_address`), since a CMS makes it a link.

Contact details never get this far: every signature line and the writer's
name are checked again here, so an editor's correction cannot print a phone
number or an address either.  Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from intake.domain.controlchars import multiline, one_line
from intake.domain.weblinks import web_address
from intake.printing.housestyle import HouseStyle, fill
from intake.printing.letterbody import prepare_letter, prepare_response
from intake.printing.signature import is_private, town_of
from intake.printing.typography import smarten

ANSWERED = "answered"
DECLINED = "declined"
NO_RESPONSE = "no_response"
UNANSWERED = "unanswered"  # no response and no decline or deadline on record (an editor's call)
STATUSES = (ANSWERED, DECLINED, NO_RESPONSE, UNANSWERED)
_DEFAULT_STYLE = HouseStyle()


@dataclass(frozen=True, slots=True, kw_only=True)
class PrintInput:
    """One letter as publishing reads it from the database."""

    letter_id: int
    article_title: str
    article_url: str
    author_name: str
    writer_name: str  # the From display name; never the address
    letter_text: str
    response_text: str | None = None  # None: nothing to print after the letter
    status: str = ANSWERED
    signature: tuple[str, ...] | None = None  # the stored lines an editor may correct; None: parse
    town: str | None = None  # the stored town; None: the signature's
    dek: str = ""  # an editor's dek; "": the house style's
    headline: str = ""  # an editor's headline; "": the house style's
    published_on: str = ""  # ISO date
    publication: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PairView:
    """A letter and its response, ready for every published format."""

    letter_id: int
    article_title: str
    article_url: str
    author_name: str
    writer_name: str  # as signed, for the dek and the JSON; "" when there is no name to print
    town: str
    headline: str
    dek: str
    salutation: str  # the house salutation
    letter_paragraphs: tuple[str, ...]
    signature: tuple[str, ...]
    responds: str  # "Michelle Chen responds:"; "" when there is no response
    response_paragraphs: tuple[str, ...]
    note: str  # the house note under an unanswered letter, or ""
    status: str  # one of STATUSES
    published_on: str  # ISO date, for the JSON and the front matter only


@dataclass(frozen=True, slots=True, kw_only=True)
class PageGroup:
    """The letters about one article, in the order they were published."""

    article_title: str
    article_url: str
    headline: str
    letters: tuple[PairView, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PageView:
    """A letters page: every pair published on a day (or in an issue's days), by article."""

    title: str
    date_label: str
    first_day: str  # ISO dates
    last_day: str
    groups: tuple[PageGroup, ...]

    @property
    def letter_count(self) -> int:
        return sum(len(group.letters) for group in self.groups)


def pair_view(inp: PrintInput, style: HouseStyle = _DEFAULT_STYLE) -> PairView:
    """Prepare a letter and its response for print in *style*."""
    if inp.status not in STATUSES:
        raise ValueError(f"unknown status {inp.status!r}; expected one of {STATUSES}")
    inp = _without_controls(inp)
    sender = "" if is_private(inp.writer_name) else inp.writer_name.strip()
    body = prepare_letter(inp.letter_text, sender_name=sender)
    stored = inp.signature if inp.signature else None
    signature = [
        line for line in (stored or body.signature) if line.strip() and not is_private(line)
    ]
    town = inp.town if inp.town is not None else town_of(signature)
    town = "" if is_private(town) else town
    response = (
        prepare_response(inp.response_text, author_name=inp.author_name)
        if inp.response_text
        else ()
    )

    def typeset(text: str) -> str:
        return smarten(text, dash=style.dash).strip() if style.typography else text

    # The signature's first line is the name as the writer signs it (with its
    # accents, unlike many From display names); the parser put the sender there
    # only when the letter is unsigned and the sender's name is a person's.
    # With no name at all the letter carries the finding "no name to print";
    # the house dek then speaks of "a reader", and no signature is printed.
    writer = typeset(signature[0]) if signature else ""
    title, author = typeset(inp.article_title), typeset(inp.author_name)
    values = {
        "title": title,
        "writer": writer or "a reader",
        "town": typeset(town),
        "author": author,
        "publication": inp.publication,
    }
    note_pattern = {DECLINED: style.declined_note, NO_RESPONSE: style.no_response_note}
    note = note_pattern.get(inp.status, "")
    return PairView(
        letter_id=inp.letter_id,
        article_title=title,
        article_url=inp.article_url,
        author_name=author,
        writer_name=writer,
        town=values["town"],
        headline=(
            typeset(inp.headline.strip()) if inp.headline.strip() else fill(style.headline, values)
        ),
        dek=typeset(inp.dek.strip()) if inp.dek.strip() else fill(style.dek, values),
        salutation=fill(style.salutation, values),
        letter_paragraphs=tuple(typeset(p) for p in body.paragraphs),
        signature=tuple(typeset(line) for line in signature),
        responds=fill(style.responds, values) if response else "",
        response_paragraphs=tuple(typeset(p) for p in response),
        note=fill(note, values) if note and not response else "",
        status=inp.status,
        published_on=inp.published_on,
    )


def _without_controls(inp: PrintInput) -> PrintInput:
    """*inp* with no control character in any field, and a URL only when it is a web address."""
    return replace(
        inp,
        article_title=one_line(inp.article_title),
        article_url=web_address(one_line(inp.article_url)),
        author_name=one_line(inp.author_name),
        writer_name=one_line(inp.writer_name),
        letter_text=multiline(inp.letter_text),
        response_text=multiline(inp.response_text) if inp.response_text is not None else None,
        signature=tuple(map(one_line, inp.signature)) if inp.signature is not None else None,
        town=one_line(inp.town) if inp.town is not None else None,
        dek=one_line(inp.dek),
        publication=one_line(inp.publication),
    )


def page_view(
    pairs: Iterable[PairView], style: HouseStyle, *, first: date, last: date, publication: str
) -> PageView:
    """Group *pairs* by article (in order of first appearance) into a letters page."""
    groups: dict[str, list[PairView]] = {}
    for pair in pairs:
        groups.setdefault(pair.article_url or pair.article_title, []).append(pair)
    label = _date_label(style, first)
    if last != first:
        label = f"{label} \u2013 {_date_label(style, last)}"
    return PageView(
        title=fill(style.page_title, {"date": label, "publication": publication}),
        date_label=label,
        first_day=first.isoformat(),
        last_day=last.isoformat(),
        groups=tuple(
            PageGroup(
                article_title=letters[0].article_title,
                article_url=letters[0].article_url,
                headline=letters[0].headline,
                letters=tuple(letters),
            )
            for letters in groups.values()
        ),
    )


def _date_label(style: HouseStyle, day: date) -> str:
    return fill(
        style.page_date,
        {
            "day": str(day.day),
            "month": day.strftime("%B"),
            "year": str(day.year),
            "weekday": day.strftime("%A"),
        },
    )
