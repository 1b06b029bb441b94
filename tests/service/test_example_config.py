"""The shipped example config works as README's "Using it" says: copied, then ``init``."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from intake.cli import main
from intake.config import read_settings

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {"INTAKE_IMAP_PASSWORD": "imap-secret", "INTAKE_SMTP_PASSWORD": "smtp-secret"}


def test_the_example_copied_into_an_empty_folder_inits_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copyfile(ROOT / "config" / "intake.example.toml", tmp_path / "intake.toml")
    assert [p.name for p in tmp_path.iterdir()] == ["intake.toml"]
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("INTAKE_CONFIG", raising=False)
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)

    assert main(["--config", "intake.toml", "init"]) == 0

    out, err = capsys.readouterr()
    database = tmp_path / "intake-data" / "intake.db"
    assert f"database ready at sqlite:///{database}" in out and err == ""
    with sqlite3.connect(database) as db:
        tables = {row[0] for row in db.execute("select name from sqlite_master")}
    assert {"raw_message", "letter", "outbound"} <= tables
    settings = read_settings(Path("intake.toml"), SECRETS, tmp_path)
    assert settings.imap is not None and settings.imap.password == "imap-secret"
    assert settings.smtp is not None and settings.smtp.password == "smtp-secret"
    assert settings.publish.out_dir == tmp_path / "intake-data" / "published"


def test_without_the_passwords_it_names_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copyfile(ROOT / "config" / "intake.example.toml", tmp_path / "intake.toml")
    monkeypatch.chdir(tmp_path)
    for name in SECRETS:
        monkeypatch.delenv(name, raising=False)

    # poll connects: it stops before creating anything, naming the variable
    assert main(["--config", "intake.toml", "poll", "--once"]) == 2

    _, err = capsys.readouterr()
    assert err.strip() == (
        "intake: config: imap.password_env: environment variable INTAKE_IMAP_PASSWORD is not set"
    )
    assert not (tmp_path / "intake-data").exists()
    # init connects to nothing: it needs no mailbox password
    assert main(["--config", "intake.toml", "init"]) == 0
    assert (tmp_path / "intake-data" / "intake.db").is_file()
