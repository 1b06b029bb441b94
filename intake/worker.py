"""The composition root: settings in, wired dependencies and a scheduler out.

This is the one place that knows which adapter serves which port: IMAP or
the local Maildir for the inbox, SMTP or the local outbox folder for outgoing
mail, the database URL, the catalogue source, the templates.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler

from intake.adapters.catalogue import load_catalogue
from intake.adapters.clock import SystemClock
from intake.adapters.housestylefile import load_house_style
from intake.adapters.imap import ImapIdleWatcher, ImapMailbox
from intake.adapters.maildir import MaildirMailbox
from intake.adapters.memory import return_large_buffers
from intake.adapters.privatefiles import private_dir
from intake.adapters.schema import head, revision_of
from intake.adapters.smtp import FolderTransport, SmtpTransport
from intake.adapters.sortpool import SortPool
from intake.adapters.store import Store, make_engine, migrate
from intake.adapters.timelimit import AlarmTimeLimit
from intake.adapters.workerlock import one_worker
from intake.app import schedule
from intake.app.deps import Deps, Policy, Retention
from intake.app.health import JobWatch, job_watch
from intake.app.outbound import send_outbox
from intake.config import Settings
from intake.domain.errors import ConfigError, IntakeError, TransientError
from intake.domain.ports import Clock, Mailbox, Transport
from intake.printing.housestyle import HouseStyle
from intake.printing.render import Renderer
from intake.sorting.articles import Catalogue
from intake.sorting.relays import RelaySenders

if TYPE_CHECKING:
    from intake.web.guard import WebContext

log = logging.getLogger(__name__)


def data_path(name: str) -> Path:
    """Return a shipped data folder (``templates``, ``config``, ``samples``).

    Installed from a wheel they live in ``intake/_data``; in a source
    checkout they are the repository's top-level folders.
    """
    shipped = Path(str(resources.files("intake"))) / "_data" / name
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parent.parent / name


@dataclass
class CatalogueCache:
    """The article catalogue, loaded on first use and refreshed when stale."""

    source: str
    refresh: timedelta
    clock: Clock
    _catalogue: Catalogue | None = None
    _loaded_at: datetime | None = None
    _errors: list[str] = field(default_factory=list)

    def __call__(self) -> Catalogue:
        now = self.clock.now()
        if self._catalogue is not None and self._loaded_at and now - self._loaded_at < self.refresh:
            return self._catalogue
        if not self.source:
            self._catalogue, self._loaded_at = Catalogue(()), now
            return self._catalogue
        try:
            self._catalogue = load_catalogue(self.source)
        except IntakeError as exc:
            if self._catalogue is None:
                raise
            log.warning("catalogue refresh failed, keeping the previous one: %s", exc)
        self._loaded_at = now
        return self._catalogue

    def refresh_now(self) -> str:
        """Reload the catalogue whatever its age; keep the old one if the source fails.

        Returns a line for the worker's log.  A source that fails before any
        catalogue was loaded raises, as the first load does.
        """
        self._loaded_at = None
        before = self._catalogue
        catalogue = self()
        if before is not None and catalogue is before:
            return f"kept the previous catalogue ({len(catalogue)} articles)"
        return f"{len(catalogue)} articles"


def fault_injector(spec: str) -> Callable[[str], None]:
    """Crash-test hook: ``INTAKE_FAULT=point:N`` SIGKILLs this process the Nth time
    *point* is reached, so tests can show a restart loses and repeats nothing."""
    point, _, count = spec.partition(":")
    remaining = [int(count or "1")]

    def checkpoint(name: str) -> None:
        if spec and name == point:  # no spec: no fault
            remaining[0] -= 1
            if remaining[0] <= 0:
                os.kill(os.getpid(), signal.SIGKILL)

    return checkpoint


def _is_dead(claimant: str) -> bool:
    host, _, pid = claimant.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's worker: only its lease can tell
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def policy_from(settings: Settings) -> Policy:
    """The desk's rules as the use cases see them, every value from *settings*."""
    authors = settings.authors
    return Policy(
        publication=settings.desk.publication,
        desk_address=settings.desk.address,
        from_address=settings.from_address,
        relays=RelaySenders(settings.desk.relays),
        editors=settings.desk.editors,
        timezone=settings.desk.timezone,
        response_window=timedelta(days=authors.response_days),
        key_validity=timedelta(days=authors.key_valid_days),
        review_below=settings.classify.review_below,
        max_message_bytes=settings.classify.max_message_mb * 2**20,
        outbox_max_attempts=settings.outbox.max_attempts,
        outbox_retry=timedelta(seconds=settings.outbox.retry_seconds),
        command_secret=settings.desk.command_secret,
        command_token_valid=timedelta(days=settings.digest.token_valid_days),
        command_answers_per_hour=settings.digest.answers_per_hour,
        reminder_after=timedelta(days=authors.reminder_days),
        max_reminders=authors.max_reminders,
        decline_words=authors.decline_words,
        author_aliases=authors.aliases,
        authserv_id=authors.authserv_id,
        max_requests_per_writer_article=authors.max_requests_per_writer_article,
        max_requests_per_writer_day=authors.max_requests_per_writer_day,
        max_requests_per_author_day=authors.max_requests_per_author_day,
        acknowledge_writers=settings.writers.acknowledge,
        ask_writer_details=settings.writers.ask_for_details,
        letters=settings.policy.rules(),
        writer_details_required=settings.policy.writer_details_required(),
        approval=settings.publish.approval,
        retention=Retention(
            other_mail=_days(settings.retention.other_mail_days),
            published_letters=_days(settings.retention.published_letter_days),
        ),
        web_url=settings.web.base_url,
    )


def _days(days: int) -> timedelta | None:
    """A retention period in days; 0 keeps for ever."""
    return timedelta(days=days) if days else None


def house_style_source(settings: Settings) -> Callable[[], HouseStyle]:
    """The house style file ``[publish] house_style`` names (default: the shipped one)."""
    path = settings.publish.house_style or data_path("config") / "house_style.toml"
    return functools.partial(load_house_style, path)


def build_deps(settings: Settings, environ: Mapping[str, str], clock: Clock | None = None) -> Deps:
    """Wire real adapters for *settings*."""
    return_large_buffers()  # a freed 27 MB message goes back to the system, not to the heap
    clock = clock or SystemClock()
    engine = make_engine(settings.database.connect_url)
    imap, smtp = settings.imap, settings.smtp

    def open_mailbox() -> Mailbox:
        return ImapMailbox(imap) if imap else MaildirMailbox(settings.local.maildir)

    def open_transport() -> Transport:
        return SmtpTransport(smtp) if smtp else FolderTransport(settings.local.outbox_dir)

    fault = environ.get("INTAKE_FAULT", "")
    return Deps(
        policy=policy_from(settings),
        store=Store(engine),
        clock=clock,
        open_mailbox=open_mailbox,
        open_transport=open_transport,
        renderer=Renderer(data_path("templates")),
        catalogue=CatalogueCache(
            settings.articles.source, timedelta(minutes=settings.articles.refresh_minutes), clock
        ),
        publish_dir=settings.publish.out_dir,
        worker_id=f"{socket.gethostname()}:{os.getpid()}",
        is_dead_worker=_is_dead,
        checkpoint=fault_injector(fault),
        house_style=house_style_source(settings),
        time_limit=AlarmTimeLimit(settings.classify.budget_seconds),
        sort_pool=functools.partial(
            SortPool,
            processes=settings.classify.sort_processes,
            budget_seconds=settings.classify.budget_seconds,
        )
        if settings.classify.sort_processes
        else None,
    )


def ensure_schema(deps: Deps) -> str:
    """Bring the database to the newest schema revision, under the migration lock
    (:func:`intake.adapters.schema.migrate`); return what it did, for the log."""
    migration = migrate(deps.store.engine)
    if migration.changed:
        log.info("database: %s", migration.summary())
    return migration.summary()


def schema_status(deps: Deps) -> tuple[str | None, str]:
    """(the database's schema revision, or ``None`` before any; the newest this intake has)."""
    return revision_of(deps.store.engine), head()


def worker_lock(settings: Settings) -> AbstractContextManager[None]:
    """Held by ``intake run`` and ``intake poll`` while they work: a second worker on the same
    SQLite database stops at once naming the first (PostgreSQL takes several workers)."""
    return one_worker(settings.database.url)


def check_secrets(settings: Settings, *, inbox: bool = True, outbox: bool = True) -> None:
    """Fail at once, naming the key and the variable, when a server a command is about to
    connect to has no password in the environment.  Commands that only read and write
    the database (queue, show, approve, set, publish…) never call this.

    :raises ConfigError: for the first missing password.
    """
    if inbox and settings.imap is not None:
        _ = settings.imap.password
    if outbox and settings.smtp is not None:
        _ = settings.smtp.password


def prepare(settings: Settings, deps: Deps) -> str:
    """Migrate the schema and make the embedded default's folders (idempotent); reaches no
    server.  Returns what the migration did, for the command's output.

    The folders holding readers' mail are made private (``0700``), and tightened when
    they exist with access for others (the database files are, by :func:`make_engine`).
    """
    private_dir(settings.desk.data_dir)
    migration = ensure_schema(deps)
    if settings.imap is None:
        private_dir(settings.local.maildir)
        MaildirMailbox(settings.local.maildir)
    if settings.smtp is None:
        private_dir(settings.local.outbox_dir)
    return migration


def init(settings: Settings, deps: Deps) -> str:
    """:func:`prepare`, then load the catalogue and the house style, so that a bad one fails
    at start rather than at the first letter (the worker's commands; the editors' desk
    commands only prepare, and work while the article feed is down)."""
    migration = prepare(settings, deps)
    deps.catalogue()
    deps.house_style()
    return migration


def tick(deps: Deps, publish_format: str | None = None) -> dict[str, str]:
    """One round of work (:func:`intake.app.schedule.tick`), for ``poll`` and the demo."""
    return schedule.tick(deps, publish_format)


def build_scheduler(
    settings: Settings, deps: Deps, watch: JobWatch | None = None
) -> BlockingScheduler:
    """``intake run``'s schedule (:func:`intake.app.schedule.scheduler_for`), every job run
    through *watch* (by default one recording each run for ``intake status``)."""
    cache = deps.catalogue if isinstance(deps.catalogue, CatalogueCache) else None
    refresh = cache.refresh_now if cache else None
    return schedule.scheduler_for(settings, deps, watch or job_watch(deps), refresh)


def web_context(settings: Settings, deps: Deps) -> WebContext:
    """The web desk wired to *deps* with the ``[web]`` settings (``intake web``, ``run``).

    The web desk (Starlette, uvicorn, the metrics) is imported here, not at the top: a
    poll never loads it (a test keeps it so)."""
    from intake.app.monitoring import routes
    from intake.web.guard import context_for
    from intake.web.probes import probe_routes

    def send_mail() -> str:
        try:
            check_secrets(settings, inbox=False)
            return send_outbox(deps).summary()
        except (ConfigError, TransientError) as exc:  # the mail waits in the outbox
            return f"not now ({exc}); the worker sends it"

    ctx = context_for(settings.web, deps, data_path("templates"), settings.publish.format,
                      send_mail)  # fmt: skip
    # /healthz (and with [web] metrics, /metrics) for checkers that do not sign in
    ctx.extra_routes += probe_routes(routes(deps, settings.stale_after,
                                            public=not settings.web.metrics))  # fmt: skip
    return ctx


def run_worker(settings: Settings, deps: Deps) -> None:
    """Run the scheduled worker (and the web desk with ``[web] enabled``, /healthz and /metrics
    with ``[health] listen``) until interrupted or ``deps.stop`` is set, woken early by IMAP
    IDLE.  A stop lets the round in hand finish the message it is on, then it ends."""
    scheduler = build_scheduler(settings, deps)
    ended = threading.Event()

    def shut_down_on_stop() -> None:  # a stop during start-up waits until the scheduler runs
        while not ended.is_set():
            if deps.stop.wait(0.2):
                with contextlib.suppress(SchedulerNotRunningError):
                    scheduler.shutdown(wait=False)
                    return
                ended.wait(0.05)

    threading.Thread(target=shut_down_on_stop, name="stop", daemon=True).start()
    with contextlib.ExitStack() as running:
        running.callback(ended.set)
        if where := settings.health.listen_at:  # first: a port taken stops us at once
            from intake.adapters.healthserver import serve_health
            from intake.app.monitoring import routes

            running.callback(serve_health(where, routes(deps, settings.stale_after)).stop)
        if settings.web.enabled:
            from intake.web.server import Background

            desk = Background(web_context(settings, deps), settings.web)
            desk.start()
            running.callback(desk.stop)
        if settings.imap is not None and settings.imap.idle:

            def poll_now() -> None:
                log.info("imap idle: new mail, polling now")
                scheduler.modify_job("tick", next_run_time=deps.clock.now())

            watcher = ImapIdleWatcher(settings.imap, poll_now)
            watcher.start()
            running.callback(watcher.stop)
        scheduler.start()
