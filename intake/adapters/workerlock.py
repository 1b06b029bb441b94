"""One worker per SQLite database: an exclusive lock held while ``intake run`` or ``poll`` works.

SQLite serialises writers but cannot split the work between processes as
PostgreSQL's ``FOR UPDATE SKIP LOCKED`` does, so a second worker on one file
would only fight the first for every row.  The worker takes ``flock`` on
``<database>-worker.lock`` beside the database (created ``0600``) for as long
as it runs; a second one finds it taken and stops at once, naming the first
(its pid and host, which the holder writes into the file).  The kernel
releases the lock when the holder's process ends, however it ends (a crash or
SIGKILL leaves no stale lock).  The database file itself is never opened
here: closing another descriptor of it would drop SQLite's own POSIX locks.
PostgreSQL needs no such lock: several workers share it by design.
"""

from __future__ import annotations

import fcntl
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from intake.adapters.privatefiles import PRIVATE_FILE, private_dir
from intake.domain.errors import IntakeError


class WorkerRunning(IntakeError):
    """Another worker already works on this SQLite database."""


def sqlite_file(url: str) -> Path | None:
    """The database file of an SQLite *url* (``None`` for another database or memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def lock_path(database: Path) -> Path:
    return database.with_name(f"{database.name}-worker.lock")


@contextmanager
def one_worker(url: str) -> Iterator[None]:
    """Hold the worker lock of the SQLite database at *url* while the block runs (for any
    other database, do nothing).

    :raises WorkerRunning: when another process holds it, naming that process.
    """
    database = sqlite_file(url)
    if database is None:
        yield
        return
    private_dir(database.parent)
    path = lock_path(database)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            raise WorkerRunning(
                f"another intake worker ({holder}) is already working on {database}; "
                "with SQLite run one worker at a time (several workers need PostgreSQL)"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock
