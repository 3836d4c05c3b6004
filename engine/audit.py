"""Writing and verifying the hash-chained audit trail.

Rows are appended under the instance's row lock (or, for the system chain, guarded by the
unique (chain, seq) constraint), so the chain has no forks.  `verify` recomputes every hash;
it reports, per chain, the first row that was altered, or the place where rows were removed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import messages
from engine.models import AuditEvent, utcnow

GENESIS = "0" * 64
SYSTEM_CHAIN = "system"

messages.register(
    {
        "audit.altered": (
            "Baris audit #{id} (rantai {chain}, urutan {seq}) telah diubah: hash tidak cocok.",
            "Audit row #{id} (chain {chain}, seq {seq}) was altered: its hash does not match.",
        ),
        "audit.removed": (
            "Baris audit sebelum #{id} (rantai {chain}, urutan {expected}) telah dihapus.",
            "An audit row before #{id} (chain {chain}, seq {expected}) was removed.",
        ),
        "audit.truncated": (
            "Baris audit terakhir proses #{instance} telah dihapus (tercatat sampai urutan {expected}, "
            "tersisa sampai {seq}).",
            "The last audit rows of instance #{instance} were removed (recorded up to seq {expected}, "
            "present up to {seq}).",
        ),
        "audit.relinked": (
            "Baris audit #{id} (rantai {chain}, urutan {seq}) tidak menyambung ke baris sebelumnya.",
            "Audit row #{id} (chain {chain}, seq {seq}) does not link to the row before it.",
        ),
    }
)


def instance_chain(instance_id: int) -> str:
    return f"instance:{instance_id}"


@dataclass(frozen=True)
class Actor:
    """Who did something, and in which capacity; None user for the system itself."""

    user_id: int | None
    name: str
    position_id: int | None = None
    position_name: str = ""
    on_behalf_of: str = ""  # a deputy (delegasi) acting for this person
    on_behalf_of_id: int | None = None  # that person's id: they took part (engine.access)


SYSTEM = Actor(None, "Sistem")


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _digest(row: AuditEvent) -> str:
    body = {
        "chain": row.chain,
        "seq": row.seq,
        "instance_id": row.instance_id,
        "at": row.at.isoformat(timespec="microseconds"),
        "actor_id": row.actor_id,
        "actor_name": row.actor_name,
        "actor_position": row.actor_position,
        "action": row.action,
        "task_guid": row.task_guid,
        "bpmn_id": row.bpmn_id,
        "summary": row.summary,
        "before": row.before,
        "after": row.after,
        "prev_hash": row.prev_hash,
    }
    if row.on_behalf_of:  # added later: rows without it keep the hash they were written with
        body["on_behalf_of"] = row.on_behalf_of
    if row.on_behalf_of_id is not None:  # likewise
        body["on_behalf_of_id"] = row.on_behalf_of_id
    raw = json.dumps(body, sort_keys=True, default=_canonical, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def record(
    session: Session,
    *,
    action: str,
    actor: Actor,
    instance_id: int | None = None,
    task_guid: str | None = None,
    bpmn_id: str | None = None,
    summary: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    chain = instance_chain(instance_id) if instance_id is not None else SYSTEM_CHAIN
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).where(AuditEvent.chain == chain).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    row = AuditEvent(
        chain=chain,
        seq=(last.seq + 1) if last else 1,
        instance_id=instance_id,
        at=at or utcnow(),
        actor_id=actor.user_id,
        actor_name=actor.name,
        actor_position=actor.position_name,
        on_behalf_of=actor.on_behalf_of,
        on_behalf_of_id=actor.on_behalf_of_id,
        action=action,
        task_guid=task_guid,
        bpmn_id=bpmn_id,
        summary=summary[:500],
        before=before,
        after=after,
        prev_hash=last.hash if last else GENESIS,
    )
    row.hash = _digest(row)
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class AuditFinding:
    chain: str
    row_id: int
    key: str
    params: dict[str, Any]

    def message(self, lang: str = messages.DEFAULT_LANG) -> str:
        return messages.text(self.key, lang, **self.params)


def verify(session: Session, *, chain: str | None = None) -> list[AuditFinding]:
    """The first broken place of every chain (empty list: the trail is intact)."""
    query = select(AuditEvent).order_by(AuditEvent.chain, AuditEvent.seq)
    if chain is not None:
        query = query.where(AuditEvent.chain == chain)
    findings: list[AuditFinding] = []
    current_chain: str | None = None
    expected_seq, prev_hash, broken = 1, GENESIS, False
    for row in session.execute(query).scalars().yield_per(500):
        if row.chain != current_chain:
            current_chain, expected_seq, prev_hash, broken = row.chain, 1, GENESIS, False
        if broken:
            continue
        params = {"id": row.id, "chain": row.chain, "seq": row.seq, "expected": expected_seq}
        if row.seq != expected_seq:
            findings.append(AuditFinding(row.chain, row.id, "audit.removed", params))
            broken = True
        elif _digest(row) != row.hash:
            findings.append(AuditFinding(row.chain, row.id, "audit.altered", params))
            broken = True
        elif row.prev_hash != prev_hash:
            findings.append(AuditFinding(row.chain, row.id, "audit.relinked", params))
            broken = True
        expected_seq, prev_hash = row.seq + 1, row.hash
    findings.extend(_truncated(session, chain, {f.chain for f in findings}))
    return findings


def _truncated(session: Session, chain: str | None, already: set[str]) -> list[AuditFinding]:
    """Removing the newest rows leaves no gap behind; the instance row remembers how many there were."""
    from sqlalchemy import func

    from engine.models import ProcessInstance

    heads = (
        select(AuditEvent.instance_id, func.max(AuditEvent.seq).label("seq"), func.max(AuditEvent.id).label("id"))
        .where(AuditEvent.instance_id.is_not(None))
        .group_by(AuditEvent.instance_id)
        .subquery()
    )
    query = select(ProcessInstance.id, ProcessInstance.audit_seq, heads.c.seq, heads.c.id).outerjoin(
        heads, heads.c.instance_id == ProcessInstance.id
    )
    found: list[AuditFinding] = []
    for instance_id, recorded, present, last_id in session.execute(query):
        name = instance_chain(instance_id)
        if (chain is not None and name != chain) or name in already:
            continue
        if (present or 0) < recorded:
            params = {"instance": instance_id, "expected": recorded, "seq": present or 0, "id": last_id or 0}
            found.append(AuditFinding(name, last_id or 0, "audit.truncated", params))
    return found
