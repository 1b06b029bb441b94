"""``intake migrate`` on a database made by intake 0.1.0: every row kept, the desk reads it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from intake.adapters.schema import head
from intake.cli import main

ROOT = Path(__file__).resolve().parents[2]
RELEASE_0_1_0 = ROOT / "tests" / "data" / "schema" / "intake-0.1.0.sql"


def count_rows(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        found = {n: db.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    db.close()
    return found


def test_migrate_upgrades_the_release_database_and_the_desk_reads_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INTAKE_CONFIG", raising=False)
    (tmp_path / "intake.toml").write_text('[desk]\ndata_dir = "data"\n', encoding="utf-8")
    (tmp_path / "data").mkdir()
    database = tmp_path / "data" / "intake.db"
    with sqlite3.connect(database) as db:
        db.executescript(RELEASE_0_1_0.read_text(encoding="utf-8"))
    db.close()
    before = count_rows(database)

    assert main(["--config", "intake.toml", "migrate", "--status"]) == 1
    assert "database at revision none (no schema yet)" in capsys.readouterr().out
    assert main(["--config", "intake.toml", "migrate"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == (
        "intake: schema made before versioned migrations (intake 0.1.0 or earlier) "
        f"migrated to revision {head()}"
    )
    assert "adopting a database made before versioned migrations" in caplog.text
    after = count_rows(database)
    # every row kept; the tables later revisions add (0003: the web desk's, 0004: the
    # worker's record of its runs) start empty, 0006's holds each message's bytes
    assert after == {
        **before,
        "alembic_version": 1,
        "web_link": 0,
        "web_session": 0,
        "job_status": 0,
        "raw_body": before["raw_message"],
    }

    assert main(["--config", "intake.toml", "migrate", "--status"]) == 0
    assert main(["--config", "intake.toml", "show", "1"]) == 0
    shown = capsys.readouterr().out
    assert (
        "Reader 1 <r1@reader.test>" in shown and "edited text" in shown and "A response." in shown
    )
    assert main(["--config", "intake.toml", "init"]) == 0
    assert f"schema up to date (revision {head()})" in capsys.readouterr().out
