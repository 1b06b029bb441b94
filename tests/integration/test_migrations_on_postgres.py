"""Migrations on PostgreSQL: the schema equals the models, workers starting together take
turns under the advisory lock, and intake 0.1.0's database keeps every row."""

from __future__ import annotations

import importlib.util
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from intake.adapters.schema import LOCK_KEY, MIGRATIONS, head, migrate, revision_of
from intake.adapters.store import make_engine

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
RELEASE_0_1_0 = ROOT / "tests" / "data" / "schema" / "intake-0.1.0.sql"


def intake_migrate(tmp_path: Path, url: str, name: str) -> subprocess.Popen[str]:
    config = tmp_path / f"{name}.toml"
    config.write_text(f'[desk]\ndata_dir = "{name}"\n[database]\nurl = "{url}"\n', "utf-8")
    return subprocess.Popen(
        [sys.executable, "-m", "intake", "--config", str(config), "migrate"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_the_newest_revision_equals_the_models_on_postgresql(fresh_postgres_url: str) -> None:
    engine = make_engine(fresh_postgres_url)
    assert migrate(engine).after == head()
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    engine.dispose()


def test_a_worker_migrating_while_another_holds_the_lock_waits(
    fresh_postgres_url: str, tmp_path: Path
) -> None:
    holder = make_engine(fresh_postgres_url)
    with holder.connect() as conn:
        conn.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
        conn.commit()
        waiting = intake_migrate(tmp_path, fresh_postgres_url, "second")
        deadline = time.monotonic() + 30
        blocked = 0
        while time.monotonic() < deadline and not blocked:
            blocked = conn.execute(sa.text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            )).scalar_one()  # fmt: skip
            conn.commit()
            time.sleep(0.1)
        assert blocked == 1, "the second worker waits for the lock"
        assert waiting.poll() is None
        assert revision_of(holder) is None, "nothing migrated while the lock was held"
        conn.execute(sa.text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
        conn.commit()
    out, err = waiting.communicate(timeout=60)
    assert waiting.returncode == 0, err
    assert out.strip() == f"intake: schema migrated from nothing to revision {head()}"
    holder.dispose()


def test_two_workers_migrating_at_once_both_succeed_and_migrate_once(
    fresh_postgres_url: str, tmp_path: Path
) -> None:
    workers = [intake_migrate(tmp_path, fresh_postgres_url, f"w{i}") for i in range(2)]
    outs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outs
    said = sorted(out.strip() for out, _ in outs)
    assert said == [f"intake: schema migrated from nothing to revision {head()}",
                    f"intake: schema up to date (revision {head()})"]  # fmt: skip
    engine = make_engine(fresh_postgres_url)
    with engine.connect() as conn:
        versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    assert [v[0] for v in versions] == [head()]
    engine.dispose()


def _baseline_metadata() -> sa.MetaData:
    path = MIGRATIONS / "versions" / "r0001_baseline.py"
    spec = importlib.util.spec_from_file_location("baseline_for_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    metadata: sa.MetaData = module.metadata
    return metadata


def test_a_release_database_on_postgresql_keeps_every_row(
    fresh_postgres_url: str, tmp_path: Path
) -> None:
    """intake 0.1.0 made its PostgreSQL tables with ``create_all`` of the baseline's
    tables; its rows are the release fixture's."""
    source = tmp_path / "release.db"
    with sqlite3.connect(source) as db:
        db.executescript(RELEASE_0_1_0.read_text(encoding="utf-8"))
    db.close()
    metadata = _baseline_metadata()
    engine = make_engine(fresh_postgres_url)
    metadata.create_all(engine)
    read = make_engine(f"sqlite:///{source}")
    before: dict[str, list[dict[str, object]]] = {}
    with read.connect() as src, engine.begin() as dst:
        for table in metadata.sorted_tables:
            rows = [dict(r._mapping) for r in src.execute(sa.select(table))]
            before[table.name] = rows
            dst.execute(table.insert(), rows)
    assert all(before.values())
    assert migrate(engine).after == head()
    with engine.connect() as conn:
        # revision 0006 moved each message's bytes to raw_body: they are read back from there
        bodies = dict(conn.execute(sa.text("SELECT raw_id, raw FROM raw_body")).all())
        assert len(bodies) == len(before["raw_message"])
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns)
            kept = [c for c in table.columns if (table.name, c.name) != ("raw_message", "raw")]
            after = [dict(r._mapping) for r in conn.execute(sa.select(*kept).order_by(*order))]
            if table.name == "raw_message":
                after = [{**row, "raw": bodies[row["id"]]} for row in after]
            key = [c.name for c in order]
            expected = sorted(before[table.name], key=lambda r: [r[k] for k in key])
            assert after == expected, table.name
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    read.dispose()
    engine.dispose()
