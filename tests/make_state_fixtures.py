"""Write stored-instance fixtures: run `python -m tests.make_state_fixtures` ONLY when a state
format change is intended and understood.  The fixtures stand for instances already in
production databases; test_state_fixtures proves that they still load and finish."""

from __future__ import annotations

import json
from pathlib import Path

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from engine.bpmn_parser import build_specs, parse_diagram
from engine.sandbox import make_script_engine
from engine.serialization import SERIALIZER_VERSION, SPIFF_VERSION, dump_state

HERE = Path(__file__).parent / "fixtures" / "states"
NOTA_DINAS = Path(__file__).resolve().parents[1] / "processes" / "nota_dinas.bpmn"


def _complete(workflow: BpmnWorkflow, bpmn_id: str, data: dict) -> None:
    task = next(t for t in workflow.get_tasks(state=TaskState.READY, manual=True) if t.task_spec.bpmn_id == bpmn_id)
    task.data.update(data)
    task.run()
    workflow.do_engine_steps()


def main() -> None:
    HERE.mkdir(parents=True, exist_ok=True)
    xml = parse_diagram(NOTA_DINAS.read_bytes(), filename="nota_dinas.bpmn").xml
    spec, subspecs = build_specs(xml, "nota_dinas")
    workflow = BpmnWorkflow(spec, subspecs, script_engine=make_script_engine())
    workflow.do_engine_steps()
    _complete(workflow, "susun", {"tujuan": "Kepala Dinas", "perihal": "Rapat", "isi": "v1"})
    _complete(workflow, "periksa_atasan", {"keputusan": "kembalikan", "catatan": "perbaiki"})
    _complete(workflow, "susun", {"tujuan": "Kepala Dinas", "perihal": "Rapat", "isi": "v2"})
    fixture = {
        "description": "nota_dinas after one return, waiting for the atasan's second review",
        "spiffworkflow": SPIFF_VERSION,
        "serializer_version": SERIALIZER_VERSION,
        "bpmn": xml.decode(),
        "process_id": "nota_dinas",
        "state": dump_state(workflow),  # a string: key order matters to SpiffWorkflow (parents first)
        "next": [["periksa_atasan", {"keputusan": "setujui", "catatan": ""}],
                 ["setujui_kepala", {"keputusan": "setujui", "catatan": ""}]],
    }
    (HERE / "nota_dinas_after_return.json").write_text(json.dumps(fixture, indent=1))


if __name__ == "__main__":
    main()
