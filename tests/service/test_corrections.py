"""Corrections and withdrawals on a real desk: ``set`` by CLI and by email, ``retract``,
and what each does to the files already published and to the letters page."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from deskkit import EDITOR, Desk, make_desk
from deskletters import BUS, LIBRARY, answer, letter, read
from test_gate import author_answers

from intake.adapters.store import LetterRow
from intake.app.digestrun import send_digest_now
from intake.app.publishing import publish, publish_page, render_letter
from intake.cli import main
from intake.printing.render import PAIR_FORMATS
from intake.worker import tick


def cli(d: Desk, *args: str) -> int:
    return main(["--config", str(d.settings.config_path), *args])


def state(d: Desk, letter_id: int = 1) -> str:
    with d.deps.store.session() as s:
        row = s.get(LetterRow, letter_id)
        assert row is not None
        return row.state


def trail(d: Desk, letter_id: int = 1) -> list[tuple[str, str]]:
    return [(a.event, a.note) for a in d.deps.store.audit(letter_id)]


def files(d: Desk, pattern: str = "*") -> list[str]:
    return sorted(p.name for p in d.settings.publish.out_dir.glob(pattern))


@pytest.fixture
def printed(tmp_path: Path) -> Desk:
    """Letter 1, signed "Jane Marlow / Eastbay" but sent as "Reader", and letter 2, both
    about the bus article, answered, approved and published with a letters page."""
    d = make_desk(tmp_path, cli=True)
    d.deliver(letter(2, BUS, writer="Reader"))
    d.clock.advance(minutes=1)  # the Maildir hands mail over in the order it arrived
    d.deliver(letter(3, LIBRARY, writer="Ann Other"))
    tick(d.deps, "md")
    for path in d.outbox_files():
        author_answers(d, "The figures come from the transit authority's own reports.",
                       request_file=path)  # fmt: skip
    tick(d.deps, "md")
    for n in (1, 2):
        assert cli(d, "approve", str(n), "--as", EDITOR) == 0
    assert cli(d, "publish", "--format", "md", "--page") == 0
    assert cli(d, "publish", "--format", "json", "--again") == 0
    assert state(d, 1) == state(d, 2) == "published"
    return d


def test_set_by_the_command_line_changes_every_format_and_the_published_files(
    printed: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    before = printed.settings.publish.out_dir / files(printed, "letter-00001-*.md")[0]
    assert "\nReader\\\nBrooklyn, N.Y.\n" in before.read_text("utf-8")  # md line breaks

    assert cli(printed, "set", "1", "name", "Jane", "Marlow", "--as", EDITOR) == 0
    assert cli(printed, "set", "1", "town", "Eastbay") == 0
    assert cli(printed, "set", "1", "title", "Professor of History / Eastbay College") == 0
    assert cli(printed, "set", "1", "dek", "A historian on the night buses") == 0
    assert cli(printed, "set", "1", "responder", "Dana R. Whitfield") == 0
    out = capsys.readouterr().out
    assert "re-rendered" in out and "letter-00001-" in out

    for fmt in PAIR_FORMATS:
        _name, text = render_letter(printed.deps, 1, fmt)
        for value in ("Jane Marlow", "Eastbay", "Professor of History", "Eastbay College",
                      "A historian on the night buses", "Dana R. Whitfield"):  # fmt: skip
            assert value in text, (fmt, value)
    # the files already published say it too: the letter in both formats, and its page
    for name in files(printed, "letter-00001-*") + files(printed, "letters-*"):
        text = (printed.settings.publish.out_dir / name).read_text("utf-8")
        assert "Jane Marlow" in text and "Dana R. Whitfield" in text, name
    sig = json.loads(render_letter(printed.deps, 1, "json")[1])
    assert sig["signature"][:3] == ["Jane Marlow", "Professor of History", "Eastbay College"]
    notes = [n for e, n in trail(printed) if e == "print_field_edited"]
    assert notes[0].startswith("name: Jane Marlow") and "re-rendered" in notes[0]
    assert any(e == "reprinted" and "letter-00001-" in n for e, n in trail(printed))


def test_set_refuses_an_unknown_field_and_changes_nothing(
    printed: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    before = trail(printed)
    assert cli(printed, "set", "1", "shoe-size", "44") == 1
    assert "not a print field" in capsys.readouterr().err
    assert trail(printed) == before


def test_set_by_email_is_the_same_action(printed: Desk) -> None:
    assert "queued=1" in send_digest_now(printed.deps)
    digest = next(
        m for m in map(read, printed.outbox_files()) if "letters desk" in str(m["Subject"])
    )
    printed.deliver(answer(digest, "set 1 name Jane Marlow\nset 1 headline Night Buses, Again"))
    tick(printed.deps, "md")

    text = render_letter(printed.deps, 1, "txt")[1]
    assert text.startswith("Night Buses, Again\n") and "Jane Marlow" in text
    with printed.deps.store.session() as s:
        row = s.get(LetterRow, 1)
        assert row is not None and row.headline == "Night Buses, Again" and not row.reprint
    md = (printed.settings.publish.out_dir / files(printed, "letter-00001-*.md")[0]).read_text()
    assert "Night Buses, Again" in md  # the worker's round re-rendered the published file
    actors = {a.actor for a in printed.deps.store.audit(1) if a.event == "print_field_edited"}
    assert actors == {EDITOR}


def test_retract_removes_the_files_and_the_page_entry_then_it_can_return(
    printed: Desk, capsys: pytest.CaptureFixture[str]
) -> None:
    page = printed.settings.publish.out_dir / "letters-2026-11-28.md"
    assert "Reader" in page.read_text("utf-8") and "Ann Other" in page.read_text("utf-8")
    assert len(files(printed, "letter-00001-*")) == 2  # md and json

    assert cli(printed, "retract", "1", "--reason", "the writer asked us to withdraw it") == 0

    assert state(printed, 1) == "retracted"
    assert files(printed, "letter-00001-*") == []
    assert len(files(printed, "letter-00002-*")) == 2  # the other letter stays
    text = page.read_text("utf-8")
    assert "Ann Other" in text and "Reader" not in text
    events = [e for e, _n in trail(printed)]
    assert events[-2:] == ["retracted", "reprinted"]
    assert "removed letter-00001-" in trail(printed)[-1][1]

    # corrected and approved again, it is published again, the page with it
    assert cli(printed, "set", "1", "name", "Jane Marlow") == 0
    assert cli(printed, "publish") == 0  # not approved yet: nothing comes back
    assert files(printed, "letter-00001-*") == []
    assert cli(printed, "approve", "1", "--as", EDITOR) == 0
    assert cli(printed, "publish", "--page") == 0
    assert state(printed, 1) == "published"
    (back,) = files(printed, "letter-00001-*")
    assert "Jane Marlow" in (printed.settings.publish.out_dir / back).read_text("utf-8")
    assert "Jane Marlow" in page.read_text("utf-8")
    moves = [(a.event, a.target_state) for a in printed.deps.store.audit(1) if a.target_state]
    assert moves[-3:] == [("retracted", "retracted"), ("approved", "approved"),
                          ("published", "published")]  # fmt: skip


def test_retracting_the_only_letter_of_a_page_removes_the_page(tmp_path: Path) -> None:
    d = make_desk(tmp_path, cli=True)
    d.deliver(letter(2, BUS))
    tick(d.deps, "md")
    author_answers(d, "The figures come from the transit authority's own reports.")
    tick(d.deps, "md")
    assert cli(d, "approve", "1") == 0
    publish(d.deps, "txt")
    page = publish_page(d.deps, "txt", date(2026, 11, 28))

    assert cli(d, "retract", "1", "--reason", "wrong article") == 0

    assert not page.exists() and files(d) == []


def test_only_a_published_letter_can_be_retracted_and_only_with_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = make_desk(tmp_path, cli=True)
    d.deliver(letter(2, BUS))
    tick(d.deps, "md")
    assert cli(d, "retract", "1", "--reason", "changed our mind") == 1
    assert "only a published letter" in capsys.readouterr().err
    assert state(d) == "awaiting_author"
    assert cli(d, "retract", "1") == 1
    assert "say why" in capsys.readouterr().err


def test_publish_with_an_id_approves_and_publishes_that_letter_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = make_desk(tmp_path, cli=True)
    d.deliver(letter(2, BUS))
    d.clock.advance(minutes=1)
    d.deliver(letter(3, LIBRARY))
    tick(d.deps, "md")
    for path in d.outbox_files():
        author_answers(d, "The figures come from the transit authority's own reports.",
                       request_file=path)  # fmt: skip
    tick(d.deps, "md")
    assert state(d, 1) == state(d, 2) == "ready"

    assert cli(d, "publish", "2", "--as", EDITOR) == 0  # the digest's `publish 2`, same words

    assert (state(d, 1), state(d, 2)) == ("ready", "published")
    assert files(d) == [capsys.readouterr().out.strip().rsplit("/", 1)[-1]]
    assert ("approved", "approved to publish") in trail(d, 2)


def test_a_retract_that_lands_while_a_correction_is_reprinted_still_removes_the_files(
    printed: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reprint redoes a corrected letter's files; an editor retracts it meanwhile (another
    worker, the command line): the mark stays, and the next round removes the files."""
    from intake.app import reprint as reprinting
    from intake.app.corrections import retract, set_field
    from intake.app.work import begin

    with begin(printed.deps) as work:  # a correction by email: marked, reprinted next round
        set_field(work, 1, "name", "Jane Marlow", actor=EDITOR)
    real_letter = reprinting._letter

    def retracted_meanwhile(deps: object, letter_id: int, *, in_print: bool) -> object:
        done = real_letter(printed.deps, letter_id, in_print=in_print)
        with begin(printed.deps) as work:
            retract(work, letter_id, actor=EDITOR, reason="the writer withdrew it")
        return done

    monkeypatch.setattr(reprinting, "_letter", retracted_meanwhile)
    reprinting.reprint(printed.deps)
    monkeypatch.setattr(reprinting, "_letter", real_letter)

    assert state(printed, 1) == "retracted"
    reprinting.reprint(printed.deps)
    assert files(printed, "letter-00001-*") == []
