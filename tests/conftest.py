"""Fixtures: every database test runs on SQLite and, when LONTAR_TEST_DATABASE_URL is set, on
PostgreSQL.  In CI (CI=true) a missing PostgreSQL or Chromium fails the run instead of
skipping, so a green CI means both were really exercised.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from engine import migrate
from engine.db import Database
from engine.demo import load_demo
from engine.models import Base, User
from engine.runtime import EngineConfig, WorkflowEngine
from forms.library import FormLibrary

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
NOTA_DINAS = REPO / "processes" / "nota_dinas.bpmn"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI: what CI promises to run must run."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI but unavailable: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = Database(f"sqlite:///{path}")
    migrate.upgrade(database)
    database.dispose()  # the last connection to close checkpoints the WAL into the file
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    url = os.environ.get("LONTAR_TEST_DATABASE_URL")
    if not url:
        yield None
        return
    database = Database(url)
    with database.write_engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(database)
    database.dispose()
    yield url


def _truncate(database: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with database.write_engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        target = tmp_path / "lontar.db"
        shutil.copy(sqlite_template, target)
        db = Database(f"sqlite:///{target}")
    else:
        url = request.getfixturevalue("postgres_url")
        require(url is not None, "LONTAR_TEST_DATABASE_URL is not set (PostgreSQL tests)")
        db = Database(url)
        _truncate(db)
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def form_library() -> FormLibrary:
    return FormLibrary()


@pytest.fixture
def engine(form_library: FormLibrary) -> WorkflowEngine:
    from webapp.formkeys import form_exists

    return WorkflowEngine(form_exists=form_exists(form_library), config=EngineConfig(max_task_repeats=250))


@pytest.fixture
def org(database: Database) -> Database:
    """The demo organisation loaded (positions held from 2026-01-01)."""
    with database.transaction() as session:
        load_demo(session, password="pw-test")
    return database


@pytest.fixture
def deployed(org: Database, engine: WorkflowEngine) -> Database:
    from engine.audit import Actor

    with org.transaction() as session:
        engine.registry.deploy(session, NOTA_DINAS.read_bytes(), actor=Actor(None, "test"), filename="nota_dinas.bpmn")
    return org


def user(session, username: str) -> User:  # type: ignore[no-untyped-def]
    return session.scalars(select(User).where(User.username == username)).one()
