"""Deployed process versions, running instances and the projection of their human tasks.

The SpiffWorkflow state is an engine-private JSON blob; everything a page or a query needs
(status, title, ready tasks with their candidates, due dates) is projected into typed,
indexed columns in the same transaction that writes the blob, so no page ever deserializes a
workflow to list things.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.models.base import Base, utcnow
from engine.models.org import Unit

INSTANCE_STATUSES = ("running", "completed", "cancelled", "error")
TASK_STATUSES = ("ready", "completed", "cancelled")


class ProcessVersion(Base):
    __tablename__ = "process_version"
    __table_args__ = (UniqueConstraint("key", "unit_id", "version", name="uq_process_version_key_unit_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # None: the shared default
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    process_id: Mapped[str] = mapped_column(String(200))  # the BPMN process to start
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    bpmn: Mapped[bytes] = mapped_column(LargeBinary)
    source: Mapped[str] = mapped_column(String(20), default="file")  # file | browser | upload
    source_path: Mapped[str | None] = mapped_column(String(400))
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    deployed_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column()
    warnings: Mapped[list[Any]] = mapped_column(default=list)

    unit: Mapped[Unit | None] = relationship()


class ProcessInstance(Base):
    __tablename__ = "process_instance"
    __table_args__ = (Index("ix_process_instance_status_unit", "status", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"), index=True)
    key: Mapped[str] = mapped_column(String(120))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    title: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(12), default="running")
    error: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(Text)
    serializer_version: Mapped[str] = mapped_column(String(10))
    engine_version: Mapped[str] = mapped_column(String(20))
    lock_version: Mapped[int] = mapped_column(Integer, default=0)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    started_as_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()
    # Element ids for the diagram (finished / waiting now / failed), kept current on every
    # save so that the instance page never has to deserialize the workflow.
    marks: Mapped[dict[str, Any]] = mapped_column(default=dict)
    audit_seq: Mapped[int] = mapped_column(Integer, default=0)  # last audit row: tail removal shows
    # The letter this process works on (registration, disposition branch, later drafting):
    # typed and indexed, so inbox filters on the letter's columns never read task data.
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("letter.id", use_alter=True), index=True)

    version: Mapped[ProcessVersion] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}


class HumanTask(Base):
    """One occurrence of a user task: READY while waiting, then completed or cancelled."""

    __tablename__ = "human_task"
    __table_args__ = (
        Index("ix_human_task_instance_status", "instance_id", "status"),
        Index("ix_human_task_status_due", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"))
    task_guid: Mapped[str] = mapped_column(String(36))
    bpmn_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    lane: Mapped[str | None] = mapped_column(String(200))
    form_key: Mapped[str | None] = mapped_column(String(200))
    form_fields: Mapped[list[Any] | None] = mapped_column()  # a Camunda generated form, when given inline
    documentation: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="ready")
    rule: Mapped[str] = mapped_column(String(200), default="")  # how the candidates were found
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    due_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column()
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    completed_as_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    submitted: Mapped[dict[str, Any] | None] = mapped_column()  # the form values, for the history
    context: Mapped[dict[str, Any]] = mapped_column(default=dict)  # task data when it became ready
    claimed_at: Mapped[datetime | None] = mapped_column()
    # Delegate with return: the owner hands the task to a delegate; the delegate's answer
    # comes back to the owner (pending) to confirm before the flow moves on.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    delegation_state: Mapped[str | None] = mapped_column(String(12))  # delegated | returned
    pending: Mapped[dict[str, Any] | None] = mapped_column()

    instance: Mapped[ProcessInstance] = relationship()
    candidates: Mapped[list[TaskCandidate]] = relationship(
        back_populates="task", cascade="all, delete-orphan", lazy="selectin"
    )


class TaskCandidate(Base):
    """Who may act on a task: a position, a role within a unit, or a named user.

    Holders, acting officials and deputies are joined at query time, so an appointment made
    today reaches tasks that were already open.
    """

    __tablename__ = "task_candidate"
    __table_args__ = (
        Index("ix_task_candidate_position", "position_id"),
        Index("ix_task_candidate_role_unit", "role", "unit_id"),
        Index("ix_task_candidate_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("human_task.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    role: Mapped[str | None] = mapped_column(String(120))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    task: Mapped[HumanTask] = relationship(back_populates="candidates")
