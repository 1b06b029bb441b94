"""Reading an editor's command lines: quotes skipped, copied decoration tolerated."""

from __future__ import annotations

from intake.app.emailcommands import parse_commands


def test_commands_with_reasons_urls_and_letter_refs() -> None:
    commands, ignored = parse_commands(
        "approve 12\n"
        "Reject L-13 off-topic, and rude\n"
        "assign 14 https://www.news.test/city/x/\n"
        "publish #15.\n"
        "hold 16\n"
        "accept R-7 12\n"
    )
    assert ignored == []
    assert [(c.verb, c.target, c.rest) for c in commands] == [
        ("approve", "12", ""),
        ("reject", "L-13", "off-topic, and rude"),
        ("assign", "14", "https://www.news.test/city/x/"),
        ("publish", "#15", ""),
        ("hold", "16", ""),
        ("accept", "R-7", "12"),
    ]


def test_quoted_lines_and_chatter_are_not_commands() -> None:
    commands, ignored = parse_commands(
        "Thanks, doing these now:\n\n- approve 3\n• Reply:  reject 4\n> approve 99\n>> hold 98\n"
        "approve\napprove the lot\n"
    )
    assert [(c.verb, c.target) for c in commands] == [("approve", "3"), ("reject", "4"),
                                                      ("approve", "the")]  # fmt: skip
    assert ignored == ["Thanks, doing these now:", "approve"]
