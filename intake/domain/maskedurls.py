"""Passwords in URLs: never shown.

A database URL may carry its password (``postgresql://intake:s3cret@db/intake``),
and a library's error message may repeat the URL it was given.  Whatever the
command line prints or logs passes :func:`mask_passwords` first, which keeps
the URL and its user name and replaces the password with ``***``.

The pattern starts at the literal ``://`` and stops at the first ``/``,
``@`` or whitespace, so no two attempts scan the same text: linear in the
text.  Pure.
"""

from __future__ import annotations

import re

MASK = "***"
# scheme://user:password@host — the user part may be empty (":password@" alone)
_USERINFO_WITH_PASSWORD = re.compile(r"://([^\s/@:]*):([^\s/@]*)@")


def mask_passwords(text: str) -> str:
    """*text* with the password of every ``scheme://user:password@…`` URL in it masked."""
    return _USERINFO_WITH_PASSWORD.sub(lambda m: f"://{m[1]}:{MASK}@", text)
