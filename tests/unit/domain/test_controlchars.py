"""Control characters: removed from what we write, made visible in what we print."""

from __future__ import annotations

import json
import time

from hostile import CONTROL_CODES, NASTY, controls_in

from intake.domain.controlchars import json_escaped, multiline, one_line, visible

EVERY_CONTROL = "".join(map(chr, sorted(CONTROL_CODES)))
PROSE = "Zoë Ångström-Núñez, 北京, عربي \u200f, 🚌 “quoted” – fine"


def test_one_line_removes_every_control_and_turns_line_breaks_into_spaces() -> None:
    assert controls_in(one_line(EVERY_CONTROL + NASTY)) == []
    assert one_line("Re: buses\r\nBcc: victim@example.org") == "Re: buses Bcc: victim@example.org"
    assert one_line("a\tb\nc\u2028d\x85e") == "a b c d e"
    assert one_line("Dana\x1b]0;owned\x07 Whit\x00field\x7f") == "Dana]0;owned Whitfield"


def test_multiline_keeps_newlines_and_tabs_only() -> None:
    assert multiline("Dear Editor:\r\n\r\n\tThe\x1b[2J bus\x07 is late.\rYes.\x9b") == (
        "Dear Editor:\n\n\tThe[2J bus is late.\nYes."
    )
    assert controls_in(multiline(EVERY_CONTROL)) == []


def test_ordinary_text_passes_untouched() -> None:
    assert one_line(PROSE) == multiline(PROSE) == visible(PROSE) == PROSE


def test_visible_shows_each_control_as_an_escape() -> None:
    assert visible("a\x1b[31mred\x07\x7f\x9b\u202eb") == "a\\x1b[31mred\\x07\\x7f\\x9b\\u202eb"
    assert visible("line one\r\nline two\tend") == "line one\nline two\tend"
    assert visible("over\rwrite") == "over\\x0dwrite"
    assert controls_in(visible(EVERY_CONTROL + NASTY)) == []


def test_json_escaped_is_the_same_data_and_terminal_safe() -> None:
    document = {"subject": NASTY + "\u2028" + EVERY_CONTROL, "name": PROSE}
    text = json_escaped(json.dumps(document, ensure_ascii=False, indent=2))
    assert controls_in(text) == [] and "\u2028" not in text
    assert json.loads(text) == document
    assert PROSE in text  # readable text stays readable


def test_the_work_is_linear_in_the_text() -> None:
    hostile = ("\x1b[2J" + "a" * 7 + "\r\n") * 200_000  # 2.2 MB
    started = time.perf_counter()
    for clean in (one_line, multiline, visible):
        clean(hostile)
    assert time.perf_counter() - started < 5
