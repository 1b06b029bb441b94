"""``[web] enabled = true``: ``intake run`` serves the web desk from the same process.

On the embedded default the worker polls the Maildir and the desk answers on
``web.port``; a letter dropped into the inbox shows in the queue the desk
serves, and SIGTERM stops both.
"""

from __future__ import annotations

import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from webrun import SAMPLES, make_web_desk, serving


def test_intake_run_serves_the_desk_beside_the_worker(tmp_path: Path) -> None:
    desk = make_web_desk(tmp_path / "desk", extra="enabled = true\n[schedule]\npoll_seconds = 1\n")
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    with serving(desk, "run") as process:
        with opener.open(f"{desk.url}/signin", timeout=10) as answer:
            assert answer.status == 200
            assert answer.headers["Content-Security-Policy"].startswith("default-src 'none'")
        desk.deliver((SAMPLES / "inbox" / "02-letter-by-link.eml").read_bytes())
        deadline = time.monotonic() + 30
        while not any("X-Intake-Letter" in m for m in desk.outbox()):
            assert time.monotonic() < deadline, (desk.workdir / "web.log").read_text()
            time.sleep(0.2)  # the worker polled and asked the author
        process.terminate()
        assert process.wait(timeout=15) == 0
