"""Database connections: SQLite (embedded default) or PostgreSQL, chosen by one URL.

SQLite runs in WAL mode so that readers never wait for a writer, and write sessions open with
BEGIN IMMEDIATE so that two writers queue on the database lock instead of one failing half
way with "database is locked".  That needs pysqlite's own transaction handling switched off
(SQLAlchemy's documented recipe), and two engines on the same file: one whose transactions
begin DEFERRED (pages that only read) and one whose transactions begin IMMEDIATE (requests
that change state).  PostgreSQL needs neither: writers take row locks (SELECT ... FOR UPDATE).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_engine(url: str, *, immediate: bool, echo: bool = False) -> Engine:
    engine = create_engine(url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def normalise_url(url: str) -> str:
    """Accept the plain postgresql:// URLs people copy from elsewhere and use psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


class Database:
    """The two session factories of one database: read and write."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = normalise_url(url)
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            if ":memory:" in self.url or self.url in ("sqlite://", "sqlite:///"):
                raise ValueError("Lontar needs a SQLite file (WAL mode), not an in-memory database")
            self.write_engine = _sqlite_engine(self.url, immediate=True, echo=echo)
            self.read_engine = _sqlite_engine(self.url, immediate=False, echo=echo)
        else:
            self.write_engine = create_engine(self.url, echo=echo, pool_pre_ping=True, pool_size=10)
            self.read_engine = self.write_engine
        self._write = sessionmaker(self.write_engine, expire_on_commit=False)
        self._read = sessionmaker(self.read_engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.write_engine.dialect.name

    def session(self, *, write: bool = True) -> Session:
        return (self._write if write else self._read)()

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """One unit of work: commit on success, roll back on any exception."""
        session = self.session(write=write)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()
