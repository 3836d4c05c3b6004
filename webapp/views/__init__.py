"""Blueprints of the pages people use: inbox, tasks, starting a process, instances, notifications."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from webapp.views import (
        agenda_export,
        dashboard,
        files,
        inbox,
        instances,
        letter_lists,
        letter_pdf,
        letters,
        letters_tracking,
        notifications,
        processes,
        task_actions,
        tasks,
        verify,
    )

    for module in (inbox, tasks, task_actions, processes, instances, files, notifications, letters, letter_lists,
                   agenda_export, letters_tracking, dashboard, letter_pdf, verify):
        app.register_blueprint(module.bp)

    from webapp import admin  # the admin pages (/admin) and "Delegasi saya" (/delegations)

    admin.init_app(app)
