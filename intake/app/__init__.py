"""The use cases: what intake does, each in its own transactions.

Inbound mail (:mod:`.inbound` → :mod:`.letters`, :mod:`.replies`,
:mod:`.undelivered`, :mod:`.emailcommands`, :mod:`.writers`), the author's clock
(:mod:`.deadlines`), the outbox (:mod:`.outmail`, :mod:`.outbound`), the editors'
desk (:mod:`.desk`, :mod:`.queueview`, :mod:`.printfields`), the digest
(:mod:`.digest` builds it, :mod:`.digestrun` sends it), form-letter campaigns
(:mod:`.campaigns`), limits on what one sender can make the desk do
(:mod:`.throttles`), publishing (:mod:`.publishing`) and what the demo shows
(:mod:`.demoview`).  :mod:`.deps` is what every use case is handed, :mod:`.work`
the unit of work it acts in.

Who talks to the database: this is the only layer that opens database
sessions.  A use case begins a unit of work (:func:`.work.begin`: the deps,
one transaction, one ``now``) or acts inside the one its caller hands it, and
reads and writes rows there; state changes go through
:meth:`intake.adapters.store.Store.apply`.  The command line and the worker
call these functions and never see a session or a row.  Mailboxes,
transports and the clock are reached only through :mod:`intake.domain.ports`.
"""
