"""The author round trip on the embedded default with a movable clock (issue 4).

Reminders and deadlines, declines, out-of-office replies, the checks a reply
must pass, and the writer's acknowledgement with its request for details.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
from email.message import EmailMessage
from pathlib import Path

from deskkit import SAMPLES, Desk, make_desk, via_our_server
from sqlmodel import select
from test_cycle import SEED_LETTER, letters, reply_to, request_of

from intake.adapters.store import OutboundRow, RawMessageRow, ResponseRow
from intake.app.inbound import poll
from intake.app.work import carry_out
from intake.worker import tick


def outbound(desk: Desk, purpose_prefix: str = "") -> list[OutboundRow]:
    return [o for o in desk.deps.store.outbound() if o.purpose.startswith(purpose_prefix)]


def parsed(row: OutboundRow) -> EmailMessage:
    msg = email.message_from_bytes(row.raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def audit_events(desk: Desk) -> list[str]:
    (letter,) = letters(desk)
    assert letter.id is not None
    return [a.event for a in desk.deps.store.audit(letter.id)]


def test_one_reminder_threads_under_the_request_then_the_deadline_passes(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    desk.clock.advance(days=2, hours=23)
    assert "reminded=0" in tick(desk.deps)["authors"]
    desk.clock.advance(hours=2)  # three days after the request
    result = tick(desk.deps)
    assert "reminded=1" in result["authors"] and "sent=1" in result["send"]
    (request,) = outbound(desk, "author_request")
    (reminder,) = outbound(desk, "reminder")
    req, rem = parsed(request), parsed(reminder)
    assert rem["In-Reply-To"] == req["Message-ID"]
    assert rem["References"].split() == [
        "<20140818200512.4471.press@cityhall.example>",
        req["Message-ID"],
    ]
    assert req["References"] == "<20140818200512.4471.press@cityhall.example>"
    assert rem["Reply-To"] == req["Reply-To"]
    assert str(rem["Subject"]).startswith("Reminder: ") and "[L-1]" in str(rem["Subject"])
    assert rem["To"] == req["To"]

    desk.clock.advance(days=1)
    assert "reminded=0" in tick(desk.deps)["authors"]  # max_reminders = 1
    desk.clock.advance(days=1, hours=1)  # five days after the request
    assert "expired=1" in tick(desk.deps)["authors"]
    assert letters(desk)[0].state == "no_response"
    assert len(outbound(desk, "reminder")) == 1

    # a late reply is still welcome
    desk.deliver(reply_to(req, text="Sorry for the delay: here is my response after all."))
    assert poll(desk.deps).replies == 1
    assert letters(desk)[0].state == "response_received"


def test_no_reminder_while_the_request_has_not_gone_out(tmp_path: Path) -> None:
    desk = make_desk(tmp_path, extra="[outbox]\nmax_attempts = 50\n")
    import dataclasses

    from intake.domain.errors import DeliveryDeferred

    class Down:
        def send(self, *a: object, **k: object) -> None:
            raise DeliveryDeferred("421 down")

        def close(self) -> None:
            pass

    deps = dataclasses.replace(desk.deps, open_transport=lambda: Down())
    desk.deliver(SEED_LETTER)
    tick(deps)
    desk.clock.advance(days=3, hours=1)
    assert "reminded=0" in tick(deps)["authors"]


def test_a_decline_is_recorded_not_printed(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    desk.deliver(reply_to(request_of(desk), text="No reply, thanks.\n\nMichelle"))
    assert poll(desk.deps).replies == 1
    (letter,) = letters(desk)
    assert letter.state == "declined"
    with desk.deps.store.session() as s:
        assert s.exec(select(ResponseRow)).all() == []
    assert "author_declined" in audit_events(desk)


def test_a_response_that_starts_with_a_decline_word_is_still_a_response(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    text = "Pass the word to your reader: the article stands, and here is why it does. " * 2
    desk.deliver(reply_to(request_of(desk), text=text))
    poll(desk.deps)
    assert letters(desk)[0].state == "response_received"


def test_an_out_of_office_reply_is_noted_never_a_response(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    request = request_of(desk)
    ooo = EmailMessage()
    ooo["From"] = str(request["To"])
    ooo["To"] = str(request["Reply-To"])
    ooo["Subject"] = "Automatic reply: " + str(request["Subject"])
    ooo["Auto-Submitted"] = "auto-replied"
    ooo["Message-ID"] = email.utils.make_msgid(domain="news.test")
    ooo.set_content("I am out of the office until Monday with limited access to email.")
    desk.deliver(ooo.as_bytes())
    report = poll(desk.deps)
    assert report.replies == 0
    assert letters(desk)[0].state == "awaiting_author"
    assert "auto_reply" in audit_events(desk)


def test_a_dmarc_fail_stamped_by_our_server_is_held(tmp_path: Path) -> None:
    desk = make_desk(tmp_path, extra='[authors]\nauthserv_id = "mail.news.test"\n')
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    raw = reply_to(request_of(desk))
    desk.deliver(via_our_server(raw, "dmarc=fail (p=reject) header.from=news.test"))
    assert poll(desk.deps).held == 1
    assert letters(desk)[0].state == "awaiting_author"
    # the same verdict from someone else's server is not ours to trust
    forged = b"Authentication-Results: mx.elsewhere.example; dmarc=fail\n" + reply_to(
        request_of(desk)
    )
    desk.deliver(forged)
    assert poll(desk.deps).replies == 1


def test_a_forged_pass_below_our_received_line_does_not_cancel_our_dkim_fail(
    tmp_path: Path,
) -> None:
    """Finding 3 of issue 13: only the results above our server's hop are ours."""
    desk = make_desk(tmp_path, extra='[authors]\nauthserv_id = "mail.news.test"\n')
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    forged = "dkim=pass header.d=news.test; dmarc=pass header.from=news.test"
    raw = via_our_server(reply_to(request_of(desk)), "dkim=fail header.d=news.test", forged=forged)
    desk.deliver(raw)
    report = poll(desk.deps)
    assert (report.replies, report.held) == (0, 1)
    assert letters(desk)[0].state == "awaiting_author"
    # the same reply with our server's pass on top is accepted
    desk.deliver(via_our_server(reply_to(request_of(desk)), "dkim=pass header.d=news.test"))
    assert poll(desk.deps).replies == 1


def test_an_alias_of_the_author_may_answer(tmp_path: Path) -> None:
    extra = '[authors.aliases]\n"michelle.chen@news.test" = ["m.chen@home.example"]\n'
    desk = make_desk(tmp_path, extra=extra)
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    desk.deliver(reply_to(request_of(desk), sender="Michelle Chen <M.Chen@home.example>"))
    assert poll(desk.deps).replies == 1


def without_key_and_thread(raw: bytes) -> bytes:
    """The reply as a forger (or a client that lost key and thread) would send it."""
    lines = raw.split(b"\n")
    return b"\n".join(line for line in lines if not line.startswith(b"In-Reply-To"))


def test_the_subject_tag_alone_never_accepts_a_response(desk: Desk) -> None:
    """Finding 2 of issue 13: letter numbers are sequential, so ``[L-1]`` is no secret.

    From the author's own address, with only the tag: held on the letter, and an
    editor can accept it from the held list.
    """
    from intake.app import desk as desk_actions

    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    request = request_of(desk)
    raw = without_key_and_thread(reply_to(request, to="letters@news.test"))
    desk.deliver(raw.replace(b"Subject: Re:", b"Subject: AW: Re:"))
    report = poll(desk.deps)
    assert (report.replies, report.held) == (0, 1)
    assert letters(desk)[0].state == "awaiting_author"
    with desk.deps.store.session() as s:
        assert s.exec(select(ResponseRow)).all() == []
        (held,) = s.exec(select(RawMessageRow).where(RawMessageRow.status == "held")).all()
    assert held.letter_id == 1 and "only the subject tag [L-1]" in held.note
    assert held.id is not None
    held_id = held.id
    carry_out(desk.deps, lambda work: desk_actions.accept_reply(work, held_id, None,
                                                               actor="editor@news.test"))  # fmt: skip
    assert letters(desk)[0].state == "response_received"


def test_our_message_id_in_references_is_enough_without_the_key(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    request = request_of(desk)
    raw = reply_to(request, to="letters@news.test")  # the client dropped the plus address
    desk.deliver(raw)
    assert poll(desk.deps).replies == 1
    assert letters(desk)[0].state == "response_received"


def test_a_subject_tag_from_a_stranger_is_held(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    raw = reply_to(request_of(desk), to="letters@news.test", sender="someone@else.example")
    desk.deliver(without_key_and_thread(raw))
    assert poll(desk.deps).held == 1


def test_a_reply_that_is_mostly_quote_is_flagged_for_a_look(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    desk.deliver(reply_to(request_of(desk), text="Agreed."))
    poll(desk.deps)
    assert "check_cut" in audit_events(desk)


def ack_desk(tmp_path: Path) -> Desk:
    return make_desk(tmp_path, extra="[writers]\nacknowledge = true\n")


def test_the_writer_is_acknowledged_once_a_day_and_asked_for_missing_details(
    tmp_path: Path,
) -> None:
    desk = ack_desk(tmp_path)
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    (ack,) = outbound(desk, "writer_ack")
    msg = parsed(ack)
    assert msg["To"].addresses[0].addr_spec == "maibe.ponet@cityhall.example"
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["In-Reply-To"] == "<20140818200512.4471.press@cityhall.example>"
    body = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    reply_address = str(msg["Reply-To"])
    # the seed letter is signed by an office: no town to print, so the writer is asked
    assert "the town or city you live in" in body and "your full name" not in body
    assert reply_address.startswith("letters+")

    # a second letter from the same writer the same day: no second acknowledgement
    second = SEED_LETTER.replace(b"20140818200512.4471.press", b"20140818200513.4471.press")
    desk.deliver(second)
    tick(desk.deps)
    assert len(outbound(desk, "writer_ack")) == 1
    desk.clock.advance(days=1, minutes=1)
    third = SEED_LETTER.replace(b"20140818200512.4471.press", b"20140818200514.4471.press")
    desk.deliver(third)
    tick(desk.deps)
    assert len(outbound(desk, "writer_ack")) == 2


def test_the_writers_answer_fills_in_their_details(tmp_path: Path) -> None:
    desk = ack_desk(tmp_path)
    letter = EmailMessage()
    letter["From"] = "Maibe <maibe@cityhall.example>"
    letter["To"] = "letters@news.test"
    letter["Subject"] = (
        "Re: Is New York City Partnering With ICE to Rip Apart Immigrant Communities?"
    )
    letter["Message-ID"] = "<nodetails@cityhall.example>"
    letter.set_content(SEED_LETTER.decode().split("\n\n", 1)[1].replace("Maibe Ponet\n", ""))
    desk.deliver(letter.as_bytes())
    tick(desk.deps)
    (ack,) = outbound(desk, "writer_ack")
    msg = parsed(ack)
    body = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "your full name" in body
    answer = EmailMessage()
    answer["From"] = "Maibe <maibe@cityhall.example>"
    answer["To"] = str(msg["Reply-To"])
    answer["Subject"] = "Re: " + str(msg["Subject"])
    answer["In-Reply-To"] = str(msg["Message-ID"])
    answer.set_content("Name: Maibe Ponet\nTown: New York\nPhone: +1 212 555 0100\n\n> quoted ack")
    desk.deliver(answer.as_bytes())
    poll(desk.deps)
    (row,) = [r for r in letters(desk) if r.message_id == "nodetails@cityhall.example"]
    assert (row.writer_name, row.writer_town, row.writer_phone) == (
        "Maibe Ponet",
        "New York",
        "+1 212 555 0100",
    )
    assert row.state == "awaiting_author"


def test_no_acknowledgement_to_machine_senders(tmp_path: Path) -> None:
    desk = ack_desk(tmp_path)
    raw = SEED_LETTER.replace(b"maibe.ponet@cityhall.example", b"noreply@cityhall.example")
    desk.deliver(raw)
    tick(desk.deps)
    assert outbound(desk, "writer_ack") == []


def test_acknowledgements_are_off_by_default(desk: Desk) -> None:
    desk.deliver(SEED_LETTER)
    tick(desk.deps)
    assert outbound(desk, "writer_ack") == []
    with desk.deps.store.session() as s:
        assert len(s.exec(select(RawMessageRow)).all()) == 1
    assert (SAMPLES / "articles.csv").is_file()
