"""Authentication-Results (RFC 8601): did our own server see DMARC or DKIM fail?

Only the results our own server stamped count.  Anyone can write an
Authentication-Results header carrying our authserv-id into the mail they
send; what they write sits *below* the trace lines our server adds on
receipt, because every hop adds its lines at the top.  So, as RFC 8601 §5
advises consumers, only the topmost group is read: the headers with our
authserv-id from the top of the message down to the ``Received`` line that
follows the first of them (the hop by which the message reached the server
that stamped it).  ``Received`` lines above them (delivery hops such as
LMTP) are passed over.  Among those results any failure wins; a header with
our id further down is ignored, whatever it says.  When our server stamped
nothing, the first group found may be a sender's: harmless here, since only
failures are read and a forger gains nothing by failing their own mail, but
the MTA should still strip incoming headers with our id (RFC 8601 §5).
Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_COMMENT_RE = re.compile(r"\([^()]*\)")
_RESULT_RE = re.compile(r"^\s*([a-z0-9-]+)\s*=\s*([a-z]+)", re.IGNORECASE)
FAILING = frozenset({"fail", "permerror"})
CHECKED = ("dmarc", "dkim")
HEADER = "authentication-results"
RECEIVED = "received"


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


def stamped_by_us(trace: Sequence[tuple[str, str]], authserv_id: str) -> tuple[AuthResult, ...]:
    """Return the results our server stamped: the topmost group with *authserv_id*.

    *trace* is the message's ``(name, value)`` header pairs in order, top
    first (other headers may be among them and are passed over).
    """
    ours = authserv_id.lower()
    found: list[AuthResult] = []
    for name, value in trace:
        name = name.lower()
        if name == RECEIVED and found:
            break  # the hop into the server that stamped them: all below is the sender's
        if name == HEADER:
            found.extend(r for r in parse(value) if r.authserv_id == ours)
    return tuple(found)


def failures(trace: Sequence[tuple[str, str]], authserv_id: str) -> tuple[str, ...]:
    """Return "dmarc=fail"-style findings our server stamped for DMARC and DKIM.

    Any failing result among our server's wins: a passing one next to it
    never cancels it.
    """
    if not authserv_id:
        return ()
    ours = stamped_by_us(trace, authserv_id)
    found: list[str] = []
    for method in CHECKED:
        failed = [r.result for r in ours if r.method == method and r.result in FAILING]
        if failed:
            found.append(f"{method}={failed[0]}")
    return tuple(found)
