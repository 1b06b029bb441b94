"""``intake backup`` and ``intake restore`` on the embedded default: a round trip keeps every
row, a backup taken while a worker writes is one consistent moment, and a restore refuses
what is not safe."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from deskkit import SAMPLES, Desk, make_desk

from intake.adapters.schema import head
from intake.cli import main
from intake.worker import tick

LETTERS = sorted((SAMPLES / "inbox").glob("*.eml"))


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in rowid order."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: db.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names}
    finally:
        db.close()


def busy_desk(tmp_path: Path) -> Desk:
    tmp_path.mkdir()
    desk = make_desk(tmp_path, cli=True)
    for raw in LETTERS:
        desk.deliver(raw.read_bytes())
    tick(desk.deps)
    desk.deps.store.engine.dispose()  # the commands below are other processes, as in life
    return desk


def intake(tmp_path: Path, *args: str) -> int:
    return main(["--config", str(tmp_path / "intake.toml"), *args])


def test_a_backup_restored_elsewhere_keeps_every_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = busy_desk(tmp_path / "desk")
    database = desk.settings.desk.data_dir / "intake.db"
    source = dump(database)
    assert source["letter"] and source["raw_message"] and source["outbound"]
    copy = tmp_path / "backups" / "intake-1.db"
    copy.parent.mkdir()

    assert intake(tmp_path / "desk", "backup", str(copy)) == 0
    said = capsys.readouterr().out
    assert f"backup written: {copy} ({len(source['letter'])} letters" in said
    assert f"schema revision {head()}" in said
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert [p.name for p in copy.parent.iterdir()] == ["intake-1.db"]  # one file: no WAL
    assert dump(copy) == source

    (tmp_path / "new").mkdir()
    elsewhere = make_desk(tmp_path / "new", cli=True)
    elsewhere.deps.store.engine.dispose()
    assert intake(tmp_path / "new", "restore", str(copy)) == 1  # a database is there
    assert "exists; add --force to replace it" in capsys.readouterr().err
    assert intake(tmp_path / "new", "restore", "--force", str(copy)) == 0
    assert "restored" in capsys.readouterr().out
    restored = elsewhere.settings.desk.data_dir / "intake.db"
    assert dump(restored) == source
    assert stat.S_IMODE(restored.stat().st_mode) == 0o600
    assert intake(tmp_path / "new", "show", "1") == 0
    assert "--- audit trail ---" in capsys.readouterr().out


def test_a_backup_while_a_writer_commits_is_one_consistent_moment(tmp_path: Path) -> None:
    desk = busy_desk(tmp_path / "desk")
    database = desk.settings.desk.data_dir / "intake.db"
    first_audit = len(dump(database)["audit"])
    stop = threading.Event()
    written = [0]

    def writer() -> None:
        db = sqlite3.connect(database, timeout=30)
        try:
            while not stop.is_set() or written[0] < 50:
                db.execute(
                    "INSERT INTO audit (letter_id, raw_id, event, source_state, target_state, "
                    "actor, note, at) VALUES (1, NULL, 'note', '', '', 'test', ?, "
                    "'2026-11-28 09:00:00.000000')",
                    (f"write {written[0]}",),
                )
                db.commit()
                written[0] += 1
        finally:
            db.close()

    thread = threading.Thread(target=writer)
    thread.start()
    copies = []
    try:
        for n in range(3):
            copy = tmp_path / f"during-{n}.db"
            assert intake(tmp_path / "desk", "backup", str(copy)) == 0
            copies.append(copy)
    finally:
        stop.set()
        thread.join()
    final = dump(database)
    assert written[0] >= 50 and len(final["audit"]) == first_audit + written[0]
    for copy in copies:
        taken = dump(copy)
        n = len(taken["audit"])
        # a prefix of the writer's rows, none torn: exactly what had been committed
        assert taken["audit"] == final["audit"][:n]
        assert {k: v for k, v in taken.items() if k != "audit"} == {
            k: v for k, v in final.items() if k != "audit"
        }
    assert len(dump(copies[-1])["audit"]) > first_audit, "the writer was at work meanwhile"


def test_restore_refuses_a_database_another_process_has_open(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = busy_desk(tmp_path / "desk")
    database = desk.settings.desk.data_dir / "intake.db"
    copy = tmp_path / "copy.db"
    assert intake(tmp_path / "desk", "backup", str(copy)) == 0
    hold_open = (
        "import sqlite3, sys, time; db = sqlite3.connect(sys.argv[1]); "
        "db.execute('SELECT count(*) FROM letter').fetchall(); print('open', flush=True); "
        "time.sleep(120)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", hold_open, str(database)],
        stdout=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = dump(copy)
        assert intake(tmp_path / "desk", "restore", "--force", str(copy)) == 1
        assert "is open in another process" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.communicate()
    assert intake(tmp_path / "desk", "restore", "--force", str(copy)) == 0
    assert dump(database) == before


def test_restore_checks_the_backup_before_touching_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = busy_desk(tmp_path / "desk")
    database = desk.settings.desk.data_dir / "intake.db"
    before = dump(database)
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a database\n" * 100, encoding="utf-8")
    stranger = tmp_path / "other.db"
    sqlite3.connect(stranger).execute("CREATE TABLE t (x)").connection.close()
    newer = tmp_path / "newer.db"
    assert intake(tmp_path / "desk", "backup", str(newer)) == 0
    with sqlite3.connect(newer) as db:
        db.execute("UPDATE alembic_version SET version_num = 'f00d'")
    db.close()
    capsys.readouterr()
    for path, reason in ((garbage, "is not an SQLite database"),
                         (stranger, "is no intake database (no table raw_message)"),
                         (newer, "was made by a newer intake (schema revision f00d)"),
                         (tmp_path / "missing.db", "no file at")):  # fmt: skip
        assert intake(tmp_path / "desk", "restore", "--force", str(path)) == 1
        assert reason in capsys.readouterr().err
    assert dump(database) == before


def test_backup_never_overwrites_without_force_nor_copies_postgresql(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    busy_desk(tmp_path / "desk")
    copy = tmp_path / "copy.db"
    copy.write_bytes(b"an older backup")
    assert intake(tmp_path / "desk", "backup", str(copy)) == 1
    assert f"{copy} exists; add --force to replace it" in capsys.readouterr().err
    assert copy.read_bytes() == b"an older backup"
    assert intake(tmp_path / "desk", "backup", "--force", str(copy)) == 0

    pg = tmp_path / "pg.toml"
    pg.write_text('[database]\nurl = "postgresql+psycopg://intake:s3cret@db:5432/letters"\n',
                  encoding="utf-8")  # fmt: skip
    capsys.readouterr()
    assert main(["--config", str(pg), "backup", "letters.dump"]) == 1
    err = capsys.readouterr().err
    assert "for PostgreSQL run pg_dump" in err
    assert (
        "pg_dump --format=custom --file letters.dump 'postgresql://intake:***@db:5432/letters'"
        in err
    )
    assert "s3cret" not in err
    assert main(["--config", str(pg), "restore", "letters.dump"]) == 1
    assert "pg_restore --clean --if-exists" in capsys.readouterr().err
