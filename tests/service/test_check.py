"""`intake check` on the embedded default: one line per part, exit 1 on any failure."""

from __future__ import annotations

from pathlib import Path

import pytest
from deskkit import make_desk

from intake.adapters.schema import head
from intake.cli import main


def check(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["--config", str(tmp_path / "intake.toml"), "check", *args])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out.splitlines()


@pytest.fixture(autouse=True)
def _no_config_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INTAKE_CONFIG", raising=False)


def test_a_working_desk_passes_every_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    desk = make_desk(tmp_path, cli=True)
    code, lines = check(tmp_path, capsys, "--send-test", "ops@news.test")
    assert code == 0, lines
    assert [line.split(":")[0] for line in lines] == [
        "config", "database", "catalogue", "inbox", "outbox", "send-test",
    ]  # fmt: skip
    assert all(line.split(": ", 1)[1].startswith("ok ") for line in lines), lines
    assert lines[2].startswith("catalogue: ok 28 articles from ")
    (sent,) = desk.outbox_files()  # the test message, straight through the outbox folder
    text = sent.read_text(encoding="utf-8")
    assert "X-Intake-Envelope-To: ops@news.test" in text
    assert "Auto-Submitted: auto-generated" in text
    assert desk.deps.store.outbound() == []  # nothing recorded


def test_each_failure_is_one_line_and_the_others_still_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "articles.csv").write_text("title\nOnly a title\n", encoding="utf-8")
    (tmp_path / "intake.toml").write_text(
        '[desk]\npublication = "The Nation"\naddress = "letters@news.test"\n'
        '[articles]\nsource = "articles.csv"\n',
        encoding="utf-8",
    )
    code, lines = check(tmp_path, capsys)
    assert code == 1
    assert lines[0].startswith("config: ok ")
    assert lines[1].startswith("database: FAIL sqlite:///")
    assert lines[1].endswith(f"is empty, this intake needs {head()}: run `intake migrate`")
    assert lines[2].startswith("catalogue: FAIL config: articles.source: ")
    assert lines[3].startswith("inbox: ok ") and lines[4].startswith("outbox: ok ")


def test_a_bad_config_is_exit_2_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "intake.toml").write_text('[schedule]\npoll_seconds = "60"\n', encoding="utf-8")
    code, lines = check(tmp_path, capsys)
    assert code == 2
    assert lines == ["config: FAIL config: schedule.poll_seconds: must be a whole number, got '60'"]
