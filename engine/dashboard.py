"""The dashboard of a head of unit: how the work of their team stands.

The team of a user is every position below a position they work today (held, acting, or as a
deputy: engine.inbox.positions_worked) that heads a unit or has positions reporting to it,
down the `reports_to` tree to any depth.  What the dashboard counts and lists:

  * open dispositions (belum dibaca, dibaca, diteruskan) sent by the team, and which are past due;
  * open drafts (konsep, paraf, tanda tangan) whose konseptor is in the team;
  * drafts waiting for the user: their turn in the paraf chain of the current round, or their
    signature;
  * per subordinate position: the open dispositions it holds, how many are overdue, its drafts
    (every direct report; positions further down when they have open work).

Counts are GROUP BY queries, never a query per row.  Every row and every count goes through
engine.letter_access's full access: the dashboard never counts or shows a letter its page
would refuse, so a count and the list beside it always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from engine.inbox import positions_worked
from engine.letter_access import full_access
from engine.letter_lists import OPEN_BRANCH
from engine.models import Disposition, Letter, Paraf, Position, Unit

OPEN_DRAFT = ("konsep", "paraf", "tanda_tangan")
LIST_LIMIT = 50
SUBORDINATE_LIMIT = 500


def led_positions(user_id: int, today: date) -> Select[tuple[int]]:
    """Positions the user works today that head a unit or have someone reporting to them."""
    below = aliased(Position)
    return select(Position.id).where(
        Position.id.in_(positions_worked(user_id, today)),
        or_(Position.is_head_of_unit.is_(True), exists().where(below.reports_to_id == Position.id)),
    )


def leads(session: Session, user_id: int, today: date) -> bool:
    """Whether the user has a team today (the "Dasbor" menu)."""
    return bool(session.scalar(select(exists(led_positions(user_id, today)))))


def team(user_id: int, today: date) -> Select[tuple[int]]:
    """The led positions and every position below them, at any depth."""
    tree = led_positions(user_id, today).cte("team", recursive=True)
    below = aliased(Position)
    # UNION (not UNION ALL): a cycle in reports_to ends the recursion instead of looping.
    tree = tree.union(select(below.id).where(below.reports_to_id == tree.c.id))
    return select(tree.c.id)


def subordinates(user_id: int, today: date) -> Select[tuple[int]]:
    return team(user_id, today).except_(led_positions(user_id, today))


@dataclass(frozen=True)
class Summary:
    open_branches: int
    overdue_branches: int
    open_drafts: int
    waiting_for_me: int


@dataclass(frozen=True)
class BranchItem:
    disposition_id: int
    letter_id: int
    hal: str
    from_position: str
    to_position: str
    status: str
    due_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class DraftItem:
    letter_id: int
    hal: str
    jenis: str
    status: str
    konseptor: str
    updated_at: datetime


@dataclass(frozen=True)
class SubordinateRow:
    position_id: int
    name: str
    unit_name: str
    reports_to: str
    open_branches: int
    overdue: int
    drafts: int


@dataclass(frozen=True)
class Dashboard:
    summary: Summary
    overdue: list[BranchItem]
    open_branches: list[BranchItem]
    drafts: list[DraftItem]
    waiting: list[DraftItem]
    subordinates: list[SubordinateRow]


def _sent_by_team(branch: type[Disposition], user_id: int, today: date) -> ColumnElement[bool]:
    return and_(branch.status.in_(OPEN_BRANCH),
                or_(branch.from_position_id.in_(team(user_id, today)), branch.from_user_id == user_id))


def _waiting_for(user_id: int, today: date) -> ColumnElement[bool]:
    """The letter waits for the user: their paraf is the next open one of the latest round, or
    their position is to sign it."""
    mine = positions_worked(user_id, today)
    turn, earlier, latest = aliased(Paraf), aliased(Paraf), aliased(Paraf)
    my_turn = exists().where(
        turn.letter_id == Letter.id, turn.position_id.in_(mine), turn.decision == "menunggu",
        turn.round == select(func.max(latest.round)).where(latest.letter_id == Letter.id).scalar_subquery(),
        ~exists().where(earlier.letter_id == turn.letter_id, earlier.round == turn.round,
                        earlier.ordinal < turn.ordinal, earlier.decision == "menunggu"),
    )
    return or_(and_(Letter.status == "paraf", my_turn),
               and_(Letter.status == "tanda_tangan", Letter.signer_position_id.in_(mine)))


def _branch_items(session: Session, user_id: int, today: date, now: datetime, *, overdue_only: bool) -> list[BranchItem]:
    """Open branches sent by the team, the nearest due date first (none last)."""
    branch, sender, recipient = aliased(Disposition), aliased(Position), aliased(Position)
    query = (
        select(branch.id, Letter.id, Letter.hal, sender.name, recipient.name, branch.status, branch.due_at)
        .join(Letter, Letter.id == branch.letter_id)
        .join(recipient, recipient.id == branch.to_position_id)
        .outerjoin(sender, sender.id == branch.from_position_id)
        .where(_sent_by_team(branch, user_id, today), full_access(user_id, today))
    )
    if overdue_only:
        query = query.where(branch.due_at < now)
    rows = session.execute(
        query.order_by(branch.due_at.is_(None), branch.due_at, branch.id).limit(LIST_LIMIT)).all()
    return [BranchItem(r[0], r[1], r[2], r[3] or "", r[4], r[5], r[6], bool(r[6] and r[6] < now)) for r in rows]


def _draft_items(session: Session, condition: ColumnElement[bool], user_id: int, today: date) -> list[DraftItem]:
    konseptor = aliased(Position)
    rows = session.execute(
        select(Letter.id, Letter.hal, Letter.jenis, Letter.status, konseptor.name, Letter.updated_at)
        .outerjoin(konseptor, konseptor.id == Letter.konseptor_position_id)
        .where(Letter.direction == "keluar", Letter.status.in_(OPEN_DRAFT), condition, full_access(user_id, today))
        .order_by(Letter.updated_at, Letter.id).limit(LIST_LIMIT)
    ).all()
    return [DraftItem(r[0], r[1], r[2], r[3], r[4] or "", r[5]) for r in rows]


def _count(session: Session, condition: ColumnElement[bool], user_id: int, today: date) -> int:
    return session.scalar(select(func.count(Letter.id)).where(
        Letter.direction == "keluar", Letter.status.in_(OPEN_DRAFT), condition, full_access(user_id, today))) or 0


def _per_subordinate(session: Session, user_id: int, today: date, now: datetime) -> list[SubordinateRow]:
    subs = subordinates(user_id, today).subquery()
    branch = aliased(Disposition)
    branch_counts = dict(
        (r[0], (r[1], r[2] or 0)) for r in session.execute(
            select(branch.to_position_id, func.count(branch.id), func.sum(case((branch.due_at < now, 1), else_=0)))
            .join(Letter, Letter.id == branch.letter_id)
            .where(branch.to_position_id.in_(select(subs.c.id)), branch.status.in_(OPEN_BRANCH),
                   full_access(user_id, today))
            .group_by(branch.to_position_id)
        )
    )
    draft_counts = dict(
        (r[0], r[1]) for r in session.execute(
            select(Letter.konseptor_position_id, func.count(Letter.id))
            .where(Letter.konseptor_position_id.in_(select(subs.c.id)), Letter.direction == "keluar",
                   Letter.status.in_(OPEN_DRAFT), full_access(user_id, today))
            .group_by(Letter.konseptor_position_id)
        )
    )
    # Direct reports always; further down only where there is open work (a Bupati's team is
    # the whole Pemda: thousands of idle rows would hide the few that matter).
    superior, unit = aliased(Position), aliased(Unit)
    busy = set(branch_counts) | set(draft_counts)
    rows = session.execute(
        select(Position.id, Position.name, unit.name, superior.name)
        .join(unit, unit.id == Position.unit_id)
        .outerjoin(superior, superior.id == Position.reports_to_id)
        .where(Position.id.in_(select(subs.c.id)),
               or_(Position.reports_to_id.in_(led_positions(user_id, today)), Position.id.in_(busy or {0})))
        .order_by(unit.name, Position.is_head_of_unit.desc(), Position.name, Position.id)
        .limit(SUBORDINATE_LIMIT)
    ).all()
    return [
        SubordinateRow(position_id=r[0], name=r[1], unit_name=r[2], reports_to=r[3] or "",
                       open_branches=branch_counts.get(r[0], (0, 0))[0], overdue=branch_counts.get(r[0], (0, 0))[1],
                       drafts=draft_counts.get(r[0], 0))
        for r in rows
    ]


def dashboard(session: Session, user_id: int, today: date, now: datetime) -> Dashboard:
    """Everything the page shows, for the team of the user today."""
    branch = aliased(Disposition)
    opened, late = session.execute(
        select(func.count(branch.id), func.sum(case((branch.due_at < now, 1), else_=0)))
        .join(Letter, Letter.id == branch.letter_id)
        .where(_sent_by_team(branch, user_id, today), full_access(user_id, today))
    ).one()
    in_team = Letter.konseptor_position_id.in_(team(user_id, today))
    waiting = _waiting_for(user_id, today)
    return Dashboard(
        summary=Summary(open_branches=opened or 0, overdue_branches=late or 0,
                        open_drafts=_count(session, in_team, user_id, today),
                        waiting_for_me=_count(session, waiting, user_id, today)),
        overdue=_branch_items(session, user_id, today, now, overdue_only=True),
        open_branches=_branch_items(session, user_id, today, now, overdue_only=False),
        drafts=_draft_items(session, in_team, user_id, today),
        waiting=_draft_items(session, waiting, user_id, today),
        subordinates=_per_subordinate(session, user_id, today, now),
    )
