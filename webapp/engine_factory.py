"""The one place the workflow engine is built, for the web app and the worker alike.

Both must run the same step listeners (notifications, letters' effects, ...): a timer fired
by the worker has to notify people exactly as a task completed in the browser does.  So
create_app and `lontar worker` both call `build_engine`, and listeners are registered in
`register_listeners`, never in one of them only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.runtime import EngineConfig, WorkflowEngine
from webapp.config import Settings

if TYPE_CHECKING:
    from forms.library import FormLibrary


def register_listeners(engine: WorkflowEngine, settings: Settings) -> None:
    """Attach the step listeners every Lontar engine runs (in the step's transaction).

    Features add theirs here.  Every call must be idempotent: create_app also calls this on
    an engine a test passes in, and one test engine may serve two apps.
    """
    from engine import letter_flows, notifications

    # Every step tells the people its new tasks reach; e-mail copies only when SMTP is set up.
    notifications.install(engine, email=settings.smtp is not None)
    # The letter diagrams' effects: disposition branches, statuses, reminders, escalations.
    letter_flows.install(engine)


def build_engine(settings: Settings, library: FormLibrary | None = None) -> WorkflowEngine:
    """The engine with the form library's keys, the Pemda's zone and every listener."""
    if library is None:
        from forms.library import FormLibrary

        library = FormLibrary()
    from webapp.formkeys import form_exists

    engine = WorkflowEngine(
        form_exists=form_exists(library),
        config=EngineConfig(max_task_repeats=settings.max_task_repeats, zone=settings.zone),
    )
    register_listeners(engine, settings)
    return engine
