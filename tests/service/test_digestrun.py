"""The digest on a schedule: once per slot, across restarts; what is new since the last one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from deskkit import Desk, make_desk
from deskletters import BUS, letter, read, text_of
from fakes import FakeClock
from sqlmodel import select

from intake.adapters.store import DeskSecretRow, DigestRow, OutboundRow
from intake.app.digestrun import current_slot, period_of, send_digest_now, send_due_digest
from intake.app.emailcommands import ensure_signing_key
from intake.config import load_settings
from intake.domain import commandtoken
from intake.worker import build_deps, build_scheduler, tick

DAILY = "0 8 * * *"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_the_current_slot_is_the_latest_firing_in_the_desks_time_zone() -> None:
    berlin = "Europe/Berlin"
    # 07:30 UTC is 08:30 in Berlin (winter): today's 08:00 slot
    assert current_slot(DAILY, berlin, at("2026-11-28T07:30+00:00")) == at("2026-11-28T08:00+01:00")
    # 06:59 UTC is 07:59 there: still yesterday's
    assert current_slot(DAILY, berlin, at("2026-11-28T06:59+00:00")) == at("2026-11-27T08:00+01:00")
    assert current_slot("*/15 * * * *", "UTC", at("2026-11-28T10:44+00:00")) == at(
        "2026-11-28T10:30+00:00"
    )
    # weekly, Mondays: a Saturday's slot is five days back
    saturday = at("2026-11-28T12:00+00:00")
    for monday in ("mon", "1"):  # crontab counts weekdays from Sunday = 0
        assert current_slot(f"0 8 * * {monday}", "UTC", saturday) == at("2026-11-23T08:00+00:00")
    assert current_slot("0 8 * * 0", "UTC", saturday) == at("2026-11-22T08:00+00:00")
    assert current_slot("0 8 * * 7", "UTC", saturday) == at("2026-11-22T08:00+00:00")
    slot = at("2026-11-28T08:00+01:00")
    assert period_of(slot, berlin) == "2026-11-28T08:00+01:00"


def digests(d: Desk) -> list[OutboundRow]:
    with d.deps.store.session() as s:
        return list(s.exec(select(OutboundRow).where(OutboundRow.purpose == "digest")).all())


def test_one_digest_per_slot_even_after_a_restart(tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 11, 28, 8, 5, tzinfo=UTC))
    d = make_desk(tmp_path, clock)
    d.deliver(letter(1, BUS))
    tick(d.deps)
    assert "queued=1" in send_due_digest(d.deps, DAILY)
    clock.advance(minutes=30)
    assert send_due_digest(d.deps, DAILY).endswith("already sent")
    # a restart: new dependencies on the same database
    again = make_desk(tmp_path, clock)
    assert send_due_digest(again.deps, DAILY).endswith("already sent")
    assert len(digests(again)) == 1
    with again.deps.store.session() as s:
        (row,) = s.exec(select(DigestRow)).all()
    assert row.period == "2026-11-28T08:00+00:00" and row.recipients == "editor@news.test"
    # the next day's slot sends again; only what is new since yesterday's counts as new
    clock.advance(days=1)
    again.deliver(letter(2))
    tick(again.deps)
    assert "queued=1" in send_due_digest(again.deps, DAILY)
    (_, second) = sorted(digests(again), key=lambda o: o.id or 0)
    text = text_of(read_raw(second.raw))
    assert "New since the last digest (28 November 2026, 08:05): 1 letter." in text
    assert "NEW LETTERS (1)" in text and "L-2" in text


def read_raw(raw: bytes):  # type: ignore[no-untyped-def]
    import email
    import email.policy

    return email.message_from_bytes(raw, policy=email.policy.default)


def test_digest_now_sends_whatever_the_schedule(desk: Desk) -> None:
    assert "queued=1" in send_digest_now(desk.deps)
    desk.clock.advance(seconds=1)
    assert "queued=1" in send_digest_now(desk.deps)
    files = [read(p) for p in desk.outbox_files()]
    assert len(files) == 2 and all(f.get_body(("html",)) is not None for f in files)
    assert all(f["Auto-Submitted"] == "auto-generated" for f in files)


def test_the_generated_signing_key_is_made_once_and_kept(desk: Desk, tmp_path: Path) -> None:
    key = ensure_signing_key(desk.deps)
    assert ensure_signing_key(make_desk(tmp_path).deps) == key
    with desk.deps.store.session() as s:
        assert len(s.exec(select(DeskSecretRow)).all()) == 1


def test_a_configured_secret_signs_instead(tmp_path: Path) -> None:
    config = '[desk]\neditors = ["editor@news.test"]\naddress = "letters@news.test"\n'
    config += 'secret_env = "DESK_KEY"\n[digest]\ntoken_valid_days = 2\n'
    settings = load_settings(config, {"DESK_KEY": "s3cret"}, cwd=tmp_path)
    clock = FakeClock()
    deps = build_deps(settings, {}, clock=clock)
    from intake.worker import init

    init(settings, deps)
    send_digest_now(deps)
    with deps.store.session() as s:
        assert s.exec(select(DeskSecretRow)).all() == []
        (out,) = s.exec(select(OutboundRow)).all()
    token = str(read_raw(out.raw)["Reply-To"]).split("+")[1].split("@")[0]
    valid = timedelta(days=2)
    assert commandtoken.verify(b"s3cret", token, now=clock.now(), valid_for=valid).ok
    assert deps.policy.command_token_valid == valid


def test_the_worker_schedules_the_digest_when_there_are_editors(tmp_path: Path) -> None:
    text = '[desk]\neditors = ["editor@news.test"]\ntimezone = "Europe/Berlin"\n'
    settings = load_settings(text + '[digest]\ncron = "30 7 * * 1-5"\n', {}, cwd=tmp_path)
    jobs = {j.id: j for j in build_scheduler(settings, build_deps(settings, {})).get_jobs()}
    trigger = jobs["digest"].trigger
    assert str(trigger.timezone) == "Europe/Berlin"
    saturday = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    monday = trigger.get_next_fire_time(None, saturday)
    assert monday.isoformat() == "2026-11-30T07:30:00+01:00"  # weekdays, Berlin time
    off = load_settings(text + "[digest]\nenabled = false\n", {}, cwd=tmp_path)
    assert "digest" not in {j.id for j in build_scheduler(off, build_deps(off, {})).get_jobs()}
