"""Ingest benchmark: a realistic 10,000-message editorial inbox through `intake poll --once`.

Usage: ``python bench/bench_ingest.py [--count 10000] [--seed 20250101] [--keep]``

Starts a private Postfix + Dovecot (deploy/mailstack, own state dir and
ports), fills letters@'s INBOX with ``../shared/bench/make_mailbox.py`` (letters,
newsletters, delivery reports, out-of-office replies, attachments up to
27 MB), then runs one ``intake poll --once`` against it with SQLite and the
sample catalogue, and reports wall time, messages per second, the peak
resident memory of the intake process, and what it sorted.  A second poll
must fetch nothing.  Targets, on this project's 2-core machines: a
10,000-message backlog (the first poll of a new desk) in under 3.5 minutes,
i.e. at least 50 messages/s end to end — fetch, store, parse, classify,
match, check, queue the author requests — and under 600 MB peak RSS with
the 27 MB messages in it.  (research/PERF.md: mail-parser alone does ~195
messages/s here; a desk's daily mail is a few hundred.)  Exit 1 when a
target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKE_MAILBOX = (
    Path(os.environ.get("INTAKE_SHARED", ROOT.parent / "shared")) / "bench" / "make_mailbox.py"
)
STATE = Path("/tmp/intake-bench-mailstack")
PORTS = {"MAILSTACK_IMAP_PORT": "12143", "MAILSTACK_SMTP_PORT": "12025",
         "MAILSTACK_IMAPS_PORT": "12993", "MAILSTACK_SMTPS_PORT": "12465"}  # fmt: skip
MIN_RATE = 50.0
MAX_RSS_MB = 600.0


def stack(action: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILSTACK_")}
    env.update(PORTS, MAILSTACK_DIR=str(STATE), MAILSTACK_TLS="0", MAILSTACK_RESET="1",
               MAILSTACK_USERS="letters@news.test:letters-pw author1@news.test:author1-pw "
                               "author2@news.test:author2-pw editor@news.test:editor-pw")  # fmt: skip
    script = ROOT / "deploy" / "mailstack" / f"{action}-mailstack.sh"
    subprocess.run(["bash", str(script)], env=env, check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)  # fmt: skip


def config(work: Path) -> Path:
    path = work / "intake.toml"
    path.write_text(
        f"""
[desk]
publication = "The Nation"
address = "letters@news.test"
data_dir = "data"
[imap]
host = "127.0.0.1"
port = {PORTS["MAILSTACK_IMAP_PORT"]}
security = "none"
username = "letters@news.test"
password_env = "BENCH_PW"
[smtp]
host = "127.0.0.1"
port = {PORTS["MAILSTACK_SMTP_PORT"]}
security = "none"
[articles]
source = "{ROOT / "samples" / "articles.csv"}"
""",
        encoding="utf-8",
    )
    return path


# runs `intake poll --once` and reports the peak RSS of that process alone
_POLL = (
    "import resource, sys\n"
    "from intake.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('peak_rss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def poll(cfg: Path) -> tuple[float, str, float]:
    """Return (seconds, output, peak RSS in MB) of one `intake poll --once`."""
    env = {**os.environ, "BENCH_PW": "letters-pw"}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _POLL, "--config", str(cfg), "poll", "--once"],
                         env=env, capture_output=True, text=True, check=True, timeout=3600)  # fmt: skip
    seconds = time.perf_counter() - started
    rss_kb = next(
        int(line.split()[1]) for line in out.stderr.splitlines() if line.startswith("peak_rss_kb")
    )
    return seconds, out.stdout, rss_kb / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--keep", action="store_true", help="leave the mail stack running")
    args = parser.parse_args()
    stack("start")
    try:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(MAKE_MAILBOX), "--port", PORTS["MAILSTACK_IMAP_PORT"],
                        "--count", str(args.count), "--seed", str(args.seed), "--clear"],
                       check=True, stdout=subprocess.DEVNULL, timeout=3600)  # fmt: skip
        fill = time.perf_counter() - t0
        with tempfile.TemporaryDirectory() as tmp:
            cfg = config(Path(tmp))
            subprocess.run([sys.executable, "-m", "intake", "--config", str(cfg), "init"], check=True,
                           stdout=subprocess.DEVNULL, env={**os.environ, "BENCH_PW": "letters-pw"})  # fmt: skip
            seconds, first, rss_mb = poll(cfg)
            _, second, _ = poll(cfg)
            db = Path(tmp) / "data" / "intake.db"
            result = {
                "messages": args.count,
                "fill_seconds": round(fill, 1),
                "poll_seconds": round(seconds, 1),
                "messages_per_second": round(args.count / seconds, 1),
                "peak_rss_mb": round(rss_mb, 1),
                "database_mb": round(db.stat().st_size / 2**20, 1),
                "first_poll": first.strip().splitlines(),
                "second_poll": second.strip().splitlines(),
            }
    finally:
        if not args.keep:
            stack("stop")
    print(json.dumps(result, indent=2))
    ok = (result["messages_per_second"] >= MIN_RATE and rss_mb <= MAX_RSS_MB
          and "fetched=0" in second)  # fmt: skip
    print(f"targets: >= {MIN_RATE} msg/s, <= {MAX_RSS_MB} MB peak RSS, nothing twice: "
          + ("met" if ok else "MISSED"))  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
