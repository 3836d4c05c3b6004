"""Wiring of the letter flows into an engine: the step listener that carries out the effects
the letter diagrams name (branches, statuses, reminders, escalations).

One function, called by the web app, the worker and the tests alike, so that all three run
the same effects after a step.  Notifications have their own (engine.notifications.install).
"""

from __future__ import annotations

from engine.runtime import WorkflowEngine

LETTER_PROCESSES = ("surat_masuk", "disposisi")


def install(engine: WorkflowEngine) -> WorkflowEngine:
    """Add the disposition effects listener once (idempotent), after the notification listener:
    an effect turns the "new task" notice its step made into the letter's own notice."""
    from engine import disposition_effects

    if disposition_effects.on_step not in engine.listeners:
        engine.listeners.append(disposition_effects.on_step)
    return engine
