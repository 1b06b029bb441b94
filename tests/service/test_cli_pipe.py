"""A reader that closes the pipe early ends a command quietly (issue 15): ``intake … | head -1``.

Once as a real pipeline (Python's own flush at exit must not complain
either), then in-process on a pipe whose reader is gone: with little output
(the error comes at the last flush) and with more than a buffer holds (it
comes while writing).
"""

from __future__ import annotations

import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest

from intake.cli import main

ENV = {**os.environ, "PYTHONUNBUFFERED": ""}
ENV.pop("INTAKE_CONFIG", None)


def reply_file(tmp_path: Path, lines: int) -> Path:
    msg = EmailMessage()
    msg["From"] = "Dana Whitfield <author1@news.test>"
    msg["To"] = "letters+k3v5q2m7xwz4a6b2c3d4e5f6g7@news.test"
    msg["Subject"] = "Re: A letter about your article [L-1]"
    msg.set_content("".join(f"Line {n} of a long answer to the reader.\n" for n in range(lines)))
    path = tmp_path / "reply.eml"
    path.write_bytes(msg.as_bytes())
    return path


def test_head_one_of_a_long_output_ends_quietly(tmp_path: Path) -> None:
    path = reply_file(tmp_path, 3_000)  # about 120 KB: more than a pipe holds
    done = subprocess.run(
        f"'{sys.executable}' -m intake extract-reply '{path}' | head -1",
        shell=True, check=False, capture_output=True, text=True, env=ENV, cwd=tmp_path,
        timeout=60,
    )  # fmt: skip
    assert done.stdout == "Line 0 of a long answer to the reader.\n"
    assert done.stderr == ""


@pytest.mark.parametrize("lines", [3, 3_000])
def test_a_pipe_closed_before_the_output_ends_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lines: int
) -> None:
    path = reply_file(tmp_path, lines)
    read_end, write_end = os.pipe()
    os.close(read_end)
    with open(write_end, "w", encoding="utf-8") as closed_pipe:
        monkeypatch.setattr(sys, "stdout", closed_pipe)
        code = main(["extract-reply", str(path)])
        monkeypatch.undo()
    assert code == 141  # as a shell reports a process that SIGPIPE ended
    assert capsys.readouterr().err == ""
