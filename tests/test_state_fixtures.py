"""Stored instances of the pinned SpiffWorkflow must keep loading and finishing.

The fixtures were written by tests/make_state_fixtures.py and stand for instances already in
production databases.  Upgrading spiffworkflow (or changing the serializer configuration or
the parser) in a way that breaks them fails here, before it breaks a Pemda's running letters.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from engine.bpmn_parser import build_specs
from engine.sandbox import make_script_engine
from engine.serialization import SERIALIZER_VERSION, load_state, spec_dict

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "states").glob("*.json"))


def test_there_are_fixtures():
    assert FIXTURES


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_stored_state_loads_and_finishes(path: Path):
    fixture = json.loads(path.read_text())
    spec, subspecs = build_specs(fixture["bpmn"].encode(), fixture["process_id"])
    main_spec = spec_dict(BpmnWorkflow(spec, subspecs))
    workflow = load_state(fixture["state"], main_spec, fixture["serializer_version"])
    workflow.script_engine = make_script_engine()
    for bpmn_id, data in fixture["next"]:
        ready = [t for t in workflow.get_tasks(state=TaskState.READY, manual=True)]
        assert [t.task_spec.bpmn_id for t in ready] == [bpmn_id]
        ready[0].data.update(data)
        ready[0].run()
        workflow.do_engine_steps()
    assert workflow.is_completed()
    assert workflow.last_task.data["isi"] == "v2"  # what was typed before the state was stored


def test_fixture_was_written_by_the_pinned_serializer():
    versions = {json.loads(p.read_text())["serializer_version"] for p in FIXTURES}
    assert versions == {SERIALIZER_VERSION}, "a new serializer version: add fixtures of it, keep the old ones"
