"""The letter state machine: every (state, event) pair is either in the table or refused."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import product

import pytest

from intake.domain.errors import IllegalTransition
from intake.domain.lifecycle import (
    TERMINAL,
    TRANSITIONS,
    Event,
    LetterState,
    advance,
    allowed_events,
)

AT = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("state", "event"), list(product(LetterState, Event)))
def test_each_pair_maps_to_its_target_or_raises(state: LetterState, event: Event) -> None:
    if (state, event) in TRANSITIONS:
        t = advance(7, state, event, at=AT, actor="ed@news.test", note="why")
        assert (t.source, t.target, t.letter_id, t.actor, t.note) == (
            state, TRANSITIONS[state, event], 7, "ed@news.test", "why")  # fmt: skip
    else:
        with pytest.raises(IllegalTransition) as caught:
            advance(7, state, event, at=AT)
        assert caught.value.state == state and caught.value.event == event


def test_terminal_states_have_no_way_out() -> None:
    for state in TERMINAL:
        assert allowed_events(state) == ()


def _reachable(start: LetterState) -> set[LetterState]:
    seen, todo = {start}, [start]
    while todo:
        here = todo.pop()
        for (source, _event), target in TRANSITIONS.items():
            if source == here and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_every_state_is_reachable_from_received() -> None:
    assert _reachable(LetterState.received) == set(LetterState)


def test_every_open_state_can_end() -> None:
    for state in set(LetterState) - TERMINAL:
        assert _reachable(state) & TERMINAL, state


def test_the_happy_path() -> None:
    state = LetterState.received
    for event in (Event.request_queued, Event.response_matched, Event.readied, Event.approved,
                  Event.published):  # fmt: skip
        state = advance(1, state, event, at=AT).target
    assert state is LetterState.published
