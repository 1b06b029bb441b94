"""Test kit for the editors' desk tests: letters that do and do not name an article,
and an editor's answer to a message of ours."""

from __future__ import annotations

import email
import email.policy
import email.utils
from email.message import EmailMessage
from pathlib import Path

BUS = "https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/"
RENT = "https://www.news.test/housing/2025/02/why-rent-stabilization-still-matters-in-2025/"
LIBRARY = "https://www.news.test/education/2025/02/what-the-library-cuts-will-cost-our-children/"


# different enough that only letters n and n + 4 look like a campaign
_OPINIONS = (
    (
        "I have lived in this neighbourhood for eleven years, and I can tell you that the\n"
        "problem is not what the city says it is: I have watched the same promises made and\n"
        "broken by three administrations in a row. I disagree that residents leave by choice."
    ),
    (
        "As a retired teacher I find it hard to believe that nobody at the council has read\n"
        "the budget lines in question. I urge your readers to look at the figures themselves\n"
        "before they accept the official story; I certainly did, and they do not add up."
    ),
    (
        "My family has run a shop on this street since 1962. We have seen floods, fires and\n"
        "two recessions, but never a decision as careless as this one. I disagree: your reporter\n"
        "should have asked one shopkeeper before writing that everyone here is in favour."
    ),
    (
        "I was disappointed that the piece left out the people most affected: the night-shift\n"
        "workers who depend on the service after midnight. I believe a paper like yours\n"
        "should ask them what they think, and I hope you will follow up with their views."
    ),
)


def letter(n: int, url: str = "", *, extra: str = "", writer: str = "") -> bytes:
    """A reader's letter; without *url* it names no article of the catalogue."""
    writer = writer or f"Reader Number{n}"
    msg = EmailMessage()
    msg["From"] = f"{writer} <reader{n}@example.net>"
    msg["To"] = "letters@news.test"
    msg["Subject"] = f"About your reporting ({n})"
    msg["Message-ID"] = f"<letter{n}.{len(url)}@example.net>"
    msg["Date"] = "Fri, 27 Nov 2026 18:00:00 -0500"
    about = (
        f"I read your article ({url}) with growing frustration."
        if url
        else "I read your paper every morning with growing frustration."
    )
    msg.set_content(
        f"Dear Editor:\n\n{about} {_OPINIONS[n % len(_OPINIONS)]}{extra}\n\n"
        f"{writer}\nBrooklyn, N.Y.\n"
    )
    return msg.as_bytes()


def read(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def text_of(msg: EmailMessage) -> str:
    body = msg.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def answer(to_msg: EmailMessage, lines: str, *, sender: str = "Ed Itor <editor@news.test>",
           to: str = "", headers: dict[str, str] | None = None) -> bytes:  # fmt: skip
    """An editor's reply to *to_msg*: new lines on top, the original quoted below."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to or str(to_msg["Reply-To"])
    msg["Subject"] = "Re: " + str(to_msg["Subject"])
    msg["Message-ID"] = email.utils.make_msgid(domain="news.test")
    msg["In-Reply-To"] = str(to_msg["Message-ID"])
    msg["References"] = str(to_msg["Message-ID"])
    msg["Date"] = "Sat, 28 Nov 2026 10:00:00 +0000"
    for name, value in (headers or {}).items():
        msg[name] = value
    quoted = "\n".join("> " + line for line in text_of(to_msg).splitlines())
    msg.set_content(f"{lines}\n\nOn Sat, 28 Nov 2026, The Nation Letters wrote:\n{quoted}\n")
    return msg.as_bytes()
