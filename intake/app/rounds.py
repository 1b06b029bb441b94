"""The worker's jobs as an operator sees them: each run's outcome, logged once per change.

``intake run`` runs its jobs (the round, the catalogue refresh, the digest) through
one :class:`JobWatch`.  A job that fails does not stop the worker; what it logs
depends on what changed since the job's last run:

- a new error (a refused login, a server down, a bug) is logged once, at ERROR for a
  refused login or a bug and at WARNING for a server that fails for now;
- the same error again is logged at DEBUG only, so a wrong password does not write a
  line every round;
- the first success after errors is logged once, with how many runs failed;
- a success is logged at INFO, but a round that did nothing only at DEBUG (its
  counts go to the log's structured fields, :func:`round_counts`).

Errors are sorted into kinds (:class:`ErrorKind`) for the status and the metrics; a round
whose steps failed for several reasons (:class:`StepsFailed`) counts as its most urgent.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from enum import StrEnum

from intake.domain.errors import AuthenticationFailed, IntakeError, TransientError

log = logging.getLogger("intake.worker")


class ErrorKind(StrEnum):
    """What kind of failure ended a job's run (stored as its string)."""

    auth = "auth"  # a server refused our login: an operator must act
    unavailable = "unavailable"  # a server or the feed failed for now: retried next run
    internal = "internal"  # anything else: a bug, a database down, a bad file


class StepsFailed(IntakeError):
    """Several steps of one round failed, each for its own reason; the round went on with
    the others (:func:`intake.app.schedule.tick`).  Its line names each step's error."""

    def __init__(self, failures: Sequence[tuple[str, BaseException]]) -> None:
        self.failures = tuple(failures)
        super().__init__("; ".join(f"{step}: {_one_line(exc)}" for step, exc in self.failures))


# the kind a round with several failures reports: the one that most needs an operator
_SEVERITY = {"auth": 0, "internal": 1, "unavailable": 2}


def kind_of(exc: BaseException) -> ErrorKind:
    if isinstance(exc, StepsFailed):
        return min((kind_of(e) for _, e in exc.failures), key=lambda k: _SEVERITY[k.value])
    if isinstance(exc, AuthenticationFailed):
        return ErrorKind.auth
    if isinstance(exc, TransientError):
        return ErrorKind.unavailable
    return ErrorKind.internal


@dataclass(frozen=True, slots=True)
class Failure:
    kind: ErrorKind
    message: str


def failure_of(exc: BaseException) -> Failure:
    """The error as the status keeps it: its kind and one line."""
    return Failure(kind_of(exc), _one_line(exc))


def _unrecorded(_job: str) -> AbstractContextManager[None]:
    return nullcontext()


@dataclass
class JobWatch:
    """Runs the worker's jobs and logs each job's outcome once per change.

    *record* (``intake.app.health.watched`` bound to the deps, in the worker) wraps each
    run to write its outcome where ``intake status`` reads it; by default nothing is
    recorded.
    """

    record: Callable[[str], AbstractContextManager[None]] = _unrecorded
    _last: dict[str, Failure] = field(default_factory=dict)
    _failed_runs: dict[str, int] = field(default_factory=dict)

    def run(self, name: str, job: Callable[[], object]) -> Failure | None:
        """Run *job*; return its failure, or None when it succeeded.  Never raises an
        ``Exception`` (KeyboardInterrupt and SystemExit pass)."""
        try:
            with self.record(name):
                result = job()
        except Exception as exc:  # noqa: BLE001 (a failed job must not stop the worker)
            failure = failure_of(exc)
            self._failed(name, failure, exc)
            return failure
        self._succeeded(name, result)
        return None

    def _failed(self, name: str, failure: Failure, exc: Exception) -> None:
        repeated = self._last.get(name) == failure
        self._last[name] = failure
        self._failed_runs[name] = self._failed_runs.get(name, 0) + 1
        if repeated:
            log.debug("%s: still failing (%s runs): %s", name, self._failed_runs[name],
                      failure.message)  # fmt: skip
        elif failure.kind is ErrorKind.auth:
            log.error("%s: %s; unhealthy until it is fixed (logged again only if it changes)",
                      name, failure.message)  # fmt: skip
        elif failure.kind is ErrorKind.unavailable:
            log.warning("%s: will retry next time: %s", name, failure.message)
        else:
            log.error("%s failed: %s", name, failure.message, exc_info=exc)

    def _succeeded(self, name: str, result: object) -> None:
        failed = self._failed_runs.pop(name, 0)
        self._last.pop(name, None)
        if failed:
            log.info("%s: recovered after %s failed run%s", name, failed,
                     "" if failed == 1 else "s", extra={"job": name})  # fmt: skip
        if isinstance(result, Mapping):  # a round: quiet when it did nothing (DEBUG)
            counts = round_counts(result)
            idle = not any(n for step in counts.values() for n in step.values())
            line = "; ".join(f"{step} {summary}" for step, summary in result.items())
            log.log(logging.DEBUG if idle else logging.INFO, "%s: %s", name, line,
                    extra={"job": name, "counts": counts})  # fmt: skip
        else:
            log.info("%s: %s", name, result, extra={"job": name})


def round_counts(summaries: Mapping[str, str]) -> dict[str, dict[str, int]]:
    """The counts of a round's summaries (``{"poll": "fetched=2 letters=1 …"}`` gives
    ``{"poll": {"fetched": 2, "letters": 1, …}}``), for the log's structured fields."""
    return {
        step: {key: int(value) for key, value in _COUNT.findall(summary)}
        for step, summary in summaries.items()
    }


_COUNT = re.compile(r"([\w-]+)=(\d+)")


def _one_line(exc: BaseException) -> str:
    """The error on one line; what is not intake's own error says its type too."""
    text = " ".join(str(exc).split())
    if isinstance(exc, IntakeError):
        return text or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


__all__ = ["ErrorKind", "Failure", "JobWatch", "StepsFailed", "failure_of", "kind_of",
           "round_counts"]  # fmt: skip
