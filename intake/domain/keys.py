"""Reply keys: the per-letter secret carried in a plus address.

A request to an author says ``Reply-To: letters+KEY@example.org``.  KEY is
128 random bits in lower-case base32 (26 characters), so it survives mail
systems that fold the case of local parts.  The database binds each key to
its letter, the address it was sent to and an expiry; this module only mints
keys and finds them in addresses.  Pure apart from the random source.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Iterable

KEY_BYTES = 16
KEY_LENGTH = 26  # base32 of 16 bytes, unpadded
_KEY_RE = re.compile(rf"^[a-z2-7]{{{KEY_LENGTH}}}$")


def mint_key() -> str:
    """Return a fresh random reply key (128 bits)."""
    return base64.b32encode(secrets.token_bytes(KEY_BYTES)).decode("ascii").rstrip("=").lower()


def is_well_formed(key: str) -> bool:
    """Return whether *key* has the shape of a key we mint."""
    return bool(_KEY_RE.match(key))


def plus_address(desk_address: str, key: str) -> str:
    """Return ``local+key@domain`` for the desk's address."""
    local, _, domain = desk_address.partition("@")
    return f"{local}+{key}@{domain}"


def keys_in(addresses: Iterable[str], desk_address: str) -> tuple[str, ...]:
    """Return the ``+detail`` parts of *addresses* sent to the desk, in order.

    Only addresses on the desk's own local part and domain count; the detail
    is returned lower-cased whether or not it is well formed, so that the
    caller can tell a tampered key from no key at all.
    """
    local, _, domain = desk_address.lower().partition("@")
    found: dict[str, None] = {}
    for address in addresses:
        a_local, _, a_domain = address.lower().partition("@")
        base, plus, detail = a_local.partition("+")
        if plus and detail and base == local and a_domain == domain:
            found.setdefault(detail, None)
    return tuple(found)
