"""The admin import and export pages: preview, confirm, problems by file/row/column, zip; both databases."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from engine.db import Database
from engine.models import Unit
from tests.test_admin_web import state
from tests.test_web import Person, csrf_token, page, text_of
from webapp import create_app
from webapp.config import Settings


@pytest.fixture
def app(deployed: Database, engine, tmp_path: Path) -> Flask:  # type: ignore[no-untyped-def]
    settings = Settings(instance_path=tmp_path / "instance", database_url=deployed.url, secret_key="test")
    settings.instance_path.mkdir()
    flask_app = create_app(settings, engine=engine)
    flask_app.config.update(TESTING=True)
    yield flask_app
    flask_app.extensions["lontar.db"].dispose()


def _upload(person: Person, files: dict[str, bytes]):  # type: ignore[no-untyped-def]
    token = csrf_token(person.get("/admin/import").text)
    data = {"csrf_token": token, **{name: (io.BytesIO(body), f"{name}.csv") for name, body in files.items()}}
    return person.client.post("/admin/import", data=data, content_type="multipart/form-data")


def test_import_shows_a_preview_then_applies_on_confirm(app, deployed):
    admin = Person(app, "admin.dinkes")
    before = state(deployed)
    units = b"code,name,kind,parent_code\nDINKES.GIZI,Seksi Gizi,seksi,DINKES.YANKES\n"
    preview = _upload(admin, {"units": units})
    assert preview.status_code == 200
    doc = page(preview.text)
    assert text_of(doc.get_element_by_id("changed-total")) == "1 perubahan"
    assert state(deployed) == before  # a preview keeps nothing
    (form,) = doc.xpath('//form[@action="/admin/import/confirm"]')
    fields = {i.get("name"): i.get("value") or "" for i in form.xpath(".//input")}
    done = admin.client.post("/admin/import/confirm", data=fields)
    assert done.status_code == 200 and "Impor selesai: 1 perubahan." in done.text
    with deployed.transaction(write=False) as session:
        assert (
            session.scalars(select(Unit).where(Unit.code == "DINKES.GIZI")).one().parent.code
            == "DINKES.YANKES"
        )
    again = _upload(admin, {"units": units})
    assert text_of(page(again.text).get_element_by_id("changed-total")) == "0 perubahan"


def test_a_bad_import_lists_file_row_and_column_and_changes_nothing(app, deployed):
    admin = Person(app, "admin.dinkes")
    before = state(deployed)
    units = b"code,name,kind,parent_code\nDINKES.GIZI,Seksi Gizi,seksi,DINKES.YANKES\nDINKES.X,X,kementerian,DINKES\n"
    response = _upload(admin, {"units": units})
    assert response.status_code == 422
    problems = [text_of(li) for li in page(response.text).xpath('//div[@id="problems"]//li')]
    assert problems == ["units.csv, baris 3, kolom kind: Jenis unit 'kementerian' tidak dikenal."]
    assert state(deployed) == before


def test_export_downloads_the_three_files_of_the_scope(app):
    admin = Person(app, "admin.dinkes")
    response = admin.get("/admin/export.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert sorted(archive.namelist()) == ["positions.csv", "units.csv", "users.csv"]
    units = archive.read("units.csv").decode()
    assert units.splitlines()[0] == "code,name,kind,parent_code" and "DISKOMINFO" not in units
    assert admin.get("/admin/export/users.csv").data.decode().startswith("username,nip,name")
    admin.get("/admin/export/rahasia.csv", status=404)
