"""Signing editors in to the web desk: a mailed link, good once and briefly, then a session.

An editor types an address.  Only an address in ``desk.editors`` gets mail: a
link carrying a token signed with HMAC-SHA256 (the key from ``web.secret_env``,
else generated once and kept in the database) and its expiry, stored only as
its SHA-256 so a copy of the database signs no one in.  It goes out through
the outbox like all desk mail.  Anyone else gets the same answer and no mail;
the caller cannot tell the two apart from what :func:`request_link` does to
the page (it returns whether mail was queued, for logs and tests only).

Following the link (:func:`redeem`) uses it up in one compare-and-set, so two
clicks, a replay or a second browser sign in at most once, and opens a
session: a random cookie token (stored as its hash) with its own CSRF token,
ending after ``web.session_hours`` or at sign-out.  An address taken off
``desk.editors`` loses its sessions and links at once.  Every sign-in, link
and sign-out leaves an audit row naming the editor.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import col, func, select, update

from intake.adapters.store import (
    DeskSecretRow,
    Store,
    WebLinkRow,
    WebSessionRow,
    aware,
    insert_ignore,
)
from intake.app.deps import Deps
from intake.app.outmail import DeskMail, queue_mail
from intake.app.work import Work, begin
from intake.domain.errors import IntakeError

log = logging.getLogger(__name__)

SECRET_NAME = "web_link_hmac_key"
PURPOSE = "web_signin"  # the outbox purpose of a sign-in link
_SIGNATURE_CHARS = 43  # an unpadded base64url SHA-256


class SignInRefused(IntakeError):
    """A sign-in link that is forged, used, expired, or not an editor's any more."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SignInRules:
    """The ``[web]`` settings sign-in works by."""

    base_url: str  # where editors open the desk, no trailing slash
    secret: str = ""  # "" : the key generated and kept in the database
    link_valid: timedelta
    session_valid: timedelta
    links_per_hour: int  # links mailed to one editor an hour, at most


@dataclass(frozen=True, slots=True)
class WebSession:
    """A signed-in browser: whose it is, its CSRF token, when it ends."""

    editor: str
    csrf: str
    expires_at: datetime
    token: str = ""  # the cookie's value; only when the session was just opened


def digest_of(token: str) -> str:
    """What is stored of a token: its SHA-256, so the database holds no usable secret."""
    return hashlib.sha256(token.encode()).hexdigest()


def _key(work: Work, rules: SignInRules) -> bytes:
    if rules.secret:
        return rules.secret.encode()
    s = work.session
    row = s.get(DeskSecretRow, SECRET_NAME)
    if row is None:  # insert-if-absent: a concurrent process's key wins, and both read it
        insert_ignore(s, DeskSecretRow, name=SECRET_NAME, value=secrets.token_hex(32),
                       created_at=work.now)  # fmt: skip
        row = s.get(DeskSecretRow, SECRET_NAME)
    assert row is not None
    return row.value.encode()


def _signature(key: bytes, body: str) -> str:
    digest = hmac.new(key, body.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def mint(key: bytes, expires_at: datetime) -> str:
    """A link token: ``<nonce>.<expiry, Unix seconds>.<HMAC of both>``."""
    body = f"{secrets.token_urlsafe(24)}.{int(expires_at.timestamp())}"
    return f"{body}.{_signature(key, body)}"


def verify(key: bytes, token: str, now: datetime) -> bool:
    """Whether *token* is one of ours (signature) and not past its expiry; constant time."""
    body, _, signature = token.rpartition(".")
    expiry = body.rpartition(".")[2]
    if len(signature) != _SIGNATURE_CHARS or not expiry.isdigit() or len(expiry) > 12:
        return False
    if not hmac.compare_digest(signature, _signature(key, body)):
        return False
    return datetime.fromtimestamp(int(expiry), UTC) > now


def normal_address(text: str) -> str:
    """An address as ``desk.editors`` holds it: stripped, lower-cased; "" for no address."""
    address = text.strip().lower()
    local, at, domain = address.partition("@")
    if not (local and at and "." in domain) or len(address) > 254:
        return ""
    if any(c.isspace() for c in address):
        return ""
    return address


def request_link(work: Work, typed: str, rules: SignInRules, then: str = "") -> bool:
    """Mail a sign-in link to *typed* if it is an editor's address (and under the hourly cap);
    *then* is the desk's page the link leads to after signing in (a path, quoted).

    Returns whether a link was queued; the page says the same either way.
    """
    deps, s, now = work.deps, work.session, work.now
    address = normal_address(typed)
    if address not in deps.policy.editors:
        log.info("web sign-in asked for an address that is not an editor's: no mail")
        return False
    recent = s.exec(
        select(func.count()).where(
            WebLinkRow.editor == address, col(WebLinkRow.created_at) > now - timedelta(hours=1)
        )
    ).one()
    if int(recent) >= rules.links_per_hour:
        Store.note(s, at=now, event="web_link_withheld", actor=address,
                   note=f"{rules.links_per_hour} sign-in links in the last hour: no more mailed")  # fmt: skip
        return False
    expires = now + rules.link_valid
    token = mint(_key(work, rules), expires)
    s.add(WebLinkRow(token_hash=digest_of(token), editor=address, created_at=now,
                     expires_at=expires))  # fmt: skip
    minutes = int(rules.link_valid.total_seconds() // 60)
    text = deps.renderer.as_written(
        "mail/web_signin.txt",
        publication=deps.policy.publication,
        url=f"{rules.base_url}/signin/{token}" + (f"?next={then}" if then else ""),
        minutes=minutes,
        desk_url=rules.base_url,
    )
    queue_mail(
        work,
        DeskMail(
            purpose=PURPOSE,
            tag="signin",
            letter_id=None,
            to=[("", address)],
            reply_to=deps.policy.desk_address,
            subject=f"Sign in to the {deps.policy.publication} letters desk",
            text=text,
        ),
    )
    Store.note(s, at=now, event="web_link_sent", actor=address,
               note=f"sign-in link mailed, good once for {minutes} minutes")  # fmt: skip
    return True


def redeem(work: Work, token: str, rules: SignInRules) -> WebSession:
    """Use up the link *token* and open a session for its editor.

    :raises SignInRefused: for a forged, expired or used link, or one whose
        address is no longer an editor's; nothing changes then.
    """
    deps, s, now = work.deps, work.session, work.now
    refused = SignInRefused("this sign-in link is not valid any more (links work once, "
                            f"for {int(rules.link_valid.total_seconds() // 60)} minutes): "
                            "ask for a new one")  # fmt: skip
    if len(token) > 200 or not verify(_key(work, rules), token, now):
        raise refused
    hashed = digest_of(token)
    link = s.get(WebLinkRow, hashed)
    if link is None or link.editor not in deps.policy.editors:
        raise refused
    expires = aware(link.expires_at)
    if expires is None or expires <= now:
        raise refused
    used = s.exec(
        update(WebLinkRow)
        .where(col(WebLinkRow.token_hash) == hashed, col(WebLinkRow.used_at).is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # used already, or by a concurrent click a moment ago
        raise refused
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    ends = now + rules.session_valid
    s.add(WebSessionRow(token_hash=digest_of(cookie), editor=link.editor, csrf=csrf,
                        created_at=now, expires_at=ends))  # fmt: skip
    Store.note(s, at=now, event="web_signed_in", actor=link.editor,
               note=f"signed in to the web desk until {ends:%Y-%m-%d %H:%M} UTC")  # fmt: skip
    return WebSession(link.editor, csrf, ends, token=cookie)


def session_of(deps: Deps, cookie: str) -> WebSession | None:
    """The live session whose cookie is *cookie*, or ``None`` (unknown, ended, expired, or
    its editor taken off ``desk.editors``)."""
    if not cookie or len(cookie) > 200:
        return None
    with begin(deps) as work:
        row = work.session.get(WebSessionRow, digest_of(cookie))
        if row is None or row.ended_at is not None or row.editor not in deps.policy.editors:
            return None
        expires = aware(row.expires_at)
        if expires is None or expires <= work.now:
            return None
        return WebSession(row.editor, row.csrf, expires)


def sign_out(work: Work, cookie: str) -> None:
    """End the session whose cookie is *cookie* (nothing happens for an unknown one)."""
    row = work.session.get(WebSessionRow, digest_of(cookie)) if cookie else None
    if row is None or row.ended_at is not None:
        return
    row.ended_at = work.now
    work.session.add(row)
    Store.note(work.session, at=work.now, event="web_signed_out", actor=row.editor,
               note="signed out of the web desk")  # fmt: skip
