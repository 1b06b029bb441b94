"""A letter's print fields: filled in when the letter is taken, corrected by editors.

When inbound takes a letter, :func:`fill_print_fields` parses its end into
the row's ``signature`` (the lines for print, JSON), ``writer_town``, and the
contact details kept private for verification (``writer_phone``,
``writer_street``).  The ``dek`` stays empty, meaning the house style's, until
an editor writes one.  Publishing prints the stored values, so an editor's
correction (:func:`set_print_field`) wins over the parser.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from intake.adapters.store import LetterRow, Store, dumps, loads
from intake.domain.errors import NotFound
from intake.domain.model import ParsedMail
from intake.printing.letterbody import prepare_letter

log = logging.getLogger(__name__)

# field name → what it holds; the signature takes a list of lines, the others text
EDITABLE = {
    "dek": "the line under the headline (empty: the house style's)",
    "signature": "the signature lines for print: name / title / organisation / town",
    "writer_town": "the writer's town",
}


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
    :raises ValueError: for a field that is not in :data:`EDITABLE` or a value of the wrong kind.
    """
    if name not in EDITABLE:
        raise ValueError(f"{name!r} is not a print field; one of {', '.join(EDITABLE)}")
    letter = s.get(LetterRow, letter_id)
    if letter is None:
        raise NotFound(f"no letter {letter_id}")
    if name == "signature":
        if isinstance(value, str):
            value = value.splitlines()
        lines = [line.strip() for line in value if line.strip()]
        letter.signature = dumps(lines)
        shown = " / ".join(lines)
    else:
        if not isinstance(value, str):
            raise ValueError(f"{name} takes text, not a list")
        setattr(letter, name, value.strip())
        shown = value.strip()
    letter.updated_at = at
    s.add(letter)
    Store.note(s, at=at, event="print_field_edited", letter_id=letter_id, actor=actor,
               note=f"{name}: {shown}")  # fmt: skip
