"""Test kit for the web desk: its app on a desk of the embedded default, a browser-like client
signed in from the link found in the outbox folder."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default as default_policy

from deskkit import Desk
from starlette.testclient import TestClient

from intake.web.routes import build_app
from intake.worker import web_context

LINK = re.compile(r"https?://[^\s/]+/signin/([A-Za-z0-9_\-.]+)(\?next=\S+)?")


def client(desk: Desk) -> TestClient:
    """A client of the desk's web app, at the address editors open (``web.url``)."""
    app = build_app(web_context(desk.settings, desk.deps))
    return TestClient(app, base_url=desk.settings.web.url, follow_redirects=False)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def version_of(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found, "no version on the page"
    return found.group(1)


def mailed_links(desk: Desk, to: str) -> list[str]:
    """The sign-in links mailed to *to* (outbox files), oldest first."""
    links = []
    for path in sorted(desk.outbox_files(), key=lambda p: p.stat().st_mtime_ns):
        msg = message_from_bytes(path.read_bytes(), policy=default_policy)
        if to not in str(msg["To"]) or "Sign in" not in str(msg["Subject"]):
            continue
        body = msg.get_body(("plain",))
        assert body is not None
        links += [m.group(0) for m in LINK.finditer(body.get_content())]
    return links


def ask_link(web: TestClient, address: str) -> int:
    page = web.get("/signin")
    answer = web.post("/signin", data={"csrf": csrf_of(page.text), "address": address})
    return answer.status_code


def sign_in(desk: Desk, web: TestClient, address: str = "editor@news.test") -> None:
    assert ask_link(web, address) == 200
    link = mailed_links(desk, address)[-1]
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = web.get(f"/{path}")
    done = web.post(page.url.path, data={"csrf": csrf_of(page.text), "next": "/queue"})
    assert done.status_code == 303, done.text
