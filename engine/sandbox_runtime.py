"""Run-time half of the script sandbox: the guards the rewritten code calls.

A script runs inside a web request or a worker, where no timer can interrupt it safely.  So
instead of timing it, every operation whose cost depends on the data is metered: loop and
comprehension iterations are counted, operations that build something (repetition, `**`,
concatenation, `join`, `replace`, `str()`, f-strings, `range`) check the size of the result
before building it, and operations that walk existing data charge its size to a work budget.
Together with the static checks (no `while`, no functions, so no recursion) this bounds the
time and memory of any execution by construction.  One `Runtime` lives for one evaluation.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping
from numbers import Number
from typing import Any

from engine import messages
from engine.errors import SandboxViolation
from engine.sandbox_check import READ_METHODS, WRITE_METHODS
from engine.sandbox_cost import SCALARS, deep_cost, scan_cost, text_size

MAX_LOOP_ITERATIONS = 100_000
MAX_WORK = 5_000_000  # steps per execution: loop-body operations, items built or scanned
MAX_SIZE = 1_000_000  # characters of a string, items of a list, built in one step
MAX_RANGE = 10_000
MAX_EXPONENT = 100
MAX_INT_BITS = 10_000  # ~3 000 decimal digits, below Python's int<->str limit
MAX_ROUND_DIGITS = 100

messages.register(
    {
        "sandbox.limit_loop": (
            "Dihentikan: perulangan melebihi {limit} langkah.",
            "Stopped: loops ran more than {limit} steps.",
        ),
        "sandbox.limit_work": (
            "Dihentikan: pekerjaan melebihi {limit} langkah.",
            "Stopped: the work exceeded {limit} steps.",
        ),
        "sandbox.limit_size": (
            "Dihentikan: hasil terlalu besar (lebih dari {limit} elemen).",
            "Stopped: the result is too large (more than {limit} items).",
        ),
        "sandbox.limit_range": (
            "Dihentikan: range() paling banyak {limit} angka.",
            "Stopped: range() may have at most {limit} numbers.",
        ),
        "sandbox.limit_power": (
            "Dihentikan: pangkat paling besar {limit}.",
            "Stopped: the exponent may be at most {limit}.",
        ),
        "sandbox.limit_int": (
            "Dihentikan: bilangan terlalu besar (lebih dari {limit} bit).",
            "Stopped: the number is too large (more than {limit} bits).",
        ),
        "sandbox.limit_digits": (
            "Dihentikan: round() paling banyak {limit} digit.",
            "Stopped: round() allows at most {limit} digits.",
        ),
        "sandbox.string_percent": (
            "Ditolak: format teks dengan % tidak diizinkan; gunakan f-string.",
            "Refused: % string formatting is not allowed; use an f-string.",
        ),
        "sandbox.sum_start": (
            "Ditolak: sum() hanya menjumlahkan angka.",
            "Refused: sum() only adds numbers.",
        ),
        "sandbox.not_callable": (
            "Ditolak: '{name}' bukan fungsi yang diizinkan.",
            "Refused: '{name}' is not an allowed function.",
        ),
        "sandbox.attribute_type": (
            "Ditolak: '.{name}' tidak tersedia untuk nilai bertipe {type}.",
            "Refused: '.{name}' is not available on a value of type {type}.",
        ),
    }
)

# Most specific first: a datetime must get datetime.isoformat, not date.isoformat.
_BASES: tuple[tuple[type, str], ...] = (
    (str, "str"), (list, "list"), (tuple, "tuple"), (dict, "dict"), (set, "set"),
    (dt.datetime, "datetime"), (dt.date, "date"), (dt.timedelta, "timedelta"),
)  # fmt: skip
_VALUE_ATTRS = frozenset({"year", "month", "day", "hour", "minute", "second", "days", "seconds"})
_SEQUENCES = (str, bytes, list, tuple)
# Methods whose cost does not grow with the object; every other method is charged its size.
_CONSTANT_METHODS = frozenset({
    "get", "keys", "values", "items", "pop", "setdefault", "append", "add", "discard",
    "isoformat", "weekday", "isoweekday", "date", "total_seconds",
})  # fmt: skip
_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "*": operator.mul, "**": operator.pow, "%": operator.mod,
}  # fmt: skip
_IOPS: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.iadd, "*": operator.imul, "**": operator.ipow, "%": operator.imod,
}  # fmt: skip


@functools.lru_cache(maxsize=256)
def _methods_of(cls: type) -> tuple[type | None, frozenset[str]]:
    """The builtin base whose methods a value of `cls` gets, and the names allowed on it."""
    matches = [(base, key) for base, key in _BASES if issubclass(cls, base)]
    names = frozenset().union(*(READ_METHODS.get(k, ()) for _, k in matches))
    names |= frozenset().union(*(WRITE_METHODS.get(k, ()) for _, k in matches))
    return (matches[0][0] if matches else None), names


class BoundMethod:
    """A whitelisted method bound to its object; calls go back through the runtime's meters."""

    __slots__ = ("_base", "_name", "_obj", "_rt")

    def __init__(self, rt: Runtime, obj: Any, base: type, name: str) -> None:
        self._rt, self._obj, self._base, self._name = rt, obj, base, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._rt.call_method(self._obj, self._base, self._name, args, kwargs)

    def __repr__(self) -> str:
        return f"<method {self._base.__name__}.{self._name}>"


class Runtime:
    """Meters and safe functions for one evaluation; never shared between evaluations."""

    def __init__(self) -> None:
        self.loops = 0
        self.work = 0
        self.namespace: dict[str, Any] = {}
        self.functions: dict[str, Any] = {
            "len": len, "int": int, "float": float, "bool": bool, "abs": abs,
            "enumerate": enumerate, "zip": zip, "str": self.str_, "round": self.round_,
            "min": self.min_, "max": self.max_, "sum": self.sum_, "sorted": self.sorted_,
            "any": self.any_, "all": self.all_, "list": self.list_, "tuple": self.tuple_,
            "set": self.set_, "dict": self.dict_, "range": self.range_, "defined": self.defined,
        }  # fmt: skip
        self._allowed: dict[int, Any] = {id(f): f for f in self.functions.values()}
        self.guards: dict[str, Any] = {
            "__lontar_call__": self.call, "__lontar_attr__": self.attr, "__lontar_iter__": self.iter_,
            "__lontar_binop__": self.binop, "__lontar_iop__": self.iop, "__lontar_cmp__": self.cmp,
            "__lontar_key__": self.key, "__lontar_scan__": self.scan,
            "__lontar_fmt__": self.fmt,
        }  # fmt: skip

    def allow(self, extra: Mapping[str, Any]) -> None:
        """Application helpers (now, today, ...) become callable; data values never do."""
        for value in extra.values():
            if callable(value):
                self._allowed[id(value)] = value

    # -- meters ---------------------------------------------------------------------------
    def charge(self, steps: int) -> None:
        self.work += steps
        if self.work > MAX_WORK:
            raise SandboxViolation("sandbox.limit_work", limit=MAX_WORK)

    @staticmethod
    def check_size(size: int) -> None:
        if size > MAX_SIZE:
            raise SandboxViolation("sandbox.limit_size", limit=MAX_SIZE)

    def _counted(self, it: Iterator[Any], loop: bool, cost: int = 1) -> Iterator[Any]:
        for item in it:
            if loop:
                self.loops += 1
                if self.loops > MAX_LOOP_ITERATIONS:
                    raise SandboxViolation("sandbox.limit_loop", limit=MAX_LOOP_ITERATIONS)
            self.charge(cost)
            yield item

    def collect(self, iterable: Iterable[Any]) -> list[Any]:
        if isinstance(iterable, list | tuple | str | dict | set | frozenset | range):
            self.check_size(len(iterable))
            self.charge(len(iterable) + 1)
            return list(iterable)
        out = []
        for item in self._counted(iter(iterable), loop=False):
            out.append(item)
            if len(out) > MAX_SIZE:
                self.check_size(len(out))
        return out

    # -- guards called by rewritten code ----------------------------------------------------
    def iter_(self, iterable: Iterable[Any], cost: int) -> Iterator[Any]:
        """Each pass of a loop is charged the size of its body, so a long body runs fewer times."""
        return self._counted(iter(iterable), loop=True, cost=cost)

    def deep(self, value: Any, factor: int = 1) -> None:
        self.charge(deep_cost(value, (MAX_WORK - self.work) // factor + 1) * factor)

    def cmp(self, value: Any, container: bool) -> Any:
        if container and isinstance(value, dict | set | frozenset):
            self.charge(1)  # `x in d` hashes x, it does not walk d
        else:
            self.deep(value)
        return value

    def key(self, value: Any) -> Any:
        self.deep(value)
        return value

    def scan(self, value: Any) -> Any:
        self.charge(scan_cost(value))
        return value

    def fmt(self, value: Any) -> Any:
        size, steps = text_size(value, MAX_SIZE)
        self.check_size(size)
        self.charge(steps + size)
        return value

    def call(self, label: str, func: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.check_callable(label, func)
        return func(*args, **kwargs)

    def check_callable(self, label: str, func: Any) -> None:
        if type(func) is not BoundMethod and self._allowed.get(id(func)) is not func:
            raise SandboxViolation("sandbox.not_callable", name=label)

    def attr(self, obj: Any, name: str) -> Any:
        base, allowed = _methods_of(type(obj))
        if base is None or name not in allowed:
            raise SandboxViolation("sandbox.attribute_type", name=name, type=type(obj).__name__)
        if name in _VALUE_ATTRS:
            return getattr(base, name).__get__(obj, base)
        return BoundMethod(self, obj, base, name)

    def _checked_op(self, op: str, a: Any, b: Any) -> None:
        if op == "+" and isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
            self.check_size(len(a) + len(b))
            self.charge(len(a) + len(b))
        elif op == "*":
            seq, n = (a, b) if isinstance(a, _SEQUENCES) else (b, a)
            if isinstance(seq, _SEQUENCES) and isinstance(n, int):
                self.check_size(len(seq) * max(n, 0))
                self.charge(len(seq) * max(n, 0))
            elif isinstance(a, int) and isinstance(b, int) and a.bit_length() + b.bit_length() > MAX_INT_BITS:
                raise SandboxViolation("sandbox.limit_int", limit=MAX_INT_BITS)
        elif op == "**" and isinstance(b, int):
            if abs(b) > MAX_EXPONENT:
                raise SandboxViolation("sandbox.limit_power", limit=MAX_EXPONENT)
            if isinstance(a, int) and a.bit_length() * b > MAX_INT_BITS:
                raise SandboxViolation("sandbox.limit_int", limit=MAX_INT_BITS)
        elif op == "%" and isinstance(a, str | bytes):
            raise SandboxViolation("sandbox.string_percent")

    def binop(self, op: str, a: Any, b: Any) -> Any:
        self._checked_op(op, a, b)
        return _OPS[op](a, b)

    def iop(self, op: str, a: Any, b: Any) -> Any:
        if op == "+" and isinstance(a, list) and not isinstance(b, _SEQUENCES):
            b = self.collect(b)  # `items += d.values()` extends in place: cap it like `+`
        self._checked_op(op, a, b)
        return _IOPS[op](a, b)

    # -- whitelisted methods ----------------------------------------------------------------
    def call_method(
        self, obj: Any, base: type, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        method = getattr(base, name)
        values = (*args, *kwargs.values()) if kwargs else args
        if set(map(type, values)) <= SCALARS:
            self.charge(len(values) + 1)
        else:
            self.deep(values)  # arguments are hashed (get) or compared (index, count)
        if base is str and name == "join" and len(args) == 1:
            items = self.collect(args[0])
            sizes = [len(i) for i in items if isinstance(i, str)]
            size = sum(sizes) + len(obj) * max(len(items) - 1, 0)
            self.check_size(size)
            self.charge(size)
            return method(obj, items)
        if base is str and name == "replace" and len(args) >= 2 and all(isinstance(a, str) for a in args[:2]):
            old, new = args[0], args[1]
            hits = len(obj) + 1 if old == "" else obj.count(old)
            size = len(obj) + hits * max(len(new) - len(old), 0)
            self.check_size(size)
            self.charge(size)
        if name in ("extend", "update") and args:
            other = args[0]
            items = other if isinstance(other, Mapping) else self.collect(other)
            self.check_size(len(obj) + len(items))
            self.charge(len(items))
            args = (items, *args[1:])
        elif name in ("append", "insert", "add", "setdefault"):
            self.check_size(len(obj) + 1)
        if name == "split":
            self.charge(len(obj) + 1)
        elif name in ("count", "index", "remove") and base is not str:
            self.deep(obj)
        elif name not in _CONSTANT_METHODS or (base is list and name == "pop" and args):
            self.charge(scan_cost(obj))
        return method(obj, *args, **kwargs)

    # -- safe builtins ----------------------------------------------------------------------
    def defined(self, name: str) -> bool:
        """`defined("x")` instead of `"x" in globals()`: true if x is task data or assigned."""
        if not isinstance(name, str) or name.startswith("_") or name not in self.namespace:
            return False
        value = self.namespace[name]
        return self._allowed.get(id(value)) is not value

    def str_(self, value: Any = "") -> str:
        return str(self.fmt(value))

    def round_(self, number: Any, ndigits: int | None = None) -> Any:
        if isinstance(ndigits, int) and abs(ndigits) > MAX_ROUND_DIGITS:
            raise SandboxViolation("sandbox.limit_digits", limit=MAX_ROUND_DIGITS)
        return round(number, ndigits)

    def _key(self, kwargs: dict[str, Any]) -> None:
        key = kwargs.get("key")
        if key is not None:
            self.check_callable("key", key)

    def _compared(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Any]:
        self._key(kwargs)
        items = self.collect(args[0]) if len(args) == 1 else list(args)
        self.deep(items)
        return items

    def min_(self, *args: Any, **kwargs: Any) -> Any:
        return min(self._compared(args, kwargs), **kwargs)

    def max_(self, *args: Any, **kwargs: Any) -> Any:
        return max(self._compared(args, kwargs), **kwargs)

    def sum_(self, iterable: Iterable[Any], start: Any = 0) -> Any:
        if not isinstance(start, Number):
            raise SandboxViolation("sandbox.sum_start")
        return sum(self.collect(iterable), start)

    def sorted_(self, iterable: Iterable[Any], *, key: Any = None, reverse: bool = False) -> list[Any]:
        self._key({"key": key})
        items = self.collect(iterable)
        self.deep(items, factor=max(1, len(items).bit_length()))
        return sorted(items, key=key, reverse=reverse)

    def any_(self, iterable: Iterable[Any]) -> bool:
        return any(self._counted(iter(iterable), loop=False))

    def all_(self, iterable: Iterable[Any]) -> bool:
        return all(self._counted(iter(iterable), loop=False))

    def list_(self, iterable: Iterable[Any] = ()) -> list[Any]:
        return self.collect(iterable)

    def tuple_(self, iterable: Iterable[Any] = ()) -> tuple[Any, ...]:
        return tuple(self.collect(iterable))

    def set_(self, iterable: Iterable[Any] = ()) -> set[Any]:
        items = self.collect(iterable)
        self.deep(items)
        return set(items)

    def dict_(self, *args: Any, **kwargs: Any) -> dict[Any, Any]:
        if args and not isinstance(args[0], Mapping):
            args = (self.collect(args[0]), *args[1:])
            self.deep(args[0])
        elif args:
            self.check_size(len(args[0]))
            self.charge(len(args[0]) + 1)
        return dict(*args, **kwargs)

    def range_(self, *args: int) -> range:
        numbers = range(*args)
        try:
            size = len(numbers)
        except OverflowError:
            size = MAX_RANGE + 1
        if size > MAX_RANGE:
            raise SandboxViolation("sandbox.limit_range", limit=MAX_RANGE)
        return numbers
