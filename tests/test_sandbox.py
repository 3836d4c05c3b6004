"""The script sandbox refuses every known way out, and still runs ordinary routing code.

The escape set and the ordinary set live side by side on purpose: a sandbox that refuses
everything would pass the first and fail the second.
"""

from __future__ import annotations

import copy
import datetime as dt
from xml.sax.saxutils import escape

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.util.task import TaskState

from engine import sandbox_check, sandbox_runtime
from engine.errors import SandboxViolation
from engine.sandbox import (
    check_expression,
    check_script,
    evaluate,
    execute,
    make_script_engine,
)


def sample_data() -> dict:
    return {
        "items": [{"amount": 5}, {"amount": 7}],
        "tags": ["Rahasia", "Segera"],
        "x": 3,
        "y": "abc",
        "d": {"a": 1, "b": 0},
        "keputusan": "setujui",
        "amount": 1500,
        "urgent": False,
    }


# (source, "expr"|"script", "check" if the deploy-time check refuses it, else "run")
ESCAPES = [
    ("().__class__.__base__.__subclasses__()", "expr", "check"),
    ("__import__('os')", "expr", "check"),
    ("open('/etc/passwd')", "expr", "check"),
    ("'{0.__class__}'.format(1)", "expr", "check"),
    ("'{}'.format(1)", "expr", "check"),
    ("getattr(x, 'y')", "expr", "check"),
    ("eval('1')", "expr", "check"),
    ("exec", "expr", "check"),
    ("globals()", "expr", "check"),
    ("import os", "script", "check"),
    ("from os import path", "script", "check"),
    ("lambda: 1", "expr", "check"),
    ("while True:\n    pass", "script", "check"),
    ("def f():\n    pass", "script", "check"),
    ("class A:\n    pass", "script", "check"),
    ("try:\n    x = 1\nexcept Exception:\n    pass", "script", "check"),
    ("with open('/tmp/x') as f:\n    pass", "script", "check"),
    ("raise ValueError('x')", "script", "check"),
    ("global x", "script", "check"),
    ("(t for t in tags).gi_frame.f_back.f_globals", "expr", "check"),
    ("[t for t in tags][0].gi_frame", "expr", "check"),
    ("[i for i in range(10**9)]", "expr", "run"),
    ("9**9**9", "expr", "run"),
    ("'a'*10**9", "expr", "run"),
    ("[0]*10**7", "expr", "run"),
    (
        "n = 0\nfor a in range(1000):\n    for b in range(1000):\n        for c in range(1000):\n            n += 1",
        "script",
        "run",
    ),
    ("x.__dict__", "expr", "check"),
    ("type(1)", "expr", "check"),
    ("vars()", "expr", "check"),
    ("dir()", "expr", "check"),
    ("breakpoint()", "expr", "check"),
    ("print('x')", "expr", "check"),
    ("f'{x.__class__}'", "expr", "check"),
    ("f'{x!r:{y}}'", "expr", "check"),
    ("f'{x:>1000000}'", "expr", "check"),
    ("_x", "expr", "check"),
    ("__builtins__", "expr", "check"),
    ("(z := 1)", "expr", "check"),
    ("[*items]", "expr", "check"),
    ("{**d}", "expr", "check"),
    ("len(*items)", "expr", "check"),
    ("1 << 100000", "expr", "check"),
    ("items.append(1)", "expr", "check"),  # conditions must not change data
    ("d['a']()", "expr", "check"),
    ("x.y = 1", "script", "check"),
    ("del d.a", "script", "check"),
    ("items[0:0] = items", "script", "check"),
    ("z: int = 1", "script", "check"),
    ("assert x", "script", "check"),
    ("y.year", "expr", "run"),  # whitelisted name, wrong type
    ("str.lower", "expr", "run"),
    ("items.pop.count", "script", "run"),
    ("'%0999999999d' % 1", "expr", "run"),
    ("'%s' % y", "expr", "run"),
    ("''.join(['a' * 1000000] * 1000)", "expr", "run"),
    ("str(['a' * 1000000] * 1000)", "expr", "run"),
    ("f'{[y * 300000] * 10}'", "expr", "run"),
    ("('a' * 1000).replace('a', 'b' * 10000)", "expr", "run"),
    ("range(10**12)", "expr", "run"),
    ("round(1, -10**6)", "expr", "run"),
    ("sum([[1]] * 3, [])", "expr", "run"),
    ("2 ** 101", "expr", "run"),
    ("(10 ** 100) ** 100", "expr", "run"),
    ("s = 'a' * 1000000\ns += s", "script", "run"),
    ("l = [1]\nfor i in range(100):\n    l.extend(l)", "script", "run"),
    ("n = 7\nfor i in range(30):\n    n = n * n", "script", "run"),
    ("g = (t for t in tags)", "script", "run"),  # a generator cannot be stored
    ("k = d.keys()", "script", "run"),
    ("k = {(1, 2): 3}", "script", "run"),
    ("k = [{(t for t in tags): 1}]", "script", "run"),
    ("k = b'abc'", "script", "run"),
    ("for i in range(200000):\n    pass", "script", "run"),
    ("for i in range(10000):\n    for j in range(11):\n        pass", "script", "run"),
    ("[" + "x," * 3300 + "]", "expr", "check"),
    # shared references: tiny in memory, exponential to compare, hash or write out
    ("x = [0]\ny = [0]\nfor i in range(60):\n    x = [x, x]\n    y = [y, y]\nz = x == y", "script", "run"),
    ("x = (0,)\nfor i in range(60):\n    x = (x, x)\nd = {x: 1}", "script", "run"),
    ("x = [0]\nfor i in range(60):\n    x = [x, x]", "script", "run"),
    ("t = tuple([0] * 1000000)\nfor i in range(10000):\n    d = {t: 1}", "script", "run"),
    ("t = tuple([0] * 100000)\ns = set([t] * 1000)", "script", "run"),
    ("a = [0] * 1000000\nb = [0] * 1000000\nfor i in range(10000):\n    c = a == b", "script", "run"),
    ("y = 1 << 3", "script", "check"),
    ("t = 0\nfor i in range(10000):\n    t += len([a for a in items for b in range(100)])", "script", "run"),
    ("(" * 300 + "1" + ")" * 300, "expr", "check"),
    ("-" * 500 + "1", "expr", "check"),
    ("x " + "+ x " * 5000, "expr", "check"),
    ("break", "script", "check"),
]


@pytest.mark.parametrize(("src", "kind", "when"), ESCAPES, ids=[e[0][:40] for e in ESCAPES])
def test_escape_is_refused_and_changes_nothing(src: str, kind: str, when: str) -> None:
    data = sample_data()
    before = copy.deepcopy(data)
    check = check_expression if kind == "expr" else check_script
    if when == "check":
        with pytest.raises(SandboxViolation):
            check(src)
    else:
        check(src)  # allowed syntax; the run-time meters must stop it
    with pytest.raises(SandboxViolation) as info:
        if kind == "expr":
            evaluate(src, data)
        else:
            execute(src, data)
    assert info.value.message("en")
    assert data == before


def test_a_failing_script_leaves_data_untouched_even_after_in_place_changes() -> None:
    data = sample_data()
    before = copy.deepcopy(data)
    with pytest.raises(SandboxViolation):
        execute("items.append(1)\nd['c'] = 2\nz = 1\nw = [i for i in range(10**6)]", data)
    assert data == before


def test_a_callable_smuggled_into_task_data_cannot_be_called() -> None:
    with pytest.raises(SandboxViolation):
        evaluate("f('x')", {"f": print})
    with pytest.raises(SandboxViolation):
        evaluate("sorted(items, key=f)", {"f": print, "items": [1, 2]})


def test_refusal_names_what_is_refused_in_both_languages() -> None:
    with pytest.raises(SandboxViolation) as info:
        check_expression("x.__class__")
    assert "__class__" in info.value.message("id")
    assert "__class__" in info.value.message("en")
    assert "Ditolak" in str(info.value)
    with pytest.raises(SandboxViolation) as info:
        check_script("x = 1\nimport os")
    assert "import" in info.value.message("en") and "2" in info.value.message("en")
    with pytest.raises(SandboxViolation) as info:
        check_expression("amount >")
    assert "syntax" in info.value.message("en")


def test_deploy_time_refusal_names_the_line_even_for_operators() -> None:
    with pytest.raises(SandboxViolation) as info:
        check_script("x = 1\n\ny = x << 3")
    assert info.value.lineno == 3 and "<<" in str(info.value)


def test_source_length_is_capped() -> None:
    with pytest.raises(SandboxViolation):
        check_expression("1" + " " * sandbox_check.MAX_SOURCE_CHARS)


# (source, "expr"|"script", data overrides, expected value or expected data subset)
ORDINARY = [
    ('keputusan == "setujui"', "expr", {}, True),
    ('keputusan == "tolak"', "expr", {}, False),
    ("amount > 1000 and not urgent", "expr", {}, True),
    ('d.get("x", 0) + 1', "expr", {}, 1),
    ('x in ["a", "b"]', "expr", {"x": "a"}, True),
    ('x not in ("a", "b")', "expr", {}, True),
    ("round(1.5)", "expr", {}, 2),
    ("round(2.675, 2)", "expr", {}, 2.67),
    ("min(a, b)", "expr", {"a": 4, "b": 2}, 2),
    ("max(a['amount'] for a in items)", "expr", {}, 7),
    ("any(a['amount'] > 6 for a in items)", "expr", {}, True),
    ("all(a['amount'] > 6 for a in items)", "expr", {}, False),
    ("len(items) > 1 and items[0]['amount'] == 5", "expr", {}, True),
    ("items[-1]['amount']", "expr", {}, 7),
    ("[a['amount'] for a in items][0:1]", "expr", {}, [5]),
    ("y[::-1]", "expr", {}, "cba"),
    ('", ".join(sorted(tags))', "expr", {}, "Rahasia, Segera"),
    ("sorted(d, key=d.get)", "expr", {}, ["b", "a"]),
    ("{k: v for k, v in d.items() if v}", "expr", {}, {"a": 1}),
    ("{t.upper() for t in tags}", "expr", {}, {"RAHASIA", "SEGERA"}),
    ("dict(zip(['p', 'q'], [1, 2]))", "expr", {}, {"p": 1, "q": 2}),
    ("list(enumerate(tags))[1]", "expr", {}, (1, "Segera")),
    ("sum(range(5))", "expr", {}, 10),
    ('f"{amount:,.2f}"', "expr", {}, "1,500.00"),
    ('f"{y!r}-{x:03d}"', "expr", {}, "'abc'-003"),
    ('"Surat " + y.upper()', "expr", {}, "Surat ABC"),
    ("'ab' * 3", "expr", {}, "ababab"),
    ("2 ** 10", "expr", {}, 1024),
    ("10 ** 9", "expr", {}, 1_000_000_000),
    ("int('5') * 2 + float('0.5')", "expr", {}, 10.5),
    ("str(12) + '/' + str(x)", "expr", {}, "12/3"),
    ("x % 2 == 1 and -x < 0 and abs(-x) == 3", "expr", {}, True),
    ("'a' if x > 2 else 'b'", "expr", {}, "a"),
    ("nomor is None", "expr", {"nomor": None}, True),
    ("y.startswith('a') and y.split('b') == ['a', 'c']", "expr", {}, True),
    ('"PT1H"', "expr", {}, "PT1H"),
    ("type", "expr", {"type": "nota"}, "nota"),  # a form field may be called `type`
    ('total = sum([a["amount"] for a in items])', "script", {}, {"total": 12}),
    ('label = f"{len(items)} items"', "script", {}, {"label": "2 items"}),
    ("tags = [t.lower() for t in tags]", "script", {}, {"tags": ["rahasia", "segera"]}),
    (
        "if amount > 1000:\n    level = 'kepala'\nelif amount > 10:\n    level = 'kabid'\nelse:\n    level = 'staf'",
        "script",
        {},
        {"level": "kepala"},
    ),
    ("total = 0\nfor a in items:\n    total += a['amount']", "script", {}, {"total": 12}),
    (
        "n = 0\nfor i in range(100):\n    if i % 2:\n        continue\n    if i > 10:\n        break\n    n += 1",
        "script",
        {},
        {"n": 6},
    ),
    ('revision = revision + 1 if defined("revision") else 1', "script", {}, {"revision": 1}),
    ('revision = revision + 1 if defined("revision") else 1', "script", {"revision": 4}, {"revision": 5}),
    ('ok = defined("len") or defined("_x") or defined("nope")', "script", {}, {"ok": False}),
    (
        "counts = {}\nfor t in ['a', 'b', 'a']:\n    counts[t] = counts.get(t, 0) + 1",
        "script",
        {},
        {"counts": {"a": 2, "b": 1}},
    ),
    ("totals = {'a': 1}\ntotals['a'] += 2\ntotals['a'] *= 2", "script", {}, {"totals": {"a": 6}}),
    ("items.append({'amount': 1})", "script", {}, {"items": [{"amount": 5}, {"amount": 7}, {"amount": 1}]}),
    ("a, b = 1, 2\nb, a = a, b", "script", {}, {"a": 2, "b": 1}),
    ("del d['a']\ndel x", "script", {}, {"d": {"b": 0}}),
    ("s = ''\nfor t in tags:\n    s += t[0]", "script", {}, {"s": "RS"}),
    ("    indented = 1\n    also = 2", "script", {}, {"indented": 1, "also": 2}),
]


@pytest.mark.parametrize(
    ("src", "kind", "extra_data", "expected"), ORDINARY, ids=[o[0][:40] for o in ORDINARY]
)
def test_ordinary_code_runs_with_the_right_value(
    src: str, kind: str, extra_data: dict, expected: object
) -> None:
    data = sample_data() | extra_data
    if kind == "expr":
        check_expression(src)
        assert evaluate(src, data) == expected
        return
    check_script(src)
    execute(src, data)
    assert {k: data[k] for k in expected} == expected  # type: ignore[union-attr]
    assert not any(callable(v) for v in data.values())
    assert not any(k.startswith("_") for k in data)


def test_execute_removes_deleted_names_and_keeps_functions_out_of_data() -> None:
    data = sample_data()
    execute("del x\nf = len\nm = y.upper\nhasil = m()\nitems = len", data)
    assert "x" not in data and "f" not in data and "m" not in data and "items" not in data
    assert data["hasil"] == "ABC"


def test_application_helpers_are_callable_and_not_stored() -> None:
    helpers = {"today": lambda: dt.date(2024, 8, 17), "now": lambda: dt.datetime(2024, 8, 17, 9, 30)}
    data: dict = {}
    execute(
        "tahun = today().year\njam = now().hour\niso = today().isoformat()\nhari = now().date().day",
        data,
        helpers,
    )
    assert data == {"tahun": 2024, "jam": 9, "iso": "2024-08-17", "hari": 17}
    assert evaluate("now().isoformat()", {}, helpers) == "2024-08-17T09:30:00"


def test_metering_leaves_room_for_ordinary_list_work() -> None:
    data = {"users": [f"u{i}" for i in range(1000)], "approvers": [f"u{i}" for i in range(0, 200, 2)]}
    execute(
        "hits = [u for u in users if u in approvers]\nn = len(set(users))\nfirst = sorted(users)[0]", data
    )
    assert len(data["hits"]) == 100 and data["n"] == 1000 and data["first"] == "u0"


def test_budgets_are_per_execution() -> None:
    src = "t = 0\nfor i in range(10000):\n    t += 1"
    for _ in range(20):  # 200 000 iterations in total, 10 000 per run
        execute(src, {})


def test_limits_are_what_the_docs_say() -> None:
    assert sandbox_runtime.MAX_RANGE == 10_000
    assert sandbox_runtime.MAX_LOOP_ITERATIONS == 100_000
    assert sandbox_runtime.MAX_SIZE == 1_000_000
    evaluate("len(range(10000))", {})
    with pytest.raises(SandboxViolation):
        evaluate("range(10001)", {})


# ---- through SpiffWorkflow ----------------------------------------------------------------

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="probe" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="script" name="Hitung">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>SCRIPT</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:exclusiveGateway id="gw" default="f_no">
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f_yes</bpmn:outgoing><bpmn:outgoing>f_no</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:endEvent id="end_yes"><bpmn:incoming>f_yes</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="end_no"><bpmn:incoming>f_no</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="script" />
    <bpmn:sequenceFlow id="f2" sourceRef="script" targetRef="gw" />
    <bpmn:sequenceFlow id="f_yes" sourceRef="gw" targetRef="end_yes">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">COND</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f_no" sourceRef="gw" targetRef="end_no" />
  </bpmn:process>
</bpmn:definitions>"""

ORDINARY_SCRIPT = (
    "total = sum([a['amount'] for a in items])\nlabel = f'{len(items)} items'\nflag = total > 10"
)
ESCAPE_SCRIPT = "cwd = None\nfor c in ().__class__.__base__.__subclasses__():\n    cwd = c"
RUNAWAY_SCRIPT = "n = 0\nfor a in range(1000):\n    for b in range(1000):\n        n += 1"


def workflow(script: str, cond: str = "flag", engine: object = "sandbox") -> BpmnWorkflow:
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(BPMN.replace("SCRIPT", escape(script)).replace("COND", escape(cond)).encode())
    wf = BpmnWorkflow(
        parser.get_spec("probe"), script_engine=make_script_engine() if engine == "sandbox" else engine
    )
    wf.task_tree.data.update(items=[{"amount": 5}, {"amount": 7}])
    return wf


def ended_at(wf: BpmnWorkflow) -> str:
    done = [t.task_spec.name for t in wf.get_tasks(state=TaskState.COMPLETED)]
    return "end_yes" if "end_yes" in done else "end_no"


@pytest.mark.parametrize(
    ("cond", "end"), [("flag", "end_yes"), ("total > 100", "end_no"), ("${total == 12}", "end_yes")]
)
def test_ordinary_script_runs_and_gateway_picks_the_right_flow(cond: str, end: str) -> None:
    wf = workflow(ORDINARY_SCRIPT, cond)
    wf.do_engine_steps()
    assert wf.is_completed()
    assert ended_at(wf) == end
    assert wf.last_task.data["label"] == "2 items"


@pytest.mark.parametrize(("script", "words"), [(ESCAPE_SCRIPT, "'.__"), (RUNAWAY_SCRIPT, "100000")])
def test_escaping_script_leaves_the_task_in_error_with_a_clear_message(script: str, words: str) -> None:
    wf = workflow(script)
    with pytest.raises(WorkflowTaskException) as info:
        wf.do_engine_steps()
    err = info.value
    assert err.error_type == "SandboxViolation"
    assert isinstance(err.__cause__, SandboxViolation)
    assert words in str(err) and ("Ditolak" in str(err) or "Dihentikan" in str(err))
    assert err.line_number >= 2 and err.error_line.strip().startswith("for")
    [task] = wf.get_tasks(state=TaskState.ERROR)
    assert task.task_spec.name == "script"
    assert "cwd" not in task.data and "n" not in task.data


def test_escaping_gateway_condition_is_contained_with_its_reason() -> None:
    wf = workflow(ORDINARY_SCRIPT, "__import__('os').getpid() > 0")
    with pytest.raises(WorkflowTaskException) as info:
        wf.do_engine_steps()
    assert "__import__" in str(info.value) and "Ditolak" in str(info.value)
    assert isinstance(info.value.__cause__, SandboxViolation)


def test_ordinary_python_errors_are_reported_without_crashing_the_formatter() -> None:
    wf = workflow("d = {}\nx = d[1]")  # upstream crashed on KeyError(1): ":" + 1
    with pytest.raises(WorkflowTaskException) as info:
        wf.do_engine_steps()
    assert "KeyError: 1" in str(info.value) and info.value.line_number == 2


def test_serializer_round_trip_with_reattached_engine_still_contains_escapes() -> None:
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    for script, ok in ((ORDINARY_SCRIPT, True), (ESCAPE_SCRIPT, False)):
        state = serializer.serialize_json(workflow(script))
        wf = serializer.deserialize_json(state)
        wf.script_engine = make_script_engine()
        if ok:
            wf.do_engine_steps()
            assert ended_at(wf) == "end_yes"
            serializer.serialize_json(wf)  # nothing unstorable was left in task data
        else:
            with pytest.raises(WorkflowTaskException) as info:
                wf.do_engine_steps()
            assert isinstance(info.value.__cause__, SandboxViolation)


def test_helpers_reach_scripts_through_the_engine_factory() -> None:
    engine = make_script_engine({"today": lambda: dt.date(2024, 8, 17)})
    wf = workflow("tahun = today().year\nflag = tahun == 2024", engine=engine)
    wf.do_engine_steps()
    assert ended_at(wf) == "end_yes"
    assert wf.last_task.data["tahun"] == 2024 and "today" not in wf.last_task.data
    with pytest.raises(SandboxViolation):
        make_script_engine({"_secret": len})


DMN_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="dmn_route" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:businessRuleTask id="decide" name="Tentukan rute">
      <bpmn:extensionElements><spiffworkflow:calledDecisionId>route_letter</spiffworkflow:calledDecisionId></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing></bpmn:businessRuleTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
    <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>"""

DMN = """<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="dmn_route" name="Routing" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="route_letter" name="Route letter">
    <decisionTable id="dt_route" hitPolicy="FIRST">
      <input id="in_type" label="Letter type"><inputExpression id="ie_type" typeRef="string"><text>letter_type</text></inputExpression></input>
      <input id="in_amount" label="Amount"><inputExpression id="ie_amount" typeRef="number"><text>amount</text></inputExpression></input>
      <output id="out_dept" label="Department" name="department" typeRef="string" />
      <output id="out_lvl" label="Approval level" name="approval_level" typeRef="string" />
      <rule id="r1"><inputEntry id="r1a"><text>"invoice"</text></inputEntry><inputEntry id="r1b"><text>&gt;= 10000</text></inputEntry>
        <outputEntry id="r1c"><text>"finance"</text></outputEntry><outputEntry id="r1d"><text>"director"</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="r2a"><text>"invoice"</text></inputEntry><inputEntry id="r2b"><text>&lt; 10000</text></inputEntry>
        <outputEntry id="r2c"><text>"finance"</text></outputEntry><outputEntry id="r2d"><text>"manager"</text></outputEntry></rule>
      <rule id="r3"><inputEntry id="r3a"><text>"complaint"</text></inputEntry><inputEntry id="r3b"><text>0 &lt; ? &lt; 10</text></inputEntry>
        <outputEntry id="r3c"><text>"customer_care"</text></outputEntry><outputEntry id="r3d"><text>"staff"</text></outputEntry></rule>
      <rule id="r4"><inputEntry id="r4a"><text>"complaint"</text></inputEntry><inputEntry id="r4b"><text></text></inputEntry>
        <outputEntry id="r4c"><text>"customer_care"</text></outputEntry><outputEntry id="r4d"><text>"manager"</text></outputEntry></rule>
      <rule id="r5"><inputEntry id="r5a"><text>"evil"</text></inputEntry><inputEntry id="r5b"><text></text></inputEntry>
        <outputEntry id="r5c"><text>().__class__</text></outputEntry><outputEntry id="r5d"><text>"x"</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>"""


@pytest.mark.parametrize(
    ("letter_type", "amount", "department", "level"),
    [
        ("invoice", 25000, "finance", "director"),
        ("invoice", 50, "finance", "manager"),
        ("complaint", 5, "customer_care", "staff"),
        ("complaint", 50, "customer_care", "manager"),
        ("other", 0, None, None),
    ],
)
def test_dmn_cells_evaluate_through_the_sandbox(
    letter_type: str, amount: int, department: str | None, level: str | None
) -> None:
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(DMN_BPMN.encode())
    parser.add_dmn_str(DMN.encode())
    wf = BpmnWorkflow(parser.get_spec("dmn_route"), script_engine=make_script_engine())
    wf.task_tree.data.update(letter_type=letter_type, amount=amount)
    wf.do_engine_steps()
    assert wf.is_completed()
    data = wf.last_task.data
    assert (data.get("department"), data.get("approval_level")) == (department, level)


def test_dmn_cell_that_escapes_is_refused() -> None:
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(DMN_BPMN.encode())
    parser.add_dmn_str(DMN.encode())
    wf = BpmnWorkflow(parser.get_spec("dmn_route"), script_engine=make_script_engine())
    wf.task_tree.data.update(letter_type="evil", amount=0)
    with pytest.raises(WorkflowTaskException) as info:
        wf.do_engine_steps()
    assert "__class__" in str(info.value)
