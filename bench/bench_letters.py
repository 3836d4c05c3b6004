"""What the letter flows cost, and whether the disposition tree stays cheap as it grows.

Prints figures (no assertions).  For SQLite (a temp file) and, with --pg or
LONTAR_BENCH_DATABASE_URL, PostgreSQL (a database `lontar_bench` it creates and drops):

  1. registering an incoming letter (letter row, agenda counter, scan-less, process start);
  2. one forward in a growing tree: Sari forwards the same letter to Budi again and again;
     each forward adds a branch with its own instance, so the time of the next forward and
     the size of Sari's instance should stay flat at 0 / 100 / N branches;
  3. the worker firing due reminders: T branches, the clock moved past their reminders,
     `run_once` until nothing is due — time per fired timer.

    .venv/bin/python bench/bench_letters.py [--quick] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from bench.common import median_ms, p95_ms, progress  # noqa: E402
from bench.setup_db import Postgres  # noqa: E402
from engine import disposition, migrate, worker  # noqa: E402
from engine.db import Database  # noqa: E402
from engine.demo import load_demo  # noqa: E402
from engine.models import Disposition, ProcessInstance  # noqa: E402
from tests.flow import get_user  # noqa: E402
from tests.letters_world import choice, open_task, position_id, prepare, register  # noqa: E402

SARI, BUDI = "DISKOMINFO.APTIKA.KABID", "DISKOMINFO.APTIKA.PRANATA"


def fresh(url: str):  # type: ignore[no-untyped-def]
    from engine.runtime import EngineConfig, WorkflowEngine
    from forms.library import FormLibrary
    from webapp.formkeys import form_exists

    db = Database(url)
    migrate.upgrade(db)
    with db.transaction() as session:
        load_demo(session)
    engine = WorkflowEngine(form_exists=form_exists(FormLibrary()), config=EngineConfig(max_task_repeats=100_000))
    clock = prepare(db, engine)
    return db, engine, clock


def bench(label: str, url: str, sizes: dict[str, int]) -> None:
    db, engine, clock = fresh(url)
    print(f"\n== {label}")
    samples = []
    for n in range(sizes["letters"]):
        started = time.perf_counter()
        register(db, engine, hal=f"Surat bench {n}")
        samples.append(time.perf_counter() - started)
    print(f"register incoming letter: median {median_ms(samples):.1f} ms, p95 {p95_ms(samples):.1f} ms "
          f"({len(samples)} letters)")

    letter_id = register(db, engine, hal="Surat pohon besar")
    with db.transaction() as session:
        disposition.dispose(session, engine, open_task(db, letter_id, "lontar.disposisi"),
                            user=get_user(session, "agus"), choice=choice(position_id(db, SARI)))
    budi = position_id(db, BUDI)
    checkpoints = {0, 100, sizes["branches"]}
    times: dict[int, list[float]] = {}
    for count in range(sizes["branches"] + 1):
        task_id = open_task(db, letter_id, "lontar.tindak_lanjut", SARI)
        started = time.perf_counter()
        with db.transaction() as session:
            disposition.dispose(session, engine, task_id, user=get_user(session, "sari"), choice=choice(budi))
        elapsed = time.perf_counter() - started
        for mark in checkpoints:
            if mark <= count < mark + 10:
                times.setdefault(mark, []).append(elapsed)
        if count % 100 == 0:
            progress(f"{label}: {count} forwards")
    with db.transaction(write=False) as session:
        branch_count = session.scalar(select(func.count()).select_from(Disposition).where(Disposition.letter_id == letter_id))
        sari_instance = session.scalars(select(ProcessInstance).join(Disposition, Disposition.instance_id == ProcessInstance.id)
                                        .where(Disposition.letter_id == letter_id, Disposition.depth == 1)).one()
        state_kb = len(sari_instance.state) / 1024
    for mark in sorted(checkpoints):
        print(f"forward with {mark:>4} branches already on the letter: median {median_ms(times[mark]):.1f} ms "
              f"(10 forwards)")
    print(f"tree: {branch_count} branches; Sari's branch instance state {state_kb:.1f} KB after "
          f"{sizes['branches'] + 1} forwards (loops folded)")

    clock.advance(days=3)  # every reminder and due date of those branches is now past
    started = time.perf_counter()
    fired = 0
    rounds = 0
    while True:
        report = worker.run_once(db, engine, limit=50)
        rounds += 1
        if not report.fired:
            break
        fired += len(report.fired)
    elapsed = time.perf_counter() - started
    per = elapsed / fired * 1000 if fired else float("nan")
    print(f"worker: {fired} instances with due timers fired in {elapsed:.1f} s over {rounds} rounds: "
          f"{per:.1f} ms per instance (reminder + escalation effects, notifications)")
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--pg", default=os.environ.get("LONTAR_BENCH_DATABASE_URL"))
    args = parser.parse_args()
    sizes = {"letters": 20, "branches": 150} if args.quick else {"letters": 100, "branches": 500}
    with tempfile.TemporaryDirectory() as folder:
        bench("SQLite", f"sqlite:///{folder}/bench.db", sizes)
    if args.pg:
        pg = Postgres(args.pg)
        try:
            bench(f"PostgreSQL {pg.server_version()}", pg.recreate(), sizes)
        finally:
            pg.drop()


if __name__ == "__main__":
    main()
