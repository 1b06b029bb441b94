"""Tests for intake.sorting.lettermodel: its features, its dot product, the reasons it gives,
and how classify lets it veto a letter of the rules'."""

from __future__ import annotations

import math

import pytest

from intake.config.sections import ClassifySettings
from intake.domain.model import Address, Category, ParsedMail
from intake.sorting import classify as classify_module
from intake.sorting.classify import DeskIdentity, classify
from intake.sorting.lettermodel import BIAS, Judgement, features, judge, readable, reason_kind
from intake.sorting.letterscore import ContentScore, score_content
from intake.sorting.letterweights import LETTER_AT_LEAST, VETO_BELOW, WEIGHTS

DESK = DeskIdentity(address="letters@news.test")
LETTER = (
    "To the editor:\n\nYour article on the library's Sunday hours missed the point. I disagree "
    "that the branch can close early: as a parent I see every family that uses it on Sundays, "
    "and the council has not said where the children should go instead. The figures in the "
    "story count loans, not visits, and visits are what the room is for.\n\nJane Roe, Ashby\n"
)


def _score(**fields: object) -> ContentScore:
    values: dict[str, object] = {
        "letter": 0.0, "substance": 0.0, "other": 0.0, "letter_reasons": (),
        "other_reasons": (), "against_reasons": (), "words": 100, "asks": 0.0,
    }  # fmt: skip
    values.update(fields)
    return ContentScore(**values)  # type: ignore[arg-type]


def _mail(
    text: str, subject: str = "Sunday hours", headers: dict[str, str] | None = None
) -> ParsedMail:
    return ParsedMail(
        message_id="m1@example.com",
        has_message_id=True,
        sender=Address(name="Jane Roe", email="jane.roe@example.com"),
        to=(Address(name="", email="letters@news.test"),),
        subject=subject,
        headers={
            "from": ("Jane Roe <jane.roe@example.com>",),
            **{k.lower(): (v,) for k, v in (headers or {}).items()},
        },
        text=text,
    )


def test_features_are_the_senders_words_pairs_subject_and_the_rules_signals() -> None:
    text = "Our team is Happy to provide a guide.\n\n> quoted words stay out\n"
    score = _score(
        letter=5.0,
        other=4.0,
        asks=4.0,
        words=7,
        letter_reasons=("opens with 'Dear Editor,'",),
        other_reasons=("asks us to add a link, not a letter: ‘add a link’",),
    )
    found = features("Re: Guide", text, score)
    assert found[BIAS] == 1.0
    assert found["w:happy"] == found["b:our team"] == found["b:to provide"] == 1.0
    assert "w:quoted" not in found and "b:words stay" not in found
    assert found["s:guide"] == found["s:re"] == 1.0
    assert found["r:opens with"] == found["r:asks us to add a link"] == 1.0
    assert found["n:letter"] == 0.5 and found["n:other"] == 0.5 and found["n:asks"] == 0.5
    assert found["len:under 30"] == 1.0


def test_a_forwarded_tail_gives_no_words() -> None:
    text = "Worth a look.\n\n---------- Forwarded message ---------\nFrom: x\n\nbacklinks galore\n"
    found = features("Fwd: x", text, _score())
    assert "w:worth" in found and "w:backlinks" not in found


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        ("opens with 'Dear Editor,'", "opens with"),
        ("only 12 words: too short for a letter", "only N words: too short for a letter"),
        ("refers to a published piece: 'your article'", "refers to a published piece"),
        ("applies for a job, not a letter: ‘dear hiring’", "applies for a job"),
        ("signed 'Jane Roe / Ashby'", "signed"),
        ("names our article ‘Depot’ (title)", "names our article"),
    ],
)
def test_a_reasons_kind_drops_what_it_quoted(reason: str, kind: str) -> None:
    assert reason_kind(reason) == kind


def test_judge_is_a_logistic_dot_product_and_names_what_weighed_most() -> None:
    weights = {BIAS: -1.0, "b:our team": -2.0, "w:guide": -0.5, "w:the": -3.0, "w:council": 1.5}
    found = {BIAS: 1.0, "b:our team": 1.0, "w:guide": 1.0, "w:the": 1.0, "w:council": 1.0}
    judged = judge(found, weights)
    assert judged.probability == round(1.0 / (1.0 + math.exp(5.0)), 3)
    # 'the' weighs most but names nothing an editor can use; it still counts
    assert judged.against_letter == ("‘our team’", "‘guide’")
    assert judged.for_letter == ("‘council’",)


def test_features_the_model_never_saw_weigh_nothing() -> None:
    assert judge({BIAS: 1.0, "w:zyzzyva": 1.0}, {BIAS: 0.0}).probability == 0.5


def test_a_judgement_reads_one_way_or_the_other() -> None:
    judged = Judgement(
        probability=0.08, for_letter=("a signature",), against_letter=("‘our team’",)
    )
    assert judged.reason(0.15) == "reads like mail that is no letter (0.08): ‘our team’"
    assert judged.reason(0.05) == "reads like a letter (0.08): a signature"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("b:happy to", "‘happy to’"),
        ("s:job", "subject ‘job’"),
        ("r:closes with", "a closing line"),
        ("r:argues in the first person", "argues in the first person"),
        ("n:asks", "what it asks the paper for"),
        ("len:under 30", "under 30 words"),
    ],
)
def test_feature_names_read_as_an_editor_reads_them(name: str, shown: str) -> None:
    assert readable(name) == shown


def test_the_shipped_model_reads_a_letter_as_one() -> None:
    score = score_content("Sunday hours", LETTER)
    judged = judge(features("Sunday hours", LETTER, score), WEIGHTS)
    assert judged.probability >= VETO_BELOW
    assert 0.0 < VETO_BELOW < 0.5 and BIAS in WEIGHTS
    assert LETTER_AT_LEAST is None or LETTER_AT_LEAST > 0.5


def test_the_models_veto_makes_a_rules_letter_other_mail_with_its_reasons(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mail = _mail(LETTER)
    assert classify(mail, DESK).category is Category.letter
    monkeypatch.setattr(classify_module, "VETO_BELOW", 1.01)  # the model vetoes every letter
    vetoed = classify(mail, DESK)
    assert vetoed.category is Category.other
    assert vetoed.reasons[0].startswith("reads like mail that is no letter (")
    assert "but: opens with 'To the editor:'" in vetoed.reasons
    assert not any(r.startswith("but: but: ") for r in vetoed.reasons)


def test_other_mail_the_model_finds_very_like_a_letter_is_one_for_an_editor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mail = _mail("Dear Editor,\n\nYour article on the depot was a fine read.\n")
    monkeypatch.setattr(classify_module, "WEIGHTS", {BIAS: 30.0})  # sure of a letter, always
    monkeypatch.setattr(classify_module, "LETTER_AT_LEAST", None)  # the model makes no letter
    assert classify(mail, DESK).category is Category.other
    monkeypatch.setattr(classify_module, "LETTER_AT_LEAST", 0.9)
    made = classify(mail, DESK)
    assert made.category is Category.letter
    assert made.confidence < ClassifySettings().review_below  # an editor looks first
    assert made.reasons[0] == "reads like a letter (1.00)"  # nothing but its bias weighed
    # the rules' signs of a letter now agree; what they held against one is a "but"
    assert made.reasons[1] == "opens with 'Dear Editor,'"
    assert made.reasons[-1] == "but: only 11 words: too short for a letter"


@pytest.mark.parametrize(
    "text",
    [
        "The hall is on the corner of the square. " * 12 + "\n\nJane Roe\nAshby\n",  # no substance
        "Dear Editor,\n\nI am writing to apply for the internship; my CV is attached.\n",  # asks
    ],
)
def test_the_model_makes_no_letter_of_mail_without_substance_or_that_asks(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    monkeypatch.setattr(classify_module, "WEIGHTS", {BIAS: 30.0})
    monkeypatch.setattr(classify_module, "LETTER_AT_LEAST", 0.5)
    assert classify(_mail(text), DESK).category is Category.other


def test_the_model_leaves_machine_mail_to_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    mail = _mail(
        "Hello,\n\nThis month's offers are below.\n\nUnsubscribe: https://example.com/u\n",
        headers={"List-Unsubscribe": "<https://example.com/u>", "Precedence": "bulk"},
    )
    monkeypatch.setattr(classify_module, "WEIGHTS", {BIAS: 30.0})
    monkeypatch.setattr(classify_module, "LETTER_AT_LEAST", 0.5)
    assert classify(mail, DESK).category is Category.bulk
