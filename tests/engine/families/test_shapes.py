"""conv-output-shape, conv-transpose-shape, upsample-shape: sizes are found by brute
force (sliding the window start by start, scattering every input position through every
kernel tap) and upsampling shapes by running the operation on numpy arrays."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
from draft_checks import as_tuple, assert_integers_apart, int_list_param, int_param, mistakes_by_id
from scipy import ndimage

from quizdl.engine.question import Draft
from quizdl.engine.registry import families

CONV = families()["conv-output-shape"]
TRANSPOSE = families()["conv-transpose-shape"]
UPSAMPLE = families()["upsample-shape"]
SEEDS = range(300)


def windows(length: int, span: int, stride: int) -> int:
    """Slide a window covering `span` positions over `length` positions, start by start."""
    return sum(1 for start in range(0, length, stride) if start + span <= length)


def scattered_length(n: int, k: int, s: int, p: int, d: int, output_padding: int) -> int:
    """Transposed convolution by scattering: input j reaches j·s + t·d through tap t; the
    touched range, extended by output_padding and cropped by p on both sides."""
    touched = {j * s + t * d for j in range(n) for t in range(k)}
    return max(touched) + 1 + output_padding - 2 * p


def check_per_size(draft: Draft, expected: dict[str, list[int]]) -> None:
    """`expected` maps the answer ("answer") and each mistake id to its sizes."""
    assert as_tuple(draft.answer) == tuple(expected["answer"])
    for key, value in mistakes_by_id(draft).items():
        assert as_tuple(value) == tuple(expected[key]), key


def test_conv_output_sizes_by_sliding_the_window() -> None:
    for seed in SEEDS:
        draft = CONV.generate(seed).draft
        k, s, p, d = (int_param(draft, key) for key in ("kernel", "stride", "padding", "dilation"))
        span = d * (k - 1) + 1
        ns = int_list_param(draft, "sizes")
        assert draft.kind == ("number" if len(ns) == 1 else "vector")
        expected = {
            "answer": [windows(n + 2 * p, span, s) for n in ns],
            "forgot-padding-twice": [windows(n + p, span, s) for n in ns],
            "no-floor": [math.ceil(Fraction(n + 2 * p - span, s)) + 1 for n in ns],
            "forgot-plus-one": [windows(n + 2 * p, span, s) - 1 for n in ns],
            "ignored-dilation": [windows(n + 2 * p, k, s) for n in ns],
            "pool-default-stride-1": [windows(n + 2 * p, span, 1) for n in ns],
        }
        check_per_size(draft, expected)
        op = draft.params["op"]
        if op != "Conv":  # PyTorch's pooling limits: padding ≤ half the effective kernel
            assert 2 * p <= span and (op == "MaxPool" or d == 1)
        # a pooling layer may leave the stride out: it then defaults to kernel_size
        assert f"stride={s}" in draft.prompt.en or ("stride=" not in draft.prompt.en and s == k)
        if "pool-default-stride-1" in mistakes_by_id(draft):
            assert "stride=" not in draft.prompt.en
        assert f"kernel_size={k}" in draft.prompt.en and f"padding={p}" in draft.prompt.en
        assert_integers_apart(draft)


def test_conv_output_known_cases() -> None:
    # a 3×3 conv with stride 2 and padding 1 halves 224 → 112 (ResNet's downsampling)
    ranges = {"dims": (2, 2), "size": (224, 224), "kernel": (3, 3), "stride": (2, 2)}
    ranges |= {"padding": (1, 1), "dilation": (1, 1)}
    for seed in range(20):
        assert CONV.generate(seed, ranges).draft.answer == (112.0, 112.0)


def test_conv_output_same_seed_same_question_and_narrowed_ranges() -> None:
    ranges = {"dims": (1, 1), "size": (50, 60), "kernel": (5, 5), "stride": (3, 3)}
    ranges |= {"padding": (2, 2), "dilation": (2, 2)}
    for seed in range(100):
        assert CONV.generate(seed) == CONV.generate(seed)
        draft = CONV.generate(seed, ranges).draft
        assert int_param(draft, "dims") == 1 and 50 <= int_list_param(draft, "sizes")[0] <= 60
        assert (int_param(draft, "kernel"), int_param(draft, "stride")) == (5, 3)
        assert (int_param(draft, "padding"), int_param(draft, "dilation")) == (2, 2)
        assert draft.params["op"] in ("Conv", "MaxPool")  # AvgPool has no dilation


def test_conv_transpose_sizes_by_scattering() -> None:
    for seed in SEEDS:
        draft = TRANSPOSE.generate(seed).draft
        k, s, p, d = (int_param(draft, key) for key in ("kernel", "stride", "padding", "dilation"))
        op = int_param(draft, "output_padding")
        assert 0 <= op < max(s, d)  # PyTorch's condition on output_padding
        ns = int_list_param(draft, "sizes")
        lengths = [scattered_length(n, k, s, p, d, op) for n in ns]
        assert all(length >= 1 for length in lengths)
        expected = {
            "answer": lengths,
            "used-conv-formula": [windows(n + 2 * p, d * (k - 1) + 1, s) for n in ns],
            "forgot-output-padding": [scattered_length(n, k, s, p, d, 0) for n in ns],
            "padding-sign": [scattered_length(n, k, s, -p, d, op) for n in ns],  # + 2p
            # n·s instead of (n − 1)s: the length one more input would give
            "n-times-stride": [scattered_length(n + 1, k, s, p, d, op) for n in ns],
            "ignored-dilation": [scattered_length(n, k, s, p, 1, op) for n in ns],
        }
        check_per_size(draft, expected)
        if op < s:
            # the transposed convolution undoes the shape of the convolution it transposes
            for n, length in zip(ns, lengths, strict=True):
                assert windows(length + 2 * p, d * (k - 1) + 1, s) == n
        assert f"output_padding={op}" in draft.prompt.en or max(s, d) == 1
        assert_integers_apart(draft)


def test_conv_transpose_doubling_setting() -> None:
    # ConvTranspose2d(k=4, s=2, p=1) doubles H and W (DCGAN's generator blocks)
    ranges = {"dims": (2, 2), "kernel": (4, 4), "stride": (2, 2), "padding": (1, 1)}
    ranges |= {"dilation": (1, 1)}
    for seed in range(50):
        draft = TRANSPOSE.generate(seed, ranges).draft
        ns = int_list_param(draft, "sizes")
        op = int_param(draft, "output_padding")
        assert draft.answer == tuple(float(2 * n + op) for n in ns)


def test_conv_transpose_same_seed_same_question_and_narrowed_ranges() -> None:
    ranges = {"dims": (1, 1), "size": (10, 12), "kernel": (3, 3), "stride": (2, 2)}
    ranges |= {"padding": (1, 1), "dilation": (1, 1)}
    for seed in range(100):
        assert TRANSPOSE.generate(seed) == TRANSPOSE.generate(seed)
        draft = TRANSPOSE.generate(seed, ranges).draft
        assert 10 <= int_list_param(draft, "sizes")[0] <= 12 and int_param(draft, "stride") == 2
        assert (int_param(draft, "kernel"), int_param(draft, "padding")) == (3, 1)


def pixel_shuffle(x: np.ndarray, r: int) -> np.ndarray:
    """PyTorch docs: out[c, h·r + i, w·r + j] = in[c·r² + i·r + j, h, w]."""
    c, h, w = x.shape[0] // (r * r), x.shape[1], x.shape[2]
    return x.reshape(c, r, r, h, w).transpose(0, 3, 1, 4, 2).reshape(c, h * r, w * r)


def pixel_unshuffle(x: np.ndarray, r: int) -> np.ndarray:
    c, h, w = x.shape[0], x.shape[1] // r, x.shape[2] // r
    return x.reshape(c, h, r, w, r).transpose(0, 2, 4, 1, 3).reshape(c * r * r, h, w)


def test_pixel_shuffle_reference_moves_the_right_values() -> None:
    x = np.arange(2 * 9 * 4 * 5).reshape(2 * 9, 4, 5)
    out = pixel_shuffle(x, 3)
    for c, h, w, i, j in itertools.product(range(2), range(4), range(5), range(3), range(3)):
        assert out[c, h * 3 + i, w * 3 + j] == x[c * 9 + i * 3 + j, h, w]
    assert np.array_equal(pixel_unshuffle(out, 3), x)


def test_upsample_shapes_by_running_the_operation() -> None:
    for seed in SEEDS:
        draft = UPSAMPLE.generate(seed).draft
        mode, r = draft.params["mode"], int_param(draft, "scale")
        c, h, w = (int_param(draft, key) for key in ("channels", "height", "width"))
        found = mistakes_by_id(draft)
        if mode in ("nearest", "bilinear"):
            x = np.zeros((c, h, w))
            if mode == "nearest":
                out = x.repeat(r, axis=1).repeat(r, axis=2)
            else:
                out = ndimage.zoom(x, (1, r, r), order=1)
            assert found["scaled-channels"] == (r * c, r * h, r * w)
        elif mode == "PixelShuffle":
            x = np.zeros((c * r * r, h, w))
            out = pixel_shuffle(x, r)
            assert found["channels-not-divided"] == (x.shape[0], r * h, r * w)
        else:
            x = np.zeros((c, r * h, r * w))
            out = pixel_unshuffle(x, r)
            assert found["channels-not-multiplied"] == (c, h, w)
        assert draft.answer == out.shape
        assert str(tuple(x.shape)) in draft.prompt.en
        assert_integers_apart(draft)


def test_upsample_same_seed_same_question_and_narrowed_ranges() -> None:
    for seed in range(100):
        assert UPSAMPLE.generate(seed) == UPSAMPLE.generate(seed)
        draft = UPSAMPLE.generate(seed, {"mode": (2, 2), "scale": (2, 2), "size": (8, 9)}).draft
        assert draft.params["mode"] == "PixelShuffle" and int_param(draft, "scale") == 2
        assert 8 <= int_param(draft, "height") <= 9 and 8 <= int_param(draft, "width") <= 9
