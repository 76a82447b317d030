"""From the learner's raw text to tokens.

Normalization first: full-width forms, Unicode minus and dashes, ``×``/``·``/``÷``, superscript
powers (``10⁻³`` is read as ``10^(-3)``) and vulgar fractions are folded into a small ASCII
syntax, remembering for each character where it came from so that every message points
into what the learner typed (positions count from 1).

Thousands separators are decided here, where digits and spacing are still visible: a run
of one to three digits followed by groups of exactly three digits, all separated by the
same character (a comma when the caller allows it, a space always), is one number.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

from quizdl.engine.answers.errors import Unreadable

MAX_CHARS = 2000
MAX_TOKENS = 1000

FUNCTIONS: dict[str, str] = {
    "exp": "exp",
    "log": "ln",  # the natural logarithm, as everywhere in deep learning
    "ln": "ln",
    "sqrt": "sqrt",
    "sigma": "sigmoid",
    "sigmoid": "sigmoid",
    "σ": "sigmoid",
    "tanh": "tanh",
    "sinh": "sinh",
    "cosh": "cosh",
    "sin": "sin",
    "cos": "cos",
    "abs": "abs",
    "max": "max",
    "min": "min",
}
CONSTANTS: dict[str, str] = {"e": "e", "pi": "pi", "π": "pi"}
_KNOWN = {
    **{k: ("func", v) for k, v in FUNCTIONS.items()},
    **{k: ("const", v) for k, v in CONSTANTS.items()},
}

_SUPERSCRIPTS = {
    **{chr(0x2070 + d): str(d) for d in (0, 4, 5, 6, 7, 8, 9)},
    "¹": "1",
    "²": "2",
    "³": "3",
    "⁺": "+",
    "⁻": "-",
    "⁽": "(",
    "⁾": ")",
    "ˣ": "x",
    "ʸ": "y",
    "ⁿ": "n",
}
_FOLD = {
    **dict.fromkeys("−‐‑‒–—", "-"),
    **dict.fromkeys("×✕⨯·⋅∙•∗", "*"),
    **dict.fromkeys("÷∕⁄", "/"),
    "、": ",",
    "ς": "σ",
}
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_OPERATORS = frozenset("+-*/^()[],;%√")
DIGITS = frozenset("0123456789")

TokenKind = Literal["num", "var", "func", "const", "op"]


@dataclass(frozen=True, slots=True)
class Source:
    """Normalized text; `origin[i]` is the index in the raw text of character i."""

    text: str
    origin: tuple[int, ...]

    def position(self, index: int) -> int:
        """The 1-based position in the raw text of normalized character `index`."""
        if not self.origin:
            return 1
        if index >= len(self.origin):
            return self.origin[-1] + 2
        return self.origin[index] + 1


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str  # num: digits without separators; op: the operator ("**" is "^"); names: canonical
    at: int  # 1-based position in the raw text
    spaced: bool  # whitespace just before it
    shown: str  # as typed, for messages


def normalize(raw: str) -> Source:
    if len(raw) > MAX_CHARS:
        raise too_long(len(raw))
    out: list[str] = []
    origin: list[int] = []

    def emit(text: str, index: int) -> None:
        out.append(text)
        origin.extend([index] * len(text))

    def after_digit() -> bool:
        for piece in reversed(out):
            if piece.strip():
                return piece.rstrip()[-1] in DIGITS
        return False

    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch in _SUPERSCRIPTS:  # a run of superscripts is one power: x⁻¹ -> x^(-1)
            j = i
            while j < len(raw) and raw[j] in _SUPERSCRIPTS:
                j += 1
            emit("^(", i)
            for k in range(i, j):
                emit(_SUPERSCRIPTS[raw[k]], k)
            emit(")", j - 1)
            i = j
            continue
        folded = unicodedata.normalize("NFKC", ch)
        if "⁄" in folded:  # a vulgar fraction such as ½ (NFKC gives 1⁄2)
            if after_digit():
                raise Unreadable(
                    f"mixed number at position {i + 1}: write 2½ as 2.5 or 5/2, for example",
                    f"第 {i + 1} 个字符处是带分数：请把 2½ 写成 2.5 或 5/2 这样的形式",
                )
            emit("(" + folded.replace("⁄", "/") + ")", i)
        elif ch in _INVISIBLE:
            pass
        elif folded.isspace() or not folded:
            emit(" ", i)
        else:
            emit("".join(_FOLD.get(c, c) for c in folded), i)
        i += 1
    return Source("".join(out), tuple(origin))


def tokenize(
    source: Source,
    *,
    variables: tuple[str, ...] = (),
    comma_groups: bool = False,
    space_groups: bool = True,
) -> list[Token]:
    """Tokens of `source`. `comma_groups`, `space_groups`: a comma, a space may separate
    thousands (1,234,567 and 1 234 567)."""
    text = source.text
    tokens: list[Token] = []
    i = 0
    spaced = False
    while i < len(text):
        ch = text[i]
        if ch == " ":
            spaced = True
            i += 1
            continue
        if len(tokens) >= MAX_TOKENS:  # a run of letters adds many: checked again below
            raise _too_many_tokens()
        at = source.position(i)
        if ch in DIGITS or (ch == "." and _is_digits(text[i + 1 : i + 2])):
            seps = ("," if comma_groups else "") + (" " if space_groups else "")
            end, digits = _number(text, i, seps)
            tokens.append(Token("num", digits, at, spaced, text[i:end]))
            i = end
        elif ch.isalpha() or ch == "_":
            for kind, name, end in _names(source, i, variables):
                tokens.append(Token(kind, name, source.position(i), spaced, text[i:end]))
                spaced = False
                i = end
        elif text.startswith("**", i):
            tokens.append(Token("op", "^", at, spaced, "**"))
            i += 2
        elif ch in _OPERATORS:
            tokens.append(Token("op", ch, at, spaced, ch))
            i += 1
        else:
            raise Unreadable(
                f"unexpected character {ch!r} at position {at}",
                f"第 {at} 个字符 {ch!r} 无法识别",
            )
        spaced = False
    if len(tokens) > MAX_TOKENS:
        raise _too_many_tokens()
    return tokens


def too_long(chars: int) -> Unreadable:
    return Unreadable(
        f"answer too long ({chars:,} characters; at most {MAX_CHARS:,})",
        f"答案太长（{chars:,} 个字符；最多 {MAX_CHARS:,} 个）",
    )


def _too_many_tokens() -> Unreadable:
    return Unreadable(
        f"answer too long (more than {MAX_TOKENS:,} symbols)",
        f"答案太长（超过 {MAX_TOKENS:,} 个符号）",
    )


def _is_digits(text: str) -> bool:
    return bool(text) and all(c in DIGITS for c in text)


def _digits_end(text: str, i: int) -> int:
    while i < len(text) and text[i] in DIGITS:
        i += 1
    return i


def _number(text: str, start: int, separators: str) -> tuple[int, str]:
    """The end of the number starting at `start` and its digits without separators."""
    i = _digits_end(text, start)
    parts = [text[start:i]]
    if 1 <= i - start <= 3:
        for sep in separators:
            while _is_group(text, i, sep):
                parts.append(text[i + 1 : i + 4])
                i += 4
            if len(parts) > 1:
                break
    if text[i : i + 1] == "." and not text[i + 1 : i + 2] == ".":
        end = _digits_end(text, i + 1)
        parts.append(text[i:end])
        i = end
    if text[i : i + 1] in ("e", "E"):
        j = i + 1
        if text[j : j + 1] in ("+", "-"):
            j += 1
        if _is_digits(text[j : j + 1]):
            end = _digits_end(text, j)
            parts.append("e" + text[i + 1 : end])
            i = end
    return i, "".join(parts)


def _is_group(text: str, i: int, sep: str) -> bool:
    """A separator at `i` followed by exactly three digits."""
    return (
        text[i : i + 1] == sep
        and len(text[i + 1 : i + 4]) == 3
        and _is_digits(text[i + 1 : i + 4])
        and not _is_digits(text[i + 4 : i + 5])
    )


def _names(
    source: Source, start: int, variables: tuple[str, ...]
) -> list[tuple[TokenKind, str, int]]:
    """Split a run of letters into known names, longest first: "xexp" is x, exp."""
    text = source.text
    run_end = start
    while run_end < len(text) and (text[run_end].isalpha() or text[run_end] == "_"):
        run_end += 1
    found: list[tuple[TokenKind, str, int]] = []
    i = start
    while i < run_end:
        best: tuple[TokenKind, str, int] | None = None
        for var in variables:
            if var and text.startswith(var, i):
                best = max(best, ("var", var, i + len(var)), key=_length)
        for word, (kind, name) in _KNOWN.items():
            end = i + len(word)
            if end <= run_end and text[i:end].lower() == word:
                candidate: tuple[TokenKind, str, int] = (
                    "func" if kind == "func" else "const",
                    name,
                    end,
                )
                best = max(best, candidate, key=_length)
        if best is None:
            shown_end = run_end
            while shown_end < len(text) and (text[shown_end].isalnum() or text[shown_end] == "_"):
                shown_end += 1
            name, at = text[start:shown_end], source.position(start)
            message = f"unknown name {name!r} at position {at}"
            message_zh = f"第 {at} 个字符处的名称 {name!r} 无法识别"
            if variables:
                message += f" (the variables here: {', '.join(variables)})"
                message_zh += f"（这里的变量：{', '.join(variables)}）"
            raise Unreadable(message, message_zh)
        found.append(best)
        i = best[2]
    return found


def _length(item: tuple[TokenKind, str, int] | None) -> int:
    return -1 if item is None else item[2]
