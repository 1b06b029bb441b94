"""intake: a letters desk that runs on email.

Letters arrive in the editorial inbox; intake classifies them, finds the
article each answers, asks that article's author for a response, matches the
author's reply and formats the pair for print.  The folders are the stages:
``domain`` (what things are), ``mail`` (reading and writing mail), ``sorting``
(what a message is and what it answers), ``printing`` (the house style) — the
pure core — then ``app`` (the use cases, the only code with database sessions),
``adapters`` (IMAP, Maildir, SMTP, database, catalogue, clock), ``config``,
``worker`` (the one composition root), ``cli`` and ``eval``.
"""

__version__ = "0.1.0"
