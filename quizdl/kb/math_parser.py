"""The parser behind quizdl.kb.mathtext: one math span (the LaTeX subset, without its
dollars) read into Unicode, with the problems found on the way."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from quizdl.kb.math_symbols import (
    ACCENTS,
    CHARS,
    CLOSERS,
    CLOSING_BRACKETS,
    CONTROL_SYMBOLS,
    DELIMITER_CHARS,
    DELIMITER_COMMANDS,
    FRACTIONS,
    FUNCTIONS,
    IGNORED,
    LETTER_COMMANDS,
    NEUTRAL_DELIMITERS,
    OPENERS,
    OPENING_BRACKETS,
    OPERATOR_CHARS,
    OPERATORS,
    PRIMES,
    PUNCTUATION,
    ROOTS,
    STYLES,
    SUBSCRIPTS,
    SUPERSCRIPTS,
    SYMBOLS,
    VERBATIM,
    WIDE_SPACES,
)

_SORTED_NAMES = sorted(LETTER_COMMANDS)
_MAX_NESTING = 50
_CLIP = 40


class _TooDeep(Exception):
    """Raised inside the parser when math nests deeper than _MAX_NESTING."""


@dataclass(slots=True)
class _Atom:
    """One drawn piece of math with the scripts attached to it."""

    base: str
    space: bool = False
    compound: bool = False  # a/b or √x: parenthesized before a script is attached
    # How a/b or √x is drawn when something follows it directly: 1/m∑ would read as
    # 1/(m∑), so it becomes (1/m)∑, and √xy becomes √(x)y.
    glued: str | None = None
    primes: int = 0
    sub: str | None = None
    sup: str | None = None

    def text(self, *, followed: bool = False) -> str:
        scripted = self.sub is not None or self.sup is not None or self.primes > 0
        if self.compound and scripted:
            base = f"({self.base})"
        elif followed and self.glued is not None:
            base = self.glued
        else:
            base = self.base
        primes = PRIMES.get(self.primes, "′" * self.primes)
        return base + primes + (self.sub or "") + (self.sup or "")


def _joined(atoms: list[_Atom]) -> str:
    texts = [atom.text() for atom in atoms]
    for index, atom in enumerate(atoms[:-1]):
        if atom.glued is not None and _reads_as_attached(texts[index + 1]):
            texts[index] = atom.text(followed=True)
    return "".join(texts)


def _reads_as_attached(following: str) -> bool:
    """True when `following`, written right after a/b or √x, would read as part of it."""
    first = following[:1]
    return bool(first) and not (
        first.isspace()
        or first in OPERATOR_CHARS
        or first in CLOSING_BRACKETS
        or first in PUNCTUATION
    )


def _script(content: str, table: dict[str, str], marker: str) -> str:
    """`content` as Unicode super/subscripts, or marker + content when a character has none."""
    compact = "".join(content.split())
    if all(ch in table for ch in compact):
        return "".join(table[ch] for ch in compact)
    if len(compact) == 1 or _wrapped_in_parentheses(compact):
        return marker + compact
    return f"{marker}({content.strip()})"


def _wrapped_in_parentheses(text: str) -> bool:
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for index, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if depth == 0:
            return index == len(text) - 1
    return False


def _needs_parentheses(text: str) -> bool:
    """True when `text` holds an operator or a space outside any brackets."""
    depth = 0
    for ch in text:
        if ch in OPENING_BRACKETS:
            depth += 1
        elif ch in CLOSING_BRACKETS:
            depth -= 1
        elif depth <= 0 and (ch in OPERATOR_CHARS or ch.isspace()):
            return True
    return False


def _parenthesized(text: str) -> str:
    return f"({text})" if _needs_parentheses(text) else text


def _accented(text: str, mark: str) -> str:
    """`mark` (a combining character) after every visible character of `text`."""
    out: list[str] = []
    for index, ch in enumerate(text):
        out.append(ch)
        following = text[index + 1] if index + 1 < len(text) else ""
        if not ch.isspace() and not (following and unicodedata.combining(following)):
            out.append(mark)
    return "".join(out)


def clip(text: str) -> str:
    """`text` on one line and at most _CLIP characters long, for a message."""
    text = " ".join(text.split())
    return text if len(text) <= _CLIP else text[: _CLIP - 1] + "…"


class _MathParser:
    """Reads one math span once, drawing it and collecting its problems."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.problems: list[str] = []
        self.nesting = 0
        self.open_lefts = 0

    def parse(self) -> str:
        drawn = self._sequence(top=True)
        if self.open_lefts > 0:
            self._problem(f"\\left without a matching \\right in {self._span()}")
        return drawn

    def _span(self) -> str:
        return f"${clip(self.source)}$"

    def _problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    def _at(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.source[index] if index < len(self.source) else ""

    def _skip_spaces(self) -> None:
        while self._at().isspace():
            self.pos += 1

    def _enter(self) -> None:
        self.nesting += 1
        if self.nesting > _MAX_NESTING:
            raise _TooDeep

    def _sequence(self, *, top: bool) -> str:
        atoms: list[_Atom] = []
        while self.pos < len(self.source):
            ch = self.source[self.pos]
            if ch == "}":
                if not top:
                    break
                self._problem(
                    f"unmatched }} in {self._span()}: remove it or add the {{ that opens it"
                )
                self.pos += 1
                atoms.append(_Atom("}"))
            elif ch in "^_":
                self._attach_script(atoms, ch)
            elif ch == "'":
                count = len(self.source[self.pos :]) - len(self.source[self.pos :].lstrip("'"))
                self.pos += count
                self._script_target(atoms).primes += count
            else:
                atom = self._atom(atoms)
                if atom is not None:
                    atoms.append(atom)
        return _joined(atoms)

    def _script_target(self, atoms: list[_Atom]) -> _Atom:
        """The atom a script or prime belongs to; spaces before the script are dropped."""
        while atoms and atoms[-1].space and len(atoms) > 1:
            atoms.pop()
        if not atoms or atoms[-1].space:
            atoms.append(_Atom(""))
        return atoms[-1]

    def _attach_script(self, atoms: list[_Atom], marker: str) -> None:
        self.pos += 1
        start = self.pos
        content = self._argument()
        kind = "superscript" if marker == "^" else "subscript"
        if content is None:
            example = "x^2 or x^{n+1}" if marker == "^" else "x_i or x_{i+1}"
            self._problem(
                f"{marker} needs a {kind} after it, like {example}; found {self._found()}"
            )
            content = ""
        if self.source[start : self.pos].strip(" {}") == "*":
            content = "*"  # x^* is the usual plain-text optimum x*, not x·
        target = self._script_target(atoms)
        if marker == "^":
            if target.sup is not None:
                self._problem(f"double superscript in {self._span()}: use braces, like {{x^a}}^b")
            target.sup = (target.sup or "") + _script(content, SUPERSCRIPTS, "^")
        else:
            if target.sub is not None:
                self._problem(f"double subscript in {self._span()}: use braces, like {{x_a}}_b")
            target.sub = (target.sub or "") + _script(content, SUBSCRIPTS, "_")

    def _found(self) -> str:
        ch = self._at()
        return f"'{ch}'" if ch else "nothing"

    def _atom(self, atoms: list[_Atom]) -> _Atom | None:
        ch = self.source[self.pos]
        if ch.isspace():
            start = self.pos
            self._skip_spaces()
            return _Atom(self.source[start : self.pos], space=True)
        if ch == "{":
            return _Atom(self._group())
        if ch == "\\":
            return self._command(atoms)
        self.pos += 1
        return _Atom(CHARS.get(ch, ch))

    def _group(self) -> str:
        """The drawn content of the {...} group at the current position."""
        self._enter()
        self.pos += 1
        content = self._sequence(top=False)
        if self._at() == "}":
            self.pos += 1
        else:
            self._problem(f"unclosed {{ in {self._span()}: add the }} that closes it")
        self.nesting -= 1
        return content

    def _argument(self) -> str | None:
        """The drawn argument of a command or script: a group, a command or one character."""
        self._skip_spaces()
        ch = self._at()
        if not ch or ch in "}^_":
            return None
        if ch == "{":
            return self._group()
        if ch == "\\":
            self._enter()
            atom = self._command([], swallow=False)
            self.nesting -= 1
            return atom.text() if atom is not None else ""
        self.pos += 1
        return PRIMES[1] if ch == "'" else CHARS.get(ch, ch)

    def _verbatim_argument(self) -> str | None:
        """The argument of \\text and friends, as written (only escapes are undone)."""
        self._skip_spaces()
        ch = self._at()
        if not ch or ch in "}^_":
            return None
        if ch != "{":
            self.pos += 1
            return ch
        depth, start = 0, self.pos + 1
        while self.pos < len(self.source):
            ch = self.source[self.pos]
            if ch == "\\":
                self.pos += 2
                continue
            depth += (ch == "{") - (ch == "}")
            self.pos += 1
            if depth == 0:
                return _unescape(self.source[start : self.pos - 1])
        self._problem(f"unclosed {{ in {self._span()}: add the }} that closes it")
        return _unescape(self.source[start:])

    def _command(self, atoms: list[_Atom], *, swallow: bool = True) -> _Atom | None:
        self.pos += 1
        if self.pos >= len(self.source):
            self._problem("a lone \\ at the end of the math; write \\backslash for a backslash")
            return _Atom("\\")
        if self.source[self.pos].isascii() and self.source[self.pos].isalpha():
            start = self.pos
            while self._at().isascii() and self._at().isalpha():
                self.pos += 1
            name = self.source[start : self.pos]
        else:
            name = self.source[self.pos]
            self.pos += 1
        return self._draw_command(name, atoms, swallow=swallow)

    def _draw_command(self, name: str, atoms: list[_Atom], *, swallow: bool) -> _Atom | None:
        if name in CLOSERS:
            _drop_trailing_spaces(atoms)
            return _Atom(CLOSERS[name])
        if name in CONTROL_SYMBOLS:
            return _Atom(CONTROL_SYMBOLS[name])
        if name in OPERATORS:
            return _Atom(OPERATORS[name])
        if name in FUNCTIONS:
            return _Atom(name)
        if name in NEUTRAL_DELIMITERS:
            return _Atom(NEUTRAL_DELIMITERS[name])
        if name in SYMBOLS or name in OPENERS or name in WIDE_SPACES or name in IGNORED:
            if swallow:  # not inside an argument: "\nabla_\theta L" keeps its space
                self._skip_spaces()
            if name in IGNORED:
                return None
            return _Atom(SYMBOLS.get(name) or OPENERS.get(name) or WIDE_SPACES[name])
        if name in ("left", "right"):
            return self._sized_delimiter(name, atoms)
        if name in FRACTIONS:
            return self._fraction(name)
        if name == "sqrt":
            return self._root()
        if name == "not":
            return self._negated()
        if name in ACCENTS or name in STYLES or name in VERBATIM:
            return self._styled(name)
        return self._unknown(name)

    def _sized_delimiter(self, name: str, atoms: list[_Atom]) -> _Atom | None:
        if name == "left":
            self.open_lefts += 1
        else:
            _drop_trailing_spaces(atoms)
            if self.open_lefts == 0:
                self._problem(f"\\right without a matching \\left in {self._span()}")
            self.open_lefts = max(0, self.open_lefts - 1)
        self._skip_spaces()
        ch = self._at()
        is_command = ch == "\\"
        if is_command:
            end = self.pos + 1
            while (
                end < len(self.source) and self.source[end].isascii() and self.source[end].isalpha()
            ):
                end += 1
            delimiter = self.source[self.pos + 1 : max(end, self.pos + 2)]
        else:
            delimiter = ch
        if (delimiter in DELIMITER_COMMANDS) if is_command else (ch in DELIMITER_CHARS):
            atom = self._atom(atoms) if delimiter != "." else None
            if delimiter == ".":
                self.pos += 1
            if name == "left":
                self._skip_spaces()
            return atom
        self._problem(
            f"\\{name} needs a delimiter after it, like \\{name}( or \\{name}[ or \\{name}.; "
            f"found {self._found()}"
        )
        return None

    def _negated(self) -> _Atom:
        """\\not before a relation: the relation struck through (\\not= is ≠)."""
        relation = self._argument()
        if relation is None:
            example = "\\not= or \\not\\in"
            self._problem(f"\\not needs a relation after it, like {example}; found {self._found()}")
        return _Atom(unicodedata.normalize("NFC", (relation or "") + "\u0338"))

    def _fraction(self, name: str) -> _Atom:
        numerator = self._argument()
        denominator = self._argument() if numerator is not None else None
        found = (numerator is not None) + (denominator is not None)
        if found < 2:
            self._problem(f"\\{name} needs 2 arguments, like \\{name}{{a}}{{b}}; found {found}")
        top, bottom = (numerator or "").strip(), (denominator or "").strip()
        fraction = f"{_parenthesized(top)}/{_parenthesized(bottom)}"
        return _Atom(fraction, compound=True, glued=f"({fraction})")

    def _root(self) -> _Atom:
        self._skip_spaces()
        index = ""
        if self._at() == "[":
            close = self.source.find("]", self.pos)
            if close < 0:
                self._problem(f"\\sqrt[ has no closing ] in {self._span()}, like \\sqrt[3]{{x}}")
                close = len(self.source)
            inner = _MathParser(self.source[self.pos + 1 : close])
            inner.nesting = self.nesting
            index = inner.parse().strip()
            self.problems.extend(p for p in inner.problems if p not in self.problems)
            self.pos = close + 1
        radicand = self._argument()
        if radicand is None:
            self._problem(f"\\sqrt needs an argument, like \\sqrt{{x}}; found {self._found()}")
        root = ROOTS.get(index) or _script(index, SUPERSCRIPTS, "^") + "√"
        drawn = (radicand or "").strip()
        if _needs_parentheses(drawn) or _wrapped_in_parentheses(drawn):
            return _Atom(root + _parenthesized(drawn), compound=True)
        return _Atom(root + drawn, compound=True, glued=f"{root}({drawn})")

    def _styled(self, name: str) -> _Atom:
        content = self._verbatim_argument() if name in VERBATIM else self._argument()
        if content is None:
            self._problem(f"\\{name} needs an argument, like \\{name}{{x}}; found {self._found()}")
            return _Atom("")
        if name in ACCENTS:
            return _Atom(_accented(content, ACCENTS[name]))
        if name in STYLES:
            style = STYLES[name]
            return _Atom("".join(style.get(ch, ch) for ch in content))
        return _Atom(content)

    def _unknown(self, name: str) -> _Atom:
        """An unknown command is drawn as written, with the {groups} that follow it."""
        import difflib  # only needed when content is wrong; keeps start-up fast

        suggestions = difflib.get_close_matches(name, _SORTED_NAMES, n=1)
        if suggestions:
            self._problem(f"unknown command \\{name}; did you mean \\{suggestions[0]}?")
        else:
            self._problem(
                f"unknown command \\{name}; it is not in quizdl's math subset "
                "(see SUPPORTED_COMMANDS in quizdl.kb.mathtext)"
            )
        drawn = "\\" + name
        while self._at() == "{":
            drawn += "{" + self._group() + "}"
        return _Atom(drawn)


def _drop_trailing_spaces(atoms: list[_Atom]) -> None:
    while atoms and atoms[-1].space:
        atoms.pop()


def _unescape(text: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(text):
        ch = text[index]
        if ch == "\\" and index + 1 < len(text) and text[index + 1] in "{}$%&#_ ,;":
            following = text[index + 1]
            out.append(" " if following in ",;" else following)
            index += 2
        else:
            out.append(ch)
            index += 1
    return "".join(out)


@lru_cache(maxsize=4096)
def read_math(source: str) -> tuple[str, tuple[str, ...]]:
    """One math span (without its dollars) drawn, and its problems; cached by content."""
    parser = _MathParser(source)
    try:
        return parser.parse(), tuple(parser.problems)
    except _TooDeep:
        message = f"math nested more than {_MAX_NESTING} levels deep in ${clip(source)}$"
    except Exception as error:  # a bug here must not take down a review; report it instead
        message = f"could not read the math ${clip(source)}$ ({type(error).__name__})"
    return f"${source}$", (message,)
