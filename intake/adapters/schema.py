"""The schema's version: Alembic migrations, applied under a lock.

Every revision in :mod:`intake.adapters.migrations` is applied in order up to the
newest (the *head*).  :func:`migrate` first reads the database's revision without
any lock: at the head it returns at once, as it does for nearly every command.
Otherwise it takes a lock so that several workers starting together cannot race
(one migrates, the others wait, then find nothing to do):

- PostgreSQL: a transaction-level advisory lock, and the whole upgrade in that one
  transaction (PostgreSQL's DDL is transactional): a failure leaves the database as
  it was;
- SQLite: ``BEGIN IMMEDIATE``, SQLite's write lock, held until the upgrade commits
  (a second process waits up to the busy timeout, 30 s, and then fails with
  "database is locked"; run it again).

A database made before migrations (no ``alembic_version`` table) is adopted by the
baseline revision; one whose revision this intake does not know was made by a newer
intake and is refused, before anything is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from intake.domain.errors import IntakeError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# pg_advisory_xact_lock takes a bigint: the first 8 bytes of a name no one else uses
LOCK_KEY = int.from_bytes(
    hashlib.sha256(b"intake schema migration").digest()[:8], "big", signed=True
)


class SchemaTooNew(IntakeError):
    """The database was migrated by a newer intake than this one."""


@dataclass(frozen=True)
class Migration:
    """What :func:`migrate` found and left: revisions (``None``: no schema yet)."""

    before: str | None
    after: str
    adopted: bool = False  # the database had tables made before versioned migrations

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def summary(self) -> str:
        if not self.changed:
            return f"schema up to date (revision {self.after})"
        if self.adopted:
            return (f"schema made before versioned migrations (intake 0.1.0 or earlier) "
                    f"migrated to revision {self.after}")  # fmt: skip
        return f"schema migrated from {self.before or 'nothing'} to revision {self.after}"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    """The newest revision this intake knows."""
    found = ScriptDirectory.from_config(_config()).get_current_head()
    assert found is not None, "intake ships at least its baseline revision"
    return found


def current(connection: Connection) -> str | None:
    """The database's revision (``None``: never migrated, or empty)."""
    return MigrationContext.configure(connection).get_current_revision()


def revision_of(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return current(connection)


def known_revisions() -> set[str]:
    """Every revision this intake ships."""
    return {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}


def _known(revision: str | None) -> None:
    if revision is None:
        return
    if revision not in known_revisions():
        raise SchemaTooNew(
            f"the database's schema is at revision {revision}, which this intake "
            f"(newest revision {head()}) does not know: it was migrated by a newer "
            "intake; run that version, or restore a backup made before the upgrade"
        )


def migrate(engine: Engine) -> Migration:
    """Bring the database to the newest revision, under the lock; see the module's doc.

    :raises SchemaTooNew: when a newer intake migrated the database.
    """
    target = head()
    before = revision_of(engine)
    if before == target:
        return Migration(before, target)
    _known(before)
    adopted = before is None and "raw_message" in inspect(engine).get_table_names()
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            before = _upgrade_sqlite(connection)
        else:
            if engine.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            before = _upgrade(connection)
            connection.commit()
    return Migration(before, target, adopted=adopted and before is None)


def _upgrade(connection: Connection) -> str | None:
    """Upgrade in the connection's open transaction (the lock is held); return the revision
    found under the lock (another worker may have migrated while this one waited)."""
    found = current(connection)
    _known(found)
    config = _config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
    return found


def _upgrade_sqlite(connection: Connection) -> str | None:
    # pysqlite begins transactions itself, and not before DDL: take that over for this
    # connection so the whole upgrade is one transaction under SQLite's write lock
    driver = connection.connection.driver_connection
    assert driver is not None
    legacy = driver.isolation_level
    driver.isolation_level = None
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            found = _upgrade(connection)
        except BaseException:
            connection.rollback()
            raise
        connection.commit()
        return found
    finally:
        driver.isolation_level = legacy
