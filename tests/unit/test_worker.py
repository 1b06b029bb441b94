"""The composition root: the schedule it builds and the catalogue cache it keeps."""

from __future__ import annotations

from dataclasses import MISSING, fields
from datetime import timedelta
from pathlib import Path

import pytest
from fakes import FakeClock

from intake.app.deps import Policy
from intake.config import load_settings
from intake.domain.errors import ConfigError
from intake.sorting.policy import LettersPolicy
from intake.worker import CatalogueCache, build_deps, build_scheduler, data_path, policy_from


def test_schedule_is_one_non_overlapping_tick(tmp_path: Path) -> None:
    settings = load_settings("[schedule]\npoll_seconds = 45\n", {}, cwd=tmp_path)
    scheduler = build_scheduler(settings, build_deps(settings, {}))
    (job,) = [job for job in scheduler.get_jobs() if job.id == "tick"]
    assert job.trigger.interval == timedelta(seconds=45)
    assert job.max_instances == 1 and job.coalesce is True


def test_the_worker_prunes_at_the_retention_hour_unless_it_keeps_everything(
    tmp_path: Path,
) -> None:
    config = '[desk]\ntimezone = "Europe/Berlin"\n[retention]\ncron = "40 2 * * *"\n'
    settings = load_settings(config, {}, cwd=tmp_path)
    jobs = {job.id: job for job in build_scheduler(settings, build_deps(settings, {})).get_jobs()}
    assert set(jobs) == {"tick", "retention"}
    trigger = str(jobs["retention"].trigger)
    assert "hour='2'" in trigger and "minute='40'" in trigger
    assert str(jobs["retention"].trigger.timezone) == "Europe/Berlin"
    keep = "[retention]\nother_mail_days = 0\npublished_letter_days = 0\n"
    settings = load_settings(keep, {}, cwd=tmp_path)
    jobs = {job.id: job for job in build_scheduler(settings, build_deps(settings, {})).get_jobs()}
    assert set(jobs) == {"tick"}


def test_catalogue_cache_reloads_when_stale_and_keeps_the_old_one_on_failure(
    tmp_path: Path,
) -> None:
    csv = tmp_path / "articles.csv"
    csv.write_text(
        "url,title,author,author_email,published\nhttps://n.test/a,First Title Here,A,a@n.test,\n"
    )
    clock = FakeClock()
    cache = CatalogueCache(str(csv), timedelta(minutes=60), clock)
    assert len(cache()) == 1
    csv.write_text(csv.read_text() + "https://n.test/b,Second Title Here,B,b@n.test,\n")
    assert len(cache()) == 1  # fresh enough
    clock.current += timedelta(minutes=61)
    assert len(cache()) == 2
    csv.write_text("not,the,right,columns\n")
    clock.current += timedelta(minutes=61)
    assert len(cache()) == 2  # a broken refresh keeps the last good catalogue


def test_a_broken_catalogue_fails_at_first_load(tmp_path: Path) -> None:
    csv = tmp_path / "articles.csv"
    csv.write_text("title\nOnly a title\n")
    with pytest.raises(ConfigError):
        CatalogueCache(str(csv), timedelta(minutes=60), FakeClock())()


def test_shipped_data_is_found_from_a_source_checkout() -> None:
    assert (data_path("templates") / "mail" / "author_request.txt").is_file()
    assert (data_path("samples") / "articles.csv").is_file()


def test_refresh_now_reloads_a_fresh_catalogue_and_survives_a_broken_source(
    tmp_path: Path,
) -> None:
    csv = tmp_path / "articles.csv"
    header = "url,title,author,author_email,published\n"
    csv.write_text(header + "https://n.test/a,First Title Here,A,a@n.test,\n")
    cache = CatalogueCache(str(csv), timedelta(minutes=60), FakeClock())
    assert len(cache()) == 1
    csv.write_text(csv.read_text() + "https://n.test/b,Second Title Here,B,b@n.test,\n")
    assert cache.refresh_now() == "2 articles"  # no waiting for the cache to go stale
    assert len(cache()) == 2
    csv.write_text("not,the,right,columns\n")
    assert cache.refresh_now() == "kept the previous catalogue (2 articles)"
    assert len(cache()) == 2


def test_the_catalogue_is_reloaded_on_its_own_schedule(tmp_path: Path) -> None:
    csv = tmp_path / "articles.csv"
    csv.write_text(
        "url,title,author,author_email,published\nhttps://n.test/a,A Title,A,a@n.test,\n"
    )
    settings = load_settings(
        f'[articles]\nsource = "{csv}"\nrefresh_minutes = 15\n', {}, cwd=tmp_path
    )
    deps = build_deps(settings, {})
    jobs = {job.id: job for job in build_scheduler(settings, deps).get_jobs()}
    job = jobs["catalogue"]
    assert job.trigger.interval == timedelta(minutes=15)
    assert job.max_instances == 1
    assert job.args[0] == "catalogue" and job.args[1] == deps.catalogue.refresh_now


def test_the_use_cases_policy_and_letters_policy_have_no_defaults_of_their_own() -> None:
    for rules in (Policy, LettersPolicy):
        defaulted = [f.name for f in fields(rules) if f.default is not MISSING
                     or f.default_factory is not MISSING]  # fmt: skip
        assert defaulted == [], rules.__name__


def test_policy_from_carries_every_key_the_config_sets(tmp_path: Path) -> None:
    settings = load_settings(
        """
        [desk]
        publication = "The Ledger"
        address = "letters@ledger.test"
        editors = ["ed@ledger.test"]
        timezone = "Europe/Oslo"
        [authors]
        response_days = 9
        key_valid_days = 40
        reminder_days = 4
        max_reminders = 2
        decline_words = ["Nope"]
        authserv_id = "mx.ledger.test"
        [authors.aliases]
        "a@ledger.test" = ["b@home.test"]
        [classify]
        review_below = 0.7
        max_message_mb = 3
        [outbox]
        max_attempts = 4
        retry_seconds = 30
        [digest]
        token_valid_days = 2
        [writers]
        acknowledge = true
        ask_for_details = false
        [policy]
        word_limit = 300
        require_town = false
        require_phone_or_address = true
        [publish]
        approval = "auto"
        """,
        {},
        cwd=tmp_path,
    )
    policy = policy_from(settings)
    assert (policy.publication, policy.desk_address, policy.from_address, policy.editors,
            policy.timezone) == ("The Ledger", "letters@ledger.test", "letters@ledger.test",
                                 ("ed@ledger.test",), "Europe/Oslo")  # fmt: skip
    assert (policy.response_window, policy.key_validity, policy.reminder_after) == (
        timedelta(days=9), timedelta(days=40), timedelta(days=4))  # fmt: skip
    assert (policy.max_reminders, policy.decline_words, policy.authserv_id) == (
        2, ("nope",), "mx.ledger.test")  # fmt: skip
    assert policy.may_answer_for("A@ledger.test") == {"a@ledger.test", "b@home.test"}
    assert (policy.review_below, policy.max_message_bytes) == (0.7, 3 * 2**20)
    assert (policy.outbox_max_attempts, policy.outbox_retry) == (4, timedelta(seconds=30))
    assert policy.command_token_valid == timedelta(days=2)
    assert (policy.acknowledge_writers, policy.ask_writer_details) == (True, False)
    assert policy.letters.word_limit == 300 and policy.letters.require_town is False
    assert policy.writer_details_required == ("full_name", "phone")
    assert policy.approval == "auto"
