"""The organisation as three CSV files, read and written the same way (no Flask here).

    units.csv      code,name,kind,parent_code
    positions.csv  code,unit_code,name,reports_to,is_head_of_unit,eselon
    users.csv      username,nip,name,pangkat,email,active,position_code,holder_kind,
                   valid_from,valid_to,sk_ref,roles

- Codes are the keys: a unit by `code`, a position by its own `code` (e.g. DISKOMINFO.KADIS;
  `reports_to` is the superior's position code), a person by `username`.
- users.csv has one row per holding (penugasan); a person with two holdings (a Kabid who is
  also Plt elsewhere) has two rows whose person columns are the same; a person without a
  position has one row with the holding columns empty.  `roles` lists the person's roles as
  `role@UNIT` separated by `;` (`designer` without a unit: the whole Pemda).
- Dates are written 2026-01-31 (31/01/2026 is read too); booleans 1/0 (ya/tidak read too).
- UTF-8, with or without the BOM spreadsheet programs add; `,` or `;` as the separator (an
  Indonesian-locale spreadsheet saves with `;`).  At most 5 MB and 50,000 rows per file.
- A column that is absent leaves that attribute as it is; a cell that is empty clears it.
- "Row" in a message is the spreadsheet row: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import messages
from engine.errors import LontarError
from engine.models import Position, PositionHolder, Unit, User, UserRole
from engine.org_scope import AdminScope, unit_tree, users_in_scope

FILES = ("units", "positions", "users")
COLUMNS: dict[str, tuple[str, ...]] = {
    "units": ("code", "name", "kind", "parent_code"),
    "positions": ("code", "unit_code", "name", "reports_to", "is_head_of_unit", "eselon"),
    "users": (
        "username",
        "nip",
        "name",
        "pangkat",
        "email",
        "active",
        "position_code",
        "holder_kind",
        "valid_from",
        "valid_to",
        "sk_ref",
        "roles",
    ),
}
REQUIRED = {
    "units": ("code", "name", "kind"),
    "positions": ("code", "unit_code", "name"),
    "users": ("username", "name"),
}
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
TRUE = {"1", "ya", "y", "true", "benar", "yes", "x"}
FALSE = {"0", "tidak", "t", "n", "false", "salah", "no"}

messages.register(
    {
        "csv.problem": (
            "{file}, baris {row}, kolom {column}: {detail}",
            "{file}, row {row}, column {column}: {detail}",
        ),
        "csv.problem_row": ("{file}, baris {row}: {detail}", "{file}, row {row}: {detail}"),
        "csv.problem_file": ("{file}: {detail}", "{file}: {detail}"),
        "csv.failed": (
            "Impor dibatalkan, tidak ada yang diubah ({count} masalah): {summary}",
            "Import cancelled, nothing was changed ({count} problems): {summary}",
        ),
        "csv.too_big": ("berkas lebih dari {mb} MB", "the file is larger than {mb} MB"),
        "csv.too_many_rows": ("lebih dari {n} baris", "more than {n} rows"),
        "csv.not_utf8": (
            'bukan teks UTF-8 (baris {row}); simpan sebagai "CSV UTF-8"',
            'not UTF-8 text (row {row}); save as "CSV UTF-8"',
        ),
        "csv.empty": ("berkas kosong", "the file is empty"),
        "csv.missing_column": ("kolom wajib '{column}' tidak ada", "required column '{column}' is missing"),
        "csv.unknown_column": ("kolom '{column}' tidak dikenal", "unknown column '{column}'"),
        "csv.bad_csv": ("format CSV rusak: {detail}", "broken CSV: {detail}"),
        "csv.unknown_file": (
            "nama berkas harus units.csv, positions.csv atau users.csv",
            "the file name must be units.csv, positions.csv or users.csv",
        ),
        "csv.duplicate": ("{value} sudah ada di baris {first}", "{value} is already on row {first}"),
        "csv.user_mismatch": (
            "berbeda dengan baris {first} untuk pengguna {username}",
            "differs from row {first} for user {username}",
        ),
        "csv.holding_without_position": ("diisi tanpa position_code", "filled in without a position_code"),
        "csv.role_format": (
            "peran ditulis peran@KODE_UNIT, mis. pencatat@DINKES",
            "write a role as role@UNIT_CODE",
        ),
    }
)


@dataclass(frozen=True)
class CsvProblem:
    file: str
    row: int | None
    column: str | None
    key: str
    params: dict[str, Any]

    def message(self, lang: str = messages.DEFAULT_LANG) -> str:
        detail = messages.text(self.key, lang, **self.params)
        name = f"{self.file}.csv"
        if self.row is None:
            return messages.text("csv.problem_file", lang, file=name, detail=detail)
        if self.column is None:
            return messages.text("csv.problem_row", lang, file=name, row=self.row, detail=detail)
        return messages.text("csv.problem", lang, file=name, row=self.row, column=self.column, detail=detail)


class ImportFailed(LontarError):
    """Bad files: every problem found, each naming file, row and column; nothing was written."""

    key = "csv.failed"
    http_status = 422

    def __init__(self, problems: list[CsvProblem]) -> None:
        self.problems = problems
        super().__init__(count=len(problems), summary="; ".join(p.message() for p in problems[:3]))

    def message(self, lang: str = messages.DEFAULT_LANG) -> str:
        summary = "; ".join(p.message(lang) for p in self.problems[:3])
        return messages.text(self.key, lang, count=len(self.problems), summary=summary)


@dataclass(frozen=True)
class CsvTable:
    name: str
    columns: tuple[str, ...]
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row, column -> stripped cell)


def file_kind(filename: str) -> str | None:
    """units/positions/users from a file name such as 'users.csv' or 'dinkes_users.csv'."""
    stem = Path(filename).stem.lower()
    for name in FILES:
        if stem == name or re.search(rf"(^|[-_.\s]){name}$", stem):
            return name
    return None


def read_table(name: str, data: bytes) -> CsvTable:
    if len(data) > MAX_BYTES:
        raise ImportFailed([CsvProblem(name, None, None, "csv.too_big", {"mb": MAX_BYTES // (1024 * 1024)})])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise ImportFailed([CsvProblem(name, None, None, "csv.not_utf8", {"row": row})]) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = [r for r in reader if any(cell.strip() for cell in r)]
    except csv.Error as exc:
        raise ImportFailed(
            [CsvProblem(name, reader.line_num, None, "csv.bad_csv", {"detail": str(exc)})]
        ) from None
    if not records:
        raise ImportFailed([CsvProblem(name, None, None, "csv.empty", {})])
    if len(records) - 1 > MAX_ROWS:
        raise ImportFailed([CsvProblem(name, None, None, "csv.too_many_rows", {"n": MAX_ROWS})])
    header = tuple(h.strip().lower() for h in records[0])
    problems = [
        CsvProblem(name, 1, h, "csv.unknown_column", {"column": h}) for h in header if h not in COLUMNS[name]
    ]
    problems += [
        CsvProblem(name, 1, c, "csv.missing_column", {"column": c}) for c in REQUIRED[name] if c not in header
    ]
    if problems:
        raise ImportFailed(problems)
    rows = []
    for index, record in enumerate(records[1:], start=2):
        cells = [c.strip() for c in record] + [""] * (len(header) - len(record))
        rows.append((index, dict(zip(header, cells, strict=False))))
    return CsvTable(name, header, rows)


def parse_bool(value: str) -> bool | None:
    lowered = value.strip().lower()
    if not lowered:
        return None
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise ValueError(value)


def parse_date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a calendar date, no time
        except ValueError:
            continue
    raise ValueError(value)


# -- export ----------------------------------------------------------------------------------


def _csv(columns: tuple[str, ...], rows: list[list[str]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def _flag(value: bool | None) -> str:
    return "1" if value else "0"


def export_tables(session: Session, scope: AdminScope, *, today: date) -> dict[str, str]:
    """file name -> CSV text of what the scope holds (the whole Pemda for a global admin): the
    same people a scoped import accepts back (engine.org_scope.users_in_scope)."""
    tree = unit_tree(session, scope)
    order = {node.id: i for i, node in enumerate(tree)}
    codes = {u.id: u.code for u in session.scalars(select(Unit))}
    units = [[n.code, n.name, n.kind, codes.get(n.parent_id, "") if n.parent_id else ""] for n in tree]
    positions = session.scalars(select(Position).where(Position.unit_id.in_(order.keys()))).all()
    positions = sorted(positions, key=lambda p: (order[p.unit_id], not p.is_head_of_unit, p.code))
    position_codes = {p.id: p.code for p in session.scalars(select(Position))}
    in_scope = {p.id for p in positions}
    position_rows = [
        [
            p.code,
            codes[p.unit_id],
            p.name,
            position_codes.get(p.reports_to_id, "") if p.reports_to_id else "",
            _flag(p.is_head_of_unit),
            p.eselon or "",
        ]
        for p in positions
    ]
    user_rows: list[list[str]] = []
    people = session.scalars(users_in_scope(scope, today).order_by(User.username)).all()
    for person in people:
        roles = session.scalars(select(UserRole).where(UserRole.user_id == person.id)).all()
        cells = sorted(
            f"{r.role}@{codes[r.unit_id]}" if r.unit_id else r.role
            for r in roles
            if scope.has_unit(r.unit_id)
        )
        base = [
            person.username,
            person.nip or "",
            person.name,
            person.pangkat or "",
            person.email or "",
            _flag(person.active),
        ]
        holdings = [
            h
            for h in session.scalars(select(PositionHolder).where(PositionHolder.user_id == person.id))
            if h.position_id in in_scope
        ]
        holdings.sort(key=lambda h: (h.valid_from, position_codes[h.position_id], h.kind))
        for h in holdings:
            user_rows.append(
                [
                    *base,
                    position_codes[h.position_id],
                    h.kind,
                    h.valid_from.isoformat(),
                    h.valid_to.isoformat() if h.valid_to else "",
                    h.sk_ref or "",
                    ";".join(cells),
                ]
            )
        if not holdings:
            user_rows.append([*base, "", "", "", "", "", ";".join(cells)])
    return {
        "units.csv": _csv(COLUMNS["units"], units),
        "positions.csv": _csv(COLUMNS["positions"], position_rows),
        "users.csv": _csv(COLUMNS["users"], user_rows),
    }
