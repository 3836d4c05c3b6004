"""What every admin view shares: the admin's scope, running a service, choices for the forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import abort, flash, g
from sqlalchemy import or_, select
from wtforms import HiddenField

from engine.errors import LontarError
from engine.models import HOLDING_KINDS, ROLES, User
from engine.org_rules import HOLDING_LABELS, MAPPING_TARGETS, ROLE_LABELS, UNIT_KINDS, OrgInvalid, label
from engine.org_scope import AdminScope, admin_scope, unit_tree
from webapp.context import me
from webapp.dbsession import session
from webapp.i18n import current_lang, gettext

T = TypeVar("T")


def scope() -> AdminScope:
    """The signed-in admin's scope; anyone else gets 404 for every /admin page."""
    if "admin_scope" not in g:
        found = admin_scope(session(), me().id)
        if found is None:
            abort(404)
        g.admin_scope = found
    return g.admin_scope


def is_admin() -> bool:
    from flask_login import current_user

    if not getattr(current_user, "is_authenticated", False):
        return False
    if "lontar_is_admin" not in g:  # asked by the header and the menus, several times a page
        g.lontar_is_admin = admin_scope(session(), int(current_user.get_id())) is not None
    return bool(g.lontar_is_admin)


def attempt(form: Any, action: Callable[[], T], *, refused: tuple[type[LontarError], ...] = (OrgInvalid,),
            aliases: dict[str, str] | None = None, hidden_on_top: bool = False) -> T | None:
    """Run one service call in a SAVEPOINT: a refused change leaves nothing behind, and its
    message lands beside the field it is about (or on top of the page).  `aliases` maps an
    engine field name to the form's; `hidden_on_top` puts a message about a hidden input on top,
    where it can be read."""
    try:
        with session().begin_nested():
            return action()
    except refused as exc:
        message = exc.message(current_lang())
        name = getattr(exc, "field", None)
        field = getattr(form, (aliases or {}).get(name, name), None) if name else None
        if hidden_on_top and isinstance(field, HiddenField):
            field = None
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), message]
        else:
            flash(message, "error")
        return None


def optional_int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


def find_user(text: str) -> User | None:
    """A person named by username or NIP (spaces in a NIP are ignored)."""
    key = (text or "").strip()
    if not key:
        return None
    nip = key.replace(" ", "")
    return session().scalars(select(User).where(or_(User.username == key.lower(), User.nip == nip))).first()


# -- choices ---------------------------------------------------------------------------------


def unit_choices(*, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else []
    for node in unit_tree(session(), scope()):
        choices.append((str(node.id), f"{'· ' * node.depth}{node.code} — {node.name}"))
    return choices


def kind_choices() -> list[tuple[str, str]]:
    lang = current_lang()
    return [(kind, f"{label(UNIT_KINDS, kind, lang)} ({kind})") for kind in UNIT_KINDS]


def holding_choices() -> list[tuple[str, str]]:
    return [(kind, label(HOLDING_LABELS, kind, current_lang())) for kind in HOLDING_KINDS]


def role_choices() -> list[tuple[str, str]]:
    return [(role, label(ROLE_LABELS, role, current_lang())) for role in ROLES]


def target_choices() -> list[tuple[str, str]]:
    return [(target, label(MAPPING_TARGETS, target, current_lang())) for target in MAPPING_TARGETS]


def position_choices(positions: list[Any], *, blank: str | None = None) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else []
    choices.extend((str(p.id), f"{p.name} — {p.unit.code}") for p in positions)
    return choices


def pemda_choice() -> list[tuple[str, str]]:
    """The "whole Pemda" entry of a unit select, for a Pemda-wide admin only."""
    return [("", gettext("Seluruh Pemda"))] if scope().is_global else []
