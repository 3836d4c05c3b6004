"""The rules every change to the organisation obeys, whoever makes it (admin page, CSV import).

Vocabularies (unit kinds, eselon, roles, role-mapping targets), the shape of codes and names,
and the rules of a holding (penugasan): dates in order, a Plt/Plh has an end date and lasts at
most 3 + 3 months (SE BKN 1/SE/I/2021), a structural position has at most one definitif holder
at a time and a Plt only while it has none.  Errors name the form field they belong to, so a
page can show them beside it and an import can name the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select, text
from sqlalchemy.orm import Session

from engine import messages
from engine.errors import LontarError
from engine.models import HOLDING_KINDS, ROLES, Position, PositionHolder, User

# kind -> (Bahasa Indonesia, English).  "sekretariat" is a perangkat daerah of its own (see
# engine.organisation.SKPD_KINDS); the Sekretariat inside a Dinas or Badan is "sekretariat_opd".
UNIT_KINDS: dict[str, tuple[str, str]] = {
    "pemda": ("Pemerintah Daerah", "Regional government"),
    "setda": ("Sekretariat Daerah", "Regional Secretariat"),
    "asisten": ("Asisten Sekda", "Assistant to the Regional Secretary"),
    "bagian": ("Bagian", "Section (Bagian)"),
    "subbagian": ("Subbagian", "Subsection"),
    "setwan": ("Sekretariat DPRD", "Secretariat of the Regional Parliament"),
    "inspektorat": ("Inspektorat", "Inspectorate"),
    "irban": ("Inspektur Pembantu Wilayah", "Assistant Inspectorate"),
    "dinas": ("Dinas", "Agency (Dinas)"),
    "badan": ("Badan", "Board (Badan)"),
    "sekretariat": ("Sekretariat (perangkat daerah)", "Secretariat (own agency)"),
    "sekretariat_opd": ("Sekretariat Dinas/Badan/Kecamatan", "Secretariat of an agency"),
    "bidang": ("Bidang", "Division (Bidang)"),
    "seksi": ("Seksi", "Section (Seksi)"),
    "tim": ("Tim kerja", "Work team"),
    "upt": ("UPT", "Technical unit (UPT)"),
    "rsud": ("RSUD", "Regional hospital"),
    "kecamatan": ("Kecamatan", "District (Kecamatan)"),
    "kelurahan": ("Kelurahan", "Urban village (Kelurahan)"),
    "desa": ("Desa", "Village (Desa)"),
    "skpd": ("Perangkat daerah lain", "Other regional agency"),
}

HOLDING_LABELS: dict[str, tuple[str, str]] = {
    "definitif": ("Definitif", "Permanent"),
    "plt": ("Plt. (pelaksana tugas)", "Plt. (acting, vacancy)"),
    "plh": ("Plh. (pelaksana harian)", "Plh. (acting, temporary absence)"),
    "pj": ("Pj. (penjabat)", "Pj. (interim head)"),
    "pjs": ("Pjs. (penjabat sementara)", "Pjs. (temporary interim head)"),
}

ROLE_LABELS: dict[str, tuple[str, str]] = {
    "pencatat": ("Pencatat / TU", "Registrar / TU"),
    "admin": ("Admin", "Admin"),
    "designer": ("Perancang proses", "Process designer"),
    "auditor": ("Auditor", "Auditor"),
}

# What a role key of a diagram becomes (engine.assignment reads these).
MAPPING_TARGETS: dict[str, tuple[str, str]] = {
    "position": ("Jabatan tertentu", "A given position"),
    "head": ("Kepala unit proses", "Head of the process's unit"),
    "superior": ("Atasan pelaku sebelumnya", "Superior of the previous actor"),
    "initiator": ("Pemrakarsa (konseptor)", "Initiator"),
    "user_role": ("Peran non-jabatan di unit", "A non-position role in the unit"),
}

ACTING_MAX_MONTHS = 6  # Plt/Plh: 3 months, extendable once by 3 (SE BKN 1/SE/I/2021)
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,59}$")
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
ESELON_RE = re.compile(r"^(I|II|III|IV|V)\.[ab]$")
ROLE_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_]{0,119}$")
NIP_RE = re.compile(r"^\d{18}$")
PASSWORD_MIN = 10
NO_PASSWORD = "!"  # noqa: S105 - password_hash prefix: no password set yet (argon2 refuses it, so login fails)

messages.register(
    {
        "org.invalid": ("{detail}", "{detail}"),
        "org.required": ("Isian ini wajib diisi.", "This field is required."),
        "org.code_format": (
            "Kode hanya boleh huruf, angka, titik, garis bawah dan tanda hubung (maks. 60).",
            "A code may contain only letters, digits, dots, underscores and dashes (max. 60).",
        ),
        "org.code_taken": ("Kode {code} sudah dipakai.", "Code {code} is already used."),
        "org.unknown_kind": ("Jenis unit '{kind}' tidak dikenal.", "Unknown unit kind '{kind}'."),
        "org.unknown_unit": ("Unit '{code}' tidak ada.", "Unit '{code}' does not exist."),
        "org.unknown_position": ("Jabatan '{code}' tidak ada.", "Position '{code}' does not exist."),
        "org.unknown_user": ("Pengguna '{username}' tidak ada.", "User '{username}' does not exist."),
        "org.unit_cycle": (
            "Unit {code} tidak boleh berada di bawah dirinya sendiri (struktur melingkar).",
            "Unit {code} cannot be placed below itself (a cycle in the tree).",
        ),
        "org.position_cycle": (
            "Jabatan {code} tidak boleh melapor kepada dirinya sendiri (rantai atasan melingkar).",
            "Position {code} cannot report to itself (a cycle of superiors).",
        ),
        "org.eselon_format": (
            "Eselon ditulis seperti II.a, III.b atau IV.a.",
            "Write eselon as II.a, III.b or IV.a.",
        ),
        "org.username_format": (
            "Nama pengguna: huruf kecil, angka, titik, garis bawah, tanda hubung; 2-80 karakter.",
            "Username: lowercase letters, digits, dots, underscores, dashes; 2-80 characters.",
        ),
        "org.username_taken": (
            "Nama pengguna {username} sudah dipakai.",
            "Username {username} is already taken.",
        ),
        "org.nip_format": ("NIP terdiri dari 18 angka.", "A NIP has 18 digits."),
        "org.nip_taken": (
            "NIP {nip} sudah dipakai oleh {username}.",
            "NIP {nip} is already used by {username}.",
        ),
        "org.email_format": ("Alamat surel tidak sah.", "Not a valid e-mail address."),
        "org.password_short": (
            "Kata sandi paling sedikit {n} karakter.",
            "A password needs at least {n} characters.",
        ),
        "org.bad_date": (
            "Tanggal '{value}' tidak sah (tulis 2026-01-31).",
            "Date '{value}' is not valid (write 2026-01-31).",
        ),
        "org.bad_bool": (
            "Nilai '{value}' tidak sah (tulis 1 atau 0).",
            "Value '{value}' is not valid (write 1 or 0).",
        ),
        "org.dates_order": (
            "Tanggal selesai sebelum tanggal mulai.",
            "The end date is before the start date.",
        ),
        "org.unknown_holding_kind": (
            "Jenis penugasan '{kind}' tidak dikenal.",
            "Unknown appointment kind '{kind}'.",
        ),
        "org.acting_needs_end": (
            "Plt/Plh harus memiliki tanggal selesai.",
            "A Plt/Plh appointment needs an end date.",
        ),
        "org.acting_too_long": (
            "Plt/Plh paling lama {months} bulan (3 bulan, diperpanjang sekali 3 bulan).",
            "A Plt/Plh lasts at most {months} months (3 months, extended once by 3).",
        ),
        "org.position_taken": (
            "Jabatan ini sudah dipegang definitif oleh {name} sejak {since}.",
            "This position is already held (definitif) by {name} since {since}.",
        ),
        "org.plt_not_vacant": (
            "Plt hanya untuk jabatan yang lowong; jabatan ini dipegang {name}. Gunakan Plh untuk berhalangan sementara.",
            "A Plt is only for a vacant position; {name} holds this one. Use Plh for a temporary absence.",
        ),
        "org.acting_taken": (
            "Jabatan ini sudah memiliki {kind} ({name}) pada periode itu.",
            "This position already has a {kind} ({name}) in that period.",
        ),
        "org.holding_exists": ("Penugasan yang sama sudah ada.", "The same appointment already exists."),
        "org.unknown_role": ("Peran '{role}' tidak dikenal.", "Unknown role '{role}'."),
        "org.role_key_format": (
            "Kunci peran: huruf kecil, angka dan garis bawah (mis. sekretaris).",
            "Role key: lowercase letters, digits and underscores (e.g. sekretaris).",
        ),
        "org.unknown_target": ("Sasaran '{target}' tidak dikenal.", "Unknown target '{target}'."),
        "org.mapping_needs_position": ("Pilih jabatannya.", "Choose the position."),
        "org.mapping_needs_role": ("Pilih perannya.", "Choose the role."),
        "org.out_of_scope": (
            "{what} berada di luar wilayah admin Anda.",
            "{what} is outside the part of the organisation you manage.",
        ),
        "org.root_parent": (
            "Induk unit teratas wilayah Anda tidak dapat diubah.",
            "The parent of the top unit you manage cannot be changed.",
        ),
        "org.global_only": (
            "Hanya admin Pemda yang dapat melakukan ini.",
            "Only a Pemda-wide admin can do this.",
        ),
        "org.self_deputy": ("Wakil tidak boleh orang yang sama.", "The deputy cannot be the same person."),
        "org.inactive_user": ("Pengguna {username} tidak aktif.", "User {username} is not active."),
        "org.past_period": ("Periode sudah lewat.", "The period is already over."),
        "org.self_deactivate": (
            "Anda tidak dapat menonaktifkan akun sendiri.",
            "You cannot deactivate your own account.",
        ),
    }
)


class OrgInvalid(LontarError):
    """A change refused by a rule; `field` names the form field (or CSV column) it is about."""

    key = "org.invalid"
    http_status = 422

    def __init__(self, key: str, field: str | None = None, **params: Any) -> None:
        self.field = field
        super().__init__(key, **params)


def label(table: dict[str, tuple[str, str]], value: str, lang: str = "id") -> str:
    pair = table.get(value)
    if pair is None:
        return value
    return pair[1] if lang == "en" else pair[0]


def lock_organisation(session: Session) -> None:
    """Serialise changes to the organisation (rare) on PostgreSQL: the checks below read what a
    concurrent change could invalidate, and the system audit chain takes the next sequence.
    SQLite writers already queue on BEGIN IMMEDIATE."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(4242001)"))


# -- values ----------------------------------------------------------------------------------


def clean_code(value: str | None, field: str = "code") -> str:
    code = (value or "").strip().upper()
    if not code:
        raise OrgInvalid("org.required", field)
    if not CODE_RE.match(code):
        raise OrgInvalid("org.code_format", field)
    return code


def clean_username(value: str | None, field: str = "username") -> str:
    username = (value or "").strip().lower()
    if not username:
        raise OrgInvalid("org.required", field)
    if not USERNAME_RE.match(username):
        raise OrgInvalid("org.username_format", field)
    return username


def clean_nip(value: str | None, field: str = "nip") -> str | None:
    nip = re.sub(r"[\s.]", "", value or "")
    if not nip:
        return None
    if not NIP_RE.match(nip):
        raise OrgInvalid("org.nip_format", field)
    return nip


def clean_email(value: str | None, field: str = "email") -> str | None:
    email = (value or "").strip()
    if not email:
        return None
    if len(email) > 200 or not re.match(r"^[^@\s]+@[^@\s]+$", email):
        raise OrgInvalid("org.email_format", field)
    return email


def clean_eselon(value: str | None, field: str = "eselon") -> str | None:
    eselon = (value or "").strip()
    if not eselon:
        return None
    if not ESELON_RE.match(eselon):
        raise OrgInvalid("org.eselon_format", field)
    return eselon


def clean_kind(value: str | None, field: str = "kind") -> str:
    kind = (value or "").strip().lower()
    if not kind:
        raise OrgInvalid("org.required", field)
    if kind not in UNIT_KINDS:
        raise OrgInvalid("org.unknown_kind", field, kind=kind)
    return kind


def clean_text(value: str | None, field: str, *, limit: int = 200, required: bool = True) -> str | None:
    result = " ".join((value or "").split())
    if not result:
        if required:
            raise OrgInvalid("org.required", field)
        return None
    return result[:limit]


def clean_role_key(value: str | None, field: str = "role") -> str:
    key = (value or "").strip().lower()
    if not key:
        raise OrgInvalid("org.required", field)
    if not ROLE_KEY_RE.match(key):
        raise OrgInvalid("org.role_key_format", field)
    return key


def check_role(role: str, field: str = "role") -> str:
    if role not in ROLES:
        raise OrgInvalid("org.unknown_role", field, role=role)
    return role


def check_password(password: str | None, field: str = "password") -> str:
    if not password or len(password) < PASSWORD_MIN:
        raise OrgInvalid("org.password_short", field, n=PASSWORD_MIN)
    return password


def has_password(user: User) -> bool:
    return not user.password_hash.startswith(NO_PASSWORD)


# -- holdings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HoldingSpec:
    position: Position
    user: User
    kind: str
    valid_from: date
    valid_to: date | None


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def is_structural(position: Position) -> bool:
    """Head of a unit or with an eselon: one person at a time (functional posts have many)."""
    return bool(position.is_head_of_unit or position.eselon)


def check_holding(session: Session, spec: HoldingSpec, *, ignore_id: int | None = None) -> None:
    """The rules of one penugasan against the holdings already in the database."""
    if spec.kind not in HOLDING_KINDS:
        raise OrgInvalid("org.unknown_holding_kind", "kind", kind=spec.kind)
    if spec.valid_to is not None and spec.valid_to < spec.valid_from:
        raise OrgInvalid("org.dates_order", "valid_to")
    if spec.kind in ("plt", "plh"):
        if spec.valid_to is None:
            raise OrgInvalid("org.acting_needs_end", "valid_to")
        if spec.valid_to > _add_months(spec.valid_from, ACTING_MAX_MONTHS):
            raise OrgInvalid("org.acting_too_long", "valid_to", months=ACTING_MAX_MONTHS)
    overlapping = [
        PositionHolder.position_id == spec.position.id,
        or_(PositionHolder.valid_to.is_(None), PositionHolder.valid_to >= spec.valid_from),
    ]
    if spec.valid_to is not None:
        overlapping.append(PositionHolder.valid_from <= spec.valid_to)
    if ignore_id is not None:
        overlapping.append(PositionHolder.id != ignore_id)
    same = session.scalars(
        select(PositionHolder).where(
            *overlapping, PositionHolder.user_id == spec.user.id, PositionHolder.kind == spec.kind
        )
    ).first()
    if same is not None:
        raise OrgInvalid("org.holding_exists", "user")
    if not is_structural(spec.position):
        return
    if spec.kind in ("definitif", "plt"):
        definitif = session.scalars(
            select(PositionHolder).where(*overlapping, PositionHolder.kind == "definitif").limit(1)
        ).first()
        if definitif is not None:
            key = "org.position_taken" if spec.kind == "definitif" else "org.plt_not_vacant"
            raise OrgInvalid(key, "kind", name=definitif.user.name, since=definitif.valid_from.isoformat())
    if spec.kind != "definitif":
        acting = session.scalars(
            select(PositionHolder).where(*overlapping, and_(PositionHolder.kind == spec.kind)).limit(1)
        ).first()
        if acting is not None:
            raise OrgInvalid("org.acting_taken", "kind", kind=spec.kind.capitalize(), name=acting.user.name)
