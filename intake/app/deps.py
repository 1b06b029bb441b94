"""What the use cases need, bundled: the policy values and the ports.

``intake.worker`` builds a :class:`Deps` from the settings; tests build one
with their own parts.  :class:`Policy` has no defaults of its own: every
value comes from the settings, whose schema (``intake.config.sections``) is
the one place a default is written.  Nothing here does I/O.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from intake.adapters.store import Store
from intake.domain.ports import Clock, Mailbox, Transport
from intake.printing.housestyle import HouseStyle
from intake.printing.render import Renderer
from intake.sorting.articles import Catalogue
from intake.sorting.policy import LettersPolicy
from intake.sorting.readsort import SortRules
from intake.sorting.relays import RelaySenders

if TYPE_CHECKING:
    from intake.adapters.sortpool import SortPool


@dataclass(frozen=True, slots=True, kw_only=True)
class Retention:
    """How long the raw mail is kept (``None``: for ever): of mail that is no letter,
    after it was handled; of a published letter and its replies, after publication."""

    other_mail: timedelta | None
    published_letters: timedelta | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    """The desk's rules, as the use cases see them (no connection details)."""

    publication: str
    desk_address: str
    from_address: str
    relays: RelaySenders  # senders that relay readers' letters ([desk] relays)
    editors: tuple[str, ...]
    timezone: str
    response_window: timedelta
    key_validity: timedelta
    review_below: float
    max_message_bytes: int  # larger messages are stored and quarantined, not parsed
    outbox_max_attempts: int
    outbox_retry: timedelta
    # editors' commands by email: the key signing reply tokens ("" = generated and kept in
    # the database) and how long a token takes commands
    command_secret: str = field(repr=False)
    command_token_valid: timedelta
    command_answers_per_hour: int  # answers mailed to one editor an hour (loop guard)
    reminder_after: timedelta  # zero: no reminders
    max_reminders: int
    decline_words: tuple[str, ...]
    author_aliases: Mapping[str, tuple[str, ...]]
    authserv_id: str  # our own server's id in Authentication-Results; "" = not checked
    max_requests_per_writer_article: int  # a writer's letters on one article sent to its author
    max_requests_per_writer_day: int  # a writer's letters sent to authors in 24 hours
    max_requests_per_author_day: int  # requests to one author in 24 hours
    acknowledge_writers: bool
    ask_writer_details: bool
    # which writer details the letters policy requires: "full_name", "town", "phone"
    writer_details_required: tuple[str, ...]
    letters: LettersPolicy  # [policy]
    approval: str  # [publish] approval: who approves a letter for print
    retention: Retention  # [retention]: how long raw mail is kept
    web_url: str  # web.base_url: the digest links each letter's page there ("": no links)

    def may_answer_for(self, address: str) -> frozenset[str]:
        """Return the addresses accepted as *address* (the author) replying."""
        address = address.lower()
        return frozenset({address, *self.author_aliases.get(address, ())})

    @property
    def domain(self) -> str:
        return self.desk_address.partition("@")[2]


def _no_fault(point: str) -> None:
    return None


Progress = Callable[[str, int, int], None]
"""Told how far a long step is: ``(step, done, total)``, e.g. ``("handled", 200, 10000)``."""


def _no_progress(step: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Deps:
    """Everything a use case may touch."""

    policy: Policy
    store: Store
    clock: Clock
    open_mailbox: Callable[[], Mailbox]
    open_transport: Callable[[], Transport]
    renderer: Renderer
    catalogue: Callable[[], Catalogue]
    publish_dir: Path
    worker_id: str = "intake"
    is_dead_worker: Callable[[str], bool] = field(default=lambda _claimant: False)
    # crash-test hook: called at commit boundaries; a no-op except under test
    checkpoint: Callable[[str], None] = _no_fault
    # ``with time_limit():`` bounds the handling of one message (raises OverBudget); the
    # worker wires classify.budget_seconds, tests and tools may leave it unbounded
    time_limit: Callable[[], AbstractContextManager[None]] = nullcontext
    # the house style, read afresh by every publish run so an edit shows in the next render
    house_style: Callable[[], HouseStyle] = HouseStyle
    # set when the worker is asked to stop (SIGTERM): long loops finish the message in hand
    # and return, leaving the rest for the next run
    stop: threading.Event = field(default_factory=threading.Event)
    # how far a poll is, for the command line's progress bar or log line
    progress: Progress = _no_progress
    # starts the processes that read and sort a backlog ahead of its handling (the worker
    # wires [classify] sort_processes); None: a poll reads and sorts in its own process
    sort_pool: Callable[[SortRules, Callable[[], Catalogue]], SortPool] | None = None
