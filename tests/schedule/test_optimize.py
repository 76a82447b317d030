"""The FSRS optimizer: histories, predictions (against an independent FSRS-6), the
published figures on a real learner's log, the time-series split, and `quizdl optimize`."""

from __future__ import annotations

import itertools
import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import fsrs_rs_python as rs
import numpy as np
import pytest
from sqlalchemy import insert, select

from quizdl.cli import main
from quizdl.clock import Clock
from quizdl.commands.optimize import read_revlog
from quizdl.errors import BadInput
from quizdl.schedule.metrics import bin_key, log_loss, recency_weights, rmse_bins
from quizdl.schedule.optimize import (
    FOLDS,
    MIN_TARGET_CARDS,
    MIN_TARGETS,
    History,
    LoggedReview,
    NotEnoughHistory,
    check_enough,
    fit,
    optimize,
    predict,
    time_series_folds,
)
from quizdl.store.db import Database
from quizdl.store.models import Profile, Review

JOSH = Path(__file__).resolve().parent.parent / "data" / "revlogs" / "py-fsrs-josh.csv"
# tests/data/revlogs/README.md: figures measured with fsrs-rs-python 0.9.3, study days at
# 4:00 UTC. In-sample figures are fsrs-rs `evaluate`'s, which weighs reviews by recency.
PUBLISHED_DEFAULT_IN_SAMPLE = (0.4542, 0.0765)
PUBLISHED_FITTED_IN_SAMPLE = (0.4453, 0.0522)
PUBLISHED_SPLIT_LOG_LOSS = 0.4408
SPLIT_RMSE_BINS_TARGET = 0.045  # the bar for the time-series split
T0 = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def josh() -> History:
    return History.build(read_revlog(JOSH), Clock(UTC, 4).study_day)


def reference_stabilities(
    ratings: tuple[int, ...], deltas: tuple[int, ...], w: list[float]
) -> list[float]:
    """FSRS-6 written out from its published formulas (the stability after each review),
    with fsrs-rs's clamps: S in [0.001, 36500], D in [1, 10]."""
    factor = 0.9 ** (-1 / w[20]) - 1
    s = d = 0.0
    out: list[float] = []
    for n, (g, t) in enumerate(zip(ratings, deltas, strict=True)):
        if n == 0:
            s, d = w[g - 1], min(max(w[4] - math.exp(w[5] * (g - 1)) + 1, 1), 10)
            out.append(s)
            continue
        r = (1 + factor * t / s) ** -w[20]
        if t == 0:  # same day: short-term stability, never lowered by a pass
            sinc = math.exp(w[17] * (g - 3 + w[18])) * s ** -w[19]
            new_s = s * (max(sinc, 1.0) if g >= 3 else sinc)
        elif g == 1:
            forget = w[11] * d ** -w[12] * ((s + 1) ** w[13] - 1) * math.exp((1 - r) * w[14])
            new_s = min(forget, s / math.exp(w[17] * w[18]))
        else:
            bonus = (w[15] if g == 2 else 1.0) * (w[16] if g == 4 else 1.0)
            growth = math.exp(w[8]) * (11 - d) * s ** -w[9] * (math.exp((1 - r) * w[10]) - 1)
            new_s = s * (1 + growth * bonus)
        damped = d + -w[6] * (g - 3) * (10 - d) / 9
        easy_d0 = w[4] - math.exp(3 * w[5]) + 1
        d = min(max(w[7] * easy_d0 + (1 - w[7]) * damped, 1), 10)
        s = min(max(new_s, 0.001), 36500)
        out.append(s)
    return out


def test_history_cuts_days_at_the_rollover_and_bins_long_term_reviews() -> None:
    at = [
        (T0, 3),  # day 1 (study day 2026-01-01)
        (T0 + timedelta(minutes=5), 1),  # same day
        (datetime(2026, 1, 2, 3, 59, tzinfo=UTC), 3),  # before 4:00: still 2026-01-01
        (datetime(2026, 1, 2, 4, 1, tzinfo=UTC), 3),  # 2026-01-02
        (datetime(2026, 1, 5, 12, 0, tzinfo=UTC), 1),  # lapse after 3 days
        (datetime(2026, 1, 5, 12, 10, tzinfo=UTC), 3),  # relearning, same day
        (datetime(2026, 1, 9, 8, 0, tzinfo=UTC), 3),
    ]
    log = [LoggedReview("a", t, g) for t, g in reversed(at)]  # any order in, time order out
    history = History.build(log, Clock(UTC, 4).study_day)
    days = [(t - timedelta(hours=4)).date() for t, _ in at]
    expected_deltas = [0] + [(b - a).days for a, b in itertools.pairwise(days)]
    assert history.cards[0].delta_ts == tuple(expected_deltas)
    assert history.cards[0].ratings == tuple(g for _, g in at)
    long_term = [i for i, delta in enumerate(expected_deltas) if delta > 0]
    assert [t.index for t in history.targets] == long_term
    for target in history.targets:
        i = target.index
        lapses = sum(1 for j in long_term if j < i and at[j][1] == 1)
        count = sum(1 for j in long_term if j <= i)
        assert target.key == bin_key(expected_deltas[i], count, lapses)
        assert target.recalled == int(at[i][1] > 1)


def test_study_days_follow_the_time_zone() -> None:
    shanghai = ZoneInfo("Asia/Shanghai")
    # 19:59 UTC is 03:59 the next morning in Shanghai: still the previous study day there.
    first = datetime(2026, 1, 1, 1, 0, tzinfo=UTC)
    late = datetime(2026, 1, 1, 19, 59, tzinfo=UTC)
    log = [LoggedReview("a", first, 3), LoggedReview("a", late, 3)]
    assert History.build(log, Clock(shanghai, 4).study_day).cards[0].delta_ts == (0, 0)
    assert History.build(log, Clock(UTC, 4).study_day).cards[0].delta_ts == (0, 1)


def test_predictions_agree_with_an_independent_fsrs6(josh: History) -> None:
    default = list(rs.DEFAULT_PARAMETERS)
    for w in (default, fit(josh, josh.targets[:2000])):
        p = predict(josh, josh.targets, w)
        factor = 0.9 ** (-1 / w[20]) - 1
        expected = []
        for target in josh.targets:
            card = josh.cards[target.card]
            s = reference_stabilities(card.ratings, card.delta_ts, w)[target.index - 1]
            expected.append((1 + factor * card.delta_ts[target.index] / s) ** -w[20])
        # fsrs-rs computes in 32-bit floats
        assert np.allclose(p, expected, rtol=1e-4, atol=0)


def test_each_prediction_scores_as_fsrs_rs_scores_it_alone(josh: History) -> None:
    w = list(rs.DEFAULT_PARAMETERS)
    model = rs.FSRS(w)
    sample = josh.targets[::157]
    p = predict(josh, sample, w)
    for target, prediction in zip(sample, p, strict=True):
        card = josh.cards[target.card]
        pairs = zip(
            card.ratings[: target.index + 1], card.delta_ts[: target.index + 1], strict=True
        )
        item = rs.FSRSItem([rs.FSRSReview(g, t) for g, t in pairs])
        theirs = model.evaluate([item])
        assert log_loss([target.recalled], [prediction]) == pytest.approx(theirs.log_loss, abs=2e-5)
        assert rmse_bins([target.recalled], [prediction], [target.key]) == pytest.approx(
            theirs.rmse_bins, abs=2e-5
        )


def _in_sample(history: History, w: list[float]) -> tuple[float, float]:
    """Recency-weighted, as fsrs-rs `evaluate` (and the README's in-sample figures)."""
    y = [t.recalled for t in history.targets]
    keys = [t.key for t in history.targets]
    p = predict(history, history.targets, w)
    weights = recency_weights(len(y))
    return log_loss(y, p, weights), rmse_bins(y, p, keys, weights)


def test_default_parameters_reproduce_the_published_in_sample_figures(josh: History) -> None:
    loss, rmse = _in_sample(josh, list(rs.DEFAULT_PARAMETERS))
    assert loss == pytest.approx(PUBLISHED_DEFAULT_IN_SAMPLE[0], abs=1e-3)
    assert rmse == pytest.approx(PUBLISHED_DEFAULT_IN_SAMPLE[1], abs=1e-3)


def test_fitted_parameters_come_close_to_the_published_in_sample_figures(josh: History) -> None:
    loss, rmse = _in_sample(josh, fit(josh, josh.targets))
    assert loss == pytest.approx(PUBLISHED_FITTED_IN_SAMPLE[0], abs=2e-3)
    assert rmse == pytest.approx(PUBLISHED_FITTED_IN_SAMPLE[1], abs=2e-3)


def test_time_series_split_meets_the_target_and_matches_fsrs_rs(josh: History) -> None:
    evaluation = optimize(josh)
    assert evaluation.after.rmse_bins <= SPLIT_RMSE_BINS_TARGET
    assert evaluation.after.log_loss == pytest.approx(PUBLISHED_SPLIT_LOG_LOSS, abs=1e-3)
    assert evaluation.improved
    assert evaluation.after.rmse_bins < evaluation.before.rmse_bins
    # fsrs-rs's own five-fold split cuts n // 6 like scikit-learn when 6 divides n.
    assert len(josh.targets) % (FOLDS + 1) == 0
    items = []
    for target in josh.targets:
        card = josh.cards[target.card]
        pairs = zip(
            card.ratings[: target.index + 1], card.delta_ts[: target.index + 1], strict=True
        )
        items.append(rs.FSRSItem([rs.FSRSReview(g, t) for g, t in pairs]))
    theirs = rs.evaluate_with_time_series_splits(items)
    assert evaluation.after.log_loss == pytest.approx(theirs.log_loss, abs=1e-4)
    assert evaluation.after.rmse_bins == pytest.approx(theirs.rmse_bins, abs=1e-4)
    assert evaluation.before.reviews == evaluation.after.reviews == len(items) * 5 // 6


def test_fitting_is_deterministic(josh: History) -> None:
    assert fit(josh, josh.targets[:1500]) == fit(josh, josh.targets[:1500])


@pytest.mark.parametrize("count", [6, 7, 11, 300, 6277])
def test_time_series_folds_cut_like_scikit_learn(count: int) -> None:
    folds = time_series_folds(count)
    size = count // (FOLDS + 1)
    assert len(folds) == FOLDS
    assert all(end - start == size for start, end in folds)
    assert folds[-1][1] == count  # the last fold tests on the newest reviews
    assert all(a[1] == b[0] for a, b in itertools.pairwise(folds))  # contiguous
    assert folds[0][0] == count - FOLDS * size  # the first training set takes the remainder


def _tiny_log(reviews_per_card: int, cards: int) -> list[LoggedReview]:
    return [
        LoggedReview(f"c{c}", T0 + timedelta(days=2 * i, minutes=c), 3)
        for c in range(cards)
        for i in range(reviews_per_card)
    ]


def test_a_short_history_is_refused_with_its_numbers() -> None:
    history = History.build(_tiny_log(4, 3), Clock(UTC, 4).study_day)
    with pytest.raises(NotEnoughHistory) as info:
        check_enough(history)
    message = str(info.value)
    assert "found 12 reviews of 3 cards" in message
    assert "of which 9 were made on a later day" in message
    assert (
        f"need at least {MIN_TARGETS} such reviews of at least {MIN_TARGET_CARDS} cards" in message
    )
    assert info.value.exit_code == 2
    with pytest.raises(NotEnoughHistory) as chinese:
        check_enough(history, "zh")
    assert "12 次复习" in str(chinese.value)


# -- the command ------------------------------------------------------------------------


def test_optimize_revlog_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["optimize", "--revlog", str(JOSH), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["source"] == {"revlog": str(JOSH)}
    assert report["reviews"] == 12580 == sum(1 for _ in JOSH.open()) - 1
    assert report["time_series_split"]["after"]["rmse_bins"] <= SPLIT_RMSE_BINS_TARGET
    assert report["applied"] is False
    assert len(report["parameters"]["after"]) == 21


def test_optimize_prints_a_before_after_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "optimize", "--revlog", str(JOSH)]) == 0
    out = capsys.readouterr().out
    assert "time-series split, 5 folds" in out
    assert "current parameters" in out and "fitted parameters" in out
    assert "--apply" in out


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("card_id,review_time\n1,2024-01-01T00:00:00Z\n", "missing column(s) review_rating"),
        ("card_id,review_rating,review_time\n1,5,2024-01-01T00:00:00Z\n", ":2: review_rating"),
        ("card_id,review_rating,review_time\n1,3,yesterday\n", ":2: review_time 'yesterday'"),
    ],
)
def test_a_bad_revlog_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    path = tmp_path / "log.csv"
    path.write_text(content, encoding="utf-8")
    assert main(["optimize", "--revlog", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and expected in err


def test_revlog_times_may_be_milliseconds(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("card_id,review_rating,review_time\n7,3,1711744352250\n", encoding="utf-8")
    (review,) = read_revlog(path)
    assert review.at == datetime.fromtimestamp(1711744352.25, tz=UTC)
    with pytest.raises(BadInput):
        read_revlog(tmp_path / "missing.csv")


def _store(database: Database, log: list[LoggedReview], settings: dict[str, object]) -> int:
    with database.transaction() as session:
        profile = Profile(name="default", settings=settings, created_at=T0)
        session.add(profile)
        session.flush()
        rows = [
            {
                "profile_id": profile.id,
                "card_id": r.card,
                "reviewed_at": r.at,
                "rating": r.rating,
                "state_before": 2,
                "state_after": 2,
                "prior": {},
            }
            for r in log
        ]
        session.execute(insert(Review), rows)
        return profile.id


def test_optimize_own_history_and_apply(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    _store(database, read_revlog(JOSH), {"timezone": "UTC", "rollover_hour": 4})
    assert main(["optimize", "--db", database.url, "--json"]) == 0
    own = json.loads(capsys.readouterr().out)
    assert main(["optimize", "--revlog", str(JOSH), "--json"]) == 0
    external = json.loads(capsys.readouterr().out)
    assert own["time_series_split"] == external["time_series_split"]  # same days, same fit
    with database.sessions() as session:
        assert session.scalars(select(Profile.fsrs_parameters)).one() is None  # not applied

    assert main(["optimize", "--db", database.url, "--json", "--apply"]) == 0
    applied = json.loads(capsys.readouterr().out)
    assert applied["applied"] is True
    with database.sessions() as session:
        stored = session.scalars(select(Profile.fsrs_parameters)).one()
    assert stored == {"w": [round(x, 6) for x in applied["parameters"]["after"]]}

    # The saved parameters are now the current ones.
    assert main(["optimize", "--db", database.url, "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["parameters"]["before"] == pytest.approx(stored["w"], abs=1e-6)
    assert again["in_sample"]["before"]["log_loss"] == pytest.approx(
        applied["in_sample"]["after"]["log_loss"], abs=1e-4
    )


def test_optimize_refuses_a_short_own_history(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    _store(database, _tiny_log(4, 3), {})
    assert main(["optimize", "--db", database.url, "--apply"]) == 2
    assert "found 12 reviews of 3 cards" in capsys.readouterr().err
    with database.sessions() as session:
        assert session.scalars(select(Profile.fsrs_parameters)).one() is None


def test_optimize_names_an_unknown_profile(
    database: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    _store(database, _tiny_log(1, 1), {})
    assert main(["optimize", "--db", database.url, "--profile", "nobody"]) == 2
    assert "no profile named 'nobody'" in capsys.readouterr().err


def test_optimize_does_not_create_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "none.db"
    assert main(["optimize", "--db", f"sqlite:///{path}"]) == 2
    assert "found 0 reviews" in capsys.readouterr().err
    assert not path.exists()
