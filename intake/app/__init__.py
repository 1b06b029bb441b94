"""The use cases: what intake does, each in its own transactions.

Inbound mail (:mod:`.inbound` → :mod:`.letters`, :mod:`.replies`,
:mod:`.undelivered`, :mod:`.emailcommands`, :mod:`.writers`), the author's clock
(:mod:`.deadlines`), the outbox (:mod:`.outmail`, :mod:`.outbound`), the editors'
desk (:mod:`.desk`, :mod:`.queueview`, :mod:`.printfields`), the digest
(:mod:`.digest` builds it, :mod:`.digestrun` sends it), form-letter campaigns
(:mod:`.campaigns`), limits on what one sender can make the desk do
(:mod:`.throttles`) and publishing (:mod:`.publishing`).  :mod:`.deps` is what
every use case is handed.  This is the only layer that opens database sessions;
it reaches mailboxes, transports and the clock only through
:mod:`intake.domain.ports`.
"""
