"""Reply keys: 128 random bits, plus-addressed, found again in recipient addresses."""

from __future__ import annotations

from intake.domain import keys


def test_keys_are_128_bit_lower_case_base32_and_unique() -> None:
    minted = {keys.mint_key() for _ in range(2000)}
    assert len(minted) == 2000
    for key in list(minted)[:50]:
        assert len(key) == keys.KEY_LENGTH == 26
        assert keys.is_well_formed(key)
    assert keys.KEY_BYTES * 8 >= 128


def test_plus_address_round_trip() -> None:
    key = keys.mint_key()
    address = keys.plus_address("letters@news.test", key)
    assert address == f"letters+{key}@news.test"
    assert keys.keys_in(["Someone@Else.test", address.upper()], "letters@news.test") == (key,)


def test_only_the_desk_address_carries_keys() -> None:
    assert keys.keys_in(["letters+abc@other.test", "news+abc@news.test"], "letters@news.test") == ()
    assert keys.keys_in(["letters@news.test"], "letters@news.test") == ()


def test_tampered_key_is_found_but_not_well_formed() -> None:
    assert keys.keys_in(["letters+not-a-key@news.test"], "letters@news.test") == ("not-a-key",)
    assert not keys.is_well_formed("not-a-key")
    assert not keys.is_well_formed(keys.mint_key()[:-1] + "1")  # 1 is not base32
