"""Shared by the bench_completion modules: the flow's steps, the sizes, timings and small helpers."""

from __future__ import annotations

import json
import math
import statistics
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTA_DINAS = REPO / "processes" / "nota_dinas.bpmn"

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
