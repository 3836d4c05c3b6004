"""The signer's step with a certificate: a PAdES-signed PDF with the number inside, stored by
hash and recorded; a wrong passphrase signs nothing and takes no number; the passphrase is
nowhere in the database afterwards."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, text

from engine.documents.ca import CaInfo, init_ca, issue_signer
from engine.documents.pades import sha256
from engine.documents.sealing import SIGNED_KIND, DocumentConfig, record_wrong_passphrase
from engine.documents.signer import WrongPassphrase
from engine.documents.verify import verify_pdf
from engine.errors import InvalidInput
from engine.letters import StoredFile
from engine.models import AuditEvent, HumanTask, Letter, LetterAttachment, LetterNumber
from engine.models.documents import SignedDocument
from engine.signing import sign
from tests import test_web
from tests.flow import get_user
from tests.outgoing_world import act_paraf, deploy_outgoing, draft, prepare, ready_task
from tests.test_web import Person, page, task_link, text_of
from tests.test_web_outgoing import PARAF, SEKRETARIS, SIGN, post, submit_draft

app = test_web.app  # the fixture: the Lontar app on the `deployed` database

PASS = "kunci-rahasia-agus-7391"


class Store:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, data: bytes, filename: str) -> StoredFile:
        digest = sha256(data)
        (self.folder / digest).write_bytes(data)
        return StoredFile(filename=filename, sha256=digest, mime="application/pdf", size=len(data))


@pytest.fixture
def world(org, engine, tmp_path):  # type: ignore[no-untyped-def]
    clock = prepare(org, engine)
    deploy_outgoing(org, engine)
    ca = init_ca(tmp_path / "ca", name="Pemerintah Kabupaten Lontar", passphrase=None, at=clock.now())
    with org.transaction() as s:
        issue_signer(s, ca, user=get_user(s, "agus"), passphrase=PASS, at=clock.now())
    store = Store(tmp_path / "files")
    config = DocumentConfig(template_dirs=[], ca_folder=tmp_path / "ca", store=store,
                            verify_url=lambda letter_id: f"https://lontar.example.go.id/verifikasi/surat/{letter_id}")
    return org, engine, ca, store, config


def ready_for_agus(db, engine) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    letter_id = draft(db, engine, by="budi", signer="DISKOMINFO.KADIS", kepada=("DISKOMINFO.IKP",))
    act_paraf(db, engine, letter_id, "sari")
    act_paraf(db, engine, letter_id, "yusuf")
    task_id, _ = ready_task(db, letter_id, "lontar.tandatangan")
    return letter_id, task_id


def test_signing_with_a_certificate_stores_a_valid_pades_pdf(world) -> None:  # type: ignore[no-untyped-def]
    db, engine, ca, store, config = world
    assert isinstance(ca, CaInfo)
    letter_id, task_id = ready_for_agus(db, engine)
    with db.transaction() as s:
        signed = sign(s, engine, task_id, user=get_user(s, "agus"), passphrase=PASS, documents=config)
        assert signed.document is not None and signed.number is not None
        nomor = signed.number.nomor
    with db.transaction(write=False) as s:
        letter = s.get(Letter, letter_id)
        doc = s.scalars(select(SignedDocument).where(SignedDocument.letter_id == letter_id)).one()
        assert doc.kind == "final" and doc.signed_by_id == get_user(s, "agus").id and doc.certificate_id
        from engine.drafting import current_version

        assert doc.version_sha256 == current_version(s, letter_id).sha256
        attachment = s.scalars(select(LetterAttachment).where(LetterAttachment.letter_id == letter_id,
                                                              LetterAttachment.kind == SIGNED_KIND)).one()
        assert attachment.sha256 == doc.sha256 and attachment.filename.endswith(".pdf")
        assert letter.nomor == nomor and letter.signed_at is not None
    data = (store.folder / doc.sha256).read_bytes()
    assert sha256(data) == doc.sha256 and len(data) == doc.size
    result = verify_pdf(data, [ca.trust_root])
    assert result.ok, result
    assert result.signatures[0].signer_name.startswith("Agus") or "agus" in result.signatures[0].subject.lower()
    assert nomor in "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)

    # the passphrase is in no row: audit trail, process state, tasks, notifications
    with db.transaction(write=False) as s:
        for table, columns in {"audit_event": ["summary", "before", "after"],
                               "process_instance": ["state"],
                               "human_task": ["context", "submitted", "pending"],
                               "notification": ["*"]}.items():
            for row in s.execute(text(f"SELECT {', '.join(columns)} FROM {table}")):  # noqa: S608
                assert PASS not in " ".join(str(v) for v in row), table
        assert s.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == "naskah.ditandatangani")) == 1


def test_a_wrong_passphrase_signs_nothing_and_takes_no_number(world) -> None:  # type: ignore[no-untyped-def]
    db, engine, _ca, store, config = world
    letter_id, task_id = ready_for_agus(db, engine)
    with pytest.raises(InvalidInput) as missing, db.transaction() as s:
        sign(s, engine, task_id, user=get_user(s, "agus"), passphrase="", documents=config)
    assert missing.value.key == "ttd.passphrase_required" and missing.value.field == "passphrase"
    with pytest.raises(WrongPassphrase), db.transaction() as s:
        sign(s, engine, task_id, user=get_user(s, "agus"), passphrase="bukan-frasa-ini", documents=config)
    with db.transaction() as s:  # the caller audits the attempt in its own transaction
        record_wrong_passphrase(s, task_id, user=get_user(s, "agus"), at=engine.clock.now())
    with db.transaction(write=False) as s:
        assert s.scalar(select(func.count()).select_from(LetterNumber)) == 0
        assert s.scalar(select(func.count()).select_from(SignedDocument)) == 0
        letter = s.get(Letter, letter_id)
        assert letter.nomor is None and letter.signed_at is None
        assert s.get(HumanTask, task_id).status == "ready"
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "ttd.frasa_salah")).one()
        assert "bukan-frasa-ini" not in f"{event.summary} {event.before} {event.after}"
    assert not list(store.folder.iterdir())
    # ... and the right one still works afterwards
    with db.transaction() as s:
        signed = sign(s, engine, task_id, user=get_user(s, "agus"), passphrase=PASS, documents=config)
    assert signed.document is not None and signed.number is not None


def test_a_signer_without_a_certificate_signs_as_before(world) -> None:  # type: ignore[no-untyped-def]
    db, engine, _ca, store, config = world
    with db.transaction() as s:
        from engine.models.documents import SignerCertificate

        s.execute(SignerCertificate.__table__.delete())
    _letter_id, task_id = ready_for_agus(db, engine)
    with db.transaction() as s:
        signed = sign(s, engine, task_id, user=get_user(s, "agus"), documents=config)
    assert signed.number is not None and signed.document is None
    assert not store.folder.exists() or not list(store.folder.iterdir())


# --- the sign page --------------------------------------------------------------------------------


def test_the_sign_page_asks_the_passphrase_refuses_a_wrong_one_and_signs(app, deployed, engine) -> None:  # type: ignore[no-untyped-def]
    clock = prepare(deployed, engine)
    deploy_outgoing(deployed, engine)
    ca = init_ca(Path(app.instance_path) / "ca", name="Pemerintah Kabupaten Lontar", passphrase=None, at=clock.now())
    with deployed.transaction() as s:
        issue_signer(s, ca, user=get_user(s, "agus"), passphrase=PASS, at=clock.now())
    budi = Person(app, "budi")
    url = submit_draft(deployed, budi)
    letter_id = int(url.rsplit("/", 1)[1])
    sari = Person(app, "sari")
    assert post(sari, task_link(sari, PARAF), {"aksi": "paraf", "note": ""}).status_code == 302
    yusuf = Person(app, "yusuf")
    assert post(yusuf, task_link(yusuf, SEKRETARIS), {"aksi": "paraf"}).status_code == 302
    agus = Person(app, "agus")
    sign_url = task_link(agus, SIGN)
    field = page(agus.get(sign_url).text).get_element_by_id("passphrase")
    assert field.get("type") == "password" and field.get("autocomplete") == "off"

    wrong = post(agus, sign_url, {"aksi": "tandatangani", "passphrase": "salah-sekali-123"})
    assert wrong.status_code == 422
    assert "Frasa sandi salah. Naskah tidak ditandatangani." in text_of(page(wrong.text).get_element_by_id("decide"))
    assert "salah-sekali-123" not in wrong.text
    with deployed.transaction(write=False) as s:
        assert s.scalar(select(func.count()).select_from(LetterNumber)) == 0
        assert s.get(Letter, letter_id).signed_at is None
        assert s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "ttd.frasa_salah")) == 1

    signed = post(agus, sign_url, {"aksi": "tandatangani", "passphrase": PASS})
    assert signed.status_code == 302
    with deployed.transaction(write=False) as s:
        doc = s.scalars(select(SignedDocument).where(SignedDocument.letter_id == letter_id)).one()
        nomor = s.get(Letter, letter_id).nomor
    data = (Path(app.instance_path) / "files" / doc.sha256).read_bytes()
    assert verify_pdf(data, [ca.trust_root]).ok
    assert nomor in "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    # the QR's target: the letter's verification page says the stored file is valid
    if "verify.letter" in app.view_functions:
        shown = test_web.Person(app, "budi").client.get(f"/verifikasi/surat/{letter_id}")
        assert shown.status_code == 200
