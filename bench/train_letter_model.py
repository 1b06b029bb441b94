"""Train the letter model (:mod:`intake.sorting.lettermodel`) and write its weights.

    python bench/train_letter_model.py            # writes intake/sorting/letterweights.py
    python bench/train_letter_model.py --check    # exits 1 when the shipped weights differ
    python bench/train_letter_model.py --cv 5     # cross-validated figures on the training set

Trains on the ``tune`` part of the letters-desk corpus (``tests/data/desk``)
and on the classifier's fixtures (``tests/data/mail``), never on ``untouched``,
``fresh`` or any other part: those are measured only.  Each message is sorted
as the desk sorts it (:func:`intake.sorting.sortmail.sort_mail`: a relay's
reader, a forward's letter); those the machine-mail rules leave to the content
(what :mod:`intake.sorting.classify` weighs by its words) are the examples,
a letter against everything else.  The model is an L2-regularised logistic
regression fitted by L-BFGS written here in plain Python, so the weights are
the same on every run and every machine (no random start, a fixed order, no
library whose version could move them); they are rounded and written as a
Python literal the package reads with no I/O.  Lives in ``bench/`` beside the
other scripts that read the corpora: it is a tool of the repository, not of
the package.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from intake.adapters.catalogue import load_catalogue
from intake.domain.model import ArticleMatch, Category, ParsedMail
from intake.eval.corpus import EVAL_DESK, parse_item
from intake.mail.tametext import signal_text
from intake.sorting import classify
from intake.sorting.classify import classify_machine, model_may_make_a_letter
from intake.sorting.lettermodel import BIAS, features
from intake.sorting.letterscore import score_content
from intake.sorting.sortmail import sort_mail

ROOT = Path(__file__).resolve().parents[1]
DESK = ROOT / "tests" / "data" / "desk"
FIXTURES = ROOT / "tests" / "data" / "mail"
OUT = ROOT / "intake" / "sorting" / "letterweights.py"
TRAIN_SPLITS = ("tune",)  # the only desk part the model may learn from

C = 1.0  # inverse strength of the L2 penalty (the bias is not penalised)
MIN_DF = 3  # a word or pair must occur in this many training messages
MAX_VOCAB = 2_500  # words and pairs a first fit weighs, most frequent first
KEEP = 300  # words and pairs the model keeps, those the first fit weighed most (the weights' module stays under the 420 lines a module may have)
DIGITS = 4  # decimals the shipped weights keep
MAX_ITERATIONS = 500
TOLERANCE = 1e-6
FOLDS = 5  # cross-validation that picks the veto threshold
VETO_GRID = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
LETTER_GRID = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, None)  # None: the model makes no letter


@dataclass(frozen=True, slots=True)
class Example:
    """One training message: where it is, whether it is a letter, its features."""

    path: str
    letter: bool
    found: dict[str, float]
    rules: str  # what the rules alone call it: letter, other (or weak spam or bulk signs)
    may_be_made_a_letter: bool = True  # classify.model_may_make_a_letter of it


def _content_mail(
    raw: bytes, look_up: Callable[[ParsedMail], ArticleMatch | None]
) -> tuple[ParsedMail, str] | None:
    """The message the classifier weighs by its content and whether the rules alone call
    it a letter, or None when the machine-mail rules decide."""
    with rules_alone():
        sorted_ = sort_mail(parse_item(raw, "eml"), EVAL_DESK, look_up=look_up)
    if sorted_.verdict.category is Category.author_reply:
        return None
    mail = replace(sorted_.letter, text=signal_text(sorted_.letter.text))
    if classify_machine(mail, EVAL_DESK) is not None:
        return None
    return mail, sorted_.verdict.category.value


@contextmanager
def rules_alone() -> Iterator[None]:
    """Sort with the rules alone: no say of the shipped model while it is being trained."""
    saved = classify.VETO_BELOW, classify.LETTER_AT_LEAST
    classify.VETO_BELOW, classify.LETTER_AT_LEAST = 0.0, None
    try:
        yield
    finally:
        classify.VETO_BELOW, classify.LETTER_AT_LEAST = saved


def examples(splits: Sequence[str] = TRAIN_SPLITS, *, fixtures: bool = True) -> list[Example]:
    """The training examples: the desk corpus's *splits* and the classifier's fixtures."""
    catalogue = load_catalogue(str(DESK / "catalogue.csv"))

    def look_up(mail: ParsedMail) -> ArticleMatch | None:
        sent_on = mail.date.date() if mail.date else None
        found = catalogue.match(
            text=mail.text, subject=mail.subject, html=mail.html, sent_on=sent_on
        )
        return found[0] if found else None

    sources: list[tuple[Path, str, dict[str, object]]] = []
    for line in (DESK / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line) if line.strip() else None
        if item and item["format"] == "eml" and item.get("split") in splits:
            sources.append((DESK, "desk/" + item["path"], item))
    if fixtures:
        for line in (FIXTURES / "labels.jsonl").read_text(encoding="utf-8").splitlines():
            item = json.loads(line) if line.strip() else None
            if item and item["format"] == "eml":
                sources.append((FIXTURES, "mail/" + item["path"], item))
    found: list[Example] = []
    for folder, name, item in sorted(sources, key=lambda s: s[1]):
        content = _content_mail((folder / str(item["path"])).read_bytes(), look_up)
        if content is None:
            continue
        mail, rules = content
        score = score_content(mail.subject, mail.text)
        letter = item["category"] == "letter"
        found.append(
            Example(
                name,
                letter,
                features(mail.subject, mail.text, score),
                rules,
                model_may_make_a_letter(score),
            )
        )
    return found


def vocabulary(training: Iterable[Example]) -> list[str]:
    """The feature names the model weighs: the rules' signals, and the commonest words."""
    df: Counter[str] = Counter()
    for example in training:
        df.update(example.found)
    kept = sorted(n for n in df if not n.startswith(("w:", "b:", "s:")))
    words = sorted(
        (n for n in df if n.startswith(("w:", "b:", "s:")) and df[n] >= MIN_DF),
        key=lambda n: (-df[n], n),
    )[:MAX_VOCAB]
    return sorted({*kept, *words, BIAS})


def train(training: Sequence[Example], c: float = C) -> dict[str, float]:
    """Fit on the vocabulary, keep the :data:`KEEP` words and pairs weighed most (and every
    rule signal), and fit again on those: a model small enough to read."""
    first = fit(training, vocabulary(training), c)
    lexical = sorted(
        (n for n in first if n.startswith(("w:", "b:", "s:"))), key=lambda n: (-abs(first[n]), n)
    )
    kept = set(lexical[:KEEP]) | {n for n in first if not n.startswith(("w:", "b:", "s:"))}
    return fit(training, sorted(kept), c)


def _log1pexp(x: float) -> float:
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


Rows = list[tuple[list[int], list[float]]]


def fit(training: Sequence[Example], names: Sequence[str], c: float = C) -> dict[str, float]:
    """Fit an L2-regularised logistic regression by L-BFGS; return the weights by name."""
    index = {name: i for i, name in enumerate(names)}
    rows: Rows = []
    for example in training:
        kept = sorted((index[n], v) for n, v in example.found.items() if n in index and v)
        rows.append(([i for i, _ in kept], [v for _, v in kept]))
    ys = [1.0 if e.letter else -1.0 for e in training]
    bias = index[BIAS]
    size = len(names)

    def value_and_gradient(w: list[float]) -> tuple[float, list[float]]:
        loss = sum(w[j] * w[j] for j in range(size) if j != bias) / (2.0 * c)
        grad = [0.0 if j == bias else w[j] / c for j in range(size)]
        for (cols, vals), y in zip(rows, ys, strict=True):
            margin = y * sum(w[j] * v for j, v in zip(cols, vals, strict=True))
            loss += _log1pexp(-margin)
            pull = -y * _sigmoid(-margin)
            for j, v in zip(cols, vals, strict=True):
                grad[j] += pull * v
        return loss, grad

    return dict(zip(names, _lbfgs(value_and_gradient, [0.0] * size), strict=True))


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def _lbfgs(
    objective: Callable[[list[float]], tuple[float, list[float]]],
    start: list[float],
    memory: int = 10,
) -> list[float]:
    """Minimise *objective* from *start*: L-BFGS with a backtracking (Armijo) line search."""
    w = start
    loss, grad = objective(w)
    history: list[tuple[list[float], list[float], float]] = []
    for _ in range(MAX_ITERATIONS):
        if max(abs(g) for g in grad) < TOLERANCE:
            break
        direction = [-g for g in grad]
        alphas = []
        for s, y, rho in reversed(history):
            alpha = rho * _dot(s, direction)
            alphas.append(alpha)
            direction = [d - alpha * yi for d, yi in zip(direction, y, strict=True)]
        if history:
            s, y, _ = history[-1]
            gamma = _dot(s, y) / _dot(y, y)
            direction = [gamma * d for d in direction]
        else:
            direction = [d / max(1.0, math.sqrt(_dot(grad, grad))) for d in direction]
        for (s, y, rho), alpha in zip(history, reversed(alphas), strict=True):
            beta = rho * _dot(y, direction)
            direction = [d + (alpha - beta) * si for d, si in zip(direction, s, strict=True)]
        slope = _dot(grad, direction)
        if slope >= 0:  # not a descent direction: start the memory afresh
            history.clear()
            direction, slope = [-g for g in grad], -_dot(grad, grad)
        step = 1.0
        while True:
            trial = [wi + step * d for wi, d in zip(w, direction, strict=True)]
            trial_loss, trial_grad = objective(trial)
            if trial_loss <= loss + 1e-4 * step * slope or step < 1e-10:
                break
            step /= 2.0
        s = [t - wi for t, wi in zip(trial, w, strict=True)]
        y = [tg - g for tg, g in zip(trial_grad, grad, strict=True)]
        sy = _dot(s, y)
        if sy > 1e-12:
            history.append((s, y, 1.0 / sy))
            del history[:-memory]
        w, loss, grad = trial, trial_loss, trial_grad
    return w


def probability(found: dict[str, float], weights: dict[str, float]) -> float:
    """The model's probability of a letter (as :func:`intake.sorting.lettermodel.judge`)."""
    total = sum(weights.get(n, 0.0) * v for n, v in found.items())
    return _sigmoid(total)


def shipped(weights: dict[str, float]) -> dict[str, float]:
    """The weights as shipped: rounded, the zeros dropped."""
    rounded = {n: round(w, DIGITS) for n, w in weights.items()}
    return {n: w for n, w in sorted(rounded.items()) if w != 0.0}


def render(weights: dict[str, float], thresholds: Thresholds, training: Sequence[Example]) -> str:
    """The text of ``intake/sorting/letterweights.py`` for *weights* fitted on *training*."""
    letters = sum(e.letter for e in training)
    sources = Counter(e.path.split("/", 2)[0] + "/" + e.path.split("/", 2)[1] for e in training)
    made_of = ", ".join(f"{n} from {s}" for s, n in sorted(sources.items()))
    lines = [
        '"""The letter model\'s weights (:mod:`intake.sorting.lettermodel`): one per feature.',
        "",
        *textwrap.wrap(
            "Written by ``bench/train_letter_model.py``; do not edit: run it again.  Fitted"
            f" on {len(training)} messages, {letters} of them letters ({made_of}):"
            f" L2 logistic regression, C={C}, words and pairs in at least {MIN_DF} messages.",
            width=88,
        ),
        "Pure data: no I/O.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Final",
        "",
        f"# picked by {FOLDS}-fold cross-validation on the training messages:",
        "# a letter of the rules' is other mail when the model gives it less than this",
        f"VETO_BELOW: Final = {thresholds[0]}",
        "# other mail of the rules' is a letter (for an editor to look at) from this on",
        f"LETTER_AT_LEAST: Final[float | None] = {thresholds[1]}",
        "",
        "WEIGHTS: Final[dict[str, float]] = {",
    ]
    lines += [
        f"    {json.dumps(n, ensure_ascii=False)}: {w:.{DIGITS}f}," for n, w in weights.items()
    ]
    lines += ["}", ""]
    return "\n".join(lines)


def digest(text: str) -> str:
    """The SHA-256 of a weights file's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cross_validate(
    training: Sequence[Example], folds: int, c: float
) -> list[tuple[str, bool, float]]:
    """Each example's probability from a model fitted without its fold (path, letter, p)."""
    results = []
    for fold in range(folds):
        held = [e for i, e in enumerate(training) if i % folds == fold]
        rest = [e for i, e in enumerate(training) if i % folds != fold]
        weights = train(rest, c)
        results += [(e.path, e.letter, probability(e.found, weights)) for e in held]
    return results


Thresholds = tuple[float, float | None]  # (VETO_BELOW, LETTER_AT_LEAST)


def combined(
    scored: Sequence[tuple[Example, float]], veto_below: float, letter_at_least: float | None
) -> tuple[int, int, int]:
    """(right verdicts, letters called, letters rightly called) of the rules with the
    model's say, as :func:`intake.sorting.classify.classify` combines them."""
    called = [
        e
        for e, p in scored
        if (e.rules == "letter" and p >= veto_below)
        or (
            e.rules == "other"
            and e.may_be_made_a_letter
            and letter_at_least is not None
            and p >= letter_at_least
        )
    ]
    right = sum(e.letter for e in called)
    return right + sum(not e.letter for e, _ in scored) - (len(called) - right), len(called), right


def pick_thresholds(training: Sequence[Example], c: float = C) -> Thresholds:
    """The thresholds, from cross-validation (each message judged by a model fitted
    without it).  The veto: of the thresholds that cost no letter the rules keep (a letter
    lost is never answered; a pitch let by costs an editor a minute), the one with the
    most right verdicts, the middle one of a tie.  Then the letter threshold: the one with
    the most right verdicts, the highest of a tie (none at all the highest)."""
    held = {path: p for path, _, p in cross_validate(training, FOLDS, c)}
    scored = [(e, held[e.path]) for e in training]
    kept = combined(scored, 0.0, None)[2]
    safe = [t for t in VETO_GRID if combined(scored, t, None)[2] >= kept]
    best = max((combined(scored, t, None)[0] for t in safe), default=0)
    tied = [t for t in safe if combined(scored, t, None)[0] == best] or [0.0]
    veto = tied[len(tied) // 2]
    best = max(combined(scored, veto, t)[0] for t in LETTER_GRID)
    return veto, [t for t in LETTER_GRID if combined(scored, veto, t)[0] == best][-1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped weights")
    parser.add_argument("--cv", type=int, default=0, help="cross-validate with this many folds")
    parser.add_argument("--c", type=float, default=C, help="the L2 penalty's inverse (with --cv)")
    args = parser.parse_args(argv)
    training = examples()
    if args.cv:
        held = {path: p for path, _, p in cross_validate(training, args.cv, args.c)}
        scored = [(e, held[e.path]) for e in training]
        actual = sum(e.letter for e in training)
        for threshold in (0.3, 0.4, 0.5, 0.6, 0.7):
            called = [e for e, p in scored if p >= threshold]
            tp = sum(e.letter for e in called)
            print(
                f"C={args.c} model alone at {threshold}: precision {tp / max(len(called), 1):.3f}"
                f" recall {tp / max(actual, 1):.3f} ({len(scored)} messages)"
            )
        for veto in (0.0, *VETO_GRID):
            for letter in LETTER_GRID:
                _, called_n, tp = combined(scored, veto, letter)
                print(
                    f"C={args.c} rules, veto below {veto}, letter from {letter}: precision"
                    f" {tp / max(called_n, 1):.3f} recall {tp / max(actual, 1):.3f}"
                )
        return 0
    weights = shipped(train(training))
    text = render(weights, pick_thresholds(training), training)
    if args.check:
        same = OUT.read_text(encoding="utf-8") == text
        print(f"{OUT.name}: {'as trained' if same else 'differs from a fresh training'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({len(weights)} weights, {len(training)} messages, sha256 {digest(text)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
