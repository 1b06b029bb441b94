"""Retention on the fake clock: raw mail goes when ``[retention]`` says, never the mail of
a letter that is not published nor mail that waits for an editor; headers, hashes, texts
and the audit stay."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from deskkit import SAMPLES, Desk, answer_requests, approve_ready, make_desk
from sqlmodel import col, select

from intake.adapters.store import AuditRow, LetterRow, RawBodyRow, RawMessageRow, ResponseRow
from intake.app.corrections import retract
from intake.app.publishing import publish, render_letter
from intake.app.retention import header_block, prune
from intake.app.work import carry_out
from intake.cli import main
from intake.worker import tick

INBOX = sorted((SAMPLES / "inbox").glob("*.eml"))


def raws(desk: Desk) -> dict[int, SimpleNamespace]:
    """Each stored message's row, with its bytes as ``raw``."""
    with desk.deps.store.session() as s:
        found = s.exec(
            select(RawMessageRow, RawBodyRow.raw).join(
                RawBodyRow, col(RawBodyRow.raw_id) == RawMessageRow.id
            )
        ).all()
        return {r.id or 0: SimpleNamespace(**r.model_dump(), raw=raw) for r, raw in found}


def stray_reply() -> bytes:
    """A reply under a key we never gave: held for an editor."""
    return (b"From: Someone <someone@elsewhere.test>\r\nTo: letters+aaaaaaaaaaaaaaaaaaaaaaaaaa"
            b"@news.test\r\nSubject: Re: your letter\r\nMessage-ID: <stray@elsewhere.test>\r\n"
            b"Date: Sat, 28 Nov 2026 09:00:00 +0000\r\n\r\nHere is what I think of it.\r\n")  # fmt: skip


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    """Four letters (one answered, approved and published today), an out-of-office reply,
    a newsletter, a bounce, and a stray reply held for the editors."""
    desk = make_desk(tmp_path)
    for path in INBOX:
        desk.deliver(path.read_bytes())
    desk.deliver(stray_reply())
    tick(desk.deps)
    first = desk.deps.store.letters()[0]
    answer_requests(desk, "Thank you; the city has since changed course.", letter_id=first.id)
    tick(desk.deps)
    assert approve_ready(desk) == [first.id]
    assert publish(desk.deps, "md").written
    return desk


def test_mail_that_is_no_letter_goes_after_its_days_and_nothing_else(desk: Desk) -> None:
    before = raws(desk)
    letters = {r.raw_id for r in desk.deps.store.letters()}
    held = {i for i, r in before.items() if r.status in ("held", "quarantined")}
    assert held, "the stray reply waits for an editor"
    others = {i for i, r in before.items() if r.letter_id is None and i not in letters} - held
    assert others, "the out-of-office reply, the newsletter, the bounce"

    desk.clock.advance(days=29)
    assert prune(desk.deps).summary() == (
        "dropped the raw mail of 0 messages (0.0 MiB): 0 that are no letters, "
        "0 of 0 published letters"
    )
    desk.clock.advance(days=2)
    dry = prune(desk.deps, dry_run=True)
    assert (dry.other, dry.of_letters) == (len(others), 0)
    assert dry.summary().startswith(f"would drop the raw mail of {len(others)} messages")
    assert {i: r.raw for i, r in raws(desk).items()} == {i: r.raw for i, r in before.items()}

    done = prune(desk.deps)
    assert (done.other, done.of_letters, done.bytes) == (len(others), 0, dry.bytes)
    after = raws(desk)
    for i, row in after.items():
        old = before[i]
        assert (row.sha256, row.size, row.message_id, row.status) == (
            old.sha256, old.size, old.message_id, old.status,
        )  # fmt: skip
        if i in others:
            assert row.raw == header_block(old.raw) and b"Subject:" in row.raw
            assert len(row.raw) < len(old.raw) and row.pruned_at == desk.clock.now()
            assert hashlib.sha256(old.raw).hexdigest() == row.sha256
        else:
            assert (row.raw, row.pruned_at) == (old.raw, None), f"message {i} was kept"
    with desk.deps.store.session() as s:
        notes = s.exec(select(AuditRow).where(AuditRow.event == "raw_pruned")).all()
    assert sorted(n.raw_id or 0 for n in notes) == sorted(others)
    assert "retention.other_mail_days" in notes[0].note
    again = prune(desk.deps)
    assert (again.other, again.of_letters) == (0, 0)


def test_a_published_letters_mail_goes_after_its_days_the_unpublished_never(
    desk: Desk,
) -> None:
    published, *waiting = desk.deps.store.letters()
    assert published.state == "published" and {w.state for w in waiting} == {"awaiting_author"}
    assert published.id is not None
    name, printed = render_letter(desk.deps, published.id, "md")
    with desk.deps.store.session() as s:
        response = s.exec(select(ResponseRow).where(ResponseRow.letter_id == published.id)).one()
    before = raws(desk)

    desk.clock.advance(days=89)
    assert prune(desk.deps).of_letters == 0
    desk.clock.advance(days=2)
    done = prune(desk.deps)
    assert (done.of_letters, done.letters) == (
        len([r for r in before.values() if r.letter_id == published.id]), {published.id},
    )  # fmt: skip
    after = raws(desk)
    assert after[published.raw_id].pruned_at == desk.clock.now()
    assert after[response.raw_id].pruned_at == desk.clock.now()
    assert render_letter(desk.deps, published.id, "md") == (name, printed)  # prints the same

    desk.clock.advance(days=1000)
    prune(desk.deps)
    final = raws(desk)
    for letter in waiting:
        assert final[letter.raw_id].raw == before[letter.raw_id].raw, "not published: kept"
    held = [i for i, r in final.items() if r.status == "held"]
    assert held and all(final[i].raw == before[i].raw for i in held)
    with desk.deps.store.session() as s:
        trail = s.exec(
            select(AuditRow).where(AuditRow.letter_id == published.id).order_by(col(AuditRow.id))
        ).all()
        assert [a.event for a in trail][-2:] == ["raw_pruned", "raw_pruned"]
        assert s.get(LetterRow, published.id) is not None


def test_a_letter_retracted_before_its_days_keeps_its_mail(desk: Desk) -> None:
    published = desk.deps.store.letters()[0]
    assert published.id is not None
    letter_id = published.id
    carry_out(desk.deps, lambda work: retract(work, letter_id, actor="ed", reason="legal"))
    desk.clock.advance(days=400)
    assert prune(desk.deps).of_letters == 0
    assert raws(desk)[published.raw_id].pruned_at is None


def test_zero_days_keep_mail_for_ever(tmp_path: Path) -> None:
    desk = make_desk(tmp_path, extra="[retention]\nother_mail_days = 0\n")
    for path in INBOX[4:]:
        desk.deliver(path.read_bytes())
    tick(desk.deps)
    desk.clock.advance(days=3000)
    assert prune(desk.deps).other == 0
    assert all(r.pruned_at is None for r in raws(desk).values())


def test_intake_prune_says_what_it_would_drop(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_desk(tmp_path, cli=True)
    config = str(tmp_path / "intake.toml")
    assert main(["--config", config, "prune", "--dry-run"]) == 0
    assert capsys.readouterr().out.startswith("intake: would drop the raw mail of 0 messages")
    (tmp_path / "keep.toml").write_text(
        '[desk]\ndata_dir = "data"\n[retention]\nother_mail_days = 0\npublished_letter_days = 0\n',
        encoding="utf-8",
    )
    assert main(["--config", str(tmp_path / "keep.toml"), "prune"]) == 0
    assert "retention keeps all raw mail" in capsys.readouterr().out


def test_the_header_block_ends_at_the_first_blank_line() -> None:
    assert header_block(b"A: 1\r\nB: 2\r\n\r\nbody\r\n\r\nmore") == b"A: 1\r\nB: 2\r\n\r\n"
    assert header_block(b"A: 1\nB: 2\n\nbody") == b"A: 1\nB: 2\n\n"
    assert header_block(b"A: 1\nB: 2 but the read stopped he") == b"A: 1\n"
    assert header_block(b"") == b""
