"""A forward as each common client writes it: the note, the forwarded From, Subject and text."""

from __future__ import annotations

import pytest

from intake.sorting.forwards import forwarded

LETTER = "Dear Editor,\n\nThe depot plan ignores the school next door.\n\nAda Reader\nEastbay"

GMAIL = f"""Sending this on for my mother.

---------- Forwarded message ---------
From: Ada Reader <ada@example.org>
Date: Sat, Nov 22, 2025 at 10:40 AM
Subject: depot letter
To: Kofi <kofi@example.org>

{LETTER}
"""
THUNDERBIRD = f"""Meant for letters.

-------- Forwarded Message --------
Subject: depot letter
Date: Thu, 13 Nov 2025 22:10:00 -0500
From: Ada Reader <ada@example.org>
To: sports@news.test

{LETTER}
"""
APPLE = f"""FYI

Begin forwarded message:

From: Ada Reader <ada@example.org>
Subject: depot letter
Date: 22 November 2025 at 10:40:00 GMT-5
To: Kofi <kofi@example.org>

{LETTER}
"""
OUTLOOK = f"""Please print my friend's letter.

________________________________
From: Reader, Ada <ada@example.org>
Sent: Saturday, November 22, 2025 10:40 AM
To: Kofi Mensah <kofi@example.org>
Subject: depot letter

{LETTER}
"""
OUTLOOK_BARE = f"""See below.

From: Ada Reader [mailto:ada@example.org]
Sent: Saturday, November 22, 2025 10:40 AM
To: Kofi Mensah
Subject: depot letter

{LETTER}
"""
QUOTED = "Forwarding.\n\n-------- Forwarded Message --------\n" + "\n".join(
    f"> {line}"
    for line in (
        "Subject: depot letter\nFrom: Ada Reader <ada@example.org>\n\n" + LETTER
    ).splitlines()
)


@pytest.mark.parametrize("body", [GMAIL, THUNDERBIRD, APPLE, OUTLOOK, OUTLOOK_BARE, QUOTED])
def test_each_clients_forward_gives_the_writer_subject_and_letter(body: str) -> None:
    found = forwarded(body)
    assert found is not None
    assert found.sender is not None and found.sender.email == "ada@example.org"
    assert found.subject == "depot letter"
    assert found.text == LETTER
    assert found.note and "Dear Editor" not in found.note


def test_a_forward_without_an_address_keeps_the_name() -> None:
    found = forwarded(GMAIL.replace("From: Ada Reader <ada@example.org>", "From: Ada Reader"))
    assert found is not None and found.sender is None and found.sender_name == "Ada Reader"


@pytest.mark.parametrize(
    "body",
    [
        LETTER,
        "From: the desk of a reader\n\nI disagree with your editorial.",  # no Sent, no Subject
        "________________________________\nA rule, then no headers.\n",
    ],
)
def test_a_body_that_forwards_nothing(body: str) -> None:
    assert forwarded(body) is None


def test_linear_on_many_marker_lines() -> None:
    body = "---------- Forwarded message ---------\n" * 20_000
    assert forwarded(body) is None
