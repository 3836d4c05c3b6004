"""Static half of the script sandbox: which Python a process designer may write.

Designers and regional admins write gateway conditions and script tasks, so their text is
untrusted.  Blacklists and RestrictedPython-on-plain-exec both leak (research §4.2: the
`__subclasses__` walk and `str.format` reach `os`).  Here the AST must consist only of
whitelisted node types, no name or attribute may start with an underscore, and every
attribute is a method name from a short list.  The checked tree is then rewritten so that
every call, attribute, loop, size-growing operator, comparison and f-string value goes
through a guard of `engine.sandbox_runtime`; the guard names start with `__lontar`, which a
designer can never write, so the guards cannot be bypassed or shadowed.
"""

from __future__ import annotations

import ast
import functools
import re
import textwrap
from types import CodeType

from engine import messages
from engine.errors import SandboxViolation

MAX_SOURCE_CHARS = 10_000
MAX_NODES = 6_000  # ~1.7 x what 10 000 characters of ordinary script need
MAX_DEPTH = 100
MAX_FORMAT_NUMBER = 1_000  # widths/precisions in an f-string format spec

messages.register(
    {
        "sandbox.syntax": (
            "Ditolak: penulisan tidak sah di baris {line}: {detail}",
            "Refused: invalid syntax on line {line}: {detail}",
        ),
        "sandbox.too_long": (
            "Ditolak: teks terlalu panjang ({size} karakter; batas {limit}).",
            "Refused: text too long ({size} characters; limit {limit}).",
        ),
        "sandbox.too_complex": (
            "Ditolak: ekspresi terlalu rumit (batas {limit} {what}).",
            "Refused: expression too complex (limit {limit} {what}).",
        ),
        "sandbox.forbidden_node": (
            "Ditolak di baris {line}: {node} tidak diizinkan.",
            "Refused on line {line}: {node} is not allowed.",
        ),
        "sandbox.forbidden_name": (
            "Ditolak di baris {line}: nama '{name}' tidak diizinkan.",
            "Refused on line {line}: the name '{name}' is not allowed.",
        ),
        "sandbox.forbidden_attribute": (
            "Ditolak di baris {line}: atribut '.{name}' tidak diizinkan.",
            "Refused on line {line}: the attribute '.{name}' is not allowed.",
        ),
        "sandbox.forbidden_call": (
            "Ditolak di baris {line}: '{name}' bukan fungsi yang diizinkan.",
            "Refused on line {line}: '{name}' is not an allowed function.",
        ),
        "sandbox.format_spec": (
            "Ditolak di baris {line}: format f-string hanya boleh teks tetap dengan angka sampai {limit}.",
            "Refused on line {line}: an f-string format must be fixed text with numbers up to {limit}.",
        ),
    }
)


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Methods a designer may call, by the builtin type that provides them (the runtime looks the
# method up on that type, never on the object, so a subclass cannot swap in its own).
READ_METHODS: dict[str, frozenset[str]] = {
    "str": _names(
        "lower upper strip lstrip rstrip startswith endswith split join replace count index find "
        "title capitalize isdigit isalpha isalnum isspace"
    ),
    "list": frozenset({"count", "index"}),
    "tuple": frozenset({"count", "index"}),
    "dict": frozenset({"get", "keys", "values", "items"}),
    "date": frozenset({"year", "month", "day", "weekday", "isoweekday", "isoformat"}),
    "datetime": frozenset({"hour", "minute", "second", "date"}),
    "timedelta": frozenset({"days", "seconds", "total_seconds"}),
}
# Only scripts may change data in place; a gateway condition must not.
WRITE_METHODS: dict[str, frozenset[str]] = {
    "list": frozenset({"append", "extend", "insert", "pop", "remove"}),
    "dict": frozenset({"pop", "setdefault", "update"}),
    "set": frozenset({"add", "discard"}),
}
_READ_NAMES = frozenset().union(*READ_METHODS.values())
_WRITE_NAMES = frozenset().union(*WRITE_METHODS.values())

# Builtins that open the way out; refused wherever they appear.  (With `__builtins__` empty they
# would only be a NameError, but a designer deserves to hear why at deploy time.)
FORBIDDEN_NAMES = _names(
    "eval exec compile open getattr setattr delattr hasattr globals locals vars dir breakpoint "
    "memoryview classmethod staticmethod super exit quit help"
)
# Builtins whose names are also plausible form fields (`type`, `id`, `format`): reading such a
# variable is fine, calling it is not.
FORBIDDEN_CALLS = FORBIDDEN_NAMES | _names(
    "type id format iter next print input object callable isinstance issubclass hash repr chr ord "
    "pow divmod bytes bytearray frozenset reversed map filter slice property"
)

_EXPR_NODES: tuple[type[ast.AST], ...] = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.BinOp, ast.Add, ast.Sub, ast.Mult, ast.Div,
    ast.FloorDiv, ast.Mod, ast.Pow, ast.BitAnd, ast.BitOr, ast.BitXor, ast.UnaryOp, ast.Not,
    ast.USub, ast.UAdd, ast.Invert, ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt,
    ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot, ast.IfExp, ast.Constant, ast.Name, ast.Load,
    ast.List, ast.Tuple, ast.Dict, ast.Set, ast.Subscript, ast.Slice, ast.JoinedStr,
    ast.FormattedValue, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
    ast.comprehension, ast.Call, ast.keyword, ast.Attribute, ast.Store,
)  # fmt: skip
_STMT_NODES: tuple[type[ast.AST], ...] = (
    ast.Module, ast.Expr, ast.Assign, ast.AugAssign, ast.If, ast.For, ast.Pass, ast.Break,
    ast.Continue, ast.Delete, ast.Del,
)  # fmt: skip
_NODE_WORDS = {
    "While": "while", "FunctionDef": "def", "AsyncFunctionDef": "async def", "Lambda": "lambda",
    "ClassDef": "class", "Import": "import", "ImportFrom": "import", "Try": "try", "TryStar": "try",
    "With": "with", "AsyncWith": "async with", "Raise": "raise", "Global": "global",
    "Nonlocal": "nonlocal", "Yield": "yield", "YieldFrom": "yield from", "Await": "await",
    "NamedExpr": ":=", "Starred": "*x", "Return": "return", "Assert": "assert",
    "AnnAssign": "x: type = ...", "LShift": "<<", "RShift": ">>", "MatMult": "@",
    "AsyncFor": "async for", "Match": "match",
}  # fmt: skip


def _refuse(line: int, key: str, **params: object) -> SandboxViolation:
    exc = SandboxViolation(key, line=line, **params)
    exc.lineno = line  # read by the engine's error report
    return exc


def _check_target(node: ast.AST, line: int, *, names_only: bool = False) -> None:
    """Assignment targets: plain names, item slots (not slices), and tuples of those."""
    if isinstance(node, ast.Name):
        return
    if isinstance(node, ast.Tuple | ast.List):
        for elt in node.elts:
            _check_target(elt, line, names_only=names_only)
        return
    if not names_only and isinstance(node, ast.Subscript) and not isinstance(node.slice, ast.Slice):
        return
    words = {"Attribute": "x.attr = ...", "Subscript": "x[a:b] = ...", "Starred": "*x = ..."}
    raise _refuse(line, "sandbox.forbidden_node", node=words.get(type(node).__name__, type(node).__name__))


def _check_node(node: ast.AST, line: int, allowed: tuple[type[ast.AST], ...], write_methods: bool) -> None:
    if not isinstance(node, allowed):
        name = type(node).__name__
        raise _refuse(line, "sandbox.forbidden_node", node=_NODE_WORDS.get(name, name))
    if isinstance(node, ast.Name) and (node.id.startswith("_") or node.id in FORBIDDEN_NAMES):
        raise _refuse(line, "sandbox.forbidden_name", name=node.id)
    if isinstance(node, ast.Attribute):
        ok = node.attr in _READ_NAMES or (write_methods and node.attr in _WRITE_NAMES)
        if not ok or not isinstance(node.ctx, ast.Load):
            raise _refuse(line, "sandbox.forbidden_attribute", name=node.attr)
    elif isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
            raise _refuse(line, "sandbox.forbidden_call", name=func.id)
        if not isinstance(func, ast.Name | ast.Attribute):
            raise _refuse(line, "sandbox.forbidden_call", name=ast.unparse(func)[:40])
        if any(kw.arg is None for kw in node.keywords):
            raise _refuse(line, "sandbox.forbidden_node", node="**")
    elif isinstance(node, ast.Dict) and any(k is None for k in node.keys):
        raise _refuse(line, "sandbox.forbidden_node", node="**")
    elif isinstance(node, ast.comprehension):
        if node.is_async:
            raise _refuse(line, "sandbox.forbidden_node", node="async for")
        _check_target(node.target, line, names_only=True)
    elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
        spec = node.format_spec
        parts = spec.values if isinstance(spec, ast.JoinedStr) else [spec]
        texts = [p.value for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str)]
        numbers = [int(n) for text in texts for n in re.findall(r"\d+", text)]
        if len(texts) != len(parts) or any(n > MAX_FORMAT_NUMBER for n in numbers):
            raise _refuse(line, "sandbox.format_spec", limit=MAX_FORMAT_NUMBER)
    elif isinstance(node, ast.Assign):
        for target in node.targets:
            _check_target(target, line)
    elif isinstance(node, ast.AugAssign | ast.Delete):
        for target in node.targets if isinstance(node, ast.Delete) else [node.target]:
            if isinstance(target, ast.Tuple | ast.List):
                raise _refuse(line, "sandbox.forbidden_node", node="(a, b) += ... / del (a, b)")
            _check_target(target, line)
    elif isinstance(node, ast.For):
        _check_target(node.target, line, names_only=True)


def _parse(src: str, mode: str) -> ast.AST:
    try:
        tree = ast.parse(src, mode=mode)
    except SyntaxError as exc:
        # Spiff's error formatter crashes on SyntaxError(lineno=None), so none leaves here.
        violation = SandboxViolation("sandbox.syntax", line=exc.lineno or 0, detail=exc.msg)
        violation.lineno = exc.lineno or 0
        raise violation from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise SandboxViolation("sandbox.syntax", line=0, detail=type(exc).__name__) from None
    return tree


def _check(tree: ast.AST, mode: str) -> None:
    allowed = _EXPR_NODES if mode == "eval" else _EXPR_NODES + _STMT_NODES
    stack = [(tree, 0, 1)]
    count = 0
    while stack:
        node, depth, line = stack.pop()
        line = getattr(node, "lineno", line)  # operator nodes carry no position
        count += 1
        if count > MAX_NODES:
            raise SandboxViolation("sandbox.too_complex", limit=MAX_NODES, what="nodes")
        if depth > MAX_DEPTH:
            raise SandboxViolation("sandbox.too_complex", limit=MAX_DEPTH, what="levels")
        _check_node(node, line, allowed, write_methods=mode == "exec")
        stack.extend((child, depth + 1, line) for child in reversed(list(ast.iter_child_nodes(node))))


def _guard(name: str, node: ast.AST, *args: ast.expr) -> ast.Call:
    call = ast.Call(func=ast.Name(id=f"__lontar_{name}__", ctx=ast.Load()), args=list(args), keywords=[])
    return ast.copy_location(call, node)


def _weight(*nodes: ast.AST) -> int:
    """Work one pass over a loop body costs: its operations, not its Load/Store/op markers."""
    markers = (ast.expr_context, ast.operator, ast.boolop, ast.cmpop, ast.unaryop)
    return max(1, sum(not isinstance(n, markers) for top in nodes for n in ast.walk(top)))


def _key(node: ast.expr) -> ast.expr:
    """Hashing a tuple key walks all of it, every time; charge that unless it is a literal."""
    return node if isinstance(node, ast.Constant) else _guard("key", node, node)


_GUARDED_OPS = {ast.Add: "+", ast.Mult: "*", ast.Pow: "**", ast.Mod: "%"}


class _Rewrite(ast.NodeTransformer):
    """Route every operation whose cost or reach depends on the data through a guard."""

    def __init__(self) -> None:
        self.temps = 0

    def visit_Call(self, node: ast.Call) -> ast.AST:
        label = node.func.id if isinstance(node.func, ast.Name) else "." + getattr(node.func, "attr", "?")
        self.generic_visit(node)
        call = _guard("call", node, ast.Constant(label), node.func, *node.args)
        call.keywords = node.keywords
        return call

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        self.generic_visit(node)
        return _guard("attr", node, node.value, ast.Constant(node.attr))

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        op = _GUARDED_OPS.get(type(node.op))
        return node if op is None else _guard("binop", node, ast.Constant(op), node.left, node.right)

    def visit_Compare(self, node: ast.Compare) -> ast.AST:
        """Comparisons recurse into nested data in C, so each operand is charged its deep size."""
        self.generic_visit(node)
        operands, ops = [node.left, *node.comparators], node.ops
        for i, x in enumerate(operands):
            near = ops[max(i - 1, 0) : i + 1]
            if isinstance(x, ast.Constant) or all(isinstance(o, ast.Is | ast.IsNot) for o in near):
                continue
            container = i > 0 and isinstance(ops[i - 1], ast.In | ast.NotIn)
            operands[i] = _guard("cmp", x, x, ast.Constant(container))
        node.left, node.comparators = operands[0], operands[1:]
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.slice, ast.Slice):
            node.value = _guard("scan", node.value, node.value)
        else:
            node.slice = _key(node.slice)
        return node

    def visit_Dict(self, node: ast.Dict) -> ast.AST:
        self.generic_visit(node)
        node.keys = [_key(k) if k is not None else k for k in node.keys]
        return node

    def visit_Set(self, node: ast.Set) -> ast.AST:
        self.generic_visit(node)
        node.elts = [_key(e) for e in node.elts]
        return node

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.AST:
        self.generic_visit(node)
        node.value = _guard("fmt", node.value, node.value)
        return node

    def visit_For(self, node: ast.For) -> ast.AST:
        cost = _weight(*node.body, *node.orelse)
        self.generic_visit(node)
        node.iter = _guard("iter", node.iter, node.iter, ast.Constant(cost))
        return node

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> ast.AST:
        results = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        costs = [_weight(*results, *g.ifs) for g in node.generators]
        self.generic_visit(node)
        for gen, cost in zip(node.generators, costs, strict=True):
            gen.iter = _guard("iter", gen.iter, gen.iter, ast.Constant(cost))
        if isinstance(node, ast.DictComp):
            node.key = _key(node.key)
        elif isinstance(node, ast.SetComp):
            node.elt = _key(node.elt)
        return node

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    def visit_AugAssign(self, node: ast.AugAssign) -> ast.AST | list[ast.stmt]:
        self.generic_visit(node)
        op = _GUARDED_OPS.get(type(node.op))
        if op is None:
            return node
        target = node.target
        if isinstance(target, ast.Name):
            load = ast.Name(id=target.id, ctx=ast.Load())
            value = _guard("iop", node, ast.Constant(op), load, node.value)
            return ast.copy_location(ast.Assign(targets=[target], value=value), node)
        # `obj[key] op= value`: evaluate obj and key once, as Python does.
        assert isinstance(target, ast.Subscript)
        self.temps += 1
        obj, key = f"__lontar_t{self.temps}o", f"__lontar_t{self.temps}k"
        stmts: list[ast.stmt] = [
            ast.Assign(targets=[ast.Name(id=obj, ctx=ast.Store())], value=target.value),
            ast.Assign(targets=[ast.Name(id=key, ctx=ast.Store())], value=target.slice),
        ]
        item = ast.Subscript(
            value=ast.Name(id=obj, ctx=ast.Load()), slice=ast.Name(id=key, ctx=ast.Load()), ctx=ast.Load()
        )
        store = ast.Subscript(
            value=ast.Name(id=obj, ctx=ast.Load()), slice=ast.Name(id=key, ctx=ast.Load()), ctx=ast.Store()
        )
        stmts.append(
            ast.Assign(targets=[store], value=_guard("iop", node, ast.Constant(op), item, node.value))
        )
        return [ast.copy_location(s, node) for s in stmts]


@functools.lru_cache(maxsize=2048)
def compile_checked(src: str, mode: str) -> CodeType:
    """Check, rewrite and compile once per distinct text; gateways re-evaluate the same few strings."""
    if len(src) > MAX_SOURCE_CHARS:
        raise SandboxViolation("sandbox.too_long", size=len(src), limit=MAX_SOURCE_CHARS)
    text = src.strip() if mode == "eval" else textwrap.dedent(src)
    tree = _parse(text, mode)
    _check(tree, mode)
    tree = ast.fix_missing_locations(_Rewrite().visit(tree))
    try:
        return compile(tree, "<string>", mode)
    except SyntaxError as exc:  # e.g. `break` outside a loop, found only by the compiler
        violation = SandboxViolation("sandbox.syntax", line=exc.lineno or 0, detail=exc.msg)
        violation.lineno = exc.lineno or 0
        raise violation from None


def check_expression(src: str) -> None:
    """Refuse, at deploy time, a condition that the runtime would refuse."""
    compile_checked(src, "eval")


def check_script(src: str) -> None:
    """Refuse, at deploy time, a script that the runtime would refuse."""
    compile_checked(src, "exec")
