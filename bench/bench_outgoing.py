"""What an outgoing letter costs, step by step, and how signing behaves when many sign at once.

Prints figures (no assertions).  For SQLite (a temp file) and, with --pg or
LONTAR_BENCH_DATABASE_URL, PostgreSQL (a database it creates and drops):

  1. draft + submit (letter, version, computed chain, process start);
  2. one paraf (row naming the version, multi-instance step);
  3. sign (number from the register in the same transaction, signature block, distribution:
     two incoming copies with their agenda numbers and their TU tasks);
  4. PostgreSQL only: T threads signing T letters of one unit at once — wall time, and whether
     the numbers came out 1..N without gaps or duplicates.

    .venv/bin/python bench/bench_outgoing.py [--quick] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from bench.common import median_ms, p95_ms, progress  # noqa: E402
from bench.setup_db import Postgres  # noqa: E402
from engine import migrate, signing  # noqa: E402
from engine.db import Database  # noqa: E402
from engine.demo import load_demo  # noqa: E402
from engine.models import LetterNumber  # noqa: E402
from tests.flow import get_user  # noqa: E402
from tests.outgoing_world import act_paraf, deploy_outgoing, draft, prepare, ready_task  # noqa: E402


def fresh(url: str):  # type: ignore[no-untyped-def]
    from engine.runtime import EngineConfig, WorkflowEngine
    from forms.library import FormLibrary
    from webapp.formkeys import form_exists

    db = Database(url)
    migrate.upgrade(db)
    with db.transaction() as session:
        load_demo(session)
    engine = WorkflowEngine(form_exists=form_exists(FormLibrary()), config=EngineConfig(max_task_repeats=100_000))
    prepare(db, engine)
    deploy_outgoing(db, engine, variant=False)
    return db, engine


def timed(samples: list[float], action):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = action()
    samples.append(time.perf_counter() - started)
    return result


def bench(label: str, url: str, letters: int, threads: int) -> None:
    db, engine = fresh(url)
    print(f"\n== {label}")
    drafting_s: list[float] = []
    paraf_s: list[float] = []
    sign_s: list[float] = []
    for n in range(letters):
        letter_id = timed(drafting_s, lambda n=n: draft(db, engine, by="rina", signer="DINKES.KADIS",
                                                        kepada=("DISKOMINFO", "BAPPERIDA"), hal=f"Bench {n}"))
        timed(paraf_s, lambda letter_id=letter_id: act_paraf(db, engine, letter_id, "hadi"))
        timed(sign_s, lambda letter_id=letter_id: _sign(db, engine, letter_id))
        if n % 20 == 0:
            progress(f"{label}: {n} letters")
    for name, samples in (("draft + submit", drafting_s), ("paraf", paraf_s),
                          ("sign + number + distribute to 2 SKPD", sign_s)):
        print(f"{name}: median {median_ms(samples):.1f} ms, p95 {p95_ms(samples):.1f} ms ({len(samples)} letters)")
    if db.dialect == "postgresql":
        _concurrent(db, engine, threads)
    db.dispose()


def _sign(db: Database, engine, letter_id: int) -> None:  # type: ignore[no-untyped-def]
    task_id, _ = ready_task(db, letter_id, "lontar.tandatangan")
    with db.transaction() as session:
        signing.sign(session, engine, task_id, user=get_user(session, "wati"))


def _concurrent(db: Database, engine, threads: int) -> None:  # type: ignore[no-untyped-def]
    """T letters waiting for the Kepala Dinas; T threads sign them at the same moment."""
    waiting = []
    for n in range(threads):
        letter_id = draft(db, engine, by="hadi", signer="DINKES.KADIS", kepada=("DINKES.P2P",), hal=f"Serentak {n}")
        waiting.append(ready_task(db, letter_id, "lontar.tandatangan")[0])
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def work(task_id: int) -> None:
        start.wait()
        try:
            with db.transaction() as session:
                signing.sign(session, engine, task_id, user=get_user(session, "wati"))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    workers = [threading.Thread(target=work, args=(t,)) for t in waiting]
    began = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    with db.transaction(write=False) as session:
        numbers = sorted(session.scalars(select(LetterNumber.urut)))
    expected = list(range(1, len(numbers) + 1))
    print(f"{threads} signatures at once: {elapsed * 1000:.0f} ms wall, {len(errors)} errors; "
          f"register {len(numbers)} numbers, consecutive without gaps or duplicates: {numbers == expected}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pg", default=os.environ.get("LONTAR_BENCH_DATABASE_URL"))
    args = parser.parse_args()
    letters, threads = (20, 8) if args.quick else (100, 16)
    with tempfile.TemporaryDirectory() as folder:
        bench("SQLite", f"sqlite:///{folder}/bench.db", letters, threads)
    if args.pg:
        pg = Postgres(args.pg)
        try:
            bench(f"PostgreSQL {pg.server_version()}", pg.recreate(), letters, threads)
        finally:
            pg.drop()


if __name__ == "__main__":
    main()
