"""The LaTeX-subset math renderer: exact drawings, exact problem messages, and robustness."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizdl.kb import math_symbols, mathtext
from quizdl.kb.mathtext import SUPPORTED_COMMANDS, math_problems, render

HAT, TILDE, BAR, DOT, VEC = "\u0302", "\u0303", "\u0304", "\u0307", "\u20d7"

RENDERED = [
    # the examples from the notes
    (r"$\sigma'(x) = \sigma(x)(1-\sigma(x))$", "σ′(x) = σ(x)(1−σ(x))"),
    (r"$\frac{QK^T}{\sqrt{d_k}}$", "QKᵀ/√dₖ"),
    (r"$\frac{1}{\sqrt{d_k}}$", "1/√dₖ"),
    (r"$x^{(i)}$", "x⁽ⁱ⁾"),
    (r"$\sum_{i=1}^{n} x_i$", "∑ᵢ₌₁ⁿ xᵢ"),
    (r"$2^{-8}$", "2⁻⁸"),
    # text around math, dollars
    ("no math here", "no math here"),
    (r"the loss $L$ falls", "the loss L falls"),
    (r"costs \$5 and $x$ \$6", "costs $5 and x $6"),
    (r"$a$$b$", "ab"),
    (r"$$x^2$$", "x²"),
    (r"$\$3$", "$3"),
    # Greek
    (r"$\alpha\beta\gamma\delta$", "αβγδ"),
    (r"$\epsilon, \varepsilon, \phi, \varphi$", "ϵ, ε, ϕ, φ"),
    (r"$\eta\theta\lambda\mu\pi\rho\tau\omega$", "ηθλμπρτω"),
    (r"$\Gamma\Delta\Theta\Lambda\Xi\Pi\Sigma\Phi\Psi\Omega$", "ΓΔΘΛΞΠΣΦΨΩ"),
    (r"$\alpha x$", "αx"),
    # scripts
    (r"$x^2$", "x²"),
    (r"$x^{n+1}$", "xⁿ⁺¹"),
    (r"$e^{-x}$", "e⁻ˣ"),
    (r"$x^q$", "x^q"),
    (r"$x^{q+1}$", "x^(q+1)"),
    (r"$x^{(q)}$", "x^(q)"),
    (r"$x_0$", "x₀"),
    (r"$x_{t-1}$", "xₜ₋₁"),
    (r"$h_{t}$", "hₜ"),
    (r"$x_{i,j}$", "x_(i,j)"),
    (r"$x_b$", "x_b"),
    (r"$x^2_i$", "xᵢ²"),
    (r"$x ^ 2$", "x²"),
    (r"$x^{ 2 }$", "x²"),
    (r"$\theta^*$", "θ*"),
    (r"$W^\top$", "Wᵀ"),
    (r"$e^{x_i}$", "e^(xᵢ)"),
    (r"$f''(x)$", "f″(x)"),
    (r"$y'_i$", "y′ᵢ"),
    # fractions
    (r"$\frac{a+b}{2}$", "(a+b)/2"),
    (r"$\frac{a}{b+c}$", "a/(b+c)"),
    (r"$\frac12$", "1/2"),
    (r"$\dfrac{x^2}{2}$", "x²/2"),
    (r"$\frac{\partial L}{\partial w}$", "∂L/∂w"),
    (r"$\frac{-b}{2a}$", "(−b)/2a"),
    (r"$\frac{\sigma(x)(1-x)}{n}$", "σ(x)(1−x)/n"),
    (r"$\frac{a}{b}^2$", "(a/b)²"),
    (r"$\frac{\frac{a}{b}}{c}$", "(a/b)/c"),
    # a fraction or root with something glued after it is bracketed so it reads right
    (r"$\frac{1}{m}\sum_{i=1}^{m} L_i$", "(1/m)∑ᵢ₌₁ᵐ Lᵢ"),
    (r"$\frac{1}{2}(a+b)$", "(1/2)(a+b)"),
    (r"$\frac{a}{b}\frac{c}{d}$", "(a/b)c/d"),
    (r"$\frac{a}{b}, c$", "a/b, c"),
    (r"$\left(\frac{a}{b}\right)$", "(a/b)"),
    (r"$\sqrt{x}y$", "√(x)y"),
    (r"$\sqrt{x} y$", "√x y"),
    (r"$0.5x(1 + \tanh(\sqrt{2/\pi}(x + 0.044715x^3)))$", "0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))"),
    # roots
    (r"$\sqrt{x}$", "√x"),
    (r"$\sqrt{x+y}$", "√(x+y)"),
    (r"$\sqrt[3]{x}$", "∛x"),
    (r"$\sqrt[4]{x}$", "∜x"),
    (r"$\sqrt[n]{x}$", "ⁿ√x"),
    (r"$\sqrt{x}^2$", "(√x)²"),
    # operators and relations keep the author's spacing
    (r"$a \cdot b \times c \div d$", "a · b × c ÷ d"),
    (r"$\pm\mp$", "±∓"),
    (r"$a \le b \leq c \ge d \geq e$", "a ≤ b ≤ c ≥ d ≥ e"),
    (r"$a \ne b \neq c \approx d \sim e$", "a ≠ b ≠ c ≈ d ∼ e"),
    (r"$y \propto x \equiv z$", "y ∝ x ≡ z"),
    (r"$a \to b \rightarrow c \leftarrow d$", "a → b → c ← d"),
    (r"$p \Rightarrow q \iff r$", "p ⇒ q ⇔ r"),
    (r"$x \in A, y \notin B, A \subset B$", "x ∈ A, y ∉ B, A ⊂ B"),
    (r"$A \cup B \cap C$", "A ∪ B ∩ C"),
    (r"$\forall x \exists y$", "∀x ∃y"),
    (r"$a \odot b \otimes c$", "a ⊙ b ⊗ c"),
    (r"$x \not\in A$", "x ∉ A"),
    (r"$a*b$", "a·b"),
    (r"$a-b$", "a−b"),
    # big operators, calculus
    (r"$\prod_{i=1}^{n} p_i$", "∏ᵢ₌₁ⁿ pᵢ"),
    (r"$\sum^{n}_{i=1}$", "∑ᵢ₌₁ⁿ"),
    (r"$\int_0^1 f(x)\,dx$", "∫₀¹ f(x) dx"),
    (r"$\sum_{i \in S}$", "∑_(i ∈ S)"),
    (r"$\nabla_\theta L$", "∇_θ L"),
    (r"$\partial \nabla \infty$", "∂∇∞"),
    # functions
    (r"$\log x + \ln y + \exp(z)$", "log x + ln y + exp(z)"),
    (r"$\max_i \min_j \arg\max$", "maxᵢ minⱼ argmax"),
    (r"$\sin\cos\tanh$", "sincostanh"),
    (r"$\tanh(x)$", "tanh(x)"),
    (r"$\lim_{n \to \infty}$", "lim_(n → ∞)"),
    # letter styles
    (r"$\mathbb{E}[X]$", "𝔼[X]"),
    (r"$\mathbb{R}^n, \mathbb{N}, \mathbb{Z}, \mathbb{1}$", "ℝⁿ, ℕ, ℤ, 𝟙"),
    (r"$\mathbb{R}^{n \times d}$", "ℝ^(n × d)"),
    (r"$\mathcal{L}$", "ℒ"),
    (r"$\mathcal{N}(0, 1)$", "𝒩(0, 1)"),
    (r"$\mathbf{W}x + \mathbf{b}$", "𝐖x + 𝐛"),
    (r"$\mathrm{d}x$", "dx"),
    (r"$\text{if } x > 0$", "if  x > 0"),
    (r"$\operatorname{softmax}(z)_i$", "softmax(z)ᵢ"),
    (r"$\text{a\_b \{c\}}$", "a_b {c}"),
    # accents
    (r"$\hat{x}$", "x" + HAT),
    (r"$\hat{\theta}$", "θ" + HAT),
    (r"$\tilde{x}$", "x" + TILDE),
    (r"$\bar{x}$", "x" + BAR),
    (r"$\bar{xy}$", "x" + BAR + "y" + BAR),
    (r"$\dot{x}$", "x" + DOT),
    (r"$\vec{v}$", "v" + VEC),
    # delimiters
    (r"$\|x\|_2$", "‖x‖₂"),
    (r"$\lVert x \rVert$", "‖x‖"),
    (r"$\langle x, y \rangle$", "⟨x, y⟩"),
    (r"$\left( \frac{a}{b} \right)$", "(a/b)"),
    (r"$\left\{ x \right.$", "{x"),
    (r"$\left[ x \right]^2$", "[x]²"),
    (r"$\{1, 2\}$", "{1, 2}"),
    (r"$\lfloor x \rfloor$", "⌊x⌋"),
    (r"$\big( x \big)$", "( x )"),
    # spacing
    (r"$a \quad b$", "a   b"),
    (r"$a\qquad b$", "a    b"),
    (r"$a\,b\;c\!d$", "a b cd"),
    (r"$a~b$", "a b"),
    (r"$\sum\limits_{i} x$", "∑ᵢ x"),
]

# Math with problems (reported by math_problems) is still drawn as well as it can be.
RENDERED_MALFORMED = [
    # unknown commands are left as written
    (r"$\fracc{a}{b}$", r"\fracc{a}{b}"),
    (r"$\foo x$", r"\foo x"),
    (r"$x$ and $y", "x and $y"),
    (r"$\frac{a}$", "a/"),
    (r"${x$", "x"),
    (r"$}x$", "}x"),
]


@pytest.mark.parametrize(("source", "expected"), RENDERED + RENDERED_MALFORMED)
def test_render_draws_each_construct(source: str, expected: str) -> None:
    assert render(source) == expected


@pytest.mark.parametrize("source", [source for source, _ in RENDERED])
def test_well_formed_math_has_no_problems(source: str) -> None:
    assert math_problems(source) == []


@pytest.mark.parametrize("source", [source for source, _ in RENDERED_MALFORMED])
def test_malformed_math_has_problems(source: str) -> None:
    assert math_problems(source) != []


PROBLEMS = [
    (r"$\fracc{a}{b}$", [r"unknown command \fracc; did you mean \frac?"]),
    (r"$\alphax$", [r"unknown command \alphax; did you mean \alpha?"]),
    (
        r"$\qwzzy$",
        [
            r"unknown command \qwzzy; it is not in quizdl's math subset "
            "(see SUPPORTED_COMMANDS in quizdl.kb.mathtext)"
        ],
    ),
    (
        r"cost $5 and more",
        [
            r"unclosed $ before '5 and more': end the math with $, "
            r"or write \$ for a literal dollar sign"
        ],
    ),
    (
        "costs $5 to\n  train\n",
        [
            r"unclosed $ before '5 to train': end the math with $, "
            r"or write \$ for a literal dollar sign"
        ],
    ),
    (
        r"$$x^2",
        [r"unclosed $$ before 'x^2': end the math with $$, or write \$ for a literal dollar sign"],
    ),
    (r"${x+1$", ["unclosed { in ${x+1$: add the } that closes it"]),
    (r"$x}+1$", ["unmatched } in $x}+1$: remove it or add the { that opens it"]),
    (r"$\frac{a}$", [r"\frac needs 2 arguments, like \frac{a}{b}; found 1"]),
    (r"$\frac$", [r"\frac needs 2 arguments, like \frac{a}{b}; found 0"]),
    (r"$\sqrt$", [r"\sqrt needs an argument, like \sqrt{x}; found nothing"]),
    (r"$\hat{}$", []),
    (r"$\hat$", [r"\hat needs an argument, like \hat{x}; found nothing"]),
    (
        r"$\mathbb}$",
        [
            r"\mathbb needs an argument, like \mathbb{x}; found '}'",
            r"unmatched } in $\mathbb}$: remove it or add the { that opens it",
        ],
    ),
    (r"$\not$", [r"\not needs a relation after it, like \not= or \not\in; found nothing"]),
    (r"$x^$", ["^ needs a superscript after it, like x^2 or x^{n+1}; found nothing"]),
    (
        r"$x_}$",
        [
            "_ needs a subscript after it, like x_i or x_{i+1}; found '}'",
            "unmatched } in $x_}$: remove it or add the { that opens it",
        ],
    ),
    (r"$x^2^3$", ["double superscript in $x^2^3$: use braces, like {x^a}^b"]),
    (r"$x_2_3$", ["double subscript in $x_2_3$: use braces, like {x_a}_b"]),
    (
        r"$\left x \right)$",
        [r"\left needs a delimiter after it, like \left( or \left[ or \left.; found 'x'"],
    ),
    (r"$\left( x$", [r"\left without a matching \right in $\left( x$"]),
    (r"$x \right)$", [r"\right without a matching \left in $x \right)$"]),
    (
        r"$\sqrt[3{x}$",
        [
            r"\sqrt[ has no closing ] in $\sqrt[3{x}$, like \sqrt[3]{x}",
            r"\sqrt needs an argument, like \sqrt{x}; found nothing",
        ],
    ),
    (
        "$x\\",
        [r"unclosed $ before 'x\': end the math with $, or write \$ for a literal dollar sign"],
    ),
    (
        r"$x\$",
        [r"unclosed $ before 'x\$': end the math with $, or write \$ for a literal dollar sign"],
    ),
    ("$\\$ $", []),
    (r"$\fracc{a}{b}$ and $\fracc{c}{d}$", [r"unknown command \fracc; did you mean \frac?"]),
    ("$" + "{" * 60 + "$", ["math nested more than 50 levels deep in $" + "{" * 39 + "…$"]),
]


@pytest.mark.parametrize(("source", "expected"), PROBLEMS)
def test_math_problems_name_what_is_wrong(source: str, expected: list[str]) -> None:
    assert math_problems(source) == expected


def test_a_line_break_is_not_in_the_subset() -> None:
    assert math_problems(r"$a \\ b$") == [
        r"unknown command \\; it is not in quizdl's math subset "
        "(see SUPPORTED_COMMANDS in quizdl.kb.mathtext)"
    ]


def test_a_lone_backslash_at_the_end_of_a_root_index() -> None:
    assert math_problems(r"$\sqrt[\]{x}$") == [
        r"a lone \ at the end of the math; write \backslash for a backslash"
    ]


def test_too_deep_math_is_left_raw() -> None:
    math = r"\sqrt" * 80 + "{x}"
    assert render(f"${math}$") == f"${math}$"
    clipped = math[:39] + "…"
    assert math_problems(f"${math}$") == [f"math nested more than 50 levels deep in ${clipped}$"]


ARGUMENTS = {
    "frac": "{a}{b}",
    "dfrac": "{a}{b}",
    "tfrac": "{a}{b}",
    "sqrt": "{x}",
    "not": "=",
    "left": r"( x \right)",
}


def _example(command: str) -> str:
    """`command` in a small well-formed use."""
    name = command[1:]
    if name in ARGUMENTS:
        use = command + ARGUMENTS[name]
    elif name == "right":
        use = r"\left( x" + command + ")"
    elif not name.isalpha():
        use = command
    else:
        use = command + "{x}" if _takes_argument(name) else command
    return f"${use}$"


def _takes_argument(name: str) -> bool:
    return (
        name in math_symbols.ACCENTS or name in math_symbols.STYLES or name in math_symbols.VERBATIM
    )


@pytest.mark.parametrize("command", sorted(SUPPORTED_COMMANDS))
def test_every_supported_command_draws_without_problems(command: str) -> None:
    source = _example(command)
    assert math_problems(source) == []
    assert "\\" not in render(source) or command == r"\backslash"


def test_the_spec_commands_are_supported() -> None:
    spec = (
        r"\alpha \omega \Gamma \Delta \Theta \Lambda \Xi \Pi \Sigma \Phi \Psi \Omega \epsilon"
        r" \varepsilon \frac \sqrt \cdot \times \div \pm \mp \le \leq \ge \geq \ne \neq \approx"
        r" \sim \propto \equiv \to \rightarrow \leftarrow \Rightarrow \iff \in \notin \subset"
        r" \cup \cap \forall \exists \sum \prod \int \partial \nabla \infty \log \ln \exp \max"
        r" \min \arg \sin \cos \tanh \sigma \mathbb \mathcal \hat \tilde \bar \dot \vec \|"
        r" \lVert \rVert \langle \rangle \left \right \mathrm \text \operatorname \quad \, \; \!"
        r" \{ \}"
    )
    assert set(spec.split()) <= SUPPORTED_COMMANDS


def test_the_docstring_lists_every_supported_command() -> None:
    # The README copies the module docstring, so it must name every command.
    doc = mathtext.__doc__ or ""
    named = set(re.findall(r"\\(?:[A-Za-z]+|.)", doc))
    assert SUPPORTED_COMMANDS - named == set()


def test_render_is_stable_for_math_free_text() -> None:
    text = "梯度消失 (vanishing gradient) costs 5 \\ and more"
    assert render(text) == text
    assert math_problems(text) == []


# Pieces that stress the parser when strung together at random (a space is added below).
LATEX_PIECE_WORDS = (
    r"$ $$ \$ { } ^ _ ' \ x 2 - * [ ] ( ) . é \frac \sqrt \sqrt[ \left \right \left. \hat \text"
    r" \mathbb \not \alpha \sum \fracc \, \{ \| \langle \rangle \\ \limits \quad \operatorname"
)
LATEX_PIECES = st.sampled_from([" ", *LATEX_PIECE_WORDS.split()])


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_render_and_problems_never_raise_on_any_text(text: str) -> None:
    assert isinstance(render(text), str)
    problems = math_problems(text)
    assert not [problem for problem in problems if problem.startswith("could not read")]


@settings(max_examples=600, deadline=None)
@given(st.lists(LATEX_PIECES, max_size=30).map("".join))
def test_render_and_problems_never_raise_on_latex_like_text(text: str) -> None:
    assert isinstance(render(text), str)
    problems = math_problems(text)
    # render and math_problems catch any internal error; none may happen on real input.
    assert not [problem for problem in problems if problem.startswith("could not read")]
    assert all(problems)


@settings(max_examples=200, deadline=None)
@given(st.text().filter(lambda text: "$" not in text))
def test_text_without_dollars_is_unchanged_and_fine(text: str) -> None:
    assert render(text) == text
    assert math_problems(text) == []
