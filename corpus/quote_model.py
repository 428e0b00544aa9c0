"""The learned speaker choice: a linear ranking model over speaker candidates.

For each direct quotation `corpus.quote_candidates` lists the mentions that could be its
speaker, each described by string features. The model scores a candidate as the sum of its
features' weights and picks the best one. The weights are learned by an averaged perceptron
that ranks the candidates of one quotation (`benchmarks/train_speakers.py`, trained on the
PolNeAR training split) and ship in `corpus/data/speaker_weights.json`, loaded once.

`SpeakerChooser` is what `corpus.quote_speakers.QuoteAttributor` calls; the trainer
(`PerceptronTrainer`) is one too, so training decodes the articles exactly the way analysis
does (the previous quote's speaker, a feature, is the model's own earlier choice).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from itertools import repeat
from typing import Protocol

from corpus.quote_candidates import Candidate
from corpus.quote_spans import QuoteSpan

WEIGHTS_FILE = "speaker_weights.json"


class SpeakerChooser(Protocol):
    """Picks one candidate (its index) for a quotation, or -1 for none."""

    def choose(self, quote: QuoteSpan, candidates: Sequence[Candidate]) -> int: ...


class SpeakerModel:
    """A linear model: score = sum of the weights of a candidate's features."""

    def __init__(self, weights: dict[str, float]) -> None:
        self.weights = weights

    def score(self, features: Sequence[str]) -> float:
        return sum(map(self.weights.get, features, repeat(0.0)))

    def choose(self, quote: QuoteSpan, candidates: Sequence[Candidate]) -> int:
        best = -1
        best_score = 0.0
        for index, candidate in enumerate(candidates):
            value = self.score(candidate.features)
            if best < 0 or value > best_score:
                best, best_score = index, value
        return best

    def to_json(self) -> dict[str, object]:
        return {"format": 1, "weights": {k: round(v, 4) for k, v in sorted(self.weights.items())}}


@lru_cache(maxsize=1)
def speaker_model() -> SpeakerModel | None:
    """The shipped model, or None when its weights file is missing (rules decide then)."""
    try:
        text = resources.files("corpus").joinpath("data", WEIGHTS_FILE).read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    data = json.loads(text)
    return SpeakerModel({str(k): float(v) for k, v in data["weights"].items()})


class PerceptronTrainer:
    """An averaged perceptron that ranks the candidates of one quotation.

    `gold` is set by the caller before each article: for a quotation it returns which
    candidates are right (None when the quotation has no gold speaker). `choose` predicts
    with the current weights, updates them when the prediction is wrong and a right
    candidate exists (towards the best-scoring right one), and returns the prediction, so
    the rest of the article is decoded with the model's own choices.
    """

    def __init__(self) -> None:
        self.weights: dict[str, float] = {}
        self._totals: dict[str, float] = {}
        self._stamps: dict[str, int] = {}
        self.step = 0
        self.gold: GoldOracle | None = None
        self.seen = 0
        self.reachable = 0
        self.right = 0

    def _score(self, features: Sequence[str]) -> float:
        return sum(map(self.weights.get, features, repeat(0.0)))

    def _update(self, feature: str, delta: float) -> None:
        # Lazy averaging: a weight's running total is brought up to date when it changes.
        stamp = self._stamps.get(feature, 0)
        weight = self.weights.get(feature, 0.0)
        self._totals[feature] = self._totals.get(feature, 0.0) + (self.step - stamp) * weight
        self._stamps[feature] = self.step
        self.weights[feature] = weight + delta

    def choose(self, quote: QuoteSpan, candidates: Sequence[Candidate]) -> int:
        scores = [self._score(c.features) for c in candidates]
        predicted = max(range(len(candidates)), key=scores.__getitem__) if candidates else -1
        right = self.gold.right(quote, candidates) if self.gold is not None else None
        if right is None:
            return predicted
        self.step += 1
        self.seen += 1
        if not right:
            return predicted
        self.reachable += 1
        if predicted in right:
            self.right += 1
            return predicted
        best = max(right, key=scores.__getitem__)
        counts: dict[str, float] = {}
        for feature in candidates[best].features:
            counts[feature] = counts.get(feature, 0.0) + 1.0
        for feature in candidates[predicted].features:
            counts[feature] = counts.get(feature, 0.0) - 1.0
        for feature, delta in counts.items():
            if delta:
                self._update(feature, delta)
        return predicted

    def averaged(self) -> SpeakerModel:
        """The averaged weights (what ships), small weights dropped."""
        out: dict[str, float] = {}
        step = max(self.step, 1)
        for feature, weight in self.weights.items():
            total = (
                self._totals.get(feature, 0.0) + (self.step - self._stamps.get(feature, 0)) * weight
            )
            average = total / step
            if abs(average) >= 1e-4:
                out[feature] = average
        return SpeakerModel(out)


class GoldOracle(Protocol):
    """Which candidates of a quotation are right, for training."""

    def right(self, quote: QuoteSpan, candidates: Sequence[Candidate]) -> list[int] | None: ...
