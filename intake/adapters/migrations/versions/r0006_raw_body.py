"""raw_body: a fetched message's bytes move out of the raw_message row its handling updates.

SQLite rewrites a whole row on every UPDATE: setting a message's status, its note or
its tries rewrote the message too (about twice its size in memory, 54 MB for a 27 MB
message, each time), and counting a try read it.  Each message's bytes move, as they
are, to a row of their own in ``raw_body`` (keyed by the message's id), written once at
fetch and updated only by retention; ``raw_message`` keeps everything else.

Every row is kept: the bytes are copied over in one statement, then ``raw_message.raw``
is dropped (SQLite copies the table without it, PostgreSQL drops the column and gives
its space back at the next ``VACUUM FULL``).  ``raw`` is ``raw_body``'s last column, as
revision 0005 made it ``raw_message``'s: the store streams a large message into it.
Undone by copying the bytes back (``downgrade``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "raw_body",
        sa.Column("raw_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["raw_id"], ["raw_message.id"]),
        sa.PrimaryKeyConstraint("raw_id"),
    )
    op.execute("INSERT INTO raw_body (raw_id, raw) SELECT id, raw FROM raw_message")
    with op.batch_alter_table("raw_message") as batch:
        batch.drop_column("raw")


def downgrade() -> None:
    # the bytes go back to the end of their rows (revision 0005's order), every one kept
    with op.batch_alter_table("raw_message") as batch:
        batch.add_column(sa.Column("raw", sa.LargeBinary(), nullable=True))
    op.execute(
        "UPDATE raw_message SET raw = (SELECT raw FROM raw_body WHERE raw_body.raw_id = raw_message.id)"
    )
    with op.batch_alter_table("raw_message") as batch:
        batch.alter_column("raw", existing_type=sa.LargeBinary(), nullable=False)
    op.drop_table("raw_body")
