"""Form schemas and the library: a designer's mistake is caught at load time, by file and field."""

from __future__ import annotations

import copy
import datetime
from pathlib import Path

import pytest
import yaml

from forms import FormLibrary, FormNotFound, FormSchemaError, build_form_class, load_schema, localize
from forms.field_types import FIELD_TYPES as REGISTERED
from forms.filetypes import KNOWN_TYPES
from forms.library import BUILTIN_FOLDER, MAX_FILE_BYTES
from forms.schema import FIELD_TYPES, Option

BASE = {
    "title": {"id": "Contoh", "en": "Example"},
    "fields": [
        {"name": "perihal", "type": "text", "label": {"id": "Perihal", "en": "Subject"}, "required": True},
        {"name": "jumlah", "type": "number", "label": "Jumlah", "min": 0},
        {"name": "sifat", "type": "select", "label": "Sifat", "options": ["biasa", "segera"]},
        {"name": "catatan", "type": "textarea", "label": "Catatan"},
    ],
}


def with_field(index, **changes):
    data = copy.deepcopy(BASE)
    field = data["fields"][index]
    for key, value in changes.items():
        if value is ...:
            field.pop(key, None)
        else:
            field[key] = value
    return data


def test_base_schema_loads_into_frozen_dataclasses():
    schema = load_schema(BASE, "contoh")
    assert schema.key == "contoh"
    assert [f.name for f in schema.fields] == ["perihal", "jumlah", "sifat", "catatan"]
    assert schema.field("sifat").options == (Option("biasa", "biasa"), Option("segera", "segera"))
    assert schema.field("perihal").required is True
    with pytest.raises(AttributeError):
        schema.key = "lain"


BROKEN = [
    ("type", with_field(0, type="txt"), "perihal", "unknown type 'txt'"),
    ("no type", with_field(0, type=...), "perihal", "'type' is missing"),
    ("no name", with_field(1, name=...), "#2", "'name' is missing"),
    ("bad name", with_field(1, name="jumlah total"), "#2", "must start with a letter"),
    ("reserved", with_field(1, name="validate"), "validate", "reserved"),
    ("no label", with_field(1, label=...), "jumlah", "'label' is missing"),
    ("label without id", with_field(1, label={"en": "Amount"}), "jumlah", "needs an 'id'"),
    ("duplicate", with_field(1, name="perihal"), "perihal", "used twice"),
    ("select without options", with_field(2, options=...), "sifat", "needs 'options' or 'options_from'"),
    ("both option sources", with_field(2, options_from="daftar"), "sifat", "not both"),
    ("empty options", with_field(2, options=[]), "sifat", "non-empty list"),
    ("duplicate option", with_field(2, options=["a", "a"]), "sifat", "listed twice"),
    ("bad option key", with_field(2, options=[{"value": "a", "lable": "A"}]), "sifat", "'lable'"),
    ("unknown key", with_field(0, requried=True), "perihal", "unknown key 'requried'"),
    (
        "key for another type",
        with_field(1, max_length=5),
        "jumlah",
        "'max_length' does not apply to a number",
    ),
    ("required not bool", with_field(0, required="yes"), "perihal", "true or false"),
    ("min above max", with_field(1, max=-1), "jumlah", "'min' (0) is more than 'max' (-1)"),
    ("min not a number", with_field(1, min="nol"), "jumlah", "must be a number"),
    ("negative length", with_field(0, max_length=-3), "perihal", "0 or more"),
    ("default not an option", with_field(2, default="rahasia"), "sifat", "not one of the options"),
    ("default wrong type", with_field(1, default="lima"), "jumlah", "does not suit a number"),
    (
        "required and readonly",
        with_field(1, readonly=True, required=True),
        "jumlah",
        "both required and readonly",
    ),
    ("show_if", with_field(3, show_if={"field": "sifat"}), "catatan", "'show_if' is not supported"),
    (
        "required_if unknown field",
        with_field(3, required_if={"field": "keputusan", "value": "x"}),
        "catatan",
        "'keputusan', which is not in this form",
    ),
    (
        "required_if value not an option",
        with_field(3, required_if={"field": "sifat", "value": "rahasia"}),
        "catatan",
        "'rahasia' is not an option of 'sifat'",
    ),
    (
        "required_if on required field",
        with_field(0, required_if={"field": "sifat", "value": "biasa"}),
        "perihal",
        "required or readonly",
    ),
    (
        "required_if on itself",
        with_field(3, required_if={"field": "catatan", "value": "x"}),
        "catatan",
        "itself",
    ),
]


@pytest.mark.parametrize(("data", "field", "problem"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_schema_names_form_field_and_problem(data, field, problem):
    with pytest.raises(FormSchemaError) as caught:
        load_schema(data, "contoh", source="forms/library/contoh.yaml")
    error = caught.value
    assert (error.form, error.field) == ("contoh", field)
    assert problem in error.problem
    assert str(error).startswith(f"forms/library/contoh.yaml, form 'contoh', field '{field}': ")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"fields": []}, "'title' is missing"),
        ({"title": "t", "fields": {"a": 1}}, "'fields' must be a list"),
        ({"title": "t", "fields": [], "extra": 1}, "unknown form key 'extra'"),
        (["not", "a", "mapping"], "a form must be a mapping"),
        ({"title": "", "fields": []}, "'title' must be non-empty"),
    ],
)
def test_broken_form_level_is_refused(data, problem):
    with pytest.raises(FormSchemaError, match=problem):
        load_schema(data, "contoh")


@pytest.mark.parametrize(
    "field",
    [
        {"name": "f", "type": "file", "label": "F", "accept": ["application/x-msdownload"]},
        {"name": "f", "type": "file", "label": "F", "accept": "text/html"},
        {"name": "f", "type": "file", "label": "F", "max_bytes": 0},
        {"name": "f", "type": "file", "label": "F", "readonly": True},
        {"name": "f", "type": "date", "label": "F", "default": "31/12/2024"},
        {"name": "f", "type": "number", "label": "F", "max": float("inf")},
        {"name": "f", "type": "radio", "label": "F", "options": [True, False]},
        {"name": "f", "type": "checkbox", "label": "F", "options": ["a"]},
    ],
)
def test_field_settings_that_cannot_be_enforced_are_refused(field):
    with pytest.raises(FormSchemaError) as caught:
        load_schema({"title": "t", "fields": [field]}, "t")
    assert caught.value.field == "f"


def test_defaults_and_file_settings_are_normalised():
    schema = load_schema(
        {
            "title": "t",
            "fields": [
                {"name": "tgl", "type": "date", "label": "T", "default": "2025-01-31"},
                {"name": "tgl2", "type": "date", "label": "T", "default": datetime.date(2025, 2, 1)},
                {"name": "f", "type": "file", "label": "F"},
                {"name": "g", "type": "file", "label": "G", "accept": "image/*"},
                {"name": "kode", "type": "radio", "label": "K", "options": [1, 2], "default": 2},
            ],
        },
        "t",
    )
    assert schema.field("tgl").default == datetime.date(2025, 1, 31)
    assert schema.field("tgl2").default == datetime.date(2025, 2, 1)
    assert schema.field("f").accept == ("application/pdf", "image/png", "image/jpeg")
    assert schema.field("f").max_bytes == 10 * 1024 * 1024
    assert schema.field("g").accept == ("image/*",)
    assert schema.field("kode").default == "2"
    assert [o.value for o in schema.field("kode").options] == ["1", "2"]


def test_localize_picks_the_language_then_indonesian():
    assert localize({"id": "Perihal", "en": "Subject"}, "en") == "Subject"
    assert localize({"id": "Perihal", "en": "Subject"}, "jv") == "Perihal"
    assert localize("Perihal", "en") == "Perihal"
    assert localize(None, "en") == ""


def test_every_schema_type_has_a_registered_builder():
    assert set(REGISTERED) == set(FIELD_TYPES)


# --- the library -------------------------------------------------------------------------------


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
cuti:
  title: {id: Ajukan cuti, en: Request leave}
  fields:
    - {name: hari, type: number, label: Hari, required: true, min: 1}
"""


def test_builtin_library_loads_and_every_form_builds():
    library = FormLibrary()
    assert {"nota_dinas_draft", "nota_dinas_review", "generic_approval"} <= set(library.keys())
    for key in library:
        assert key in library
        schema = library.get(key)
        assert localize(schema.title, "id") and localize(schema.title, "en") != ""
        build_form_class(schema)
    assert len(library) == len(library.keys())


def test_builtin_forms_have_both_languages_everywhere():
    for path in sorted(BUILTIN_FOLDER.glob("*.yaml")):
        for key, form in yaml.safe_load(path.read_text(encoding="utf-8")).items():
            texts = [form["title"], *(f["label"] for f in form["fields"])]
            texts += [o["label"] for f in form["fields"] for o in f.get("options", []) if isinstance(o, dict)]
            for text in texts:
                assert isinstance(text, dict) and {"id", "en"} <= set(text), (path.name, key, text)


def test_unknown_key_is_form_not_found_not_key_error():
    library = FormLibrary()
    with pytest.raises(FormNotFound) as caught:
        library.get("tidak_ada")
    assert not isinstance(caught.value, KeyError)
    assert caught.value.key == "tidak_ada"
    assert "tidak_ada" not in library


def test_broken_yaml_file_names_the_file_and_the_field(tmp_path):
    path = write(tmp_path, "rusak.yaml", GOOD.replace("type: number", "type: angka"))
    with pytest.raises(FormSchemaError) as caught:
        FormLibrary([tmp_path])
    assert caught.value.source == str(path)
    assert (caught.value.form, caught.value.field) == ("cuti", "hari")
    assert str(path) in str(caught.value) and "unknown type 'angka'" in str(caught.value)


def test_yaml_syntax_error_names_the_file_and_line(tmp_path):
    path = write(tmp_path, "sintaks.yaml", "cuti:\n  title: [tidak ditutup\n  fields: []\n")
    with pytest.raises(FormSchemaError, match=r"not valid YAML.*line \d+") as caught:
        FormLibrary([tmp_path])
    assert caught.value.source == str(path)


def test_yaml_python_tags_are_refused(tmp_path):
    write(tmp_path, "jahat.yaml", "cuti: !!python/object/apply:os.system ['echo pwned']\n")
    with pytest.raises(FormSchemaError, match="not valid YAML"):
        FormLibrary([tmp_path])


@pytest.mark.parametrize(
    "text",
    [
        GOOD + GOOD.replace("Ajukan cuti", "Salinan"),
        GOOD.replace("required: true", "required: true, required: false"),
    ],
    ids=["form-twice", "key-twice-in-a-field"],
)
def test_a_key_written_twice_in_one_file_is_refused(tmp_path, text):
    write(tmp_path, "dobel.yaml", text)
    with pytest.raises(FormSchemaError, match="appears twice"):
        FormLibrary([tmp_path])


def test_yaml_anchors_may_share_option_lists(tmp_path):
    text = """
a:
  title: A
  fields:
    - {name: k, type: radio, label: K, options: &pilihan [ya, tidak]}
b:
  title: B
  fields:
    - {name: k, type: radio, label: K, options: *pilihan}
"""
    write(tmp_path, "jangkar.yaml", text)
    assert FormLibrary([tmp_path]).get("b").field("k").options[1].value == "tidak"


def test_same_form_in_two_files_of_one_folder_is_refused(tmp_path):
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "b.yaml", GOOD)
    with pytest.raises(FormSchemaError, match=r"defined again \(first in a.yaml\)"):
        FormLibrary([tmp_path])


def test_a_later_folder_replaces_a_form_of_an_earlier_one(tmp_path):
    write(tmp_path / "region", "nota.yaml", GOOD.replace("cuti:", "generic_approval:"))
    library = FormLibrary([BUILTIN_FOLDER, tmp_path / "region"])
    assert library.get("generic_approval").fields[0].name == "hari"
    assert library.source("generic_approval").parent == tmp_path / "region"
    assert "nota_dinas_draft" in library


def test_oversized_file_is_refused_before_parsing(tmp_path):
    write(tmp_path, "besar.yaml", GOOD + "#" * MAX_FILE_BYTES)
    with pytest.raises(FormSchemaError, match="more than the"):
        FormLibrary([tmp_path])


@pytest.mark.parametrize("text", ["- a\n- b\n", "cuti: 5\n"])
def test_file_must_map_keys_to_forms(tmp_path, text):
    write(tmp_path, "bentuk.yaml", text)
    with pytest.raises(FormSchemaError):
        FormLibrary([tmp_path])


def test_empty_file_and_missing_folder(tmp_path):
    write(tmp_path, "kosong.yaml", "# nothing yet\n")
    assert FormLibrary([tmp_path]).keys() == []
    assert FormLibrary(str(tmp_path)).keys() == []
    with pytest.raises(FormSchemaError, match="does not exist"):
        FormLibrary([tmp_path / "tidak_ada"])


def test_schema_accepts_only_types_the_sniffer_knows():
    for mime in KNOWN_TYPES:
        load_schema(
            {"title": "t", "fields": [{"name": "f", "type": "file", "label": "F", "accept": mime}]}, "t"
        )


def test_prefill_is_a_form_level_switch_and_must_be_a_boolean():
    base = {"title": "T", "fields": [{"name": "a", "type": "text", "label": "A"}]}
    assert load_schema(base, "k").prefill is True
    assert load_schema({**base, "prefill": False}, "k").prefill is False
    with pytest.raises(FormSchemaError, match="prefill"):
        load_schema({**base, "prefill": "no"}, "k")


def test_decision_forms_of_the_library_open_empty():
    library = FormLibrary()
    assert library.get("nota_dinas_draft").prefill is True
    assert library.get("nota_dinas_review").prefill is False
    assert library.get("generic_approval").prefill is False
