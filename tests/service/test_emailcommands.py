"""Commands by email on a real desk: an editor answers the digest; anyone else changes nothing."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from deskkit import Desk
from deskletters import BUS, LIBRARY, RENT, answer, letter, read, text_of
from sqlmodel import col, select

from intake.adapters.store import AuditRow, LetterRow, OutboundRow, RawMessageRow
from intake.app.digestrun import send_digest_now
from intake.worker import tick

EDITOR = "editor@news.test"


@pytest.fixture
def day(desk: Desk) -> Desk:
    """Letters 1-3 name no article (needs review), 4 and 5 answer articles (awaiting author)."""
    for mail in (letter(1), letter(2), letter(3), letter(4, BUS), letter(5, RENT)):
        desk.deliver(mail)
        desk.clock.advance(seconds=1)  # the Maildir hands mail over in the order it arrived
    tick(desk.deps)
    return desk


def digest_of(d: Desk) -> EmailMessage:
    assert "queued=1" in send_digest_now(d.deps)
    (found,) = [m for m in map(read, d.outbox_files()) if "letters desk" in str(m["Subject"])]
    return found


def results(d: Desk) -> list[EmailMessage]:
    return [m for m in map(read, d.outbox_files()) if str(m["Subject"]).strip().startswith("Re:")]


def states(d: Desk) -> dict[int | None, str]:
    return {row.id: row.state for row in d.deps.store.letters()}


def world(d: Desk) -> tuple[dict[int | None, str], list[tuple[str, str]], int]:
    """Everything a command could change: letter states, their audit rows, the outbox."""
    with d.deps.store.session() as s:
        trail = [(a.event, a.actor) for a in s.exec(select(AuditRow)).all() if a.letter_id]
        outbox = len(s.exec(select(OutboundRow)).all())
    return states(d), trail, outbox


def last_raw(d: Desk) -> RawMessageRow:
    with d.deps.store.session() as s:
        row = s.exec(select(RawMessageRow).order_by(col(RawMessageRow.id).desc())).first()
    assert row is not None
    return row


def test_an_editor_answers_the_digest_with_three_commands(day: Desk) -> None:
    digest = digest_of(day)
    reply_to = str(digest["Reply-To"])
    assert reply_to.startswith("letters+c-digest-") and reply_to.endswith("@news.test")
    assert digest["To"].addresses[0].addr_spec == EDITOR
    assert digest.get_body(("html",)) is not None
    body = text_of(digest)
    assert "needs review              3" in body and "awaiting author           2" in body
    assert "assign 1 URL" in body and "hold 4" in body

    day.clock.advance(hours=1)
    day.deliver(answer(digest, f"assign 1 {LIBRARY}\nreject 2 off-topic\nhold 4 legal check"))
    report = tick(day.deps)
    assert "replies=0" in report["poll"] and "held=0" in report["poll"]
    assert states(day) == {1: "awaiting_author", 2: "rejected", 3: "needs_review",
                           4: "held", 5: "awaiting_author"}  # fmt: skip
    with day.deps.store.session() as s:
        mine = s.exec(select(AuditRow).where(AuditRow.actor == EDITOR)).all()
    moves = {(a.letter_id, a.event, a.target_state) for a in mine}
    assert {(1, "released", "received"), (2, "rejected", "rejected"),
            (4, "held", "held")} <= moves  # fmt: skip
    assert any(a.event == "editor_commands" and a.raw_id for a in mine)
    assert {a.note for a in mine if a.letter_id == 2} == {"off-topic (by email)"}

    (result,) = results(day)
    assert result["To"].addresses[0].addr_spec == EDITOR
    assert result["In-Reply-To"] and result["Auto-Submitted"] == "auto-replied"
    text = text_of(result)
    assert text.count("done    ") == 3 and "FAILED" not in text
    assert "letter 2 rejected: off-topic" in text
    raw = last_raw(day)
    assert raw.status == "processed" and "3 done, 0 failed" in raw.note
    with day.deps.store.session() as s:
        out = s.exec(select(OutboundRow).where(OutboundRow.purpose == f"command_result_{raw.id}"))
        assert out.one().letter_id is None
    # the new author request for letter 1 went out with the same tick
    assert any("[L-1]" in str(m["Subject"]) for m in map(read, day.outbox_files()))

    # the result's own reply address takes further commands
    day.deliver(answer(result, "release 4\napprove 3\nhello there"))
    tick(day.deps)
    assert states(day)[4] == "awaiting_author" and states(day)[3] == "needs_review"
    (text,) = [t for t in map(text_of, results(day)) if "release 4" in t]
    assert "done    release 4" in text and "FAILED  approve 3" in text
    assert "no article" in text and "hello there" in text  # the ignored line is echoed


def test_a_command_from_someone_not_an_editor_changes_nothing(day: Desk) -> None:
    digest = digest_of(day)
    before = world(day)
    day.deliver(answer(digest, "reject 1\nreject 4", sender="Mallory <mallory@evil.test>"))
    tick(day.deps)
    assert world(day) == before
    raw = last_raw(day)
    assert raw.status == "held" and "mallory@evil.test is not an editor" in raw.note
    assert results(day) == []  # nobody outside the desk is answered
    with day.deps.store.session() as s:
        refusal = s.exec(select(AuditRow).where(AuditRow.event == "commands_refused")).one()
    assert refusal.raw_id == raw.id


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t[:-2] + ("aa" if not t.endswith("aa") else "bb"),  # signature changed
        lambda t: "c-digest-zzzzzz-" + "a" * 24,  # made up
        lambda t: "c-oops",  # malformed
    ],
)
def test_a_bad_token_changes_nothing_even_from_an_editor(day: Desk, forge) -> None:  # type: ignore[no-untyped-def]
    digest = digest_of(day)
    token = str(digest["Reply-To"]).split("+", 1)[1].split("@")[0]
    before = world(day)
    day.deliver(answer(digest, "reject 1\nreject 4", to=f"letters+{forge(token)}@news.test"))
    tick(day.deps)
    states_after, trail_after, _ = world(day)
    assert (states_after, trail_after) == before[:2]
    raw = last_raw(day)
    assert raw.status == "held" and "editor commands refused" in raw.note
    (result,) = results(day)  # the editor is told why, and that nothing changed
    assert "Nothing was changed" in text_of(result)


def test_an_expired_token_is_refused(day: Desk) -> None:
    digest = digest_of(day)
    day.clock.advance(days=8)
    before = states(day)
    day.deliver(answer(digest, "reject 1"))
    tick(day.deps)
    assert states(day)[1] == before[1] == "needs_review"
    assert "expired" in last_raw(day).note


def test_an_out_of_office_to_the_command_address_is_ignored(day: Desk) -> None:
    digest = digest_of(day)
    before = world(day)
    day.deliver(answer(digest, "I am away until Monday.\n\nreject 1",
                       headers={"Auto-Submitted": "auto-replied"}))  # fmt: skip
    tick(day.deps)
    assert world(day) == before
    assert "ignored" in last_raw(day).note and results(day) == []


def test_a_command_address_is_never_taken_for_an_author_reply(day: Desk) -> None:
    """Even naming a letter awaiting its author, mail to a command token is no response."""
    digest = digest_of(day)
    day.deliver(answer(digest, "I agree with the letter.", sender="author1@news.test"))
    tick(day.deps)
    with day.deps.store.session() as s:
        letter4 = s.get(LetterRow, 4)
        assert letter4 is not None and letter4.state == "awaiting_author"


def test_an_editor_address_that_failed_dmarc_at_our_server_commands_nothing(tmp_path: Path) -> None:
    from deskkit import make_desk

    desk = make_desk(tmp_path, extra='[authors]\nauthserv_id = "mail.news.test"\n')
    desk.deliver(letter(1))
    tick(desk.deps)
    digest = digest_of(desk)
    before = world(desk)
    forged = {"Authentication-Results": "mail.news.test; dmarc=fail header.from=news.test"}
    desk.deliver(answer(digest, "reject 1 spam", headers=forged))
    tick(desk.deps)
    after_states, after_trail, _ = world(desk)
    assert after_states == before[0] and after_trail == before[1]
    assert "dmarc=fail" in last_raw(desk).note


def test_a_forged_pass_below_our_received_line_does_not_let_a_command_through(
    tmp_path: Path,
) -> None:
    """Finding 3 of issue 13: a valid token, an editor's From, our server's DKIM fail on
    top and a sender-written pass below it: nothing is carried out."""
    from deskkit import make_desk, via_our_server

    desk = make_desk(tmp_path, extra='[authors]\nauthserv_id = "mail.news.test"\n')
    desk.deliver(letter(1))
    tick(desk.deps)
    digest = digest_of(desk)
    before = world(desk)
    forged = "dkim=pass header.d=news.test; dmarc=pass header.from=news.test"
    desk.deliver(via_our_server(answer(digest, "reject 1 spam"), "dkim=fail header.d=news.test",
                                forged=forged))  # fmt: skip
    tick(desk.deps)
    after_states, after_trail, _ = world(desk)
    assert after_states == before[0] and after_trail == before[1]
    assert "dkim=fail" in last_raw(desk).note
