"""The editors' commands need no mailbox secrets: with ``[imap]`` and ``[smtp]`` configured
and neither password in the environment, ``queue``, ``show``, ``set``, ``approve``,
``digest --print`` and ``publish`` run on the database alone; ``poll`` (which connects)
still says which variable is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from deskkit import SAMPLES, Desk, make_desk
from deskletters import BUS, letter
from test_gate import author_answers

from intake.cli import main
from intake.worker import tick

IMAP_PW, SMTP_PW = "INTAKE_TEST_IMAP_PASSWORD", "INTAKE_TEST_SMTP_PASSWORD"
# the same desk (data_dir) as make_desk's, now with servers to connect to
REMOTE = f"""
[desk]
publication = "The Nation"
address = "letters@news.test"
editors = ["editor@news.test"]
data_dir = "data"
[articles]
source = "{SAMPLES / "articles.csv"}"
[imap]
host = "127.0.0.1"
port = 9
security = "none"
username = "letters@news.test"
password_env = "{IMAP_PW}"
[smtp]
host = "127.0.0.1"
port = 9
security = "none"
username = "letters@news.test"
password_env = "{SMTP_PW}"
"""


@pytest.fixture
def remote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Desk, Path]:
    """A letter with its response, ready; the config now names IMAP and SMTP servers whose
    passwords are not in the environment."""
    d = make_desk(tmp_path)
    d.deliver(letter(2, BUS))
    tick(d.deps, "md")
    author_answers(d, "The figures come from the transit authority's own reports.")
    tick(d.deps, "md")
    config = tmp_path / "remote.toml"
    config.write_text(REMOTE, encoding="utf-8")
    for name in (IMAP_PW, SMTP_PW, "INTAKE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    return d, config


def test_desk_commands_run_with_only_the_database(
    remote: tuple[Desk, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _d, config = remote

    def intake(*args: str) -> str:
        code = main(["--config", str(config), *args])
        out, err = capsys.readouterr()
        assert code == 0, (args, err)
        return out

    assert "ready" in intake("queue")
    assert "--- response ---" in intake("show", "1")
    assert "Jane Marlow" in intake("set", "1", "name", "Jane", "Marlow")
    assert "THE QUEUE" in intake("digest", "--print")
    assert "approved" in intake("approve", "1", "--as", "editor@news.test")
    (path,) = intake("publish", "--format", "txt").split()
    assert "Jane Marlow" in Path(path).read_text("utf-8")
    assert "published" in intake("queue", "--state", "published")


def test_a_command_that_connects_still_names_the_missing_variable(
    remote: tuple[Desk, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _d, config = remote

    assert main(["--config", str(config), "poll", "--once"]) == 2
    assert f"imap.password_env: environment variable {IMAP_PW} is not set" in (
        capsys.readouterr().err
    )
    assert main(["--config", str(config), "digest", "--now"]) == 2
    assert f"smtp.password_env: environment variable {SMTP_PW} is not set" in (
        capsys.readouterr().err
    )
