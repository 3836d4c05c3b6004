"""What an outgoing letter's pages show about its drafting: the versions, the paraf table per
round, the signer, the number and the ekspedisi state.  The letter page (letters_page.py)
includes templates/letters/outgoing_panel.html with `panel_context(letter)`; the task pages
(outgoing_tasks.py) show the same tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_login import current_user
from sqlalchemy import select

from engine import drafting
from engine.distribution import dispatch_rows
from engine.drafting import EDITABLE
from engine.inbox import ACTING_PREFIX
from engine.models import (
    DraftVersion,
    HumanTask,
    Letter,
    LetterNumber,
    LetterParty,
    Paraf,
    Position,
    ProcessInstance,
    Unit,
    User,
)
from engine.organisation import positions_of
from engine.outgoing_forms import REVISE_FORM
from webapp.context import me, today
from webapp.dbsession import session
from webapp.i18n import gettext
from webapp.letterforms import label
from webapp.outgoingforms import RecallForm, out_label


@dataclass(frozen=True)
class ParafLine:
    ordinal: int
    position: str
    kind: str
    decision: str
    decision_label: str
    who: str
    at: datetime | None
    version: int | None
    sha: str
    note: str


def _who(row: Paraf, names: dict[int, str]) -> str:
    if row.user_id is None:
        return ""
    name = names.get(row.user_id, "")
    if row.acting_kind == "wakil":
        return gettext("{name} (wakil)", name=name)
    prefix = ACTING_PREFIX.get(row.acting_kind or "")
    return f"{prefix} {name}" if prefix else name


def paraf_rounds(letter_id: int, version_numbers: dict[int, int]) -> list[tuple[int, list[ParafLine]]]:
    """Every round's rows, newest round first: who, what they decided, on which version."""
    rows = drafting.paraf_rows(session(), letter_id)
    user_ids = {r.user_id for r in rows if r.user_id}
    names = dict(session().execute(select(User.id, User.name).where(User.id.in_(user_ids))).all()) if user_ids else {}
    rounds: dict[int, list[ParafLine]] = {}
    for row in rows:
        kind = "tanda_tangan" if row.kind == "ttd" else row.kind
        rounds.setdefault(row.round, []).append(ParafLine(
            row.ordinal, row.position.name if row.position else "—", kind, row.decision,
            out_label("paraf", row.decision), _who(row, names), row.decided_at,
            version_numbers.get(row.version_id) if row.version_id else None,
            (row.version_sha256 or "")[:12], row.note or ""))
    return sorted(rounds.items(), reverse=True)


def returns(letter_id: int) -> list[ParafLine]:
    """The notes of the latest round's returns (what the konseptor must fix)."""
    rounds = paraf_rounds(letter_id, {})
    if not rounds:
        return []
    return [line for line in rounds[0][1] if line.decision == "kembalikan" or (line.decision == "revisi" and line.note)]


def history(letter_id: int) -> dict[str, Any]:
    found: list[DraftVersion] = drafting.versions(session(), letter_id)
    numbers = {v.id: v.number for v in found}
    return {"versions": list(reversed(found)), "rounds": paraf_rounds(letter_id, numbers)}


def open_revision(letter_id: int) -> HumanTask | None:
    return session().scalars(
        select(HumanTask).join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
        .where(ProcessInstance.letter_id == letter_id, HumanTask.status == "ready", HumanTask.form_key == REVISE_FORM)
        .limit(1)).first()


def number_of(letter: Letter) -> LetterNumber | None:
    return session().scalars(select(LetterNumber).where(LetterNumber.letter_id == letter.id,
                                                        LetterNumber.status == "terpakai")
                             .order_by(LetterNumber.id.desc()).limit(1)).first()


def dispatch_state(letter: Letter) -> list[dict[str, Any]]:
    return [{"party": party, "row": row, "channel": out_label("channel", row.channel)}
            for row, party in dispatch_rows(session(), letter.id)]


def party_namer(letter: Letter) -> Callable[[LetterParty], str]:
    """A recipient as the page names it: the unit for an internal one, else the name written."""
    unit_ids = {p.unit_id for p in letter.parties if p.unit_id}
    units = dict(session().execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all()) if unit_ids else {}

    def name(party: LetterParty) -> str:
        if party.kind == "internal":
            return units.get(party.unit_id or 0, party.name or "—")
        return f"{party.name} ({label('sender_kind', party.kind)})"

    return name


def is_outgoing(letter: Letter) -> bool:
    return letter.direction == "keluar"


def panel_context(letter: Letter, full: bool) -> dict[str, Any]:
    """The outgoing blocks of the letter page; {} for an incoming letter."""
    if not is_outgoing(letter):
        return {}
    context: dict[str, Any] = {"outgoing": True, "number": number_of(letter), "party_name": party_namer(letter)}
    if not full:
        return context
    user = me()
    mine = letter.registered_by_id == user.id
    context.update(history(letter.id))
    context.update(
        signer=session().get(Position, letter.signer_position_id) if letter.signer_position_id else None,
        signed_by=session().get(User, letter.signed_by_id) if letter.signed_by_id else None,
        may_edit=mine and letter.status in EDITABLE and open_revision(letter.id) is None,
        may_recall=drafting.may_recall(session(), letter, user.id),
        recall_form=RecallForm(prefix="tarik"),
        dispatches=dispatch_state(letter),
    )
    return context



def may_draft() -> bool:
    """For the navigation: whether the signed-in person holds a position to draft in."""
    if not getattr(current_user, "is_authenticated", False):
        return False
    return bool(positions_of(session(), int(current_user.get_id()), today()))
