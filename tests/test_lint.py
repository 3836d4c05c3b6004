"""One small broken diagram per lint check; each finding names its element and severity."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from engine.errors import Problem
from engine.lint import lint_diagram, lint_dmn, validate_path

FIXTURES = Path(__file__).parent / "fixtures" / "bpmn"
FORMS = {"catat_surat", "disposisi", "telaah_surat", "f"}

HEAD = (
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" '
    'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs">'
)


def diagram(body: str, extra: str = "", head: str = HEAD) -> bytes:
    return f'{head}{extra}<bpmn:process id="p" isExecutable="true">{body}</bpmn:process></bpmn:definitions>'.encode()


def flow(flow_id: str, source: str, target: str, condition: str | None = None) -> str:
    cond = f"<bpmn:conditionExpression>{condition}</bpmn:conditionExpression>" if condition else ""
    return f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">{cond}</bpmn:sequenceFlow>'


def task(task_id: str, form: str = "f") -> str:
    return (
        f'<bpmn:userTask id="{task_id}"><bpmn:extensionElements><spiffworkflow:properties>'
        f'<spiffworkflow:property name="formKey" value="{form}"/></spiffworkflow:properties>'
        "</bpmn:extensionElements></bpmn:userTask>"
    )


def line(*nodes: str) -> str:
    """start -> nodes... -> end, ids t1.., flows f1.."""
    ids = ["s", *nodes, "e"]
    body = '<bpmn:startEvent id="s"/>' + "".join(task(n) for n in nodes) + '<bpmn:endEvent id="e"/>'
    return body + "".join(flow(f"f{i}", a, b) for i, (a, b) in enumerate(zip(ids, ids[1:]), start=1))


def lint(data: bytes, **kwargs) -> list[Problem]:
    kwargs.setdefault("form_exists", FORMS.__contains__)
    return lint_diagram(data, **kwargs)


def found(problems: list[Problem]) -> set[tuple[str, str, str]]:
    return {(p.element_id, p.key, p.severity) for p in problems}


def assert_readable(problems: list[Problem]) -> None:
    for problem in problems:
        for lang in ("id", "en"):
            text = problem.message(lang)
            assert text and not text.startswith(problem.key) and "{" not in text, text


# -- clean files --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["spiff_disposisi.bpmn", "camunda_review.bpmn"])
def test_clean_files_give_no_problems(name: str) -> None:
    data = (FIXTURES / name).read_bytes()
    if name == "camunda_review.bpmn":  # give every user task a form, as a finished design would
        data = data.replace(
            b'camunda:assignee="arsiparis"', b'camunda:assignee="arsiparis" camunda:formKey="f"'
        )
        data = data.replace(b'name="Telaah kepala dinas"', b'name="Telaah kepala dinas" camunda:formKey="f"')
        data = data.replace(b'name="Revisi"', b'name="Revisi" camunda:formKey="f"')
        data = data.replace(
            b'name="Eskalasi ke sekretaris"', b'name="Eskalasi ke sekretaris" camunda:formKey="f"'
        )
    assert lint(data) == []


def test_minimal_line_is_clean() -> None:
    assert lint(diagram(line("t1", "t2"))) == []


# -- intake --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "xml.empty"),
        (b"\x00\xff garbage \x89PNG", "xml.malformed"),
        (b'<!DOCTYPE d [<!ENTITY x "y">]><d>&x;</d>', "xml.doctype"),
        (b'<definitions xmlns="urn:not-bpmn"/>', "bpmn.not_bpmn"),
    ],
)
def test_bad_input_is_answered_not_raised(data: bytes, key: str) -> None:
    problems = lint(data, filename="upload.bpmn")
    assert [(p.element_id, p.key, p.severity) for p in problems] == [("upload.bpmn", key, "error")]
    assert_readable(problems)


def test_no_executable_process() -> None:
    data = diagram(line("t1")).replace(b'isExecutable="true"', b'isExecutable="false"')
    assert ("x.bpmn", "bpmn.no_executable", "error") in found(lint(data, filename="x.bpmn"))


# -- graph ---------------------------------------------------------------------------------------


def test_duplicate_id() -> None:
    data = diagram(line("t1", "t2").replace('id="t2"', 'id="t1"', 1))
    assert ("t1", "lint.duplicate_id", "error") in found(lint(data))


def test_dangling_flow() -> None:
    data = diagram(line("t1") + flow("f9", "t1", "nowhere"))
    problems = lint(data)
    assert ("f9", "lint.flow_unresolved", "error") in found(problems)
    assert_readable(problems)


def test_dangling_outgoing_reference() -> None:
    body = line("t1").replace(
        '<bpmn:userTask id="t1">', '<bpmn:userTask id="t1"><bpmn:outgoing>f_gone</bpmn:outgoing>'
    )
    assert ("t1", "lint.dangling_reference", "error") in found(lint(diagram(body)))


def test_outgoing_reference_to_someone_elses_flow() -> None:
    body = line("t1").replace(
        '<bpmn:userTask id="t1">', '<bpmn:userTask id="t1"><bpmn:outgoing>f1</bpmn:outgoing>'
    )
    assert ("t1", "lint.reference_mismatch", "error") in found(lint(diagram(body)))


def test_unreachable_task() -> None:
    body = line("t1") + task("island") + '<bpmn:endEvent id="e2"/>' + flow("f8", "island", "e2")
    problems = found(lint(diagram(body)))
    assert ("island", "lint.unreachable", "error") in problems
    assert ("e2", "lint.unreachable", "error") in problems


def test_boundary_and_event_subprocess_starts_are_roots() -> None:
    body = (
        line("t1")
        + '<bpmn:boundaryEvent id="b" attachedToRef="t1"><bpmn:timerEventDefinition><bpmn:timeDuration>"PT1H"'
        "</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>"
        + '<bpmn:endEvent id="be"/>'
        + flow("fb", "b", "be")
        + '<bpmn:subProcess id="esp" triggeredByEvent="true"><bpmn:startEvent id="es"><bpmn:timerEventDefinition>'
        '<bpmn:timeDuration>"PT2H"</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>'
        '<bpmn:endEvent id="ee"/>' + flow("fe", "es", "ee") + "</bpmn:subProcess>"
    )
    assert lint(diagram(body)) == []


def test_process_without_start_event_is_one_finding() -> None:
    body = line("t1").replace('<bpmn:startEvent id="s"/>', "").replace(flow("f1", "s", "t1"), "")
    assert found(lint(diagram(body))) == {("p", "lint.no_start", "error")}


def test_node_without_a_way_out_is_a_warning() -> None:
    body = line("t1") + '<bpmn:boundaryEvent id="b" attachedToRef="t1"><bpmn:timerEventDefinition>'
    body += '<bpmn:timeDuration>"PT1H"</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>'
    assert found(lint(diagram(body))) == {("b", "lint.no_way_out", "warning")}


def test_unknown_element_is_a_typo() -> None:
    body = line("t1").replace('<bpmn:endEvent id="e"/>', '<bpmn:endEvnt id="e"/>')
    assert ("e", "lint.unknown_element", "error") in found(lint(diagram(body)))


# -- gateways -----------------------------------------------------------------------------------


def gateway(*flows: str, default: str | None = None) -> bytes:
    attr = f' default="{default}"' if default else ""
    body = '<bpmn:startEvent id="s"/>' + task("t1") + f'<bpmn:exclusiveGateway id="g"{attr}/>'
    body += task("a") + task("b") + '<bpmn:endEvent id="e"/>'
    body += flow("f1", "s", "t1") + flow("f2", "t1", "g") + "".join(flows)
    return diagram(body + flow("fa", "a", "e") + flow("fb", "b", "e"))


def test_gateway_without_default_or_conditions() -> None:
    problems = lint(gateway(flow("ga", "g", "a"), flow("gb", "g", "b")))
    assert ("g", "lint.gateway_no_conditions", "error") in found(problems)


def test_gateway_with_conditions_but_no_default_is_a_warning() -> None:
    problems = lint(gateway(flow("ga", "g", "a", "x == 1"), flow("gb", "g", "b", "x == 2")))
    assert found(problems) == {("g", "lint.gateway_no_default", "warning")}
    assert "no condition matches" in problems[0].message("en")


def test_gateway_flow_without_condition_beside_a_default() -> None:
    problems = lint(gateway(flow("ga", "g", "a"), flow("gb", "g", "b"), default="gb"))
    assert found(problems) == {("ga", "lint.flow_needs_condition", "error")}


def test_gateway_default_that_is_not_its_flow() -> None:
    problems = lint(gateway(flow("ga", "g", "a", "x"), flow("gb", "g", "b"), default="f1"))
    assert ("g", "lint.gateway_default_unknown", "error") in found(problems)


def test_complete_gateway_is_clean() -> None:
    assert lint(gateway(flow("ga", "g", "a", "x == 1"), flow("gb", "g", "b"), default="gb")) == []


def test_condition_on_a_plain_task_flow_is_ignored_warning() -> None:
    body = line("t1").replace(flow("f2", "t1", "e"), flow("f2", "t1", "e", "x == 1"))
    assert found(lint(diagram(body))) == {("f2", "lint.condition_ignored", "warning")}


# -- forms ---------------------------------------------------------------------------------------


def test_unknown_form() -> None:
    body = line("t1").replace('value="f"', 'value="tidak_ada"')
    problems = lint(diagram(body))
    assert found(problems) == {("t1", "lint.form_missing", "error")}
    assert "tidak_ada" in problems[0].message("id")


def test_camunda_form_key_and_embedded_form() -> None:
    base = '<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>' + flow("f1", "s", "u") + flow("f2", "u", "e")
    keyed = diagram(base + '<bpmn:userTask id="u" camunda:formKey="lain"/>')
    assert found(lint(keyed)) == {("u", "lint.form_missing", "error")}
    embedded = diagram(
        base + '<bpmn:userTask id="u"><bpmn:extensionElements><camunda:formData>'
        '<camunda:formField id="ok" type="boolean"/></camunda:formData></bpmn:extensionElements></bpmn:userTask>'
    )
    assert lint(embedded) == []
    bare = diagram(base + '<bpmn:userTask id="u"/>')
    assert found(lint(bare)) == {("u", "lint.form_none", "warning")}
    assert lint(bare, form_exists=None) == []


def test_broken_form_library_is_reported_not_raised() -> None:
    def explode(key: str) -> bool:
        raise RuntimeError("form store offline")

    problems = lint(diagram(line("t1")), form_exists=explode)
    assert found(problems) == {("t1", "lint.form_check_failed", "error")}


# -- expressions ---------------------------------------------------------------------------------


def script_diagram(script: str, fmt: str = "python") -> bytes:
    body = line("t1").replace(
        task("t1"),
        f'<bpmn:scriptTask id="t1" scriptFormat="{fmt}"><bpmn:script>{script}</bpmn:script></bpmn:scriptTask>',
    )
    return diagram(body)


def test_script_escaping_the_sandbox() -> None:
    escape = "for c in ().__class__.__base__.__subclasses__():\n    x = c"
    problems = lint(script_diagram(escape))
    assert [(p.element_id, p.severity) for p in problems] == [("t1", "error")]
    assert problems[0].key.startswith("sandbox.")
    reason = problems[0].params["name"]  # the sandbox's reason is in the message
    assert (
        reason.startswith("__")
        and reason in problems[0].message("en")
        and reason in problems[0].message("id")
    )
    assert_readable(problems)


def test_allowed_script_passes() -> None:
    assert lint(script_diagram('nomor = f"AG-{len(perihal)}"\nstatus = "ok"')) == []


def test_non_python_script_language() -> None:
    assert found(lint(script_diagram("x = 1", fmt="groovy"))) == {("t1", "expr.script_format", "error")}


def test_condition_escaping_the_sandbox() -> None:
    data = gateway(
        flow("ga", "g", "a", "__import__('os').system('id') == 0"), flow("gb", "g", "b"), default="gb"
    )
    problems = lint(data)
    assert [(p.element_id, p.severity) for p in problems] == [("ga", "error")]
    assert problems[0].key.startswith("sandbox.")


def test_pre_script_is_checked_too() -> None:
    body = line("t1").replace(
        "</spiffworkflow:properties>",
        "</spiffworkflow:properties><spiffworkflow:preScript>import os</spiffworkflow:preScript>",
    )
    problems = lint(diagram(body))
    assert [(p.element_id, p.severity) for p in problems] == [("t1", "error")]


def test_juel_method_call_names_the_flow() -> None:
    data = gateway(flow("ga", "g", "a", "${bean.approve(x)}"), flow("gb", "g", "b"), default="gb")
    assert found(lint(data)) == {("ga", "juel.unsupported", "error")}


PLAIN_HEAD = HEAD.replace(' xmlns:camunda="http://camunda.org/schema/1.0/bpmn"', "")


def timer_diagram(definition: str, head: str = PLAIN_HEAD) -> bytes:
    body = line("t1") + '<bpmn:boundaryEvent id="b" attachedToRef="t1"><bpmn:timerEventDefinition>'
    body += definition + "</bpmn:timerEventDefinition></bpmn:boundaryEvent>"
    return diagram(body + '<bpmn:endEvent id="be"/>' + flow("fb", "b", "be"), head=head)


@pytest.mark.parametrize(
    ("definition", "key"),
    [
        ('<bpmn:timeDuration>"PT48X"</bpmn:timeDuration>', "expr.timer_invalid"),
        ('<bpmn:timeDate>"31-12-2025"</bpmn:timeDate>', "expr.timer_invalid"),
        ('<bpmn:timeCycle>"every hour"</bpmn:timeCycle>', "expr.timer_invalid"),
        ("<bpmn:timeDuration>PT48H</bpmn:timeDuration>", "expr.timer_unquoted"),
        ("<bpmn:timeDuration></bpmn:timeDuration>", "expr.timer_empty"),
        ("<bpmn:timeDuration>open('/etc/passwd')</bpmn:timeDuration>", "sandbox.forbidden_call"),
    ],
)
def test_invalid_timer(definition: str, key: str) -> None:
    problems = lint(timer_diagram(definition))
    assert found(problems) == {("b", key, "error")}
    assert_readable(problems)


@pytest.mark.parametrize(
    "definition",
    [
        '<bpmn:timeDuration>"PT48H"</bpmn:timeDuration>',
        "<bpmn:timeDuration>tenggat</bpmn:timeDuration>",
        '<bpmn:timeDate>"2030-01-31T17:00:00+07:00"</bpmn:timeDate>',
        '<bpmn:timeCycle>"R3/PT24H"</bpmn:timeCycle>',
    ],
)
def test_valid_timers(definition: str) -> None:
    assert lint(timer_diagram(definition)) == []


def test_unquoted_timer_is_fine_in_a_camunda_file() -> None:
    head = HEAD.replace('id="defs"', 'id="defs" exporter="Camunda Modeler"')
    assert lint(timer_diagram("<bpmn:timeDuration>PT48H</bpmn:timeDuration>", head=head)) == []
    assert found(lint(timer_diagram("<bpmn:timeDuration>PT48H</bpmn:timeDuration>"))) == {
        ("b", "expr.timer_unquoted", "error")
    }


# -- references ------------------------------------------------------------------------------------


def call_diagram(called: str = "lain") -> bytes:
    body = '<bpmn:startEvent id="s"/><bpmn:callActivity id="c" calledElement="' + called + '"/>'
    return diagram(body + '<bpmn:endEvent id="e"/>' + flow("f1", "s", "c") + flow("f2", "c", "e"))


def test_missing_called_element_is_an_error_for_deploy_and_a_warning_alone() -> None:
    assert found(lint(call_diagram())) == {("c", "lint.called_missing", "error")}
    assert found(lint(call_diagram(), missing_references="warning")) == {
        ("c", "lint.called_missing", "warning")
    }
    assert lint(call_diagram(), known_processes={"lain"}) == []


def test_call_cycle() -> None:
    assert found(lint(call_diagram("p"))) == {("c", "bpmn.call_cycle", "error")}


def test_missing_decision() -> None:
    body = '<bpmn:startEvent id="s"/><bpmn:businessRuleTask id="r" camunda:decisionRef="rute"/>'
    data = diagram(body + '<bpmn:endEvent id="e"/>' + flow("f1", "s", "r") + flow("f2", "r", "e"))
    assert found(lint(data)) == {("r", "lint.decision_missing", "error")}
    assert found(lint(data, missing_references="warning")) == {("r", "lint.decision_missing", "warning")}


# -- SpiffWorkflow's own parse ------------------------------------------------------------------


def test_spiff_validation_becomes_a_problem() -> None:
    body = line("t1").replace(task("t1"), '<bpmn:serviceTask id="t1"/>')
    assert found(lint(diagram(body))) == {("t1", "spiff.service_operator", "error")}


def test_two_flows_out_of_a_task() -> None:
    body = line("t1") + '<bpmn:endEvent id="e2"/>' + flow("f9", "t1", "e2")
    assert ("t1", "spiff.multiple_outgoing", "error") in found(lint(diagram(body)))


def test_pathological_chain_answers_quickly() -> None:
    nodes = [f"t{i}" for i in range(3000)]
    data = diagram(line(*nodes))
    started = time.perf_counter()
    problems = lint(data)
    assert time.perf_counter() - started < 5
    assert found(problems) == {("p", "spiff.too_long", "error")}


# -- DMN and files -------------------------------------------------------------------------------

DMN_13 = "https://www.omg.org/spec/DMN/20191111/MODEL/"


def dmn(body: str, ns: str = DMN_13) -> bytes:
    return f'<definitions xmlns="{ns}" id="defs" name="d" namespace="x">{body}</definitions>'.encode()


TABLE = (
    '<decision id="keputusan" name="K"><decisionTable id="tbl">'
    '<input id="i1"><inputExpression id="ie"><text>nilai</text></inputExpression></input>'
    '<output id="o1" name="hasil"/>'
    '<rule id="r1"><inputEntry id="r1i"><text>&gt; 10</text></inputEntry><outputEntry id="r1o"><text>"besar"</text>'
    "</outputEntry></rule></decisionTable></decision>"
)


def test_dmn_checks() -> None:
    assert lint_dmn(dmn(TABLE)) == []
    unsupported = lint_dmn(dmn(TABLE, ns="https://www.omg.org/spec/DMN/20230324/MODEL/"), filename="x.dmn")
    assert found(unsupported) == {("x.dmn", "dmn.unsupported_version", "error")}
    assert "1.5" in unsupported[0].message("en")
    two = lint_dmn(dmn(TABLE + TABLE.replace('"keputusan"', '"kedua"')), filename="x.dmn")
    assert found(two) == {("x.dmn", "dmn.multiple_decisions", "error")}
    escape = lint_dmn(dmn(TABLE.replace('"besar"', "().__class__")))
    assert found(escape) == {("r1o", "sandbox.forbidden_attribute", "error")}


def test_validate_path_handles_both_kinds(tmp_path: Path) -> None:
    (tmp_path / "keputusan.dmn").write_bytes(dmn(TABLE))
    (tmp_path / "proses.bpmn").write_bytes(call_diagram())
    (tmp_path / "kosong.bpmn").write_bytes(b"")
    assert validate_path(tmp_path / "keputusan.dmn") == []
    assert found(validate_path(tmp_path / "proses.bpmn")) == {("c", "lint.called_missing", "warning")}
    assert found(validate_path(tmp_path / "kosong.bpmn")) == {("kosong.bpmn", "xml.empty", "error")}
    assert found(validate_path(tmp_path / "hilang.bpmn")) == {("hilang.bpmn", "lint.unreadable", "error")}
