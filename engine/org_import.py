"""Importing the organisation from CSV (format: engine.org_csv), all or nothing.

`import_org` reads the files, checks every row against the files and the database together
(unknown parent, cycles in the unit tree or in reports_to, bad dates, duplicate codes,
unknown kinds, NIPs used twice, the holding rules, the admin's scope), and applies them in a
SAVEPOINT.  Any problem: the savepoint is rolled back and `ImportFailed` lists every problem
with file, row and column; nothing is half-imported.  `dry_run=True` (the preview) rolls back
even when all is well.  The caller commits.

Import never deletes: units, positions, people and holdings missing from the files stay (end
a holding with valid_to, deactivate a person with active=0).  The roles column is the
person's complete set of roles in the importer's scope.  A new person gets no usable
password: an admin sets one on the person's admin page (engine.org_admin.set_password).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit
from engine.models import HOLDING_KINDS, Position, Unit, User
from engine.org_csv import COLUMNS, CsvProblem, CsvTable, ImportFailed, parse_bool, parse_date, read_table
from engine.org_rules import (
    OrgInvalid,
    check_role,
    clean_code,
    clean_email,
    clean_eselon,
    clean_kind,
    clean_nip,
    clean_text,
    clean_username,
    lock_organisation,
)
from engine.org_scope import AdminScope


@dataclass
class UnitRow:
    row: int
    code: str
    values: dict[str, Any]  # name, kind, parent_code: only the columns the file has


@dataclass
class PositionRow:
    row: int
    code: str
    values: dict[str, Any]  # unit_code, name, reports_to, is_head_of_unit, eselon


@dataclass
class HoldingRow:
    row: int
    position_code: str
    kind: str
    valid_from: date
    values: dict[str, Any]  # valid_to, sk_ref


@dataclass
class PersonRow:
    row: int
    username: str
    values: dict[str, Any]  # nip, name, pangkat, email, active
    roles: list[tuple[str, str | None]] | None  # None: no roles column
    holdings: list[HoldingRow] = field(default_factory=list)


@dataclass
class Plan:
    units: list[UnitRow] = field(default_factory=list)
    positions: list[PositionRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)


class Problems:
    """Collects problems; `cell` runs one cleaning function and files its error under a column."""

    def __init__(self) -> None:
        self.items: list[CsvProblem] = []

    def add(self, file: str, row: int | None, column: str | None, key: str, **params: Any) -> None:
        self.items.append(CsvProblem(file, row, column, key, params))

    def cell(self, file: str, row: int, column: str, fn: Any, value: str) -> Any:
        try:
            return fn(value)
        except OrgInvalid as exc:
            self.add(file, row, column, exc.key, **exc.params)
        except ValueError:
            self.add(file, row, column, "org.bad_bool" if fn is parse_bool else "org.bad_date", value=value)
        return None


# -- reading the rows ------------------------------------------------------------------------


def _units(table: CsvTable, problems: Problems) -> list[UnitRow]:
    seen: dict[str, int] = {}
    result = []
    for row, cells in table.rows:
        code = problems.cell("units", row, "code", clean_code, cells["code"])
        values: dict[str, Any] = {
            "name": problems.cell("units", row, "name", lambda v: clean_text(v, "name"), cells["name"]),
            "kind": problems.cell("units", row, "kind", clean_kind, cells["kind"]),
        }
        if "parent_code" in cells:
            parent = cells["parent_code"]
            values["parent_code"] = (
                problems.cell("units", row, "parent_code", clean_code, parent) if parent else None
            )
        if code is None:
            continue
        if code in seen:
            problems.add("units", row, "code", "csv.duplicate", value=code, first=seen[code])
            continue
        seen[code] = row
        result.append(UnitRow(row, code, values))
    return result


def _positions(table: CsvTable, problems: Problems) -> list[PositionRow]:
    seen: dict[str, int] = {}
    result = []
    for row, cells in table.rows:
        f = "positions"
        code = problems.cell(f, row, "code", clean_code, cells["code"])
        values: dict[str, Any] = {
            "unit_code": problems.cell(
                f, row, "unit_code", lambda v: clean_code(v, "unit_code"), cells["unit_code"]
            ),
            "name": problems.cell(f, row, "name", lambda v: clean_text(v, "name"), cells["name"]),
        }
        if "reports_to" in cells:
            superior = cells["reports_to"]
            values["reports_to"] = (
                problems.cell(f, row, "reports_to", clean_code, superior) if superior else None
            )
        if "is_head_of_unit" in cells:
            values["is_head_of_unit"] = bool(
                problems.cell(f, row, "is_head_of_unit", parse_bool, cells["is_head_of_unit"])
            )
        if "eselon" in cells:
            values["eselon"] = problems.cell(f, row, "eselon", clean_eselon, cells["eselon"])
        if code is None:
            continue
        if code in seen:
            problems.add(f, row, "code", "csv.duplicate", value=code, first=seen[code])
            continue
        seen[code] = row
        result.append(PositionRow(row, code, values))
    return result


def _roles(cell: str) -> list[tuple[str, str | None]]:
    result = []
    for part in (p.strip() for p in cell.replace(",", ";").split(";")):
        if not part:
            continue
        role, _, unit = part.partition("@")
        check_role(role.strip().lower())
        if "@" in part and not unit.strip():
            raise OrgInvalid("csv.role_format", "roles")
        result.append((role.strip().lower(), clean_code(unit, "roles") if unit.strip() else None))
    return sorted(set(result), key=lambda r: (r[0], r[1] or ""))


def _holding(row: int, cells: dict[str, str], problems: Problems) -> HoldingRow | None:
    f = "users"
    code = cells.get("position_code", "")
    if not code:
        for column in ("holder_kind", "valid_from", "valid_to", "sk_ref"):
            if cells.get(column):
                problems.add(f, row, column, "csv.holding_without_position")
        return None
    position_code = problems.cell(f, row, "position_code", lambda v: clean_code(v, "position_code"), code)
    kind = (cells.get("holder_kind") or "definitif").lower()
    if kind not in HOLDING_KINDS:
        problems.add(f, row, "holder_kind", "org.unknown_holding_kind", kind=kind)
    valid_from = problems.cell(f, row, "valid_from", parse_date, cells.get("valid_from", ""))
    if valid_from is None and not cells.get("valid_from"):
        problems.add(f, row, "valid_from", "org.required")
    values: dict[str, Any] = {}
    if "valid_to" in cells:
        values["valid_to"] = problems.cell(f, row, "valid_to", parse_date, cells["valid_to"])
    if "sk_ref" in cells:
        values["sk_ref"] = clean_text(cells["sk_ref"], "sk_ref", limit=120, required=False)
    if position_code is None or valid_from is None or kind not in HOLDING_KINDS:
        return None
    return HoldingRow(row, position_code, kind, valid_from, values)


def _people(table: CsvTable, problems: Problems) -> list[PersonRow]:
    by_name: dict[str, PersonRow] = {}
    for row, cells in table.rows:
        f = "users"
        username = problems.cell(f, row, "username", clean_username, cells["username"])
        values: dict[str, Any] = {
            "name": problems.cell(f, row, "name", lambda v: clean_text(v, "name"), cells["name"])
        }
        if "nip" in cells:
            values["nip"] = problems.cell(f, row, "nip", clean_nip, cells["nip"])
        if "pangkat" in cells:
            values["pangkat"] = clean_text(cells["pangkat"], "pangkat", limit=80, required=False)
        if "email" in cells:
            values["email"] = problems.cell(f, row, "email", clean_email, cells["email"])
        if "active" in cells:
            active = problems.cell(f, row, "active", parse_bool, cells["active"])
            values["active"] = True if active is None else active
        roles = problems.cell(f, row, "roles", _roles, cells["roles"]) if "roles" in cells else None
        holding = _holding(row, cells, problems)
        if username is None:
            continue
        person = by_name.get(username)
        if person is None:
            person = by_name[username] = PersonRow(row, username, values, roles)
        else:
            for column, value in [*values.items(), ("roles", roles)]:
                if (person.roles if column == "roles" else person.values.get(column)) != value:
                    problems.add(f, row, column, "csv.user_mismatch", first=person.row, username=username)
        if holding is not None:
            key = (holding.position_code, holding.kind, holding.valid_from)
            first = next(
                (h.row for h in person.holdings if (h.position_code, h.kind, h.valid_from) == key), None
            )
            if first is not None:
                problems.add(
                    f, row, "position_code", "csv.duplicate", value=holding.position_code, first=first
                )
            else:
                person.holdings.append(holding)
    return list(by_name.values())


# -- the entry point -------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    file: str
    row: int
    kind: str  # unit, position, user, holding, role
    key: str
    action: str  # created, updated, unchanged, removed
    fields: tuple[str, ...] = ()


@dataclass
class ImportReport:
    changes: list[Change] = field(default_factory=list)
    dry_run: bool = False

    @property
    def changed(self) -> int:
        return sum(1 for c in self.changes if c.action != "unchanged")

    def counts(self) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for kind in ("unit", "position", "user", "holding", "role"):
            mine = [c.action for c in self.changes if c.kind == kind]
            result[kind] = {a: mine.count(a) for a in ("created", "updated", "unchanged", "removed")}
        return result

    def lines(self) -> list[str]:
        """One line per change (not the unchanged rows), for the CLI and the preview page."""
        return [
            f"{c.file}.csv:{c.row} {c.kind} {c.key}: {c.action}"
            + (f" ({', '.join(c.fields)})" if c.fields else "")
            for c in self.changes
            if c.action != "unchanged"
        ]


def read_plan(files: dict[str, bytes]) -> Plan:
    """Parse and check the rows on their own (no database): formats, duplicates."""
    problems = Problems()
    tables: dict[str, CsvTable] = {}
    failed: list[CsvProblem] = []
    for name, data in files.items():
        if name not in COLUMNS:
            failed.append(CsvProblem(name, None, None, "csv.unknown_file", {}))
            continue
        try:
            tables[name] = read_table(name, data)
        except ImportFailed as exc:
            failed.extend(exc.problems)
    if failed:
        raise ImportFailed(failed)
    plan = Plan()
    if "units" in tables:
        plan.units = _units(tables["units"], problems)
    if "positions" in tables:
        plan.positions = _positions(tables["positions"], problems)
    if "users" in tables:
        plan.people = _people(tables["users"], problems)
    if problems.items:
        raise ImportFailed(problems.items)
    return plan


def import_org(
    session: Session,
    files: dict[str, bytes],
    *,
    scope: AdminScope,
    actor: audit.Actor,
    today: date,
    dry_run: bool = False,
) -> ImportReport:
    """Apply the files (name -> bytes, names from engine.org_csv.FILES); see the module doc."""
    from engine.org_import_apply import apply_plan, check_plan

    plan = read_plan(files)
    lock_organisation(session)
    problems = Problems()
    check_plan(session, plan, scope, today, problems)
    if problems.items:
        raise ImportFailed(problems.items)
    report = ImportReport(dry_run=dry_run)
    nested = session.begin_nested()
    try:
        apply_plan(session, plan, scope, actor, report, problems)
        if problems.items:
            raise ImportFailed(problems.items)
        if report.changed:
            digest = {name: hashlib.sha256(data).hexdigest() for name, data in sorted(files.items())}
            audit.record(
                session,
                action="org.imported",
                actor=actor,
                summary=f"Impor organisasi: {report.changed} perubahan",
                after={"files": digest, "counts": report.counts()},
            )
    except BaseException:
        nested.rollback()
        raise
    if dry_run:
        nested.rollback()
    else:
        nested.commit()
    return report


def existing_codes(session: Session) -> tuple[dict[str, Unit], dict[str, Position], dict[str, User]]:
    units = {u.code: u for u in session.scalars(select(Unit))}
    positions = {p.code: p for p in session.scalars(select(Position))}
    users = {u.username: u for u in session.scalars(select(User))}
    return units, positions, users
