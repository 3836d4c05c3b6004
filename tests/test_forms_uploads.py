"""File fields: the type comes from the bytes, the size is measured, and the stream is rewound."""

from __future__ import annotations

import io
import zipfile

import pytest
from werkzeug.datastructures import FileStorage, MultiDict

from forms import FormLibrary, build_form_class, form_files, load_schema
from forms.filetypes import DOCX, GIF, JPEG, PDF, PNG, WEBP, XLSX, ZIP, sniff

PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode."


def zip_with(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def upload(
    content: bytes, filename: str = "lampiran.pdf", content_type: str = "application/pdf"
) -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=filename, content_type=content_type)


def schema(accept, max_bytes=4096, required=False):
    field = {"name": "berkas", "type": "file", "label": "Berkas", "accept": accept, "max_bytes": max_bytes}
    if required:
        field["required"] = True
    return load_schema(
        {"title": "Unggah", "fields": [field, {"name": "judul", "type": "text", "label": "J"}]}, "u"
    )


def submit(form_schema, value, lang="id"):
    pairs = [("judul", "Surat masuk")]
    if value is not None:
        pairs.append(("berkas", value))
    form = build_form_class(form_schema, lang=lang)(MultiDict(pairs))
    form.validate()
    return form


@pytest.mark.parametrize(
    ("content", "mime"),
    [
        (PDF_BYTES, PDF),
        (PNG_BYTES, PNG),
        (JPEG_BYTES, JPEG),
        (b"GIF89a" + b"\x00" * 10, GIF),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", WEBP),
        (zip_with("[Content_Types].xml", "word/document.xml"), DOCX),
        (zip_with("[Content_Types].xml", "xl/workbook.xml"), XLSX),
        (zip_with("readme.txt"), ZIP),
        (EXE_BYTES, None),
        (b"", None),
        (b"PK\x03\x04 not really a zip", None),
        (b"  %PDF-1.4 with junk in front", None),
        (b"<html><script>alert(1)</script>", None),
    ],
)
def test_type_is_recognised_from_the_content(content, mime):
    stream = io.BytesIO(content)
    stream.seek(len(content))
    assert sniff(stream) == mime
    assert stream.tell() == 0


def test_pdf_passes_whatever_its_name_and_declared_type():
    form = submit(schema(["application/pdf"]), upload(PDF_BYTES, "scan.exe", "application/octet-stream"))
    assert form.errors == {}


@pytest.mark.parametrize(
    "content",
    [PNG_BYTES, EXE_BYTES, zip_with("word/document.xml"), b"%PDF"[:3] + b"X"],
    ids=["png", "exe", "docx", "almost-pdf"],
)
def test_a_pdf_field_refuses_other_content_named_and_declared_as_pdf(content):
    form = submit(schema(["application/pdf"]), upload(content, "surat.pdf", "application/pdf"))
    assert form.errors == {"berkas": ["Jenis berkas ini tidak diterima. Yang diterima: PDF."]}
    assert form.judul.data == "Surat masuk"


def test_type_message_in_english_names_every_accepted_type():
    form = submit(schema(["application/pdf", "image/*"]), upload(EXE_BYTES), lang="en")
    assert form.errors == {"berkas": ["This file type is not allowed. Accepted: PDF, PNG/JPEG/GIF/WebP."]}


@pytest.mark.parametrize("content", [PNG_BYTES, JPEG_BYTES, b"GIF87a" + b"\x00" * 10])
def test_image_wildcard_accepts_any_known_image(content):
    assert submit(schema(["image/*"]), upload(content, "foto.jpg", "image/jpeg")).errors == {}


def test_docx_is_accepted_when_listed():
    assert submit(schema([DOCX]), upload(zip_with("word/document.xml"), "nota.docx")).errors == {}


def test_size_up_to_the_cap_passes_and_one_byte_more_fails():
    at_cap = PDF_BYTES + b"\x00" * (1024 - len(PDF_BYTES))
    assert submit(schema(["application/pdf"], max_bytes=1024), upload(at_cap)).errors == {}
    form = submit(schema(["application/pdf"], max_bytes=1024), upload(at_cap + b"\x00"))
    assert form.errors == {"berkas": ["Berkas terlalu besar (paling besar 1 KiB)."]}


def test_size_is_measured_not_taken_from_the_request():
    big = FileStorage(
        io.BytesIO(PDF_BYTES + b"\x00" * 5000),
        filename="a.pdf",
        content_type="application/pdf",
        content_length=10,
    )
    assert "berkas" in submit(schema(["application/pdf"], max_bytes=4096), big).errors


def test_library_default_cap_is_ten_mebibytes():
    field = FormLibrary().get("nota_dinas_draft").field("lampiran")
    assert field.max_bytes == 10 * 1024 * 1024
    big = PDF_BYTES + b"\x00" * (10 * 1024 * 1024)
    form = build_form_class(FormLibrary().get("nota_dinas_draft"))(
        MultiDict([("perihal", "p"), ("isi", "i"), ("tujuan", "t"), ("lampiran", upload(big))])
    )
    assert not form.validate()
    assert list(form.errors) == ["lampiran"]


def test_stream_is_rewound_after_validation_even_if_left_at_the_end():
    storage = upload(PDF_BYTES)
    storage.stream.seek(0, 2)
    form = submit(schema(["application/pdf"]), storage)
    assert form.errors == {}
    assert form_files(form, schema(["application/pdf"]))["berkas"].stream.tell() == 0


def test_a_refused_file_still_comes_back_rewound():
    storage = upload(EXE_BYTES)
    submit(schema(["application/pdf"]), storage)
    assert storage.stream.tell() == 0


@pytest.mark.parametrize(
    "value",
    [
        None,
        FileStorage(io.BytesIO(b""), filename="", content_type="application/octet-stream"),
        "lampiran.pdf",
    ],
    ids=["absent", "empty-input", "text-instead-of-file"],
)
def test_no_file_chosen_is_fine_when_optional_and_required_otherwise(value):
    optional = submit(schema(["application/pdf"]), value)
    assert optional.errors == {}
    assert form_files(optional, schema(["application/pdf"])) == {}
    required = submit(schema(["application/pdf"], required=True), value)
    assert required.errors == {"berkas": ["Isian ini wajib diisi."]}
    assert required.judul.data == "Surat masuk"


def test_required_file_passes_when_given():
    assert submit(schema(["application/pdf"], required=True), upload(PDF_BYTES)).errors == {}


def test_an_oversized_file_gets_only_the_size_error():
    form = submit(schema(["application/pdf"], max_bytes=16), upload(EXE_BYTES))
    assert form.errors == {"berkas": ["Berkas terlalu besar (paling besar 16 B)."]}


def test_multipart_upload_through_flask_form():
    from flask import Flask
    from flask_wtf import FlaskForm

    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False)
    form_schema = schema(["application/pdf"], required=True)
    for content, errors in ((PDF_BYTES, set()), (PNG_BYTES, {"berkas"})):
        body = {"judul": "Surat", "berkas": (io.BytesIO(content), "surat.pdf", "application/pdf")}
        with app.test_request_context(method="POST", data=body, content_type="multipart/form-data"):
            form = build_form_class(form_schema, FlaskForm)()
            form.validate()
            assert set(form.errors) == errors
            if not errors:
                assert form_files(form, form_schema)["berkas"].read() == content
