"""The operator's commands: ``intake status`` and ``intake check``.

``status`` reads only the database (the worker's record of its runs and the
queues) and exits 1 when the desk is unhealthy, so a monitor or a shell script can
act on it; ``--json`` gives the same facts to a program.  ``check`` tries each
part the desk needs (config, database, catalogue, inbox, outbox; a test message
on request), one line each, and exits 1 when any failed (2 for a bad config).
"""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from typing import Any

from intake.app.statusview import DeskStatus, JobSeen, desk_status, duration_text
from intake.cli.common import open_desk, read_config
from intake.cli.terminal import say, say_json
from intake.domain.errors import ConfigError
from intake.worker import build_deps


def cmd_status(args: argparse.Namespace) -> int:
    settings, deps = open_desk(args)
    status = desk_status(deps, settings.stale_after)
    if args.json:
        say_json(status.as_json())
    else:
        for line in status_lines(status):
            say(line)
    return 0 if status.healthy else 1


def cmd_check(args: argparse.Namespace) -> int:
    from intake.checkup import run_checks

    try:
        settings = read_config(args)
    except ConfigError as exc:
        say(f"config: FAIL {exc}")
        return 2
    say(f"config: ok {settings.config_path or 'none: the built-in defaults'}")
    deps = build_deps(settings, os.environ)
    failed = 0
    for verdict in run_checks(settings, deps, args.send_test or ""):
        say(verdict.line())
        failed += not verdict.ok
    return 1 if failed else 0


def status_lines(status: DeskStatus) -> list[str]:
    """The status as an operator reads it, one fact a line."""
    lines = ["intake: healthy" if status.healthy else "intake: UNHEALTHY"]
    lines += [f"  {problem}" for problem in status.problems]
    lines.append("jobs:" if status.jobs else "jobs: none recorded")
    lines += [f"  {_job(job, status.now)}" for job in status.jobs]
    waiting = [f"{state} {n}" for state, n in status.letters.items() if n]
    lines.append(f"letters: {', '.join(waiting) if waiting else 'none'}")
    aside = ", ".join(f"{name} {n}" for name, n in status.set_aside.items())
    lines.append(f"inbox: {status.inbox_waiting} waiting to be handled; {aside}")
    box = status.outbox
    unsent = f"outbox: {status.unsent} unsent (pending {box['pending']}, sending {box['sending']})"
    if status.oldest_unsent_at is not None:
        unsent += f", oldest {_when(status.oldest_unsent_at, status.now)}"
    lines.append(f"{unsent}; failed {box['failed']}, sent {box['sent']}")
    last = status.last_error
    if last is None:
        lines.append("last error: none")
    else:
        assert last.error_at is not None
        lines.append(f"last error: {last.job} {_when(last.error_at, status.now)} "
                     f"({last.error_kind}): {last.error}")  # fmt: skip
    return lines


def _job(job: JobSeen, now: datetime) -> str:
    ok = f"last ok {_when(job.ok_at, now)}" if job.ok_at else "never ok"
    if job.ok:
        return f"{job.job}: ok, {ok}, took {job.duration_seconds:.1f} s; {job.runs} runs"
    since = f" since {_when(job.failing_since, now)}" if job.failing_since else ""
    return f"{job.job}: FAILING{since} ({job.error_kind}); {ok}; {job.runs} runs"


def _when(at: datetime | None, now: datetime) -> str:
    if at is None:
        return "never"
    return f"{at:%Y-%m-%d %H:%M} UTC ({duration_text(now - at)} ago)"


def register(sub: Any) -> None:
    """Add ``status`` and ``check`` to the ``intake`` parser."""
    p = sub.add_parser(
        "status", help="the worker's last rounds, the queues and the outbox; exit 1 if unhealthy"
    )
    p.add_argument("--json", action="store_true", help="the same facts as JSON")
    p.set_defaults(func=cmd_status)
    p = sub.add_parser(
        "check",
        help="try the config, database, catalogue, IMAP login and folder, SMTP login; "
        "one line each, exit 1 on any failure",
    )
    p.add_argument("--send-test", metavar="ADDRESS",
                   help="also send a short test message to ADDRESS (not through the outbox)")  # fmt: skip
    p.set_defaults(func=cmd_check)
