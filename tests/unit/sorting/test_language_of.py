"""The language a letter is written in, by its function words."""

from __future__ import annotations

import pytest

from intake.sorting.languages import language_of

SAMPLES = {
    "English": "I read your article on the depot and I think that the council was wrong to "
    "approve it without a vote of the people who live next to it.",
    "Spanish": "Leí su artículo sobre el depósito y creo que el concejo se equivocó al "
    "aprobarlo sin consultar a los vecinos que viven al lado de las obras.",
    "French": "J'ai lu votre article sur le dépôt et je pense que le conseil a eu tort de "
    "l'approuver sans consulter les voisins qui vivent à côté du chantier.",
    "Portuguese": "Li o seu artigo sobre o depósito e acho que a câmara errou ao aprová-lo "
    "sem ouvir os vizinhos que moram ao lado das obras, como sempre.",
    "German": "Ich habe Ihren Artikel über das Depot gelesen und finde, dass der Rat es "
    "nicht ohne die Nachbarn hätte beschließen dürfen, die an der Baustelle wohnen.",
    "Italian": "Ho letto il vostro articolo sul deposito e penso che il consiglio abbia "
    "sbagliato ad approvarlo senza sentire i vicini che abitano accanto al cantiere.",
    "Dutch": "Ik heb uw artikel over het depot gelezen en ik vind dat de raad het niet "
    "had mogen goedkeuren zonder de buren die naast de bouwplaats wonen.",
}


@pytest.mark.parametrize("language", sorted(SAMPLES))
def test_each_language_is_told_by_its_function_words(language: str) -> None:
    assert language_of(SAMPLES[language]) == language


def test_too_little_text_is_no_language() -> None:
    assert language_of("Bravo!") is None
    assert language_of("") is None


def test_linear_on_a_long_text() -> None:
    assert language_of("el los del " * 50_000) == "Spanish"
