"""raw_message.pruned_at: when retention dropped a message's body and attachments.

Empty for every existing row: nothing was pruned before this revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("raw_message") as batch:
        batch.add_column(sa.Column("pruned_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    # the pruned bodies stay gone; only the record of when goes
    with op.batch_alter_table("raw_message") as batch:
        batch.drop_column("pruned_at")
