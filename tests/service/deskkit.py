"""Test kit: a desk on the embedded default (SQLite file, Maildir, outbox folder) with a fake clock."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fakes import FakeClock, deliver_at

from intake.app.deps import Deps
from intake.config import Settings, load_settings
from intake.worker import build_deps, init

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"


@dataclass
class Desk:
    settings: Settings
    deps: Deps
    clock: FakeClock

    def deliver(self, raw: bytes) -> str:
        return deliver_at(self.settings.local.maildir, raw, self.clock.now())

    def outbox_files(self) -> list[Path]:
        return sorted(self.settings.local.outbox_dir.glob("*.eml"))


def make_desk(tmp_path: Path, clock: FakeClock | None = None, extra: str = "") -> Desk:
    config = f"""
[desk]
publication = "The Nation"
address = "letters@news.test"
editors = ["editor@news.test"]
data_dir = "data"
[articles]
source = "{SAMPLES / "articles.csv"}"
{extra}
"""
    settings = load_settings(config, {}, path=tmp_path / "intake.toml", cwd=tmp_path)
    clock = clock or FakeClock()
    deps = build_deps(settings, {}, clock=clock)
    init(settings, deps)
    return Desk(settings=settings, deps=deps, clock=clock)
