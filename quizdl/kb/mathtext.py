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

from quizdl.kb.math_parser import clip, read_math
from quizdl.kb.math_symbols import SUPPORTED_COMMANDS

__all__ = ["SUPPORTED_COMMANDS", "math_problems", "render"]


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
            parts.append(read_math(content)[0] if kind == "math" else content)
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
                found = list(read_math(content)[1])
            elif kind == "unclosed":
                fence = "$$" if content.startswith("$$") else "$"
                found = [
                    f"unclosed {fence} before '{clip(content[len(fence) :])}': "
                    f"end the math with {fence}, or write \\$ for a literal dollar sign"
                ]
            else:
                found = []
            problems.extend(p for p in found if p not in problems)
    except Exception as error:  # pragma: no cover - a bug guard; never fail validation
        problems.append(f"could not read the math ({type(error).__name__})")
    return problems
