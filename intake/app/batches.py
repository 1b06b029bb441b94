"""The handling loop of a poll: stored mail in batches, its tries counted, failures set aside.

Owns what :func:`intake.app.inbound.poll` does between fetching and marking: the
stored, unhandled messages are cut into batches (:data:`HANDLE_BATCH` messages,
:data:`HANDLE_BATCH_BYTES` bytes) and each batch is handled in one transaction whose rows
are read in one query, after its tries were counted and committed.  The claims are the
inbound module's (status compare-and-set, Message-ID or sha256): a second worker skips
locked rows, a restart finds handled ones handled.  A message whose earlier try ended the
process is handled alone, so the two-tries rule (:data:`MAX_ATTEMPTS`) sets aside only the
message that crashed the worker; a message that raises rolls its batch back and the
batch's messages are handled again one at a time, each in its own transaction, where it is
quarantined with the reason and the others are handled; a message that ran past its time
budget is quarantined at once, not given a second budget alone.  What one message's handling is
(parse, classify, route) the caller passes in.

With sorting processes (``ahead``: :class:`intake.adapters.sortpool.SortPool`), the next
:data:`SORT_AHEAD` batches' bytes go to them before a batch is handled, so the reading and
sorting of those overlaps this batch's database work; the handling waits for a message's
answer before its time budget starts (the sorting process spent its own on it).  A batch
goes to them only while they keep up (no more than a batch each still to answer); one
that comes while they are behind is read and sorted here when it is handled, so neither
side waits long for the other, whichever is faster on this mail and machine.  A message
tried before, or larger than :data:`SORT_AHEAD_MAX_BYTES`, is read and sorted here.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlmodel import col, select, update

from intake.adapters.rawbody import MissingRawBody
from intake.adapters.store import RawMessageRow, Store, WaitingRaw, raw_bytes
from intake.app.deps import Deps
from intake.app.work import Work, begin
from intake.domain.errors import OverBudget
from intake.domain.statuses import RawStatus

log = logging.getLogger(__name__)

PROCESS_BATCH = 500  # stored messages listed per query while handling; all are handled in one poll
# stored messages handled per transaction: at most this many, holding at most these bytes
HANDLE_BATCH = 50
HANDLE_BATCH_BYTES = 8 * 2**20
MAX_ATTEMPTS = 2  # tries that ended the process before a message is set aside untried
SORT_AHEAD = 2  # batches given to the sorting processes ahead of the one handled
# larger messages are read and sorted where their bytes are, not copied to a sorting process
SORT_AHEAD_MAX_BYTES = 2**20


@dataclass
class PollReport:
    """What one poll did, for the log line and the command line."""

    fetched: int = 0
    letters: int = 0
    replies: int = 0
    held: int = 0
    quarantined: int = 0
    duplicates: int = 0
    other: int = 0
    categories: dict[str, int] = field(default_factory=dict)
    stopped: bool = False  # asked to stop before the inbox was done

    def add(self, other: PollReport) -> None:
        """Count what *other* (a batch's part of the poll) handled in this report too."""
        self.letters += other.letters
        self.replies += other.replies
        self.held += other.held
        self.quarantined += other.quarantined
        self.duplicates += other.duplicates
        self.other += other.other
        for category, count in other.categories.items():
            self.categories[category] = self.categories.get(category, 0) + count

    def summary(self) -> str:
        return (
            f"fetched={self.fetched} letters={self.letters} replies={self.replies} "
            f"held={self.held} quarantined={self.quarantined} duplicates={self.duplicates} "
            f"other={self.other}" + (" stopped=yes" if self.stopped else "")
        )


HandleRow = Callable[[Work, RawMessageRow, PollReport], None]
"""Handles one stored message (taken, still ``stored``) in the caller's transaction."""


class SortAhead(Protocol):
    """Where messages are read and sorted ahead of their handling (a pool of processes)."""

    def submit(self, messages: list[tuple[int, bytes]]) -> None: ...

    def has_room(self, messages: int) -> bool: ...

    def wait(self, raw_id: int, stop: threading.Event | None = None) -> None: ...

    def drop(self, raw_ids: Iterable[int]) -> None: ...


def _stored_batches(deps: Deps) -> Iterator[list[WaitingRaw]]:
    """Every stored, unhandled message in arrival order, cut into batches."""
    after = 0
    while waiting := deps.store.raws_to_process(after_id=after, limit=PROCESS_BATCH):
        yield from _batches(waiting)
        after = waiting[-1].id


def _sort_ahead(deps: Deps, ahead: SortAhead, batch: list[WaitingRaw]) -> None:
    """Give *batch*'s messages never tried and not large to the sorting processes."""
    ids = [raw.id for raw in batch if raw.attempts == 0 and raw.size <= SORT_AHEAD_MAX_BYTES]
    if not ids:
        return
    messages: list[tuple[int, bytes]] = []
    with deps.store.session() as s:
        stored = s.exec(
            select(RawMessageRow.id)
            .where(col(RawMessageRow.id).in_(ids), RawMessageRow.status == RawStatus.stored)
            .order_by(col(RawMessageRow.id))
        ).all()
        for raw_id in stored:
            if raw_id is not None:
                with contextlib.suppress(MissingRawBody):  # its handling says so
                    messages.append((raw_id, raw_bytes(s, raw_id)))
    ahead.submit(messages)


def process_stored(deps: Deps, report: PollReport, handle_row: HandleRow,
                   ahead: SortAhead | None = None) -> None:  # fmt: skip
    """Handle every stored, unhandled message in arrival order (step 2).

    Messages are handled in batches (:data:`HANDLE_BATCH`, :data:`HANDLE_BATCH_BYTES`),
    each batch in one transaction whose rows are read in one query: the tries are counted
    first (committed), then every message of the batch is handled and the batch commits
    once.  A message that raises in a batch rolls the batch back, and its messages are
    handled again one at a time, each in its own transaction as below.  A message whose
    earlier try ended the process is handled alone.

    Each message gets one time budget (``deps.time_limit``); one that runs over
    it, or whose earlier tries ended the process :data:`MAX_ATTEMPTS` times, is
    quarantined with the reason, and the loop goes on with the next.
    """
    progress = _Progress(deps, deps.store.count_to_process())
    upcoming = _stored_batches(deps)
    window: deque[list[WaitingRaw]] = deque()
    while True:
        # the next batches go to the sorting processes before this one is handled
        while len(window) < 1 + (SORT_AHEAD if ahead else 0):
            if (coming := next(upcoming, None)) is None:
                break
            window.append(coming)
            if ahead is not None and ahead.has_room(HANDLE_BATCH):
                _sort_ahead(deps, ahead, coming)
        if not window:
            return
        batch = window.popleft()
        if deps.stop.is_set():
            report.stopped = True
            return
        if len(batch) == 1:
            _handle_alone(deps, batch[0].id, report, progress, handle_row, ahead, counted=False)
        else:
            _handle_batch(deps, [raw.id for raw in batch], report, progress, handle_row, ahead)
        if ahead is not None:
            ahead.drop(raw.id for raw in batch)


@dataclass
class _Progress:
    """How many messages this poll has handled, told to ``deps.progress``."""

    deps: Deps
    total: int
    done: int = 0

    def one_more(self) -> None:
        self.done += 1
        self.deps.progress("handled", self.done, max(self.total, self.done))


def _batches(waiting: list[WaitingRaw]) -> Iterator[list[WaitingRaw]]:
    """Cut *waiting* (in arrival order) into batches; a message tried before goes alone."""
    batch: list[WaitingRaw] = []
    held = 0
    for raw in waiting:
        alone = raw.attempts > 0  # a try of it ended the process: it must not take others along
        full = len(batch) >= HANDLE_BATCH or held + raw.size > HANDLE_BATCH_BYTES
        if batch and (alone or full):
            yield batch
            batch, held = [], 0
        batch.append(raw)
        held += raw.size
        if alone:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def _handle_batch(deps: Deps, ids: list[int], report: PollReport, progress: _Progress,
                  handle_row: HandleRow, ahead: SortAhead | None) -> None:  # fmt: skip
    """Handle the stored messages *ids* in one transaction (see :func:`process_stored`)."""
    ids = _start_batch(deps, ids)
    if not ids:
        return
    done_before = progress.done
    part = PollReport()  # what the batch did: counted once it commits
    handled: list[int] = []
    current: int | None = None  # the message in hand when the batch failed
    try:
        with deps.store.session() as s:
            # one query for the batch's rows; SKIP LOCKED as in handle()
            rows = s.exec(
                select(RawMessageRow)
                .where(col(RawMessageRow.id).in_(ids), RawMessageRow.status == RawStatus.stored)
                .order_by(col(RawMessageRow.id))
                .with_for_update(skip_locked=True)
            ).all()
            for row in rows:
                if deps.stop.is_set():
                    report.stopped = True
                    break
                deps.checkpoint("handling")
                current = row.id
                if ahead is not None and row.id is not None:
                    ahead.wait(row.id, deps.stop)
                with deps.time_limit():
                    handle_row(Work(deps, s, deps.clock.now()), row, part)
                handled.append(row.id or 0)
                current = None
                progress.one_more()
            # asked to stop: the messages not begun were not tried
            untried = [row.id for row in rows if row.id not in handled]
            if untried:
                s.exec(
                    update(RawMessageRow)
                    .where(col(RawMessageRow.id).in_(untried))
                    .values(attempts=RawMessageRow.attempts - 1)
                )
    except (Exception, OverBudget) as exc:  # noqa: BLE001 (each is tried again, alone)
        log.info("a batch of %d messages rolled back (%s: %s): handling them one at a time",
                 len(ids), type(exc).__name__, exc)  # fmt: skip
        progress.done = done_before
        for raw_id in ids:
            if raw_id == current and isinstance(exc, OverBudget):
                # it spent its whole budget: a second try alone would spend another (and,
                # on SQLite, hold the write lock as long) for the same end
                _over_budget(deps, raw_id, exc, report)
                progress.one_more()
                continue
            if deps.stop.is_set():
                report.stopped = True
                _untry(deps, raw_id)
                continue
            _handle_alone(deps, raw_id, report, progress, handle_row, ahead, counted=True)
        return
    report.add(part)
    for _ in handled:
        deps.checkpoint("processed")


def _start_batch(deps: Deps, ids: list[int]) -> list[int]:
    """Count a try at each of *ids* still stored and never tried, committed before the work
    starts (as :func:`_start_attempt`); return those, in arrival order."""
    with deps.store.session() as s:
        taken = s.exec(
            select(RawMessageRow.id)
            .where(
                col(RawMessageRow.id).in_(ids),
                RawMessageRow.status == RawStatus.stored,
                RawMessageRow.attempts == 0,
            )
            .with_for_update(skip_locked=True)
        ).all()
        started = sorted(i for i in taken if i is not None)
        if started:
            s.exec(
                update(RawMessageRow)
                .where(col(RawMessageRow.id).in_(started))
                .values(attempts=RawMessageRow.attempts + 1)
            )
        return started


def _untry(deps: Deps, raw_id: int) -> None:
    """Take back the count of a try that never began (the worker was asked to stop)."""
    with deps.store.session() as s:
        s.exec(
            update(RawMessageRow)
            .where(col(RawMessageRow.id) == raw_id, col(RawMessageRow.status) == RawStatus.stored)
            .values(attempts=RawMessageRow.attempts - 1)
        )


def _handle_alone(deps: Deps, raw_id: int, report: PollReport, progress: _Progress,
                  handle_row: HandleRow, ahead: SortAhead | None, *,
                  counted: bool) -> None:  # fmt: skip
    """Handle one message in its own transaction; *counted*: its try is counted already."""
    try:
        if not counted and not _start_attempt(deps, raw_id, report):
            return
        deps.checkpoint("handling")
        if ahead is not None:
            ahead.wait(raw_id, deps.stop)
        with deps.time_limit():
            handle(deps, raw_id, report, handle_row)
    except OverBudget as over:
        _over_budget(deps, raw_id, over, report)
    except Exception as exc:  # a bug must not stop the inbox: quarantine and go on
        log.exception("raw message %s: unexpected error, quarantined", raw_id)
        _quarantine(deps.store, raw_id, f"internal error: {type(exc).__name__}: {exc}",
                    deps.clock.now())  # fmt: skip
        report.quarantined += 1
    deps.checkpoint("processed")
    progress.one_more()


def _over_budget(deps: Deps, raw_id: int, over: OverBudget, report: PollReport) -> None:
    """Set aside a message whose handling ran past its time budget."""
    log.warning("raw message %s quarantined: %s", raw_id, over)
    _quarantine(deps.store, raw_id, f"{over}: set aside, the inbox went on", deps.clock.now())
    report.quarantined += 1


def _start_attempt(deps: Deps, raw_id: int, report: PollReport) -> bool:
    """Count a try at *raw_id*, committed before the work starts; return whether to go on.

    A try that ends the process (SIGKILL, out of memory, a stuck worker killed by its
    supervisor) leaves its count behind, so a message that did so :data:`MAX_ATTEMPTS`
    times is quarantined here instead of being tried again, and cannot hold the head of
    the queue across restarts.
    """
    now = deps.clock.now()
    with deps.store.session() as s:
        row = s.get(RawMessageRow, raw_id, with_for_update={"skip_locked": True})
        if row is None or row.status != RawStatus.stored:
            return False  # another worker has it, or had it
        if row.attempts >= MAX_ATTEMPTS:
            reason = (
                f"{row.attempts} tries ended before it was handled (crashed or stopped): "
                "set aside instead of trying again"
            )
            row.status, row.note, row.processed_at = RawStatus.quarantined, reason, now
            Store.note(s, at=now, event="quarantined", note=reason, raw_id=raw_id)
            report.quarantined += 1
            log.warning("raw message %s quarantined: %s", raw_id, reason)
            return False
        row.attempts += 1
        return True


def _quarantine(store: Store, raw_id: int, reason: str, now: datetime) -> None:
    with store.session() as s:
        row = s.get(RawMessageRow, raw_id)
        if row is None or row.status != RawStatus.stored:
            return
        row.status, row.note, row.processed_at = RawStatus.quarantined, reason, now
        s.add(row)
        Store.note(s, at=now, event="quarantined", note=reason, raw_id=raw_id)


def handle(deps: Deps, raw_id: int, report: PollReport, handle_row: HandleRow) -> None:
    """Handle one stored message in its own transaction."""
    with begin(deps) as work:
        # SKIP LOCKED: a second worker moves on to the next message instead of queueing
        # behind this one (PostgreSQL; SQLite has one writer and ignores it)
        row = work.session.get(RawMessageRow, raw_id, with_for_update={"skip_locked": True})
        if row is None or row.status != RawStatus.stored:
            return  # another worker has it, or had it
        handle_row(work, row, report)
