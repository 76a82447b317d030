from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizdl.kb.schema import SLUG
from quizdl.kb.slug import MAX_SLUG_LENGTH, slugify, unique_slug

SLUG_RE = re.compile(rf"^{SLUG}$")


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("反卷积", "fan-juan-ji"),
        ("SE block", "se-block"),
        ("t-SNE", "t-sne"),
        ("WGAN-GP", "wgan-gp"),
        ("JS散度", "js-san-du"),
        ("transformer参数量计算", "transformer-can-shu-liang-ji-suan"),
        ("为什么self attention要scale", "wei-shen-me-self-attention-yao-scale"),
        ("MLP、CNN、RNN、Transformer处理序列任务", "mlp-cnn-rnn-transformer-chu-li-xu-lie-ren-wu"),
        ("🎉 SE block 🎉", "se-block"),
        ("Café crème", "cafe-creme"),
        ("ＡＢＣ１２", "abc12"),  # full-width letters and digits
        ("β-VAE", "beta-vae"),
        ("L2 正则", "l2-zheng-ze"),
    ],
)
def test_slugify_examples(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize("text", ["", "？！…", "!!!", "🎉🎉", "   ", "、。"])
def test_nothing_left_gives_the_fallback(text: str) -> None:
    assert slugify(text) == "section"
    assert slugify(text, "term") == "term"


def test_long_text_is_cut_at_a_word_boundary() -> None:
    words = [f"word{i}" for i in range(30)]
    slug = slugify(" ".join(words))
    assert len(slug) <= MAX_SLUG_LENGTH
    kept = slug.split("-")
    assert kept == words[: len(kept)]  # whole words only, in order
    assert len("-".join(words[: len(kept) + 1])) > MAX_SLUG_LENGTH  # as many as fit


def test_a_single_overlong_word_is_truncated() -> None:
    assert slugify("x" * 100) == "x" * MAX_SLUG_LENGTH


def test_unique_slug_counts_up_from_two() -> None:
    assert unique_slug("gan", set()) == "gan"
    assert unique_slug("gan", {"gan"}) == "gan-2"
    assert unique_slug("gan", {"gan", "gan-2", "gan-3"}) == "gan-4"
    assert unique_slug("gan/x", {"gan/x"}) == "gan/x-2"


@settings(max_examples=300, derandomize=True)
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=80))
def test_any_text_gives_a_valid_slug(text: str) -> None:
    slug = slugify(text)
    assert SLUG_RE.match(slug), slug
    assert len(slug) <= MAX_SLUG_LENGTH
    assert slugify(text) == slug  # deterministic
