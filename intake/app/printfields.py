"""A letter's print fields: filled in when the letter is taken, corrected by editors.

When inbound takes a letter, :func:`fill_print_fields` parses its end into
the row's ``signature`` (the lines for print, JSON), ``writer_town``, and the
contact details kept private for verification (``writer_phone``,
``writer_street``).  The ``dek``, ``headline`` and ``responder_name`` stay
empty, meaning the house style's and the catalogue's, until an editor writes
one.  Publishing prints the stored values, so an editor's correction wins over
the parser: :func:`set_field` takes the names editors use (``set 12 name Jane
Marlow`` by email, ``intake set 12 name Jane Marlow``), :func:`set_print_field`
the stored fields themselves.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from intake.adapters.store import LetterRow, Store, dumps, loads
from intake.domain.errors import NotFound
from intake.domain.lifecycle import LetterState
from intake.domain.model import ParsedMail
from intake.printing.letterbody import prepare_letter
from intake.printing.signature import town_of

log = logging.getLogger(__name__)

# field name → what it holds; the signature takes a list of lines, the others text
EDITABLE = {
    "dek": "the line under the headline (empty: the house style's)",
    "headline": "the headline (empty: the house style's)",
    "responder_name": "the responding author's name as printed (empty: the catalogue's)",
    "signature": "the signature lines for print: name / title / organisation / town",
    "writer_town": "the writer's town",
}
# the names editors set fields by → what each changes, for the command's help and refusals
FIELDS = {
    "name": "the writer's printed name (the signature's first line)",
    "town": "the writer's town (the signature's last line)",
    "title": "the title / organisation lines between name and town (separate lines with /)",
    "dek": "the line under the headline (empty: the house style's)",
    "headline": "the headline (empty: the house style's)",
    "responder": "the responding author's printed name (empty: the catalogue's)",
}
# the fields that are lines of the signature; setting one returns the whole signature
SIGNATURE_FIELDS = frozenset({"name", "town", "title"})
_ALIASES = {"organisation": "title", "organization": "title", "author": "responder"}


def fill_print_fields(letter: LetterRow, mail: ParsedMail) -> None:
    """Parse *mail*'s signature block into *letter*'s print fields (not yet saved).

    Never raises: a letter whose signature cannot be parsed is still a letter;
    publishing parses it again and the editors can fill the fields in.
    """
    try:
        body = prepare_letter(mail.text, sender_name=mail.sender.name if mail.sender else "")
    except Exception:  # a parser bug must not quarantine a reader's letter
        log.exception("letter from %s: signature not parsed", letter.writer_email)
        return
    letter.signature = dumps(body.signature)
    letter.writer_town = body.town
    letter.writer_phone = body.contact.phone
    letter.writer_street = body.contact.street


def stored_signature(letter: LetterRow) -> tuple[str, ...] | None:
    """The signature lines on record, or ``None`` when none were stored (parse the letter)."""
    try:
        lines = tuple(line for line in loads(letter.signature) if line.strip())
    except json.JSONDecodeError:
        return None
    return lines or None


def set_print_field(s: Session, letter_id: int, name: str, value: str | Sequence[str], *,
                    actor: str, at: datetime) -> None:  # fmt: skip
    """Set one print field of a letter, as an editor, with an audit row naming them.

    :raises NotFound: for an unknown letter.
    :raises ValueError: for a field that is not in :data:`EDITABLE`.
    :raises TypeError: for a value of the wrong kind.
    """
    letter = s.get(LetterRow, letter_id)
    if letter is None:
        raise NotFound(f"no letter {letter_id}")
    shown = _assign(letter, name, value)
    _noted(s, letter, f"{name}: {shown}", actor=actor, at=at)


def _assign(letter: LetterRow, name: str, value: str | Sequence[str]) -> str:
    """Store one field on *letter* (not yet saved); return it as the audit shows it."""
    if name not in EDITABLE:
        raise ValueError(f"{name!r} is not a print field; one of {', '.join(EDITABLE)}")
    if name == "signature":
        if isinstance(value, str):
            value = value.splitlines()
        lines = [line.strip() for line in value if line.strip()]
        letter.signature = dumps(lines)
        return " / ".join(lines)
    if not isinstance(value, str):
        raise TypeError(f"{name} takes text, not a list")
    setattr(letter, name, value.strip())
    return value.strip()


def _noted(s: Session, letter: LetterRow, note: str, *, actor: str, at: datetime) -> None:
    """Save *letter* and the audit row; a letter in print is marked for re-rendering."""
    assert letter.id is not None
    letter.updated_at = at
    if letter.state == LetterState.published:
        letter.reprint = True
        note += "; its published files are re-rendered"
    s.add(letter)
    Store.note(s, at=at, event="print_field_edited", letter_id=letter.id, actor=actor, note=note)


def field_name(word: str) -> str:
    """The field an editor means by *word* (``name``, ``town``, ``title``, …).

    :raises ValueError: naming the fields there are.
    """
    name = _ALIASES.get(word.strip().lower(), word.strip().lower())
    if name not in FIELDS:
        raise ValueError(f"{word!r} is not a print field; one of {', '.join(FIELDS)}")
    return name


def _signature_now(letter: LetterRow, letter_text: str) -> tuple[list[str], str]:
    """The signature lines as they would print now and which of them is the town ("")."""
    stored = stored_signature(letter)
    if stored is not None:
        lines = list(stored)
        town = letter.writer_town if letter.writer_town in lines else ""
    else:
        body = prepare_letter(letter_text, sender_name=letter.writer_name)
        lines, town = list(body.signature), body.town
    return lines, town or town_of(lines)


def set_field(s: Session, letter_id: int, word: str, value: str, *, letter_text: str,
              actor: str, at: datetime) -> str:  # fmt: skip
    """Set the print field an editor names by *word* to *value*; return what it now says
    (for a line of the signature, the whole signature: ``Jane Marlow / Eastbay``).

    *letter_text* is the letter as edited (its signature, when none is stored yet).
    An empty *value* clears the dek, headline, responder, title or town.

    :raises ValueError: for an unknown field or an empty name.
    :raises NotFound: for an unknown letter.
    """
    name, value = field_name(word), " ".join(value.split())
    letter = s.get(LetterRow, letter_id)
    if letter is None:
        raise NotFound(f"no letter {letter_id}")
    stored = {"dek": "dek", "headline": "headline", "responder": "responder_name"}
    if name in stored:
        _assign(letter, stored[name], value)
        _noted(s, letter, f"{name}: {value or '(cleared)'}", actor=actor, at=at)
        return value
    lines, town = _signature_now(letter, letter_text)
    writer, middle = (lines[0], lines[1:]) if lines else ("", [])
    if town and middle and middle[-1] == town:
        middle = middle[:-1]
    if name == "name":
        if not value:
            raise ValueError("the printed name cannot be empty")
        writer = value
    elif name == "town":
        town = value
    else:
        middle = [part.strip() for part in value.split("/") if part.strip()]
    if not writer:
        raise ValueError(f"letter {letter_id} has no printed name yet: set {letter_id} name …")
    shown = _assign(letter, "signature", [writer, *middle, *([town] if town else [])])
    _assign(letter, "writer_town", town)
    _noted(s, letter, f"{name}: {value or '(cleared)'} (signature: {shown})", actor=actor, at=at)
    return shown
