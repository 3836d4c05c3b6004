"""A small Pemkab full of letters, and an oracle of who may see which, for the IDOR walk.

`seed` fills the demo organisation through the web, as people would: nota dinas of Diskominfo
(budi) and Dinkes (rina) at every step, finished, cancelled, returned, with attachments, two of
them RAHASIA; plus a deputy (hadi -> wati, today), an expired deputy (budi -> rina) and acting
officials (agus Plh Kadis Dinkes today, sari Plh from next week).

`Oracle` says who sees what from the raw tables, re-implementing the rule in plain Python (never
calling engine.access or engine.inbox), so a bug there cannot hide itself.
"""

from __future__ import annotations

import functools
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import Flask
from sqlalchemy import select

from engine.db import Database
from engine.models import (
    AuditEvent,
    Delegation,
    HumanTask,
    Position,
    PositionHolder,
    ProcessInstance,
    ProcessVersion,
    RoleMapping,
    TaskCandidate,
    Unit,
    User,
    UserRole,
)
from engine.passwords import hash_password
from tests.test_web import PASSWORD, PDF, Person

OVERSEEING = ("admin", "auditor")
EXPORTS = ("units", "positions", "users")  # /admin/export/<name>.csv
# The organisation is large (every SKPD of the demo); the admin pages are walked with the rows
# of these units, inside and outside each scoped admin's subtree, at every level of the tree.
SAMPLE_UNITS = ("PEMKAB", "SETDA", "DISKOMINFO", "DISKOMINFO.APTIKA", "DINKES", "DINKES.YANKES", "KEC.SUKAMAJU")
# Overseers of one unit's subtree, beside the demo's Pemda-wide admin and auditor.  Instances
# belong to the SKPD (Dinas), so an auditor of a Bidang below it sees none of them.
SCOPED = [("admin_dinkes", "admin", "DINKES"), ("auditor_aptika", "auditor", "DISKOMINFO.APTIKA"),
          ("auditor_pemkab", "auditor", "PEMKAB")]


@functools.cache
def _password_hash() -> str:
    return hash_password(PASSWORD)


@dataclass
class Letter:
    tag: str
    starter: str
    secrets: list[str] = field(default_factory=list)  # what no outsider may ever read
    shas: list[str] = field(default_factory=list)
    instance_id: int = 0


def _fields(tag: str, rahasia: bool) -> dict[str, str]:
    if rahasia:
        return {"tujuan": f"Kepala Badan {tag}", "perihal": f"RAHASIA: Rencana mutasi {tag}",
                "isi": f"RAHASIA: daftar pejabat {tag} yang dimutasi"}
    return {"tujuan": f"Kepala Dinas {tag}", "perihal": f"Perihal {tag}", "isi": f"Isi surat {tag}"}


class Seeder:
    def __init__(self, app: Flask, db: Database, today: date) -> None:
        self.app, self.db, self.today = app, db, today
        self.people: dict[str, Person] = {}
        self.letters: list[Letter] = []

    def person(self, username: str) -> Person:
        if username not in self.people:
            self.people[username] = Person(self.app, username)
        return self.people[username]

    def draft(self, username: str, tag: str, *, rahasia: bool = False, attach: bool = False) -> Letter:
        person = self.person(username)
        task_url = person.start_nota_dinas()
        letter = Letter(tag, username)
        data: dict = {}
        if tag != "-":
            data = _fields(tag, rahasia)
            letter.secrets += list(data.values())
            if attach:
                content = PDF + f"% lampiran {tag}\n".encode()
                data["lampiran"] = (io.BytesIO(content), f"lampiran-{tag}.pdf", "application/pdf")
                letter.secrets.append(f"lampiran-{tag}.pdf")
                letter.shas.append(hashlib.sha256(content).hexdigest())
            assert person.submit(task_url, data).status_code == 302, f"draft {tag}"
        letter.instance_id = self._instance_of(task_url)
        self.letters.append(letter)
        return letter

    def _instance_of(self, task_url: str) -> int:
        with self.db.transaction(write=False) as session:
            return session.get(HumanTask, int(task_url.rsplit("/", 1)[1])).instance_id

    def decide(self, username: str, letter: Letter, decision: str = "setujui", note: str = "") -> None:
        person = self.person(username)
        with self.db.transaction(write=False) as session:
            ready = set(session.scalars(select(HumanTask.id).where(
                HumanTask.instance_id == letter.instance_id, HumanTask.status == "ready")))
        (url,) = [h for h, _name in person.inbox_tasks() if int(h.rsplit("/", 1)[1]) in ready]
        answer = person.submit(url, {"keputusan": decision, "catatan": note})
        assert answer.status_code == 302, f"{username} could not decide on {letter.tag}"
        if note:
            letter.secrets.append(note)

    def cancel(self, username: str, letter: Letter, reason: str) -> None:
        url = f"/instances/{letter.instance_id}"
        assert self.person(username).submit(url + "/cancel", {"reason": reason}, form_page=url).status_code == 302
        letter.secrets.append(reason)

    def organisation(self) -> None:
        """Deputies and acting officials around today, and overseers of one unit each."""
        day = timedelta(days=1)
        with self.db.transaction() as session:
            units = {u.code: u.id for u in session.scalars(select(Unit))}
            for username, role, unit in SCOPED:
                person = User(username=username, name=f"Pengawas {unit}", password_hash=_password_hash(),
                              email=f"{username}@test.invalid")
                session.add(person)
                session.flush()
                session.add(UserRole(user_id=person.id, role=role, unit_id=units[unit]))
            ids = {u.username: u.id for u in session.scalars(select(User))}
            kadis_dinkes = session.scalars(select(Position).where(Position.name == "Kepala Dinas Kesehatan")).one()
            session.add_all([
                Delegation(principal_id=ids["hadi"], deputy_id=ids["wati"], valid_from=self.today - day,
                           valid_to=self.today + day, reason="cuti"),
                Delegation(principal_id=ids["budi"], deputy_id=ids["rina"], valid_from=self.today - 30 * day,
                           valid_to=self.today - 10 * day, reason="dulu"),
                PositionHolder(position_id=kadis_dinkes.id, user_id=ids["agus"], kind="plh",
                               valid_from=self.today - day, valid_to=self.today + 5 * day),
                PositionHolder(position_id=kadis_dinkes.id, user_id=ids["sari"], kind="plh",
                               valid_from=self.today + 7 * day, valid_to=self.today + 14 * day),
            ])


def seed(app: Flask, db: Database, today: date) -> list[Letter]:
    s = Seeder(app, db, today)
    s.organisation()
    s.draft("budi", "-")  # started, nothing written yet
    s.draft("budi", "Bougenville", attach=True)  # waiting for sari
    s.draft("budi", "Cempaka", rahasia=True, attach=True)  # RAHASIA, waiting for sari
    s.decide("sari", s.draft("budi", "Dahlia"))  # waiting for agus
    edelweis = s.draft("budi", "Edelweis", attach=True)
    s.decide("sari", edelweis)
    s.decide("agus", edelweis)  # finished
    s.cancel("budi", s.draft("budi", "Flamboyan"), "Dibatalkan karena Flamboyan")
    s.decide("sari", s.draft("budi", "Gardenia"), "kembalikan", "Catatan Gardenia")  # back with budi
    s.draft("rina", "Kenanga", attach=True)  # waiting for hadi (and wati, his deputy)
    s.draft("rina", "Melati", rahasia=True)  # RAHASIA, waiting for hadi
    s.decide("hadi", s.draft("rina", "Mawar"))  # waiting for the Kadis Dinkes: wati, agus (Plh)
    s.decide("wati", s.draft("rina", "Teratai"))  # wati a.n. hadi; waiting for the Kadis Dinkes
    seroja = s.draft("rina", "Seroja", attach=True)
    s.decide("hadi", seroja)
    s.decide("agus", seroja)  # the Plh signs for Dinkes: finished
    return s.letters


# Who sees which letter, written out by hand for the demo users of today; the oracle below must
# agree, so that neither this table nor the oracle can drift alone.
KOMINFO = {"-", "Bougenville", "Cempaka", "Dahlia", "Edelweis", "Flamboyan", "Gardenia"}
DINKES = {"Kenanga", "Melati", "Mawar", "Teratai", "Seroja"}
BY_HAND = {
    "budi": KOMINFO,
    "sari": {"Bougenville", "Cempaka", "Dahlia", "Edelweis", "Gardenia"},
    "agus": {"Dahlia", "Edelweis", "Mawar", "Teratai", "Seroja"},
    "dewi": set(),
    "rina": DINKES,
    "hadi": DINKES,  # Teratai: his deputy acted a.n. him
    "wati": {"Kenanga", "Melati", "Mawar", "Teratai"},  # Kenanga, Melati: as hadi's deputy
    "admin": KOMINFO | DINKES,
    "auditor": KOMINFO | DINKES,
    "admin_dinkes": DINKES,
    "auditor_aptika": set(),
    "auditor_pemkab": KOMINFO | DINKES,
}


class Oracle:
    """The visibility rule, from the raw rows, in plain Python."""

    def __init__(self, db: Database, today: date) -> None:
        self.today = today
        with db.transaction(write=False) as s:
            self.users = {u.username: u.id for u in s.scalars(select(User))}
            self.parent = {u.id: u.parent_id for u in s.scalars(select(Unit))}
            self.unit_code = {u.id: u.code for u in s.scalars(select(Unit))}
            self.instances = {i.id: i for i in s.scalars(select(ProcessInstance))}
            self.tasks = {t.id: t for t in s.scalars(select(HumanTask))}
            self.candidates = defaultdict(list)
            for c in s.scalars(select(TaskCandidate)):
                self.candidates[c.task_id].append(c)
            self.holdings = defaultdict(set)
            for h in s.scalars(select(PositionHolder)):
                if h.valid_from <= today and (h.valid_to is None or h.valid_to >= today):
                    self.holdings[h.user_id].add(h.position_id)
            self.principals = defaultdict(set)
            for d in s.scalars(select(Delegation)):
                if d.valid_from <= today <= d.valid_to and d.revoked_at is None:
                    self.principals[d.deputy_id].add(d.principal_id)
            self.roles = defaultdict(list)
            for r in s.scalars(select(UserRole)):
                self.roles[r.user_id].append((r.role, r.unit_id))
            self.took_part = defaultdict(set)
            for i in self.instances.values():
                self.took_part[i.id].add(i.started_by_id)
            for e in s.scalars(select(AuditEvent).where(AuditEvent.instance_id.is_not(None))):
                self.took_part[e.instance_id] |= {e.actor_id, e.on_behalf_of_id}
            self.versions = list(s.scalars(select(ProcessVersion.id)))
            self.keys = sorted(set(s.scalars(select(ProcessVersion.key))))
            # the organisation, for /admin and /delegations
            self.position_unit = {p.id: p.unit_id for p in s.scalars(select(Position))}
            self.holders = {h.id: h for h in s.scalars(select(PositionHolder))}
            self.delegation_principal = {d.id: d.principal_id for d in s.scalars(select(Delegation))}
            self.role_rows = {r.id: r for r in s.scalars(select(UserRole))}
            self.mapping_unit = {m.id: m.unit_id for m in s.scalars(select(RoleMapping))}

    def _me_and_principals(self, user_id: int) -> set[int]:
        return {user_id} | self.principals[user_id]

    def _is_candidate(self, user_id: int, task: HumanTask) -> bool:
        for person in self._me_and_principals(user_id):
            for c in self.candidates[task.id]:
                if c.position_id is not None and c.position_id in self.holdings[person]:
                    return True
                if c.user_id == person:
                    return True
                if c.role is not None and any(
                    role == c.role and unit in (c.unit_id, None) for role, unit in self.roles[person]
                ):
                    return True
        return False

    def may_act(self, user_id: int, task_id: int) -> bool:
        task = self.tasks[task_id]
        if task.status != "ready":
            return False
        if task.assignee_id is not None:
            return task.assignee_id in self._me_and_principals(user_id)
        return self._is_candidate(user_id, task)

    def addressed(self, user_id: int, task_id: int) -> bool:
        task = self.tasks[task_id]
        return task.status == "ready" and (
            self.may_act(user_id, task_id)
            or self._is_candidate(user_id, task)
            or task.owner_id in self._me_and_principals(user_id)
        )

    def oversees(self, user_id: int, unit_id: int | None, roles: tuple[str, ...] = OVERSEEING) -> bool:
        mine = [unit for role, unit in self.roles[user_id] if role in roles]
        if None in mine:
            return True
        seen: set[int] = set()
        while unit_id is not None and unit_id not in seen:
            if unit_id in mine:
                return True
            seen.add(unit_id)
            unit_id = self.parent.get(unit_id)
        return False

    def sees(self, user_id: int | None, instance_id: int) -> bool:
        if user_id is None or instance_id not in self.instances:
            return False
        return (
            user_id in self.took_part[instance_id]
            or any(self.addressed(user_id, t.id) for t in self.tasks.values() if t.instance_id == instance_id)
            or self.oversees(user_id, self.instances[instance_id].unit_id)
        )

    def may_cancel(self, user_id: int, instance_id: int) -> bool:
        instance = self.instances[instance_id]
        return instance.status in ("running", "error") and (
            instance.started_by_id == user_id or self.oversees(user_id, instance.unit_id, ("admin",))
        )

    # -- the organisation: an admin manages the subtree of each unit they are admin of --------

    def admin_units(self, user_id: int) -> set[int] | None:
        """The units the user manages as admin (all of them for a Pemda-wide admin); None: no admin."""
        roots = [unit for role, unit in self.roles[user_id] if role == "admin"]
        if not roots:
            return None
        if None in roots:
            return set(self.parent)
        return {u for u in self.parent if self.oversees(user_id, u, ("admin",))}

    def user_in(self, units: set[int], user_id: int) -> bool:
        """A person belongs to the units they hold a position in (now or later) or have a role in."""
        if user_id not in self.users.values():
            return False
        if units == set(self.parent):
            return True
        holds = any(h.user_id == user_id and self.position_unit[h.position_id] in units
                    and (h.valid_to is None or h.valid_to >= self.today) for h in self.holders.values())
        return holds or any(unit in units for _role, unit in self.roles[user_id])

    def manages(self, units: set[int], param: str, value: object) -> bool:
        """Whether an admin managing `units` may reach the object a URL parameter names."""
        everything = units == set(self.parent)
        if param == "unit_id":
            return value in units
        if param == "position_id":
            return self.position_unit.get(value) in units
        if param == "holding_id":
            holder = self.holders.get(value)
            return holder is not None and self.position_unit[holder.position_id] in units
        if param == "user_id":
            return self.user_in(units, value)
        if param == "delegation_id":
            return value in self.delegation_principal and self.user_in(units, self.delegation_principal[value])
        if param == "role_id":
            row = self.role_rows.get(value)
            return row is not None and (everything or row.unit_id in units) and self.user_in(units, row.user_id)
        if param == "mapping_id":
            return value in self.mapping_unit and (everything or self.mapping_unit[value] in units)
        if param == "name":
            return value in EXPORTS
        raise AssertionError(f"no scope rule for {param}")

    def representatives(self) -> dict[str, list]:
        """For each organisation URL parameter, rows of SAMPLE_UNITS (and every delegation and mapping)."""
        units = [i for i, code in self.unit_code.items() if code in SAMPLE_UNITS]
        positions = [min((p for p, u in self.position_unit.items() if u == unit), default=None) for unit in units]
        positions = [p for p in positions if p is not None]
        holdings = [min((h.id for h in self.holders.values() if h.position_id == p), default=None) for p in positions]
        holdings = [h for h in holdings if h is not None]
        roles = {r.unit_id: r for r in self.role_rows.values() if r.unit_id in units or r.unit_id is None}
        people = {self.holders[h].user_id for h in holdings} | {r.user_id for r in roles.values()}
        return {"unit_id": sorted(units), "position_id": positions, "holding_id": holdings,
                "user_id": sorted(people), "role_id": sorted(r.id for r in roles.values()),
                "delegation_id": sorted(self.delegation_principal), "mapping_id": sorted(self.mapping_unit)}
