"""Klasifikasi arsip (Permendagri 83/2022): a small seed, a CSV importer and a picker search.

The full list (about 3,000 codes) and its JRA retention belong to the Pemda: it imports them
from a spreadsheet, so the project ships an importer and the ten top-level codes, not a copy.

    kode,nama[,retensi_aktif,retensi_inaktif,nasib_akhir,keterangan]

- `code`/`name` are read as `kode`/`nama`; headers are case-insensitive and "Retensi Aktif"
  reads as `retensi_aktif`.  `keterangan` is ignored; any other column is refused (a typo
  must not silently import nothing).
- A code is `000` to `000.1.2.3` (three digits, up to three more levels).  Its parent is the
  code without its last part and its level the number of parts, whether or not the parent is
  in the list: transcriptions have gaps, and the report names the codes whose parent is
  missing instead of refusing them.
- Retention is in years (`5` or `5 tahun`); nasib akhir is Musnah, Permanen or Dinilai Kembali.
- Existing codes are updated (upsert); a column that is absent leaves that attribute as it
  is, an empty cell clears it.  Import never deletes nor deactivates.
- All or nothing: any bad row refuses the whole file (ImportFailed, one problem per row and
  column, "row" being the spreadsheet row, the header is row 1) and nothing is changed.
- UTF-8 with or without BOM, `,` `;` or tab as the separator; at most 5 MB and 20,000 rows.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from engine import audit, messages
from engine.models import Klasifikasi
from engine.org_csv import CsvProblem, ImportFailed

FILE = "klasifikasi"
CODE_RE = re.compile(r"^\d{3}(\.\d+){0,3}$")
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
NAME_MAX = 400
COLUMNS = ("kode", "nama", "retensi_aktif", "retensi_inaktif", "nasib_akhir")
ALIASES = {"code": "kode", "name": "nama"}
IGNORED = ("keterangan",)
NASIB = {"musnah": "musnah", "permanen": "permanen", "dinilai kembali": "dinilai_kembali"}
RETENSI_RE = re.compile(r"^(\d{1,3})(\s*(tahun|thn|th))?$", re.IGNORECASE)

# The ten main classes of Permendagri 83/2022; the rest comes from the Pemda's import.
SEED: tuple[tuple[str, str], ...] = (
    ("000", "Umum"),
    ("100", "Pemerintahan"),
    ("200", "Politik"),
    ("300", "Keamanan dan Ketertiban"),
    ("400", "Kesejahteraan Rakyat"),
    ("500", "Perekonomian"),
    ("600", "Pekerjaan Umum dan Ketenagaan"),
    ("700", "Pengawasan"),
    ("800", "Kepegawaian"),
    ("900", "Keuangan"),
)

messages.register(
    {
        "klasifikasi.bad_code": (
            "kode '{value}' tidak sah; tulis seperti 000, 000.8 atau 800.1.11.1 (paling banyak empat tingkat)",
            "code '{value}' is not valid; write it like 000, 000.8 or 800.1.11.1 (at most four levels)",
        ),
        "klasifikasi.required": ("wajib diisi", "required"),
        "klasifikasi.too_long": ("lebih dari {n} karakter", "longer than {n} characters"),
        "klasifikasi.bad_retensi": (
            "'{value}' bukan jumlah tahun (mis. 2 atau 5 tahun)",
            "'{value}' is not a number of years (e.g. 2 or 5 tahun)",
        ),
        "klasifikasi.bad_nasib": (
            "'{value}' bukan nasib akhir; isi Musnah, Permanen atau Dinilai Kembali",
            "'{value}' is not a final disposition; write Musnah, Permanen or Dinilai Kembali",
        ),
        "klasifikasi.unknown_column": (
            "kolom '{column}' tidak dikenal; kolom yang dipakai: {known}",
            "unknown column '{column}'; the columns read are: {known}",
        ),
    }
)


@dataclass
class ImportReport:
    """What an import did: counts, and the codes whose parent is in neither the file nor the
    database (kept, but a tree view shows them at the top)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    orphans: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated


def parent_of(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def level_of(code: str) -> int:
    return code.count(".") + 1


def sort_key(code: str) -> tuple[int, ...]:
    """Natural order: 000.2 before 000.10."""
    return tuple(int(part) for part in code.split("."))


def seed(session: Session) -> int:
    """Add the top-level codes that are missing; names already there are the Pemda's (an import
    may have refined them) and stay.  Returns how many were added."""
    present = set(session.scalars(select(Klasifikasi.code).where(Klasifikasi.code.in_([c for c, _ in SEED]))))
    added = 0
    for code, name in SEED:
        if code not in present:
            session.add(Klasifikasi(code=code, name=name, parent_code=None, level=1, active=True))
            added += 1
    session.flush()
    return added


def get(session: Session, code: str) -> Klasifikasi | None:
    return session.get(Klasifikasi, (code or "").strip())


def exists(session: Session, code: str) -> bool:
    """Whether a letter may use this code: known and active."""
    found = get(session, code)
    return found is not None and bool(found.active)


def search(session: Session, q: str, limit: int = 20) -> list[Klasifikasi]:
    """For a picker: active codes starting with `q` when it begins with a digit, else whose name
    contains it (any case); an empty `q` lists the top level.  Natural code order."""
    limit = max(1, min(int(limit), 100))
    q = (q or "").strip()
    query = select(Klasifikasi).where(Klasifikasi.active.is_(True))
    if not q:
        query = query.where(Klasifikasi.level == 1)
    elif q[0].isdigit():
        query = query.where(Klasifikasi.code.startswith(q, autoescape=True))
    else:
        query = query.where(func.lower(Klasifikasi.name).contains(q.lower(), autoescape=True))
    # Fetch a few more than asked in string order, then sort naturally (000.2 before 000.10).
    rows = session.scalars(query.order_by(Klasifikasi.level, Klasifikasi.code).limit(limit * 5)).all()
    return sorted(rows, key=lambda k: (level_of(k.code) if not q else 0, sort_key(k.code)))[:limit]


# -- import ----------------------------------------------------------------------------------


def _decode(data: str | bytes) -> str:
    if isinstance(data, str):
        raw_size = len(data.encode("utf-8", "replace"))
        if raw_size > MAX_BYTES:
            raise ImportFailed([CsvProblem(FILE, None, None, "csv.too_big", {"mb": MAX_BYTES // 2**20})])
        return data.removeprefix("\ufeff")
    if len(data) > MAX_BYTES:
        raise ImportFailed([CsvProblem(FILE, None, None, "csv.too_big", {"mb": MAX_BYTES // 2**20})])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise ImportFailed([CsvProblem(FILE, None, None, "csv.not_utf8", {"row": row})]) from None


def _delimiter(header_line: str) -> str:
    """The separator an Indonesian spreadsheet chose: whichever of , ; tab the header uses most."""
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _column(header: str) -> str:
    name = re.sub(r"[\s\-]+", "_", header.strip().lower())
    return ALIASES.get(name, name)


def _records(content: str) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row, column -> stripped cell) for every non-empty row after the header."""
    if not content.strip():
        raise ImportFailed([CsvProblem(FILE, None, None, "csv.empty", {})])
    delimiter = _delimiter(content.lstrip("\r\n").split("\n", 1)[0])
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                rows.append((reader.line_num, record))
            if len(rows) > MAX_ROWS + 1:
                raise ImportFailed([CsvProblem(FILE, None, None, "csv.too_many_rows", {"n": MAX_ROWS})])
    except csv.Error as exc:
        raise ImportFailed([CsvProblem(FILE, reader.line_num, None, "csv.bad_csv", {"detail": str(exc)})]) from None
    if not rows:
        raise ImportFailed([CsvProblem(FILE, None, None, "csv.empty", {})])
    header = [_column(h) for h in rows[0][1]]
    known = ", ".join(COLUMNS)
    problems = [
        CsvProblem(FILE, 1, h, "klasifikasi.unknown_column", {"column": h, "known": known})
        for h in header
        if h not in COLUMNS and h not in IGNORED
    ]
    seen: set[str] = set()
    for h in header:
        if h in seen:
            problems.append(CsvProblem(FILE, 1, h, "csv.duplicate", {"value": h, "first": 1}))
        seen.add(h)
    problems += [
        CsvProblem(FILE, 1, c, "csv.missing_column", {"column": c}) for c in ("kode", "nama") if c not in header
    ]
    if problems:
        raise ImportFailed(problems)
    result = []
    for line, record in rows[1:]:
        cells = [c.strip() for c in record] + [""] * (len(header) - len(record))
        result.append((line, {h: v for h, v in zip(header, cells, strict=False) if h not in IGNORED}))
    return result


def _retensi(value: str) -> int | None:
    if not value or value in ("-", "—"):
        return None
    found = RETENSI_RE.match(value)
    if found is None:
        raise ValueError(value)
    return int(found.group(1))


def _nasib(value: str) -> str | None:
    if not value or value in ("-", "—"):
        return None
    key = re.sub(r"[\s_\-]+", " ", value.strip().lower())
    if key not in NASIB:
        raise ValueError(value)
    return NASIB[key]


def _parse(rows: list[tuple[int, dict[str, str]]]) -> tuple[dict[str, dict[str, Any]], list[CsvProblem]]:
    problems: list[CsvProblem] = []
    parsed: dict[str, dict[str, Any]] = {}
    first_row: dict[str, int] = {}

    def problem(row: int, column: str, key: str, **params: Any) -> None:
        problems.append(CsvProblem(FILE, row, column, key, params))

    for row, cells in rows:
        code = cells["kode"].replace(" ", "")
        values: dict[str, Any] = {}
        if not code:
            problem(row, "kode", "klasifikasi.required")
        elif not CODE_RE.match(code) or len(code) > 40:
            problem(row, "kode", "klasifikasi.bad_code", value=cells["kode"])
            code = ""
        elif code in first_row:
            problem(row, "kode", "csv.duplicate", value=code, first=first_row[code])
            code = ""
        name = " ".join(cells["nama"].split())
        if not name:
            problem(row, "nama", "klasifikasi.required")
        elif len(name) > NAME_MAX:
            problem(row, "nama", "klasifikasi.too_long", n=NAME_MAX)
        values["name"] = name
        for column in ("retensi_aktif", "retensi_inaktif"):
            if column in cells:
                try:
                    values[column] = _retensi(cells[column])
                except ValueError:
                    problem(row, column, "klasifikasi.bad_retensi", value=cells[column])
        if "nasib_akhir" in cells:
            try:
                values["nasib_akhir"] = _nasib(cells["nasib_akhir"])
            except ValueError:
                problem(row, "nasib_akhir", "klasifikasi.bad_nasib", value=cells["nasib_akhir"])
        if code:
            first_row[code] = row
            parsed[code] = values
    return parsed, problems


def _lock(session: Session) -> None:
    """Two imports at once on PostgreSQL would race on the same new codes; queue them."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(4242003)"))


def import_csv(session: Session, data: str | bytes, *, actor: audit.Actor | None = None) -> ImportReport:
    """Upsert the codes of a CSV file; on any bad row raise ImportFailed before writing anything.

    With an `actor`, one audit row on the system chain records the counts (not 3,000 rows)."""
    parsed, problems = _parse(_records(_decode(data)))
    if problems:
        raise ImportFailed(problems)
    _lock(session)
    existing = {k.code: k for k in session.scalars(select(Klasifikasi))}
    report = ImportReport()
    for code in sorted(parsed, key=sort_key):
        values = {**parsed[code], "parent_code": parent_of(code), "level": level_of(code)}
        row = existing.get(code)
        if row is None:
            session.add(Klasifikasi(code=code, active=True, **values))
            report.created += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            report.updated += 1
        else:
            report.unchanged += 1
        parent = parent_of(code)
        if parent is not None and parent not in parsed and parent not in existing:
            report.orphans.append(code)
    session.flush()
    if actor is not None and report.changed:
        audit.record(
            session,
            action="klasifikasi.imported",
            actor=actor,
            summary=f"Klasifikasi diimpor: {report.created} baru, {report.updated} diubah",
            after={"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
        )
    return report
