"""Golden files for the desk's other mail: reminder, writer acknowledgement, editor notice,
command results.  Fixed inputs; regenerate with ``--update-golden`` and read the diff."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from intake.app.emailcommands import Result
from intake.printing.render import Renderer

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
renderer = Renderer(TEMPLATES)
Golden = Callable[[str, str], None]


def test_reminder(golden: Golden) -> None:
    text, html = renderer.mail(
        "reminder",
        publication="The Nation",
        author_name="Michelle Chen",
        article_title="Is New York City Partnering With ICE to Rip Apart Immigrant Communities?",
        writer_name="Maibe Ponet",
        deadline_on="3 December 2026",
        reply_address="letters+abcdefghijklmnopqrstuvwxyz@news.test",
        letter_ref="L-1",
    )
    golden(text, "mail/reminder.txt")
    golden(html, "mail/reminder.html")
    assert all(len(line) <= 72 for line in text.splitlines() if "@" not in line)


def test_writer_acknowledgement_with_and_without_missing_details(golden: Golden) -> None:
    asking, _ = renderer.mail(
        "writer_ack",
        publication="The Nation",
        writer_name="Maibe",
        subject="Is New York City Partnering With ICE to Rip Apart Immigrant Communities?",
        missing=["your full name", "the town or city you live in"],
        letter_ref="L-1",
    )
    golden(asking, "mail/writer_ack_asking.txt")
    plain, _ = renderer.mail(
        "writer_ack", publication="The Nation", writer_name="Ada Reader", subject="",
        missing=[], letter_ref="L-2",
    )  # fmt: skip
    golden(plain, "mail/writer_ack.txt")
    assert "we need" not in plain and "we need" in asking


def test_editor_notice_escapes_nothing_and_wraps(golden: Golden) -> None:
    text, _ = renderer.mail(
        "editor_notice",
        headline="Our author request to michelle.chen@news.test bounced.",
        details=["michelle.chen@news.test (5.1.1, failed): 550 5.1.1 User unknown"],
        action="The letter is back in the review queue: find another address for the author, "
        "or decide on the letter without a response.",
        letter_ref="L-1",
        subject="Re: <b>ICE</b> & the city",
        writer="Maibe Ponet",
        publication="The Nation",
    )
    golden(text, "mail/editor_notice.txt")
    assert "<b>ICE</b> & the city" in text  # plain text: no HTML escaping


def test_command_results(golden: Golden) -> None:
    done = renderer.as_written(
        "mail/command_result.txt",
        publication="The Nation",
        refused="",
        results=[Result("approve 12", True, "letter 12 approved"),
                 Result("assign 14 https://www.news.test/a/very/long/url/that/must/stay/on/one/line/",
                        False, "letter 14 is published: nothing to assign")],
        ignored=["hello"],
        help=True,
        valid_days=7,
    )  # fmt: skip
    golden(done, "mail/command_result.txt")
    assert "https://www.news.test/a/very/long/url/that/must/stay/on/one/line/" in done
    refused = renderer.as_written(
        "mail/command_result.txt", publication="The Nation", refused="expired command token.",
        results=[], ignored=[], help=False, valid_days=7,
    )  # fmt: skip
    golden(refused, "mail/command_result_refused.txt")
    assert "Nothing was changed" in refused
