"""What a letter template sees: plain strings and lists, never ORM rows.

A template is a file an admin edits; it runs sandboxed, and it gets only the facts below, so a
template cannot walk from `letter` to the session, the user table or anything else.  The
signature block is the one stored at signing; before that it is previewed from the draft's
signing rule (a.n. / u.b.) and how the signer's position is held today (Plt. / Plh.).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.models import Letter, LetterAttachment, LetterParty, Position, PositionHolder, Setting, Unit, User
from engine.organisation import skpd_of
from engine.signing_rules import holding_kind, signature_lines

# Korespondensi: the Nomor / Sifat / Lampiran / Hal block; the others have a centred title.
KORESPONDENSI = ("nota_dinas", "memo", "surat_dinas", "surat_undangan", "surat_edaran", "surat_pengantar",
                 "surat_keterangan", "surat_kuasa", "telaahan_staf", "laporan", "pengumuman", "lainnya")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
KOP_PREFIX = "kop."  # Setting "kop.<UNIT_CODE>" (or "kop" for the whole Pemda): alamat, telepon, laman, ...
FOOTER = ("Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang "
          "diterbitkan oleh {issuer}")


def long_date(day: date | None) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}" if day else "(belum bertanggal)"


def root_unit(session: Session, unit: Unit) -> Unit:
    """The Pemda: the top of the unit tree (a cycle in an imported chart stops the walk)."""
    seen: set[int] = set()
    while unit.parent_id is not None and unit.id not in seen:
        seen.add(unit.id)
        parent = session.get(Unit, unit.parent_id)
        if parent is None:
            break
        unit = parent
    return unit


def skpd_unit(session: Session, letter: Letter) -> Unit:
    unit = session.get(Unit, skpd_of(session, letter.unit_id) or letter.unit_id)
    assert unit is not None
    return unit


def kop_settings(session: Session, codes: list[str]) -> dict[str, Any]:
    """The unit's kop over the Pemda-wide one; missing keys simply do not print."""
    merged: dict[str, Any] = {}
    for key in ["kop", *(KOP_PREFIX + code for code in reversed(codes))]:
        row = session.get(Setting, key)
        if row is not None and isinstance(row.value, dict):
            merged.update({k: v for k, v in row.value.items() if isinstance(v, str) and v.strip()})
    return merged


def _party_names(session: Session, parties: list[LetterParty], role: str) -> list[str]:
    names = []
    for party in parties:
        if party.role != role:
            continue
        if party.kind == "internal" and party.position_id:
            position = session.get(Position, party.position_id)
            names.append(position.name if position else party.name)
        elif party.kind == "internal" and party.unit_id:
            unit = session.get(Unit, party.unit_id)
            names.append(unit.name if unit else party.name)
        else:
            names.append(party.name)
    return [n for n in names if n]


def _signer(session: Session, letter: Letter, on: date) -> tuple[list[str], User | None]:
    """The block's jabatan lines and the person named under it."""
    signer = session.get(Position, letter.signer_position_id) if letter.signer_position_id else None
    if letter.signature_block:
        person = session.get(User, letter.signed_by_id) if letter.signed_by_id else None
        return letter.signature_block.splitlines(), person
    if signer is None:
        return [], None
    holder = session.scalars(select(PositionHolder).where(PositionHolder.position_id == signer.id)
                             .order_by(PositionHolder.valid_from.desc(), PositionHolder.id)).all()
    current = [h for h in holder if h.valid_from <= on and (h.valid_to is None or h.valid_to >= on)]
    current.sort(key=lambda h: h.kind != "definitif")
    person = current[0].user if current else None
    kind = holding_kind(session, person.id, signer.id, on) if person else None
    options = letter.draft_options or {}
    atas_nama_id = options.get("atas_nama")
    atas_nama = session.get(Position, atas_nama_id) if isinstance(atas_nama_id, int) else None
    return signature_lines(session, signer, atas_nama, bool(options.get("ub")), kind or ""), person


def paragraphs(body: str) -> list[list[str]]:
    """Blank lines separate paragraphs; single line breaks stay line breaks."""
    text = body.replace("\r\n", "\n").strip()
    blocks = [b.strip("\n") for b in text.split("\n\n")] if text else []
    return [b.split("\n") for b in blocks if b.strip()]


def letter_facts(session: Session, letter: Letter, *, signed: bool, issuer: str, on: date) -> dict[str, Any]:
    """Everything the template may print, as plain values."""
    skpd = skpd_unit(session, letter)
    codes = list(dict.fromkeys([letter.unit.code, skpd.code]))
    kop = kop_settings(session, codes)
    contact = " ".join(f"{label} {kop[key]}" for key, label in (("telepon", "Telepon"), ("faksimile", "Faksimile"),
                                                                  ("email", "Pos-el"), ("laman", "Laman"))
                       if key in kop)
    lampiran = session.scalar(select(func.count()).select_from(LetterAttachment).where(
        LetterAttachment.letter_id == letter.id, LetterAttachment.kind == "lampiran")) or 0
    jabatan, person = _signer(session, letter, on)
    return {
        "kop": {"pemda": kop.get("pemda", root_unit(session, skpd).name), "skpd": kop.get("nama", skpd.name),
                "alamat": kop.get("alamat", ""), "kontak": contact},
        "korespondensi": letter.jenis in KORESPONDENSI,
        "jenis": letter.jenis,
        "judul": letter.jenis.replace("_", " ").upper(),
        "nomor": letter.nomor or "(belum bernomor)",  # allocated just before the PDF is signed
        "tanggal": long_date(letter.tanggal if letter.nomor else None),
        "tempat": kop.get("tempat", ""),
        "sifat": letter.sifat.replace("_", " ").title(),
        "urgensi": letter.urgensi.replace("_", " ").title(),
        "klasifikasi": letter.klasifikasi_code or "",
        "lampiran": f"{lampiran} berkas" if lampiran else "-",
        "hal": letter.hal,
        "isi": paragraphs(letter.body or ""),
        "kepada": _party_names(session, list(letter.parties), "kepada"),
        "tembusan": _party_names(session, list(letter.parties), "tembusan"),
        "ttd": {"jabatan": jabatan, "nama": person.name if person else "",
                "nip": (person.nip or "") if person else "", "pangkat": (person.pangkat or "") if person else ""},
        "footer": FOOTER.format(issuer=issuer) if signed else "",
        "logo": kop.get("logo", ""),
    }
