"""Who initials and who signs an outgoing letter, computed from the organisation.

The paraf chain is the positions between the konseptor's and the signer's (walking up
`reports_to`), then the heads of the units asked for coordination: it follows the org chart,
so when a Kabid's post is filled by a Plt the chain does not change, only who works it.

Signing authority is a table (jenis x scope -> jabatan, a.n. / u.b.), with built-in defaults
for a Pemda that has written none: the head of the konseptor's unit for letters within the
SKPD, the head of the SKPD for any letter.  An SKPD's own rows come first, then the Pemda's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.assignment import head_position
from engine.inbox import ACTING_PREFIX, _holding_current  # noqa: PLC2701 - the one definition of "holds today"
from engine.messages import register
from engine.models import Position, PositionHolder, Setting, SigningRule, Unit
from engine.organisation import skpd_of

register({
    "ttd.plt_strategis": (
        "{kind} tidak berwenang menandatangani naskah strategis (organisasi, kepegawaian, alokasi anggaran).",
        "An acting official ({kind}) may not sign a strategic letter (organisation, staffing, budget allocation).",
    ),
    "ttd.bukan_pemegang": (
        "Tanda tangan bersifat pribadi: hanya pemegang jabatan penandatangan yang dapat menandatangani.",
        "A signature is personal: only the holder of the signing position may sign.",
    ),
})

STRATEGIC_SETTING = "ttd.strategis"
DEFAULT_STRATEGIC = {"jenis": ["peraturan", "surat_keputusan"], "klasifikasi": ["000.8", "800", "900.1"]}


@dataclass(frozen=True)
class Rule:
    """A signing rule, stored or built in (id 0)."""

    id: int
    signer: str
    signer_position_id: int | None = None
    atas_nama: str | None = None
    atas_nama_position_id: int | None = None
    ub: bool = False


BUILT_IN = (Rule(-1, "kepala_unit"), Rule(-2, "kepala_skpd"))


@dataclass(frozen=True)
class SignerOption:
    rule_id: int
    position_id: int
    label: str  # the signature block on one line, e.g. "a.n. Kepala Dinas ... / Sekretaris Dinas"
    atas_nama_position_id: int | None = None
    ub: bool = False


def ancestors(session: Session, position_id: int | None) -> list[Position]:
    """The positions above, nearest first (cycles in a badly imported chart stop the walk)."""
    found: list[Position] = []
    seen: set[int] = set()
    current = session.get(Position, position_id) if position_id else None
    while current is not None and current.reports_to_id and current.reports_to_id not in seen:
        seen.add(current.id)
        current = session.get(Position, current.reports_to_id)
        if current is not None:
            found.append(current)
    return found


def compute_chain(
    session: Session, *, konseptor_position_id: int, signer_position_id: int,
    koordinasi_unit_ids: Iterable[int] = (), skip_codes: Iterable[str] = (),
) -> list[tuple[int, str]]:
    """(position id, kind) in the order they initial: berjenjang up to below the signer, then
    koordinasi.  A position at or above the signer ends the walk (a Sekretaris signing a.n.
    the Kepala is not initialled by the Kepala)."""
    stop = {signer_position_id} | {p.id for p in ancestors(session, signer_position_id)}
    skip = set(skip_codes)
    chain: list[tuple[int, str]] = []
    for position in ancestors(session, konseptor_position_id):
        if position.id in stop:
            break
        if position.code not in skip:
            chain.append((position.id, "berjenjang"))
    taken = {p for p, _ in chain} | {konseptor_position_id, signer_position_id}
    for unit_id in dict.fromkeys(koordinasi_unit_ids):
        head = head_position(session, unit_id)
        if head is not None and head.id not in taken:
            chain.append((head.id, "koordinasi"))
            taken.add(head.id)
    return chain


def scope_of(session: Session, konseptor_unit_id: int, parties: Sequence[object]) -> str:
    """internal (within the SKPD), antar_skpd, or eksternal (any party outside the Pemda)."""
    if any(getattr(p, "kind", "") in ("eksternal", "srikandi") for p in parties):
        return "eksternal"
    home = skpd_of(session, konseptor_unit_id)
    for party in parties:
        unit_id = getattr(party, "unit_id", None)
        if unit_id is not None and skpd_of(session, unit_id) != home:
            return "antar_skpd"
    return "internal"


def _root_head(session: Session) -> Position | None:
    root = session.scalars(select(Unit.id).where(Unit.parent_id.is_(None)).order_by(Unit.id).limit(1)).first()
    return head_position(session, root)


def resolve_selector(session: Session, selector: str | None, position_id: int | None, konseptor: Position) -> Position | None:
    if selector == "kepala_unit":
        return head_position(session, konseptor.unit_id)
    if selector == "kepala_skpd":
        return head_position(session, skpd_of(session, konseptor.unit_id))
    if selector == "kepala_daerah":
        return _root_head(session)
    if selector == "jabatan" and position_id:
        return session.get(Position, position_id)
    return None


def _rules(session: Session, skpd_id: int | None, jenis: str, scope: str) -> list[Rule]:
    rows = list(session.scalars(
        select(SigningRule)
        .where(SigningRule.jenis.in_((jenis, "*")), SigningRule.scope.in_((scope, "*")),
               or_(SigningRule.unit_id == skpd_id, SigningRule.unit_id.is_(None)))
        .order_by(SigningRule.unit_id.is_(None), SigningRule.sort, SigningRule.id)
    ))
    stored = [Rule(r.id, r.signer, r.signer_position_id, r.atas_nama, r.atas_nama_position_id, r.ub) for r in rows]
    pemda_wide = session.scalar(select(SigningRule.id).where(SigningRule.unit_id.is_(None)).limit(1))
    if pemda_wide is None:  # no Pemda-wide table yet: the built-in defaults stand in
        stored += [r for r in BUILT_IN if r.signer != "kepala_unit" or scope == "internal"]
    return stored


def signature_lines(session: Session, signer: Position, atas_nama: Position | None, ub: bool,
                    acting_kind: str = "") -> list[str]:
    """The block as printed: 'a.n. PRINCIPAL', the intermediate jabatan and 'u.b.' when the
    signer signs further down, then the signer's jabatan with Plt./Plh. before it."""
    lines: list[str] = []
    if atas_nama is not None and atas_nama.id != signer.id:
        lines.append(f"a.n. {atas_nama.name.upper()}")
        if ub:
            between = [p for p in ancestors(session, signer.id) if p.reports_to_id == atas_nama.id]
            if between:
                lines += [between[0].name.upper(), "u.b."]
    prefix = ACTING_PREFIX.get(acting_kind, "")
    lines.append(f"{prefix} {signer.name.upper()}".strip())
    return lines


def signer_options(session: Session, *, konseptor_position_id: int, jenis: str,
                   parties: Sequence[object]) -> list[SignerOption]:
    """The signers the konseptor may choose for this jenis and these recipients."""
    konseptor = session.get(Position, konseptor_position_id)
    if konseptor is None:
        return []
    scope = scope_of(session, konseptor.unit_id, parties)
    options: list[SignerOption] = []
    seen: set[tuple[int, int | None]] = set()
    for rule in _rules(session, skpd_of(session, konseptor.unit_id), jenis, scope):
        signer = resolve_selector(session, rule.signer, rule.signer_position_id, konseptor)
        if signer is None:
            continue
        principal = resolve_selector(session, rule.atas_nama, rule.atas_nama_position_id, konseptor)
        key = (signer.id, principal.id if principal else None)
        if key in seen:
            continue
        seen.add(key)
        label = " / ".join(signature_lines(session, signer, principal, rule.ub))
        options.append(SignerOption(rule.id, signer.id, label, principal.id if principal else None, rule.ub))
    return options


def preview_chain(session: Session, *, konseptor_position_id: int, signer_position_id: int,
                  koordinasi_unit_ids: Iterable[int] = ()) -> list[Position]:
    chain = compute_chain(session, konseptor_position_id=konseptor_position_id,
                          signer_position_id=signer_position_id, koordinasi_unit_ids=koordinasi_unit_ids)
    return [p for p in (session.get(Position, pid) for pid, _ in chain) if p is not None]


def is_strategic(session: Session, jenis: str, klasifikasi_code: str | None) -> bool:
    """Organisation, staffing and budget allocation: by jenis or by klasifikasi prefix."""
    row = session.get(Setting, STRATEGIC_SETTING)
    config = row.value if row is not None and isinstance(row.value, dict) else DEFAULT_STRATEGIC
    if jenis in config.get("jenis", []):
        return True
    code = klasifikasi_code or ""
    return any(code == p or code.startswith(f"{p}.") for p in config.get("klasifikasi", []))


def holding_kind(session: Session, user_id: int, position_id: int, today: date) -> str | None:
    """How the user holds the position today (definitif, plt, plh...); None for a deputy or a
    stranger: a signature is never delegated."""
    kinds = list(session.scalars(
        select(PositionHolder.kind).where(PositionHolder.user_id == user_id, PositionHolder.position_id == position_id,
                                          _holding_current(today))
    ))
    if not kinds:
        return None
    return "definitif" if "definitif" in kinds else kinds[0]
