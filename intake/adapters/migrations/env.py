"""Alembic's environment: how a revision reaches the database.

intake runs its migrations itself (:func:`intake.adapters.schema.migrate`), on a
connection it has locked and handed over in ``config.attributes["connection"]``.
A developer's ``alembic`` command line (``alembic.ini`` at the top of the
repository; CONTRIBUTING, "Add a migration") gets a connection to the URL of
``-x url=…``, else of ``sqlalchemy.url`` in ``alembic.ini``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from intake.adapters import tables  # noqa: F401  (the tables register themselves)
from intake.adapters.engine import make_engine


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,  # SQLite alters a table by copying it: batch mode does that
        compare_server_default=True,
    )
    with context.begin_transaction():
        context.run_migrations()


handed = context.config.attributes.get("connection")
if handed is not None:
    run(handed)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("alembic: give the database with -x url=… (see CONTRIBUTING.md)")
    with make_engine(url).begin() as connection:
        run(connection)
