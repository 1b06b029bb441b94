"""Read and correct before approving, by email, on a real Dovecot + Postfix (issue 11).

A reader's letter signed and sent as "Reader" (Jane Marlow of Eastbay, as a
phone call established) goes to letters@ by SMTP; its author answers by SMTP; the publishing run only makes it
ready.  The editor answers the digest with ``set`` and ``show``; the answer,
read over IMAP, carries the letter and the response in full and a print preview
with the corrected name and town.  Nothing is written to the publish folder until
the editor approves.
"""

from __future__ import annotations

import email.utils
from email.message import EmailMessage
from pathlib import Path

from deskrun import DeskRun, author_reply, parse, reader_letter
from mailtools import MailStack, send, wait_for, wait_for_queue_empty

EDITOR = "editor@news.test"
BUS_URL = "https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/"
RESPONSE = "The depot figures are the transit authority's own, and we stand by every one."


def text_of(msg: EmailMessage) -> str:
    body = msg.get_body(("plain",))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")


def answer(to: EmailMessage, lines: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"The Editor <{EDITOR}>"
    msg["To"] = str(to["Reply-To"])
    msg["Subject"] = "Re: " + " ".join(str(to["Subject"]).split())
    msg["Message-ID"] = email.utils.make_msgid(domain="news.test")
    msg["In-Reply-To"] = msg["References"] = str(to["Message-ID"])
    msg["Date"] = email.utils.formatdate(localtime=True)
    quoted = "\n".join("> " + line for line in text_of(to).splitlines())
    msg.set_content(f"{lines}\n\nOn {to['Date']}, {to['From']} wrote:\n{quoted}\n")
    return msg


def editor_mail(stack: MailStack, count: int) -> list[EmailMessage]:
    return [parse(raw) for _, raw, _ in wait_for(stack, EDITOR, lambda m: len(m) >= count)]


def test_show_and_set_by_email_then_approve(stack: MailStack, desk: DeskRun) -> None:
    send(stack, "reader@news.test", "letters@news.test", reader_letter(BUS_URL, writer="Reader"))
    wait_for(stack, "letters@news.test", lambda m: len(m) == 1)
    assert "letters=1" in desk.intake("poll", "--once").stdout
    (_uid, raw, _flags) = wait_for(stack, "author1@news.test", lambda m: len(m) == 1)[0]
    request = parse(raw)
    send(stack, "author1@news.test", str(request["Reply-To"]), author_reply(request, RESPONSE))
    wait_for(stack, "letters@news.test", lambda m: len(m) == 2)
    assert "replies=1" in desk.intake("poll", "--once").stdout

    # the publishing run makes it ready and writes nothing
    out = desk.intake("publish", "--format", "txt")
    assert out.stdout == "" and "ready=1" in out.stderr
    published = desk.workdir / "data" / "published"
    assert not published.exists() or list(published.iterdir()) == []

    assert "queued=1" in desk.intake("digest", "--now").stdout
    (digest,) = editor_mail(stack, 1)
    assert "show 1" in text_of(digest)

    send(stack, EDITOR, str(digest["Reply-To"]),
         answer(digest, "set 1 name Jane Marlow\nset 1 town Eastbay\nshow 1"))  # fmt: skip
    wait_for(stack, "letters@news.test", lambda m: len(m) == 3)
    desk.intake("poll", "--once")

    shown = editor_mail(stack, 2)[1]
    body = text_of(shown)
    assert body.count("done    ") == 3 and "FAILED" not in body
    assert "letter 1: name set to “Jane Marlow”" in body
    assert "one cancelled morning run at a time" in body  # the letter in full
    assert RESPONSE in body  # the response in full
    preview = body[body.index("--- print preview") : body.index("--- end of preview")]
    assert "A Response to ‘The Quiet Collapse of the City’s Bus Network’" in preview
    assert "Jane Marlow\nEastbay" in preview and "Dana Whitfield responds:" in preview
    trail = desk.intake("show", "1", "--json").stdout
    assert '"actor": "editor@news.test"' in trail and "name: Jane Marlow" in trail

    # only the editor's approve prints it, with what the editor set
    assert "approved" in desk.intake("approve", "1", "--as", EDITOR).stdout
    (path,) = desk.intake("publish", "--format", "txt").stdout.split()
    printed = Path(path).read_text(encoding="utf-8")
    assert "\nJane Marlow\nEastbay\n" in printed and "\nReader\n" not in printed
    wait_for_queue_empty(stack)
