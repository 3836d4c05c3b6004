"""The printed report: machine facts and the tables of parts 1, 2 and 3."""

from __future__ import annotations

import argparse
import math
import os
import platform
import sqlite3
import statistics
import time
from datetime import UTC, datetime

from bench.common import STEPS, Sizes, Timings, median_ms, p95_ms, package_version
from bench.measure import ReturnsRow


def fmt_ms(value: float) -> str:
    if math.isnan(value):
        return "-"
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def fmt_bytes(value: int | None) -> str:
    if value is None:
        return "-"
    return f"{value / 1024:.1f}k" if value >= 10_000 else str(value)


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

