"""Shell completion (issue 15, item 5): ``intake completion bash|zsh``, from the parser itself.

The bash script is loaded into a real bash and asked what it completes, as the shell asks
on TAB; the zsh script is parsed by a real zsh (``./run`` installs zsh).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path

import pytest

from intake.cli import main
from intake.cli.main import build_parser


def script(shell: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["completion", shell]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return out


def complete(bash_script: Path, line: str) -> set[str]:
    """What bash offers on TAB at the end of *line*."""
    words = line.split(" ")
    probe = (
        f"source {bash_script}\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
        f"COMP_LINE={line!r}; COMP_POINT={len(line)}\n"
        "_shtab_intake; printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    run = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=60,
                         check=True)  # fmt: skip
    return {word.strip() for word in run.stdout.splitlines() if word.strip()}


def commands() -> set[str]:
    (sub,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return set(sub.choices)


def test_bash_completes_every_command_and_their_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "intake.bash"
    path.write_text(script("bash", capsys))
    assert complete(path, "intake ") >= commands() >= {"run", "queue", "completion"}
    assert complete(path, "intake qu") == {"queue"}
    assert complete(path, "intake --log-format ") == {"text", "json"}
    assert "--state" in complete(path, "intake queue --st")
    assert complete(path, "intake completion ") == {"bash", "zsh"}


def test_the_zsh_script_is_one_zsh_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zsh = shutil.which("zsh")
    if zsh is None:
        pytest.fail("zsh is not installed: apt-get install zsh (./run does)")
    text = script("zsh", capsys)
    assert text.startswith("#compdef intake")
    for command in commands():
        assert f"\n    {command}:'" in text, command
        assert f"\n        {command}) _arguments" in text, command
    path = tmp_path / "_intake"
    path.write_text(text)
    parsed = subprocess.run([zsh, "-n", str(path)], capture_output=True, text=True, timeout=60,
                            check=False)  # fmt: skip
    assert (parsed.returncode, parsed.stderr) == (0, "")


def test_an_unknown_shell_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["completion", "cmd.exe"])
    assert exit_.value.code == 2
    assert "invalid choice: 'cmd.exe'" in capsys.readouterr().err
