"""The command line: ``intake init | poll | run | queue | show | … | publish | classify | demo``.

Every command reads the config from ``--config PATH`` or ``INTAKE_CONFIG``
(without either, the embedded default under ``./intake-data``).  Errors end
the command with one clear line on stderr and a non-zero exit code (2 for a
bad config, 1 for anything else), never a traceback unless ``--debug``.
Everything printed, logs included, goes through :mod:`intake.cli.terminal`;
a reader that closes the pipe early (``intake show 1 | head -1``) ends the
command quietly.
Each group of commands registers itself from its own module.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from intake import __version__
from intake.cli import completion, data, demo, desk, ops, tools, worker
from intake.cli.completion import file_argument
from intake.cli.logsetup import LOG_FORMATS, LOG_LEVELS, configure_logging, level_for
from intake.cli.terminal import quiet_after_broken_pipe, say
from intake.domain.errors import ConfigError, IntakeError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="intake", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"intake {__version__}")
    file_argument(parser.add_argument(
        "--config", help="config file (default: $INTAKE_CONFIG, else built-in defaults)"))  # fmt: skip
    parser.add_argument("--debug", action="store_true", help="log debug detail and show tracebacks")
    parser.add_argument("--log-level", type=str.lower, choices=LOG_LEVELS,
                        help="what to log (default: info for `run`, warning for the rest)")  # fmt: skip
    parser.add_argument("--log-format", choices=LOG_FORMATS, default="text",
                        help="log lines as text or as one JSON object per line (default: text)")  # fmt: skip
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in (worker, ops, data, desk, tools, demo):
        group.register(sub)
    completion.register(sub, parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(level_for(args.command, args.log_level, debug=args.debug), args.log_format)
    try:
        result: int = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not after main returns
        return result
    except BrokenPipeError:
        return quiet_after_broken_pipe()
    except ConfigError as exc:
        say(f"intake: {exc}", err=True)
        return 2
    except IntakeError as exc:
        if args.debug:
            raise
        say(f"intake: error: {exc}", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.debug:
            raise
        say(f"intake: unexpected error: {type(exc).__name__}: {exc} (run with --debug for details)",
            err=True)  # fmt: skip
        return 1
