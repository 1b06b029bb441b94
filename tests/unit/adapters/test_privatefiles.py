"""Files only intake's user may read: created 0600/0700 whatever the umask, others tightened."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake.adapters.privatefiles import private_dir, private_file, replace_private, tighten


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The worst umask a service manager could hand us: everything readable and writable."""
    before = os.umask(0)
    try:
        yield
    finally:
        os.umask(before)


def test_new_folders_and_their_missing_parents_are_private(
    tmp_path: Path, open_umask: None
) -> None:
    folder = private_dir(tmp_path / "a" / "b" / "c")
    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", folder)] == [0o700] * 3


def test_a_new_file_is_private_and_an_existing_one_is_never_truncated(
    tmp_path: Path, open_umask: None
) -> None:
    path = private_file(tmp_path / "intake.db")
    assert (mode(path), path.read_bytes()) == (0o600, b"")
    path.write_bytes(b"rows")
    private_file(path)
    assert path.read_bytes() == b"rows"


def test_replace_private_writes_a_private_file_in_a_private_folder(
    tmp_path: Path, open_umask: None
) -> None:
    target = replace_private(tmp_path / "outbox", "m.eml", b"Subject: x\r\n\r\nbody")
    assert (mode(target), mode(target.parent), target.read_bytes()) == (
        0o600, 0o700, b"Subject: x\r\n\r\nbody",
    )  # fmt: skip
    assert [p.name for p in target.parent.iterdir()] == ["m.eml"]  # no temporary file left


def test_an_existing_file_open_to_others_is_tightened_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "intake.db"
    path.write_bytes(b"x")
    path.chmod(0o664)
    with caplog.at_level(logging.WARNING):
        private_file(path)
    assert mode(path) == 0o600
    assert "could be read by other users (mode 0664): now 0600" in caplog.text


def test_an_existing_folder_keeps_its_owner_bits_and_loses_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(0o755)
    private_dir(folder)
    assert mode(folder) == 0o700


def test_the_publish_folder_keeps_the_operators_mode(tmp_path: Path) -> None:
    folder = tmp_path / "published"
    folder.mkdir()
    folder.chmod(0o755)
    target = replace_private(folder, "letter.md", b"text", tighten_existing=False)
    assert (mode(folder), mode(target)) == (0o755, 0o600)


def test_a_file_that_cannot_be_tightened_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "theirs.db"
    path.write_bytes(b"x")
    path.chmod(0o644)

    def refuse(self: Path, mode: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(Path, "chmod", refuse)
    with caplog.at_level(logging.WARNING):
        tighten(path)
    assert "can be read by other users (mode 0644) and could not be made private" in caplog.text


def test_a_missing_path_is_left_alone(tmp_path: Path) -> None:
    tighten(tmp_path / "nothing")
    assert not (tmp_path / "nothing").exists()
