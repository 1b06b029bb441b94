"""A letter's life as an explicit, table-driven state machine.

Every state change goes through :func:`advance`, which returns the
:class:`Transition` the store persists together with an audit row.  Side
effects (sending mail, rendering) never happen in here: the service performs
them and records the event.  Pure: no I/O, no clock (``at`` is passed in).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from intake.domain.errors import IllegalTransition


class LetterState(StrEnum):
    """Where a letter stands, in words an editor uses."""

    received = "received"  # classified as a letter; article and author being resolved
    needs_review = "needs_review"  # an editor must decide: unsure verdict, no article, no author
    awaiting_author = "awaiting_author"  # the author has been asked; the deadline runs
    response_received = "response_received"  # the author's reply has been matched
    no_response = "no_response"  # the deadline passed without a reply
    declined = "declined"  # the author said they will not respond
    ready = "ready"  # formatted and previewable, waiting for an editor's approve
    approved = "approved"  # an editor said print it: the next publishing run writes it out
    held = "held"  # set aside by an editor or by a delivery failure
    published = "published"  # written out; an editor may still retract it
    retracted = "retracted"  # withdrawn after publishing: files removed, may be approved again
    rejected = "rejected"  # terminal: an editor said no


class Event(StrEnum):
    """What happened to a letter."""

    request_queued = "request_queued"  # the author request went into the outbox
    flagged = "flagged"  # sent to the editors for review
    released = "released"  # an editor sent it back into the flow
    response_matched = "response_matched"
    deadline_passed = "deadline_passed"
    author_declined = "author_declined"
    request_failed = "request_failed"  # the author request bounced or was refused
    readied = "readied"  # formatted for print; an editor's approve is awaited
    approved = "approved"
    held = "held"
    published = "published"
    retracted = "retracted"  # an editor withdrew a published letter
    rejected = "rejected"


S, E = LetterState, Event
_OPEN: Final = (
    S.received,
    S.needs_review,
    S.awaiting_author,
    S.response_received,
    S.no_response,
    S.declined,
    S.ready,
    S.approved,
    S.held,
    S.retracted,
)
# the states an editor's approve takes a letter from
_APPROVABLE: Final = (S.ready, S.response_received, S.no_response, S.declined, S.needs_review,
                      S.retracted)  # fmt: skip
TRANSITIONS: Final[Mapping[tuple[LetterState, Event], LetterState]] = MappingProxyType(
    {
        (S.received, E.request_queued): S.awaiting_author,
        (S.received, E.flagged): S.needs_review,
        (S.needs_review, E.released): S.received,
        (S.held, E.released): S.received,
        (S.awaiting_author, E.response_matched): S.response_received,
        (S.awaiting_author, E.deadline_passed): S.no_response,
        (S.awaiting_author, E.author_declined): S.declined,
        (S.awaiting_author, E.request_failed): S.needs_review,
        # a late reply after the deadline is still welcome, also once the letter is ready
        # to print alone (an editor takes it: the response then waits for approval again)
        (S.no_response, E.response_matched): S.response_received,
        (S.ready, E.response_matched): S.response_received,
        # an editor released a held letter that already has its author's response
        (S.received, E.response_matched): S.response_received,
        # the publishing run formats a letter with its response, and (as the house style
        # says) one its author declined or let lapse; it then waits for an editor
        **{(s, E.readied): S.ready for s in (S.response_received, S.no_response, S.declined)},
        # only an editor's approve makes a letter publishable: one that is ready, or one
        # an editor prints as it is (under review, unanswered), or a retracted one again
        **{(s, E.approved): S.approved for s in _APPROVABLE},
        (S.approved, E.published): S.published,
        (S.published, E.retracted): S.retracted,
        **{(s, E.held): S.held for s in _OPEN if s is not S.held},
        **{(s, E.rejected): S.rejected for s in _OPEN},
    }
)
TERMINAL: Final = frozenset({S.rejected})
# the states whose letter is, or was, in print: corrections re-render (or keep out) its files
IN_PRINT: Final = frozenset({S.published, S.retracted})


@dataclass(frozen=True, slots=True, kw_only=True)
class Transition:
    """One state change, as persisted in the audit trail."""

    letter_id: int
    event: Event
    source: LetterState
    target: LetterState
    at: datetime
    actor: str = "intake"
    note: str = ""


def advance(
    letter_id: int,
    state: LetterState,
    event: Event,
    *,
    at: datetime,
    actor: str = "intake",
    note: str = "",
) -> Transition:
    """Return the transition *event* causes for a letter in *state*.

    :raises IllegalTransition: if *event* is not allowed in *state*.
    """
    try:
        target = TRANSITIONS[state, event]
    except KeyError:
        raise IllegalTransition(letter_id, state, event) from None
    return Transition(
        letter_id=letter_id, event=event, source=state, target=target, at=at, actor=actor, note=note
    )


def allowed_events(state: LetterState) -> tuple[Event, ...]:
    """Return the events a letter in *state* accepts, in declaration order."""
    return tuple(e for e in Event if (state, e) in TRANSITIONS)
