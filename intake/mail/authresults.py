"""Authentication-Results (RFC 8601): did our own server see DMARC or DKIM fail?

Only results stamped with *our* authserv-id count: any sender can write an
Authentication-Results header of their own, and RFC 8601 §5 asks receiving
servers to remove forged ones carrying their id.  Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_COMMENT_RE = re.compile(r"\([^()]*\)")
_RESULT_RE = re.compile(r"^\s*([a-z0-9-]+)\s*=\s*([a-z]+)", re.IGNORECASE)
FAILING = frozenset({"fail", "permerror"})
CHECKED = ("dmarc", "dkim")


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthResult:
    authserv_id: str
    method: str  # dmarc, dkim, spf, …
    result: str  # pass, fail, none, …


def parse(value: str) -> tuple[AuthResult, ...]:
    """Parse one Authentication-Results header value (comments ignored)."""
    text = _COMMENT_RE.sub(" ", value)
    parts = [p.strip() for p in text.split(";")]
    if not parts or not parts[0]:
        return ()
    # "authserv-id [version]"
    server = parts[0].split()[0].lower()
    results = []
    for part in parts[1:]:
        found = _RESULT_RE.match(part)
        if found:
            results.append(
                AuthResult(
                    authserv_id=server, method=found.group(1).lower(), result=found.group(2).lower()
                )
            )
    return tuple(results)


def failures(headers: Iterable[str], authserv_id: str) -> tuple[str, ...]:
    """Return "dmarc=fail"-style findings stamped by *authserv_id* for DMARC and DKIM.

    A DKIM failure counts only when no DKIM signature passed: a message may
    carry several signatures, and one valid one is enough.
    """
    if not authserv_id:
        return ()
    ours = [r for value in headers for r in parse(value) if r.authserv_id == authserv_id.lower()]
    found: list[str] = []
    for method in CHECKED:
        results = [r.result for r in ours if r.method == method]
        if any(r in FAILING for r in results) and not (method == "dkim" and "pass" in results):
            found.append(f"{method}={next(r for r in results if r in FAILING)}")
    return tuple(found)
