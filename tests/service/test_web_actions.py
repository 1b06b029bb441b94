"""Every desk action from the web page: the same use case and the same audit rows as the
command line, the editor named; two editors at once; held replies; publish and retract.

Each action runs on two identical desks, one through ``intake … --as EDITOR`` and
one through the page, and the audit rows each adds must be the same.
"""

from __future__ import annotations

import html
import re
import shlex
import sys
import threading
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from deskkit import Desk, answer_requests, make_desk
from deskletters import BUS, LIBRARY, letter, read
from sqlmodel import col, select
from starlette.testclient import TestClient
from webkit import client, csrf_of, sign_in, version_of

from intake.adapters.store import AuditRow, LetterRow
from intake.app import desk, webdesk
from intake.app.digestrun import preview
from intake.app.gate import make_ready
from intake.app.queueview import show_in
from intake.app.work import Work, begin, carry_out
from intake.cli import main
from intake.worker import tick

EDITOR = "editor@news.test"
_RANDOM = re.compile(r"<intake\.\w+\.\d+\.\w+@")  # our Message-IDs carry random letters
Step = tuple[str, int, dict[str, str], list[str]]


def staged(root: Path, extra: str = "") -> Desk:
    """Letter 1 about an article, answered and ready; letter 2 about none, under review."""
    root.mkdir(parents=True, exist_ok=True)
    d = make_desk(root, extra=extra, cli=True)
    d.deliver(letter(1, BUS))
    d.clock.advance(seconds=1)
    d.deliver(letter(2))
    tick(d.deps)
    answer_requests(d, "Thank you for writing; we stand by the reporting.", letter_id=1)
    tick(d.deps)
    make_ready(d.deps, d.deps.house_style())
    return d


def audit_ids(d: Desk) -> int:
    with d.deps.store.session() as s:
        return max([a.id or 0 for a in s.exec(select(AuditRow)).all()] or [0])


def rows_since(d: Desk, since: int) -> list[tuple[Any, ...]]:
    root = str(d.settings.desk.data_dir)
    with d.deps.store.session() as s:
        rows = s.exec(select(AuditRow).where(col(AuditRow.id) > since).order_by(col(AuditRow.id)))
        return [(a.letter_id, a.event, a.source_state, a.target_state, a.actor,
                 _RANDOM.sub("<ID>", a.note.replace(root, "DATA"))) for a in rows.all()]  # fmt: skip


def on_page(web: TestClient, verb: str, letter_id: int, form: dict[str, str]) -> int:
    page = web.get(f"/letters/{letter_id}")
    data = {"csrf": csrf_of(page.text), "version": version_of(page.text), **form}
    return web.post(f"/letters/{letter_id}/{verb}", data=data).status_code


def by_cli(d: Desk, args: list[str]) -> None:
    config = str(d.settings.desk.data_dir.parent / "intake.toml")
    assert main(["--config", config, *args, "--as", EDITOR]) == 0


CASES: dict[str, list[Step]] = {
    "approve": [("approve", 1, {}, ["approve", "1"])],
    "reject": [("reject", 2, {"reason": "off-topic"}, ["reject", "2", "off-topic"])],
    "hold, release": [("hold", 1, {"reason": "check facts"}, ["hold", "1", "check", "facts"]),
                      ("release", 1, {}, ["release", "1"])],
    "assign": [("assign", 2, {"url": LIBRARY}, ["assign", "2", LIBRARY])],
    "set": [("set", 1, {"field": "name", "value": "Jane Marlow"},
             ["set", "1", "name", "Jane", "Marlow"])],
    "publish, retract": [("publish", 1, {}, ["publish", "1"]),
                         ("retract", 1, {"reason": "wrong facts"}, ["retract", "1", "wrong facts"])],
    "redact": [("redact", 1, {"patterns": "retired teacher", "field": "letter"},
                ["redact", "1", "retired teacher"])],
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_an_action_on_the_page_leaves_the_command_lines_audit_rows(
    case: str, tmp_path: Path
) -> None:
    cli, web_desk = staged(tmp_path / "cli"), staged(tmp_path / "web")
    web = client(web_desk)
    sign_in(web_desk, web)
    for verb, letter_id, form, args in CASES[case]:
        before_cli, before_web = audit_ids(cli), audit_ids(web_desk)
        by_cli(cli, args)
        assert on_page(web, verb, letter_id, form) == 303
        from_cli, from_web = rows_since(cli, before_cli), rows_since(web_desk, before_web)
        assert from_cli and from_web == from_cli
        assert any(row[4] == EDITOR for row in from_web)


def test_an_edit_on_the_page_is_the_edit_of_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli, web_desk = staged(tmp_path / "cli"), staged(tmp_path / "web")
    new_text = "Dear Editor:\n\nA shorter letter, as edited.\n\nReader Number1\nBrooklyn, N.Y.\n"
    source = tmp_path / "new.txt"
    source.write_text(new_text, encoding="utf-8")
    script = f'{shlex.quote(sys.executable)} -c "import shutil,sys; shutil.copy({str(source)!r}, sys.argv[1])"'
    monkeypatch.setenv("VISUAL", script)
    before = audit_ids(cli)
    by_cli(cli, ["edit", "1", "--note", "shortened"])
    web = client(web_desk)
    sign_in(web_desk, web)
    start = audit_ids(web_desk)
    form = {"field": "letter", "text": new_text.replace("\n", "\r\n"), "note": "shortened"}
    assert on_page(web, "edit", 1, form) == 303
    assert rows_since(web_desk, start) == rows_since(cli, before)
    page = web.get("/letters/1").text
    assert "A shorter letter, as edited." in page and "(edited; the original is kept)" in page


def test_the_second_of_two_editors_is_told_the_letter_changed(tmp_path: Path) -> None:
    d = staged(tmp_path)
    first, second = client(d), client(d)
    sign_in(d, first)
    sign_in(d, second)
    mine, theirs = first.get("/letters/1").text, second.get("/letters/1").text
    assert version_of(mine) == version_of(theirs)
    done = first.post("/letters/1/approve",
                      data={"csrf": csrf_of(mine), "version": version_of(mine)})  # fmt: skip
    assert done.status_code == 303
    before = audit_ids(d)
    late = second.post("/letters/1/reject", data={"csrf": csrf_of(theirs),
                       "version": version_of(theirs), "reason": "no"})  # fmt: skip
    assert late.status_code == 409
    assert (
        "changed since you opened it" in late.text and "approved by editor@news.test" in late.text
    )
    assert audit_ids(d) == before
    with d.deps.store.session() as s:
        row = s.get(LetterRow, 1)
        assert row is not None and row.state == "approved"


def test_a_refused_action_says_why_and_changes_nothing(tmp_path: Path) -> None:
    d = staged(tmp_path)
    web = client(d)
    sign_in(d, web)
    before = audit_ids(d)
    page = web.get("/letters/2")
    refused = web.post("/letters/2/approve",
                       data={"csrf": csrf_of(page.text), "version": version_of(page.text)})  # fmt: skip
    assert refused.status_code == 400 and "has no article: assign one first" in refused.text
    no_token = web.post("/letters/2/reject", data={"version": version_of(page.text)})
    assert no_token.status_code == 403
    assert audit_ids(d) == before


def test_publish_writes_the_files_and_retract_removes_them(tmp_path: Path) -> None:
    d = staged(tmp_path)
    web = client(d)
    sign_in(d, web)
    assert on_page(web, "approve", 1, {}) == 303
    assert not list(d.settings.publish.out_dir.glob("letter-*"))
    assert on_page(web, "publish", 1, {}) == 303
    files = list(d.settings.publish.out_dir.glob("letter-00001-*"))
    assert len(files) == 1
    listing = web.get("/published").text
    assert "/letters/1/retract" in listing
    data = {"csrf": csrf_of(listing), "version": version_of(listing), "reason": "wrong facts",
            "back": "published"}  # fmt: skip
    gone = web.post("/letters/1/retract", data=data)
    assert gone.status_code == 303 and gone.headers["location"] == "/published"
    assert not files[0].exists()
    assert "retracted" in web.get(gone.headers["location"]).text


def held(root: Path) -> Desk:
    """A letter whose author request was answered by someone else: the reply is held."""
    root.mkdir(parents=True, exist_ok=True)
    d = make_desk(root, cli=True)
    d.deliver(letter(1, BUS))
    tick(d.deps)
    request = read(next(p for p in d.outbox_files() if "L-1" in read(p)["X-Intake-Letter"]))
    reply = EmailMessage()
    reply["From"] = "Someone Else <assistant@elsewhere.test>"
    reply["To"] = request["Reply-To"]
    reply["Subject"] = f"Re: {request['Subject']}"
    reply["Message-ID"] = "<held.1@elsewhere.test>"
    reply.set_content("The author asked me to send this: we stand by it.\n")
    d.deliver(reply.as_bytes())
    tick(d.deps)
    return d


@pytest.mark.parametrize("verb", ["accept", "dismiss"])
def test_a_held_reply_is_taken_or_dismissed_as_on_the_command_line(
    verb: str, tmp_path: Path
) -> None:
    cli, web_desk = held(tmp_path / "cli"), held(tmp_path / "web")
    web = client(web_desk)
    sign_in(web_desk, web)
    page = web.get("/held").text
    assert "assistant@elsewhere.test" in page
    raw = page.split('id="R-', 1)[1].split('"', 1)[0]
    before_cli, before_web = audit_ids(cli), audit_ids(web_desk)
    by_cli(cli, [verb, f"R-{raw}"])
    done = web.post(f"/held/{raw}/{verb}", data={"csrf": csrf_of(page)})
    assert done.status_code == 303 and done.headers["location"] == "/held"
    from_cli, from_web = rows_since(cli, before_cli), rows_since(web_desk, before_web)
    assert from_cli and from_web == from_cli
    assert any(row[4] == EDITOR for row in from_web)
    after = web.get("/held").text
    assert (
        f"R-{raw} {'is now the response to letter 1' if verb == 'accept' else 'dismissed'}" in after
    )
    assert 'id="R-' not in after  # off the list
    with web_desk.deps.store.session() as s:
        row = s.get(LetterRow, 1)
        expected = "response_received" if verb == "accept" else "awaiting_author"
        assert row is not None and row.state == expected


def test_the_digest_links_each_letter_to_its_page(tmp_path: Path) -> None:
    d = staged(tmp_path, extra='[web]\nbase_url = "https://desk.news.test/"\n')
    text = preview(d.deps)
    assert "Open:   https://desk.news.test/letters/2" in text
    plain = staged(tmp_path / "plain")
    assert "Open:" not in preview(plain.deps)


def test_nothing_acts_without_a_session_its_token_and_the_desks_origin(tmp_path: Path) -> None:
    d = held(tmp_path)
    web = client(d)
    sign_in(d, web)
    page = web.get("/held").text
    raw = page.split('id="R-', 1)[1].split('"', 1)[0]
    letter_page = web.get("/letters/1").text
    token, version = csrf_of(letter_page), version_of(letter_page)
    posts = {"/letters/1/hold": {"version": version, "reason": "check"},
             f"/held/{raw}/dismiss": {"reason": "spam"}}  # fmt: skip
    signed_out = client(d)
    before = audit_ids(d)
    for path in ("/queue", "/held", "/published", "/letters/1"):
        assert signed_out.get(path).headers["location"].startswith("/signin?next="), path
    for path, form in posts.items():
        answer = signed_out.post(path, data={"csrf": token, **form})
        assert answer.headers["location"].startswith("/signin?next="), path
        assert web.post(path, data=form).status_code == 403, path
        assert web.post(path, data={"csrf": "x" * 43, **form}).status_code == 403, path
        foreign = web.post(path, data={"csrf": token, **form},
                           headers={"origin": "https://evil.test"})  # fmt: skip
        assert foreign.status_code == 403, path
    assert audit_ids(d) == before  # nothing was done
    for path, form in posts.items():  # the same forms, rightly sent, act
        assert web.post(path, data={"csrf": token, **form}).status_code == 303, path
    assert audit_ids(d) > before


def test_saving_the_edit_form_unchanged_keeps_the_letter_as_it_prints(tmp_path: Path) -> None:
    # the page shows a reader's hidden controls as escapes (\u202e) so an editor sees them;
    # the edit form must not: saved back, the escapes would be printed as text
    d = make_desk(tmp_path, cli=True)
    d.deliver(letter(1, BUS, extra=" The sign said \u2067\u05e9\u05dc\u05d5\u05dd\u2069.\x1b[2J"))
    tick(d.deps)
    web = client(d)
    sign_in(d, web)
    page = web.get("/letters/1").text
    assert "\\u2067" in page.split('id="edit-letter"', 1)[0]  # shown as an escape on the page
    text = html.unescape(
        page.split('id="edit-letter"', 1)[1].split(">", 1)[1].split("</textarea>")[0]
    )
    assert "\\u" not in text and "\\x" not in text and "\u05e9\u05dc\u05d5\u05dd" in text
    saved = web.post("/letters/1/edit", data={"csrf": csrf_of(page), "version": version_of(page),
                                                "field": "letter", "text": text})  # fmt: skip
    assert saved.status_code == 303
    with begin(d.deps) as work:
        stored = show_in(work, 1)["letter_text"]
    assert "\\u" not in stored and "\u05e9\u05dc\u05d5\u05dd" in stored


def test_two_editors_at_the_same_moment_the_second_is_told(tmp_path: Path) -> None:
    # the version check and the action are one step: an editor whose check ran while the
    # other's action was under way must not overwrite it once that action commits
    d = staged(tmp_path)
    with begin(d.deps) as work:
        seen = webdesk.letter_version(work.session, 1)
    checked, go_on = threading.Event(), threading.Event()

    def first_edit(work: Work) -> desk.Outcome:
        checked.set()
        assert go_on.wait(20)
        return desk.edit(work, 1, "The first editor's text.\n", actor=EDITOR)

    def second_edit(work: Work) -> desk.Outcome:
        return desk.edit(work, 1, "The second editor's text.\n", actor="other@news.test")

    outcome: list[str] = []

    def second() -> None:
        try:
            carry_out(d.deps, lambda work: webdesk.guarded(work, 1, seen, second_edit))
            outcome.append("overwrote")
        except webdesk.Changed:
            outcome.append("told")

    first = threading.Thread(
        target=carry_out, args=(d.deps, lambda work: webdesk.guarded(work, 1, seen, first_edit))
    )
    first.start()
    assert checked.wait(20)
    late = threading.Thread(target=second)
    late.start()
    late.join(0.5)  # the second editor acts while the first's action is under way
    go_on.set()
    first.join(30)
    late.join(40)
    assert outcome == ["told"]
    with begin(d.deps) as work:
        assert show_in(work, 1)["letter_text"] == "The first editor's text.\n"
