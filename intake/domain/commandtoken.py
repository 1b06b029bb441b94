"""Signed command tokens: the plus address editors answer to with commands.

A digest (or a command result) says ``Reply-To: letters+c-digest-sf3k2a-<sig>@…``.
The token names its purpose and issue time and is signed with HMAC-SHA256
under the desk's secret, so only mail answering something intake sent can
carry commands, and only for a while.  Everything is lower case, because
mail systems fold the case of local parts, and the ``c-`` prefix keeps it
apart from 26-character base32 reply keys, which never contain a hyphen.
Pure: the caller passes the secret and the time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

PREFIX: Final = "c-"
_SIG_BYTES = 15  # 120 bits: 24 base32 characters, no padding
_SHAPE = re.compile(r"^c-([a-z]{1,12})-([0-9a-z]{1,10})-([a-z2-7]{24})$")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# a token from a clock a little ahead of ours is fine; one from the far future is forged
_SKEW = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class TokenCheck:
    """The verdict on a token: ``ok``, else ``problem`` says why not."""

    ok: bool
    purpose: str = ""
    issued: datetime | None = None
    problem: str = ""


def is_command_token(detail: str) -> bool:
    """Return whether a plus-address detail claims to be a command token (valid or not)."""
    return detail.lower().startswith(PREFIX)


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, rest = divmod(number, 36)
        digits = _DIGITS[rest] + digits
        if number == 0:
            return digits


def _signature(secret: bytes, purpose: str, issued: str) -> str:
    mac = hmac.new(secret, f"intake-command|{purpose}|{issued}".encode(), hashlib.sha256)
    return base64.b32encode(mac.digest()[:_SIG_BYTES]).decode("ascii").lower()


def mint(secret: bytes, purpose: str, issued: datetime) -> str:
    """Return a token for *purpose* (lower-case letters) issued at *issued*."""
    if not re.fullmatch(r"[a-z]{1,12}", purpose):
        raise ValueError(f"token purpose must be 1-12 lower-case letters, got {purpose!r}")
    stamp = _base36(int(issued.timestamp()))
    return f"{PREFIX}{purpose}-{stamp}-{_signature(secret, purpose, stamp)}"


def verify(secret: bytes, token: str, *, now: datetime, valid_for: timedelta) -> TokenCheck:
    """Check *token*'s shape, signature and age."""
    found = _SHAPE.match(token.lower())
    if found is None:
        return TokenCheck(False, problem="malformed command token")
    purpose, stamp, signature = found.groups()
    if not hmac.compare_digest(signature, _signature(secret, purpose, stamp)):
        return TokenCheck(False, problem="command token with a bad signature")
    issued = datetime.fromtimestamp(int(stamp, 36), UTC)
    if issued > now + _SKEW:
        return TokenCheck(False, purpose, issued, "command token issued in the future")
    if now - issued > valid_for:
        days = valid_for.days or valid_for.total_seconds() / 86400
        return TokenCheck(
            False,
            purpose,
            issued,
            f"command token expired (issued {issued:%Y-%m-%d}, valid {days} days)",
        )
    return TokenCheck(True, purpose, issued)
