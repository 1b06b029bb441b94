"""Test kit: run the real `intake` command against the test mail stack.

Writes a config that points intake at the stack (IMAP STARTTLS as letters@,
SMTP STARTTLS from loopback), runs `python -m intake …` as a subprocess the
way an operator would, and empties mailboxes between tests.
"""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from mailtools import MailStack, imap_session

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
USERS = ("letters@news.test", "editor@news.test", "author1@news.test", "author2@news.test",
         "reader@news.test", "reader2@news.test")  # fmt: skip


@dataclass(frozen=True)
class DeskRun:
    config: Path
    workdir: Path
    env: dict[str, str]

    def intake(
        self, *args: str, fault: str = "", check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        env = dict(self.env)
        if fault:
            env["INTAKE_FAULT"] = fault
        result = subprocess.run(
            [sys.executable, "-m", "intake", "--config", str(self.config), *args],
            cwd=self.workdir, env=env, capture_output=True, text=True, timeout=120,
            stdin=subprocess.DEVNULL, check=False,
        )  # fmt: skip
        if check and result.returncode != 0:
            raise AssertionError(
                f"intake {' '.join(args)} exited {result.returncode}\n"
                f"stdout: {result.stdout}\nstderr: {result.stderr}"
            )
        return result


def desk_config(stack: MailStack, workdir: Path, *, database_url: str = "", smtp_port: int = 0,
                folder: str = "INBOX", extra: str = "") -> DeskRun:  # fmt: skip
    workdir.mkdir(parents=True, exist_ok=True)
    database = f'[database]\nurl = "{database_url}"\n' if database_url else ""
    text = f"""
[desk]
publication = "The Nation"
address = "letters@news.test"
editors = ["editor@news.test"]
data_dir = "data"

[imap]
host = "{stack.host}"
port = {stack.imap_port}
security = "starttls"
username = "letters@news.test"
password_env = "INTAKE_IMAP_PASSWORD"
folder = "{folder}"
ca_file = "{stack.ca_file}"

[smtp]
host = "{stack.host}"
port = {smtp_port or stack.smtp_port}
security = "starttls"
ca_file = "{stack.ca_file}"
timeout_seconds = 10

[articles]
source = "{SAMPLES / "articles.csv"}"

{database}
{extra}
"""
    config = workdir / "intake.toml"
    config.write_text(text, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")}
    env["INTAKE_IMAP_PASSWORD"] = stack.password("letters@news.test")
    return DeskRun(config=config, workdir=workdir, env=env)


def empty_mailboxes(stack: MailStack) -> None:
    """Delete every message of every test user (test cleanup, not intake's doing)."""
    for user in USERS:
        with imap_session(stack, user) as client:
            for folder in ("INBOX",):
                client.select_folder(folder)
                uids = client.search("ALL")
                if uids:
                    client.delete_messages(uids)
                    client.expunge()


def parse(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def reader_letter(article_url: str, *, writer: str = "Rosa Delgado", sender: str = "",
                  n: int = 0) -> EmailMessage:  # fmt: skip
    """A reader's letter; numbered ones come from writers of their own (``reader+n@``, the
    reader's mailbox), since one writer's further letters on an article wait for an editor."""
    msg = EmailMessage()
    sender = sender or (f"reader+{n}@news.test" if n else "reader@news.test")
    msg["From"] = f"{writer} <{sender}>"
    msg["To"] = "letters@news.test"
    msg["Subject"] = (
        f"Your article on the city's buses ({n})" if n else "Your article on the city's buses"
    )
    msg["Message-ID"] = email.utils.make_msgid(idstring=f"letter{n}", domain="news.test")
    msg["Date"] = email.utils.formatdate(localtime=True)
    msg.set_content(
        "Dear Editor:\n\n"
        f"I read your article ({article_url}) with growing frustration. I have ridden the\n"
        "number 14 bus to work for eleven years, and I can tell you the problem is not\n"
        "traffic but the depot: I have watched buses sit idle for want of a mechanic.\n\n"
        "I disagree with the suggestion that riders are abandoning the system by choice.\n"
        "We are being pushed out of it, one cancelled morning run at a time. The city\n"
        "should fund the maintenance shop before it buys another shiny electric bus.\n\n"
        f"{writer}\nBrooklyn, N.Y.\n"
    )
    return msg


def author_reply(request: EmailMessage, text: str, *, sender: str = "") -> EmailMessage:
    reply = EmailMessage()
    reply["From"] = sender or str(request["To"])
    reply["To"] = str(request["Reply-To"])
    reply["Subject"] = "Re: " + str(request["Subject"])
    reply["Message-ID"] = email.utils.make_msgid(domain="news.test")
    reply["In-Reply-To"] = str(request["Message-ID"])
    reply["References"] = str(request["Message-ID"])
    reply["Date"] = email.utils.formatdate(localtime=True)
    body = request.get_body(("plain",))
    assert body is not None
    quoted = "\n".join("> " + line for line in body.get_content().splitlines())
    reply.set_content(f"{text}\n\nOn {request['Date']}, {request['From']} wrote:\n{quoted}\n")
    return reply
