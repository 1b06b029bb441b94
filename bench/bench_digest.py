"""Time the editors' digest for a big queue: 10,000 letters by default.

    python bench/bench_digest.py [--letters N] [--held N] [--repeat R]

Two numbers, each the best of R runs:

- *build*: the pure part, :func:`intake.app.digest.build_digest` on plain values
  plus rendering the text and HTML bodies;
- *from the database*: what the worker does for a digest — read every letter
  (with its article, author, findings, candidates and latest edit) from a
  SQLite file, build and render.

The issue's target is the digest for 10,000 letters built in under a second.
A benchmark, not a test: it prints the numbers and exits 1 only when the
target is missed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from intake.adapters.store import (
    ArticleRow,
    AuthorRow,
    EditRow,
    LetterRow,
    RawBodyRow,
    RawMessageRow,
    make_engine,
    migrate,
)
from intake.app.digest import DigestInput, HeldFacts, build_digest
from intake.app.digestrun import gather_held, gather_letters
from intake.domain.lifecycle import LetterState
from intake.printing.render import Renderer
from intake.worker import data_path

NOW = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
TARGET_SECONDS = 1.0
STATES = [s.value for s in LetterState]
WEIGHTS = [1, 12, 25, 8, 6, 2, 4, 2, 3, 35, 1, 4]  # a desk some months in: mostly published
BODY = (
    "Dear Editor:\n\nI read your article on the city's buses with growing frustration. I have "
    "ridden the number 14 bus to work for eleven years, and I can tell you the problem is not "
    "traffic but the depot: I have watched buses sit idle for want of a mechanic.\n\n" * 3
)


def fill(engine_url: str, letters: int, held: int, seed: int = 7) -> None:
    """Write a queue of *letters* letters over 300 articles, and *held* held replies."""
    rng = random.Random(seed)
    engine = make_engine(engine_url)
    migrate(engine)
    with Session(engine) as s:
        authors = [AuthorRow(email=f"author{i}@news.test", name=f"Author {i}") for i in range(40)]
        s.add_all(authors)
        s.flush()
        articles = [
            ArticleRow(url=f"https://www.news.test/a/{i}/", title=f"Article number {i}",
                       author_id=authors[i % 40].id)
            for i in range(300)
        ]  # fmt: skip
        s.add_all(articles)
        s.flush()
        for n in range(letters + held):
            s.add(RawMessageRow(mailbox="bench", uidvalidity=1, uid=n, source_key=str(n),
                                message_id=f"m{n}@bench", sha256=f"{n:064x}", size=100,
                                fetched_at=NOW - timedelta(minutes=n),
                                status="held" if n >= letters else "processed",
                                note="sender is not the author we wrote to"))  # fmt: skip
        s.flush()
        head = b"From: Someone <someone@bench.test>\nSubject: Re: hello\n\nx"
        s.add_all([RawBodyRow(raw_id=r.id or 0, raw=head) for r in s.exec(select(RawMessageRow))])
        for n in range(letters):
            state = rng.choices(STATES, WEIGHTS)[0]
            article = rng.choice(articles) if state != "needs_review" or n % 2 else None
            findings = ["word_limit: 412 words, over the limit of 250"] if n % 9 == 0 else []
            candidates = ([{"url": "https://www.news.test/a/1/", "title": "Article number 1",
                            "score": 0.7, "reason": "title"}] if article is None else [])  # fmt: skip
            received = NOW - timedelta(hours=rng.uniform(0, 24 * 120))
            s.add(
                LetterRow(
                    raw_id=n + 1, message_id=f"m{n}@bench", writer_name=f"Writer {n}",
                    writer_email=f"w{n}@example.net", subject=f"On article {n % 300}",
                    body=BODY, article_id=article.id if article else None, state=state,
                    confidence=0.9, received_at=received, updated_at=received,
                    deadline_at=received + timedelta(days=5)
                    if state == "awaiting_author" else None,
                    findings=json.dumps(findings), candidates=json.dumps(candidates),
                    campaign_id=(n // 50) * 50 + 1 if n % 50 < 3 else None,
                )
            )  # fmt: skip
        s.flush()
        for n in range(1, letters, 97):
            s.add(EditRow(letter_id=n, field="letter", text="Edited. " + BODY, actor="ed",
                          at=NOW))  # fmt: skip
        s.commit()
    engine.dispose()


def best_of(repeat: int, run: object) -> float:
    assert callable(run)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=10_000)
    parser.add_argument("--held", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    renderer = Renderer(data_path("templates"))
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        fill(url, args.letters, args.held)
        engine = make_engine(url)

        def gather() -> tuple[list, list[HeldFacts], int]:  # type: ignore[type-arg]
            with Session(engine) as s:
                held, quarantined = gather_held(s)
                return gather_letters(s), held, quarantined

        letters, held, quarantined = gather()

        def build(letters: list, held: list[HeldFacts], quarantined: int) -> None:  # type: ignore[type-arg]
            view = build_digest(DigestInput(
                publication="The Nation", now=NOW, timezone="America/New_York",
                since=NOW - timedelta(days=1), letters=letters, held=held,
                quarantined=quarantined, reply_address="letters+c-bench@news.test",
                valid_days=7))  # fmt: skip
            renderer.as_written("mail/digest.txt", d=view)
            renderer.as_written("mail/digest.html", d=view)

        pure = best_of(args.repeat, lambda: build(letters, held, quarantined))
        whole = best_of(args.repeat, lambda: build(*gather()))
        engine.dispose()
    print(f"letters={len(letters)} held={len(held)}")
    print(f"build + render (pure):          {pure * 1000:7.1f} ms")
    print(f"from the database (SQLite):     {whole * 1000:7.1f} ms")
    ok = whole < TARGET_SECONDS
    print(f"target: under {TARGET_SECONDS:.0f} s for the whole digest: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
