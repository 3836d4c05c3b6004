"""The one way Lontar runs designer-written Python: conditions, scripts, timers, DMN cells.

SpiffWorkflow's default environment is plain `eval`/`exec` with full builtins (research
§4.1), and a diagram is written by people we do not fully trust.  Everything it evaluates
goes through `make_script_engine()`, whose environment checks the text against a whitelist
(`engine.sandbox_check`), then runs the rewritten code with empty builtins and metered guards
(`engine.sandbox_runtime`), so a refusal happens at deploy time where possible and a runaway
script stops itself without a timer.  Camunda's JUEL conditions (`${...}`) are translated
first, so diagrams from Camunda Modeler need no edit.

Designers test for an optional variable with `defined("revision")` (there is no
`globals()`): `revision = revision + 1 if defined("revision") else 1`.
"""

from __future__ import annotations

import copy
import traceback
import types
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import BasePythonScriptEngineEnvironment, PythonScriptEngine
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine import messages, sandbox_check
from engine.errors import SandboxViolation
from engine.juel import is_juel, juel_to_python
from engine.sandbox_check import check_script, compile_checked
from engine.sandbox_cost import deep_cost
from engine.sandbox_runtime import MAX_SIZE, BoundMethod, Runtime

__all__ = [
    "SandboxEnvironment",
    "SandboxScriptEngine",
    "check_expression",
    "check_script",
    "evaluate",
    "execute",
    "make_script_engine",
]

messages.register(
    {
        "sandbox.unstorable": (
            "Ditolak: variabel '{name}' berisi {type} yang tidak dapat disimpan; ubah dulu, misalnya "
            "dengan list(...).",
            "Refused: variable '{name}' holds a {type}, which cannot be stored; convert it first, "
            "e.g. with list(...).",
        ),
        "sandbox.too_large_to_store": (
            "Ditolak: variabel '{name}' terlalu besar untuk disimpan (data proses paling banyak {limit} elemen).",
            "Refused: variable '{name}' is too large to store (process data holds at most {limit} items).",
        ),
        "sandbox.bad_function_name": (
            "Nama fungsi '{name}' tidak sah untuk skrip.",
            "'{name}' is not a valid function name for scripts.",
        ),
    }
)

_UNSTORABLE = (
    types.GeneratorType, types.ModuleType, range, enumerate, zip, BoundMethod, bytes, bytearray,
    type({}.keys()), type({}.values()), type({}.items()),
)  # fmt: skip
_JSON_KEYS = (str, int, float, bool, type(None))


def _namespace(data: Mapping[str, Any], extra: Mapping[str, Any], rt: Runtime) -> dict[str, Any]:
    """Functions, then helpers, then task data (data wins, as in Spiff), then the guards."""
    ns: dict[str, Any] = dict(rt.functions)
    ns.update(extra)
    ns.update(data)
    ns.update(rt.guards)
    ns["__builtins__"] = {}
    rt.allow(extra)
    rt.namespace = ns
    return ns


def check_expression(src: str) -> None:
    """Refuse at deploy time what `evaluate` would refuse; JUEL (`${...}`) included."""
    if is_juel(src):
        juel_to_python(src)
    else:
        sandbox_check.check_expression(src)


def evaluate(src: str, data: Mapping[str, Any], extra: Mapping[str, Any] | None = None) -> Any:
    """Value of a condition or expression; the expression cannot change `data`."""
    code = compile_checked(juel_to_python(src) if is_juel(src) else src, "eval")
    result = eval(code, _namespace(data, extra or {}, Runtime()))  # noqa: S307 - checked and guarded
    if deep_cost(result, MAX_SIZE) > MAX_SIZE:  # DMN outputs and MI collections end up in task data
        raise SandboxViolation("sandbox.limit_size", limit=MAX_SIZE)
    return result


def _storable(name: str, value: Any, budget: int) -> int:
    """Refuse what Spiff's serializer would choke on later, far from the script that made it.

    The walk counts shared references every time, as JSON does, so a value that is small in
    memory but huge once written out (`x = [x, x]` in a loop) is refused here.  Returns what
    is left of `budget`.
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if callable(item) or isinstance(item, _UNSTORABLE) or hasattr(type(item), "__next__"):
            raise SandboxViolation("sandbox.unstorable", name=name, type=type(item).__name__)
        if isinstance(item, dict):
            budget -= 2 * len(item)
            bad_key = next((k for k in item if not isinstance(k, _JSON_KEYS)), None)
            if bad_key is not None:
                raise SandboxViolation("sandbox.unstorable", name=name, type=f"{type(bad_key).__name__} key")
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            budget -= len(item)
            stack.extend(item)
        budget -= 1 + (len(item) // 16 if isinstance(item, str | bytes) else 0)
        if budget < 0:
            raise SandboxViolation("sandbox.too_large_to_store", name=name, limit=MAX_SIZE)
    return budget


def execute(src: str, data: dict[str, Any], extra: Mapping[str, Any] | None = None) -> None:
    """Run a script on a copy of `data` and write back its variables only if it succeeds.

    The copy makes a failed script change nothing, even through `items.append(...)`.
    Functions are dropped, like Spiff does; generators, views, bytes and dicts with non-text
    keys are refused with a message, because they would break the serializer later, far from
    the script that made them.
    """
    extra = extra or {}
    code = compile_checked(src, "exec")
    rt = Runtime()
    ns = _namespace(copy.deepcopy(dict(data)), extra, rt)
    exec(code, ns)  # noqa: S102 - checked and guarded
    updates: dict[str, Any] = {}
    ns_removed: list[str] = []
    budget = MAX_SIZE
    for key, value in ns.items():
        if key == "__builtins__" or key.startswith("__lontar"):
            continue
        if callable(value):  # Spiff drops functions from task data too
            if key in data:
                ns_removed.append(key)
            continue
        if key in extra and key not in data:  # external context stays outside, as in Spiff
            continue
        budget = _storable(key, value, budget)
        updates[key] = value
    removed = [key for key in data if key not in ns] + ns_removed
    data.update(updates)
    for key in removed:
        del data[key]


class SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """Spiff's environment interface over `evaluate`/`execute`; `globals` are the helpers."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]] | None = None) -> None:
        functions = dict(functions or {})
        for name, func in functions.items():
            if not name.isidentifier() or name.startswith("_") or not callable(func):
                raise SandboxViolation("sandbox.bad_function_name", name=name)
        super().__init__(functions)

    def _extra(self, external_context: Mapping[str, Any] | None) -> dict[str, Any]:
        return {**self.globals, **(external_context or {})}

    def evaluate(
        self, expression: str, context: Mapping[str, Any], external_context: Mapping[str, Any] | None = None
    ) -> Any:
        return evaluate(expression, context, self._extra(external_context))

    def execute(
        self, script: str, context: dict[str, Any], external_context: Mapping[str, Any] | None = None
    ) -> bool:
        execute(script, context, self._extra(external_context))
        return True


def _describe(err: BaseException) -> str:
    return str(err) if isinstance(err, SandboxViolation) else f"{type(err).__name__}: {err}"


class SandboxScriptEngine(PythonScriptEngine):
    """Spiff's engine, with error reports that say why and never crash on odd exceptions.

    Upstream's `evaluate` drops the cause from the message, `create_task_exec_exception` fails
    on `KeyError(1)` (non-string args) and on `SyntaxError(lineno=None)`, and `call_service`
    refers to an undefined name on error (research §4.2).
    """

    def evaluate(self, task: Any, expression: str, external_context: Mapping[str, Any] | None = None) -> Any:
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except SpiffWorkflowException as exc:
            exc.add_note(f"Error evaluating expression '{expression}'")
            raise
        except Exception as exc:
            msg = f"Error evaluating expression '{expression}': {_describe(exc)}"
            raise WorkflowTaskException(msg, task=task, exception=exc) from exc

    def execute(self, task: Any, script: str, external_context: Mapping[str, Any] | None = None) -> Any:
        try:
            return self.environment.execute(script, task.data, external_context or {})
        except Exception as exc:
            self._reraise(task, script, exc)

    def call_service(self, task: Any, **kwargs: Any) -> Any:
        try:
            return self.environment.call_service(task.data, **kwargs)
        except Exception as exc:
            self._reraise(task, "", exc)

    def _reraise(self, task: Any, script: str, exc: Exception) -> NoReturn:
        wrapped = self.create_task_exec_exception(task, script, exc)
        if wrapped is exc:
            raise exc
        raise wrapped from exc

    def create_task_exec_exception(self, task: Any, script: str, err: Exception) -> Exception:
        line_number, error_line = self.get_error_line_number_and_content(script, err)
        if isinstance(err, SpiffWorkflowException):
            err.line_number, err.error_line = line_number, error_line
            err.add_note(f"Python script error on line {line_number}: '{error_line}'")
            return err
        return WorkflowTaskException(
            _describe(err), task=task, exception=err, line_number=line_number, error_line=error_line
        )

    def get_error_line_number_and_content(self, script: str, err: BaseException) -> tuple[int, str]:
        line = getattr(err, "lineno", None) if isinstance(err, SyntaxError | SandboxViolation) else None
        if not line:
            for frame in traceback.extract_tb(err.__traceback__):
                if frame.filename == "<string>":
                    line = frame.lineno
        lines = script.splitlines()
        line = line or 0
        return line, lines[line - 1] if 0 < line <= len(lines) else ""


def make_script_engine(functions: Mapping[str, Callable[..., Any]] | None = None) -> PythonScriptEngine:
    """The only script engine a workflow gets, also after loading it from storage.

    `functions` are the application's helpers (`now`, `today`, ...) that scripts may call.
    """
    return SandboxScriptEngine(environment=SandboxEnvironment(functions))
