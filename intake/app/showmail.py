"""``show 12`` by email: a letter in full, for an editor to read before approving it.

The answer carries what ``intake show`` prints for reading — the letter as
edited, the response and what was cut from it, the policy findings and the
campaign — and a plain-text print preview in the house style, the text the
publishing run would write for it now.  It runs inside the transaction of the
editor's message, so ``set 12 name …`` on a line before ``show 12`` shows in the
preview.  Read-only: nothing changes and no audit row is written.
"""

from __future__ import annotations

from intake.app.desk import Outcome, Refused
from intake.app.publishing import render_in
from intake.app.queueview import show_in
from intake.app.work import Work
from intake.domain.errors import NotFound

TEMPLATE = "mail/show_letter.txt"


def show_letter(work: Work, letter_id: int) -> Outcome:
    """The letter in full and its print preview, as the result of ``show 12``."""
    deps = work.deps
    try:
        item = show_in(work, letter_id)
    except NotFound:
        raise Refused(f"there is no letter {letter_id}") from None
    preview = ""
    if item["article"] is not None:
        preview = render_in(work, letter_id, "txt")[1]
    cut = (item["response"] or {}).get("cut", "").strip()
    text = deps.renderer.as_written(
        TEMPLATE,
        item=item,
        edited=item["letter_text"] != item["letter_original"],
        response=(item["response_text"] or "").strip() if item["response"] else "",
        cut=cut,
        preview=preview.strip(),
    )
    return Outcome(f"letter {letter_id} ({item['state'].replace('_', ' ')}) in full below",
                   letter_id, item["state"], detail=text)  # fmt: skip
