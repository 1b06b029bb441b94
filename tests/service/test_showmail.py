"""``show 12`` by email: the letter in full, its response and cut, findings and a print
preview, answered to the editor; and it sees a ``set`` on a line before it."""

from __future__ import annotations

from collections.abc import Callable

from deskkit import Desk
from deskletters import BUS, answer, letter, read, text_of
from test_gate import author_answers

from intake.app.digestrun import send_digest_now
from intake.worker import tick

Golden = Callable[[str, str], None]
RESPONSE = "We stand by the figures: they are the transit authority's own."


def test_show_by_email_answers_with_the_letter_in_full_and_a_print_preview(
    desk: Desk, golden: Golden
) -> None:
    desk.deliver(letter(2, BUS, writer="Reader"))
    tick(desk.deps, "md")
    (request_file,) = desk.outbox_files()
    # the author answers on top of the request, signing off: the sign-off is cut
    author_answers(desk, f"{RESPONSE}\n\n-- \nDana Whitfield\nStaff writer, The Nation",
                   sender="Dana Whitfield <author1@news.test>", request_file=request_file)  # fmt: skip
    tick(desk.deps, "md")
    assert "queued=1" in send_digest_now(desk.deps)
    digest = next(m for m in map(read, desk.outbox_files()) if "letters desk" in str(m["Subject"]))
    assert "show 1" in text_of(digest)

    desk.deliver(answer(digest, "set 1 name Jane Marlow\nset 1 town Eastbay\nshow 1"))
    tick(desk.deps, "md")

    (result,) = [
        m for m in map(read, desk.outbox_files()) if str(m["Subject"]).strip().startswith("Re:")
    ]
    body = text_of(result).replace("\r\n", "\n")
    assert "done    show 1" in body and "letter 1 (ready) in full below" in body
    letter_part = body[body.index("--- the letter ---") : body.index("--- the response ---")]
    assert "My family has run a shop on this street since 1962." in letter_part
    assert RESPONSE in body[body.index("--- the response ---") :]
    cut = body[body.index("--- cut from the response") : body.index("--- print preview")]
    assert "Staff writer, The Nation" in cut  # the author's signature, cut from the reply
    assert "Policy:   article_age: answers an article" in body  # the sample article is old
    preview = body[body.index("--- print preview") : body.index("--- end of preview ---")]
    assert "A Response to ‘The Quiet Collapse of the City’s Bus Network’" in preview
    assert "Dear Editor:" in preview and "Dana Whitfield responds: We stand by" in preview
    # the set lines before it in the same message are in the preview
    assert "Jane Marlow\nEastbay" in preview and "\nReader\n" not in preview
    golden(body, "mail/command_result_show.txt")
