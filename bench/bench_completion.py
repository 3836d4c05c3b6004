"""How long does completing one task of the nota dinas flow take, and does it stay that way?

Prints figures (it is not a test): time per completion in bare SpiffWorkflow, in Lontar's
engine on SQLite and PostgreSQL, and through HTTP against a real server; SQL statements per
completion; and the cost of a completion after 0, 20 and 100 returns in one instance, with
and without loop folding (engine/compaction.py).  Every loop is bounded, every wait has a
timeout, and all network traffic goes to 127.0.0.1.  See bench/README.md.

This file is the entry point (options and the sections); the work is in common.py, setup_db.py
(databases), measure.py (in-process timings), http_client.py (server and client) and report.py.

    .venv/bin/python bench/bench_completion.py [--quick] [--pg URL] [--no-http]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

# run as a script (python bench/bench_completion.py), sys.path[0] is bench/: the repo root is needed
# for `import bench.*` (engine, forms and webapp come from the editable install)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Sizes, Timings, progress
from bench.http_client import bench_http
from bench.measure import BareSpiff, ReturnsRow, bench_engine, bench_spiff, returns_engine, returns_spiff
from bench.report import load_average, machine_facts, print_report
from bench.setup_db import PG_BENCH_DB, Postgres, make_engine, prepare_database
from engine.db import sqlite_url

_T = TypeVar("_T")

FULL = Sizes(spiff_instances=2000, engine_instances=400, http_instances=200, rounds_per_checkpoint=15)
QUICK = Sizes(spiff_instances=60, engine_instances=15, http_instances=8, rounds_per_checkpoint=5)


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
