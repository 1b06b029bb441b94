"""The worker's record of its own runs, kept in the database for ``intake status`` and
the health endpoint.

Every run of a worker's job — ``intake run``'s round (``tick``), catalogue refresh
and digest, and the round of ``intake poll --once`` — goes through :func:`watched`,
which writes the job's row of ``job_status``: when the run started and ended, how
long it took, whether it succeeded, the last error with its kind and time, since
when the job has been failing, and how many errors of each kind it has had.  Any
process that reads the database (``intake status``, a health endpoint, the web desk)
sees the same record.  Writing it is best effort: a database that cannot take the
row is logged and never stops the worker (the job itself will fail and say why).
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from intake.adapters.store import JobStatusRow, insert_ignore
from intake.app.deps import Deps
from intake.app.rounds import Failure, JobWatch, failure_of
from intake.app.work import begin

log = logging.getLogger(__name__)


def job_watch(deps: Deps) -> JobWatch:
    """The worker's :class:`JobWatch`, recording every run of its jobs."""
    return JobWatch(record=functools.partial(watched, deps))


@contextmanager
def watched(deps: Deps, job: str) -> Iterator[None]:
    """Record the run of *job* the block makes: started now, then its outcome (the block's
    error, if any, is re-raised after it is recorded)."""
    started = _started(deps, job)
    try:
        yield
    except Exception as exc:
        _finished(deps, job, started, failure_of(exc))
        raise
    _finished(deps, job, started, None)


def _started(deps: Deps, job: str) -> datetime:
    now = deps.clock.now()
    try:
        with begin(deps) as work:
            row = _row(work.session, job)
            row.started_at, row.worker = work.now, deps.worker_id
            now = work.now
    except SQLAlchemyError as exc:
        _not_recorded(f"{job}: start not recorded: {_first_line(exc)}")
    return now


def _finished(deps: Deps, job: str, started: datetime, failure: Failure | None) -> None:
    try:
        with begin(deps) as work:
            row = _row(work.session, job)
            now = work.now
            row.worker, row.started_at, row.finished_at = deps.worker_id, started, now
            row.duration_seconds = max(0.0, (now - started).total_seconds())
            row.runs += 1
            if failure is None:
                row.ok, row.ok_at, row.failing_since = True, now, None
                return
            if row.ok or row.failing_since is None:
                row.failing_since = now
            row.ok, row.error, row.error_kind, row.error_at = (
                False,
                failure.message,
                failure.kind.value,
                now,
            )
            counts = error_counts(row)
            counts[failure.kind.value] = counts.get(failure.kind.value, 0) + 1
            row.errors = json.dumps(counts, sort_keys=True)
    except SQLAlchemyError as exc:
        _not_recorded(f"{job}: outcome not recorded: {_first_line(exc)}")


def _row(session: Session, job: str) -> JobStatusRow:
    # two workers may record the same job at once: claim the row, then take it locked
    insert_ignore(session, JobStatusRow, job=job)
    row = session.get(JobStatusRow, job, with_for_update=True, populate_existing=True)
    assert row is not None
    return row


def error_counts(row: JobStatusRow) -> dict[str, int]:
    """The job's errors so far, by kind."""
    value = json.loads(row.errors or "{}")
    return {str(k): int(v) for k, v in value.items()} if isinstance(value, dict) else {}


_warned: set[str] = set()


def _not_recorded(line: str) -> None:
    """Warn once per process for each distinct failure (a database down for an hour is one
    line here; the job's own failure is reported by the worker's JobWatch)."""
    log.log(logging.DEBUG if line in _warned else logging.WARNING, "%s", line)
    _warned.add(line)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


__all__ = ["JobWatch", "error_counts", "job_watch", "watched"]
