r"""Math in card text: a LaTeX subset between ``$...$`` drawn in Unicode for the terminal.

Outside math, text is left unchanged except that ``\$`` is a literal dollar sign.
``$$...$$`` is read like ``$...$``. Inside math, spacing is kept as written (LaTeX would
drop it), with two exceptions that make common writing read well: the space after a symbol
command such as ``\partial`` or ``\alpha`` is dropped (``\partial L`` gives ∂L), and so is
the space just inside ``\langle``/``\rangle``, ``\left``/``\right`` and similar delimiters.

The supported subset:

- Greek letters ``\alpha \beta \gamma \delta \epsilon`` ϵ ``\varepsilon`` ε ``\zeta \eta
  \theta \vartheta \iota \kappa \lambda \mu \nu \xi \pi \varpi \rho \varrho \sigma
  \varsigma \tau \upsilon \phi`` ϕ ``\varphi`` φ ``\chi \psi \omega`` and the capitals
  ``\Gamma \Delta \Theta \Lambda \Xi \Pi \Sigma \Upsilon \Phi \Psi \Omega``.
- Scripts ``x^2``, ``x^{n+1}``, ``x_i``, ``x_{t-1}``: Unicode super/subscripts when every
  character has one (spaces are then dropped), otherwise ``x^(...)`` / ``x_(...)``
  (``x^q`` for a single character). ``x^*`` gives x*, ``W^\top`` gives Wᵀ.
  Sub- and superscript are drawn in that order, so ``\sum_{i=1}^{n}`` gives ∑ᵢ₌₁ⁿ.
  Primes ``'`` give ′ (″ and ‴ for two and three).
- ``\frac{a}{b}`` (also ``\dfrac``, ``\tfrac``) gives a/b, with parentheses around a part
  that holds an operator or a space at its top level: ``\frac{a+b}{2}`` gives (a+b)/2.
  A fraction with something written right after it is bracketed so it reads as meant:
  ``\frac{1}{m}\sum`` gives (1/m)∑ and ``\sqrt{x}y`` gives √(x)y.
- ``\sqrt{x}`` √x, ``\sqrt{x+y}`` √(x+y), ``\sqrt[3]{x}`` ∛x, ``\sqrt[4]{x}`` ∜x,
  ``\sqrt[n]{x}`` ⁿ√x.
- Operators and relations: ``\cdot \times \div \pm \mp \le \leq \ge \geq \ne \neq \approx
  \sim \simeq \cong \propto \equiv \ll \gg \lt \gt \to \rightarrow \leftarrow \gets
  \Rightarrow \Leftarrow \implies \iff \Leftrightarrow \leftrightarrow \mapsto \uparrow
  \downarrow \in \notin \ni \subset \subseteq \supset \supseteq \cup \cap \setminus \land
  \lor \wedge \vee \oplus \otimes \odot \circ \ast \star \bullet \mid \parallel \triangleq
  \coloneqq \colon``; ``\not`` before a relation strikes it through (``\not\in`` ∉).
- Symbols: ``\partial \nabla \infty \forall \exists \neg \lnot \ell \hbar \emptyset
  \varnothing \prime \top \perp \angle \aleph \dots \ldots \cdots \vdots \ddots \backslash``;
  big operators ``\sum \prod \int \iint \oint \bigcup \bigcap``.
- Functions, drawn upright as their names: ``\log \ln \lg \exp \max \min \arg \argmax
  \argmin \sin \cos \tan \sinh \cosh \tanh \sec \csc \cot \arcsin \arccos \arctan \det \dim
  \ker \lim \sup \inf \Pr \gcd``.
- Letter styles: ``\mathbb{E}`` 𝔼 (ℝ ℕ ℤ ℚ ℂ, 𝟙 ...), ``\mathcal{L}`` ℒ (and ``\mathscr``),
  ``\mathbf{x}`` / ``\boldsymbol{x}`` 𝐱; ``\mathrm \text \textrm \textit \textbf \mathit
  \mathsf \mathtt \operatorname`` keep their content as written.
- Accents (combining characters): ``\hat \widehat \tilde \widetilde \bar \overline \dot
  \ddot \vec``.
- Delimiters: ``\{ \}``, ``\|`` ``\Vert \lVert \rVert`` ‖, ``\vert \lvert \rvert`` |,
  ``\langle \rangle`` ⟨⟩, ``\lfloor \rfloor \lceil \rceil``; ``\left``, ``\right`` and the
  sizes ``\big \Big \bigg \Bigg \bigl \bigr \Bigl \Bigr \biggl \biggr \Biggl \Biggr`` are
  dropped, as are ``\limits \nolimits \displaystyle \textstyle \scriptstyle``.
- Spacing: ``\quad`` (two spaces), ``\qquad`` (four), ``\, \; \: \>`` and ``\ `` (a space),
  ``\!`` (nothing), ``~`` (a space). Escapes ``\$ \% \& \# \_``.
- ``-`` is drawn as the minus sign −, ``*`` as ·.

Anything else after a backslash is an unknown command: :func:`render` leaves it as written
and :func:`math_problems` reports it, with a suggestion when one is close.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["SUPPORTED_COMMANDS", "math_problems", "render"]


def _table(names: str, glyphs: str) -> dict[str, str]:
    return dict(zip(names.split(), glyphs, strict=True))


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


_GREEK = _table(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu"
    " xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega"
    " Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega",
    "αβγδϵεζηθϑικλμνξπϖρϱσςτυϕφχψωΓΔΘΛΞΠΣΥΦΨΩ",
)
# Ordinary symbols: the space after them is dropped, as LaTeX does, so "\partial L" is ∂L.
_SYMBOLS = _GREEK | _table(
    "partial nabla infty forall exists neg lnot ell hbar emptyset varnothing prime top perp"
    " angle aleph dots ldots cdots vdots ddots backslash sum prod int iint oint bigcup bigcap",
    "∂∇∞∀∃¬¬ℓħ∅∅′⊤⊥∠ℵ……⋯⋮⋱\\∑∏∫∬∮⋃⋂",
)
# Binary operators, relations and arrows keep the author's spacing around them.
_OPERATORS = _table(
    "cdot times div pm mp le leq ge geq ne neq approx sim simeq cong propto equiv ll gg lt gt"
    " to rightarrow leftarrow gets Rightarrow Leftarrow implies iff Leftrightarrow"
    " leftrightarrow mapsto uparrow downarrow in notin ni subset subseteq supset supseteq cup"
    " cap setminus land lor wedge vee oplus otimes odot circ ast star bullet mid parallel"
    " triangleq coloneqq colon",
    "·×÷±∓≤≤≥≥≠≠≈∼≃≅∝≡≪≫<>→→←←⇒⇐⇒⇔⇔↔↦↑↓∈∉∋⊂⊆⊃⊇∪∩∖∧∨∧∨⊕⊗⊙∘∗⋆•|∥≜≔:",
)
_OPENERS = _table("langle lVert lvert lfloor lceil {", "⟨‖|⌊⌈{")
_CLOSERS = _table("rangle rVert rvert rfloor rceil }", "⟩‖|⌋⌉}")
_CONTROL_SYMBOLS = {"|": "‖", "$": "$", "%": "%", "&": "&", "#": "#", "_": "_"}
_CONTROL_SYMBOLS |= {",": " ", ";": " ", ":": " ", ">": " ", " ": " ", "!": ""}
_NEUTRAL_DELIMITERS = {"vert": "|", "Vert": "‖"}
_FUNCTIONS = _names(
    "log ln lg exp max min arg argmax argmin sin cos tan sinh cosh tanh sec csc cot arcsin"
    " arccos arctan det dim ker lim sup inf Pr gcd"
)
_WIDE_SPACES = {"quad": "  ", "qquad": "    "}
_IGNORED = _names(
    "limits nolimits displaystyle textstyle scriptstyle big Big bigg Bigg bigl bigr Bigl Bigr"
    " biggl biggr Biggl Biggr"
)
_FRACTIONS = frozenset({"frac", "dfrac", "tfrac"})
_ACCENTS = _table(
    "hat widehat tilde widetilde bar overline dot ddot vec",
    "\u0302\u0302\u0303\u0303\u0304\u0305\u0307\u0308\u20d7",
)
_VERBATIM = _names("mathrm text textrm textit textbf mathit mathsf mathtt operatorname")
_DELIMITER_CHARS = frozenset("()[]|./<>")
_DELIMITER_COMMANDS = frozenset(
    {"{", "}", "|", "vert", "Vert", "uparrow", "downarrow", *_OPENERS, *_CLOSERS}
)
_STRUCTURAL = frozenset({"left", "right", "sqrt", "not", *_FRACTIONS})


def _letters(upper: int, lower: int | None, digits: int | None, exceptions: str) -> dict[str, str]:
    """A styled alphabet from the Mathematical Alphanumeric Symbols block, with the letters
    that Unicode had already encoded elsewhere (ℝ, ℒ, ...) given in `exceptions`."""
    style = {chr(65 + k): chr(upper + k) for k in range(26)}
    if lower is not None:
        style |= {chr(97 + k): chr(lower + k) for k in range(26)}
    if digits is not None:
        style |= {str(k): chr(digits + k) for k in range(10)}
    return style | {pair[0]: pair[1] for pair in exceptions.split()}


_BLACKBOARD = _letters(0x1D538, 0x1D552, 0x1D7D8, "Cℂ Hℍ Nℕ Pℙ Qℚ Rℝ Zℤ")
_SCRIPT = _letters(0x1D49C, 0x1D4B6, None, "Bℬ Eℰ Fℱ Hℋ Iℐ Lℒ Mℳ Rℛ eℯ gℊ oℴ")
_BOLD = _letters(0x1D400, 0x1D41A, 0x1D7CE, "")
_STYLES = {
    "mathbb": _BLACKBOARD,
    "mathcal": _SCRIPT,
    "mathscr": _SCRIPT,
    "mathbf": _BOLD,
    "boldsymbol": _BOLD,
}

_SUPERSCRIPTS = _table(
    " ".join("0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεϵθιφϕχ⊤′*"),
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᵋᶿᶥᵠᵠᵡᵀ′*",
)
_SUBSCRIPTS = _table(
    " ".join("0123456789+-−=()aehijklmnoprstuvxβγρφϕχ"),
    "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵩᵪ",
)
_ROOTS = {"": "√", "2": "√", "3": "∛", "4": "∜"}
_PRIMES = {1: "′", 2: "″", 3: "‴"}
_CHARS = {"-": "−", "*": "·", "~": " "}
# Characters that make a fraction's part need parentheses when they stand at its top level.
_OPERATOR_CHARS = frozenset("+-−*/=<>,;:·×÷±∓") | (frozenset("".join(_OPERATORS.values())) - {"|"})
_PUNCTUATION = frozenset(",.;:!?|‖′")
_OPENING_BRACKETS = frozenset("([{⟨⌊⌈")
_CLOSING_BRACKETS = frozenset(")]}⟩⌋⌉")

_LETTER_COMMANDS = frozenset(
    {*_SYMBOLS, *_OPERATORS, *_FUNCTIONS, *_WIDE_SPACES, *_IGNORED, *_ACCENTS, *_VERBATIM}
    | {*_STYLES, *_NEUTRAL_DELIMITERS, *_STRUCTURAL}
    | {name for name in (*_OPENERS, *_CLOSERS) if name.isalpha()}
)
SUPPORTED_COMMANDS: frozenset[str] = frozenset(
    "\\" + name for name in _LETTER_COMMANDS | set(_CONTROL_SYMBOLS) | {"{", "}"}
)
"""Every command the math subset understands, backslash included (``"\\frac"``)."""

_SORTED_NAMES = sorted(_LETTER_COMMANDS)
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
        primes = _PRIMES.get(self.primes, "′" * self.primes)
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
        or first in _OPERATOR_CHARS
        or first in _CLOSING_BRACKETS
        or first in _PUNCTUATION
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
        if ch in _OPENING_BRACKETS:
            depth += 1
        elif ch in _CLOSING_BRACKETS:
            depth -= 1
        elif depth <= 0 and (ch in _OPERATOR_CHARS or ch.isspace()):
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


def _clip(text: str) -> str:
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
        return f"${_clip(self.source)}$"

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
            target.sup = (target.sup or "") + _script(content, _SUPERSCRIPTS, "^")
        else:
            if target.sub is not None:
                self._problem(f"double subscript in {self._span()}: use braces, like {{x_a}}_b")
            target.sub = (target.sub or "") + _script(content, _SUBSCRIPTS, "_")

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
        return _Atom(_CHARS.get(ch, ch))

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
        return _PRIMES[1] if ch == "'" else _CHARS.get(ch, ch)

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
        if name in _CLOSERS:
            _drop_trailing_spaces(atoms)
            return _Atom(_CLOSERS[name])
        if name in _CONTROL_SYMBOLS:
            return _Atom(_CONTROL_SYMBOLS[name])
        if name in _OPERATORS:
            return _Atom(_OPERATORS[name])
        if name in _FUNCTIONS:
            return _Atom(name)
        if name in _NEUTRAL_DELIMITERS:
            return _Atom(_NEUTRAL_DELIMITERS[name])
        if name in _SYMBOLS or name in _OPENERS or name in _WIDE_SPACES or name in _IGNORED:
            if swallow:  # not inside an argument: "\nabla_\theta L" keeps its space
                self._skip_spaces()
            if name in _IGNORED:
                return None
            return _Atom(_SYMBOLS.get(name) or _OPENERS.get(name) or _WIDE_SPACES[name])
        if name in ("left", "right"):
            return self._sized_delimiter(name, atoms)
        if name in _FRACTIONS:
            return self._fraction(name)
        if name == "sqrt":
            return self._root()
        if name == "not":
            return self._negated()
        if name in _ACCENTS or name in _STYLES or name in _VERBATIM:
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
        if (delimiter in _DELIMITER_COMMANDS) if is_command else (ch in _DELIMITER_CHARS):
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
        root = _ROOTS.get(index) or _script(index, _SUPERSCRIPTS, "^") + "√"
        drawn = (radicand or "").strip()
        if _needs_parentheses(drawn) or _wrapped_in_parentheses(drawn):
            return _Atom(root + _parenthesized(drawn), compound=True)
        return _Atom(root + drawn, compound=True, glued=f"{root}({drawn})")

    def _styled(self, name: str) -> _Atom:
        content = self._verbatim_argument() if name in _VERBATIM else self._argument()
        if content is None:
            self._problem(f"\\{name} needs an argument, like \\{name}{{x}}; found {self._found()}")
            return _Atom("")
        if name in _ACCENTS:
            return _Atom(_accented(content, _ACCENTS[name]))
        if name in _STYLES:
            style = _STYLES[name]
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
def _read_math(source: str) -> tuple[str, tuple[str, ...]]:
    """One math span (without its dollars) drawn, and its problems; cached by content."""
    parser = _MathParser(source)
    try:
        return parser.parse(), tuple(parser.problems)
    except _TooDeep:
        message = f"math nested more than {_MAX_NESTING} levels deep in ${_clip(source)}$"
    except Exception as error:  # a bug here must not take down a review; report it instead
        message = f"could not read the math ${_clip(source)}$ ({type(error).__name__})"
    return f"${source}$", (message,)


# A piece of card text: ("text" | "math" | "unclosed", its content).
_Segment = tuple[str, str]


def _segments(text: str) -> list[_Segment]:
    r"""`text` cut into plain text, $math$ spans and an unclosed tail; \$ outside math is $."""
    segments: list[_Segment] = []
    plain: list[str] = []
    pos = 0
    while True:
        dollar = text.find("$", pos)
        if dollar < 0:
            plain.append(text[pos:])
            break
        if dollar > 0 and text[dollar - 1] == "\\":
            plain.append(text[pos : dollar - 1] + "$")
            pos = dollar + 1
            continue
        plain.append(text[pos:dollar])
        fence = "$$" if text.startswith("$$", dollar) else "$"
        close = _closing_dollar(text, dollar + len(fence), fence)
        segments.append(("text", "".join(plain)))
        plain = []
        if close < 0:
            segments.append(("unclosed", text[dollar:]))
            return segments
        segments.append(("math", text[dollar + len(fence) : close]))
        pos = close + len(fence)
    segments.append(("text", "".join(plain)))
    return segments


def _closing_dollar(text: str, start: int, fence: str) -> int:
    """Where the unescaped `fence` closing math that starts at `start` is, or -1."""
    pos = start
    while True:
        found = text.find(fence, pos)
        if found < 0:
            return -1
        backslashes = len(text[pos:found]) - len(text[pos:found].rstrip("\\"))
        if backslashes % 2 == 0:
            return found
        pos = found + 1


def render(text: str) -> str:
    r"""`text` with every ``$...$`` span drawn in Unicode and ``\$`` outside math as ``$``.

    Never raises: malformed math is drawn as well as it can be (an unknown command as
    written, an unclosed ``$`` with the rest of the text left raw).
    """
    if "$" not in text:
        return text
    try:
        parts: list[str] = []
        for kind, content in _segments(text):
            parts.append(_read_math(content)[0] if kind == "math" else content)
        return "".join(parts)
    except Exception:  # render must never fail a review; show the text as written
        return text


def math_problems(text: str) -> list[str]:
    """Plain-English problems with the math in `text`; empty when the math is fine."""
    if "$" not in text:
        return []
    problems: list[str] = []
    try:
        for kind, content in _segments(text):
            if kind == "math":
                found = list(_read_math(content)[1])
            elif kind == "unclosed":
                fence = "$$" if content.startswith("$$") else "$"
                found = [
                    f"unclosed {fence} before '{_clip(content[len(fence) :])}': "
                    f"end the math with {fence}, or write \\$ for a literal dollar sign"
                ]
            else:
                found = []
            problems.extend(p for p in found if p not in problems)
    except Exception as error:  # pragma: no cover - a bug guard; never fail validation
        problems.append(f"could not read the math ({type(error).__name__})")
    return problems
