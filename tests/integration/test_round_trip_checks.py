"""Issue 4 on the real mail stack: the holding pen, out-of-office, decline, reminder and deadline.

The reader, the author and impostors send by SMTP; intake polls over IMAP
and sends over SMTP.  Reminder and deadline run on an injected clock: the
use cases are called in-process with the real IMAP and SMTP adapters.
"""

from __future__ import annotations

import email.utils
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from deskrun import DeskRun, author_reply, desk_config, empty_mailboxes, parse, reader_letter
from fakes import FakeClock
from mailtools import STRIPPED_AUTHSERV_ID, MailStack, append, fetch_all, send, wait_for

from intake.app.deps import Deps
from intake.app.inbound import poll
from intake.config import read_settings
from intake.worker import build_deps, init, tick

BUS_URL = "https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/"


@pytest.fixture
def desk(mailstack: MailStack, tmp_path: Path) -> DeskRun:
    empty_mailboxes(mailstack)
    return desk_config(
        mailstack, tmp_path / "desk", extra='[authors]\nauthserv_id = "mail.news.test"\n'
    )


def in_process(desk: DeskRun, clock: FakeClock) -> Deps:
    settings = read_settings(desk.config, desk.env, desk.workdir)
    deps = build_deps(settings, desk.env, clock=clock)
    init(settings, deps)
    return deps


def letter_out(stack: MailStack, desk: DeskRun) -> EmailMessage:
    send(stack, "reader@news.test", "letters@news.test", reader_letter(BUS_URL))
    wait_for(stack, "letters@news.test", lambda m: len(m) == 1)
    desk.intake("poll", "--once")
    return parse(wait_for(stack, "author1@news.test", lambda m: len(m) == 1)[0][1])


def deliver_and_poll(
    stack: MailStack, desk: DeskRun, sender: str, to: str, msg: EmailMessage
) -> str:
    before = len(fetch_all(stack, "letters@news.test"))
    send(stack, sender, to, msg)
    wait_for(stack, "letters@news.test", lambda m: len(m) == before + 1)
    return desk.intake("poll", "--once").stdout


def state(desk: DeskRun) -> str:
    import json

    (item,) = json.loads(desk.intake("queue", "--json").stdout)
    return str(item["state"])


def test_holding_pen_takes_impostor_tampered_key_and_dmarc_fail(
    mailstack: MailStack, desk: DeskRun
) -> None:
    request = letter_out(mailstack, desk)
    key_address = str(request["Reply-To"])

    impostor = author_reply(request, "I wrote it, trust me.", sender="author2@news.test")
    assert "held=1" in deliver_and_poll(mailstack, desk, "author2@news.test", key_address, impostor)

    key = key_address.split("+")[1].split("@")[0]
    tampered_address = key_address.replace(key, key[:-2] + ("aa" if key[-2:] != "aa" else "bb"))
    tampered = author_reply(request, "A reply with a bent key.")
    tampered.replace_header("To", tampered_address)
    assert "held=1" in deliver_and_poll(
        mailstack, desk, "author1@news.test", tampered_address, tampered
    )

    spoofed = author_reply(request, "A reply our server could not verify.")
    spoofed["Authentication-Results"] = (
        "mail.news.test; dkim=none; dmarc=fail (p=reject) header.from=news.test"
    )
    assert "held=1" in deliver_and_poll(mailstack, desk, "author1@news.test", key_address, spoofed)

    assert state(desk) == "awaiting_author"
    held = desk.intake("queue", "--held").stdout
    assert "author2@news.test" in held and "tampered" in held and "dmarc=fail" in held


def test_out_of_office_is_not_a_response_and_a_decline_is(
    mailstack: MailStack, desk: DeskRun
) -> None:
    request = letter_out(mailstack, desk)
    ooo = EmailMessage()
    ooo["From"] = "author1@news.test"
    ooo["To"] = str(request["Reply-To"])
    ooo["Subject"] = "Out of Office: " + str(request["Subject"])
    ooo["Auto-Submitted"] = "auto-replied"
    ooo["Message-ID"] = email.utils.make_msgid(domain="news.test")
    ooo.set_content("I am away until 8 December with no access to email.")
    out = deliver_and_poll(mailstack, desk, "author1@news.test", str(request["Reply-To"]), ooo)
    assert "replies=0" in out and state(desk) == "awaiting_author"

    decline = author_reply(request, "No reply, thank you.")
    out = deliver_and_poll(mailstack, desk, "author1@news.test", str(request["Reply-To"]), decline)
    assert "replies=1" in out and state(desk) == "declined"


def test_reminder_and_deadline_fire_on_an_injected_clock(
    mailstack: MailStack, desk: DeskRun
) -> None:
    clock = FakeClock()
    deps = in_process(desk, clock)
    send(mailstack, "reader@news.test", "letters@news.test", letter := reader_letter(BUS_URL))
    wait_for(mailstack, "letters@news.test", lambda m: len(m) == 1)
    assert "sent=1" in tick(deps)["send"]
    wait_for(mailstack, "author1@news.test", lambda m: len(m) == 1)

    clock.current += timedelta(days=3, minutes=1)
    result = tick(deps)
    assert "reminded=1" in result["authors"] and "sent=1" in result["send"]
    messages = wait_for(mailstack, "author1@news.test", lambda m: len(m) == 2)
    request, reminder = (parse(raw) for _, raw, _ in messages)
    if str(request["Subject"]).startswith("Reminder"):
        request, reminder = reminder, request
    # threading, in a mail client's terms
    assert request["References"] == str(letter["Message-ID"])
    assert reminder["In-Reply-To"] == request["Message-ID"]
    assert reminder["References"].split() == [str(letter["Message-ID"]), str(request["Message-ID"])]
    assert reminder["Reply-To"] == request["Reply-To"]

    clock.current += timedelta(days=2)
    assert "expired=1" in tick(deps)["authors"]
    assert state(desk) == "no_response"

    # the author answers the reminder late, threading under it: still matched
    reply = author_reply(reminder, "Late, but here it is: the depot is the whole story.")
    reply.replace_header(
        "References", f"{letter['Message-ID']} {request['Message-ID']} {reminder['Message-ID']}"
    )
    send(mailstack, "author1@news.test", str(reminder["Reply-To"]), reply)
    wait_for(mailstack, "letters@news.test", lambda m: len(m) == 2)
    assert poll(deps).replies == 1
    assert state(desk) == "response_received"


def test_a_sender_written_pass_sits_below_our_received_lines_and_cannot_cancel_our_fail(
    mailstack: MailStack, desk: DeskRun
) -> None:
    """Issue 13, finding 3, on the real stack's header order.

    The test stack runs no DKIM verifier, so our server's verdict is added the
    way a verifier at delivery adds it: on top of the delivered copy.  What the
    stack shows is where a sender's own header lands — below Postfix's and
    Dovecot's Received lines — and that intake then holds the reply.
    """
    from intake.mail.authresults import failures
    from intake.mail.parse import parse_message

    request = letter_out(mailstack, desk)
    forged = author_reply(request, "I stand by every word; the reader is wrong about the depot.")
    forged["Authentication-Results"] = (
        "mail.news.test; dkim=pass header.d=news.test; dmarc=pass header.from=news.test"
    )
    # delivered by the real stack into a side mailbox, so the desk does not poll it unstamped
    send(mailstack, "author1@news.test", "reader@news.test", forged)
    delivered = wait_for(mailstack, "reader@news.test", lambda m: len(m) >= 1)[-1][1]
    names = [name for name, _ in parse_message(delivered).trace]
    first_result = names.index("authentication-results")
    assert names[:first_result].count("received") >= 2, names  # Dovecot's and Postfix's
    assert failures(parse_message(delivered).trace, "mail.news.test") == ()

    stamped = (
        b"Authentication-Results: mail.news.test;\r\n"
        b"\tdkim=fail (signature did not verify) header.d=news.test\r\n" + delivered
    )
    append(mailstack, "letters@news.test", stamped)
    out = desk.intake("poll", "--once").stdout
    assert "held=1" in out and "replies=0" in out
    assert state(desk) == "awaiting_author"
    assert "dkim=fail" in desk.intake("queue", "--held").stdout


def test_the_border_mta_drops_a_senders_results_carrying_our_id(
    mailstack: MailStack, tmp_path: Path
) -> None:
    """Issue 13, finding 3: the MTA's part, with the Postfix header_checks deploy/ documents.

    The desk trusts ``border.news.test``, the id the stack's Postfix strips from
    incoming mail.  A sender's own ``border.news.test; dmarc=fail`` would hold the
    reply if it got through (it would be the topmost group); it never reaches the
    mailbox, while a result under another id passes untouched.
    """
    empty_mailboxes(mailstack)
    desk = desk_config(
        mailstack, tmp_path / "desk", extra=f'[authors]\nauthserv_id = "{STRIPPED_AUTHSERV_ID}"\n'
    )
    request = letter_out(mailstack, desk)
    reply = author_reply(request, "The depot closure was decided in 2019; the letter is right.")
    reply["Authentication-Results"] = f"{STRIPPED_AUTHSERV_ID}; dmarc=fail header.from=news.test"
    reply["Authentication-Results"] = "mx.elsewhere.example; dkim=pass"
    out = deliver_and_poll(mailstack, desk, "author1@news.test", str(request["Reply-To"]), reply)
    delivered = fetch_all(mailstack, "letters@news.test")[-1][1]
    assert STRIPPED_AUTHSERV_ID.encode() not in delivered
    assert b"mx.elsewhere.example; dkim=pass" in delivered
    assert "replies=1" in out and state(desk) == "response_received"
