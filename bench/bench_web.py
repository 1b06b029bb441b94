"""Time the web desk's pages for a big queue: 10,000 letters by default.

    python bench/bench_web.py [--letters N] [--repeat R]

Fills a SQLite desk as ``bench_digest.py`` does, signs an editor in through the
real sign-in (the link from the outbox folder) and times, best of R, the whole
request of: the queue (counts by state for every letter, the first 200 rows),
the queue filtered to one state, and one letter's page (with its print
preview).  Target: each page under a second for 10,000 letters.  A benchmark,
not a test: it prints the numbers and exits 1 only when a target is missed.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from bench_digest import best_of, fill
from starlette.testclient import TestClient

from intake.config import load_settings
from intake.web.routes import build_app
from intake.worker import build_deps, prepare, web_context

TARGET_SECONDS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "data").mkdir()
        fill(f"sqlite:///{root / 'data' / 'intake.db'}", args.letters, 40)
        config = '[desk]\neditors = ["editor@news.test"]\naddress = "letters@news.test"\n'
        settings = load_settings(config + 'data_dir = "data"\n', {}, path=root / "intake.toml",
                                 cwd=root)  # fmt: skip
        deps = build_deps(settings, {})
        prepare(settings, deps)
        web = TestClient(build_app(web_context(settings, deps)), follow_redirects=False)
        form = web.get("/signin").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form)
        assert csrf
        web.post("/signin", data={"csrf": csrf[1], "address": "editor@news.test"})
        raw = next(settings.local.outbox_dir.glob("*.eml")).read_bytes()
        body = message_from_bytes(raw, policy=default).get_body(("plain",))
        assert body is not None
        link = re.search(r"/signin/\S+", body.get_content())
        assert link
        page = web.get(link[0]).text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page)
        assert csrf and web.post(link[0], data={"csrf": csrf[1]}).status_code == 303
        letter = next(
            n for n in range(1, args.letters) if 'id="preview"' in web.get(f"/letters/{n}").text
        )
        pages = {"queue": "/queue", "queue, one state": "/queue?state=ready",
                 f"letter {letter}": f"/letters/{letter}"}  # fmt: skip
        missed = False
        for name, path in pages.items():
            assert web.get(path).status_code == 200, path
            seconds = best_of(args.repeat, lambda path=path: web.get(path))
            missed |= seconds >= TARGET_SECONDS
            print(f"{name:<20} {seconds:.3f} s   (target < {TARGET_SECONDS:.0f} s)")
        deps.store.engine.dispose()
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
