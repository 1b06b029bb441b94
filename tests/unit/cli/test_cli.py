"""The command line: JSON shapes, one-line errors, and every corpus file without a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intake.cli import main

ROOT = Path(__file__).resolve().parents[3]
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
        assert set(result) == {
            "category",
            "confidence",
            "reasons",
            "article",
            "candidates",
            "findings",
        }, path
        assert result["candidates"] == [] and result["article"] is None  # no catalogue
        assert result["category"] == "letter" or result["findings"] == []
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
    config.write_text(
        f'[desk]\naddress = "letters@news.test"\n[articles]\nsource = "{SAMPLES / "articles.csv"}"\n'
    )
    letter = SAMPLES / "inbox" / "01-letter-seed-nyc-ice.eml"
    assert main(["--config", str(config), "classify", str(letter), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["category"] == "letter"
    assert result["article"]["author"] == "Michelle Chen"
    assert result["article"]["title"].startswith("Is New York City Partnering With ICE")
    assert result["article"]["author_email"] == "michelle.chen@news.test"
    # the best candidate is the article; the ranking carries score and reason
    best = result["candidates"][0]
    assert {k: best[k] for k in ("url", "title", "author")} == {
        k: result["article"][k] for k in ("url", "title", "author")
    }
    # the quoted title (0.95), and "published on August 13th" is the article's date (+0.1, capped)
    assert best["score"] == 0.97 and best["reason"].startswith("quotes the title")
    assert best["reason"].endswith("published on the date the letter gives (August 13th)")
    scores = [c["score"] for c in result["candidates"]]
    assert scores == sorted(scores, reverse=True)
    # the default policy: 253 words is over 250, and the signature gives no town
    assert [f["code"] for f in result["findings"]] == ["word_limit", "town"]
    assert not (tmp_path / "intake-data").exists()  # classify touches no database


def test_classify_reports_policy_findings_from_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "intake.toml"
    config.write_text(
        f'[desk]\naddress = "letters@news.test"\n[articles]\nsource = "{SAMPLES / "articles.csv"}"\n'
        "[policy]\nword_limit = 0\nrequire_town = false\nrequire_exclusivity = true\n"
    )
    letter = SAMPLES / "inbox" / "01-letter-seed-nyc-ice.eml"
    assert main(["--config", str(config), "classify", str(letter), "--json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert findings == [
        {"code": "exclusivity", "message": "no statement that the letter is exclusive to us"}
    ]


def test_eval_prints_precision_recall_and_reply_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixtures = ROOT / "tests" / "data" / "mail"
    assert main(["eval", str(fixtures)]) == 0
    out = capsys.readouterr().out
    assert "letter " in out and "precision  recall" in out
    assert "human messages taken for machine mail: 0/" in out
    assert "reply text matches its label: 3/3 (100.0%)" in out
    assert main(["eval", str(fixtures), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    letter = figures["categories"]["letter"]
    assert letter["precision"] >= 0.9 and letter["recall"] >= 0.9
    assert figures["replies"]["total"] == 3
    assert main(["eval", str(tmp_path)]) == 1
    assert "no labels.jsonl" in capsys.readouterr().err


def test_eval_on_the_shared_corpus_meets_the_targets(capsys: pytest.CaptureFixture[str]) -> None:
    corpus_files()  # skips without the corpus
    assert main(["eval", str(CORPUS), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["targets_missed"] == []
    assert figures["categories"]["bounce"]["recall"] >= 0.98
    assert figures["human_as_machine"] == 0


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
    # nothing prints without an editor: the demo plays one, and says so
    assert "4 letters are ready: formatted, waiting for an editor's approve" in out
    assert out.count("the demo, as editor editor@news.test: approve") == 4
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


def test_queue_works_before_init_on_a_fresh_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INTAKE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["queue"]) == 0
    assert "empty" in capsys.readouterr().out
    assert (tmp_path / "intake-data" / "intake.db").is_file()
