"""A letter in another language is a letter (issue 17): salutations and references to a
piece in Spanish, French, Portuguese and German count as they do in English."""

from __future__ import annotations

import pytest

from intake.domain.model import Category
from intake.mail.parse import parse_message
from intake.sorting.classify import DeskIdentity, classify
from intake.sorting.letterscore import score_content

DESK = DeskIdentity(address="letters@news.test")


@pytest.mark.parametrize(
    ("salutation", "reference"),
    [
        ("Estimado editor:", "Su artículo sobre el puerto olvida a los pescadores."),
        ("Señor director:", "Su columna sobre el puerto olvida a los pescadores."),
        ("Madame, Monsieur,", "Votre article sur le port oublie les pêcheurs."),
        ("Caro editor,", "O seu artigo sobre o porto esquece os pescadores."),
        ("Sehr geehrte Redaktion,", "Ihr Artikel über den Hafen vergisst die Fischer."),
    ],
)
def test_a_letter_in_another_language_has_a_letters_signs(salutation: str, reference: str) -> None:
    score = score_content("", f"{salutation}\n\n{reference}\n\nMarta Ruiz\nPuerto Viejo\n")
    assert any(r.startswith("opens with") for r in score.letter_reasons)
    assert any(r.startswith("refers to a published piece") for r in score.letter_reasons)


def test_a_spanish_letter_is_classified_a_letter() -> None:
    body = (
        "Estimado editor:\r\n\r\nLeí su artículo sobre el cierre de la biblioteca los domingos."
        " En nuestro barrio no hay otro lugar donde los niños puedan estudiar en silencio, y"
        " muchas familias trabajan toda la semana. Pido al concejo que busque el dinero en"
        " otra parte y que mantenga abiertas las puertas el domingo.\r\n\r\n"
        "Atentamente,\r\nLucía Ferrer\r\nNorthgate\r\n"
    )
    raw = (
        "From: Lucía Ferrer <lferrer@example.org>\r\nTo: letters@news.test\r\n"
        "Subject: La biblioteca\r\nDate: Tue, 4 Nov 2025 10:00:00 -0500\r\n"
        "Message-ID: <lang-test@example.org>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body
    ).encode()
    assert classify(parse_message(raw), DESK).category is Category.letter


def test_an_english_sentence_with_su_or_votre_is_not_a_reference() -> None:
    score = score_content("", "Su Li and I went to the harbour; votre is French for your.")
    assert not any(r.startswith("refers to a published piece") for r in score.letter_reasons)
