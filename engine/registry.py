"""Deployed process versions, and the parsed specs cached per version.

A running instance stays on the version it started with: a version row is never changed,
only added (or retired).  Deploying the same bytes again adds nothing, so `lontar processes
deploy` is idempotent and never resurrects what a designer retired in the browser.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import audit
from engine.bpmn_parser import build_specs, parse_diagram
from engine.diagram_files import called_elements
from engine.errors import InvalidDiagram, Problem, UnknownProcess
from engine.lint import lint_diagram
from engine.models import ProcessInstance, ProcessVersion, Unit
from engine.serialization import spec_dict
from engine.xml_intake import parse_xml


@dataclass(frozen=True)
class CachedSpec:
    spec: Any
    subprocess_specs: dict[str, Any]
    spec_dict: dict[str, Any]


@dataclass(frozen=True)
class DeployOutcome:
    version: ProcessVersion
    created: bool
    warnings: tuple[Problem, ...]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ProcessRegistry:
    """Versions in the database, parsed specs in a bounded in-process cache.

    The cache is keyed by version id and holds only derived data, so any number of web
    processes can keep their own copy without ever disagreeing.
    """

    def __init__(self, *, form_exists: Callable[[str], bool] | None = None, cache_size: int = 128) -> None:
        self.form_exists = form_exists
        self._cache: OrderedDict[tuple[Any, ...], CachedSpec] = OrderedDict()
        self._called_cache: dict[int, frozenset[str]] = {}
        self._cache_size = cache_size
        self._lock = threading.Lock()

    # -- deploy -----------------------------------------------------------------------------
    def check(self, data: bytes, *, filename: str = "diagram.bpmn", known: Sequence[str] = ()) -> list[Problem]:
        return lint_diagram(data, filename=filename, form_exists=self.form_exists, known_processes=known)

    def deploy(
        self,
        session: Session,
        data: bytes,
        *,
        actor: audit.Actor,
        filename: str = "diagram.bpmn",
        source: str = "file",
        source_path: str | None = None,
        unit_id: int | None = None,
        accept_warnings: bool = True,
    ) -> DeployOutcome:
        known = session.scalars(select(ProcessVersion.key).distinct()).all()
        problems = self.check(data, filename=filename, known=known)
        errors = [p for p in problems if p.severity == "error"]
        warnings = tuple(p for p in problems if p.severity != "error")
        if errors or (warnings and not accept_warnings):
            raise InvalidDiagram(errors or list(warnings))
        parsed = parse_diagram(data, filename=filename)
        key = parsed.main_process_id
        digest = sha256(data)
        existing = session.scalars(
            select(ProcessVersion)
            .where(ProcessVersion.key == key, ProcessVersion.unit_id.is_(unit_id) if unit_id is None
                   else ProcessVersion.unit_id == unit_id, ProcessVersion.sha256 == digest)
            .order_by(ProcessVersion.version.desc())
            .limit(1)
        ).first()
        if existing is not None:
            return DeployOutcome(existing, False, warnings)
        last = session.scalar(
            select(func.max(ProcessVersion.version)).where(
                ProcessVersion.key == key,
                ProcessVersion.unit_id.is_(None) if unit_id is None else ProcessVersion.unit_id == unit_id,
            )
        )
        version = ProcessVersion(
            key=key,
            unit_id=unit_id,
            version=(last or 0) + 1,
            name=parsed.names.get(key) or key,
            process_id=key,
            sha256=digest,
            bpmn=parsed.xml,
            source=source,
            source_path=source_path,
            deployed_by_id=actor.user_id,
            warnings=[{"element_id": w.element_id, "message": w.message()} for w in warnings],
        )
        session.add(version)
        session.flush()
        audit.record(
            session,
            action="process.deployed",
            actor=actor,
            summary=f"{key} v{version.version} ({source}{': ' + source_path if source_path else ''})",
            after={"key": key, "version": version.version, "sha256": digest, "unit_id": unit_id},
        )
        return DeployOutcome(version, True, warnings)

    # -- lookup -----------------------------------------------------------------------------
    def version_for_start(self, session: Session, key: str, unit_id: int | None) -> ProcessVersion:
        """The newest live version of the nearest variant up the unit tree, else the default."""
        chain: list[int | None] = []
        seen: set[int] = set()
        current = unit_id
        while current is not None and current not in seen:
            seen.add(current)
            chain.append(current)
            current = session.scalar(select(Unit.parent_id).where(Unit.id == current))
        chain.append(None)
        for candidate in chain:
            found = session.scalars(
                select(ProcessVersion)
                .where(
                    ProcessVersion.key == key,
                    ProcessVersion.retired_at.is_(None),
                    ProcessVersion.unit_id.is_(None) if candidate is None else ProcessVersion.unit_id == candidate,
                )
                .order_by(ProcessVersion.version.desc())
                .limit(1)
            ).first()
            if found is not None:
                return found
        raise UnknownProcess(key=key)

    def startable(self, session: Session) -> list[ProcessVersion]:
        """The newest live default version of every key (what a 'start' page offers)."""
        newest = (
            select(ProcessVersion.key, func.max(ProcessVersion.version).label("v"))
            .where(ProcessVersion.unit_id.is_(None), ProcessVersion.retired_at.is_(None))
            .group_by(ProcessVersion.key)
            .subquery()
        )
        return list(
            session.scalars(
                select(ProcessVersion)
                .join(newest, (newest.c.key == ProcessVersion.key) & (newest.c.v == ProcessVersion.version))
                .where(ProcessVersion.unit_id.is_(None))
                .order_by(ProcessVersion.name)
            )
        )

    def listing(self, session: Session) -> list[tuple[ProcessVersion, int]]:
        """Every version with the number of instances still running on it."""
        running = (
            select(ProcessInstance.version_id, func.count().label("n"))
            .where(ProcessInstance.status == "running")
            .group_by(ProcessInstance.version_id)
            .subquery()
        )
        rows = session.execute(
            select(ProcessVersion, func.coalesce(running.c.n, 0))
            .outerjoin(running, running.c.version_id == ProcessVersion.id)
            .order_by(ProcessVersion.key, ProcessVersion.unit_id.is_not(None), ProcessVersion.unit_id, ProcessVersion.version)
        ).all()
        return [(v, n) for v, n in rows]

    # -- specs ------------------------------------------------------------------------------
    def _called(self, version: ProcessVersion) -> frozenset[str]:
        with self._lock:
            found = self._called_cache.get(version.id)
        if found is None:
            # A plain scan, not a parse: the version was checked when it was deployed.
            found = called_elements(parse_xml(version.bpmn).getroot())
            with self._lock:
                self._called_cache[version.id] = found
        return found

    def dependencies(self, session: Session, version: ProcessVersion, unit_id: int | None) -> list[ProcessVersion]:
        """The deployed versions of every process this one calls, directly or further down,
        chosen as a start in that unit would choose them (nearest variant, newest version)."""
        found: list[ProcessVersion] = []
        seen = {version.key}
        queue = sorted(self._called(version))
        while queue:
            key = queue.pop()
            if key in seen:
                continue
            seen.add(key)
            try:
                dependency = self.version_for_start(session, key, unit_id)
            except UnknownProcess:
                continue  # build_specs names the missing process
            found.append(dependency)
            queue.extend(sorted(self._called(dependency)))
        return found

    def spec(self, version: ProcessVersion, dependencies: Sequence[ProcessVersion] = ()) -> CachedSpec:
        """Specs to start an instance: the version with the called processes it resolves to.

        An instance keeps the called-process specs it started with (they are in its stored
        state), so only new starts see a redeployed subprocess.
        """
        key = (version.id, tuple(d.id for d in dependencies))
        cached = self._get(key)
        if cached is None:
            spec, subspecs = build_specs(version.bpmn, version.process_id, dependencies=[d.bpmn for d in dependencies])
            cached = CachedSpec(spec, subspecs, spec_dict(BpmnWorkflow(spec, subspecs)))
            self._put(key, cached)
        return cached

    def main_spec_dict(self, version: ProcessVersion) -> dict[str, Any]:
        """The serialized main spec, all that loading a stored instance needs."""
        key = (version.id, None)
        cached = self._get(key)
        if cached is None:
            spec, subspecs = build_specs(version.bpmn, version.process_id, require_called=False)
            cached = CachedSpec(spec, subspecs, spec_dict(BpmnWorkflow(spec, subspecs)))
            self._put(key, cached)
        return cached.spec_dict

    def _get(self, key: tuple[Any, ...]) -> CachedSpec | None:
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
            return cached

    def _put(self, key: tuple[Any, ...], cached: CachedSpec) -> None:
        with self._lock:
            self._cache[key] = cached
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
