"""When a step fails, or a diagram slipped past the linter, the engine contains it."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from engine.models import AuditEvent, ProcessVersion
from tests.flow import inbox_of, instance_row, start

TEMPLATE = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="%(pid)s" name="Uji" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="hitung" name="Hitung">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>%(script)s</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:userTask id="periksa" name="Periksa hasil">
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="hitung" />
    <bpmn:sequenceFlow id="f2" sourceRef="hitung" targetRef="periksa" />
    <bpmn:sequenceFlow id="f3" sourceRef="periksa" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>"""


def _smuggle(db, pid: str, script: bytes) -> None:  # type: ignore[no-untyped-def]
    """Put a version straight into the table, as if lint had been skipped (an old row, a bug)."""
    xml = TEMPLATE % {b"pid": pid.encode(), b"script": script}
    with db.transaction() as session:
        session.add(ProcessVersion(key=pid, version=1, name="Uji", process_id=pid,
                                   sha256=hashlib.sha256(xml).hexdigest(), bpmn=xml, source="file"))


def test_escaping_script_in_an_unlinted_diagram_is_contained_at_run_time(org, engine, tmp_path):
    marker = tmp_path / "owned"
    script = f'x = ().__class__.__base__.__subclasses__()\nopen(&quot;{marker}&quot;, &quot;w&quot;).write(&quot;x&quot;)'
    _smuggle(org, "uji_escape", script.encode())
    instance_id = start(org, engine, key="uji_escape")
    row = instance_row(org, instance_id)
    assert row.status == "error"
    assert row.error.startswith("hitung:")
    assert "hitung" in row.marks["failed"]
    assert not marker.exists()
    assert inbox_of(org, engine, "budi") == []
    with org.transaction(write=False) as session:
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.instance_id == instance_id)
                                  .order_by(AuditEvent.seq)).all()
    assert actions == ["instance.started", "instance.error"]


def test_ordinary_script_in_the_same_diagram_runs(org, engine):
    _smuggle(org, "uji_biasa", b"total = sum([1, 2, 3])\nlabel = f&quot;{total} item&quot;")
    instance_id = start(org, engine, key="uji_biasa")
    row = instance_row(org, instance_id)
    assert row.status == "running" and row.error is None
    assert [n for _, n, iid in inbox_of(org, engine, "budi") if iid == instance_id] == ["Periksa hasil"]


def test_runtime_error_marks_the_instance_and_keeps_what_was_saved(org, engine):
    _smuggle(org, "uji_error", b"x = tidak_ada + 1")
    instance_id = start(org, engine, key="uji_error")
    row = instance_row(org, instance_id)
    assert row.status == "error" and "tidak_ada" in row.error
    assert row.state  # the state up to the failed step is stored for an admin to retry


LOOP = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="uji_putar" name="Putar" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="tambah" name="Tambah">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:incoming>f_lagi</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>n = n + 1 if defined("n") else 1</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:exclusiveGateway id="gw" default="f_lagi"><bpmn:incoming>f2</bpmn:incoming>
      <bpmn:outgoing>f_lagi</bpmn:outgoing><bpmn:outgoing>f_akhir</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="end"><bpmn:incoming>f_akhir</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="tambah" />
    <bpmn:sequenceFlow id="f2" sourceRef="tambah" targetRef="gw" />
    <bpmn:sequenceFlow id="f_lagi" sourceRef="gw" targetRef="tambah" />
    <bpmn:sequenceFlow id="f_akhir" sourceRef="gw" targetRef="end">
      <bpmn:conditionExpression>n &lt; 0</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
  </bpmn:process>
</bpmn:definitions>"""


def test_a_loop_of_automatic_steps_stops_with_a_message(org, engine):
    """Each script is bounded by the sandbox; a cycle of them must be bounded too."""
    from engine.audit import Actor

    with org.transaction() as session:
        engine.registry.deploy(session, LOOP, actor=Actor(None, "test"), filename="putar.bpmn")
    instance_id = start(org, engine, key="uji_putar")
    row = instance_row(org, instance_id)
    assert row.status == "error"
    assert "langkah otomatis" in row.error


def test_a_loop_that_ends_runs_to_completion(org, engine):
    from engine.audit import Actor

    ends = LOOP.replace(b"n &lt; 0", b"n &gt;= 50").replace(b"uji_putar", b"uji_berhenti")
    with org.transaction() as session:
        engine.registry.deploy(session, ends, actor=Actor(None, "test"), filename="berhenti.bpmn")
    instance_id = start(org, engine, key="uji_berhenti")
    assert instance_row(org, instance_id).status == "completed"
