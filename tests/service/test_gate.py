"""The approval gate on a real desk: nothing reaches ``published`` or the publish folder
without an editor's approve, by default; with ``approval = "auto"`` only unflagged letters
go out on their own."""

from __future__ import annotations

import email.utils
from email.message import EmailMessage
from pathlib import Path

import pytest
from deskkit import EDITOR, Desk, make_desk
from deskletters import BUS, answer, letter, read
from sqlmodel import select

from intake.adapters.store import LetterRow
from intake.app import desk as actions
from intake.app.queueview import held_messages
from intake.app.work import begin
from intake.domain.approval import AUTO_ACTOR
from intake.domain.errors import ConfigError
from intake.worker import tick

AUTO = '[publish]\napproval = "auto"\n'
# the sample catalogue's articles are all older than the policy's 14 days: a finding
RECENT_ENOUGH = "[policy]\nmax_article_age_days = 0\n"


def state(d: Desk, letter_id: int = 1) -> str:
    with d.deps.store.session() as s:
        row = s.get(LetterRow, letter_id)
        assert row is not None
        return row.state


def published_files(d: Desk) -> list[Path]:
    return sorted(d.settings.publish.out_dir.glob("letter-*"))


def trail(d: Desk, letter_id: int = 1) -> list[tuple[str, str, str, str]]:
    return [(a.event, a.source_state, a.target_state, a.actor)
            for a in d.deps.store.audit(letter_id) if a.target_state]  # fmt: skip


def request(d: Desk) -> bytes:
    (path,) = d.outbox_files()
    return path.read_bytes()


def author_answers(d: Desk, text: str, sender: str = "Author One <author1@news.test>",
                   request_file: Path | None = None) -> None:  # fmt: skip
    """The author answers the request (the first) with *text*, quoting nothing."""
    request = read(request_file or d.outbox_files()[0])
    msg = EmailMessage()
    msg["From"], msg["To"] = sender, str(request["Reply-To"])
    msg["Subject"] = "Re: " + str(request["Subject"])
    msg["Message-ID"] = email.utils.make_msgid(domain="news.test")
    msg["In-Reply-To"] = msg["References"] = str(request["Message-ID"])
    msg.set_content(f"{text}\n")
    d.deliver(msg.as_bytes())


def approve(d: Desk, letter_id: int = 1) -> str:
    with begin(d.deps) as work:
        return actions.approve(work, letter_id, actor=EDITOR).message


@pytest.fixture
def asked(desk: Desk) -> Desk:
    """One letter about the bus article; its author has been asked."""
    desk.deliver(letter(2, BUS))
    tick(desk.deps, "md")
    assert state(desk) == "awaiting_author"
    return desk


def test_a_reply_makes_the_letter_ready_and_only_approve_publishes_it(asked: Desk) -> None:
    author_answers(asked, "The figures come from the transit authority's own reports.")
    for _round in range(3):  # however many rounds pass, nothing is published
        asked.clock.advance(hours=1)
        tick(asked.deps, "md")
        assert state(asked) == "ready"
        assert published_files(asked) == []

    assert "next publishing run" in approve(asked)
    assert state(asked) == "approved"
    result = tick(asked.deps, "md")

    assert "published=1" in result["publish"]
    assert state(asked) == "published"
    (path,) = published_files(asked)
    assert "transit authority" in path.read_text("utf-8")
    assert trail(asked)[-4:] == [
        ("response_matched", "awaiting_author", "response_received", "author1@news.test"),
        ("readied", "response_received", "ready", "intake"),
        ("approved", "ready", "approved", EDITOR),
        ("published", "approved", "published", "intake"),
    ]


@pytest.mark.parametrize("config", ["", AUTO], ids=["editor", "auto"])
def test_decline_deadline_and_accepted_held_reply_all_stop_at_ready(
    tmp_path: Path, config: str
) -> None:
    d = make_desk(tmp_path, extra=config)
    for n in (1, 2, 3):
        d.deliver(letter(n, BUS, writer=f"Reader Number{n} Smith"))
    tick(d.deps, "md")
    assert [state(d, n) for n in (1, 2, 3)] == ["awaiting_author"] * 3
    requests = {n: next(m for m in map(read, d.outbox_files()) if f"[L-{n}]" in str(m["Subject"]))
                for n in (1, 2, 3)}  # fmt: skip
    # 1: the author declines; 2: a colleague answers for them (held), an editor accepts it
    d.deliver(answer(requests[1], "No reply, thanks.", sender="A <author1@news.test>"))
    d.deliver(answer(requests[2], "We stand by every figure in the piece, and here is the "
                     "source for each of them.", sender="Colleague <colleague@news.test>"))  # fmt: skip
    tick(d.deps, "md")
    (held,) = held_messages(d.deps)
    with begin(d.deps) as work:
        actions.accept_reply(work, held["raw_id"], 2, actor=EDITOR)
    # 3: the deadline passes
    d.clock.advance(days=6)
    for _round in range(2):
        tick(d.deps, "md")

    assert [state(d, n) for n in (1, 2, 3)] == ["ready"] * 3
    assert published_files(d) == []
    if config:  # with automatic approval the accepted held reply still waits, and says why
        note = next(a.note for a in d.deps.store.audit(2) if a.event == "readied")
        assert "held reply an editor accepted" in note

    for n in (1, 2, 3):
        approve(d, n)
    tick(d.deps, "md")
    assert [state(d, n) for n in (1, 2, 3)] == ["published"] * 3
    assert len(published_files(d)) == 3


def test_with_auto_approval_an_unflagged_letter_goes_out_alone(tmp_path: Path) -> None:
    d = make_desk(tmp_path, extra=AUTO + RECENT_ENOUGH)
    d.deliver(letter(2, BUS))
    tick(d.deps, "md")
    author_answers(d, "The figures come from the transit authority's own reports.")

    tick(d.deps, "md")

    notes = [a.note for a in d.deps.store.audit(1)]
    assert state(d) == "published" and len(published_files(d)) == 1, notes
    assert [t[:3] for t in trail(d)[-3:]] == [
        ("readied", "response_received", "ready"),
        ("approved", "ready", "approved"),
        ("published", "approved", "published"),
    ]
    assert trail(d)[-2][3] == AUTO_ACTOR


@pytest.mark.parametrize(
    ("extra", "reply", "reason"),
    [
        (RECENT_ENOUGH, "Agreed.", "most of the reply was cut"),
        ("", None, "policy findings"),  # the article is older than the policy allows
    ],
    ids=["reply-mostly-cut", "policy-findings"],
)
def test_with_auto_approval_a_flagged_letter_waits_for_an_editor(
    tmp_path: Path, extra: str, reply: str | None, reason: str
) -> None:
    d = make_desk(tmp_path, extra=AUTO + extra)
    d.deliver(letter(2, BUS))
    tick(d.deps, "md")
    if reply is None:
        author_answers(d, "The figures come from the transit authority's own reports.")
    else:  # a short answer on top of the whole request quoted
        d.deliver(answer(read(d.outbox_files()[0]), reply, sender="A <author1@news.test>"))

    tick(d.deps, "md")
    tick(d.deps, "md")

    assert state(d) == "ready" and published_files(d) == []
    (note,) = [a.note for a in d.deps.store.audit(1) if a.event == "readied"]
    assert note.startswith("not approved automatically") and reason in note


def test_a_campaign_letter_is_never_approved_automatically(tmp_path: Path) -> None:
    d = make_desk(tmp_path, extra=AUTO + RECENT_ENOUGH)
    same = " Please restore the night routes before winter; riders cannot wait another year."
    d.deliver(letter(2, BUS, extra=same))
    d.deliver(letter(6, BUS, extra=same, writer="Reader Number6"))  # n and n + 4: a campaign
    tick(d.deps, "md")
    with d.deps.store.session() as s:
        rows = s.exec(select(LetterRow)).all()
        assert all(r.campaign_id is not None for r in rows)
    for path in d.outbox_files():
        author_answers(d, "The figures come from the transit authority's reports.",
                       request_file=path)  # fmt: skip
    tick(d.deps, "md")

    assert {state(d, 1), state(d, 2)} == {"ready"}
    assert published_files(d) == []
    for n in (1, 2):
        (note,) = [a.note for a in d.deps.store.audit(n) if a.event == "readied"]
        assert note.startswith("not approved automatically") and "part of a campaign" in note


def test_the_approval_mode_is_checked_at_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        make_desk(tmp_path, extra='[publish]\napproval = "whoever"\n')
    assert "publish.approval" in str(caught.value)


def test_a_late_reply_to_a_letter_ready_to_print_alone_can_still_be_taken(asked: Desk) -> None:
    asked.clock.advance(days=6)
    tick(asked.deps, "md")
    assert state(asked) == "ready"  # the deadline passed: ready to print alone
    author_answers(asked, "Forgive the delay: the figures are the transit authority's own.")
    tick(asked.deps, "md")
    (held,) = held_messages(asked.deps)  # a reply to a ready letter waits for an editor
    assert state(asked) == "ready"

    with begin(asked.deps) as work:
        actions.accept_reply(work, held["raw_id"], None, actor=EDITOR)
    assert state(asked) == "response_received"
    tick(asked.deps, "md")
    assert state(asked) == "ready" and published_files(asked) == []
    approve(asked)
    tick(asked.deps, "md")

    (path,) = published_files(asked)
    assert "Dana Whitfield responds: Forgive the delay" in path.read_text("utf-8")


def test_a_letter_held_after_the_publishing_run_read_its_list_is_not_printed(
    asked: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor's hold that lands between the run reading its list and writing the file
    wins: no file, the letter stays held, and the run goes on with the next letter."""
    from intake.app import publishing

    author_answers(asked, "The figures come from the transit authority's own reports.")
    tick(asked.deps, "md")
    approve(asked)
    snapshot = asked.deps.store.letters(["approved"])  # the list as the run reads it
    with begin(asked.deps) as work:
        actions.hold(work, 1, actor=EDITOR, reason="legal wants a look")
    monkeypatch.setattr(asked.deps.store, "letters", lambda _states: snapshot)

    report = publishing.publish(asked.deps, "md")

    assert report.written == []
    assert published_files(asked) == []
    assert state(asked) == "held"
