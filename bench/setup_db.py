"""Fresh databases for the benchmark: PostgreSQL's `lontar_bench`, schema, demo organisation, deploy."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import timedelta

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from bench.common import NOTA_DINAS
from engine import migrate
from engine.audit import Actor
from engine.db import Database, normalise_url
from engine.demo import load_demo
from engine.runtime import EngineConfig, WorkflowEngine

PG_BENCH_DB = "lontar_bench"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


# -- PostgreSQL: our own database on the local server ------------------------------------------
class Postgres:
    """Creates and drops the database `lontar_bench` with psql (trust auth on 127.0.0.1)."""

    def __init__(self, url: str) -> None:
        parsed = make_url(normalise_url(url))
        self.host = parsed.host or "127.0.0.1"
        if self.host not in LOCAL_HOSTS:
            raise SystemExit(f"refusing PostgreSQL on {self.host}: this benchmark only talks to 127.0.0.1")
        self.port = parsed.port or 5432
        self.user = parsed.username or "postgres"
        self.password = parsed.password
        self.url = parsed.set(host=self.host, port=self.port, username=self.user,
                              database=PG_BENCH_DB).render_as_string(hide_password=False)
        self.created = False

    def psql(self, sql: str) -> str:
        """Run one statement in the maintenance database `postgres` (psql, else SQLAlchemy)."""
        if shutil.which("psql") is None:
            maintenance = make_url(self.url).set(database="postgres")
            engine = create_engine(maintenance, isolation_level="AUTOCOMMIT")
            try:
                with engine.connect() as connection:
                    result = connection.exec_driver_sql(sql)
                    return str(result.scalar()) if result.returns_rows else ""
            finally:
                engine.dispose()
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = str(self.password)
        done = subprocess.run(
            ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", self.host, "-p", str(self.port),
             "-U", self.user, "-d", "postgres", "-c", sql],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"psql failed ({sql}): {done.stderr.strip()}")
        return done.stdout.strip()

    def recreate(self) -> str:
        self.psql(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
        self.psql(f"CREATE DATABASE {PG_BENCH_DB}")
        self.created = True
        return self.url

    def drop(self) -> None:
        if self.created:
            self.psql(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
            self.created = False

    def server_version(self) -> str:
        return self.psql("SHOW server_version")


# -- the Lontar engine and its database ---------------------------------------------------------
def make_engine() -> WorkflowEngine:
    from forms.library import FormLibrary

    library = FormLibrary()
    # 100 returns need more than the web default of 100 repeats of one task
    return WorkflowEngine(form_exists=lambda key: key in library, config=EngineConfig(max_task_repeats=250))


def prepare_database(url: str, engine: WorkflowEngine) -> Database:
    """Schema at head, demo organisation (password DEMO_PASSWORD), nota_dinas deployed."""
    db = Database(url)
    migrate.upgrade(db)
    with db.transaction() as session:
        load_demo(session, today=engine.clock.today() - timedelta(days=1))
        outcome = engine.registry.deploy(session, NOTA_DINAS.read_bytes(), actor=Actor(None, "bench"),
                                         filename="nota_dinas.bpmn")
        if outcome.version.key != "nota_dinas":
            raise AssertionError(f"deployed {outcome.version.key}, expected nota_dinas")
    return db

