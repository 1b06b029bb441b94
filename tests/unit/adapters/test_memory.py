"""Freed large buffers go back to the system (glibc's threshold fixed, not raised)."""

from __future__ import annotations

import subprocess
import sys

# frees a first large buffer (which raises glibc's threshold), then keeps allocating and
# freeing buffers of that size: the RSS left behind, in MB
_PROBE = """
import sys
from intake.adapters.memory import return_large_buffers
if sys.argv[1] == "fixed":
    assert return_large_buffers()
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * 4096 / 2**20
size = 24 * 2**20
first = bytearray(size); del first
base = rss()
for _ in range(4):
    kept = [bytearray(size // 2) for _ in range(2)]
    del kept
print(rss() - base)
"""


def _left_behind(mode: str) -> float:
    done = subprocess.run([sys.executable, "-c", _PROBE, mode], capture_output=True, text=True,
                          check=True)  # fmt: skip
    return float(done.stdout)


def test_freed_large_buffers_are_returned_to_the_system() -> None:
    assert _left_behind("fixed") < 4
    assert _left_behind("default") > 8  # what the worker kept before
