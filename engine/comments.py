"""Comments on a task: a question or remark beside the work, kept in the instance's history.

A comment is a row (for lists and the letter page) and an audit event (so it sits in the
timeline and in the hash chain: a remark cannot be quietly removed later).  The people the
task waits for and whoever started the process are told, so a question reaches someone.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit, messages
from engine.errors import InvalidInput, NotFound
from engine.inbox import capacity
from engine.models import Comment, HumanTask, ProcessInstance, User
from engine.runtime import WorkflowEngine
from engine.runtime_support import actor_for

MAX_COMMENT = 4000

messages.register(
    {
        "comment.empty": ("Komentar tidak boleh kosong.", "A comment cannot be empty."),
        "comment.too_long": ("Komentar paling banyak {limit} karakter.", "A comment may have at most {limit} characters."),
        "history.comment.added": ("Komentar: {summary}", "Comment: {summary}"),
    }
)


def clean(text: str) -> str:
    body = (text or "").strip()
    if not body:
        raise InvalidInput("comment.empty", field="text")
    if len(body) > MAX_COMMENT:
        raise InvalidInput("comment.too_long", field="text", limit=MAX_COMMENT)
    return body


def comment_on_task(session: Session, engine: WorkflowEngine, task_id: int, *, user: User, text: str) -> Comment:
    """The caller has checked that the user may see the task (webapp: the task page's rule)."""
    body = clean(text)
    task = session.get(HumanTask, task_id)
    if task is None:
        raise NotFound()
    instance = session.get(ProcessInstance, task.instance_id)
    position = capacity(session, user.id, task_id, engine.clock.today()).position
    now = engine.clock.now()
    row = Comment(letter_id=instance.letter_id if instance else None, instance_id=task.instance_id, task_id=task.id,
                  author_id=user.id, author_position_id=position.id if position else None, text=body, created_at=now)
    session.add(row)
    audit.record(session, action="comment.added", actor=actor_for(user, position), instance_id=task.instance_id,
                 task_guid=task.task_guid, bpmn_id=task.bpmn_id, summary=body[:500], at=now)
    if task.status == "ready":
        from engine import notifications

        users = set(notifications.users_for_candidates(session, task.candidates, engine.clock.today(),
                                                       assignee_id=task.assignee_id))
        if instance is not None and instance.started_by_id:
            users.add(instance.started_by_id)  # the konseptor hears the question about their draft
        title = f"Komentar pada {task.name}: {instance.title}" if instance else task.name
        notifications.notify(session, users, kind="komentar", title=title, body=body[:500],
                             link=notifications.task_link(task.id), letter_id=row.letter_id,
                             instance_id=task.instance_id, task_id=task.id, at=now, exclude_user_id=user.id,
                             email=notifications.email_enabled(engine))
    session.flush()
    return row


def for_instance(session: Session, instance_id: int) -> list[Comment]:
    return list(session.scalars(select(Comment).where(Comment.instance_id == instance_id).order_by(Comment.created_at)))
