"""The editors' corrections and withdrawals: set a print field, retract a published letter.

``set 12 name Jane Marlow`` (by email; ``intake set 12 name Jane Marlow`` on the
command line) stores what is printed over what was parsed: the writer's name,
town and title/organisation lines, the dek, the headline and the responding
author's name (:mod:`intake.app.printfields`).  ``retract 12 reason`` withdraws a
published letter: it becomes ``retracted``, its files and its place on any
letters page go (:mod:`intake.app.reprint`), and it can be corrected and
approved again.  Both act in the caller's unit of work, like every action of
:mod:`intake.app.desk`, and leave an audit row naming the editor; a change to a
letter in print marks it for re-rendering, which the command line does at once
and the worker on its next round.
"""

from __future__ import annotations

from sqlmodel import Session

from intake.adapters.store import LetterRow, Store
from intake.app import printfields
from intake.app.desk import Outcome, Refused, current_texts
from intake.app.work import Work
from intake.domain.errors import IllegalTransition
from intake.domain.lifecycle import Event, LetterState, advance

S = LetterState


def _locked(s: Session, letter_id: int) -> LetterRow:
    letter = s.get(LetterRow, letter_id, with_for_update=True)
    if letter is None:
        raise Refused(f"there is no letter {letter_id}")
    return letter


def _in_print_note(letter: LetterRow) -> str:
    return "; its published files are re-rendered" if letter.state == S.published else ""


def set_field(work: Work, letter_id: int, field: str, value: str, *, actor: str) -> Outcome:
    """Set one print field of a letter as an editor names it (``name``, ``town``, ``title``,
    ``dek``, ``headline``, ``responder``); an empty value clears all but the name."""
    letter = _locked(work.session, letter_id)
    if letter.state == S.rejected:
        raise Refused(f"letter {letter_id} is rejected")
    text, _ = current_texts(work, letter_id)
    try:
        shown = printfields.set_field(work.session, letter_id, field, value, letter_text=text,
                                      actor=actor, at=work.now)  # fmt: skip
    except ValueError as exc:
        raise Refused(str(exc)) from None
    name = printfields.field_name(field)
    said = f"set to “{' '.join(value.split())}”" if value.strip() else "cleared"
    signed = f" (signature: {shown})" if name in printfields.SIGNATURE_FIELDS else ""
    return Outcome(f"letter {letter_id}: {name} {said}{signed}{_in_print_note(letter)}",
                   letter_id, letter.state)  # fmt: skip


def retract(work: Work, letter_id: int, *, actor: str, reason: str = "") -> Outcome:
    """Withdraw a published letter: ``retracted``, its files and page entries to be removed."""
    if not reason.strip():
        raise Refused(f"say why letter {letter_id} is retracted: retract {letter_id} REASON")
    s = work.session
    letter = _locked(s, letter_id)
    try:
        t = advance(letter_id, S(letter.state), Event.retracted, at=work.now, actor=actor,
                    note=reason)  # fmt: skip
    except IllegalTransition:
        raise Refused(f"letter {letter_id} is {letter.state.replace('_', ' ')}: only a "
                      "published letter can be retracted") from None  # fmt: skip
    Store.apply(s, t)
    letter.reprint = True
    s.add(letter)
    return Outcome(f"letter {letter_id} retracted: its published files and letters-page entry "
                   f"are removed; correct it and approve {letter_id} to publish it again",
                   letter_id, letter.state)  # fmt: skip
