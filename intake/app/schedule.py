"""The worker's work and when it runs: one round's steps, and the jobs on their timers.

:func:`tick` is one round (fetch and handle the inbox, the authors' deadlines, send the
outbox, and optionally reprint and publish), its steps independent of each other;
``intake run`` runs it on a timer and ``intake poll`` once.  :func:`scheduler_for` is ``intake run``'s schedule (APScheduler
3.x): the round, the catalogue refresh, the digest and the retention prune, each run
through a :class:`intake.app.rounds.JobWatch`.  Which adapters serve the deps is the
composition root's business (:mod:`intake.worker`), not this module's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import NoReturn, Protocol

from apscheduler.executors.debug import DebugExecutor
from apscheduler.schedulers.blocking import BlockingScheduler

from intake.app.deadlines import remind_and_expire
from intake.app.deps import Deps
from intake.app.inbound import poll
from intake.app.outbound import send_outbox
from intake.app.publishing import publish
from intake.app.reprint import reprint
from intake.app.retention import prune
from intake.app.rounds import ErrorKind, JobWatch, StepsFailed, failure_of, kind_of
from intake.config import Settings
from intake.config.crontab import cron_trigger

log = logging.getLogger(__name__)

MAIN_THREAD = "main-thread"  # the scheduler executor that runs jobs on the main thread

RunJob = Callable[[str, Callable[[], object]], object]


class _Report(Protocol):
    def summary(self) -> str: ...


def tick(deps: Deps, publish_format: str | None = None) -> dict[str, str]:
    """One round of work: poll, the authors' deadlines, send, and optionally publish
    (corrections and retractions first reach the files already published).

    The steps are independent: one that fails (a refused IMAP login, an SMTP server down)
    does not keep the others from running, so queued mail still goes out while the inbox
    refuses us, and mail is still fetched while the outbox cannot send.  After the round,
    the failure is raised for the job's watch to report once per change: the step's own
    error when one step failed (or all for one reason), else :class:`StepsFailed`.  A stop
    ends the round after the step in hand.
    """
    steps: list[tuple[str, Callable[[], _Report]]] = [
        ("poll", lambda: poll(deps)),
        ("authors", lambda: remind_and_expire(deps)),
        ("send", lambda: send_outbox(deps)),
    ]
    if publish_format:
        steps += [("reprint", lambda: reprint(deps)),
                  ("publish", lambda: publish(deps, publish_format))]  # fmt: skip
    results: dict[str, str] = {}
    failures: list[tuple[str, Exception]] = []
    for index, (name, step) in enumerate(steps):
        if index and deps.stop.is_set():
            break  # asked to stop: the rest of the round waits for the next run
        try:
            results[name] = step().summary()
        except Exception as exc:  # noqa: BLE001 (raised after the other steps have run)
            failures.append((name, exc))
    if failures:
        log.debug("round: %s failed; done: %s", ", ".join(n for n, _ in failures),
                  "; ".join(f"{n} {summary}" for n, summary in results.items()) or "nothing")  # fmt: skip
        _raise(failures)
    return results


def _raise(failures: list[tuple[str, Exception]]) -> NoReturn:
    """Raise the round's failure: one step's error as it is, several as one line."""
    distinct: dict[str, tuple[str, Exception]] = {}
    for name, exc in failures:  # a database down fails every step the same way: say it once
        distinct.setdefault(failure_of(exc).message, (name, exc))
    if len(distinct) == 1:
        raise failures[0][1]
    first = next((e for _, e in failures if kind_of(e) is ErrorKind.internal), failures[0][1])
    raise StepsFailed(list(distinct.values())) from first  # a bug's traceback stays in the log


def scheduler_for(settings: Settings, deps: Deps, watch: JobWatch,
                  refresh_catalogue: Callable[[], str] | None) -> BlockingScheduler:  # fmt: skip
    """The long-running worker's schedule; every job runs through *watch*, which logs each
    job's outcome once per change and records it for ``intake status``.  With
    *refresh_catalogue* (a feed to reload) the catalogue has a job of its own."""
    run_job = watch.run
    scheduler = BlockingScheduler(timezone=settings.desk.timezone)
    # The tick runs on the main thread (the blocking scheduler's own loop), the only one
    # the per-message time limit's alarm can interrupt; the other jobs use the pool.
    scheduler.add_executor(DebugExecutor(), MAIN_THREAD)
    scheduler.add_job(
        run_job,
        "interval",
        args=["tick", lambda: tick(deps, settings.publish.format)],
        id="tick",
        executor=MAIN_THREAD,
        seconds=settings.schedule.poll_seconds,
        next_run_time=deps.clock.now(),
        max_instances=1,  # written out: two overlapping ticks would only fight over rows
        coalesce=True,
        misfire_grace_time=settings.schedule.poll_seconds,
    )
    if settings.articles.source and refresh_catalogue is not None:
        # The feed changes while the worker runs: reload it on its own timer, so a
        # slow feed server delays no poll.
        scheduler.add_job(
            run_job,
            "interval",
            args=["catalogue", refresh_catalogue],
            id="catalogue",
            minutes=settings.articles.refresh_minutes,
            max_instances=1,
            coalesce=True,
        )
    if settings.digest.enabled and settings.desk.editors:
        _add_digest_job(scheduler, settings, deps, run_job)
    retention = deps.policy.retention
    if retention.other_mail or retention.published_letters:
        scheduler.add_job(
            run_job,
            cron_trigger(settings.retention.cron, settings.desk.timezone),
            args=["retention", lambda: prune(deps).summary()],
            id="retention",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=3600,
        )
    return scheduler


def _add_digest_job(scheduler: BlockingScheduler, settings: Settings, deps: Deps,
                    run_job: RunJob) -> None:  # fmt: skip
    from intake.app.digestrun import send_due_digest

    cron = settings.digest.cron
    scheduler.add_job(
        run_job,
        cron_trigger(cron, settings.desk.timezone),
        args=["digest", lambda: send_due_digest(deps, cron)],
        id="digest",
        # also once at start: a worker that was down at the slot sends the missed digest
        # (DigestRow keeps it to one per slot)
        next_run_time=deps.clock.now(),
        max_instances=1,
        coalesce=True,
        misfire_grace_time=3600,
    )
