"""Reading and writing mail: bytes in, values out, and messages back to bytes.

Owns parsing (:mod:`.parse`, the only user of mail-parser), HTML to text
(:mod:`.htmltext`), a reply's new text (:mod:`.replytext`, :mod:`.quotemarks`, :mod:`.ourquote`,
:mod:`.signoff`),
closing words (:mod:`.closings`, the one list), delivery reports
(:mod:`.bounces`), Authentication-Results (:mod:`.authresults`), links
(:mod:`.links`) and composing outgoing messages (:mod:`.compose`).  Pure: imports
only :mod:`intake.domain`; no database, no sockets.
"""
