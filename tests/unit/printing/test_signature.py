"""Tests for intake.printing.signature and intake.app.printfields: the writer's sign-off as fields editors correct."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from intake.adapters.store import LetterRow, loads
from intake.app import printfields
from intake.domain.model import Address, ParsedMail
from intake.printing.letterbody import prepare_letter
from intake.printing.signature import contact_details, town_of

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("signature", "town"),
    [
        (("Ada Lovelace", "London"), "London"),
        (("Zoë Nguyễn-Ibáñez", "Zürich"), "Zürich"),
        (("Gerald Finch", "Mount Vernon, N.Y."), "Mount Vernon, N.Y."),
        (("Doris Albrecht", "Astoria, Queens"), "Astoria, Queens"),
        (("Ana Lima", "Portland, Ore."), "Portland, Ore."),
        (("Rosa Delgado", "Night-shift nurse", "Queens, NY"), "Queens, NY"),
        (("Maibe Ponet", "Deputy Press Secretary", "Mayor Bill de Blasio’s Office"), ""),
        (("Ada Lovelace", "Professor of Mathematics"), ""),
        (("Ada Lovelace", "Amnesty International"), ""),
        (("Ada Lovelace", "retired teacher"), ""),
        (("London",), ""),  # a single line is the name, never the town
        ((), ""),
    ],
)
def test_the_town_is_the_last_line_when_it_names_a_place(
    signature: tuple[str, ...], town: str
) -> None:
    assert town_of(signature) == town


def test_contact_details_are_collected_not_printed() -> None:
    lines = ["Ada Lovelace", "Tel: (212) 555-0143", "221B Baker Street, Apt. 4",
             "ada@example.org", "Brooklyn, NY 11201"]  # fmt: skip

    details = contact_details(lines)

    assert details.phone == "(212) 555-0143"
    assert details.street == "221B Baker Street, Apt. 4"
    assert details.emails == ("ada@example.org",)


def test_a_letter_yields_its_signature_town_and_private_details() -> None:
    text = (
        "Your article missed the point about the depot.\n\n"
        "Sincerely,\nRosa Delgado\nNight-shift nurse\n1428 Elm Street\n"
        "Phone 718-555-0199\nQueens, NY 11101\n"
    )

    body = prepare_letter(text, sender_name="Rosa Delgado")

    assert body.signature == ("Rosa Delgado", "Night-shift nurse", "Queens, NY")
    assert body.town == "Queens, NY"
    assert body.contact.phone == "718-555-0199"
    assert body.contact.street == "1428 Elm Street"


@pytest.mark.parametrize(
    ("paragraph", "kept"),
    [
        ("Call me on (718) 555-0199 any time. The depot is short-staffed.",
         "The depot is short-staffed."),
        ("Write to rosa@example.org if you doubt it. I counted forty buses.",
         "I counted forty buses."),
        ("From 1990-2000 the fleet grew by 14,000 seats.",
         "From 1990-2000 the fleet grew by 14,000 seats."),
        ("The route number is 2014 and the depot opened in 1987.",
         "The route number is 2014 and the depot opened in 1987."),
    ],
)  # fmt: skip
def test_sentences_giving_contact_details_are_left_out_of_print(paragraph: str, kept: str) -> None:
    body = prepare_letter(f"{paragraph}\n\nRosa Delgado\n", sender_name="Rosa Delgado")

    assert body.paragraphs == (kept,)


def _mail(text: str, name: str = "Rosa Delgado") -> ParsedMail:
    return ParsedMail(
        message_id="m1@example.org",
        has_message_id=True,
        sender=Address(name=name, email="rosa@example.org"),
        text=text,
    )


def _letter() -> LetterRow:
    return LetterRow(raw_id=1, message_id="m1@example.org", writer_name="Rosa Delgado",
                     writer_email="rosa@example.org", subject="Buses", body="", confidence=0.9,
                     received_at=NOW, updated_at=NOW)  # fmt: skip


def test_print_fields_are_filled_when_a_letter_is_taken() -> None:
    letter = _letter()

    printfields.fill_print_fields(
        letter, _mail("The depot is empty.\n\nRosa Delgado\nTel. 718-555-0199\nQueens, NY\n")
    )

    assert loads(letter.signature) == ["Rosa Delgado", "Queens, NY"]
    assert letter.writer_town == "Queens, NY"
    assert letter.writer_phone == "718-555-0199"
    assert letter.dek == ""


def test_a_parser_failure_never_loses_the_letter(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(printfields, "prepare_letter", broken)
    letter = _letter()

    printfields.fill_print_fields(letter, _mail("The depot is empty."))

    assert letter.signature == "[]" and letter.writer_town == ""
    assert printfields.stored_signature(letter) is None
