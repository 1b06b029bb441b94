"""The database adapter: the engine, the schema, the claims and the compare-and-set.

Who talks to the database: the use cases in :mod:`intake.app`, and nothing
else above this package, open sessions and read and write the rows of
:mod:`.tables` in them; each use case owns its transaction (a unit of work,
:mod:`intake.app.work`).  This module owns what must be done one way
everywhere: the engine (:mod:`.engine`: SQLite with WAL by default,
PostgreSQL for several workers), its schema (:mod:`.schema`: versioned migrations), the insert-if-absent claims that
keep workers from doing a thing twice (:func:`insert_ignore`,
:func:`upsert_article`), the compare-and-set of a letter's state with its
audit row (:meth:`Store.apply`, the one place a letter's state is written),
the outbox lease (:meth:`Store.claim_due`) and the inbox bookkeeping of the
poll loop.  Invariants kept here: the raw message (its row, and its bytes
apart in ``raw_body``: :mod:`.rawbody`) is committed before anything acts on
it; a message is claimed for processing once (``MessageKeyRow``); outbound
mail lives in the outbox table until sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, bindparam, func, or_
from sqlalchemy.engine import Engine
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, SQLModel, col, select, update

from intake.adapters.engine import conflict_insert, make_engine
from intake.adapters.rawbody import NewRaw, PiecesChanged, insert_in_pieces, insert_raws, raw_bytes
from intake.adapters.schema import migrate
from intake.adapters.tables import (
    ArticleRow,
    AuditRow,
    AuthorRow,
    CampaignKeyRow,
    CommandUseRow,
    DeskSecretRow,
    DigestRow,
    EditRow,
    FolderStateRow,
    JobStatusRow,
    LetterRow,
    MessageKeyRow,
    OutboundRow,
    RawBodyRow,
    RawMessageRow,
    ReplyKeyRow,
    ResponseRow,
    WebLinkRow,
    WebSessionRow,
    aware,
    dumps,
    loads,
)
from intake.domain.errors import StaleState
from intake.domain.lifecycle import Transition
from intake.domain.model import Article
from intake.domain.statuses import OutboxStatus, RawStatus


def insert_ignore(s: Session, model: type[SQLModel], **values: object) -> bool:
    """INSERT a row unless one with the same key exists; return whether this call inserted it.

    ``ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL alike) is what makes a claim
    safe between workers: a concurrent insert of the same key waits for the other
    transaction and then does nothing, where a plain INSERT would fail the whole
    transaction and quarantine a good message.
    """
    return inserted_key(s, model, **values) is not None


def inserted_key(s: Session, model: type[SQLModel], **values: object) -> object | None:
    """:func:`insert_ignore`, returning the new row's primary key (``None``: it existed)."""
    table = model.__table__  # type: ignore[attr-defined]
    # RETURNING, not rowcount: psycopg reports -1 for an INSERT … ON CONFLICT
    key = next(iter(table.primary_key.columns))
    statement = conflict_insert(s, table).values(**values).on_conflict_do_nothing()
    result = s.execute(statement.returning(key))
    found = result.first()
    return None if found is None else found[0]


def upsert_article(s: Session, article: Article) -> int:
    """Add the article and its author unless present (another worker may be adding them
    too); return the article's row id."""
    author_id: int | None = None
    if article.author_email:
        email = article.author_email.lower()
        insert_ignore(s, AuthorRow, email=email, name=article.author)
        author_id = s.exec(select(AuthorRow.id).where(AuthorRow.email == email)).one()
    published = article.published.isoformat() if article.published else ""
    insert_ignore(s, ArticleRow, url=article.url, title=article.title, author_id=author_id,
                  published=published)  # fmt: skip
    found = s.exec(select(ArticleRow.id).where(ArticleRow.url == article.url)).one()
    assert found is not None
    return found


# Store.apply's compare-and-set, built once and bound per transition (building it cost more
# than running it)
_SET_STATE = (
    update(LetterRow)
    .where(col(LetterRow.id) == bindparam("letter_id"), col(LetterRow.state) == bindparam("source"))
    .values(state=bindparam("target"), updated_at=bindparam("at"))
    # evaluating the WHERE against every object in the session costs more than the UPDATE:
    # only the letter's own copy is brought up to date (Store.apply)
    .execution_options(synchronize_session=False)
)


class WaitingRaw(NamedTuple):
    """A stored message waiting to be handled, as :meth:`Store.raws_to_process` lists it."""

    id: int
    size: int
    attempts: int


def _advance_folder(s: Session, rows: Sequence[RawMessageRow]) -> None:
    """Move the folder's last UID up to the highest of *rows* (IMAP), in *s*."""
    uids = [row.uid for row in rows if row.uid is not None]
    folder = s.get(FolderStateRow, rows[0].mailbox) if uids else None
    if folder is not None and max(uids) > folder.last_uid:
        folder.last_uid, folder.updated_at = max(uids), rows[-1].fetched_at
        s.add(folder)


class Store:
    """Transactions over the tables, named by what the service needs."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    # -- folders and raw messages -------------------------------------------------

    def folder_state(self, mailbox: str) -> FolderStateRow | None:
        with self.session() as s:
            return s.get(FolderStateRow, mailbox)

    def reset_folder(self, mailbox: str, uidvalidity: int, at: datetime) -> None:
        """Record a (new) UIDVALIDITY: UIDs start again from zero."""
        with self.session() as s:
            created = insert_ignore(
                s,
                FolderStateRow,
                mailbox=mailbox,
                uidvalidity=uidvalidity,
                last_uid=0,
                updated_at=at,
            )
            row = s.get(FolderStateRow, mailbox, with_for_update=True)
            if not created and row is not None and row.uidvalidity != uidvalidity:
                row.uidvalidity, row.last_uid, row.updated_at = uidvalidity, 0, at
                s.add(row)

    def known_sources(self, mailbox: str, *, after_uid: int = 0) -> set[str]:
        """Source keys already stored for *mailbox* (for IMAP, only UIDs above *after_uid*)."""
        with self.session() as s:
            keys = s.exec(
                select(RawMessageRow.source_key).where(
                    RawMessageRow.mailbox == mailbox,
                    or_(col(RawMessageRow.uid).is_(None), col(RawMessageRow.uid) > after_uid),
                )
            ).all()
            return set(keys)

    def store_raws(self, rows: Sequence[NewRaw]) -> list[int | None]:
        """Commit fetched messages (rows and bytes) in one transaction and advance the
        folder's last UID.

        Returns each row's new id, or ``None`` where another worker stored the same
        message first (``INSERT … ON CONFLICT DO NOTHING``: the others still go in).  All
        or nothing: a crash before the commit leaves the folder's last UID where it was,
        so the next poll fetches them again.
        """
        if not rows:
            return []
        with self.session() as s:
            ids = insert_raws(s, rows)
            _advance_folder(s, [new.row for new in rows])
            return ids

    def store_raw_in_pieces(self, row: RawMessageRow, pieces: Iterable[bytes]) -> int | None:
        """As :meth:`store_raws` for one message given as *pieces* (``row.size`` bytes),
        never held whole (:func:`intake.adapters.rawbody.insert_in_pieces`).

        :raises PiecesChanged: they add up to another size (nothing is stored).
        """
        with self.session() as s:
            raw_id = insert_in_pieces(s, row, pieces)
            _advance_folder(s, [row])
            return raw_id

    def raws_to_process(self, *, after_id: int = 0, limit: int = 500) -> list[WaitingRaw]:
        """Stored, unhandled messages above *after_id*, oldest first: id, size and tries so
        far (not the mail itself), for the handling loop to cut into batches."""
        with self.session() as s:
            rows = s.exec(
                select(RawMessageRow.id, RawMessageRow.size, RawMessageRow.attempts)
                .where(RawMessageRow.status == RawStatus.stored, col(RawMessageRow.id) > after_id)
                .order_by(col(RawMessageRow.id))
                .limit(limit)
            ).all()
            return [WaitingRaw(i, size, tries) for i, size, tries in rows if i is not None]

    def count_to_process(self) -> int:
        """How many stored messages wait to be handled."""
        with self.session() as s:
            return s.exec(
                select(func.count()).where(RawMessageRow.status == RawStatus.stored)
            ).one()

    def unmarked(self, mailbox: str) -> list[tuple[str, str]]:
        """Return (source_key, status) of handled messages whose inbox copy is not marked."""
        with self.session() as s:
            rows = s.exec(
                select(RawMessageRow.source_key, RawMessageRow.status).where(
                    RawMessageRow.mailbox == mailbox,
                    RawMessageRow.status != RawStatus.stored,
                    RawMessageRow.marked == False,
                )
            ).all()
            return [(k, st) for k, st in rows]

    def set_marked(self, mailbox: str, source_keys: Sequence[str]) -> None:
        if not source_keys:
            return
        with self.session() as s:
            s.exec(
                update(RawMessageRow)
                .where(
                    col(RawMessageRow.mailbox) == mailbox,
                    col(RawMessageRow.source_key).in_(source_keys),
                )
                .values(marked=True)
            )

    # -- letters and their transitions ---------------------------------------------

    @staticmethod
    def apply(s: Session, t: Transition) -> None:
        """Persist *t*: compare-and-set the state, write its audit row, and bring the
        session's copy of the letter (if it holds one) to the new state.

        Callers never set ``LetterRow.state`` themselves: this is the one place a
        letter's state is written.

        :raises StaleState: when the letter is no longer in ``t.source``.
        """
        result = s.exec(
            _SET_STATE,
            params={"letter_id": t.letter_id, "source": t.source.value,
                    "target": t.target.value, "at": t.at},
        )  # fmt: skip
        if result.rowcount != 1:
            raise StaleState(t.letter_id, t.source, t.event)
        loaded = s.identity_map.get(s.identity_key(LetterRow, t.letter_id))
        if loaded is not None:
            # as the database now has it: not a change of the object's own to flush again
            set_committed_value(loaded, "state", t.target.value)
            set_committed_value(loaded, "updated_at", t.at)
        s.add(
            AuditRow(
                letter_id=t.letter_id,
                event=t.event.value,
                source_state=t.source.value,
                target_state=t.target.value,
                actor=t.actor,
                note=t.note,
                at=t.at,
            )
        )

    @staticmethod
    def note(s: Session, *, at: datetime, event: str, note: str, letter_id: int | None = None,
             raw_id: int | None = None, actor: str = "intake") -> None:  # fmt: skip
        """Write an audit row that records a decision without a state change."""
        s.add(
            AuditRow(letter_id=letter_id, raw_id=raw_id, event=event, note=note, actor=actor, at=at)
        )

    def letters(self, states: Sequence[str] | None = None) -> list[LetterRow]:
        with self.session() as s:
            query = select(LetterRow).order_by(col(LetterRow.id))
            if states:
                query = query.where(col(LetterRow.state).in_(states))
            return list(s.exec(query).all())

    def audit(self, letter_id: int) -> list[AuditRow]:
        query = select(AuditRow).where(AuditRow.letter_id == letter_id).order_by(col(AuditRow.id))
        with self.session() as s:
            return list(s.exec(query).all())

    def counts_by_state(self) -> dict[str, int]:
        with self.session() as s:
            rows = s.exec(select(LetterRow.state, func.count()).group_by(LetterRow.state)).all()
            return dict(rows)

    # -- outbox ----------------------------------------------------------------------

    def claim_due(
        self,
        now: datetime,
        lease_until: datetime,
        worker_id: str,
        is_dead: Callable[[str], bool],
        limit: int = 50,
    ) -> list[OutboundRow]:
        """Take due outbound mail for sending.

        Due means pending with its retry time reached, or "sending" under a
        lease that ran out or that a dead worker holds (a crash mid-send).
        Each row is claimed by compare-and-set on (status, attempts), so two
        workers never send the same row in the same round.
        """
        with self.session() as s:
            due = s.exec(
                select(OutboundRow)
                .where(
                    or_(
                        and_(
                            col(OutboundRow.status) == OutboxStatus.pending,
                            col(OutboundRow.next_attempt_at) <= now,
                        ),
                        col(OutboundRow.status) == OutboxStatus.sending,
                    )
                )
                .order_by(col(OutboundRow.id))
                .limit(limit)
            ).all()
            candidates = [
                (r.id, r.status, r.attempts)
                for r in due
                if r.status == OutboxStatus.pending
                or (aware(r.lease_until) or now) <= now
                or (r.claimed_by != worker_id and is_dead(r.claimed_by))
            ]
        claimed: list[OutboundRow] = []
        for row_id, status, attempts in candidates:
            with self.session() as s:
                result = s.exec(
                    update(OutboundRow)
                    .where(
                        col(OutboundRow.id) == row_id,
                        col(OutboundRow.status) == status,
                        col(OutboundRow.attempts) == attempts,
                    )
                    .values(
                        status=OutboxStatus.sending,
                        lease_until=lease_until,
                        claimed_by=worker_id,
                        attempts=attempts + 1,
                    )
                )
                if result.rowcount == 1:
                    row = s.get(OutboundRow, row_id)
                    assert row is not None
                    claimed.append(row)
        return claimed

    def outbound(self, letter_id: int | None = None) -> list[OutboundRow]:
        with self.session() as s:
            query = select(OutboundRow).order_by(col(OutboundRow.id))
            if letter_id is not None:
                query = query.where(OutboundRow.letter_id == letter_id)
            return list(s.exec(query).all())


# the use cases import the tables from here: one place to look for the database
__all__ = [
    "ArticleRow",
    "AuditRow",
    "AuthorRow",
    "CampaignKeyRow",
    "CommandUseRow",
    "DeskSecretRow",
    "DigestRow",
    "EditRow",
    "FolderStateRow",
    "JobStatusRow",
    "LetterRow",
    "MessageKeyRow",
    "NewRaw",
    "OutboundRow",
    "PiecesChanged",
    "RawBodyRow",
    "RawMessageRow",
    "ReplyKeyRow",
    "ResponseRow",
    "Store",
    "WebLinkRow",
    "WebSessionRow",
    "aware",
    "dumps",
    "insert_ignore",
    "loads",
    "make_engine",
    "migrate",
    "raw_bytes",
    "upsert_article",
]
