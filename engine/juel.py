"""Camunda's JUEL conditions (`${approved == true}`) translated to sandboxed Python.

Diagrams drawn in Camunda Modeler carry conditions in JUEL, which SpiffWorkflow would hand
to Python `eval` as they are and fail.  Only the part of JUEL that routing needs is
translated: literals, variables, property access, comparisons, logic, arithmetic, `empty` and
`? :`.  Method and function calls (`${execution.getVariable('x')}`, `${bean.check()}`) would
reach into a Java engine we do not have, so they are refused with a message that says so.
The parser is a small hand-written recursive descent; nothing of the JUEL text is evaluated,
and the resulting Python still has to pass `check_expression`.

Known differences from JUEL: no type coercion (`"1" == 1` is false), and `a.b` on a missing
key fails instead of yielding null.
"""

from __future__ import annotations

import functools
import keyword
import re

from engine import messages
from engine.errors import SandboxViolation
from engine.sandbox_check import MAX_SOURCE_CHARS, check_expression

messages.register(
    {
        "juel.not_juel": (
            "Bukan satu ekspresi JUEL ${{...}}: {text}",
            "Not a single JUEL expression ${{...}}: {text}",
        ),
        "juel.syntax": (
            "Ekspresi JUEL tidak sah di posisi {pos}: {detail}",
            "Invalid JUEL expression at position {pos}: {detail}",
        ),
        "juel.unsupported": (
            "Ekspresi JUEL memakai '{what}', yang tidak didukung; gunakan perbandingan sederhana atas variabel.",
            "The JUEL expression uses '{what}', which is not supported; use simple comparisons on variables.",
        ),
    }
)

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<num>(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?)
    |(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    |(?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<op>==|!=|<=|>=|&&|\|\||[<>!()\[\].?:+\-*/%])""",
    re.VERBOSE,
)
_REFUSED_CHARS = {
    "=": "a = b",
    ";": "a; b",
    "{": "${a}${b}",
    "}": "${a}${b}",
    "$": "${a}${b}",
    "#": "#{a}#{b}",
    ",": "f(a, b)",
}
_WORDS = {
    "true": "True", "false": "False", "null": "None", "and": "&&", "or": "||", "not": "!",
    "eq": "==", "ne": "!=", "lt": "<", "gt": ">", "le": "<=", "ge": ">=", "div": "/", "mod": "%",
}  # fmt: skip
_LEVELS = (("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%"))
_PY_OPS = {"||": "or", "&&": "and"}

Token = tuple[str, str, int]  # kind, text, position in the JUEL text


def is_juel(src: str) -> bool:
    """True for text that is one `${...}` or `#{...}` expression."""
    text = src.strip() if isinstance(src, str) else ""
    return text.startswith(("${", "#{")) and text.endswith("}")


def _syntax(pos: int, detail: str) -> SandboxViolation:
    return SandboxViolation("juel.syntax", pos=pos, detail=detail)


def _tokens(text: str, offset: int) -> list[Token]:
    out: list[Token] = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            char = text[pos]
            if char in _REFUSED_CHARS:
                raise SandboxViolation("juel.unsupported", what=_REFUSED_CHARS[char])
            raise _syntax(pos + offset, f"'{char}'")
        kind = match.lastgroup or ""
        value = match.group()
        if kind == "ident" and value in _WORDS:
            kind, value = ("lit" if value in ("true", "false", "null") else "op"), _WORDS[value]
        if kind != "ws":
            out.append((kind, value, pos + offset))
        pos = match.end()
    out.append(("end", "", len(text) + offset))
    return out


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.i + ahead, len(self.tokens) - 1)]

    def take(self, text: str | None = None) -> Token:
        token = self.peek()
        if text is not None and token[1] != text:
            found = token[1] or "end"
            raise _syntax(token[2], f"expected '{text}', found '{found}'")
        self.i += 1
        return token

    def expression(self) -> str:
        cond = self.binary(0)
        if self.peek()[1] != "?":
            return cond
        self.take("?")
        then = self.expression()
        self.take(":")
        other = self.expression()
        return f"({then} if {cond} else {other})"

    def binary(self, level: int) -> str:
        if level == len(_LEVELS):
            return self.unary()
        left = self.binary(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in _LEVELS[level]:
            op = self.take()[1]
            right = self.binary(level + 1)
            left = f"({left} {_PY_OPS.get(op, op)} {right})"
        return left

    def unary(self) -> str:
        kind, text, _ = self.peek()
        if kind == "op" and text in ("!", "-"):
            self.take()
            operand = self.unary()
            return f"(not {operand})" if text == "!" else f"(-{operand})"
        if kind == "ident" and text == "empty":
            self.take()
            x = self.unary()
            return f"({x} is None or {x} == '' or {x} == [] or {x} == {{}})"
        return self.value()

    def value(self) -> str:
        result = self.primary()
        while True:
            kind, text, pos = self.peek()
            if text == "." and kind == "op":
                self.take()
                name = self.take()
                if name[0] != "ident":
                    raise _syntax(name[2], "expected a property name after '.'")
                result = f"{result}[{name[1]!r}]"
            elif text == "[" and kind == "op":
                self.take()
                index = self.expression()
                self.take("]")
                result = f"{result}[{index}]"
            elif text == "(" and kind == "op":
                raise SandboxViolation("juel.unsupported", what="x.method() / f()")
            else:
                return result

    def primary(self) -> str:
        kind, text, pos = self.take()
        if kind == "num":
            return repr(float(text)) if any(c in text for c in ".eE") else str(int(text))
        if kind == "str":
            return repr(re.sub(r"\\(.)", r"\1", text[1:-1]))
        if kind == "lit":
            return text
        if kind == "ident":
            if text == "instanceof" or (self.peek()[1] == ":" and self.peek(2)[1] == "("):
                raise SandboxViolation("juel.unsupported", what="f() / ns:f() / instanceof")
            if keyword.iskeyword(text):
                raise _syntax(pos, f"'{text}' cannot be a variable name")
            return text
        if text == "(":
            inner = self.expression()
            self.take(")")
            return f"({inner})"
        raise _syntax(pos, f"unexpected '{text or 'end'}'")


@functools.lru_cache(maxsize=1024)
def juel_to_python(src: str) -> str:
    """A Python expression equivalent to the JUEL one, already accepted by the sandbox."""
    if not is_juel(src):
        raise SandboxViolation("juel.not_juel", text=src.strip()[:80])
    text = src.strip()
    if len(text) > MAX_SOURCE_CHARS:
        raise SandboxViolation("sandbox.too_long", size=len(text), limit=MAX_SOURCE_CHARS)
    parser = _Parser(_tokens(text[2:-1], 2))
    if parser.peek()[0] == "end":
        raise _syntax(2, "empty expression")
    try:
        python = parser.expression()
    except RecursionError:
        raise _syntax(2, "nested too deeply") from None
    kind, rest, pos = parser.peek()
    if kind != "end":
        raise _syntax(pos, f"unexpected '{rest}'")
    check_expression(python)
    return python
