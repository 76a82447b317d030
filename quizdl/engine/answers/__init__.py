"""Reading and checking the learner's answers. Answers are untrusted text: they are never
evaluated by Python (no eval, exec, sympify or parse_expr); our own lexer and parser build a
small syntax tree that is evaluated with floats, and sympy (imported only when an expression
is checked) is fed that tree through its constructors.

The answer syntax:

- numbers: ``0.0039``, ``3.9e-3``, ``1/256``, ``2^-8``, ``2^(-8)``, ``4**-4``, ``25%`` (0.25),
  ``3.9×10^-3``, ``10⁻³``, ``1,234,567`` and ``1 234 567`` (only valid groups of three),
  full-width forms (``０．５``, ``１／２``), ``−`` as minus, ``·``/``×`` as times, constants
  ``e``, ``pi``/``π``, functions ``sqrt``/``√``, ``ln``/``log`` (natural), ``exp``, ``sigma``/
  ``sigmoid``/``σ``, ``tanh``, ``sinh``, ``cosh``, ``sin``, ``cos``, ``abs``, ``max``,
  ``min``; a one-argument function may go without brackets (``ln 2``);
- vectors: ``(1, 2, 3)``, ``[1, 2, 3]``, ``1, 2, 3``, ``1; 2; 3``, ``[1 2 3]``; when ';'
  separates the items a comma may separate thousands again (``1,234; 5``), otherwise a
  comma always separates items (``1,234`` is 1 and 234);
- expressions: the above plus the question's variables, implicit multiplication (``2x``,
  ``x(1-x)``, ``σ(x)(1-σ(x))``), ``^`` or ``**`` for powers, ``tanh^2(x)`` for tanh(x)^2;
- choices: the key in any case, or the text of the choice.

Limits keep every verdict fast whatever is typed: at most 2,000 characters, 1,000 symbols
and 50 levels of nesting; numbers are floats, so huge powers overflow instead of growing.
"""

from quizdl.engine.answers.check import check
from quizdl.engine.answers.errors import Unreadable
from quizdl.engine.answers.evaluate import parse_number, parse_vector
from quizdl.engine.answers.verdict import Verdict

__all__ = ["Unreadable", "Verdict", "check", "parse_number", "parse_vector"]
