"""Slugs for topic and card ids: lowercase ASCII words joined by hyphens.

Chinese is written in pinyin without tones (``反卷积`` → ``fan-juan-ji``), other letters lose
their accents, and everything else (punctuation, emoji, symbols) only separates words.
A slug is made once, when the importer first sees a heading or a term; ids never change
afterwards, so this function may improve without moving any existing card.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

from pypinyin import Style, lazy_pinyin

# CJK unified ideographs (with extension A and the compatibility block): written in pinyin.
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Greek letters are common in deep-learning terms (β-VAE, λ): spelled out, not dropped.
_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρσςτυφχψω",
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
        "sigma sigma tau upsilon phi chi psi omega".split(),
        strict=True,
    )
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# A heading such as "MLP、CNN、RNN、Transformer处理序列任务" would give a very long id;
# ids are typed on the command line and shown in tables, so they are cut at a word boundary.
MAX_SLUG_LENGTH = 48


def slugify(text: str, fallback: str = "section") -> str:
    """`text` as a slug (``[a-z0-9]+(-[a-z0-9]+)*``); `fallback` when nothing is left."""
    text = unicodedata.normalize("NFKC", text)
    spelled = _HAN_RUN.sub(
        lambda m: " " + " ".join(lazy_pinyin(m.group(), Style.NORMAL)) + " ", text
    )
    # NFKD splits "é" into "e" and a combining accent; the accent is dropped, and any other
    # character outside ASCII (such as "、" or an emoji) separates words like punctuation.
    folded = "".join(f" {_GREEK[c]} " if c in _GREEK else c for c in spelled.casefold())
    decomposed = unicodedata.normalize("NFKD", folded)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = [w for w in _NOT_SLUG.split(letters) if w]
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > MAX_SLUG_LENGTH:
            if not slug:
                slug = word[:MAX_SLUG_LENGTH]
            break
        slug = longer
    return slug or fallback


def unique_slug(base: str, taken: Container[str]) -> str:
    """`base`, or `base-2`, `base-3`, ... : the first that is not in `taken`."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
