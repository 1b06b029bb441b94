"""Freed large buffers go back to the system: glibc's mmap threshold fixed, never raised."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

# a first large buffer freed (glibc then raises its thresholds to its size), then buffers
# of about that size made and freed as a poll does with its large messages and SQLite's
# copies of them: the RSS they leave behind, in MB
_PROBE = """
import sys
from intake.adapters.memory import return_large_buffers
if sys.argv[1] == "fixed":
    assert return_large_buffers()
def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20
size = 24 * 2**20
first = bytearray(size)
del first
base = rss()
for n in range(4):
    kept = [bytearray(size // 2 + n * 4096) for _ in range(2)]
    del kept
print(rss() - base)
"""


def left_behind(mode: str) -> float:
    done = subprocess.run([sys.executable, "-c", _PROBE, mode], capture_output=True, text=True,
                          check=True, timeout=60)  # fmt: skip
    return float(done.stdout)


@pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc",
    reason="mallopt's mmap threshold is glibc's (no-op elsewhere)",
)
def test_freed_large_buffers_go_back_to_the_system() -> None:
    assert left_behind("fixed") < 4
    assert left_behind("default") > 8  # what a worker kept before: the check can fail


def test_setting_it_starts_no_process() -> None:
    # a child forked from the worker has the worker's size: measures that add the children's
    # peak RSS (bench/bench_ingest.py) would count the worker twice
    probe = (
        "import resource\n"
        "from intake.adapters.memory import return_large_buffers\n"
        "return_large_buffers()\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, timeout=60)  # fmt: skip
    assert int(done.stdout) == 0
