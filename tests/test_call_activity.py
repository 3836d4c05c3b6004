"""A process calling another deployed process: resolved at start, pinned for the instance."""

from __future__ import annotations

from engine.audit import Actor
from tests.flow import get_user, inbox_of, instance_row, task_in_inbox

CALLER = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d1" targetNamespace="t">
  <bpmn:process id="surat_keluar_uji" name="Surat keluar (uji)" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:callActivity id="panggil_paraf" name="Paraf" calledElement="paraf_uji">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:callActivity>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="panggil_paraf" />
    <bpmn:sequenceFlow id="f2" sourceRef="panggil_paraf" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>"""

CALLED = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d2" targetNamespace="t">
  <bpmn:process id="paraf_uji" name="Paraf (uji)" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="Konseptor"><bpmn:flowNodeRef>paraf</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="s"><bpmn:outgoing>g1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="paraf" name="NAME"><bpmn:incoming>g1</bpmn:incoming><bpmn:outgoing>g2</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="e"><bpmn:incoming>g2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="g1" sourceRef="s" targetRef="paraf" />
    <bpmn:sequenceFlow id="g2" sourceRef="paraf" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>"""


def _deploy(db, engine, data: bytes) -> None:  # type: ignore[no-untyped-def]
    with db.transaction() as session:
        engine.registry.deploy(session, data, actor=Actor(None, "test"), filename="x.bpmn", source="upload")


def _start(db, engine) -> int:  # type: ignore[no-untyped-def]
    from engine.organisation import positions_of

    with db.transaction() as session:
        budi = get_user(session, "budi")
        position = positions_of(session, budi.id, engine.clock.today())[0]
        return engine.start(session, "surat_keluar_uji", user=budi, unit_id=position.unit_id, position=position).instance.id


def test_called_process_is_resolved_at_start_and_pinned_for_the_instance(org, engine):
    _deploy(org, engine, CALLED.replace(b"NAME", b"Paraf versi satu"))
    _deploy(org, engine, CALLER)
    first = _start(org, engine)
    assert [n for _, n, iid in inbox_of(org, engine, "budi") if iid == first] == ["Paraf versi satu"]

    _deploy(org, engine, CALLED.replace(b"NAME", b"Paraf versi dua"))
    second = _start(org, engine)
    names = {iid: n for _, n, iid in inbox_of(org, engine, "budi")}
    assert names == {first: "Paraf versi satu", second: "Paraf versi dua"}

    with org.transaction() as session:
        engine.complete(session, task_in_inbox(org, engine, "budi", first), user=get_user(session, "budi"), data={})
    assert instance_row(org, first).status == "completed"
