"""The schema grows in place: a database made by an earlier intake gains new columns."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text

from intake.adapters.store import LetterRow, RawMessageRow, Store, create_schema, make_engine

AT = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def test_create_schema_adds_missing_columns_with_their_defaults(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    create_schema(engine)
    store = Store(engine)
    with store.session() as s:
        raw = RawMessageRow(mailbox="m", uidvalidity=1, source_key="k", message_id="id@x", sha256="h",
                            size=1, raw=b"x", fetched_at=AT)  # fmt: skip
        s.add(raw)
        s.flush()
        s.add(LetterRow(raw_id=raw.id or 0, message_id="id@x", writer_name="A B", writer_email="a@x",
                        subject="s", body="b", confidence=0.9, received_at=AT, updated_at=AT))  # fmt: skip
    with engine.begin() as conn:
        # an older intake had neither of these columns
        conn.execute(text("ALTER TABLE letter DROP COLUMN reminders_sent"))
        conn.execute(text("ALTER TABLE letter DROP COLUMN findings"))
    assert "findings" not in {c["name"] for c in inspect(engine).get_columns("letter")}

    create_schema(engine)
    create_schema(engine)  # idempotent
    columns = {c["name"] for c in inspect(engine).get_columns("letter")}
    assert {"findings", "reminders_sent"} <= columns
    (letter,) = store.letters()
    assert (letter.findings, letter.reminders_sent, letter.writer_name) == ("[]", 0, "A B")
