"""Ingest benchmark: intake against a plain mail copier (mbsync) on the same restored mailbox.

Usage::

    python bench/bench_ingest.py [--count 10000] [--seed 20250101] [--runs 3]
                                 [--record FILE] [--compare FILE] [--idle 20] [--keep]

Starts a private Postfix + Dovecot (deploy/mailstack, own state dir and ports),
fills letters@'s INBOX once with ``../shared/bench/make_mailbox.py`` (letters,
newsletters, delivery reports, out-of-office replies, attachments up to
27 MB), then alternates, ``--runs`` times each:

* **mbsync** (Debian's ``isync``, installed when missing; C, its default
  ``FSync yes``) copying INBOX to a fresh Maildir;
* **intake**: one ``intake poll --once`` on a fresh SQLite desk with the
  sample catalogue, then a second poll that must fetch nothing.

Before each run the inbox is restored (intake's keywords taken off), so every
run sees the same mailbox.  It prints the medians, the ratio intake/mbsync of
the medians (the machine is shared, so only figures of one run are compared
with each other) and intake's peak RSS (the largest of its runs): the poll's own
peak plus the peak of each sorting process it started (``[classify] sort_processes``),
as each one's own ``VmHWM`` that the poll logs when it ends them.  Not the kernel's
figure for the children: a child's ``ru_maxrss`` starts at its parent's size when it
is forked, so it would count the poll twice.

Then the steady state: ``intake run`` with IMAP IDLE on the last desk (its
backlog handled), ``--idle`` letters sent one at a time by SMTP, each timed
from the moment Postfix accepted it to the moment intake's author request was
accepted by SMTP (the outbox row's ``sent_at``); p50 and p95.

``--record FILE`` writes what the last intake run did (each message's
category and status by its sha256, each letter's state, findings and campaign,
each author request by the letter's Message-ID and author); ``--compare FILE``
fails when this run did anything else: the check that a faster ingest handles
every letter, reply and bounce as before.

Each timed run and the fill hold the integration tests' mail-stack lock
(``/tmp/intake-test-mailstack.lock``), so a test session and a benchmark never
run at once.  Targets (issue 16): intake/mbsync <= 1.0, peak RSS <= 150 MB,
the second poll fetches nothing, IDLE p95 <= 1 s.  Exit 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import re
import shutil
import smtplib
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from imapclient import IMAPClient

ROOT = Path(__file__).resolve().parents[1]
MAKE_MAILBOX = (
    Path(os.environ.get("INTAKE_SHARED", ROOT.parent / "shared")) / "bench" / "make_mailbox.py"
)
STATE = Path("/tmp/intake-bench-mailstack")
TEST_LOCK = Path("/tmp/intake-test-mailstack.lock")  # tests/integration/conftest.py's
PORTS = {"MAILSTACK_IMAP_PORT": "12143", "MAILSTACK_SMTP_PORT": "12025",
         "MAILSTACK_IMAPS_PORT": "12993", "MAILSTACK_SMTPS_PORT": "12465"}  # fmt: skip
USER, PASSWORD = "letters@news.test", "letters-pw"
LOCK_PAUSE_SECONDS = 2.0
MAX_RATIO = 1.0
MAX_RSS_MB = 150.0
MAX_IDLE_P95 = 1.0
BUS_URL = "https://www.news.test/city/2025/01/the-quiet-collapse-of-the-citys-bus-network/"


@contextlib.contextmanager
def stack_lock() -> Iterator[None]:
    """Hold the integration tests' lock: their stack and this one never run at once.

    Released after each run, with a pause, so that a test session waiting for it gets a
    turn (sessions try every 0.5 s and give up after 10 minutes)."""
    with TEST_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    time.sleep(LOCK_PAUSE_SECONDS)


def stack(action: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILSTACK_")}
    env.update(PORTS, MAILSTACK_DIR=str(STATE), MAILSTACK_TLS="0", MAILSTACK_RESET="1",
               MAILSTACK_USERS=f"{USER}:{PASSWORD} author1@news.test:author1-pw "
                               "author2@news.test:author2-pw editor@news.test:editor-pw")  # fmt: skip
    script = ROOT / "deploy" / "mailstack" / f"{action}-mailstack.sh"
    subprocess.run(["bash", str(script)], env=env, check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)  # fmt: skip


def ensure_mbsync() -> str:
    found = shutil.which("mbsync")
    if found:
        return found
    subprocess.run(["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", "isync"],
                   check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})  # fmt: skip
    return shutil.which("mbsync") or "mbsync"


def timed(command: list[str], **kwargs: object) -> tuple[float, float, str]:
    """Run *command*; return its wall seconds, its peak RSS in MB and its stdout.

    The RSS is what the command reports on stderr as ``peak_rss_kb`` (intake, see
    ``_POLL``), else the kernel's figure for the process (wait4).
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                text=True, **kwargs)  # fmt: skip
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    rss_mb = usage.ru_maxrss / 1024
    for line in stderr.splitlines():
        if line.startswith("peak_rss_kb"):
            rss_mb = int(line.split()[1]) / 1024
    # each sorting process's own peak, as the poll logged it (intake.adapters.sortpool)
    rss_mb += sum(int(found[1]) for found in _POOL_PEAK.finditer(stderr))
    if proc.returncode != 0:
        raise SystemExit(f"{command[0]} exited {proc.returncode}:\n{stdout}\n{stderr[-3000:]}")
    return seconds, rss_mb, stdout


def restore_inbox() -> None:
    """Take intake's keywords off: every run sees the mailbox as it was filled."""
    with IMAPClient("127.0.0.1", port=int(PORTS["MAILSTACK_IMAP_PORT"]), ssl=False) as client:
        client._imap.debug = 0
        client.login(USER, PASSWORD)
        client.select_folder("INBOX")
        client.remove_flags("1:*", [b"$IntakeProcessed", b"$IntakeQuarantined"], silent=True)


def mbsync_run(mbsync: str, work: Path) -> tuple[float, float]:
    maildir = work / "maildir"
    shutil.rmtree(maildir, ignore_errors=True)
    maildir.mkdir(parents=True)
    rc = work / "mbsyncrc"
    rc.write_text(
        f"IMAPAccount bench\nHost 127.0.0.1\nPort {PORTS['MAILSTACK_IMAP_PORT']}\n"
        f"User {USER}\nPass {PASSWORD}\nSSLType None\nAuthMechs LOGIN\n\n"
        "IMAPStore remote\nAccount bench\n\n"
        f"MaildirStore local\nPath {maildir}/\nInbox {maildir}/INBOX\n\n"
        "Channel inbox\nFar :remote:INBOX\nNear :local:\nCreate Near\nSync Pull\n"
        "SyncState *\n",
        encoding="utf-8",
    )
    return timed([mbsync, "-q", "-c", str(rc), "inbox"])[:2]


def config(work: Path) -> Path:
    path = work / "intake.toml"
    path.write_text(
        f"""
[desk]
publication = "The Nation"
address = "{USER}"
data_dir = "data"
[imap]
host = "127.0.0.1"
port = {PORTS["MAILSTACK_IMAP_PORT"]}
security = "none"
username = "{USER}"
password_env = "BENCH_PW"
[smtp]
host = "127.0.0.1"
port = {PORTS["MAILSTACK_SMTP_PORT"]}
security = "none"
[articles]
source = "{ROOT / "samples" / "articles.csv"}"
[authors]
max_requests_per_author_day = 100000
max_requests_per_writer_day = 100000
[schedule]
poll_seconds = 3600
""",
        encoding="utf-8",
    )
    return path


# `intake poll --once` reporting its own peak RSS; its sorting processes' peaks are logged
# (at INFO, which a poll shows for that logger only)
_POLL = (
    "import logging, resource, sys\n"
    "logging.getLogger('intake.adapters.sortpool').setLevel(logging.INFO)\n"
    "from intake.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print('peak_rss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)
_POOL_PEAK = re.compile(r"sorting process \d+: peak RSS (\d+) MB")


def intake_env() -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("INTAKE_")},
            "BENCH_PW": PASSWORD}  # fmt: skip


def intake_run(work: Path) -> dict[str, object]:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    cfg = config(work)
    env = intake_env()
    subprocess.run([sys.executable, "-m", "intake", "--config", str(cfg), "init"], check=True,
                   stdout=subprocess.DEVNULL, env=env)  # fmt: skip
    command = [sys.executable, "-c", _POLL, "--config", str(cfg), "poll", "--once"]
    seconds, rss_mb, first = timed(command, env=env)
    _, _, second = timed(command, env=env)
    return {"seconds": seconds, "rss_mb": rss_mb, "first": first.strip().splitlines(),
            "second": second.strip().splitlines(), "db": work / "data" / "intake.db"}  # fmt: skip


def what_it_did(db: Path) -> dict[str, object]:
    """Each message's category and status, and each author request, from one run's database."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        messages = {sha: f"{status}:{category}" for sha, status, category in conn.execute(
            "SELECT sha256, status, category FROM raw_message")}  # fmt: skip
        requests = sorted(f"{msgid} -> {recipients}" for msgid, recipients in conn.execute(
            "SELECT l.message_id, o.recipients FROM outbound o JOIN letter l ON l.id = o.letter_id "
            "WHERE o.purpose = 'author_request'"))  # fmt: skip
        letters = conn.execute("SELECT count(*) FROM letter").fetchone()[0]
        # each letter by the sha256 of its message: its state, its findings (policy,
        # campaign) and the message its campaign is grouped under
        taken = {sha: f"{state} | {findings} | {group or ''}" for sha, state, findings, group
                 in conn.execute(
            "SELECT r.sha256, l.state, l.findings, g.sha256 FROM letter l "
            "JOIN raw_message r ON r.id = l.raw_id LEFT JOIN letter c ON c.id = l.campaign_id "
            "LEFT JOIN raw_message g ON g.id = c.raw_id")}  # fmt: skip
    return {"messages": messages, "requests": requests, "letters": letters, "taken": taken}


def compare(before: dict[str, object], after: dict[str, object]) -> list[str]:
    problems: list[str] = []
    old, new = before["messages"], after["messages"]
    assert isinstance(old, dict) and isinstance(new, dict)
    moved = Counter(f"{old.get(k)} -> {new.get(k)}" for k in old.keys() | new.keys()
                    if old.get(k) != new.get(k))  # fmt: skip
    problems += [f"{n} messages {change}" for change, n in moved.most_common()]
    old_requests, new_requests = set(before["requests"]), set(after["requests"])
    problems += [f"request no longer made: {r}" for r in sorted(old_requests - new_requests)]
    problems += [f"request not made before: {r}" for r in sorted(new_requests - old_requests)]
    if "taken" in before and "taken" in after:  # records written before letters were kept
        old_taken, new_taken = before["taken"], after["taken"]
        assert isinstance(old_taken, dict) and isinstance(new_taken, dict)
        problems += [f"letter of message {k[:12]}: {old_taken.get(k)} -> {new_taken.get(k)}"
                     for k in sorted(old_taken.keys() | new_taken.keys())
                     if old_taken.get(k) != new_taken.get(k)][:20]  # fmt: skip
    return problems


def idle_latency(work: Path, letters: int) -> list[float]:
    """Seconds from Postfix accepting a letter to intake's author request accepted by SMTP."""
    cfg = work / "intake.toml"
    log = (work / "run.log").open("w")
    # at DEBUG: the first round finds nothing, and an idle round is a DEBUG line
    worker = subprocess.Popen([sys.executable, "-m", "intake", "--config", str(cfg),
                               "--log-level", "debug", "run"],
                              cwd=work, env=intake_env(), stdout=log, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL)  # fmt: skip
    latencies: list[float] = []
    db = work / "data" / "intake.db"
    try:
        deadline = time.monotonic() + 600
        while "tick: " not in (work / "run.log").read_text():
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit("intake run: the first tick never finished:\n"
                                 + (work / "run.log").read_text()[-3000:])  # fmt: skip
            time.sleep(0.2)
        time.sleep(1.5)  # the watcher enters IDLE
        for n in range(letters):
            msg = _letter(n)
            with smtplib.SMTP("127.0.0.1", int(PORTS["MAILSTACK_SMTP_PORT"])) as smtp:
                smtp.send_message(msg)
            accepted = time.time()
            sent_at = _wait_for_request(db, str(msg["Message-ID"]).strip("<>"), timeout=30)
            latencies.append(sent_at - accepted)
            time.sleep(1.0)  # one letter at a time: the steady state, not a burst
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
    return latencies


def _letter(n: int) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"Idle Reader {n} <reader+idle{n}@news.test>"
    msg["To"] = USER
    msg["Subject"] = f"Your article on the city's buses ({n})"
    msg["Message-ID"] = make_msgid(idstring=f"idle{n}", domain="news.test")
    msg["Date"] = formatdate(localtime=True)
    msg.set_content(
        "Dear Editor:\n\n"
        f"I read your article ({BUS_URL}) with growing frustration. I have ridden the\n"
        "number 14 bus to work for eleven years, and the problem is not traffic but the\n"
        "depot: I have watched buses sit idle for want of a mechanic.\n\n"
        "The city should fund the maintenance shop before it buys another electric bus.\n\n"
        f"Idle Reader {n}\nBrooklyn, N.Y.\n"
    )
    return msg


def _wait_for_request(db: Path, message_id: str, timeout: float) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.closing(sqlite3.connect(db, timeout=10)) as conn:
            row = conn.execute(
                "SELECT o.sent_at FROM outbound o JOIN letter l ON l.id = o.letter_id "
                "WHERE l.message_id = ? AND o.purpose = 'author_request' AND o.sent_at IS NOT NULL",
                (message_id,),
            ).fetchone()
        if row:
            return datetime.fromisoformat(row[0]).timestamp()
        time.sleep(0.02)
    raise SystemExit(f"no author request sent for <{message_id}> within {timeout} s")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--runs", type=int, default=3, help="runs of each, alternating (>= 3)")
    parser.add_argument("--idle", type=int, default=20, help="letters timed with IDLE (0: none)")
    parser.add_argument("--record", type=Path, help="write what intake did to this file")
    parser.add_argument("--compare", type=Path, help="fail unless intake did what this file says")
    parser.add_argument("--keep", action="store_true", help="leave the mail stack running")
    args = parser.parse_args()
    mbsync = ensure_mbsync()
    with stack_lock():
        stack("start")
    result: dict[str, object] = {"messages": args.count}
    try:
        with stack_lock():
            subprocess.run([sys.executable, str(MAKE_MAILBOX), "--port", PORTS["MAILSTACK_IMAP_PORT"],
                            "--count", str(args.count), "--seed", str(args.seed), "--clear"],
                           check=True, stdout=subprocess.DEVNULL, timeout=3600)  # fmt: skip
        copies: list[float] = []
        copier_rss: list[float] = []
        runs: list[dict[str, object]] = []
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(args.runs):
                with stack_lock():
                    seconds, rss = mbsync_run(mbsync, Path(tmp) / "mbsync")
                copies.append(seconds)
                copier_rss.append(rss)
                with stack_lock():
                    restore_inbox()
                    runs.append(intake_run(Path(tmp) / "intake"))
                print(f"run {n + 1}: mbsync {seconds:.1f} s, intake {runs[-1]['seconds']:.1f} s "
                      f"({runs[-1]['rss_mb']:.0f} MB)", file=sys.stderr)  # fmt: skip
            last = runs[-1]
            did = what_it_did(last["db"])
            if args.record:
                args.record.write_text(json.dumps(did, indent=1, sort_keys=True), encoding="utf-8")
            differences = compare(json.loads(args.compare.read_text()), did) if args.compare else []
            latencies = idle_latency(Path(tmp) / "intake", args.idle) if args.idle else []
        copy = statistics.median(copies)
        ingest = statistics.median(float(r["seconds"]) for r in runs)
        rss_mb = max(float(r["rss_mb"]) for r in runs)
        categories = Counter(v for v in did["messages"].values())
        result.update({
            "mbsync_seconds": [round(s, 1) for s in copies],
            "intake_seconds": [round(float(r["seconds"]), 1) for r in runs],
            "mbsync_median": round(copy, 1),
            "intake_median": round(ingest, 1),
            "ratio_intake_to_mbsync": round(ingest / copy, 2),
            "intake_peak_rss_mb": round(rss_mb, 1),
            "mbsync_peak_rss_mb": round(max(copier_rss), 1),
            "messages_per_second": round(args.count / ingest, 1),
            "first_poll": last["first"],
            "second_poll": last["second"],
            "handled": dict(sorted(categories.items())),
            "author_requests": len(did["requests"]),
            "idle_p50_seconds": round(percentile(latencies, 0.5), 3) if latencies else None,
            "idle_p95_seconds": round(percentile(latencies, 0.95), 3) if latencies else None,
            "differences": differences,
        })  # fmt: skip
    finally:
        if not args.keep:
            with stack_lock():
                stack("stop")
    print(json.dumps(result, indent=2))
    second = " ".join(result["second_poll"])
    checks = {
        f"intake/mbsync <= {MAX_RATIO}": float(result["ratio_intake_to_mbsync"]) <= MAX_RATIO,
        f"peak RSS <= {MAX_RSS_MB} MB": rss_mb <= MAX_RSS_MB,
        "second poll fetches nothing": "fetched=0" in second,
        f"IDLE p95 <= {MAX_IDLE_P95} s": not latencies or percentile(latencies, 0.95) <= MAX_IDLE_P95,
        "handled as recorded": not differences,
    }  # fmt: skip
    for name, ok in checks.items():
        print(f"{'met   ' if ok else 'MISSED'} {name}")
    print("(timings on a shared 2-core machine are noisy: compare the ratio of one run)")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
