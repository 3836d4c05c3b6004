"""How an outgoing letter's number looks, and the Pemda's numbering settings.

A number is a template of tokens, e.g. `{klasifikasi}/{urut}/{kode_unit}/{tahun}` ->
`000.8.3.3/15/DISKOMINFO/2026`; `{urut:3}` pads the counter with zeros (`005.1/001/DINKES/V/2026`).
A template is refused unless every number it prints is distinct: it must hold {urut} and
{kode_unit}, and the token of its series ({jenis} or {klasifikasi}) when counters run per jenis
or per klasifikasi.  The register itself (allocate, void, sisipan) is engine.numbering.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from string import Formatter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit, messages
from engine.errors import InvalidInput
from engine.models import LetterNumber, Setting, User

DEFAULT_FORMAT = "{klasifikasi}/{urut}/{kode_unit}/{tahun}"
TOKENS = ("klasifikasi", "urut", "kode_unit", "kode_wilayah", "bulan_romawi", "tahun", "jenis")
FORMAT_KEY, SERIES_KEY = "penomoran.format", "penomoran.seri"
WILAYAH_KEY, QUOTA_KEY = "penomoran.kode_wilayah", "penomoran.kuota_sisipan"
SERIES_MODES = ("unit", "jenis", "klasifikasi")
SERIES_PREFIX = "keluar"
DEFAULT_QUOTA, MAX_QUOTA = 2, 20
MAX_FORMAT, MAX_NOMOR, MAX_WIDTH, MAX_WILAYAH = 100, 120, 6, 20  # Letter.nomor holds 120
NO_KLASIFIKASI = "000"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
# {jenis} in a number; each distinct, so that per-jenis series cannot print the same number twice
JENIS_CODES = {
    "nota_dinas": "ND", "surat_dinas": "SD", "surat_undangan": "SU", "surat_edaran": "SE",
    "surat_keputusan": "SK", "surat_perintah": "SPT", "surat_tugas": "ST", "berita_acara": "BA",
    "surat_keterangan": "SKET", "surat_pengantar": "SP", "surat_kuasa": "SKU", "telaahan_staf": "TS",
    "laporan": "LAP", "pengumuman": "PENG", "instruksi": "INS", "perjanjian": "PKS",
}
EXAMPLE = {"klasifikasi": "000.8.3.3", "urut": 15, "jenis": "nota_dinas"}  # the admin page's sample

messages.register(
    {
        "numbering.format_required": ("Format nomor wajib diisi.", "The number format is required."),
        "numbering.format_too_long": (
            "Format nomor paling panjang {n} karakter.", "The number format is at most {n} characters."),
        "numbering.braces": (
            "Kurung kurawal tidak seimbang: setiap {{ harus ditutup dengan }}, mis. {{urut}}.",
            "Unbalanced braces: every {{ must be closed by }}, e.g. {{urut}}."),
        "numbering.unknown_token": (
            "Unsur {token} tidak dikenal. Yang dapat dipakai: {tokens}.",
            "Unknown element {token}. Available: {tokens}."),
        "numbering.bad_width": (
            "{token} tidak dapat dipakai: hanya {{urut}} yang boleh diberi lebar 1 sampai 6, mis. {{urut:3}}.",
            "{token} cannot be used: only {{urut}} takes a width of 1 to 6, e.g. {{urut:3}}."),
        "numbering.urut_required": (
            "Format nomor harus memuat {{urut}} (nomor urut).", "The number format must contain {{urut}}."),
        "numbering.unit_required": (
            "Format nomor harus memuat {{kode_unit}}: tanpa itu nomor dari unit yang berbeda sama.",
            "The number format must contain {{kode_unit}}: without it two units would issue the same numbers."),
        "numbering.mode_token": (
            "Penomoran per {mode} memerlukan {token} dalam format, agar nomor tiap seri berbeda.",
            "Numbering per {mode} needs {token} in the format, so that each series prints distinct numbers."),
        "numbering.wilayah_required": (
            "Format memakai {{kode_wilayah}}: isi kode wilayah lebih dulu.",
            "The format uses {{kode_wilayah}}: enter the region code first."),
        "numbering.bad_mode": (
            "Seri penomoran '{value}' tidak dikenal (unit, jenis, klasifikasi).",
            "Unknown numbering series '{value}' (unit, jenis, klasifikasi)."),
        "numbering.mode_in_use": (
            "Seri penomoran tidak dapat diubah di tengah tahun: sudah ada nomor tahun {year}. "
            "Ubah pada awal tahun berikutnya.",
            "The numbering series cannot change mid-year: numbers of {year} exist already. "
            "Change it at the start of next year."),
        "numbering.bad_wilayah": (
            "Kode wilayah hanya angka dan titik, paling panjang {n} karakter (mis. 35.24).",
            "The region code takes digits and dots only, at most {n} characters (e.g. 35.24)."),
        "numbering.bad_quota": (
            "Kuota sisipan harus bilangan bulat 0 sampai {n}.", "The sisipan quota must be a whole number 0 to {n}."),
    }
)


class NumberingInvalid(InvalidInput):
    """A numbering change or request refused by a rule; `field` names the form field."""


def actor_of(user: User | audit.Actor | None) -> audit.Actor:
    if isinstance(user, audit.Actor):
        return user
    return audit.SYSTEM if user is None else audit.Actor(user.id, user.name)


def _setting(session: Session, key: str, default: Any) -> Any:
    row = session.get(Setting, key)
    return default if row is None else row.value


# -- the format --------------------------------------------------------------------------------


def _parts(template: str) -> list[tuple[str, str | None, int]]:
    """(literal text, token or None, width of {urut:N}); refuses what cannot be rendered."""
    try:
        parsed = list(Formatter().parse(template))
    except ValueError:
        raise NumberingInvalid("numbering.braces", "template") from None
    parts: list[tuple[str, str | None, int]] = []
    for literal, name, spec, conversion in parsed:
        if "{" in literal or "}" in literal:  # "{{" escapes would print a brace into a number
            raise NumberingInvalid("numbering.braces", "template")
        if name is None:
            parts.append((literal, None, 0))
            continue
        token = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        if name not in TOKENS:
            raise NumberingInvalid("numbering.unknown_token", "template", token=token,
                                   tokens=" ".join("{" + t + "}" for t in TOKENS))
        width = 0
        if spec or conversion:
            if name != "urut" or conversion or not spec.isdigit() or not 1 <= int(spec) <= MAX_WIDTH:
                raise NumberingInvalid("numbering.bad_width", "template", token=token)
            width = int(spec)
        parts.append((literal, name, width))
    return parts


def check_format(template: str, mode: str = "unit") -> str:
    """The template, stripped, when it renders distinct numbers in the series `mode`."""
    clean = (template or "").strip()
    if not clean:
        raise NumberingInvalid("numbering.format_required", "template")
    if len(clean) > MAX_FORMAT:
        raise NumberingInvalid("numbering.format_too_long", "template", n=MAX_FORMAT)
    used = {name for _literal, name, _width in _parts(clean)}
    if "urut" not in used:
        raise NumberingInvalid("numbering.urut_required", "template")
    if "kode_unit" not in used:
        raise NumberingInvalid("numbering.unit_required", "template")
    if mode in ("jenis", "klasifikasi") and mode not in used:
        raise NumberingInvalid("numbering.mode_token", "template", mode=mode, token="{" + mode + "}")
    return clean


def jenis_code(jenis: str | None) -> str:
    return JENIS_CODES.get(jenis or "", (jenis or "").upper())


def render(template: str, *, klasifikasi: str | None, urut: int, suffix: str, kode_unit: str,
           kode_wilayah: str, tanggal: date, jenis: str | None) -> str:
    """One number: {urut:3} pads with zeros (001), a sisipan suffix follows the digits (15a)."""
    values = {
        "klasifikasi": klasifikasi or NO_KLASIFIKASI, "kode_unit": kode_unit, "kode_wilayah": kode_wilayah,
        "bulan_romawi": ROMAN[tanggal.month - 1], "tahun": str(tanggal.year), "jenis": jenis_code(jenis),
    }
    out: list[str] = []
    for literal, name, width in _parts(template):
        out.append(literal)
        if name == "urut":
            out.append(str(urut).zfill(width) + suffix)
        elif name is not None:
            out.append(values[name])
    return "".join(out)


def example(template: str, *, kode_unit: str, kode_wilayah: str, tanggal: date) -> str:
    """The admin page's sample number for a template (raises NumberingInvalid like check_format)."""
    return render(template, suffix="", kode_unit=kode_unit, kode_wilayah=kode_wilayah, tanggal=tanggal, **EXAMPLE)


# -- the settings ------------------------------------------------------------------------------


def series_mode(session: Session) -> str:
    value = _setting(session, SERIES_KEY, "unit")
    return value if value in SERIES_MODES else "unit"


def number_format(session: Session) -> str:
    """The Pemda's template; the default when unset or unreadable (signing must not stop on it)."""
    try:
        return check_format(str(_setting(session, FORMAT_KEY, DEFAULT_FORMAT)), series_mode(session))
    except NumberingInvalid:
        return DEFAULT_FORMAT


def kode_wilayah(session: Session) -> str:
    value = _setting(session, WILAYAH_KEY, "")
    return value if isinstance(value, str) else ""


def sisipan_quota(session: Session) -> int:
    value = _setting(session, QUOTA_KEY, DEFAULT_QUOTA)
    return value if isinstance(value, int) and 0 <= value <= MAX_QUOTA else DEFAULT_QUOTA


def settings(session: Session) -> dict[str, Any]:
    return {"format": number_format(session), "seri": series_mode(session),
            "kode_wilayah": kode_wilayah(session), "kuota_sisipan": sisipan_quota(session)}


def configure(session: Session, *, user: User | audit.Actor | None, at: datetime, tz: tzinfo,
              template: str | None = None, mode: str | None = None, wilayah: str | None = None,
              quota: object = None) -> dict[str, Any]:
    """Change any of the four settings (None keeps one), all checked together, one audit row.

    The series cannot change once the current year has numbers: a new series starts at 1 and
    would print numbers already issued."""
    before = settings(session)
    after = dict(before)
    if mode is not None:
        if mode not in SERIES_MODES:
            raise NumberingInvalid("numbering.bad_mode", "mode", value=mode)
        after["seri"] = mode
    if wilayah is not None:
        after["kode_wilayah"] = code = wilayah.strip()
        if len(code) > MAX_WILAYAH or not all(c.isdigit() or c == "." for c in code):
            raise NumberingInvalid("numbering.bad_wilayah", "wilayah", n=MAX_WILAYAH)
    if quota is not None:
        if isinstance(quota, bool) or not isinstance(quota, int) or not 0 <= quota <= MAX_QUOTA:
            raise NumberingInvalid("numbering.bad_quota", "quota", n=MAX_QUOTA)
        after["kuota_sisipan"] = quota
    after["format"] = check_format(before["format"] if template is None else template, after["seri"])
    if "kode_wilayah" in {n for _l, n, _w in _parts(after["format"])} and not after["kode_wilayah"]:
        raise NumberingInvalid("numbering.wilayah_required", "wilayah")
    year = at.astimezone(tz).year
    numbered = select(LetterNumber.id).where(LetterNumber.year >= year).limit(1)
    if after["seri"] != before["seri"] and session.scalar(numbered) is not None:
        raise NumberingInvalid("numbering.mode_in_use", "mode", year=year)
    changed = {k for k in after if after[k] != before[k]}
    keys = {"format": FORMAT_KEY, "seri": SERIES_KEY, "kode_wilayah": WILAYAH_KEY, "kuota_sisipan": QUOTA_KEY}
    for name in changed:
        row = session.get(Setting, keys[name])
        if row is None:
            session.add(Setting(key=keys[name], value=after[name]))
        else:
            row.value = after[name]
    if changed:
        session.flush()
        audit.record(session, action="penomoran.diubah", actor=actor_of(user), at=at,
                     summary="Pengaturan penomoran: " + ", ".join(f"{k} = {after[k]}" for k in sorted(changed)),
                     before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return after


def set_format(session: Session, template: str, *, user: User | audit.Actor | None, at: datetime) -> str:
    return str(configure(session, user=user, at=at, tz=UTC, template=template)["format"])
