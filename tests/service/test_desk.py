"""The editors' actions on a real desk (SQLite, Maildir, outbox folder), fake clock only.

Every action goes through the lifecycle and leaves an audit row naming the
editor; a refused action changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from deskkit import Desk
from deskletters import BUS, LIBRARY, answer, letter, read
from sqlmodel import Session, select

from intake.adapters.store import AuditRow, EditRow, LetterRow, OutboundRow, RawMessageRow
from intake.app import desk as actions
from intake.app.publishing import publish
from intake.app.queueview import held_messages, queue_items, show
from intake.app.work import begin, carry_out
from intake.worker import tick

ED = "ed@news.test"


def state(d: Desk, letter_id: int) -> str:
    with d.deps.store.session() as s:
        row = s.get(LetterRow, letter_id)
        assert row is not None
        return row.state


def act(d: Desk, fn: Callable[..., actions.Outcome], *args: Any, **kw: Any) -> actions.Outcome:
    with begin(d.deps) as work:
        result: actions.Outcome = fn(work, *args, actor=ED, **kw)
        return result


def snapshot(d: Desk) -> tuple[list[tuple[int | None, str]], int, int, int]:
    with d.deps.store.session() as s:
        return (
            [(r.id, r.state) for r in s.exec(select(LetterRow)).all()],
            len(s.exec(select(AuditRow)).all()),
            len(s.exec(select(EditRow)).all()),
            len(s.exec(select(OutboundRow)).all()),
        )


def refused(d: Desk, fn: Callable[..., actions.Outcome], *args: Any, **kw: Any) -> str:
    before = snapshot(d)
    with pytest.raises(actions.Refused) as caught:
        act(d, fn, *args, **kw)
    assert snapshot(d) == before, "a refused action changed something"
    return str(caught.value)


def editor_trail(d: Desk, letter_id: int) -> list[tuple[str, str, str]]:
    return [(a.event, a.source_state, a.target_state) for a in d.deps.store.audit(letter_id)
            if a.actor == ED]  # fmt: skip


@pytest.fixture
def queue(desk: Desk) -> Desk:
    """Letter 1 names no article (needs review); letter 2 answers the bus article."""
    desk.deliver(letter(1))
    desk.clock.advance(minutes=1)  # the Maildir hands mail over in the order it arrived
    desk.deliver(letter(2, BUS, extra=" Call me on 555-0143 any time."))
    tick(desk.deps)
    assert (state(desk, 1), state(desk, 2)) == ("needs_review", "awaiting_author")
    return desk


def test_assign_sets_the_article_and_asks_its_author(queue: Desk) -> None:
    out = act(queue, actions.assign, 1, LIBRARY)
    assert "What the Library Cuts Will Cost Our Children" in out.message
    assert state(queue, 1) == "awaiting_author"
    assert editor_trail(queue, 1) == [("article_assigned", "", ""),
                                      ("released", "needs_review", "received")]  # fmt: skip
    trail = [(a.event, a.target_state) for a in queue.deps.store.audit(1)]
    assert trail[-1] == ("request_queued", "awaiting_author")
    tick(queue.deps)
    requests = [read(p) for p in queue.outbox_files()]
    to_author = [m for m in requests if "[L-1]" in str(m["Subject"])]
    assert len(to_author) == 1 and to_author[0]["To"].addresses[0].addr_spec == "author1@news.test"


def test_assign_refuses_an_unknown_article_and_a_letter_past_review(queue: Desk) -> None:
    assert "no article" in refused(queue, actions.assign, 1, "https://nowhere.test/x")
    assert "awaiting author" in refused(queue, actions.assign, 2, LIBRARY)


def test_release_without_an_article_is_refused_with_the_way_out(queue: Desk) -> None:
    message = refused(queue, actions.release, 1)
    assert "assign 1 URL" in message and "approve 1" in message


def test_hold_release_reject_each_leave_the_editor_in_the_trail(queue: Desk) -> None:
    sent = len(queue.outbox_files())
    act(queue, actions.hold, 2, reason="checking a fact")
    assert state(queue, 2) == "held"
    act(queue, actions.release, 2)
    # the request to the author stands: waiting again, nothing sent twice
    assert state(queue, 2) == "awaiting_author"
    tick(queue.deps)
    assert len(queue.outbox_files()) == sent
    act(queue, actions.reject, 2, reason="off-topic")
    assert state(queue, 2) == "rejected"
    assert editor_trail(queue, 2) == [
        ("held", "awaiting_author", "held"),
        ("released", "held", "received"),
        ("request_queued", "received", "awaiting_author"),
        ("rejected", "awaiting_author", "rejected"),
    ]
    notes = [a.note for a in queue.deps.store.audit(2) if a.actor == ED]
    assert notes[0] == "checking a fact" and notes[-1] == "off-topic"
    assert "rejected" in refused(queue, actions.reject, 2)
    assert "rejected" in refused(queue, actions.hold, 2)


def test_approve_needs_a_response_or_a_decision_to_print_as_is(queue: Desk) -> None:
    assert "awaiting author" in refused(queue, actions.approve, 2)
    assert "no article" in refused(queue, actions.approve, 1)
    assert "no letter 99" in refused(queue, actions.approve, 99)


def test_edit_and_redact_keep_the_original_and_print_the_latest(queue: Desk) -> None:
    original = carry_out(queue.deps, lambda work: actions.current_texts(work, 2))[0]
    assert "555-0143" in original
    act(queue, actions.redact, 2, ["555-0143"])
    text, response = carry_out(queue.deps, lambda work: actions.current_texts(work, 2))
    with queue.deps.store.session() as s:
        row = s.get(LetterRow, 2)
        assert row is not None and "555-0143" in row.body  # the original stays
    assert "555-0143" not in text and "[redacted]" in text and response is None
    notes = [a.note for a in queue.deps.store.audit(2) if a.event == "letter_edited"]
    assert len(notes) == 1 and notes[0].startswith("redacted (1 passage)")
    assert "555-0143" not in notes[0]  # the trail never repeats what was redacted
    assert "not found" in refused(queue, actions.redact, 2, ["555-9999"])
    act(queue, actions.edit, 2, text.replace("frustration", "dismay"), note="tone")
    # the author lets the deadline pass; the editors approve it for print as it is
    queue.clock.advance(days=6)
    tick(queue.deps)
    assert state(queue, 2) == "no_response"
    act(queue, actions.approve, 2)
    (path,) = publish(queue.deps, "txt").written
    printed = path.read_text(encoding="utf-8")
    assert "dismay" in printed and "frustration" not in printed and "555-0143" not in printed


def test_held_replies_can_be_accepted_or_dismissed(queue: Desk) -> None:
    request = next(m for m in map(read, queue.outbox_files()) if "[L-2]" in str(m["Subject"]))
    queue.deliver(answer(request, "I stand by the piece.", sender="Dana <dana@home.test>"))
    queue.deliver(answer(request, "Me too.", sender="Someone <someone@else.test>",
                         to="letters@news.test"))  # fmt: skip
    tick(queue.deps)
    held = held_messages(queue.deps)
    assert [h["status"] for h in held] == ["held", "held"]
    first, second = (h["raw_id"] for h in held)
    assert "takes no response" in refused(queue, actions.accept_reply, first, 1)
    act(queue, actions.accept_reply, first, None)
    assert state(queue, 2) == "response_received"
    assert editor_trail(queue, 2)[-2:] == [
        ("response_matched", "awaiting_author", "response_received"),
        ("held_reply_accepted", "", ""),  # a flag the approval gate reads
    ]
    assert carry_out(queue.deps, lambda work: actions.current_texts(work, 2))[1] == (
        "I stand by the piece."
    )
    act(queue, actions.dismiss, second, reason="not about any letter")
    assert held_messages(queue.deps) == []
    with queue.deps.store.session() as s:
        assert _raw(s, second).status == "dismissed"


def _raw(s: Session, raw_id: int) -> RawMessageRow:
    row = s.get(RawMessageRow, raw_id)
    assert row is not None
    return row


def test_queue_filters_and_show(queue: Desk) -> None:
    assert [i["id"] for i in queue_items(queue.deps, article=BUS + "?utm_source=x")] == [2]
    assert [i["id"] for i in queue_items(queue.deps, states=["needs_review"])] == [1]
    queue.clock.advance(days=3)
    assert len(queue_items(queue.deps, older_than=timedelta(days=2))) == 2
    assert queue_items(queue.deps, older_than=timedelta(days=30)) == []
    act(queue, actions.redact, 2, ["555-0143"])
    item = show(queue.deps, 2)
    assert "[redacted]" in item["letter_text"] and "555-0143" in item["letter_original"]
    assert item["edits"][0]["actor"] == ED and item["candidates"]
    assert next(a["event"] for a in item["audit"]) == "received"
    assert "request_queued" in [a["event"] for a in item["audit"]]
