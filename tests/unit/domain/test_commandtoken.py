"""Command tokens: signed, lower case, expiring, and never mistaken for a reply key."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from intake.domain import keys
from intake.domain.commandtoken import is_command_token, mint, verify

SECRET = b"0123456789abcdef0123456789abcdef"
AT = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


def test_a_fresh_token_verifies_with_its_purpose_and_time() -> None:
    token = mint(SECRET, "digest", AT)
    check = verify(SECRET, token, now=AT + timedelta(hours=3), valid_for=WEEK)
    assert check.ok and check.purpose == "digest" and check.issued == AT
    assert token == token.lower() and token.startswith("c-digest-")
    # it fits a local part (RFC 5321: 64 octets) together with "letters+"
    assert len(keys.plus_address("letters@news.test", token).partition("@")[0]) <= 64


def test_case_folding_mail_systems_do_not_break_it() -> None:
    token = mint(SECRET, "digest", AT)
    assert verify(SECRET, token.upper(), now=AT, valid_for=WEEK).ok


def test_command_tokens_and_reply_keys_are_told_apart() -> None:
    token = mint(SECRET, "result", AT)
    assert is_command_token(token) and not keys.is_well_formed(token)
    for _ in range(50):
        assert not is_command_token(keys.mint_key())


@pytest.mark.parametrize(
    ("tamper", "problem"),
    [
        (lambda t: t[:-1] + ("a" if t[-1] != "a" else "b"), "bad signature"),
        (lambda t: t.replace("c-digest-", "c-result-"), "bad signature"),
        (lambda t: t.rsplit("-", 2)[0] + "-zzzzzz-" + t.rsplit("-", 1)[1], "bad signature"),
        (lambda t: t[:-3], "malformed"),
        (lambda t: "c-digest", "malformed"),
        (lambda t: t + "x", "malformed"),
    ],
)
def test_a_changed_token_is_refused(tamper, problem: str) -> None:  # type: ignore[no-untyped-def]
    token = mint(SECRET, "digest", AT)
    check = verify(SECRET, tamper(token), now=AT, valid_for=WEEK)
    assert not check.ok and problem in check.problem


def test_another_secret_does_not_verify() -> None:
    token = mint(SECRET, "digest", AT)
    assert "bad signature" in verify(b"another key", token, now=AT, valid_for=WEEK).problem


def test_tokens_expire_and_future_ones_are_refused() -> None:
    token = mint(SECRET, "digest", AT)
    assert verify(SECRET, token, now=AT + WEEK, valid_for=WEEK).ok
    late = verify(SECRET, token, now=AT + WEEK + timedelta(minutes=1), valid_for=WEEK)
    assert not late.ok and "expired" in late.problem
    early = verify(SECRET, token, now=AT - timedelta(hours=2), valid_for=WEEK)
    assert not early.ok and "future" in early.problem


def test_purpose_must_be_plain_letters() -> None:
    with pytest.raises(ValueError):
        mint(SECRET, "Digest-2", AT)
