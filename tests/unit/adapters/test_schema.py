"""The schema's versions: Alembic migrations from an empty or a pre-migration database.

The database made by intake 0.1.0 (``tests/data/schema/intake-0.1.0.sql``, rows in
every table) is migrated and must keep every row; a fresh database migrated to the
newest revision must equal the tables' models, so a model change without its
migration fails here.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from intake.adapters import schema
from intake.adapters.schema import (
    MIGRATIONS,
    SchemaTooNew,
    head,
    known_revisions,
    migrate,
    revision_of,
)
from intake.adapters.store import make_engine
from intake.domain.errors import IntakeError

RELEASE_0_1_0 = Path(__file__).resolve().parents[2] / "data" / "schema" / "intake-0.1.0.sql"
# tables the revisions after 0.1.0 add (0003: the web desk's sign-in; 0004: the worker's
# record of its runs; 0006: the messages' bytes, moved out of raw_message)
ADDED_SINCE_0_1_0 = {"web_link", "web_session", "job_status", "raw_body"}


def database(path: Path, script: str = "") -> Engine:
    if script:
        with sqlite3.connect(path) as conn:
            conn.executescript(script)
        conn.close()
    return make_engine(f"sqlite:///{path}")


def rows(path: Path) -> dict[str, list[dict[str, object]]]:
    """Every row of every table intake 0.1.0 had, by table, as dicts of its columns."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t: [dict(r) for r in conn.execute(f'SELECT * FROM "{t}" ORDER BY rowid')]
            for t in tables
            if t != "alembic_version"
        }
    finally:
        conn.close()


def with_bodies(found: dict[str, list[dict[str, object]]]) -> dict[str, list[dict[str, object]]]:
    """*found* with each message's bytes back in its ``raw_message`` row, ``raw_body`` gone
    (revision 0006 moved them there)."""
    if "raw_body" not in found:
        return found
    bodies = {row["raw_id"]: row["raw"] for row in found["raw_body"]}
    messages = [row | {"raw": bodies[row["id"]]} for row in found["raw_message"]]
    assert len(bodies) == len(messages), "a body for every message, and no other"
    return {t: found[t] for t in found if t != "raw_body"} | {"raw_message": messages}


def differences(engine: Engine, metadata: sa.MetaData = SQLModel.metadata) -> list[object]:
    with engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn), metadata))


def test_a_new_database_gets_the_newest_revision_and_equals_the_models(tmp_path: Path) -> None:
    engine = database(tmp_path / "new.db")
    assert revision_of(engine) is None
    first = migrate(engine)
    assert (first.before, first.after, first.changed) == (None, head(), True)
    assert differences(engine) == [], "a model changed without a migration (CONTRIBUTING)"
    again = migrate(engine)
    assert (again.changed, again.summary()) == (False, f"schema up to date (revision {head()})")


def test_the_comparison_finds_a_model_change_that_has_no_migration(tmp_path: Path) -> None:
    engine = database(tmp_path / "new.db")
    migrate(engine)
    changed = sa.MetaData()
    for table in SQLModel.metadata.sorted_tables:
        table.to_metadata(changed)
    changed.tables["letter"].append_column(sa.Column("mood", sa.String(), nullable=True))
    sa.Index("ix_author_name", changed.tables["author"].c.name)
    found = differences(engine, changed)
    assert sorted(d[0] for d in found if isinstance(d, tuple)) == ["add_column", "add_index"], found


def test_the_database_of_intake_0_1_0_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "release.db"
    engine = database(path, RELEASE_0_1_0.read_text(encoding="utf-8"))
    before = rows(path)
    assert all(before.values()), "the fixture has rows in every table"
    assert set(before) | ADDED_SINCE_0_1_0 == set(SQLModel.metadata.tables)
    assert revision_of(engine) is None
    assert migrate(engine).after == head()
    after = rows(path)
    assert set(after) == set(before) | ADDED_SINCE_0_1_0
    assert all(after[table] == [] for table in ADDED_SINCE_0_1_0 - {"raw_body"})
    assert "raw" not in after["raw_message"][0]
    after = with_bodies(after)
    for table, old in before.items():
        kept = [{k: row[k] for k in old[0]} for row in after[table]]
        assert kept == old, table
    assert differences(engine) == []


def test_an_older_database_gains_the_columns_and_indexes_it_lacks(tmp_path: Path) -> None:
    path = tmp_path / "older.db"
    engine = database(path, RELEASE_0_1_0.read_text(encoding="utf-8"))
    with sqlite3.connect(path) as conn:  # as an intake from before these columns made it
        conn.execute("ALTER TABLE letter DROP COLUMN findings")
        conn.execute("ALTER TABLE raw_message DROP COLUMN attempts")
        conn.execute("DROP INDEX ix_letter_state")
    conn.close()
    migrate(engine)
    inspector = sa.inspect(engine)
    assert "findings" in {c["name"] for c in inspector.get_columns("letter")}
    assert "ix_letter_state" in {i["name"] for i in inspector.get_indexes("letter")}
    after = rows(path)
    assert [r["findings"] for r in after["letter"]] == ["[]", "[]"]
    assert {r["attempts"] for r in after["raw_message"]} == {0}
    assert [r["writer_name"] for r in after["letter"]] == ["Reader 1", "Reader 2"]


def test_a_database_migrated_by_a_newer_intake_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    engine = database(path)
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'f00d'"))
    before = rows(path)
    with pytest.raises(SchemaTooNew, match="revision f00d, which this intake"):
        migrate(engine)
    assert rows(path) == before


def test_workers_migrating_one_sqlite_file_at_once_all_succeed(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    results: list[object] = []

    def worker() -> None:
        try:
            results.append(migrate(make_engine(f"sqlite:///{path}")).changed)
        except Exception as exc:  # noqa: BLE001  (the assertion below shows which)
            results.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == [False, False, False, True], results  # one migrated
    assert differences(make_engine(f"sqlite:///{path}")) == []


def alembic_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_the_revisions_read_without_alembic_are_alembics_own(tmp_path: Path) -> None:
    # the start of every command reads them without importing Alembic (schema's doc)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    scripts = ScriptDirectory.from_config(config)
    assert head() == scripts.get_current_head()
    assert known_revisions() == {s.revision for s in scripts.walk_revisions()}
    engine = database(tmp_path / "new.db")
    assert revision_of(engine) is alembic_revision(engine) is None
    migrate(engine)
    assert revision_of(engine) == alembic_revision(engine) == head()
    with engine.begin() as conn:  # the table there, no row in it
        conn.execute(sa.text("DELETE FROM alembic_version"))
    assert revision_of(engine) is alembic_revision(engine) is None


def last_column(engine: Engine, table: str) -> str:
    return str(sa.inspect(engine).get_columns(table)[-1]["name"])


def test_the_raw_message_is_its_rows_last_column(tmp_path: Path) -> None:
    # the store streams a large message into a zero blob at the end of the row (0005, 0006)
    new = database(tmp_path / "new.db")
    migrate(new)
    old = database(tmp_path / "old.db", RELEASE_0_1_0.read_text(encoding="utf-8"))
    assert last_column(old, "raw_message") != "raw"  # where 0.1.0 had it: the check can fail
    migrate(old)
    assert (last_column(new, "raw_body"), last_column(old, "raw_body")) == ("raw", "raw")
    assert list(SQLModel.metadata.tables["raw_body"].columns)[-1].name == "raw"
    assert "raw" not in {c["name"] for c in sa.inspect(new).get_columns("raw_message")}


def test_the_messages_bytes_move_back_into_their_rows_when_0006_is_undone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    migrate(database(path, RELEASE_0_1_0.read_text(encoding="utf-8")))
    before = with_bodies(rows(path))
    plain = sa.create_engine(f"sqlite:///{path}")  # foreign keys unchecked, as migrate() has it
    with plain.begin() as connection:
        config = schema._config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
    assert rows(path) == before
    assert last_column(plain, "raw_message") == "raw"
    plain.dispose()


def test_an_upgrade_that_would_break_a_reference_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.db"
    engine = database(path, RELEASE_0_1_0.read_text(encoding="utf-8"))
    with sqlite3.connect(path) as conn:  # one dangling reference before: not the upgrade's
        conn.execute("UPDATE letter SET raw_id = 999 WHERE id = 1")
    conn.close()
    before = rows(path)
    upgrade = schema._upgrade

    def careless(connection: sa.Connection) -> str | None:  # a revision losing a letter's mail
        found = upgrade(connection)
        connection.exec_driver_sql("DELETE FROM raw_message WHERE id = 2")
        return found

    monkeypatch.setattr(schema, "_upgrade", careless)
    # the letter and the message's bytes (raw_body) lose their message
    with pytest.raises(IntakeError, match=r"would break 2 references \[\('letter', 2, "):
        migrate(engine)
    assert rows(path) == before
    assert revision_of(engine) is None
    monkeypatch.undo()
    assert migrate(engine).after == head()  # the dangling reference it had does not stop it
