"""sort_mail: a forward carrying a letter is the letter; anything else forwarded stays other."""

from __future__ import annotations

from dataclasses import replace

from intake.domain.model import Address, Category, ParsedMail
from intake.mail.parse import parse_message
from intake.sorting.classify import DeskIdentity
from intake.sorting.sortmail import sort_mail

DESK = DeskIdentity(address="letters@news.test")
LETTER = (
    "Dear Editor,\n\nYour article on the depot ignores the school next door. I believe the "
    "council should hear the parents before it votes, and I urge it to delay the decision "
    "until the traffic study is published.\n\nAda Reader\nEastbay"
)
RELEASE = (
    "FOR IMMEDIATE RELEASE\n\nAcme opens a new depot.\n\nMedia contact: press@acme.example\n\n###"
)


def _forward(inner: str, sender: str = "kofi@example.org") -> ParsedMail:
    text = (
        "Passing this on.\n\n---------- Forwarded message ---------\n"
        "From: Ada Reader <ada@example.org>\nSubject: depot\nTo: kofi@example.org\n\n" + inner
    )
    return ParsedMail(
        message_id="f@example.org",
        has_message_id=True,
        sender=Address(name="Kofi Mensah", email=sender),
        subject="Fwd: depot",
        text=text,
    )


def test_a_forwarded_letter_is_the_writers_letter_with_the_forwarder_noted() -> None:
    got = sort_mail(_forward(LETTER), DESK)
    assert got.verdict.category is Category.letter
    assert (
        got.verdict.reasons[0] == "forwards a letter (forwarded by Kofi Mensah <kofi@example.org>)"
    )
    assert got.letter.sender == Address(name="Ada Reader", email="ada@example.org")
    assert got.letter.text == LETTER and got.letter.subject == "depot"
    assert got.forwarded_by == Address(name="Kofi Mensah", email="kofi@example.org")
    assert [f.code for f in got.findings] == ["forwarded"]


def test_a_forwarded_press_release_stays_other_and_the_mail_as_it_came() -> None:
    mail = _forward(RELEASE)
    got = sort_mail(mail, DESK)
    assert got.verdict.category is Category.other
    assert got.letter is mail and got.forwarded_by is None


def test_our_own_mail_forwarded_back_is_never_unwrapped() -> None:
    got = sort_mail(_forward(LETTER, sender="letters@news.test"), DESK)
    assert got.verdict.category is Category.other and got.forwarded_by is None


def test_a_letter_in_spanish_is_noted_with_its_language() -> None:
    text = (
        "Estimado editor:\n\nLeí su artículo sobre el cierre de la biblioteca los domingos. En "
        "nuestro barrio no hay otro lugar donde los niños puedan estudiar, y muchas familias "
        "trabajan toda la semana. Pido al concejo que mantenga las puertas abiertas.\n\n"
        "Atentamente,\nLucía Ferrer\nNorthgate"
    )
    mail = ParsedMail(
        message_id="es@example.org",
        has_message_id=True,
        sender=Address(name="Lucía Ferrer", email="lf@example.org"),
        subject="La biblioteca",
        text=text,
    )
    got = sort_mail(mail, DESK)
    assert got.verdict.category is Category.letter
    assert [str(f) for f in got.findings] == ["language: written in Spanish"]


def test_an_outlook_reply_quoting_an_original_message_is_not_a_forward() -> None:
    text = (
        "Agreed.\n\n-----Original Message-----\nFrom: Ada Reader <ada@example.org>\n"
        "Sent: Monday, March 9, 2026 9:00 AM\nSubject: depot\n\n" + LETTER
    )
    mail = replace(_forward(LETTER), subject="RE: depot", text=text)
    got = sort_mail(mail, DESK)
    assert got.forwarded_by is None and got.letter is mail


def test_a_forwarded_newsletter_is_nobodys_letter() -> None:
    mail = _forward(LETTER)
    mail = replace(mail, text=mail.text.replace("Ada Reader <ada@", "The Post <newsletter@"))
    got = sort_mail(mail, DESK)
    assert got.forwarded_by is None and got.letter is mail


def test_a_letter_attached_whole_is_its_writers_and_the_note_decides_first() -> None:
    inner = (
        "From: Ada Reader <ada@example.org>\r\nSubject: depot\r\n\r\n"
        + LETTER.replace("\n", "\r\n")
        + "\r\n"
    )
    raw = (
        "From: Kofi Mensah <kofi@example.org>\r\nTo: letters@news.test\r\nSubject: letter\r\n"
        'Message-ID: <att@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="B"'
        "\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nSee attached, from my neighbour.\r\n"
        f"--B\r\nContent-Type: message/rfc822\r\n\r\n{inner}--B--\r\n"
    ).encode()
    got = sort_mail(parse_message(raw), DESK)
    assert got.verdict.category is Category.letter
    assert got.letter.sender == Address(name="Ada Reader", email="ada@example.org")
    assert got.letter.text == LETTER
    assert str(got.findings[0]).startswith("forwarded: forwarded by Kofi Mensah")
