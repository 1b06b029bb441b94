"""What ``intake status`` and the health endpoint report: the worker's record and the queues.

:func:`desk_status` reads, in one transaction, each job's last run (``job_status``,
written by :mod:`intake.app.health`), the letters by state, the messages waiting in
the inbox table or set aside, the outbox by status with its oldest unsent mail, and
the messages fetched by category; and it judges the desk healthy or not:

- unhealthy when no round has been recorded yet;
- unhealthy when no round has started or ended for ``health.stale_minutes``, or three
  rounds when those are longer (``Settings.stale_after``: the worker is not running, or
  is stuck);
- unhealthy while any job's last run failed (a refused login, a server down, a bug),
  until a run of that job succeeds.

Reads only the database: it works whether or not the mail servers are reachable, and
any process with the database (the worker, the command line, the web desk) gives the
same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, func, select

from intake.adapters.store import JobStatusRow, LetterRow, OutboundRow, RawMessageRow, aware
from intake.app.deps import Deps
from intake.app.health import error_counts
from intake.app.work import begin
from intake.domain.lifecycle import LetterState
from intake.domain.statuses import OutboxStatus, RawStatus

ROUND = "tick"  # the job whose runs say the worker is alive
UNSENT = (OutboxStatus.pending, OutboxStatus.sending)


@dataclass(frozen=True, slots=True, kw_only=True)
class JobSeen:
    """One job's last run, as recorded."""

    job: str
    worker: str
    started_at: datetime | None
    finished_at: datetime | None
    ok_at: datetime | None
    duration_seconds: float
    ok: bool
    error: str
    error_kind: str
    error_at: datetime | None
    failing_since: datetime | None
    runs: int
    errors: dict[str, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class DeskStatus:
    """The desk as an operator checks it."""

    now: datetime
    healthy: bool
    problems: tuple[str, ...]  # why it is not healthy, one line each
    jobs: tuple[JobSeen, ...]
    letters: dict[str, int]  # by state, every state named (0 too)
    inbox_waiting: int  # stored, not handled yet
    set_aside: dict[str, int]  # held and quarantined messages
    outbox: dict[str, int]  # by status, every status named
    oldest_unsent_at: datetime | None
    fetched: dict[str, int]  # messages handled, by category

    @property
    def unsent(self) -> int:
        return sum(self.outbox[s.value] for s in UNSENT)

    @property
    def oldest_unsent_age(self) -> float | None:
        """Seconds the oldest unsent mail has waited."""
        if self.oldest_unsent_at is None:
            return None
        return max(0.0, (self.now - self.oldest_unsent_at).total_seconds())

    @property
    def last_error(self) -> JobSeen | None:
        """The job whose error is the latest (None: no job ever failed)."""
        failed = [j for j in self.jobs if j.error_at is not None]
        return max(failed, key=lambda j: j.error_at or self.now) if failed else None

    def as_json(self) -> dict[str, Any]:
        """The same facts for a program: times in ISO 8601 (UTC), ages in seconds."""
        last = self.last_error
        return {
            "healthy": self.healthy,
            "problems": list(self.problems),
            "now": _iso(self.now),
            "jobs": {
                j.job: {
                    "ok": j.ok,
                    "worker": j.worker,
                    "started_at": _iso(j.started_at),
                    "finished_at": _iso(j.finished_at),
                    "last_ok_at": _iso(j.ok_at),
                    "duration_seconds": round(j.duration_seconds, 3),
                    "runs": j.runs,
                    "error": j.error,
                    "error_kind": j.error_kind,
                    "error_at": _iso(j.error_at),
                    "failing_since": _iso(j.failing_since),
                    "errors": j.errors,
                }
                for j in self.jobs
            },
            "letters": self.letters,
            "inbox_waiting": self.inbox_waiting,
            "set_aside": self.set_aside,
            "outbox": self.outbox,
            "unsent": self.unsent,
            "oldest_unsent_at": _iso(self.oldest_unsent_at),
            "oldest_unsent_age_seconds": self.oldest_unsent_age,
            "last_error": None
            if last is None
            else {
                "job": last.job,
                "kind": last.error_kind,
                "error": last.error,
                "at": _iso(last.error_at),
            },
            "fetched": self.fetched,
        }


def desk_status(deps: Deps, stale_after: timedelta) -> DeskStatus:
    """Read the record and the queues; judge the desk (see the module's docstring)."""
    with begin(deps) as work:
        s, now = work.session, work.now
        jobs = tuple(_seen(r) for r in s.exec(select(JobStatusRow).order_by(col(JobStatusRow.job))))
        letters = dict.fromkeys((state.value for state in LetterState), 0)
        letters |= _counts(s, LetterRow.state)
        raw = _counts(s, RawMessageRow.status)
        outbox = dict.fromkeys((status.value for status in OutboxStatus), 0)
        outbox |= _counts(s, OutboundRow.status)
        oldest = s.exec(
            select(func.min(OutboundRow.created_at)).where(col(OutboundRow.status).in_(UNSENT))
        ).one()
        fetched = _counts(s, RawMessageRow.category)
        fetched.pop("", None)  # stored, not classified yet (or never: quarantined unread)
    problems = _problems(jobs, now, stale_after)
    return DeskStatus(
        now=now,
        healthy=not problems,
        problems=problems,
        jobs=jobs,
        letters=letters,
        inbox_waiting=raw.get(RawStatus.stored.value, 0),
        set_aside={status.value: raw.get(status.value, 0) for status in RawStatus.set_aside()},
        outbox=outbox,
        oldest_unsent_at=aware(oldest),
        fetched=fetched,
    )


def _problems(jobs: tuple[JobSeen, ...], now: datetime, stale_after: timedelta) -> tuple[str, ...]:
    problems: list[str] = []
    rounds = [j for j in jobs if j.job == ROUND]
    if not rounds:
        problems.append("no round recorded yet: has `intake run` (or `intake poll`) run?")
    else:
        seen = [t for t in (rounds[0].started_at, rounds[0].finished_at) if t is not None]
        quiet = now - max(seen) if seen else None
        if quiet is None or quiet > stale_after:
            problems.append(
                f"no round for {duration_text(quiet) if quiet else 'ever'} (stopped or stuck "
                f"after {duration_text(stale_after)}, health.stale_minutes): is the worker running?"
            )
    problems += [f"{j.job}: {j.error}" for j in jobs if not j.ok]
    return tuple(problems)


def _counts(s: Session, column: Any) -> dict[str, int]:
    """Rows by the value of *column*."""
    return {
        str(value): int(n) for value, n in s.exec(select(column, func.count()).group_by(column))
    }


def _seen(row: JobStatusRow) -> JobSeen:
    return JobSeen(
        job=row.job,
        worker=row.worker,
        started_at=aware(row.started_at),
        finished_at=aware(row.finished_at),
        ok_at=aware(row.ok_at),
        duration_seconds=row.duration_seconds,
        ok=row.ok,
        error=row.error,
        error_kind=row.error_kind,
        error_at=aware(row.error_at),
        failing_since=aware(row.failing_since),
        runs=row.runs,
        errors=error_counts(row),
    )


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


def duration_text(delta: timedelta) -> str:
    """``45 s``, ``12 min``, ``3 h 5 min``, ``2 d 4 h``."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 120:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h {minutes % 60} min" if minutes % 60 else f"{hours} h"
    return f"{hours // 24} d {hours % 24} h" if hours % 24 else f"{hours // 24} d"
