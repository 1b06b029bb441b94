"""The desk's keys: [digest] and desk.secret_env, each error naming its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake.config import load_settings
from intake.domain.errors import ConfigError


def load(text: str, environ: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return load_settings(text, environ or {}, cwd=Path("/srv"))


def test_digest_defaults_to_daily_at_eight() -> None:
    settings = load("")
    digest = settings.digest
    assert (digest.enabled, digest.cron, digest.token_valid_days) == (True, "0 8 * * *", 7)
    assert settings.desk.command_secret == ""


def test_digest_keys_and_the_secret_from_the_environment() -> None:
    settings = load(
        '[desk]\nsecret_env = "K"\n[digest]\nenabled = false\ncron = "30 7 * * 1-5"\n'
        "token_valid_days = 3\n",
        {"K": "abc"},
    )
    assert settings.desk.command_secret == "abc" and "abc" not in repr(settings)
    assert (settings.digest.enabled, settings.digest.cron, settings.digest.token_valid_days) == (
        False, "30 7 * * 1-5", 3)  # fmt: skip


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[digest]\ncron = "8 o\'clock"\n', "digest.cron"),
        ('[digest]\ncron = "0 25 * * *"\n', "digest.cron"),
        ("[digest]\ntoken_valid_days = 0\n", "digest.token_valid_days"),
        ('[digest]\nenabled = "yes"\n', "digest.enabled"),
        ('[digest]\nsend_at = "08:00"\n', "digest.send_at"),
        ('[desk]\nsecret_env = "NOT_SET"\n', "desk.secret_env"),
    ],
)
def test_a_bad_key_is_named(text: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(text)
    assert caught.value.key == key
