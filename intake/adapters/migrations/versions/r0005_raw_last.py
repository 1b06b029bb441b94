"""raw_message.raw becomes the table's last column (SQLite): a large message is stored
without SQLite holding copies of it.

SQLite builds a row's whole record in memory, so inserting a 27 MB message bound as a
parameter costs two more copies of it (the bound value and the record).  A zero-filled
blob at the end of a record is never built: the store inserts ``zeroblob(size)`` there
and writes the message into it in pieces (:meth:`intake.adapters.store.Store.store_raws`).
The table is copied once, every row kept; PostgreSQL is left as it is (the order of its
columns costs nothing).  A later revision that adds a column to ``raw_message`` must
keep ``raw`` last (``tests/unit/adapters/test_schema.py`` checks it).
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# raw_message's columns as revision 0004 left them, raw moved to the end
ORDER = ("id", "mailbox", "uidvalidity", "uid", "source_key", "message_id", "sha256", "size",
         "internal_date", "fetched_at", "status", "category", "confidence", "reasons", "note",
         "letter_id", "processed_at", "marked", "attempts", "pruned_at", "raw")  # fmt: skip


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table("raw_message", recreate="always", partial_reordering=[ORDER]):
        pass


def downgrade() -> None:
    # the order of the columns changes nothing a query sees: there is nothing to undo
    return None
