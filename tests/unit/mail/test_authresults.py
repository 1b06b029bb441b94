"""Authentication-Results: only what our own server stamped on top counts (RFC 8601 §5)."""

from __future__ import annotations

from intake.mail.authresults import failures, parse, stamped_by_us
from intake.mail.parse import parse_message

OURS = "mail.news.test"
LMTP = ("received", "from mail.news.test by mail.news.test with LMTP id x; Fri, 28 Nov 2026")
BORDER = (
    "received",
    (
        "from mx.sender.example (mx.sender.example [192.0.2.7]) by mail.news.test (Postfix) "
        "with ESMTPS id 4AbC; Fri, 28 Nov 2026 09:00:00 +0000"
    ),
)
SENDERS_HOP = ("received", "from [10.0.0.2] by mx.sender.example with ESMTPSA")


def ar(value: str) -> tuple[str, str]:
    return ("authentication-results", value)


def test_parse_reads_server_methods_and_results_ignoring_comments() -> None:
    results = parse(
        "mail.news.test 1; spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=example.org;"
        " dkim=fail (bad signature) header.d=example.org; dmarc=fail (p=reject) header.from=example.org"
    )
    assert [(r.authserv_id, r.method, r.result) for r in results] == [
        (OURS, "spf", "pass"), (OURS, "dkim", "fail"), (OURS, "dmarc", "fail")]  # fmt: skip


def test_a_dmarc_fail_from_our_server_is_reported() -> None:
    trace = [LMTP, ar(f"{OURS}; dmarc=fail header.from=example.org"), BORDER]
    assert failures(trace, OURS) == ("dmarc=fail",)


def test_results_from_any_other_server_are_ignored() -> None:
    forged = ar("mx.attacker.example; dmarc=fail header.from=example.org")
    assert failures([forged, BORDER], OURS) == ()
    assert failures([ar(f"{OURS}; dmarc=pass"), forged, BORDER], OURS) == ()


def test_a_sender_added_pass_below_our_received_line_cannot_cancel_our_fail() -> None:
    """Finding 3 of issue 13: the forged header sits below our server's hop."""
    trace = [
        LMTP,
        ar(f"{OURS}; dkim=fail (signature did not verify) header.d=news.test"),
        BORDER,
        ar(f"{OURS}; dkim=pass header.d=news.test; dmarc=pass header.from=news.test"),
        SENDERS_HOP,
    ]
    assert failures(trace, OURS) == ("dkim=fail",)
    assert [r.result for r in stamped_by_us(trace, OURS)] == ["fail"]


def test_a_sender_added_fail_below_our_pass_is_not_ours_either() -> None:
    trace = [ar(f"{OURS}; dkim=pass; dmarc=pass"), BORDER, ar(f"{OURS}; dmarc=fail"), SENDERS_HOP]
    assert failures(trace, OURS) == ()


def test_any_failure_among_our_results_wins() -> None:
    header = ar(f"{OURS}; dkim=fail header.d=a.example; dkim=pass header.d=b.example")
    assert failures([header, BORDER], OURS) == ("dkim=fail",)
    two = [ar(f"{OURS}; dkim=pass"), ar(f"{OURS}; dmarc=permerror"), BORDER]
    assert failures(two, OURS) == ("dmarc=permerror",)


def test_our_results_inserted_below_the_border_line_still_count() -> None:
    """Some milters insert below the MTA's own Received line: the group ends at the next one."""
    trace = [BORDER, ar(f"{OURS}; dmarc=fail"), ar(f"{OURS}; dmarc=pass"), SENDERS_HOP]
    assert failures(trace, OURS) == ("dmarc=fail",)


def test_the_order_comes_from_the_raw_message() -> None:
    raw = (
        b"Received: from mail.news.test by mail.news.test with LMTP\n"
        b"Authentication-Results: mail.news.test; dkim=fail header.d=news.test\n"
        b"Received: from mx.sender.example by mail.news.test (Postfix) with ESMTPS\n"
        b"Authentication-Results: mail.news.test; dkim=pass header.d=news.test\n"
        b"From: Michelle Chen <michelle.chen@news.test>\n"
        b"To: letters@news.test\nSubject: Re: hello\nMessage-ID: <a@b.example>\n\nThanks.\n"
    )
    mail = parse_message(raw)
    assert [name for name, _ in mail.trace] == [
        "received", "authentication-results", "received", "authentication-results"]  # fmt: skip
    assert failures(mail.trace, OURS) == ("dkim=fail",)


def test_nothing_is_checked_without_an_authserv_id() -> None:
    assert failures([ar(f"{OURS}; dmarc=fail")], "") == ()


def test_garbage_does_not_raise() -> None:
    assert parse("") == ()
    assert parse(";;;") == ()
    assert failures([ar("((("), ar("none"), ("received", "")], OURS) == ()
