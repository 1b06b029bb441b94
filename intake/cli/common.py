"""What every command shares: reading the settings, opening the desk, reading a file.

``open_desk`` is the one way a command gets its settings and wired dependencies;
any command may be the first to touch the database, so it makes sure the schema
exists.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from intake.app.deps import Deps
from intake.config import Settings, read_settings
from intake.domain.errors import IntakeError
from intake.worker import build_deps, init, prepare


def read_config(args: argparse.Namespace) -> Settings:
    """The settings named by ``--config`` or ``$INTAKE_CONFIG`` (else the embedded default)."""
    path = args.config or os.environ.get("INTAKE_CONFIG")
    return read_settings(Path(path) if path else None, os.environ, Path.cwd())


def open_desk(args: argparse.Namespace, *, start: bool = False) -> tuple[Settings, Deps]:
    """Settings and wired dependencies, the schema and local folders made (any command may be
    the first to open the database); with *start* (init, poll, run) the catalogue and house
    style are loaded too, so a bad one fails at once.  Without it nothing beyond the database
    is reached: an editor can act while the article feed or the mail servers are down."""
    settings = read_config(args)
    deps = build_deps(settings, os.environ)
    if start:
        init(settings, deps)
    else:
        prepare(settings, deps)
    return settings, deps


def read_file(path: str) -> bytes:
    """The bytes of *path*, or one clear error."""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise IntakeError(f"cannot read {path}: {exc.strerror}") from exc
