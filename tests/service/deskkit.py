"""Test kit: a desk on the embedded default (SQLite file, Maildir, outbox folder) with a fake clock."""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from deskletters import read
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


def via_our_server(raw: bytes, ours: str, *, forged: str = "") -> bytes:
    """*raw* as our mail server delivers it: its results on top of the hop it took in.

    *ours* is the result list our server stamped (``dkim=fail header.d=…``);
    *forged*, when given, is what the sender wrote into the message under our
    server's name, below our Received line, where a sender's headers stand.
    """
    sender_part = raw
    if forged:
        sender_part = (
            f"Authentication-Results: mail.news.test; {forged}\n"
            "Received: from [10.0.0.2] by mx.sender.example with ESMTPSA\n"
        ).encode() + raw
    top = (
        "Return-Path: <someone@sender.example>\n"
        "Received: from mail.news.test by mail.news.test with LMTP id q7; "
        "Sat, 28 Nov 2026 09:00:02 +0000\n"
        f"Authentication-Results: mail.news.test; {ours}\n"
        "Received: from mx.sender.example (mx.sender.example [192.0.2.7]) by mail.news.test "
        "(Postfix) with ESMTPS id 4AbC; Sat, 28 Nov 2026 09:00:01 +0000\n"
    )
    return top.encode() + sender_part


def make_desk(
    tmp_path: Path,
    clock: FakeClock | None = None,
    extra: str = "",
    *,
    cli: bool = False,
    desk_keys: str = "",
) -> Desk:
    """A desk in *tmp_path*; with *cli*, its config is written to ``intake.toml`` there too,
    so ``intake --config …`` commands run in-process act on the same desk.  *extra* is
    more sections, *desk_keys* more ``[desk]`` keys."""
    config = f"""
[desk]
publication = "The Nation"
address = "letters@news.test"
editors = ["editor@news.test"]
data_dir = "data"
{desk_keys}
[articles]
source = "{SAMPLES / "articles.csv"}"
{extra}
"""
    if cli:
        (tmp_path / "intake.toml").write_text(config, encoding="utf-8")
    settings = load_settings(config, {}, path=tmp_path / "intake.toml", cwd=tmp_path)
    clock = clock or FakeClock()
    deps = build_deps(settings, {}, clock=clock)
    init(settings, deps)
    return Desk(settings=settings, deps=deps, clock=clock)


EDITOR = "editor@news.test"


def approve_ready(desk: Desk) -> list[int]:
    """Pass the approval gate as the desk's editor would: make waiting letters ready, then
    approve every ready letter.  Returns the approved letters' ids."""
    from intake.app import desk as actions
    from intake.app.gate import make_ready
    from intake.app.work import begin

    make_ready(desk.deps, desk.deps.house_style())
    approved = []
    with begin(desk.deps) as work:
        for letter in desk.deps.store.letters(["ready"]):
            assert letter.id is not None
            actions.approve(work, letter.id, actor=EDITOR)
            approved.append(letter.id)
    return approved


def answer_requests(
    desk: Desk, text: str, *, letter_id: int | None = None, signed: str = ""
) -> None:
    """Each author request in the outbox (or the one for *letter_id*) is answered by its
    author: *text*, then *signed* (a device footer, say), then the request quoted below an
    attribution, as mail clients reply."""
    for path in desk.outbox_files():
        request = read(path)
        tag = request["X-Intake-Letter"]
        if not tag or (letter_id is not None and tag != f"L-{letter_id}"):
            continue
        body = request.get_body(("plain",))
        assert body is not None
        quoted = "\n".join(f"> {line}" for line in body.get_content().splitlines())
        reply = EmailMessage()
        reply["From"] = request["To"]
        reply["To"] = request["Reply-To"]
        reply["Subject"] = f"Re: {request['Subject']}"
        reply["Message-ID"] = email.utils.make_msgid(domain="author.test")
        reply["In-Reply-To"] = request["Message-ID"]
        reply.set_content(
            f"{text}\n\n{signed}"
            f"On Fri, Nov 28, 2026 at 9:00 AM The Nation Letters <letters@news.test> wrote:\n"
            f"{quoted}\n"
        )
        desk.deliver(reply.as_bytes())
