"""The domain: what a letter, a message and a verdict are, and the rules of a letter's life.

Owns the value types (:mod:`.model`), the exception tree (:mod:`.errors`), the
lifecycle state machine (:mod:`.lifecycle`), the statuses of a stored message and
of an outgoing mail (:mod:`.statuses`), reply keys and signed command tokens
(:mod:`.keys`, :mod:`.commandtoken`), our subject tag (:mod:`.subjects`), the
ports the outside world is reached through (:mod:`.ports`), which control
characters are stripped from what we write and escaped in what we print
(:mod:`.controlchars`), which URLs may become links (:mod:`.weblinks`) and
how a URL's password is masked wherever it is shown (:mod:`.maskedurls`).  Pure: imports nothing
of intake outside this package, and no database or network library.
"""
