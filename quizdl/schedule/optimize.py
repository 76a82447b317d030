"""Fit FSRS parameters to a learner's review history (fsrs-rs-python, no torch) and
measure, before and after, how well the model predicts recall.

A history is grouped by card, and each review gets the number of study days since the
card's previous review (`delta_t`): reviews on the same study day (learning steps, a
relearned card seen again) have delta_t 0 and are short-term reviews, which FSRS-6
models but never predicts. Each review on a later day is a target: the model, fed the
card's reviews before it, predicts the chance of recall, and the rating says whether the
card was recalled (anything but Again).

The figures that matter come from a time-series split, as in srs-benchmark (scikit-learn's
TimeSeriesSplit, 5 folds): the targets in time order are cut into six parts; each fold
fits on everything before a part and predicts that part, so no prediction sees its future.
"Before" scores the current parameters on the same parts. In-sample figures (fit on all,
scored on all) are reported too; they flatter the fit and are never used to decide.

fsrs_rs_python is imported only inside the functions that need it: only
`quizdl optimize` pays for it.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from quizdl.errors import BadInput, QuizdlError
from quizdl.kb.text import Lang, Text
from quizdl.schedule.metrics import BinKey, Scores, bin_key, score

if TYPE_CHECKING:
    import fsrs_rs_python

FOLDS = 5
# Below these the fitted parameters mostly echo noise, and the first fold of the split
# would train on a few dozen reviews. Counted in targets (reviews on a later study day
# than the card's previous review), the only reviews that inform long-term memory.
MIN_TARGETS = 300
MIN_TARGET_CARDS = 50


@dataclass(frozen=True, slots=True)
class LoggedReview:
    """One answer of the review log: which card, when (aware), which rating (1-4)."""

    card: str
    at: datetime
    rating: int


@dataclass(frozen=True, slots=True)
class CardHistory:
    ratings: tuple[int, ...]
    delta_ts: tuple[int, ...]  # study days since the previous review; 0 for the first


@dataclass(frozen=True, slots=True)
class Target:
    """A long-term review to predict: the `index`-th review (from 0) of card `card`."""

    card: int
    index: int
    at: datetime
    recalled: int
    key: BinKey


@dataclass(frozen=True)
class History:
    cards: list[CardHistory]
    targets: list[Target]  # in time order
    reviews: int

    @property
    def target_cards(self) -> int:
        return len({target.card for target in self.targets})

    @classmethod
    def build(
        cls, reviews: Iterable[LoggedReview], study_day: Callable[[datetime], date]
    ) -> History:
        """Group the log by card; `study_day` maps a time to its study day (rollover)."""
        by_card: dict[str, list[LoggedReview]] = defaultdict(list)
        total = 0
        for review in reviews:
            if review.rating not in (1, 2, 3, 4):
                raise ValueError(f"a rating is 1, 2, 3 or 4; found {review.rating!r}")
            by_card[review.card].append(review)
            total += 1
        cards: list[CardHistory] = []
        targets: list[Target] = []
        for logged in by_card.values():
            logged.sort(key=lambda r: r.at)
            days = [study_day(r.at) for r in logged]
            # A clock set backwards gives a negative gap: count it as the same day.
            deltas = [0] + [max(0, (b - a).days) for a, b in pairwise(days)]
            card = len(cards)
            cards.append(CardHistory(tuple(r.rating for r in logged), tuple(deltas)))
            long_term = lapses = 0
            for index, (review, delta) in enumerate(zip(logged, deltas, strict=True)):
                if delta > 0:  # never the first review, whose delta is 0
                    long_term += 1
                    key = bin_key(delta, long_term, lapses)
                    targets.append(Target(card, index, review.at, int(review.rating > 1), key))
                    lapses += review.rating == 1
        targets.sort(key=lambda t: t.at)
        return cls(cards, targets, total)


class NotEnoughHistory(BadInput):
    """The history is too short to fit parameters worth having."""


def check_enough(history: History, lang: Lang = "en") -> None:
    targets, cards = len(history.targets), history.target_cards
    if targets >= MIN_TARGETS and cards >= MIN_TARGET_CARDS:
        return
    message = Text(
        en=f"found {history.reviews} reviews of {len(history.cards)} cards, of which {targets} "
        f"were made on a later day than the card's previous review ({cards} cards); need at "
        f"least {MIN_TARGETS} such reviews of at least {MIN_TARGET_CARDS} cards to fit FSRS "
        "parameters. Nothing was changed; keep reviewing and try again later.",
        zh=f"找到 {len(history.cards)} 张卡片的 {history.reviews} 次复习，"
        f"其中 {targets} 次与该卡上一次复习不在同一天（涉及 {cards} 张卡片）；"
        f"拟合 FSRS 参数至少需要 {MIN_TARGET_CARDS} 张卡片上的 {MIN_TARGETS} 次这样的复习。"
        "没有做任何修改；请继续复习，以后再试。",
    )
    raise NotEnoughHistory(message.get(lang))


def filled_parameters(parameters: Sequence[float]) -> list[float]:
    """21 FSRS-6 parameters from 21, 19 (FSRS-5) or 17 (FSRS-4.5); empty means default."""
    import fsrs_rs_python as rs

    try:
        return list(rs.check_and_fill_parameters(list(parameters)))
    except ValueError:
        raise BadInput(
            f"FSRS parameters must be 21 (or 19, 17) finite numbers; found {len(parameters)}"
        ) from None


def default_parameters() -> list[float]:
    import fsrs_rs_python as rs

    return list(rs.DEFAULT_PARAMETERS)


def _item(history: History, card: int, end: int) -> fsrs_rs_python.FSRSItem:
    import fsrs_rs_python as rs

    reviews = history.cards[card]
    pairs = zip(reviews.ratings[:end], reviews.delta_ts[:end], strict=True)
    return rs.FSRSItem([rs.FSRSReview(rating, delta) for rating, delta in pairs])


def predict(
    history: History, targets: Sequence[Target], parameters: Sequence[float]
) -> npt.NDArray[np.float64]:
    """The recall probability FSRS gives each target from the card's earlier reviews:
    R = (1 + factor·t/S)^(−decay), S the stability after the previous review, t = delta_t,
    decay = w20 and factor chosen so that R = 0.9 when t = S."""
    import fsrs_rs_python as rs

    w = filled_parameters(parameters)
    cards = sorted({target.card for target in targets})
    row = {card: i for i, card in enumerate(cards)}
    items = [_item(history, card, len(history.cards[card].ratings)) for card in cards]
    states = rs.FSRS(w).historical_memory_state_batch(items)
    stability = np.fromiter(
        (states[row[t.card]][t.index - 1].stability for t in targets), np.float64, len(targets)
    )
    elapsed = np.fromiter(
        (history.cards[t.card].delta_ts[t.index] for t in targets), np.float64, len(targets)
    )
    decay = w[20]
    factor = 0.9 ** (-1 / decay) - 1
    result: npt.NDArray[np.float64] = (1 + factor * elapsed / stability) ** -decay
    return result


def fit(
    history: History, targets: Sequence[Target], relearning_steps: int | None = None
) -> list[float]:
    """Parameters fitted to `targets` (each with its card's reviews before it)."""
    import fsrs_rs_python as rs

    items = [_item(history, t.card, t.index + 1) for t in targets]
    try:
        fitted = rs.FSRS(rs.DEFAULT_PARAMETERS).compute_parameters(
            items, enable_short_term=True, num_relearning_steps=relearning_steps
        )
    except (ValueError, RuntimeError) as error:
        raise QuizdlError(f"fitting FSRS parameters failed: {error}") from None
    return list(fitted)


def time_series_folds(count: int, folds: int = FOLDS) -> list[tuple[int, int]]:
    """(test_start, test_end) of each fold, as scikit-learn's TimeSeriesSplit cuts `count`
    time-ordered samples: each fold trains on [0, test_start)."""
    size = count // (folds + 1)
    if size == 0:
        raise ValueError(f"{count} samples cannot make {folds} folds")
    first = count - folds * size
    return [(first + i * size, first + (i + 1) * size) for i in range(folds)]


def _scores(targets: Sequence[Target], predictions: npt.NDArray[np.float64]) -> Scores:
    return score([t.recalled for t in targets], predictions, [t.key for t in targets])


@dataclass(frozen=True)
class Evaluation:
    """Before (current parameters) and after (fitted) on the time-series split, and in-sample."""

    before: Scores
    after: Scores
    in_sample_before: Scores
    in_sample_after: Scores
    parameters_before: tuple[float, ...]
    parameters_after: tuple[float, ...]
    reviews: int
    cards: int
    targets: int
    folds: int
    seconds: float

    @property
    def improved(self) -> bool:
        """True when the fitted parameters predict unseen reviews better (lower log loss)."""
        return self.after.log_loss < self.before.log_loss


def optimize(
    history: History,
    current: Sequence[float] | None = None,
    *,
    folds: int = FOLDS,
    relearning_steps: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    lang: Lang = "en",
) -> Evaluation:
    """Evaluate `current` (default parameters if None), fit, evaluate the fit; `progress`
    is told (done, total) after each fit."""
    check_enough(history, lang)
    started = time.perf_counter()
    before_w = filled_parameters(current or default_parameters())
    targets = history.targets
    cuts = time_series_folds(len(targets), folds)
    tested = targets[cuts[0][0] :]
    after_p: list[npt.NDArray[np.float64]] = []
    for done, (start, end) in enumerate(cuts, 1):
        fold_w = fit(history, targets[:start], relearning_steps)
        after_p.append(predict(history, targets[start:end], fold_w))
        if progress is not None:
            progress(done, folds + 1)
    after_w = fit(history, targets, relearning_steps)
    if progress is not None:
        progress(folds + 1, folds + 1)
    before_all = predict(history, targets, before_w)
    return Evaluation(
        before=_scores(tested, before_all[cuts[0][0] :]),
        after=_scores(tested, np.concatenate(after_p)),
        in_sample_before=_scores(targets, before_all),
        in_sample_after=_scores(targets, predict(history, targets, after_w)),
        parameters_before=tuple(before_w),
        parameters_after=tuple(after_w),
        reviews=history.reviews,
        cards=len(history.cards),
        targets=len(targets),
        folds=folds,
        seconds=time.perf_counter() - started,
    )
