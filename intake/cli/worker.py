"""The worker's commands: ``intake init | poll | run | publish | web``."""

from __future__ import annotations

import argparse
import contextlib
import functools
import logging
import os
import signal
import sys
from dataclasses import replace
from datetime import date
from typing import Any

from intake import __version__
from intake.app.deps import Deps
from intake.app.health import watched
from intake.cli.common import open_desk, read_config
from intake.cli.progress import PollProgress
from intake.cli.terminal import say
from intake.config import PUBLISH_FORMATS
from intake.worker import (
    build_deps,
    check_secrets,
    init,
    run_worker,
    tick,
    web_context,
    worker_lock,
)

log = logging.getLogger("intake")


def cmd_init(args: argparse.Namespace) -> int:
    settings = read_config(args)
    migration = init(settings, build_deps(settings, os.environ))
    say(f"intake: database ready at {settings.database.url}: {migration}")
    if settings.imap is None:
        say(f"intake: inbox (Maildir) {settings.local.maildir}")
    if settings.smtp is None:
        say(f"intake: outbox folder {settings.local.outbox_dir}")
    return 0


# what a shell reports for a command that SIGTERM ended: 128 + 15
STOPPED_EXIT = 143


def _stop_on_sigterm(deps: Deps) -> None:
    """SIGTERM (systemd, CI, kill) asks the worker to stop: the message in hand is finished,
    the rest waits for the next run, and the command ends within seconds."""

    def stop(_sig: int, _frame: object) -> None:
        deps.stop.set()

    signal.signal(signal.SIGTERM, stop)


def _with_progress(deps: Deps) -> tuple[Deps, PollProgress]:
    progress = PollProgress(terminal=sys.stderr.isatty())
    if (
        not progress.terminal
        and logging.getLogger("intake.progress").getEffectiveLevel() > logging.INFO
    ):
        # a long poll's "n of N" lines show at the command's default level too
        logging.getLogger("intake.progress").setLevel(logging.INFO)
    return replace(deps, progress=progress), progress


def cmd_poll(args: argparse.Namespace) -> int:
    settings = read_config(args)
    check_secrets(settings)  # before anything is created: this command connects
    with worker_lock(settings):  # one worker per SQLite database
        _, deps = open_desk(args, start=True)
        if not args.once:
            say("intake: poll runs once; use `intake run` for the scheduled worker", err=True)
        deps, progress = _with_progress(deps)
        _stop_on_sigterm(deps)
        try:
            with watched(deps, "tick"):  # recorded for `intake status`, as a worker's round
                results = tick(deps)
        finally:
            progress.finish()
        for name, summary in results.items():
            say(f"{name}: {summary}")
    if deps.stop.is_set():
        say("intake: stopped (SIGTERM); the rest waits for the next poll", err=True)
        return STOPPED_EXIT
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    settings = read_config(args)
    check_secrets(settings)  # before anything is created: this command connects
    with worker_lock(settings):  # one worker per SQLite database
        settings, deps = open_desk(args, start=True)
        log.info("intake %s: polling every %ss", __version__, settings.schedule.poll_seconds)
        deps, _ = _with_progress(deps)
        # systemd and CI stop us with SIGTERM: the round in hand finishes its message, then
        # the scheduler ends (as on Ctrl-C, without waiting for the rest of the round)
        _stop_on_sigterm(deps)
        with contextlib.suppress(KeyboardInterrupt):
            run_worker(settings, deps)
    if deps.stop.is_set():
        log.info("intake: stopped (SIGTERM)")
    return 0


def cmd_web(args: argparse.Namespace) -> int:
    check_secrets(read_config(args), inbox=False)  # it mails sign-in links
    settings, deps = open_desk(args)
    web = settings.web
    say(f"intake: web desk on {web.host}:{web.port}; editors open {web.url}", err=True)
    from intake.web.server import serve

    serve(web_context(settings, deps), web.host, web.port)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from intake.app import desk
    from intake.app.publishing import publish
    from intake.app.reprint import reprint
    from intake.app.work import carry_out

    settings, deps = open_desk(args)
    deps.house_style()  # a bad house style stops the command before anything is written
    fmt = args.format or settings.publish.format
    only = [desk.letter_ref(ref) for ref in args.ids] or None
    actor = _actor(args)
    for letter_id in only or ():  # `publish 12`, as by email: approve it if it needs that
        outcome = carry_out(deps, functools.partial(desk.publish, letter_id=letter_id, actor=actor))
        say(outcome.message, err=True)
    say(f"reprint: {reprint(deps).summary()}", err=True)
    report = publish(deps, fmt, again=args.again, only=only)
    for path in report.written:
        say(path)
    say(f"publish: {report.summary()}", err=True)
    if args.page or args.date:
        from zoneinfo import ZoneInfo

        from intake.app.publishing import publish_page

        today = deps.clock.now().astimezone(ZoneInfo(settings.desk.timezone)).date()
        first, last = args.date or (today, today)
        say(publish_page(deps, fmt, first, last))
    return 0


def _actor(args: argparse.Namespace) -> str:
    from intake.app.desk import default_actor

    return str(args.actor) if args.actor else default_actor()


def _page_days(text: str) -> tuple[date, date]:
    """``YYYY-MM-DD`` or an issue's ``YYYY-MM-DD..YYYY-MM-DD`` (inclusive)."""
    first_text, _, last_text = text.partition("..")
    try:
        first = date.fromisoformat(first_text)
        last = date.fromisoformat(last_text) if last_text else first
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD, got {text!r}"
        ) from None
    if last < first:
        raise argparse.ArgumentTypeError(f"{last} is before {first}")
    return first, last


def register(sub: Any) -> None:
    """Add ``init``, ``poll``, ``run``, ``web`` and ``publish`` to the ``intake`` parser."""
    sub.add_parser("init", help="create the database and local folders (idempotent)").set_defaults(
        func=cmd_init
    )
    p = sub.add_parser("poll", help="fetch, classify, route, send, match replies")
    p.add_argument("--once", action="store_true", help="one round, then exit (the only mode)")
    p.set_defaults(func=cmd_poll)
    sub.add_parser(
        "run", help="the scheduled worker: poll, send and publish on a timer"
    ).set_defaults(func=cmd_run)
    sub.add_parser(
        "web", help="the editors' desk in a browser, on web.host:web.port (see [web])"
    ).set_defaults(func=cmd_web)
    p = sub.add_parser(
        "publish", help="make letters ready; render the approved ones into the publish folder"
    )
    p.add_argument("ids", nargs="*", metavar="ID",
                   help="only these letters, approved first if they need it (as `publish 12` "
                        "by email)")  # fmt: skip
    p.add_argument("--as", dest="actor", metavar="EDITOR",
                   help="who approves, for the audit trail (default: $USER@host)")  # fmt: skip
    p.add_argument("--format", choices=PUBLISH_FORMATS)
    p.add_argument("--again", action="store_true", help="re-render letters already published")
    p.add_argument(
        "--page",
        action="store_true",
        help="also write the letters page of the day's published letters, by article",
    )
    p.add_argument("--date", type=_page_days, metavar="DAY[..DAY]",
                   help="the page's day, or an issue's first..last day (implies --page; "
                        "default: today in the desk's time zone)")  # fmt: skip
    p.set_defaults(func=cmd_publish)
