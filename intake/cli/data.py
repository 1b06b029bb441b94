"""Data care: ``intake migrate`` (the schema's versions)."""

from __future__ import annotations

import argparse
import os
from typing import Any

from intake.cli.common import read_config
from intake.cli.terminal import say
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


def register(sub: Any) -> None:
    """Add ``migrate`` to the ``intake`` parser."""
    p = sub.add_parser(
        "migrate",
        help="bring the database's schema to this intake's newest revision (under a lock)",
    )
    p.add_argument("--status", action="store_true",
                   help="only say where the database stands; exit 1 if it needs migrating")  # fmt: skip
    p.set_defaults(func=cmd_migrate)
