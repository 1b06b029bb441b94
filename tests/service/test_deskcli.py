"""The editors' command line on the embedded default: the same actions, one line each."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from deskkit import SAMPLES
from deskletters import BUS, LIBRARY, letter
from fakes import FROZEN_AT, deliver_at

from intake.cli import main

CONFIG = f"""
[desk]
publication = "The Nation"
address = "letters@news.test"
editors = ["editor@news.test"]
data_dir = "data"
[articles]
source = "{SAMPLES / "articles.csv"}"
"""


@pytest.fixture
def cfg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    path = tmp_path / "intake.toml"
    path.write_text(CONFIG, encoding="utf-8")
    monkeypatch.delenv("INTAKE_CONFIG", raising=False)
    assert main(["--config", str(path), "init"]) == 0
    deliver_at(tmp_path / "data" / "inbox", letter(1), FROZEN_AT)
    # a second later: the Maildir hands mail over in the order it arrived
    later = FROZEN_AT + timedelta(seconds=1)
    deliver_at(tmp_path / "data" / "inbox", letter(2, BUS, extra=" My number is 555-0143."), later)
    assert main(["--config", str(path), "poll", "--once"]) == 0
    capsys.readouterr()
    return str(path)


def run(cfg: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--config", cfg, *args])
    out, err = capsys.readouterr()
    return code, out, err


def trail(cfg: str, capsys: pytest.CaptureFixture[str], letter_id: str) -> list[dict[str, str]]:
    code, out, _ = run(cfg, capsys, "show", letter_id, "--json")
    assert code == 0
    audit: list[dict[str, str]] = json.loads(out)["audit"]
    return audit


def test_actions_name_the_editor_and_refusals_are_one_line(
    cfg: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(cfg, capsys, "hold", "L-2", "--reason", "fact check", "--as", "ed@news.test")
    assert code == 0 and out.strip() == "letter 2 held: fact check"
    assert trail(cfg, capsys, "2")[-1] | {"at": ""} == {
        "at": "", "event": "held", "from": "awaiting_author", "to": "held",
        "actor": "ed@news.test", "note": "fact check"}  # fmt: skip
    monkeypatch.setenv("USER", "jo")
    code, out, _ = run(cfg, capsys, "release", "2")
    assert code == 0 and "waiting for author1@news.test" in out
    assert trail(cfg, capsys, "2")[-2]["actor"].startswith("jo@")  # $USER@host by default
    code, out, err = run(cfg, capsys, "approve", "2")
    assert code == 1 and out == ""
    assert err.strip() == "intake: error: letter 2 is awaiting author: it cannot be approved now"
    code, out, _ = run(cfg, capsys, "assign", "1", "--article", LIBRARY, "--as", "ed@news.test")
    assert code == 0 and "Dana Whitfield <author1@news.test> is asked to respond" in out
    code, out, _ = run(cfg, capsys, "queue", "--state", "awaiting_author", "--json")
    assert [i["id"] for i in json.loads(out)] == [1, 2]
    code, out, _ = run(cfg, capsys, "queue", "--article", LIBRARY)
    assert "FLAGS" in out and len(out.strip().splitlines()) == 2


def test_edit_opens_the_editor_and_keeps_the_original(
    cfg: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    script = tmp_path / "fake_editor.py"
    script.write_text(
        "import pathlib, sys\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('Brooklyn', 'Queens'))\n"
    )
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    code, out, _ = run(cfg, capsys, "edit", "2", "--as", "ed@news.test", "--note", "town")
    assert code == 0 and out.strip() == "letter 2: letter town"
    code, out, _ = run(cfg, capsys, "redact", "2", "555-0143", "--as", "ed@news.test")
    assert code == 0
    code, out, _ = run(cfg, capsys, "show", "2", "--json")
    item = json.loads(out)
    assert "Queens" in item["letter_text"] and "[redacted]" in item["letter_text"]
    assert "Brooklyn" in item["letter_original"] and "555-0143" in item["letter_original"]
    assert [e["note"] for e in item["edits"]] == ["town", "redacted (1 passage)"]
    code, out, _ = run(cfg, capsys, "show", "2")
    assert "(edited; the original is kept)" in out and "--- audit trail ---" in out
    # an editor that fails stores nothing
    monkeypatch.setenv("EDITOR", "false")
    code, _, err = run(cfg, capsys, "edit", "2")
    assert code == 1 and "nothing was stored" in err


def test_digest_print_and_send(
    cfg: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(cfg, capsys, "digest", "--print")
    assert code == 0 and "THE QUEUE" in out and "assign 1 URL" in out
    assert list((tmp_path / "data" / "outbox").glob("*.eml")) != []  # the author request
    before = len(list((tmp_path / "data" / "outbox").glob("*.eml")))
    code, out, _ = run(cfg, capsys, "digest", "--now")
    assert code == 0 and "queued=1" in out and "sent=1" in out
    assert len(list((tmp_path / "data" / "outbox").glob("*.eml"))) == before + 1


def test_an_unknown_state_is_an_error_naming_the_valid_ones(
    cfg: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--config", cfg, "queue", "--state", "bogus"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'bogus'" in err
    assert all(f"'{state}'" in err for state in ("needs_review", "awaiting_author", "published"))
    code, out, _ = run(cfg, capsys, "queue", "--state", "needs_review", "--state", "held")
    assert code == 0 and "awaiting_author" not in out
