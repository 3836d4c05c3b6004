"""The two halves of an import after the rows are read: check against the database, apply.

`check_plan` looks at the files and the database together, in memory: references that do not
resolve, cycles in the unit tree and in reports_to, two heads for one unit, a NIP used twice,
and (for a unit admin) anything outside their subtree.  `apply_plan` writes, one audit row per
object that changed, and checks the holding rules row by row against what is already there.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit
from engine.models import Position, PositionHolder, Unit, User, UserRole
from engine.org_import import Change, ImportReport, Plan, Problems, existing_codes
from engine.org_people import unusable_password
from engine.org_records import changed, holding_values, position_values, role_values, unit_values, user_values
from engine.org_rules import HoldingSpec, OrgInvalid, check_holding
from engine.org_scope import AdminScope, superior_choices, user_in_scope


def _cycles(links: dict[str, str | None], rows: dict[str, int]) -> list[tuple[str, int]]:
    """(code, row) of the first file row of each cycle that passes through a file row."""
    found: list[tuple[str, int]] = []
    reported: set[str] = set()
    for code in sorted(rows, key=rows.get):  # type: ignore[arg-type]
        path: list[str] = []
        current: str | None = code
        while current is not None and current not in path:
            path.append(current)
            current = links.get(current)
        if current is None or current in reported:
            continue
        loop = path[path.index(current) :]
        reported.update(loop)
        first = min((c for c in loop if c in rows), key=lambda c: rows[c], default=None)
        if first is not None:
            found.append((first, rows[first]))
    return found


def check_plan(session: Session, plan: Plan, scope: AdminScope, today: date, problems: Problems) -> None:
    units, positions, users = existing_codes(session)
    unit_code = {u.id: u.code for u in units.values()}
    parent = {c: unit_code.get(u.parent_id) for c, u in units.items()}  # type: ignore[arg-type]
    for row in plan.units:
        if "parent_code" in row.values or row.code not in parent:
            parent[row.code] = row.values.get("parent_code")
    for row in plan.units:
        wanted = row.values.get("parent_code")
        if wanted is not None and wanted not in parent:
            problems.add("units", row.row, "parent_code", "org.unknown_unit", code=wanted)
    for code, line in _cycles(parent, {r.code: r.row for r in plan.units}):
        problems.add("units", line, "parent_code", "org.unit_cycle", code=code)

    position_code = {p.id: p.code for p in positions.values()}
    superior = {c: position_code.get(p.reports_to_id) for c, p in positions.items()}  # type: ignore[arg-type]
    where = {c: unit_code[p.unit_id] for c, p in positions.items()}
    head = {c: bool(p.is_head_of_unit) for c, p in positions.items()}
    for row in plan.positions:
        where[row.code] = row.values["unit_code"]
        if "reports_to" in row.values or row.code not in superior:
            superior[row.code] = row.values.get("reports_to")
        if "is_head_of_unit" in row.values or row.code not in head:
            head[row.code] = bool(row.values.get("is_head_of_unit"))
    heads: dict[str, list[str]] = {}
    for code, is_head in sorted(head.items()):
        if is_head:
            heads.setdefault(where[code], []).append(code)
    for row in plan.positions:
        if row.values["unit_code"] not in parent:
            problems.add("positions", row.row, "unit_code", "org.unknown_unit", code=row.values["unit_code"])
        wanted = row.values.get("reports_to")
        if wanted is not None and wanted not in superior:
            problems.add("positions", row.row, "reports_to", "org.unknown_position", code=wanted)
        if head[row.code]:
            other = next((c for c in heads[where[row.code]] if c != row.code), None)
            if other is not None:
                problems.add("positions", row.row, "is_head_of_unit", "org.head_taken", name=other)
    for code, line in _cycles(superior, {r.code: r.row for r in plan.positions}):
        problems.add("positions", line, "reports_to", "org.position_cycle", code=code)

    renumbered = {p.username for p in plan.people if "nip" in p.values}
    owner = {u.nip: name for name, u in users.items() if u.nip and name not in renumbered}
    for person in plan.people:
        nip = person.values.get("nip", users[person.username].nip if person.username in users else None)
        if nip and owner.setdefault(nip, person.username) != person.username:
            problems.add("users", person.row, "nip", "org.nip_taken", nip=nip, username=owner[nip])
        for holding in person.holdings:
            if holding.position_code not in where:
                problems.add(
                    "users", holding.row, "position_code", "org.unknown_position", code=holding.position_code
                )
        for _role, unit in person.roles or []:
            if unit is not None and unit not in parent:
                problems.add("users", person.row, "roles", "org.unknown_unit", code=unit)
    if not scope.is_global and not problems.items:
        _check_scope(session, plan, scope, today, problems, parent, where, units, positions, users)


def _check_scope(
    session: Session,
    plan: Plan,
    scope: AdminScope,
    today: date,
    problems: Problems,
    parent: dict[str, str | None],
    where: dict[str, str],
    units: dict[str, Unit],
    positions: dict[str, Position],
    users: dict[str, User],
) -> None:
    roots = {u.code for u in units.values() if u.id in scope.roots}
    managed: set[str] = set()
    for code in parent:
        seen: list[str] = []
        current: str | None = code
        while current is not None and current not in seen:
            if current in roots:
                managed.add(code)
                break
            seen.append(current)
            current = parent.get(current)
    for row in plan.units:
        if row.code not in managed or (row.code in units and units[row.code].id not in scope.unit_ids):
            problems.add("units", row.row, "code", "org.out_of_scope", what=row.code)
        elif row.code in roots and "parent_code" in row.values:
            old = units[row.code].parent.code if units[row.code].parent else None
            if row.values["parent_code"] != old:
                problems.add("units", row.row, "parent_code", "org.root_parent")
    allowed = {p.code for p in superior_choices(session, scope)}
    for row in plan.positions:
        old = positions.get(row.code)
        if where[row.code] not in managed or (old is not None and old.unit_id not in scope.unit_ids):
            problems.add("positions", row.row, "code", "org.out_of_scope", what=row.code)
        wanted = row.values.get("reports_to")
        current = old.reports_to.code if old is not None and old.reports_to else None
        if wanted and wanted != current and where.get(wanted) not in managed and wanted not in allowed:
            problems.add("positions", row.row, "reports_to", "org.out_of_scope", what=wanted)
    for person in plan.people:
        known = users.get(person.username)
        if known is not None and not user_in_scope(session, scope, known.id, today):
            problems.add("users", person.row, "username", "org.out_of_scope", what=person.username)
        for holding in person.holdings:
            if where.get(holding.position_code) not in managed:
                problems.add(
                    "users", holding.row, "position_code", "org.out_of_scope", what=holding.position_code
                )
        for role, unit in person.roles or []:
            if unit is None:
                problems.add("users", person.row, "roles", "org.global_only")
            elif unit not in managed:
                problems.add("users", person.row, "roles", "org.out_of_scope", what=f"{role}@{unit}")
        if known is None and not person.holdings and not person.roles:
            problems.add("users", person.row, "position_code", "org.needs_position")


# -- applying --------------------------------------------------------------------------------


class _Writer:
    def __init__(self, session: Session, actor: audit.Actor, report: ImportReport) -> None:
        self.session, self.actor, self.report = session, actor, report

    def done(
        self, file: str, row: int, kind: str, key: str, before: dict[str, Any] | None, after: dict[str, Any]
    ) -> None:
        if before is None:
            self.report.changes.append(Change(file, row, kind, key, "created"))
            action = "org.role.granted" if kind == "role" else f"org.{kind}.created"
            audit.record(
                self.session,
                action=action,
                actor=self.actor,
                summary=f"Impor: {kind} {key} dibuat",
                after=after,
            )
            return
        old, new = changed(before, after)
        if not new:
            self.report.changes.append(Change(file, row, kind, key, "unchanged"))
            return
        self.report.changes.append(Change(file, row, kind, key, "updated", tuple(new)))
        audit.record(
            self.session,
            action=f"org.{kind}.updated",
            actor=self.actor,
            summary=f"Impor: {kind} {key} diubah",
            before=old,
            after=new,
        )


def apply_plan(
    session: Session,
    plan: Plan,
    scope: AdminScope,
    actor: audit.Actor,
    report: ImportReport,
    problems: Problems,
) -> None:
    write = _Writer(session, actor, report)
    units, positions, users = existing_codes(session)
    before = {r.code: unit_values(session, units[r.code]) if r.code in units else None for r in plan.units}
    for row in plan.units:
        unit = units.get(row.code)
        if unit is None:
            unit = units[row.code] = Unit(code=row.code, name=row.values["name"], kind=row.values["kind"])
            session.add(unit)
        unit.name, unit.kind = row.values["name"], row.values["kind"]
    session.flush()
    for row in plan.units:
        if "parent_code" in row.values:
            wanted = row.values["parent_code"]
            units[row.code].parent_id = units[wanted].id if wanted else None
    session.flush()
    for row in plan.units:
        write.done(
            "units", row.row, "unit", row.code, before[row.code], unit_values(session, units[row.code])
        )

    before = {
        r.code: position_values(session, positions[r.code]) if r.code in positions else None
        for r in plan.positions
    }
    for row in plan.positions:
        position = positions.get(row.code)
        if position is None:
            position = positions[row.code] = Position(
                code=row.code, unit_id=units[row.values["unit_code"]].id, name=row.values["name"]
            )
            session.add(position)
        position.unit_id, position.name = units[row.values["unit_code"]].id, row.values["name"]
        for column in ("is_head_of_unit", "eselon"):
            if column in row.values:
                setattr(position, column, row.values[column])
    session.flush()
    for row in plan.positions:
        if "reports_to" in row.values:
            wanted = row.values["reports_to"]
            positions[row.code].reports_to_id = positions[wanted].id if wanted else None
    session.flush()
    for row in plan.positions:
        write.done(
            "positions",
            row.row,
            "position",
            row.code,
            before[row.code],
            position_values(session, positions[row.code]),
        )

    unit_codes = {u.id: code for code, u in units.items()}
    for person in plan.people:
        user = users.get(person.username)
        old = user_values(user) if user is not None else None
        if user is None:
            user = users[person.username] = User(
                username=person.username,
                name=person.values["name"],
                password_hash=unusable_password(),
                active=True,
            )
            session.add(user)
        for column, value in person.values.items():
            setattr(user, column, value)
        session.flush()
        write.done("users", person.row, "user", person.username, old, user_values(user))
    # definitif holdings first: whether a Plt is allowed depends on them, not on the row order
    holdings = [(h, p) for p in plan.people for h in p.holdings]
    for holding, person in sorted(holdings, key=lambda hp: (hp[0].kind != "definitif", hp[0].row)):
        _holding(session, write, problems, users[person.username], positions[holding.position_code], holding)
    for person in plan.people:
        if person.roles is not None:
            _roles(session, write, scope, users[person.username], person.row, person.roles, units, unit_codes)


_COLUMN = {"kind": "holder_kind", "valid_to": "valid_to", "user": "username"}


def _holding(
    session: Session, write: _Writer, problems: Problems, user: User, position: Position, row: Any
) -> None:
    found = session.scalars(
        select(PositionHolder).where(
            PositionHolder.user_id == user.id,
            PositionHolder.position_id == position.id,
            PositionHolder.kind == row.kind,
            PositionHolder.valid_from == row.valid_from,
        )
    ).first()
    before = holding_values(session, found) if found is not None else None
    valid_to = row.values.get("valid_to", found.valid_to if found is not None else None)
    try:
        check_holding(
            session,
            HoldingSpec(position, user, row.kind, row.valid_from, valid_to),
            ignore_id=found.id if found is not None else None,
        )
    except OrgInvalid as exc:
        problems.add("users", row.row, _COLUMN.get(exc.field or "", "position_code"), exc.key, **exc.params)
        return
    if found is None:
        found = PositionHolder(
            position_id=position.id, user_id=user.id, kind=row.kind, valid_from=row.valid_from
        )
        session.add(found)
    found.valid_to = valid_to
    if "sk_ref" in row.values:
        found.sk_ref = row.values["sk_ref"]
    session.flush()
    write.done(
        "users",
        row.row,
        "holding",
        f"{user.username}@{position.code}",
        before,
        holding_values(session, found),
    )


def _roles(
    session: Session,
    write: _Writer,
    scope: AdminScope,
    user: User,
    line: int,
    wanted: list[tuple[str, str | None]],
    units: dict[str, Unit],
    codes: dict[int, str],
) -> None:
    want = {(role, units[code].id if code else None) for role, code in wanted}
    have = {
        (r.role, r.unit_id): r
        for r in session.scalars(select(UserRole).where(UserRole.user_id == user.id))
        if scope.has_unit(r.unit_id)
    }
    for key, row in sorted(have.items(), key=lambda kv: kv[1].id):
        label = _role_label(user, row.role, row.unit_id, codes)
        if key in want:
            write.report.changes.append(Change("users", line, "role", label, "unchanged"))
            continue
        values = role_values(session, row)
        session.delete(row)
        session.flush()
        write.report.changes.append(Change("users", line, "role", label, "removed"))
        audit.record(
            session,
            action="org.role.revoked",
            actor=write.actor,
            summary=f"Impor: peran {label} dicabut",
            before=values,
        )
    for role, unit_id in sorted(want - set(have), key=lambda k: (k[0], k[1] or 0)):
        row = UserRole(user_id=user.id, role=role, unit_id=unit_id)
        session.add(row)
        session.flush()
        label = _role_label(user, role, unit_id, codes)
        write.done("users", line, "role", label, None, role_values(session, row))


def _role_label(user: User, role: str, unit_id: int | None, codes: dict[int, str]) -> str:
    return f"{user.username}:{role}@{codes.get(unit_id, '?')}" if unit_id else f"{user.username}:{role}"
