"""RFC 3676 format=flowed read back into the writer's lines (intake.mail.flowed, intake.mail.parse)."""

from __future__ import annotations

from intake.mail.flowed import unflow
from intake.mail.parse import parse_message
from intake.printing.letterbody import prepare_letter


def test_soft_breaks_join_and_hard_breaks_stay() -> None:
    text = (
        "The depot will not \nclose in March, \nwhatever the notice says.\n\nJane Marlow\nEastbay\n"
    )

    assert unflow(text) == (
        "The depot will not close in March, whatever the notice says.\n\nJane Marlow\nEastbay\n"
    )


def test_with_delsp_the_space_before_a_soft_break_is_the_clients() -> None:
    # DelSp=yes: the client added one space before each soft break; the text's own is kept.
    text = (
        "The depot will not  \nclose in March, whatever the notice says.\nSplit in-\u200b \nword.\n"
    )

    assert unflow(text, delsp=True) == (
        "The depot will not close in March, whatever the notice says.\nSplit in-\u200bword.\n"
    )


def test_quoted_lines_join_only_at_their_own_depth_and_stuffing_is_removed() -> None:
    text = (
        "> The city said the routes \n> would stay.\n>> An older \n>> quote.\n"
        " From the depot, \nnothing.\n-- \nAda\n"
    )

    assert unflow(text) == (
        "> The city said the routes would stay.\n>> An older quote.\n"
        "From the depot, nothing.\n-- \nAda\n"
    )


def test_a_soft_line_before_a_depth_change_ends_its_paragraph() -> None:
    assert unflow("> quoted and soft \nnew text\n") == "> quoted and soft \nnew text\n"


def _mail(params: str, body: str, encoding: str = "8bit") -> bytes:
    return (
        "From: Jane Marlow <jane@example.org>\r\nTo: letters@news.test\r\nSubject: Buses\r\n"
        "Message-ID: <flowed@example.org>\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset=utf-8{params}\r\n"
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n{body}"
    ).encode()


def test_a_flowed_letter_is_parsed_into_whole_paragraphs() -> None:
    body = "Your article said the \r\ndepot would close.\r\n\r\nIt will not.\r\n"

    assert parse_message(_mail("; format=flowed", body)).text == (
        "Your article said the depot would close.\n\nIt will not.\n"
    )
    assert parse_message(_mail("; format=flowed; delsp=yes", body)).text == (
        "Your article said thedepot would close.\n\nIt will not.\n"
    )


def test_a_flowed_quoted_printable_letter_is_decoded_then_unflowed() -> None:
    body = "Caf=C3=A9 owners say the \r\nrent doubled.=20\r\nTwice.\r\n"

    parsed = parse_message(_mail("; format=flowed", body, "quoted-printable"))

    assert parsed.text == "Café owners say the rent doubled. Twice.\n"


def test_a_letter_that_is_not_flowed_keeps_its_trailing_spaces_as_newlines() -> None:
    body = "Your article said the \r\ndepot would close.\r\n"

    assert parse_message(_mail("", body)).text == body.replace("\r\n", "\n")


def test_a_flowed_letter_signed_with_contact_lines_prints_none_of_them() -> None:
    # the case from issue 12: the street address of a flowed sign-off reached print
    body = (
        "Your article said the depot would close in March, and the drivers I ride \r\n"
        "with every evening say nobody has told them.\r\n\r\n"
        "Martin Cole\r\n41 Linden Avenue\r\nSpringfield, IL 62704\r\n(217) 555-0190\r\n"
        "martin.cole@example.com\r\n"
    )
    mail = parse_message(_mail("; format=flowed", body))

    letter = prepare_letter(mail.text, sender_name="Martin")

    assert letter.paragraphs == (
        (
            "Your article said the depot would close in March, and the drivers I ride with "
            "every evening say nobody has told them."
        ),
    )
    assert letter.signature == ("Martin Cole", "Springfield, IL")
    assert (letter.contact.street, letter.contact.phone) == ("41 Linden Avenue", "(217) 555-0190")
