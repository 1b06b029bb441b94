"""The database engine: SQLite (WAL, a busy timeout, a private file) or any other URL.

SQLite gets write-ahead logging, ``synchronous=NORMAL``, foreign keys and a 30 s
busy timeout on every connection; its file is created private (``0600``) before
SQLite opens it, so the ``-wal`` and ``-shm`` files SQLite makes beside it take
the same mode (:mod:`.privatefiles`).  PostgreSQL (several workers) gets a
pre-ping so a restarted server costs one reconnect.  :func:`conflict_insert` is the
dialect's INSERT that can say ``ON CONFLICT``, for either.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from intake.adapters.privatefiles import private_dir, private_file, sqlite_files, tighten


def make_engine(url: str) -> Engine:
    """Create the engine for *url*; SQLite gets WAL and a busy timeout."""
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:" and not database.startswith("file:"):
            _private_database(Path(database))
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def _private_database(path: Path) -> None:
    """Create the database file (and its folder) private before SQLite opens it, so that
    SQLite gives its ``-wal`` and ``-shm`` files the same ``0600``; tighten existing ones."""
    if not path.parent.exists():
        private_dir(path.parent)  # SQLite makes the file, not its folder
    private_file(path)
    for companion in sqlite_files(path)[1:]:
        tighten(companion)


def conflict_insert(s: Session, table: Any) -> Any:
    """An INSERT into *table* in the session's dialect, which takes ``ON CONFLICT``."""
    if s.get_bind().dialect.name == "postgresql":
        # here: PostgreSQL's dialect costs an SQLite desk 2 MB it never uses
        from sqlalchemy.dialects.postgresql import insert

        return insert(table)
    return sqlite_insert(table)
