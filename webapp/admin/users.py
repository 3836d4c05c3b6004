"""Admin: people (create with a password, edit, set a password, deactivate) and their roles."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import func, or_, select
from werkzeug.wrappers import Response

from engine.models import Delegation, Position, Unit, User, UserRole
from engine.org_assign import holdings_of_user, is_current
from engine.org_people import (
    UserInput,
    create_user,
    grant_role,
    revoke_role,
    set_active,
    set_password,
    update_user,
)
from engine.org_rules import HOLDING_LABELS, ROLE_LABELS, has_password, label
from engine.org_scope import require_user, users_in_scope
from webapp.admin import bp
from webapp.admin.common import (
    attempt,
    optional_int,
    pemda_choice,
    position_choices,
    role_choices,
    scope,
    unit_choices,
)
from webapp.admin.forms import ActionForm, DelegationForm, PasswordForm, RoleForm, UserCreateForm, UserForm
from webapp.context import today
from webapp.dbsession import session
from webapp.i18n import current_lang, gettext

PAGE = 50


@bp.route("/users")
def users() -> str:
    query = users_in_scope(scope(), today())
    term = (request.args.get("q") or "").strip()
    if term:
        like = f"%{term.lower()}%"
        query = query.where(
            or_(
                func.lower(User.username).like(like),
                func.lower(User.name).like(like),
                User.nip.like(f"%{term}%"),
            )
        )
    page = max(optional_int(request.args.get("page")) or 1, 1)
    total = session().scalar(select(func.count()).select_from(query.subquery())) or 0
    people = session().scalars(query.order_by(User.name).offset((page - 1) * PAGE).limit(PAGE)).all()
    current = {p.id: [h for h in holdings_of_user(session(), p.id) if is_current(h, today())] for p in people}
    return render_template(
        "admin/users.html",
        people=people,
        current=current,
        term=term,
        page=page,
        pages=max((total + PAGE - 1) // PAGE, 1),
        total=total,
        has_password=has_password,
    )


def _input(form: UserForm) -> UserInput:
    return UserInput(
        form.username.data or "", form.name.data or "", form.nip.data, form.pangkat.data, form.email.data
    )


@bp.route("/users/new", methods=["GET", "POST"])
def user_new() -> str | Response | tuple[str, int]:
    form = UserCreateForm()
    mine = scope()
    positions = (
        session()
        .scalars(select(Position).where(Position.unit_id.in_(mine.unit_ids)).order_by(Position.code))
        .all()
    )
    blank = gettext("— tanpa jabatan —") if mine.is_global else None
    form.position_id.choices = position_choices(list(positions), blank=blank)
    if request.method == "GET" and request.args.get("position"):
        form.position_id.data = request.args["position"]
    if form.validate_on_submit():
        person = attempt(
            form,
            lambda: create_user(
                session(),
                mine,
                _input(form),
                password=form.password.data,
                today=today(),
                position_id=optional_int(form.position_id.data),
                sk_ref=form.sk_ref.data,
            ),
        )
        if person is not None:
            flash(gettext("Pengguna {username} dibuat.", username=person.username), "success")
            return redirect(url_for("admin.user", user_id=person.id))
    return render_template("admin/user_new.html", form=form), 422 if request.method == "POST" else 200


def _role_form() -> RoleForm:
    form = RoleForm(prefix="role")
    form.role.choices = role_choices()
    form.unit_id.choices = pemda_choice() + unit_choices()
    return form


def _page(person: User, forms: dict[str, object], status: int = 200) -> tuple[str, int]:
    mine = scope()
    roles = [
        r
        for r in session().scalars(
            select(UserRole).where(UserRole.user_id == person.id).order_by(UserRole.id)
        )
        if mine.has_unit(r.unit_id)
    ]
    holdings = [h for h in holdings_of_user(session(), person.id) if mine.has_unit(h.position.unit_id)]
    delegations = (
        session()
        .scalars(
            select(Delegation)
            .where(
                Delegation.principal_id == person.id,
                Delegation.revoked_at.is_(None),
                Delegation.valid_to >= today(),
            )
            .order_by(Delegation.valid_from)
        )
        .all()
    )
    lang = current_lang()
    values = {
        "user_form": UserForm(prefix="user", formdata=None, obj=person),
        "password_form": PasswordForm(prefix="pw"),
        "role_form": _role_form(),
        "delegation_form": DelegationForm(prefix="dlg", formdata=None, data={"valid_from": today()}),
        "action": ActionForm(),
        **forms,
    }
    units = {
        u.id: u
        for u in session().scalars(select(Unit).where(Unit.id.in_({r.unit_id for r in roles if r.unit_id})))
    }
    return render_template(
        "admin/user.html",
        person=person,
        roles=roles,
        units=units,
        holdings=holdings,
        delegations=delegations,
        now=today(),
        has_password=has_password(person),
        role_labels={r: label(ROLE_LABELS, r, lang) for r in ROLE_LABELS},
        kinds={k: label(HOLDING_LABELS, k, lang) for k in HOLDING_LABELS},
        **values,
    ), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int) -> str | Response | tuple[str, int]:
    person = require_user(session(), scope(), user_id, today())
    if request.method == "GET":
        return _page(person, {})
    form = UserForm(prefix="user")
    if (
        form.validate_on_submit()
        and attempt(form, lambda: update_user(session(), scope(), person.id, _input(form), today=today()))
        is not None
    ):
        flash(gettext("Perubahan disimpan."), "success")
        return redirect(url_for("admin.user", user_id=person.id))
    return _page(person, {"user_form": form}, 422)


@bp.route("/users/<int:user_id>/password", methods=["POST"])
def user_password(user_id: int) -> Response | tuple[str, int]:
    person = require_user(session(), scope(), user_id, today())
    form = PasswordForm(prefix="pw")
    if form.validate_on_submit() and attempt(
        form, lambda: set_password(session(), scope(), person.id, form.password.data, today=today()) or True
    ):
        flash(gettext("Kata sandi diganti."), "success")
        return redirect(url_for("admin.user", user_id=person.id))
    return _page(person, {"password_form": form}, 422)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def user_active(user_id: int) -> Response:
    person = require_user(session(), scope(), user_id, today())
    form = ActionForm()
    if form.validate_on_submit():
        active = request.form.get("active") == "1"
        if attempt(form, lambda: set_active(session(), scope(), person.id, active, today=today()) or True):
            flash(gettext("Akun diaktifkan.") if active else gettext("Akun dinonaktifkan."), "success")
    return redirect(url_for("admin.user", user_id=person.id))


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
def user_role_add(user_id: int) -> Response | tuple[str, int]:
    person = require_user(session(), scope(), user_id, today())
    form = _role_form()
    if (
        form.validate_on_submit()
        and attempt(
            form,
            lambda: grant_role(
                session(), scope(), person.id, form.role.data, optional_int(form.unit_id.data), today=today()
            ),
        )
        is not None
    ):
        flash(gettext("Peran ditambahkan."), "success")
        return redirect(url_for("admin.user", user_id=person.id))
    return _page(person, {"role_form": form}, 422)


@bp.route("/roles/<int:role_id>/revoke", methods=["POST"])
def role_revoke(role_id: int) -> Response:
    row = session().get(UserRole, role_id)
    user_id = row.user_id if row is not None else None
    form = ActionForm()
    if form.validate_on_submit() and attempt(
        form, lambda: revoke_role(session(), scope(), role_id, today=today()) or True
    ):
        flash(gettext("Peran dicabut."), "success")
    return redirect(url_for("admin.user", user_id=user_id) if user_id else url_for("admin.users"))
