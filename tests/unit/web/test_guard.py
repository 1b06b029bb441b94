"""The web desk's request guards: the sliding rate limit and where sign-in may lead."""

from __future__ import annotations

from datetime import timedelta

from fakes import FROZEN_AT

from intake.web.guard import SlidingLimit
from intake.web.signin import safe_next


def test_the_limit_counts_a_sliding_hour_per_key() -> None:
    limit = SlidingLimit(3, timedelta(hours=1))
    at = FROZEN_AT
    assert [limit.allow("a", at) for _ in range(4)] == [True, True, True, False]
    assert limit.allow("b", at)  # each key its own count
    assert not limit.allow("a", at + timedelta(minutes=59))
    assert limit.allow("a", at + timedelta(hours=1, seconds=1))


def test_refused_requests_do_not_extend_the_wait() -> None:
    limit = SlidingLimit(1, timedelta(hours=1))
    assert limit.allow("a", FROZEN_AT)
    for minutes in range(1, 60, 10):
        assert not limit.allow("a", FROZEN_AT + timedelta(minutes=minutes))
    assert limit.allow("a", FROZEN_AT + timedelta(hours=1, seconds=1))


def test_the_oldest_keys_are_forgotten_past_the_cap() -> None:
    limit = SlidingLimit(1, timedelta(hours=1), keys=100)
    for n in range(1000):
        limit.allow(f"k{n}", FROZEN_AT)
    assert len(limit._seen) == 100
    assert limit.allow("k0", FROZEN_AT)  # forgotten, so counted afresh


def test_sign_in_leads_only_to_pages_of_the_desk() -> None:
    assert safe_next("/letters/12") == "/letters/12"
    assert safe_next("/queue?state=ready") == "/queue?state=ready"
    for elsewhere in ("https://evil.test/", "//evil.test/", "/\\evil.test", "", "javascript:x"):
        assert safe_next(elsewhere) == "/queue"
