"""The web desk, an adapter at the edge: editors work the queue in a browser.

Starlette routes (:mod:`.routes` builds the app; :mod:`.pages` the pages,
:mod:`.actions` the forms that act, :mod:`.signin` signing in and out),
jinja2 templates under ``templates/web/`` (:mod:`.views`), the security
rules every response keeps (:mod:`.guard`: session cookie, CSRF, headers, rate
limits), ``/healthz`` and ``/metrics`` for checkers that do not sign in (:mod:`.probes`)
and uvicorn to serve it (:mod:`.server`).  Every page reads and every
form acts through the use cases of :mod:`intake.app`, the ones the command line
and email commands call; nothing here opens a database session.  The
composition root (:mod:`intake.worker`) wires it; only it and the command line
import this package.
"""
