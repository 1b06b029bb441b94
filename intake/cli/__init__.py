"""The command line, one module per group of commands.

:mod:`.main` builds the parser and runs a command; :mod:`.worker` (init, poll,
run, publish), :mod:`.desk` (the editors' queue and actions), :mod:`.tools`
(classify, eval, extract-reply) and :mod:`.demo` each register their
subcommands; :mod:`.common` opens the desk for all of them, and
:mod:`.terminal` prints for all of them (a reader's control characters
shown as escapes, never sent to the terminal).  Nothing outside
this package imports it.
"""

from intake.cli.main import main

__all__ = ["main"]
