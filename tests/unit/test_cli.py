"""The command line: JSON shapes, one-line errors, and every corpus file without a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake.cli import main

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLES = ROOT / "samples"
CATEGORIES = {"letter", "author_reply", "auto_reply", "bounce", "bulk", "spam", "other"}


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    lines = (CORPUS / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    files = [CORPUS / json.loads(line)["path"] for line in lines]
    assert len(files) == 138
    return files


def test_classify_and_extract_reply_run_on_every_corpus_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INTAKE_CONFIG", raising=False)
    for path in corpus_files():
        assert main(["classify", str(path), "--json"]) == 0, path
        out, err = capsys.readouterr()
        result = json.loads(out)
        assert set(result) == {"category", "confidence", "reasons", "article"}, path
        assert result["category"] in CATEGORIES
        assert 0.0 <= result["confidence"] <= 1.0
        assert isinstance(result["reasons"], list) and result["reasons"], path
        assert "Traceback" not in err
        assert main(["extract-reply", str(path)]) == 0, path
        out, err = capsys.readouterr()
        assert "Traceback" not in err


def test_classify_names_the_article_when_a_catalogue_is_configured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "intake.toml"
    config.write_text(f'[articles]\nsource = "{SAMPLES / "articles.csv"}"\n')
    letter = SAMPLES / "inbox" / "01-letter-seed-nyc-ice.eml"
    assert main(["--config", str(config), "classify", str(letter), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["category"] == "letter"
    assert result["article"]["author"] == "Michelle Chen"
    assert result["article"]["title"].startswith("Is New York City Partnering With ICE")
    assert not (tmp_path / "intake-data").exists()  # classify touches no database


def test_extract_reply_prints_only_the_new_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reply = tmp_path / "reply.eml"
    reply.write_text(
        "From: author1@news.test\nTo: letters+abc@news.test\nSubject: Re: your letter\n\n"
        "Happy to respond: the depot is the story.\n\n"
        "On Fri, 28 Nov 2026 at 09:00, The Nation Letters <letters@news.test> wrote:\n"
        "> A reader wrote about your article.\n> Dear Editor:\n"
    )
    assert main(["extract-reply", str(reply)]) == 0
    assert capsys.readouterr().out.strip() == "Happy to respond: the depot is the story."


def test_a_bad_config_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "intake.toml"
    config.write_text('[imap]\nhost = "h"\nsecurity = "tls"\nusername = "u"\npassword_env = "X"\n')
    assert main(["--config", str(config), "init"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "imap.security" in err


def test_a_missing_file_exits_1_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "/nonexistent/letter.eml"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "/nonexistent/letter.eml" in err


def test_init_is_idempotent_and_queue_starts_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "intake.toml"
    config.write_text('[desk]\naddress = "letters@news.test"\n')
    assert main(["--config", str(config), "init"]) == 0
    assert main(["--config", str(config), "init"]) == 0
    assert (tmp_path / "intake-data" / "inbox" / "new").is_dir()
    capsys.readouterr()
    assert main(["--config", str(config), "queue", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_demo_shows_the_whole_cycle_and_ends_with_the_seed_pair(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--dir", str(tmp_path / "demo")]) == 0
    out = capsys.readouterr().out
    assert "4 authors asked for a response" in out
    assert "another poll sends nothing more: sent=0" in out
    tail = out[out.index("=====") :]
    assert (
        "A Response to ‘Is New York City Partnering With ICE to Rip Apart Immigrant Communities?’"
        in tail
    )
    assert "Dear Editor:" in tail and "Michelle Chen responds: Thank you for your feedback." in tail
    # running it again starts afresh and gives the same result
    assert main(["demo", "--dir", str(tmp_path / "demo")]) == 0
    assert "queue: published 4" in capsys.readouterr().out
