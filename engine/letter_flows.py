"""Wiring of the letter flows into an engine: the step listeners every process needs.

One function, called by the web app, the worker and the tests alike, so that all three run
the same effects and notifications after a step.
"""

from __future__ import annotations

from engine.runtime import WorkflowEngine

LETTER_PROCESSES = ("surat_masuk", "disposisi")


def install(engine: WorkflowEngine) -> WorkflowEngine:
    """Add the notification and disposition listeners once (idempotent)."""
    from engine import disposition_effects, notifications

    for listener in (notifications.on_step, disposition_effects.on_step):
        if listener not in engine.listeners:
            engine.listeners.append(listener)
    return engine
