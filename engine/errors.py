"""Domain exceptions: what can go wrong, in words a user can be shown.

The web layer maps each class to an HTTP status (`http_status`) and renders
`exc.message(lang)`.  The engine never returns half-done work: every one of these is raised
before anything is flushed, or the caller's transaction is rolled back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine import messages

messages.register(
    {
        "error.not_found": ("Data tidak ditemukan.", "Not found."),
        "error.not_allowed": ("Anda tidak berhak melakukan ini.", "You are not allowed to do this."),
        "error.task_already_completed": (
            "Tugas ini sudah diselesaikan oleh {name}.",
            "This task was already completed by {name}.",
        ),
        "error.task_not_ready": (
            "Tugas ini tidak sedang menunggu tindakan.",
            "This task is not waiting for action.",
        ),
        "error.concurrent_update": (
            "Data ini baru saja diubah oleh orang lain. Muat ulang halaman dan coba lagi.",
            "Someone else changed this just now. Reload the page and try again.",
        ),
        "error.instance_finished": (
            "Proses ini sudah selesai atau dibatalkan.",
            "This process has already finished or was cancelled.",
        ),
        "error.loop_limit": (
            "Tugas '{task}' sudah diulang {count} kali, melebihi batas {limit}. "
            "Hubungi admin untuk menaikkan batas atau membatalkan proses.",
            "Task '{task}' has been repeated {count} times, over the limit of {limit}. "
            "Ask an admin to raise the limit or cancel the process.",
        ),
        "error.invalid_diagram": (
            "Diagram BPMN tidak valid: {summary}",
            "The BPMN diagram is not valid: {summary}",
        ),
        "error.unknown_process": (
            "Proses '{key}' belum dipasang.",
            "Process '{key}' is not deployed.",
        ),
        "error.form_invalid": ("Isian formulir belum benar.", "The form has errors."),
        "error.engine_failure": (
            "Langkah '{task}' gagal dijalankan: {detail}",
            "Step '{task}' failed: {detail}",
        ),
        "error.sandbox": ("Ekspresi ditolak: {detail}", "Expression refused: {detail}"),
    }
)


class LontarError(Exception):
    """Base of every domain error.  `key` names the message, `params` fill it in."""

    key = "error.not_found"
    http_status = 400

    def __init__(self, key: str | None = None, **params: Any) -> None:
        if key is not None:
            self.key = key
        self.params = params
        super().__init__(self.message())

    def message(self, lang: str = messages.DEFAULT_LANG) -> str:
        return messages.text(self.key, lang, **self.params)


class NotFound(LontarError):
    key = "error.not_found"
    http_status = 404


class NotAllowed(LontarError):
    key = "error.not_allowed"
    http_status = 403


class Conflict(LontarError):
    """The request came too late or collided with another one; nothing was changed."""

    http_status = 409


class TaskAlreadyCompleted(Conflict):
    key = "error.task_already_completed"


class TaskNotReady(Conflict):
    key = "error.task_not_ready"


class ConcurrentUpdate(Conflict):
    key = "error.concurrent_update"


class InstanceFinished(Conflict):
    key = "error.instance_finished"


class LoopLimitExceeded(Conflict):
    key = "error.loop_limit"


class EngineFailure(LontarError):
    """A script, gateway or service step failed while running the diagram."""

    key = "error.engine_failure"
    http_status = 422


class UnknownProcess(LontarError):
    key = "error.unknown_process"
    http_status = 404


class SandboxViolation(LontarError):
    """An expression or script uses something outside the whitelist."""

    key = "error.sandbox"
    http_status = 422


@dataclass(frozen=True)
class Problem:
    """One finding about a diagram: which element, what is wrong, how bad."""

    element_id: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = "error"  # "error" refuses deploy, "warning" may be accepted

    def message(self, lang: str = messages.DEFAULT_LANG) -> str:
        return messages.text(self.key, lang, **self.params)


class InvalidDiagram(LontarError):
    """A BPMN file that must not be deployed; `problems` names the elements."""

    key = "error.invalid_diagram"
    http_status = 422

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        summary = "; ".join(f"{p.element_id}: {p.message()}" for p in problems[:5])
        super().__init__(summary=summary)

    def message(self, lang: str = messages.DEFAULT_LANG) -> str:
        summary = "; ".join(f"{p.element_id}: {p.message(lang)}" for p in self.problems[:5])
        return messages.text(self.key, lang, summary=summary)


class InvalidInput(LontarError):
    """A value a person typed or chose is not acceptable; `field` names where to show it."""

    http_status = 422

    def __init__(self, key: str, field: str | None = None, **params: Any) -> None:
        self.field = field
        super().__init__(key, **({"field": field} | params))
