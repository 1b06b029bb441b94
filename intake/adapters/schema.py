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

Alembic itself (with Mako and Pygments, about 11 MB of a worker's memory) is imported
only to upgrade: the revisions this intake ships are read from the files' own
``revision`` and ``down_revision`` lines, and the database's from ``alembic_version``.
"""

from __future__ import annotations

import ast
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from intake.domain.errors import IntakeError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"  # Alembic's default: env.py names no other
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
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _declared(path: Path) -> tuple[str, str | None]:
    """A revision file's ``(revision, down_revision)``, read from its text."""
    found: dict[str, object] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id in {"revision", "down_revision"}:
                found[target.id] = ast.literal_eval(node.value)
    revision, down = found.get("revision"), found.get("down_revision")
    assert isinstance(revision, str), f"{path.name} declares no revision"
    assert down is None or isinstance(down, str), f"{path.name}: one parent, or none"
    return revision, down


@functools.cache
def _history() -> dict[str, str | None]:
    """Every revision this intake ships, with the one before it (``None``: the baseline)."""
    return dict(_declared(p) for p in sorted((MIGRATIONS / "versions").glob("r*.py")))


def head() -> str:
    """The newest revision this intake knows: the one no other revision follows."""
    history = _history()
    heads = set(history) - {down for down in history.values() if down is not None}
    assert len(heads) == 1, f"the migrations must form one line, not {sorted(heads)}"
    return heads.pop()


def current(connection: Connection) -> str | None:
    """The database's revision (``None``: never migrated, or empty)."""
    if not connection.dialect.has_table(connection, VERSION_TABLE):
        return None
    found = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(found) > 1:
        raise IntakeError(f"{VERSION_TABLE} names {len(found)} revisions: {sorted(found)}")
    return found[0] if found else None


def revision_of(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return current(connection)


def known_revisions() -> set[str]:
    """Every revision this intake ships."""
    return set(_history())


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
    from alembic import command

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
    # SQLite's way to rebuild a table others refer to (its ALTER TABLE page): foreign keys
    # off for the upgrade (a pragma that only works outside a transaction), checked before
    # the commit, so a dropped and renamed copy is no violation, and one the upgrade made
    # undoes it (one the database had before is left to the editors, as it was)
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            had = _broken_references(connection)
            found = _upgrade(connection)
            broken = _broken_references(connection) - had
            if broken:
                raise IntakeError(f"the upgrade would break {len(broken)} references "
                                  f"{sorted(broken)[:3]}: nothing was changed")  # fmt: skip
        except BaseException:
            connection.rollback()
            raise
        connection.commit()
        return found
    finally:
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        driver.isolation_level = legacy


def _broken_references(connection: Connection) -> set[tuple[object, ...]]:
    """SQLite's list of rows whose foreign key names no row: (table, rowid, parent, key)."""
    return {tuple(r) for r in connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()}
