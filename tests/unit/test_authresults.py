"""Authentication-Results: only our own server's verdicts count."""

from __future__ import annotations

from intake.mail.authresults import failures, parse

OURS = "mail.news.test"


def test_parse_reads_server_methods_and_results_ignoring_comments() -> None:
    results = parse(
        "mail.news.test 1; spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=example.org;"
        " dkim=fail (bad signature) header.d=example.org; dmarc=fail (p=reject) header.from=example.org"
    )
    assert [(r.authserv_id, r.method, r.result) for r in results] == [
        (OURS, "spf", "pass"), (OURS, "dkim", "fail"), (OURS, "dmarc", "fail")]  # fmt: skip


def test_a_dmarc_fail_from_our_server_is_reported() -> None:
    assert failures([f"{OURS}; dmarc=fail header.from=example.org"], OURS) == ("dmarc=fail",)


def test_results_from_any_other_server_are_ignored() -> None:
    forged = "mx.attacker.example; dmarc=fail header.from=example.org"
    assert failures([forged], OURS) == ()
    assert failures([f"{OURS}; dmarc=pass", forged], OURS) == ()


def test_one_passing_dkim_signature_is_enough() -> None:
    header = f"{OURS}; dkim=fail header.d=a.example; dkim=pass header.d=b.example"
    assert failures([header], OURS) == ()
    assert failures([f"{OURS}; dkim=permerror header.d=a.example"], OURS) == ("dkim=permerror",)


def test_nothing_is_checked_without_an_authserv_id() -> None:
    assert failures([f"{OURS}; dmarc=fail"], "") == ()


def test_garbage_does_not_raise() -> None:
    assert parse("") == ()
    assert parse(";;;") == ()
    assert failures(["(((", "none"], OURS) == ()
