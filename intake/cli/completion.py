"""Shell completion: ``intake completion bash|zsh`` prints the script for that shell.

The script is generated from the command line's own parser (shtab), so every
command and option completes as it is defined, and a new one needs nothing here.
Load it once per shell (``eval "$(intake completion bash)"``) or install it
where the shell looks (README, "Shell completion").
"""

from __future__ import annotations

import argparse
from typing import Any

import shtab

from intake.cli.terminal import say

SHELLS = ("bash", "zsh")


def file_argument(action: argparse.Action) -> argparse.Action:
    """*action*, completed with file names."""
    action.complete = shtab.FILE  # type: ignore[attr-defined]
    return action


def register(sub: Any, root: argparse.ArgumentParser) -> None:
    """Add ``completion SHELL`` to the ``intake`` parser *root*."""
    p = sub.add_parser("completion", help="print the shell completion script (bash or zsh)")
    p.add_argument("shell", choices=SHELLS)

    def cmd_completion(args: argparse.Namespace) -> int:
        say(shtab.complete(root, shell=args.shell), end="")
        return 0

    p.set_defaults(func=cmd_completion)
