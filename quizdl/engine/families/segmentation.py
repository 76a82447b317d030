"""Instance segmentation is scored by IoU (intersection over union): of two binary masks drawn
as grids, or of two boxes in corner coordinates."""

from __future__ import annotations

from quizdl.engine.families._shared import sig3, sig3_draft
from quizdl.engine.fmt import num
from quizdl.engine.question import Draft, Draw, Family, Mistake, ParamSpec, json_list
from quizdl.kb.text import Text

_SUM_NOT_UNION = Text(
    en="The union counts the overlap once: |A ∪ B| = |A| + |B| − |A ∩ B|.",
    zh="并集只算一次重叠部分：|A ∪ B| = |A| + |B| − |A ∩ B|。",
)
_DICE = Text(
    en="2|A ∩ B|/(|A| + |B|) is the Dice coefficient; IoU is |A ∩ B|/|A ∪ B|.",
    zh="2|A ∩ B|/(|A| + |B|) 是 Dice 系数；IoU 是 |A ∩ B|/|A ∪ B|。",
)
_OVER_ONE_MASK = Text(
    en="You divided by the area of mask A only; IoU divides by the union.",
    zh="只除以了掩码 A 的面积；IoU 要除以并集。",
)
_PLUS_ONE = Text(
    en="You counted pixels inclusively (width x₂ − x₁ + 1); with continuous corner coordinates "
    "the width is x₂ − x₁.",
    zh="按像素闭区间计数了（宽 = x₂ − x₁ + 1）；连续角点坐标下宽 = x₂ − x₁。",
)


def _iou_solution(inter: int, area_a: int, area_b: int, answer: float) -> tuple[Text, Text]:
    union = area_a + area_b - inter
    return (
        Text.same(f"|A ∪ B| = {area_a} + {area_b} − {inter} = {union}"),
        Text.same(f"IoU = {inter}/{union} = {num(answer)}"),
    )


def _iou_grid(draw: Draw) -> Draft:
    size = draw.int("size")
    cells = size * size
    bits = [1 if x < 0.5 else 0 for x in draw.uniforms(2 * cells)]
    a, b = bits[:cells], bits[cells:]
    both = [x & y for x, y in zip(a, b, strict=True)]
    if not any(both):
        a[0] = b[0] = both[0] = 1  # a shared pixel, so IoU is not 0 and the mistakes stay distinct
    inter, area_a, area_b = sum(both), sum(a), sum(b)
    answer = inter / (area_a + area_b - inter)
    rows_a = ["".join([str(v) for v in a[r * size : (r + 1) * size]]) for r in range(size)]
    rows_b = ["".join([str(v) for v in b[r * size : (r + 1) * size]]) for r in range(size)]
    grid = "\n".join(
        [f"{' '.join(ra)}    {' '.join(rb)}" for ra, rb in zip(rows_a, rows_b, strict=True)]
    )
    header = "A" + " " * (2 * size + 2) + "B"
    mistakes = [
        Mistake("sum-not-union", _SUM_NOT_UNION, inter / (area_a + area_b)),
        Mistake("dice", _DICE, 2 * inter / (area_a + area_b)),
        Mistake("over-one-mask", _OVER_ONE_MASK, inter / area_a),
    ]
    return sig3_draft(
        sig3(
            f"Two {size}×{size} binary instance masks (1 = object pixel):\n{header}\n{grid}\n"
            "What is their IoU (intersection over union)?",
            f"两个 {size}×{size} 的二值实例掩码（1 = 目标像素）：\n{header}\n{grid}\n"
            "它们的 IoU（交并比）是多少？",
        ),
        "number",
        answer,
        {"variant": "grid", "size": size, "a": json_list(rows_a), "b": json_list(rows_b)},
        (
            Text.same(f"|A| = {area_a}, |B| = {area_b}, |A ∩ B| = {inter}"),
            *_iou_solution(inter, area_a, area_b, answer),
        ),
        mistakes,
        abs_tol=1e-9,
    )


def box_iou(a: list[int], b: list[int], pixel_inclusive: bool = False) -> float:
    """IoU of boxes (x₁, y₁, x₂, y₂); `pixel_inclusive` counts x₂ − x₁ + 1 pixels per side."""
    one = 1 if pixel_inclusive else 0
    iw = max(0, min(a[2], b[2]) - max(a[0], b[0]) + one)
    ih = max(0, min(a[3], b[3]) - max(a[1], b[1]) + one)
    inter = iw * ih
    area_a = (a[2] - a[0] + one) * (a[3] - a[1] + one)
    area_b = (b[2] - b[0] + one) * (b[3] - b[1] + one)
    return inter / (area_a + area_b - inter)


def _overlapping_sides(u: list[float]) -> tuple[int, int, int, int]:
    """Along one axis: A starts in 0…5 with side 2…5; B starts from one before A's start up to
    one before A's end, with side 2…5, so the two always overlap. (a₁, a₂, b₁, b₂)."""
    start_a, side_a = int(u[0] * 6), 2 + int(u[1] * 4)
    start_b = max(0, start_a - 1 + int(u[2] * (side_a + 1)))
    return start_a, start_a + side_a, start_b, start_b + 2 + int(u[3] * 4)


def _iou_boxes(draw: Draw) -> Draft:
    u = draw.uniforms(8)
    ax1, ax2, bx1, bx2 = _overlapping_sides(u[:4])
    ay1, ay2, by1, by2 = _overlapping_sides(u[4:])
    a, b = [ax1, ay1, ax2, ay2], [bx1, by1, bx2, by2]
    iw, ih = min(ax2, bx2) - max(ax1, bx1), min(ay2, by2) - max(ay1, by1)
    inter = iw * ih
    area_a, area_b = (ax2 - ax1) * (ay2 - ay1), (bx2 - bx1) * (by2 - by1)
    answer = inter / (area_a + area_b - inter)
    mistakes = [
        Mistake("sum-not-union", _SUM_NOT_UNION, inter / (area_a + area_b)),
        Mistake("dice", _DICE, 2 * inter / (area_a + area_b)),
        Mistake("plus-one-convention", _PLUS_ONE, box_iou(a, b, pixel_inclusive=True)),
    ]
    a_text, b_text = f"({ax1}, {ay1}, {ax2}, {ay2})", f"({bx1}, {by1}, {bx2}, {by2})"
    return sig3_draft(
        sig3(
            "Two boxes in continuous corner coordinates (x₁, y₁, x₂, y₂), width x₂ − x₁: "
            f"A = {a_text}, B = {b_text}. What is their IoU (intersection over union)?",
            "两个框用连续角点坐标 (x₁, y₁, x₂, y₂) 表示，宽为 x₂ − x₁："
            f"A = {a_text}，B = {b_text}。它们的 IoU（交并比）是多少？",
        ),
        "number",
        answer,
        {"variant": "box", "a": json_list(a), "b": json_list(b)},
        (
            Text.same(f"|A ∩ B| = {iw} × {ih} = {inter}, |A| = {area_a}, |B| = {area_b}"),
            *_iou_solution(inter, area_a, area_b, answer),
        ),
        mistakes,
        abs_tol=1e-9,
    )


def _mask_iou(draw: Draw) -> Draft:
    return _iou_grid(draw) if draw.rng.random() < 0.5 else _iou_boxes(draw)


FAMILIES = (
    Family(
        id="mask-iou",
        version=1,
        description="IoU of two binary masks or two boxes (instance segmentation)",
        topic="deep-learning",
        build=_mask_iou,
        params={"size": ParamSpec(4, 6, doc="side of the mask grid")},
    ),
)
