"""Backups of the SQLite database, and putting one back.

A backup is made with SQLite's online backup API in one step, which reads the
database in one read transaction: it is a consistent copy as of one moment,
WAL contents included, while a worker goes on writing (in WAL mode a reader
and a writer do not wait for each other).  The copy is written beside its
target as a private temporary file, switched out of WAL mode (so the one file
is the whole backup), checked with ``PRAGMA integrity_check`` and only then
renamed into place.

A restore checks the backup first (an SQLite database, intact, with intake's
tables, at a schema revision this intake knows), refuses a database that a
process has open (a worker, a desk command) and one that exists unless it is
forced, then copies the backup the same way and renames it over the database,
its stale ``-wal`` and ``-shm`` removed first.

PostgreSQL has its own tools (``pg_dump``, ``pg_restore``): :func:`postgres_advice`
says which command to run, and nothing here touches such a database.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from intake.adapters.privatefiles import private_dir, private_file, sqlite_files
from intake.adapters.schema import SchemaTooNew, known_revisions
from intake.domain.errors import IntakeError

# the tables any intake database has, whatever its version
CORE_TABLES = ("raw_message", "letter", "outbound", "audit")
# SQLite's "dead man's switch": every connection to a WAL database holds a shared lock on
# this byte of the -shm file while it is open (sqlite3.c, unixOpenSharedMemory)
_SHM_DMS_BYTE = 128


class BackupRefused(IntakeError):
    """A backup or restore that would not be safe, or a file that is no backup."""


@dataclass(frozen=True)
class Snapshot:
    """What a database file holds: its schema revision and its size in rows and bytes."""

    path: Path
    revision: str | None
    letters: int
    messages: int
    size: int

    def summary(self) -> str:
        return (f"{self.path} ({self.letters:,} letters, {self.messages:,} messages, schema "
                f"revision {self.revision or 'from before migrations'}, "
                f"{self.size / 2**20:.1f} MiB)")  # fmt: skip


def sqlite_database(url: str) -> Path | None:
    """The file an SQLite *url* names (``None`` for another database or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    name = parsed.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def postgres_advice(url: str, *, restore: bool, path: str) -> str:
    """The ``pg_dump``/``pg_restore`` line for a PostgreSQL *url* (its password masked)."""
    parsed = make_url(url).set(drivername="postgresql")
    shown = parsed.render_as_string(hide_password=True)
    if restore:
        return (f"pg_restore --clean --if-exists --no-owner --single-transaction "
                f"--dbname '{shown}' {path}")  # fmt: skip
    return f"pg_dump --format=custom --file {path} '{shown}'"


def backup(database: Path, target: Path, *, force: bool = False) -> Snapshot:
    """Copy the live *database* to *target* (see the module's doc); return what it holds.

    :raises BackupRefused: no database, or *target* exists and *force* is not given.
    """
    if not database.is_file():
        raise BackupRefused(f"no database at {database}")
    if target.exists() and not force:
        raise BackupRefused(f"{target} exists; add --force to replace it")
    source = sqlite3.connect(database, timeout=30)
    try:
        _copy(source, target)
    finally:
        source.close()
    return inspect(target)


def restore(backup_file: Path, database: Path, *, force: bool = False) -> Snapshot:
    """Put *backup_file* in place of *database*; return what the database now holds.

    :raises BackupRefused: the backup is not a sound intake database, the database
        is open in another process, or it exists and *force* is not given.
    """
    found = inspect(backup_file)
    if database.exists():
        if in_use(database):
            raise BackupRefused(
                f"{database} is open in another process (a worker, a desk command): stop "
                "it first; a restore under a running worker would lose what it writes"
            )
        if not force:
            raise BackupRefused(f"{database} exists; add --force to replace it with the backup")
    private_dir(database.parent)
    source = sqlite3.connect(f"{backup_file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        staged = _copy(source, database, rename=False)
    finally:
        source.close()
    for stale in sqlite_files(database)[1:]:
        stale.unlink(missing_ok=True)  # a leftover log must never be replayed onto the backup
    os.replace(staged, database)
    return Snapshot(database, found.revision, found.letters, found.messages, found.size)


def inspect(path: Path) -> Snapshot:
    """Check that *path* is an intact intake database this intake can open; say what it holds.

    :raises BackupRefused: when it is not.
    """
    if not path.is_file():
        raise BackupRefused(f"no file at {path}")
    try:
        with _read_only(path) as db:
            check = db.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                raise BackupRefused(f"{path} is damaged: {check[0][0]}")
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if missing := [t for t in CORE_TABLES if t not in tables]:
                raise BackupRefused(f"{path} is no intake database (no table {missing[0]})")
            revision = None
            if "alembic_version" in tables:
                revision = db.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            letters = db.execute("SELECT count(*) FROM letter").fetchone()[0]
            messages = db.execute("SELECT count(*) FROM raw_message").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(f"{path} is not an SQLite database: {exc}") from exc
    if revision is not None and revision not in known_revisions():
        raise SchemaTooNew(f"{path} was made by a newer intake (schema revision {revision})")
    return Snapshot(path, revision, letters, messages, path.stat().st_size)


def in_use(database: Path) -> bool:
    """Whether another process has *database* open (or holds a lock on it).

    Every connection to a WAL database keeps a shared lock on one byte of its ``-shm``
    file for as long as it is open; a database in another journal mode is in use while
    someone holds a lock on it.  Call this before opening *database* in this process:
    POSIX locks belong to the process, and closing the probe would drop its own.
    """
    shm = sqlite_files(database)[2]
    if shm.exists():
        fd = os.open(shm, os.O_RDWR)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS_BYTE)
        except OSError:
            return True
        else:
            fcntl.lockf(fd, fcntl.LOCK_UN, 1, _SHM_DMS_BYTE)
        finally:
            os.close(fd)
    probe = sqlite3.connect(database, timeout=0)
    try:
        probe.execute("BEGIN EXCLUSIVE")
        probe.rollback()
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()
    return False


def _copy(source: sqlite3.Connection, target: Path, *, rename: bool = True) -> Path:
    """Copy *source* into a private file beside *target*, make it one self-contained file
    (no WAL), check it, and rename it to *target* (or, without *rename*, return it)."""
    staged = target.with_name(f".{target.name}.partial")
    staged.unlink(missing_ok=True)
    private_file(staged)
    try:
        copy = sqlite3.connect(staged)
        try:
            source.backup(copy)  # one step: one read transaction, one consistent moment
            copy.execute("PRAGMA journal_mode=DELETE")
            check = copy.execute("PRAGMA integrity_check").fetchall()
        finally:
            copy.close()
        if check != [("ok",)]:
            raise BackupRefused(f"the copy failed its integrity check: {check[0][0]}")
        if rename:
            os.replace(staged, target)
            return target
        return staged
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        yield db
    finally:
        db.close()
