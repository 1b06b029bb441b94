"""Reading and sorting a stored message gives what the poll acts on, in whichever process.

Every fixture of the project's mail, sorted as a sorting process does, pickles and comes
back the same, and is what the full sort gives the message's read.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from intake.domain.errors import MessageError
from intake.sorting.articles import Catalogue
from intake.sorting.classify import DeskIdentity
from intake.sorting.readsort import SortRules, look_up_in, read_and_sort, read_stored, sort_read
from intake.sorting.relays import RelaySenders
from intake.sorting.sortmail import sort_mail

MAIL = Path(__file__).resolve().parents[2] / "data" / "mail"
RULES = SortRules(desk=DeskIdentity(address="letters@news.test", own_domains=("news.test",)),
                  relays=RelaySenders(()), timezone="Europe/London",
                  max_message_bytes=2**20)  # fmt: skip


@pytest.mark.parametrize("path", sorted(MAIL.rglob("*.eml")), ids=lambda p: p.name)
def test_a_message_read_and_sorted_pickles_whole_and_sorts_as_the_full_sort(path: Path) -> None:
    raw = path.read_bytes()
    ready = read_and_sort(raw, RULES, Catalogue(()))
    assert pickle.loads(pickle.dumps(ready, pickle.HIGHEST_PROTOCOL)) == ready
    if ready.refused:
        return
    assert ready.read is not None and ready.sorted is not None
    read = read_stored(raw, RULES)
    assert ready.sorted == sort_read(read, RULES, look_up_in(Catalogue(()), RULES.timezone))
    if read.machine is None:
        assert ready.sorted == sort_mail(read.mail, RULES.desk, relays=RULES.relays,
                                         look_up=look_up_in(Catalogue(()), "Europe/London"))  # fmt: skip


def test_a_message_over_the_size_limit_is_refused_unread() -> None:
    big = b"Subject: x\r\n\r\n" + b"a" * (RULES.max_message_bytes + 1)
    ready = read_and_sort(big, RULES, Catalogue(()))
    assert ready.read is None and "over classify.max_message_mb" in ready.refused
    with pytest.raises(MessageError, match="stored, not parsed"):
        read_stored(big, RULES)
