"""Data care: ``intake migrate`` (the schema's versions), ``intake backup`` and
``intake restore`` (the SQLite database; PostgreSQL's own tools for PostgreSQL),
``intake prune`` (retention)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from intake.adapters.backup import backup, postgres_advice, restore, sqlite_database
from intake.adapters.schema import head
from intake.cli.common import open_desk, read_config
from intake.cli.terminal import say
from intake.config import Settings
from intake.domain.errors import IntakeError
from intake.worker import build_deps, ensure_schema, schema_status


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = read_config(args)
    deps = build_deps(settings, os.environ)
    if args.status:
        current, newest = schema_status(deps)
        say(f"intake: database at revision {current or 'none (no schema yet)'}; "
            f"this intake's newest is {newest}")  # fmt: skip
        return 0 if current == newest else 1
    say(f"intake: {ensure_schema(deps)}")
    return 0


def _sqlite_file(settings: Settings, command: str, path: str) -> Path:
    database = sqlite_database(settings.database.connect_url)
    if database is not None:
        return database
    url = settings.database.url
    if url.startswith("postgresql"):
        tool = postgres_advice(url, restore=command == "restore", path=path)
        raise IntakeError(f"intake {command} works on SQLite databases; for PostgreSQL run "
                          f"{tool.split()[0]} (see README, “Data care”): {tool}")  # fmt: skip
    raise IntakeError(f"intake {command} works on SQLite databases only; use your "
                      "database's own backup tools")  # fmt: skip


def cmd_backup(args: argparse.Namespace) -> int:
    database = _sqlite_file(read_config(args), "backup", args.path)
    snapshot = backup(database, Path(args.path), force=args.force)
    say(f"intake: backup written: {snapshot.summary()}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    database = _sqlite_file(read_config(args), "restore", args.path)
    snapshot = restore(Path(args.path), database, force=args.force)
    say(f"intake: restored {args.path}: {snapshot.summary()}")
    if snapshot.revision != head():
        say(f"intake: the next command (or `intake migrate`) brings it to revision {head()}")
    return 0


def cmd_prune(args: argparse.Namespace) -> int:
    from intake.app.retention import prune

    _, deps = open_desk(args)
    retention = deps.policy.retention
    if retention.other_mail is None and retention.published_letters is None:
        say("intake: retention keeps all raw mail (both [retention] periods are 0)")
        return 0
    say(f"intake: {prune(deps, dry_run=args.dry_run).summary()}")
    return 0


def register(sub: Any) -> None:
    """Add ``migrate``, ``backup``, ``restore`` and ``prune`` to the ``intake`` parser."""
    p = sub.add_parser(
        "migrate",
        help="bring the database's schema to this intake's newest revision (under a lock)",
    )
    p.add_argument("--status", action="store_true",
                   help="only say where the database stands; exit 1 if it needs migrating")  # fmt: skip
    p.set_defaults(func=cmd_migrate)
    p = sub.add_parser(
        "backup", help="copy the SQLite database to PATH, consistent while the worker runs"
    )
    p.add_argument("path", metavar="PATH")
    p.add_argument("--force", action="store_true", help="replace PATH if it exists")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser(
        "restore", help="put a backup in place of the SQLite database (the worker stopped)"
    )
    p.add_argument("path", metavar="PATH")
    p.add_argument("--force", action="store_true", help="replace an existing database")
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser(
        "prune",
        help="drop the raw mail [retention] no longer keeps (headers, hashes, audit kept)",
    )
    p.add_argument("--dry-run", action="store_true", help="only say what would be dropped")
    p.set_defaults(func=cmd_prune)
