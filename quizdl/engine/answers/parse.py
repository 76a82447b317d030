"""Recursive-descent parser from tokens to a syntax tree, and the three ways of reading.

Grammar (lowest precedence first)::

    sum      := product (('+' | '-') product)*
    product  := unary (('*' | '/') unary | <implicit> unary)*   # 2x, x(1-x), σ(x)(1-σ(x))
    unary    := ('-' | '+') unary | power                      # -2^2 is -(2^2)
    power    := postfix ('^' unary)?                           # right-assoc.: 2^-8, 2^3^2
    postfix  := atom '%'?                                      # 25% is 0.25
    atom     := number | constant | variable | call | '(' sum ')' | '[' sum ']' | '√' unary
    call     := function ('^' number)? ( '(' sum (',' sum)* ')' | unary )   # tanh^2(x), ln 2

Implicit multiplication needs a name, '(' or '√' on the right: ``2 3`` and ``x2`` are
unreadable (an operator is missing), never silently multiplied.

Every level of nesting (brackets, signs, powers) counts towards MAX_DEPTH, so no input can
exhaust the stack.

Commas. In a number, a comma is a thousands separator when the grouping is valid
(``1,234,567``) and unreadable otherwise (``0,5``: write decimals with '.'). In a vector,
items are separated by ';' if there is one (then commas may separate thousands again), else
by ',' (so ``1,234`` is two items, 1 and 234), else by whitespace as numpy prints them
(``[0.5 -1 2]``). A space separates thousands (``1 234 567``) except in that last form.
"""

from __future__ import annotations

from functools import lru_cache

from quizdl.engine.answers.errors import Unreadable
from quizdl.engine.answers.lexer import Token, normalize, tokenize
from quizdl.engine.answers.nodes import (
    Call,
    Const,
    Neg,
    Node,
    Num,
    Percent,
    Power,
    Product,
    Sum,
    Var,
)

MAX_DEPTH = 50
_CLOSING = {"(": ")", "[": "]"}
_ARITY = {"max": 2, "min": 2}  # at least this many arguments; every other function takes one
_DECIMAL_HINT = "write decimals with '.', e.g. 0.5, and thousands as 1,234 or 1 234"
_DECIMAL_HINT_ZH = "小数请用 '.'，例如 0.5；千位分隔写成 1,234 或 1 234"


def read_number(raw: str) -> Node:
    return _Parser(tokenize(normalize(raw), comma_groups=True)).parse()


@lru_cache(maxsize=256)
def read_expression(raw: str, variables: tuple[str, ...]) -> Node:
    return _Parser(tokenize(normalize(raw), variables=variables)).parse()


def read_vector(raw: str) -> tuple[Node, ...]:
    source = normalize(raw)
    plain = tokenize(source, space_groups=False)
    _check_brackets(plain)  # before splitting, so that "(1, 2" says what is missing
    inner = _unwrap(plain)
    if _at_top(inner, ";"):
        items = _split(_unwrap(tokenize(source, comma_groups=True)), ";")
    elif _at_top(inner, ","):
        items = _split(_unwrap(tokenize(source)), ",")
    else:
        items = _split_spaced(inner)
    if not items:
        raise Unreadable("empty answer: no numbers found", "答案为空：没有找到数字")
    return tuple(_Parser(item).parse() for item in items)


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def parse(self) -> Node:
        if not self.tokens:
            raise Unreadable("empty answer", "答案为空")
        node = self.sum()
        if self.i < len(self.tokens):
            raise self.unexpected(self.tokens[self.i])
        return node

    # -- token helpers

    def peek_op(self, *ops: str) -> Token | None:
        if self.i < len(self.tokens):
            token = self.tokens[self.i]
            if token.kind == "op" and token.text in ops:
                return token
        return None

    def take(self) -> Token:
        if self.i >= len(self.tokens):
            last = self.tokens[-1]
            raise Unreadable(
                f"the answer stops too early: something is missing after {last.shown!r}",
                f"答案没有写完：{last.shown!r} 之后还缺少内容",
            )
        token = self.tokens[self.i]
        self.i += 1
        return token

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Unreadable(
                f"nested too deeply (more than {MAX_DEPTH} levels) at position {token.at}",
                f"第 {token.at} 个字符处嵌套太深（超过 {MAX_DEPTH} 层）",
            )

    def unexpected(self, token: Token) -> Unreadable:
        shown, at = token.shown, token.at
        if token.kind == "num":
            return Unreadable(
                f"missing operator before {shown!r} at position {at}",
                f"第 {at} 个字符处的 {shown!r} 前面缺少运算符",
            )
        message = f"unexpected {shown!r} at position {at}"
        message_zh = f"第 {at} 个字符处不应出现 {shown!r}"
        if token.text in (",", ";"):
            message += f" ({_DECIMAL_HINT})"
            message_zh += f"（{_DECIMAL_HINT_ZH}）"
        elif token.text in (")", "]"):
            return _nothing_to_close(token)
        return Unreadable(message, message_zh)

    # -- grammar

    def sum(self) -> Node:
        terms: list[tuple[bool, Node]] = [(False, self.product())]
        while token := self.peek_op("+", "-"):
            self.i += 1
            terms.append((token.text == "-", self.product()))
        return terms[0][1] if len(terms) == 1 else Sum(tuple(terms))

    def product(self) -> Node:
        factors: list[tuple[bool, Node]] = [(False, self.unary())]
        while self.i < len(self.tokens):
            token = self.tokens[self.i]
            if token.kind == "op" and token.text in ("*", "/"):
                self.i += 1
                factors.append((token.text == "/", self.unary()))
            elif token.kind in ("var", "const", "func") or token.text in ("(", "[", "√"):
                factors.append((False, self.unary()))  # implicit multiplication
            elif token.kind == "num":
                raise self.unexpected(token)
            else:
                break
        return factors[0][1] if len(factors) == 1 else Product(tuple(factors))

    def unary(self) -> Node:
        token = self.peek_op("-", "+")
        if token is None:
            return self.power()
        self.i += 1
        self.enter(token)
        operand = self.unary()
        self.depth -= 1
        return Neg(operand) if token.text == "-" else operand

    def power(self) -> Node:
        base = self.postfix()
        token = self.peek_op("^")
        if token is None:
            return base
        self.i += 1
        self.enter(token)
        exponent = self.unary()
        self.depth -= 1
        return Power(base, exponent)

    def postfix(self) -> Node:
        node = self.atom()
        if self.peek_op("%"):
            self.i += 1
            node = Percent(node)
            if token := self.peek_op("%"):
                raise self.unexpected(token)
        return node

    def atom(self) -> Node:
        token = self.take()
        if token.kind == "num":
            return _number(token)
        if token.kind == "const":
            return Const(token.text)
        if token.kind == "var":
            return Var(token.text)
        if token.kind == "func":
            return self.call(token)
        if token.text in _CLOSING:
            self.enter(token)
            inner = self.sum()
            self.close(token)
            self.depth -= 1
            return inner
        if token.text == "√":
            self.enter(token)
            operand = self.unary()
            self.depth -= 1
            return Call("sqrt", (operand,))
        raise self.unexpected(token)

    def close(self, opening: Token) -> None:
        want = _CLOSING[opening.text]
        if self.i >= len(self.tokens):
            raise _missing_closing(opening)
        token = self.tokens[self.i]
        if not (token.kind == "op" and token.text == want):
            raise _wrong_closing(opening, token)
        self.i += 1

    def call(self, function: Token) -> Node:
        power: Node | None = None
        if self.peek_op("^"):  # tanh^2(x), tanh²(x): the power of the value
            self.i += 1
            power = self.function_power(function)
        self.enter(function)
        opening = self.peek_op("(", "[")
        if opening:
            self.i += 1
            args = [self.sum()]
            while self.peek_op(","):
                self.i += 1
                args.append(self.sum())
            self.close(opening)
        elif self.i < len(self.tokens) and not self.peek_op(")", "]", ",", ";", "*", "/", "^", "%"):
            args = [self.unary()]  # ln 2, sin x
        else:
            raise Unreadable(
                f"{function.shown!r} at position {function.at} needs an argument, "
                f"e.g. {function.shown}(x)",
                f"第 {function.at} 个字符处的 {function.shown!r} 需要参数，"
                f"例如 {function.shown}(x)",
            )
        self.depth -= 1
        least = _ARITY.get(function.text, 1)
        if len(args) < least or (least == 1 and len(args) > 1):
            wanted = f"at least {least} arguments" if least > 1 else "one argument"
            wanted_zh = f"至少 {least} 个参数" if least > 1 else "一个参数"
            raise Unreadable(
                f"{function.shown!r} at position {function.at} takes {wanted}",
                f"第 {function.at} 个字符处的 {function.shown!r} 需要{wanted_zh}",
            )
        node: Node = Call(function.text, tuple(args))
        return node if power is None else Power(node, power)

    def function_power(self, function: Token) -> Node:
        """The n of tanh^n(x), also written tanh^(n)(x), which is how tanh²(x) is read."""
        ahead = [t.text if t.kind == "op" else t.kind for t in self.tokens[self.i : self.i + 4]]
        for pattern in (["num", "("], ["(", "num", ")", "("]):
            if ahead[: len(pattern)] == pattern:
                number = self.tokens[self.i + pattern.index("num")]
                self.i += len(pattern) - 1  # the argument's "(" is left for the caller
                return _number(number)
        name = function.shown
        raise Unreadable(
            f"after {name + '^'!r} at position {function.at} write a whole power and "
            f"then the argument in brackets, e.g. {name}^2(x); or write {name}(x)^2",
            f"第 {function.at} 个字符处的 {name + '^'!r} 后面请写一个整数次幂，再写括号里的"
            f"参数，例如 {name}^2(x)；也可以写成 {name}(x)^2",
        )


def _number(token: Token) -> Num:
    if float(token.text) == float("inf"):
        raise Unreadable(
            f"number too large at position {token.at}", f"第 {token.at} 个字符处的数太大"
        )
    return Num(token.text)


def _check_brackets(tokens: list[Token]) -> None:
    open_brackets: list[Token] = []
    for token in tokens:
        if token.kind != "op":
            continue
        if token.text in _CLOSING:
            open_brackets.append(token)
        elif token.text in (")", "]"):
            if not open_brackets:
                raise _nothing_to_close(token)
            opening = open_brackets.pop()
            if _CLOSING[opening.text] != token.text:
                raise _wrong_closing(opening, token)
    if open_brackets:
        raise _missing_closing(open_brackets[-1])


def _nothing_to_close(token: Token) -> Unreadable:
    return Unreadable(
        f"unexpected {token.shown!r} at position {token.at} (nothing to close)",
        f"第 {token.at} 个字符处的 {token.shown!r} 前面没有要闭合的括号",
    )


def _missing_closing(opening: Token) -> Unreadable:
    want = _CLOSING[opening.text]
    return Unreadable(
        f"missing {want!r} for the {opening.shown!r} at position {opening.at}",
        f"第 {opening.at} 个字符处的 {opening.shown!r} 缺少对应的 {want!r}",
    )


def _wrong_closing(opening: Token, token: Token) -> Unreadable:
    want = _CLOSING[opening.text]
    return Unreadable(
        f"expected {want!r} to close the {opening.shown!r} at position {opening.at}, "
        f"found {token.shown!r} at position {token.at}",
        f"第 {opening.at} 个字符处的 {opening.shown!r} 应由 {want!r} 闭合，"
        f"但第 {token.at} 个字符处是 {token.shown!r}",
    )


def _depths(tokens: list[Token]) -> list[int]:
    """The bracket depth before each token (never below 0)."""
    depths: list[int] = []
    depth = 0
    for token in tokens:
        if token.kind == "op" and token.text in (")", "]"):
            depth = max(depth - 1, 0)
        depths.append(depth)
        if token.kind == "op" and token.text in _CLOSING:
            depth += 1
    return depths


def _unwrap(tokens: list[Token]) -> list[Token]:
    """Without one pair of brackets around everything: (1, 2) and [1, 2] are 1, 2."""
    if len(tokens) >= 2 and tokens[0].text in _CLOSING and tokens[0].kind == "op":
        want = _CLOSING[tokens[0].text]
        depths = _depths(tokens)
        last = tokens[-1]
        if last.kind == "op" and last.text == want and all(d > 0 for d in depths[1:-1]):
            return tokens[1:-1]
    return tokens


def _at_top(tokens: list[Token], separator: str) -> bool:
    return any(
        d == 0 and t.kind == "op" and t.text == separator
        for t, d in zip(tokens, _depths(tokens), strict=True)
    )


def _split(tokens: list[Token], separator: str) -> list[list[Token]]:
    items: list[list[Token]] = [[]]
    for token, depth in zip(tokens, _depths(tokens), strict=True):
        if depth == 0 and token.kind == "op" and token.text == separator:
            if not items[-1]:
                raise Unreadable(
                    f"missing number before {token.shown!r} at position {token.at}",
                    f"第 {token.at} 个字符处的 {token.shown!r} 前面缺少数字",
                )
            items.append([])
        else:
            items[-1].append(token)
    if not items[-1]:
        items.pop()  # a trailing separator, as in "1, 2, 3,"
    return items


def _ends_operand(token: Token) -> bool:
    return token.kind in ("num", "const", "var") or token.text in (")", "]", "%")


def _starts_operand(token: Token) -> bool:
    return token.kind in ("num", "const", "var", "func") or token.text in ("(", "[", "√")


def _split_spaced(tokens: list[Token]) -> list[list[Token]]:
    """Items separated by whitespace, as numpy prints a vector: [0.5 -1. 2]. A sign after a
    space and before a number starts a new item; "1 - 2" (spaces on both sides) is one."""
    items: list[list[Token]] = []
    depths = _depths(tokens)
    for k, token in enumerate(tokens):
        starts = _starts_operand(token) or (
            token.kind == "op"
            and token.text in ("-", "+")
            and k + 1 < len(tokens)
            and not tokens[k + 1].spaced
        )
        if items and depths[k] == 0 and token.spaced and starts and _ends_operand(tokens[k - 1]):
            items.append([token])
        elif items:
            items[-1].append(token)
        else:
            items.append([token])
    return items
