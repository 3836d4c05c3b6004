"""A file made in Camunda Modeler runs unchanged: candidateGroups, a generated form (formData)
and JUEL conditions, through the same engine as Lontar's own flows."""

from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from engine.audit import Actor
from forms.builder import build_form_class, form_data
from forms.camunda import schema_from_camunda
from tests.flow import get_user, inbox_of, instance_row, start, tasks_of

CAMUNDA_FILE = Path(__file__).parent / "fixtures" / "bpmn" / "camunda_disposisi.bpmn"


@pytest.fixture
def camunda_deployed(org, engine):  # type: ignore[no-untyped-def]
    with org.transaction() as session:
        engine.registry.deploy(session, CAMUNDA_FILE.read_bytes(), actor=Actor(None, "test"),
                               filename=CAMUNDA_FILE.name, source="upload")
    return org


def _submit(db, engine, username, instance_id, formdata):  # type: ignore[no-untyped-def]
    task = [t for t in tasks_of(db, instance_id) if t.status == "ready"][0]
    schema = schema_from_camunda(task.bpmn_id, task.form_fields)
    form = build_form_class(schema)(formdata=MultiDict(formdata))
    assert form.validate(), form.errors
    with db.transaction() as session:
        return engine.complete(session, task.id, user=get_user(session, username), data=form_data(form, schema))


def test_candidate_group_reaches_the_units_pencatat_only(camunda_deployed, engine):
    instance_id = start(camunda_deployed, engine, key="catat_pengadaan")
    assert [n for _, n, _ in inbox_of(camunda_deployed, engine, "dewi")] == ["Catat usulan"]
    assert inbox_of(camunda_deployed, engine, "budi") == []  # the initiator is not a pencatat
    (task,) = tasks_of(camunda_deployed, instance_id)
    assert task.rule == "pencatat: pencatat unit"
    assert [f["id"] for f in task.form_fields] == ["tindakan", "jumlah", "segera"]


@pytest.mark.parametrize(
    ("formdata", "next_task", "end"),
    [
        ({"tindakan": "teruskan", "jumlah": "5000"}, "Putuskan usulan", None),  # && !segera -> kepala
        ({"tindakan": "teruskan", "jumlah": "5000", "segera": "y"}, None, "End_kecil"),  # !segera false
        ({"tindakan": "teruskan", "jumlah": "500"}, None, "End_kecil"),  # jumlah > 1000 false
        ({"tindakan": "arsipkan", "jumlah": "9000"}, None, "End_arsip"),  # eq
    ],
)
def test_juel_conditions_route_like_camunda(camunda_deployed, engine, formdata, next_task, end):
    instance_id = start(camunda_deployed, engine, key="catat_pengadaan")
    _submit(camunda_deployed, engine, "dewi", instance_id, formdata)
    row = instance_row(camunda_deployed, instance_id)
    if next_task:
        assert row.status == "running"
        assert [n for _, n, iid in inbox_of(camunda_deployed, engine, "agus") if iid == instance_id] == [next_task]
        due = [t for t in tasks_of(camunda_deployed, instance_id) if t.status == "ready"][0].due_at
        assert due is not None  # camunda:dueDate="P1D"
    else:
        assert row.status == "completed"
        assert end in row.marks["done"]


def test_generated_form_refuses_bad_values_before_the_engine_sees_them():
    fields = [{"id": "jumlah", "label": "Nilai", "type": "long",
               "validation": [{"name": "required", "config": None}, {"name": "min", "config": "0"}]}]
    form_class = build_form_class(schema_from_camunda("x", fields))
    assert not form_class(formdata=MultiDict({"jumlah": "-5"})).validate()
    assert not form_class(formdata=MultiDict({"jumlah": "lima"})).validate()
    assert form_class(formdata=MultiDict({"jumlah": "5"})).validate()
