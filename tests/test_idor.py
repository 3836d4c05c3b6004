"""IDOR walk: every route of the app, with the ids of every seeded object, as every demo user.

The letters of two SKPD (tests.idor_world) are seeded through the web; then every rule of
Flask's url_map is filled with every task id, instance id, version id, file hash, language code
and process key (plus ids that do not exist) and requested, GET and POST, by every user of
engine.demo.USERS and by an anonymous visitor.  What each should get comes from the oracle
(tests.idor_world.Oracle), never from the access functions under test:

* an object the user may not see answers 404, exactly as a missing one does, and no response
  to that user ever contains the title, perihal, isi, note or attachment name of a letter they
  may not see (RAHASIA ones included);
* an object they may see answers 200/302 (so "refuse everything" fails, see the mutation test);
* anonymous visitors are sent to the login page.

POSTs carry a valid CSRF token and plausible form data.  Refusals are sent for real (and must
change nothing); acceptances run in a dry run (every commit becomes a rollback) so that the
seeded world stays as the oracle describes it.

A new route whose URL parameter this walk cannot fill fails the test: add a filler to FILL (and,
for an exact answer, a rule to `expect`); other new routes are held to the generic rule (404
for objects one may not see, no leaks, no 5xx) from the day they appear.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from engine.db import Database
from engine.demo import USERS
from engine.models import AuditEvent, HumanTask, Notification, ProcessInstance
from tests.idor_world import BY_HAND, EXPORTS, SCOPED, Letter, Oracle, seed
from tests.test_web import PASSWORD, Person, csrf_token
from webapp import create_app
from webapp.config import Settings

MISSING = 987_654
MISSING_SHA = "0" * 64
SAMPLE = {"Cempaka", "Melati", "Edelweis"}  # RAHASIA of both SKPD (waiting), and a finished one


class Depth(NamedTuple):
    letters: bool  # every letter, or the SAMPLE
    org: bool  # every sampled organisation row, or one
ANY = frozenset(range(200, 500))  # generic rule for a visible object: anything but a crash
# what an anonymous visitor gets from the routes that need no login (all others: the login page)
PUBLIC = {("views.index", "GET"): {302}, ("auth.login", "GET"): {200}, ("auth.login", "POST"): {200},
          ("auth.set_lang", "POST"): {302},
          # the public verification page: the form, a verdict (here: no file chosen), a letter's
          # QR target (404: none of the seeded letters is signed)
          ("verify.page", "GET"): {200}, ("verify.page", "POST"): {200, 429}, ("verify.letter", "GET"): {404}}
DRAFT = {"tujuan": "Kepala Dinas", "perihal": "Perihal uji", "isi": "Isi uji"}


@pytest.fixture
def app(deployed: Database, engine, tmp_path: Path) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    settings = Settings(instance_path=tmp_path / "instance", database_url=deployed.url, secret_key="test")
    settings.instance_path.mkdir()
    flask_app = create_app(settings, engine=engine)
    flask_app.config.update(TESTING=True)
    yield flask_app
    flask_app.extensions["lontar.db"].dispose()


@dataclass
class World:
    letters: list[Letter]
    oracle: Oracle
    tag_of: dict[int, str] = field(default_factory=dict)

    org: dict[str, list] = field(default_factory=dict)
    notes: dict[int, int] = field(default_factory=dict)  # notification id -> its owner's user id

    def note_sample(self) -> list[int]:
        """One notification each of a few owners: its owner opens it, everyone else gets 404."""
        first: dict[int, int] = {}
        for note_id, owner in sorted(self.notes.items()):
            first.setdefault(owner, note_id)
        return sorted(first.values())[:4]

    @property
    def shas(self) -> dict[str, int]:
        return {sha: letter.instance_id for letter in self.letters for sha in letter.shas}

    # Users with no part in any letter and no role get every route with the letters of SAMPLE
    # only (all of them 404 to such users); everyone else gets every letter.
    def instances(self, full: bool) -> list[int]:
        return sorted(i.instance_id for i in self.letters if full or i.tag in SAMPLE)

    def tasks(self, full: bool) -> list[int]:
        """Of each instance: its open and cancelled tasks, and the last one completed."""
        wanted = set(self.instances(full))
        tasks = [t for t in self.oracle.tasks.values() if t.instance_id in wanted]
        last = {t.instance_id: t.id for t in sorted(tasks, key=lambda t: t.id) if t.status == "completed"}
        return sorted(t.id for t in tasks if t.status != "completed" or t.id == last[t.instance_id])

    def files(self, full: bool) -> list[str]:
        wanted = set(self.instances(full))
        return sorted(sha for sha, iid in self.shas.items() if iid in wanted)

    def depth(self, username: str | None) -> Depth:
        """Every letter for those who see one (and the hand-checked users), the sample for the
        others; every sampled organisation row for admins, one row for the others."""
        uid = self.oracle.users.get(username)
        if uid is None:
            return Depth(True, True)
        return Depth(username in BY_HAND or any(self.oracle.sees(uid, x.instance_id) for x in self.letters),
                      self.oracle.admin_units(uid) is not None)


def build(app: Flask, db: Database, engine) -> World:  # type: ignore[no-untyped-def]
    letters = seed(app, db, engine.clock.today())
    world = World(letters, Oracle(db, engine.clock.today()))
    world.tag_of = {letter.instance_id: letter.tag for letter in letters}
    world.org = world.oracle.representatives()
    with db.transaction(write=False) as session:
        world.notes = dict(session.execute(select(Notification.id, Notification.user_id)).all())
    assert world.notes, "seeding the letters notified nobody"
    return world


# --- filling URL parameters ----------------------------------------------------------------------

FILL: dict[str, Callable[[World, Depth], list]] = {
    "task_id": lambda w, d: [*w.tasks(d.letters), MISSING],
    "instance_id": lambda w, d: [*w.instances(d.letters), MISSING],
    "version_id": lambda w, d: [*w.oracle.versions, MISSING],
    "sha256": lambda w, d: [*w.files(d.letters), MISSING_SHA],
    "code": lambda w, d: ["id", "xx"],
    "key": lambda w, d: [*w.oracle.keys, "tidak_ada"],
    # the organisation (admin pages, one's own delegations): rows of SAMPLE_UNITS, and a missing one
    **{name: (lambda w, d, name=name: [*w.org[name][:None if d.org else 1], MISSING]) for name in (
        "unit_id", "position_id", "holding_id", "user_id", "delegation_id", "role_id", "mapping_id")},
    "name": lambda w, d: [*EXPORTS, "tidak_ada"],
    "notification_id": lambda w, d: [*w.note_sample(), MISSING],
    # the letter pages (webapp/views/letters*.py): this world registers no letter yet, so only a
    # missing one (tests/test_letter_access.py checks the sifat rule on real letters by hand)
    **{name: (lambda w, d: [MISSING]) for name in ("letter_id", "attachment_id", "disposition_id")},
}


def fillings(rule, world: World, depth: Depth = Depth(True, True)) -> list[dict]:  # type: ignore[no-untyped-def]
    """Every combination of values, except a file: through its own instance, another one, none."""
    unknown = sorted(set(rule.arguments) - set(FILL))
    if unknown:
        raise AssertionError(
            f"the IDOR walk cannot fill {unknown} of the new route {rule.rule} ({rule.endpoint}): "
            "add a filler to FILL in tests/test_idor.py so that the route is walked"
        )
    if set(rule.arguments) == {"instance_id", "sha256"}:
        shas = world.files(depth.letters)
        others = {sha: next(i for i in world.instances(True) if i != world.shas[sha]) for sha in shas}
        return [*({"instance_id": world.shas[sha], "sha256": sha} for sha in shas),
                *({"instance_id": others[sha], "sha256": sha} for sha in shas),
                {"instance_id": world.shas[shas[0]], "sha256": MISSING_SHA}, {"instance_id": MISSING, "sha256": shas[0]}]
    names = sorted(rule.arguments)
    return [dict(zip(names, values, strict=True))
            for values in itertools.product(*(FILL[n](world, depth) for n in names))]


# --- what each request should answer -------------------------------------------------------------


def instances_of(args: dict, world: World) -> list[int | None]:
    """The instances a URL points at (None: an object that does not exist)."""
    found: list[int | None] = []
    if "instance_id" in args:
        found.append(args["instance_id"] if args["instance_id"] in world.oracle.instances else None)
    if "task_id" in args:
        task = world.oracle.tasks.get(args["task_id"])
        found.append(task.instance_id if task else None)
    if "sha256" in args:
        found.append(world.shas.get(args["sha256"]))
    return found


def expect(endpoint: str, method: str, args: dict, uid: int, world: World) -> frozenset[int]:
    o = world.oracle
    task = o.tasks.get(args.get("task_id", MISSING))
    iid = args.get("instance_id", MISSING)
    sees = o.sees(uid, iid) if "instance_id" in args else o.sees(uid, task.instance_id) if task else False
    rules: dict[tuple[str, str], Callable[[], set[int]]] = {
        ("views.index", "GET"): lambda: {302},
        ("views.inbox", "GET"): lambda: {200},
        ("auth.login", "GET"): lambda: {302},
        ("auth.login", "POST"): lambda: {302},
        ("auth.set_lang", "POST"): lambda: {302},
        ("auth.logout", "POST"): lambda: {302},
        ("processes.start_list", "GET"): lambda: {200},
        ("processes.library", "GET"): lambda: {200},
        ("processes.version", "GET"): lambda: {200} if args["version_id"] in o.versions else {404},
        ("processes.download", "GET"): lambda: {200} if args["version_id"] in o.versions else {404},
        ("processes.start", "POST"): lambda: {302} if args["key"] in o.keys else {302, 404},
        ("instances.view", "GET"): lambda: {200} if sees else {404},
        ("instances.cancel", "POST"): lambda: ({302} if o.may_cancel(uid, iid) else {403}) if sees else {404},
        ("files.download", "GET"): lambda: {200} if sees and world.shas.get(args["sha256"]) == iid else {404},
        # a task: its page for whom it addresses, its instance for a finished one; a ready task
        # of a visible instance may open (candidates, admins) or not: both leak nothing
        ("tasks.view", "GET"): lambda: (
            {404} if not sees else {200} if o.may_act(uid, task.id) else {200, 404} if task.status == "ready"
            else {302}
        ),
        ("tasks.complete", "POST"): lambda: (
            {404} if not sees else {302} if o.may_act(uid, task.id) else {403, 404} if task.status == "ready"
            else {409}
        ),
    }
    rule = rules.get((endpoint, method))
    if rule is not None:
        return frozenset(rule())
    if endpoint.startswith(("admin.", "delegations.")):
        return expect_org(endpoint, args, uid, world)
    if "notification_id" in args:  # one's own notification opens (302); anyone else's is 404
        return frozenset({302}) if world.notes.get(args["notification_id"]) == uid else frozenset({404})
    # The generic rule for routes this walk does not know by name.
    return frozenset({404}) if any(i is None or not o.sees(uid, i) for i in instances_of(args, world)) else ANY


def expect_org(endpoint: str, args: dict, uid: int, world: World) -> frozenset[int]:
    """Admin pages: 404 for anyone who is not an admin and for every object outside the admin's
    subtree (the exact answer inside is the admin tests' business).  One's own delegations: the
    page for everyone, revoking only one's own."""
    o = world.oracle
    if endpoint.startswith("delegations."):
        mine = "delegation_id" not in args or o.delegation_principal.get(args["delegation_id"]) == uid
        return ANY if mine else frozenset({404})
    units = o.admin_units(uid)
    if units is None:
        return frozenset({404})
    return ANY if all(o.manages(units, name, value) for name, value in args.items()) else frozenset({404})


def form_for(endpoint: str, args: dict, world: World) -> dict:
    task = world.oracle.tasks.get(args.get("task_id", MISSING))
    if endpoint == "tasks.complete" and task is not None:
        return DRAFT if task.form_key == "nota_dinas_draft" else {"keputusan": "setujui", "catatan": ""}
    if endpoint == "auth.login":
        return {"username": "tidakada", "password": "salah"}
    someone = world.oracle.users["budi"]
    return {"reason": "Uji", "note": "Uji", "next": "/inbox", "to_user": someone,
            "delegate-to_user": someone, "delegate-note": "Uji", "reassign-to_user": someone, "reassign-reason": "Uji"}


# --- the walk ------------------------------------------------------------------------------------


@contextmanager
def dry_run() -> Iterator[None]:
    """Requests run to the end, but nothing they write is kept."""
    original = Session.commit
    Session.commit = Session.rollback  # type: ignore[method-assign]
    try:
        yield
    finally:
        Session.commit = original  # type: ignore[method-assign]


def fingerprint(db: Database) -> tuple:
    with db.transaction(write=False) as s:
        return (
            s.scalar(select(func.count()).select_from(AuditEvent)),
            tuple(s.execute(select(ProcessInstance.id, ProcessInstance.status, ProcessInstance.lock_version)
                            .order_by(ProcessInstance.id))),
            tuple(s.execute(select(HumanTask.id, HumanTask.status, HumanTask.assignee_id, HumanTask.owner_id)
                            .order_by(HumanTask.id))),
        )


def _normalised(body: str) -> str:
    body = re.sub(r'<div class="flashes">.*?</div>', "", body, flags=re.S)
    body = re.sub(r'(name="next"[^>]*value=")[^"]*', r"\1", body)  # the language switch comes back here
    return re.sub(r'(name="[\w-]*csrf_token"[^>]*value=")[^"]*', r"\1", body)


@dataclass
class Walk:
    app: Flask
    db: Database
    world: World
    problems: list[str] = field(default_factory=list)
    accepted: int = 0  # visible objects answered 200/302
    refused: int = 0  # invisible objects answered 404
    missing_bodies: dict[tuple, str] = field(default_factory=dict)
    hidden_bodies: list[tuple[tuple, str, str]] = field(default_factory=list)

    def request(self, person: Person, who: str, token: str, method: str, endpoint: str, args: dict,
                *, real: bool = False) -> None:
        uid = self.world.oracle.users.get(who)
        url = self._url(endpoint, args)
        wanted: frozenset[int] | str
        if uid is None:
            wanted = frozenset(PUBLIC[endpoint, method]) if (endpoint, method) in PUBLIC else "login"
        else:
            wanted = expect(endpoint, method, args, uid, self.world)
        data = {f"{p}csrf_token": token for p in ("", "action-", "delegate-", "reassign-")}
        data.update(form_for(endpoint, args, self.world))
        real = real or (wanted != "login" and min(wanted) >= 400)  # a refusal must change nothing itself
        with dry_run() if method == "POST" and not real else _nothing():
            response = person.client.open(url, method=method, data=data if method == "POST" else None)
        body = response.get_data().decode("utf-8", "replace")  # some downloads are binary (admin export.zip)
        response.close()
        where = f"{who} {method} {url}"
        self._leaks(uid, where, body + " ".join(f"{k}: {v}" for k, v in response.headers.items()))
        if wanted == "login":
            location = urlsplit(response.headers.get("Location", "")).path
            if response.status_code != 302 or location != "/login":
                self.problems.append(f"{where}: {response.status_code} {location}, expected a redirect to /login")
            return
        if response.status_code not in wanted:
            self.problems.append(f"{where}: {response.status_code}, expected {sorted(wanted)[:4]}")
        targets = instances_of(args, self.world)
        if targets and response.status_code == 404 and wanted == {404}:
            key = (who, method, endpoint)
            if all(t is None for t in targets):
                self.missing_bodies[key] = _normalised(body)
            else:
                self.refused += 1
                self.hidden_bodies.append((key, where, _normalised(body)))
        elif targets and response.status_code in (200, 302) and all(t is not None for t in targets):
            self.accepted += 1

    def _url(self, endpoint: str, args: dict) -> str:
        with self.app.test_request_context():
            from flask import url_for

            return url_for(endpoint, **args)

    def _leaks(self, uid: int | None, where: str, text: str) -> None:
        for letter in self.world.letters:
            if self.world.oracle.sees(uid, letter.instance_id):
                continue
            for secret in letter.secrets:
                if secret in text:
                    self.problems.append(f"{where}: shows '{secret}' of {letter.tag}, which it may not see")

    def compare_404s(self) -> None:
        for key, where, body in self.hidden_bodies:
            if key in self.missing_bodies and body != self.missing_bodies[key]:
                self.problems.append(f"{where}: its 404 differs from the 404 of an object that does not exist")


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def walk(app: Flask, db: Database, world: World, usernames: list[str | None],
         endpoints: set[str] | None = None) -> Walk:
    """Every route, as every user: all GETs first, then all POSTs, then logging out."""
    result = Walk(app, db, world)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"
             and (endpoints is None or r.endpoint in endpoints)]
    people = {who: Person(app, who) if who else Person(app) for who in usernames}
    calls = {depth: [(rule, method, args) for rule in rules for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
                     for args in fillings(rule, world, depth)] for depth in {world.depth(who) for who in usernames}}
    tokens = {who: csrf_token(p.client.get("/inbox" if who else "/login").text) for who, p in people.items()}
    before = fingerprint(db)
    for phase in ("GET", "POST"):
        for who, person in people.items():
            for rule, method, args in calls[world.depth(who)]:
                if method == phase and rule.endpoint != "auth.logout":
                    result.request(person, who or "anonymous", tokens[who], method, rule.endpoint, args)
    if fingerprint(db) != before:
        result.problems.append("a refused request changed the database")
    for who, person in people.items():
        if endpoints is None or "auth.logout" in endpoints:
            result.request(person, who or "anonymous", tokens[who], "POST", "auth.logout", {}, real=True)
            if who and person.client.get("/inbox").status_code != 302:
                result.problems.append(f"{who} is still signed in after logging out")
    result.compare_404s()
    return result


# --- the tests -----------------------------------------------------------------------------------


def test_the_oracle_agrees_with_the_table_written_by_hand(app, deployed, engine):
    world = build(app, deployed, engine)
    for username, tags in BY_HAND.items():
        uid = world.oracle.users[username]
        seen = {letter.tag for letter in world.letters if world.oracle.sees(uid, letter.instance_id)}
        assert seen == tags, username
    assert any("RAHASIA" in secret for letter in world.letters for secret in letter.secrets)


def test_every_route_as_every_user_shows_only_what_they_may_see(app, deployed, engine):
    world = build(app, deployed, engine)
    users: list[str | None] = [demo.username for demo in USERS] + [username for username, _r, _u in SCOPED]
    result = walk(app, deployed, world, [*users, None])
    assert not result.problems, f"{len(result.problems)} problems:\n" + "\n".join(result.problems[:60])
    assert result.accepted > 100 and result.refused > 300  # both directions were really exercised
    assert Person(app).login(users[0], PASSWORD).status_code == 302  # logging out ended only that session


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize("rule", ["refuse everything", "allow everything"])
def test_the_walk_catches_a_broken_rule(app, deployed, engine, monkeypatch, rule):
    """Mutation test: the walk must fail when the visibility rule refuses or allows everything."""
    world = build(app, deployed, engine)
    patched = (lambda _user_id, _today: ~true()) if rule == "refuse everything" else (lambda _u, _t: true())
    monkeypatch.setattr("engine.access.instance_visible", patched)
    result = walk(app, deployed, world, ["budi", "rina"], {"instances.view", "files.download", "tasks.view"})
    text = "\n".join(result.problems)
    if rule == "refuse everything":
        assert re.search(r"budi GET /instances/\d+: 404, expected \[200\]", text), text[:2000]
    else:
        assert "rina GET" in text and "RAHASIA: Rencana mutasi Cempaka" in text, text[:2000]
