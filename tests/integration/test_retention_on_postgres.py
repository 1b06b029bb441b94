"""Retention on PostgreSQL: the same queries (headers read with substr on bytea, the
publication time from the audit) drop what the fake clock makes due, and nothing else."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from fakes import FakeClock, deliver_at
from sqlmodel import select

from intake.adapters.store import RawMessageRow, raw_bytes
from intake.app import desk as actions
from intake.app.gate import make_ready
from intake.app.publishing import publish
from intake.app.retention import header_block, prune
from intake.app.work import begin
from intake.config import load_settings
from intake.worker import build_deps, init, tick

pytestmark = pytest.mark.integration
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def test_retention_prunes_on_postgresql(fresh_postgres_url: str, tmp_path: Path) -> None:
    config = (f'[desk]\naddress = "letters@news.test"\ndata_dir = "data"\n'
              f'[articles]\nsource = "{SAMPLES / "articles.csv"}"\n'
              f'[database]\nurl = "{fresh_postgres_url}"\n')  # fmt: skip
    settings = load_settings(config, {}, path=tmp_path / "intake.toml", cwd=tmp_path)
    clock = FakeClock()
    deps = build_deps(settings, {}, clock=clock)
    init(settings, deps)
    for name in ("01-letter-seed-nyc-ice.eml", "06-newsletter.eml", "07-bounce.eml"):
        deliver_at(settings.local.maildir, (SAMPLES / "inbox" / name).read_bytes(), clock.now())
    tick(deps)
    (request_file,) = settings.local.outbox_dir.glob("*.eml")
    request = email.message_from_bytes(request_file.read_bytes(), policy=email.policy.default)
    assert isinstance(request, EmailMessage)
    reply = EmailMessage()
    reply["From"], reply["To"] = str(request["To"]), str(request["Reply-To"])
    reply["Subject"], reply["Message-ID"] = f"Re: {request['Subject']}", "<r1@author.test>"
    reply["In-Reply-To"] = str(request["Message-ID"])
    reply.set_content("The city has since changed course.\n")
    deliver_at(settings.local.maildir, reply.as_bytes(), clock.now())
    tick(deps)
    make_ready(deps, deps.house_style())
    (letter,) = deps.store.letters(["ready"])
    assert letter.id is not None
    with begin(deps) as work:
        actions.approve(work, letter.id, actor="editor@news.test")
    assert publish(deps, "md").written
    with deps.store.session() as s:
        before = {r.id: raw_bytes(s, r.id or 0) for r in s.exec(select(RawMessageRow)).all()}

    clock.advance(days=31)
    first = prune(deps)
    assert (first.other, first.of_letters) == (2, 0), first.summary()
    clock.advance(days=60)
    second = prune(deps)
    assert (second.other, second.of_letters, second.letters) == (0, 2, {letter.id})
    with deps.store.session() as s:
        after = {r.id: r for r in s.exec(select(RawMessageRow)).all()}
        assert all(raw_bytes(s, i or 0) == header_block(before[i]) for i in after)
    assert all(row.pruned_at is not None for row in after.values())
    deps.store.engine.dispose()
