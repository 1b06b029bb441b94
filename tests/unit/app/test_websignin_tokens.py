"""Sign-in link tokens: signed, expiring, tamper-evident; addresses as the editors list has them."""

from __future__ import annotations

from datetime import timedelta

from fakes import FROZEN_AT

from intake.app.websignin import digest_of, mint, normal_address, verify

KEY = b"k" * 32


def test_a_minted_token_verifies_until_it_expires() -> None:
    token = mint(KEY, FROZEN_AT + timedelta(minutes=15))
    assert verify(KEY, token, FROZEN_AT)
    assert verify(KEY, token, FROZEN_AT + timedelta(minutes=14, seconds=59))
    assert not verify(KEY, token, FROZEN_AT + timedelta(minutes=15))


def test_another_key_or_any_changed_character_fails() -> None:
    token = mint(KEY, FROZEN_AT + timedelta(minutes=15))
    assert not verify(b"x" * 32, token, FROZEN_AT)
    for i in range(len(token)):
        changed = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
        assert not verify(KEY, changed, FROZEN_AT), i
    nonce, expiry, signature = token.split(".")
    later = str(int(expiry) + 3600)
    assert not verify(KEY, f"{nonce}.{later}.{signature}", FROZEN_AT)


def test_malformed_tokens_are_refused_without_error() -> None:
    for token in ("", ".", "..", "a.b.c", "a.99999999999999999999.x", "x" * 500, "a.1.\u00e9" * 3):
        assert not verify(KEY, token, FROZEN_AT)


def test_tokens_are_random_and_stored_as_their_hash() -> None:
    first, second = (mint(KEY, FROZEN_AT) for _ in range(2))
    assert first != second
    assert digest_of(first) != first and len(digest_of(first)) == 64


def test_addresses_are_read_as_the_editors_list_holds_them() -> None:
    assert normal_address("  Editor@News.Test ") == "editor@news.test"
    for bad in ("", "editor", "editor@localhost", "a b@news.test", "x@" + "y" * 260 + ".test"):
        assert normal_address(bad) == ""
