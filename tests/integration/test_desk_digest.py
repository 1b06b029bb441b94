"""The editors' desk on a real Dovecot + Postfix: a day of mail, the digest, commands by email.

A day of mixed mail (letters naming sample articles, letters naming none,
auto-replies, newsletters, bounces) goes to letters@ by SMTP and is polled
over IMAP; the digest reaches editor@news.test's mailbox; the editor answers
it by SMTP with three commands, which are carried out, answered by mail and
written to the audit trail.  A stranger, or a forged reply address, changes
nothing.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import json
import re
from collections import Counter
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from deskrun import DeskRun, parse
from mailtools import MailStack, fetch_all, send, wait_for, wait_for_queue_empty

DATA = Path(__file__).resolve().parents[1] / "data" / "mail"
EDITOR = "editor@news.test"
LIBRARY = "https://www.news.test/education/2025/02/what-the-library-cuts-will-cost-our-children/"
# articles by author1@ and author2@, the two authors with mailboxes on the test stack
ARTICLES = (
    "https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/",
    "https://www.news.test/housing/2025/02/why-rent-stabilization-still-matters-in-2025/",
    "https://www.news.test/city/2024/10/inside-the-fight-over-the-riverside-rezoning/",
    "https://www.news.test/climate/2024/07/who-gets-to-breathe-clean-air-on-the-east-side/",
    "https://www.news.test/city/2025/03/congestion-pricing-one-year-later/",
    "https://www.news.test/politics/2024/09/why-our-elections-still-need-paper-ballots/",
    "https://www.news.test/city/2024/10/police-overtime-is-eating-the-city-budget/",
)
OPINIONS = (
    (
        "I have lived in this neighbourhood for eleven years, and I can tell you that the problem\n"
        "is not what the city says it is. I disagree that residents leave by choice."
    ),
    (
        "As a retired teacher I find it hard to believe that nobody at the council has read the\n"
        "budget lines in question. I urge your readers to look at the figures themselves."
    ),
    (
        "My family has run a shop on this street since 1962. We have seen floods, fires and two\n"
        "recessions. I believe your reporter should have asked one shopkeeper before writing."
    ),
    (
        "I was disappointed that the piece left out the night-shift workers who depend on the\n"
        "service after midnight. I think a paper like yours should ask them what they think."
    ),
)
MACHINE = (
    sorted((DATA / "auto_reply").glob("*.eml"))
    + sorted((DATA / "bulk").glob("*.eml"))
    + (sorted((DATA / "bounce").glob("*.eml")))
)


def letter(n: int, url: str = "") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"Reader Number{n} <reader{n}@example.net>"
    msg["To"] = "letters@news.test"
    msg["Subject"] = f"About your reporting ({n})"
    msg["Message-ID"] = email.utils.make_msgid(idstring=f"day{n}", domain="example.net")
    msg["Date"] = email.utils.formatdate(localtime=True)
    about = f"I read your article ({url}) closely." if url else "I read your paper every day."
    msg.set_content(
        f"Dear Editor:\n\n{about} {OPINIONS[n % 4]}\n\nReader Number{n}\nAstoria, N.Y.\n"
    )
    return msg


def machine(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def queue(desk: DeskRun) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(desk.intake("queue", "--json").stdout)
    return items


def text_of(msg: EmailMessage) -> str:
    body = msg.get_body(("plain",))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")


def answer(digest: EmailMessage, lines: str, *, sender: str = EDITOR) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"The Editor <{sender}>"
    msg["To"] = str(digest["Reply-To"])
    msg["Subject"] = "Re: " + " ".join(str(digest["Subject"]).split())
    msg["Message-ID"] = email.utils.make_msgid(domain="news.test")
    msg["In-Reply-To"] = str(digest["Message-ID"])
    msg["References"] = str(digest["Message-ID"])
    msg["Date"] = email.utils.formatdate(localtime=True)
    quoted = "\n".join("> " + line for line in text_of(digest).splitlines())
    msg.set_content(f"{lines}\n\nOn {digest['Date']}, {digest['From']} wrote:\n{quoted}\n")
    return msg


def editor_mail(stack: MailStack, count: int) -> list[EmailMessage]:
    return [parse(raw) for _, raw, _ in wait_for(stack, EDITOR, lambda m: len(m) >= count)]


def test_a_day_of_mail_the_digest_and_three_commands_by_email(
    stack: MailStack, desk: DeskRun
) -> None:
    day: list[EmailMessage] = [letter(n, ARTICLES[n % len(ARTICLES)]) for n in range(1, 15)]
    day += [letter(n) for n in range(15, 21)]
    day += [machine(p) for p in MACHINE]
    assert len(day) >= 30
    for msg in day:
        send(stack, "reader@news.test", "letters@news.test", msg)
    wait_for(stack, "letters@news.test", lambda m: len(m) == len(day), timeout=30)

    out = desk.intake("poll", "--once").stdout
    assert f"fetched={len(day)}" in out and "letters=20" in out
    items = queue(desk)
    counts = Counter(i["state"] for i in items)
    assert len(items) == 20 and counts["needs_review"] >= 6 and counts["awaiting_author"] >= 12

    # the digest, on demand, arrives in the editor's mailbox over IMAP
    assert "queued=1" in desk.intake("digest", "--now").stdout
    (digest,) = editor_mail(stack, 1)
    assert digest["To"].addresses[0].addr_spec == EDITOR
    assert digest.get_body(("html",)) is not None
    reply_to = str(digest["Reply-To"])
    assert re.fullmatch(r"letters\+c-digest-[0-9a-z]+-[a-z2-7]{24}@news\.test", reply_to)
    text = text_of(digest)
    for state, n in counts.items():
        assert re.search(rf"^  {state.replace('_', ' ')} +{n}$", text, re.MULTILINE), (state, n)
    assert re.search(rf"^  total +{len(items)}$", text, re.MULTILINE)
    assert (
        "NEW LETTERS (20)" in text and f"WAITING ON AUTHORS ({counts['awaiting_author']})" in text
    )
    for item in items:  # every letter is listed with the command to act on it
        assert f"L-{item['id']} " in text
    review = [i["id"] for i in items if i["state"] == "needs_review"]
    waiting = [i["id"] for i in items if i["state"] == "awaiting_author"]
    # a letter naming no article is offered "assign N URL", or its best guess's URL when
    # its words share a title's rarer words (a candidate for the editor, not a match)
    assert re.search(rf"assign {review[0]} (?:URL|https://www\.news\.test/\S+)(?:\s|$)", text)
    assert f"hold {waiting[0]}" in text

    # the editor answers with three commands
    a, b, c = review[0], review[1], waiting[0]
    commands = f"assign {a} {LIBRARY}\nreject {b} off-topic\nhold {c} legal check"
    reply = answer(digest, commands)
    send(stack, EDITOR, reply_to, reply)
    wait_for(stack, "letters@news.test", lambda m: len(m) == len(day) + 1)
    out = desk.intake("poll", "--once").stdout
    assert "replies=0" in out and "held=0" in out
    states = {i["id"]: i["state"] for i in queue(desk)}
    assert (states[a], states[b], states[c]) == ("awaiting_author", "rejected", "held")

    # ... is answered by mail ...
    result = editor_mail(stack, 2)[1]
    assert result["In-Reply-To"] == reply["Message-ID"]
    body = text_of(result)
    assert body.count("done    ") == 3 and "FAILED" not in body
    assert f"letter {b} rejected: off-topic" in body and f"letter {c} held: legal check" in body
    # ... the new author request for letter a goes out ...
    author1 = wait_for(stack, "author1@news.test",
                       lambda m: any(f"[L-{a}]" in str(parse(r)["Subject"]) for _, r, _ in m))  # fmt: skip
    assert author1
    # ... and the audit log shows each, naming the editor
    for letter_id, event in ((a, "released"), (b, "rejected"), (c, "held")):
        trail = json.loads(desk.intake("show", str(letter_id), "--json").stdout)["audit"]
        assert any(t["event"] == event and t["actor"] == EDITOR for t in trail), trail

    # a stranger using the same reply address changes nothing and hears nothing back
    before = queue(desk)
    d = waiting[1]
    send(stack, "reader@news.test", reply_to, answer(digest, f"reject {d}",
                                                     sender="reader@news.test"))  # fmt: skip
    # so does the editor with a forged reply address; the editor is told
    forged = answer(digest, f"reject {d}")
    forged.replace_header("To", "letters+c-digest-zzzzzz-aaaaaaaaaaaaaaaaaaaaaaaa@news.test")
    send(stack, EDITOR, str(forged["To"]), forged)
    wait_for(stack, "letters@news.test", lambda m: len(m) == len(day) + 3)
    desk.intake("poll", "--once")
    after = queue(desk)
    assert [(i["id"], i["state"], len(i["audit"])) for i in after] == [
        (i["id"], i["state"], len(i["audit"])) for i in before
    ]
    held = desk.intake("queue", "--held").stdout
    assert "reader@news.test is not an editor" in held
    assert "bad signature" in held
    refusal = editor_mail(stack, 3)[2]
    assert "Nothing was changed" in text_of(refusal)
    wait_for_queue_empty(stack)
    assert fetch_all(stack, "reader@news.test") == []
