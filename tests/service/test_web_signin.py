"""Signing in to the web desk (HTTP level, embedded default, fake clock).

An editor's address gets a link through the outbox, anyone else the same
answer and no mail; a link works once and briefly; sessions end at sign-out
and expiry; every form needs its CSRF token; every response carries the
security headers; sign-in requests are limited per address and per client.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from deskkit import Desk, make_desk
from sqlmodel import select
from starlette.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send
from webkit import ask_link, client, csrf_of, mailed_links, sign_in

from intake.adapters.store import AuditRow, WebLinkRow
from intake.web.guard import CSP
from intake.web.routes import build_app
from intake.worker import web_context

EDITOR = "editor@news.test"


@pytest.fixture
def web_desk(tmp_path: Path) -> Desk:
    return make_desk(tmp_path, extra='[web]\nbase_url = "https://desk.news.test"\n')


def _path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_an_editor_signs_in_from_the_mailed_link(web_desk: Desk) -> None:
    web = client(web_desk)
    assert web.get("/queue").headers["location"].startswith("/signin?next=")
    assert ask_link(web, "  Editor@News.Test ") == 200
    links = mailed_links(web_desk, EDITOR)
    assert len(links) == 1 and links[0].startswith("https://desk.news.test/signin/")
    page = web.get(_path(links[0]))  # a mail scanner's GET uses nothing up
    assert page.status_code == 200 and "Sign in" in page.text
    done = web.post(_path(links[0]), data={"csrf": csrf_of(page.text), "next": "/queue"})
    assert done.status_code == 303 and done.headers["location"] == "/queue"
    cookie = done.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    assert "Queue" in web.get("/queue").text
    with web_desk.deps.store.session() as s:
        events = [(a.event, a.actor) for a in s.exec(select(AuditRow)).all()]
        stored = [row.token_hash for row in s.exec(select(WebLinkRow)).all()]
    assert ("web_link_sent", EDITOR) in events and ("web_signed_in", EDITOR) in events
    token = links[0].rsplit("/", 1)[1]
    assert token not in stored and len(stored) == 1  # only the hash is kept


def test_a_stranger_gets_the_same_answer_and_no_mail(web_desk: Desk) -> None:
    web = client(web_desk)
    before = list(web_desk.outbox_files())
    page = web.get("/signin")
    stranger = web.post("/signin", data={"csrf": csrf_of(page.text), "address": "x@evil.test"})
    editor = web.post("/signin", data={"csrf": csrf_of(page.text), "address": EDITOR})
    assert stranger.status_code == editor.status_code == 200
    assert _without_values(stranger.text) == _without_values(editor.text)
    new = [p for p in web_desk.outbox_files() if p not in before]
    assert len(new) == 1 and mailed_links(web_desk, "x@evil.test") == []


def test_the_answer_goes_out_before_a_link_is_made(web_desk: Desk) -> None:
    # an editor's answer must not take longer than a stranger's (a database write, the
    # SMTP round trip): the link is made and mailed only once the page has been sent
    app = build_app(web_context(web_desk.settings, web_desk.deps))
    links_when_answered: list[int] = []

    async def watched(scope: Scope, receive: Receive, send: Send) -> None:
        async def watch(message: Message) -> None:
            if scope["method"] == "POST" and message["type"] == "http.response.body":
                links_when_answered.append(len(mailed_links(web_desk, EDITOR)))
            await send(message)

        await app(scope, receive, watch)

    web = TestClient(watched, base_url=web_desk.settings.web.url, follow_redirects=False)
    assert ask_link(web, EDITOR) == 200
    assert links_when_answered == [0]
    assert len(mailed_links(web_desk, EDITOR)) == 1


def _without_values(page: str) -> str:
    return re.sub(r'value="[^"]*"', "", page)


def test_a_link_works_once(web_desk: Desk) -> None:
    sign_in(web_desk, client(web_desk))
    link = _path(mailed_links(web_desk, EDITOR)[-1])
    again = client(web_desk)
    page = again.get(link)
    refused = again.post(link, data={"csrf": csrf_of(page.text)})
    assert refused.status_code == 403 and "not valid any more" in refused.text
    assert again.get("/queue").status_code == 303


def test_an_expired_or_forged_link_signs_no_one_in(web_desk: Desk) -> None:
    web = client(web_desk)
    ask_link(web, EDITOR)
    link = _path(mailed_links(web_desk, EDITOR)[-1])
    web_desk.clock.advance(minutes=16)  # link_minutes = 15
    page = web.get(link)
    assert web.post(link, data={"csrf": csrf_of(page.text)}).status_code == 403
    forged = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    page = web.get(forged)
    assert web.post(forged, data={"csrf": csrf_of(page.text)}).status_code == 403
    assert web.get("/queue").status_code == 303


def test_sessions_expire_and_sign_out_ends_them(web_desk: Desk) -> None:
    web = client(web_desk)
    sign_in(web_desk, web)
    assert web.get("/queue").status_code == 200
    web_desk.clock.advance(hours=11, minutes=59)
    assert web.get("/queue").status_code == 200
    web_desk.clock.advance(minutes=2)  # session_hours = 12
    assert web.get("/queue").status_code == 303

    web = client(web_desk)
    sign_in(web_desk, web)
    cookie = web.cookies.get("intake_session")
    page = web.get("/queue")
    assert web.post("/signout", data={"csrf": csrf_of(page.text)}).status_code == 303
    replay = client(web_desk)
    replay.cookies.set("intake_session", cookie or "")
    assert replay.get("/queue").status_code == 303  # the old cookie opens nothing


def test_every_form_needs_its_csrf_token(web_desk: Desk) -> None:
    web = client(web_desk)
    web.get("/signin")
    assert web.post("/signin", data={"address": EDITOR}).status_code == 403
    assert web.post("/signin", data={"address": EDITOR, "csrf": "x" * 32}).status_code == 403
    assert mailed_links(web_desk, EDITOR) == []
    sign_in(web_desk, web)
    assert web.post("/signout", data={"csrf": "wrong"}).status_code == 403
    page = web.get("/queue")
    foreign = web.post("/signout", data={"csrf": csrf_of(page.text)},
                       headers={"origin": "https://evil.test"})  # fmt: skip
    assert foreign.status_code == 403
    assert web.get("/queue").status_code == 200  # still signed in


def test_every_response_carries_the_security_headers(web_desk: Desk) -> None:
    web = client(web_desk)
    for path in ("/signin", "/queue", "/static/desk.css", "/nowhere"):
        headers = web.get(path).headers
        assert headers["content-security-policy"] == CSP, path
        assert headers["referrer-policy"] == "same-origin"
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP


def test_sign_in_requests_are_limited_per_address_and_per_client(web_desk: Desk) -> None:
    web = client(web_desk)
    codes = [ask_link(web, EDITOR) for _ in range(7)]
    assert codes == [200] * 5 + [429] * 2  # requests_per_hour = 5, the same for strangers
    assert len(mailed_links(web_desk, EDITOR)) == 5
    assert [ask_link(web, "who@else.test") for _ in range(6)][-1] == 429
    web_desk.clock.advance(hours=1, seconds=1)
    assert ask_link(web, "who@else.test") == 200
    # one client asking for many addresses is stopped too (4 × the per-address limit)
    other = client(web_desk)
    answers = [ask_link(other, f"a{n}@else.test") for n in range(21)]
    assert answers[0] == 200 and answers[-1] == 429


def test_no_error_page_drops_the_headers_or_tells_what_went_wrong(
    web_desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_app(web_context(web_desk.settings, web_desk.deps))
    web = TestClient(app, base_url=web_desk.settings.web.url, follow_redirects=False,
                     raise_server_exceptions=False)  # fmt: skip
    sign_in(web_desk, web)
    page = web.get("/queue")
    huge = "9" * 30  # past any database integer: no page, not a database error
    for answer in (web.get(f"/letters/{huge}"),
                   web.post(f"/letters/{huge}/approve", data={"csrf": csrf_of(page.text)}),
                   web.post(f"/held/{huge}/dismiss", data={"csrf": csrf_of(page.text)})):  # fmt: skip
        assert answer.status_code == 404
        assert answer.headers["content-security-policy"] == CSP

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("secret detail from the database")

    monkeypatch.setattr("intake.app.webdesk.queue_page", broken)
    failed = web.get("/queue")
    assert failed.status_code == 500 and "secret detail" not in failed.text
    assert failed.headers["content-security-policy"] == CSP
    assert failed.headers["x-content-type-options"] == "nosniff"
    assert failed.headers["cache-control"] == "no-store"
