"""Reading bounces: failed recipients and status from DSNs, Exim headers and plain notices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake.mail.bounces import read_bounce

DATA = Path(__file__).resolve().parents[2] / "data" / "mail"
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
OURS = "intake.req.12.abcdefghjkmn@news.test"


def _dsn(
    *blocks: str, notice: str = "Your message could not be delivered.", returned: str = ""
) -> bytes:
    parts = [
        (
            "From: MAILER-DAEMON@mx.example.net\r\nTo: letters@news.test\r\n"
            "Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/report; report-type=delivery-status; boundary="XX"\r\n\r\n'
        ),
        f"--XX\r\nContent-Type: text/plain\r\n\r\n{notice}\r\n",
        "--XX\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n"
        + "\r\n".join(blocks)
        + "\r\n",
    ]
    if returned:
        parts.append(f"--XX\r\nContent-Type: text/rfc822-headers\r\n\r\n{returned}\r\n")
    parts.append("--XX--\r\n")
    return "".join(parts).encode()


def test_dsn_gives_recipient_action_status_and_diagnostic() -> None:
    raw = _dsn(
        "Final-Recipient: rfc822; Old.Address@Example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <old.address@example.com>: User unknown",
        returned=f"Message-ID: <{OURS}>\r\nTo: old.address@example.com",
    )
    details = read_bounce(raw, ("news.test",))
    assert details.source == "dsn"
    (failed,) = details.recipients
    assert failed.address == "old.address@example.com"
    assert (failed.status, failed.action) == ("5.1.1", "failed")
    assert "User unknown" in failed.diagnostic
    assert not details.temporary
    assert details.our_message_ids == (OURS,)
    assert "old.address@example.com (5.1.1, failed: 550 5.1.1" in details.describe()


def test_dsn_with_several_recipients_skips_the_delivered_one() -> None:
    raw = _dsn(
        "Final-Recipient: rfc822; a@example.org\r\nAction: failed\r\nStatus: 5.2.2",
        "",
        "Final-Recipient: rfc822; b@example.org\r\nAction: delivered\r\nStatus: 2.0.0",
        "",
        "Final-Recipient: rfc822; c@example.org\r\nAction: failed\r\nStatus: 5.4.4",
    )
    details = read_bounce(raw)
    assert details.addresses == ("a@example.org", "c@example.org")
    assert [r.status for r in details.recipients] == ["5.2.2", "5.4.4"]


def test_a_delay_report_is_temporary() -> None:
    raw = _dsn("Final-Recipient: rfc822; slow@example.org\r\nAction: delayed\r\nStatus: 4.4.1")
    details = read_bounce(raw)
    assert details.addresses == ("slow@example.org",)
    assert details.temporary


def test_final_recipient_without_a_real_domain_falls_back_to_the_original() -> None:
    raw = _dsn(
        "Action: failed\r\nStatus: 5.0.0\r\nOriginal-recipient: rfc822;Jo@example.com\r\n"
        "Final-recipient: rfc822;Jo@local-daemon"
    )
    assert read_bounce(raw).addresses == ("jo@example.com",)


def test_exim_x_failed_recipients_with_status_from_the_text() -> None:
    raw = (
        b"From: Mail Delivery System <Mailer-Daemon@relay.example.org>\r\n"
        b"To: letters@news.test\r\nX-Failed-Recipients: j.doe@example.org\r\n"
        b"Subject: Mail delivery failed: returning message to sender\r\n\r\n"
        b"This message was created automatically by mail delivery software.\r\n\r\n"
        b"A message that you sent could not be delivered to one or more of its\r\n"
        b"recipients. This is a permanent error. The following address(es) failed:\r\n\r\n"
        b"  j.doe@example.org\r\n    host mx.example.org [192.0.2.25]: 550 5.1.1 no such user\r\n\r\n"
        b"------ This is a copy of the message, including all the headers. ------\r\n\r\n"
        b"From: letters@news.test\r\nTo: j.doe@example.org\r\nMessage-ID: <"
        + OURS.encode()
        + b">\r\n"
    )
    details = read_bounce(raw, ("news.test",))
    assert details.source == "x-failed-recipients"
    (failed,) = details.recipients
    # 192.0.2.25 is an IP address, not a status; 5.1.1 is the status
    assert (failed.address, failed.status, failed.action) == (
        "j.doe@example.org",
        "5.1.1",
        "failed",
    )
    assert details.our_message_ids == (OURS,)


def test_plain_notice_ignores_the_returned_copy() -> None:
    raw = (
        b"From: MAILER-DAEMON@gate.example.net\r\nTo: letters@news.test\r\n"
        b"Subject: failure notice\r\n\r\n"
        b"Hi. This is the qmail-send program at gate.example.net.\r\n"
        b"I'm afraid I wasn't able to deliver your message to the following addresses.\r\n"
        b"This is a permanent error; I've given up. Sorry it didn't work out.\r\n\r\n"
        b"<gone@example.net>:\r\nSorry, no mailbox here by that name. (#5.1.1)\r\n\r\n"
        b"--- Below this line is a copy of the message.\r\n\r\n"
        b"From: Letters Desk <letters@news.test>\r\nTo: gone@example.net\r\n"
        b"Cc: someone.else@example.org\r\n\r\nDear author,\r\n"
    )
    details = read_bounce(raw)
    assert details.source == "text"
    assert details.addresses == ("gone@example.net",)
    assert details.recipients[0].status == "5.1.1"
    assert details.recipients[0].action == "failed"


def test_our_message_ids_only_on_our_domains() -> None:
    raw = _dsn(
        "Final-Recipient: rfc822; x@example.org\r\nAction: failed\r\nStatus: 5.1.1",
        returned="Message-ID: <intake.req.3.zzzzzzzzzzzz@other.test>\r\n"
        "References: <intake.notice_bounce_7.3.aaaaaaaaaaaa@news.test>",
    )
    assert read_bounce(raw, ("news.test",)).our_message_ids == (
        "intake.notice_bounce_7.3.aaaaaaaaaaaa@news.test",
    )
    assert len(read_bounce(raw).our_message_ids) == 2


def test_something_that_is_not_a_bounce_names_nobody() -> None:
    details = read_bounce(b"From: a@example.org\r\nSubject: hello\r\n\r\nJust saying hello.\r\n")
    assert details.recipients == () and details.source == ""
    assert details.describe() == "no failed recipient named in the report"


@pytest.mark.parametrize("path", sorted((DATA / "bounce").glob("*.eml")), ids=lambda p: p.name)
def test_own_bounce_fixtures_match_their_labels(path: Path) -> None:
    labels = {
        json.loads(line)["path"]: json.loads(line)
        for line in (DATA / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    }
    expected = labels[f"bounce/{path.name}"]["expected_bounced_addresses"]
    assert list(read_bounce(path.read_bytes()).addresses) == [a.lower() for a in expected]


def test_corpus_bounced_addresses() -> None:
    """Every corpus bounce names someone; where the label says who, it is them."""
    if not CORPUS.is_dir():
        pytest.skip(f"labelled corpus not found at {CORPUS}")
    items = [
        json.loads(line)
        for line in (CORPUS / "labels.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    bounces = [i for i in items if i["category"] == "bounce"]
    labelled = [i for i in bounces if i.get("expected_bounced_addresses")]
    assert len(bounces) >= 30 and len(labelled) >= 8
    named = [
        i["path"] for i in bounces if read_bounce((CORPUS / i["path"]).read_bytes()).recipients
    ]
    assert len(named) == len(bounces), {i["path"] for i in bounces} - set(named)
    right = [
        i["path"]
        for i in labelled
        if list(read_bounce((CORPUS / i["path"]).read_bytes()).addresses)
        == [a.lower() for a in i["expected_bounced_addresses"]]
    ]
    assert len(right) == len(labelled), {i["path"] for i in labelled} - set(right)
