"""The digest view: sections, counts, days left, commands per item, and the golden mail bodies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from intake.app.digest import (
    DigestInput,
    HeldFacts,
    LetterFacts,
    age_words,
    build_digest,
    commands_for,
    excerpt,
)
from intake.app.emailcommands import parse_commands
from intake.cli.main import build_parser
from intake.printing.render import Renderer
from intake.worker import data_path

NOW = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
LAST = NOW - timedelta(days=1)
BUS = "https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/"
RENT = "https://www.news.test/housing/2025/02/why-rent-stabilization-still-matters-in-2025/"


def letter(n: int, state: str, hours_ago: float, **kw: object) -> LetterFacts:
    base = LetterFacts(
        id=n,
        state=state,
        writer=f"Writer {n}",
        subject=f"Subject {n}",
        text="Dear Editor:\n\nI read your piece with care, and I have three objections to it. "
        "First, the depot. Second, the drivers. Third, the money, which nobody mentions.",
        received_at=NOW - timedelta(hours=hours_ago),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def sample() -> DigestInput:
    letters = [
        letter(1, "published", 300, article_title="The Quiet Collapse", article_url=BUS,
               author_email="author1@news.test"),
        letter(2, "needs_review", 40, candidates=(RENT,),
               findings=("word_limit: 412 words, over the limit of 250",)),
        letter(3, "response_received", 30, article_title="The Quiet Collapse", article_url=BUS,
               author_email="author1@news.test"),
        letter(4, "awaiting_author", 20, article_title="Why Rent Stabilization Still Matters",
               article_url=RENT, author_email="author2@news.test",
               deadline_at=NOW + timedelta(days=2, hours=3)),
        letter(5, "awaiting_author", 10, article_title="The Quiet Collapse", article_url=BUS,
               author_email="author1@news.test", deadline_at=NOW - timedelta(hours=1),
               campaign_id=5),
        letter(6, "needs_review", 5, writer="Rosa Delgado", subject="Buses",
               text="To the editor,\nMy phone is 555-0143 and the 14 bus is always late.",
               campaign_id=5),
        letter(7, "no_response", 2, article_title="Why Rent Stabilization Still Matters",
               article_url=RENT, author_email="author2@news.test"),
    ]  # fmt: skip
    held = [
        HeldFacts(raw_id=31, sender="Marcus <marcus@elsewhere.test>", subject="Re: your request",
                  note="sender marcus@elsewhere.test is not the author we wrote to "
                  "(author2@news.test)", letter_id=4, fetched_at=NOW - timedelta(hours=6)),
        HeldFacts(raw_id=33, sender="someone@news.test", subject="Re: hello",
                  note="unknown or tampered reply key 'x'", letter_id=None,
                  fetched_at=NOW - timedelta(minutes=30)),
    ]  # fmt: skip
    return DigestInput(
        publication="The Nation",
        now=NOW,
        timezone="America/New_York",
        since=LAST,
        letters=letters,
        held=held,
        quarantined=1,
        reply_address="letters+c-digest-tp7fo0-spqtzqbe5wal5lvkhzigyfrv@news.test",
        valid_days=7,
    )


def test_counts_sections_and_order() -> None:
    view = build_digest(sample())
    assert [(c.state, c.count) for c in view.counts] == [
        ("needs_review", 2), ("awaiting_author", 2), ("response_received", 1),
        ("no_response", 1), ("published", 1)]  # fmt: skip
    assert view.total == 7 and view.quarantined == 1
    # new since the last digest (24 h ago): letters 4..7, oldest first
    assert [i.ref for i in view.new] == ["L-4", "L-5", "L-6", "L-7"]
    # older letters an editor must decide on; the published one is not among them
    assert [i.ref for i in view.decide] == ["L-2", "L-3"]
    assert [w.ref for w in view.waiting] == ["L-5", "L-4"]  # nearest deadline first
    assert [h.ref for h in view.held] == ["R-31", "R-33"]
    assert view.subject == "The Nation letters desk, 28 November 2026: 4 new, 4 to decide, 2 held"
    assert view.date_label == "Saturday 28 November 2026"  # 03:00 in New York
    assert view.since_label == "27 November 2026, 03:00"


def test_days_left_and_passed_deadlines() -> None:
    view = build_digest(sample())
    late, soon = view.waiting
    assert soon.days_left == 2 and soon.when == "2 days left (until 30 November 2026)"
    assert late.days_left == 0 and late.when.startswith("deadline passed")


def test_every_item_names_the_command_that_moves_it_on() -> None:
    view = build_digest(sample())
    by_ref = {i.ref: i for i in (*view.new, *view.decide)}
    # best guess filled in
    assert by_ref["L-2"].commands == (f"assign 2 {RENT}", "show 2", "reject 2")
    assert by_ref["L-3"].commands == ("show 3", "approve 3", "reject 3")
    assert by_ref["L-4"].commands == ("hold 4", "reject 4")
    assert by_ref["L-7"].commands == ("show 7", "approve 7", "reject 7")
    assert by_ref["L-6"].commands == ("assign 6 URL", "show 6", "reject 6")
    assert view.held[0].commands == ("accept R-31", "dismiss R-31")
    assert view.held[1].commands == ("accept R-33 LETTER-ID", "dismiss R-33")
    with_article = letter(9, "needs_review", 1, article_url=BUS, author_email="a@n.test")
    assert commands_for(with_article) == ("show 9", "release 9", "approve 9", "reject 9")
    assert commands_for(replace(with_article, author_email="")) == (
        "show 9", "approve 9", "reject 9")  # fmt: skip
    for state in ("ready", "retracted", "response_received"):
        assert commands_for(letter(9, state, 1)) == ("show 9", "approve 9", "reject 9")
    assert commands_for(letter(9, "approved", 1)) == ("show 9", "hold 9")


def test_each_suggested_command_parses_as_a_command() -> None:
    view = build_digest(sample())
    lines = [c for i in (*view.new, *view.decide) for c in i.commands]
    lines += [c for h in view.held for c in h.commands]
    commands, ignored = parse_commands("\n".join(lines))
    assert ignored == [] and [c.line for c in commands] == lines


def test_every_command_the_digest_offers_works_by_email_and_on_the_command_line() -> None:
    """The digest says its commands work by email and on the command line, in the same
    words: each one it offers (the examples at the top, and under each item) must parse on
    both channels."""
    view = build_digest(sample())
    text = Renderer(data_path("templates")).as_written("mail/digest.txt", d=view)
    assert "The same commands work on the command line" in text
    examples = text[text.index("one command per line") : text.index("Only the editors")]
    offered = [line.strip().split("  ")[0] for line in examples.splitlines()[1:] if line.strip()]
    offered += [c for i in (*view.new, *view.decide) for c in i.commands]
    offered += [c for w in view.waiting for c in w.commands]
    offered += [c for h in view.held for c in h.commands]
    assert {line.split()[0] for line in offered} >= {"show", "approve", "set", "publish"}
    commands, ignored = parse_commands("\n".join(offered))
    assert ignored == [] and len(commands) == len(offered)
    parser = build_parser()
    for line in offered:
        try:
            args = parser.parse_args(["--config", "intake.toml", *line.split()])
        except SystemExit:
            pytest.fail(f"the digest offers {line!r}, which the command line does not take")
        assert args.func is not None, line


def test_flags_findings_and_campaigns() -> None:
    view = build_digest(sample())
    by_ref = {i.ref: i for i in (*view.new, *view.decide)}
    assert by_ref["L-2"].findings == ("word_limit: 412 words, over the limit of 250",)
    assert by_ref["L-5"].campaign == "first of a campaign"
    assert by_ref["L-6"].campaign == "campaign with L-5"
    assert by_ref["L-2"].article == "not found (best guess below)"
    assert by_ref["L-6"].article == "not found"


def test_first_digest_counts_everything_as_new_and_long_lists_are_capped() -> None:
    many = [letter(n, "needs_review", n) for n in range(1, 61)]
    view = build_digest(replace(sample(), since=None, letters=many, limit=25))
    assert view.since_label == "" and view.new_total == 60 and len(view.new) == 25
    assert view.new[0].ref == "L-60"  # oldest first
    assert view.decide_total == 0


def test_excerpt_drops_the_salutation_and_cuts_at_a_word() -> None:
    text = "Dear Editor,\n\n" + "word " * 100
    cut = excerpt(text, limit=40)
    assert not cut.startswith("Dear") and cut.endswith("…") and len(cut) <= 41
    assert excerpt("To the Editor:\nShort and sweet.") == "Short and sweet."
    assert excerpt("Hello,\nMy son is eleven.") == "My son is eleven."
    assert excerpt("Liebe Redaktion,\n\nIhr Artikel.") == "Ihr Artikel."
    # a first sentence that happens to end in a comma on its own line is not a greeting
    assert excerpt("I have lived here for forty years and, frankly,\nno more.").startswith("I have")


def test_age_words() -> None:
    assert age_words(NOW - timedelta(days=3, hours=5), NOW) == "3 days"
    assert age_words(NOW - timedelta(hours=1), NOW) == "1 hour"
    assert age_words(NOW - timedelta(seconds=20), NOW) == "under a minute"


def test_digest_golden_text_and_html(golden: Callable[[str, str], None]) -> None:
    renderer = Renderer(data_path("templates"))
    view = build_digest(sample())
    text = renderer.as_written("mail/digest.txt", d=view)
    html = renderer.as_written("mail/digest.html", d=view)
    golden(text, "digest/digest.txt")
    golden(html, "digest/digest.html")
    # prose stays within mail's line length; only command and URL lines may be longer
    for line in text.splitlines():
        assert len(line) <= 78 or "https://" in line, line
    # the letter is untrusted input: HTML-escaped in the HTML part
    hostile = replace(sample().letters[5], text="<script>alert(1)</script> & more")
    view = build_digest(replace(sample(), letters=[*sample().letters[:5], hostile]))
    html = renderer.as_written("mail/digest.html", d=view)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_ready_and_retracted_letters_are_counted_and_wait_for_an_editor() -> None:
    data = sample()
    waiting = [letter(8, "ready", 30, article_title="The Quiet Collapse", article_url=BUS),
               letter(9, "retracted", 30, article_title="The Quiet Collapse", article_url=BUS),
               letter(10, "approved", 30, article_title="The Quiet Collapse", article_url=BUS)]  # fmt: skip
    view = build_digest(replace(data, letters=[*data.letters, *waiting]))

    counts = {c.state: (c.label, c.count) for c in view.counts}
    assert counts["ready"] == ("ready", 1) and counts["retracted"] == ("retracted", 1)
    assert counts["approved"] == ("approved", 1)
    decide = [i.ref for i in view.decide]
    assert "L-8" in decide and "L-9" in decide and "L-10" not in decide  # approved: nothing to do
    text = Renderer(data_path("templates")).as_written("mail/digest.txt", d=view)
    assert "  ready                     1" in text and "  retracted                 1" in text
