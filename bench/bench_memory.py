"""Peak memory of one ingest, without a mail server: a quicker check than bench_ingest.py.

Usage::

    python bench/bench_memory.py [--count 1000] [--seed 20250101] [--big 3]

Writes the messages of ``../shared/bench/make_mailbox.py`` (the same generator,
seed and mix as ``bench_ingest.py``'s mailbox: letters, newsletters, delivery
reports, out-of-office replies, attachments up to 27 MB) into a local Maildir,
runs one ``intake poll --once`` on a fresh SQLite desk (the embedded default:
Maildir in, outbox folder out) and prints its seconds, its peak RSS (with its sorting
processes': ``[classify] sort_processes``) and the
RSS of a process that only imports intake (the floor under every figure).
IMAP's own buffers are not in it: ``bench_ingest.py`` measures those.
Target (issue 16): peak RSS <= 150 MB; exit 1 when missed.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAKE_MAILBOX = (
    Path(os.environ.get("INTAKE_SHARED", ROOT.parent / "shared")) / "bench" / "make_mailbox.py"
)
MAX_RSS_MB = 150.0
_POOL_PEAK = re.compile(r"sorting process \d+: peak RSS (\d+) MB")

# its own peak RSS; its sorting processes' peaks are logged (at INFO, for that logger only)
_PEAK = (
    "import logging, resource, sys\n"
    "logging.getLogger('intake.adapters.sortpool').setLevel(logging.INFO)\n"
    "from intake.cli import main\n"
    "code = main(sys.argv[1:]) if len(sys.argv) > 1 else 0\n"
    "print('peak_rss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def fill(maildir: Path, count: int, seed: int, big: int) -> int:
    spec = importlib.util.spec_from_file_location("make_mailbox", MAKE_MAILBOX)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    total = 0
    for n, (_kind, _when, data) in enumerate(module.generate(count, seed, big)):
        (maildir / "new" / f"{n:06d}.bench:2,").write_bytes(data)
        total += len(data)
    return total


def peak(args: list[str]) -> tuple[float, float, float]:
    """Run intake with *args*; return its wall seconds, its own peak RSS and its sorting
    processes' in MB: each one's own (``VmHWM``, as the poll logs it; the kernel's figure for
    a child starts at its parent's size, so it would count the poll twice)."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", _PEAK, *args], capture_output=True, text=True,
                          check=True)  # fmt: skip
    seconds = time.monotonic() - started
    line = next(x for x in done.stderr.splitlines() if x.startswith("peak_rss_kb"))
    pool = sum(int(found[1]) for found in _POOL_PEAK.finditer(done.stderr))
    return seconds, int(line.split()[1]) / 1024, pool


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--big", type=int, default=3, help="messages with a 27 MB attachment")
    parser.add_argument("--fill", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill:
        print(fill(args.fill, args.count, args.seed, args.big))
        return 0
    with tempfile.TemporaryDirectory(prefix="intake-bench-memory-") as tmp:
        work = Path(tmp)
        # filled by a child: a process's peak RSS is passed on to the processes it starts
        filled = subprocess.run([sys.executable, __file__, "--fill", str(work / "data" / "inbox"),
                                 "--count", str(args.count), "--seed", str(args.seed),
                                 "--big", str(args.big)],
                                check=True, capture_output=True, text=True)  # fmt: skip
        size = int(filled.stdout.split()[-1])
        cfg = work / "intake.toml"
        cfg.write_text(
            '[desk]\npublication = "The Nation"\naddress = "letters@news.test"\n'
            f'data_dir = "{work / "data"}"\n[articles]\n'
            f'source = "{ROOT / "samples" / "articles.csv"}"\n',
            encoding="utf-8",
        )
        subprocess.run([sys.executable, "-m", "intake", "--config", str(cfg), "init"],
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        _, floor, _ = peak([])
        seconds, own, pool = peak(["--config", str(cfg), "poll", "--once"])
        rss = own + pool
    print(f"{args.count} messages, {size / 2**20:.0f} MB: poll {seconds:.1f} s, "
          f"peak RSS {rss:.0f} MB: the poll {own:.0f} MB + its sorting processes {pool:.0f} MB "
          f"(importing intake alone: {floor:.0f} MB)")  # fmt: skip
    met = rss <= MAX_RSS_MB
    print(f"{'met   ' if met else 'MISSED'} peak RSS <= {MAX_RSS_MB:.0f} MB")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
