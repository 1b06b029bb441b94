"""Machine mail is sorted on the quick read exactly as the full read sorts it; anything that
may be a letter, a reply, a relayed or a forwarded letter is left to the full read."""

from __future__ import annotations

from pathlib import Path

import pytest

from intake.domain.errors import UnparseableMessage
from intake.domain.model import Category
from intake.mail.parse import parse_message
from intake.mail.quickread import QUICK_BYTES, read_head, read_quickly
from intake.sorting.classify import DeskIdentity
from intake.sorting.sortmail import may_be_machine_mail, sort_machine_mail, sort_mail

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = sorted((ROOT / "tests" / "data").rglob("*.eml")) + sorted(
    (ROOT / "samples" / "inbox").glob("*.eml")
)
DESK = DeskIdentity(address="letters@news.test", own_domains=("news.test",))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_quick_verdict_is_the_full_verdict(path: Path) -> None:
    raw = path.read_bytes()
    try:
        full = sort_mail(parse_message(raw), DESK).verdict
    except UnparseableMessage:
        return
    if len(raw) > QUICK_BYTES:
        return
    quick = sort_machine_mail(read_quickly(raw), DESK)
    if quick is None:
        assert full.category not in (Category.bounce, Category.auto_reply) or full.reply_key, (
            "a delivery report or auto-reply got the full read"
        )
        return
    assert quick.verdict == full


def test_the_samples_machine_mail_is_sorted_quickly_and_letters_are_not() -> None:
    sorted_quickly = {
        path.name: sort_machine_mail(read_quickly(path.read_bytes()), DESK)
        for path in (ROOT / "samples" / "inbox").glob("*.eml")
    }
    machine = {name for name, found in sorted_quickly.items() if found is not None}
    assert machine == {"05-out-of-office.eml", "06-newsletter.eml", "07-bounce.eml"}


def test_the_headers_alone_send_letters_to_the_full_read_and_machine_mail_to_the_quick() -> None:
    looks_machine = {
        path.name
        for path in (ROOT / "samples" / "inbox").glob("*.eml")
        if may_be_machine_mail(read_head(path.read_bytes()), DESK)
    }
    assert looks_machine == {"05-out-of-office.eml", "06-newsletter.eml", "07-bounce.eml"}
