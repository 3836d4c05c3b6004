"""Who may see a letter, and how much: the sifat (SKKAAD) rule, as SQL predicates.

  * full — content and attachments: whoever registered it, the holders (definitif, acting or
    deputy) of a position that disposed it or received an uncancelled branch of it, whoever
    took part in or is addressed by its registration process (the head); for an outgoing letter
    its konseptor, paraf chain and signer, and once signed the positions it names (tembusan);
    and, for Biasa and
    Terbatas letters only, the unit's pencatat and the admins and auditors over its unit;
  * meta — number, dates, sender, status, never hal, body or files: admins and auditors over
    the unit of a Rahasia or Sangat Rahasia letter;
  * none — everyone else, who gets 404 as for a letter that does not exist.

Lists and single pages use the same predicates, so a letter can never show in a list and
then be refused, or the other way round.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from engine.access import addressed, secret_instance, took_part
from engine.inbox import held_positions, positions_worked
from engine.models import (
    SECRET_SIFAT,
    Disposition,
    Letter,
    LetterParty,
    Paraf,
    ProcessInstance,
    Unit,
    UserRole,
)

FULL, META = "full", "meta"


def units_with_role(user_id: int, roles: tuple[str, ...]) -> Select[tuple[int]]:
    """Ids of the units in the subtree of a unit where the user has one of the roles."""
    roots = select(UserRole.unit_id.label("id")).where(
        UserRole.user_id == user_id, UserRole.role.in_(roles), UserRole.unit_id.is_not(None)
    )
    subtree = roots.cte(recursive=True)
    subtree = subtree.union(select(Unit.id).where(Unit.parent_id == subtree.c.id))
    return select(subtree.c.id)


def _has_role_on_unit(user_id: int, roles: tuple[str, ...]) -> ColumnElement[bool]:
    pemda_wide = exists().where(UserRole.user_id == user_id, UserRole.role.in_(roles), UserRole.unit_id.is_(None))
    return or_(pemda_wide, Letter.unit_id.in_(units_with_role(user_id, roles)))


def participant(user_id: int, today: date) -> ColumnElement[bool]:
    """The user is one of the people the letter is addressed or disposed to (or from)."""
    mine = positions_worked(user_id, today)
    in_tree = exists().where(
        Disposition.letter_id == Letter.id,
        or_(
            and_(Disposition.to_position_id.in_(mine), Disposition.status != "dibatalkan"),
            Disposition.from_position_id.in_(mine),
            Disposition.from_user_id == user_id,
        ),
    )
    in_registration = exists().where(
        ProcessInstance.id == Letter.instance_id, or_(took_part(user_id), addressed(user_id, today))
    )
    # a signed outgoing letter reaches the positions it names (tembusan heads, addressed jabatan)
    named = and_(Letter.signed_at.is_not(None), exists().where(
        LetterParty.letter_id == Letter.id, LetterParty.position_id.in_(mine)))
    # the paraf chain and the signer of a draft: the people who must read it to initial or sign
    in_chain = and_(Letter.draft_round > 0, or_(Letter.signer_position_id.in_(mine), exists().where(
        Paraf.letter_id == Letter.id, Paraf.position_id.in_(mine))))
    return or_(Letter.registered_by_id == user_id, in_tree, in_registration, named, in_chain)


def full_access(user_id: int, today: date) -> ColumnElement[bool]:
    not_secret = Letter.sifat.not_in(SECRET_SIFAT)
    return or_(
        participant(user_id, today),
        and_(not_secret, _has_role_on_unit(user_id, ("pencatat", "admin", "auditor"))),
    )


def any_access(user_id: int, today: date) -> ColumnElement[bool]:
    return or_(full_access(user_id, today), _has_role_on_unit(user_id, ("admin", "auditor")))


def access_level(session: Session, user_id: int, letter_id: int, today: date) -> str | None:
    """FULL, META or None (404) for one letter."""
    if session.scalar(select(exists().where(Letter.id == letter_id, full_access(user_id, today)))):
        return FULL
    if session.scalar(select(exists().where(Letter.id == letter_id, any_access(user_id, today)))):
        return META
    return None


__all__ = ["FULL", "META", "access_level", "any_access", "full_access", "held_positions", "participant",
           "secret_instance", "units_with_role"]
