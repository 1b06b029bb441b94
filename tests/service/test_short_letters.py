"""A short letter that names one of the catalogue's articles goes to its author, not to review."""

from __future__ import annotations

from deskkit import Desk

from intake.worker import tick

SHORT_LETTER = (
    "From: Rosa Keller <rosa@example.org>\nTo: letters@news.test\nSubject: Your bus piece\n"
    "Message-ID: <short-1@example.org>\nDate: Sat, 28 Nov 2026 08:00:00 +0000\n"
    "Content-Type: text/plain; charset=utf-8\nMIME-Version: 1.0\n\n"
    "Loved “The Quiet Collapse of the City’s Bus Network”. The 12 line is worse than you "
    "said.\n\nRosa Keller\nYonkers, N.Y.\n"
).encode()


def test_a_short_letter_naming_an_article_asks_its_author(desk: Desk) -> None:
    desk.deliver(SHORT_LETTER)
    result = tick(desk.deps)
    assert "letters=1" in result["poll"], result
    (letter,) = desk.deps.store.letters()
    assert letter.state == "awaiting_author"
    (request,) = desk.outbox_files()
    assert b"author1@news.test" in request.read_bytes()
