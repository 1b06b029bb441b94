"""The web desk's sign-in: mailed links (kept as their hash, used once) and browser sessions.

Two new tables and nothing else changes, so existing rows need nothing; undone by
dropping them (which signs every editor out of the web desk).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_link",
        sa.Column("token_hash", AutoString(), nullable=False),
        sa.Column("editor", AutoString(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_web_link_editor", "web_link", ["editor"], unique=False)
    op.create_table(
        "web_session",
        sa.Column("token_hash", AutoString(), nullable=False),
        sa.Column("editor", AutoString(), nullable=False),
        sa.Column("csrf", AutoString(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("ended_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("token_hash"),
    )


def downgrade() -> None:
    op.drop_table("web_session")
    op.drop_index("ix_web_link_editor", table_name="web_link")
    op.drop_table("web_link")
