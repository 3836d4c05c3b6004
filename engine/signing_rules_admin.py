"""The signing-authority table as an admin keeps it: rules for the whole Pemda or for one SKPD,
and the list of strategic letters an acting official (Plt/Plh) may not sign.

engine.signing_rules reads the table (an SKPD's rows first, then the Pemda's; the built-in
defaults while the Pemda has no row of its own).  Here every change is checked, flushed (never
committed) and written to the system audit chain.  Who may change which rows (a Pemda admin all,
an SKPD admin their own SKPD's) is the web layer's question, as for the other admin pages.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine import audit
from engine.assignment import head_position
from engine.errors import InvalidInput, NotFound
from engine.messages import register
from engine.models import JENIS, Position, Setting, SigningRule, Unit
from engine.models.drafting import SCOPES, SIGNER_SELECTORS
from engine.organisation import SKPD_KINDS, skpd_of
from engine.signing_rules import (
    DEFAULT_STRATEGIC,
    STRATEGIC_SETTING,
    Rule,
    ancestors,
    resolve_selector,
    signature_lines,
)

register({
    "ttd_rule.bad_unit": ("Aturan berlaku untuk seluruh Pemda atau untuk satu perangkat daerah.",
                          "A rule applies to the whole Pemda or to one regional agency."),
    "ttd_rule.bad_jenis": ("Jenis naskah tidak dikenal.", "Unknown kind of letter."),
    "ttd_rule.bad_scope": ("Cakupan tujuan tidak dikenal.", "Unknown scope of recipients."),
    "ttd_rule.bad_selector": ("Pilihan pejabat tidak dikenal.", "Unknown choice of official."),
    "ttd_rule.position_required": ("Pilih jabatannya bila memilih \"jabatan tertentu\".",
                                   "Choose the position when choosing \"a specific position\"."),
    "ttd_rule.position_outside": ("Jabatan {name} tidak berada di perangkat daerah ini atau di atasnya.",
                                  "The position {name} is neither in this agency nor above it."),
    "ttd_rule.an_self": ("Penandatangan tidak menandatangani atas nama dirinya sendiri.",
                         "A signer does not sign on behalf of themselves."),
    "ttd_rule.an_not_above": ("{name} bukan atasan penandatangan: a.n. hanya atas nama pejabat di atasnya.",
                              "{name} is not above the signer: a.n. is only on behalf of a superior."),
    "ttd_rule.ub_without_an": ("u.b. hanya dipakai sesudah a.n.", "u.b. is only used after a.n."),
    "ttd_rule.ub_too_close": ("u.b. berarti penandatangan dua tingkat atau lebih di bawah pejabat a.n.; "
                              "atasan langsung cukup dengan a.n.",
                              "u.b. means the signer is two or more levels below the a.n. principal; "
                              "for the direct superior a.n. is enough."),
    "ttd_rule.bad_sort": ("Urutan harus bilangan 0 sampai {limit}.", "The order must be a number from 0 to {limit}."),
    "ttd_rule.duplicate": ("Aturan yang sama sudah ada.", "The same rule already exists."),
    "ttd_rule.bad_strategic_jenis": ("Jenis naskah tidak dikenal: {jenis}.", "Unknown kind of letter: {jenis}."),
    "ttd_rule.bad_klasifikasi": ("Kode klasifikasi tidak sah: {code} (contoh: 800 atau 000.8).",
                                 "Not a classification code: {code} (e.g. 800 or 000.8)."),
})

SORT_MAX = 9999
KLASIFIKASI_CODE = re.compile(r"\d{3}(\.\d{1,3})*")


def _code(session: Session, model: type[Unit] | type[Position], row_id: int | None) -> str | None:
    row = session.get(model, row_id) if row_id else None
    return row.code if row is not None else None


def _values(session: Session, row: SigningRule) -> dict[str, Any]:
    return {"unit": _code(session, Unit, row.unit_id), "jenis": row.jenis, "scope": row.scope, "signer": row.signer,
            "signer_position": _code(session, Position, row.signer_position_id), "atas_nama": row.atas_nama,
            "atas_nama_position": _code(session, Position, row.atas_nama_position_id), "ub": bool(row.ub),
            "sort": row.sort}


def _fixed(session: Session, selector: str | None, position_id: int | None, skpd_id: int | None) -> Position | None:
    """The position a selector names whoever drafts; None when it depends on the konseptor."""
    if selector == "jabatan":
        return session.get(Position, position_id) if position_id else None
    if selector == "kepala_skpd" and skpd_id is not None:
        return head_position(session, skpd_id)
    if selector == "kepala_daerah":
        root = session.scalars(select(Unit.id).where(Unit.parent_id.is_(None)).order_by(Unit.id).limit(1)).first()
        return head_position(session, root)
    return None


def allowed_positions(session: Session, skpd_id: int) -> list[Position]:
    """What an SKPD's rule may name: its own positions, then those above its head (Sekda, Bupati)."""
    inside = [p for p in session.scalars(select(Position).order_by(Position.id))
              if skpd_of(session, p.unit_id) == skpd_id]
    head = head_position(session, skpd_id)
    return inside + (ancestors(session, head.id) if head is not None else [])


def _position(session: Session, selector: str | None, position_id: int | None, skpd_id: int | None,
              field: str) -> int | None:
    if selector != "jabatan":
        return None  # a position left in the form beside another choice means nothing
    position = session.get(Position, position_id) if position_id else None
    if position is None:
        raise InvalidInput("ttd_rule.position_required", field=field)
    if skpd_id is not None and position.id not in {p.id for p in allowed_positions(session, skpd_id)}:
        raise InvalidInput("ttd_rule.position_outside", field=field, name=position.name)
    return position.id


def add_rule(session: Session, actor: audit.Actor, *, unit_id: int | None, jenis: str, scope: str, signer: str,
             signer_position_id: int | None = None, atas_nama: str | None = None,
             atas_nama_position_id: int | None = None, ub: bool = False, sort: int = 0) -> SigningRule:
    """A new row of the table, checked against the organisation chart."""
    if unit_id is not None:
        unit = session.get(Unit, unit_id)
        if unit is None or unit.kind not in SKPD_KINDS:  # the unit signing_rules looks up: skpd_of(...)
            raise InvalidInput("ttd_rule.bad_unit", field="unit_id")
    if jenis != "*" and jenis not in JENIS:
        raise InvalidInput("ttd_rule.bad_jenis", field="jenis")
    if scope != "*" and scope not in SCOPES:
        raise InvalidInput("ttd_rule.bad_scope", field="scope")
    if signer not in SIGNER_SELECTORS:
        raise InvalidInput("ttd_rule.bad_selector", field="signer")
    signer_position_id = _position(session, signer, signer_position_id, unit_id, "signer_position_id")
    atas_nama = atas_nama or None
    if atas_nama is not None and atas_nama not in SIGNER_SELECTORS:
        raise InvalidInput("ttd_rule.bad_selector", field="atas_nama")
    atas_nama_position_id = _position(session, atas_nama, atas_nama_position_id, unit_id, "atas_nama_position_id")
    if ub and atas_nama is None:
        raise InvalidInput("ttd_rule.ub_without_an", field="ub")
    if not 0 <= sort <= SORT_MAX:
        raise InvalidInput("ttd_rule.bad_sort", field="sort", limit=SORT_MAX)
    if atas_nama is not None:
        if atas_nama == signer != "jabatan":
            raise InvalidInput("ttd_rule.an_self", field="atas_nama")
        mine = _fixed(session, signer, signer_position_id, unit_id)
        principal = _fixed(session, atas_nama, atas_nama_position_id, unit_id)
        if mine is not None and principal is not None:
            if mine.id == principal.id:
                raise InvalidInput("ttd_rule.an_self", field="atas_nama")
            if principal.id not in {p.id for p in ancestors(session, mine.id)}:
                raise InvalidInput("ttd_rule.an_not_above", field="atas_nama", name=principal.name)
            if ub and mine.reports_to_id == principal.id:
                raise InvalidInput("ttd_rule.ub_too_close", field="ub")
    row = SigningRule(unit_id=unit_id, jenis=jenis, scope=scope, signer=signer, signer_position_id=signer_position_id,
                      atas_nama=atas_nama, atas_nama_position_id=atas_nama_position_id, ub=bool(ub), sort=sort)
    same = (SigningRule.unit_id.is_(None) if unit_id is None else SigningRule.unit_id == unit_id)
    for other in session.scalars(select(SigningRule).where(same, SigningRule.jenis == jenis, SigningRule.scope == scope)):
        if {**_values(session, other), "sort": 0} == {**_values(session, row), "sort": 0}:
            raise InvalidInput("ttd_rule.duplicate", field="signer")
    session.add(row)
    session.flush()
    values = _values(session, row)
    audit.record(session, action="signing_rule.added", actor=actor, after=values,
                 summary=f"Aturan tanda tangan ditambahkan: {values['unit'] or 'seluruh Pemda'}, {jenis}, {scope}")
    return row


def delete_rule(session: Session, actor: audit.Actor, rule_id: int) -> None:
    """Remove a row: letters on their way keep their signer; a draft saved again is checked anew."""
    row = session.get(SigningRule, rule_id)
    if row is None:
        raise NotFound()
    values = _values(session, row)
    session.delete(row)
    session.flush()
    audit.record(session, action="signing_rule.deleted", actor=actor, before=values,
                 summary=f"Aturan tanda tangan dihapus: {values['unit'] or 'seluruh Pemda'}, {row.jenis}, {row.scope}")


def rules_for(session: Session, unit_ids: Collection[int] | None) -> list[SigningRule]:
    """The Pemda-wide rows, then those of these units (None: of every unit), in reading order."""
    query = (select(SigningRule).outerjoin(Unit, Unit.id == SigningRule.unit_id)
             .order_by(SigningRule.unit_id.is_not(None), Unit.code, SigningRule.sort, SigningRule.id))
    if unit_ids is not None:
        query = query.where(or_(SigningRule.unit_id.is_(None), SigningRule.unit_id.in_(list(unit_ids))))
    return list(session.scalars(query))


def example_konseptor(session: Session, unit_id: int | None) -> Position | None:
    """A staff position drafting under a rule of this SKPD (of the first SKPD for a Pemda-wide
    rule), in a unit below the SKPD, so that "kepala unit" and "kepala SKPD" differ."""
    rows = session.execute(select(Position, Unit).join(Unit, Unit.id == Position.unit_id)
                           .where(Position.is_head_of_unit.is_(False)).order_by(Unit.code, Position.id))
    for position, unit in rows:
        skpd = skpd_of(session, unit.id)
        if skpd != unit.id and (unit_id is None or skpd == unit_id):
            return position
    return None


def preview(session: Session, rule: SigningRule | Rule, konseptor_position_id: int | None = None) -> str:
    """The signature block the rule prints for this (or an example) konseptor, on one line."""
    if konseptor_position_id is not None:
        konseptor = session.get(Position, konseptor_position_id)
    else:
        konseptor = example_konseptor(session, getattr(rule, "unit_id", None))
    signer = resolve_selector(session, rule.signer, rule.signer_position_id, konseptor) if konseptor else None
    if konseptor is None or signer is None:
        return ""
    principal = resolve_selector(session, rule.atas_nama, rule.atas_nama_position_id, konseptor)
    return " / ".join(signature_lines(session, signer, principal, bool(rule.ub)))


def strategic(session: Session) -> dict[str, list[str]]:
    """The jenis and klasifikasi prefixes a Plt/Plh may not sign (the defaults until set)."""
    row = session.get(Setting, STRATEGIC_SETTING)
    value = row.value if row is not None and isinstance(row.value, dict) else DEFAULT_STRATEGIC
    return {"jenis": list(value.get("jenis", [])), "klasifikasi": list(value.get("klasifikasi", []))}


def set_strategic(session: Session, actor: audit.Actor, jenis: Sequence[str],
                  klasifikasi: Sequence[str]) -> dict[str, list[str]]:
    """Replace both lists (a klasifikasi code covers the codes below it: 800 covers 800.1.3)."""
    clean_jenis = list(dict.fromkeys(j.strip() for j in jenis if j.strip()))
    clean_codes = list(dict.fromkeys(c.strip() for c in klasifikasi if c.strip()))
    for value in clean_jenis:
        if value not in JENIS:
            raise InvalidInput("ttd_rule.bad_strategic_jenis", field="jenis", jenis=value)
    for code in clean_codes:
        if not KLASIFIKASI_CODE.fullmatch(code):
            raise InvalidInput("ttd_rule.bad_klasifikasi", field="klasifikasi", code=code)
    before, after = strategic(session), {"jenis": clean_jenis, "klasifikasi": clean_codes}
    if after == before:
        return after
    row = session.get(Setting, STRATEGIC_SETTING)
    if row is None:
        session.add(Setting(key=STRATEGIC_SETTING, value=after))
    else:
        row.value = after
    session.flush()
    audit.record(session, action="signing_rule.strategic_set", actor=actor, before=before, after=after,
                 summary="Daftar naskah strategis diubah")
    return after
