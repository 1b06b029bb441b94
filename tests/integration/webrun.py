"""Test kit: the real ``intake web`` on the embedded default (SQLite, Maildir, outbox folder).

Writes a config, puts mail into the Maildir, runs ``python -m intake …`` as an
operator would, starts ``intake web`` on a free port and stops it afterwards.
Headless Chromium is Debian's ``chromium``, driven by Playwright.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
CHROMIUM = "/usr/bin/chromium"
EDITOR = "editor@news.test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def parse(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


@dataclass(frozen=True)
class WebDesk:
    workdir: Path
    port: int

    @property
    def config(self) -> Path:
        return self.workdir / "intake.toml"

    @property
    def data(self) -> Path:
        return self.workdir / "data"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def intake(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "intake", "--config", str(self.config), *args],
            cwd=self.workdir, capture_output=True, text=True, timeout=120,
            stdin=subprocess.DEVNULL, check=False, env=_env(),
        )  # fmt: skip
        assert result.returncode == 0, f"intake {args}: {result.stdout}\n{result.stderr}"
        return result

    def deliver(self, raw: bytes) -> None:
        new = self.data / "inbox" / "new"
        name = f"{time.time():.6f}.{uuid.uuid4().hex}.test"
        (new / name).write_bytes(raw)

    def outbox(self) -> list[EmailMessage]:
        files = sorted((self.data / "outbox").glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
        return [parse(p.read_bytes()) for p in files]

    def links_to(self, address: str) -> list[str]:
        """The sign-in links mailed to *address*, oldest first."""
        found = []
        for msg in self.outbox():
            if address in str(msg["To"]) and "Sign in" in str(msg["Subject"]):
                body = msg.get_body(("plain",))
                assert body is not None
                found += [w for w in body.get_content().split() if "/signin/" in w]
        return found

    def new_link_to(self, address: str, after: int, seconds: float = 10) -> str:
        """The sign-in link mailed to *address* once it had *after* of them: the desk answers
        first and makes the link after, so it may take a moment to arrive."""
        deadline = time.monotonic() + seconds
        while len(links := self.links_to(address)) <= after:
            assert time.monotonic() < deadline, f"no new sign-in link for {address}"
            time.sleep(0.05)
        return links[-1]

    def answer_requests(self, text: str) -> int:
        """Each author asked answers *text*, quoting the request, as mail clients do."""
        answered = 0
        for request in self.outbox():
            if not request["X-Intake-Letter"] or "Re:" in str(request["Subject"])[:3]:
                continue
            body = request.get_body(("plain",))
            assert body is not None
            quoted = "\n".join(f"> {line}" for line in body.get_content().splitlines())
            reply = EmailMessage()
            reply["From"] = request["To"]
            reply["To"] = request["Reply-To"]
            reply["Subject"] = f"Re: {request['Subject']}"
            reply["Message-ID"] = email.utils.make_msgid(domain="author.test")
            reply["In-Reply-To"] = request["Message-ID"]
            reply["Date"] = email.utils.formatdate()
            reply.set_content(f"{text}\n\nOn a weekday, The Nation Letters wrote:\n{quoted}\n")
            self.deliver(reply.as_bytes())
            answered += 1
        return answered


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}


def make_web_desk(workdir: Path, catalogue: Path | None = None, extra: str = "") -> WebDesk:
    workdir.mkdir(parents=True, exist_ok=True)
    desk = WebDesk(workdir, free_port())
    desk.config.write_text(
        f"""
[desk]
publication = "The Nation"
address = "letters@news.test"
editors = ["{EDITOR}"]
data_dir = "data"
[articles]
source = "{catalogue or SAMPLES / "articles.csv"}"
[publish]
format = "html"
[web]
port = {desk.port}
{extra}
""",
        encoding="utf-8",
    )
    desk.intake("init")
    return desk


@contextmanager
def serving(desk: WebDesk, command: str = "web") -> Iterator[subprocess.Popen[bytes]]:
    """``intake web`` (or *command*, e.g. ``run`` with ``[web] enabled``) running until the
    block ends."""
    log = (desk.workdir / "web.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "intake", "--config", str(desk.config), command],
        cwd=desk.workdir, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env=_env(),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", desk.port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, (desk.workdir / "web.log").read_text()
                assert time.monotonic() < deadline, "intake web did not start in 30 s"
                time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
