"""cGAN widths from concatenated numpy arrays, the VAE KL term by Monte Carlo and by numerical
integration (scipy), InfoGAN code entropy from scipy.stats.entropy, AdaIN with numpy."""

from __future__ import annotations

import math

import numpy as np
from draft_checks import array_param, as_vector, assert_mistakes_match, float_param
from scipy.integrate import quad
from scipy.stats import entropy, norm

from quizdl.engine.registry import families

SEEDS = range(200)
CGAN = families()["cgan-input-width"]
VAE_KL = families()["vae-kl"]
ENTROPY = families()["infogan-code-entropy"]
ADAIN = families()["adain"]


def test_cgan_input_width_from_concatenated_arrays() -> None:
    networks = set()
    for seed in SEEDS:
        draft = CGAN.generate(seed).draft
        classes = int(float_param(draft, "classes"))
        label = np.eye(classes)[seed % classes]  # any one-hot row
        networks.add(draft.params["network"])
        if draft.params["network"] == "generator":
            base = np.zeros(int(float_param(draft, "latent_dim")))
        else:
            side, channels = int(float_param(draft, "side")), int(float_param(draft, "channels"))
            base = np.zeros((side, side, channels)).ravel()
        assert draft.answer == np.concatenate([base, label]).size
        assert_mistakes_match(
            draft,
            {"multiplied": float(np.outer(base, label).size), "forgot-condition": base.size},
        )
    assert networks == {"generator", "discriminator"}


def test_vae_kl_by_monte_carlo_and_integration() -> None:
    rng = np.random.default_rng(2024)
    for seed in SEEDS:
        draft = VAE_KL.generate(seed).draft
        mu, sigma = array_param(draft, "mu"), array_param(draft, "sigma")
        answer = as_vector(draft.answer)[0]
        # Monte Carlo: KL = E_q[log q(z) − log p(z)] with z ~ q = N(μ, diag σ²).
        z = mu + sigma * rng.standard_normal((20_000, len(mu)))
        log_ratio = (norm.logpdf(z, mu, sigma) - norm.logpdf(z)).sum(axis=1)
        standard_error = log_ratio.std() / math.sqrt(len(log_ratio))
        assert abs(log_ratio.mean() - answer) < 5 * standard_error + 1e-3
        assert_mistakes_match(
            draft,
            {
                "forgot-half": 2 * answer,
                "log-sigma-not-log-var": 0.5 * float((mu**2 + sigma**2 - 1 - np.log(sigma)).sum()),
                "sign": -answer,
            },
        )
    for seed in range(30):  # quadrature is slower: fewer seeds
        draft = VAE_KL.generate(seed).draft
        mu, sigma = array_param(draft, "mu"), array_param(draft, "sigma")
        integral = sum(
            quad(
                lambda z, m=m, s=s: norm.pdf(z, m, s) * (norm.logpdf(z, m, s) - norm.logpdf(z)),
                -np.inf,
                np.inf,
            )[0]
            for m, s in zip(mu, sigma, strict=True)
        )
        assert math.isclose(as_vector(draft.answer)[0], integral, rel_tol=1e-7, abs_tol=1e-9)


def test_infogan_code_entropy_matches_scipy() -> None:
    seen = set()
    for seed in SEEDS:
        draft = ENTROPY.generate(seed).draft
        base = math.e if draft.params["unit"] == "nats" else 2.0
        other = 2.0 if base == math.e else math.e
        if "categories" in draft.params:
            probs = np.full(int(float_param(draft, "categories")), 1.0)  # scipy normalises
        else:
            probs = array_param(draft, "probs")
        seen.add((draft.params["unit"], "categories" in draft.params))
        assert math.isclose(as_vector(draft.answer)[0], entropy(probs, base=base), rel_tol=1e-12)
        assert_mistakes_match(
            draft,
            {
                "nats-vs-bits": entropy(probs, base=other),
                "assumed-uniform": entropy(np.ones(len(probs)), base=base),
            },
        )
    assert len(seen) == 4  # nats and bits, uniform and given probabilities


def test_infogan_uniform_code_published_figure() -> None:
    # Chen et al. (2016), InfoGAN, MNIST: c₁ ~ Cat(K = 10, p = 0.1), so H(c₁) = log 10 nats.
    for seed in range(200):
        draft = ENTROPY.generate(seed, {"categories": (10, 10)}).draft
        if draft.params.get("categories") == 10 and draft.params["unit"] == "nats":
            assert math.isclose(as_vector(draft.answer)[0], math.log(10))
            return
    raise AssertionError("no uniform K = 10 question in nats among 200 seeds")


def test_adain_matches_numpy() -> None:
    for seed in SEEDS:
        draft = ADAIN.generate(seed).draft
        x = array_param(draft, "x")
        style_mean, style_std = float_param(draft, "style_mean"), float_param(draft, "style_std")
        element = int(float_param(draft, "element"))
        part = slice(None) if element == 0 else slice(element - 1, element)
        out = style_std * (x - x.mean()) / x.std() + style_mean  # np.std: population (ddof=0)
        assert draft.kind == ("vector" if element == 0 else "number")
        np.testing.assert_allclose(as_vector(draft.answer), out[part], rtol=1e-12, atol=1e-12)
        normalised = (x - x.mean()) / x.std()
        assert math.isclose(normalised.mean(), 0.0, abs_tol=1e-12)
        assert math.isclose(normalised.std(), 1.0)
        sample = style_std * (x - x.mean()) / x.std(ddof=1) + style_mean
        swapped = x.std() * (x - style_mean) / style_std + x.mean()
        assert_mistakes_match(
            draft,
            {
                "sample-std": sample[part],
                "swapped-stats": swapped[part],
                "forgot-style-mean": (out - style_mean)[part],
            },
        )


def test_same_seed_same_question_and_narrowed_ranges() -> None:
    for seed in range(50):
        for family in (CGAN, VAE_KL, ENTROPY, ADAIN):
            assert family.generate(seed) == family.generate(seed)
        draft = CGAN.generate(seed, {"latent_dim": (100, 100), "classes": (10, 10)}).draft
        assert (draft.params["latent_dim"], draft.params["classes"]) == (100, 10)
        draft = VAE_KL.generate(seed, {"dims": (3, 3)}).draft
        assert len(array_param(draft, "mu")) == 3 and len(array_param(draft, "sigma")) == 3
        draft = ADAIN.generate(seed, {"size": (4, 4)}).draft
        assert len(array_param(draft, "x")) == 4
        draft = ENTROPY.generate(seed, {"categories": (5, 5)}).draft
        assert draft.params.get("categories", 5) == 5
