"""Lontar's web shell: it presents what the engine decides and holds no business rule.

`create_app()` wires the database, the engine, the form library, login, CSRF and the
blueprints.  Tests pass settings in; the CLI and gunicorn read them from the environment.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from engine.db import Database
from engine.runtime import WorkflowEngine
from webapp.config import Settings
from webapp.engine_factory import build_engine, register_listeners


def create_app(settings: Settings | None = None, *, engine: WorkflowEngine | None = None) -> Flask:
    from forms.library import FormLibrary
    from webapp import auth, dbsession, errors, i18n, security, views
    from webapp.formats import init_app as init_formats
    from webapp.views import notifications as notifications_view

    settings = settings or Settings.from_env()
    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes + 512 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=None,
        LONTAR_DEFAULT_LANG=settings.default_lang,
        LONTAR_SETTINGS=settings,
    )
    database = Database(settings.database_url)
    library = FormLibrary()
    app.extensions["lontar.forms"] = library
    # The same factory as `lontar worker`, so both run the same listeners (an engine a test
    # passes in gets them too).  Never start threads here: gunicorn imports this in every web
    # process; `lontar run` adds the in-process worker itself.
    if engine is None:
        engine = build_engine(settings, library)
    else:
        register_listeners(engine, settings)
    app.extensions["lontar.engine"] = engine
    app.context_processor(notifications_view.badge)
    dbsession.init_app(app, database)
    security.init_app(app)
    i18n.init_app(app)
    init_formats(app)
    auth.init_app(app)
    errors.init_app(app)
    views.init_app(app)
    return app
