"""The helpers the families share, against independent computations (itertools, scipy)."""

from __future__ import annotations

import itertools
import math

import numpy as np
from scipy.stats import entropy, norm

from quizdl.engine.families._shared import (
    INTEGER_TOL,
    SIG3_REL_TOL,
    compositions,
    count_draft,
    kl_nats,
    mistake,
    normal_pdf,
    shape_draft,
    shape_text,
    sig3,
)
from quizdl.kb.text import Text

LABEL = Text.same("?")


def test_compositions_are_every_ordered_split() -> None:
    for total in range(1, 11):
        for parts in range(1, 5):
            found = compositions(total, parts)
            brute = [
                c for c in itertools.product(range(1, total + 1), repeat=parts) if sum(c) == total
            ]
            assert found == sorted(brute)
            assert len(found) == math.comb(total - 1, parts - 1)


def test_kl_and_normal_density_match_scipy() -> None:
    rng = np.random.default_rng(4)
    for _ in range(200):
        p, q = rng.dirichlet(np.ones(4)), rng.dirichlet(np.ones(4))
        assert math.isclose(kl_nats(p.tolist(), q.tolist()), float(entropy(p, q)), rel_tol=1e-12)
        x, mean, std = rng.normal(), rng.normal(), rng.uniform(0.3, 3)
        assert math.isclose(normal_pdf(x, mean, std), float(norm.pdf(x, mean, std)), rel_tol=1e-12)


def test_integer_answers_keep_only_mistakes_at_least_one_away() -> None:
    mistakes = [mistake("same", LABEL, 12), mistake("off-by-one", LABEL, 13)]
    draft = count_draft(LABEL, 12, {}, (LABEL,), mistakes)
    assert draft.answer == 12.0 and draft.rel_tol == 0.0 and draft.abs_tol == INTEGER_TOL
    assert [m.id for m in draft.mistakes] == ["off-by-one"]
    shape = shape_draft(LABEL, (3, 4), {}, (LABEL,), [mistake("swapped", LABEL, (4, 3))])
    assert shape.kind == "vector" and shape.answer == (3.0, 4.0)
    assert shape.mistakes[0].value == (4.0, 3.0)
    assert shape_text((1, 28, 28)) == "(1, 28, 28)"


def test_three_significant_figures() -> None:
    prompt = sig3("What is x?", "x 是多少？")
    assert prompt.en == "What is x? (3 significant figures)"
    assert prompt.zh == "x 是多少？（保留 3 位有效数字）"
    # A learner's 3 significant figures are at most half a unit in the third figure off:
    # 0.1235 typed as 0.124 (0.4 % off) is accepted, 0.126 (2 % off) is not.
    assert math.isclose(0.124, 0.1235, rel_tol=SIG3_REL_TOL)
    assert not math.isclose(0.126, 0.1235, rel_tol=SIG3_REL_TOL)
