"""The one parser: Camunda Modeler files run unchanged, specs round-trip, errors name elements."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.util.task import TaskState

from engine.bpmn_parser import LontarParser, ParsedDiagram, build_specs, parse_diagram
from engine.errors import InvalidDiagram
from engine.sandbox import make_script_engine
from engine.serialization import SERIALIZER  # the one configuration (timers on Lontar's clock)

FIXTURES = Path(__file__).parent / "fixtures" / "bpmn"
CAMUNDA_REVIEW = (FIXTURES / "camunda_review.bpmn").read_bytes()

HEAD = (
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
    'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs">'
)


def diagram(body: str, process_id: str = "p", extra: str = "") -> bytes:
    return f'{HEAD}{extra}<bpmn:process id="{process_id}" isExecutable="true">{body}</bpmn:process></bpmn:definitions>'.encode()


def flow(flow_id: str, source: str, target: str, condition: str | None = None) -> str:
    cond = f"<bpmn:conditionExpression>{condition}</bpmn:conditionExpression>" if condition else ""
    return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">{cond}</bpmn:sequenceFlow>'


def start(
    parsed: ParsedDiagram, data: dict | None = None, dependencies: tuple[bytes, ...] = ()
) -> BpmnWorkflow:
    spec, subspecs = build_specs(parsed.xml, parsed.main_process_id, dependencies=dependencies)
    workflow = BpmnWorkflow(spec, subspecs, script_engine=make_script_engine())
    workflow.task_tree.data.update(data or {})
    workflow.do_engine_steps()
    return workflow


def ready(workflow: BpmnWorkflow) -> list[str]:
    return [t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.READY, manual=True)]


def complete(workflow: BpmnWorkflow, bpmn_id: str, form: dict) -> None:
    task = next(
        t for t in workflow.get_tasks(state=TaskState.READY, manual=True) if t.task_spec.bpmn_id == bpmn_id
    )
    task.data.update(copy.deepcopy(form))
    task.run()
    workflow.do_engine_steps()


# -- the Camunda Modeler file ----------------------------------------------------------------


def test_camunda_file_parses_into_the_python_dialect() -> None:
    parsed = parse_diagram(CAMUNDA_REVIEW, filename="camunda_review.bpmn")
    assert parsed.process_ids == ("telaah_surat",)
    assert parsed.main_process_id == "telaah_surat"
    assert parsed.names == {"telaah_surat": "Telaah surat masuk"}
    assert parsed.called_elements == frozenset()
    assert parsed.dmn_ids == frozenset()
    xml = parsed.xml.decode()
    assert "${" not in xml.split("camunda:dueDate")[0]  # conditions and timers rewritten ...
    assert "(keputusan == 'setujui')" in xml
    assert "((amount &gt; 1000) and (not urgent))" in xml
    assert '<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">"PT48H"</bpmn:timeDuration>' in xml
    assert 'camunda:assignee="${pengirim}"' in xml  # ... assignment expressions are left for the app


def test_rewrite_is_idempotent_so_stored_xml_can_be_parsed_again() -> None:
    parsed = parse_diagram(CAMUNDA_REVIEW)
    again = parse_diagram(parsed.xml)
    assert again.xml == parsed.xml
    spec, _ = build_specs(parsed.xml, "telaah_surat")
    assert spec.task_specs["batas_waktu"].event_definition.expression == '"PT48H"'


EXPECTED_TELAAH = {
    "formKey": "telaah_surat",
    "dueDate": "${tenggat}",
    "priority": "60",
    "candidateGroups": ["kepala_unit", "sekretaris"],
    "candidateUsers": ["budi", "sari"],
    "formData": [
        {
            "id": "keputusan",
            "label": "Keputusan",
            "type": "enum",
            "default": "setujui",
            "options": [
                {"id": "setujui", "name": "Setujui"},
                {"id": "tolak", "name": "Tolak"},
                {"id": "revisi", "name": "Minta revisi"},
            ],
            "validation": [],
        },
        {
            "id": "amount",
            "label": "Nilai anggaran",
            "type": "long",
            "default": None,
            "options": [],
            "validation": [{"name": "max", "config": "1000000000"}, {"name": "min", "config": "0"}],
        },
        {
            "id": "urgent",
            "label": "Mendesak",
            "type": "boolean",
            "default": "false",
            "options": [],
            "validation": [],
        },
    ],
    "properties": {"sla_jam": "48"},
}


def test_extensions_carry_the_camunda_data() -> None:
    spec, _ = build_specs(parse_diagram(CAMUNDA_REVIEW).xml, "telaah_surat")
    assert spec.task_specs["telaah"].extensions == {"camunda": EXPECTED_TELAAH}
    assert spec.task_specs["arsipkan"].extensions == {"camunda": {"assignee": "arsiparis"}}
    assert spec.task_specs["telaah_kepala"].extensions["camunda"]["candidateGroups"] == ["kepala_dinas"]
    assert spec.task_specs["mulai"].extensions == {}


@pytest.mark.parametrize(
    ("form", "expected"),
    [
        ({"keputusan": "setujui", "amount": 500, "urgent": False}, "arsipkan"),
        ({"keputusan": "tolak", "amount": 5000, "urgent": False}, "telaah_kepala"),
        ({"keputusan": "tolak", "amount": 5000, "urgent": True}, "revisi"),
        ({"keputusan": "revisi", "amount": 10, "urgent": False}, "revisi"),
    ],
)
def test_gateway_takes_the_right_flow(form: dict, expected: str) -> None:
    workflow = start(parse_diagram(CAMUNDA_REVIEW))
    assert ready(workflow) == ["telaah"]
    complete(workflow, "telaah", form)
    assert ready(workflow) == [expected]
    complete(workflow, expected, {})
    assert workflow.is_completed()


def test_unquoted_camunda_timer_fires_after_48_hours() -> None:
    workflow = start(parse_diagram(CAMUNDA_REVIEW))
    timer = next(
        t for t in workflow.get_tasks(state=TaskState.WAITING) if t.task_spec.bpmn_id == "batas_waktu"
    )
    due = datetime.fromisoformat(timer.internal_data["event_value"])
    assert timedelta(hours=47) < due - datetime.now(due.tzinfo) <= timedelta(hours=48)
    timer.internal_data["event_value"] = (due - timedelta(hours=49)).isoformat()
    workflow.refresh_timers()
    workflow.do_engine_steps()
    assert ready(workflow) == ["eskalasi"]


def test_serializer_round_trip_keeps_the_extensions() -> None:
    workflow = start(parse_diagram(CAMUNDA_REVIEW))
    restored = SERIALIZER.deserialize_json(SERIALIZER.serialize_json(workflow))
    restored.script_engine = make_script_engine()  # the engine is never serialized
    task = restored.get_tasks(state=TaskState.READY, manual=True)[0]
    assert task.task_spec.extensions == {"camunda": EXPECTED_TELAAH}
    assert type(task.task_spec) is type(workflow.get_tasks(state=TaskState.READY, manual=True)[0].task_spec)
    complete(restored, "telaah", {"keputusan": "tolak", "amount": 2000, "urgent": False})
    assert ready(restored) == ["telaah_kepala"]
    again = SERIALIZER.deserialize_json(SERIALIZER.serialize_json(restored))
    assert again.spec.task_specs["telaah"].extensions["camunda"]["formData"][0]["options"][1]["id"] == "tolak"


def test_spiff_extensions_are_kept_beside_the_camunda_ones() -> None:
    body = (
        '<bpmn:startEvent id="s"/>'
        '<bpmn:userTask id="u" camunda:candidateGroups="tu"><bpmn:extensionElements>'
        '<spiffworkflow:properties><spiffworkflow:property name="formKey" value="f1"/></spiffworkflow:properties>'
        "<spiffworkflow:instructionsForEndUser>Periksa {{ perihal }}</spiffworkflow:instructionsForEndUser>"
        '<camunda:properties><camunda:property name="sla" value="8"/></camunda:properties>'
        "</bpmn:extensionElements></bpmn:userTask>"
        '<bpmn:exclusiveGateway id="g"><bpmn:extensionElements><camunda:properties>'
        '<camunda:property name="label" value="cabang"/></camunda:properties></bpmn:extensionElements>'
        "</bpmn:exclusiveGateway>"
        '<bpmn:endEvent id="e"/>' + flow("f1", "s", "u") + flow("f2", "u", "g") + flow("f3", "g", "e")
    )
    spec, _ = build_specs(parse_diagram(diagram(body)).xml, "p")
    assert spec.task_specs["u"].extensions == {
        "properties": {"formKey": "f1"},
        "instructionsForEndUser": "Periksa {{ perihal }}",
        "camunda": {"candidateGroups": ["tu"], "properties": {"sla": "8"}},
    }
    assert spec.task_specs["g"].extensions == {"camunda": {"properties": {"label": "cabang"}}}


def test_one_parser_class_for_everything() -> None:
    assert issubclass(LontarParser, SpiffBpmnParser)
    for parser_class, _spec_class in LontarParser.OVERRIDE_PARSER_CLASSES.values():
        assert hasattr(parser_class, "parse_extensions")
        assert parser_class.__name__.startswith("Lontar") or parser_class.__name__.startswith("_Lontar")


# -- refusals ---------------------------------------------------------------------------------


def _problems(data: bytes, **kwargs) -> list:
    with pytest.raises(InvalidDiagram) as caught:
        parse_diagram(data, **kwargs)
    return caught.value.problems


def test_juel_method_call_is_refused_naming_the_flow() -> None:
    data = CAMUNDA_REVIEW.replace(
        b"${keputusan == 'setujui'}", b"${execution.getVariable('keputusan') == 'setujui'}"
    )
    problems = _problems(data)
    assert [(p.element_id, p.key, p.severity) for p in problems] == [
        ("flow_setujui", "juel.unsupported", "error")
    ]
    assert "not supported" in problems[0].message("en")


def test_python_condition_outside_the_sandbox_is_refused() -> None:
    data = CAMUNDA_REVIEW.replace(b"${keputusan == 'setujui'}", b"__import__('os').system('id') == 0")
    problems = _problems(data)
    assert problems[0].element_id == "flow_setujui"
    assert problems[0].key.startswith("sandbox.")


def test_spiff_validation_error_names_the_element() -> None:
    body = (
        '<bpmn:startEvent id="s"/><bpmn:task id="t"/><bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + flow("f1", "s", "t")
        + flow("f2", "t", "e1")
        + flow("f3", "t", "e2")
    )
    problems = _problems(diagram(body))
    assert [(p.element_id, p.key) for p in problems] == [("t", "spiff.multiple_outgoing")]
    assert problems[0].params["tag"] == "bpmn:task"
    assert "gateway" in problems[0].message("en")


def test_very_long_chain_is_a_problem_not_a_traceback() -> None:
    ids = ["s", *[f"t{i}" for i in range(1500)], "e"]
    body = '<bpmn:startEvent id="s"/>' + "".join(f'<bpmn:task id="{i}"/>' for i in ids[1:-1])
    body += '<bpmn:endEvent id="e"/>' + "".join(
        flow(f"f{n}", a, b) for n, (a, b) in enumerate(zip(ids, ids[1:]))
    )
    problems = _problems(diagram(body))
    assert [(p.element_id, p.key) for p in problems] == [("p", "spiff.too_long")]


def test_not_bpmn_and_not_executable() -> None:
    assert _problems(b"<html><body>hi</body></html>", filename="x.bpmn")[0].key == "bpmn.not_bpmn"
    body = '<bpmn:startEvent id="s"/>'
    data = diagram(body).replace(b'isExecutable="true"', b'isExecutable="false"')
    assert [(p.element_id, p.key) for p in _problems(data, filename="x.bpmn")] == [
        ("x.bpmn", "bpmn.no_executable")
    ]


def test_self_calling_process_is_refused() -> None:
    body = (
        '<bpmn:startEvent id="s"/><bpmn:callActivity id="again" calledElement="p"/><bpmn:endEvent id="e"/>'
        + flow("f1", "s", "again")
        + flow("f2", "again", "e")
    )
    assert [(p.element_id, p.key) for p in _problems(diagram(body))] == [("again", "bpmn.call_cycle")]


# -- main process, call activities and DMN ------------------------------------------------------

CHILD = diagram(
    '<bpmn:startEvent id="cs"/><bpmn:scriptTask id="cscript"><bpmn:script>hasil = nilai * 2</bpmn:script>'
    '</bpmn:scriptTask><bpmn:endEvent id="ce"/>' + flow("c1", "cs", "cscript") + flow("c2", "cscript", "ce"),
    process_id="anak",
)
PARENT_BODY = (
    '<bpmn:startEvent id="s"/><bpmn:callActivity id="panggil" calledElement="anak"/><bpmn:endEvent id="e"/>'
    + flow("f1", "s", "panggil")
    + flow("f2", "panggil", "e")
)


def test_main_process_is_the_collaboration_participant() -> None:
    extra = (
        '<bpmn:collaboration id="c"><bpmn:participant id="pp" processRef="utama"/></bpmn:collaboration>'
        '<bpmn:process id="pembantu" isExecutable="true"><bpmn:startEvent id="hs"/><bpmn:endEvent id="he"/>'
        + flow("h1", "hs", "he")
        + "</bpmn:process>"
    )
    body = '<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>' + flow("f1", "s", "e")
    parsed = parse_diagram(diagram(body, process_id="utama", extra=extra))
    assert parsed.process_ids == ("pembantu", "utama")
    assert parsed.main_process_id == "utama"


def test_call_activity_runs_with_its_dependency() -> None:
    parsed = parse_diagram(diagram(PARENT_BODY))
    assert parsed.called_elements == frozenset({"anak"})
    workflow = start(parsed, {"nilai": 21}, dependencies=(CHILD,))
    assert workflow.is_completed()
    assert workflow.last_task.data["hasil"] == 42


def test_missing_called_process_names_the_call_activity() -> None:
    parsed = parse_diagram(diagram(PARENT_BODY))
    with pytest.raises(InvalidDiagram) as caught:
        build_specs(parsed.xml, "p")
    assert [(p.element_id, p.key) for p in caught.value.problems] == [
        ("panggil", "bpmn.called_element_missing")
    ]
    spec, subspecs = build_specs(parsed.xml, "p", require_called=False)
    assert spec.name == "p" and subspecs == {}


DMN = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="dmn_defs" name="rute" namespace="x">
  <decision id="rute_surat" name="Rute surat">
    <decisionTable id="tabel_rute">
      <input id="in_jenis" label="Jenis"><inputExpression id="ie" typeRef="string"><text>jenis</text></inputExpression></input>
      <output id="out_bagian" label="Bagian" name="bagian" typeRef="string"/>
      <rule id="r1"><inputEntry id="r1i"><text>"undangan"</text></inputEntry><outputEntry id="r1o"><text>"umum"</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="r2i"><text>-</text></inputEntry><outputEntry id="r2o"><text>"tata_usaha"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>"""


@pytest.mark.parametrize(
    "rule_task",
    [
        '<bpmn:businessRuleTask id="rute"><bpmn:extensionElements><spiffworkflow:calledDecisionId>rute_surat'
        "</spiffworkflow:calledDecisionId></bpmn:extensionElements></bpmn:businessRuleTask>",
        '<bpmn:businessRuleTask id="rute" camunda:decisionRef="rute_surat"/>',
    ],
    ids=["spiff", "camunda"],
)
def test_business_rule_task_uses_the_dmn_dependency(rule_task: str) -> None:
    body = '<bpmn:startEvent id="s"/>' + rule_task + '<bpmn:endEvent id="e"/>' + flow("f1", "s", "rute")
    data = diagram(body + flow("f2", "rute", "e"))
    assert [p.key for p in _problems(data)] == ["spiff.missing_decision"]
    parsed = parse_diagram(data, extra_dmn=[DMN])
    assert parsed.dmn_ids == frozenset({"rute_surat"})
    assert start(parsed, {"jenis": "undangan"}, dependencies=(DMN,)).last_task.data["bagian"] == "umum"
    assert start(parsed, {"jenis": "nota"}, dependencies=(DMN,)).last_task.data["bagian"] == "tata_usaha"


def test_camunda_collection_multi_instance_runs_per_item() -> None:
    body = (
        '<bpmn:startEvent id="s"/><bpmn:userTask id="tinjau">'
        '<bpmn:multiInstanceLoopCharacteristics camunda:collection="${peninjau}" camunda:elementVariable="orang"/>'
        '</bpmn:userTask><bpmn:endEvent id="e"/>' + flow("f1", "s", "tinjau") + flow("f2", "tinjau", "e")
    )
    workflow = start(parse_diagram(diagram(body)), {"peninjau": ["ani", "budi", "citra"]})
    tasks = workflow.get_tasks(state=TaskState.READY, manual=True)
    assert sorted(t.data["orang"] for t in tasks) == ["ani", "budi", "citra"]
    for task in tasks:
        task.run()
    workflow.do_engine_steps()
    assert workflow.is_completed()


def test_timer_kinds_in_camunda_files_are_quoted_only_when_literal() -> None:
    def boundary(definition: str) -> str:
        return (
            '<bpmn:startEvent id="s"/><bpmn:userTask id="u"/><bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
            f'<bpmn:boundaryEvent id="b" attachedToRef="u"><bpmn:timerEventDefinition>{definition}'
            "</bpmn:timerEventDefinition></bpmn:boundaryEvent>"
            + flow("f1", "s", "u")
            + flow("f2", "u", "e")
            + flow("f3", "b", "e2")
        )

    cases = {
        "<bpmn:timeDate>2030-01-31T17:00:00+07:00</bpmn:timeDate>": '"2030-01-31T17:00:00+07:00"',
        "<bpmn:timeCycle>R3/PT1H</bpmn:timeCycle>": '"R3/PT1H"',
        "<bpmn:timeDuration>${tenggat}</bpmn:timeDuration>": "tenggat",
        '<bpmn:timeDuration>"PT2H"</bpmn:timeDuration>': '"PT2H"',
    }
    for definition, expression in cases.items():
        spec, _ = build_specs(parse_diagram(diagram(boundary(definition))).xml, "p")
        assert spec.task_specs["b"].event_definition.expression == expression
