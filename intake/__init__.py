"""intake: a letters desk that runs on email.

Letters arrive in the editorial inbox; intake classifies them, finds the
article each answers, asks that article's author for a response, matches the
author's reply and formats the pair for print.  The pure core (parse,
classify, match, lifecycle, render) lives in the top-level modules; I/O sits
in ``intake.adapters`` and is wired together in ``intake.worker``.
"""

__version__ = "0.1.0"
