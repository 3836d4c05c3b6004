"""Forms drawn in Camunda Modeler become Lontar schemas checked by the same rules."""

from __future__ import annotations

import datetime

import pytest
from werkzeug.datastructures import MultiDict

from forms import FormSchemaError, build_form_class, form_data, schema_from_camunda

LEAVE = [
    {
        "id": "hari",
        "label": "Jumlah hari",
        "type": "long",
        "default": "1",
        "validation": [
            {"name": "required", "config": None},
            {"name": "min", "config": "1"},
            {"name": "max", "config": "12"},
        ],
    },
    {
        "id": "jenis",
        "label": "Jenis cuti",
        "type": "enum",
        "options": [{"id": "tahunan", "name": "Cuti tahunan"}, {"id": "sakit", "name": "Cuti sakit"}],
        "validation": [{"name": "required", "config": None}],
    },
    {"id": "mulai", "label": "Mulai", "type": "date", "default": "01/02/2025"},
    {"id": "setuju", "label": "Saya setuju", "type": "boolean", "default": "false"},
    {
        "id": "alasan",
        "label": "Alasan",
        "type": "string",
        "validation": [{"name": "minlength", "config": "5"}, {"name": "maxlength", "config": "50"}],
    },
    {"id": "nip", "label": "NIP", "type": "string", "validation": [{"name": "readonly", "config": None}]},
]


def test_types_and_validations_are_mapped():
    schema = schema_from_camunda("ajukan_cuti", LEAVE)
    hari, jenis, mulai, setuju, alasan, nip = schema.fields
    assert (hari.type, hari.integer, hari.required) == ("number", True, True)
    assert (hari.min, hari.max, hari.default) == (1, 12, 1)
    assert jenis.type == "select" and jenis.required
    assert [(o.value, o.label) for o in jenis.options] == [
        ("tahunan", "Cuti tahunan"),
        ("sakit", "Cuti sakit"),
    ]
    assert (mulai.type, mulai.default) == ("date", datetime.date(2025, 2, 1))
    assert (setuju.type, setuju.default) == ("checkbox", False)
    assert (alasan.type, alasan.min_length, alasan.max_length) == ("text", 5, 50)
    assert nip.readonly and not nip.required
    assert schema.title == "ajukan_cuti"


def submit(pairs, data=None):
    schema = schema_from_camunda("ajukan_cuti", LEAVE)
    form = build_form_class(schema)(MultiDict(pairs), data=data)
    form.validate()
    return schema, form


VALID = [("hari", "3"), ("jenis", "sakit"), ("mulai", "2025-03-10"), ("alasan", "Demam tinggi")]


def test_a_valid_camunda_form_gives_typed_task_data():
    schema, form = submit(VALID, data={"nip": "19800101"})
    assert form.errors == {}
    assert form_data(form, schema) == {
        "hari": 3,
        "jenis": "sakit",
        "mulai": "2025-03-10",
        "setuju": False,
        "alasan": "Demam tinggi",
    }


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("hari", "13", "Angka harus antara 1 dan 12."),
        ("hari", "1.5", "Harus bilangan bulat."),
        ("jenis", "bersalin", "Nilai tidak valid, pilih salah satu dari: Cuti tahunan, Cuti sakit."),
        ("alasan", "flu", "Panjang isian ini harus antara 5 dan 50 karakter."),
        ("mulai", "10/03/2025", "Tanggal tidak valid."),
    ],
)
def test_camunda_validations_are_enforced(name, value, message):
    pairs = [(k, v) for k, v in VALID if k != name] + [(name, value)]
    _, form = submit(pairs)
    assert form.errors == {name: [message]}


def test_readonly_camunda_field_refuses_a_sent_value():
    _, form = submit([*VALID, ("nip", "000")])
    assert list(form.errors) == ["nip"]


def test_spiffworkflow_parsed_form_converts(tmp_path):
    from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
    from SpiffWorkflow.camunda.parser import CamundaParser
    from SpiffWorkflow.camunda.serializer import DEFAULT_CONFIG

    bpmn = tmp_path / "cuti.bpmn"
    bpmn.write_text(CAMUNDA_BPMN, encoding="utf-8")
    parser = CamundaParser()
    parser.add_bpmn_file(str(bpmn))
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(DEFAULT_CONFIG))
    form = serializer.to_dict(parser.get_spec("cuti"))["task_specs"]["ajukan"]["form"]

    schema = schema_from_camunda(
        form["key"], form["fields"], title={"id": "Ajukan cuti", "en": "Request leave"}
    )
    assert [f.name for f in schema.fields] == ["hari", "jenis", "mulai", "setuju"]
    assert schema.field("hari").max == 12
    assert schema.field("mulai").default == datetime.date(2025, 2, 1)
    assert schema.field("setuju").label == "Saya setuju"
    build_form_class(schema, lang="en")


@pytest.mark.parametrize(
    ("field", "problem"),
    [
        ({"id": "x", "type": "file"}, "unknown Camunda type 'file'"),
        ({"type": "string"}, "no 'id'"),
        ({"id": "x", "type": "string", "validation": [{"name": "pattern", "config": "a+"}]}, "'pattern'"),
        (
            {"id": "x", "type": "long", "validation": [{"name": "max", "config": "banyak"}]},
            "max needs a number",
        ),
        (
            {"id": "x", "type": "string", "validation": [{"name": "maxlength", "config": "2.5"}]},
            "whole number",
        ),
        ({"id": "x", "type": "string", "validation": [{"name": "min", "config": "1"}]}, "does not apply"),
        ({"id": "x", "type": "long", "default": "satu"}, "not a whole number"),
        ({"id": "x", "type": "boolean", "default": "ya"}, "not true or false"),
        ({"id": "x", "type": "date", "default": "2025.01.01"}, "not a date"),
        ({"id": "x", "type": "enum", "options": []}, "non-empty list"),
        ({"id": "x", "type": "enum", "options": [{"id": "a"}], "default": "b"}, "not one of the options"),
        ({"id": "bad-id", "type": "string"}, "must start with a letter"),
    ],
)
def test_unusable_camunda_fields_name_the_field(field, problem):
    with pytest.raises(FormSchemaError, match=problem) as caught:
        schema_from_camunda("f", [field], source="cuti.bpmn#ajukan")
    assert caught.value.source == "cuti.bpmn#ajukan"
    if field.get("id") and field["id"] != "bad-id":
        assert caught.value.field == field["id"]


def test_camunda_form_keys_may_hold_dots_and_colons():
    schema = schema_from_camunda("embedded:app:forms/cuti.html", [{"id": "x", "type": "string"}])
    assert build_form_class(schema).__name__ == "EmbeddedAppFormsCutiHtmlForm"


def test_label_falls_back_to_the_id_and_defaults_may_be_empty():
    schema = schema_from_camunda("f", [{"id": "nomor", "label": "", "type": "string", "default_value": ""}])
    assert schema.field("nomor").label == "nomor"
    assert schema.field("nomor").default is None


CAMUNDA_BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="cuti" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="ajukan" name="Ajukan cuti" camunda:formKey="ajukan_cuti">
      <bpmn:extensionElements>
        <camunda:formData>
          <camunda:formField id="hari" label="Jumlah hari" type="long" defaultValue="1">
            <camunda:validation>
              <camunda:constraint name="required" />
              <camunda:constraint name="min" config="1" />
              <camunda:constraint name="max" config="12" />
            </camunda:validation>
          </camunda:formField>
          <camunda:formField id="jenis" label="Jenis cuti" type="enum">
            <camunda:value id="tahunan" name="Cuti tahunan" />
            <camunda:value id="sakit" name="Cuti sakit" />
          </camunda:formField>
          <camunda:formField id="mulai" label="Mulai" type="date" defaultValue="01/02/2025" />
          <camunda:formField id="setuju" label="Saya setuju" type="boolean" />
        </camunda:formData>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="ajukan" />
    <bpmn:sequenceFlow id="f2" sourceRef="ajukan" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>
"""
