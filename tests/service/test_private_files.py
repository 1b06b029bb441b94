"""A desk's files hold readers' letters: whatever the umask, no other user may read them."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from deskkit import SAMPLES, answer_requests, approve_ready, make_desk

from intake.app.publishing import publish
from intake.worker import build_deps, prepare, tick

SEED_LETTER = (SAMPLES / "inbox" / "01-letter-seed-nyc-ice.eml").read_bytes()


@pytest.fixture
def open_umask() -> Iterator[None]:
    before = os.umask(0)
    try:
        yield
    finally:
        os.umask(before)


def modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode) for p in root.rglob("*")}


def test_every_file_a_round_writes_is_private_under_an_open_umask(
    tmp_path: Path, open_umask: None
) -> None:
    desk = make_desk(tmp_path)
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    assert desk.outbox_files(), "the author request went to the outbox folder"
    answer_requests(desk, "Thank you for writing; the city has since changed course.")
    tick(desk.deps)
    assert approve_ready(desk)
    assert publish(desk.deps, "md").written
    data = desk.settings.desk.data_dir
    found = modes(data)
    assert {
        "intake.db",
        "intake.db-wal",
        "intake.db-shm",
        "inbox/cur",
        "outbox",
        "published",
    } <= set(found)
    loose = {name: oct(m) for name, m in found.items() if m & 0o077}
    assert loose == {}
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    files = [name for name in found if (data / name).is_file()]
    assert {found[name] for name in files} == {0o600}


def test_existing_files_open_to_others_are_tightened_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    desk = make_desk(tmp_path)
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    data = desk.settings.desk.data_dir
    opened = [data, data / "intake.db", data / "intake.db-wal", data / "inbox", data / "outbox"]
    for path in opened:
        path.chmod(0o755 if path.is_dir() else 0o644)
    with caplog.at_level(logging.WARNING):
        deps = build_deps(desk.settings, {}, clock=desk.clock)
        prepare(desk.settings, deps)
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in opened} == {
        "data": "0o700", "intake.db": "0o600", "intake.db-wal": "0o600", "inbox": "0o700",
        "outbox": "0o700",
    }  # fmt: skip
    assert caplog.text.count("could be read by other users") == len(opened)
