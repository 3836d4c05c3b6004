"""How long does completing one task of the nota dinas flow take, and does it stay that way?

Prints figures (it is not a test): time per completion in bare SpiffWorkflow, in Lontar's
engine on SQLite and PostgreSQL, and through HTTP against a real server; SQL statements per
completion; and the cost of a completion after 0, 20 and 100 returns in one instance, with
and without loop folding (engine/compaction.py).  Every loop is bounded, every wait has a
timeout, and all network traffic goes to 127.0.0.1.  See bench/README.md.

    .venv/bin/python bench/bench_completion.py [--quick] [--pg URL] [--no-http]
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import http.cookiejar
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import create_engine, event, select
from sqlalchemy.engine import make_url

from engine import migrate
from engine.audit import Actor
from engine.bpmn_parser import build_specs
from engine.compaction import DEEP, compact_loops
from engine.db import Database, normalise_url, sqlite_url
from engine.demo import DEMO_PASSWORD, load_demo
from engine.models import HumanTask, ProcessInstance, User
from engine.organisation import positions_of, skpd_of
from engine.runtime import EngineConfig, StepResult, WorkflowEngine
from engine.sandbox import make_script_engine
from engine.serialization import SERIALIZER_VERSION, dump_state, load_state, spec_dict

REPO = Path(__file__).resolve().parents[1]
_T = TypeVar("_T")
NOTA_DINAS = REPO / "processes" / "nota_dinas.bpmn"
PG_BENCH_DB = "lontar_bench"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
TRANSACTION_CONTROL = re.compile(r"^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)
HTTP_TIMEOUT_S = 30
SERVER_READY_TIMEOUT_S = 40

DRAFT = {"tujuan": "Kepala Dinas Komunikasi dan Informatika", "perihal": "Rapat koordinasi", "isi": "Mohon hadir."}
APPROVE = {"keputusan": "setujui", "catatan": ""}
# (who acts, what they submit, the task they complete) for one pass through the flow
STEPS = (("budi", DRAFT, "susun"), ("sari", APPROVE, "periksa_atasan"), ("agus", APPROVE, "setujui_kepala"))
STEP_LABEL = {"susun": "draft", "periksa_atasan": "review", "setujui_kepala": "kepala"}


def give_back(round_no: int) -> dict[str, str]:
    return {"keputusan": "kembalikan", "catatan": f"Perbaiki paragraf kedua (putaran {round_no})"}


@dataclass(frozen=True)
class Sizes:
    spiff_instances: int  # (a)
    engine_instances: int  # (b), (c)
    http_instances: int  # (d), per database
    rounds_per_checkpoint: int  # part 3: draft+return rounds timed at each checkpoint
    checkpoints: tuple[int, ...] = (0, 20, 100)


FULL = Sizes(spiff_instances=2000, engine_instances=400, http_instances=200, rounds_per_checkpoint=15)
QUICK = Sizes(spiff_instances=60, engine_instances=15, http_instances=8, rounds_per_checkpoint=5)


# -- small helpers ----------------------------------------------------------------------------
def progress(message: str) -> None:
    print(f"  .. {message}", file=sys.stderr, flush=True)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000 if samples else math.nan


def p95_ms(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] * 1000


def fmt_ms(value: float) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def fmt_bytes(value: int | None) -> str:
    if value is None:
        return "-"
    return f"{value / 1024:.1f}k" if value >= 10_000 else str(value)


def task_count(state: str) -> int:
    """Tasks in the stored SpiffWorkflow tree (main process)."""
    return len(json.loads(state)["tasks"])


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


@dataclass
class Timings:
    """Completion times (seconds) and SQL statement counts, per step of the flow."""

    by_step: dict[str, list[float]] = field(default_factory=dict)
    statements: dict[str, list[int]] = field(default_factory=dict)
    note: str = ""

    def add(self, step: str, seconds: float, statements: int | None = None) -> None:
        self.by_step.setdefault(step, []).append(seconds)
        if statements is not None:
            self.statements.setdefault(step, []).append(statements)

    @property
    def all(self) -> list[float]:
        return [s for samples in self.by_step.values() for s in samples]


# -- counting SQL statements ------------------------------------------------------------------
class StatementCounter:
    """Counts what goes through `before_cursor_execute` on a Database's engines, when on."""

    def __init__(self, db: Database) -> None:
        self.engines = [db.write_engine] + ([db.read_engine] if db.read_engine is not db.write_engine else [])
        self.active = False
        self.count = 0
        self.control = 0
        self.seen: list[str] = []
        for engine in self.engines:
            event.listen(engine, "before_cursor_execute", self._on_execute)

    def _on_execute(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if not self.active:
            return
        flat = " ".join(statement.split())
        if TRANSACTION_CONTROL.match(flat):
            self.control += 1  # SQLite's BEGIN IMMEDIATE (engine/db.py); psycopg's BEGIN is implicit
            return
        self.count += 1
        self.seen.append(flat[:120] + (" ... FOR UPDATE" if flat.endswith("FOR UPDATE") else ""))

    @contextlib.contextmanager
    def counting(self) -> Iterator[None]:
        self.count, self.control, self.seen, self.active = 0, 0, [], True
        try:
            yield
        finally:
            self.active = False

    def close(self) -> None:
        for engine in self.engines:
            event.remove(engine, "before_cursor_execute", self._on_execute)


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


# -- (a) bare SpiffWorkflow ------------------------------------------------------------------
class BareSpiff:
    """The nota dinas spec parsed once; workflows run with Lontar's sandboxed script engine."""

    def __init__(self) -> None:
        self.spec, self.subprocess_specs = build_specs(NOTA_DINAS.read_bytes(), "nota_dinas")
        self.script_engine = make_script_engine()
        self.spec_dict = spec_dict(self.new())

    def new(self) -> BpmnWorkflow:
        workflow = BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=self.script_engine)
        workflow.do_engine_steps()
        return workflow

    def load(self, state: str) -> BpmnWorkflow:
        workflow = load_state(state, self.spec_dict, SERIALIZER_VERSION)
        workflow.script_engine = self.script_engine
        return workflow

    @staticmethod
    def ready(workflow: BpmnWorkflow, bpmn_id: str) -> Any:
        ready = workflow.get_tasks(state=TaskState.READY, manual=True, max_depth=DEEP)
        if len(ready) != 1 or ready[0].task_spec.bpmn_id != bpmn_id:
            raise AssertionError(f"expected {bpmn_id} ready, got {[t.task_spec.bpmn_id for t in ready]}")
        return ready[0]


def bench_spiff(spiff: BareSpiff, instances: int) -> Timings:
    """Time task.data.update + task.run() + do_engine_steps() per user task (lookup not timed)."""
    timings = Timings()
    for number in range(instances + 5):  # the first 5 instances warm up
        workflow = spiff.new()
        for _who, data, bpmn_id in STEPS:
            task = spiff.ready(workflow, bpmn_id)
            submitted = {**data, "perihal": f"{data['perihal']} {number}"} if bpmn_id == "susun" else data
            started = time.perf_counter()
            task.data.update(copy.deepcopy(submitted))
            task.run()
            workflow.do_engine_steps()
            elapsed = time.perf_counter() - started
            if number >= 5:
                timings.add(bpmn_id, elapsed)
        if not workflow.is_completed():
            raise AssertionError("bare SpiffWorkflow instance did not complete")
    return timings


# -- (b), (c) the Lontar engine -----------------------------------------------------------------
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


class EngineFlow:
    """Drives nota dinas through WorkflowEngine the way tests/flow.py and the views do."""

    def __init__(self, db: Database, engine: WorkflowEngine) -> None:
        self.db, self.engine = db, engine
        with db.transaction(write=False) as session:
            self.user_ids = {
                name: session.scalars(select(User.id).where(User.username == name)).one()
                for name in ("budi", "sari", "agus")
            }

    def start(self, perihal: str = "") -> tuple[int, int]:
        """A new instance started by budi; (instance id, id of budi's draft task)."""
        with self.db.transaction() as session:
            budi = session.get(User, self.user_ids["budi"])
            position = positions_of(session, budi.id, self.engine.clock.today())[0]
            result = self.engine.start(session, "nota_dinas", user=budi, unit_id=skpd_of(session, position.unit_id),
                                       position=position)
        return result.instance.id, self._next_task(result, "susun")

    def complete(self, username: str, task_id: int, data: Mapping[str, Any]) -> StepResult:
        """The timed unit: one write transaction around WorkflowEngine.complete."""
        with self.db.transaction() as session:
            result = self.engine.complete(session, task_id, user=session.get(User, self.user_ids[username]),
                                          data=data)
        if result.error:
            raise AssertionError(f"engine error: {result.error}")
        return result

    @staticmethod
    def _next_task(result: StepResult, bpmn_id: str) -> int:
        found = [t.id for t in result.new_tasks if t.bpmn_id == bpmn_id]
        if len(found) != 1:
            raise AssertionError(f"expected a new {bpmn_id} task, got {[t.bpmn_id for t in result.new_tasks]}")
        return found[0]

    def timed(self, counter: StatementCounter, username: str, task_id: int,
              data: Mapping[str, Any]) -> tuple[StepResult, float, int]:
        with counter.counting():
            started = time.perf_counter()
            result = self.complete(username, task_id, data)
            elapsed = time.perf_counter() - started
        return result, elapsed, counter.count

    def stored_state(self, instance_id: int) -> str:
        with self.db.transaction(write=False) as session:
            return session.scalars(select(ProcessInstance.state).where(ProcessInstance.id == instance_id)).one()


def bench_engine(db: Database, engine: WorkflowEngine, instances: int, show_sql: bool) -> Timings:
    flow = EngineFlow(db, engine)
    counter = StatementCounter(db)
    timings = Timings()
    try:
        for number in range(instances + 2):  # the first 2 instances warm up (spec cache, pools)
            instance_id, task_id = flow.start()
            result: StepResult | None = None
            for index, (who, data, bpmn_id) in enumerate(STEPS):
                submitted = {**data, "perihal": f"{data['perihal']} {number}"} if bpmn_id == "susun" else data
                result, elapsed, statements = flow.timed(counter, who, task_id, submitted)
                if number >= 2:
                    timings.add(bpmn_id, elapsed, statements)
                if show_sql and number == 2:
                    print(f"\n-- SQL of one '{STEP_LABEL[bpmn_id]}' completion on {db.dialect} "
                          f"({statements} statements):")
                    for line in counter.seen:
                        print(f"   {line}")
                if index + 1 < len(STEPS):
                    task_id = flow._next_task(result, STEPS[index + 1][2])
            if result is None or result.instance.status != "completed":
                raise AssertionError(f"instance {instance_id} did not complete")
    finally:
        counter.close()
    return timings


# -- part 3: returns within one instance ----------------------------------------------------------
@dataclass
class ReturnsRow:
    label: str
    ms: dict[int, float] = field(default_factory=dict)  # median ms per completion at a checkpoint
    state_bytes: dict[int, int] = field(default_factory=dict)
    tree_tasks: dict[int, int] = field(default_factory=dict)
    statements: dict[int, float] = field(default_factory=dict)
    error: str = ""


def returns_engine(label: str, db: Database, engine: WorkflowEngine, sizes: Sizes) -> ReturnsRow:
    """budi drafts, sari returns with a note, again and again; timed rounds at each checkpoint."""
    flow = EngineFlow(db, engine)
    counter = StatementCounter(db)
    row = ReturnsRow(label)
    instance_id, task_id = flow.start()
    returns = 0

    def one_round(timed: bool) -> list[tuple[float, int]]:
        nonlocal task_id, returns
        out = []
        result, elapsed, statements = flow.timed(counter, "budi", task_id, DRAFT)
        out.append((elapsed, statements))
        review_id = flow._next_task(result, "periksa_atasan")
        result, elapsed, statements = flow.timed(counter, "sari", review_id, give_back(returns + 1))
        out.append((elapsed, statements))
        task_id = flow._next_task(result, "susun")
        returns += 1
        return out if timed else []

    try:
        for checkpoint in sizes.checkpoints:
            while returns < checkpoint:
                one_round(timed=False)
            state = flow.stored_state(instance_id)
            row.state_bytes[checkpoint], row.tree_tasks[checkpoint] = len(state), task_count(state)
            samples = [s for _ in range(sizes.rounds_per_checkpoint) for s in one_round(timed=True)]
            row.ms[checkpoint] = median_ms([s for s, _ in samples])
            row.statements[checkpoint] = statistics.median([n for _, n in samples])
        # and the letter still goes through
        result = flow.complete("budi", task_id, DRAFT)
        result = flow.complete("sari", flow._next_task(result, "periksa_atasan"), APPROVE)
        result = flow.complete("agus", flow._next_task(result, "setujui_kepala"), APPROVE)
        if result.instance.status != "completed":
            raise AssertionError("the returned letter did not complete")
    finally:
        counter.close()
    return row


def returns_spiff(label: str, spiff: BareSpiff, sizes: Sizes, *, persist: bool, compact: bool) -> ReturnsRow:
    """The same loop in bare SpiffWorkflow.  persist: every completion loads the state from JSON
    and dumps it again, as any engine that stores instances must; compact: Lontar's compact_loops."""
    row = ReturnsRow(label)
    workflow = spiff.new()
    state = dump_state(workflow)
    returns = 0

    def complete(bpmn_id: str, data: Mapping[str, Any]) -> float:
        nonlocal workflow, state
        started = time.perf_counter()
        if persist:
            workflow = spiff.load(state)
        task = spiff.ready(workflow, bpmn_id)
        task.data.update(copy.deepcopy(dict(data)))
        task.run()
        workflow.do_engine_steps()
        if compact and compact_loops(workflow):
            workflow.do_engine_steps()
        if persist:
            state = dump_state(workflow)
        return time.perf_counter() - started

    def one_round() -> list[float]:
        nonlocal returns
        times = [complete("susun", DRAFT), complete("periksa_atasan", give_back(returns + 1))]
        returns += 1
        return times

    for checkpoint in sizes.checkpoints:
        while returns < checkpoint:
            one_round()
        current = state if persist else dump_state(workflow)
        row.state_bytes[checkpoint], row.tree_tasks[checkpoint] = len(current), task_count(current)
        row.ms[checkpoint] = median_ms([t for _ in range(sizes.rounds_per_checkpoint) for t in one_round()])
    for bpmn_id, data in (("susun", DRAFT), ("periksa_atasan", APPROVE), ("setujui_kepala", APPROVE)):
        complete(bpmn_id, data)
    if persist:
        workflow = spiff.load(state)
    if not workflow.is_completed():
        raise AssertionError(f"{label}: the returned letter did not complete")
    return row


# -- (d) HTTP against a running server ----------------------------------------------------------
CSRF_RE = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"')


class Browser:
    """One logged-in user: stdlib urllib with a cookie jar, no proxies, redirects not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}),  # 127.0.0.1 directly, whatever *_proxy says
            urllib.request.HTTPCookieProcessor(self.jar),
            _NoRedirect(),
        )
        self.token = ""

    def request(self, path: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> tuple[int, str, str]:
        req = urllib.request.Request(self.base + path, data=body, headers=dict(headers or {}),
                                     method="POST" if body is not None else "GET")
        try:
            with self.opener.open(req, timeout=HTTP_TIMEOUT_S) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as exc:  # 3xx/4xx/5xx land here (redirects are not followed)
            with exc:
                return exc.code, exc.headers.get("Location", ""), exc.read().decode(errors="replace")

    def post_form(self, path: str, fields: Mapping[str, str]) -> tuple[int, str, str]:
        """multipart/form-data, as the browser sends the task form (enctype in task.html)."""
        boundary = f"----lontarbench{uuid.uuid4().hex}"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in {"csrf_token": self.token, **fields}.items()
        ]
        body = ("".join(parts) + f"--{boundary}--\r\n").encode()
        return self.request(path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def post_urlencoded(self, path: str, fields: Mapping[str, str]) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(dict(fields)).encode()
        return self.request(path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def login(self, username: str, password: str) -> None:
        status, _, page = self.request("/login")
        token = _csrf(page, "/login")
        status, location, page = self.post_urlencoded(
            "/login", {"csrf_token": token, "username": username, "password": password})
        if status != 302:
            raise AssertionError(f"login of {username} failed: HTTP {status}")
        status, _, page = self.request("/start")  # logging in clears the session: a fresh token
        if status != 200:
            raise AssertionError(f"/start for {username}: HTTP {status}")
        self.token = _csrf(page, "/start")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


def _csrf(page: str, where: str) -> str:
    match = CSRF_RE.search(page)
    if match is None:
        raise AssertionError(f"no csrf_token on {where}")
    return match.group(1)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    description: str
    log_path: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own session: only what we started
                self.process.wait(timeout=5)


def start_server(kind: str, database_url: str, instance: Path) -> Server:
    port = free_port()
    env = dict(os.environ)
    env.update(
        LONTAR_INSTANCE=str(instance),
        LONTAR_DATABASE_URL=database_url,
        # one key for both workers: each would otherwise create instance/secret_key on first start
        LONTAR_SECRET_KEY=secrets.token_hex(32),
    )
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(name, None)
    if kind == "gunicorn":
        command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
                   "--log-level", "warning", "webapp:create_app()"]
        description = f"gunicorn {package_version('gunicorn')} -w 2 (sync workers)"
    else:
        command = [sys.executable, "-m", "webapp.cli", "run", "--host", "127.0.0.1", "--port", str(port)]
        description = f"werkzeug {package_version('werkzeug')} dev server (threaded, 1 process)"
    log_path = instance / f"{kind}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    server = Server(process, f"http://127.0.0.1:{port}", description, log_path)
    deadline = time.monotonic() + SERVER_READY_TIMEOUT_S
    probe = Browser(server.base)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with contextlib.suppress(OSError):
            if probe.request("/login")[0] == 200:
                return server
        time.sleep(0.2)
    server.stop()
    tail = log_path.read_text(errors="replace")[-1500:]
    raise RuntimeError(f"{kind} did not come up on {server.base}:\n{tail}")


def bench_http(database_url: str, instance: Path, instances: int, server_kind: str) -> Timings:
    """budi's draft, sari's approval, agus's approval: each POST /tasks/<id> timed end to end."""
    server = None
    failure = ""
    for kind in ("gunicorn", "werkzeug") if server_kind == "auto" else (server_kind,):
        try:
            server = start_server(kind, database_url, instance)
            break
        except RuntimeError as exc:
            failure = str(exc)
            progress(f"{kind} failed, {'trying the werkzeug dev server' if kind == 'gunicorn' else 'giving up'}")
    if server is None:
        raise RuntimeError(failure)
    reason = failure.splitlines()[0][:70] if failure else ""
    timings = Timings(note=server.description + (f" - gunicorn failed: {reason}" if failure else ""))
    lookup = Database(database_url)  # finds the next task's id (not timed), as the inbox would
    try:
        people = {name: Browser(server.base) for name in ("budi", "sari", "agus")}
        for name, browser in people.items():
            browser.login(name, DEMO_PASSWORD)

        def next_task(instance_id: int, bpmn_id: str) -> int:
            with lookup.transaction(write=False) as session:
                return session.scalars(select(HumanTask.id).where(
                    HumanTask.instance_id == instance_id, HumanTask.bpmn_id == bpmn_id,
                    HumanTask.status == "ready")).one()

        for number in range(instances + 2):  # the first 2 instances warm up the workers
            status, location, _ = people["budi"].post_urlencoded(
                "/start/nota_dinas", {"csrf_token": people["budi"].token})
            found = re.search(r"/tasks/(\d+)", location)
            if status != 302 or found is None:
                raise AssertionError(f"start: HTTP {status} -> {location!r}")
            task_id = int(found.group(1))
            with lookup.transaction(write=False) as session:
                instance_id = session.get(HumanTask, task_id).instance_id
            for index, (who, data, bpmn_id) in enumerate(STEPS):
                if index:
                    task_id = next_task(instance_id, bpmn_id)
                submitted = {**data, "perihal": f"{data['perihal']} {number}"} if bpmn_id == "susun" else data
                started = time.perf_counter()
                status, location, page = people[who].post_form(f"/tasks/{task_id}", submitted)
                elapsed = time.perf_counter() - started
                if status != 302 or location.endswith(f"/tasks/{task_id}"):
                    errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)<', page)[:3]
                    raise AssertionError(f"{who} on task {task_id}: HTTP {status} -> {location!r} {errors}")
                if number >= 2:
                    timings.add(bpmn_id, elapsed)
            with lookup.transaction(write=False) as session:
                status_now = session.get(ProcessInstance, instance_id).status
            if status_now != "completed":
                raise AssertionError(f"instance {instance_id} is {status_now} after agus approved")
    except BaseException:
        progress(f"server log {server.log_path}:\n{server.log_path.read_text(errors='replace')[-2000:]}")
        raise
    finally:
        lookup.dispose()
        server.stop()
    return timings


# -- reporting ---------------------------------------------------------------------------------
def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def machine_facts(args: argparse.Namespace, sizes: Sizes, pg_version: str | None,
                  load_at_start: str) -> list[tuple[str, str]]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        ("python", f"{platform.python_version()} ({platform.python_implementation()}) on {platform.platform()}"),
        ("cpu", f"{os.cpu_count()} logical, {usable} usable · {platform.processor() or platform.machine()}"),
        ("load avg", f"{load_at_start} at start, {load_average()} at end (1/5/15 min; other work skews figures)"),
        ("sqlite", sqlite3.sqlite_version),
        ("postgresql", pg_version or "not used"),
        ("packages", f"SpiffWorkflow {package_version('spiffworkflow')} · SQLAlchemy {package_version('sqlalchemy')}"
                     f" · psycopg {package_version('psycopg')} · Flask {package_version('flask')}"
                     f" · gunicorn {package_version('gunicorn')}"),
        ("sizes", f"{'quick' if args.quick else 'full'}: (a) {sizes.spiff_instances} instances, (b)/(c) "
                  f"{sizes.engine_instances}, (d) {sizes.http_instances} per database; returns at "
                  f"{'/'.join(map(str, sizes.checkpoints))}, {sizes.rounds_per_checkpoint} rounds timed each"),
    ]


def print_report(facts: list[tuple[str, str]], completion: list[tuple[str, Timings | str]],
                 statements: list[tuple[str, Timings | str]], returns: list[ReturnsRow], started: float) -> None:
    print()
    print(f"Lontar completion benchmark: nota dinas (draft -> review -> kepala)   "
          f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print()
    print("machine")
    for key, value in facts:
        print(f"  {key:<11} {value}")
    print()
    steps = [b for _, _, b in STEPS]
    print("1. time per task completion, ms (median per step: draft / review / kepala)")
    print(f"  {'':<44} {'n':>5} {'median':>8} {'p95':>8}   {'draft':>7} {'review':>7} {'kepala':>7}")
    for label, result in completion:
        if isinstance(result, str):
            print(f"  {label:<44} {result}")
            continue
        samples = result.all
        per_step = " ".join(f"{fmt_ms(median_ms(result.by_step.get(s, []))):>7}" for s in steps)
        print(f"  {label:<44} {len(samples):>5} {fmt_ms(median_ms(samples)):>8} {fmt_ms(p95_ms(samples)):>8}   "
              f"{per_step}")
        if result.note:
            print(f"  {'':<44} server: {result.note}")
    print()
    print("2. SQL statements per completion (before_cursor_execute on write_engine/read_engine;")
    print("   transaction control - BEGIN IMMEDIATE on SQLite, COMMIT - not counted)")
    print(f"  {'':<44} {'draft':>7} {'review':>7} {'kepala':>7} {'mean':>7}")
    for label, result in statements:
        if isinstance(result, str):
            print(f"  {label:<44} {result}")
            continue
        cells = []
        for step in steps:
            counts = result.statements.get(step, [])
            low, high = (min(counts), max(counts)) if counts else (0, 0)
            cells.append(f"{low}" if low == high else f"{low}-{high}")
        every = [n for counts in result.statements.values() for n in counts]
        mean = statistics.mean(every) if every else math.nan
        print(f"  {label:<44} " + " ".join(f"{c:>7}" for c in cells) + f" {mean:>7.1f}")
    print()
    checkpoints = sorted({c for row in returns for c in row.ms})
    head = " ".join(f"{c:>6}" for c in checkpoints)
    width = 7 * len(checkpoints) - 1
    print("3. returns within one instance (budi drafts, sari returns with a note, repeated);")
    print("   ms = median of the draft and return completions timed right after that many returns")
    print(f"  {'':<40} {'ms per completion':^{width}}|{'stored state, bytes':^{width}}|"
          f"{'tasks in tree':^{width}}|{'SQL/completion':^{width}}")
    print(f"  {'returns so far:':<40} {head} {head} {head} {head}")
    for row in returns:
        if row.error:
            print(f"  {row.label:<40} {row.error}")
            continue
        cells = [
            " ".join(f"{fmt_ms(row.ms.get(c, math.nan)):>6}" for c in checkpoints),
            " ".join(f"{fmt_bytes(row.state_bytes.get(c)):>6}" for c in checkpoints),
            " ".join(f"{row.tree_tasks.get(c, '-'):>6}" for c in checkpoints),
            " ".join(f"{(f'{row.statements[c]:.0f}' if c in row.statements else '-'):>6}" for c in checkpoints),
        ]
        print(f"  {row.label:<40} " + " ".join(cells))
    if returns and checkpoints:
        first, last = checkpoints[0], checkpoints[-1]
        print(f"  growth from {first} to {last} returns:{'':<17} {'time':>7} {'state':>7}")
        for row in returns:
            if row.ms.get(first) and row.state_bytes.get(first):
                time_x = f"x{row.ms[last] / row.ms[first]:.2f}"
                state_x = f"x{row.state_bytes[last] / row.state_bytes[first]:.2f}"
                print(f"    {row.label:<38} {time_x:>7} {state_x:>7}")
    print()
    print(f"total run time {time.perf_counter() - started:.0f} s")


# -- main ----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes: about 20 seconds")
    parser.add_argument("--pg", metavar="URL", default=os.environ.get("LONTAR_BENCH_DATABASE_URL"),
                        help="a PostgreSQL server on 127.0.0.1 (default: $LONTAR_BENCH_DATABASE_URL); "
                             f"the benchmark creates and drops its own database {PG_BENCH_DB} there")
    parser.add_argument("--no-http", action="store_true", help="skip (d), the HTTP round trips")
    parser.add_argument("--server", choices=("auto", "gunicorn", "werkzeug"), default="auto",
                        help="HTTP server for (d); auto = gunicorn, the werkzeug dev server if gunicorn fails")
    parser.add_argument("--show-sql", action="store_true", help="also print the statements of one completion")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (SQLite files, logs)")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    started = time.perf_counter()
    load_at_start = load_average()
    workdir = Path(tempfile.mkdtemp(prefix="lontar-bench-"))
    postgres = Postgres(args.pg) if args.pg else None
    pg_version = None
    completion: list[tuple[str, Timings | str]] = []
    statements: list[tuple[str, Timings | str]] = []
    returns: list[ReturnsRow] = []
    skipped = "skipped (no --pg URL / LONTAR_BENCH_DATABASE_URL)"
    failures: list[str] = []

    def attempt(label: str, run: Callable[[], _T]) -> _T | str:
        """One section; a failure is printed in its row and the others still run."""
        try:
            return run()
        except Exception as exc:  # reported in its row, and the exit status says so
            failures.append(label)
            progress(f"{label} FAILED: {type(exc).__name__}: {exc}")
            return f"FAILED: {type(exc).__name__}: {str(exc).splitlines()[0][:80] if str(exc) else ''}"

    def engine_section(url: str) -> tuple[Timings, ReturnsRow]:
        db = prepare_database(url, engine)
        try:
            timings = bench_engine(db, engine, sizes.engine_instances, args.show_sql)
            progress(f"3. returns on {db.dialect}")
            label = "SQLite" if db.is_sqlite else "PostgreSQL"
            return timings, returns_engine(f"Lontar engine, {label}", db, engine, sizes)
        finally:
            db.dispose()

    def http_section(url: str, name: str) -> Timings:
        prepare_database(url, engine).dispose()
        instance = workdir / f"instance-{name}"
        instance.mkdir()
        return bench_http(url, instance, sizes.http_instances, args.server)

    try:
        if postgres is not None:
            found = attempt("PostgreSQL", postgres.server_version)
            if found.startswith("FAILED"):
                postgres, skipped = None, found
            else:
                pg_version = f"{found} (database {PG_BENCH_DB} on {postgres.host}:{postgres.port})"
        engine = make_engine()

        progress(f"(a) bare SpiffWorkflow, {sizes.spiff_instances} instances")
        spiff = BareSpiff()
        completion.append(("(a) SpiffWorkflow in memory",
                           attempt("(a)", lambda: bench_spiff(spiff, sizes.spiff_instances))))
        progress("3. returns in bare SpiffWorkflow")
        for label, persist, compact in (("spiff, no compaction, in memory", False, False),
                                        ("spiff, no compaction, load+run+dump", True, False),
                                        ("spiff + compact_loops, load+run+dump", True, True)):
            row = attempt(label, lambda label=label, persist=persist, compact=compact: returns_spiff(
                label, spiff, sizes, persist=persist, compact=compact))
            returns.append(row if isinstance(row, ReturnsRow) else ReturnsRow(label, error=row))

        # label, part letter, where the engine's database is, where the server's database is
        databases: list[tuple[str, str, Callable[[], str], Callable[[], str]]] = [
            ("SQLite", "(b)", lambda: sqlite_url(workdir / "engine.db"), lambda: sqlite_url(workdir / "http.db")),
        ]
        if postgres is not None:
            databases.append(("PostgreSQL", "(c)", postgres.recreate, postgres.recreate))
        else:
            completion.append(("(c) Lontar engine, PostgreSQL", skipped))
            statements.append(("PostgreSQL", skipped))
            if not args.no_http:
                completion.append(("(d) HTTP POST /tasks/<id>, PostgreSQL", skipped))

        for label, part, engine_url, _ in databases:
            progress(f"{part} Lontar engine on {label}, {sizes.engine_instances} instances")
            outcome = attempt(f"{part} {label}", lambda engine_url=engine_url: engine_section(engine_url()))
            if isinstance(outcome, tuple):
                timings, row = outcome
            else:
                timings, row = outcome, ReturnsRow(f"Lontar engine, {label}", error=outcome)
            completion.append((f"{part} Lontar engine, {label}", timings))
            statements.append((label, timings))
            returns.append(row)

        if args.no_http:
            completion.append(("(d) HTTP POST /tasks/<id>", "skipped (--no-http)"))
        for label, _, _, server_url in databases if not args.no_http else []:
            progress(f"(d) HTTP on {label}, {sizes.http_instances} instances")
            completion.append((f"(d) HTTP POST /tasks/<id>, {label}", attempt(
                f"(d) {label}", lambda server_url=server_url, label=label: http_section(server_url(), label.lower()))))
    finally:
        if postgres is not None:
            postgres.drop()
        if args.keep:
            progress(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    completion.sort(key=lambda item: (item[0][:3], "PostgreSQL" in item[0]))  # (a)..(d), SQLite first
    statements.sort(key=lambda item: item[0] != "SQLite")
    print_report(machine_facts(args, sizes, pg_version, load_at_start), completion, statements, returns, started)
    if failures:
        print(f"FAILED sections: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
