"""The editors' desk works while the article feed is down; the worker's start says it is down."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake.cli import main

CONFIG = """
[desk]
publication = "The Nation"
address = "letters@news.test"
editors = ["editor@news.test"]
data_dir = "data"
[articles]
source = "http://127.0.0.1:9/feed.xml"
"""


def test_desk_commands_need_only_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "intake.toml"
    config.write_text(CONFIG, encoding="utf-8")
    # the worker's start loads the catalogue, so a dead feed is named at once
    assert main(["--config", str(config), "init"]) != 0
    assert "articles.source" in capsys.readouterr().err
    # an editor's commands reach nothing but the database
    assert main(["--config", str(config), "queue"]) == 0
    assert "The queue is empty." in capsys.readouterr().out
    assert main(["--config", str(config), "approve", "1"]) == 1
    err = capsys.readouterr().err
    assert "articles.source" not in err and "letter 1" in err
    assert main(["--config", str(config), "publish"]) == 0
    assert "articles.source" not in capsys.readouterr().err
