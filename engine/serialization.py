"""The ONE serializer configuration for every stored instance.

SpiffWorkflow's JSON is engine-private: it is written and read only here, with one registry
(SPIFF_CONFIG, matching the one parser class in engine.bpmn_parser).  The main process spec
is left out of the stored state (it is derived from the version's BPMN, cached per version,
and is about half of the JSON); called-process specs stay in, so an instance keeps the
subprocess it started with even if that process is redeployed.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.event_definition import TimerConditionalEventDefinitionConverter
from SpiffWorkflow.bpmn.serializer.helpers.encoder import create_encoder
from SpiffWorkflow.bpmn.serializer.migration import version_migration
from SpiffWorkflow.bpmn.serializer.workflow import VERSION as SERIALIZER_VERSION
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.version import __version__ as SPIFF_VERSION

from engine.timers import ClockedDuration, ClockedTimeDate

_CONFIG = {
    **SPIFF_CONFIG,
    ClockedTimeDate: TimerConditionalEventDefinitionConverter,
    ClockedDuration: TimerConditionalEventDefinitionConverter,
}
REGISTRY = BpmnWorkflowSerializer.configure(_CONFIG)
SERIALIZER = BpmnWorkflowSerializer(REGISTRY)
_ENCODER = create_encoder(REGISTRY)

__all__ = ["SERIALIZER_VERSION", "SPIFF_VERSION", "dump_state", "json_safe", "load_state", "spec_dict"]


def _all_task_lists(dct: dict[str, Any]):  # type: ignore[no-untyped-def]
    yield dct["spec"], dct["tasks"].values()
    for sp in dct.get("subprocesses", {}).values():
        yield dct["subprocess_specs"][sp["spec"]], sp["tasks"].values()


def _from_1_4(dct: dict[str, Any]) -> None:
    """Upstream's 1.4 -> 1.5 step raises NameError on states with subprocesses (research §3.3)."""
    dct["VERSION"] = "1.5"
    specs = [dct["spec"], *(s for s in dct.get("subprocess_specs", {}).values() if s)]
    for spec in specs:
        for ts in spec["task_specs"].values():
            if ts.get("typename") == "EventBasedGateway":
                for name in ts["outputs"]:
                    spec["task_specs"][name]["event_definition"] = {
                        "description": "Default",
                        "name": None,
                        "typename": "NoneEventDefinition",
                    }


def _from_1_3(dct: dict[str, Any]) -> None:
    loop_types = {"StandardLoopTask", "SequentialMultiInstanceTask", "ParallelMultiInstanceTask"}
    for spec, tasks in _all_task_lists(dct):
        for task in tasks:
            typename = spec["task_specs"].get(task["task_spec"], {}).get("typename")
            if task["state"] == 8 and typename in loop_types:
                task["state"] = 32
    _from_1_4(dct)


version_migration.MIGRATIONS["1.3"] = _from_1_3
version_migration.MIGRATIONS["1.4"] = _from_1_4


def json_safe(data: Any) -> Any:
    """Task data as plain JSON, with datetimes and the like written as the serializer writes them."""
    return json.loads(json.dumps(data, cls=_ENCODER))


def spec_dict(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The serialized main spec of a workflow, to be cached per process version."""
    return json.loads(json.dumps(SERIALIZER.to_dict(workflow)["spec"], cls=_ENCODER))


def dump_state(workflow: BpmnWorkflow) -> str:
    """The state as a JSON string, stored as text (never JSONB).

    Key order matters: SpiffWorkflow 3.2 stores each task's data as a delta against its
    parent and rebuilds it in the order the tasks appear, so a store that reorders keys
    (JSONB, sort_keys) silently loses task data.
    """
    dct = SERIALIZER.to_dict(workflow)
    dct.pop("spec", None)
    dct.pop(SERIALIZER.VERSION_KEY, None)
    return json.dumps(dct, cls=_ENCODER, separators=(",", ":"))


def load_state(state: str, main_spec: dict[str, Any], serializer_version: str) -> BpmnWorkflow:
    """Rebuild a workflow; the caller must re-attach the sandboxed script engine."""
    dct = json.loads(state)
    dct["spec"] = copy.deepcopy(main_spec)
    if serializer_version != SERIALIZER_VERSION:
        dct[SERIALIZER.VERSION_KEY] = serializer_version
        SERIALIZER.migrate(dct)
    return SERIALIZER.from_dict(dct)
