"""The real Lontar app served over HTTP from a background thread, for tests that drive a browser.

`werkzeug.serving.make_server` on 127.0.0.1 and port 0 (the kernel picks a free port), threaded
so that the page, its stylesheets and a download can be served at the same time.  Use it as a
context manager; leaving it shuts the server down, joins the thread and closes the database.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from types import TracebackType

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from engine.runtime import WorkflowEngine
from webapp import create_app
from webapp.config import Settings


class LiveServer:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._log_level = logging.NOTSET

    @classmethod
    def for_database(cls, database_url: str, engine: WorkflowEngine, instance: Path) -> LiveServer:
        instance.mkdir(parents=True, exist_ok=True)
        settings = Settings(instance_path=instance, database_url=database_url, secret_key="live-server-test")
        return cls(create_app(settings, engine=engine))

    @property
    def url(self) -> str:
        assert self._server is not None, "the server is not running"
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> LiveServer:
        # One line per request on stderr is noise in a test run; errors still reach the log.
        log = logging.getLogger("werkzeug")
        self._log_level = log.level
        log.setLevel(logging.WARNING)
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, name="lontar-live-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.app.extensions["lontar.db"].dispose()
        logging.getLogger("werkzeug").setLevel(self._log_level)
        self._server = self._thread = None

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
