"""The outbound use case: hand the outbox to the transport, with retries.

A row is claimed under a lease before sending and marked sent after the
transport accepted it.  A deferral (SMTP 4xx, server down) is retried with
exponential backoff up to the configured number of attempts; a rejection
(5xx) fails the row at once.  A failed author request sends its letter back
to the editors.  A refused login (:class:`AuthenticationFailed`) is no fault of the
mail: the rows claimed in this round go back to the queue as they were, their
attempt not counted, and the error ends the round for the worker to report.  A crash between "accepted" and "marked sent" means one
resend of the same bytes, with the same Message-ID, when the lease is
reclaimed: SMTP offers no way to make that window vanish.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import col, update

from intake.adapters.store import LetterRow, OutboundRow, Store
from intake.app.deps import Deps
from intake.domain.errors import AuthenticationFailed, DeliveryDeferred, DeliveryRejected
from intake.domain.lifecycle import Event, LetterState, advance
from intake.domain.statuses import OutboxStatus

log = logging.getLogger(__name__)

# How long a worker holds the rows it claimed; a dead worker's rows are taken over after it.
OUTBOX_LEASE = timedelta(minutes=10)


@dataclass
class SendReport:
    sent: int = 0
    deferred: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"sent={self.sent} deferred={self.deferred} failed={self.failed}"


def send_outbox(deps: Deps) -> SendReport:
    """Send everything due in the outbox."""
    report = SendReport()
    now = deps.clock.now()
    rows = deps.store.claim_due(now, now + OUTBOX_LEASE, deps.worker_id, deps.is_dead_worker)
    if not rows:
        return report
    transport = deps.open_transport()
    try:
        for index, row in enumerate(rows):
            try:
                transport.send(row.raw, sender=row.sender, recipients=row.recipients.split(","),
                               message_id=row.message_id)  # fmt: skip
            except AuthenticationFailed as exc:
                _unclaim(deps, rows[index:], str(exc))
                raise
            except DeliveryDeferred as exc:
                _defer(deps, row, str(exc))
                report.deferred += 1
            except DeliveryRejected as exc:
                _fail(deps, row, str(exc))
                report.failed += 1
            else:
                _done(deps, row)
                report.sent += 1
                log.info("outbound %s (%s) sent, msgid=%s", row.id, row.purpose, row.message_id)
                deps.checkpoint("sent")
    finally:
        transport.close()
    return report


def _done(deps: Deps, row: OutboundRow) -> None:
    now = deps.clock.now()
    with deps.store.session() as s:
        fresh = s.get(OutboundRow, row.id)
        assert fresh is not None
        fresh.status, fresh.sent_at = OutboxStatus.sent, now
        fresh.lease_until, fresh.last_error = None, ""
        Store.note(s, at=now, event=f"{row.purpose}_sent", letter_id=row.letter_id,
                   note=f"to {row.recipients}, Message-ID <{row.message_id}>")  # fmt: skip


def _unclaim(deps: Deps, rows: list[OutboundRow], error: str) -> None:
    """Give *rows* back to the queue as they were before this round claimed them: pending,
    due as before, the attempt the claim counted taken back (compare-and-set on the claim,
    so a row another worker took over meanwhile is left alone)."""
    with deps.store.session() as s:
        for row in rows:
            s.exec(
                update(OutboundRow)
                .where(
                    col(OutboundRow.id) == row.id,
                    col(OutboundRow.status) == OutboxStatus.sending,
                    col(OutboundRow.claimed_by) == deps.worker_id,
                    col(OutboundRow.attempts) == row.attempts,
                )
                .values(
                    status=OutboxStatus.pending,
                    attempts=row.attempts - 1,
                    lease_until=None,
                    last_error=error,
                )
            )


def _defer(deps: Deps, row: OutboundRow, error: str) -> None:
    now = deps.clock.now()
    policy = deps.policy
    if row.attempts >= policy.outbox_max_attempts:
        _fail(deps, row, f"gave up after {row.attempts} attempts: {error}")
        return
    delay = policy.outbox_retry * (2 ** (row.attempts - 1))
    with deps.store.session() as s:
        fresh = s.get(OutboundRow, row.id)
        assert fresh is not None
        fresh.status, fresh.next_attempt_at, fresh.lease_until = (
            OutboxStatus.pending,
            now + delay,
            None,
        )
        fresh.last_error = error
    log.warning("outbound %s deferred (attempt %s): %s", row.id, row.attempts, error)


def _fail(deps: Deps, row: OutboundRow, error: str) -> None:
    now = deps.clock.now()
    with deps.store.session() as s:
        fresh = s.get(OutboundRow, row.id)
        assert fresh is not None
        fresh.status, fresh.lease_until, fresh.last_error = OutboxStatus.failed, None, error
        letter = s.get(LetterRow, row.letter_id) if row.letter_id is not None else None
        if letter is not None and letter.state == LetterState.awaiting_author.value:
            assert letter.id is not None
            Store.apply(s, advance(letter.id, LetterState.awaiting_author, Event.request_failed,
                                   at=now, note=f"{row.purpose} failed: {error}"))  # fmt: skip
    log.warning("outbound %s failed: %s", row.id, error)
