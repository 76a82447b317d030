"""The tables behind quizdl.kb.mathtext: which LaTeX commands the math subset knows and the
Unicode each one is drawn as (letters, operators, delimiters, letter styles, scripts)."""

from __future__ import annotations


def _table(names: str, glyphs: str) -> dict[str, str]:
    return dict(zip(names.split(), glyphs, strict=True))


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


GREEK = _table(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu"
    " xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega"
    " Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega",
    "αβγδϵεζηθϑικλμνξπϖρϱσςτυϕφχψωΓΔΘΛΞΠΣΥΦΨΩ",
)
# Ordinary symbols: the space after them is dropped, as LaTeX does, so "\partial L" is ∂L.
SYMBOLS = GREEK | _table(
    "partial nabla infty forall exists neg lnot ell hbar emptyset varnothing prime top perp"
    " angle aleph dots ldots cdots vdots ddots backslash sum prod int iint oint bigcup bigcap",
    "∂∇∞∀∃¬¬ℓħ∅∅′⊤⊥∠ℵ……⋯⋮⋱\\∑∏∫∬∮⋃⋂",
)
# Binary operators, relations and arrows keep the author's spacing around them.
OPERATORS = _table(
    "cdot times div pm mp le leq ge geq ne neq approx sim simeq cong propto equiv ll gg lt gt"
    " to rightarrow leftarrow gets Rightarrow Leftarrow implies iff Leftrightarrow"
    " leftrightarrow mapsto uparrow downarrow in notin ni subset subseteq supset supseteq cup"
    " cap setminus land lor wedge vee oplus otimes odot circ ast star bullet mid parallel"
    " triangleq coloneqq colon",
    "·×÷±∓≤≤≥≥≠≠≈∼≃≅∝≡≪≫<>→→←←⇒⇐⇒⇔⇔↔↦↑↓∈∉∋⊂⊆⊃⊇∪∩∖∧∨∧∨⊕⊗⊙∘∗⋆•|∥≜≔:",
)
OPENERS = _table("langle lVert lvert lfloor lceil {", "⟨‖|⌊⌈{")
CLOSERS = _table("rangle rVert rvert rfloor rceil }", "⟩‖|⌋⌉}")
CONTROL_SYMBOLS = {"|": "‖", "$": "$", "%": "%", "&": "&", "#": "#", "_": "_"}
CONTROL_SYMBOLS |= {",": " ", ";": " ", ":": " ", ">": " ", " ": " ", "!": ""}
NEUTRAL_DELIMITERS = {"vert": "|", "Vert": "‖"}
FUNCTIONS = _names(
    "log ln lg exp max min arg argmax argmin sin cos tan sinh cosh tanh sec csc cot arcsin"
    " arccos arctan det dim ker lim sup inf Pr gcd"
)
WIDE_SPACES = {"quad": "  ", "qquad": "    "}
IGNORED = _names(
    "limits nolimits displaystyle textstyle scriptstyle big Big bigg Bigg bigl bigr Bigl Bigr"
    " biggl biggr Biggl Biggr"
)
FRACTIONS = frozenset({"frac", "dfrac", "tfrac"})
ACCENTS = _table(
    "hat widehat tilde widetilde bar overline dot ddot vec",
    "\u0302\u0302\u0303\u0303\u0304\u0305\u0307\u0308\u20d7",
)
VERBATIM = _names("mathrm text textrm textit textbf mathit mathsf mathtt operatorname")
DELIMITER_CHARS = frozenset("()[]|./<>")
DELIMITER_COMMANDS = frozenset(
    {"{", "}", "|", "vert", "Vert", "uparrow", "downarrow", *OPENERS, *CLOSERS}
)
STRUCTURAL = frozenset({"left", "right", "sqrt", "not", *FRACTIONS})


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
STYLES = {
    "mathbb": _BLACKBOARD,
    "mathcal": _SCRIPT,
    "mathscr": _SCRIPT,
    "mathbf": _BOLD,
    "boldsymbol": _BOLD,
}

SUPERSCRIPTS = _table(
    " ".join("0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεϵθιφϕχ⊤′*"),
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᵋᶿᶥᵠᵠᵡᵀ′*",
)
SUBSCRIPTS = _table(
    " ".join("0123456789+-−=()aehijklmnoprstuvxβγρφϕχ"),
    "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵩᵪ",
)
ROOTS = {"": "√", "2": "√", "3": "∛", "4": "∜"}
PRIMES = {1: "′", 2: "″", 3: "‴"}
CHARS = {"-": "−", "*": "·", "~": " "}
# Characters that make a fraction's part need parentheses when they stand at its top level.
OPERATOR_CHARS = frozenset("+-−*/=<>,;:·×÷±∓") | (frozenset("".join(OPERATORS.values())) - {"|"})
PUNCTUATION = frozenset(",.;:!?|‖′")
OPENING_BRACKETS = frozenset("([{⟨⌊⌈")
CLOSING_BRACKETS = frozenset(")]}⟩⌋⌉")

LETTER_COMMANDS = frozenset(
    {*SYMBOLS, *OPERATORS, *FUNCTIONS, *WIDE_SPACES, *IGNORED, *ACCENTS, *VERBATIM}
    | {*STYLES, *NEUTRAL_DELIMITERS, *STRUCTURAL}
    | {name for name in (*OPENERS, *CLOSERS) if name.isalpha()}
)
SUPPORTED_COMMANDS: frozenset[str] = frozenset(
    "\\" + name for name in LETTER_COMMANDS | set(CONTROL_SYMBOLS) | {"{", "}"}
)
"""Every command the math subset understands, backslash included (``"\\frac"``)."""
