"""The command line: ``intake init | poll | run | queue | show | … | publish | classify | demo``.

Every command reads the config from ``--config PATH`` or ``INTAKE_CONFIG``
(without either, the embedded default under ``./intake-data``).  Errors end
the command with one clear line on stderr and a non-zero exit code (2 for a
bad config, 1 for anything else), never a traceback unless ``--debug``.
Each group of commands registers itself from its own module.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from intake import __version__
from intake.cli import demo, desk, tools, worker
from intake.domain.errors import ConfigError, IntakeError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="intake", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"intake {__version__}")
    parser.add_argument(
        "--config", help="config file (default: $INTAKE_CONFIG, else built-in defaults)"
    )
    parser.add_argument("--debug", action="store_true", help="log debug detail and show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in (worker, desk, tools, demo):
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG
        if args.debug
        else logging.INFO
        if args.command == "run"
        else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("imapclient").setLevel(logging.WARNING)
    try:
        result: int = args.func(args)
        return result
    except ConfigError as exc:
        print(f"intake: {exc}", file=sys.stderr)
        return 2
    except IntakeError as exc:
        if args.debug:
            raise
        print(f"intake: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.debug:
            raise
        print(f"intake: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)  # fmt: skip
        return 1
