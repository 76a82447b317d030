"""IoU of masks and boxes checked by counting pixel sets one by one."""

from __future__ import annotations

from draft_checks import assert_mistakes_distinct, close, number, numbers_by_id

from quizdl.engine.registry import families

SEEDS = range(200)
IOU = families()["mask-iou"]


def pixels(rows: object) -> set[tuple[int, int]]:
    assert isinstance(rows, list)
    return {(r, c) for r, row in enumerate(rows) for c, ch in enumerate(str(row)) if ch == "1"}


def box_cells(box: object, inclusive: bool = False) -> set[tuple[int, int]]:
    """The unit cells covered by a box given by its corners; `inclusive` also counts the
    cells starting on x₂ and y₂ (the pixel convention)."""
    assert isinstance(box, list)
    x1, y1, x2, y2 = (int(v) for v in box)
    end = 1 if inclusive else 0
    return {(x, y) for x in range(x1, x2 + end) for y in range(y1, y2 + end)}


def test_iou_matches_pixel_counting() -> None:
    variants = set()
    plus_one_checked = 0
    for seed in SEEDS:
        draft = IOU.generate(seed).draft
        mistakes = numbers_by_id(draft)
        if draft.params["variant"] == "grid":
            a, b = pixels(draft.params["a"]), pixels(draft.params["b"])
        else:
            a, b = box_cells(draft.params["a"]), box_cells(draft.params["b"])
            wide_a = box_cells(draft.params["a"], inclusive=True)
            wide_b = box_cells(draft.params["b"], inclusive=True)
            plus_one = len(wide_a & wide_b) / len(wide_a | wide_b)
            assert close(mistakes.get("plus-one-convention", plus_one), plus_one)
            plus_one_checked += "plus-one-convention" in mistakes
        assert a & b, "the masks always overlap"
        assert close(number(draft.answer), len(a & b) / len(a | b))
        if "dice" in mistakes:
            assert close(mistakes["dice"], 2 * len(a & b) / (len(a) + len(b)))
        assert_mistakes_distinct(draft)
        variants.add(draft.params["variant"])
    assert variants == {"grid", "box"}
    assert plus_one_checked > len(SEEDS) // 4


def test_grid_prompt_shows_the_masks() -> None:
    for seed in range(20):
        draft = IOU.generate(seed).draft
        if draft.params["variant"] != "grid":
            continue
        rows_a, rows_b = draft.params["a"], draft.params["b"]
        assert isinstance(rows_a, list) and isinstance(rows_b, list)
        for ra, rb in zip(rows_a, rows_b, strict=True):
            assert f"{' '.join(str(ra))}    {' '.join(str(rb))}" in draft.prompt.en


def test_same_seed_same_question_and_card_ranges() -> None:
    for seed in range(50):
        assert IOU.generate(seed) == IOU.generate(seed)
        draft = IOU.generate(seed, {"size": (5, 5)}).draft
        if draft.params["variant"] == "grid":
            assert draft.params["size"] == 5
