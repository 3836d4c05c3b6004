"""Letters as PDF: a draft and a signed nota dinas render with kop, Nomor block, body, signature
block and (only when signed) the electronic-signature footer; the same letter renders to the
same bytes; a unit's template wins over ours; a template that reaches outside the sandbox or
its folder, or asks for an image, is refused beside one that is accepted; the preview page is
a PDF for the konseptor and a 404 for someone of another SKPD.  Every DB test runs on SQLite
and PostgreSQL."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from engine.documents.render import DEFAULT_DIR, RenderedPdf, TemplateRefused, render_letter
from engine.models import Letter, Setting
from tests import test_web
from tests.outgoing_world import act_paraf, act_sign, deploy_outgoing, draft, prepare
from tests.test_web import Person, task_link

app = test_web.app  # the fixture: the Lontar app on the `deployed` database
HAL = "Permohonan data layanan publik"


@pytest.fixture
def world(org, engine):  # type: ignore[no-untyped-def]
    prepare(org, engine)
    deploy_outgoing(org, engine)
    return org, engine


def text_of(rendered: RenderedPdf) -> str:
    """The text with line breaks and runs of spaces made single spaces (the block wraps)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.data)).pages).split())


def render(db, letter_id: int, **kwargs) -> RenderedPdf:  # type: ignore[no-untyped-def]
    with db.transaction(write=False) as session:
        return render_letter(session, session.get(Letter, letter_id), **kwargs)


def signed_letter(db, engine) -> int:  # type: ignore[no-untyped-def]
    letter_id = draft(db, engine, by="budi", signer="DISKOMINFO.KADIS", kepada=("DISKOMINFO.IKP",),
                      tembusan=("DINKES",), hal=HAL)
    act_paraf(db, engine, letter_id, "sari")
    act_paraf(db, engine, letter_id, "yusuf")
    act_sign(db, engine, letter_id, "agus")
    return letter_id


def test_a_draft_renders_unnumbered_without_the_footer(world) -> None:  # type: ignore[no-untyped-def]
    db, engine = world
    letter_id = draft(db, engine, by="budi", signer="DISKOMINFO.KADIS", kepada=("DISKOMINFO.IKP",), hal=HAL)
    rendered = render(db, letter_id)
    text = text_of(rendered)
    assert rendered.data.startswith(b"%PDF-")
    assert HAL in text and "DINAS KOMUNIKASI DAN INFORMATIKA" in text and "PEMERINTAH KABUPATEN LONTAR" in text
    assert "Nomor" in text and "(belum bernomor)" in text
    assert "KEPALA DINAS KOMUNIKASI DAN INFORMATIKA" in text  # the block previewed from the draft's rule
    assert "ditandatangani secara elektronik" not in text
    x1, y1, x2, y2 = rendered.stamp_box
    assert 0 < x1 < x2 <= 595.3 and 0 < y1 < y2 <= 841.9 and rendered.stamp_page == 0


def test_a_signed_letter_shows_number_block_tembusan_and_footer(world) -> None:  # type: ignore[no-untyped-def]
    db, engine = world
    letter_id = signed_letter(db, engine)
    with db.transaction(write=False) as session:
        letter = session.get(Letter, letter_id)
        nomor, block = letter.nomor, letter.signature_block
    text = text_of(render(db, letter_id, signed=True, issuer="BSrE"))
    assert nomor and nomor in text and "(belum bernomor)" not in text
    assert block.splitlines()[-1] in text and "NIP" in text
    assert "Tembusan" in text and "Dinas Kesehatan" in text
    assert ("Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang "
            "diterbitkan oleh BSrE") in text


def test_nothing_is_drawn_in_the_stamp_box(world) -> None:  # type: ignore[no-untyped-def]
    db, engine = world
    rendered = render(db, signed_letter(db, engine), signed=True)
    x1, y1, x2, y2 = rendered.stamp_box
    inside: list[str] = []

    def visit(text, _cm, tm, _font, _size) -> None:  # type: ignore[no-untyped-def]
        if text.strip() and x1 <= tm[4] <= x2 and y1 <= tm[5] <= y2:
            inside.append(text)

    page = PdfReader(io.BytesIO(rendered.data)).pages[rendered.stamp_page]
    page.extract_text(visitor_text=visit)
    assert inside == []
    texts: list[float] = []
    page.extract_text(visitor_text=lambda t, _c, tm, _f, _s: texts.append(tm[5]) if t.strip() else None)
    assert any(y > y2 for y in texts) and any(y < y1 for y in texts)  # the block above, the name below


def test_the_same_letter_renders_the_same_bytes(world) -> None:  # type: ignore[no-untyped-def]
    db, engine = world
    letter_id = signed_letter(db, engine)
    first, second = render(db, letter_id, signed=True), render(db, letter_id, signed=True)
    assert first == second
    assert render(db, letter_id, signed=False).data != first.data  # the footer makes a difference


def test_kop_address_comes_from_the_unit_setting(world) -> None:  # type: ignore[no-untyped-def]
    db, engine = world
    letter_id = draft(db, engine, by="budi", signer="DISKOMINFO.KADIS", kepada=("DISKOMINFO.IKP",), hal=HAL)
    with db.transaction() as session:
        session.add(Setting(key="kop.DISKOMINFO", value={"alamat": "Jalan Merdeka Nomor 7, Lontar 12345",
                                                          "laman": "diskominfo.lontarkab.go.id"}))
    text = text_of(render(db, letter_id))
    assert "Jalan Merdeka Nomor 7, Lontar 12345" in text and "Laman diskominfo.lontarkab.go.id" in text


def test_a_unit_template_wins_over_the_default(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, engine = world
    letter_id = draft(db, engine, by="budi", signer="DISKOMINFO.KADIS", kepada=("DISKOMINFO.IKP",), hal=HAL)
    (tmp_path / "DINKES").mkdir()
    (tmp_path / "DINKES" / "naskah.jinja").write_text("<p>Templat Dinkes</p>{{ stamp }}")
    assert "Templat Dinkes" not in text_of(render(db, letter_id, template_dirs=[tmp_path]))  # another unit's
    (tmp_path / "DISKOMINFO").mkdir()
    (tmp_path / "DISKOMINFO" / "naskah.jinja").write_text("<p>Templat Diskominfo: {{ hal }}</p>{{ stamp }}")
    text = text_of(render(db, letter_id, template_dirs=[tmp_path]))
    assert f"Templat Diskominfo: {HAL}" in text and "Kepada Yth." not in text


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ hal.__class__.__init__.__globals__ }}",
    "{% include '/etc/passwd' %}",
    "{% include '../../../../etc/passwd' %}",
    "{% include 'luar.jinja' %}",  # a link out of the folder
    '<img src="https://example.com/x.png">',
    '<a href="file:///etc/passwd">x</a>',
    "{{ stamp }}{{ stamp }}",
])
def test_a_template_outside_the_sandbox_is_refused(world, tmp_path: Path, source: str) -> None:  # type: ignore[no-untyped-def]
    db, engine = world
    letter_id = draft(db, engine, by="budi", signer="DISKOMINFO.KADIS", kepada=("DISKOMINFO.IKP",), hal=HAL,
                      submit=False)
    folder = tmp_path / "templates" / "DISKOMINFO"
    folder.mkdir(parents=True)
    outside = tmp_path / "rahasia.txt"
    outside.write_text("RAHASIA")
    (folder / "luar.jinja").symlink_to(outside)
    (folder / "naskah.jinja").write_text("<p>{{ hal }}</p>{{ stamp }}")
    assert HAL in text_of(render(db, letter_id, template_dirs=[tmp_path / "templates"]))  # accepted
    (folder / "naskah.jinja").write_text(source)
    with pytest.raises(TemplateRefused):
        render(db, letter_id, template_dirs=[tmp_path / "templates"])


def test_user_text_is_escaped_not_interpreted(world) -> None:  # type: ignore[no-untyped-def]
    db, engine = world
    letter_id = draft(db, engine, by="budi", signer="DISKOMINFO.KADIS", kepada=("DISKOMINFO.IKP",),
                      hal='Data <img src="https://example.com/x.png"> & lain', submit=False)
    text = text_of(render(db, letter_id))
    assert 'Data <img src="https://example.com/x.png"> & lain' in text


def test_the_default_template_is_shipped() -> None:
    assert (DEFAULT_DIR / "naskah.jinja").is_file()


def test_preview_is_a_pdf_for_the_konseptor_and_404_elsewhere(app, deployed, engine) -> None:  # type: ignore[no-untyped-def]
    prepare(deployed, engine)
    deploy_outgoing(deployed, engine)
    letter_id = draft(deployed, engine, by="budi", signer="DISKOMINFO.KADIS", kepada=("DISKOMINFO.IKP",), hal=HAL)
    response = Person(app, "budi").get(f"/surat/{letter_id}/pdf")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert HAL in "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    pdf_url = f"/surat/{letter_id}/pdf"
    assert pdf_url in Person(app, "budi").get(f"/surat/{letter_id}").text  # the outgoing panel's link
    sari = Person(app, "sari")
    assert pdf_url in sari.get(task_link(sari, "Paraf berjenjang")).text  # the pemeriksa's task page
    assert sari.get(pdf_url).mimetype == "application/pdf"
    Person(app, "wati").get(f"/surat/{letter_id}/pdf", status=404)
    Person(app, "budi").get(f"/surat/{letter_id + 1000}/pdf", status=404)
