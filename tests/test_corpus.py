"""SpiffWorkflow's own test diagrams: every file answered fast, the invalid ones refused, the
valid executable ones started.

The corpus is read-only test data beside the repository (never copied in).  A file is checked
the way a process library is: the processes it calls and the DMN tables it uses are looked up
among the other corpus files (nearest directory first) and passed along.
"""

from __future__ import annotations

import collections
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.bpmn_parser import build_specs, parse_diagram
from engine.diagram_files import CAMUNDA_NS, SPIFF_NS, bpmn, kind_of
from engine.errors import InvalidDiagram, Problem, SandboxViolation
from engine.lint import validate_path
from engine.sandbox import make_script_engine
from engine.xml_intake import parse_xml
from tests.conftest import IN_CI

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "spiffworkflow-tests"
# Skipped locally without the corpus; in CI (shared/ beside the clone) it must be there.
pytestmark = pytest.mark.skipif(not CORPUS.is_dir() and not IN_CI, reason=f"BPMN corpus not found at {CORPUS}")

SECONDS_PER_FILE = 5.0
SECONDS_PER_RUN = 10.0
# Named "invalid" but only at run time: its table reads a variable ('sparm') the caller does not
# supply; no static check can know which data an instance will carry.
INVALID_ONLY_AT_RUN_TIME = {"dmn/python_engine/data/invalid_decision_name_error.dmn"}
# SpiffWorkflow 3.2.0 raises a bare TypeError (not a WorkflowException) when a multi-instance
# task's input collection is missing from the task data; the corpus starts them with no data.
SPIFF_BARE_ERRORS = {"TypeError"}


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".bpmn", ".dmn"))


def _name(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def meant_to_be_invalid(path: Path) -> bool:
    name = _name(path).lower()
    return "invalid" in name or "unsupported" in name


@dataclass
class Library:
    """Where each process id and decision id of the corpus is defined."""

    processes: dict[str, list[Path]] = field(default_factory=lambda: collections.defaultdict(list))
    decisions: dict[str, list[Path]] = field(default_factory=lambda: collections.defaultdict(list))
    calls: dict[Path, list[str]] = field(default_factory=dict)
    uses: dict[Path, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, files: list[Path]) -> Library:
        library = cls()
        for path in files:
            try:
                root = parse_xml(path.read_bytes()).getroot()
            except InvalidDiagram:
                continue
            kind = kind_of(root)
            if kind == "bpmn":
                for process in root.iter(bpmn("process")):
                    library.processes[process.get("id") or ""].append(path)
                library.calls[path] = [c.get("calledElement") or "" for c in root.iter(bpmn("callActivity"))]
                library.uses[path] = [_decision_ref(task) for task in root.iter(bpmn("businessRuleTask"))]
            elif kind == "dmn":
                for element in root.iter():
                    if isinstance(element.tag, str) and element.tag.endswith("}decision"):
                        library.decisions[element.get("id") or ""].append(path)
        return library

    def nearest(self, candidates: list[Path], origin: Path) -> Path:
        return min(
            candidates, key=lambda c: (c.parent != origin.parent, origin.parent not in c.parents, str(c))
        )

    def dependencies(self, path: Path) -> tuple[list[Path], list[Path], set[str]]:
        """(BPMN files called, transitively; DMN files used; ids found nowhere)."""
        bpmn_files: list[Path] = []
        dmn_files: list[Path] = []
        missing: set[str] = set()
        pending, seen = [path], {path}
        while pending:
            current = pending.pop()
            defined = {pid for pid, paths in self.processes.items() if current in paths}
            for called in self.calls.get(current, []):
                if called in defined:
                    continue
                if called not in self.processes:
                    missing.add(called)
                    continue
                target = self.nearest(self.processes[called], path)
                if target not in seen:
                    seen.add(target)
                    bpmn_files.append(target)
                    pending.append(target)
            for decision in self.uses.get(current, []):
                if decision not in self.decisions:
                    missing.add(decision)
                    continue
                target = self.nearest(self.decisions[decision], path)
                if target not in dmn_files:
                    dmn_files.append(target)
        return bpmn_files, dmn_files, missing


def _decision_ref(task) -> str:
    spiff = next(task.iter(f"{{{SPIFF_NS}}}calledDecisionId"), None)
    if spiff is not None and (spiff.text or "").strip():
        return spiff.text.strip()
    return task.get(f"{{{CAMUNDA_NS}}}decisionRef") or ""


@dataclass
class Answer:
    problems: list[Problem]
    elapsed: float

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load(_corpus_files())


@pytest.fixture(scope="module")
def answers(library: Library) -> dict[Path, Answer]:
    result = {}
    for path in _corpus_files():
        bpmn_files, dmn_files, _missing = library.dependencies(path)
        known = {pid for dep in bpmn_files for pid, paths in library.processes.items() if dep in paths}
        started = time.perf_counter()
        problems = validate_path(path, known_processes=known, extra_dmn=[d.read_bytes() for d in dmn_files])
        result[path] = Answer(problems, time.perf_counter() - started)
    return result


def test_corpus_is_there() -> None:
    files = _corpus_files()
    assert len(files) >= 150, "the corpus README describes every .bpmn/.dmn of SpiffWorkflow's tests"


def test_every_file_is_answered_quickly_without_a_crash(answers: dict[Path, Answer]) -> None:
    for path, answer in answers.items():
        assert answer.elapsed < SECONDS_PER_FILE, (_name(path), answer.elapsed)
        assert all(isinstance(p, Problem) for p in answer.problems)
        assert not [p for p in answer.problems if p.key == "lint.internal"], _name(path)
        for problem in answer.problems:
            assert problem.element_id, (_name(path), problem)
            assert problem.severity in ("error", "warning")
            for lang in ("id", "en"):
                assert not problem.message(lang).startswith(problem.key), (_name(path), problem)


def test_files_meant_to_be_invalid_are_refused(answers: dict[Path, Answer]) -> None:
    invalid = [p for p in answers if meant_to_be_invalid(p) and _name(p) not in INVALID_ONLY_AT_RUN_TIME]
    assert len(invalid) >= 15
    accepted = [_name(p) for p in invalid if not answers[p].errors]
    assert accepted == []
    for name in INVALID_ONLY_AT_RUN_TIME:
        assert not answers[CORPUS / name].errors, "statically valid; it fails only when run"


def test_unsupported_dmn_is_refused_with_a_reason(answers: dict[Path, Answer]) -> None:
    for path, answer in answers.items():
        if "unsupported" in _name(path):
            assert {p.key for p in answer.errors} & {
                "dmn.no_decision",
                "dmn.multiple_decisions",
                "dmn.prefix",
            }


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """A runaway diagram must fail the test, not hang it (SIGALRM works in the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeoutError(f"engine steps took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _caused_by_sandbox(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, SandboxViolation):
            return True
        current = getattr(current, "exception", None) or current.__cause__ or current.__context__
    return False


def test_valid_executable_files_start(answers: dict[Path, Answer], library: Library) -> None:
    outcome: dict[str, list[str]] = collections.defaultdict(list)
    for path, answer in answers.items():
        if path.suffix != ".bpmn" or answer.errors:
            continue
        bpmn_files, dmn_files, missing = library.dependencies(path)
        if missing:
            outcome["unresolved"].append(_name(path))
            continue
        dmn = [d.read_bytes() for d in dmn_files]
        try:
            parsed = parse_diagram(path.read_bytes(), filename=path.name, extra_dmn=dmn)
            spec, subspecs = build_specs(
                parsed.xml, parsed.main_process_id, dependencies=[b.read_bytes() for b in bpmn_files] + dmn
            )
        except InvalidDiagram as exc:  # e.g. a dependency that calls itself
            outcome["refused_with_dependencies"].append(f"{_name(path)}: {exc.problems[0].key}")
            continue
        try:
            with time_limit(SECONDS_PER_RUN):
                workflow = BpmnWorkflow(spec, subspecs, script_engine=make_script_engine())
                workflow.do_engine_steps()
        except SpiffWorkflowException as exc:
            kind = "sandbox" if _caused_by_sandbox(exc) else "workflow_error"
            outcome[kind].append(f"{_name(path)}: {type(exc).__name__}: {str(exc)[:120]}")
        except TimeoutError:
            outcome["timeout"].append(_name(path))
        except Exception as exc:
            outcome[f"bare_{type(exc).__name__}"].append(f"{_name(path)}: {str(exc)[:120]}")
        else:
            outcome["started"].append(_name(path))
    print("\ncorpus run:", {k: len(v) for k, v in sorted(outcome.items())})
    for kind, names in sorted(outcome.items()):
        if kind != "started":
            print(f"  {kind}:", *names, sep="\n    ")
    assert len(outcome["started"]) >= 60
    assert outcome["timeout"] == []
    bare = {k.removeprefix("bare_") for k in outcome if k.startswith("bare_")}
    assert bare <= SPIFF_BARE_ERRORS, {k: outcome[k] for k in outcome if k.startswith("bare_")}


def test_statically_valid_name_error_table_fails_at_run_time() -> None:
    path = CORPUS / "dmn/python_engine/data/invalid_decision_name_error.dmn"
    body = (
        b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        b'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d"><bpmn:process id="p" isExecutable="true">'
        b'<bpmn:startEvent id="s"/><bpmn:businessRuleTask id="r" camunda:decisionRef="InvalidDecisionId"/>'
        b'<bpmn:endEvent id="e"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="r"/>'
        b'<bpmn:sequenceFlow id="f2" sourceRef="r" targetRef="e"/></bpmn:process></bpmn:definitions>'
    )
    dmn = path.read_bytes()
    spec, subspecs = build_specs(parse_diagram(body, extra_dmn=[dmn]).xml, "p", dependencies=[dmn])
    workflow = BpmnWorkflow(spec, subspecs, script_engine=make_script_engine())
    workflow.task_tree.data["spam"] = 1
    with pytest.raises(SpiffWorkflowException, match="sparm"):
        workflow.do_engine_steps()
