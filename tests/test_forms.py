"""Forms built from schemas: what a person's submission turns into, and what it is refused for.

Every form here is a plain wtforms.Form fed a werkzeug MultiDict, as Flask would; no app needed.
"""

from __future__ import annotations

import datetime
import io
import subprocess
import sys
from pathlib import Path

import pytest
import wtforms
import yaml
from werkzeug.datastructures import FileStorage, MultiDict

from forms import (
    FormLibrary,
    TaskOptionsError,
    build_form_class,
    form_data,
    form_files,
    initial_data,
    load_schema,
)
from forms.schema import FormSchemaError

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

# One field of every type, with the limits each type can carry.
ALL_TYPES = yaml.safe_load(
    """
title: {id: Semua jenis isian, en: Every field type}
fields:
  - {name: judul, type: text, label: {id: Judul, en: Title}, required: true, min_length: 3, max_length: 20}
  - {name: uraian, type: textarea, label: Uraian, max_length: 50}
  - {name: jumlah, type: number, label: {id: Jumlah, en: Amount}, required: true, min: 1, max: 100,
     integer: true}
  - {name: tarif, type: number, label: Tarif, min: 0}
  - {name: tanggal, type: date, label: {id: Tanggal, en: Date}, required: true}
  - name: sifat
    type: select
    label: {id: Sifat, en: Classification}
    required: true
    options:
      - {value: biasa, label: {id: Biasa, en: Ordinary}}
      - {value: segera, label: {id: Segera, en: Urgent}}
  - {name: jalur, type: radio, label: Jalur, required: true, options: [darat, laut, udara]}
  - {name: setuju, type: checkbox, label: {id: Saya setuju, en: I agree}, required: true}
  - {name: tembusan, type: multiselect, label: Tembusan, options: [sekda, inspektorat, bappeda]}
  - {name: berkas, type: file, label: Berkas, accept: application/pdf, max_bytes: 1024}
"""
)
SCHEMA = load_schema(ALL_TYPES, "semua_jenis")

VALID = [
    ("judul", "Rapat koordinasi"),
    ("uraian", "Bahas anggaran"),
    ("jumlah", "12"),
    ("tarif", "2.5"),
    ("tanggal", "2024-02-29"),
    ("sifat", "segera"),
    ("jalur", "laut"),
    ("setuju", "y"),
    ("tembusan", "sekda"),
    ("tembusan", "bappeda"),
]
VALID_DATA = {
    "judul": "Rapat koordinasi",
    "uraian": "Bahas anggaran",
    "jumlah": 12,
    "tarif": 2.5,
    "tanggal": "2024-02-29",
    "sifat": "segera",
    "jalur": "laut",
    "setuju": True,
    "tembusan": ["sekda", "bappeda"],
}


def upload(content: bytes, filename: str = "surat.pdf", content_type: str = "application/pdf") -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=filename, content_type=content_type)


def submit(schema, pairs, *, lang="id", task_data=None, data=None, base=wtforms.Form):
    form = build_form_class(schema, base, lang=lang, task_data=task_data)(MultiDict(pairs), data=data)
    form.validate()
    return form


def replaced(pairs, name, values):
    """VALID with one field's values swapped (an empty list leaves the field out)."""
    kept = [(k, v) for k, v in pairs if k != name]
    return kept + [(name, v) for v in values]


# --- a valid submission ----------------------------------------------------------------------


def test_valid_submission_gives_typed_task_data():
    form = submit(SCHEMA, [*VALID, ("berkas", upload(PDF))])
    assert form.errors == {}
    data = form_data(form, SCHEMA)
    assert data == VALID_DATA
    assert type(data["jumlah"]) is int and type(data["tarif"]) is float
    assert "berkas" not in data


def test_uploaded_file_is_returned_apart_with_its_stream_rewound():
    form = submit(SCHEMA, [*VALID, ("berkas", upload(PDF))])
    files = form_files(form, SCHEMA)
    assert list(files) == ["berkas"]
    assert files["berkas"].stream.tell() == 0
    assert files["berkas"].read() == PDF


def test_optional_fields_left_empty_give_empty_values_and_no_file():
    pairs = replaced(replaced(replaced(VALID, "uraian", [""]), "tarif", [""]), "tembusan", [])
    form = submit(SCHEMA, pairs)
    assert form.errors == {}
    data = form_data(form, SCHEMA)
    assert (data["uraian"], data["tarif"], data["tembusan"]) == ("", None, [])
    assert form_files(form, SCHEMA) == {}


# --- each invalid value fails beside its field, and the rest keeps what was typed ------------

INVALID = [
    ("judul", [""], "Isian ini wajib diisi."),
    ("judul", ["   "], "Isian ini wajib diisi."),
    ("judul", ["ab"], "Panjang isian ini harus antara 3 dan 20 karakter."),
    ("judul", ["x" * 21], "Panjang isian ini harus antara 3 dan 20 karakter."),
    ("uraian", ["y" * 51], "Isian ini paling banyak 50 karakter."),
    ("jumlah", [], "Isian ini wajib diisi."),
    ("jumlah", ["0"], "Angka harus antara 1 dan 100."),
    ("jumlah", ["101"], "Angka harus antara 1 dan 100."),
    ("jumlah", ["2.5"], "Harus bilangan bulat."),
    ("jumlah", ["dua"], "Angka tidak valid."),
    ("jumlah", ["1_000"], "Angka tidak valid."),
    ("tarif", ["NaN"], "Angka tidak valid."),
    ("tarif", ["Infinity"], "Angka tidak valid."),
    ("tarif", ["-0.5"], "Angka paling kecil 0."),
    ("tanggal", ["2024-13-45"], "Tanggal tidak valid."),
    ("tanggal", ["2023-02-29"], "Tanggal tidak valid."),
    ("tanggal", ["31/12/2024"], "Tanggal tidak valid."),
    ("tanggal", [""], "Isian ini wajib diisi."),
    ("sifat", ["rahasia"], "Nilai tidak valid, pilih salah satu dari: Biasa, Segera."),
    ("sifat", [""], "Isian ini wajib diisi."),
    ("jalur", ["terbang"], "Nilai tidak valid, pilih salah satu dari: darat, laut, udara."),
    ("jalur", [], "Isian ini wajib diisi."),
    ("setuju", [], "Isian ini wajib diisi."),
    ("tembusan", ["sekda", "walikota"], "'walikota' bukan pilihan yang valid untuk isian ini."),
]


@pytest.mark.parametrize(("name", "values", "message"), INVALID, ids=lambda v: str(v)[:20])
def test_invalid_value_fails_beside_its_field_only(name, values, message):
    form = submit(SCHEMA, replaced(VALID, name, values))
    assert form.errors == {name: [message]}
    others = {k: v for k, v in form_data(form, SCHEMA).items() if k != name}
    assert others == {k: v for k, v in VALID_DATA.items() if k != name}


@pytest.mark.parametrize(
    ("name", "typed"), [("jumlah", "dua"), ("tanggal", "2024-13-45"), ("judul", "x" * 21), ("jumlah", "0")]
)
def test_a_refused_value_is_shown_back_as_typed(name, typed):
    form = submit(SCHEMA, replaced(VALID, name, [typed]))
    assert form.errors
    assert form[name]._value() == typed


VALID_EDGES = [
    ("judul", ["abc"]),
    ("judul", ["x" * 20]),
    ("judul", ["  Rapat  "]),
    ("jumlah", ["1"]),
    ("jumlah", ["100"]),
    ("jumlah", ["7.0"]),
    ("tarif", ["0"]),
    ("tarif", ["0.125"]),
    ("tanggal", ["2024-12-31"]),
    ("sifat", ["biasa"]),
    ("jalur", ["udara"]),
    ("tembusan", ["inspektorat"]),
]


@pytest.mark.parametrize(("name", "values"), VALID_EDGES, ids=lambda v: str(v)[:20])
def test_valid_counterpart_passes(name, values):
    form = submit(SCHEMA, replaced(VALID, name, values))
    assert form.errors == {}


def test_numbers_and_text_are_normalised_for_task_data():
    pairs = replaced(replaced(replaced(VALID, "jumlah", ["7.0"]), "tarif", ["0.125"]), "judul", ["  Rapat  "])
    data = form_data(submit(SCHEMA, pairs), SCHEMA)
    assert (data["jumlah"], data["tarif"], data["judul"]) == (7, 0.125, "Rapat")


def test_unticked_optional_checkbox_is_false():
    schema = load_schema({"title": "t", "fields": [{"name": "ok", "type": "checkbox", "label": "OK"}]}, "t")
    form = submit(schema, [])
    assert form.errors == {}
    assert form_data(form, schema) == {"ok": False}


# --- required_if: a note when the memo goes back -------------------------------------------


@pytest.fixture(scope="module")
def library():
    return FormLibrary()


def test_returning_a_memo_without_a_note_is_refused(library):
    schema = library.get("nota_dinas_review")
    form = submit(schema, [("keputusan", "kembalikan"), ("catatan", "  ")])
    assert form.errors == {"catatan": ["Catatan wajib diisi bila naskah dikembalikan."]}
    assert form.keputusan.data == "kembalikan"


def test_returning_a_memo_without_a_note_is_refused_in_english(library):
    form = submit(library.get("nota_dinas_review"), [("keputusan", "kembalikan")], lang="en")
    assert form.errors == {"catatan": ["A note is required when the memo is returned."]}


@pytest.mark.parametrize(
    "pairs",
    [[("keputusan", "kembalikan"), ("catatan", "Perbaiki perihal")], [("keputusan", "setujui")]],
)
def test_a_note_is_only_needed_when_the_memo_goes_back(library, pairs):
    schema = library.get("nota_dinas_review")
    form = submit(schema, pairs)
    assert form.errors == {}
    assert form_data(form, schema)["keputusan"] == pairs[0][1]


def test_required_if_without_own_message_names_the_other_field_and_option():
    schema = load_schema(
        {
            "title": "t",
            "fields": [
                {"name": "hasil", "type": "select", "label": {"id": "Hasil", "en": "Result"},
                 "options": [{"value": "tolak", "label": {"id": "Ditolak", "en": "Rejected"}}, "terima"]},
                {"name": "alasan", "type": "text", "label": "Alasan",
                 "required_if": {"field": "hasil", "value": "tolak"}},
            ],
        },
        "t",
    )  # fmt: skip
    assert submit(schema, [("hasil", "tolak")]).errors == {
        "alasan": ["Isian ini wajib diisi bila Hasil: Ditolak."]
    }
    english = submit(schema, [("hasil", "tolak")], lang="en").errors
    assert english == {"alasan": ["This field is required when Result is Rejected."]}
    assert submit(schema, [("hasil", "terima")]).errors == {}


# --- language ----------------------------------------------------------------------------------


def test_labels_follow_the_language_and_fall_back_to_indonesian(library):
    schema = library.get("nota_dinas_draft")
    assert build_form_class(schema, lang="en")().perihal.label.text == "Subject"
    assert build_form_class(schema, lang="id")().perihal.label.text == "Perihal"
    assert build_form_class(schema, lang="fr")().perihal.label.text == "Perihal"
    assert build_form_class(SCHEMA, lang="en")().uraian.label.text == "Uraian"  # one text for all


@pytest.mark.parametrize(
    ("lang", "messages"),
    [
        ("id", {"judul": "Isian ini wajib diisi.", "tanggal": "Tanggal tidak valid."}),
        ("en", {"judul": "This field is required.", "tanggal": "Not a valid date value."}),
    ],
)
def test_messages_are_indonesian_by_default_and_english_on_request(lang, messages):
    form = submit(SCHEMA, replaced(replaced(VALID, "judul", [""]), "tanggal", ["besok"]), lang=lang)
    assert {k: v[0] for k, v in form.errors.items()} == messages


def test_a_select_starts_with_a_blank_choice_in_the_language():
    form = build_form_class(SCHEMA, lang="en")()
    assert [(c.value, c.label) for c in form.sifat.iter_choices()] == [
        ("", "— Choose —"),
        ("biasa", "Ordinary"),
        ("segera", "Urgent"),
    ]


# --- options from task data ------------------------------------------------------------------

DELEGATE = load_schema(
    {
        "title": {"id": "Disposisi", "en": "Delegate"},
        "fields": [
            {
                "name": "kepada",
                "type": "select",
                "label": "Kepada",
                "required": True,
                "options_from": "pejabat",
            },
            {"name": "tembusan", "type": "multiselect", "label": "Tembusan", "options_from": "unit"},
        ],
    },
    "disposisi",
)
TASK = {
    "pejabat": [
        {"value": "kabag_umum", "label": {"id": "Kepala Bagian Umum", "en": "Head of General Affairs"}},
        {"value": 17, "label": "Sekretaris Daerah"},
    ],
    "unit": ["keuangan", "kepegawaian"],
}


def test_options_come_from_task_data():
    form = submit(DELEGATE, [("kepada", "17"), ("tembusan", "keuangan")], task_data=TASK, lang="en")
    assert form.errors == {}
    assert form_data(form, DELEGATE) == {"kepada": "17", "tembusan": ["keuangan"]}
    assert ("kabag_umum", "Head of General Affairs") in [
        (c.value, c.label) for c in form.kepada.iter_choices()
    ]


def test_a_value_not_in_the_task_options_is_refused():
    form = submit(DELEGATE, [("kepada", "bupati"), ("tembusan", "rahasia")], task_data=TASK)
    assert set(form.errors) == {"kepada", "tembusan"}


def test_missing_task_options_leave_nothing_to_choose():
    form = submit(DELEGATE, [("kepada", "17")], task_data={})
    assert "kepada" in form.errors


def test_malformed_task_options_are_a_clear_error():
    with pytest.raises(TaskOptionsError, match="'pejabat'.*'kepada'"):
        build_form_class(DELEGATE, task_data={"pejabat": {"a": "b"}})
    with pytest.raises(TaskOptionsError):
        build_form_class(DELEGATE, task_data={"pejabat": [["nested"]]})


def test_each_build_is_a_fresh_class_with_its_own_choices():
    first = build_form_class(DELEGATE, task_data={"pejabat": ["a"]})
    second = build_form_class(DELEGATE, task_data={"pejabat": ["b"]})
    assert first is not second
    assert [c.value for c in first().kepada.iter_choices()] == ["", "a"]
    assert [c.value for c in second().kepada.iter_choices()] == ["", "b"]


# --- pre-filling from task data ----------------------------------------------------------------


def test_a_returned_draft_shows_what_was_typed_before():
    task_data = {**VALID_DATA, "lain": "ignored"}
    prefill = initial_data(SCHEMA, task_data)
    assert prefill["tanggal"] == datetime.date(2024, 2, 29)
    form = build_form_class(SCHEMA)(data=prefill)
    assert form.tanggal._value() == "2024-02-29"
    assert form.jumlah._value() == "12"
    assert form.tembusan.data == ["sekda", "bappeda"]
    assert form_data(form, SCHEMA) == VALID_DATA


def test_prefill_skips_values_that_cannot_be_shown():
    prefill = initial_data(
        SCHEMA, {"tanggal": "29/02/2024", "jumlah": "banyak", "setuju": "ya", "judul": None}
    )
    assert prefill == {}


def test_schema_default_applies_when_task_data_has_nothing():
    schema = load_schema(
        {"title": "t", "fields": [{"name": "n", "type": "number", "label": "N", "default": 3}]}, "t"
    )
    assert build_form_class(schema)(data=initial_data(schema, {})).n._value() == "3"


# --- readonly ---------------------------------------------------------------------------------

READONLY = load_schema(
    {
        "title": "t",
        "fields": [
            {"name": "nomor", "type": "text", "label": "Nomor", "readonly": True},
            {"name": "catatan", "type": "text", "label": "Catatan"},
        ],
    },
    "t",
)


def test_readonly_field_is_shown_but_never_taken_from_the_request():
    form = submit(READONLY, [("catatan", "ok")], data={"nomor": "005/123"})
    assert form.errors == {}
    assert form.nomor._value() == "005/123"
    assert form_data(form, READONLY) == {"catatan": "ok"}
    assert "disabled" in form.nomor()


def test_readonly_field_skips_its_own_checks_on_the_shown_value():
    schema = load_schema(
        {
            "title": "t",
            "fields": [{"name": "kode", "type": "text", "label": "K", "readonly": True, "max_length": 3}],
        },
        "t",
    )
    assert submit(schema, [], data={"kode": "terlalu panjang"}).errors == {}


def test_readonly_field_refuses_a_sent_value():
    form = submit(READONLY, [("nomor", "999"), ("catatan", "ok")], data={"nomor": "005/123"})
    assert list(form.errors) == ["nomor"]


# --- the builder's contract --------------------------------------------------------------------


def test_every_library_form_builds_in_both_languages(library):
    assert {"nota_dinas_draft", "nota_dinas_review", "generic_approval"} <= set(library.keys())
    for key in library:
        schema = library.get(key)
        for lang in ("id", "en"):
            form = build_form_class(schema, lang=lang)()
            assert [f.name for f in form] == [f.name for f in schema.fields]
            assert all(f.label.text for f in form)


def test_widgets_carry_the_limits_for_the_browser():
    form = build_form_class(SCHEMA)()
    assert 'maxlength="20"' in form.judul()
    assert 'min="1"' in form.jumlah() and 'max="100"' in form.jumlah() and 'step="1"' in form.jumlah()
    assert 'accept="application/pdf"' in form.berkas()
    assert 'type="date"' in form.tanggal()
    assert form.tembusan().count('type="checkbox"') == 3


def test_a_field_name_clashing_with_the_base_class_is_refused():
    class Base(wtforms.Form):
        def judul(self):
            return "busy"

    with pytest.raises(FormSchemaError, match="judul.*clashes"):
        build_form_class(SCHEMA, Base)


def test_flask_form_base_keeps_indonesian_messages_and_csrf(library):
    from flask import Flask
    from flask_wtf import FlaskForm

    app = Flask(__name__)
    app.config.update(SECRET_KEY="test")
    with app.test_request_context(method="POST", data={"keputusan": "kembalikan"}):
        form = build_form_class(library.get("nota_dinas_review"), FlaskForm)()
        assert not form.validate()
        assert form.errors["catatan"] == ["Catatan wajib diisi bila naskah dikembalikan."]
        assert "csrf_token" in form.errors


def test_forms_package_imports_no_flask():
    code = (
        "import sys, forms, forms.builder, forms.library, forms.camunda, forms.uploads;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'flask_wtf')];"
        "assert not bad, bad"
    )
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


def test_every_wtforms_and_forms_message_has_an_indonesian_text():
    import re

    from forms.translations import INDONESIAN

    pot = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"
    wtforms_ids = re.findall(r'^msgid "(.+)"$', pot.read_text(encoding="utf-8"), re.MULTILINE)
    forms_dir = Path(__file__).resolve().parent.parent / "forms"
    own_ids = {
        m
        for path in forms_dir.glob("*.py")
        for m in re.findall(r'gettext\((?:ctx\.lang, )?"([^"]+)"\)', path.read_text(encoding="utf-8"))
    }
    assert len(wtforms_ids) > 30 and len(own_ids) >= 6
    missing = [m for m in [*wtforms_ids, *own_ids] if m not in INDONESIAN]
    assert missing == []
