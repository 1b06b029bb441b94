"""The baseline: the schema of intake 0.1.0, the last release before versioned migrations.

A new database gets every table here.  A database made before migrations (intake
0.1.0 or earlier, without an ``alembic_version`` table) is adopted: the tables it
lacks are created, the columns it lacks are added and filled with their defaults
(as those versions grew their schema in place), the indexes it lacks are made, and
nothing is dropped or rewritten.  From here on every change is a revision of its own.

The tables are written out here, not taken from :mod:`intake.adapters.tables`: that
module says what the schema is now, this one what it was at the baseline.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

log = logging.getLogger("intake.adapters.migrations")  # alembic loads this file by path

metadata = sa.MetaData()
TABLES = (
    sa.Table(
        "audit",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=True),
        sa.Column("raw_id", sa.Integer(), nullable=True),
        sa.Column("event", AutoString(), nullable=False),
        sa.Column("source_state", AutoString(), nullable=False, default=""),
        sa.Column("target_state", AutoString(), nullable=False, default=""),
        sa.Column("actor", AutoString(), nullable=False, default="intake"),
        sa.Column("note", sa.Text(), nullable=False, default=""),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_audit_letter_id", "letter_id"),
    ),
    sa.Table(
        "author",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", AutoString(), nullable=False),
        sa.Column("name", AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    ),
    sa.Table(
        "command_use",
        metadata,
        sa.Column("key", AutoString(), nullable=False),
        sa.Column("raw_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    ),
    sa.Table(
        "desk_secret",
        metadata,
        sa.Column("name", AutoString(), nullable=False),
        sa.Column("value", AutoString(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    ),
    sa.Table(
        "digest",
        metadata,
        sa.Column("period", AutoString(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.Column("recipients", AutoString(), nullable=False, default=""),
        sa.PrimaryKeyConstraint("period"),
    ),
    sa.Table(
        "folder_state",
        metadata,
        sa.Column("mailbox", AutoString(), nullable=False),
        sa.Column("uidvalidity", sa.Integer(), nullable=False),
        sa.Column("last_uid", sa.Integer(), nullable=False, default=0),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("mailbox"),
    ),
    sa.Table(
        "message_key",
        metadata,
        sa.Column("key", AutoString(), nullable=False),
        sa.Column("raw_id", sa.Integer(), nullable=False),
        sa.Column("content", AutoString(), nullable=False, default=""),
        sa.PrimaryKeyConstraint("key"),
    ),
    sa.Table(
        "raw_message",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mailbox", AutoString(), nullable=False),
        sa.Column("uidvalidity", sa.Integer(), nullable=False),
        sa.Column("uid", sa.Integer(), nullable=True),
        sa.Column("source_key", AutoString(), nullable=False),
        sa.Column("message_id", AutoString(), nullable=False),
        sa.Column("sha256", AutoString(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("internal_date", UTCDateTime(), nullable=True),
        sa.Column("fetched_at", UTCDateTime(), nullable=False),
        sa.Column("status", AutoString(), nullable=False, default="stored"),
        sa.Column("category", AutoString(), nullable=False, default=""),
        sa.Column("confidence", sa.Float(), nullable=False, default=0.0),
        sa.Column("reasons", sa.Text(), nullable=False, default="[]"),
        sa.Column("note", sa.Text(), nullable=False, default=""),
        sa.Column("letter_id", sa.Integer(), nullable=True),
        sa.Column("processed_at", UTCDateTime(), nullable=True),
        sa.Column("marked", sa.Boolean(), nullable=False, default=False),
        sa.Column("attempts", sa.Integer(), nullable=False, default=0),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("mailbox", "source_key", name="uq_raw_source"),
        sa.Index("ix_raw_message_message_id", "message_id"),
        sa.Index("ix_raw_message_sha256", "sha256"),
        sa.Index("ix_raw_status", "status"),
    ),
    sa.Table(
        "article",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", AutoString(), nullable=False),
        sa.Column("title", AutoString(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("published", AutoString(), nullable=False, default=""),
        sa.ForeignKeyConstraint(["author_id"], ["author.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url"),
    ),
    sa.Table(
        "letter",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("raw_id", sa.Integer(), nullable=False),
        sa.Column("message_id", AutoString(), nullable=False),
        sa.Column("writer_name", AutoString(), nullable=False),
        sa.Column("writer_email", AutoString(), nullable=False),
        sa.Column("subject", AutoString(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("match_reason", AutoString(), nullable=False, default=""),
        sa.Column("state", AutoString(), nullable=False, default="received"),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False, default="[]"),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("deadline_at", UTCDateTime(), nullable=True),
        sa.Column("candidates", sa.Text(), nullable=False, default="[]"),
        sa.Column("findings", sa.Text(), nullable=False, default="[]"),
        sa.Column("campaign_id", sa.Integer(), nullable=True),
        sa.Column("signature", sa.Text(), nullable=False, default="[]"),
        sa.Column("writer_town", AutoString(), nullable=False, default=""),
        sa.Column("writer_phone", AutoString(), nullable=False, default=""),
        sa.Column("writer_street", AutoString(), nullable=False, default=""),
        sa.Column("dek", AutoString(), nullable=False, default=""),
        sa.Column("headline", AutoString(), nullable=False, default=""),
        sa.Column("responder_name", AutoString(), nullable=False, default=""),
        sa.Column("reprint", sa.Boolean(), nullable=False, default=False),
        sa.Column("reminders_sent", sa.Integer(), nullable=False, default=0),
        sa.Column("next_reminder_at", UTCDateTime(), nullable=True),
        sa.Column("fingerprint", sa.LargeBinary(), nullable=False, default=b""),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"]),
        sa.ForeignKeyConstraint(["raw_id"], ["raw_message.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("raw_id"),
        sa.Index("ix_letter_campaign_id", "campaign_id"),
        sa.Index("ix_letter_state", "state"),
    ),
    sa.Table(
        "campaign_key",
        metadata,
        sa.Column("key", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["letter_id"], ["letter.id"]),
        sa.PrimaryKeyConstraint("key", "letter_id"),
    ),
    sa.Table(
        "edit",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("field", AutoString(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("actor", AutoString(), nullable=False),
        sa.Column("note", AutoString(), nullable=False, default=""),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["letter_id"], ["letter.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_edit_letter_id", "letter_id"),
    ),
    sa.Table(
        "outbound",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=True),
        sa.Column("purpose", AutoString(), nullable=False),
        sa.Column("sender", AutoString(), nullable=False),
        sa.Column("recipients", AutoString(), nullable=False),
        sa.Column("message_id", AutoString(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("status", AutoString(), nullable=False, default="pending"),
        sa.Column("attempts", sa.Integer(), nullable=False, default=0),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("claimed_by", AutoString(), nullable=False, default=""),
        sa.Column("last_error", AutoString(), nullable=False, default=""),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["letter_id"], ["letter.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("letter_id", "purpose", name="uq_outbound_purpose"),
        sa.UniqueConstraint("message_id"),
        sa.Index("ix_outbound_due", "status", "next_attempt_at"),
    ),
    sa.Table(
        "reply_key",
        metadata,
        sa.Column("key", AutoString(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("address", AutoString(), nullable=False),
        sa.Column("purpose", AutoString(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["letter_id"], ["letter.id"]),
        sa.PrimaryKeyConstraint("key"),
        sa.Index("ix_reply_key_letter_id", "letter_id"),
    ),
    sa.Table(
        "response",
        metadata,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=False),
        sa.Column("raw_id", sa.Integer(), nullable=False),
        sa.Column("author_email", AutoString(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("cut", sa.Text(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["letter_id"], ["letter.id"]),
        sa.ForeignKeyConstraint(["raw_id"], ["raw_message.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("raw_id"),
        sa.Index("ix_response_letter_id", "letter_id"),
    ),
)


def upgrade() -> None:
    bind = op.get_bind()
    present = set(sa.inspect(bind).get_table_names())
    if present & {t.name for t in TABLES}:
        log.warning("adopting a database made before versioned migrations (intake 0.1.0)")
    for table in metadata.sorted_tables:
        if table.name in present:
            _adopt(bind, table)
        else:
            table.create(bind)


def _adopt(bind: sa.Connection, table: sa.Table) -> None:
    """Add to an existing *table* the columns and indexes of the baseline it lacks."""
    inspector = sa.inspect(bind)
    columns = {c["name"] for c in inspector.get_columns(table.name)}
    for column in table.columns:
        if column.name in columns:
            continue
        # nullable, as intake 0.1.0 added them: existing rows have no value until the UPDATE
        op.add_column(table.name, sa.Column(column.name, column.type, nullable=True))
        default = getattr(column.default, "arg", None)
        if default is not None:
            op.execute(
                sa.table(table.name, sa.column(column.name)).update().values({column.name: default})
            )
    indexes = {i["name"] for i in inspector.get_indexes(table.name)}
    for index in table.indexes:
        if index.name not in indexes:
            index.create(bind)


def downgrade() -> None:
    raise NotImplementedError("the baseline is not undone: restore a backup instead")
