"""Comments on a task: in the history, told to whom it concerns; refused when empty or unseen."""

from __future__ import annotations

from sqlalchemy import func, select

from engine.models import Comment, Notification
from tests import test_web
from tests.flow import get_user
from tests.test_web import Person, csrf_token, drafted, instance_link, page, text_of

app = test_web.app


def _comment(person: Person, url: str, text: str):  # type: ignore[no-untyped-def]
    token = csrf_token(person.client.get("/inbox").text)
    return person.client.post(f"{url}/comment", data={"comment-csrf_token": token, "csrf_token": token,
                                                      "comment-text": text})


def test_a_comment_shows_in_the_history_and_reaches_the_konseptor(app, deployed) -> None:
    budi, sari, url = drafted(app)
    response = _comment(sari, url, "Lampiran anggaran belum ada, mohon dilengkapi.")
    assert response.status_code == 302
    instance_page = budi.get(instance_link(sari.get(url).text)).text
    history = " | ".join(text_of(li) for li in page(instance_page).xpath('//*[contains(@class, "timeline")]//li'))
    assert "Komentar: Lampiran anggaran belum ada, mohon dilengkapi." in history
    with deployed.transaction(write=False) as session:
        budi_id = get_user(session, "budi").id
        kinds = list(session.scalars(select(Notification.kind).where(Notification.user_id == budi_id)))
    assert "komentar" in kinds


def test_an_empty_comment_or_a_stranger_changes_nothing(app, deployed) -> None:
    _budi, sari, url = drafted(app)
    assert _comment(sari, url, "   ").status_code == 302  # back to the task with the message
    stranger = Person(app, "rina")  # Dinkes: cannot see a Diskominfo task
    assert _comment(stranger, url, "halo").status_code == 404
    with deployed.transaction(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Comment)) == 0
