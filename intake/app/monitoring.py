"""The health check and the Prometheus metrics, as answers any web server can serve.

Two routes, each a function of the database alone (through
:func:`intake.app.statusview.desk_status`), so that every process with the database
gives the same answers: the small server of ``intake run`` (``[health] listen``)
serves them, and the web desk mounts them on its own port (``/metrics`` and the
problem lines only with ``[web] metrics``, as that port may face the internet).

- ``/healthz``: 200 with ``{"healthy": true, …}`` when the desk is healthy, else 503
  with the problems (the rules of ``intake status``); 503 too when the database cannot
  be read.
- ``/metrics``: the Prometheus text format.  Every value is read from the database at
  scrape time, so counters survive restarts and several workers add up:

  ``intake_healthy``, ``intake_messages_fetched_total{category}``,
  ``intake_letters{state}``, ``intake_inbox_waiting``, ``intake_messages_set_aside{status}``,
  ``intake_outbox{status}``, ``intake_outbox_unsent``,
  ``intake_outbox_oldest_unsent_age_seconds``, ``intake_job_ok{job}``,
  ``intake_job_last_duration_seconds{job}`` (the round's duration for ``job="tick"``),
  ``intake_job_last_success_timestamp_seconds{job}``, ``intake_job_runs_total{job}``,
  ``intake_job_errors_total{job,kind}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from intake.app.deps import Deps
from intake.app.rounds import ErrorKind
from intake.app.statusview import DeskStatus, desk_status


@dataclass(frozen=True, slots=True)
class Answer:
    """What a route answers: the HTTP status, the content type and the body."""

    status: int
    content_type: str
    body: bytes


Route = Callable[[], Answer]
JSON = "application/json; charset=utf-8"


def routes(deps: Deps, stale_after: timedelta, *, public: bool = False) -> dict[str, Route]:
    """The routes for *deps*: ``{"/healthz": …, "/metrics": …}``.

    *public* is for a port that may face the internet (the web desk's, unless the operator
    says otherwise): only ``/healthz``, and its answer without the problem lines (they
    name servers, accounts and errors); the status code still says healthy or not.
    """
    if public:
        return {"/healthz": lambda: healthz(deps, stale_after, detail=False)}
    return {
        "/healthz": lambda: healthz(deps, stale_after),
        "/metrics": lambda: metrics(deps, stale_after),
    }


def healthz(deps: Deps, stale_after: timedelta, *, detail: bool = True) -> Answer:
    """200 when the desk is healthy, 503 with its problems when not (or unreadable); without
    *detail*, ``{"healthy": …}`` alone."""
    try:
        status = desk_status(deps, stale_after)
        healthy, problems = status.healthy, list(status.problems)
    except Exception as exc:  # noqa: BLE001 (a database down is an unhealthy desk, not a crash)
        healthy, problems = False, [f"database: {_first_line(exc)}"]
    body: dict[str, object] = {"healthy": healthy}
    if detail:
        body["problems"] = problems
    return Answer(200 if healthy else 503, JSON, json.dumps(body).encode())


def metrics(deps: Deps, stale_after: timedelta) -> Answer:
    """The desk's metrics in the Prometheus text format."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_DeskCollector(desk_status(deps, stale_after)))
    return Answer(200, CONTENT_TYPE_LATEST, generate_latest(registry))


class _DeskCollector(Collector):
    """One scrape's metrics, from one reading of the status."""

    def __init__(self, status: DeskStatus) -> None:
        self.status = status

    def collect(self) -> Iterator[Metric]:
        s = self.status
        yield _gauge("intake_healthy", "1 when the desk is healthy (intake status), else 0",
                     float(s.healthy))  # fmt: skip
        fetched = CounterMetricFamily("intake_messages_fetched", "Messages fetched and sorted, "
                                      "by category", labels=["category"])  # fmt: skip
        for category, n in sorted(s.fetched.items()):
            fetched.add_metric([category], n)
        yield fetched
        yield _by("intake_letters", "Letters by state", "state", s.letters)
        yield _gauge("intake_inbox_waiting", "Messages stored, not handled yet", s.inbox_waiting)
        yield _by("intake_messages_set_aside", "Messages held or quarantined for an editor",
                  "status", s.set_aside)  # fmt: skip
        yield _by("intake_outbox", "Outgoing mail by status", "status", s.outbox)
        yield _gauge("intake_outbox_unsent", "Outgoing mail not sent yet (the outbox's depth)",
                     s.unsent)  # fmt: skip
        yield _gauge("intake_outbox_oldest_unsent_age_seconds",
                     "How long the oldest unsent mail has waited (0: none)",
                     s.oldest_unsent_age or 0.0)  # fmt: skip
        yield from self._jobs()

    def _jobs(self) -> Iterator[Metric]:
        jobs = self.status.jobs
        ok = GaugeMetricFamily("intake_job_ok", "1 when the job's last run succeeded",
                               labels=["job"])  # fmt: skip
        duration = GaugeMetricFamily("intake_job_last_duration_seconds",
                                     "How long the job's last run took", labels=["job"])  # fmt: skip
        success = GaugeMetricFamily("intake_job_last_success_timestamp_seconds",
                                    "When the job last succeeded (Unix time)", labels=["job"])  # fmt: skip
        runs = CounterMetricFamily("intake_job_runs", "Runs of the job", labels=["job"])
        errors = CounterMetricFamily("intake_job_errors", "Failed runs of the job, by kind",
                                     labels=["job", "kind"])  # fmt: skip
        for job in jobs:
            ok.add_metric([job.job], float(job.ok))
            duration.add_metric([job.job], job.duration_seconds)
            if job.ok_at is not None:
                success.add_metric([job.job], job.ok_at.timestamp())
            runs.add_metric([job.job], job.runs)
            for kind in ErrorKind:
                errors.add_metric([job.job, kind.value], job.errors.get(kind.value, 0))
        yield from (ok, duration, success, runs, errors)


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)


def _by(name: str, documentation: str, label: str, values: dict[str, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=[label])
    for key, n in sorted(values.items()):
        family.add_metric([key], n)
    return family


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
