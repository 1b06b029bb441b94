"""One unit of work: what a use case needs to act inside one transaction.

A use case that reads or writes the database takes a :class:`Work` — the
wired dependencies, the open session and the moment it acts at — instead of
the ``(deps, session, now)`` triple.  :func:`begin` is the one way to make one:
it opens the transaction (committed when the block ends, rolled back on an
error) and reads the clock once, so every row the unit writes carries the same
time.  Only :mod:`intake.app` begins units; the command line and the worker
call the use cases that do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlmodel import Session

from intake.app.deps import Deps

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Work:
    """The dependencies, the open transaction and the time of one unit of work."""

    deps: Deps
    session: Session
    now: datetime


@contextmanager
def begin(deps: Deps) -> Iterator[Work]:
    """Open a transaction and read the clock: the unit commits when the block ends."""
    with deps.store.session() as session:
        yield Work(deps, session, deps.clock.now())


def carry_out(deps: Deps, action: Callable[[Work], T]) -> T:
    """Run *action* as one unit of work, committed when it returns."""
    with begin(deps) as work:
        return action(work)
